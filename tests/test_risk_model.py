"""Risk model v2 (issue 9): exposure apart from controls, a verdict that cannot be gamed.

First the scenarios the issue reports, each as a regression test on the bundled checklists; then the
invariants as properties (hypothesis) over random assessments of the bundled checklists.
"""

from __future__ import annotations

import textwrap
from functools import lru_cache
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scoring_support import Noted, assessment

from ddcheck.checklists.library import Library, collect
from ddcheck.checklists.model import Exposure, exposure_rank
from ddcheck.findings.model import Findings, Rating, Status
from ddcheck.findings.rating import MATRIX, SEVERITY, matrix_rating
from ddcheck.findings.scoring import score_assessment
from ddcheck.resources import bundled

SKIP = object()
X, SOE, UNGP = "xinjiang-supply-chain", "soe-engagement", "ungp-due-diligence"
FL, TECH = "forced-labour", "technology-data-people"


@lru_cache(maxsize=1)
def library() -> Library:
    lib, problems = collect(dirs=[bundled("checklists")])
    assert not problems, [str(p) for p in problems]
    return lib


def checklists() -> dict:
    return {cid: lc.checklist for cid, lc in library().checklists.items()}


def score(values: dict[str, dict[str, Any]], ids: list[str] | None = None) -> Findings:
    """Answers keyed by the checklist that stores them (a shared question's home); ``ids`` names the
    assessment's checklists when they differ from those keys."""
    answers = {cid: {q: v for q, v in qs.items() if v is not SKIP} for cid, qs in values.items()}
    skipped = {cid: [q for q, v in qs.items() if v is SKIP] for cid, qs in values.items()}
    return score_assessment(assessment(answers, skipped=skipped, ids=ids), checklists(), library().sources)


def merged(*parts: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for part in parts:
        for cid, qs in part.items():
            out.setdefault(cid, {}).update(qs)
    return out


def result(f: Findings, checklist_id: str):
    return next(c for c in f.checklists if c.id == checklist_id)


def question(f: Findings, checklist_id: str, question_id: str):
    return next(q for c in f.checklists if c.id == checklist_id for s in c.sections for q in s.questions
                if q.question_id == question_id)


def sev(rating: Rating | None) -> int:
    return -1 if rating is None else SEVERITY[rating]


def measures(f: Findings) -> tuple:
    """Everything a verdict consists of, per checklist and overall (not who answered or why)."""
    return ((f.overall.score, f.overall.rating, f.overall.exposure, f.overall.coverage),
            tuple((c.id, c.score, c.rating, c.exposure, c.coverage) for c in f.checklists),
            tuple((q.checklist_id, q.question_id, q.severity) for q in f.red_flags))


# The Xinjiang questions that do not follow from region-link, at their best (shared ones are stored
# under their home checklist), and the follow-ups region-link brings into scope, at their best
OTHERS_BEST = {X: {"operations-presence": "no", "government-links": "none"}, TECH: {"surveillance-products": "no"},
               UNGP: {"independent-sources": "yes"}}
GOOD_FOLLOW_UPS = {X: {"supply-chain-mapped": "yes", "region-decision": "ceased"}, FL: {"labour-transfer": "no"},
                   UNGP: {"independent-verification": "independent-full", "publish-partners": "yes"}}


def region(value: Any, *more: dict[str, dict[str, Any]]) -> Findings:
    return score(merged(OTHERS_BEST, {X: {"region-link": value}}, *more), ids=[X])


# --- the scenarios -------------------------------------------------------------------------


def test_skipping_the_region_gate_is_worth_exactly_dont_know_and_never_beats_an_honest_yes():
    skipped = region(SKIP)
    unknown = region("unknown")
    honest = region("yes", GOOD_FOLLOW_UPS)
    assert measures(skipped) == measures(unknown)
    # skipped: exposure counted as severe; the follow-ups it brings into scope are gaps
    c = result(skipped, X)
    assert (c.exposure, c.rating) == ("severe", Rating.critical)
    assert {q.question_id for q in skipped.gaps} == {
        "region-link", "supply-chain-mapped", "labour-transfer", "transfer-verification", "independent-verification",
        "unverified-risk-handling", "publish-partners", "region-decision"}
    # the honest "yes" with good follow-ups: severe exposure, strong controls -> high, better than skipping
    h = result(honest, X)
    assert (h.exposure, h.score, h.rating) == ("severe", 100.0, Rating.high)
    assert h.score > c.score and sev(h.rating) < sev(c.rating)
    assert c.reasons[0].startswith("Exposure severe, from 1.1 “Do any of your organisation's products, "
                                   "components or raw m…”: no answer (counted as the scale's highest level)")


def test_an_exposure_fact_is_never_scored_as_a_failure_nor_a_red_flag():
    no = region("no")
    yes = region("yes", GOOD_FOLLOW_UPS)
    q = question(yes, X, "region-link")
    assert (q.role, q.status, q.exposure, q.risk, q.red_flag) == ("exposure", Status.answered, "severe", None, False)
    assert result(no, X).score == result(yes, X).score == 100.0  # the answer "yes" costs no control points
    assert (result(no, X).exposure, result(no, X).rating) == ("none", Rating.low)


def test_soe_ownership_answered_never_lowers_the_controls_score_nor_raises_the_rating():
    base = {"policy-gap-analysis": "yes", "csr-framing": "yes", "rights-perspectives": "yes",
            "engagement-outcomes": "yes", "domestic-law-mapping": "yes", "capacity-gaps": "yes", "ungp-training": "yes",
            "industry-guidelines": "yes"}
    unanswered = score({SOE: base})
    for answer in ("soe", "private", "unknown"):
        answered = score({SOE: {**base, "ownership-status": answer}})
        assert result(answered, SOE).score >= result(unanswered, SOE).score, answer
        assert sev(result(answered, SOE).rating) <= sev(result(unanswered, SOE).rating), answer
    # unanswered reads as "don't know": the SOE follow-ups are in scope as gaps, exactly as for "unknown"
    assert measures(unanswered) == measures(score({SOE: {**base, "ownership-status": "unknown"}}))


def test_stale_answers_of_out_of_scope_questions_decide_nothing(invoke, clean_env, tmp_path, monkeypatch):
    """Re-importing ownership "private" over an earlier "unknown" gives what the same answers entered fresh give."""
    monkeypatch.chdir(tmp_path)
    meta = ["--organisation", "Acme", "--subject", "JV", "--assessor", "Jane", "--date", "2025-01-10"]
    first = textwrap.dedent("""\
        checklist,question,value,note,evidence
        soe-engagement,ownership-status,unknown,,
        soe-engagement,overseas-activity,yes,,
        soe-engagement,non-economic-mandate,no,,
        soe-engagement,soe-guidelines,no,,
        soe-engagement,host-law-compliance,no,,
        """)
    again = "checklist,question,value,note,evidence\nsoe-engagement,ownership-status,private,,\n"
    (tmp_path / "first.csv").write_text(first, encoding="utf-8")
    (tmp_path / "again.csv").write_text(again, encoding="utf-8")
    assert invoke("answers", "import", "first.csv", "-o", "reimported.yaml", *meta).exit_code == 0
    assert invoke("answers", "import", "again.csv", "-o", "reimported.yaml").exit_code == 0
    assert invoke("answers", "import", "again.csv", "-o", "fresh.yaml", *meta).exit_code == 0
    import json
    reimported = json.loads(invoke("score", "reimported.yaml", "--json").stdout)
    fresh = json.loads(invoke("score", "fresh.yaml", "--json").stdout)
    assert reimported["overall"] == fresh["overall"]
    assert reimported["red_flags"] == fresh["red_flags"] == []
    assert [c["rating"] for c in reimported["checklists"]] == [c["rating"] for c in fresh["checklists"]]


def test_a_confirmed_critical_red_flag_is_not_diluted_by_a_perfect_second_checklist():
    flagged = merged(OTHERS_BEST, {X: {"region-link": "no", "government-links": "security-current",
                                       "region-decision": "reviewing"}})
    alone = score(flagged, ids=[X])
    perfect_ungp = {q.id: best_value(UNGP, q.id) for _, q in checklists()[UNGP].questions() if q.is_control}
    both = score(merged(flagged, {UNGP: perfect_ungp}), ids=[X, UNGP])
    assert alone.overall.rating is both.overall.rating is Rating.critical
    assert result(both, UNGP).rating is Rating.low and both.overall.score > alone.overall.score  # pooled, shown only
    flag = next(q for q in both.red_flags if q.question_id == "government-links")
    assert flag.severity == "critical"
    assert result(both, X).reasons[0].startswith("Critical: red flag 3.1 “Does your organisation, directly or "
                                                 "through distributors, p…” (A Public Security Bureau")
    assert both.overall.reasons[0] == f"The overall rating is the most severe checklist rating: critical, from {X}."


def test_hiding_a_no_by_skipping_does_not_clear_its_red_flag():
    answered = score({UNGP: {"policy-commitment": "no"}})
    for hidden in (SKIP, "unknown", None):
        f = score({UNGP: {"policy-commitment": hidden}})
        assert [q.question_id for q in f.red_flags if q.question_id == "policy-commitment"] == ["policy-commitment"]
        assert result(f, UNGP).score == result(answered, UNGP).score


def test_unknown_exposure_counts_as_the_highest_and_never_better_than_an_answered_low():
    for value in ("no", "indirect", "yes"):
        assert exposure_rank(Exposure(result(score({X: {"region-link": value}}), X).exposure)) <= \
            exposure_rank(Exposure(result(score({X: {"region-link": "unknown"}}), X).exposure))


def test_a_checklist_without_exposure_questions_is_rated_on_the_medium_row():
    f = score({UNGP: {"policy-commitment": "yes"}})
    c = result(f, UNGP)
    assert c.exposure is None and c.rating is matrix_rating(None, c.score) is MATRIX[Exposure.medium][3]


def test_the_matrix_never_rates_lower_exposure_or_better_controls_more_severely():
    levels = list(MATRIX)
    for row in range(len(levels)):
        for col in range(4):
            here = SEVERITY[MATRIX[levels[row]][col]]
            if row:
                assert SEVERITY[MATRIX[levels[row - 1]][col]] <= here
            if col:
                assert SEVERITY[MATRIX[levels[row]][col - 1]] <= here


# --- invariants over random assessments of the bundled checklists ------------------------------------


def best_value(checklist_id: str, question_id: str) -> Any:
    cl = checklists()[checklist_id]
    q = cl.question(question_id)
    best = min((c for c in cl.choices(q) if c.risk is not None), key=lambda c: c.risk)
    return [best.value] if q.type.value == "multi" else best.value


def _options(checklist_id: str, question_id: str) -> list[Any]:
    cl = checklists()[checklist_id]
    q = cl.question(question_id)
    values = [c.value for c in cl.choices(q)]
    return [None, SKIP, *([[v] for v in values] if q.type.value == "multi" else values)]


@st.composite
def answers(draw, ids: tuple[str, ...] | None = None) -> dict[str, dict[str, Any]]:
    """Random answers to one or two bundled checklists: unanswered, skipped or any scale value
    ("not applicable" with a note)."""
    chosen = ids or tuple(draw(st.lists(st.sampled_from(sorted(checklists())), min_size=1, max_size=2, unique=True)))
    out = {}
    for cid in chosen:
        out[cid] = {q.id: draw(st.sampled_from(_options(cid, q.id)))
                    for _, q in checklists()[cid].questions() if q.scored}
    return out


PROPERTY = settings(max_examples=120, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


def _risk(cid: str, qid: str, value: Any) -> int | None:
    """The risk a control answer counts (a gap: the scale's highest); None for "not applicable"."""
    cl = checklists()[cid]
    choices = {c.value: c for c in cl.choices(cl.question(qid))}
    top = max(c.risk for c in choices.values() if c.risk is not None)
    chosen = value if isinstance(value, list) else [value]
    if value is None or value is SKIP or "unknown" in chosen:
        return top
    risks = [choices[v].risk for v in chosen]
    return None if all(r is None for r in risks) else max(r for r in risks if r is not None)


def _level(cid: str, qid: str, value: Any) -> int | None:
    cl = checklists()[cid]
    choices = {c.value: c for c in cl.choices(cl.question(qid))}
    if value is None or value is SKIP or value == "unknown":
        return max(exposure_rank(c.exposure) for c in choices.values() if c.exposure is not None)
    return exposure_rank(choices[value].exposure) if choices[value].exposure is not None else None


def _no_worse(before: Findings, after: Findings, scores_too: bool) -> None:
    assert sev(after.overall.rating) <= sev(before.overall.rating)
    for b, a in zip(before.checklists, after.checklists):
        assert sev(a.rating) <= sev(b.rating), b.id
        if scores_too and b.score is not None:
            assert a.score is not None and a.score >= b.score, b.id
    if scores_too and before.overall.score is not None:
        assert after.overall.score >= before.overall.score


@PROPERTY
@given(answers(), st.data())
def test_improving_one_control_answer_never_lowers_the_controls_score_nor_raises_the_rating(values, data):
    cid = data.draw(st.sampled_from(sorted(values)))
    controls = [q.id for _, q in checklists()[cid].questions() if q.is_control]
    qid = data.draw(st.sampled_from(controls))
    now = _risk(cid, qid, values[cid][qid])
    assume(now is not None)
    better = [v for v in _options(cid, qid)[2:] if v != "unknown" and v != ["unknown"]
              and (r := _risk(cid, qid, v)) is not None and r < now]
    assume(better)
    improved = {**values, cid: {**values[cid], qid: data.draw(st.sampled_from(better))}}
    _no_worse(score(values), score(improved), scores_too=True)


@PROPERTY
@given(answers(), st.data())
def test_lowering_one_exposure_answer_never_raises_the_rating(values, data):
    cid = data.draw(st.sampled_from(sorted(values)))
    exposures = [q.id for _, q in checklists()[cid].questions() if q.is_exposure]
    assume(exposures)
    qid = data.draw(st.sampled_from(exposures))
    now = _level(cid, qid, values[cid][qid])
    assume(now is not None)
    lower = [v for v in _options(cid, qid)[2:] if v != "unknown" and (lv := _level(cid, qid, v)) is not None
             and lv < now]
    assume(lower)
    lowered = {**values, cid: {**values[cid], qid: data.draw(st.sampled_from(lower))}}
    _no_worse(score(values), score(lowered), scores_too=False)


@PROPERTY
@given(answers(), st.data())
def test_skipping_or_leaving_unanswered_never_beats_dont_know(values, data):
    cid = data.draw(st.sampled_from(sorted(values)))
    qid = data.draw(st.sampled_from(sorted(values[cid])))
    q = checklists()[cid].question(qid)
    unknown = "unknown" if q.type.value != "multi" else ["unknown"]
    dont_know = score({**values, cid: {**values[cid], qid: unknown}})
    for hidden in (SKIP, None):
        assert measures(score({**values, cid: {**values[cid], qid: hidden}})) == measures(dont_know)


@PROPERTY
@given(answers())
def test_a_critical_red_flag_always_gives_critical_and_overall_is_the_worst_checklist(values):
    f = score(values)
    for c in f.checklists:
        if any(q.severity == "critical" for q in f.red_flags if q.checklist_id == c.id):
            assert c.rating is Rating.critical
        if any(q.red_flag for s in c.sections for q in s.questions):
            assert sev(c.rating) >= SEVERITY[Rating.high]
        assert sev(f.overall.rating) >= sev(c.rating)
    assert f.overall.rating is (max((c.rating for c in f.checklists if c.rating), key=SEVERITY.__getitem__,
                                    default=None))


@PROPERTY
@given(answers(ids=(X,)), st.data())
def test_current_links_to_a_security_bureau_or_the_bingtuan_are_always_critical(values, data):
    f = score({X: {**values[X], "government-links": "security-current"}})
    assert result(f, X).rating is Rating.critical and f.overall.rating is Rating.critical


@PROPERTY
@given(answers(), st.data())
def test_stale_answers_to_out_of_scope_questions_change_nothing(values, data):
    f = score(values)
    # a shared question has one answer: it is stale only if no checklist of the assessment asks it
    home = {(c.id, q.question_id): checklists()[c.id].home_of(q.question_id)
            for c in f.checklists for s in c.sections for q in s.questions}
    live = {(home[c.id, q.question_id], q.question_id) for c in f.checklists for s in c.sections
            for q in s.questions if q.status is not Status.out_of_scope}
    stale = [(q.checklist_id, q.question_id) for c in f.checklists for s in c.sections for q in s.questions
             if q.status is Status.out_of_scope and (home[c.id, q.question_id], q.question_id) not in live]
    assume(stale)
    changed = {cid: dict(qs) for cid, qs in values.items()}
    for cid, qid in stale:
        if qid in changed[cid]:
            changed[cid][qid] = data.draw(st.sampled_from(_options(cid, qid)[2:]))
    assert measures(score(changed)) == measures(f)
    assert [(q.checklist_id, q.question_id, q.gap_reason) for q in score(changed).gaps] == \
        [(q.checklist_id, q.question_id, q.gap_reason) for q in f.gaps]


@PROPERTY
@given(answers())
def test_the_rating_is_the_matrix_cell_raised_by_red_flags_only(values):
    f = score(values)
    for c in f.checklists:
        cell = matrix_rating(Exposure(c.exposure) if c.exposure else None, c.score)
        flags = [q for s in c.sections for q in s.questions if q.red_flag]
        if not flags:
            assert c.rating is cell
        else:
            assert sev(c.rating) >= max(sev(cell), SEVERITY[Rating.high])


def test_not_applicable_without_note_or_against_exposure_is_a_gap_in_scoring():
    no_note = score({X: {"region-link": "no", "operations-presence": "no"},
                     UNGP: {"independent-sources": Noted("na", None)}}, ids=[X])
    assert question(no_note, X, "independent-sources").gap_reason == "na_without_note"
    contradicts = score({X: {"region-link": "yes", "supply-chain-mapped": "na"}})
    q = question(contradicts, X, "supply-chain-mapped")
    assert (q.status, q.gap_reason, q.risk) == (Status.gap, "na_contradicts", 3)
    assert q.problem.startswith("'supply-chain-mapped' is answered \"Not applicable (explain why in a note)\", but it "
                                "is asked because 'region-link' is answered \"Yes: operations, suppliers or inputs "
                                "in the region\"")
