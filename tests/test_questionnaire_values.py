"""What the questionnaire and the import accept as answers, and what they say when they refuse."""

from __future__ import annotations

import pytest
from conftest import GOOD

from ddcheck.answers.values import InvalidValue, display_value, parse_value, split_list
from ddcheck.checklists.library import collect
from ddcheck.resources import bundled


@pytest.fixture(scope="module")
def mini():
    lib, problems = collect(dirs=[bundled("checklists"), GOOD], paths=[GOOD / "mini.yaml"])
    assert not problems, problems
    return lib.checklists["mini"].checklist


def value(checklist, qid, raw):
    return parse_value(checklist, checklist.question(qid), raw)


def refused(checklist, qid, raw) -> str:
    with pytest.raises(InvalidValue) as info:
        value(checklist, qid, raw)
    return str(info.value)


def test_choices_are_stored_as_scale_values_whatever_the_case_or_label(mini):
    assert value(mini, "mapped", "partial") == "partial"
    assert value(mini, "mapped", "Partly") == "partial"  # the label, as a spreadsheet user writes it
    assert value(mini, "policy", "YES") == "yes"
    assert value(mini, "policy", "?") == "unknown"


def test_a_value_outside_the_scale_names_the_accepted_ones_and_a_near_miss(mini):
    message = refused(mini, "mapped", "parital")
    assert message == "'parital' is not one of the answers (yes, partial, no, unknown, na); did you mean 'partial'?"


def test_numbers_respect_min_and_refuse_ambiguous_separators(mini):
    assert value(mini, "headcount", "1 200") == 1200.0
    assert value(mini, "headcount", 12) == 12.0
    assert refused(mini, "headcount", "-1") == "-1 is below the smallest accepted value, 0"
    assert "without commas" in refused(mini, "headcount", "1,5")
    assert refused(mini, "headcount", "nan") == "write a finite number"
    assert value(mini, "headcount", "unknown") == "unknown"


def test_dates_must_be_real_iso_days(mini):
    assert value(mini, "audit-date", "2024-02-29") == "2024-02-29"
    assert "not a day of the calendar" in refused(mini, "audit-date", "2023-02-29")
    assert "YYYY-MM-DD" in refused(mini, "audit-date", "20240229")


def test_empty_and_boolean_values_are_refused_with_a_way_out(mini):
    assert "write ? or 'unknown'" in refused(mini, "notes", "  ")
    assert "quote it" in refused(mini, "policy", True)


def test_lists_and_display(mini):
    assert split_list("a.pdf; https://x.org/y;; b") == ["a.pdf", "https://x.org/y", "b"]
    q = mini.question("mapped")
    assert display_value(mini, q, "partial") == "Partly"
    assert display_value(mini, mini.question("headcount"), 1200.0) == "1200"
