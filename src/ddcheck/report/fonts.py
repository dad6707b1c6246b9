"""Which characters of a report no installed font can draw, and which package would fix it.

WeasyPrint draws text through Pango, which falls back to *any* font fontconfig knows when the
stylesheet's fonts lack a character. So the question "will this render with real glyphs?" is
"does some installed font cover it?", and fontconfig already holds every font's character set
in its cache. One ``fc-list`` call dumps those sets (about 40 ms for a few dozen fonts); we
merge them into sorted ranges and look characters up with a binary search.

Why not fontTools (which WeasyPrint already pulls in)? It would have to open every font file,
including 20 MB CJK collections, on every run; fontconfig has done that work once, in its cache.
Without ``fc-list`` (no fontconfig tools on the machine) the check says so and reports nothing
as missing rather than guessing.
"""

from __future__ import annotations

import bisect
import functools
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from typing import Iterable

# Characters that never need a glyph: controls, format characters, separators.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Zs", "Mn"}

# Debian/Ubuntu packages that cover a script, checked in order; the last is the broad fallback.
_PACKAGES: list[tuple[str, list[tuple[int, int]]]] = [
    ("fonts-noto-cjk", [
        (0x1100, 0x11FF),  # Hangul Jamo
        (0x2E80, 0x2FDF),  # CJK radicals, Kangxi
        (0x3000, 0x30FF),  # CJK punctuation, Hiragana, Katakana
        (0x3100, 0x31FF),  # Bopomofo, Hangul compatibility, Kanbun, CJK strokes
        (0x3200, 0x9FFF),  # enclosed CJK, CJK compatibility, Ext. A, unified ideographs
        (0xAC00, 0xD7AF),  # Hangul syllables
        (0xF900, 0xFAFF),  # CJK compatibility ideographs
        (0xFE30, 0xFE4F),  # CJK compatibility forms
        (0xFF00, 0xFFEF),  # half- and full-width forms
        (0x20000, 0x3134F),  # CJK extensions B-G
    ]),
    ("fonts-noto-color-emoji", [(0x1F300, 0x1FAFF), (0x2600, 0x27BF)]),
    ("fonts-dejavu-core", [(0x0000, 0x052F), (0x1E00, 0x1FFF)]),  # Latin, Greek, Cyrillic
    ("fonts-noto-core", [(0x0000, 0x10FFFF)]),  # Arabic (Uyghur), Tibetan, Mongolian, and most others
]

FONT_STACK_HINT = "apt-get install fonts-noto-cjk (CJK) or fonts-noto-core (most other scripts)"


@dataclass(frozen=True)
class MissingGlyph:
    char: str
    package: str

    @property
    def codepoint(self) -> str:
        return f"U+{ord(self.char):04X}"

    @property
    def name(self) -> str:
        return unicodedata.name(self.char, "unnamed character").title()


@dataclass(frozen=True)
class Coverage:
    """Installed fonts' combined character coverage, as sorted, non-overlapping ranges."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]
    available: bool  # False when fontconfig could not be asked: nothing is reported missing

    def covers(self, char: str) -> bool:
        if not self.available:
            return True
        code = ord(char)
        i = bisect.bisect_right(self.starts, code) - 1
        return i >= 0 and code <= self.ends[i]


def parse_charsets(lines: Iterable[str]) -> Coverage:
    """Merge fontconfig charset dumps ("20-7e a0-1a9 263 ...", hex) into one coverage."""
    ranges: list[tuple[int, int]] = []
    for line in lines:
        for item in line.split():
            lo, _, hi = item.partition("-")
            try:
                ranges.append((int(lo, 16), int(hi or lo, 16)))
            except ValueError:
                continue
    ranges.sort()
    starts: list[int] = []
    ends: list[int] = []
    for lo, hi in ranges:
        if ends and lo <= ends[-1] + 1:
            ends[-1] = max(ends[-1], hi)
        else:
            starts.append(lo)
            ends.append(hi)
    return Coverage(tuple(starts), tuple(ends), available=True)


@functools.lru_cache(maxsize=1)
def installed_coverage() -> Coverage:
    """Ask fontconfig once per process for every installed font's character set."""
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return Coverage((), (), available=False)
    try:
        out = subprocess.run([fc_list, "--format", "%{charset}\n"], capture_output=True, text=True,
                             timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return Coverage((), (), available=False)
    return parse_charsets(out.splitlines())


def package_for(char: str) -> str:
    code = ord(char)
    for package, ranges in _PACKAGES:
        if any(lo <= code <= hi for lo, hi in ranges):
            return package
    return _PACKAGES[-1][0]


def needs_glyph(char: str) -> bool:
    return unicodedata.category(char) not in _INVISIBLE_CATEGORIES


def missing_glyphs(texts: Iterable[str], coverage: Coverage | None = None) -> list[MissingGlyph]:
    """Characters in ``texts`` that no installed font covers, in first-seen order.

    ASCII is skipped without asking fontconfig: the report's own text is ASCII and every machine
    that renders PDFs has a Latin font.
    """
    wanted: dict[str, None] = {}
    for text in texts:
        for char in text:
            if ord(char) > 0x7E and char not in wanted and needs_glyph(char):
                wanted[char] = None
    if not wanted:
        return []
    cov = coverage or installed_coverage()
    return [MissingGlyph(c, package_for(c)) for c in wanted if not cov.covers(c)]


def describe_missing(missing: list[MissingGlyph], limit: int = 12) -> str:
    """One message naming the characters and the packages that would draw them."""
    shown = ", ".join(f"'{m.char}' {m.codepoint}" for m in missing[:limit])
    more = f" and {len(missing) - limit} more" if len(missing) > limit else ""
    packages = sorted({m.package for m in missing})
    return (f"no installed font can draw {len(missing)} character(s): {shown}{more}; "
            f"install {' '.join(packages)} (e.g. 'sudo apt-get install {' '.join(packages)}') "
            "and render again")


def fonts_for_language(lang: str) -> list[str]:
    """Font families fontconfig says support ``lang`` (e.g. 'zh', 'ug'), for ``ddcheck doctor``."""
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return []
    try:
        out = subprocess.run([fc_list, f":lang={lang}", "family"], capture_output=True, text=True,
                             timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted({line.split(",")[0].strip() for line in out.splitlines() if line.strip()})


def fontconfig_available() -> bool:
    return shutil.which("fc-list") is not None
