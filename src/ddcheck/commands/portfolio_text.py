"""Action follow-up and portfolio tables as plain terminal text: lines in, nothing printed here."""

from __future__ import annotations

import datetime as dt
import textwrap
from typing import Any, Iterator

from ..terminal import cells, cut, fit

NONE = "\u2014"


def action_lines(found: Any, as_of: dt.date, width: int | None = None) -> Iterator[str]:
    """``ddcheck actions FILE``: one line per action, overdue ones marked, retired ones after. On a
    terminal of ``width`` columns too narrow for one line, each action's text goes on a second line."""
    two_lines = width is not None and width < 120
    if not found.actions:
        yield "No action is recommended: no answer carries risk and no question is left open."
    elif two_lines:
        yield f"{'ID':<8}  {'STATUS':<13}  {'DUE':<10}  OWNER"
        yield f"{'':<8}  ACTION"
    else:
        yield f"{'ID':<8}  {'STATUS':<13}  {'DUE':<10}  {'OWNER':<16}  ACTION"
    for a in found.actions:
        status = a.status + (" OVERDUE" if a.overdue else "")
        what = f"{a.priority}. {a.checklist_id} {a.number}: {' '.join(a.action.split())}"
        if two_lines:
            assert width is not None
            yield f"{a.id:<8}  {status:<13}  {a.due or NONE:<10}  {cut(a.owner or NONE, max(8, width - 38))}"
            yield f"{'':<8}  {cut(what, max(20, width - 11))}"
        else:
            yield f"{a.id:<8}  {status:<13}  {a.due or NONE:<10}  {fit(a.owner or NONE, 16)}  {cut(what, 120)}"
    if found.actions:
        yield ""
        yield (f"{len(found.actions)} action(s): {found.open} not closed, {found.overdue} overdue "
               f"(as of {as_of.isoformat()})")
    if found.retired:
        yield ""
        yield "No longer recommended (the answer changed), kept in the file:"
        for r in found.retired:
            yield f"{r.id:<8}  {r.status:<13}  {r.due or NONE:<10}  {cut(r.owner or NONE, 16)}"


def _num(value: Any, suffix: str = "") -> str:
    if value is None:
        return NONE
    return f"{value:.1f}{suffix}" if isinstance(value, float) else f"{value}{suffix}"


# The portfolio table's columns: (header, short header, right-aligned). Each is as wide as its
# widest cell; SUBJECT at most 30. On a terminal too narrow for them all, the columns in _DROPPED go
# in that order, then the short headers are used, then SUBJECT narrows.
_TABLE = (("RATING", "RATING", False), ("EXPOSURE", "EXPOSURE", False), ("SUBJECT", "SUBJECT", False),
          ("ASSESSED", "ASSESSED", False), ("CONTROLS", "SCORE", True), ("COVER", "COVER", True),
          ("FLAGS", "FLAGS", True), ("ACTIONS", "ACTS", True), ("RE-ASSESSMENT", "DUE", False),
          ("TREND", "TREND", False))
_DROPPED = ("TREND", "COVER", "EXPOSURE")
_WIDEST_SUBJECT, _NARROWEST_SUBJECT = 30, 12


def _row_cells(r: Any) -> dict[str, str]:
    flags = f"{r.red_flags}" + (f" ({r.critical_red_flags}!)" if r.critical_red_flags else "")
    again = r.reassessment_due + ("" if r.reassessment_status == "current" else f" {r.reassessment_status}")
    return {"RATING": r.rating or NONE, "EXPOSURE": r.exposure or NONE, "SUBJECT": " ".join(r.subject.split()),
            "ASSESSED": r.last_assessed, "CONTROLS": _num(r.controls_score),
            "COVER": NONE if r.coverage is None else f"{r.coverage * 100:.0f}%", "FLAGS": flags,
            "ACTIONS": f"{r.open_actions}/{r.overdue_actions}", "RE-ASSESSMENT": again, "TREND": r.trend or NONE}


def _layout(rows: list[dict[str, str]], width: int | None) -> tuple[dict[str, str], dict[str, int]]:
    """(header by column, width by column) of the columns shown: all, unless ``width`` is too narrow."""
    shown = [name for name, _, _ in _TABLE]
    headers = {name: name for name, _, _ in _TABLE}

    def widths() -> dict[str, int]:
        found = {name: max([len(headers[name])] + [cells(row[name]) for row in rows]) for name in shown}
        found["SUBJECT"] = min(found["SUBJECT"], _WIDEST_SUBJECT)
        return found

    def needed(found: dict[str, int]) -> int:  # a space between columns, two before RE-ASSESSMENT
        return sum(found.values()) + len(found)

    found = widths()
    if width is None or needed(found) <= width:
        return headers, found
    for name in _DROPPED:
        shown.remove(name)
        found = widths()
        if needed(found) <= width:
            return headers, found
    headers = {name: short for name, short, _ in _TABLE}
    found = widths()
    found["SUBJECT"] = max(_NARROWEST_SUBJECT, min(found["SUBJECT"], found["SUBJECT"] - (needed(found) - width)))
    return headers, found


def portfolio_lines(portfolio: Any, width: int | None = None) -> Iterator[str]:
    """``ddcheck portfolio``: one line per subject, most severe first, then the totals. On a terminal
    of ``width`` columns it leaves out trend, coverage and exposure, and narrows the subject, to fit."""
    rows = [_row_cells(r) for r in portfolio.rows]
    headers, widths = _layout(rows, width)
    right = {name for name, _, is_right in _TABLE if is_right}

    def line(row: dict[str, str]) -> str:
        parts = []
        for name, w in widths.items():
            text = row[name]
            parts.append((" " if name == "RE-ASSESSMENT" else "") + (f"{text:>{w}}" if name in right else fit(text, w)))
        return " ".join(parts).rstrip()

    if not rows:
        yield "No assessment found."
    else:
        yield line(headers)
    for row in rows:
        yield line(row)
    if portfolio.rows:
        yield ""
        by = ", ".join(f"{n} {rating}" for rating, n in portfolio.counts.items() if n)
        totals = (f"{len(portfolio.rows)} subject(s), {portfolio.assessments} assessment(s): {by}. "
                  f"FLAGS: red flags ((N!) critical); {headers['ACTIONS']}: open/overdue; as of {portfolio.as_of}.")
        yield from textwrap.wrap(totals, width - 1) if width else [totals]
        overdue = sum(r.reassessment_status == "overdue" for r in portfolio.rows)
        if overdue:
            yield f"{overdue} re-assessment(s) overdue."
