"""The checklist format: strict pydantic models of what maintainers write in YAML.

Strict (``extra="forbid"``) so that a misspelled key is an error with a "did you mean" hint, not
silently ignored content. Cross-references between questions, scales and sources are checked
in ``validation.py``, where the whole file (and the source registry) is in view.
"""

from __future__ import annotations

import datetime as _dt
import weakref
from enum import Enum
from typing import Annotated, Any, Callable, Hashable, NamedTuple, TypeVar

from pydantic import (BaseModel, ConfigDict, Discriminator, Field, PrivateAttr, StringConstraints, Tag,
                      field_validator, model_validator)

from .conditions import Condition
from .frameworks import FrameworkRefs

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000)]
SEMVER = r"^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$"
MAX_RISK = 3
UNKNOWN = "unknown"  # the scale value that means "don't know": always counted as the scale's worst


T = TypeVar("T")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


class QuestionType(str, Enum):
    choice = "choice"  # one value from a scale
    multi = "multi"  # several values from a scale
    yesno = "yesno"  # the built-in yes/no scale (or a two-value scale of the checklist's own)
    text = "text"
    number = "number"
    date = "date"


SCORED_TYPES = {QuestionType.choice, QuestionType.multi, QuestionType.yesno}


class Role(str, Enum):
    """What a scored question measures. Kept apart so that *being* exposed is never counted as a
    failure of due diligence, and good controls never hide where the risk lies."""

    exposure = "exposure"  # where risk may lie (region, sector, ownership): a level, gates follow-ups
    control = "control"  # how well the company manages it: scored 0-100


class Exposure(str, Enum):
    """How exposed the subject is, from an exposure question's answer; ordered as listed."""

    none = "none"
    low = "low"
    medium = "medium"
    high = "high"
    severe = "severe"


EXPOSURE_ORDER: tuple[Exposure, ...] = tuple(Exposure)


def exposure_rank(level: Exposure) -> int:
    """0 (none) to 4 (severe): for "the higher of" comparisons."""
    return EXPOSURE_ORDER.index(level)


class Severity(str, Enum):
    """How far a red flag forces the rating: ``high`` at least high, ``critical`` to critical."""

    high = "high"
    critical = "critical"


class Choice(_Strict):
    """One answer on a scale.

    A control scale's choices carry ``risk`` 0 (none) to 3 (high); an exposure scale's carry
    ``exposure`` (none .. severe). A choice with neither means "not applicable" (it needs a note when
    chosen). The value ``unknown`` means "don't know" and always counts as the scale's worst.
    """

    value: Annotated[str, StringConstraints(min_length=1, max_length=80)]
    label: Text
    risk: int | None = Field(default=None, ge=0, le=MAX_RISK,
                             description="Control scales: 0 (no risk) to 3 (highest). Leave out for 'not applicable'.")
    exposure: Exposure | None = Field(default=None, description=(
        "Exposure scales: none, low, medium, high or severe. Leave out for 'not applicable' and for unknown."))
    description: Text | None = None

    @model_validator(mode="after")
    def _one_measure(self) -> Choice:
        if self.risk is not None and self.exposure is not None:
            raise ValueError("a choice carries 'risk' (control scales) or 'exposure' (exposure scales), not both")
        return self

    @property
    def not_applicable(self) -> bool:
        """Neither risk nor exposure, and not "unknown" (which is "don't know", never N/A)."""
        return self.risk is None and self.exposure is None and self.value != UNKNOWN


BUILTIN_SCALES: dict[str, list[Choice]] = {
    "yes_no": [
        Choice(value="yes", label="Yes", risk=0),
        Choice(value="no", label="No", risk=MAX_RISK),
        Choice(value="unknown", label="Don't know", risk=MAX_RISK),
    ],
}


class Citation(_Strict):
    """Where a question comes from: a verbatim excerpt of a registered source."""

    source: Id
    quote: Annotated[str, StringConstraints(strip_whitespace=True, min_length=8, max_length=2_000)]
    locator: Text = Field(description="Where in the source a reader finds the quote, e.g. 'para. 6'.")

    @property
    def quoted(self) -> str:
        return f"“{unquoted(self.quote)}”"


def unquoted(excerpt: str) -> str:
    """An excerpt without the quotation marks it may itself start and end with, so that every
    display can put its own marks around it once, never ““twice””."""
    if len(excerpt) > 1 and excerpt[0] in "\"“‘'" and excerpt[-1] in "\"”’'":
        return excerpt[1:-1]
    return excerpt


class RedFlag(Condition):
    """A ``red_flag``: a condition (any shape) plus how severe the finding is.

    ``severity: critical`` is for zero-tolerance findings (e.g. confirmed forced-labour indicators,
    current links to Public Security Bureaus or the bingtuan): it makes the rating critical whatever
    the rest says. ``high`` (the default) makes it at least high.
    """

    severity: Severity = Field(default=Severity.high, description="high (default): rating at least high; "
                                                                   "critical: rating critical.")


class Question(_Strict):
    id: Id
    text: Text
    type: QuestionType = QuestionType.choice
    role: Role | None = Field(default=None, description=(
        "exposure or control (default for choice, multi and yesno questions: control). Exposure "
        "questions need a scale whose choices carry 'exposure'; control questions one whose choices carry "
        "'risk'. Text, number and date questions are information and take no role."))
    scale: Id | None = Field(default=None, description="Name of a scale (required for choice and multi).")
    guidance: Text
    evidence: list[Text] = Field(default_factory=list)
    actions: dict[str, Text] = Field(default_factory=dict,
                                     description="Recommended action for each risky answer value.")
    red_flag: RedFlag | None = None
    when: Condition | None = None
    weight: float = Field(default=1.0, gt=0, le=10)
    cite: list[Citation] = Field(min_length=1)
    min: float | None = Field(default=None, description="Smallest accepted number (number questions).")
    max: float | None = Field(default=None, description="Largest accepted number (number questions).")
    integer: bool = Field(default=False, description="Whole numbers only, e.g. a count (number questions).")
    frameworks: FrameworkRefs = Field(default_factory=dict, description=(
        "Framework identifiers the question evidences, e.g. {ungp: ['17'], oecd-ddg: ['2']}."))

    @model_validator(mode="after")
    def _scale_fits_type(self) -> Question:
        if self.type in (QuestionType.choice, QuestionType.multi) and not self.scale:
            raise ValueError(f"a '{self.type.value}' question needs a 'scale'; add e.g. scale: assurance")
        if self.type in (QuestionType.text, QuestionType.number, QuestionType.date) and self.scale:
            raise ValueError(f"a '{self.type.value}' question takes no 'scale'; remove it or use type: choice")
        if self.type is not QuestionType.number and (self.min is not None or self.max is not None or self.integer):
            raise ValueError("'min', 'max' and 'integer' apply to number questions only")
        if self.role is not None and self.type not in SCORED_TYPES:
            raise ValueError(f"a '{self.type.value}' question is information and takes no 'role'; remove it "
                             "or use type: choice")
        return self

    @property
    def is_exposure(self) -> bool:
        return self.role is Role.exposure

    @property
    def is_control(self) -> bool:
        """Scored questions are controls unless they say ``role: exposure``."""
        return self.scored and self.role is not Role.exposure

    @property
    def severity(self) -> Severity | None:
        return self.red_flag.severity if self.red_flag is not None else None

    @property
    def scale_name(self) -> str | None:
        if self.type is QuestionType.yesno:
            return self.scale or "yes_no"
        return self.scale

    @property
    def scored(self) -> bool:
        return self.type in SCORED_TYPES


SharedRef = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*/[a-z0-9][a-z0-9_-]*$", max_length=161)]


class QuestionUse(_Strict):
    """A question of another checklist, asked here too: ``{use: checklist-id/question-id}``.

    One topic, one home: the question is written once, in its home checklist, and its one answer
    (stored under the home checklist) counts in every checklist that uses it. The library replaces
    each ``use`` by the home question when it loads (``library.resolve_shared``); the optional
    ``when`` here decides when it is asked in this checklist, and tests this checklist's questions.
    """

    use: SharedRef = Field(description="checklist-id/question-id of the question's home.")
    when: Condition | None = None

    @property
    def home(self) -> str:
        return self.use.split("/", 1)[0]

    @property
    def id(self) -> str:
        return self.use.split("/", 1)[1]


# Tags name the union's branches in pydantic's error locations; in angle brackets so they can never
# be mistaken for a YAML key (validation.py drops them when it walks a location back to the file).
UNION_TAGS = {"<question>", "<use>"}


def _question_kind(item: Any) -> str:
    is_use = isinstance(item, QuestionUse) or (isinstance(item, dict) and "use" in item)
    return "<use>" if is_use else "<question>"


SectionItem = Annotated[Annotated[Question, Tag("<question>")] | Annotated[QuestionUse, Tag("<use>")],
                        Discriminator(_question_kind)]


class Section(_Strict):
    id: Id
    title: Text
    intro: Text | None = None
    questions: list[SectionItem] = Field(min_length=1)


class ScaleIndex:
    """A scale's choices, by value too, and its highest risk (0 when no choice carries one)."""

    __slots__ = ("choices", "by_value", "top_risk")

    def __init__(self, choices: list[Choice]):
        self.choices = choices
        self.by_value = {c.value: c for c in choices}
        self.top_risk = max((c.risk for c in choices if c.risk is not None), default=0)


_NO_SCALE = ScaleIndex([])


class _Lookups(NamedTuple):
    scales: dict[str, list[Choice]]
    indexes: dict[str, ScaleIndex]
    questions: dict[str, Question]  # by id; the first in asking order
    in_order: tuple[tuple[Section, Question], ...]  # every question in asking order, with its section


class _Memo:
    """What is derived from one checklist's (frozen) fields, built on first use and kept with it.

    ``model_copy`` copies private attributes, so a copy (``shared.py`` replaces sections and scales)
    starts out holding its original's memo: the memo names the checklist it belongs to, and a copy
    that finds another's memo takes a fresh one. Equal to every other memo, so that it never makes
    two checklists with the same fields compare unequal (pydantic compares private attributes too).
    """

    __slots__ = ("owner", "lookups", "extras")

    def __init__(self, owner: Any = None) -> None:
        self.owner: weakref.ref[Any] | None = weakref.ref(owner) if owner is not None else None
        self.lookups: Any = None
        self.extras: dict[Hashable, Any] = {}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Memo)

    __hash__ = None  # type: ignore[assignment]


class Checklist(_Strict):
    """A checklist file. Questions are asked in file order; a ``when`` may only look backwards."""

    id: Id
    title: Text
    version: Annotated[str, StringConstraints(pattern=SEMVER)] = Field(description="Semantic version, e.g. 1.0.0")
    summary: Text
    applies_to: list[Text] = Field(default_factory=list)
    valid_for_months: int | None = Field(default=None, ge=1, le=120, description=(
        "How long an assessment against this checklist stays valid, in months (default 24); shorter for "
        "high (half) and critical (a quarter) ratings. See the README, 'Re-assessment dates'."))
    scales: dict[Id, list[Choice]] = Field(default_factory=dict)
    sections: list[Section] = Field(min_length=1)
    # question id -> home checklist id, for the questions this checklist uses from others; set by
    # the library when it resolves ``use`` items (never read from YAML).
    _homes: dict[str, str] = PrivateAttr(default_factory=dict)
    # Lookups derived from the (frozen) fields, built on first use: scoring asks for a question's
    # choices several times per question, so a portfolio of a thousand files rebuilt them hundreds of
    # thousands of times. See _Memo for why it names the object that built them.
    _memo: _Memo = PrivateAttr(default_factory=_Memo)

    @field_validator("scales")
    @classmethod
    def _scales_not_empty(cls, scales: dict[str, list[Choice]]) -> dict[str, list[Choice]]:
        for name, choices in scales.items():
            if len(choices) < 2:
                raise ValueError(f"scale '{name}' needs at least two choices")
        return scales

    def all_scales(self) -> dict[str, list[Choice]]:
        return dict(self._lookups().scales)

    def _own_memo(self) -> _Memo:
        private = self.__pydantic_private__  # not ``self._memo``: see home_of
        memo = private["_memo"]  # type: ignore[index]
        if memo.owner is None or memo.owner() is not self:
            memo = private["_memo"] = _Memo(self)  # type: ignore[index]
        return memo

    def _lookups(self) -> _Lookups:
        memo = self._own_memo()
        if memo.lookups is None:
            scales = {**BUILTIN_SCALES, **self.scales}
            in_order = tuple((section, q) for section in self.sections for q in section.questions
                             if isinstance(q, Question))
            by_id: dict[str, Question] = {}
            for _, q in in_order:
                by_id.setdefault(q.id, q)
            memo.lookups = _Lookups(scales, {name: ScaleIndex(choices) for name, choices in scales.items()}, by_id,
                                    in_order)
        return memo.lookups

    def derived(self, key: Hashable, build: Callable[[], T]) -> T:
        """What another stage derives from this checklist, built by ``build`` on first use and kept
        with the checklist (e.g. scoring's per-question plan), so the format need not know what it is.
        ``key`` must name everything besides the checklist that ``build`` reads."""
        extras = self._own_memo().extras
        if key not in extras:
            extras[key] = build()
        return extras[key]

    def questions(self) -> list[tuple[Section, Question]]:
        """Every question in asking order (``use`` items count once the library has resolved them)."""
        return list(self._lookups().in_order)

    def home_of(self, question_id: str) -> str:
        """The checklist whose answers hold this question's answer: its own id, or a shared question's home."""
        # Read from pydantic's private-attribute dict directly: ``self._homes`` goes through
        # BaseModel.__getattr__ (a Python function), and scoring asks this several times per question.
        return self.__pydantic_private__["_homes"].get(question_id, self.id)  # type: ignore[index]

    @property
    def shared(self) -> dict[str, str]:
        """Question id -> home checklist id, for the questions used from other checklists."""
        return dict(self._homes)

    def question(self, question_id: str) -> Question | None:
        return self._lookups().questions.get(question_id)

    def choices(self, question: Question) -> list[Choice]:
        return self.scale_of(question).choices

    def scale_of(self, question: Question) -> ScaleIndex:
        """The question's choices with their index by value (no scale: none)."""
        name = question.scale_name
        return self._lookups().indexes.get(name, _NO_SCALE) if name else _NO_SCALE


class SourcePart(_Strict):
    """A stretch of a source written by one of its authors, so that a locator can say whose words
    a quote are (``Nee, para. 23``) and ``sources verify`` can check that it says so truthfully."""

    label: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)] = Field(
        description="How locators name this part, e.g. 'Nee'.")
    author: Text
    first: int = Field(ge=1, description="First paragraph (non-empty line) of the part.")
    last: int = Field(ge=1, description="Last paragraph of the part.")

    @model_validator(mode="after")
    def _ordered(self) -> SourcePart:
        if self.last < self.first:
            raise ValueError(f"part '{self.label}': 'last' ({self.last}) is before 'first' ({self.first})")
        return self


class Source(_Strict):
    """A document checklists cite. Facts its text does not give are ``null``, never guessed."""

    id: Id
    title: Text
    authors: list[Text] | None = None
    publisher: Text | None = None
    date: str | None = Field(default=None, description="As precise as the document says: 2021, 2021-06, 2020-07-30.")
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    file: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]+$")] | None = Field(
        default=None, description="File name of the source's plain text, for quote verification.")
    notes: Text | None = None
    parts: list[SourcePart] = Field(default_factory=list, description=(
        "For a source with several authors: which paragraphs each wrote; locators must then name "
        "the part, e.g. 'Nee, para. 23'."))

    def part_at(self, para: int) -> SourcePart | None:
        return next((part for part in self.parts if part.first <= para <= part.last), None)

    @field_validator("date")
    @classmethod
    def _date_shape(cls, value: str | None) -> str | None:
        if value is None:
            return value
        for fmt in ("%Y-%m-%d", "%Y-%m", "%Y"):
            try:
                _dt.datetime.strptime(value, fmt)
                return value
            except ValueError:
                continue
        raise ValueError("write the date as YYYY, YYYY-MM or YYYY-MM-DD, or null when the source does not say")


class SourceRegistry(_Strict):
    sources: list[Source] = Field(min_length=1)

    def by_id(self) -> dict[str, Source]:
        return {s.id: s for s in self.sources}
