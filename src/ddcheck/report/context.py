"""Findings + the assessment + the sources -> the report's view-model: plain, frozen data.

Everything a reader sees is decided here, once, for every output format (PDF, HTML, Markdown,
JSON): wording of statuses and risks, numbering, anchors, which sources the bibliography lists,
the chart's bar lengths, the audit facts. Templates only lay it out. Nothing here imports Jinja2
or WeasyPrint, so it is tested with plain data and is fast.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Sequence

from ..answers.assessment import Assessment
from ..checklists.model import Source, unquoted
from ..findings.model import (ChecklistResult, Counts, Findings, QuestionResult, Rating, SectionResult,
                        Status)

REPORT_TITLE = "Human-rights due diligence report"
ATTACHMENT_NAME = "answers.yaml"  # the assessment file, as embedded in the PDF and named on the audit page
NO_SCORE = "\u2014"  # a score that cannot be computed, as ``ddcheck score`` and the README show it
GAP_RISK_LABEL = "Gap: counted as high risk"
GAP_SHORT_LABEL = "Gap (high risk)"  # the action plan's narrow risk column
DISCLAIMER = (
    "This report is a self-assessment: it sets out the answers that the assessor gave to the "
    "checklists named on the cover, scored by fixed rules. It is not an audit, a certification or "
    "a legal opinion. Nobody has verified the answers or the evidence they refer to, and a low "
    "risk rating does not mean that no human-rights harm exists. Use it to decide what to look at "
    "next, not to conclude that due diligence is complete."
)

CONFIDENTIALITY = ("Confidential. Prepared for {organisation}; it names suppliers, partners and the people who "
                   "answered. Share it only with those who need it.")


def report_id(data: bytes, generated_at: dt.datetime) -> str:
    """An id to quote when discussing a report: its date and the start of the assessment's SHA-256.

    The same file rendered the same day (or with the same SOURCE_DATE_EPOCH) gets the same id.
    """
    return f"DDR-{generated_at:%Y%m%d}-{hashlib.sha256(data).hexdigest()[:8].upper()}"


def _scope(assessment: Assessment, findings: Findings) -> str:
    c = findings.counts
    n = len(findings.checklists)
    checklists = "the checklist" if n == 1 else f"the {n} checklists"
    return (f"This report covers {assessment.meta.subject}, assessed for {assessment.meta.organisation} "
            f"against {checklists} named in it, as answered by {assessment.meta.assessor} "
            f"(assessment dated {assessment.meta.date.isoformat()}). {c.answered} questions were answered and "
            f"{c.gaps} left open, which count as the worst answer; {c.out_of_scope} were not asked, given "
            "earlier answers. Nothing outside these answers was examined.")


RATING_LABELS = {
    Rating.low: "Low risk",
    Rating.medium: "Medium risk",
    Rating.high: "High risk",
    Rating.critical: "Critical risk",
}
RISK_LABELS = {0: "No risk", 1: "Low risk", 2: "Medium risk", 3: "High risk"}
STATUS_LABELS = {
    Status.answered: "Answered",
    Status.gap: "Gap",
    Status.na: "Not applicable",
    Status.info: "For information",
    Status.out_of_scope: "Not asked",
}


# ---------------------------------------------------------------------------------------------
# The view-model


@dataclass(frozen=True)
class Footnote:
    """One citation: "[2] Washington Post, para. 9: “quote”", linked to bibliography entry [2].

    The bibliography number is the only number a citation carries (no separate footnote count).
    """

    ref: int  # number in the bibliography
    source_id: str
    source_title: str
    short: str  # the source in a few words (authors' family names, or the publisher): "Cheng"
    locator: str
    quote: str

    @property
    def source_anchor(self) -> str:
        return source_anchor(self.source_id)


@dataclass(frozen=True)
class QuestionView:
    anchor: str
    number: str  # "1.2.3": checklist 1, section 2, question 3, unambiguous across the whole report
    text: str
    status: str
    status_label: str
    answer: str
    note: str | None
    evidence: tuple[str, ...]
    risk: int | None
    max_risk: int | None
    risk_label: str
    risk_class: str  # "risk-0".."risk-3", "gap", "na", "info": colour in the templates
    red_flag: bool
    action: str | None
    answered_by: str | None
    answered_at: str | None
    changes: int
    citations: tuple[Footnote, ...]


@dataclass(frozen=True)
class SectionView:
    anchor: str
    number: int
    title: str
    score: float | None
    score_text: str
    rating_class: str
    questions: tuple[QuestionView, ...]  # relevant: answered, gaps, N/A, information
    out_of_scope: tuple[QuestionView, ...]  # listed briefly


@dataclass(frozen=True)
class ChecklistView:
    anchor: str
    number: int
    id: str
    title: str
    version: str
    score: float | None
    score_text: str
    rating: str | None
    rating_label: str
    rating_class: str
    reasons: tuple[Reason, ...]
    sections: tuple[SectionView, ...]
    counts: Counts
    exposure: str | None = None  # none..severe; None: the checklist asks no exposure question
    exposure_text: str = ""  # "Severe", or "Not assessed"
    coverage: float | None = None  # 0-1: answered share of the scored questions that apply
    coverage_text: str = ""  # "83% (10 of 12)"
    controls_band: str | None = None  # strong, adequate, weak, poor


@dataclass(frozen=True)
class QuestionRef:
    """A link to a question: its one number, as its heading shows it."""

    number: str
    anchor: str


@dataclass(frozen=True)
class Reason:
    """One sentence of "why this rating", and the questions it names (linked by number)."""

    text: str
    questions: tuple[QuestionRef, ...] = ()


@dataclass(frozen=True)
class Overall:
    score: float | None  # the pooled controls score (shown; the rating is the most severe checklist rating)
    score_text: str
    rating: str | None
    rating_label: str
    rating_class: str
    reasons: tuple[Reason, ...]
    exposure: str | None = None
    exposure_text: str = ""
    coverage: float | None = None
    coverage_text: str = ""


@dataclass(frozen=True)
class ChartRow:
    label: tuple[str, ...]  # the title in lines of whole words (never cut)
    level: str  # "checklist" or "section"
    score_text: str
    bar: float  # bar length, 0-100 (per cent of the axis); 0 when there is no score
    rating_class: str
    y: float  # top of the row, in chart units


@dataclass(frozen=True)
class Chart:
    """A horizontal bar chart, drawn as inline SVG by the templates from these numbers."""

    width: float
    height: float
    label_width: float
    bar_width: float
    row_height: float
    rows: tuple[ChartRow, ...]
    ticks: tuple[int, ...] = (0, 25, 50, 75, 100)

    @property
    def description(self) -> str:
        """The chart in words: its alternative text for screen readers (PDF/UA, HTML)."""
        scores = "; ".join(f"{' '.join(r.label)}: {r.score_text}" for r in self.rows)
        return f"Bar chart of scores from 0 to 100 (100 means no risk found). {scores}."


@dataclass(frozen=True)
class MatrixCell:
    rating_class: str
    rating_label: str
    checklists: tuple[int, ...]  # numbers of the checklists that sit in this cell


@dataclass(frozen=True)
class MatrixRow:
    exposure: str  # "severe" .. "none"
    cells: tuple[MatrixCell, ...]  # by controls band, strong to poor


@dataclass(frozen=True)
class RiskMatrix:
    """The exposure x controls matrix of the rating rule, each checklist placed in its cell (SVG)."""

    columns: tuple[str, ...]  # controls bands, strong to poor, with their score ranges
    rows: tuple[MatrixRow, ...]  # exposure levels, most severe first
    placed: tuple[str, ...]  # one line per checklist: where it sits and why ("assumed" exposure...)

    @property
    def description(self) -> str:
        return ("Exposure \u00d7 controls matrix: rows are exposure levels from severe to none, columns "
                "controls bands from strong to poor, each cell the rating it gives. " + " ".join(self.placed))


@dataclass(frozen=True)
class FlagView:
    anchor: str
    number: str  # "1.2.3", the number of the question's heading
    checklist_title: str
    text: str
    answer: str
    action: str | None


@dataclass(frozen=True)
class ActionView:
    priority: int
    anchor: str
    number: str  # "1.2.3", the number of the question's heading
    checklist_title: str
    question: str
    action: str
    kind: str  # "risk" or "gap"
    kind_label: str
    risk_label: str
    risk_class: str
    red_flag: bool = False
    # Follow-up recorded with 'ddcheck actions set' (see findings/tracking.py); empty id: not tracked.
    id: str = ""
    status: str = "open"
    owner: str | None = None
    due: str | None = None
    overdue: bool = False
    follow_up: str = ""  # the line a reader sees: "ID 3f9c2a1b · In progress · owner J. Doe · due 2025-09-30"


@dataclass(frozen=True)
class BibEntry:
    ref: int
    id: str
    authors: str | None
    title: str
    publisher: str | None
    date: str | None
    url: str | None
    citations: int  # how many footnotes cite it
    notes: str | None = None  # what the registry says about the facts (e.g. why a date is unknown)
    short: str = ""  # how footnotes name it: "Cheng", "Nee and Zhang", "Washington Post"

    # What a reader sees: a fact the document does not state is left out, never guessed; an
    # unknown date reads "n.d." (no date), as bibliographies write it.
    @property
    def date_text(self) -> str:
        return self.date or "n.d."

    @property
    def anchor(self) -> str:
        return source_anchor(self.id)


@dataclass(frozen=True)
class Band:
    """A rating band of the method: a name, its colour class and the rule, in words."""

    rating: str
    label: str
    rating_class: str
    rule: str


@dataclass(frozen=True)
class Method:
    paragraphs: tuple[str, ...]
    bands: tuple[Band, ...]
    red_flag_floor: str = "high"  # the rating a red flag raises an assessment to, at least


@dataclass(frozen=True)
class ChecklistPrint:
    id: str
    title: str
    version: str
    recorded: str  # fingerprint stored in the assessment when it was answered
    current: str | None  # fingerprint of the checklist used for this report
    matches: bool | None


@dataclass(frozen=True)
class HistoryRow:
    anchor: str
    checklist_title: str
    number: str  # "1.2.3", the number of the question's heading
    question: str
    changes: int
    answered_by: str
    answered_at: str


@dataclass(frozen=True)
class Audit:
    file_name: str
    sha256: str
    size: int
    attachment_name: str
    checklists: tuple[ChecklistPrint, ...]
    answers: int
    changed_answers: int
    changes: int
    answerers: tuple[str, ...]
    first_answer: str | None
    last_answer: str | None
    history: tuple[HistoryRow, ...]
    generated_at: str
    generated_iso: str  # the same moment, machine-readable (JSON output)
    ddcheck_version: str
    renderer: str


@dataclass(frozen=True)
class Orphan:
    checklist_id: str
    question_id: str
    value: str


@dataclass(frozen=True)
class ReportContext:
    title: str
    organisation: str
    subject: str
    assessor: str
    date: str
    checklists: tuple[ChecklistView, ...]
    overall: Overall
    counts: Counts
    red_flags: tuple[FlagView, ...]
    actions: tuple[ActionView, ...]
    chart: Chart
    matrix: RiskMatrix | None
    sources: tuple[BibEntry, ...]
    method: Method
    audit: Audit
    disclaimer: str
    report_id: str = ""  # "DDR-20250214-1A2B3C4D": generation date and the assessment file's fingerprint
    confidentiality: str = ""
    scope: str = ""  # what the report covers, in one paragraph, for the cover
    orphans: tuple[Orphan, ...] = field(default_factory=tuple)

    def texts(self) -> Iterable[str]:
        """Every string a reader will see, for the glyph-coverage check."""
        yield from _strings(self)


# ---------------------------------------------------------------------------------------------
# Building it


@dataclass(frozen=True)
class ChecklistInfo:
    """What the report needs to know of a checklist besides its results: the current fingerprint."""

    id: str
    title: str
    version: str
    fingerprint: str | None


def build_context(
    findings: Findings,
    assessment: Assessment,
    sources: Mapping[str, Source],
    checklists: Mapping[str, ChecklistInfo],
    *,
    assessment_bytes: bytes,
    file_name: str,
    generated_at: dt.datetime,
    ddcheck_version: str,
    renderer: str = "",
    method: Method,
    rating_of: Callable[[float], Rating | None] | None = None,
    follow_up: Mapping[int, Any] | None = None,
) -> ReportContext:
    """The view-model of one report. ``rating_of`` colours section scores like checklist scores;
    ``follow_up`` maps an action's priority to its ``findings.tracking.TrackedAction``."""
    bib = _Bibliography(sources)
    titles = {c.id: c.title for c in findings.checklists}
    numbers = _Numbers(findings)
    checklist_views = tuple(
        _checklist(i, result, bib, rating_of, method, numbers) for i, result in enumerate(findings.checklists, 1))
    overall = Overall(
        score=findings.overall.score, score_text=score_text(findings.overall.score),
        rating=_value(findings.overall.rating), rating_label=rating_label(findings.overall.rating),
        rating_class=rating_class(findings.overall.rating),
        reasons=overall_reasons(findings, checklist_views, numbers),
        exposure=findings.overall.exposure, exposure_text=exposure_text(findings.overall.exposure),
        coverage=findings.overall.coverage,
        coverage_text=coverage_text(findings.overall.coverage, findings.overall.scored_answered,
                                    findings.overall.scored_in_scope))
    return ReportContext(
        title=REPORT_TITLE,
        organisation=assessment.meta.organisation,
        subject=assessment.meta.subject,
        assessor=assessment.meta.assessor,
        date=assessment.meta.date.isoformat(),
        checklists=checklist_views,
        overall=overall,
        counts=findings.counts,
        red_flags=tuple(_flag(q, titles, numbers) for q in findings.red_flags),
        actions=tuple(_action(a, titles, numbers, (follow_up or {}).get(a.priority))
                      for a in sorted(findings.actions, key=lambda a: a.priority)),
        chart=_chart(checklist_views),
        matrix=risk_matrix(findings, checklist_views),
        sources=bib.entries(),
        method=method,
        audit=_audit(findings, assessment, checklists, assessment_bytes, file_name, generated_at,
                     ddcheck_version, renderer, numbers),
        disclaimer=DISCLAIMER,
        report_id=report_id(assessment_bytes, generated_at),
        confidentiality=CONFIDENTIALITY.format(organisation=assessment.meta.organisation),
        scope=_scope(assessment, findings),
        orphans=tuple(Orphan(o.checklist_id, o.question_id, o.answer) for o in findings.orphans),
    )


def score_text(score: float | None) -> str:
    """Scores run from 0 to 100, and 100 means no risk found (see the method); one decimal, as scored."""
    return NO_SCORE if score is None else f"{score:.1f}"


def exposure_text(exposure: str | None) -> str:
    """How an exposure level reads: "Severe"; "Not assessed" for a checklist with no exposure question."""
    return exposure.capitalize() if exposure else "Not assessed"


def coverage_text(coverage: float | None, answered: int, in_scope: int) -> str:
    """ "83% (10 of 12)": the answered share of the scored questions that apply, with the counts behind it."""
    if coverage is None:
        return NO_SCORE
    return f"{coverage * 100:.0f}% ({answered} of {in_scope})"


def rating_label(rating: Rating | None) -> str:
    return RATING_LABELS.get(rating, "Not rated") if rating is not None else "Not rated"


def rating_class(rating: Rating | None) -> str:
    return f"rating-{rating.value}" if rating is not None else "rating-none"


def build_method(bands: Sequence[tuple[float, Rating]], red_flag_floor: Rating) -> Method:
    """The method page, from the scoring rule's own constants so the two cannot drift apart.

    ``bands`` are (lower bound, rating), best first, as ``scoring.BANDS`` holds them.
    """
    rows = []
    upper = 100.0
    for lower, rating in bands:
        rule = (f"score {lower:g} to 100" if upper == 100.0 and lower < 100 else
                f"score {lower:g} to under {upper:g}")
        rows.append(Band(rating.value, rating_label(rating), rating_class(rating), rule))
        upper = lower
    floor = rating_label(red_flag_floor).lower()
    return Method(
        paragraphs=(
            "Every scored answer carries the risk that its checklist gives it, from 0 (none) to 3 "
            "(high); a question answered with several values counts its riskiest one. Each question "
            "adds its weight \u00d7 its risk to a risk total, and its weight \u00d7 the highest risk "
            "of its scale to a maximum.",
            "Score = 100 \u00d7 (1 \u2212 risk total \u00f7 maximum), rounded to one decimal: 100 "
            "means no risk was found, 0 that every question has the worst answer. Sections, "
            "checklists and the whole assessment each sum their own questions; a checklist\u2019s "
            "score is not the average of its sections.",
            "Gaps \u2014 questions left unanswered, skipped, or answered \u201cdon\u2019t know\u201d "
            "\u2014 count as the worst answer, so an incomplete assessment never looks better than "
            "a completed one. Answers of \u201cnot applicable\u201d are left out of both sums, and "
            "so are questions the checklist does not ask given earlier answers. Text, number and "
            "date questions are shown for information and not scored.",
            "This score measures controls. A checklist\u2019s rating combines it with exposure, the "
            "highest exposure level its exposure questions record (a \u201cdon\u2019t know\u201d counts as "
            "the highest): the exposure \u00d7 controls matrix in the executive summary gives the rating "
            "for each pair, so strong controls cannot make severe exposure low risk. A checklist that "
            "asks no exposure question is rated on the medium-exposure row, the bands below.",
            f"A red flag \u2014 an answer a checklist marks as serious on its own \u2014 raises the rating "
            f"to at least {floor}, or to critical risk when the checklist marks it critical, whatever "
            "the other answers. The overall rating is the most severe checklist rating; checklists "
            "are never averaged.",
        ),
        bands=tuple(rows),
        red_flag_floor=red_flag_floor.value,
    )


# ---------------------------------------------------------------------------------------------
# Pieces


_CJK_RUN = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003134f]+")


def cjk_runs(text: str) -> list[tuple[str, bool]]:
    """``text`` split into (piece, is Chinese) runs, so templates can mark Chinese ``lang="zh"``:
    a screen reader then reads it as Chinese, and fonts pick Chinese glyph forms."""
    out: list[tuple[str, bool]] = []
    last = 0
    for match in _CJK_RUN.finditer(text):
        if match.start() > last:
            out.append((text[last:match.start()], False))
        out.append((match.group(0), True))
        last = match.end()
    if last < len(text):
        out.append((text[last:], False))
    return out


def paragraphs(text: str | None) -> list[str]:
    """Split an analyst's note on blank lines, so paragraphs survive (each one escaped later).

    One rule for the HTML (PDF) and Markdown reports; lines within a paragraph join with one space.
    """
    if not text:
        return []
    lines = text.replace("\r\n", "\n").replace("\r", "\n")
    return [" ".join(p.split()) for p in re.split(r"\n[ \t]*\n", lines) if p.strip()]


def _value(rating: Rating | None) -> str | None:
    return rating.value if rating is not None else None


def _slug(*parts: str) -> str:
    return "-".join(re.sub(r"[^a-z0-9_-]+", "-", p.lower()) for p in parts)


def question_anchor(checklist_id: str, question_id: str) -> str:
    return "q-" + _slug(checklist_id, question_id)


def source_anchor(source_id: str) -> str:
    return "src-" + _slug(source_id)


class _Numbers:
    """The report's one numbering: "1.2.3" is checklist 1 (in report order), section 2, question 3.

    Scoring numbers questions within their checklist ("2.3"); every reference in the report (red
    flags, reasons, actions, audit trail) goes through here so it matches the question's heading.
    """

    def __init__(self, findings: Findings):
        self._checklists = {c.id: i for i, c in enumerate(findings.checklists, 1)}

    def of(self, checklist_id: str, number: str) -> str:
        n = self._checklists.get(checklist_id)
        return f"{n}.{number}" if n is not None and number else number

    def ref(self, q: QuestionResult) -> QuestionRef:
        return QuestionRef(self.of(q.checklist_id, q.number), question_anchor(q.checklist_id, q.question_id))


def checklist_reasons(c: ChecklistResult, numbers: _Numbers) -> tuple[Reason, ...]:
    """ "Why this rating" of one checklist, in whole sentences naming questions by the report's numbers.

    Written here from the findings' measures rather than taken from scoring's one-line reasons
    (made for the terminal: they name checklists by id and shorten question texts): a board reads
    these. The rule itself is scoring's (``findings.rating``): exposure row x controls column,
    then red flags by severity.
    """
    from ..findings.rating import matrix_rating

    questions = [q for s in c.sections for q in s.questions]
    out: list[Reason] = []
    exposure = _exposure(c.exposure)
    cell = matrix_rating(exposure, c.score)
    source = next((q for q in questions if q.role == "exposure" and q.exposure == c.exposure
                   and q.status is not Status.out_of_scope), None) if c.exposure else None
    if c.exposure is None:
        where, refs = "No question of this checklist measures exposure, so medium exposure is assumed", ()
    elif source is not None:
        counted = " (not known, so counted at its highest)" if source.status is Status.gap else ""
        where, refs = f"Exposure is {c.exposure}{counted}, from the answer to question", (numbers.ref(source),)
    else:
        where, refs = f"Exposure is {c.exposure}", ()
    out.append(Reason(where, refs) if refs else Reason(where + "."))
    matrix = f"the exposure \u00d7 controls matrix gives {rating_label(cell).lower()}" if cell else "it is not rated"
    if c.score is None:
        out.append(Reason(f"No control question counts, so exposure alone decides: {matrix}."))
    else:
        out.append(Reason(f"With {c.controls_band} controls (score {c.score:.1f}, band "
                          f"{_band_words(c.controls_band)}), {matrix}."))
    out += _flag_reasons(cell, c.rating, [q for q in questions if q.red_flag], numbers)
    if c.scored_in_scope:
        gaps = sum(q.status is Status.gap for q in questions)
        text = f"{c.scored_answered} of {c.scored_in_scope} scored questions in scope are answered"
        if gaps:
            text += (f"; {gaps} {'is a gap' if gaps == 1 else 'are gaps'} (unanswered, skipped or "
                     "\u201cdon\u2019t know\u201d), counted at the worst")
        out.append(Reason(text + "."))
    return tuple(out)


def overall_reasons(findings: Findings, views: Sequence[ChecklistView], numbers: _Numbers) -> tuple[Reason, ...]:
    o = findings.overall
    if o.rating is None:
        return (Reason("Not rated: no checklist scores anything in scope."),)
    from ..findings.rating import matrix_rating

    decisive = [(v, c) for v, c in zip(views, findings.checklists) if c.rating is o.rating]
    names = _and([f"{v.number} {v.title}" for v, _ in decisive])
    by_matrix = all(matrix_rating(_exposure(c.exposure), c.score) is o.rating for _, c in decisive)
    why = ("where the exposure \u00d7 controls matrix gives " + rating_label(o.rating).lower() if by_matrix
           else "raised there by red flags")
    out = [Reason(f"The overall rating is the most severe checklist rating, "
                  f"{rating_label(o.rating).lower()}, from {'checklist' if len(decisive) == 1 else 'checklists'} "
                  f"{names}, {why}. The rating never averages checklists.")]
    flags = list(findings.red_flags)
    if flags:
        critical = sum(q.severity == "critical" for q in flags)
        what = "1 red flag" if len(flags) == 1 else f"{len(flags)} red flags"
        if critical:
            what += f" ({critical} critical)"
        out.append(Reason(f"{what.capitalize()}, listed below: {_questions(flags)}", tuple(numbers.ref(q) for q in flags)))
    if o.scored_in_scope:
        out.append(Reason(f"{o.scored_answered} of {o.scored_in_scope} scored questions in scope are answered"
                          f"; {findings.counts.gaps} left open, counted at the worst. The overall controls score, "
                          f"{score_text(o.score)}, is shown for reference only."))
    return tuple(out)


def _flag_reasons(cell: Rating | None, rating: Rating | None, flags: Sequence[QuestionResult],
                  numbers: _Numbers) -> list[Reason]:
    out = []
    for severity, floor in (("critical", Rating.critical), ("high", Rating.high)):
        these = [q for q in flags if (q.severity or "high") == severity]
        if not these:
            continue
        refs = tuple(numbers.ref(q) for q in these)
        flag = f"{'a' if len(refs) == 1 else str(len(refs))} {severity} red flag{'s' if len(refs) > 1 else ''}"
        label = rating_label(floor).lower()
        alone = f"make it {label}" if floor is Rating.critical else f"rate it at least {label}"
        if rating is floor and (cell is None or _SEVERITY[cell] < _SEVERITY[floor]):
            out.append(Reason(f"Raised to {label} by {flag}, whatever the other answers: {_questions(these)}", refs))
        else:
            out.append(Reason(f"Also {flag}, which alone would {alone}: {_questions(these)}", refs))
    return out


_SEVERITY = {Rating.low: 0, Rating.medium: 1, Rating.high: 2, Rating.critical: 3}


def _exposure(level: str | None):
    from ..checklists.model import Exposure

    return Exposure(level) if level else None


def _band_words(band: str | None) -> str:
    from ..findings.rating import CONTROL_BANDS

    names = [n for _, n in CONTROL_BANDS]
    if band not in names:
        return ""
    i = names.index(band)
    lower = CONTROL_BANDS[i][0]
    return f"{lower:g} to 100" if i == 0 else f"{lower:g} to under {CONTROL_BANDS[i - 1][0]:g}"


def _questions(items: Sequence[object]) -> str:
    return "question" if len(items) == 1 else "questions"


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def short_name(source: Source | None, fallback: str) -> str:
    """How a footnote names a source: the authors' family names, else the publisher, else the title.

    A name written with its family name in capitals ("LIU Hongchun") gives that word; otherwise
    the last word ("Qian Cheng" -> "Cheng"). Three or more authors: the first, "et al.".
    """
    if source is None:
        return shorten(fallback, 40)
    if source.authors:
        families = [_family_name(a) for a in source.authors]
        if len(families) == 1:
            return families[0]
        if len(families) == 2:
            return f"{families[0]} and {families[1]}"
        return f"{families[0]} et al."
    if source.publisher:
        return source.publisher
    return _words(source.title, 40)


def _family_name(name: str) -> str:
    words = name.replace(",", " ").split()
    capitals = [w for w in words if len(w) > 1 and w.isupper()]
    if capitals:
        return capitals[0].capitalize()
    return words[-1] if words else name


def _words(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut between words with an ellipsis (never inside a word)."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:\u2014-")
    return (cut or text[: limit - 1]) + "\u2026"


def wrap_words(text: str, width: int, max_lines: int = 2) -> tuple[str, ...]:
    """``text`` in lines of at most ``width`` characters, broken between words (chart labels).

    Only a text too long for ``max_lines`` lines is shortened, and then between words.
    """
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        rest = " ".join(lines[max_lines - 1:])
        lines = lines[: max_lines - 1] + [_words(rest, width)]
    return tuple(lines)


class _Bibliography:
    """Numbers sources in the order the report first cites them."""

    def __init__(self, sources: Mapping[str, Source]):
        self.sources = sources
        self.refs: dict[str, int] = {}
        self.counts: dict[str, int] = {}

    def cite(self, source_id: str) -> int:
        if source_id not in self.refs:
            self.refs[source_id] = len(self.refs) + 1
        self.counts[source_id] = self.counts.get(source_id, 0) + 1
        return self.refs[source_id]

    def entries(self) -> tuple[BibEntry, ...]:
        out = []
        for source_id, ref in self.refs.items():
            s = self.sources.get(source_id)
            if s is None:  # scoring saw a source the registry lacks: still list what we know
                out.append(BibEntry(ref, source_id, None, source_id, None, None, None, self.counts[source_id],
                                    short=short_name(None, source_id)))
                continue
            out.append(BibEntry(
                ref=ref, id=s.id, authors=_authors(s.authors), title=s.title, publisher=s.publisher,
                date=s.date, url=s.url, citations=self.counts[source_id], notes=s.notes,
                short=short_name(s, s.title)))
        return tuple(out)


def _authors(authors: Sequence[str] | None) -> str | None:
    if not authors:
        return None
    if len(authors) == 1:
        return authors[0]
    return ", ".join(authors[:-1]) + " and " + authors[-1]


def _question(checklist_number: int, q: QuestionResult, bib: _Bibliography | None) -> QuestionView:
    footnotes = tuple(
        Footnote(bib.cite(c.source_id), c.source_id, c.source_title,
                 short_name(bib.sources.get(c.source_id), c.source_title), c.locator, unquoted(c.quote))
        for c in q.citations) if bib is not None else ()
    return QuestionView(
        anchor=question_anchor(q.checklist_id, q.question_id), number=f"{checklist_number}.{q.number}", text=q.text,
        status=q.status.value, status_label=STATUS_LABELS[q.status], answer=_answer_text(q),
        note=q.note or None, evidence=tuple(q.evidence), risk=q.risk, max_risk=q.max_risk,
        risk_label=_risk_label(q), risk_class=_risk_class(q), red_flag=q.red_flag, action=q.action,
        answered_by=q.answered_by, answered_at=_short_time(q.answered_at), changes=q.changes,
        citations=footnotes)


def _answer_text(q: QuestionResult) -> str:
    """Scoring's rendering of the answer (choice labels, numbers, dates); words when there is none."""
    if q.answer:
        return q.answer
    return {Status.gap: "Not answered", Status.out_of_scope: "Not asked"}.get(q.status, "")


EXPOSURE_CLASSES = {"none": "risk-0", "low": "risk-1", "medium": "risk-2", "high": "risk-3", "severe": "risk-3"}


def _risk_label(q: QuestionResult) -> str:
    if q.role == "exposure" and q.status in (Status.answered, Status.gap) and q.exposure:
        counted = " (not known: counted as the highest)" if q.status is Status.gap else ""
        return f"Exposure {q.exposure}{counted}"
    if q.status is Status.gap:
        return GAP_RISK_LABEL
    if q.status is Status.na:
        return "Not applicable"
    if q.status is Status.info:
        return "Not scored"
    if q.status is Status.out_of_scope:
        return "Not asked"
    return RISK_LABELS.get(q.risk, f"Risk {q.risk}") if q.risk is not None else "Not scored"


def _risk_class(q: QuestionResult) -> str:
    if q.role == "exposure" and q.status is Status.answered and q.exposure:
        return EXPOSURE_CLASSES.get(q.exposure, "na")
    if q.status is Status.answered and q.risk is not None:
        return f"risk-{max(0, min(3, q.risk))}"
    return {Status.gap: "gap", Status.na: "na", Status.info: "info"}.get(q.status, "na")


def _section(checklist_number: int, number: int, checklist_id: str, s: SectionResult, bib: _Bibliography,
             rating_of: Callable[[float], Rating | None] | None) -> SectionView:
    relevant = tuple(_question(checklist_number, q, bib) for q in s.questions
                     if q.status is not Status.out_of_scope)
    skipped = tuple(_question(checklist_number, q, None) for q in s.questions
                    if q.status is Status.out_of_scope)
    rating = rating_of(s.score) if (rating_of and s.score is not None) else None
    return SectionView(anchor="s-" + _slug(checklist_id, s.id), number=number, title=s.title, score=s.score,
                       score_text=score_text(s.score), rating_class=rating_class(rating),
                       questions=relevant, out_of_scope=skipped)


def _checklist(number: int, c: ChecklistResult, bib: _Bibliography,
               rating_of: Callable[[float], Rating | None] | None, method: Method,
               numbers: _Numbers) -> ChecklistView:
    sections = tuple(_section(number, i, c.id, s, bib, rating_of) for i, s in enumerate(c.sections, 1))
    # Findings count statuses for the whole assessment only; a checklist's counts are its own.
    statuses = [q.status for s in c.sections for q in s.questions]
    counts = Counts(answered=statuses.count(Status.answered), gaps=statuses.count(Status.gap),
                    na=statuses.count(Status.na), info=statuses.count(Status.info),
                    out_of_scope=statuses.count(Status.out_of_scope))
    return ChecklistView(
        anchor="c-" + _slug(c.id), number=number, id=c.id, title=c.title, version=c.version, score=c.score,
        score_text=score_text(c.score), rating=_value(c.rating), rating_label=rating_label(c.rating),
        rating_class=rating_class(c.rating),
        reasons=checklist_reasons(c, numbers),
        sections=sections, counts=counts,
        exposure=c.exposure, exposure_text=exposure_text(c.exposure), coverage=c.coverage,
        coverage_text=coverage_text(c.coverage, c.scored_answered, c.scored_in_scope), controls_band=c.controls_band)


def _flag(q: QuestionResult, titles: Mapping[str, str], numbers: _Numbers) -> FlagView:
    return FlagView(anchor=question_anchor(q.checklist_id, q.question_id), number=numbers.of(q.checklist_id, q.number),
                    checklist_title=titles.get(q.checklist_id, q.checklist_id), text=q.text,
                    answer=_answer_text(q), action=q.action)


def _action(a: Any, titles: Mapping[str, str], numbers: _Numbers, tracked: Any = None) -> ActionView:
    risk_class = "gap" if a.kind == "gap" else f"risk-{max(0, min(3, a.risk))}"
    risk = GAP_SHORT_LABEL if a.kind == "gap" else RISK_LABELS.get(a.risk, f"Risk {a.risk}")
    follow: dict[str, Any] = {}
    if tracked is not None:
        follow = dict(id=tracked.id, status=tracked.status, owner=tracked.owner, due=tracked.due,
                      overdue=tracked.overdue, follow_up=follow_up_text(tracked))
    return ActionView(
        priority=a.priority, anchor=question_anchor(a.checklist_id, a.question_id),
        number=numbers.of(a.checklist_id, a.number),
        checklist_title=titles.get(a.checklist_id, a.checklist_id), question=a.question, action=a.action,
        kind=a.kind, kind_label="Answer this question" if a.kind == "gap" else "Reduce the risk",
        risk_label=risk, risk_class=risk_class, red_flag=getattr(a, "red_flag", False), **follow)


ACTION_STATUS_LABELS = {"open": "Open", "in-progress": "In progress", "done": "Done",
                        "risk-accepted": "Risk accepted"}


def follow_up_text(tracked: Any) -> str:
    """One line of an action's follow-up, the same in every format (and the portfolio report)."""
    parts = [f"ID {tracked.id}", ACTION_STATUS_LABELS.get(tracked.status, tracked.status)]
    if tracked.updated_at is not None:  # followed up: say who owns it and by when, even if nobody does
        parts += [f"owner {tracked.owner}" if tracked.owner else "no owner",
                  f"due {tracked.due}" + (" (overdue)" if tracked.overdue else "") if tracked.due else "no due date"]
    return " \u00b7 ".join(parts)


CHART_WIDTH = 480.0
CHART_LABEL = 232.0
CHART_ROW = 11.0  # one line of label; a two-line label adds CHART_LINE
CHART_LINE = 7.5
CHART_TOP = 14.0  # room for the axis labels
# Characters per label line: the label column (less its gap) over an average glyph width of about
# 0.55 em at 7.2 units (checklists, bold) and 6.6 units (sections).
CHART_CHARS = {"checklist": 52, "section": 62}


def _chart(checklists: Sequence[ChecklistView]) -> Chart:
    rows: list[ChartRow] = []
    y = CHART_TOP

    def add(title: str, level: str, score_text: str, score: float | None, rating_class: str) -> None:
        nonlocal y
        label = wrap_words(title, CHART_CHARS[level])
        rows.append(ChartRow(label, level, score_text, _bar(score), rating_class, y))
        y += CHART_ROW + CHART_LINE * (len(label) - 1)

    for c in checklists:
        add(f"{c.number} {c.title}", "checklist", c.score_text, c.score, c.rating_class)
        for s in c.sections:
            add(f"{c.number}.{s.number} {s.title}", "section", s.score_text, s.score, s.rating_class)
        y += 4
    bar_width = CHART_WIDTH - CHART_LABEL - 30
    return Chart(width=CHART_WIDTH, height=y + 4, label_width=CHART_LABEL, bar_width=bar_width,
                 row_height=CHART_ROW, rows=tuple(rows))


def risk_matrix(findings: Findings, views: Sequence[ChecklistView]) -> RiskMatrix | None:
    """Where each checklist falls in the rating rule's matrix (None when no checklist is rated)."""
    from ..checklists.model import EXPOSURE_ORDER
    from ..findings.rating import CONTROL_BANDS, MATRIX, NO_CONTROLS, NOT_ASSESSED, controls_band

    if not any(c.rating for c in findings.checklists):
        return None
    bands = [name for _, name in CONTROL_BANDS]
    spots: dict[tuple[str, str], list[int]] = {}
    placed = []
    for view, c in zip(views, findings.checklists):
        row = c.exposure or NOT_ASSESSED.value
        column = controls_band(c.score) or NO_CONTROLS
        spots.setdefault((row, column), []).append(view.number)
        assumed = "" if c.exposure else " (assumed: no exposure question)"
        placed.append(f"Checklist {view.number}, {view.title}: exposure {row}{assumed}, controls {column}"
                      f"{'' if c.score is not None else ' (no control question counts)'}, "
                      f"{rating_label(MATRIX[_exposure(row)][bands.index(column)]).lower()}"
                      f"{'' if c.rating is MATRIX[_exposure(row)][bands.index(column)] else ', raised by red flags to ' + rating_label(c.rating).lower()}.")
    rows = tuple(
        MatrixRow(level.value, tuple(
            MatrixCell(rating_class(MATRIX[level][i]), rating_label(MATRIX[level][i]),
                       tuple(spots.get((level.value, band), ())))
            for i, band in enumerate(bands)))
        for level in reversed(EXPOSURE_ORDER))
    columns = tuple(f"{name.capitalize()} ({_band_words(name)})" for name in bands)
    return RiskMatrix(columns=columns, rows=rows, placed=tuple(placed))


def _bar(score: float | None) -> float:
    return 0.0 if score is None else max(0.0, min(100.0, float(score)))


def shorten(text: str, limit: int) -> str:
    """At most ``limit`` characters, an ellipsis marking a cut: the one text-shortening rule of the report."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _audit(findings: Findings, assessment: Assessment, checklists: Mapping[str, ChecklistInfo],
           data: bytes, file_name: str, generated_at: dt.datetime, version: str, renderer: str,
           report_numbers: _Numbers) -> Audit:
    prints = []
    for ref in assessment.checklists:
        info = checklists.get(ref.id)
        current = info.fingerprint if info else None
        prints.append(ChecklistPrint(
            id=ref.id, title=info.title if info else ref.id, version=ref.version, recorded=ref.fingerprint,
            current=current, matches=None if current is None else current == ref.fingerprint))

    numbers = {(q.checklist_id, q.question_id): q for c in findings.checklists for s in c.sections
               for q in s.questions}
    titles = {c.id: c.title for c in findings.checklists}
    times: list[dt.datetime] = []
    people: dict[str, None] = {}
    history: list[HistoryRow] = []
    total = changed = changes = 0
    for checklist_id, answers in assessment.answers.items():
        for question_id, answer in answers.items():
            total += 1
            for entry in (*answer.history, answer):
                times.append(entry.answered_at)
                people[entry.answered_by] = None
            if answer.history:
                changed += 1
                changes += len(answer.history)
                q = numbers.get((checklist_id, question_id))
                history.append(HistoryRow(
                    anchor=question_anchor(checklist_id, question_id),
                    checklist_title=titles.get(checklist_id, checklist_id),
                    number=report_numbers.of(checklist_id, q.number) if q else "",
                    question=q.text if q else question_id,
                    changes=len(answer.history), answered_by=answer.answered_by,
                    answered_at=_short_time(answer.answered_at) or ""))
    return Audit(
        file_name=file_name, sha256=hashlib.sha256(data).hexdigest(), size=len(data),
        attachment_name=ATTACHMENT_NAME, checklists=tuple(prints), answers=total, changed_answers=changed,
        changes=changes, answerers=tuple(people),
        first_answer=_short_time(min(times)) if times else None,
        last_answer=_short_time(max(times)) if times else None,
        history=tuple(history), generated_at=_short_time(generated_at) or "",
        generated_iso=generated_at.replace(microsecond=0).isoformat(),
        ddcheck_version=version, renderer=renderer)


def _short_time(value: dt.datetime | str | None) -> str | None:
    """Times as '2024-05-03 14:20 UTC': precise enough for an audit trail, easy to read.

    Datetimes come from the assessment; ISO strings from the findings (``answered_at``).
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        parsed = value
    else:
        try:
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.timezone.utc)
        return parsed.strftime("%Y-%m-%d %H:%M UTC")
    return parsed.strftime("%Y-%m-%d %H:%M")


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)
    elif hasattr(value, "__dataclass_fields__"):
        for name in value.__dataclass_fields__:
            yield from _strings(getattr(value, name))
