"""Scoring: hand-computed scores for small assessments, then properties over many assessments.

Every expected score is worked out in a comment as an auditor would: risk total / maximum, with
each question's weight × risk. mini: 1.1 sources-from-region (w 2, max 3, red flag on yes/unknown),
1.2 mapped (w 1, asked when 1.1 is yes/unknown), 2.1 policy (yes/no, w 1, asked unless 1.2 is
n/a), 2.2–2.4 information. weighted: see scoring_support.WEIGHTED_YAML. Both have only control
questions, so they are rated on the matrix's medium-exposure row (the plain controls bands); a
control question out of scope counts as met (0 of its maximum), and a gap reads as "unknown" for
conditions. The exposure side is tested in test_risk_model.py.
"""

from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scoring_support import Noted, assessment, checklists, sources

from ddcheck.checklists.model import Checklist
from ddcheck.errors import InputError
from ddcheck.findings.model import Findings, OrphanAnswer, Rating, Status
from ddcheck.findings.scoring import band, score_assessment, score_of

SKIP = object()  # "skipped on purpose" in the generated assessments


def score(values: dict[str, dict[str, Any]], **kwargs: Any) -> Findings:
    return score_assessment(assessment(values, **kwargs), checklists(), sources())


def question(f: Findings, question_id: str):
    return next(q for c in f.checklists for s in c.sections for q in s.questions if q.question_id == question_id)


def section_scores(f: Findings, checklist: int = 0) -> list[float | None]:
    return [s.score for s in f.checklists[checklist].sections]


# --- hand-computed scores -------------------------------------------------------------------------


def test_best_answers_score_100_with_a_low_rating_and_nothing_to_do():
    f = score({"mini": {"sources-from-region": "no", "policy": "yes", "headcount": 120.0,
                        "notes": "None.", "audit-date": "2024-11-02"}})
    # 1.1: 2×0 of 2×3; 1.2 out of scope (1.1 is "no"), counted as met: 0 of 1×3; 2.1: 1×0 of 1×3 -> 0 / 12 -> 100
    assert f.overall.score == 100.0 and f.overall.rating is Rating.low
    assert f.checklists[0].reasons == (
        "No exposure question in this checklist, so the medium-exposure row applies; controls score 100.0 is strong (85–100); the exposure × controls matrix gives low.",
        "Coverage 2 of 2 in-scope questions answered.")
    assert f.overall.reasons == ("The overall rating is the most severe checklist rating: low, from mini.",
                                 "mini: " + f.checklists[0].reasons[0])
    assert section_scores(f) == [100.0, 100.0]
    assert (f.red_flags, f.gaps, f.actions) == ((), (), ())
    assert (f.counts.answered, f.counts.gaps, f.counts.info, f.counts.out_of_scope) == (2, 0, 3, 1)


def test_an_empty_assessment_counts_every_relevant_question_at_the_highest_risk():
    f = score({"mini": {}})
    # 1.1 gap: 2×3 of 2×3, and it reads as "unknown" for conditions, so 1.2 is in scope: gap 1×3 of 1×3;
    # 2.1 gap (its `when` is "not 1.2 = n/a", which holds): 1×3 of 1×3 -> 12 / 12 -> 0.0
    assert f.overall.score == 0.0 and f.overall.rating is Rating.critical
    assert (f.overall.risk_total, f.overall.risk_max) == (12.0, 12.0)
    assert [q.question_id for q in f.gaps] == ["sources-from-region", "mapped", "policy"]
    assert {q.gap_reason for q in f.gaps} == {"unanswered"}
    # unanswered counts as "don't know" for red flags too: skipping never hides one
    assert [q.question_id for q in f.red_flags] == ["sources-from-region"]
    assert f.checklists[0].reasons == (
        "No exposure question in this checklist, so the medium-exposure row applies; controls score 0.0 is poor (0–40); the exposure × controls matrix gives critical.",
        "Also red flag 1.1 “Do any of your products contain inputs from the region?” (no answer) (a red flag "
        "makes the rating at least high).",
        "Coverage 0 of 3 in-scope questions answered; 3 gaps counted at the worst (highest risk or exposure).")
    assert f.overall.coverage == 0.0 and f.checklists[0].coverage == 0.0
    assert [(a.priority, a.kind, a.action) for a in f.actions] == [
        (1, "gap", "Answer this question: Do any of your products contain inputs from the region?"),
        (2, "gap", "Answer this question: Have you mapped every tier?"),
        (3, "gap", "Answer this question: Do you have a policy?"),
    ]


def test_a_checklist_score_sums_its_questions_rather_than_averaging_its_sections():
    f = score({"mini": {"sources-from-region": "no", "policy": "no"}})
    # section 1: 0/6 + 1.2 out of scope, met, 0/3 -> 100.0; other 3/3 -> 0.0;
    # checklist (0+3)/(9+3) -> 100 × 9/12 = 75.0 (not the mean of the sections, 50)
    assert section_scores(f) == [100.0, 0.0]
    assert f.checklists[0].score == 75.0 and f.checklists[0].rating is Rating.medium
    assert f.checklists[0].reasons[0] == ("No exposure question in this checklist, so the medium-exposure row applies; controls score 75.0 is adequate (65–85); the exposure × controls "
                                          "matrix gives medium.")
    assert [(a.question_id, a.action, a.risk) for a in f.actions] == [("policy", "Write one.", 3)]


def test_dont_know_is_a_gap_at_the_highest_risk_and_can_raise_a_red_flag():
    f = score({"mini": {"sources-from-region": "unknown", "mapped": "yes", "policy": "yes"}})
    # 1.1 "unknown" is a gap: 2×3 of 6; 1.2 now in scope: 0 of 3; 2.1: 0 of 3 -> 6/12 -> 50.0 (high band)
    assert f.overall.score == 50.0 and f.overall.rating is Rating.high
    q = question(f, "sources-from-region")
    assert (q.status, q.gap_reason, q.risk, q.red_flag, q.answer) == (Status.gap, "unknown", 3, True, "Don't know")
    assert [q.question_id for q in f.red_flags] == ["sources-from-region"]
    assert f.checklists[0].reasons[1] == ("Also red flag 1.1 “Do any of your products contain inputs from the "
                                          "region?” (Don't know) (a red flag makes the rating at least high).")
    # the question's own action for "unknown", not the generic "answer this"
    assert [(a.kind, a.action) for a in f.actions] == [("gap", "Trace the inputs.")]


def test_not_applicable_is_left_out_of_both_totals():
    f = score({"weighted": {"commitment": "yes", "published": "na", "indicators": ["na"], "grievance": "no"}})
    # commitment 2×0 of 2×3; published n/a; indicators n/a (every choice n/a); grievance 1×3 of 1×3
    # -> 3 / (6+3) -> 100 × 6/9 = 66.7
    assert f.overall.score == 66.7 and f.overall.rating is Rating.medium
    assert [question(f, q).status for q in ("published", "indicators")] == [Status.na, Status.na]
    assert section_scores(f) == [100.0, 0.0]  # policy 0/6, practice 3/3
    assert f.counts.na == 2


def test_not_applicable_without_a_note_is_a_gap_that_asks_for_the_note():
    f = score({"weighted": {"commitment": "yes", "published": Noted("na", None), "indicators": ["na"],
                            "grievance": "no"}})
    # published counts as a gap: 0.5×3 of 0.5×3 -> (0 + 1.5 + 3) / (6 + 1.5 + 3) = 4.5/10.5 -> 57.1
    assert f.overall.score == 57.1
    q = question(f, "published")
    assert (q.status, q.gap_reason) == (Status.gap, "na_without_note")
    assert q.problem == "'published' is answered \"Not applicable\" without a note; add a note saying why it does not apply"
    assert "Say in a note why this does not apply, or answer it: Is the commitment published?" in [
        a.action for a in f.actions]


def test_a_follow_up_left_out_by_a_not_applicable_answer_counts_as_met():
    f = score({"weighted": {"commitment": "na", "indicators": ["none"], "grievance": "yes"}})
    # policy: commitment n/a (left out); published out of scope (asked only after yes/partial): met, 0 of 1.5
    # -> 100.0; practice: 0/4.5 + 0/3 -> 100.0
    assert section_scores(f) == [100.0, 100.0]
    assert (question(f, "published").risk, question(f, "published").max_risk) == (0, 3)
    assert f.checklists[0].score == 100.0


def test_weights_multiply_risk_and_maximum_and_order_the_actions():
    f = score({"weighted": {"commitment": "partial", "published": "partial", "indicators": ["fees"],
                            "grievance": "yes"}})
    # commitment 2×2=4 of 2×3=6; published 0.5×2=1 of 0.5×3=1.5; indicators 1.5×2=3 of 1.5×3=4.5;
    # grievance 0 of 3 -> 8 / 15 -> 100 × 7/15 = 46.666… -> 46.7 (high band)
    assert f.overall.score == 46.7 and f.overall.rating is Rating.high
    assert (f.overall.risk_total, f.overall.risk_max) == (8.0, 15.0)
    assert section_scores(f) == [33.3, 60.0]  # 5/7.5 and 3/7.5
    # all risk 2, no red flag: by weight 2, 1.5, 0.5
    assert [(a.priority, a.question_id, a.action) for a in f.actions] == [
        (1, "commitment", "Complete the commitment."),
        (2, "indicators", "Repay recruitment fees."),
        (3, "published", "Publish all of it."),
    ]


def test_a_red_flag_raises_a_medium_score_to_a_high_rating_and_says_why():
    f = score({"weighted": {"commitment": "yes", "published": "yes", "indicators": ["passports"],
                            "grievance": "yes"}})
    # only indicators carries risk: 1.5×3 = 4.5 of 15 -> 100 × 10.5/15 = 70.0 (medium band) -> raised to high
    c = f.checklists[0]
    assert c.score == 70.0 and c.rating is Rating.high
    assert c.reasons == ("Raised to high by red flag 2.1 “Which forced-labour indicators were found?” (Passports "
                         "retained); a red flag makes the rating at least high.",  # the decisive reason first
                         "No exposure question in this checklist, so the medium-exposure row applies; controls score 70.0 is adequate (65–85); the exposure × controls matrix gives medium.",
                         "Coverage 4 of 4 in-scope questions answered.")
    assert f.overall.rating is Rating.high
    assert f.overall.reasons[1] == "weighted: " + c.reasons[0]
    assert f.red_flags[0].severity == "high"
    flag = f.red_flags[0]
    assert (flag.number, flag.answer, flag.citations[0].locator) == ("2.1", "Passports retained", "para. 7")


def test_a_multi_choice_answer_counts_its_riskiest_value_and_lists_each_action():
    f = score({"weighted": {"commitment": "yes", "published": "yes", "indicators": ["fees", "passports", "none"],
                            "grievance": "no"}})
    # indicators: max(2, 3, 0) = 3 -> 1.5×3 = 4.5 of 4.5 (not 2+3); grievance 3 of 3 -> 7.5/15 -> 50.0
    assert f.overall.score == 50.0
    q = question(f, "indicators")
    assert (q.risk, q.answer) == (3, "Recruitment fees; Passports retained; None found")
    assert q.action == "Return the passports. Repay recruitment fees."
    # red-flagged question first (both its actions, riskiest first), then the rest by risk
    assert [(a.question_id, a.action, a.risk) for a in f.actions] == [
        ("indicators", "Return the passports.", 3),
        ("indicators", "Repay recruitment fees.", 2),
        ("grievance", "Set one up.", 3),
    ]


def test_a_question_whose_condition_fails_is_out_of_scope_not_a_gap_even_with_a_stale_answer():
    f = score({"weighted": {"commitment": "no", "published": "no", "indicators": ["none"], "grievance": "yes"}})
    # published is asked only after yes/partial: out of scope, its old "no" neither scored nor a red flag;
    # it counts as met. commitment 2×3=6 of 6; published 0 of 1.5; indicators 0 of 4.5; grievance 0 of 3
    # -> 6/15 -> 60.0
    assert f.overall.score == 60.0
    q = question(f, "published")
    assert (q.status, q.red_flag, q.risk) == (Status.out_of_scope, False, 0)
    assert f.gaps == () and f.red_flags == () and f.counts.out_of_scope == 1


def test_a_skipped_question_is_a_gap_with_an_answer_this_action():
    f = score({"weighted": {"commitment": "yes", "published": "yes", "indicators": ["none"]}},
              skipped={"weighted": ["grievance"]})
    # grievance skipped: 1×3 of 1×3; the rest 0 -> 3/15 -> 80.0 (medium)
    assert f.overall.score == 80.0 and f.overall.rating is Rating.medium
    assert [(q.question_id, q.gap_reason) for q in f.gaps] == [("grievance", "skipped")]
    assert [(a.kind, a.action) for a in f.actions] == [("gap", "Answer this question: Is there a grievance mechanism?")]
    assert f.checklists[0].reasons[-1] == ("Coverage 3 of 4 in-scope questions answered; 1 gap counted at the "
                                           "worst (highest risk or exposure).")
    assert (f.overall.coverage, f.overall.scored_answered, f.overall.scored_in_scope) == (0.75, 3, 4)


def test_an_answer_no_longer_on_the_scale_is_a_gap():
    f = score({"weighted": {"commitment": "maybe", "indicators": ["none"], "grievance": "yes"}})
    # commitment gap 6/6 (it reads "unknown", so published is out of scope: met, 0/1.5); 0/4.5; 0/3 -> 6/15 -> 60.0
    assert f.overall.score == 60.0
    q = question(f, "commitment")
    assert (q.status, q.gap_reason) == (Status.gap, "off_scale")
    assert "'maybe' is not on its scale" in f.actions[0].action


def test_a_multi_answer_with_dont_know_is_a_gap_that_keeps_the_known_risks_actions():
    f = score({"weighted": {"commitment": "yes", "published": "yes", "indicators": ["fees", "unknown"],
                            "grievance": "yes"}})
    # indicators counted at its maximum 1.5×3 = 4.5 of 4.5 -> 4.5/15 -> 70.0
    assert f.overall.score == 70.0
    assert [(a.kind, a.action) for a in f.actions] == [
        ("risk", "Repay recruitment fees."),
        ("gap", "Answer this question: Which forced-labour indicators were found?"),
    ]


def test_the_overall_score_sums_every_question_of_every_checklist():
    f = score({"mini": {"sources-from-region": "no", "policy": "no"},
               "weighted": {"commitment": "partial", "published": "partial", "indicators": ["fees"],
                            "grievance": "yes"}})
    # mini 3/12 (75.0), weighted 8/15 (46.7); pooled (3+8)/(12+15) = 11/27 -> 100 × 16/27 = 59.259… -> 59.3
    # (the mean of the two checklist scores would be 60.9). The rating is never pooled: it is the most
    # severe checklist rating, weighted's high (46.7 is weak), not mini's medium.
    assert [c.score for c in f.checklists] == [75.0, 46.7]
    assert [c.rating for c in f.checklists] == [Rating.medium, Rating.high]
    assert f.overall.score == 59.3 and f.overall.rating is Rating.high
    assert f.overall.reasons[0] == "The overall rating is the most severe checklist rating: high, from weighted."
    assert f.overall.reasons[-1] == ("Pooled controls score 59.3 over all checklists, shown for reference; the "
                                     "rating never averages checklists.")


def test_information_questions_are_shown_but_never_scored_nor_gaps():
    f = score({"mini": {"sources-from-region": "no", "policy": "yes", "headcount": 1250.0}})
    headcount, notes = question(f, "headcount"), question(f, "notes")
    assert (headcount.status, headcount.answer, headcount.risk) == (Status.info, "1250", None)
    assert (notes.status, notes.answer) == (Status.info, "")
    assert f.overall.score == 100.0 and f.gaps == ()


def test_numbers_citations_and_answer_details_are_as_the_analyst_saw_them():
    f = score({"mini": {"sources-from-region": "no", "policy": "no"}})
    policy = question(f, "policy")
    assert policy.number == "2.1"
    assert policy.citations[0].source_title == "Engaging Chinese state-owned enterprises on human rights through CSR"
    assert (policy.answered_by, policy.answered_at, policy.changes) == ("Ana Analyst", "2025-03-01T09:30:00+00:00", 0)
    bare = score_assessment(assessment({"mini": {}}), checklists(), {})
    assert question(bare, "policy").citations[0].source_title == "cheng-soe-csr"  # unknown source: its id


def test_answers_to_questions_the_checklist_no_longer_has_are_kept_as_orphans():
    a = assessment({"mini": {"sources-from-region": "no", "retired-question": "yes"},
                    "dropped-checklist": {"q": "no"}}, ids=["mini"])
    f = score_assessment(a, checklists(), sources())
    assert f.orphans == (OrphanAnswer("mini", "retired-question", "yes"), OrphanAnswer("dropped-checklist", "q", "no"))


def test_an_assessment_of_a_checklist_not_in_view_names_the_closest_one():
    with pytest.raises(InputError, match="'minni'.*did you mean 'mini'"):
        score({"minni": {}})


def test_score_of_rounds_half_up_to_one_decimal_as_an_auditor_would():
    assert score_of(Fraction(3), Fraction(80)) == 96.3  # 100 × 77/80 = 96.25 (Python's round() gives 96.2)
    assert score_of(Fraction(1), Fraction(3)) == 66.7
    assert score_of(0, 0) is None


@pytest.mark.parametrize("value, rating", [(100, Rating.low), (85.0, Rating.low), (84.9, Rating.medium),
                                           (65.0, Rating.medium), (64.9, Rating.high), (40.0, Rating.high),
                                           (39.9, Rating.critical), (0.0, Rating.critical)])
def test_rating_bands(value, rating):
    assert band(value) is rating


def test_answering_a_gap_can_bring_follow_up_questions_into_scope_as_new_gaps():
    """The documented exception to "answering a gap never lowers a score": when a *control* question gates
    follow-ups, answering it can bring them in as gaps. (The bundled checklists gate on exposure questions.)"""
    follow_up = {"text": "Follow-up?", "type": "yesno", "guidance": "g",
                 "when": {"question": "has-policy", "in": ["yes"]},
                 "actions": {"no": "a", "unknown": "a"}, "cite": [{"source": "s", "quote": "a quote here", "locator": "p"}]}
    cl = Checklist.model_validate({
        "id": "mini", "title": "t", "version": "1.0.0", "summary": "s",
        "sections": [{"id": "s", "title": "S", "questions": [
            {"id": "has-policy", **{k: v for k, v in follow_up.items() if k != "when"}, "text": "Policy?"},
            *[{"id": f"follow-{i}", **follow_up} for i in range(3)],
            {"id": "other", **{k: v for k, v in follow_up.items() if k != "when"}}]}]})
    before = score_assessment(assessment({"mini": {"other": "yes"}}), {"mini": cl}, {})
    after = score_assessment(assessment({"mini": {"other": "yes", "has-policy": "yes"}}), {"mini": cl}, {})
    # before: has-policy gap 3/3 (reads "unknown": the follow-ups asked on "yes" are out of scope, met 0/9),
    # other 0/3 -> 3/15 = 80.0; after: 0/3 + three follow-up gaps 9/9 + 0/3 -> 9/15 = 40.0
    assert (before.overall.score, after.overall.score) == (80.0, 40.0)
    assert len(after.gaps) == 3


# --- properties -----------------------------------------------------------------------------------


def _build(values: dict[str, dict[str, Any]]):
    """Split SKIP markers into the skipped lists, as the questionnaire records them."""
    answers = {cid: {q: v for q, v in qs.items() if v is not SKIP} for cid, qs in values.items()}
    skipped = {cid: [q for q, v in qs.items() if v is SKIP] for cid, qs in values.items()}
    return assessment(answers, skipped=skipped)


def _scores(f: Findings) -> dict[str, float | None]:
    out: dict[str, float | None] = {"overall": f.overall.score}
    for c in f.checklists:
        out[c.id] = c.score
        out.update({f"{c.id}/{s.id}": s.score for s in c.sections})
    return out


def _scope(f: Findings) -> set[tuple[str, str]]:
    return {(q.checklist_id, q.question_id) for c in f.checklists for s in c.sections for q in s.questions
            if q.status is not Status.out_of_scope}


def _best_value(checklist_id: str, question_id: str) -> Any:
    cl = checklists()[checklist_id]
    q = cl.question(question_id)
    best = min((c for c in cl.choices(q) if c.risk is not None), key=lambda c: c.risk)
    return [best.value] if q.type.value == "multi" else best.value


def _fill(values: dict[str, dict[str, Any]], checklist_id: str, question_id: str) -> dict[str, dict[str, Any]]:
    return {cid: {**qs, **({question_id: _best_value(cid, question_id)} if cid == checklist_id else {})}
            for cid, qs in values.items()}


def _not_lower(before: dict[str, float | None], after: dict[str, float | None]) -> list[str]:
    """Checklist and overall scores that fell. (A *section* score may fall: answering a gate in one
    section can bring a follow-up in another section into scope, e.g. mini's 2.1, asked unless 1.2 is
    n/a, once 1.1 = "no" leaves a stale 1.2 answer out of scope. The checklist's score still rises.)"""
    return [k for k in before if "/" not in k and before[k] is not None
            and (after.get(k) is None or after[k] < before[k])]


def _check_filling_gaps(values: dict[str, dict[str, Any]]) -> None:
    f = score_assessment(_build(values), checklists(), sources())
    before = _scores(f)
    for gap in f.gaps:
        filled = score_assessment(_build(_fill(values, gap.checklist_id, gap.question_id)), checklists(), sources())
        assert not _not_lower(before, _scores(filled)), (values, gap.question_id)

    complete = values  # fill gaps until none is left (answers can bring follow-ups into scope)
    for _ in range(10):
        done = score_assessment(_build(complete), checklists(), sources())
        if not done.gaps:
            break
        for gap in done.gaps:
            complete = _fill(complete, gap.checklist_id, gap.question_id)
    assert not done.gaps
    for key in ("overall", *[c.id for c in f.checklists]):
        if before[key] is not None:
            assert _scores(done)[key] >= before[key], (values, key)


def _check_sums(f: Findings) -> None:
    """What an auditor checks: the totals are the weighted sums of the rows, the score follows from them."""
    counted = [q for c in f.checklists for s in c.sections for q in s.questions
               if q.role == "control" and q.risk is not None]  # answered, gaps, and out of scope (met)
    assert all(q.status in (Status.answered, Status.gap, Status.out_of_scope) for q in counted)
    risk = sum(Fraction(str(q.weight)) * q.risk for q in counted)
    maximum = sum(Fraction(str(q.weight)) * q.max_risk for q in counted)
    assert (Fraction(str(f.overall.risk_total)), Fraction(str(f.overall.risk_max))) == (risk, maximum)
    assert f.overall.score == score_of(risk, maximum)
    for c in f.checklists:
        flags = [q for q in f.red_flags if q.checklist_id == c.id]
        if flags:
            assert c.rating in (Rating.high, Rating.critical)
        elif c.score is not None:
            assert c.rating is band(c.score)  # no exposure question: the medium row, i.e. the plain bands
    assert f.counts.gaps == len(f.gaps)
    assert [a.priority for a in f.actions] == list(range(1, len(f.actions) + 1))


MINI_SPACE = {
    "sources-from-region": [None, SKIP, "no", "yes", "unknown"],
    "mapped": [None, SKIP, "yes", "partial", "no", "unknown", "na"],
    "policy": [None, SKIP, "yes", "no", "unknown"],
}


def test_exhaustively_over_mini_answering_a_gap_well_never_lowers_a_score():
    """All 175 combinations of mini's scored answers (unanswered, skipped, every value)."""
    for combo in itertools.product(*MINI_SPACE.values()):
        values = {"mini": dict(zip(MINI_SPACE, combo))}
        _check_filling_gaps(values)
        _check_sums(score_assessment(_build(values), checklists(), sources()))


def _choice(*values: Any) -> st.SearchStrategy[Any]:
    return st.sampled_from([None, SKIP, *values])


weighted_answers = st.fixed_dictionaries({
    "commitment": _choice("yes", "partial", "no", "na", "unknown"),
    "published": _choice("yes", "partial", "no", "na", "unknown"),
    "indicators": st.one_of(_choice(), st.lists(st.sampled_from(["none", "fees", "passports", "na", "unknown"]),
                                                unique=True, max_size=4)),
    "grievance": _choice("yes", "no", "unknown"),
    "remarks": _choice("All fine."),
})
mini_answers = st.fixed_dictionaries({q: st.sampled_from(v) for q, v in MINI_SPACE.items()})
both = st.fixed_dictionaries({"mini": mini_answers, "weighted": weighted_answers})
# No example database: nothing written into the checkout; failures print their example anyway.
PROPERTY = settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(both)
def test_answering_a_gap_with_the_lowest_risk_answer_never_lowers_a_score(values):
    _check_filling_gaps(values)


@PROPERTY
@given(both)
def test_totals_are_the_weighted_sums_and_red_flags_rate_at_least_high(values):
    _check_sums(score_assessment(_build(values), checklists(), sources()))


def _without(checklist: Checklist, question_id: str) -> Checklist:
    data = checklist.model_dump(by_alias=True, exclude_none=True)
    for section in data["sections"]:
        section["questions"] = [q for q in section["questions"] if q["id"] != question_id]
    return Checklist.model_validate(data)


@PROPERTY
@given(weighted_answers, st.sampled_from([("published", "na"), ("indicators", ["na"])]))
def test_not_applicable_scores_exactly_as_if_the_question_did_not_exist(values, na):
    question_id, value = na
    with_na = score_assessment(_build({"weighted": {**values, question_id: value}}), checklists(), sources())
    rest = {q: v for q, v in values.items() if q != question_id}
    reduced = {**checklists(), "weighted": _without(checklists()["weighted"], question_id)}
    without = score_assessment(_build({"weighted": rest}), reduced, sources())
    q = question(with_na, question_id)
    if q.status is Status.out_of_scope:  # a control out of scope counts as met: 0 of its maximum
        assert (q.risk, q.max_risk) == (0, 3)
    else:
        assert q.status is Status.na
        assert _scores(with_na) == _scores(without)
