"""``ddcheck answers import filled.xlsx``: a returned questionnaire workbook as import rows.

The workbook is untrusted twice over: its cells are a supplier's text, and its structure may have
changed (rows sorted, inserted or deleted, a reference retyped). Before any answer is read, every
question row is matched against the layout the export stored (``layout.py``): a row that does not
hold the question the layout says is reported, with its cell, and nothing is imported, so an
answer can never land on another question. The rows that come out go through the same
``validate_rows`` as a CSV file; only the places differ (``filled.xlsx:Questions!D14``).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from ..answers.assessing import parse_date
from ..answers.assessment import MAX_SHORT
from ..answers.importing import ImportUnreadable, Row
from ..answers.values import quoted
from ..checklists.library import Library, question_fingerprints
from ..errors import InputError, Problem, display_path
from ..files import read_regular
from .cells import cell_text
from .layout import (ANSWER_FIELDS, COLUMNS, FIRST_ROW, INSTRUCTIONS_SHEET, LAYOUT_SHEET, QUESTIONS_SHEET,
                     Layout, LayoutBroken, parse_layout_table)

CELL = re.compile(r"!([A-Z]{1,3})([0-9]+)$")
MAX_BYTES = 50 * 1024 * 1024  # far above any questionnaire; stops a zip bomb before openpyxl inflates it
MAX_INFLATED = 200 * 1024 * 1024


class Formula(str):
    """A cell that holds a formula, not a typed value.

    Its result is whatever the saving program last computed, and only if it computed one: a
    workbook written by a script has none, so the answer would vanish into a gap without a word.
    An answer must be what the respondent typed, so a formula in a cell they fill is refused.
    """


@dataclass
class CellRow(Row):
    """A question row of the workbook: its problems are located by sheet and cell, not line and column."""

    sheet: str = QUESTIONS_SHEET
    cells: dict[str, str] = field(default_factory=dict)  # field -> cell, e.g. {"value": "D14"}

    def problem(self, file: str, key: str, message: str, hint: str = "") -> Problem:
        return Problem(f"{file}:{self.sheet}!{self.cells.get(key, f'A{self.line}')}", 0, 0, message, hint)

    def place(self, file: str) -> str:
        return f"{file}:{self.sheet}!{self.cells.get('value', f'A{self.line}')}"

    def mention(self) -> str:
        return f"row {self.line}"


@dataclass
class FilledWorkbook:
    rows: list[CellRow]
    problems: list[Problem]  # answers that cannot be read (exit 1, like invalid CSV rows)
    respondent: str  # "Name (role, organisation)": recorded as the source of every answer
    layout: Layout
    answered_on: str | None = None  # the respondent's date, YYYY-MM-DD: a new assessment's date


def read_workbook(path: Path, library: Library) -> FilledWorkbook:
    """The answered rows of a returned workbook; a workbook that is not intact raises ImportUnreadable (exit 2)."""
    shown = display_path(path)
    sheets = _load(path, shown)
    layout = _layout(sheets, shown)
    questions = sheets.get(QUESTIONS_SHEET)
    if questions is None:
        raise ImportUnreadable([Problem(shown, 0, 0, f"the sheet '{QUESTIONS_SHEET}' is missing or was renamed",
                                        "send the respondent a fresh export")])
    structure = _structure_problems(questions, layout, shown)
    if structure:
        raise ImportUnreadable(structure)
    problems: list[Problem] = []
    respondent, answered_on = _respondent(sheets.get(INSTRUCTIONS_SHEET, []), layout, shown, problems)
    changed = _changed_questions(layout, library)
    rows = []
    for entry in layout.rows:
        cells = {key: f"{COLUMNS[key]}{entry.row}" for key in ANSWER_FIELDS}
        values = {key: _cell(questions, entry.row, COLUMNS[key]) for key in ANSWER_FIELDS}
        if not any(cell_text(v) for v in values.values()):
            continue  # not answered: a gap, not an error
        formulas = [key for key in ANSWER_FIELDS if isinstance(values[key], Formula)]
        if formulas:
            problems.extend(_formula_problem(f"{shown}:{QUESTIONS_SHEET}!{cells[key]}", values[key], f"{entry.ref}: ")
                            for key in formulas)
            continue
        checklist_id, question_id = entry.ref.split("/", 1)
        located = {"checklist": cells["answer"], "question": cells["answer"], "value": cells["answer"],
                   "note": cells["note"], "evidence": cells["evidence"]}
        if entry.ref in changed:
            problems.append(Problem(f"{shown}:{QUESTIONS_SHEET}!{cells['answer']}", 0, 0,
                                    f"question {entry.number} ({entry.ref}) has changed since this workbook "
                                    "was exported", "send the respondent a fresh export and ask again"))
            continue
        fields = {"checklist": checklist_id, "question": question_id, "value": cell_text(values["answer"]),
                  "note": cell_text(values["note"]), "evidence": cell_text(values["evidence"])}
        rows.append(CellRow(entry.row, 1, fields, cells=located))
    return FilledWorkbook(rows, problems, respondent, layout, answered_on)


def _load(path: Path, shown: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every sheet's cell values (read-only streaming: a large workbook does not fill memory)."""
    from openpyxl import load_workbook

    data = io.BytesIO(read_regular(path, shown, MAX_BYTES))  # never a FIFO, a device or an endless file
    try:
        with zipfile.ZipFile(data) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_INFLATED:
                raise InputError(f"{shown}: unpacks to more than {MAX_INFLATED // (1024 * 1024)} MB; "
                                 "not a questionnaire workbook")
        wb = load_workbook(data, read_only=True)  # formulas as formulas: see Formula
    except InputError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise InputError(f"{shown}: not a readable .xlsx workbook ({type(exc).__name__}); "
                         "save it as 'Excel 2007-365 (.xlsx)' and try again") from None
    try:
        return {ws.title: [tuple(_typed(c) for c in r) for r in ws.iter_rows()] for ws in wb.worksheets}
    finally:
        wb.close()


def _typed(cell: Any) -> Any:
    """A cell's value, a formula marked as such (openpyxl gives it as ``=...`` text, like typed text)."""
    if getattr(cell, "data_type", None) == "f":
        return Formula(getattr(cell.value, "text", None) or str(cell.value))
    return cell.value


def _formula_problem(place: str, formula: str, about: str = "") -> Problem:
    return Problem(place, 0, 0, f"{about}the cell holds a formula {quoted(formula)}, not a typed answer",
                   "type the value itself, or copy the cell and paste it as values only")


def _layout(sheets: dict[str, list[tuple[Any, ...]]], shown: str) -> Layout:
    table = sheets.get(LAYOUT_SHEET)
    if table is None:
        raise ImportUnreadable([Problem(shown, 0, 0, "not a ddcheck questionnaire (it has no layout sheet)",
                                        "export one with 'ddcheck export xlsx CHECKLIST -o FILE.xlsx'")])
    try:
        return parse_layout_table(table)
    except LayoutBroken as exc:
        raise ImportUnreadable([Problem(f"{shown}:{LAYOUT_SHEET}!A1", 0, 0, f"the workbook cannot be trusted: {exc}",
                                        "send the respondent a fresh export")]) from None


def _cell(sheet: Sequence[tuple[Any, ...]], row: int, column: str) -> Any:
    index = ord(column) - ord("A")
    if row - 1 >= len(sheet) or index >= len(sheet[row - 1]):
        return None
    return sheet[row - 1][index]


def _structure_problems(sheet: Sequence[tuple[Any, ...]], layout: Layout, shown: str) -> list[Problem]:
    """Every row that does not hold the question the layout says, and every row added below the last."""
    problems = []
    ref_col, number_col = COLUMNS["ref"], COLUMNS["number"]
    for entry in layout.rows:
        found = cell_text(_cell(sheet, entry.row, ref_col))
        number = cell_text(_cell(sheet, entry.row, number_col))
        if found != entry.ref or number != entry.number:
            holds = f"holds '{found}'" if found else "is empty"
            problems.append(Problem(f"{shown}:{QUESTIONS_SHEET}!{ref_col}{entry.row}", 0, 0,
                                    f"row {entry.row} should hold question {entry.number} ({entry.ref}) but {holds}: "
                                    "rows were moved, inserted or deleted, or the reference was edited",
                                    "answers are never guessed; undo the change or send a fresh export"))
    last = layout.rows[-1].row if layout.rows else FIRST_ROW - 1
    for index in range(last, len(sheet)):
        if any(cell_text(v) for v in sheet[index]):
            problems.append(Problem(f"{shown}:{QUESTIONS_SHEET}!A{index + 1}", 0, 0,
                                    f"row {index + 1} is not part of the questionnaire (a question was added?)",
                                    "remove it; ddcheck reads only the questions it exported"))
            break
    return problems


def _respondent(sheet: Sequence[tuple[Any, ...]], layout: Layout, shown: str,
                problems: list[Problem]) -> tuple[str, str | None]:
    """Who answered, "Name (role, organisation)", and on which day, from the Instructions sheet."""
    found = {}
    for key, ref in layout.respondent.items():
        column, row = ref[0], int(ref[1:])
        value = _cell(sheet, row, column)
        if isinstance(value, Formula):
            problems.append(_formula_problem(f"{shown}:{INSTRUCTIONS_SHEET}!{ref}", value))
            value = None
        found[key] = cell_text(value)
    day = found.get("date") or None
    if day is not None and parse_date(day) is None:
        problems.append(Problem(f"{shown}:{INSTRUCTIONS_SHEET}!{layout.respondent['date']}", 0, 0,
                                f"'{day}' is not a date", "write it as YYYY-MM-DD, e.g. 2025-03-31"))
    if not found.get("name"):
        problems.append(Problem(f"{shown}:{INSTRUCTIONS_SHEET}!{layout.respondent.get('name', 'B1')}", 0, 0,
                                "the respondent's name is empty", "the answers are recorded as theirs; fill it in"))
        return "", day
    details = ", ".join(found[k] for k in ("role", "organisation") if found.get(k))
    respondent = f"{found['name']} ({details})" if details else found["name"]
    if len(respondent) > MAX_SHORT:
        problems.append(Problem(f"{shown}:{INSTRUCTIONS_SHEET}!{layout.respondent['name']}", 0, 0,
                                f"name, role and organisation are {len(respondent):,} characters long; "
                                f"at most {MAX_SHORT} are kept", "shorten them"))
    return respondent, day


def _changed_questions(layout: Layout, library: Library) -> set[str]:
    """References whose wording, type or choices differ now from when the workbook was exported."""
    prints: dict[str, dict[str, str]] = {}
    changed = set()
    for entry in layout.rows:
        checklist_id, question_id = entry.ref.split("/", 1)
        loaded = library.checklists.get(checklist_id)
        if loaded is None:
            continue  # validate_rows says the checklist is not in view
        if checklist_id not in prints:
            prints[checklist_id] = question_fingerprints(loaded.checklist)
        now = prints[checklist_id].get(question_id)
        if now is not None and now != entry.fingerprint:
            changed.add(entry.ref)
    return changed


def problem_order(problem: Problem) -> tuple[int, int, str]:
    """Workbook problems in reading order: the Instructions sheet first, then row by row, column by column."""
    found = CELL.search(problem.file)
    if found is None:
        return (0, 0, "")
    sheet = 0 if f":{INSTRUCTIONS_SHEET}!" in problem.file else 1
    return (sheet, int(found.group(2)), found.group(1))
