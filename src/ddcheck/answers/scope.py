"""How one question stands, decided in one place for ``ddcheck status``, the questionnaire and scoring.

Progress and scoring used to classify questions separately and disagreed on what a gap is. Both
now ask :func:`classify`, so the gap count ``ddcheck status`` shows is the one ``ddcheck score``
counts. The rule is the README's ("How scores are computed"); in short:

- Conditions (``when`` and ``red_flag``) read :func:`condition_values`: only answers to questions in
  scope count, and a scored question in scope without a usable answer (unanswered, skipped, "don't
  know", off its scale, an unjustified "not applicable") reads as ``unknown``. So a stale answer to a
  question that no longer applies decides nothing, and skipping a gate question can never hide its
  follow-ups: skipping is worth exactly "don't know".
- "Not applicable" needs a note saying why, and must not contradict the exposure answer that makes
  the question apply (:func:`na_problem`); otherwise it is a gap.
- Only scored questions (choice, multi, yesno) can be gaps; text, number and date questions are
  information, answered or not.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any, Iterator, Mapping

from .values import is_unknown
from ..checklists.model import UNKNOWN, Checklist, Choice, Exposure, Question, exposure_rank
from ..checklists.conditions import Condition, holds

if TYPE_CHECKING:
    from .assessment import Assessment


class Status(str, Enum):
    answered = "answered"  # a scored answer with a risk (control) or an exposure level (exposure)
    gap = "gap"  # relevant but without a usable answer: counted at the scale's worst
    na = "na"  # answered "not applicable", with a note, not contradicting an exposure answer
    info = "info"  # a text, number or date question (answered or not): shown, not scored, never a gap
    # (``classify`` below decides every status, for scoring and ``ddcheck status`` alike)
    out_of_scope = "out_of_scope"  # its `when` does not hold: not asked; a control counts as met


GAP_UNANSWERED = "unanswered"
GAP_SKIPPED = "skipped"
GAP_UNKNOWN = "unknown"
GAP_OFF_SCALE = "off_scale"  # the recorded value is not (any more) a value of the question's scale
GAP_NA_NO_NOTE = "na_without_note"  # "not applicable" without a note saying why
GAP_NA_CONTRADICTS = "na_contradicts"  # "not applicable" although an exposure answer makes it apply


@dataclass(frozen=True)
class Verdict:
    """How a question counts: its findings status and, for a gap, why it is one."""

    status: Status
    gap_reason: str | None = None
    problem: str | None = None  # for an unjustified "not applicable": what is wrong, in words


def question_label(section_number: int, question_number: int) -> str:
    """``2.3``: section 2, question 3 (both 1-based) — the one way questions are numbered."""
    return f"{section_number}.{question_number}"


def in_scope(question: Question, values: Mapping[str, Any]) -> bool:
    """Whether the question's ``when`` holds for the condition values (no ``when``: always).

    ``values`` must be :func:`condition_values`, so that gaps read as "unknown"."""
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


def is_not_applicable(checklist: Checklist, question: Question, value: Any) -> bool:
    """Every chosen value is a "not applicable" choice (one with neither risk nor exposure)."""
    chosen = chosen_values(value)
    by_value = checklist.scale_of(question).by_value
    return bool(chosen) and question.scored and all(v in by_value and by_value[v].not_applicable for v in chosen)


def na_problem(checklist: Checklist, question: Question, value: Any, note: str | None,
               values: Mapping[str, Any]) -> tuple[str, str] | None:
    """(gap reason, message) when a "not applicable" answer is not justified, else None.

    The one rule for scoring, ``answers import`` and the questionnaire: "not applicable" needs a
    note saying why, and cannot be the answer to a question that is asked *because* an exposure
    answer says the subject is (or may be) exposed — e.g. "no exposure to verify" for audit access
    while region exposure is "yes" or "don't know". ``values`` are :func:`condition_values`.
    """
    if not is_not_applicable(checklist, question, value):
        return None
    label = _label(checklist, question, chosen_values(value)[0])
    for gate, gate_value in _exposure_reasons(checklist, question.when, values):
        gate_label = _label(checklist, gate, gate_value)
        return GAP_NA_CONTRADICTS, (
            f"'{question.id}' is answered \"{label}\", but it is asked because '{gate.id}' is answered "
            f"\"{gate_label}\"; answer it, or correct '{gate.id}' if the subject is not exposed")
    if not (note or "").strip():
        return GAP_NA_NO_NOTE, (f"'{question.id}' is answered \"{label}\" without a note; add a note saying "
                                "why it does not apply")
    return None


def _label(checklist: Checklist, question: Question, value: str) -> str:
    return next((c.label for c in checklist.choices(question) if c.value == value), value)


def _exposure_reasons(checklist: Checklist, condition: Condition | None, values: Mapping[str, Any],
                      positive: bool = True) -> Iterator[tuple[Question, str]]:
    """The exposure answers that make ``condition`` hold: (exposure question, its value) for every
    ``in`` test that holds, reads an exposure question and is not under a ``not``."""
    if condition is None:
        return
    if condition.in_ is not None:
        target = checklist.question(condition.question or "")
        if positive and target is not None and target.is_exposure and holds(condition, values):
            found = [v for v in chosen_values(values.get(target.id)) if v in condition.in_]
            yield target, found[0]
        return
    if condition.not_ is not None:
        yield from _exposure_reasons(checklist, condition.not_, values, not positive)
        return
    for child in condition.all_ or condition.any_ or []:
        yield from _exposure_reasons(checklist, child, values, positive)


def classify(checklist: Checklist, question: Question, value: Any, skipped: bool,
             values: Mapping[str, Any], note: str | None = None) -> Verdict:
    """The verdict for one question, from its answer value (None: no answer), whether it was skipped
    and its note, given the checklist's :func:`condition_values`.

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
    by_value = checklist.scale_of(question).by_value
    if any(v not in by_value for v in chosen):
        return Verdict(Status.gap, GAP_OFF_SCALE)
    if all(by_value[v].not_applicable for v in chosen):
        problem = na_problem(checklist, question, value, note, values)
        if problem is not None:
            return Verdict(Status.gap, problem[0], problem[1])
        return Verdict(Status.na)
    return Verdict(Status.answered)


def condition_values(checklist: Checklist, assessment: Assessment) -> dict[str, Any]:
    """The values the checklist's ``when`` and ``red_flag`` conditions read, by question id.

    Walks the questions in asking order (a ``when`` only reads earlier questions): a question out of
    scope is left out, whatever its stored answer; a scored question in scope reads as its answer
    when that is usable, and as "unknown" when it is a gap. Shared questions are read from their
    home checklist.
    """
    return verdicts(checklist, assessment)[0]


def verdicts(checklist: Checklist, assessment: Assessment) -> tuple[dict[str, Any], dict[str, Verdict]]:
    """:func:`condition_values` and every question's verdict, from one walk in asking order.

    Each verdict is :func:`classify`'s given the values of the questions before it, which is its
    verdict given all of them, since a ``when`` reads only earlier questions (validation refuses any
    other): so scoring need not classify each question a second time.
    """
    values: dict[str, Any] = {}
    found: dict[str, Verdict] = {}
    for _, question in checklist.questions():
        if not in_scope(question, values):
            found.setdefault(question.id, _OUT_OF_SCOPE)
            continue
        if not question.scored:
            found.setdefault(question.id, _INFO)
            continue
        answer = assessment.answer_to(checklist, question.id)
        value = answer.value if answer is not None else None
        verdict = classify(checklist, question, value, assessment.is_skipped(checklist, question.id), values,
                           answer.note if answer is not None else None)
        found.setdefault(question.id, verdict)
        values[question.id] = UNKNOWN if verdict.status is Status.gap else value
    return values, found


_OUT_OF_SCOPE, _INFO = Verdict(Status.out_of_scope), Verdict(Status.info)


def exposure_of(choices: list[Choice], chosen: list[str], gap: bool) -> Exposure | None:
    """The exposure level an exposure question adds: the highest chosen level; for a gap ("don't
    know", unanswered, skipped ...), the scale's highest level; None for "not applicable"."""
    levels = [c.exposure for c in choices if c.exposure is not None]
    if gap:
        return max(levels, key=exposure_rank) if levels else None
    by_value = {c.value: c for c in choices}
    found = [by_value[v].exposure for v in chosen if v in by_value and by_value[v].exposure is not None]
    return max(found, key=exposure_rank) if found else None
