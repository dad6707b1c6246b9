"""Check that every quoted excerpt appears word for word in its source's text.

Citations are the product's credibility. A quote matches when it is found in the source text
after both are normalised the same way: typographic quotes and apostrophes folded to ASCII and
runs of whitespace folded to one space. Nothing else is forgiven: not case, not punctuation.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from pathlib import Path

from ..errors import Problem
from .library import Library
from .model import Source

_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
})
_SPACE = re.compile(r"\s+")
_PARA = re.compile(r"\bpara(?:graph)?s?\.?\s*(\d+)", re.IGNORECASE)


def normalise(text: str) -> str:
    """Fold typographic quotes and whitespace (NFC first, so composed and decomposed letters agree)."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text).translate(_QUOTES)).strip()


class SourceText:
    """A source's normalised text, with where each paragraph starts.

    A paragraph is a non-empty line of the source's text file, counted from the top (headings
    included): the locator convention "para. N" means exactly that, so it can be checked.
    """

    def __init__(self, raw: str):
        paragraphs = [normalise(line) for line in raw.splitlines() if line.strip()]
        self.text = " ".join(paragraphs)
        self.starts: list[int] = []
        offset = 0
        for para in paragraphs:
            self.starts.append(offset)
            offset += len(para) + 1

    def paragraphs_of(self, quote: str) -> list[int]:
        """1-based paragraph numbers where the quote starts (empty when it is not in the text)."""
        needle = normalise(quote)
        found, at = [], self.text.find(needle)
        while at >= 0:
            found.append(bisect.bisect_right(self.starts, at))
            at = self.text.find(needle, at + 1)
        return found


def verify(library: Library, texts_dir: Path) -> tuple[list[Problem], int]:
    """Problems for every quote not found (and every source whose text is missing); and quotes checked."""
    problems: list[Problem] = []
    texts: dict[str, SourceText | None] = {}
    for source_id, source in library.sources.items():
        _, located, index = library.source_files[source_id]
        if not source.file:
            texts[source_id] = None
            continue
        path = texts_dir / source.file
        try:
            texts[source_id] = SourceText(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            texts[source_id] = None
            reason = "not found" if isinstance(exc, FileNotFoundError) else "unreadable"
            problems.append(located.problem(("sources", index, "file"),
                                            f"text of source '{source_id}' {reason}: {path}",
                                            "check --texts or the 'file' name"))
    checked = 0
    for loaded in library.checklists.values():
        for s_i, section in enumerate(loaded.checklist.sections):
            for q_i, question in enumerate(section.questions):
                for c_i, citation in enumerate(question.cite):
                    text = texts.get(citation.source)
                    path = ("sections", s_i, "questions", q_i, "cite", c_i, "quote")
                    if text is None:
                        if citation.source in texts and not library.sources[citation.source].file:
                            problems.append(loaded.located.problem(
                                path, f"source '{citation.source}' has no text file to check the quote against",
                                "set 'file' in sources.yaml"))
                        continue
                    checked += 1
                    found = text.paragraphs_of(citation.quote)
                    if not found:
                        shown = citation.quote if len(citation.quote) <= 80 else citation.quote[:77] + "..."
                        problems.append(loaded.located.problem(
                            path, f'quote not found in {citation.source}: "{shown}"'))
                        continue
                    para = _PARA.search(citation.locator)
                    if para and int(para.group(1)) not in found:
                        problems.append(loaded.located.problem(
                            path[:-1] + ("locator",),
                            f"locator '{citation.locator}' does not match {citation.source}: the quote is in "
                            f"para. {', '.join(map(str, found))}",
                            "paragraphs are the non-empty lines of the source text, counted from 1"))
                        continue
                    wrong = _part_mismatch(library.sources[citation.source], citation.locator,
                                           int(para.group(1)) if para else found[0])
                    if wrong:
                        problems.append(loaded.located.problem(path[:-1] + ("locator",), *wrong))
    return problems, checked


def _part_mismatch(source: Source, locator: str, para: int) -> tuple[str, str] | None:
    """(message, hint) when the locator names another author's part than the one holding the
    paragraph, or names none although the source has parts; None when it is right."""
    if not source.parts:
        return None
    named = next((p for p in source.parts if re.search(rf"\b{re.escape(p.label)}\b", locator)), None)
    actual = source.part_at(para)
    if named is not None and named is not actual:
        where = f"{actual.label}'s part ({actual.author})" if actual else "no author's part"
        return (f"locator '{locator}' names {named.label}, but para. {para} of {source.id} is in {where}",
                f"{named.label} wrote paras {named.first}-{named.last}")
    if named is None and actual is not None:
        return (f"locator '{locator}' does not say whose words these are: para. {para} of {source.id} "
                f"is in {actual.label}'s part ({actual.author})", f"write e.g. '{actual.label}, para. {para}'")
    return None
