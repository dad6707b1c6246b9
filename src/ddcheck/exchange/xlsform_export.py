"""``ddcheck export xlsform``: the questionnaire as an XLSForm for ODK Collect or KoboToolbox.

Field teams interviewing workers or visiting sites use these tools offline; the form they load
is an XLSForm (a workbook with ``survey``, ``choices`` and ``settings`` sheets) that pyxform, the
reference converter ODK and Kobo both run, turns into an XForm. Conditions become ``relevant``
expressions over the answers, scales become choice lists, guidance becomes the hint, and every
question gets a note field and an evidence field. The submissions come back as CSV
(``odk_import``), named by the same ``form.py`` mapping.
"""

from __future__ import annotations

import io
from typing import Mapping, Sequence

from ..answers.values import format_number
from ..checklists.conditions import Condition
from ..checklists.model import Checklist, QuestionType
from .cells import put
from .form import FORM_CHECKLISTS, FORM_DIGEST, RESPONDENT_NAME, RESPONDENT_ROLE, SUBJECT, FormField, form_digest, form_fields

SURVEY_COLUMNS = ("type", "name", "label", "hint", "relevant", "constraint", "constraint_message", "required",
                  "default", "calculation")
TYPES = {QuestionType.text: "text", QuestionType.number: "decimal", QuestionType.date: "date"}


def export_xlsform(checklists: Sequence[Checklist], subject: str = "", title: str = "") -> bytes:
    """The XLSForm workbook as .xlsx bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    fields = form_fields(checklists)
    digest = form_digest(fields)
    by_key = {f.entry.key: f for f in fields}
    survey: list[dict[str, str]] = [
        {"type": "text", "name": RESPONDENT_NAME, "label": "Your name (the person answering)", "required": "yes"},
        {"type": "text", "name": RESPONDENT_ROLE, "label": "Your role"},
        {"type": "text", "name": SUBJECT, "label": "Who or what is assessed (e.g. the supplier or site)",
         "required": "yes", "default": subject},
        {"type": "calculate", "name": FORM_DIGEST, "calculation": f"'{digest}'"},
        {"type": "calculate", "name": FORM_CHECKLISTS, "calculation": f"'{' '.join(c.id for c in checklists)}'"},
    ]
    choices: list[list[str]] = []
    lists: dict[tuple[tuple[str, str, str], ...], str] = {}
    group = None
    for f in fields:
        if f.group != group:
            if group is not None:
                survey.append({"type": "end_group"})
            group = f.group
            section_number = f.entry.number.rsplit(".", 1)[0]  # "A2" of "A2.3"
            survey.append({"type": "begin_group", "name": group, "label": f"{section_number} {f.entry.section.title}"})
        survey += _question_rows(f, by_key, lists, choices)
    if group is not None:
        survey.append({"type": "end_group"})

    wb = Workbook()
    sheet = wb.active
    sheet.title = "survey"
    sheet.append(list(SURVEY_COLUMNS))
    for row in survey:
        sheet.append([None] * len(SURVEY_COLUMNS))
        for col, key in enumerate(SURVEY_COLUMNS, start=1):
            if row.get(key):
                put(sheet.cell(sheet.max_row, col), row[key])
    choice_sheet = wb.create_sheet("choices")
    choice_sheet.append(["list_name", "name", "label"])
    for row in choices:
        choice_sheet.append([None] * 3)
        for col, value in enumerate(row, start=1):
            put(choice_sheet.cell(choice_sheet.max_row, col), value)
    settings = wb.create_sheet("settings")
    settings.append(["form_title", "form_id", "version"])
    ids = "-".join(c.id for c in checklists)
    settings.append([title or "; ".join(c.title for c in checklists), f"ddcheck-{ids}"[:60], digest])
    for ws in wb.worksheets:
        for cell in ws[1]:
            cell.font = Font(bold=True)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _question_rows(f: FormField, by_key: Mapping[tuple[str, str], FormField],
                   lists: dict[tuple[tuple[str, str, str], ...], str], choices: list[list[str]]) -> list[dict[str, str]]:
    q, checklist = f.entry.question, f.entry.checklist
    relevant = relevant_expression(q.when, checklist, by_key) if q.when else ""
    row = {"name": f.name, "label": f"{f.entry.number} {q.text}", "hint": q.guidance, "relevant": relevant}
    if f.select:
        options = tuple((f.choices[c.value], c.label, c.value) for c in checklist.choices(q))
        if options not in lists:
            lists[options] = f"scale_{len(lists) + 1}"
            choices += [[lists[options], name, label] for name, label, _ in options]
        kind = "select_multiple" if q.type is QuestionType.multi else "select_one"
        row["type"] = f"{kind} {lists[options]}"
    else:
        row["type"] = TYPES[q.type]
        if q.type is QuestionType.number and (q.min is not None or q.max is not None):
            bounds = [f". >= {format_number(q.min)}" if q.min is not None else "",
                      f". <= {format_number(q.max)}" if q.max is not None else ""]
            row["constraint"] = " and ".join(b for b in bounds if b)
            row["constraint_message"] = "Outside the accepted range: " + row["constraint"].replace(".", "the number", 1)
    asked = "; ".join(q.evidence)
    return [
        row,
        {"type": "text", "name": f.note, "label": f"Note on {f.entry.number} (optional)", "relevant": relevant},
        {"type": "text", "name": f.evidence, "label": f"Evidence for {f.entry.number}: documents or links "
         "(separate several with ;)", "hint": f"Asked for: {asked}" if asked else "", "relevant": relevant},
    ]


def relevant_expression(condition: Condition, checklist: Checklist, by_key: Mapping[tuple[str, str], FormField]) -> str:
    """A ``when`` as an XPath ``relevant``: unanswered questions select nothing, as in ddcheck."""
    if condition.in_ is not None:
        qid = condition.question or ""
        target = by_key[(checklist.home_of(qid), qid)]
        if target.select:
            tests = [f"selected(${{{target.name}}}, '{target.choices.get(v, v)}')" for v in condition.in_]
        else:
            tests = [f"${{{target.name}}} = {_literal(v)}" for v in condition.in_]
        return tests[0] if len(tests) == 1 else "(" + " or ".join(tests) + ")"
    if condition.not_ is not None:
        return f"not({relevant_expression(condition.not_, checklist, by_key)})"
    joiner, parts = (" and ", condition.all_) if condition.all_ is not None else (" or ", condition.any_ or [])
    return "(" + joiner.join(relevant_expression(c, checklist, by_key) for c in parts) + ")"


def _literal(text: str) -> str:
    """An XPath string literal (XPath 1.0 has no escapes: pick the quote the text lacks, or concat() both)."""
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    return "concat(" + ", \"'\", ".join(f"'{part}'" for part in text.split("'")) + ")"
