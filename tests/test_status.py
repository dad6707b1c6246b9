"""``ddcheck status``: progress per checklist and section, and checklists changed since answered."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import GOOD


@pytest.fixture
def folder(tmp_path, monkeypatch, clean_env):
    """A private copy of the mini checklist (so tests may edit it) and an assessment of it."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "lists").mkdir()
    shutil.copy(GOOD / "mini.yaml", tmp_path / "lists" / "mini.yaml")
    (tmp_path / "answers.csv").write_text(
        "checklist,question,value\n"
        "mini,sources-from-region,no\n"  # so 'mapped' is out of scope
        "mini,policy,unknown\n"
        "mini,notes,Visited twice\n", encoding="utf-8")
    return tmp_path


def cli(invoke, *args):
    return invoke("--checklists", "lists", *args)


@pytest.fixture
def assessed(folder, invoke):
    result = cli(invoke, "answers", "import", "answers.csv", "-o", "acme.yaml", "--organisation", "Acme",
                 "--subject", "Supplier X", "--assessor", "Jane", "--date", "2024-05-01")
    assert result.exit_code == 0, result.output
    return folder


def test_status_counts_answered_gaps_and_out_of_scope_per_section(assessed, invoke):
    result = cli(invoke, "status", "acme.yaml")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "acme.yaml: Acme · subject: Supplier X · assessor: Jane · 2024-05-01"
    # headcount (number) and audit-date (date) are unanswered information questions: open, but not
    # gaps, exactly as `ddcheck score` counts them (they used to be counted as gaps here only).
    assert ("Minimal checklist for tests (mini v1.0.0): 3/5 answered · 1 gap(s) "
            "(1 don't know) · 2 information question(s) open · 1 out of scope") in lines
    assert "  Exposure  1/1 answered · 1 out of scope" in lines
    assert "  Other     2/4 answered · 1 gap(s) (1 don't know) · 2 information question(s) open" in lines
    assert lines[-1] == "Continue with: ddcheck --checklists lists assess -o acme.yaml"


def test_status_json_for_scripts(assessed, invoke):
    data = json.loads(cli(invoke, "status", "acme.yaml", "--json").stdout)
    assert data["totals"] == {"total": 6, "relevant": 5, "answered": 3, "gaps": 1, "unknown": 1, "skipped": 0,
                              "unanswered": 0, "off_scale": 0, "na_unjustified": 0, "to_confirm": 0, "info_open": 2, "pending": 2,
                              "out_of_scope": 1}
    sections = {s["id"]: s["counts"] for s in data["checklists"][0]["sections"]}
    assert sections["exposure"]["out_of_scope"] == 1
    assert data["checklists"][0]["changes"] is None


def test_status_reports_a_checklist_changed_since_it_was_answered(assessed, invoke):
    path = assessed / "lists" / "mini.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("version: 1.0.0", "version: 1.1.0")
    text = text.replace("text: Do you have a policy?", "text: Do you have a published policy?")
    start = text.index("      - id: notes")
    end = text.index("      - id: audit-date")
    path.write_text(text[:start] + text[end:], encoding="utf-8")

    result = cli(invoke, "status", "acme.yaml")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Checklist 'mini' changed since it was answered (v1.0.0 -> v1.1.0):" in out
    assert ("  changed 2.1: “Do you have a policy?” → “Do you have a published policy?”; confirm the answer "
            "'Don't know' (asked first)") in out
    assert "  removed: notes — its answer 'Visited twice' is kept in the file but no longer counted" in out
    data = json.loads(cli(invoke, "status", "acme.yaml", "--json").stdout)
    assert data["checklists"][0]["changes"]["removed"] == ["notes"]
    assert data["totals"]["to_confirm"] == 1


def test_status_of_a_broken_file_says_where(folder, invoke):
    (folder / "acme.yaml").write_text("ddcheck: 1\nmeta: {organisation: Acme}\nchecklists: []\n", encoding="utf-8")
    result = cli(invoke, "status", "acme.yaml")
    assert result.exit_code == 2  # was 1: a broken assessment file is broken input (exit 2)
    assert "acme.yaml:2:7: missing required key 'subject'" in result.stderr
