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
