"""The supplier round trip: ``export xlsx`` -> a respondent fills it -> ``answers import filled.xlsx``.

Real clients: openpyxl fills the workbook as a supplier's tooling would, and LibreOffice re-saves it
as a respondent using Calc would (skipped with a reason where LibreOffice is not installed).
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import DDCHECK, GOOD, ROOT
from exchange_support import (ANSWERS, EXPECTED, ddcheck_here, fill, libreoffice_convert,  # noqa: F401 (fixture)
                              rows_by_number, write_checklists)
from openpyxl import load_workbook

from ddcheck.answers.assessment import load_assessment



def export(run, *extra: str, out: str = "q.xlsx"):
    result = run("export", "xlsx", "supply", "home", "-o", out, "--organisation", "Acme GmbH",
                 "--subject", "Supplier X", *extra)
    assert result.exit_code == 0, result.output
    return result


def imported_values(path) -> dict:
    a = load_assessment(path)
    return {(cid, qid): ans.value for cid, by in a.answers.items() for qid, ans in by.items()}


def test_filled_workbook_imports_exactly_the_answers_given(ddcheck_here, tmp_path):
    assert "Wrote q.xlsx: 8 question(s) from supply, home." in export(ddcheck_here).stdout
    fill(tmp_path / "q.xlsx", tmp_path / "filled.xlsx", ANSWERS)
    result = ddcheck_here("answers", "import", "filled.xlsx", "-o", "x.yaml", "--assessor", "Jane")
    assert result.exit_code == 0, result.output
    assert "Imported 8 answer(s) into x.yaml: 8 new" in result.stdout
    assert imported_values(tmp_path / "x.yaml") == EXPECTED
    a = load_assessment(tmp_path / "x.yaml")
    assert a.meta.organisation == "Acme GmbH" and a.meta.subject == "Supplier X" and a.meta.assessor == "Jane"
    first = a.answer("supply", "in-region")
    assert first.note == "Spinning mill in the region"
    assert first.evidence == ["supplier-map.xlsx", "https://example.org/map"]
    assert {ans.answered_by for by in a.answers.values() for ans in by.values()} == {"Li Wei (Compliance manager)"}
    assert "policy" not in a.answers.get("supply", {})  # the shared question lives in its home


def test_round_trip_survives_libreoffice_resaving_the_workbook(ddcheck_here, tmp_path):
    export(ddcheck_here)
    fill(tmp_path / "q.xlsx", tmp_path / "filled.xlsx", ANSWERS)
    resaved = libreoffice_convert(tmp_path / "filled.xlsx", "xlsx", tmp_path / "calc")
    result = ddcheck_here("answers", "import", str(resaved), "-o", "x.yaml", "--assessor", "Jane")
    assert result.exit_code == 0, result.output
    assert imported_values(tmp_path / "x.yaml") == EXPECTED


def test_workbook_shows_questions_in_workflow_order_with_dropdowns_and_protection(ddcheck_here, tmp_path):
    export(ddcheck_here, "--contact", "compliance@acme.example")
    wb = load_workbook(tmp_path / "q.xlsx")
    assert wb.sheetnames[:2] == ["Instructions", "Questions"]
    assert all(s.sheet_state == "hidden" for s in wb.worksheets[2:])
    info = wb["Instructions"]
    texts = [str(c.value) for row in info.iter_rows() for c in row if c.value]
    assert "Acme GmbH" in texts and "Supplier X" in texts and "compliance@acme.example" in texts
    assert {"Your name", "Your role", "Your organisation", "E-mail"} <= set(texts)
    q = wb["Questions"]
    rows = rows_by_number(q)
    assert list(rows) == ["A1.1", "A1.2", "A1.3", "A2.1", "A2.2", "A2.3", "A2.4", "B1.2"]
    assert q.cell(rows["A1.3"], 3).value.endswith("Answer only if A1.1 is “Yes”.")
    assert q.cell(rows["A1.2"], 3).value.endswith("Answer only if A1.1 is “Yes” or “Don't know”.")
    assert "whether products are being made using forced labor" in q.cell(rows["A1.1"], 9).value
    assert q.cell(rows["A1.1"], 8).value == "• supplier map"
    # protected, without a password, except the answer, note and evidence cells
    assert q.protection.sheet and not q.protection.password and info.protection.sheet
    row = rows["A1.3"]
    assert [q.cell(row, c).protection.locked for c in range(1, 11)] == [True] * 3 + [False] * 3 + [True] * 4
    # the answer cell is a drop-down of the scale's labels
    lists = wb["Lists"]
    dropdown = next(dv for dv in q.data_validations.dataValidation if f"D{row}" in dv.sqref)
    assert dropdown.type == "list"
    column = dropdown.formula1.split("!")[1].split(":")[0].replace("$", "")[0]
    labels = [c.value for c in lists[column] if c.value]
    assert labels == ["Yes, with evidence", "Partly", "No", "Don't know", "Not applicable"]
    # prints legibly: header row on every page, fit to the page width
    assert q.print_title_rows == "$1:$1"
    assert q.page_setup.fitToWidth == 1 and q.sheet_properties.pageSetUpPr.fitToPage


@pytest.mark.parametrize("damage, message", [
    (lambda q, rows: q.delete_rows(rows["A1.2"]), "row 3 should hold question A1.2 (supply/inputs) but holds "
                                                   "'supply/mapped'"),
    (lambda q, rows: q.move_range(f"A{rows['A2.1']}:J{rows['A2.1']}", rows=20),
     "row 5 should hold question A2.1 (supply/workers) but is empty"),
    (lambda q, rows: setattr(q.cell(rows["A1.3"], 10), "value", "supply/in-region"),
     "row 4 should hold question A1.3 (supply/mapped) but holds 'supply/in-region'"),
    (lambda q, rows: q.append(["A3.1", "Extra", "Do you like us?", "Yes"]), "row 10 is not part of the questionnaire"),
])
def test_altered_structure_is_refused_never_mis_assigned(ddcheck_here, tmp_path, damage, message):
    export(ddcheck_here)
    fill(tmp_path / "q.xlsx", tmp_path / "filled.xlsx", ANSWERS)
    wb = load_workbook(tmp_path / "filled.xlsx")
    q = wb["Questions"]
    damage(q, rows_by_number(q))
    wb.save(tmp_path / "damaged.xlsx")
    result = ddcheck_here("answers", "import", "damaged.xlsx", "-o", "x.yaml", "--assessor", "Jane")
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stderr.startswith("damaged.xlsx:Questions!")
    assert "nothing was imported" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "x.yaml").exists()


def test_edited_layout_sheet_is_refused(ddcheck_here, tmp_path):
    export(ddcheck_here)
    wb = load_workbook(tmp_path / "q.xlsx")
    layout = wb["ddcheck"]
    row = next(r for r in range(1, layout.max_row + 1) if layout.cell(r, 2).value == "supply/inputs")
    layout.cell(row, 2).value, layout.cell(row + 1, 2).value = "supply/mapped", "supply/inputs"
    wb.save(tmp_path / "edited.xlsx")
    result = ddcheck_here("answers", "import", "edited.xlsx", "-o", "x.yaml", "--assessor", "Jane")
    assert result.exit_code == 2
    assert "edited.xlsx:ddcheck!A1: the workbook cannot be trusted: its layout sheet was edited" in result.stderr


def test_invalid_answers_are_located_by_cell_and_nothing_is_written(ddcheck_here, tmp_path):
    export(ddcheck_here)
    answers = {**ANSWERS, "A1.3": ("Partyl", None, None), "A2.1": (-3, None, None), "A2.2": ("31/03/2024", None, None),
               "A1.1": ("Yess", None, None)}
    fill(tmp_path / "q.xlsx", tmp_path / "filled.xlsx", answers, name="")
    result = ddcheck_here("answers", "import", "filled.xlsx", "-o", "x.yaml", "--assessor", "Jane")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("filled.xlsx:Instructions!B") and "the respondent's name is empty" in lines[0]
    assert lines[1] == ("filled.xlsx:Questions!D2: supply/in-region: 'Yess' is not one of the answers "
                        "(yes, no, unknown); did you mean 'Yes'?")
    assert lines[2] == ("filled.xlsx:Questions!D4: supply/mapped: 'Partyl' is not one of the answers "
                        "(yes, partial, no, unknown, na); did you mean 'Partly'?")
    assert lines[3].startswith("filled.xlsx:Questions!D5: supply/workers: -3 is below the smallest accepted value")
    assert lines[4].startswith("filled.xlsx:Questions!D6: supply/audited: '31/03/2024' is not a date")
    assert lines[-1] == "error: 5 problem(s); nothing was imported."
    assert not (tmp_path / "x.yaml").exists()


def test_prefilled_workbook_round_trips_unchanged_and_keeps_history_on_change(ddcheck_here, tmp_path):
    export(ddcheck_here)
    fill(tmp_path / "q.xlsx", tmp_path / "filled.xlsx", ANSWERS)
    assert ddcheck_here("answers", "import", "filled.xlsx", "-o", "x.yaml", "--assessor", "Jane").exit_code == 0
    result = ddcheck_here("export", "xlsx", "-o", "next.xlsx", "--from", "x.yaml")  # last year's answers, pre-filled
    assert result.exit_code == 0, result.output
    assert "pre-filled from x.yaml" in result.stdout
    wb = load_workbook(tmp_path / "next.xlsx")
    q = wb["Questions"]
    rows = rows_by_number(q)
    assert q.cell(rows["A1.2"], 4).value == "Cotton; Tomatoes"
    assert q.cell(rows["A1.1"], 6).value == "supplier-map.xlsx; https://example.org/map"
    remark = q.cell(rows["A2.3"], 4)
    assert remark.value.startswith("=cmd") and remark.data_type == "s"  # text, never a formula
    texts = [str(c.value) for row in wb["Instructions"].iter_rows() for c in row if c.value]
    assert "Supplier X" in texts and "Acme GmbH" in texts

    fill(tmp_path / "next.xlsx", tmp_path / "same.xlsx", {}, name="Li Wei")
    result = ddcheck_here("answers", "import", "same.xlsx", "-o", "x.yaml")
    assert result.exit_code == 0, result.output
    assert "0 new, 0 changed, 8 unchanged" in result.stdout

    fill(tmp_path / "next.xlsx", tmp_path / "changed.xlsx", {"A1.3": ("Yes, with evidence", "Done", "map-v2.pdf")},
         name="Ana Ruiz", role="")
    result = ddcheck_here("answers", "import", "changed.xlsx", "-o", "x.yaml")
    assert result.exit_code == 0, result.output
    assert "0 new, 1 changed, 7 unchanged" in result.stdout
    mapped = load_assessment(tmp_path / "x.yaml").answer("supply", "mapped")
    assert (mapped.value, mapped.answered_by) == ("yes", "Ana Ruiz")
    assert [(h.value, h.answered_by) for h in mapped.history] == [("partial", "Li Wei (Compliance manager)")]


def test_question_changed_since_export_is_not_imported_silently(ddcheck_here, tmp_path):
    export(ddcheck_here)
    fill(tmp_path / "q.xlsx", tmp_path / "filled.xlsx", ANSWERS)
    supply = tmp_path / "lists" / "supply.yaml"
    supply.write_text(supply.read_text().replace("Have you mapped every tier?", "Have you mapped tiers 1-3?"))
    result = ddcheck_here("answers", "import", "filled.xlsx", "-o", "x.yaml", "--assessor", "Jane")
    assert result.exit_code == 1
    assert ("filled.xlsx:Questions!D4: question A1.3 (supply/mapped) has changed since this workbook was exported"
            in result.stderr)


def test_not_a_workbook_is_one_clear_line(ddcheck_here, tmp_path):
    (tmp_path / "fake.xlsx").write_text("checklist,question,value\n", encoding="utf-8")
    result = ddcheck_here("answers", "import", "fake.xlsx", "-o", "x.yaml", "--assessor", "Jane")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "error: fake.xlsx: not a readable .xlsx workbook (BadZipFile); save it as 'Excel 2007-365 (.xlsx)' "
        "and try again"]
    wb_without_layout = tmp_path / "plain.xlsx"
    from openpyxl import Workbook
    Workbook().save(wb_without_layout)
    result = ddcheck_here("answers", "import", "plain.xlsx", "-o", "x.yaml", "--assessor", "Jane")
    assert result.exit_code == 2 and "not a ddcheck questionnaire (it has no layout sheet)" in result.stderr


def test_export_refuses_a_non_xlsx_output_and_unknown_checklists(ddcheck_here, tmp_path):
    result = ddcheck_here("export", "xlsx", "supply", "-o", "x.yaml")
    assert result.exit_code == 2 and "x.yaml: the output must be a .xlsx file" in result.stderr
    result = ddcheck_here("export", "xlsx", "suply", "-o", "q.xlsx")
    assert result.exit_code == 2 and "did you mean 'supply'?" in result.stderr
    assert not (tmp_path / "q.xlsx").exists()


def test_every_bundled_checklist_exports_and_reads_back_empty(invoke, tmp_path, monkeypatch, clean_env):
    monkeypatch.chdir(tmp_path)
    from ddcheck.checklists.library import load_library

    ids = list(load_library().checklists)
    result = invoke("export", "xlsx", *ids, "-o", "all.xlsx")
    assert result.exit_code == 0, result.output
    fill(tmp_path / "all.xlsx", tmp_path / "named.xlsx", {})
    result = invoke("answers", "import", "named.xlsx", "-o", "x.yaml", "--organisation", "A", "--subject", "B",
                    "--assessor", "C")
    assert result.exit_code == 2 and "no answers to import" in result.stderr


def test_help_and_csv_import_never_import_openpyxl(clean_env, tmp_path):
    code = ("import sys\nfrom ddcheck.cli import app\n"
            "for args in (['--help'], ['export', '--help'], ['--checklists', sys.argv[1], 'answers', 'import', "
            "sys.argv[2], '-o', sys.argv[3], '--organisation', 'A', '--subject', 'B', '--assessor', 'C']):\n"
            "    try:\n        app(args)\n    except SystemExit:\n        pass\n"
            "print(sorted(m for m in ('openpyxl', 'pyxform') if m in sys.modules))")
    rows = tmp_path / "a.csv"
    rows.write_text("checklist,question,value\nmini,policy,yes\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", code, str(GOOD), str(rows), str(tmp_path / "x.yaml")],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.stdout.strip().splitlines()[-1] == "[]", proc.stdout + proc.stderr
    assert (tmp_path / "x.yaml").exists()


def test_real_program_exports_and_imports(tmp_path, clean_env):
    folder = write_checklists(tmp_path / "lists")
    proc = subprocess.run([*DDCHECK, "--checklists", str(folder), "export", "xlsx", "supply", "-o", "q.xlsx"],
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    fill(tmp_path / "q.xlsx", tmp_path / "f.xlsx", {"1.1": ("No", None, None)})
    proc = subprocess.run([*DDCHECK, "--checklists", str(folder), "answers", "import", "f.xlsx", "-o", "x.yaml",
                           "--subject", "S", "--organisation", "O", "--assessor", "A"],
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert imported_values(tmp_path / "x.yaml") == {("supply", "in-region"): "no"}


def test_respondent_date_dates_a_new_assessment_and_a_bad_one_is_located(ddcheck_here, tmp_path):
    import datetime as dt

    export(ddcheck_here)
    fill(tmp_path / "q.xlsx", tmp_path / "dated.xlsx", {"A1.1": ("No", None, None)}, date=dt.date(2025, 2, 14))
    result = ddcheck_here("answers", "import", "dated.xlsx", "-o", "x.yaml", "--assessor", "Jane")
    assert result.exit_code == 0, result.output
    assert str(load_assessment(tmp_path / "x.yaml").meta.date) == "2025-02-14"
    fill(tmp_path / "q.xlsx", tmp_path / "baddate.xlsx", {"A1.1": ("No", None, None)}, date="14/02/2025")
    result = ddcheck_here("answers", "import", "baddate.xlsx", "-o", "y.yaml", "--assessor", "Jane")
    assert result.exit_code == 1
    assert result.stderr.startswith("baddate.xlsx:Instructions!B") and "'14/02/2025' is not a date" in result.stderr


def test_importing_into_the_workbook_itself_is_refused(ddcheck_here, tmp_path):
    export(ddcheck_here)
    before = (tmp_path / "q.xlsx").read_bytes()
    result = ddcheck_here("answers", "import", "q.xlsx", "-o", "q.xlsx", "--assessor", "Jane")
    assert result.exit_code == 3 and "q.xlsx is the file being imported" in result.stderr
    assert (tmp_path / "q.xlsx").read_bytes() == before


def test_dont_know_is_an_answer_to_numbers_and_dates_too_and_is_prefilled_as_typed(ddcheck_here, tmp_path):
    export(ddcheck_here)
    fill(tmp_path / "q.xlsx", tmp_path / "f.xlsx", {"A2.1": ("Don't know", None, None), "A2.2": ("don’t know", None, None)})
    assert ddcheck_here("answers", "import", "f.xlsx", "-o", "x.yaml", "--assessor", "Jane").exit_code == 0
    assert imported_values(tmp_path / "x.yaml") == {("supply", "workers"): "unknown", ("supply", "audited"): "unknown"}
    assert ddcheck_here("export", "xlsx", "-o", "next.xlsx", "--from", "x.yaml").exit_code == 0
    q = load_workbook(tmp_path / "next.xlsx")["Questions"]
    assert q.cell(rows_by_number(q)["2.1"], 4).value == "Don't know"  # one checklist: no letter


def test_hostile_inputs_are_one_clear_line_never_a_hang_or_traceback(ddcheck_here, tmp_path):
    import os

    os.mkfifo(tmp_path / "pipe.xlsx")
    result = ddcheck_here("answers", "import", "pipe.xlsx", "-o", "x.yaml", "--assessor", "Jane")
    assert result.exit_code == 2 and "pipe.xlsx: is a pipe (FIFO), not a regular file" in result.stderr
    export(ddcheck_here)
    fill(tmp_path / "q.xlsx", tmp_path / "long.xlsx", {"A1.1": ("No", None, None)}, name="N" * 600)
    result = ddcheck_here("answers", "import", "long.xlsx", "-o", "x.yaml", "--assessor", "Jane")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.startswith("long.xlsx:Instructions!B") and "at most 500 are kept" in result.stderr
    assert not (tmp_path / "x.yaml").exists()


def test_a_formula_in_a_cell_to_fill_is_located_never_read_as_a_gap(ddcheck_here, tmp_path):
    """A script-written workbook stores no result for a formula: read as a value, the answer vanished."""
    export(ddcheck_here)
    fill(tmp_path / "q.xlsx", tmp_path / "filled.xlsx", {**ANSWERS, "A1.1": ("=C2", None, None)})
    wb = load_workbook(tmp_path / "filled.xlsx")
    wb["Questions"].cell(rows_by_number(wb["Questions"])["A1.1"], 4).data_type = "f"  # a real formula this time
    wb.save(tmp_path / "filled.xlsx")
    result = ddcheck_here("answers", "import", "filled.xlsx", "-o", "x.yaml", "--assessor", "Jane")
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines()[0] == (
        "filled.xlsx:Questions!D2: supply/in-region: the cell holds a formula '=C2', not a typed answer "
        "(type the value itself, or copy the cell and paste it as values only)")
    assert not (tmp_path / "x.yaml").exists()


def test_reimport_notes_only_the_options_typed_not_the_workbooks_own_date(ddcheck_here, tmp_path):
    """The respondent's date dates a new file; merged into an existing one, nobody typed --date to be told off."""
    export(ddcheck_here)
    fill(tmp_path / "q.xlsx", tmp_path / "filled.xlsx", ANSWERS, date="2025-02-14")
    assert ddcheck_here("answers", "import", "filled.xlsx", "-o", "x.yaml", "--assessor", "Jane").exit_code == 0
    again = ddcheck_here("answers", "import", "filled.xlsx", "-o", "x.yaml")
    assert again.exit_code == 0 and "--date" not in again.stderr, again.stderr
    typed = ddcheck_here("answers", "import", "filled.xlsx", "-o", "x.yaml", "--date", "2025-03-01")
    assert "note: --date only applies to a new assessment; x.yaml keeps its own" in typed.stderr
    assert str(load_assessment(tmp_path / "x.yaml").meta.date) == "2025-02-14"


def test_exporting_over_a_returned_workbook_with_answers_is_refused(ddcheck_here, tmp_path):
    """Re-exporting under the name the supplier's returned file was saved as would have erased their answers."""
    export(ddcheck_here)
    fill(tmp_path / "q.xlsx", tmp_path / "supplier-x.xlsx", ANSWERS)
    returned = (tmp_path / "supplier-x.xlsx").read_bytes()
    result = ddcheck_here("export", "xlsx", "supply", "-o", "supplier-x.xlsx")
    assert result.exit_code == 3
    assert result.stderr.startswith("error: supplier-x.xlsx holds 8 answered question(s) (Li Wei (Compliance manager));")
    assert (tmp_path / "supplier-x.xlsx").read_bytes() == returned
    assert ddcheck_here("export", "xlsx", "supply", "-o", "q.xlsx").exit_code == 0  # an empty one is replaced
    assert ddcheck_here("export", "xlsx", "supply", "-o", "supplier-x.xlsx", "--replace").exit_code == 0
    assert (tmp_path / "supplier-x.xlsx").read_bytes() != returned


@pytest.mark.parametrize("forge", ["ref without a slash", "row above the header", "respondent cell AA1"])
def test_a_forged_layout_with_a_matching_digest_is_refused_not_a_traceback(ddcheck_here, tmp_path, forge):
    """The digest catches edits, not forgery (it is no secret): the import checks the layout's shape too."""
    import dataclasses

    from ddcheck.exchange.layout import layout_table, parse_layout_table

    export(ddcheck_here)
    fill(tmp_path / "q.xlsx", tmp_path / "filled.xlsx", ANSWERS)
    wb = load_workbook(tmp_path / "filled.xlsx")
    sheet = wb["ddcheck"]
    layout = parse_layout_table([[c.value for c in row] for row in sheet.iter_rows()])
    first = layout.rows[0]
    if forge == "ref without a slash":
        wb["Questions"].cell(first.row, 10).value = "noslash"
        rows = [dataclasses.replace(first, ref="noslash"), *layout.rows[1:]]
        layout = dataclasses.replace(layout, rows=rows)
    elif forge == "row above the header":
        layout = dataclasses.replace(layout, rows=[dataclasses.replace(first, row=0), *layout.rows[1:]])
    else:
        layout = dataclasses.replace(layout, respondent={**layout.respondent, "name": "AA1"})
    for row in sheet.iter_rows():
        for cell in row:
            cell.value = None
    for r, values in enumerate(layout_table(layout.sealed()), start=1):
        for c, value in enumerate(values, start=1):
            sheet.cell(r, c).value = value
    wb.save(tmp_path / "forged.xlsx")
    result = ddcheck_here("answers", "import", "forged.xlsx", "-o", "x.yaml", "--assessor", "Jane")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(
        "forged.xlsx:ddcheck!A1: the workbook cannot be trusted: its layout sheet is unreadable")
    assert "Traceback" not in result.output
