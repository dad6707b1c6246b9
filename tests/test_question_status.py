"""One classifier for status and score: the same gaps, the same scope, the same words for answers."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import GOOD

from ddcheck.answers import progress
from ddcheck.answers.values import display_value, plain_value
from ddcheck.answers.assessing import new_assessment
from ddcheck.answers.assessment import Meta, answer_with
from ddcheck.commands.findings_text import findings_lines
from ddcheck.checklists.library import collect
from ddcheck.resources import bundled
from ddcheck.findings.scoring import score_assessment

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.yaml"))


def gap_counts(invoke, *args: str) -> tuple[dict[str, int], dict[str, int]]:
    """Gaps per checklist as ``status --json`` and ``score --json`` report them."""
    status = json.loads(invoke(*args[:-1], "status", args[-1], "--json").stdout)
    score = json.loads(invoke(*args[:-1], "score", args[-1], "--json").stdout)
    by_status = {c["id"]: c["counts"]["gaps"] for c in status["checklists"]}
    by_score = {c["id"]: sum(q["status"] == "gap" for s in c["sections"] for q in s["questions"])
                for c in score["checklists"]}
    return by_status, by_score


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_status_and_score_count_the_same_gaps_for_the_examples(example, invoke, clean_env):
    by_status, by_score = gap_counts(invoke, str(example))
    assert by_status == by_score and by_status


@pytest.fixture(scope="module")
def mini():
    lib, problems = collect(dirs=[bundled("checklists"), GOOD], paths=[GOOD / "mini.yaml"])
    assert not problems, problems
    return lib.checklists["mini"].checklist


def hand_made(mini):
    """Unanswered number/date questions, a blank multi-like answer and a value off the scale."""
    meta = Meta(organisation="Acme", subject="X", assessor="Jane", date=dt.date(2024, 5, 1))
    a = new_assessment(meta, [mini])
    a.set_answer("mini", "sources-from-region", answer_with(None, "yes", None, [], by="Jane"))
    a.set_answer("mini", "mapped", answer_with(None, "maybe", None, [], by="Jane"))
    a.set_answer("mini", "notes", answer_with(None, "unknown", None, [], by="Jane"))
    a.skipped["mini"] = ["audit-date"]
    return a


def test_status_and_score_count_the_same_gaps_for_a_hand_made_assessment(mini):
    a = hand_made(mini)
    standings = progress.standings(progress.items([mini]), a)
    counts = progress.count(standings.values())
    findings = score_assessment(a, {"mini": mini}, {})
    assert counts.gaps == len(findings.gaps) == 2  # mapped (off the scale), policy (unanswered)
    assert (counts.off_scale, counts.unanswered) == (1, 1)
    assert counts.info_open == 3  # headcount unanswered, notes "don't know", audit-date skipped
    assert progress.summary([mini], a) == counts


def test_a_dont_know_date_reads_the_same_in_the_questionnaire_and_the_score(mini):
    a = hand_made(mini)
    a.set_answer("mini", "audit-date", answer_with(None, "unknown", None, [], by="Jane"))
    findings = score_assessment(a, {"mini": mini}, {})
    q = next(q for c in findings.checklists for s in c.sections for q in s.questions
             if q.question_id == "audit-date")
    assert q.answer == display_value(mini, mini.question("audit-date"), "unknown") == "Don't know"


def test_numbers_are_shown_exactly():
    assert plain_value(1234567.0) == "1234567"
    assert plain_value(2.5) == "2.5"
    assert plain_value(0.1 + 0.2) == repr(0.1 + 0.2)


def test_orphan_lists_read_as_text_not_python(mini):
    a = hand_made(mini)
    a.answers.setdefault("mini", {})["retired"] = answer_with(None, ["a", "b"], None, [], by="Jane")
    findings = score_assessment(a, {"mini": mini}, {})
    assert findings.orphans[0].answer == "a; b"
    assert "  mini retired: a; b" in list(findings_lines(a.meta, findings))


def test_items_number_questions_as_scoring_does(mini):
    a = hand_made(mini)
    findings = score_assessment(a, {"mini": mini}, {})
    scored = [q.number for c in findings.checklists for s in c.sections for q in s.questions]
    assert [i.number for i in progress.items([mini])] == scored == ["1.1", "1.2", "2.1", "2.2", "2.3", "2.4"]
