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
DISCLAIMER = (
    "This report is a self-assessment: it sets out the answers that the assessor gave to the "
    "checklists named on the cover, scored by fixed rules. It is not an audit, a certification or "
    "a legal opinion. Nobody has verified the answers or the evidence they refer to, and a low "
    "risk rating does not mean that no human-rights harm exists. Use it to decide what to look at "
    "next, not to conclude that due diligence is complete."
)

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
    """One citation, printed as a footnote: source (with its bibliography number), locator, quote."""

    ref: int  # number in the bibliography
    source_id: str
    source_title: str
    locator: str
    quote: str


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
    score: float | None  # the controls score
    score_text: str
    rating: str | None
    rating_label: str
    rating_class: str
    reasons: tuple[str, ...]
    sections: tuple[SectionView, ...]
    counts: Counts
    exposure: str | None = None  # none..severe; None: the checklist asks no exposure question
    exposure_text: str = ""  # "Severe", or "Not assessed"
    coverage: float | None = None  # 0-1
    coverage_text: str = ""  # "85% (11 of 13)"
    controls_band: str | None = None  # strong, adequate, weak, poor


@dataclass(frozen=True)
class Overall:
    score: float | None  # the pooled controls score (shown; the rating is the worst checklist rating)
    score_text: str
    rating: str | None
    rating_label: str
    rating_class: str
    reasons: tuple[str, ...]
    exposure: str | None = None
    exposure_text: str = ""
    coverage: float | None = None
    coverage_text: str = ""


@dataclass(frozen=True)
class ChartRow:
    label: str
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


@dataclass(frozen=True)
class FlagView:
    anchor: str
    number: str  # "2.3", within its checklist (named beside it), as the analyst saw it
    checklist_title: str
    text: str
    answer: str
    action: str | None


@dataclass(frozen=True)
class ActionView:
    priority: int
    anchor: str
    number: str  # within its checklist, like FlagView.number
    checklist_title: str
    question: str
    action: str
    kind: str  # "risk" or "gap"
    kind_label: str
    risk_label: str
    risk_class: str


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

    # What a reader sees: a fact the document does not state says "unknown", never a guess.
    @property
    def authors_text(self) -> str:
        return self.authors or "Author unknown"

    @property
    def publisher_text(self) -> str:
        return self.publisher or "publisher unknown"

    @property
    def date_text(self) -> str:
        return self.date or "date unknown"


@dataclass(frozen=True)
class Band:
    """A rating band of the method: a name, its colour class and the rule, in words."""

    rating: str
    label: str
    rating_class: str
    rule: str


@dataclass(frozen=True)
class MatrixRow:
    """One exposure level of the exposure × controls matrix: the rating for each controls band."""

    exposure: str
    cells: tuple[Band, ...]  # one per controls band, best first (label, colour class)


@dataclass(frozen=True)
class Method:
    paragraphs: tuple[str, ...]
    bands: tuple[Band, ...]
    matrix_columns: tuple[str, ...] = ()  # controls bands, e.g. "strong (85–100)"
    matrix: tuple[MatrixRow, ...] = ()


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
    number: str  # within its checklist, like FlagView.number
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
    sources: tuple[BibEntry, ...]
    method: Method
    audit: Audit
    disclaimer: str
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
) -> ReportContext:
    """The view-model of one report. ``rating_of`` colours section scores like checklist scores."""
    bib = _Bibliography(sources)
    titles = {c.id: c.title for c in findings.checklists}
    checklist_views = tuple(
        _checklist(i, result, bib, rating_of) for i, result in enumerate(findings.checklists, 1))
    o = findings.overall
    overall = Overall(
        score=o.score, score_text=score_text(o.score),
        rating=_value(o.rating), rating_label=rating_label(o.rating),
        rating_class=rating_class(o.rating), reasons=tuple(o.reasons),
        exposure=o.exposure, exposure_text=exposure_text(o.exposure), coverage=o.coverage,
        coverage_text=coverage_text(o.coverage, o.scored_answered, o.scored_in_scope))
    return ReportContext(
        title=REPORT_TITLE,
        organisation=assessment.meta.organisation,
        subject=assessment.meta.subject,
        assessor=assessment.meta.assessor,
        date=assessment.meta.date.isoformat(),
        checklists=checklist_views,
        overall=overall,
        counts=findings.counts,
        red_flags=tuple(_flag(q, titles) for q in findings.red_flags),
        actions=tuple(_action(a, findings, titles) for a in sorted(findings.actions, key=lambda a: a.priority)),
        chart=_chart(checklist_views),
        sources=bib.entries(),
        method=method,
        audit=_audit(findings, assessment, checklists, assessment_bytes, file_name, generated_at,
                     ddcheck_version, renderer),
        disclaimer=DISCLAIMER,
        orphans=tuple(Orphan(o.checklist_id, o.question_id, o.answer) for o in findings.orphans),
    )


def score_text(score: float | None) -> str:
    """Controls scores run from 0 to 100, and 100 means every control in place (see the method); one decimal."""
    return NO_SCORE if score is None else f"{score:.1f}"


def exposure_text(exposure: str | None) -> str:
    """How an exposure level reads: "Severe"; "Not assessed" for a checklist with no exposure question."""
    return exposure.capitalize() if exposure else "Not assessed"


def coverage_text(coverage: float | None, answered: int, in_scope: int) -> str:
    """ "85% (11 of 13)": share of the in-scope scored questions answered, with the counts behind it."""
    if coverage is None:
        return NO_SCORE
    return f"{coverage * 100:.0f}% ({answered} of {in_scope})"


def rating_label(rating: Rating | None) -> str:
    return RATING_LABELS.get(rating, "Not rated") if rating is not None else "Not rated"


def rating_class(rating: Rating | None) -> str:
    return f"rating-{rating.value}" if rating is not None else "rating-none"


def build_method(bands: Sequence[tuple[float, Rating]], red_flag_floor: Rating,
                 matrix: Sequence[tuple[str, Sequence[Rating]]] = (),
                 controls: Sequence[tuple[float, str]] = ()) -> Method:
    """The method page, from the scoring rule's own constants so the two cannot drift apart.

    ``bands`` are (lower bound, rating), best first, as ``rating.BANDS`` holds them (the rating of a
    checklist that asks no exposure question); ``matrix`` the exposure × controls matrix as
    (exposure level, ratings by controls band) and ``controls`` the controls bands as (lower bound, name),
    as ``rating.MATRIX`` and ``rating.CONTROL_BANDS`` hold them.
    """
    floor = rating_label(red_flag_floor).lower()
    columns = []
    upper = 100.0
    for lower, name in controls:
        columns.append(f"{name} ({lower:g}\u2013{upper:g})")
        upper = lower
    rows = tuple(MatrixRow(level, tuple(Band(r.value, rating_label(r), rating_class(r), column)
                                        for r, column in zip(ratings, columns)))
                 for level, ratings in matrix)
    return Method(
        paragraphs=(
            "Each checklist is judged on two measures kept apart: exposure (where risk may lie, e.g. "
            "sourcing from a region with documented forced labour) and controls (how well the company "
            "manages it). Exposure questions give a level from none to severe; the checklist\u2019s "
            "exposure is the highest level among its exposure questions in scope. An exposure question "
            "left unanswered, skipped or answered \u201cdon\u2019t know\u201d counts as its scale\u2019s "
            "highest level.",
            "Control answers carry the risk their checklist gives them, from 0 (none) to 3 (high); a "
            "question answered with several values counts its riskiest one. Each control question adds "
            "its weight \u00d7 its risk to a risk total and its weight \u00d7 the highest risk of its "
            "scale to a maximum. Controls score = 100 \u00d7 (1 \u2212 risk total \u00f7 maximum), rounded "
            "to one decimal: 100 means every control in place.",
            "Gaps \u2014 control questions left unanswered, skipped, answered \u201cdon\u2019t know\u201d, "
            "or \u201cnot applicable\u201d without a note or against an exposure answer \u2014 count as "
            "the worst answer. \u201cNot applicable\u201d answers with a note are left out of both sums. A "
            "control question not asked because an exposure answer rules it out counts as met (0 of its "
            "maximum), so a lower exposure answer never lowers the score. Text, number and date questions "
            "are for information.",
            "Coverage is the share of the in-scope scored questions (exposure and control) that are "
            "answered. The rating is the cell of the exposure \u00d7 controls matrix below; a checklist "
            "that asks no exposure question is rated on the medium row, i.e. by the controls bands alone. "
            f"A red flag \u2014 an answer a checklist marks as serious on its own \u2014 makes the rating "
            f"at least {floor}; a critical red flag makes it critical. The overall rating is the most "
            "severe checklist rating, never an average.",
        ),
        bands=tuple(_band_rows(bands)),
        matrix_columns=tuple(columns),
        matrix=rows,
    )


def _band_rows(bands: Sequence[tuple[float, Rating]]) -> list[Band]:
    rows = []
    upper = 100.0
    for lower, rating in bands:
        rule = (f"controls score {lower:g} to 100" if upper == 100.0 and lower < 100 else
                f"controls score {lower:g} to under {upper:g}")
        rows.append(Band(rating.value, rating_label(rating), rating_class(rating), rule))
        upper = lower
    return rows


# ---------------------------------------------------------------------------------------------
# Pieces


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
                out.append(BibEntry(ref, source_id, None, source_id, None, None, None, self.counts[source_id]))
                continue
            out.append(BibEntry(
                ref=ref, id=s.id, authors=_authors(s.authors), title=s.title, publisher=s.publisher,
                date=s.date, url=s.url, citations=self.counts[source_id], notes=s.notes))
        return tuple(out)


def _authors(authors: Sequence[str] | None) -> str | None:
    if not authors:
        return None
    if len(authors) == 1:
        return authors[0]
    return ", ".join(authors[:-1]) + " and " + authors[-1]


def _question(checklist_number: int, q: QuestionResult, bib: _Bibliography | None) -> QuestionView:
    footnotes = tuple(
        Footnote(bib.cite(c.source_id), c.source_id, c.source_title, c.locator, unquoted(c.quote))
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


def _risk_label(q: QuestionResult) -> str:
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
               rating_of: Callable[[float], Rating | None] | None) -> ChecklistView:
    sections = tuple(_section(number, i, c.id, s, bib, rating_of) for i, s in enumerate(c.sections, 1))
    # Findings count statuses for the whole assessment only; a checklist's counts are its own.
    statuses = [q.status for s in c.sections for q in s.questions]
    counts = Counts(answered=statuses.count(Status.answered), gaps=statuses.count(Status.gap),
                    na=statuses.count(Status.na), info=statuses.count(Status.info),
                    out_of_scope=statuses.count(Status.out_of_scope))
    return ChecklistView(
        anchor="c-" + _slug(c.id), number=number, id=c.id, title=c.title, version=c.version, score=c.score,
        score_text=score_text(c.score), rating=_value(c.rating), rating_label=rating_label(c.rating),
        rating_class=rating_class(c.rating), reasons=tuple(c.reasons), sections=sections, counts=counts,
        exposure=c.exposure, exposure_text=exposure_text(c.exposure), coverage=c.coverage,
        coverage_text=coverage_text(c.coverage, c.scored_answered, c.scored_in_scope), controls_band=c.controls_band)


def _flag(q: QuestionResult, titles: Mapping[str, str]) -> FlagView:
    return FlagView(anchor=question_anchor(q.checklist_id, q.question_id), number=q.number,
                    checklist_title=titles.get(q.checklist_id, q.checklist_id), text=q.text,
                    answer=_answer_text(q), action=q.action)


def _action(a: Any, findings: Findings, titles: Mapping[str, str]) -> ActionView:
    risk_class = "gap" if a.kind == "gap" else f"risk-{max(0, min(3, a.risk))}"
    risk = GAP_RISK_LABEL if a.kind == "gap" else RISK_LABELS.get(a.risk, f"Risk {a.risk}")
    return ActionView(
        priority=a.priority, anchor=question_anchor(a.checklist_id, a.question_id), number=a.number,
        checklist_title=titles.get(a.checklist_id, a.checklist_id), question=a.question, action=a.action,
        kind=a.kind, kind_label="Answer this question" if a.kind == "gap" else "Reduce the risk",
        risk_label=risk, risk_class=risk_class)


CHART_WIDTH = 480.0
CHART_LABEL = 190.0
CHART_ROW = 15.0
CHART_TOP = 16.0  # room for the axis labels


def _chart(checklists: Sequence[ChecklistView]) -> Chart:
    rows: list[ChartRow] = []
    y = CHART_TOP
    for c in checklists:
        rows.append(ChartRow(shorten(c.title, 34), "checklist", c.score_text, _bar(c.score), c.rating_class, y))
        y += CHART_ROW
        for s in c.sections:
            rows.append(ChartRow(shorten(s.title, 38), "section", s.score_text, _bar(s.score), s.rating_class, y))
            y += CHART_ROW
        y += 5
    bar_width = CHART_WIDTH - CHART_LABEL - 30
    return Chart(width=CHART_WIDTH, height=y + 4, label_width=CHART_LABEL, bar_width=bar_width,
                 row_height=CHART_ROW, rows=tuple(rows))


def _bar(score: float | None) -> float:
    return 0.0 if score is None else max(0.0, min(100.0, float(score)))


def shorten(text: str, limit: int) -> str:
    """At most ``limit`` characters, an ellipsis marking a cut: the one text-shortening rule of the report."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _audit(findings: Findings, assessment: Assessment, checklists: Mapping[str, ChecklistInfo],
           data: bytes, file_name: str, generated_at: dt.datetime, version: str, renderer: str) -> Audit:
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
                    number=q.number if q else "", question=q.text if q else question_id,
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
