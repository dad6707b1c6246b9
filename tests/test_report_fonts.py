"""The bundled typeface: shipped with its licence, used by every PDF, named by ``doctor``."""

from __future__ import annotations

import json
import re

from pdf_support import Pdf
from report_support import library, write

from ddcheck.report import fonts
from ddcheck.report.pipeline import render
from ddcheck.resources import bundled


def test_the_typeface_ships_with_its_licence():
    folder = bundled("templates") / "fonts"
    styles = {f["style"] for f in fonts.bundled_fonts(folder)}
    assert styles == {"Regular", "Bold", "Italic", "Bold Italic"}
    licence = (folder / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL Open Font License, Version 1.1" in licence and 'Reserved Font Name "Lato"' in licence


def test_every_pdf_sets_latin_text_in_the_bundled_font_through_the_locked_fetcher(tmp_path):
    result = render(write(tmp_path / "a.yaml"), library(), "pdf")
    assert result.blocked == [] and not any("font" in w.lower() and "Lato" in w for w in result.warnings)
    names = {re.sub(r"^/?[A-Z]{6}\+", "", n) for n in Pdf(result.data).font_names()}
    assert {"Lato", "Lato-Bold"} <= names, names


def test_the_html_report_loads_no_font_file(tmp_path):
    html = render(write(tmp_path / "a.yaml"), library(), "html").data.decode()
    assert "@font-face" not in html and "fonts/Lato" not in html


def test_the_stylesheet_asks_for_the_families_doctor_describes():
    css = (bundled("templates") / "report.css").read_text(encoding="utf-8")
    html_rule = css.split("html {", 1)[1].split("}", 1)[0]
    declared = re.search(r"font-family:([^;]+);", html_rule).group(1)
    families = tuple(f.strip().strip('"') for f in declared.split(","))
    assert families[:-1] == fonts.FAMILY_ORDER and families[-1] == "sans-serif"


def test_doctor_says_which_fonts_are_in_use(invoke):
    result = invoke("doctor")
    assert result.exit_code == 0, result.output
    assert re.search(r"Latin font\s+Lato 2\.007 .*bundled, SIL Open Font License", result.stdout)
    assert "CJK text in" in result.stdout and "Uyghur text in" in result.stdout
    data = json.loads(invoke("doctor", "--json").stdout)
    assert {f["family"] for f in data["bundled_fonts"]} == {"Lato"}
    assert set(data["fonts_in_use"]) == {"zh", "ug"}
    if data["fonts"]["zh"]:
        assert data["fonts_in_use"]["zh"] in data["fonts"]["zh"]
