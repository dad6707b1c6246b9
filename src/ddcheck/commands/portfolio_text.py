"""Action follow-up and portfolio tables as plain terminal text: lines in, nothing printed here."""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterator

from .findings_text import _cut

NONE = "\u2014"


def action_lines(found: Any, as_of: dt.date) -> Iterator[str]:
    """``ddcheck actions FILE``: one line per action, overdue ones marked, retired ones after."""
    if not found.actions:
        yield "No action is recommended: no answer carries risk and no question is left open."
    else:
        yield f"{'ID':<8}  {'STATUS':<13}  {'DUE':<10}  {'OWNER':<16}  ACTION"
    for a in found.actions:
        status = a.status + (" OVERDUE" if a.overdue else "")
        yield (f"{a.id:<8}  {status:<13}  {a.due or NONE:<10}  {_cut(a.owner or NONE, 16):<16}  "
               f"{a.priority}. {a.checklist_id} {a.number}: {_cut(a.action, 90)}")
    if found.actions:
        yield ""
        yield (f"{len(found.actions)} action(s): {found.open} not closed, {found.overdue} overdue "
               f"(as of {as_of.isoformat()})")
    if found.retired:
        yield ""
        yield "No longer recommended (the answer changed), kept in the file:"
        for r in found.retired:
            yield f"{r.id:<8}  {r.status:<13}  {r.due or NONE:<10}  {_cut(r.owner or NONE, 16)}"


def _num(value: Any, suffix: str = "") -> str:
    if value is None:
        return NONE
    return f"{value:.1f}{suffix}" if isinstance(value, float) else f"{value}{suffix}"


def portfolio_lines(portfolio: Any) -> Iterator[str]:
    """``ddcheck portfolio``: one line per subject, most severe first, then the totals."""
    if not portfolio.rows:
        yield "No assessment found."
    else:
        yield (f"{'RATING':<9} {'EXPOSURE':<8} {'SUBJECT':<30} {'ASSESSED':<10} {'CONTROLS':>8} {'COVER':>5} "
               f"{'FLAGS':>7} {'ACTIONS':>8}  {'RE-ASSESSMENT':<19} {'TREND':<6}")
    for r in portfolio.rows:
        flags = f"{r.red_flags}" + (f" ({r.critical_red_flags}!)" if r.critical_red_flags else "")
        actions = f"{r.open_actions}/{r.overdue_actions}"
        again = r.reassessment_due + ("" if r.reassessment_status == "current" else f" {r.reassessment_status}")
        cover = NONE if r.coverage is None else f"{r.coverage * 100:.0f}%"
        yield (f"{r.rating or NONE:<9} {r.exposure or NONE:<8} {_cut(r.subject, 30):<30} {r.last_assessed:<10} "
               f"{_num(r.controls_score):>8} {cover:>5} {flags:>7} {actions:>8}  {again:<19} {r.trend or NONE:<6}")
    if portfolio.rows:
        yield ""
        by = ", ".join(f"{n} {rating}" for rating, n in portfolio.counts.items() if n)
        yield (f"{len(portfolio.rows)} subject(s), {portfolio.assessments} assessment(s): {by}. "
               f"FLAGS: red flags ((N!) critical); ACTIONS: open/overdue; as of {portfolio.as_of}.")
        overdue = sum(r.reassessment_status == "overdue" for r in portfolio.rows)
        if overdue:
            yield f"{overdue} re-assessment(s) overdue."
