"""``ddcheck export xlsx``: the questionnaire as a workbook a supplier fills in Excel or LibreOffice.

Two visible sheets: Instructions (who asks, why, how to fill it in, and a respondent block) and
Questions (one row per question in workflow order). Only the respondent block and the answer,
note and evidence cells are unlocked; the sheets and the workbook structure are protected without
a password, which keeps the structure from being changed by accident, not by intent. So the import
does not trust it: the hidden layout sheet (``layout.py``) is how moved or edited rows are found.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from dataclasses import dataclass
from typing import Mapping, Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..answers.assessment import UNKNOWN, Assessment
from ..answers.values import display_value, format_number
from ..checklists.model import Checklist, Question, QuestionType, Source, unquoted
from .cells import put
from .layout import (ANSWER_FIELDS, COLUMNS, FIRST_ROW, HEADER_ROW, HEADINGS, INSTRUCTIONS_SHEET, LAYOUT_SHEET,
                     LISTS_SHEET, QUESTIONS_SHEET, Entry, checklist_letter, entries, layout_for, layout_table)

WIDTHS = {"number": 7, "section": 18, "question": 48, "answer": 22, "note": 30, "evidence": 26,
          "guidance": 40, "asked": 24, "sources": 48, "ref": 30}
ANSWER_FILL = PatternFill("solid", fgColor="FFF4C2")  # the cells to fill in: the only ones unlocked
HEADER_FILL = PatternFill("solid", fgColor="1F3A5F")
THIN = Side(style="thin", color="9AA5B1")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
UNLOCKED = Protection(locked=False)
LINE_HEIGHT = 15  # points per wrapped line, for row heights Excel does not compute by itself
MAX_ROW_HEIGHT = 409  # Excel's limit

RESPONDENT_LABELS = {"name": "Your name", "role": "Your role", "organisation": "Your organisation",
                     "email": "E-mail", "date": "Date (YYYY-MM-DD)"}


@dataclass(frozen=True)
class Request:
    """Who asks whom: printed on the Instructions sheet, kept in the layout for the import."""

    organisation: str = ""
    subject: str = ""
    contact: str = ""


def export_workbook(checklists: Sequence[Checklist], sources: Mapping[str, Source], request: Request,
                    prefill: Assessment | None = None) -> bytes:
    """The questionnaire workbook as .xlsx bytes (the caller writes them atomically)."""
    wb = Workbook()
    listed = entries(checklists)
    instructions = wb.active
    instructions.title = INSTRUCTIONS_SHEET
    respondent = _instructions(instructions, checklists, request, len(listed))
    questions = wb.create_sheet(QUESTIONS_SHEET)
    lists = wb.create_sheet(LISTS_SHEET)
    _questions(questions, lists, listed, sources, prefill)
    layout_sheet = wb.create_sheet(LAYOUT_SHEET)
    for row in layout_table(layout_for(listed, request.subject, request.organisation, respondent)):
        layout_sheet.append([None] * len(row))  # placeholders, then typed cells (text stays text)
        for col, value in enumerate(row, start=1):
            put(layout_sheet.cell(layout_sheet.max_row, col), value)
    for sheet in (lists, layout_sheet):
        sheet.sheet_state = "hidden"
        sheet.protection.sheet = True
    wb.security = WorkbookProtection(lockStructure=True)  # no password: sheets stay, hidden stays hidden
    wb.active = 1  # open on the questions; the instructions tab is one click away
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _instructions(ws: Worksheet, checklists: Sequence[Checklist], request: Request, count: int) -> dict[str, str]:
    """Fill the Instructions sheet; returns where each respondent field is typed, e.g. {"name": "B20"}."""
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 90
    put(ws["A1"], "Due diligence questionnaire").font = Font(bold=True, size=16)
    rows: list[tuple[str, str]] = [
        ("Requested by", request.organisation or "(not stated)"),
        ("About", request.subject or "(not stated)"),
    ]
    if request.contact:
        rows.append(("Questions? Contact", request.contact))
    several = len(checklists) > 1
    for i, checklist in enumerate(checklists):
        label = f"Part {checklist_letter(i)}" if several else "Checklist"
        rows.append((label, f"{checklist.title} (version {checklist.version})\n{checklist.summary}"))
    rows.append(("How to fill it in", "\n".join([
        "1. Fill in the yellow cells below: who answered. The answers are recorded as yours.",
        f"2. On the '{QUESTIONS_SHEET}' sheet, answer the {count} questions in the yellow 'Your answer' column. "
        "Pick an answer from the drop-down list where there is one; for questions that allow several "
        "answers, separate them with ';'. Choose \"Don't know\" rather than guess.",
        "3. Some questions apply only after a given answer: the question says so (\"Answer only if 1.2 is "
        "“Yes”\"). Leave the others empty.",
        "4. Explain an answer in the Note column, and list the documents or links that support it in the "
        "Evidence column (separate several with ';'). Dates: YYYY-MM-DD. Numbers: digits, '.' for decimals.",
        "5. Do not insert, delete, move or sort rows, and do not rename the sheets: the answers are read back "
        "by their place and a changed workbook is refused. Save as .xlsx and send it back.",
    ])))
    row = 3
    for label, text in rows:
        put(ws.cell(row, 1), label).font = Font(bold=True)
        cell = put(ws.cell(row, 2), text)
        cell.alignment = WRAP
        ws.row_dimensions[row].height = _height({"B": text}, {"B": 90})
        ws.cell(row, 1).alignment = WRAP
        row += 1
    row += 1
    put(ws.cell(row, 1), "Who answered (required)").font = Font(bold=True, size=13)
    row += 1
    cells = {}
    for key, label in RESPONDENT_LABELS.items():
        put(ws.cell(row, 1), label).font = Font(bold=True)
        answer = ws.cell(row, 2)
        answer.fill, answer.border, answer.protection = ANSWER_FILL, BOX, UNLOCKED
        cells[key] = f"B{row}"
        row += 1
    ws.protection.sheet = True
    _print_setup(ws, f"A1:B{row}", title_rows=None, landscape=False)
    return cells


def _questions(ws: Worksheet, lists: Worksheet, listed: Sequence[Entry], sources: Mapping[str, Source],
               prefill: Assessment | None) -> None:
    letters = COLUMNS
    for key, letter in letters.items():
        ws.column_dimensions[letter].width = WIDTHS[key]
        cell = put(ws[f"{letter}{HEADER_ROW}"], HEADINGS[key])
        cell.font, cell.fill, cell.alignment = Font(bold=True, color="FFFFFF"), HEADER_FILL, WRAP
    ws.row_dimensions[HEADER_ROW].height = 3 * LINE_HEIGHT
    validations = _Validations(ws, lists)
    for i, entry in enumerate(listed):
        row = FIRST_ROW + i
        q = entry.question
        texts = {
            "number": entry.number,
            "section": entry.section.title,
            "question": q.text + (f"\n\n{entry.condition}" if entry.condition else ""),
            "guidance": q.guidance,
            "asked": "\n".join(f"• {e}" for e in q.evidence),
            "sources": "\n\n".join(_cited(c.source, c.quote, c.locator, sources) for c in q.cite),
            "ref": entry.ref,
        }
        for key, text in texts.items():
            put(ws[f"{letters[key]}{row}"], text).alignment = WRAP
        for key in ANSWER_FIELDS:
            cell = ws[f"{letters[key]}{row}"]
            cell.fill, cell.border, cell.protection, cell.alignment = ANSWER_FILL, BOX, UNLOCKED, WRAP
        validations.add(entry, f"{letters['answer']}{row}")
        if prefill is not None:
            _prefill(ws, row, entry, prefill)
        ws.row_dimensions[row].height = _height({letters[k]: t for k, t in texts.items()},
                                                {letters[k]: WIDTHS[k] for k in texts})
        ws[f"{letters['number']}{row}"].font = Font(bold=True)
        ws[f"{letters['ref']}{row}"].font = Font(color="808080", size=8)
    ws.freeze_panes = f"A{FIRST_ROW}"
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # widths and heights may change; the layout does not
    ws.protection.formatRows = False
    last = FIRST_ROW + len(listed) - 1
    _print_setup(ws, f"A1:{letters['sources']}{last}", title_rows=f"{HEADER_ROW}:{HEADER_ROW}", landscape=True)


def _cited(source_id: str, quote: str, locator: str, sources: Mapping[str, Source]) -> str:
    source = sources.get(source_id)
    title = source.title if source else source_id
    return f"“{unquoted(quote)}”\n— {title}, {locator}"


class _Validations:
    """One drop-down (data validation) per scale, its labels in a column of the hidden Lists sheet;
    one input rule per kind of number, date or multi-choice question."""

    def __init__(self, ws: Worksheet, lists: Worksheet):
        self.ws, self.lists = ws, lists
        self.made: dict[tuple[object, ...], DataValidation | None] = {}
        self.columns = 0

    def add(self, entry: Entry, cell: str) -> None:
        q, checklist = entry.question, entry.checklist
        labels = tuple(c.label for c in checklist.choices(q))
        key = (q.type.value, labels, q.min, q.max)
        if key not in self.made:
            dv = self._list(labels) if q.type in (QuestionType.choice, QuestionType.yesno) else self._single(checklist, q)
            if dv is not None:
                self.ws.add_data_validation(dv)
            self.made[key] = dv
        dv = self.made[key]
        if dv is not None:
            dv.add(cell)

    def _list(self, labels: tuple[str, ...]) -> DataValidation:
        self.columns += 1
        col = get_column_letter(self.columns)
        for i, label in enumerate(labels, start=1):
            put(self.lists[f"{col}{i}"], label)
        dv = DataValidation(type="list", formula1=f"{LISTS_SHEET}!${col}$1:${col}${len(labels)}", allow_blank=True,
                            showErrorMessage=True, errorTitle="Not one of the answers",
                            error="Pick an answer from the drop-down list.")
        return dv

    def _single(self, checklist: Checklist, q: Question) -> DataValidation | None:
        if q.type is QuestionType.multi:
            labels = "; ".join(c.label for c in checklist.choices(q))
            return DataValidation(showInputMessage=True, promptTitle="One or more, separated by ;",
                                  prompt=_short(labels), allow_blank=True)
        if q.type is QuestionType.number:
            bounds = [b for b in (q.min, q.max) if b is not None]
            operator = ("between" if len(bounds) == 2 else "greaterThanOrEqual" if q.min is not None
                        else "lessThanOrEqual" if q.max is not None else "between")
            if not bounds:
                bounds = [-1e15, 1e15]
            return DataValidation(type="decimal", operator=operator, allow_blank=True,
                                  formula1=format_number(float(bounds[0])),
                                  formula2=format_number(float(bounds[1])) if len(bounds) == 2 else None,
                                  errorStyle="warning", showErrorMessage=True, errorTitle="A number",
                                  error=_short(_number_rule(q)), showInputMessage=True, prompt=_short(_number_rule(q)))
        if q.type is QuestionType.date:
            return DataValidation(showInputMessage=True, promptTitle="A date", prompt="Write it as YYYY-MM-DD.",
                                  allow_blank=True)
        return None


def _number_rule(q: Question) -> str:
    if q.min is not None and q.max is not None:
        return f"A number from {format_number(q.min)} to {format_number(q.max)}."
    if q.min is not None:
        return f"A number, at least {format_number(q.min)}."
    if q.max is not None:
        return f"A number, at most {format_number(q.max)}."
    return "A number (digits, '.' for decimals)."


def _short(text: str, limit: int = 250) -> str:
    """Excel refuses data-validation messages over 255 characters."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _prefill(ws: Worksheet, row: int, entry: Entry, assessment: Assessment) -> None:
    """Last round's answer, note and evidence, written as the respondent would type them."""
    answer = assessment.answer_to(entry.checklist, entry.question.id)
    if answer is None:
        return
    put(ws[f"{COLUMNS['answer']}{row}"], prefilled_value(entry.checklist, entry.question, answer.value))
    if answer.note:
        put(ws[f"{COLUMNS['note']}{row}"], answer.note)
    if answer.evidence:
        put(ws[f"{COLUMNS['evidence']}{row}"], "; ".join(answer.evidence))


def prefilled_value(checklist: Checklist, question: Question, value: object) -> object:
    """A stored value as its answer cell holds it: labels, real numbers, real dates."""
    if value is None:
        return None
    if question.scored:
        return display_value(checklist, question, value)
    if value == UNKNOWN:
        return "Don't know"  # read back as "unknown" for text, numbers and dates too
    if question.type is QuestionType.number and isinstance(value, float):
        return int(value) if value.is_integer() else value
    if question.type is QuestionType.date and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _height(texts: Mapping[str, str], widths: Mapping[str, float]) -> float:
    """A row height that shows every wrapped line (Excel does not grow rows written by a library)."""
    lines = 1
    for col, text in texts.items():
        per_line = max(8, int(widths[col] * 1.1))
        count = sum(max(1, math.ceil(len(part) / per_line)) for part in str(text).split("\n"))
        lines = max(lines, count)
    return min(MAX_ROW_HEIGHT, lines * LINE_HEIGHT + 4)


def _print_setup(ws: Worksheet, area: str, title_rows: str | None, landscape: bool) -> None:
    """A4, fit to the page width, the header row repeated on every page."""
    ws.print_area = area
    if title_rows:
        ws.print_title_rows = title_rows
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.oddFooter.center.text = "Page &P of &N"
