"""The follow-up of recommended actions, as stored in the assessment file (optional ``actions:`` section).

Scoring recommends actions; people then own them, set a due date and close them. That record
belongs with the answers it follows up (one file, one lock, one atomic save, one audit trail), so
it is a section of the assessment file keyed by the action's stable id (``findings.tracking``).
Files written before this section existed load unchanged: the section defaults to empty.

Each change keeps the previous state in ``history``, like a changed answer does.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from .action_status import CLOSED, ActionStatus  # noqa: F401  (CLOSED re-exported for readers of records)

Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
Comment = Annotated[str, StringConstraints(max_length=20_000)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ActionState(_Model):
    """Who owns an action, by when, how far it is, and who said so when."""

    status: ActionStatus = ActionStatus.open
    owner: Short | None = None
    due: dt.date | None = None
    comment: Comment | None = None
    updated_at: dt.datetime
    updated_by: Short


class TrackedActionRecord(ActionState):
    """The current state plus every earlier one (oldest first)."""

    history: list[ActionState] = Field(default_factory=list)

    def changed(self, new: ActionState) -> TrackedActionRecord:
        """This record moved to ``new``, the current state kept in the history."""
        past = ActionState(**self.model_dump(exclude={"history"}))
        return TrackedActionRecord(**new.model_dump(), history=[*self.history, past])
