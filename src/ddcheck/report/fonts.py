"""Which characters of a report no installed font can draw, and which package would fix it.

WeasyPrint draws text through Pango, which falls back to *any* font fontconfig knows when the
stylesheet's fonts lack a character. So the question "will this render with real glyphs?" is
"does some installed font cover it?", and fontconfig already holds every font's character set
in its cache. We ask the fontconfig library itself (through ctypes: the same libfontconfig
WeasyPrint loads, so it is there wherever PDFs can be rendered): list the fonts' character
sets, merge them into one, and test each character — about 10 ms. When the library cannot be
loaded we fall back to parsing ``fc-list`` output (about 100 ms); with neither, the check says
so and reports nothing missing rather than guessing.

Why not fontTools (which WeasyPrint already pulls in)? It would have to open every font file,
including 20 MB CJK collections, on every run; fontconfig has done that work once, in its cache.
"""

from __future__ import annotations

import bisect
import ctypes
import ctypes.util
import functools
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path
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

@dataclass(frozen=True)
class MissingGlyph:
    char: str
    package: str

    @property
    def codepoint(self) -> str:
        return f"U+{ord(self.char):04X}"


class Coverage:
    """Whether some installed font covers a character."""

    available = True
    source = "libfontconfig"  # where the coverage came from, for ``ddcheck doctor``

    def covers(self, char: str) -> bool:  # pragma: no cover - interface
        raise NotImplementedError


class _Unknown(Coverage):
    """fontconfig could not be asked: nothing is reported missing."""

    available = False
    source = None

    def covers(self, char: str) -> bool:
        return True


class _FcCharSet(Coverage):
    """The union of every installed font's FcCharSet, asked through libfontconfig."""

    def __init__(self, lib: ctypes.CDLL, charset: int):
        self._lib = lib
        self._charset = ctypes.c_void_p(charset)

    def covers(self, char: str) -> bool:
        return bool(self._lib.FcCharSetHasChar(self._charset, ord(char)))


@dataclass(frozen=True)
class RangeCoverage(Coverage):
    """Coverage as sorted, non-overlapping ranges (from ``fc-list`` output, or made up in tests)."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]
    source = "fc-list"

    def covers(self, char: str) -> bool:
        code = ord(char)
        i = bisect.bisect_right(self.starts, code) - 1
        return i >= 0 and code <= self.ends[i]


def parse_charsets(lines: Iterable[str]) -> RangeCoverage:
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
    return RangeCoverage(tuple(starts), tuple(ends))


class _FcFontSet(ctypes.Structure):
    _fields_ = [("nfont", ctypes.c_int), ("sfont", ctypes.c_int), ("fonts", ctypes.POINTER(ctypes.c_void_p))]


def _library_coverage() -> Coverage | None:
    """Every installed font's character set, merged, straight from libfontconfig (None if unavailable)."""
    fc = None
    for name in ("libfontconfig.so.1", "libfontconfig.1.dylib", "fontconfig-1.dll"):
        try:
            fc = ctypes.CDLL(name)
            break
        except OSError:
            continue
    if fc is None:
        found = ctypes.util.find_library("fontconfig")  # slower: may run ldconfig
        try:
            fc = ctypes.CDLL(found) if found else None
        except OSError:
            fc = None
    if fc is None:
        return None
    ptr = ctypes.c_void_p
    for func, restype, argtypes in (
        ("FcInitLoadConfigAndFonts", ptr, []),
        ("FcPatternCreate", ptr, []),
        ("FcObjectSetBuild", ptr, [ctypes.c_char_p, ptr]),
        ("FcFontList", ptr, [ptr, ptr, ptr]),
        ("FcPatternGetCharSet", ctypes.c_int, [ptr, ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ptr)]),
        ("FcCharSetCreate", ptr, []),
        ("FcCharSetMerge", ctypes.c_int, [ptr, ptr, ptr]),
        ("FcCharSetHasChar", ctypes.c_int, [ptr, ctypes.c_uint32]),
        ("FcFontSetDestroy", None, [ptr]),
        ("FcObjectSetDestroy", None, [ptr]),
        ("FcPatternDestroy", None, [ptr]),
        ("FcConfigDestroy", None, [ptr]),
    ):
        f = getattr(fc, func, None)
        if f is None:
            return None
        f.restype, f.argtypes = restype, argtypes
    config = fc.FcInitLoadConfigAndFonts()
    if not config:
        return None
    pattern = fc.FcPatternCreate()
    objects = fc.FcObjectSetBuild(b"charset", None)
    fontset = fc.FcFontList(config, pattern, objects)
    union = fc.FcCharSetCreate()
    try:
        if not fontset or not union:
            return None
        fonts = ctypes.cast(fontset, ctypes.POINTER(_FcFontSet)).contents
        charset = ptr()
        for i in range(fonts.nfont):
            if fc.FcPatternGetCharSet(fonts.fonts[i], b"charset", 0, ctypes.byref(charset)) == 0:
                fc.FcCharSetMerge(union, charset, None)  # the font set owns `charset`; the union is a copy
    finally:
        if fontset:
            fc.FcFontSetDestroy(fontset)
        fc.FcObjectSetDestroy(objects)
        fc.FcPatternDestroy(pattern)
        fc.FcConfigDestroy(config)
    return _FcCharSet(fc, union)  # kept for the life of the process (cached below)


def _fc_list_coverage() -> Coverage | None:
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return None
    try:
        out = subprocess.run([fc_list, "--format", "%{charset}\n"], capture_output=True, text=True,
                             timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return parse_charsets(out.splitlines())


@functools.lru_cache(maxsize=1)
def installed_coverage() -> Coverage:
    """Ask fontconfig once per process for the installed fonts' combined character set."""
    return _library_coverage() or _fc_list_coverage() or _Unknown()


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


def fontconfig_source() -> str | None:
    """How the glyph check asks fontconfig: "libfontconfig", "fc-list", or None when it cannot."""
    return installed_coverage().source


def fc_list_available() -> bool:
    """Whether ``fc-list`` is there: ``ddcheck doctor`` lists fonts by language with it."""
    return shutil.which("fc-list") is not None


def bundled_fonts(folder: Path) -> list[dict[str, str]]:
    """The typeface files shipped in ``folder`` (templates/fonts): family, style, version, file.

    Read from each file's own name table, so ``doctor`` reports what is really there.
    """
    from fontTools.ttLib import TTFont  # WeasyPrint's dependency; only doctor asks

    found = []
    for path in sorted(folder.glob("*.ttf")):
        try:
            with TTFont(str(path), lazy=True) as font:
                name = font["name"]
                found.append({"family": str(name.getDebugName(1)), "style": str(name.getDebugName(2)),
                              "version": str(name.getDebugName(5)).split(";")[0].replace("Version ", ""),
                              "file": path.name})
        except Exception as exc:  # a damaged file: say so rather than fail the diagnosis
            found.append({"family": "unreadable", "style": str(exc), "version": "", "file": path.name})
    return found


# report.css's font-family list, in order (a test keeps the two equal): Pango takes each character
# from the first of these that has it, then from any font fontconfig knows.
FAMILY_ORDER = ("Lato", "DejaVu Sans", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
                "Noto Sans Arabic")


def system_font_for(lang: str) -> str | None:
    """The installed family that draws text in ``lang`` (e.g. "zh", "ug") in a report.

    The first family of :data:`FAMILY_ORDER` that fontconfig says supports the language, else
    the first installed family that does; None when none does (empty boxes).
    """
    supporting = fonts_for_language(lang)
    preferred = [f for f in FAMILY_ORDER if f in supporting]
    return (preferred or supporting or [None])[0]
