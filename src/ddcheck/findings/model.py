"""What scoring produces and the report, ``score`` and ``compare`` consume: plain, frozen data.

Kept apart from ``scoring.py`` so every consumer depends on the shape, not on how it is computed.
``to_json`` gives the stable machine-readable form used by ``--json`` outputs.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from ..answers.scope import Status


class Rating(str, Enum):
    low = "low"
    medium = "medium"
    high = "high"
    critical = "critical"


@dataclass(frozen=True)
class CitationView:
    source_id: str
    source_title: str
    locator: str
    quote: str


@dataclass(frozen=True)
class QuestionResult:
    checklist_id: str
    section_id: str
    question_id: str
    number: str  # "2.3": section 2, question 3, as shown to the analyst
    text: str
    status: Status
    value: Any = None  # the raw answer value
    answer: str = ""  # the answer as a person reads it (choice labels, the number, the date)
    risk: int | None = None  # the risk counted (gaps: the scale's highest); None when not scored
    max_risk: int | None = None
    weight: float = 1.0
    red_flag: bool = False
    action: str | None = None  # the recommended action for this answer, if it carries risk
    note: str | None = None
    evidence: tuple[str, ...] = ()
    answered_by: str | None = None
    answered_at: str | None = None
    changes: int = 0  # how many earlier answers the history holds
    citations: tuple[CitationView, ...] = ()
    # gaps only: "unanswered", "skipped", "unknown", "off_scale", "na_without_note" or "na_contradicts"
    gap_reason: str | None = None
    role: str = "control"  # "exposure", "control" or "information" (text, number, date)
    exposure: str | None = None  # exposure questions in scope: the level counted (a gap: the scale's highest)
    severity: str | None = None  # red flags only: "high" or "critical"
    problem: str | None = None  # an unjustified "not applicable": why it is not accepted, in words


@dataclass(frozen=True)
class SectionResult:
    id: str
    title: str
    score: float | None  # controls score; None when no control question in it counts
    questions: tuple[QuestionResult, ...]
    risk_total: float = 0.0  # sum of weight x risk: the numerator an auditor recomputes
    risk_max: float = 0.0  # sum of weight x highest risk of the scale: the denominator


@dataclass(frozen=True)
class ChecklistResult:
    id: str
    title: str
    version: str
    score: float | None  # the controls score, 0-100 (100: every control in place); None: no control counts
    rating: Rating | None
    reasons: tuple[str, ...]  # why the rating is what it is, in plain sentences, the decisive one first
    sections: tuple[SectionResult, ...]
    risk_total: float = 0.0
    risk_max: float = 0.0
    exposure: str | None = None  # none..severe; None when the checklist asks no exposure question
    coverage: float | None = None  # answered / in-scope scored questions, 0-1 (3 decimals); None: none in scope
    controls_band: str | None = None  # "strong", "adequate", "weak" or "poor"; None without a score
    scored_in_scope: int = 0  # coverage's denominator
    scored_answered: int = 0  # coverage's numerator (answers and justified "not applicable")


@dataclass(frozen=True)
class Action:
    priority: int  # 1 is the most urgent
    checklist_id: str
    question_id: str
    number: str
    question: str
    action: str
    risk: int
    weight: float
    kind: str  # "risk": from a risky answer; "exposure": from an exposure answer; "gap": answer this question
    exposure: str | None = None  # kind "exposure": the level of the answer
    red_flag: bool = False  # the question raised a red flag: listed first, marked in the report


@dataclass(frozen=True)
class Overall:
    score: float | None  # pooled controls score over every checklist (shown; the rating does not use it)
    rating: Rating | None  # the most severe checklist rating
    reasons: tuple[str, ...]
    risk_total: float = 0.0
    risk_max: float = 0.0
    exposure: str | None = None  # the highest checklist exposure
    coverage: float | None = None
    controls_band: str | None = None
    scored_in_scope: int = 0
    scored_answered: int = 0


@dataclass(frozen=True)
class Counts:
    answered: int = 0
    gaps: int = 0
    na: int = 0
    info: int = 0
    out_of_scope: int = 0


@dataclass(frozen=True)
class OrphanAnswer:
    """An answer to a question the checklist no longer has: kept in the file and reported."""

    checklist_id: str
    question_id: str
    value: Any
    # The value as text (``answers.values.plain_value``), filled by scoring so no reader re-renders it;
    # derived from ``value``, hence left out of equality.
    answer: str = field(default="", compare=False)


@dataclass(frozen=True)
class Findings:
    overall: Overall
    checklists: tuple[ChecklistResult, ...]
    red_flags: tuple[QuestionResult, ...]
    gaps: tuple[QuestionResult, ...]
    actions: tuple[Action, ...]
    counts: Counts
    orphans: tuple[OrphanAnswer, ...] = field(default_factory=tuple)
    frameworks: tuple[Any, ...] = field(default_factory=tuple)  # FrameworkCoverage, see frameworks.py


def to_json(value: Any) -> Any:
    """Plain JSON-ready data (enums as their values, tuples as lists)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    return value
