"""Re-assessment dates: the checklist's validity, shortened for high and critical ratings."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from conftest import GOOD
from ddcheck.findings.model import Rating
from ddcheck.findings.reassessment import DEFAULT_VALID_MONTHS, add_months, valid_months

LOW = "checklist,question,value\nmini,sources-from-region,no\nmini,policy,yes\n"
CRITICAL = "checklist,question,value\nmini,sources-from-region,yes\nmini,mapped,no\nmini,policy,no\n"


@pytest.fixture
def folder(tmp_path, clean_env):
    """The test checklist 'mini', stating that its assessments stay valid for 12 months."""
    checklists = tmp_path / "checklists"
    checklists.mkdir()
    text = (GOOD / "mini.yaml").read_text(encoding="utf-8")
    (checklists / "mini.yaml").write_text(text.replace("applies_to: [tests]\n",
                                                       "applies_to: [tests]\nvalid_for_months: 12\n"),
                                          encoding="utf-8")
    return checklists


def assessed(invoke, folder, tmp_path, name, rows, date):
    csv = tmp_path / f"{name}.csv"
    csv.write_text(rows, encoding="utf-8")
    out = tmp_path / f"{name}.yaml"
    result = invoke("--checklists", str(folder), "answers", "import", str(csv), "-o", str(out),
                    "--organisation", "Acme", "--subject", name, "--assessor", "A. Analyst", "--date", date)
    assert result.exit_code == 0, result.output
    return out


def due_of(invoke, folder, path, command, as_of):
    result = invoke("--checklists", str(folder), command, str(path), "--json", "--as-of", as_of)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["reassessment"]


def test_months_are_calendar_months_and_month_ends_stay_in_their_month():
    assert add_months(dt.date(2025, 1, 31), 1) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2025, 11, 15), 3) == dt.date(2026, 2, 15)


def test_the_default_rule_halves_for_high_and_quarters_for_critical():
    assert valid_months(None, Rating.low) == valid_months(None, Rating.medium) == DEFAULT_VALID_MONTHS == 24
    assert valid_months(None, Rating.high) == 12 and valid_months(None, Rating.critical) == 6
    assert valid_months(12, Rating.high) == 6 and valid_months(12, Rating.critical) == 3
    assert valid_months(1, Rating.critical) == 1 and valid_months(12, None) == 12


def test_a_low_rating_keeps_the_checklists_stated_validity(invoke, folder, tmp_path):
    path = assessed(invoke, folder, tmp_path, "low", LOW, "2025-01-15")
    current = due_of(invoke, folder, path, "score", "2025-06-01")
    assert (current["due"], current["status"]) == ("2026-01-15", "current")
    assert current["basis"] == [{"checklist_id": "mini", "rating": "low", "months": 12, "stated_months": 12,
                                 "due": "2026-01-15"}]
    soon = due_of(invoke, folder, path, "status", "2025-12-20")
    assert (soon["status"], soon["days_left"]) == ("due", 26)
    late = due_of(invoke, folder, path, "score", "2026-01-16")
    assert (late["status"], late["days_left"]) == ("overdue", -1)
    text = invoke("--checklists", str(folder), "score", str(path), "--as-of", "2026-01-16").stdout
    assert "Re-assessment overdue since 2026-01-15 (1 days)" in text
    text = invoke("--checklists", str(folder), "status", str(path), "--as-of", "2025-12-20").stdout
    assert "Re-assessment due on 2026-01-15 (in 26 days)" in text


def test_a_critical_rating_is_due_after_a_quarter_of_the_validity(invoke, folder, tmp_path):
    path = assessed(invoke, folder, tmp_path, "critical", CRITICAL, "2025-01-15")
    due = due_of(invoke, folder, path, "score", "2025-05-01")
    assert (due["due"], due["status"], due["basis"][0]["rating"], due["basis"][0]["months"]) == \
        ("2025-04-15", "overdue", "critical", 3)


def test_a_checklist_without_the_key_uses_the_default(invoke, tmp_path, clean_env):
    path = assessed(invoke, GOOD, tmp_path, "plain", LOW, "2025-01-15")
    assert due_of(invoke, GOOD, path, "score", "2025-02-01")["due"] == "2027-01-15"


def test_a_validity_outside_1_to_120_months_is_a_located_error(invoke, folder):
    text = (folder / "mini.yaml").read_text(encoding="utf-8").replace("valid_for_months: 12", "valid_for_months: 0")
    (folder / "mini.yaml").write_text(text, encoding="utf-8")
    result = invoke("checklists", "validate", str(folder / "mini.yaml"))
    assert result.exit_code == 1
    assert "mini.yaml:6:" in result.output and "valid_for_months" in result.output


def test_a_bad_as_of_date_is_bad_input(invoke, folder, tmp_path):
    path = assessed(invoke, folder, tmp_path, "low", LOW, "2025-01-15")
    result = invoke("--checklists", str(folder), "score", str(path), "--as-of", "15.01.2025")
    assert result.exit_code == 2 and "--as-of '15.01.2025': not a date" in result.stderr
