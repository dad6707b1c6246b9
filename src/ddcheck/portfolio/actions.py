"""``ddcheck actions``: list an assessment's actions with their follow-up, and record changes to one.

A change is written the way answers are: under the assessment's lock (a running ``assess``
session refuses it, exit 3), loaded fresh inside the lock so no concurrent change is lost, and
saved atomically, with the previous state kept in the record's history.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..answers.assessment import Assessment, load_assessment, now, save_assessment
from ..answers.locking import AssessmentLock
from ..answers.tracking import ActionState, ActionStatus, TrackedActionRecord
from ..checklists.library import Library
from ..errors import InputError, did_you_mean, display_path
from ..findings.model import Findings
from ..findings.scoring import score_assessment
from ..findings.tracking import ActionFollowUp, TrackedAction, follow_up


def checklists_in(library: Library) -> dict:
    return {cid: lc.checklist for cid, lc in library.checklists.items()}


def score(assessment: Assessment, library: Library) -> Findings:
    return score_assessment(assessment, checklists_in(library), library.sources)


def actions_of(assessment: Assessment, library: Library, as_of: dt.date) -> ActionFollowUp:
    return follow_up(score(assessment, library), assessment, checklists_in(library), as_of)


def record_action(path: Path, library: Library, action: str, *, by: str, status: ActionStatus | None = None,
                  owner: str | None = None, due: dt.date | None = None, comment: str | None = None,
                  at: dt.datetime | None = None) -> TrackedAction:
    """Record a change to one action; options left out keep their current value. Returns the action."""
    with AssessmentLock(path):
        assessment = load_assessment(path)
        current = {a.id: a for a in actions_of(assessment, library, (at or now()).date()).actions}
        if action not in current:
            hint = did_you_mean(action, current) or f"'ddcheck actions {display_path(path)}' lists the ids"
            retired = " (it is no longer recommended: its answer changed)" if action in assessment.actions else ""
            raise InputError(f"{display_path(path)}: no current action with id '{action}'{retired} ({hint})")
        previous = assessment.actions.get(action)
        state = ActionState(
            status=status or (previous.status if previous else ActionStatus.open),
            owner=owner if owner is not None else (previous.owner if previous else None),
            due=due if due is not None else (previous.due if previous else None),
            comment=comment if comment is not None else (previous.comment if previous else None),
            updated_at=at or now(), updated_by=by)
        assessment.actions[action] = (TrackedActionRecord(**state.model_dump()) if previous is None
                                      else previous.changed(state))
        save_assessment(path, assessment)
        return {a.id: a for a in actions_of(assessment, library, state.updated_at.date()).actions}[action]
