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
