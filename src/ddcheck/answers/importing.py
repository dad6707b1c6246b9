"""``ddcheck answers import``: answers from a CSV or YAML file, for work without a terminal.

The non-interactive route (CI, answers collected in a spreadsheet, answers from another tool).
Every row is checked against the checklists by the same rules as the questionnaire
(``values.parse_value``); every invalid row is reported with its place — ``FILE:LINE:COL``
— and if any row is invalid nothing is written, so a half-imported assessment never exists.
A file that cannot be read as rows at all (YAML or CSV syntax, a bad header, not a list) exits 2
like any broken input; invalid rows exit 1.
Valid imports merge like answers typed in the terminal: a changed answer keeps the earlier one
in its history.

Row format (CSV with a header line, or YAML; ``note`` and ``evidence`` are optional)::

    checklist,question,value,note,evidence
    ungp-due-diligence,policy-commitment,yes,Board approved 2023,hr-policy.pdf; https://example.org/policy
    ungp-due-diligence,last-report-date,2024-06-30,,

Multi-choice values and evidence items are separated by ';'. In YAML, a list of mappings
with the same keys (optionally under ``answers:``); ``value`` and ``evidence`` may be lists.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from .values import InvalidValue, parse_value, quoted, split_list

from .assessment import Assessment, AnswerValue, answer_with, beyond_bounds
from .changes import confirmed_everywhere
from ..errors import MAX_PROBLEMS_PER_FILE, BrokenInput, InputError, Problem, ProblemsError, did_you_mean, display_path
from ..checklists.library import Library
from .scope import GAP_NA_CONTRADICTS, condition_values, in_scope, is_not_applicable, na_problem
from ..checklists.yamlread import decode_utf8, read_limited, read_yaml

COLUMNS = ("checklist", "question", "value", "note", "evidence")
REQUIRED = ("checklist", "question", "value")


class _NothingImported(ProblemsError):
    """Every problem is listed (the first hundred per file), then a line saying nothing was written."""

    def __init__(self, problems: Iterable[Problem]):
        problems = list(problems)
        self.total = len(problems)
        super().__init__(problems)

    def lines(self) -> list[str]:
        return [*super().lines(), f"{self.total} problem(s); nothing was imported."]


class ImportRejected(_NothingImported):
    """Invalid rows (exit 1)."""


class ImportUnreadable(_NothingImported, BrokenInput):
    """The answers file itself is broken (syntax, header, shape; exit 2)."""


@dataclass
class Row:
    """One row as read, with the place of each field for messages."""

    line: int
    col: int
    fields: dict[str, Any]
    places: dict[str, tuple[int, int]] = field(default_factory=dict)

    def where(self, key: str) -> tuple[int, int]:
        return self.places.get(key, (self.line, self.col))

    def problem(self, file: str, key: str, message: str, hint: str = "") -> Problem:
        """A problem at this row's ``key`` field; rows read from other formats locate it their own way
        (a workbook row says ``filled.xlsx:Questions!D14``)."""
        return Problem(file, *self.where(key), message, hint)

    def place(self, file: str) -> str:
        """Where the row starts, for notes: ``FILE:LINE:COL``."""
        return f"{file}:{self.line}:{self.col}"

    def mention(self) -> str:
        """The row as a hint names it: ``line 12``."""
        return f"line {self.line}"


@dataclass(frozen=True)
class ValidRow:
    checklist: str
    question: str
    value: AnswerValue
    note: str | None
    evidence: list[str]
    line: int
    col: int
    place: str = ""  # FILE:LINE:COL (or a workbook cell) for notes about the row
    source: Row | None = field(default=None, compare=False, repr=False)  # to locate later problems


# ----------------------------------------------------------------------------- reading


def read_rows(path: Path) -> tuple[list[Row], list[Problem]]:
    """Rows of a .csv or .yaml/.yml file, and problems with single rows (exit 1).

    Problems with the file as a whole — encoding, syntax, header, not a list — raise
    ``ImportUnreadable`` (exit 2) instead.
    """
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".yaml", ".yml"):
        raise InputError(f"{display_path(path)}: expected a .csv, .yaml or .yml file")
    try:
        return _read_csv(path) if suffix == ".csv" else _read_yaml(path)
    except ImportUnreadable:
        raise
    except ProblemsError as exc:  # not UTF-8, YAML syntax, oversized...
        raise ImportUnreadable(exc.problems) from None


def field_columns(line: str, delimiter: str) -> list[int]:
    """1-based start column of each field of one physical CSV line, respecting quotes."""
    cols, quoted, i = [1], False, 0
    while i < len(line):
        ch = line[i]
        if ch == '"':
            if quoted and line[i + 1: i + 2] == '"':
                i += 2
                continue
            quoted = not quoted
        elif ch == delimiter and not quoted:
            cols.append(i + 2)
        i += 1
    return cols


@dataclass(frozen=True)
class CsvRecord:
    """One non-blank CSV record: the line it starts on, each field's start column (when known), the fields."""

    line: int
    cols: list[int]
    cells: list[str]

    def col(self, index: int) -> int:
        return self.cols[index] if index < len(self.cols) else 1


class CsvBroken(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line


def csv_records(path: Path, hint: str = "save it as 'CSV UTF-8' from the spreadsheet") -> Iterator[CsvRecord]:
    """The records of a UTF-8 CSV file (a BOM allowed; ',' or ';' between fields, as the first line
    shows), skipping blank lines and '#' comments. A quoting error raises CsvBroken with its line."""
    shown = display_path(path)
    raw = read_limited(path, shown)
    text = decode_utf8(raw, shown, hint)
    physical = [ln.rstrip("\r\n") for ln in io.StringIO(text, newline="").readlines()]  # as the reader counts
    first = next((ln for ln in physical if ln.strip() and not ln.lstrip().startswith("#")), "")
    # Spreadsheets in many locales save CSV with ';' between columns; the header (not a comment
    # line above it) tells which.
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    previous_end = 0
    try:
        for record in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if not record or all(not cell.strip() for cell in record) or record[0].lstrip().startswith("#"):
                continue
            cols = field_columns(physical[start - 1], delimiter) if start == reader.line_num else []
            yield CsvRecord(start, cols, record)
    except csv.Error as exc:
        raise CsvBroken(reader.line_num, f"CSV error: {exc}") from None


def _read_csv(path: Path) -> tuple[list[Row], list[Problem]]:
    shown = display_path(path)
    problems: list[Problem] = []
    rows: list[Row] = []
    header: list[str] | None = None
    try:
        for rec in csv_records(path):
            start, record = rec.line, rec.cells
            if header is None:
                header = [cell.strip().lower() for cell in record]
                for i, name in enumerate(header):
                    col = rec.col(i)
                    if name not in COLUMNS:
                        problems.append(Problem(shown, start, col, f"unknown column '{name}'",
                                                did_you_mean(name, COLUMNS) or f"use: {','.join(COLUMNS)}"))
                    elif name in header[:i]:
                        problems.append(Problem(shown, start, col, f"the column '{name}' appears twice in the header",
                                                "keep one of them"))
                missing = [c for c in REQUIRED if c not in header]
                if missing:
                    problems.append(Problem(shown, start, 1, f"the header lacks the column(s) {', '.join(missing)}",
                                            f"start the file with the line: {','.join(COLUMNS)}"))
                if problems:
                    raise ImportUnreadable(problems)
                continue
            if len(record) > len(header):
                problems.append(Problem(shown, start, rec.col(len(header)) if len(header) < len(rec.cols) else 1,
                                        f"{len(record)} fields but the header has {len(header)}",
                                        "quote values that contain the separator"))
                continue
            fields = {name: record[i] for i, name in enumerate(header) if i < len(record)}
            places = {name: (start, rec.cols[i]) for i, name in enumerate(header) if i < len(rec.cols)}
            rows.append(Row(start, 1, fields, places))
    except CsvBroken as exc:
        raise ImportUnreadable([*problems, Problem(shown, exc.line, 1, str(exc), "check the quotes on this line")]) from None
    if header is None:
        raise ImportUnreadable([Problem(shown, 1, 1, "the file is empty",
                                        f"start it with the line: {','.join(COLUMNS)}")])
    return rows, problems


def _read_yaml(path: Path) -> tuple[list[Row], list[Problem]]:
    located = read_yaml(path, display_path(path))
    data, base = located.data, ()
    if isinstance(data, dict) and set(data) == {"answers"}:
        data, base = data["answers"], ("answers",)
    if not isinstance(data, list):
        raise ImportUnreadable([located.problem(base, "expected a list of answers",
                                                "write '- {checklist: ID, question: ID, value: ...}' per answer")])
    rows, problems = [], []
    for i, item in enumerate(data):
        line, col = located.where(base + (i,))
        if not isinstance(item, dict):
            problems.append(Problem(located.file, line, col, "expected a mapping with checklist, question and value"))
            continue
        unknown = [k for k in item if k not in COLUMNS]
        for key in unknown:  # past the first hundred problems (not shown), no "did you mean"
            hint = did_you_mean(key, COLUMNS) if len(problems) < MAX_PROBLEMS_PER_FILE else ""
            problems.append(located.problem(base + (i, key), f"unknown key '{key}'",
                                            hint or f"use: {', '.join(COLUMNS)}", key=True))
        if unknown:
            continue
        places = {key: located.where(base + (i, key)) for key in item}
        rows.append(Row(line, col, dict(item), places))
    return rows, problems


# ----------------------------------------------------------------------------- checking


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _nested(value: Any) -> bool:
    """A mapping, or a list holding lists or mappings: never an answer, whatever the question."""
    return isinstance(value, dict) or (isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value))


def validate_rows(rows: list[Row], library: Library, file: str) -> tuple[list[ValidRow], list[Problem]]:
    """Check each row against the checklists; every problem is reported, not just the first."""
    valid: list[ValidRow] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, str], str] = {}

    def problem(row: Row, key: str, message: str, hint: str = "") -> None:
        problems.append(row.problem(file, key, message, hint))

    for row in rows:
        cid, qid = _text(row.fields.get("checklist")), _text(row.fields.get("question"))
        if not cid:
            problem(row, "checklist", "no checklist id",
                    "fill in the 'checklist' column, e.g. ungp-due-diligence")
            continue
        if cid not in library.checklists:
            problem(row, "checklist", *library.not_in_view(cid))
            continue
        checklist = library.checklists[cid].checklist
        if not qid:
            problem(row, "question", "no question id", f"run 'ddcheck checklists show {cid}' for the ids")
            continue
        question = checklist.question(qid)
        if question is None:
            ids = [q.id for _, q in checklist.questions()]
            problem(row, "question", f"checklist '{cid}' has no question {quoted(qid)}",
                    did_you_mean(qid, ids) or f"run 'ddcheck checklists show {cid}' for the ids")
            continue
        raw = row.fields.get("value")
        if _nested(raw):  # parse_value would keep the mapping's text as the answer
            problem(row, "value", f"{cid}/{qid}: a value is one answer, or a list of answers for a multi-choice "
                    "question, not a mapping or nested list", "quote it if the text contains ': '")
            continue
        try:
            value = parse_value(checklist, question, raw)
        except InvalidValue as exc:
            problem(row, "value", f"{cid}/{qid}: {exc}")
            continue
        note = row.fields.get("note")
        if isinstance(note, (list, dict)):
            problem(row, "note", "a note is one piece of text")
            continue
        if is_not_applicable(checklist, question, value) and not _text(note):
            problem(row, "value", f"{cid}/{qid}: \"not applicable\" needs a note saying why it does not apply",
                    "fill in the 'note' column")
            continue
        evidence_raw = row.fields.get("evidence")
        if isinstance(evidence_raw, list) and not _nested(evidence_raw):
            evidence = [_text(e) for e in evidence_raw if _text(e)]
        elif _nested(evidence_raw):
            problem(row, "evidence", "evidence is a list of document names or links")
            continue
        else:
            evidence = split_list(_text(evidence_raw))
        bound = beyond_bounds(value, _text(note) or None, evidence)
        if bound is not None:
            problem(row, bound[0], f"{cid}/{qid}: {bound[1]}", bound[2])
            continue
        home = checklist.home_of(qid)  # a shared question is one answer, whichever checklist the row names
        if (home, qid) in seen:
            problem(row, "question", f"{cid}/{qid} is answered twice in this file",
                    f"keep one of this row and the one on {seen[home, qid]}")
            continue
        seen[home, qid] = row.mention()
        valid.append(ValidRow(cid, qid, value, _text(note) or None, evidence, row.line, row.col, row.place(file),
                              row))
    return valid, problems


def contradicting_rows(assessment: Assessment, rows: list[ValidRow], library: Library, file: str) -> list[Problem]:
    """Rows answering "not applicable" to a question that an exposure answer makes apply (e.g. audit
    access while region exposure is "yes"), judged on the merged answers so a gate answered further
    down the file, or earlier in the assessment, counts. ``scope.na_problem`` is the rule."""
    problems = []
    for row in rows:
        checklist = library.checklists[row.checklist].checklist
        question = checklist.question(row.question)
        if question is None or not is_not_applicable(checklist, question, row.value):
            continue
        values = condition_values(checklist, assessment)
        found = na_problem(checklist, question, row.value, row.note, values)
        if found is not None and found[0] == GAP_NA_CONTRADICTS and in_scope(question, values):
            message = f"{row.checklist}/{row.question}: {found[1]}"
            problems.append(row.source.problem(file, "value", message) if row.source is not None
                            else Problem(file, row.line, row.col, message))
    return problems


# ----------------------------------------------------------------------------- merging


@dataclass
class MergeResult:
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)  # rows imported but not counted, and the like


def merge(assessment: Assessment, rows: list[ValidRow], library: Library, by: str, file: str) -> MergeResult:
    """Apply valid rows to the assessment (in place), keeping each changed answer's history."""
    result = MergeResult()
    for row in rows:
        checklist = library.checklists[row.checklist].checklist
        home = checklist.home_of(row.question)
        previous = assessment.answer(home, row.question)
        answer = answer_with(previous, row.value, row.note, row.evidence, by=by)
        if previous is None:
            result.new += 1
        elif answer is previous:
            result.unchanged += 1
        else:
            result.changed += 1
        assessment.set_answer(home, row.question, answer)
        assessment.checklists = confirmed_everywhere(
            assessment.checklists, [lc.checklist for lc in library.checklists.values()], home, row.question)
    for row in rows:  # after all rows, so a condition answered further down the file counts
        checklist = library.checklists[row.checklist].checklist
        question = checklist.question(row.question)
        if question is not None and not in_scope(question, condition_values(checklist, assessment)):
            result.notes.append(f"{row.place or f'{file}:{row.line}:{row.col}'}: note: {row.checklist}/{row.question} does not "
                                "apply given the other answers (its 'when' does not hold); kept, not counted")
    return result
