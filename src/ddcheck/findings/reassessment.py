"""When an assessment must be done again: the checklist's validity, shortened by the rating. Pure.

The rule (also in the README, "Re-assessment dates"), chosen so that the worse a subject looks,
the sooner someone looks again:

- a checklist states ``valid_for_months`` (1-120); one that does not is valid for
  :data:`DEFAULT_VALID_MONTHS`;
- a checklist rated **high** is valid for half of that, **critical** for a quarter (rounded down,
  at least one month); low, medium and unrated keep the full period;
- the assessment is due on the earliest of its checklists' dates, counted from the assessment's
  date (``meta.date``); it is *due* from :data:`DUE_SOON_DAYS` days before that day and *overdue*
  the day after.

No clock: the caller passes ``as_of``.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Mapping

from ..checklists.model import Checklist
from .model import Findings, Rating

DEFAULT_VALID_MONTHS = 24
SHORTENED = {Rating.high: 2, Rating.critical: 4}  # divide the validity by this for these ratings
DUE_SOON_DAYS = 30

CURRENT, DUE, OVERDUE = "current", "due", "overdue"


@dataclass(frozen=True)
class ChecklistValidity:
    checklist_id: str
    rating: str | None
    months: int  # after shortening
    stated_months: int  # what the checklist says, or the default
    due: str  # YYYY-MM-DD


@dataclass(frozen=True)
class Reassessment:
    due: str  # YYYY-MM-DD: the earliest of the checklists' dates
    status: str  # current | due | overdue, on ``as_of``
    days_left: int  # negative when overdue
    as_of: str
    basis: tuple[ChecklistValidity, ...]

    @property
    def text(self) -> str:
        """"re-assessment overdue since 2025-08-14 (40 days)", as status, score and the portfolio say it."""
        if self.status == OVERDUE:
            return f"re-assessment overdue since {self.due} ({-self.days_left} days)"
        if self.status == DUE:
            return f"re-assessment due on {self.due} (in {self.days_left} days)"
        return f"next re-assessment by {self.due}"


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months later; the 31st becomes the last day of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def valid_months(stated: int | None, rating: Rating | None) -> int:
    base = stated or DEFAULT_VALID_MONTHS
    return max(1, base // SHORTENED[rating]) if rating in SHORTENED else base


def reassessment(assessed_on: dt.date, findings: Findings, checklists: Mapping[str, Checklist],
                 as_of: dt.date) -> Reassessment:
    basis = []
    for result in findings.checklists:
        checklist = checklists.get(result.id)
        stated = (checklist.valid_for_months if checklist is not None else None) or DEFAULT_VALID_MONTHS
        months = valid_months(stated, result.rating)
        basis.append(ChecklistValidity(result.id, result.rating.value if result.rating else None, months, stated,
                                       add_months(assessed_on, months).isoformat()))
    due = min((dt.date.fromisoformat(b.due) for b in basis),
              default=add_months(assessed_on, DEFAULT_VALID_MONTHS))
    left = (due - as_of).days
    status = OVERDUE if left < 0 else DUE if left <= DUE_SOON_DAYS else CURRENT
    return Reassessment(due.isoformat(), status, left, as_of.isoformat(), tuple(basis))
