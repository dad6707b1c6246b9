"""How one question stands, decided in one place for ``ddcheck status``, the questionnaire and scoring.

Progress and scoring used to classify questions separately and disagreed on what a gap is. Both
now ask :func:`classify`, so the gap count ``ddcheck status`` shows is the one ``ddcheck score``
counts. The rule is scoring's (see ``findings/scoring.py``): only scored questions (choice, multi, yesno)
can be gaps; text, number and date questions are information, answered or not.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any, Mapping

from .values import is_unknown
from ..checklists.model import Checklist, Question
from ..checklists.conditions import holds


class Status(str, Enum):
    answered = "answered"  # a scored answer with a risk level
    gap = "gap"  # relevant but unanswered, skipped, or answered "don't know": counted at the highest risk
    na = "na"  # answered "not applicable": left out of the denominator
    info = "info"  # a text, number or date question (answered or not): shown, not scored, never a gap
    # (``classify`` below decides every status, for scoring and ``ddcheck status`` alike)
    out_of_scope = "out_of_scope"  # its `when` does not hold: neither asked nor counted


GAP_UNANSWERED = "unanswered"
GAP_SKIPPED = "skipped"
GAP_UNKNOWN = "unknown"
GAP_OFF_SCALE = "off_scale"  # the recorded value is not (any more) a value of the question's scale


@dataclass(frozen=True)
class Verdict:
    """How a question counts: its findings status and, for a gap, why it is one."""

    status: Status
    gap_reason: str | None = None


def question_label(section_number: int, question_number: int) -> str:
    """``2.3``: section 2, question 3 (both 1-based) — the one way questions are numbered."""
    return f"{section_number}.{question_number}"


def in_scope(question: Question, values: Mapping[str, Any]) -> bool:
    """Whether the question's ``when`` holds for the checklist's answers (no ``when``: always)."""
    return question.when is None or holds(question.when, values)


def chosen_values(value: Any) -> list[str]:
    """The answer as a list of scale values ([] when there is no answer, or only blanks)."""
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [str(v) for v in items if str(v).strip()]


def has_value(value: Any) -> bool:
    """Whether an answer says anything: ``None``, blank text and ``[]`` do not."""
    return bool(chosen_values(value))


def classify(checklist: Checklist, question: Question, value: Any, skipped: bool,
             values: Mapping[str, Any]) -> Verdict:
    """The verdict for one question, from its answer value (None: no answer) and whether it was skipped.

    An answer with a value wins over a stale "skipped" mark (answering clears the mark).
    """
    if not in_scope(question, values):
        return Verdict(Status.out_of_scope)
    if not question.scored:
        return Verdict(Status.info)
    chosen = chosen_values(value)
    if not chosen:
        return Verdict(Status.gap, GAP_SKIPPED if skipped else GAP_UNANSWERED)
    if any(is_unknown(v) for v in chosen):
        return Verdict(Status.gap, GAP_UNKNOWN)
    by_value = {c.value: c for c in checklist.choices(question)}
    if any(v not in by_value for v in chosen):
        return Verdict(Status.gap, GAP_OFF_SCALE)
    if all(by_value[v].risk is None for v in chosen):
        return Verdict(Status.na)
    return Verdict(Status.answered)
