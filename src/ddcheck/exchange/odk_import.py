"""ODK Central / KoboToolbox submission exports (CSV, one row per interview) as import rows.

Each submission becomes its own set of rows, checked by ``answers.importing.validate_rows`` like
any CSV and located at its line and column. Columns are found by the form's field names
(``form.py``) whatever group path the server puts in front ("group-field" in ODK Central,
"group/field" in KoboToolbox). The form's own calculate fields say which checklists it asks and
which version of the field mapping it used, so a submission from an older form is refused, not
misread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from ..answers.assessing import parse_date
from ..answers.assessment import MAX_SHORT
from ..answers.importing import CsvBroken, ImportUnreadable, Row, csv_records
from ..checklists.library import Library
from ..errors import DdcheckError, Problem, display_path
from ..checklists.model import QuestionType
from .form import (FORM_CHECKLISTS, FORM_DIGEST, RESPONDENT_NAME, RESPONDENT_ROLE, SUBJECT, FormField, form_digest,
                   form_fields)

INSTANCE_COLUMNS = ("meta-instanceID", "meta/instanceID", "instanceID", "KEY", "_uuid")
SUBMITTED_COLUMNS = ("SubmissionDate", "_submission_time", "end", "today")


def is_submission_export(path: Path) -> bool:
    """Whether a CSV file is a submission export of a ddcheck form (its header has the form's fields)."""
    try:
        first = next(iter(csv_records(path)), None)
    except (DdcheckError, CsvBroken, OSError):  # unreadable: read as rows, the CSV reader reports it located
        return False
    return first is not None and FORM_DIGEST in {_field(h) for h in first.cells}


@dataclass
class Submission:
    line: int
    instance: str  # the server's id of the submission, or "line N"
    subject: str
    respondent: str  # "Name (role)": recorded as the source of every answer
    submitted: str | None  # YYYY-MM-DD
    rows: list[Row] = field(default_factory=list)


@dataclass
class Submissions:
    checklist_ids: list[str]
    items: list[Submission]
    problems: list[Problem]  # rows that cannot be used (exit 1)


def _field(header: str) -> str:
    """The field name of a column, without the group path a server puts in front."""
    return re.split(r"[-/]", header.strip())[-1]


def read_submissions(path: Path, library: Library) -> Submissions:
    shown = display_path(path)
    try:
        records = list(csv_records(path, "export the submissions as CSV (UTF-8)"))
    except CsvBroken as exc:
        raise ImportUnreadable([Problem(shown, exc.line, 1, str(exc), "check the quotes on this line")]) from None
    if not records:
        raise ImportUnreadable([Problem(shown, 1, 1, "the file is empty")])
    header, data = records[0], records[1:]
    columns: dict[str, int] = {}
    for i, name in enumerate(header.cells):
        columns.setdefault(_field(name), i)  # the first column of a name: a split select_multiple comes after
    for required in (FORM_DIGEST, FORM_CHECKLISTS, RESPONDENT_NAME, SUBJECT):
        if required not in columns:
            raise ImportUnreadable([Problem(shown, header.line, 1, f"no '{required}' column: not a submission export "
                                            "of a form from 'ddcheck export xlsform'",
                                            "export the submissions as CSV with XML values and headers")])
    exact = {name.strip(): i for i, name in enumerate(header.cells)}
    instance_col = next((exact[c] for c in INSTANCE_COLUMNS if c in exact), None)
    submitted_col = next((exact[c] for c in SUBMITTED_COLUMNS if c in exact), None)

    def cell(rec, name_or_index) -> str:
        index = columns.get(name_or_index) if isinstance(name_or_index, str) else name_or_index
        return rec.cells[index].strip() if index is not None and index < len(rec.cells) else ""

    problems: list[Problem] = []
    ids = next((cell(rec, FORM_CHECKLISTS).split() for rec in data if cell(rec, FORM_CHECKLISTS)), [])
    missing = [i for i in ids if i not in library.checklists]
    if missing:
        message, hint = library.not_in_view(missing[0])
        raise ImportUnreadable([Problem(shown, data[0].line, data[0].col(columns[FORM_CHECKLISTS]),
                                        f"the form asks checklist '{missing[0]}': {message}", hint)])
    fields = form_fields([library.checklists[i].checklist for i in ids])
    digest = form_digest(fields)
    items = []
    for rec in data:
        where = lambda name: (rec.line, rec.col(columns[name]))  # noqa: E731 - a place in this record
        if cell(rec, FORM_CHECKLISTS).split() != ids or cell(rec, FORM_DIGEST) != digest:
            problems.append(Problem(shown, *where(FORM_DIGEST), "this submission was made with another version of the "
                                    "form (its questions or checklists differ from today's)",
                                    "import it with the checklist versions it was made with, or ask again"))
            continue
        name, role = cell(rec, RESPONDENT_NAME), cell(rec, RESPONDENT_ROLE)
        subject = cell(rec, SUBJECT)
        for key, value, what in ((RESPONDENT_NAME, name, "the respondent's name"), (SUBJECT, subject, "the subject")):
            if not value:
                problems.append(Problem(shown, *where(key), f"{what} is empty", "every answer needs its source"))
        respondent = f"{name} ({role})" if role else name
        for key, value, what in ((RESPONDENT_NAME, respondent, "the respondent's name and role"),
                                 (SUBJECT, subject, "the subject")):
            if len(value) > MAX_SHORT:
                problems.append(Problem(shown, *where(key), f"{what}: {len(value):,} characters; at most "
                                        f"{MAX_SHORT} are kept", "shorten it"))
        instance = cell(rec, instance_col) or f"line {rec.line}"
        submitted = cell(rec, submitted_col)[:10]
        day = submitted if parse_date(submitted) else None  # the server's date; today when it has none
        submission = Submission(rec.line, instance, subject, respondent, day)
        submission.rows = _rows(rec, fields, columns)
        items.append(submission)
    return Submissions(ids, items, problems)


def _rows(rec, fields: Sequence[FormField], columns: dict[str, int]) -> list[Row]:
    """One import row per question the submission answered (or annotated)."""
    rows = []
    for f in fields:
        found = {}
        places = {}
        for key, name in (("value", f.name), ("note", f.note), ("evidence", f.evidence)):
            index = columns.get(name)
            if index is not None and index < len(rec.cells) and rec.cells[index].strip():
                found[key] = rec.cells[index].strip()
                places[key] = (rec.line, rec.col(index))
        if not found:
            continue
        value: object = found.get("value", "")
        if f.select and value:
            chosen = [f.value_of(v) for v in str(value).split()]
            value = chosen if f.entry.question.type is QuestionType.multi else " ".join(chosen)
        fields_ = {"checklist": f.entry.checklist.id, "question": f.entry.question.id, "value": value,
                   "note": found.get("note", ""), "evidence": found.get("evidence", "")}
        line, col = places.get("value") or next(iter(places.values()))
        for key in ("checklist", "question"):
            places.setdefault(key, (line, col))
        places.setdefault("value", (line, col))
        rows.append(Row(line, col, fields_, places))
    return rows


def file_stem(submission: Submission, per: str) -> str:
    """A safe file name from the subject (and the submission id): no path separators, no dots."""
    subject = _slug(submission.subject) or "subject"
    return subject if per == "subject" else f"{subject}-{_slug(submission.instance)[-12:] or submission.line}"


def _slug(text: str) -> str:
    return re.sub(r"[^\w]+", "-", text.lower()).strip("-_")[:60]
