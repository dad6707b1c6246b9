"""Where an assessment stands: which questions are relevant, answered, skipped or still to ask.

Pure functions over an assessment and its checklists, shared by the questionnaire (what to ask
next, the progress line on every screen) and ``ddcheck status`` (the counts per section), so the
two can never disagree. Relevance is recomputed from the answers every time: a question whose
``when`` stops holding drops out of scope (its answer is kept), and one that starts holding after
a changed answer becomes pending and is asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Iterable, Sequence

from .assessment import UNKNOWN, Assessment
from .changes import to_confirm
from .checklist import Checklist, Question, Section
from .conditions import holds


class State(str, Enum):
    answered = "answered"
    unknown = "unknown"  # answered "don't know": a gap in the report
    to_confirm = "to_confirm"  # answered, but the question changed since; asked again
    skipped = "skipped"  # skipped on purpose: a gap
    unanswered = "unanswered"  # relevant, not answered yet: a gap until answered
    out_of_scope = "out_of_scope"  # its `when` does not hold: not asked, not counted


PENDING = {State.unanswered, State.to_confirm}  # what the questionnaire still asks, in order
GAPS = {State.unknown, State.skipped, State.unanswered}


@dataclass(frozen=True)
class Item:
    """One question in asking order, across all checklists of the assessment."""

    checklist: Checklist
    section: Section
    question: Question
    section_number: int  # 1-based within its checklist
    number: int  # 1-based within its checklist

    @property
    def key(self) -> tuple[str, str]:
        return (self.checklist.id, self.question.id)


def items(checklists: Sequence[Checklist]) -> list[Item]:
    out = []
    for checklist in checklists:
        number = 0
        for s_i, section in enumerate(checklist.sections, start=1):
            for question in section.questions:
                number += 1
                out.append(Item(checklist, section, question, s_i, number))
    return out


def relevant(item: Item, assessment: Assessment) -> bool:
    """Whether the question is asked, given the answers so far (skip logic)."""
    when = item.question.when
    return when is None or holds(when, assessment.values(item.checklist.id))


def states(all_items: Sequence[Item], assessment: Assessment) -> dict[tuple[str, str], State]:
    """The state of every question, by (checklist id, question id)."""
    refs = {r.id: r for r in assessment.checklists}
    confirm: dict[str, set[str]] = {}
    for checklist in {i.checklist.id: i.checklist for i in all_items}.values():
        ref = refs.get(checklist.id)
        confirm[checklist.id] = to_confirm(ref, checklist, assessment) if ref else set()
    result = {}
    for item in all_items:
        cid, qid = item.key
        answer = assessment.answer(cid, qid)
        if not relevant(item, assessment):
            state = State.out_of_scope
        elif answer is not None and answer.value is not None:
            if qid in confirm[cid]:
                state = State.to_confirm
            elif answer.value == UNKNOWN or (isinstance(answer.value, list) and UNKNOWN in answer.value):
                state = State.unknown
            else:
                state = State.answered
        elif qid in assessment.skipped.get(cid, []):
            state = State.skipped
        else:
            state = State.unanswered
        result[item.key] = state
    return result


@dataclass(frozen=True)
class Counts:
    total: int = 0
    out_of_scope: int = 0
    answered: int = 0  # with a value, "don't know" and answers to confirm included
    unknown: int = 0
    to_confirm: int = 0
    skipped: int = 0
    unanswered: int = 0

    @property
    def relevant(self) -> int:
        return self.total - self.out_of_scope

    @property
    def gaps(self) -> int:
        return self.unknown + self.skipped + self.unanswered

    def to_json(self) -> dict[str, int]:
        return {"total": self.total, "relevant": self.relevant, "answered": self.answered,
                "gaps": self.gaps, "unknown": self.unknown, "skipped": self.skipped,
                "unanswered": self.unanswered, "to_confirm": self.to_confirm, "out_of_scope": self.out_of_scope}


def count(found: Iterable[State]) -> Counts:
    tally = {s: 0 for s in State}
    total = 0
    for state in found:
        tally[state] += 1
        total += 1
    return Counts(total=total, out_of_scope=tally[State.out_of_scope],
                  answered=tally[State.answered] + tally[State.unknown] + tally[State.to_confirm],
                  unknown=tally[State.unknown], to_confirm=tally[State.to_confirm],
                  skipped=tally[State.skipped], unanswered=tally[State.unanswered])


def section_counts(all_items: Sequence[Item], found: dict[tuple[str, str], State],
                   checklist_id: str, section_id: str) -> Counts:
    return count(found[i.key] for i in all_items if i.checklist.id == checklist_id and i.section.id == section_id)


def checklist_counts(all_items: Sequence[Item], found: dict[tuple[str, str], State], checklist_id: str) -> Counts:
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
