"""Scoring: an assessment plus its checklists becomes findings a manager can act on.

Pure: no I/O, no printing, no clock. The report, ``ddcheck score`` and ``ddcheck compare`` all read
the same :class:`~ddcheck.findings.Findings`, so a number in the PDF and on the terminal can never
disagree.

The rule, written so an auditor can recompute any score by hand
----------------------------------------------------------------

1. **Scope.** A question whose ``when`` is set and does not hold for the checklist's answers is
   *out of scope*: not asked, not counted, never a gap. (A ``when`` that tests an unanswered
   question does not hold, so follow-up questions appear only once the question they follow is
   answered.)
2. **Scored questions** are ``choice``, ``multi`` and ``yesno``. Text, number and date answers
   are *information*: shown, never scored.
3. For each in-scope scored question with weight ``w`` whose scale's highest risk is ``M``:

   - answered with a value of risk ``r`` (multi: ``r`` = the highest risk among the chosen
     values): adds ``w × r`` to the risk total and ``w × M`` to the maximum;
   - answered with a value that has no risk ("not applicable"; multi: every chosen value is):
     left out of both;
   - unanswered, skipped, answered ``unknown`` ("don't know"), or answered with a value that is
     no longer on its scale: a *gap*, adds ``w × M`` to both, i.e. it counts as the worst answer.
     So an incomplete assessment never looks better than the same one completed.

4. ``score = 100 × (1 − risk total / maximum)``, rounded half up to one decimal; ``None`` when the
   maximum is 0. Sections, checklists and the whole assessment each sum their own questions: a
   checklist's score is *not* the mean of its section scores, and the overall score is *not* the
   mean of checklist scores.
5. **Rating** from the rounded score by :data:`BANDS`; then any red flag raises the rating to at
   least :data:`RED_FLAG_FLOOR` (a checklist by its own flags, the overall rating by all flags).
6. **Red flag**: the question is in scope and its ``red_flag`` condition holds (a test without
   ``question:`` reads the question itself).
7. **Actions**: the recommended action of every risky (risk > 0) chosen value, and one "answer
   this" action per gap. Red flags come first, whether risky answers or gaps; then risky
   answers before gaps; then by risk, then weight (both descending), then checklist and question
   order.

Why these bands: with risks 0–3, a score is 100 × (1 − average weighted risk / 3). *Low* (≥ 85)
allows an average risk up to 0.45, roughly one "no" in seven questions; *medium* (≥ 65) up to
about 1, i.e. typically "partly"; *high* (≥ 40) up to 1.8; below that, most answers are "partly"
or worse and the rating is *critical*.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import floor
from typing import Any, Mapping, Sequence

from ..answers.values import display_value, plain_value
from ..answers.assessment import UNKNOWN, Answer, Assessment
from ..checklists.model import Checklist, Choice, Question, Section, Source
from ..checklists.conditions import holds
from ..answers.scope import (
    GAP_OFF_SCALE,
    GAP_UNKNOWN,
    chosen_values,
    classify,
    question_label,
)
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

# Lower bound of each band, best first; the first band whose bound the score reaches wins.
BANDS: tuple[tuple[float, Rating], ...] = (
    (85.0, Rating.low),
    (65.0, Rating.medium),
    (40.0, Rating.high),
    (0.0, Rating.critical),
)
RED_FLAG_FLOOR = Rating.high  # any red flag makes the rating at least this
SEVERITY = {Rating.low: 0, Rating.medium: 1, Rating.high: 2, Rating.critical: 3}
NAMED_FLAGS = 3  # how many red flags a reason names before saying "and N more"

@dataclass(frozen=True)
class _Tally:
    """Exact sums (fractions of the decimal weights), so rounding happens once, at the end."""

    risk: Fraction = Fraction(0)
    maximum: Fraction = Fraction(0)

    def __add__(self, other: _Tally) -> _Tally:
        return _Tally(self.risk + other.risk, self.maximum + other.maximum)

    @property
    def score(self) -> float | None:
        return score_of(self.risk, self.maximum)


@dataclass(frozen=True)
class _Scored:
    """One question's result plus what it adds to the sums and the action plan."""

    result: QuestionResult
    tally: _Tally
    risky_actions: tuple[tuple[str, int], ...]  # (action, risk) of each risky chosen value
    gap_action: str | None
    order: int  # position across all checklists, for stable ordering


def score_of(risk: Fraction | float, maximum: Fraction | float) -> float | None:
    """100 × (1 − risk / maximum), rounded half up to one decimal; None when nothing counts."""
    if not maximum:
        return None
    exact = 100 * (1 - Fraction(risk) / Fraction(maximum))
    return floor(exact * 10 + Fraction(1, 2)) / 10


def band(score: float) -> Rating:
    """The rating band a (rounded) score falls in."""
    for lower, rating in BANDS:
        if score >= lower:
            return rating
    return BANDS[-1][1]


def band_range(rating: Rating) -> str:
    """The band as an auditor reads it, e.g. "65–85"."""
    bounds = [lower for lower, _ in BANDS]
    i = [r for _, r in BANDS].index(rating)
    upper = 100 if i == 0 else bounds[i - 1]
    return f"{bounds[i]:g}–{upper:g}"


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
    overall_score = total.score
    rating, reasons = rate(overall_score, red_flags, len(gaps), prefix_checklist=True)
    overall = Overall(score=overall_score, rating=rating, reasons=reasons,
                      risk_total=float(total.risk), risk_max=float(total.maximum))
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


def _score_checklist(checklist: Checklist, assessment: Assessment, sources: Mapping[str, Source],
                     start: int) -> tuple[ChecklistResult, list[_Scored], _Tally]:
    values = assessment.values_of(checklist)
    sections: list[SectionResult] = []
    questions: list[_Scored] = []
    total = _Tally()
    for s_i, section in enumerate(checklist.sections, start=1):
        in_section: list[_Scored] = []
        for q_i, question in enumerate(section.questions, start=1):
            in_section.append(_score_question(
                checklist, section, question, question_label(s_i, q_i), assessment.answer_to(checklist, question.id),
                values, assessment.is_skipped(checklist, question.id), sources, start + len(questions) + len(in_section)))
        tally = sum((q.tally for q in in_section), _Tally())
        sections.append(SectionResult(id=section.id, title=section.title, score=tally.score,
                                      questions=tuple(q.result for q in in_section),
                                      risk_total=float(tally.risk), risk_max=float(tally.maximum)))
        questions += in_section
        total += tally
    results = [q.result for q in questions]
    rating, reasons = rate(total.score, [q for q in results if q.red_flag],
                           sum(q.status is Status.gap for q in results))
    return (ChecklistResult(id=checklist.id, title=checklist.title, version=checklist.version,
                            score=total.score, rating=rating, reasons=reasons, sections=tuple(sections),
                            risk_total=float(total.risk), risk_max=float(total.maximum)),
            questions, total)


def _score_question(checklist: Checklist, section: Section, question: Question, number: str,
                    answer: Answer | None, values: Mapping[str, Any], skipped: bool,
                    sources: Mapping[str, Source], order: int) -> _Scored:
    """One question's result. Whether it is a gap comes from ``answers.scope.classify``, the
    verdict ``ddcheck status`` counts too, so the two never disagree."""
    value = answer.value if answer is not None else None
    choices = checklist.choices(question)
    base = dict(
        checklist_id=checklist.id, section_id=section.id, question_id=question.id, number=number,
        text=question.text, value=value, answer=display_value(checklist, question, value), weight=question.weight,
        note=answer.note if answer else None,
        evidence=tuple(answer.evidence) if answer else (),
        answered_by=answer.answered_by if answer else None,
        answered_at=answer.answered_at.isoformat() if answer else None,
        changes=len(answer.history) if answer else 0,
        citations=tuple(CitationView(source_id=c.source,
                                     source_title=sources[c.source].title if c.source in sources else c.source,
                                     locator=c.locator, quote=c.quote) for c in question.cite),
    )
    verdict = classify(checklist, question, value, skipped, values)
    if verdict.status is Status.out_of_scope:
        return _Scored(QuestionResult(status=Status.out_of_scope, **base), _Tally(), (), None, order)
    red_flag = question.red_flag is not None and holds(question.red_flag, values, default_question=question.id)
    if verdict.status in (Status.info, Status.na):
        return _Scored(QuestionResult(status=verdict.status, red_flag=red_flag, **base), _Tally(), (), None, order)

    weight = Fraction(str(question.weight))
    top = max((c.risk for c in choices if c.risk is not None), default=0)
    by_value = {c.value: c for c in choices}
    chosen = chosen_values(value)
    risky = _risky_actions(question, [by_value[v] for v in chosen if v in by_value and v != UNKNOWN])
    if verdict.gap_reason is not None:
        action = _gap_action(question, verdict.gap_reason, value)
        if verdict.gap_reason != GAP_UNKNOWN:
            risky = ()  # an answer we do not count is not acted on either; the gap action covers it
        result = QuestionResult(status=Status.gap, risk=top, max_risk=top, red_flag=red_flag,
                                gap_reason=verdict.gap_reason,
                                action=" ".join([a for a, _ in risky] + [action]), **base)
        return _Scored(result, _Tally(weight * top, weight * top), risky, action, order)

    risk = max(r for r in (by_value[v].risk for v in chosen) if r is not None)
    result = QuestionResult(status=Status.answered, risk=risk, max_risk=top, red_flag=red_flag,
                            action=" ".join(a for a, _ in risky) or None, **base)
    return _Scored(result, _Tally(weight * risk, weight * top), risky, None, order)


def _risky_actions(question: Question, chosen: Sequence[Choice]) -> tuple[tuple[str, int], ...]:
    """(action, risk) for each chosen value with risk > 0 and an action; one per distinct action."""
    best: dict[str, int] = {}
    for choice in sorted(chosen, key=lambda c: -(c.risk or 0)):
        action = question.actions.get(choice.value)
        if choice.risk and action and action not in best:
            best[action] = choice.risk
    return tuple(best.items())


def _gap_action(question: Question, reason: str, value: Any) -> str:
    if reason == GAP_UNKNOWN and question.actions.get(UNKNOWN):
        return question.actions[UNKNOWN]
    if reason == GAP_OFF_SCALE:
        return (f"Answer this question again (the recorded answer '{', '.join(chosen_values(value))}' "
                f"is not on its scale): {question.text}")
    return f"Answer this question: {question.text}"


def rate(score: float | None, red_flags: Sequence[QuestionResult], gaps: int,
         prefix_checklist: bool = False) -> tuple[Rating | None, tuple[str, ...]]:
    """The rating for a score and its red flags, with the reasons in words."""
    reasons: list[str] = []
    rating: Rating | None = None
    if score is None:
        reasons.append("no score: nothing in scope is scored (every question is not applicable, "
                       "information only or out of scope)")
    else:
        rating = band(score)
        reasons.append(f"score {score:.1f} is in the {rating.value} band ({band_range(rating)})")
    if red_flags:
        named = ", ".join(_flag_name(q, prefix_checklist) for q in red_flags[:NAMED_FLAGS])
        if len(red_flags) > NAMED_FLAGS:
            named += f" and {len(red_flags) - NAMED_FLAGS} more"
        flags = _plural(len(red_flags), "red flag")
        if rating is None or SEVERITY[rating] < SEVERITY[RED_FLAG_FLOOR]:
            rating = RED_FLAG_FLOOR
            reasons.append(f"raised to {RED_FLAG_FLOOR.value} by {flags}: {named}")
        else:
            reasons.append(f"{flags}: {named} (the score alone already rates it {rating.value}; "
                           f"a red flag makes it at least {RED_FLAG_FLOOR.value})")
    if gaps:
        reasons.append(f"{_plural(gaps, 'gap')} counted at the highest risk")
    return rating, tuple(reasons)


def _flag_name(q: QuestionResult, prefix_checklist: bool) -> str:
    text = q.text if len(q.text) <= 60 else q.text[:59].rstrip() + "…"
    where = f"{q.checklist_id} {q.number}" if prefix_checklist else q.number
    return f"{where} \u201c{text}\u201d"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _action_plan(scored: Sequence[_Scored]) -> tuple[Action, ...]:
    """Red flags first (risky answers, then gaps), then risky answers by risk and weight, then gaps."""
    risks: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    gaps: list[tuple[tuple[Any, ...], dict[str, Any]]] = []

    def item(s: _Scored, action: str, risk: int, kind: str, i: int) -> tuple[tuple[Any, ...], dict[str, Any]]:
        q = s.result
        key = (not q.red_flag, kind == "gap", -risk, -q.weight, s.order, i)
        return key, dict(checklist_id=q.checklist_id, question_id=q.question_id, number=q.number,
                         question=q.text, action=action, risk=risk, weight=q.weight, kind=kind,
                         red_flag=q.red_flag)

    for s in scored:
        for i, (action, risk) in enumerate(s.risky_actions):
            risks.append(item(s, action, risk, "risk", i))
        if s.gap_action is not None:
            gaps.append(item(s, s.gap_action, s.result.risk or 0, "gap", 0))
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
