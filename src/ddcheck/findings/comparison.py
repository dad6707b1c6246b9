"""What changed between two assessments of the same subject: for re-assessments over time.

Pure, like scoring: both assessments are scored against the *same* checklists (the ones in view
now), so a change in a score is a change in the answers, never in the rule or the checklist. An
answer whose question the checklist no longer has is compared too (through the findings' orphans),
so nothing an analyst wrote disappears from the comparison.

Answers are compared for the checklists both assessments answer; a checklist only one of them
answers shows as added or removed in the score changes rather than as dozens of answer lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from ..answers.values import plain_value
from ..answers.assessment import Assessment, Meta
from ..checklists.model import Checklist, Source
from .model import ChecklistResult, Findings, QuestionResult, Rating, SectionResult, Status
from .scoring import score_assessment

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
                       old.overall.rating, new.overall.rating),
        checklists=_checklist_changes(old, new),
        answers=_answer_changes(old, new),
        red_flags_raised=_flags(new.red_flags, old.red_flags),
        red_flags_cleared=_flags(old.red_flags, new.red_flags),
        gaps_old=len(old.gaps), gaps_new=len(new.gaps),
        warnings=_warnings(old_meta, new_meta),
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
           sections: tuple[ScoreChange, ...] = ()) -> ScoreChange:
    delta = round(new - old, 1) if old is not None and new is not None else None
    return ScoreChange(id=id_, title=title, old_score=old, new_score=new, delta=delta, old_rating=old_rating,
                       new_rating=new_rating, presence=presence, sections=sections)


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
                              _section_changes(o, n)))
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


def _flags(these: tuple[QuestionResult, ...], others: tuple[QuestionResult, ...]) -> tuple[FlagChange, ...]:
    """Flags in ``these`` that ``others`` does not have."""
    other_keys = {(q.checklist_id, q.question_id) for q in others}
    return tuple(FlagChange(q.checklist_id, q.question_id, q.number, q.text, q.answer)
                 for q in these if (q.checklist_id, q.question_id) not in other_keys)
