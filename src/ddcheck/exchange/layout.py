"""What a questionnaire workbook holds, row by row, and the fingerprint that proves it is intact.

The export writes one row per question in workflow order; the import must put every answer back
on the question it was given for. A supplier can sort, insert or delete rows, or retype an id,
so the workbook carries its own layout (which row holds which question, and a digest of that
list) in a hidden sheet. The import compares the rows it finds with the layout and refuses a
workbook whose structure moved rather than guess. Pure data: no openpyxl here.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any, Mapping, Sequence

from ..checklists.conditions import Condition
from ..checklists.library import question_fingerprints
from ..checklists.model import Checklist, Question, Section

LAYOUT_VERSION = 1
QUESTIONS_SHEET = "Questions"
INSTRUCTIONS_SHEET = "Instructions"
LISTS_SHEET = "Lists"  # the drop-down choices, one column per scale (hidden)
LAYOUT_SHEET = "ddcheck"  # the layout below (hidden)
HEADER_ROW = 1
FIRST_ROW = 2

# Questions sheet columns, in order: the answer cells come right after the question.
COLUMNS = {
    "number": "A", "section": "B", "question": "C", "answer": "D", "note": "E", "evidence": "F",
    "guidance": "G", "asked": "H", "sources": "I", "ref": "J",
}
HEADINGS = {
    "number": "No.", "section": "Section", "question": "Question", "answer": "Your answer",
    "note": "Note (explain your answer)", "evidence": "Evidence provided (documents, links; separate with ;)",
    "guidance": "Guidance", "asked": "Evidence asked for", "sources": "Why we ask (cited source)",
    "ref": "Reference (do not edit)",
}
ANSWER_FIELDS = ("answer", "note", "evidence")  # the only cells a respondent may change
RESPONDENT_FIELDS = ("name", "role", "organisation", "email", "date")


@dataclass(frozen=True)
class Entry:
    """One question as the respondent sees it: its number, and when it applies, in words."""

    checklist: Checklist
    section: Section
    question: Question
    number: str
    condition: str | None = None

    @property
    def ref(self) -> str:
        return f"{self.checklist.id}/{self.question.id}"

    @property
    def key(self) -> tuple[str, str]:
        """Where the answer is stored: a shared question's home, so it is asked once."""
        return (self.checklist.home_of(self.question.id), self.question.id)


def entries(checklists: Sequence[Checklist]) -> list[Entry]:
    """Every question once, in the order the questionnaire asks them.

    With several checklists, numbers carry the checklist's letter ("B2.3") so each is unique; a
    question shared by two checklists is listed where it first appears.
    """
    prefix = len(checklists) > 1
    numbers: dict[tuple[str, str], str] = {}
    placed: list[tuple[Checklist, Section, Question, str]] = []
    for c_i, checklist in enumerate(checklists):
        letter = checklist_letter(c_i) if prefix else ""
        for s_i, section in enumerate(checklist.sections, start=1):
            for q_i, question in enumerate(section.questions, start=1):
                assert isinstance(question, Question)  # the library resolved every `use`
                key = (checklist.home_of(question.id), question.id)
                if key in numbers:
                    continue
                numbers[key] = f"{letter}{s_i}.{q_i}"
                placed.append((checklist, section, question, numbers[key]))
    return [Entry(c, s, q, n, condition_words(q.when, c, numbers) if q.when else None) for c, s, q, n in placed]


def checklist_letter(index: int) -> str:
    return chr(ord("A") + index) if index < 26 else f"{index + 1}-"


def condition_words(condition: Condition, checklist: Checklist, numbers: Mapping[tuple[str, str], str]) -> str:
    """``Answer only if 1.2 is “Yes” or “Don't know”.``: a ``when`` as a respondent reads it."""
    return f"Answer only if {_words(condition, checklist, numbers)}."


def _words(condition: Condition, checklist: Checklist, numbers: Mapping[tuple[str, str], str]) -> str:
    if condition.in_ is not None:
        qid = condition.question or ""
        number = numbers.get((checklist.home_of(qid), qid), qid)
        question = checklist.question(qid)
        labels = {c.value: c.label for c in checklist.choices(question)} if question else {}
        values = " or ".join(f"“{labels.get(v, v)}”" for v in condition.in_)
        return f"{number} is {values}"
    if condition.not_ is not None:
        inner = condition.not_
        if inner.in_ is not None:
            return _words(inner, checklist, numbers).replace(" is ", " is not ", 1)
        return f"not ({_words(inner, checklist, numbers)})"
    joiner, parts = (" and ", condition.all_) if condition.all_ is not None else (" or ", condition.any_ or [])
    texts = [_words(c, checklist, numbers) for c in parts]
    return joiner.join(t if (c.in_ is not None or c.not_ is not None) else f"({t})" for c, t in zip(parts, texts))


# ----------------------------------------------------------------------------- the stored layout


@dataclass(frozen=True)
class LayoutRow:
    row: int
    ref: str  # checklist-id/question-id
    number: str
    fingerprint: str  # the question's wording, type and choices when exported


@dataclass(frozen=True)
class Layout:
    """Everything the import needs to trust the workbook, stored in its hidden layout sheet."""

    checklists: list[list[str]]  # [id, version] in export order
    subject: str
    organisation: str
    respondent: dict[str, str]  # field -> cell on the Instructions sheet, e.g. {"name": "C12"}
    rows: list[LayoutRow]
    version: int = LAYOUT_VERSION
    digest: str = field(default="", compare=False)

    def computed_digest(self) -> str:
        data = asdict(self)
        data.pop("digest")
        canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def sealed(self) -> Layout:
        return Layout(self.checklists, self.subject, self.organisation, self.respondent, self.rows,
                      self.version, self.computed_digest())


def layout_for(entries_: Sequence[Entry], subject: str, organisation: str, respondent: dict[str, str]) -> Layout:
    prints: dict[str, dict[str, str]] = {}
    rows = []
    for i, entry in enumerate(entries_):
        cid = entry.checklist.id
        if cid not in prints:
            prints[cid] = question_fingerprints(entry.checklist)
        rows.append(LayoutRow(FIRST_ROW + i, entry.ref, entry.number, prints[cid][entry.question.id]))
    checklists = list(dict.fromkeys((e.checklist.id, e.checklist.version) for e in entries_))
    return Layout([list(c) for c in checklists], subject, organisation, respondent, rows).sealed()


def layout_table(layout: Layout) -> list[list[Any]]:
    """The layout as sheet rows: a few key/value lines, then one line per question row."""
    head = [
        ["ddcheck questionnaire layout: ddcheck reads the answers back with it. Do not edit."],
        ["version", layout.version],
        ["digest", layout.digest],
        ["subject", layout.subject],
        ["organisation", layout.organisation],
        ["checklists", json.dumps(layout.checklists)],
        ["respondent", json.dumps(layout.respondent, sort_keys=True)],
        ["row", "reference", "number", "fingerprint"],
    ]
    return head + [[r.row, r.ref, r.number, r.fingerprint] for r in layout.rows]


class LayoutBroken(ValueError):
    """The layout sheet is missing, edited or unreadable: the workbook cannot be trusted."""


def parse_layout_table(table: Sequence[Sequence[Any]]) -> Layout:
    """Read ``layout_table`` back (cells as a spreadsheet program saved them) and check its digest."""
    try:
        keys = {str(r[0]): r[1] if len(r) > 1 else None for r in table[1:7] if r and r[0] is not None}
        version = int(keys["version"])
        if version != LAYOUT_VERSION:
            raise LayoutBroken(f"layout version {version} is not supported (this ddcheck reads {LAYOUT_VERSION})")
        rows = [LayoutRow(int(r[0]), str(r[1]), str(r[2]), str(r[3]))
                for r in table[8:] if r and r[0] is not None and str(r[0]).strip()]
        layout = Layout(json.loads(keys["checklists"]), _text(keys.get("subject")), _text(keys.get("organisation")),
                        json.loads(keys["respondent"]), rows, version, _text(keys["digest"]))
    except LayoutBroken:
        raise
    except (KeyError, ValueError, TypeError, IndexError):
        raise LayoutBroken("its layout sheet is unreadable") from None
    if layout.digest != layout.computed_digest():
        raise LayoutBroken("its layout sheet was edited")
    if not _well_formed(layout):  # the digest is no secret: a forged sheet can carry a matching one
        raise LayoutBroken("its layout sheet is unreadable")
    return layout


REF = re.compile(r"^[^/]+/[^/]+$")
CELL_REF = re.compile(r"^[A-Z][1-9][0-9]{0,6}$")  # one column letter: the sheets use A..J


def _well_formed(layout: Layout) -> bool:
    """Whether every part has the shape the export writes, so the import can rely on it."""
    cells = layout.respondent
    listed = layout.checklists
    return (isinstance(cells, dict) and all(isinstance(v, str) and CELL_REF.match(v) for v in cells.values())
            and isinstance(listed, list)
            and all(isinstance(c, list) and len(c) == 2 and all(isinstance(x, str) for x in c) for c in listed)
            and all(r.row >= FIRST_ROW and REF.match(r.ref) for r in layout.rows))


def _text(value: Any) -> str:
    return "" if value is None else str(value)
