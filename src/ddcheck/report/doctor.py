"""``ddcheck doctor``: can this machine render reports, and will Chinese and Uyghur show?

Problems stop PDFs altogether (WeasyPrint cannot load, templates missing). Warnings mean PDFs
render but something a reader would notice is off: no CJK font (Chinese names as empty boxes),
no HarfBuzz-Subset (CJK reports take tens of seconds), neither libfontconfig nor ``fc-list`` (no
glyph check), no ``fc-list`` (fonts cannot be listed by language).
"""

from __future__ import annotations

import platform
from dataclasses import dataclass, field
from typing import Any

from .. import __version__
from ..resources import bundled
from . import fonts

SAMPLES = {"Chinese": "新疆维吾尔自治区", "Uyghur": "ئۇيغۇر", "Russian": "Россия"}


@dataclass
class Diagnosis:
    facts: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {**self.facts, "problems": self.problems, "warnings": self.warnings,
                "ok": not self.problems}

    def lines(self) -> list[str]:
        f = self.facts
        rows = [
            ("ddcheck", f"{f['ddcheck']} (Python {f['python']})"),
            ("WeasyPrint", f.get("weasyprint") or "not available"),
            ("Pango", f.get("pango") or "not available"),
            ("HarfBuzz-Subset", "yes" if f.get("harfbuzz_subset") else "no (slow font subsetting)"),
            ("fontconfig", f"yes (through {f['fontconfig_source']})" if f["fontconfig"]
             else "no (neither libfontconfig nor fc-list found)"),
            ("templates", f["templates"]),
            ("Latin font", self._bundled()),
            ("CJK text in", f["fonts_in_use"].get("zh") or "no font (empty boxes)"),
            ("Uyghur text in", f["fonts_in_use"].get("ug") or "no font (empty boxes)"),
            ("CJK fonts", self._fonts("zh")),
            ("Uyghur fonts", self._fonts("ug")),
        ]
        rows += [(f"{script} text", "renders" if ok else "MISSING GLYPHS") for script, ok in f["samples"].items()]
        out = [f"{label:<16} {value}" for label, value in rows]
        out += [f"problem: {p}" for p in self.problems]
        out += [f"warning: {w}" for w in self.warnings]
        out.append("OK: reports can be rendered." if not self.problems else "Reports cannot be rendered here.")
        return out

    def _bundled(self) -> str:
        fonts = self.facts["bundled_fonts"]
        if not fonts:
            return "none bundled: system fonts (layout differs between machines)"
        styles = ", ".join(f["style"] for f in fonts)
        return f"{fonts[0]['family']} {fonts[0]['version']} ({styles}), bundled, SIL Open Font License"

    def _fonts(self, lang: str) -> str:
        if not self.facts["fc_list"]:
            return "unknown (fc-list not found)"
        return ", ".join(self.facts["fonts"][lang]) or "none"


def diagnose() -> Diagnosis:
    d = Diagnosis()
    d.facts.update(ddcheck=__version__, python=platform.python_version())
    try:
        from . import pdf

        d.facts.update(pdf.versions())
        d.facts["harfbuzz_subset"] = pdf.fast_font_subsetting()
        if not d.facts["harfbuzz_subset"]:
            d.warnings.append("HarfBuzz-Subset is missing, so fonts are subset with fontTools: reports with "
                              "Chinese text take tens of seconds (install libharfbuzz-subset0)")
    except (OSError, ImportError) as exc:
        d.facts.update(weasyprint=None, pango=None, harfbuzz_subset=False)
        d.problems.append(f"WeasyPrint cannot load ({exc}); install Pango "
                          "(Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0)")

    templates = bundled("templates")
    d.facts["templates"] = str(templates)
    if not (templates / "report.html.j2").is_file():
        d.problems.append(f"report templates not found in {templates}; reinstall ddcheck")

    try:
        d.facts["bundled_fonts"] = fonts.bundled_fonts(templates / "fonts")
    except ImportError:  # fontTools comes with WeasyPrint: reported above when missing
        d.facts["bundled_fonts"] = []
    if not d.facts["bundled_fonts"]:
        d.problems.append(f"the bundled typeface is missing from {templates / 'fonts'}; reinstall ddcheck")
    d.facts["fonts_in_use"] = {lang: fonts.system_font_for(lang) for lang in ("zh", "ug")}
    source = fonts.fontconfig_source()
    d.facts.update(fontconfig=source is not None, fontconfig_source=source, fc_list=fonts.fc_list_available())
    d.facts["fonts"] = {"zh": fonts.fonts_for_language("zh"), "ug": fonts.fonts_for_language("ug")}
    samples = {}
    for script, text in SAMPLES.items():
        samples[script] = not fonts.missing_glyphs([text])
    d.facts["samples"] = samples
    if not d.facts["fontconfig"]:
        d.warnings.append("neither libfontconfig nor fc-list found: ddcheck cannot tell which characters "
                          "lack a font (install fontconfig)")
    elif not samples["Chinese"] or (d.facts["fc_list"] and not d.facts["fonts"]["zh"]):
        d.warnings.append("no CJK font: Chinese text in reports will show as empty boxes "
                          "(install fonts-noto-cjk)")
    for script in ("Uyghur", "Russian"):
        if d.facts["fontconfig"] and not samples[script]:
            d.warnings.append(f"no font for {script} text (install fonts-noto-core)")
    return d
