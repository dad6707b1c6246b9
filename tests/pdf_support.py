"""Reading the PDFs we render, as a reader's PDF viewer would: text, bookmarks, attachments, fonts."""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import dataclass
from functools import cached_property, lru_cache

from pypdf import PdfReader
from pypdf.generic import IndirectObject, StreamObject


@dataclass
class Pdf:
    data: bytes

    @cached_property
    def reader(self) -> PdfReader:
        return PdfReader(io.BytesIO(self.data))

    @cached_property
    def pages(self) -> list[str]:
        """Each page's text, with whitespace folded so phrases wrapped over lines still match."""
        return [" ".join(page.extract_text().split()) for page in self.reader.pages]

    @property
    def text(self) -> str:
        return " ".join(self.pages)

    def page_of(self, phrase: str, start: int = 0) -> int:
        """1-based number of the first page (from ``start``) whose text holds ``phrase``."""
        for i, text in enumerate(self.pages[start:], start):
            if phrase in text:
                return i + 1
        raise AssertionError(f"{phrase!r} is on no page")

    @cached_property
    def bookmarks(self) -> list[tuple[int, str, int]]:
        """(depth, title, 1-based page) for every outline entry, in order."""
        out: list[tuple[int, str, int]] = []

        def walk(items, depth):
            for item in items:
                if isinstance(item, list):
                    walk(item, depth + 1)
                else:
                    out.append((depth, item.title, self.reader.get_destination_page_number(item) + 1))

        walk(self.reader.outline, 0)
        return out

    @property
    def attachments(self) -> dict[str, list[bytes]]:
        return dict(self.reader.attachments)

    def annotations(self) -> list[dict]:
        found = []
        for page in self.reader.pages:
            for ref in page.get("/Annots") or []:
                annot = ref.get_object() if isinstance(ref, IndirectObject) else ref
                found.append(annot)
        return found

    def font_names(self) -> set[str]:
        names: set[str] = set()
        for page in self.reader.pages:
            fonts = (page.get("/Resources") or {}).get("/Font") or {}
            for ref in fonts.values():
                names.add(str(ref.get_object().get("/BaseFont", "")))
        return names

    def all_bytes(self) -> bytes:
        """The file plus every stream decompressed: where a leaked file's bytes would show."""
        chunks = [self.data]
        for i in range(1, int(self.reader.trailer["/Size"])):
            try:
                obj = self.reader.get_object(i)
            except Exception:
                continue
            if isinstance(obj, StreamObject):
                try:
                    chunks.append(obj.get_data())
                except Exception:
                    continue
        for contents in self.attachments.values():
            chunks += contents
        return b"\n".join(chunks)


@lru_cache(maxsize=1)
def cjk_font_installed() -> bool:
    """Whether fontconfig (as FONTCONFIG_FILE configures it) sees a font for Chinese.

    Without one, WeasyPrint draws CJK characters as .notdef glyphs through a custom encoding
    that pypdf (and pdfminer) cannot decode: the *whole* text layer of that font then reads as
    noise. So report tests render Latin-only text on such machines, and the few that are about
    Chinese text skip with :data:`NO_CJK_REASON`.
    """
    if not shutil.which("fc-list"):
        return False
    out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
    return bool(out.strip())


NO_CJK_REASON = ("no CJK font installed (Debian: apt-get install fonts-noto-cjk; scripts/test.sh says so): "
                 "Chinese text cannot be drawn, so its PDF text layer cannot be read back")


MM = 72 / 25.4  # PDF points per millimetre
PAGE_MARGINS_MM = {"top": 24, "right": 18, "bottom": 22, "left": 20}  # as report.css's @page says


@dataclass(frozen=True)
class Link:
    page: int  # 1-based page the link is on
    text: str  # the text under the link
    target: str  # the named destination (an element id)
    target_page: int  # 1-based page the destination is on
    target_top: float  # distance of the destination from the top of its page, in points


class Layout:
    """Where things lie on the pages (pdfplumber), for tests of what a reader sees, not just the text."""

    def __init__(self, pdf: Pdf):
        import pdfplumber

        self.pdf = pdf
        self.doc = pdfplumber.open(io.BytesIO(pdf.data))

    def page(self, number: int):
        return self.doc.pages[number - 1]

    def text_in(self, number: int, top: float, bottom: float, x0: float = 0, x1: float | None = None) -> str:
        page = self.page(number)
        box = (x0, max(0, top), x1 if x1 is not None else page.width, min(page.height, bottom))
        return " ".join((page.crop(box).extract_text() or "").split())

    def running_head(self, number: int) -> list[tuple[float, str]]:
        """Lines (baseline, text) of the page's head: everything above the top margin, left 2/3."""
        page = self.page(number)
        limit = PAGE_MARGINS_MM["top"] * MM
        lines: dict[int, list] = {}
        for ch in page.chars:
            if ch["bottom"] <= limit and ch["x0"] < page.width * 0.66:
                lines.setdefault(round(ch["bottom"]), []).append(ch)
        return [(b, "".join(c["text"] for c in sorted(chars, key=lambda c: c["x0"])).strip())
                for b, chars in sorted(lines.items())]

    def links(self) -> list[Link]:
        reader = self.pdf.reader
        dests = reader.named_destinations
        found = []
        for i, page in enumerate(reader.pages, 1):
            height = float(page.mediabox.height)
            for ref in page.get("/Annots") or []:
                annot = ref.get_object()
                dest = annot.get("/Dest")
                if annot.get("/Subtype") != "/Link" or dest is None:
                    continue
                x0, y0, x1, y1 = (float(v) for v in annot["/Rect"])
                text = self.text_in(i, height - max(y0, y1) - 0.5, height - min(y0, y1) + 0.5,
                                    min(x0, x1) - 0.5, max(x0, x1) + 0.5)
                d = dests[str(dest)]
                found.append(Link(i, text, str(dest), reader.get_destination_page_number(d) + 1,
                                  height - float(d.top)))
        return found
