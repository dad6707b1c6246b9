"""``export xlsform`` (converted by pyxform, the converter ODK and KoboToolbox run) and the import of
their submission exports: one assessment per submission or per subject, located errors."""

from __future__ import annotations

import csv
import io
import re

import pytest
from exchange_support import ddcheck_here  # noqa: F401 (a fixture)
from openpyxl import load_workbook

from ddcheck.answers.assessment import load_assessment

pyxform = pytest.importorskip("pyxform", reason="pyxform is a test dependency (pip install -e '.[test]')")
from pyxform.xls2xform import convert  # noqa: E402



def survey_rows(path) -> list[dict]:
    sheet = load_workbook(path)["survey"]
    header = [c.value for c in sheet[1]]
    return [dict(zip(header, (c.value for c in row))) for row in sheet.iter_rows(min_row=2)]


def export_form(ddcheck_here, tmp_path, *ids: str):
    result = ddcheck_here("export", "xlsform", *(ids or ("supply", "home")), "-o", "form.xlsx", "--subject", "Mill 7")
    assert result.exit_code == 0, result.output
    return tmp_path / "form.xlsx"


def test_pyxform_converts_the_form_with_choices_relevance_hints_and_evidence_fields(ddcheck_here, tmp_path):
    form = export_form(ddcheck_here, tmp_path)
    warnings: list[str] = []
    xform = convert(xlsform=str(form), warnings=warnings).xform
    assert warnings == []
    rows = {r["name"]: r for r in survey_rows(form) if r["name"]}
    assert rows["supply__in_region"]["type"].startswith("select_one ")
    assert rows["supply__inputs"]["type"].startswith("select_multiple ")
    assert rows["supply__inputs"]["relevant"] == ("(selected(${supply__in_region}, 'yes') or "
                                                  "selected(${supply__in_region}, 'unknown'))")
    assert rows["supply__inputs_note"]["relevant"] == rows["supply__inputs"]["relevant"]
    assert rows["supply__in_region"]["hint"] == "Any tier, down to raw material."
    assert rows["supply__in_region_evidence"]["hint"] == "Asked for: supplier map"
    assert rows["supply__workers"]["type"] == "decimal" and rows["supply__workers"]["constraint"] == ". >= 0"
    assert rows["supply__audited"]["type"] == "date"
    assert rows["home__policy"]["label"] == "A2.4 Do you have a published human-rights policy?"
    assert "home__policy" in rows and "home__grievance" in rows and "supply__policy" not in rows
    assert rows["subject"]["default"] == "Mill 7"
    choices = load_workbook(form)["choices"]
    labels = {(r[0].value, r[1].value): r[2].value for r in choices.iter_rows(min_row=2)}
    inputs_list = rows["supply__inputs"]["type"].split()[1]
    assert [n for (lst, n) in labels if lst == inputs_list] == ["cotton", "polysilicon", "tomatoes", "none", "unknown"]
    # the XForm binds the relevance and the constraint as ODK Collect will run them
    assert re.search(r'nodeset="/[^"]*/supply__inputs"[^>]*relevant="\(selected\(', xform)
    assert 'constraint=". &gt;= 0"' in xform


def test_every_bundled_checklist_converts(invoke, tmp_path, monkeypatch, clean_env):
    from ddcheck.checklists.library import load_library

    monkeypatch.chdir(tmp_path)
    ids = list(load_library().checklists)
    assert invoke("export", "xlsform", *ids, "-o", "all.xlsx").exit_code == 0
    warnings: list[str] = []
    assert "<h:html" in convert(xlsform=str(tmp_path / "all.xlsx"), warnings=warnings).xform


def submissions_csv(form, submissions: list[dict], server: str = "central") -> str:
    """A submissions export as the server writes it: group paths in the headers, its meta columns."""
    paths, groups = [], []
    sep = "-" if server == "central" else "/"
    calculated = {}
    for row in survey_rows(form):
        if row["type"] == "begin_group":
            groups.append(row["name"])
        elif row["type"] == "end_group":
            groups.pop()
        else:
            paths.append((row["name"], sep.join([*groups, row["name"]])))
            if row["type"] == "calculate":
                calculated[row["name"]] = row["calculation"].strip("'")
    if server == "central":
        header = ["SubmissionDate", *(p for _, p in paths), "meta-instanceID", "KEY", "SubmitterName"]
    else:
        header = ["start", *(p for _, p in paths), "_id", "_uuid", "_submission_time"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="," if server == "central" else ";")
    writer.writerow(header)
    for i, sub in enumerate(submissions):
        values = {**calculated, **sub}
        body = [values.get(name, "") for name, _ in paths]
        if server == "central":
            writer.writerow([sub.get("_when", "2025-03-0%dT10:00:00.000Z" % (i + 1)), *body,
                             f"uuid:0000-{i}", f"uuid:0000-{i}", "collector"])
        else:
            writer.writerow(["2025-03-01", *body, str(100 + i), f"abcd-{i}", sub.get("_when", f"2025-03-0{i + 1}T10:00:00")])
    return buffer.getvalue()


FIRST = {"respondent_name": "Wang Fang", "respondent_role": "Line supervisor", "subject": "Mill 7",
         "supply__in_region": "yes", "supply__inputs": "cotton tomatoes", "supply__inputs_note": "Mostly cotton",
         "supply__mapped": "partial", "supply__workers": "320", "supply__audited": "2024-11-02",
         "supply__remarks": "=1+1 written by a worker", "home__policy": "no", "home__policy_evidence": "none seen"}


@pytest.mark.parametrize("server", ["central", "kobo"])
def test_one_assessment_per_submission(ddcheck_here, tmp_path, server):
    form = export_form(ddcheck_here, tmp_path)
    second = {"respondent_name": "Li Na", "subject": "Dye house", "supply__in_region": "no", "home__grievance": "yes"}
    (tmp_path / "subs.csv").write_text(submissions_csv(form, [FIRST, second], server), encoding="utf-8")
    result = ddcheck_here("answers", "import", "subs.csv", "-o", "out", "--organisation", "Acme", "--assessor", "Jane")
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert len(files) == 2 and files[0].startswith("dye-house-") and files[1].startswith("mill-7-")
    mill = load_assessment(tmp_path / "out" / files[1])
    assert mill.meta.subject == "Mill 7" and mill.meta.organisation == "Acme" and str(mill.meta.date) == "2025-03-01"
    assert mill.values("supply") == {"in-region": "yes", "inputs": ["cotton", "tomatoes"], "mapped": "partial",
                                     "workers": 320.0, "audited": "2024-11-02", "remarks": "=1+1 written by a worker"}
    assert mill.values("home") == {"policy": "no"}
    assert mill.answer("supply", "inputs").note == "Mostly cotton"
    assert mill.answer("home", "policy").evidence == ["none seen"]
    assert mill.answer("supply", "inputs").answered_by == "Wang Fang (Line supervisor)"
    dye = load_assessment(tmp_path / "out" / files[0])
    assert dye.values("supply") == {"in-region": "no"} and dye.values("home") == {"grievance": "yes"}
    assert dye.answer("home", "grievance").answered_by == "Li Na"
    again = ddcheck_here("answers", "import", "subs.csv", "-o", "out", "--organisation", "Acme", "--assessor", "Jane")
    assert again.exit_code == 0 and again.stdout.count("0 new, 0 changed") == 2  # the same export, imported twice
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == files


def test_per_subject_merges_later_submissions_with_history(ddcheck_here, tmp_path):
    form = export_form(ddcheck_here, tmp_path)
    later = {**FIRST, "respondent_name": "Chen Jie", "respondent_role": "", "supply__mapped": "yes",
             "_when": "2025-04-01T09:00:00.000Z"}
    (tmp_path / "subs.csv").write_text(submissions_csv(form, [later, FIRST]), encoding="utf-8")
    result = ddcheck_here("answers", "import", "subs.csv", "-o", "out", "--per", "subject", "--organisation", "Acme",
                "--assessor", "Jane")
    assert result.exit_code == 0, result.output
    assert "--subject" not in result.stderr and "--date" not in result.stderr  # neither was typed
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["mill-7.yaml"]
    mapped = load_assessment(tmp_path / "out" / "mill-7.yaml").answer("supply", "mapped")
    assert (mapped.value, mapped.answered_by) == ("yes", "Chen Jie")  # the later interview wins ...
    assert [(h.value, h.answered_by) for h in mapped.history] == [("partial", "Wang Fang (Line supervisor)")]


def test_invalid_submissions_are_located_and_nothing_is_written(ddcheck_here, tmp_path):
    form = export_form(ddcheck_here, tmp_path)
    bad = {**FIRST, "supply__workers": "-4", "supply__mapped": "mostly"}
    nameless = {**FIRST, "respondent_name": ""}
    text = submissions_csv(form, [FIRST, bad, nameless])
    (tmp_path / "subs.csv").write_text(text, encoding="utf-8")
    result = ddcheck_here("answers", "import", "subs.csv", "-o", "out", "--organisation", "Acme", "--assessor", "Jane")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    lines_of = text.splitlines()
    header = lines_of[0].split(",")

    def col(line: int, name: str) -> int:  # 1-based column where the field starts on that line (no quotes here)
        index = next(i for i, h in enumerate(header) if h == name or h.endswith("-" + name))
        return len(",".join(lines_of[line - 1].split(",")[:index])) + 2

    assert f"subs.csv:3:{col(3, 'supply__workers')}: supply/workers: -4 is below the smallest accepted value, 0" in lines
    assert f"subs.csv:3:{col(3, 'supply__mapped')}: supply/mapped: 'mostly' is not one of the answers " \
           "(yes, partial, no, unknown, na)" in lines
    assert f"subs.csv:4:{col(4, 'respondent_name')}: the respondent's name is empty (every answer needs its source)" \
           in lines
    assert lines[-1] == "error: 3 problem(s); nothing was imported."
    assert not (tmp_path / "out").exists()


def test_submissions_from_another_form_version_are_refused(ddcheck_here, tmp_path):
    form = export_form(ddcheck_here, tmp_path)
    text = submissions_csv(form, [FIRST])
    supply = tmp_path / "lists" / "supply.yaml"
    supply.write_text(supply.read_text().replace("How many workers do you employ?", "How many workers?"))
    (tmp_path / "subs.csv").write_text(text, encoding="utf-8")
    result = ddcheck_here("answers", "import", "subs.csv", "-o", "out", "--organisation", "Acme", "--assessor", "Jane")
    assert result.exit_code == 1
    assert "subs.csv:2:" in result.stderr and "made with another version of the form" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_yaml_output_for_submissions_is_refused(ddcheck_here, tmp_path):
    form = export_form(ddcheck_here, tmp_path)
    (tmp_path / "subs.csv").write_text(submissions_csv(form, [FIRST]), encoding="utf-8")
    result = ddcheck_here("answers", "import", "subs.csv", "-o", "one.yaml", "--organisation", "Acme", "--assessor", "Jane")
    assert result.exit_code == 2 and "give a folder with -o" in result.stderr


def test_ids_that_map_onto_one_field_name_get_distinct_names_and_answers_land_on_their_question(
        invoke, tmp_path, monkeypatch, clean_env):
    """'policy-note' named its field like the note of 'policy': pyxform refused the form ODK would run."""
    from conftest import GOOD

    monkeypatch.chdir(tmp_path)
    (tmp_path / "lists").mkdir()
    text = (GOOD / "mini.yaml").read_text(encoding="utf-8").replace("id: mini", "id: clash", 1)
    (tmp_path / "lists" / "clash.yaml").write_text(text.replace("      - id: notes\n", "      - id: policy-note\n"),
                                                  encoding="utf-8")
    run = lambda *args: invoke("--checklists", str(tmp_path / "lists"), *args)  # noqa: E731
    assert run("export", "xlsform", "clash", "-o", "form.xlsx").exit_code == 0
    convert(xlsform=str(tmp_path / "form.xlsx"), warnings=[])  # raised on the duplicate name before
    names = [r["name"] for r in survey_rows(tmp_path / "form.xlsx") if r["name"]]
    assert len(names) == len(set(names))
    assert "clash__policy_note" in names and "clash__policy_note_2" in names
    submission = {"respondent_name": "Wang Fang", "subject": "Mill 7", "clash__sources_from_region": "yes",
                  "clash__policy": "yes", "clash__policy_note": "Signed by the board",
                  "clash__policy_note_2": "Free text of the text question"}
    (tmp_path / "subs.csv").write_text(submissions_csv(tmp_path / "form.xlsx", [submission]), encoding="utf-8")
    result = run("answers", "import", "subs.csv", "-o", "out", "--organisation", "Acme", "--assessor", "Jane")
    assert result.exit_code == 0, result.output
    (imported,) = (tmp_path / "out").iterdir()
    a = load_assessment(imported)
    assert a.answer("clash", "policy").note == "Signed by the board"
    assert a.values("clash")["policy-note"] == "Free text of the text question"


@pytest.mark.parametrize("text, literal", [
    ("yes", "'yes'"), ("don't", '"don\'t"'), ('say "no"', "'say \"no\"'"),
    ("it's \"done\"", "concat('it', \"'\", 's \"done\"')"),  # both quotes: was '"it's done"', another value
])
def test_a_text_condition_value_is_an_exact_xpath_literal(text, literal):
    from ddcheck.exchange.xlsform_export import _literal

    assert _literal(text) == literal
