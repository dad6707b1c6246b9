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
    score: float | None
    score_text: str
    rating: str | None
    rating_label: str
    rating_class: str
    reasons: tuple[str, ...]
    sections: tuple[SectionView, ...]
    counts: Counts


@dataclass(frozen=True)
class Overall:
    score: float | None
    score_text: str
    rating: str | None
    rating_label: str
    rating_class: str
    reasons: tuple[str, ...]


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
class Method:
    paragraphs: tuple[str, ...]
    bands: tuple[Band, ...]


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
    follow_up: Mapping[int, Any] | None = None,
) -> ReportContext:
    """The view-model of one report. ``rating_of`` colours section scores like checklist scores;
    ``follow_up`` maps an action's priority to its ``findings.tracking.TrackedAction``."""
    bib = _Bibliography(sources)
    titles = {c.id: c.title for c in findings.checklists}
    checklist_views = tuple(
        _checklist(i, result, bib, rating_of) for i, result in enumerate(findings.checklists, 1))
    overall = Overall(
        score=findings.overall.score, score_text=score_text(findings.overall.score),
        rating=_value(findings.overall.rating), rating_label=rating_label(findings.overall.rating),
        rating_class=rating_class(findings.overall.rating), reasons=tuple(findings.overall.reasons))
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
        actions=tuple(_action(a, findings, titles, (follow_up or {}).get(a.priority))
                      for a in sorted(findings.actions, key=lambda a: a.priority)),
        chart=_chart(checklist_views),
        sources=bib.entries(),
        method=method,
        audit=_audit(findings, assessment, checklists, assessment_bytes, file_name, generated_at,
                     ddcheck_version, renderer),
        disclaimer=DISCLAIMER,
        orphans=tuple(Orphan(o.checklist_id, o.question_id, o.answer) for o in findings.orphans),
    )


def score_text(score: float | None) -> str:
    """Scores run from 0 to 100, and 100 means no risk found (see the method); one decimal, as scored."""
    return NO_SCORE if score is None else f"{score:.1f}"


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
            f"The rating follows from the score by the bands below. A red flag \u2014 an answer a "
            f"checklist marks as serious on its own \u2014 raises the rating to at least {floor}, "
            "whatever the score.",
        ),
        bands=tuple(rows),
    )


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
        rating_class=rating_class(c.rating), reasons=tuple(c.reasons), sections=sections, counts=counts)


def _flag(q: QuestionResult, titles: Mapping[str, str]) -> FlagView:
    return FlagView(anchor=question_anchor(q.checklist_id, q.question_id), number=q.number,
                    checklist_title=titles.get(q.checklist_id, q.checklist_id), text=q.text,
                    answer=_answer_text(q), action=q.action)


def _action(a: Any, findings: Findings, titles: Mapping[str, str], tracked: Any = None) -> ActionView:
    risk_class = "gap" if a.kind == "gap" else f"risk-{max(0, min(3, a.risk))}"
    risk = GAP_RISK_LABEL if a.kind == "gap" else RISK_LABELS.get(a.risk, f"Risk {a.risk}")
    follow: dict[str, Any] = {}
    if tracked is not None:
        follow = dict(id=tracked.id, status=tracked.status, owner=tracked.owner, due=tracked.due,
                      overdue=tracked.overdue, follow_up=follow_up_text(tracked))
    return ActionView(
        priority=a.priority, anchor=question_anchor(a.checklist_id, a.question_id), number=a.number,
        checklist_title=titles.get(a.checklist_id, a.checklist_id), question=a.question, action=a.action,
        kind=a.kind, kind_label="Answer this question" if a.kind == "gap" else "Reduce the risk",
        risk_label=risk, risk_class=risk_class, **follow)


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
