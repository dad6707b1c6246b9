"""What counts as a valid answer to a question, shared by the questionnaire and ``answers import``.

One function decides, so an analyst typing in the terminal and a CSV row prepared in a
spreadsheet are held to exactly the same rules and get the same words when something is wrong.
Values are stored as the assessment file holds them: choice/yesno -> the scale's ``value``
string, multi -> a list of values, number -> float, date -> ``YYYY-MM-DD``, text -> string.
``assessment.UNKNOWN`` ("unknown") is accepted for every question as "don't know".
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from .assessment import UNKNOWN, AnswerValue
from ..checklists.model import Checklist, Question, QuestionType
from ..errors import did_you_mean

DONT_KNOW = "don't know"  # how answers show "unknown" (plain_value), so typed back it means the same
LIST_SEPARATOR = ";"  # between the values of a multi answer and between evidence items, in text and CSV


class InvalidValue(ValueError):
    """The message says what is wrong and what would be accepted, in the analyst's words."""


QUOTED_MAX = 60  # how much of a rejected value a message repeats: enough to find it, never a page


def quoted(text: str) -> str:
    """A rejected value as a message repeats it, cut short: a pasted page must not flood the terminal."""
    return f"'{text}'" if len(text) <= QUOTED_MAX else f"'{text[:QUOTED_MAX - 1]}…' ({len(text):,} characters)"


def split_list(raw: str) -> list[str]:
    """``"a; b;; c"`` -> ``["a", "b", "c"]``: how multi answers and evidence are typed."""
    return [part.strip() for part in raw.replace("\n", LIST_SEPARATOR).split(LIST_SEPARATOR) if part.strip()]


def is_unknown(value: Any) -> bool:
    return isinstance(value, str) and value.strip().lower() in (UNKNOWN, "?")


def parse_value(checklist: Checklist, question: Question, raw: Any) -> AnswerValue:
    """Turn typed or imported input into a stored answer value, or raise InvalidValue."""
    if raw is None or (isinstance(raw, str) and not raw.strip()) or raw == []:
        raise InvalidValue("no value given (write ? or 'unknown' for don't know)")
    if isinstance(raw, bool):
        raise InvalidValue(f"'{str(raw).lower()}' is not an answer here; quote it if you mean the word")
    if question.type in (QuestionType.choice, QuestionType.yesno):
        if isinstance(raw, list):
            raise InvalidValue("this question takes one value, not a list")
        return _choice(checklist, question, raw)
    if question.type is QuestionType.multi:
        items = raw if isinstance(raw, list) else split_list(str(raw))
        values = [_choice(checklist, question, item) for item in items]
        if not values:
            raise InvalidValue("no value given (write ? or 'unknown' for don't know)")
        seen: list[str] = []
        for v in values:
            if v in seen:
                raise InvalidValue(f"{quoted(v)} is given twice")
            seen.append(v)
        return values
    if isinstance(raw, list):
        raise InvalidValue(f"a {question.type.value} question takes one value, not a list")
    if is_unknown(raw) or str(raw).strip().lower().replace("’", "'") == DONT_KNOW:
        return UNKNOWN
    if question.type is QuestionType.number:
        return _number(question, raw)
    if question.type is QuestionType.date:
        return _date(str(raw).strip())
    return str(raw).strip()


def _choice(checklist: Checklist, question: Question, raw: Any) -> str:
    text = str(raw).strip()
    choices = checklist.choices(question)
    values = [c.value for c in choices]
    if text in values:
        return text
    by_fold = {c.value.lower(): c.value for c in choices}
    by_fold.update({c.label.lower(): c.value for c in choices if c.label.lower() not in by_fold})
    if text.lower() in by_fold:  # "Yes" or "Don't know" as a person would write it
        return by_fold[text.lower()]
    if text == "?" and UNKNOWN in values:
        return UNKNOWN
    hint = did_you_mean(text, [*values, *(c.label for c in choices)])  # a workbook offers labels
    allowed = ", ".join(values)
    raise InvalidValue(f"{quoted(text)} is not one of the answers ({allowed})" + (f"; {hint}" if hint else ""))


def _number(question: Question, raw: Any) -> float:
    if isinstance(raw, (int, float)):
        number = float(raw)
    else:
        text = str(raw).strip().replace("_", "").replace(" ", "")
        if "," in text:  # 1,500 or 1,5? Guessing would silently corrupt an answer, so ask instead.
            raise InvalidValue(f"{quoted(str(raw).strip())}: write the number without commas, "
                               "with '.' for decimals (e.g. 1500 or 2.5)")
        try:
            number = float(text)
        except ValueError:
            raise InvalidValue(f"{quoted(str(raw).strip())} is not a number (write digits, e.g. 1200 or 2.5)") from None
    if math.isnan(number) or math.isinf(number):
        raise InvalidValue("write a finite number")
    if question.integer and not number.is_integer():
        raise InvalidValue(f"{format_number(number)} is not a whole number; this question counts (e.g. 12)")
    if question.min is not None and number < question.min:
        raise InvalidValue(f"{format_number(number)} is below the smallest accepted value, {format_number(question.min)}")
    if question.max is not None and number > question.max:
        raise InvalidValue(f"{format_number(number)} is above the largest accepted value, {format_number(question.max)}")
    return number


def _date(text: str) -> str:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            raise InvalidValue(f"{quoted(text)} is not a day of the calendar (check month and day)") from None
    raise InvalidValue(f"{quoted(text)} is not a date; write it as YYYY-MM-DD, e.g. 2024-03-31")


def format_number(number: float) -> str:
    """A number written back exactly as stored: ``1234567``, ``2.5``, never ``1.23457e+06``.

    The questionnaire offers this as the default of a number prompt, so anything lossy (``:g``)
    would turn Enter into a silently changed answer.
    """
    if isinstance(number, float) and number.is_integer():
        return str(int(number))
    return repr(number)


def plain_value(value: Any) -> str:
    """A stored value as text when its question is not known (e.g. an answer to a removed question)."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(plain_value(v) for v in value)
    if isinstance(value, float):
        return format_number(value)
    if value == UNKNOWN:
        return "Don't know"
    return str(value)


def display_value(checklist: Checklist, question: Question, value: Any) -> str:
    """An answer as a person reads it: choice labels, exact numbers, dates as written, "Don't know".

    The one renderer for answers to known questions: questionnaire, ``score``, ``compare`` and the
    findings all show what this returns, so one answer never reads two ways.
    """
    if value is None:
        return ""
    by_value = checklist.scale_of(question).by_value
    if isinstance(value, list):
        return "; ".join(by_value[str(v)].label if str(v) in by_value else plain_value(v) for v in value)
    if not isinstance(value, float) and str(value) in by_value:
        return by_value[str(value)].label
    return plain_value(value)


def still_valid(checklist: Checklist, question: Question, value: Any) -> bool:
    """Whether a stored value is still an acceptable answer (after the checklist changed)."""
    try:
        parse_value(checklist, question, value)
    except InvalidValue:
        return False
    return True
