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


@lru_cache(maxsize=1)
def library() -> Library:
    lib, problems = collect(dirs=[bundled("checklists")])
    assert not problems, [str(p) for p in problems]
    return lib


def checklists() -> dict:
    return {cid: lc.checklist for cid, lc in library().checklists.items()}


def score(values: dict[str, dict[str, Any]]) -> Findings:
    """Score answers given per checklist; a shared question's answer is stored under its home checklist,
    as the questionnaire and ``answers import`` store it (so the home's own entry, if any, wins)."""
    answers: dict[str, dict[str, Any]] = {cid: {} for cid in values}
    skipped: dict[str, list[str]] = {cid: [] for cid in values}
    for cid, qs in values.items():
        for qid, v in qs.items():
            home = checklists()[cid].home_of(qid) if cid in checklists() else cid
            if home != cid and qid in values.get(home, {}):
                continue
            if v is SKIP:
                skipped.setdefault(home, []).append(qid)
            else:
                answers.setdefault(home, {})[qid] = v
    a = assessment(answers, skipped=skipped, ids=list(values))
    return score_assessment(a, checklists(), library().sources)


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


# The Xinjiang questions that do not follow from region-link, at their best
SEVEN_BEST = {"operations-presence": "no", "government-links": "none", "surveillance-products": "no",
              "independent-sources": "yes"}
GOOD_FOLLOW_UPS = {"supply-chain-mapped": "yes", "labour-transfer": "no", "independent-verification": "independent-full",
                   "publish-partners": "yes", "region-decision": "ceased"}


# --- the scenarios -------------------------------------------------------------------------


def test_skipping_the_region_gate_is_worth_exactly_dont_know_and_never_beats_an_honest_yes():
    skipped = score({X: {**SEVEN_BEST, "region-link": SKIP}})
    unknown = score({X: {**SEVEN_BEST, "region-link": "unknown"}})
    honest = score({X: {**SEVEN_BEST, "region-link": "yes", **GOOD_FOLLOW_UPS}})
    assert measures(skipped) == measures(unknown)
    # skipped: exposure counted as severe; the follow-ups it brings into scope are gaps
    c = result(skipped, X)
    assert (c.exposure, c.rating) == ("severe", Rating.critical)
    assert {q.question_id for q in skipped.gaps} >= {"region-link", "supply-chain-mapped", "labour-transfer",
                                                     "independent-verification", "region-decision"}
    # the honest "yes" with good follow-ups: severe exposure, strong controls -> high, better than skipping
    h = result(honest, X)
    assert (h.exposure, h.score, h.rating) == ("severe", 100.0, Rating.high)
    assert h.score > c.score and sev(h.rating) < sev(c.rating)
    assert c.reasons[0].startswith("Exposure severe, from 1.1 “")
    assert "skipped (counted as the scale's highest level)" in c.reasons[0]


def test_an_exposure_fact_is_never_scored_as_a_failure_nor_a_red_flag():
    no = score({X: {**SEVEN_BEST, "region-link": "no"}})
    yes = score({X: {**SEVEN_BEST, "region-link": "yes", **GOOD_FOLLOW_UPS}})
    q = question(yes, X, "region-link")
    assert (q.role, q.status, q.exposure, q.risk, q.red_flag) == ("exposure", Status.answered, "severe", None, False)
    assert result(no, X).score == result(yes, X).score == 100.0  # the answer "yes" costs no control points
    assert (result(no, X).exposure, result(no, X).rating) == ("none", Rating.low)


def test_soe_ownership_answered_never_lowers_the_controls_score_nor_raises_the_rating():
    base = {q.id: best_value(SOE, q.id) for _, q in checklists()[SOE].questions() if q.is_control}
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
    flagged = {X: {**SEVEN_BEST, "region-link": "no", "government-links": "security-current",
                   "independent-sources": "partial", "region-decision": "reviewing"}}
    alone = score(flagged)
    perfect_ungp = {q.id: best_value(UNGP, q.id) for _, q in checklists()[UNGP].questions() if q.scored}
    both = score({**flagged, UNGP: perfect_ungp})
    assert alone.overall.rating is both.overall.rating is Rating.critical
    assert result(both, UNGP).rating is Rating.low and both.overall.score > alone.overall.score  # pooled, shown only
    flag = next(q for q in both.red_flags if q.question_id == "government-links")
    assert flag.severity == "critical"
    assert result(both, X).reasons[0].startswith("Critical: red flag ")
    assert "a critical red flag makes the rating critical whatever the other answers" in result(both, X).reasons[0]
    assert both.overall.reasons[0] == f"The overall rating is the most severe checklist rating: critical, from {X}."


def test_hiding_a_no_by_skipping_does_not_clear_its_red_flag():
    answered = score({UNGP: {"policy-commitment": "no"}})
    for hidden in (SKIP, "unknown", None):
        f = score({UNGP: {"policy-commitment": hidden}})
        assert [q.question_id for q in f.red_flags if q.question_id == "policy-commitment"] == ["policy-commitment"]
        assert result(f, UNGP).score == result(answered, UNGP).score


def test_unknown_exposure_counts_as_the_highest_and_never_better_than_an_answered_low():
    for value in ("no", "yes"):
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
    out: dict[str, dict[str, Any]] = {}
    seen: set[tuple[str, str]] = set()  # a shared question is one answer: drawn once, under the first checklist
    for cid in chosen:
        out[cid] = {}
        for _, q in checklists()[cid].questions():
            key = (checklists()[cid].home_of(q.id), q.id)
            if q.scored and key not in seen:
                seen.add(key)
                out[cid][q.id] = draw(st.sampled_from(_options(cid, q.id)))
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
    controls = [qid for qid in values[cid] if checklists()[cid].question(qid).is_control]
    assume(controls)
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
    exposures = [qid for qid in values[cid] if checklists()[cid].question(qid).is_exposure]
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
    assume(values[cid])
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
    no_note = score({X: {"region-link": "no", "operations-presence": "no", "independent-sources": Noted("na", None)}})
    assert question(no_note, X, "independent-sources").gap_reason == "na_without_note"
    contradicts = score({X: {"region-link": "yes", "supply-chain-mapped": "na"}})
    q = question(contradicts, X, "supply-chain-mapped")
    assert (q.status, q.gap_reason, q.risk) == (Status.gap, "na_contradicts", 3)
    assert q.problem.startswith("'supply-chain-mapped' is answered \"Not applicable (explain why in a note)\", but it is asked "
                                "because 'region-link' is answered \"")


# --- the README's worked example, recomputed -------------------------------------------------------

README_EXAMPLE = """\
id: cotton
title: Cotton sourcing (README example)
version: 1.0.0
summary: The worked example of the README's scoring section.
scales:
  region_link:
    - {value: "no", label: "No link", exposure: none}
    - {value: indirect, label: "Inputs may come from the region", exposure: high}
    - {value: "yes", label: "Suppliers in the region", exposure: severe}
    - {value: unknown, label: "Don't know"}
  assurance:
    - {value: "yes", label: "Yes", risk: 0}
    - {value: partial, label: "Partly", risk: 2}
    - {value: "no", label: "No", risk: 3}
    - {value: unknown, label: "Don't know", risk: 3}
    - {value: na, label: "Not applicable"}
  audit:
    - {value: unrestricted, label: "Unrestricted", risk: 0}
    - {value: restricted, label: "Restricted", risk: 2}
    - {value: none, label: "None", risk: 3}
    - {value: unknown, label: "Don't know", risk: 3}
sections:
  - id: exposure
    title: Exposure
    questions:
      - id: region-link
        text: Do your products or inputs come from the region?
        role: exposure
        scale: region_link
        guidance: Trace to raw material.
        cite: [{source: foreign-firms-xinjiang, quote: "whether products are being made using forced labor", locator: para. 9}]
      - id: audit-access
        text: What independent verification has been achieved?
        scale: audit
        weight: 3
        when: {question: region-link, in: ["yes", indirect, unknown]}
        red_flag: {in: [none], severity: critical}
        guidance: Announced audits do not clear a supplier.
        actions: {restricted: "Treat it as inconclusive.", none: "Stop orders.", unknown: "Ask."}
        cite: [{source: foreign-firms-xinjiang, quote: "whether products are being made using forced labor", locator: para. 9}]
      - id: mapped
        text: Is every tier mapped to raw material?
        scale: assurance
        weight: 2
        guidance: Name every facility.
        actions: {partial: "Finish it.", "no": "Start it.", unknown: "Ask."}
        cite: [{source: foreign-firms-xinjiang, quote: "whether products are being made using forced labor", locator: para. 9}]
  - id: practice
    title: Practice
    questions:
      - id: exit-plan
        text: Is there an exit plan for suppliers in the region?
        scale: assurance
        when: {question: region-link, in: ["yes", unknown]}
        guidance: A deadline and an owner.
        actions: {partial: "Finish it.", "no": "Write one.", unknown: "Ask."}
        cite: [{source: foreign-firms-xinjiang, quote: "whether products are being made using forced labor", locator: para. 9}]
      - id: grievance
        text: Is there a grievance mechanism?
        type: yesno
        guidance: Open to workers.
        actions: {"no": "Set one up.", unknown: "Ask."}
        cite: [{source: foreign-firms-xinjiang, quote: "whether products are being made using forced labor", locator: para. 9}]
      - id: transfers
        text: Have labour transfers to suppliers been ruled out?
        scale: assurance
        weight: 2
        guidance: Ask where workers came from.
        actions: {partial: "Finish it.", "no": "Check.", unknown: "Ask."}
        cite: [{source: foreign-firms-xinjiang, quote: "whether products are being made using forced labor", locator: para. 9}]
"""


def test_the_readme_worked_example_is_what_scoring_computes():
    from conftest import add_inline_checklist

    lib, _ = collect(dirs=[bundled("checklists")])
    add_inline_checklist(lib, README_EXAMPLE, "cotton")
    cls = {cid: lc.checklist for cid, lc in lib.checklists.items()}
    answers = {"region-link": "indirect", "audit-access": "restricted", "mapped": "yes", "exit-plan": "no",
               "transfers": Noted("na", "No workers are placed by agencies at this mill.")}
    f = score_assessment(assessment({"cotton": answers}, skipped={"cotton": ["grievance"]}), cls, lib.sources)
    c = f.checklists[0]
    # exposure: indirect -> high. controls: audit 3×2=6 of 9; mapped 0 of 6; exit-plan out of scope (asked on
    # yes/unknown): met, 0 of 3, its stale "no" ignored; grievance skipped: 3 of 3; transfers N/A: left out
    # -> 9 of 21 -> 100 × 12/21 = 57.14… -> 57.1 (weak, 40–65); high × weak -> high.
    assert (c.exposure, c.risk_total, c.risk_max, c.score, c.controls_band) == ("high", 9.0, 21.0, 57.1, "weak")
    # coverage: in scope and scored: region-link, audit-access, mapped, grievance, transfers -> 4 of 5 answered
    assert (c.scored_answered, c.scored_in_scope, c.coverage) == (4, 5, 0.8)
    assert c.rating is Rating.high
    assert [s.score for s in c.sections] == [60.0, 50.0]  # 6/15 and 3/6
    # had audit access been "none": 9 of 9 -> 12 of 21 = 42.9, still weak, but the critical red flag decides
    worse = score_assessment(assessment({"cotton": {**answers, "audit-access": "none"}},
                                        skipped={"cotton": ["grievance"]}), cls, lib.sources)
    assert (worse.checklists[0].score, worse.checklists[0].rating) == (42.9, Rating.critical)
    # had region link been "no": audit access and the exit plan out of scope (met): 3 of 21 -> 85.7, none × strong
    safe = score_assessment(assessment({"cotton": {**answers, "region-link": "no"}}, skipped={"cotton": ["grievance"]}),
                            cls, lib.sources)
    assert (safe.checklists[0].exposure, safe.checklists[0].score, safe.checklists[0].rating) == ("none", 85.7, Rating.low)


def test_score_text_lists_exposure_answers_and_red_flag_severities(invoke, clean_env):
    from conftest import ROOT

    out = invoke("score", str(ROOT / "examples" / "apparel-cotton-yarn-supplier.yaml")).stdout
    exposure = out[out.index("Exposure answers ("):out.index("Red flags (")]
    assert "  xinjiang-supply-chain 1.1  high: " in exposure  # an answered level
    assert "severe (counted as the scale's highest)" in exposure  # "don't know": the scale's highest level
    flags = out[out.index("Red flags ("):out.index("Gaps (")]
    assert "  forced-labour 2.5  [critical] " in flags
    overall = next(line for line in out.splitlines() if line.startswith("Overall"))
    fields = overall.split()
    assert (fields[1], fields[4]) == ("severe", "critical")  # exposure, controls, coverage, rating
