"""Untrusted text into spreadsheet cells, never as a formula.

Answers, notes and evidence come from suppliers and assessment files. A spreadsheet program runs
a CSV cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return that hides
one) as a formula: ``=HYPERLINK(...)`` or a DDE call in a reviewer's Excel (OWASP "CSV
injection"). CSV cells get a leading apostrophe, which spreadsheets show as text; workbook cells
are stored with the string type, which no program evaluates.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(text: str) -> str:
    """A CSV cell's text that no spreadsheet runs as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


MAX_CELL_TEXT = 32_767  # Excel's limit: a longer cell makes it "repair" (truncate) the workbook


def put(cell: Any, value: Any) -> Any:
    """Write ``value`` into an openpyxl cell; text is always stored as text, even ``=1+1``."""
    if isinstance(value, str) and len(value) > MAX_CELL_TEXT:
        value = value[: MAX_CELL_TEXT - 1] + "…"
    cell.value = value
    if isinstance(value, str) and cell.data_type == "f":
        cell.data_type = "s"
    return cell


def cell_text(value: Any) -> str:
    """A cell as a spreadsheet program saved it, as text for the answer parser.

    Whole numbers lose the ``.0`` a spreadsheet adds (``12.0`` -> ``12``); dates and date-times
    become ``YYYY-MM-DD`` (a date answer typed into Excel is stored as a date serial).
    """
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return str(value).strip()
