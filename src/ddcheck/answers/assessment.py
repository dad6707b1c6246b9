"""The assessment file: answers to one or more checklists about one subject, and their history.

The file is YAML so that analysts and auditors can read it and keep it under version control.
It is written atomically (temporary file in the same folder, fsync, rename, fsync of the folder),
so a crash, ``kill -9`` or power cut leaves the previous complete file and never a torn one. A
file that fails to load is reported with FILE:LINE:COL and never overwritten.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any, Callable, Union

import yaml
from pydantic import (AfterValidator, BaseModel, PrivateAttr, ConfigDict, Field, StrictFloat, StrictStr, StringConstraints, ValidationError,
                      ValidatorFunctionWrapHandler, WrapValidator)
from pydantic_core import PydanticCustomError

from ..checklists.model import UNKNOWN, Checklist
from ..errors import BrokenInput, InputError, Problem, ProblemsError, display_path
from ..checklists.validation import pydantic_problems
from ..checklists.yamlread import decode_utf8, parse_yaml, read_limited
from ..files import write_atomic  # noqa: F401  (re-exported: the one atomic writer)
from .tracking import TrackedActionRecord

FORMAT_VERSION = 1

MAX_SHORT = 500  # names, evidence items, list answers, cover fields
MAX_LONG = 20_000  # notes and text answers
Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_SHORT)]
LongText = Annotated[str, StringConstraints(max_length=MAX_LONG)]


def _as_utc(moment: dt.datetime) -> dt.datetime:
    """A time written without a time zone (a hand edit, another tool) is read as UTC: every reader
    (status, score, report) then compares and prints it the same way."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.timezone.utc)


Timestamp = Annotated[dt.datetime, AfterValidator(_as_utc)]


def _strict_answer(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """Refuse what a hand edit can slip in (``true``, a mapping) with one clear message, not a coerced value."""
    if isinstance(value, bool):
        raise PydanticCustomError("answer_value", "{message}", {
            "message": f"{str(value).lower()} is not an answer value",
            "hint": f"quote it, e.g. \"{str(value).lower()}\", if you mean the word"})
    if isinstance(value, list) and not all(isinstance(item, str) for item in value):
        raise PydanticCustomError("answer_value", "{message}", {
            "message": "a list of answers holds only answer values (text)",
            "hint": "quote each item, e.g. [\"a\", \"b\"]"})
    if not isinstance(value, (str, int, float, list)):
        kind = "mapping" if isinstance(value, dict) else type(value).__name__
        raise PydanticCustomError("answer_value", "{message}", {
            "message": f"an answer value is text, a number or a list of values, not a {kind}",
            "hint": "quote it if the text contains ': '"})
    return handler(value)


# What an answer holds, by question type: choice/yesno/text -> str, multi -> list of values,
# number -> float, date -> "YYYY-MM-DD" string. Strict: a hand-edited ``true`` is an error, not 1.0.
AnswerValue = Annotated[
    Union[StrictFloat, Annotated[StrictStr, StringConstraints(max_length=MAX_LONG)],
          list[Annotated[StrictStr, StringConstraints(strip_whitespace=True, max_length=MAX_SHORT)]]],
    WrapValidator(_strict_answer)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PastAnswer(_Model):
    """An earlier answer, kept when the answer is changed (the audit trail)."""

    value: AnswerValue | None = None
    note: LongText | None = None
    evidence: list[Short] = Field(default_factory=list)
    answered_at: Timestamp
    answered_by: Short


class Answer(PastAnswer):
    # Set when the analyst confirms this answer unchanged after its question changed: the audit
    # trail shows who re-read the new wording and when, without a duplicate history entry.
    confirmed_at: dt.datetime | None = None
    confirmed_by: Short | None = None
    history: list[PastAnswer] = Field(default_factory=list)

    def reconfirmed(self, by: str, at: dt.datetime | None = None) -> Answer:
        """This answer, stamped as confirmed against the question's current wording."""
        return self.model_copy(update={"confirmed_at": at or now(), "confirmed_by": by})

    def changed_to(self, value: AnswerValue | None, note: str | None, evidence: list[str],
                   by: str, at: dt.datetime | None = None) -> Answer:
        """A new answer that keeps this one in its history (unless nothing changed)."""
        if value == self.value and note == self.note and evidence == self.evidence:
            return self
        past = PastAnswer(value=self.value, note=self.note, evidence=self.evidence,
                          answered_at=self.answered_at, answered_by=self.answered_by)
        return Answer(value=value, note=note, evidence=evidence, answered_at=at or now(), answered_by=by,
                      history=[*self.history, past])


class ChecklistRef(_Model):
    """Which checklist version the answers were given against, to detect later changes."""

    id: Short
    version: Short
    fingerprint: Short
    questions: dict[str, str] = Field(default_factory=dict, description="question id -> question fingerprint")
    wording: dict[str, LongText] = Field(
        default_factory=dict, description="question id -> the wording its answer was given to (answered questions), "
        "so a changed question can be shown old -> new")


class Meta(_Model):
    organisation: Short
    subject: Short = Field(description="What is assessed, e.g. a supplier or a joint venture.")
    assessor: Short
    date: dt.date
    created: Timestamp | None = None


class _Places:
    """Where the file names each checklist, worked out when a message first needs it: positions may
    cost a second, slower parse of the file (see ``yamlread.parse_yaml``), and most reads need none."""

    __slots__ = ("_compute", "_value")

    def __init__(self, compute: Callable[[], dict[str, tuple[int, int]]] | None = None):
        self._compute = compute
        self._value: dict[str, tuple[int, int]] | None = None

    def get(self) -> dict[str, tuple[int, int]]:
        if self._value is None:
            self._value = self._compute() if self._compute is not None else {}
            self._compute = None
        return self._value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Places) and self.get() == other.get()

    __hash__ = None  # type: ignore[assignment]


class Assessment(_Model):
    ddcheck: int = FORMAT_VERSION
    meta: Meta
    checklists: list[ChecklistRef] = Field(min_length=1)
    answers: dict[str, dict[str, Answer]] = Field(
        default_factory=dict, description="checklist id -> question id -> answer")
    skipped: dict[str, list[str]] = Field(
        default_factory=dict, description="checklist id -> questions skipped on purpose (reported as gaps)")
    position: dict[str, str] | None = Field(
        default=None, description="where the questionnaire stopped: {checklist: id, question: id}")
    actions: dict[str, TrackedActionRecord] = Field(
        default_factory=dict, description="action id -> owner, due date, status and their history (optional)")

    # Where the file names each checklist (line, col), for located messages; empty when not read from a file.
    _places: _Places = PrivateAttr(default_factory=lambda: _Places())

    @property
    def places(self) -> dict[str, tuple[int, int]]:
        return self._places.get()

    def answer(self, checklist_id: str, question_id: str) -> Answer | None:
        return self.answers.get(checklist_id, {}).get(question_id)

    def answer_to(self, checklist: Checklist, question_id: str) -> Answer | None:
        """The answer to a question of this checklist, wherever it is stored (a shared one: in its home)."""
        return self.answer(checklist.home_of(question_id), question_id)

    def values(self, checklist_id: str) -> dict[str, Any]:
        """Answer values stored under this checklist id. Conditions read ``scope.condition_values``
        instead: it follows shared questions to their home and leaves out what is out of scope."""
        return {qid: a.value for qid, a in self.answers.get(checklist_id, {}).items()}

    def is_skipped(self, checklist: Checklist, question_id: str) -> bool:
        return question_id in self.skipped.get(checklist.home_of(question_id), [])

    def set_answer(self, checklist_id: str, question_id: str, answer: Answer) -> None:
        """Store an answer; a question answered is no longer "skipped"."""
        self.answers.setdefault(checklist_id, {})[question_id] = answer
        skipped = self.skipped.get(checklist_id, [])
        if question_id in skipped:
            self.skipped[checklist_id] = [q for q in skipped if q != question_id]
            if not self.skipped[checklist_id]:
                del self.skipped[checklist_id]

    def mark_skipped(self, checklist_id: str, question_id: str) -> None:
        """Record a deliberate skip of an unanswered question (reported as a gap, asked no more)."""
        if self.answer(checklist_id, question_id) is None:
            skipped = self.skipped.setdefault(checklist_id, [])
            if question_id not in skipped:
                skipped.append(question_id)


def answer_with(previous: Answer | None, value: AnswerValue | None, note: str | None, evidence: list[str],
                by: str, at: dt.datetime | None = None) -> Answer:
    """A first answer, or ``previous`` changed to this one with the old value in its history."""
    if previous is None:
        return Answer(value=value, note=note, evidence=evidence, answered_at=at or now(), answered_by=by)
    return previous.changed_to(value, note, evidence, by=by, at=at)


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def load_assessment(path: Path) -> Assessment:
    """Read and validate an assessment file; problems come back as FILE:LINE:COL messages (exit 2)."""
    shown = display_path(path)
    try:
        raw = read_limited(path, shown)
    except BrokenInput:
        raise
    except ProblemsError as exc:  # oversized: the file is unusable input, not a finding
        raise BrokenInput(exc.problems) from None
    return parse_assessment(raw, shown)


def parse_assessment(raw: bytes, shown: str) -> Assessment:
    """Validate an assessment file's bytes (so a caller can keep exactly the bytes it parsed).

    Every problem is a ``BrokenInput``: located lines, exit 2, and the file is never written.
    """
    try:
        located = parse_yaml(decode_utf8(raw, shown), shown)
    except BrokenInput:
        raise
    except ProblemsError as exc:  # not UTF-8, YAML syntax, disallowed tags...
        raise BrokenInput(exc.problems) from None
    if not isinstance(located.data, dict):
        raise BrokenInput([Problem(located.file, 1, 1, "not an assessment file (expected a mapping)",
                                   "start one with 'ddcheck assess CHECKLIST -o FILE'")])
    try:
        assessment = Assessment.model_validate(located.data)
    except ValidationError as exc:
        raise BrokenInput(pydantic_problems(exc, located)) from None
    ids = [ref.id for ref in assessment.checklists]
    assessment._places = _Places(lambda: {cid: located.where(("checklists", i, "id")) for i, cid in enumerate(ids)})
    if assessment.ddcheck != FORMAT_VERSION:
        raise BrokenInput([located.problem(("ddcheck",), f"unsupported assessment format {assessment.ddcheck}",
                                           f"this ddcheck reads format {FORMAT_VERSION}")])
    return assessment


def dump_assessment(assessment: Assessment) -> str:
    data = assessment.model_dump(mode="json", exclude_none=True)
    if not data.get("actions"):  # the optional follow-up section: absent until an action is tracked
        data.pop("actions", None)
    header = "# ddcheck assessment: answers with their history. Resume with: ddcheck assess -o FILE\n"
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def save_assessment(path: Path, assessment: Assessment) -> None:
    """Write atomically: a reader (or a crash) sees the old file or the new one, never half of one."""
    write_atomic(path, dump_assessment(assessment).encode("utf-8"))


def beyond_bounds(value: Any, note: str | None, evidence: list[str]) -> tuple[str, str, str] | None:
    """(field, message, hint) for the first part of an answer the assessment file could not hold.

    The answer model itself is the judge, so imported rows, typed answers and files share one set
    of bounds (a pasted page is refused with a message, never a validation traceback).
    """
    try:
        PastAnswer(value=value, note=note, evidence=evidence, answered_at=now(), answered_by="import")
    except ValidationError as exc:
        errors = exc.errors(include_url=False)  # a union lists every branch: the length one says why
        err = next((e for e in errors if (e.get("ctx") or {}).get("max_length")), errors[0])
        name = str(err["loc"][0]) if err["loc"] else "value"
        index = next((part for part in err["loc"][1:] if isinstance(part, int)), None)
        item = f" item {index + 1}" if index is not None else ""
        limit = (err.get("ctx") or {}).get("max_length")
        if limit is not None:
            return name, f"the {name}{item} is longer than {limit:,} characters", "shorten it, or attach a document"
        return name, f"the {name}{item} cannot be stored: {err['msg']}", ""
    return None
