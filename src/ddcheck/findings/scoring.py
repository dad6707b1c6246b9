"""Scoring: an assessment plus its checklists becomes findings a manager can act on.

Pure: no I/O, no printing, no clock. The report, ``ddcheck score`` and ``ddcheck compare`` all read
the same :class:`~ddcheck.findings.Findings`, so a number in the PDF and on the terminal can never
disagree.

The rule is written out once, for auditors, in the README ("How scores are computed"); the
matrix and bands are in ``rating.py``, the scope and gap rules in ``answers/scope.py``. In short:

- *Exposure* questions give an exposure level (none .. severe; a gap counts as the scale's highest);
  a checklist's exposure is the highest level among its exposure questions in scope.
- *Control* questions give the controls score: 100 × (1 − Σ weight × risk ÷ Σ weight × scale's
  highest risk), over the control questions in scope, gaps at the highest risk, "not applicable"
  left out, and control questions out of scope counted as met (risk 0 of the maximum) so that a
  lower-exposure gate answer never lowers the score.
- The rating is the exposure × controls matrix cell, then red flags: critical forces critical, high
  forces at least high. The overall rating is the most severe checklist rating.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from fractions import Fraction
from math import floor
from typing import Any, Mapping, Sequence

from ..answers.values import display_value, plain_value
from ..answers.assessment import UNKNOWN, Answer, Assessment
from ..checklists.model import (Checklist, Choice, Exposure, Question, ScaleIndex, Section, Severity, Source,
                                exposure_rank)
from ..checklists.conditions import holds
from ..answers.scope import (
    GAP_NA_CONTRADICTS,
    GAP_NA_NO_NOTE,
    GAP_OFF_SCALE,
    GAP_UNKNOWN,
    Verdict,
    chosen_values,
    exposure_of,
    question_label,
)
from ..answers.scope import verdicts as scope_verdicts  # renamed: "verdicts" is a local name here
from ..errors import InputError, did_you_mean
from .frameworks import framework_coverage
from .model import (
    Action,
    ChecklistResult,
    CitationView,
    Counts,
    Findings,
    OrphanAnswer,
    Overall,
    QuestionResult,
    Rating,
    SectionResult,
    Status,
)
from .rating import (  # re-exported: the report's method page and older callers read them here
    BANDS,
    CONTROL_BANDS,
    MATRIX,
    NOT_ASSESSED,
    RED_FLAG_FLOOR,
    SEVERITY,
    band,
    band_range,
    controls_band,
    highest_exposure,
    matrix_rating,
    with_red_flags,
    worst,
)

__all__ = ["BANDS", "CONTROL_BANDS", "MATRIX", "RED_FLAG_FLOOR", "SEVERITY", "band", "band_range",
           "score_assessment", "score_of", "coverage_of"]

NAMED_FLAGS = 3  # how many red flags a reason names before saying "and N more"
ACTION_RISK = {Exposure.none: 0, Exposure.low: 1, Exposure.medium: 2, Exposure.high: 3, Exposure.severe: 3}


Exact = int | Fraction  # whole numbers stay ints: int arithmetic is many times faster than Fraction's


@lru_cache(maxsize=512)
def _exact(weight: float) -> Exact:
    """A weight as the decimal it was written as (1.1 is 11/10, not the float's binary value)."""
    exact = Fraction(str(weight))
    return exact.numerator if exact.denominator == 1 else exact


@dataclass(frozen=True)
class _Tally:
    """Exact sums of weight × risk (ints, or fractions of decimal weights), so rounding happens once, at the end."""

    risk: Exact = 0
    maximum: Exact = 0

    def __add__(self, other: _Tally) -> _Tally:
        return _Tally(self.risk + other.risk, self.maximum + other.maximum)

    @property
    def score(self) -> float | None:
        return score_of(self.risk, self.maximum)


@dataclass(frozen=True)
class _Scored:
    """One question's result plus what it adds to the sums, the coverage and the action plan."""

    result: QuestionResult
    tally: _Tally
    risky_actions: tuple[tuple[str, int], ...]  # (action, risk) of each risky chosen value
    gap_action: str | None
    order: int  # position across all checklists, for stable ordering
    counted: bool = False  # a scored question in scope: in coverage's denominator
    answered: bool = False  # ... and answered (or justified "not applicable"): in its numerator
    exposure: Exposure | None = None  # exposure questions in scope: the level counted
    exposure_action: tuple[str, Exposure] | None = None


def score_of(risk: Fraction | float, maximum: Fraction | float) -> float | None:
    """100 × (1 − risk / maximum), rounded half up to one decimal; None when nothing counts."""
    if not maximum:
        return None
    if type(risk) is int and type(maximum) is int and maximum > 0:
        # The same rounding in integers (whole weights, the usual case): ⌊1000(m − r)/m + ½⌋ = ⌊(2000(m − r) + m)/2m⌋
        return (2000 * (maximum - risk) + maximum) // (2 * maximum) / 10
    exact = 100 * (1 - Fraction(risk) / Fraction(maximum))
    return floor(exact * 10 + Fraction(1, 2)) / 10


def coverage_of(answered: int, counted: int) -> float | None:
    """answered / counted, rounded half up to three decimals; None when nothing scored is in scope."""
    if not counted:
        return None
    return (2000 * answered + counted) // (2 * counted) / 1000  # ⌊1000 a/c + ½⌋, in integers


def score_assessment(assessment: Assessment, checklists: Mapping[str, Checklist],
                     sources: Mapping[str, Source]) -> Findings:
    """Score every checklist the assessment names, in the order it names them.

    Raises InputError when the assessment names a checklist that is not in ``checklists``.
    """
    ids = list(dict.fromkeys(ref.id for ref in assessment.checklists))
    for cid in ids:
        if cid not in checklists:
            hint = did_you_mean(cid, checklists) or "add its folder with --checklists DIR"
            raise InputError(f"the assessment answers checklist '{cid}', which is not in view ({hint}; "
                             "'ddcheck checklists list' shows the checklists in view)")

    results: list[ChecklistResult] = []
    scored: list[_Scored] = []
    total = _Tally()
    for cid in ids:
        checklist = checklists[cid]
        result, questions, tally = _score_checklist(checklist, assessment, sources, start=len(scored))
        results.append(result)
        scored += questions
        total += tally

    all_results = [s.result for s in scored]
    red_flags = tuple(q for q in all_results if q.red_flag)
    gaps = tuple(q for q in all_results if q.status is Status.gap)
    counted = sum(r.scored_in_scope for r in results)
    answered = sum(r.scored_answered for r in results)
    exposure = highest_exposure([Exposure(r.exposure) for r in results if r.exposure is not None])
    overall = Overall(score=total.score, rating=worst([r.rating for r in results]),
                      reasons=_overall_reasons(results, total.score),
                      risk_total=float(total.risk), risk_max=float(total.maximum),
                      exposure=exposure.value if exposure else None, coverage=coverage_of(answered, counted),
                      controls_band=controls_band(total.score), scored_in_scope=counted, scored_answered=answered)
    return Findings(
        overall=overall,
        checklists=tuple(results),
        red_flags=red_flags,
        gaps=gaps,
        actions=_action_plan(scored),
        counts=_counts(all_results),
        orphans=_orphans(assessment, checklists, ids),
        frameworks=framework_coverage(tuple(results), checklists),
    )


@dataclass(frozen=True)
class _Planned:
    """One question as scoring reads it for every assessment: worked out once per checklist."""

    section: Section
    question: Question
    scale: ScaleIndex
    weight: Exact
    static: dict[str, Any]  # the QuestionResult fields that depend on the checklist (and sources) alone


def _plan(checklist: Checklist, sources: Mapping[str, Source]) -> tuple[tuple[Section, tuple[_Planned, ...]], ...]:
    """The checklist's sections with their questions planned, kept with the checklist (one per
    sources mapping), so a portfolio of thousands of files does this once per checklist."""

    def build() -> tuple[tuple[Section, tuple[_Planned, ...]], ...]:
        return tuple((section, tuple(_planned(checklist, section, question, question_label(s_i, q_i), sources)
                                     for q_i, question in enumerate(section.questions, start=1)))
                     for s_i, section in enumerate(checklist.sections, start=1))

    held = checklist.derived(("scoring-plan", id(sources)), lambda: (sources, build()))
    return held[1] if held[0] is sources else build()  # held[0] keeps sources alive, so its id stays its own


def _planned(checklist: Checklist, section: Section, question: Question, number: str,
             sources: Mapping[str, Source]) -> _Planned:
    static = dict(
        checklist_id=checklist.id, section_id=section.id, question_id=question.id, number=number,
        text=question.text, weight=question.weight,
        citations=tuple(CitationView(source_id=c.source,
                                     source_title=sources[c.source].title if c.source in sources else c.source,
                                     locator=c.locator, quote=c.quote) for c in question.cite),
        role=_role(question),
    )
    return _Planned(section, question, checklist.scale_of(question), _exact(question.weight), static)


def _score_checklist(checklist: Checklist, assessment: Assessment, sources: Mapping[str, Source],
                     start: int) -> tuple[ChecklistResult, list[_Scored], _Tally]:
    values, verdicts = scope_verdicts(checklist, assessment)
    sections: list[SectionResult] = []
    questions: list[_Scored] = []
    total = _Tally()
    for section, planned in _plan(checklist, sources):
        in_section: list[_Scored] = []
        for entry in planned:
            qid = entry.question.id
            in_section.append(_score_question(checklist, entry, assessment.answer_to(checklist, qid), verdicts[qid],
                                              values, start + len(questions) + len(in_section)))
        tally = sum((q.tally for q in in_section), _Tally())
        sections.append(SectionResult(id=section.id, title=section.title, score=tally.score,
                                      questions=tuple(q.result for q in in_section),
                                      risk_total=float(tally.risk), risk_max=float(tally.maximum)))
        questions += in_section
        total += tally

    asks_exposure = any(q.is_exposure for _, q in checklist.questions())
    exposure = highest_exposure([q.exposure for q in questions])
    if exposure is None and asks_exposure:
        exposure = Exposure.none  # asked, and nothing in scope says the subject is exposed
    counted = sum(q.counted for q in questions)
    answered = sum(q.answered for q in questions)
    flags = [q.result for q in questions if q.result.red_flag]
    cell = matrix_rating(exposure, total.score)
    rating = with_red_flags(cell, [Severity(q.severity or "high") for q in flags])
    exposure_source = _decisive_exposure(questions, exposure)
    reasons = _reasons(exposure, exposure_source, total.score, cell, rating, flags, counted, answered,
                       sum(q.result.status is Status.gap for q in questions))
    return (ChecklistResult(id=checklist.id, title=checklist.title, version=checklist.version,
                            score=total.score, rating=rating, reasons=reasons, sections=tuple(sections),
                            risk_total=float(total.risk), risk_max=float(total.maximum),
                            exposure=exposure.value if exposure else None, coverage=coverage_of(answered, counted),
                            controls_band=controls_band(total.score), scored_in_scope=counted,
                            scored_answered=answered),
            questions, total)


def _role(question: Question) -> str:
    return "exposure" if question.is_exposure else "control" if question.is_control else "information"


def _score_question(checklist: Checklist, entry: _Planned, answer: Answer | None, verdict: Verdict,
                    values: Mapping[str, Any], order: int) -> _Scored:
    """One question's result. Whether it is in scope or a gap is its verdict from ``answers.scope``
    (``classify``), the verdict ``ddcheck status`` counts too, so the two never disagree."""
    question, scale, weight = entry.question, entry.scale, entry.weight
    value = answer.value if answer is not None else None
    choices = scale.choices
    base = dict(
        entry.static, value=value, answer=display_value(checklist, question, value),
        note=answer.note if answer else None,
        evidence=tuple(answer.evidence) if answer else (),
        answered_by=answer.answered_by if answer else None,
        answered_at=answer.answered_at.isoformat() if answer else None,
        changes=len(answer.history) if answer else 0,
    )
    top = scale.top_risk
    if verdict.status is Status.out_of_scope:
        if question.is_control:  # counted as met, so leaving it out never lowers the score
            return _Scored(QuestionResult(status=Status.out_of_scope, risk=0, max_risk=top, **base),
                           _Tally(0, weight * top), (), None, order)
        return _Scored(QuestionResult(status=Status.out_of_scope, **base), _Tally(), (), None, order)
    red_flag = _red_flag(question, choices, values, gap=verdict.status is Status.gap)
    flag = dict(red_flag=red_flag, severity=question.red_flag.severity.value if red_flag and question.red_flag else None)
    if verdict.status is Status.info:
        return _Scored(QuestionResult(status=Status.info, **flag, **base), _Tally(), (), None, order)
    gap = verdict.status is Status.gap
    if question.is_exposure:
        return _exposure_question(question, base, flag, verdict.gap_reason, verdict.problem, choices, value, order)
    if verdict.status is Status.na:
        return _Scored(QuestionResult(status=Status.na, **flag, **base), _Tally(), (), None, order,
                       counted=True, answered=True)

    by_value = scale.by_value
    chosen = chosen_values(value)
    risky = _risky_actions(question, [by_value[v] for v in chosen if v in by_value and v != UNKNOWN])
    if gap:
        assert verdict.gap_reason is not None
        action = _gap_action(question, verdict.gap_reason, value, verdict.problem)
        if verdict.gap_reason != GAP_UNKNOWN:
            risky = ()  # an answer we do not count is not acted on either; the gap action covers it
        result = QuestionResult(status=Status.gap, risk=top, max_risk=top, gap_reason=verdict.gap_reason,
                                problem=verdict.problem, action=" ".join([a for a, _ in risky] + [action]),
                                **flag, **base)
        return _Scored(result, _Tally(weight * top, weight * top), risky, action, order, counted=True)

    risk = max(r for r in (by_value[v].risk for v in chosen) if r is not None)
    result = QuestionResult(status=Status.answered, risk=risk, max_risk=top,
                            action=" ".join(a for a, _ in risky) or None, **flag, **base)
    return _Scored(result, _Tally(weight * risk, weight * top), risky, None, order,
                   counted=True, answered=True)


def _exposure_question(question: Question, base: dict[str, Any], flag: dict[str, Any], gap_reason: str | None,
                       problem: str | None, choices: list[Choice], value: Any, order: int) -> _Scored:
    """An exposure question in scope: a level, never a risk; a gap counts as the scale's highest level."""
    level = exposure_of(choices, chosen_values(value), gap=gap_reason is not None)
    if gap_reason is not None:
        action = _gap_action(question, gap_reason, value, problem)
        result = QuestionResult(status=Status.gap, gap_reason=gap_reason, problem=problem, action=action,
                                exposure=level.value if level else None, **flag, **base)
        return _Scored(result, _Tally(), (), action, order, counted=True, exposure=level)
    chosen = [c for c in choices if c.value in chosen_values(value) and c.exposure is not None]
    top = max(chosen, key=lambda c: exposure_rank(c.exposure), default=None)  # type: ignore[arg-type]
    action = question.actions.get(top.value) if top is not None and top.exposure is not Exposure.none else None
    status = Status.answered if level is not None else Status.na
    result = QuestionResult(status=status, exposure=level.value if level else None, action=action, **flag, **base)
    return _Scored(result, _Tally(), (), None, order, counted=True, answered=True, exposure=level,
                   exposure_action=(action, level) if action and level else None)


def _red_flag(question: Question, choices: list[Choice], values: Mapping[str, Any], gap: bool) -> bool:
    """Whether the question's red flag holds (conditions read in-scope answers, gaps as "unknown").

    A control question that is a gap also reads as its worst answer for its *own* red flag: a flag on
    "no" fires on "don't know", skipped and unanswered too, so hiding a "no" never clears a red flag.
    (Exposure questions do not: "don't know" whether there are links to a security bureau already
    counts as the highest exposure, but it is not a *confirmed* link.)
    """
    if question.red_flag is None:
        return False
    if holds(question.red_flag, values, default_question=question.id):
        return True
    if not (gap and question.is_control):
        return False
    top = max((c.risk for c in choices if c.risk is not None), default=None)
    worst = [c.value for c in choices if c.risk is not None and c.risk == top]
    return holds(question.red_flag, {**values, question.id: [UNKNOWN, *worst]}, default_question=question.id)


def _risky_actions(question: Question, chosen: Sequence[Choice]) -> tuple[tuple[str, int], ...]:
    """(action, risk) for each chosen value with risk > 0 and an action; one per distinct action."""
    best: dict[str, int] = {}
    for choice in sorted(chosen, key=lambda c: -(c.risk or 0)):
        action = question.actions.get(choice.value)
        if choice.risk and action and action not in best:
            best[action] = choice.risk
    return tuple(best.items())


def _gap_action(question: Question, reason: str, value: Any, problem: str | None = None) -> str:
    if reason == GAP_UNKNOWN and question.actions.get(UNKNOWN):
        return question.actions[UNKNOWN]
    if reason == GAP_OFF_SCALE:
        return (f"Answer this question again (the recorded answer '{', '.join(chosen_values(value))}' "
                f"is not on its scale): {question.text}")
    if reason == GAP_NA_NO_NOTE:
        return f"Say in a note why this does not apply, or answer it: {question.text}"
    if reason == GAP_NA_CONTRADICTS:
        return f"Answer this question (\"not applicable\" contradicts an exposure answer): {question.text}"
    return f"Answer this question: {question.text}"


# ---------------------------------------------------------------------------------------------
# Why this rating, in plain sentences (decisive first)


def _decisive_exposure(questions: Sequence[_Scored], exposure: Exposure | None) -> QuestionResult | None:
    """The first exposure question in scope whose level is the checklist's exposure."""
    if exposure is None or exposure is Exposure.none:
        return None
    return next((q.result for q in questions if q.exposure is exposure), None)


def _reasons(exposure: Exposure | None, source: QuestionResult | None, score: float | None, cell: Rating | None,
             rating: Rating | None, flags: Sequence[QuestionResult], counted: int, answered: int,
             gaps: int) -> tuple[str, ...]:
    matrix = _matrix_sentence(exposure, source, score, cell)
    critical = [q for q in flags if q.severity == Severity.critical.value]
    high = [q for q in flags if q.severity != Severity.critical.value]
    flag_sentences: list[str] = []
    decided_by_flag = False
    if critical:
        flag_sentences.append(f"Critical: {_flags_named(critical)}; a critical red flag makes the rating "
                              "critical whatever the other answers.")
        decided_by_flag = cell is not Rating.critical
    if high:
        floor_raised = not critical and (cell is None or SEVERITY[cell] < SEVERITY[RED_FLAG_FLOOR])
        if floor_raised:
            flag_sentences.append(f"Raised to {RED_FLAG_FLOOR.value} by {_flags_named(high)}; a red flag makes the "
                                  f"rating at least {RED_FLAG_FLOOR.value}.")
            decided_by_flag = True
        else:
            flag_sentences.append(f"Also {_flags_named(high)} (a red flag makes the rating at least "
                                  f"{RED_FLAG_FLOOR.value}).")
    sentences = (flag_sentences + [matrix]) if decided_by_flag else ([matrix] + flag_sentences)
    if counted:
        sentences.append(f"Coverage {answered} of {counted} in-scope questions answered"
                         + (f"; {_plural(gaps, 'gap')} counted at the worst (highest risk or exposure)." if gaps
                            else "."))
    if rating is None:
        sentences = ["Not rated: nothing in scope is scored (every question is not applicable, information "
                     "only or out of scope)."]
    return tuple(sentences)


def _matrix_sentence(exposure: Exposure | None, source: QuestionResult | None, score: float | None,
                     cell: Rating | None) -> str:
    if exposure is None:
        where = f"No exposure question in this checklist, so the {NOT_ASSESSED.value}-exposure row applies"
    elif source is None:
        where = f"Exposure {exposure.value}: no exposure question in scope says the subject is exposed"
    else:
        how = " (counted as the scale's highest level)" if source.status is Status.gap else ""
        answer = source.answer or ("skipped" if source.gap_reason == "skipped" else "no answer")
        where = f"Exposure {exposure.value}, from {source.number} \u201c{_short(source.text)}\u201d: {answer}{how}"
    if score is None:
        controls = "no control question counts, so exposure alone decides (strong-controls column)"
    else:
        name = controls_band(score)
        assert name is not None
        controls = f"controls score {score:.1f} is {name} ({band_range(name)})"
    if cell is None:
        return f"{where}; {controls}."
    return f"{where}; {controls}; the exposure \u00d7 controls matrix gives {cell.value}."


def _overall_reasons(results: Sequence[ChecklistResult], score: float | None) -> tuple[str, ...]:
    rating = worst([r.rating for r in results])
    if rating is None:
        return ("Not rated: nothing in scope is scored in any checklist.",)
    decisive = [r for r in results if r.rating is rating]
    named = ", ".join(r.id for r in decisive)
    sentences = [f"The overall rating is the most severe checklist rating: {rating.value}, from {named}."]
    if decisive[0].reasons:
        sentences.append(f"{decisive[0].id}: {decisive[0].reasons[0]}")
    if score is not None and len(results) > 1:
        sentences.append(f"Pooled controls score {score:.1f} over all checklists, shown for reference; the rating "
                         "never averages checklists.")
    return tuple(sentences)


def _flags_named(flags: Sequence[QuestionResult]) -> str:
    named = ", ".join(f"{q.number} \u201c{_short(q.text)}\u201d ({q.answer or 'no answer'})"
                      for q in flags[:NAMED_FLAGS])
    if len(flags) > NAMED_FLAGS:
        named += f" and {len(flags) - NAMED_FLAGS} more"
    return f"{'red flag' if len(flags) == 1 else _plural(len(flags), 'red flag') + ':'} {named}"


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:59].rstrip() + "\u2026"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


# ---------------------------------------------------------------------------------------------
# Action plan, counts, orphans


def _action_plan(scored: Sequence[_Scored]) -> tuple[Action, ...]:
    """Red flags first (risky answers, then gaps), then risky answers by risk (an exposure answer: its
    level) and weight, then gaps."""
    risks: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    gaps: list[tuple[tuple[Any, ...], dict[str, Any]]] = []

    def item(s: _Scored, action: str, risk: int, kind: str, i: int,
             exposure: Exposure | None = None) -> tuple[tuple[Any, ...], dict[str, Any]]:
        q = s.result
        key = (not q.red_flag, kind == "gap", -risk, -q.weight, s.order, i)
        return key, dict(checklist_id=q.checklist_id, question_id=q.question_id, number=q.number,
                         question=q.text, action=action, risk=risk, weight=q.weight, kind=kind,
                         exposure=exposure.value if exposure else None, red_flag=q.red_flag)

    for s in scored:
        for i, (action, risk) in enumerate(s.risky_actions):
            risks.append(item(s, action, risk, "risk", i))
        if s.exposure_action is not None:
            action, level = s.exposure_action
            risks.append(item(s, action, ACTION_RISK[level], "exposure", 0, level))
        if s.gap_action is not None:
            risk = s.result.risk if s.result.risk is not None else ACTION_RISK.get(s.exposure or Exposure.none, 0)
            gaps.append(item(s, s.gap_action, risk, "gap", 0))
    ordered = sorted(risks + gaps, key=lambda kv: kv[0])
    return tuple(Action(priority=n, **fields) for n, (_, fields) in enumerate(ordered, start=1))


def _counts(results: Sequence[QuestionResult]) -> Counts:
    by_status = {status: sum(q.status is status for q in results) for status in Status}
    return Counts(answered=by_status[Status.answered], gaps=by_status[Status.gap], na=by_status[Status.na],
                  info=by_status[Status.info], out_of_scope=by_status[Status.out_of_scope])


def _orphans(assessment: Assessment, checklists: Mapping[str, Checklist], ids: Sequence[str]) -> tuple[OrphanAnswer, ...]:
    """Answers the checklists in view have no question for: kept in the file, reported, never dropped."""
    orphans = []
    known_by_home: dict[str, set[str]] = {}
    for cid in ids:
        for _, question in checklists[cid].questions():
            known_by_home.setdefault(checklists[cid].home_of(question.id), set()).add(question.id)
    for cid, answers in assessment.answers.items():
        known = known_by_home.get(cid, set())
        orphans += [OrphanAnswer(cid, qid, a.value, plain_value(a.value))
                    for qid, a in answers.items() if qid not in known]
    return tuple(orphans)
