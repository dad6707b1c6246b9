"""``ddcheck answers export``: an assessment's answers, with their history, for review in a spreadsheet.

One row per answer given: the current answer first, then the answers it replaced, newest first,
so a reviewer filtering on ``status = current`` sees today's picture and the rest is the audit
trail. Questions are in workflow order (the numbers the questionnaire and the workbook show);
answers to questions a checklist no longer has come last. Every text cell is someone's input, so
CSV cells are neutralised and workbook cells are typed as text (``cells.py``).
"""

from __future__ import annotations

import csv
import io
from typing import Any, Sequence

from ..answers.assessment import Assessment, PastAnswer
from ..answers.values import display_value, format_number, plain_value
from ..checklists.model import Checklist, Question
from .cells import neutralised, put
from .layout import entries

FIELDS = ("checklist", "question", "number", "question_text", "value", "answer", "note", "evidence",
          "answered_by", "answered_at", "status")
CURRENT, REPLACED = "current", "replaced"


def answer_rows(assessment: Assessment, checklists: Sequence[Checklist]) -> list[dict[str, str]]:
    """Every answer of the assessment and every answer it replaced, as flat text rows."""
    rows: list[dict[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for entry in entries(checklists):
        home, qid = entry.key
        answer = assessment.answer(home, qid)
        seen.add((home, qid))
        if answer is not None:
            rows += _versions(home, qid, entry.number, entry.checklist, entry.question, answer)
    for cid, answers in assessment.answers.items():  # answers to questions the checklists no longer have
        for qid, answer in answers.items():
            if (cid, qid) not in seen:
                rows += _versions(cid, qid, "", None, None, answer)
    return rows


def _versions(cid: str, qid: str, number: str, checklist: Checklist | None, question: Question | None,
              answer: Any) -> list[dict[str, str]]:
    versions: list[tuple[PastAnswer, str]] = [(answer, CURRENT)]
    versions += [(past, REPLACED) for past in reversed(answer.history)]
    return [{
        "checklist": cid, "question": qid, "number": number,
        "question_text": question.text if question else "(no longer in the checklist)",
        "value": stored_text(v.value),
        "answer": display_value(checklist, question, v.value) if checklist and question else plain_value(v.value),
        "note": v.note or "", "evidence": "; ".join(v.evidence), "answered_by": v.answered_by,
        "answered_at": v.answered_at.isoformat(), "status": status,
    } for v, status in versions]


def stored_text(value: Any) -> str:
    """The value as the assessment file stores it (``unknown``, ``a; b``, ``1500``), for filters and re-import."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(value)
    if isinstance(value, float):
        return format_number(value)
    return str(value)


def to_csv(rows: Sequence[dict[str, str]]) -> str:
    """CSV with a header line; no cell can run as a formula in the spreadsheet that opens it."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: neutralised(str(row[key])) for key in FIELDS})
    return buffer.getvalue()


def to_xlsx(rows: Sequence[dict[str, str]]) -> bytes:
    """The same table as a workbook: a filter on every column, the header frozen, text typed as text."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "Answers"
    widths = {"checklist": 20, "question": 22, "number": 7, "question_text": 50, "value": 16, "answer": 22,
              "note": 40, "evidence": 30, "answered_by": 22, "answered_at": 21, "status": 10}
    for col, key in enumerate(FIELDS, start=1):
        put(ws.cell(1, col), key).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(col)].width = widths[key]
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(rows, start=2):
        for col, key in enumerate(FIELDS, start=1):
            put(ws.cell(r, col), row[key]).alignment = wrap
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(FIELDS))}{max(1, len(rows) + 1)}"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
