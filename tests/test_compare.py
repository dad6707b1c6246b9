"""``compare``: what changed between two assessments of one subject (answers, scores, ratings, flags)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest
from scoring_support import WEIGHTED_YAML, assessment, checklists, sources, write

from conftest import DDCHECK, GOOD, ROOT
from ddcheck.findings.comparison import compare_assessments
from ddcheck.findings.model import Rating, Status

# OLD: mini 1.1 "don't know" (gap, red flag), 1.2 partly, 2.1 unanswered -> (6+2+3)/12 -> 8.3 critical
#      weighted all yes but passports (red flag) -> 4.5/15 -> 70.0, raised to high
#      pooled (11+4.5)/(12+15) = 15.5/27 -> 100 × 11.5/27 = 42.59… -> 42.6; rating: the worse checklist, critical
OLD = {"mini": {"sources-from-region": "unknown", "mapped": "partial", "headcount": 40.0, "retired": "x"},
       "weighted": {"commitment": "yes", "published": "yes", "indicators": ["passports", "fees"],
                    "grievance": "yes"}}
# NEW: mini 1.1 no (1.2 out of scope: met, 0 of 3), 2.1 yes -> 0/12 -> 100.0 low
#      weighted published no (new red flag: 0.5×3 = 1.5), passports still there (4.5), grievance no (3)
#      -> 9/15 -> 40.0 high; pooled 9/27 -> 66.7; rating high (weighted)
NEW = {"mini": {"sources-from-region": "no", "policy": "yes", "headcount": 40.0, "retired": "y"},
       "weighted": {"commitment": "yes", "published": "no", "indicators": ["fees", "passports"],
                    "grievance": "no"}}


def compare(old=OLD, new=NEW, **kwargs):
    return compare_assessments(assessment(old, date=dt.date(2024, 3, 1)), assessment(new, **kwargs),
                               checklists(), sources())


def test_scores_and_ratings_change_overall_per_checklist_and_section():
    c = compare()
    assert (c.overall.old_score, c.overall.new_score, c.overall.delta) == (42.6, 66.7, 24.1)
    assert (c.overall.old_rating, c.overall.new_rating) == (Rating.critical, Rating.high)
    mini, weighted = c.checklists
    assert (mini.old_score, mini.new_score, mini.delta, mini.old_rating, mini.new_rating) == (
        8.3, 100.0, 91.7, Rating.critical, Rating.low)
    # mini sections: exposure (6+2)/9 -> 11.1 then 0/9 -> 100.0; other 3/3 -> 0.0 then 0/3 -> 100.0
    assert [(s.id, s.old_score, s.new_score, s.delta) for s in mini.sections] == [
        ("exposure", 11.1, 100.0, 88.9), ("other", 0.0, 100.0, 100.0)]
    # weighted sections: policy 0/7.5 -> 100.0 then 1.5/7.5 -> 80.0; practice 4.5/7.5 -> 40.0 then 7.5/7.5 -> 0.0
    assert [(s.old_score, s.new_score, s.delta) for s in weighted.sections] == [(100.0, 80.0, -20.0), (40.0, 0.0, -40.0)]
    assert (c.gaps_old, c.gaps_new) == (2, 0)


def test_red_flags_raised_and_cleared():
    c = compare()
    assert [(f.checklist_id, f.question_id, f.answer) for f in c.red_flags_raised] == [("weighted", "published", "No")]
    assert [(f.checklist_id, f.question_id, f.answer) for f in c.red_flags_cleared] == [
        ("mini", "sources-from-region", "Don't know")]  # passports, flagged in both, is neither


def test_answers_changed_added_and_removed_including_orphans_but_not_reordered_choices():
    c = compare()
    assert [(a.checklist_id, a.question_id, a.change, a.old_answer, a.new_answer) for a in c.answers] == [
        ("mini", "sources-from-region", "changed", "Don't know", "No"),
        ("mini", "mapped", "removed", "Partly", ""),
        ("mini", "policy", "added", "", "Yes"),
        ("mini", "retired", "changed", "x", "y"),  # a question the checklist no longer has
        ("weighted", "published", "changed", "Yes", "No"),
        ("weighted", "grievance", "changed", "Yes", "No"),
    ]
    mapped = c.answers[1]
    assert (mapped.old_status, mapped.new_status) == (Status.answered, Status.out_of_scope)
    assert c.answers[3].number == "" and c.answers[3].old_status is None


def test_identical_assessments_show_no_change():
    c = compare(OLD, OLD, date=dt.date(2024, 3, 1))
    assert c.answers == () and c.red_flags_raised == () and c.red_flags_cleared == ()
    assert c.overall.delta == 0.0 and all(ch.delta == 0.0 for ch in c.checklists)
    assert c.warnings == ()


def test_a_checklist_answered_in_only_one_shows_as_added_without_answer_lines():
    c = compare({"mini": OLD["mini"]}, NEW)
    weighted = c.checklists[1]
    assert (weighted.presence, weighted.old_score, weighted.new_score, weighted.delta) == ("added", None, 40.0, None)
    assert {a.checklist_id for a in c.answers} == {"mini"}


def test_different_subjects_and_backwards_dates_are_warned_about():
    c = compare(subject="Supplier Y", date=dt.date(2023, 1, 1))
    assert c.warnings == (
        "the assessments are of different subjects: 'Acme Textiles / Supplier X' and 'Acme Textiles / Supplier Y'",
        "NEW is dated 2023-01-01, before OLD (2024-03-01): the changes read backwards in time; "
        "swap the files if that is not meant")


@pytest.fixture
def files(tmp_path: Path) -> tuple[list[str], Path, Path]:
    extra = tmp_path / "checklists"
    extra.mkdir()
    (extra / "weighted.yaml").write_text(WEIGHTED_YAML, encoding="utf-8")
    old = write(tmp_path / "2024.yaml", OLD, date=dt.date(2024, 3, 1))
    new = write(tmp_path / "2025.yaml", NEW)
    return ["--checklists", str(GOOD), "--checklists", str(extra)], old, new


def test_compare_prints_what_changed(invoke, clean_env, files):
    folders, old, new = files
    result = invoke(*folders, "compare", str(old), str(new))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:2] == ["Supplier X — Acme Textiles",
                         "OLD: 2024-03-01 by Ana Analyst    NEW: 2025-03-01 by Ana Analyst"]
    assert [line.split() for line in lines if line.startswith("Overall")] == [
        ["Overall", "42.6", "critical", "→", "66.7", "high", "+24.1"]]
    assert "Red flags raised (1)\n  weighted 1.2  Is the commitment published?: No" in result.stdout
    assert "Red flags cleared (1)\n  mini 1.1  Do any of your products contain inputs from the region?: Don't know" \
        in result.stdout
    assert "  mini 1.1  Do any of your products contain inputs from the region?: Don't know → No" in result.stdout
    assert "Answers added (1)\n  mini 2.1  Do you have a policy?: Yes" in result.stdout
    assert "Answers removed (1)\n  mini 1.2  Have you mapped every tier?: Partly" in result.stdout
    assert lines[-1] == "Gaps: 2 → 0"
    assert result.stderr == ""


def test_compare_json_and_warnings_on_stderr(invoke, clean_env, files, tmp_path):
    folders, old, _ = files
    other = write(tmp_path / "other.yaml", NEW, subject="Supplier Y")
    result = invoke(*folders, "compare", str(old), str(other), "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["overall"]["delta"] == 24.1 and data["overall"]["new_rating"] == "high"
    assert [f["question_id"] for f in data["red_flags_raised"]] == ["published"]
    assert len(data["answers"]) == 6
    assert result.stderr.startswith("warning: the assessments are of different subjects")


def test_compare_as_a_real_program(clean_env, files):
    folders, old, new = files
    result = subprocess.run([*DDCHECK, *folders, "compare", str(old), str(new), "--json"], capture_output=True,
                            text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["checklists"][0]["new_rating"] == "low"


def test_what_changed_is_split_into_scope_checklists_and_a_like_for_like_score():
    c = compare()
    # 1.1 "don't know" -> "no": 1.2 leaves scope (its answer "Partly" is kept but no longer counts)
    assert [(m.checklist_id, m.question_id, m.old_status, m.new_status) for m in c.scope_left] == [
        ("mini", "mapped", Status.answered, Status.out_of_scope)]
    assert c.scope_entered == ()
    # like for like: only control questions counted in both. mini: 1.1 gap 6/6 -> 0/6, 2.1 gap 3/3 -> 0/3
    # -> 0.0 -> 100.0; weighted: all four -> 70.0 -> 40.0; overall (9+4.5)/24 -> 43.8, 9/24 -> 62.5
    assert [(x.id, x.old_score, x.new_score, x.delta, x.questions) for x in c.like_for_like] == [
        ("overall", 43.8, 62.5, 18.7, 6), ("mini", 0.0, 100.0, 100.0, 2), ("weighted", 70.0, 40.0, -30.0, 4)]
    assert (c.overall.old_coverage, c.overall.new_coverage) == (0.714, 1.0)  # 5 of 7, then 6 of 6


def test_checklists_added_and_removed_are_named():
    c = compare({"mini": OLD["mini"]}, {"weighted": NEW["weighted"]})
    assert (c.checklists_added, c.checklists_removed) == (("weighted",), ("mini",))
    assert [x.id for x in c.like_for_like] == ["overall"] and c.like_for_like[0].questions == 0


def test_compare_text_shows_scope_changes_and_the_like_for_like_score(invoke, clean_env, files):
    folders, old, new = files
    out = invoke(*folders, "compare", str(old), str(new)).stdout
    assert "Questions that left scope (1)\n  mini 1.2  Have you mapped every tier?" in out
    assert "Questions that entered scope (0): none" in out
    like = out[out.index("Like for like"):].splitlines()[1].split()
    assert like == ["overall", "43.8", "→", "62.5", "+18.7", "(6", "questions)"]
