"""Where an assessment stands: which questions are relevant, answered, skipped or still to ask.

Pure functions over an assessment and its checklists, shared by the questionnaire (what to ask
next, the progress line on every screen) and ``ddcheck status`` (the counts per section). Whether a
question is in scope and whether it is a gap come from ``scope.classify`` — the verdict
scoring uses — so ``status`` and ``score`` always count the same gaps. Only scored questions can
be gaps: an unanswered text, number or date question is still asked, but counted as an open
information question, not a gap. Relevance is recomputed from the answers every time: a question
whose ``when`` stops holding drops out of scope (its answer is kept), and one that starts holding
after a changed answer becomes pending and is asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Iterable, Mapping, Sequence

from .values import is_unknown
from .assessment import Assessment
from .changes import to_confirm
from ..checklists.model import Checklist, Question, Section
from .scope import (GAP_NA_CONTRADICTS, GAP_NA_NO_NOTE, GAP_OFF_SCALE, Status, Verdict, classify, condition_values,
                    has_value, in_scope, question_label)


class State(str, Enum):
    answered = "answered"
    unknown = "unknown"  # answered "don't know" (a gap for scored questions)
    to_confirm = "to_confirm"  # answered, but the question changed since; asked again
    skipped = "skipped"  # skipped on purpose (a gap for scored questions)
    unanswered = "unanswered"  # relevant, not answered yet (a gap for scored questions until answered)
    off_scale = "off_scale"  # answered with a value its scale does not have: a gap, not asked again
    out_of_scope = "out_of_scope"  # its `when` does not hold: not asked, not counted


PENDING = {State.unanswered, State.to_confirm}  # what the questionnaire still asks, in order


@dataclass(frozen=True)
class Item:
    """One question in asking order, across all checklists of the assessment."""

    checklist: Checklist
    section: Section
    question: Question
    section_number: int  # 1-based within its checklist
    number: str  # "2.3": section 2, question 3 — as the screen, the review and the findings show it

    @property
    def key(self) -> tuple[str, str]:
        """(home checklist id, question id): where the answer is stored, the same for a shared question
        in every checklist that uses it, so it is asked once."""
        return (self.checklist.home_of(self.question.id), self.question.id)


def items(checklists: Sequence[Checklist]) -> list[Item]:
    out = []
    for checklist in checklists:
        for s_i, section in enumerate(checklist.sections, start=1):
            for q_i, question in enumerate(section.questions, start=1):
                out.append(Item(checklist, section, question, s_i, question_label(s_i, q_i)))
    return out


def relevant(item: Item, assessment: Assessment) -> bool:
    """Whether the question is asked, given the answers so far (skip logic)."""
    return in_scope(item.question, condition_values(item.checklist, assessment))


@dataclass(frozen=True)
class Standing:
    """One question's place in the questionnaire (``state``) and how scoring counts it (``verdict``).

    Both are kept because they differ on purpose: an unanswered text question is pending (asked)
    but not a gap; an answer to confirm is pending yet scored on its recorded value.
    """

    state: State
    verdict: Verdict
    scored: bool  # a choice, multi or yesno question; only these can be gaps

    @property
    def gap(self) -> bool:
        return self.verdict.status is Status.gap


def standings(all_items: Sequence[Item], assessment: Assessment) -> dict[tuple[str, str], Standing]:
    """The standing of every question, by (checklist id, question id)."""
    confirm = _to_confirm(all_items, assessment)
    values = {c.id: condition_values(c, assessment) for c in {i.checklist.id: i.checklist for i in all_items}.values()}
    result: dict[tuple[str, str], Standing] = {}
    for item in all_items:
        cid, qid = item.checklist.id, item.question.id
        answer = assessment.answer_to(item.checklist, qid)
        value = answer.value if answer is not None else None
        skipped = assessment.is_skipped(item.checklist, qid)
        verdict = classify(item.checklist, item.question, value, skipped, values[cid],
                           answer.note if answer is not None else None)
        standing = Standing(_state(verdict, value, skipped, qid in confirm[cid]), verdict, item.question.scored)
        earlier = result.get(item.key)  # a shared question used by two checklists: in scope if either says so
        if earlier is None or earlier.state is State.out_of_scope:
            result[item.key] = standing
    return result


def states(all_items: Sequence[Item], assessment: Assessment) -> dict[tuple[str, str], State]:
    """The state of every question, by (checklist id, question id): what the questionnaire navigates by."""
    return {key: s.state for key, s in standings(all_items, assessment).items()}


def _to_confirm(all_items: Sequence[Item], assessment: Assessment) -> dict[str, set[str]]:
    refs = {r.id: r for r in assessment.checklists}
    confirm: dict[str, set[str]] = {}
    for checklist in {i.checklist.id: i.checklist for i in all_items}.values():
        ref = refs.get(checklist.id)
        confirm[checklist.id] = to_confirm(ref, checklist, assessment) if ref else set()
    return confirm


def _state(verdict: Verdict, value: object, skipped: bool, changed: bool) -> State:
    """The questionnaire's view of a verdict: what is answered, what is still to ask."""
    if verdict.status is Status.out_of_scope:
        return State.out_of_scope
    if not has_value(value):
        return State.skipped if skipped else State.unanswered
    if changed:
        return State.to_confirm
    if verdict.gap_reason == GAP_OFF_SCALE:
        return State.off_scale
    items = value if isinstance(value, list) else [value]
    return State.unknown if any(is_unknown(v) for v in items) else State.answered


@dataclass(frozen=True)
class Counts:
    total: int = 0
    out_of_scope: int = 0
    answered: int = 0  # with a value, "don't know", off-scale values and answers to confirm included
    gaps: int = 0  # exactly scoring's gaps; the four below say why
    unknown: int = 0
    skipped: int = 0
    unanswered: int = 0
    off_scale: int = 0
    na_unjustified: int = 0  # "not applicable" without a note, or contradicting an exposure answer
    to_confirm: int = 0
    info_open: int = 0  # text, number and date questions not answered (or "don't know"): asked, not gaps
    pending: int = 0  # still to be asked: unanswered or to confirm

    @property
    def relevant(self) -> int:
        return self.total - self.out_of_scope

    def to_json(self) -> dict[str, int]:
        return {"total": self.total, "relevant": self.relevant, "answered": self.answered,
                "gaps": self.gaps, "unknown": self.unknown, "skipped": self.skipped,
                "unanswered": self.unanswered, "off_scale": self.off_scale,
                "na_unjustified": self.na_unjustified, "to_confirm": self.to_confirm,
                "info_open": self.info_open, "pending": self.pending, "out_of_scope": self.out_of_scope}


def summary(checklists: Sequence[Checklist], assessment: Assessment) -> Counts:
    """The counts over every question of the assessment, gaps exactly as ``ddcheck score`` counts them."""
    return count(standings(items(checklists), assessment).values())


def count(found: Iterable[Standing]) -> Counts:
    """Tally standings; the gap breakdown is by scoring's gap reason, so it sums to ``gaps``."""
    found = list(found)
    reasons = [s.verdict.gap_reason for s in found if s.gap]
    return Counts(total=len(found),
                  out_of_scope=sum(s.state is State.out_of_scope for s in found),
                  answered=sum(s.state not in (State.out_of_scope, State.skipped, State.unanswered) for s in found),
                  gaps=len(reasons), unknown=reasons.count("unknown"), skipped=reasons.count("skipped"),
                  unanswered=reasons.count("unanswered"), off_scale=reasons.count(GAP_OFF_SCALE),
                  na_unjustified=reasons.count(GAP_NA_NO_NOTE) + reasons.count(GAP_NA_CONTRADICTS),
                  to_confirm=sum(s.state is State.to_confirm for s in found),
                  info_open=sum(s.verdict.status is Status.info and s.state in _OPEN for s in found),
                  pending=sum(s.state in PENDING for s in found))


_OPEN = {State.unanswered, State.skipped, State.unknown}


def section_counts(all_items: Sequence[Item], found: Mapping[tuple[str, str], Standing],
                   checklist_id: str, section_id: str) -> Counts:
    return count(found[i.key] for i in all_items if i.checklist.id == checklist_id and i.section.id == section_id)


def checklist_counts(all_items: Sequence[Item], found: Mapping[tuple[str, str], Standing],
                     checklist_id: str) -> Counts:
    return count(found[i.key] for i in all_items if i.checklist.id == checklist_id)


def next_pending(all_items: Sequence[Item], found: dict[tuple[str, str], State], after: int = -1,
                 wrap: bool = True) -> int | None:
    """Index of the first pending question after ``after``; then from the top if ``wrap``."""
    order = list(range(after + 1, len(all_items))) + (list(range(0, after + 1)) if wrap else [])
    return next((i for i in order if found[all_items[i].key] in PENDING), None)


def previous_relevant(all_items: Sequence[Item], found: dict[tuple[str, str], State], before: int) -> int | None:
    """Index of the question asked before ``before`` (the nearest earlier one in scope)."""
    return next((i for i in range(before - 1, -1, -1) if found[all_items[i].key] is not State.out_of_scope), None)


def index_of(all_items: Sequence[Item], checklist_id: str, question_id: str) -> int | None:
    return next((i for i, item in enumerate(all_items) if item.key == (checklist_id, question_id)), None)
