"""Dates given on the command line (``--as-of``, ``--due``): one parser, one error wording."""

from __future__ import annotations

import datetime as dt


def parse_day(text: str | None, option: str) -> dt.date | None:
    """``YYYY-MM-DD`` -> date; None stays None; anything else is bad input (exit 2)."""
    if text is None:
        return None
    from ..errors import InputError

    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"{option} {text!r}: not a date (write it as YYYY-MM-DD, e.g. 2025-06-30)") from None


def as_of_or_today(text: str | None) -> dt.date:
    """The day "overdue" is judged on: ``--as-of`` when given, else today (local time)."""
    return parse_day(text, "--as-of") or dt.date.today()
