"""Stable ids for recommended actions, and their follow-up (owner, due date, status) joined in. Pure.

Why an id derived from *checklist id, question id and answer value* rather than the action's
priority or text: priorities move whenever another answer changes, and a maintainer may reword an
action; the question and the answer that called for it are what the action is about. So the same
answer gives the same id in every later scoring, and a changed answer gives a new action with a new
id (its old record stays in the file, reported as no longer recommended). Eight hex digits of a
SHA-256 keep ids short enough to type; a clash inside one assessment is reported, not hidden.

No clock here: "overdue" is decided against the ``as_of`` date the caller passes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any, Mapping

from ..answers.assessment import UNKNOWN, Assessment
from ..answers.scope import chosen_values
from ..answers.tracking import CLOSED, ActionStatus, TrackedActionRecord
from ..checklists.model import Checklist
from .model import Action, Findings, QuestionResult

GAP_VALUE = ""  # the "answer value" of an unanswered or skipped question, in an action's id


def action_id(checklist_id: str, question_id: str, value: str) -> str:
    """The stable id of the action recommended for this answer to this question."""
    digest = hashlib.sha256(f"{checklist_id}\x00{question_id}\x00{value}".encode("utf-8")).hexdigest()
    return digest[:8]


@dataclass(frozen=True)
class TrackedAction:
    """A recommended action with its follow-up; ``status`` is ``open`` until someone records more."""

    id: str
    priority: int
    checklist_id: str
    question_id: str
    number: str
    question: str
    action: str
    kind: str  # "risk" or "gap", as in findings.Action
    risk: int
    value: str  # the answer value the action responds to ("" for an unanswered question)
    status: str = ActionStatus.open.value
    owner: str | None = None
    due: str | None = None  # YYYY-MM-DD
    comment: str | None = None
    updated_at: str | None = None
    updated_by: str | None = None
    changes: int = 0  # earlier states in the record's history
    overdue: bool = False


@dataclass(frozen=True)
class RetiredAction:
    """A tracked action that scoring no longer recommends (its answer changed): kept, reported."""

    id: str
    status: str
    owner: str | None
    due: str | None
    updated_at: str


@dataclass(frozen=True)
class ActionFollowUp:
    actions: tuple[TrackedAction, ...]
    retired: tuple[RetiredAction, ...]

    @property
    def open(self) -> int:
        return sum(a.status not in _CLOSED_VALUES for a in self.actions)

    @property
    def overdue(self) -> int:
        return sum(a.overdue for a in self.actions)


_CLOSED_VALUES = {s.value for s in CLOSED}


def answer_value(action: Action, result: QuestionResult | None, checklist: Checklist | None) -> str:
    """Which answer value an action responds to: the chosen value whose recommended action it is."""
    values = chosen_values(result.value) if result is not None else []
    if action.kind == "gap":
        return UNKNOWN if UNKNOWN in values else ",".join(values) if values else GAP_VALUE
    question = checklist.question(action.question_id) if checklist is not None else None
    if question is not None:
        for value in values:
            if question.actions.get(value) == action.action:
                return value
    return ",".join(values)


def follow_up(findings: Findings, assessment: Assessment, checklists: Mapping[str, Checklist],
              as_of: dt.date | None = None) -> ActionFollowUp:
    """Every action of the findings with its id and recorded follow-up, most urgent first."""
    results = {(q.checklist_id, q.question_id): q
               for c in findings.checklists for s in c.sections for q in s.questions}
    tracked: list[TrackedAction] = []
    seen: set[str] = set()
    for a in sorted(findings.actions, key=lambda a: a.priority):
        value = answer_value(a, results.get((a.checklist_id, a.question_id)), checklists.get(a.checklist_id))
        aid = action_id(a.checklist_id, a.question_id, value)
        seen.add(aid)
        tracked.append(_with_record(a, aid, value, assessment.actions.get(aid), as_of))
    retired = tuple(
        RetiredAction(id=aid, status=rec.status.value, owner=rec.owner,
                      due=rec.due.isoformat() if rec.due else None, updated_at=rec.updated_at.isoformat())
        for aid, rec in assessment.actions.items() if aid not in seen)
    return ActionFollowUp(tuple(tracked), retired)


def _with_record(a: Action, aid: str, value: str, record: TrackedActionRecord | None,
                 as_of: dt.date | None) -> TrackedAction:
    base: dict[str, Any] = dict(
        id=aid, priority=a.priority, checklist_id=a.checklist_id, question_id=a.question_id, number=a.number,
        question=a.question, action=a.action, kind=a.kind, risk=a.risk, value=value)
    if record is None:
        return TrackedAction(**base)
    overdue = (as_of is not None and record.due is not None and record.due < as_of
               and record.status not in CLOSED)
    return TrackedAction(
        **base, status=record.status.value, owner=record.owner,
        due=record.due.isoformat() if record.due else None, comment=record.comment,
        updated_at=record.updated_at.isoformat(), updated_by=record.updated_by,
        changes=len(record.history), overdue=overdue)
