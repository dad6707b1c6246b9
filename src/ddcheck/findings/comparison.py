"""What changed between two assessments of the same subject: for re-assessments over time.

Pure, like scoring: both assessments are scored against the *same* checklists (the ones in view
now), so a change in a score is a change in the answers, never in the rule or the checklist. An
answer whose question the checklist no longer has is compared too (through the findings' orphans),
so nothing an analyst wrote disappears from the comparison.

Answers are compared for the checklists both assessments answer; a checklist only one of them
answers shows as added or removed in the score changes rather than as dozens of answer lines.

What changed is split so a reader can tell *why* a score moved: answers changed; questions that
entered or left scope (a gate answer changed which follow-ups apply); checklists added or removed;
and a like-for-like controls score over the control questions in scope in both assessments, which
moves only when answers to the same questions moved.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Mapping

from ..answers.values import plain_value
from ..answers.assessment import Assessment, Meta
from ..checklists.model import Checklist, Source
from .model import ChecklistResult, Findings, QuestionResult, Rating, SectionResult, Status
from .scoring import score_assessment, score_of

BOTH, ADDED, REMOVED, CHANGED = "both", "added", "removed", "changed"


@dataclass(frozen=True)
class Side:
    """Which assessment is which, as the comparison's heading shows it."""

    organisation: str
    subject: str
    assessor: str
    date: str


@dataclass(frozen=True)
class ScoreChange:
    id: str  # checklist or section id; "overall" for the whole assessment
    title: str
    old_score: float | None
    new_score: float | None
    delta: float | None  # new − old; None when either side has no score
    old_rating: Rating | None = None  # sections have no rating
    new_rating: Rating | None = None
    presence: str = BOTH  # "added": only the new assessment has it; "removed": only the old
    sections: tuple[ScoreChange, ...] = ()
    old_exposure: str | None = None  # checklists and overall only
    new_exposure: str | None = None
    old_coverage: float | None = None
    new_coverage: float | None = None


@dataclass(frozen=True)
class ScopeChange:
    """A question asked in one assessment and not in the other (its `when` reads another answer)."""

    checklist_id: str
    question_id: str
    number: str
    question: str
    old_status: Status
    new_status: Status


@dataclass(frozen=True)
class LikeForLike:
    """Controls score over the control questions in scope and scored in both assessments (not N/A in
    either), of the checklists both answer: the part of a score change due to answers alone."""

    id: str  # checklist id, or "overall"
    old_score: float | None
    new_score: float | None
    delta: float | None
    questions: int


@dataclass(frozen=True)
class AnswerChange:
    checklist_id: str
    question_id: str
    number: str  # "" when the checklist no longer has the question
    question: str
    change: str  # "changed", "added" (answered only in the new) or "removed" (only in the old)
    old_value: Any
    new_value: Any
    old_answer: str
    new_answer: str
    old_status: Status | None  # None for a question the checklist no longer has
    new_status: Status | None


@dataclass(frozen=True)
class FlagChange:
    checklist_id: str
    question_id: str
    number: str
    question: str
    answer: str  # the answer that raised the flag (raised: the new one; cleared: the old one)


@dataclass(frozen=True)
class Comparison:
    old: Side
    new: Side
    overall: ScoreChange
    checklists: tuple[ScoreChange, ...]
    answers: tuple[AnswerChange, ...]
    red_flags_raised: tuple[FlagChange, ...]
    red_flags_cleared: tuple[FlagChange, ...]
    gaps_old: int
    gaps_new: int
    warnings: tuple[str, ...] = ()  # e.g. different subjects, or NEW dated before OLD
    scope_entered: tuple[ScopeChange, ...] = ()  # asked in NEW, not in OLD
    scope_left: tuple[ScopeChange, ...] = ()  # asked in OLD, not in NEW
    checklists_added: tuple[str, ...] = ()
    checklists_removed: tuple[str, ...] = ()
    like_for_like: tuple[LikeForLike, ...] = ()  # overall first, then each checklist in both


def compare_assessments(old: Assessment, new: Assessment, checklists: Mapping[str, Checklist],
                        sources: Mapping[str, Source]) -> Comparison:
    """Score both assessments with the same checklists and say what changed from OLD to NEW."""
    return compare_findings(old.meta, score_assessment(old, checklists, sources),
                            new.meta, score_assessment(new, checklists, sources))


def compare_findings(old_meta: Meta, old: Findings, new_meta: Meta, new: Findings) -> Comparison:
    """The comparison of two sets of findings (scored against the same checklists)."""
    return Comparison(
        old=_side(old_meta), new=_side(new_meta),
        overall=_delta("overall", "Overall", old.overall.score, new.overall.score,
                       old.overall.rating, new.overall.rating, old_exposure=old.overall.exposure,
                       new_exposure=new.overall.exposure, old_coverage=old.overall.coverage,
                       new_coverage=new.overall.coverage),
        checklists=_checklist_changes(old, new),
        answers=_answer_changes(old, new),
        red_flags_raised=_flags(new.red_flags, old.red_flags),
        red_flags_cleared=_flags(old.red_flags, new.red_flags),
        gaps_old=len(old.gaps), gaps_new=len(new.gaps),
        warnings=_warnings(old_meta, new_meta),
        scope_entered=_scope_changes(old, new, entered=True),
        scope_left=_scope_changes(old, new, entered=False),
        checklists_added=tuple(c.id for c in new.checklists if c.id not in {o.id for o in old.checklists}),
        checklists_removed=tuple(c.id for c in old.checklists if c.id not in {n.id for n in new.checklists}),
        like_for_like=_like_for_like(old, new),
    )


def _side(meta: Meta) -> Side:
    return Side(organisation=meta.organisation, subject=meta.subject, assessor=meta.assessor,
                date=meta.date.isoformat())


def _warnings(old: Meta, new: Meta) -> tuple[str, ...]:
    warnings = []
    if (old.organisation, old.subject) != (new.organisation, new.subject):
        warnings.append(f"the assessments are of different subjects: '{old.organisation} / {old.subject}' "
                        f"and '{new.organisation} / {new.subject}'")
    if new.date < old.date:
        warnings.append(f"NEW is dated {new.date.isoformat()}, before OLD ({old.date.isoformat()}): "
                        "the changes read backwards in time; swap the files if that is not meant")
    return tuple(warnings)


def _delta(id_: str, title: str, old: float | None, new: float | None, old_rating: Rating | None = None,
           new_rating: Rating | None = None, presence: str = BOTH,
           sections: tuple[ScoreChange, ...] = (), **measures: Any) -> ScoreChange:
    delta = round(new - old, 1) if old is not None and new is not None else None
    return ScoreChange(id=id_, title=title, old_score=old, new_score=new, delta=delta, old_rating=old_rating,
                       new_rating=new_rating, presence=presence, sections=sections, **measures)


def _checklist_changes(old: Findings, new: Findings) -> tuple[ScoreChange, ...]:
    olds = {c.id: c for c in old.checklists}
    news = {c.id: c for c in new.checklists}
    changes = []
    for cid in list(dict.fromkeys([*olds, *news])):
        o, n = olds.get(cid), news.get(cid)
        presence = BOTH if o and n else ADDED if n else REMOVED
        either = n or o
        assert either is not None
        changes.append(_delta(cid, either.title, o.score if o else None, n.score if n else None,
                              o.rating if o else None, n.rating if n else None, presence,
                              _section_changes(o, n), old_exposure=o.exposure if o else None,
                              new_exposure=n.exposure if n else None, old_coverage=o.coverage if o else None,
                              new_coverage=n.coverage if n else None))
    return tuple(changes)


def _section_changes(old: ChecklistResult | None, new: ChecklistResult | None) -> tuple[ScoreChange, ...]:
    olds: dict[str, SectionResult] = {s.id: s for s in old.sections} if old else {}
    news: dict[str, SectionResult] = {s.id: s for s in new.sections} if new else {}
    changes = []
    for sid in list(dict.fromkeys([*news, *olds])):
        o, n = olds.get(sid), news.get(sid)
        either = n or o
        assert either is not None
        changes.append(_delta(sid, either.title, o.score if o else None, n.score if n else None,
                              presence=BOTH if o and n else ADDED if n else REMOVED))
    return tuple(changes)


def _normal(value: Any) -> Any:
    """Compare answers by meaning: the order of multi-choice values and empty answers do not count."""
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, list):
        return tuple(sorted(str(v) for v in value))
    return value


def _answer_changes(old: Findings, new: Findings) -> tuple[AnswerChange, ...]:
    shared = {c.id for c in old.checklists} & {c.id for c in new.checklists}

    def questions(f: Findings) -> dict[tuple[str, str], QuestionResult]:
        return {(q.checklist_id, q.question_id): q for c in f.checklists if c.id in shared
                for s in c.sections for q in s.questions}

    def orphans(f: Findings) -> dict[tuple[str, str], Any]:
        return {(o.checklist_id, o.question_id): o for o in f.orphans if o.checklist_id in shared}

    old_q, new_q = questions(old), questions(new)
    old_o, new_o = orphans(old), orphans(new)
    order = [c.id for c in new.checklists if c.id in shared]
    keys = sorted(dict.fromkeys([*new_q, *old_q, *old_o, *new_o]),  # checklist order; orphans after questions
                  key=lambda k: (order.index(k[0]), k not in new_q and k not in old_q))
    changes = []
    for key in keys:
        oq, nq = old_q.get(key), new_q.get(key)
        oo, no = old_o.get(key), new_o.get(key)
        ov = oq.value if oq else oo.value if oo else None
        nv = nq.value if nq else no.value if no else None
        if _normal(ov) == _normal(nv):
            continue
        change = ADDED if _normal(ov) is None else REMOVED if _normal(nv) is None else CHANGED
        q = nq or oq
        changes.append(AnswerChange(
            checklist_id=key[0], question_id=key[1], number=q.number if q else "",
            question=q.text if q else "(no longer in the checklist)", change=change,
            old_value=ov, new_value=nv,
            old_answer=oq.answer if oq else plain_value(ov), new_answer=nq.answer if nq else plain_value(nv),
            old_status=oq.status if oq else None, new_status=nq.status if nq else None))
    return tuple(changes)


def _by_question(f: Findings, shared: set[str]) -> dict[tuple[str, str], QuestionResult]:
    return {(q.checklist_id, q.question_id): q for c in f.checklists if c.id in shared
            for s in c.sections for q in s.questions}


def _scope_changes(old: Findings, new: Findings, entered: bool) -> tuple[ScopeChange, ...]:
    shared = {c.id for c in old.checklists} & {c.id for c in new.checklists}
    olds, news = _by_question(old, shared), _by_question(new, shared)
    changes = []
    for key, n in news.items():
        o = olds.get(key)
        if o is None:
            continue
        was_in, is_in = o.status is not Status.out_of_scope, n.status is not Status.out_of_scope
        if (entered and is_in and not was_in) or (not entered and was_in and not is_in):
            changes.append(ScopeChange(n.checklist_id, n.question_id, n.number, n.text, o.status, n.status))
    return tuple(changes)


def _like_for_like(old: Findings, new: Findings) -> tuple[LikeForLike, ...]:
    """Controls scores over the control questions counted in both (answered or gaps, in scope in both)."""
    order = [c.id for c in new.checklists if c.id in {o.id for o in old.checklists}]
    olds, news = _by_question(old, set(order)), _by_question(new, set(order))
    counted = {Status.answered, Status.gap}
    sums: dict[str, list[Fraction]] = {cid: [Fraction(0)] * 4 for cid in ["overall", *order]}
    counts = {cid: 0 for cid in sums}
    for key, n in news.items():
        o = olds.get(key)
        if o is None or n.role != "control" or n.status not in counted or o.status not in counted:
            continue
        weight = Fraction(str(n.weight))
        for cid in ("overall", key[0]):
            sums[cid][0] += weight * (o.risk or 0)
            sums[cid][1] += weight * (o.max_risk or 0)
            sums[cid][2] += weight * (n.risk or 0)
            sums[cid][3] += weight * (n.max_risk or 0)
            counts[cid] += 1
    out = []
    for cid, (o_risk, o_max, n_risk, n_max) in sums.items():
        o_score, n_score = score_of(o_risk, o_max), score_of(n_risk, n_max)
        delta = round(n_score - o_score, 1) if o_score is not None and n_score is not None else None
        out.append(LikeForLike(cid, o_score, n_score, delta, counts[cid]))
    return tuple(out)


def _flags(these: tuple[QuestionResult, ...], others: tuple[QuestionResult, ...]) -> tuple[FlagChange, ...]:
    """Flags in ``these`` that ``others`` does not have."""
    other_keys = {(q.checklist_id, q.question_id) for q in others}
    return tuple(FlagChange(q.checklist_id, q.question_id, q.number, q.text, q.answer)
                 for q in these if (q.checklist_id, q.question_id) not in other_keys)
