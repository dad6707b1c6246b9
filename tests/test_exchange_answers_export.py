"""``ddcheck answers export``: answers with their history for a reviewer's spreadsheet, formula-safe."""

from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import GOOD
from openpyxl import load_workbook

META = ["--organisation", "Acme", "--subject", "Supplier X", "--assessor", "Jane", "--date", "2024-05-01"]


@pytest.fixture
def assessed(invoke, clean_env, tmp_path, monkeypatch):
    """An assessment whose answers carry hostile text and a history (imported twice, by two people)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "one.csv").write_text(
        "checklist,question,value,note,evidence\n"
        'mini,sources-from-region,yes,"=HYPERLINK(""http://evil.example"",""click"")",+map.pdf\n'
        "mini,headcount,1200,-5 contractors,\n"
        'mini,notes,"@SUM(1,2)",\tTab first,\n', encoding="utf-8")
    (tmp_path / "two.csv").write_text("checklist,question,value\nmini,sources-from-region,no\n", encoding="utf-8")
    assert invoke("--checklists", str(GOOD), "answers", "import", "one.csv", "-o", "a.yaml", *META).exit_code == 0
    assert invoke("--checklists", str(GOOD), "answers", "import", "two.csv", "-o", "a.yaml",
                  "--assessor", "Ana").exit_code == 0

    def run(*args: str):
        return invoke("--checklists", str(GOOD), "answers", "export", "a.yaml", *args)

    return run


def test_csv_lists_current_answers_then_history_with_every_formula_neutralised(assessed):
    result = assessed()
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["question"], r["value"], r["status"], r["answered_by"]) for r in rows] == [
        ("sources-from-region", "no", "current", "Ana"),
        ("sources-from-region", "yes", "replaced", "Jane"),
        ("headcount", "1200", "current", "Jane"),
        ("notes", "'@SUM(1,2)", "current", "Jane"),
    ]
    assert rows[0]["number"] == "1.1" and rows[0]["answer"] == "No"
    assert rows[1]["note"] == "'=HYPERLINK(\"http://evil.example\",\"click\")"
    assert rows[1]["evidence"] == "'+map.pdf"
    assert rows[2]["note"] == "'-5 contractors"
    assert rows[3]["note"] == "Tab first"  # the import strips surrounding blanks
    for row in rows:  # no cell a spreadsheet would run
        assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in row.values())


def test_xlsx_holds_the_same_rows_as_text_never_formulas(assessed, tmp_path):
    result = assessed("-f", "xlsx", "-o", "review.xlsx")
    assert result.exit_code == 0, result.output
    assert "Wrote review.xlsx: 4 answer(s), 3 current." in result.stdout
    ws = load_workbook(tmp_path / "review.xlsx")["Answers"]
    header = [c.value for c in ws[1]]
    assert header[:3] == ["checklist", "question", "number"] and ws.auto_filter.ref
    note = ws.cell(3, header.index("note") + 1)
    assert note.value == '=HYPERLINK("http://evil.example","click")' and note.data_type == "s"
    assert [ws.cell(r, header.index("status") + 1).value for r in range(2, 6)] == [
        "current", "replaced", "current", "current"]


def test_json_and_bad_options(assessed, tmp_path):
    result = assessed("-f", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data[0]["question"] == "sources-from-region" and data[0]["status"] == "current"
    bad = assessed("-f", "ods")
    assert bad.exit_code == 2 and "--format 'ods' is not one of csv, xlsx, json" in bad.stderr
    assert assessed("-f", "xlsx").exit_code == 2
    clash = assessed("-o", "a.yaml")
    assert clash.exit_code == 3 and "is the assessment itself" in clash.stderr


@pytest.mark.parametrize("text, safe", [
    ("=1+1", "'=1+1"), ("+49 30 1234", "'+49 30 1234"), ("-5", "'-5"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=cmd", "'\t=cmd"), ("\r=cmd", "'\r=cmd"), ("Yes", "Yes"), ("a=b", "a=b"), ("", ""),
])
def test_neutralised_prefixes_exactly_the_cells_a_spreadsheet_would_run(text, safe):
    from ddcheck.exchange.cells import neutralised

    assert neutralised(text) == safe


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_an_output_not_named_for_its_format_is_refused_and_left_as_it_was(assessed, tmp_path, fmt):
    """'-o acme-2023.yaml' by a slip of the finger would have replaced another assessment with a table."""
    other = tmp_path / "acme-2023.yaml"
    other.write_text("an assessment of last year\n", encoding="utf-8")
    result = assessed("-f", fmt, "-o", "acme-2023.yaml")
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: acme-2023.yaml: -f {fmt} writes a .{fmt} file; name the output FILE.{fmt}"
    assert other.read_text(encoding="utf-8") == "an assessment of last year\n"
    assert assessed("-f", fmt, "-o", f"answers.{fmt.upper()}").exit_code == 0
