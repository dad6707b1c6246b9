"""``ddcheck report`` options, output formats, PDF variants, the glyph check and ``ddcheck doctor``."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest
from pdf_support import Pdf
from report_support import library, write

from ddcheck.report import fonts

# Where the report command gets its library: directly (batches) and through common.library_for.
DDCHECK_LIBRARY = ("ddcheck.commands.report.library", "ddcheck.commands.common.library")


def use_test_checklist(monkeypatch) -> None:
    for name in DDCHECK_LIBRARY:
        monkeypatch.setattr(name, lambda ctx, wanted=None: library())


@pytest.fixture
def answers(tmp_path, monkeypatch):
    """An assessment file, and the CLI pointed at the test checklist instead of the bundled ones."""
    use_test_checklist(monkeypatch)
    return write(tmp_path / "answers.yaml")


def test_help_imports_neither_weasyprint_nor_jinja2():
    code = textwrap.dedent("""
        import sys
        from ddcheck.cli import app
        try:
            app(["--help"])
        except SystemExit:
            pass
        heavy = sorted({m.split(".")[0] for m in sys.modules} & {"weasyprint", "jinja2", "pydyf", "pypdf"})
        print("HEAVY", heavy)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "HEAVY []" in out, out
    assert "report" in out and "demo" in out and "doctor" in out


def test_format_follows_the_output_suffix(invoke, answers, tmp_path):
    for name, check in (("r.md", lambda b: b.startswith(b"# Human-rights due diligence report")),
                        ("r.json", lambda b: json.loads(b)["schema_version"] == "1.0"),
                        ("r.html", lambda b: b"<style>" in b and b"float: footnote" in b)):
        result = invoke("report", str(answers), "-o", str(tmp_path / name))
        assert result.exit_code == 0, result.output
        assert check((tmp_path / name).read_bytes()), name


def test_markdown_to_stdout_carries_footnotes_and_the_disclaimer(invoke, answers):
    result = invoke("report", str(answers), "--format", "md", "-o", "-")
    assert result.exit_code == 0
    assert "[^1]: [1] Washington Post, para. 9: \u201c" in result.stdout
    assert "not an audit or a legal opinion" in result.stdout
    assert "| # | Action | Question | Risk |" in result.stdout


def test_json_holds_the_same_content_as_the_pdf(invoke, answers):
    data = json.loads(invoke("report", str(answers), "-f", "json", "-o", "-").stdout)
    assert data["overall"]["rating"] == "critical"
    assert [b["id"] for b in data["sources"]][0] == "foreign-firms-xinjiang"
    assert data["counts"] == {"answered": 2, "gaps": 1, "na": 1, "info": 1, "out_of_scope": 1}
    assert data["checklists"][0]["sections"][0]["questions"][0]["citations"][0]["locator"] == "para. 9"


def test_default_output_is_next_to_the_assessment(invoke, answers):
    result = invoke("report", str(answers), "-f", "md")
    assert result.exit_code == 0
    assert answers.with_suffix(".md").is_file()


def test_refuses_to_overwrite_the_assessment(invoke, answers):
    before = answers.read_bytes()
    result = invoke("report", str(answers), "-f", "md", "-o", str(answers))
    assert result.exit_code == 3
    assert "refusing to overwrite the assessment" in result.stderr
    assert answers.read_bytes() == before


def test_pdf_variant_only_for_pdf(invoke, answers, tmp_path):
    result = invoke("report", str(answers), "-o", str(tmp_path / "r.md"), "--pdf-variant", "pdf/a-3b")
    assert result.exit_code == 2
    assert "--pdf-variant applies to PDF reports only" in result.stderr


def test_unreadable_assessment_is_one_clear_line(invoke, tmp_path, monkeypatch):
    use_test_checklist(monkeypatch)
    result = invoke("report", str(tmp_path / "missing.yaml"), "-o", str(tmp_path / "r.pdf"))
    assert result.exit_code == 2
    assert "no such file" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("variant, marker", [("pdf/a-3b", b"pdfaid:part"), ("pdf/ua-1", b"pdfuaid:part")])
def test_pdf_variants_are_declared_and_keep_the_attachment(invoke, answers, tmp_path, variant, marker):
    out = tmp_path / "r.pdf"
    result = invoke("report", str(answers), "-o", str(out), "--pdf-variant", variant)
    assert result.exit_code == 0, result.output
    pdf = Pdf(out.read_bytes())
    xmp = pdf.reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert marker in xmp
    assert pdf.attachments["answers.yaml"] == [answers.read_bytes()]
    if variant == "pdf/ua-1":
        assert "/StructTreeRoot" in pdf.reader.trailer["/Root"]
    else:
        assert "/AF" in pdf.reader.trailer["/Root"] and "/OutputIntents" in pdf.reader.trailer["/Root"]


def latin_only(monkeypatch):
    """A machine whose only font covers ASCII and Latin-1."""
    monkeypatch.setattr(fonts, "installed_coverage", lambda: fonts.parse_charsets(["20-7e a0-ff 2014 2019 201c-201d"]))


def chinese_answers(tmp_path):
    """Chinese text whatever fonts this machine has: the glyph check is what is tested."""
    return write(tmp_path / "answers.yaml", subject="Huamian Textiles (华棉纺织) — yarn")


def test_missing_glyphs_are_named_with_the_package_to_install(invoke, answers, tmp_path, monkeypatch):
    latin_only(monkeypatch)
    answers = chinese_answers(tmp_path)
    out = tmp_path / "r.pdf"
    result = invoke("report", str(answers), "-o", str(out))
    assert result.exit_code == 0
    assert "warning: no installed font can draw" in result.stderr
    assert "'华' U+534E" in result.stderr and "fonts-noto-cjk" in result.stderr
    assert out.is_file()


def test_strict_makes_missing_glyphs_an_error_before_rendering(invoke, answers, tmp_path, monkeypatch):
    latin_only(monkeypatch)
    answers = chinese_answers(tmp_path)
    out = tmp_path / "r.pdf"
    result = invoke("report", str(answers), "-o", str(out), "--strict")
    assert result.exit_code == 4
    assert "fonts-noto-cjk" in result.stderr and "fonts-noto-core" in result.stderr  # Chinese and Uyghur
    assert not out.exists()


def test_glyph_check_skips_invisible_characters_and_ascii():
    cov = fonts.parse_charsets(["20-7e", "4e00-9fff"])
    assert fonts.missing_glyphs(["plain ascii\n\t", "新疆\u200b"], cov) == []
    missing = fonts.missing_glyphs(["ئۇيغۇر", "Россия", "新"], cov)
    assert {m.package for m in missing} == {"fonts-noto-core", "fonts-dejavu-core"}
    assert missing[0].codepoint == "U+0626"


def test_doctor_reports_versions_and_cjk_fonts(invoke):
    result = invoke("doctor")
    assert result.exit_code == 0, result.output
    assert "WeasyPrint" in result.stdout and "Pango" in result.stdout and "CJK fonts" in result.stdout
    data = json.loads(invoke("doctor", "--json").stdout)
    assert data["ok"] is True and data["weasyprint"] and data["pango"].count(".") == 2
    assert isinstance(data["fonts"]["zh"], list)
    assert (data["fonts"]["zh"] != []) == data["samples"]["Chinese"] or not data["fontconfig"]


def test_doctor_names_what_is_missing_libfontconfig_or_fc_list(monkeypatch):
    from ddcheck.report import doctor, fonts

    monkeypatch.setattr(fonts, "fontconfig_source", lambda: None)
    monkeypatch.setattr(fonts, "fc_list_available", lambda: False)
    monkeypatch.setattr(fonts, "fonts_for_language", lambda lang: [])
    lines = "\n".join(doctor.diagnose().lines())
    assert "neither libfontconfig nor fc-list found" in lines and "CJK fonts        unknown (fc-list not found)" in lines

    monkeypatch.setattr(fonts, "fontconfig_source", lambda: "libfontconfig")
    d = doctor.diagnose()
    assert "yes (through libfontconfig)" in "\n".join(d.lines())
    assert not any("fc-list" in w for w in d.warnings)  # no fc-list: fonts unlisted, glyphs still checked
