"""The portfolio as people read it: one row per subject (latest assessment, history), most severe first.

Pure: summaries (``index.py``) and an ``as_of`` day in, plain data out, for the terminal table, CSV,
JSON and the HTML/PDF portfolio report alike, so the four never disagree.

Subjects are grouped by organisation and subject name, compared without case and extra spaces
(``"ACME  Ltd"`` and ``"Acme Ltd"`` are one subject). The latest assessment is the one with the
latest ``meta.date`` (the file name breaks a tie); the earlier ones are its history, oldest first.

Most severe first: rating (critical, high, medium, low, unrated), then overdue re-assessment,
critical red flags, red flags, overdue actions, lower score, and the subject's name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ..answers.action_status import CLOSED
from ..findings.reassessment import CURRENT, DUE, DUE_SOON_DAYS, OVERDUE
from .index import Index, IndexedFile, problems_of

RATINGS = ("critical", "high", "medium", "low")  # most severe first
SEVERITY = {r: len(RATINGS) - i for i, r in enumerate(RATINGS)}  # critical 4 ... low 1, unrated 0
CLOSED_VALUES = {s.value for s in CLOSED}
REPORT_SUFFIXES = (".pdf", ".html")


@dataclass(frozen=True)
class Dated:
    """One assessment of a subject, as its history lists it."""

    date: str
    file: str
    rating: str | None
    score: float | None


@dataclass(frozen=True)
class FlagRow:
    subject: str
    checklist_id: str
    question_id: str
    number: str
    text: str
    answer: str
    severity: str | None


@dataclass(frozen=True)
class OverdueAction:
    subject: str
    file: str
    id: str
    action: str
    checklist_id: str
    number: str
    status: str
    owner: str | None
    due: str
    days_overdue: int


@dataclass(frozen=True)
class Row:
    subject: str
    organisation: str
    last_assessed: str
    file: str
    assessor: str
    rating: str | None
    exposure: str | None  # from the risk model's findings; None when this ddcheck's scoring gives none
    controls_score: float | None  # the overall score: 100 = no control gap found
    coverage: float | None
    red_flags: int
    critical_red_flags: int
    open_actions: int
    overdue_actions: int
    reassessment_due: str
    reassessment_status: str  # current | due | overdue on as_of
    assessments: int
    trend: str | None  # "worse", "better", "same" against the previous assessment; None with no history
    checklists: dict[str, str | None]  # checklist id -> rating in the latest assessment
    history: tuple[Dated, ...]  # every assessment, oldest first (the latest included)
    report: str | None  # a report file beside the latest assessment (same name, .pdf or .html)


@dataclass(frozen=True)
class Broken:
    file: str
    problems: tuple[str, ...]


@dataclass(frozen=True)
class Portfolio:
    as_of: str
    rows: tuple[Row, ...]
    broken: tuple[Broken, ...]
    checklists: tuple[str, ...]  # every checklist assessed anywhere, for the heat map's columns
    red_flags: tuple[FlagRow, ...]
    overdue_actions: tuple[OverdueAction, ...]
    assessments: int
    counts: dict[str, int] = field(default_factory=dict)  # rating (or "unrated") -> subjects
    titles: dict[str, str] = field(default_factory=dict)  # checklist id -> title

    def to_json(self) -> dict[str, Any]:
        from ..findings.model import to_json

        return {"as_of": self.as_of, "counts": {"subjects": len(self.rows), "assessments": self.assessments,
                                                  "broken": len(self.broken), "by_rating": self.counts},
                "subjects": to_json(self.rows), "red_flags": to_json(self.red_flags),
                "overdue_actions": to_json(self.overdue_actions), "broken": to_json(self.broken)}


def subject_key(meta: dict[str, Any]) -> tuple[str, str]:
    return (" ".join(str(meta.get("organisation", "")).split()).casefold(),
            " ".join(str(meta.get("subject", "")).split()).casefold())


def build(index: Index, as_of: dt.date, *, reports: Iterable[Path] = ()) -> Portfolio:
    groups: dict[tuple[str, str], list[IndexedFile]] = {}
    broken: list[Broken] = []
    for entry in [*index.files, *index.unreadable]:
        kind = entry.summary.get("kind")
        if kind == "assessment":
            groups.setdefault(subject_key(entry.summary["meta"]), []).append(entry)
        elif kind == "broken":
            broken.append(Broken(entry.shown, tuple(problems_of(entry))))
    report_dirs = list(reports)
    pairs = []
    for files in groups.values():
        ordered = sorted(files, key=lambda e: (e.summary["meta"]["date"], e.shown))
        pairs.append((_row(ordered, as_of, report_dirs), ordered[-1]))
    pairs.sort(key=lambda pair: _severity_order(pair[0]))
    rows = [row for row, _ in pairs]
    counts = {r: 0 for r in (*RATINGS, "unrated")}
    for row in rows:
        counts[row.rating or "unrated"] += 1
    flags = sorted((f for row, latest in pairs for f in _flags(row, latest)),
                   key=lambda f: (f.severity != "critical", f.checklist_id, f.number, f.subject))
    overdue = sorted((a for row, latest in pairs for a in _overdue(row, latest, as_of)),
                     key=lambda a: (-a.days_overdue, a.subject, a.id))
    columns = tuple(sorted(dict.fromkeys(cid for row in rows for cid in row.checklists)))
    titles = {c["id"]: c.get("title", c["id"]) for _, latest in pairs for c in latest.summary["checklists"]}
    return Portfolio(titles=titles, as_of=as_of.isoformat(), rows=tuple(rows), broken=tuple(sorted(broken, key=lambda b: b.file)),
                     checklists=columns, red_flags=tuple(flags), overdue_actions=tuple(overdue),
                     assessments=sum(len(files) for files in groups.values()), counts=counts)


def _row(files: list[IndexedFile], as_of: dt.date, report_dirs: list[Path]) -> Row:
    latest = files[-1]
    s = latest.summary
    meta, overall = s["meta"], s["overall"]
    flags = s["red_flags"]
    open_actions = [a for a in s["actions"] if a["status"] not in CLOSED_VALUES]
    overdue = [a for a in open_actions if a.get("due") and dt.date.fromisoformat(a["due"]) < as_of]
    due = dt.date.fromisoformat(s["reassessment"]["due"])
    left = (due - as_of).days
    history = tuple(Dated(e.summary["meta"]["date"], e.shown, e.summary["overall"].get("rating"),
                          e.summary["overall"].get("score")) for e in files)
    return Row(
        subject=meta["subject"], organisation=meta["organisation"], last_assessed=meta["date"], file=latest.shown,
        assessor=meta.get("assessor", ""), rating=overall.get("rating"), exposure=overall.get("exposure"),
        controls_score=overall.get("score"), coverage=overall.get("coverage"), red_flags=len(flags),
        critical_red_flags=sum(f.get("severity") == "critical" for f in flags), open_actions=len(open_actions),
        overdue_actions=len(overdue), reassessment_due=due.isoformat(),
        reassessment_status=OVERDUE if left < 0 else DUE if left <= DUE_SOON_DAYS else CURRENT,
        assessments=len(files), trend=_trend(history),
        checklists={c["id"]: c.get("rating") for c in s["checklists"]}, history=history,
        report=_report_of(latest.path, report_dirs))


def _trend(history: tuple[Dated, ...]) -> str | None:
    if len(history) < 2:
        return None
    before, now = SEVERITY.get(history[-2].rating or "", 0), SEVERITY.get(history[-1].rating or "", 0)
    if now == before:
        return "same"
    return "worse" if now > before else "better"


def _report_of(path: Path, report_dirs: list[Path]) -> str | None:
    for folder in [path.parent, *report_dirs]:
        for suffix in REPORT_SUFFIXES:
            candidate = folder / (path.stem + suffix)
            if candidate.is_file():
                return str(candidate)
    return None


def _severity_order(row: Row) -> tuple:
    return (-SEVERITY.get(row.rating or "", 0), row.reassessment_status != OVERDUE, -row.critical_red_flags,
            -row.red_flags, -row.overdue_actions, row.controls_score if row.controls_score is not None else 101.0,
            row.subject.casefold(), row.organisation.casefold())


def _flags(row: Row, latest: IndexedFile) -> Iterable[FlagRow]:
    for f in latest.summary["red_flags"]:
        yield FlagRow(row.subject, f["checklist_id"], f["question_id"], f["number"], f["text"], f["answer"],
                      f.get("severity"))


def _overdue(row: Row, latest: IndexedFile, as_of: dt.date) -> Iterable[OverdueAction]:
    for a in latest.summary["actions"]:
        if a["status"] in CLOSED_VALUES or not a.get("due"):
            continue
        due = dt.date.fromisoformat(a["due"])
        if due < as_of:
            yield OverdueAction(row.subject, row.file, a["id"], a["action"], a["checklist_id"], a["number"],
                                a["status"], a.get("owner"), a["due"], (as_of - due).days)


CSV_COLUMNS = ("subject", "organisation", "last_assessed", "rating", "exposure", "controls_score", "coverage",
               "red_flags", "critical_red_flags", "open_actions", "overdue_actions", "reassessment_due",
               "reassessment_status", "assessments", "trend", "file")


def csv_rows(portfolio: Portfolio) -> Iterable[list[Any]]:
    """The CSV contract (README): text cells neutralised so no spreadsheet runs one as a formula."""
    from ..exchange.cells import neutralised

    yield list(CSV_COLUMNS)
    for row in portfolio.rows:
        values = (getattr(row, c) for c in CSV_COLUMNS)
        yield ["" if v is None else neutralised(v) if isinstance(v, str) else v for v in values]
