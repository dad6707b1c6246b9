"""A checklist that changed after it was answered: reported, never silently applied or dropped."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import GOOD

from ddcheck.answers import progress
from ddcheck.answers.assessing import new_assessment, reconcile
from ddcheck.answers.assessment import Meta, answer_with
from ddcheck.answers.changes import adopt, compare, describe
from ddcheck.checklists.model import Checklist
from ddcheck.checklists.library import collect
from ddcheck.resources import bundled


@pytest.fixture(scope="module")
def library():
    lib, problems = collect(dirs=[bundled("checklists"), GOOD], paths=[GOOD / "mini.yaml"])
    assert not problems, problems
    return lib


def edited(checklist: Checklist) -> Checklist:
    """Version 1.1.0: 'notes' removed, 'policy' reworded, 'mapped' loses 'partial', 'supplier-count' added."""
    data = checklist.model_dump(mode="json", by_alias=True, exclude_none=True)
    data["version"] = "1.1.0"
    data["scales"]["assurance"] = [c for c in data["scales"]["assurance"] if c["value"] != "partial"]
    data["sections"][0]["questions"][1]["actions"].pop("partial")
    other = data["sections"][1]["questions"]
    other[0]["text"] = "Do you have a published human-rights policy?"
    data["sections"][1]["questions"] = [q for q in other if q["id"] != "notes"] + [
        {**other[1], "id": "supplier-count", "text": "How many suppliers?"}]
    return Checklist.model_validate(data)


def answered(checklist: Checklist):
    a = new_assessment(Meta(organisation="Acme", subject="X", assessor="Jane", date=dt.date(2024, 5, 1)),
                       [checklist])
    for qid, value in (("sources-from-region", "yes"), ("mapped", "partial"), ("policy", "yes"),
                       ("notes", "Supplier visited twice")):
        a.set_answer("mini", qid, answer_with(None, value, None, [], by="Jane"))
    return a


def test_compare_names_added_removed_and_changed_questions(library):
    old = library.checklists["mini"].checklist
    a = answered(old)
    changes = compare(a.checklists[0], edited(old), a)
    assert changes.added == ("supplier-count",)
    assert changes.removed == ("notes",)
    assert set(changes.changed) == {"mapped", "policy"}
    assert changes.kept_answers == ("notes",)
    assert changes.invalid_answers == ("mapped",)
    assert (changes.old_version, changes.new_version) == ("1.0.0", "1.1.0")


def test_the_report_says_what_happens_to_each_answer(library):
    old = library.checklists["mini"].checklist
    a = answered(old)
    lines = describe(compare(a.checklists[0], edited(old), a))
    text = "\n".join(lines)
    assert lines[0] == "Checklist 'mini' changed since it was answered (v1.0.0 -> v1.1.0):"
    assert "added: 2.4 (to be answered)" in text  # by number, as the questionnaire shows it
    assert "removed: notes — its answer 'Supplier visited twice' is kept in the file but no longer counted" in text
    # these answers were stored without the wording they answered (as files written before it was kept)
    assert ("changed 2.1: “Do you have a published human-rights policy?” (the earlier wording was not recorded); confirm the "
            "answer 'Yes' (asked first)") in text
    assert "changed 1.2: " in text and "the answer 'partial' is no longer a valid choice: asked again first" in text


def test_unchanged_checklist_reports_nothing(library):
    old = library.checklists["mini"].checklist
    a = answered(old)
    assert describe(compare(a.checklists[0], old, a)) == []


def test_adopting_keeps_removed_answers_and_leaves_changed_answers_to_confirm(library):
    old = library.checklists["mini"].checklist
    new = edited(old)
    a = answered(old)
    a.checklists = [adopt(a.checklists[0], new, a)]
    assert a.checklists[0].version == "1.1.0"
    assert a.answer("mini", "notes").value == "Supplier visited twice"  # never dropped
    found = progress.states(progress.items([new]), a)
    assert found["mini", "policy"] is progress.State.to_confirm
    assert found["mini", "mapped"] is progress.State.to_confirm
    assert found["mini", "supplier-count"] is progress.State.unanswered
    # what still needs attention is reported again next time; what was only news is not
    again = compare(a.checklists[0], new, a)
    assert again.added == () and set(again.changed) == {"mapped", "policy"} and again.kept_answers == ("notes",)


def test_a_checklist_no_longer_in_view_is_refused_with_a_hint(library, tmp_path):
    old = library.checklists["mini"].checklist
    a = answered(old)
    a.checklists[0] = a.checklists[0].model_copy(update={"id": "mini-gone"})
    from ddcheck.errors import InputError

    with pytest.raises(InputError, match="answered against checklist 'mini-gone', which is not in view"):
        reconcile(a, library, [], tmp_path / "a.yaml")
