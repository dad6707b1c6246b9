"""Index a portfolio: every assessment file summarised once (cached by content), broken ones located.

The *summary* of a file is plain JSON-ready data: who and when, the overall and per-checklist results,
red flags, actions with their follow-up, and the re-assessment date. It depends only on the file's
bytes and the checklists in view, never on the clock or the file's path, which is what makes it
cacheable (``cache.py``); "overdue" is decided later, against ``--as-of``, by the view (``view.py``).

Cold runs summarise the files not in the cache on worker processes (the same executor as batch
rendering), in chunks, since each file is a few milliseconds of YAML and scoring.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from .. import __version__
from ..checklists.library import Library
from ..errors import DdcheckError, ProblemsError
from .cache import SummaryCache, content_key, context_key
from .scan import assessment_files
from .scan import shown as shown_as

PARALLEL_FROM = 64  # fewer files than this are summarised in this process: starting workers costs more
CHUNK = 16


@dataclass(frozen=True)
class IndexedFile:
    path: Path
    shown: str
    summary: dict[str, Any]


@dataclass
class Index:
    files: list[IndexedFile] = field(default_factory=list)
    unreadable: list[IndexedFile] = field(default_factory=list)  # could not even be read (permissions...)
    cache_problems: list[str] = field(default_factory=list)
    cached: int = 0
    summarised: int = 0


def _problem(line: int, col: int, message: str, hint: str = "") -> dict[str, Any]:
    return {"line": line, "col": col, "message": message, "hint": hint}


def summarize(data: bytes, library: Library) -> dict[str, Any]:
    """The summary of one file's bytes (see the module doc). Never raises for bad input."""
    from ..answers.assessment import parse_assessment

    try:
        assessment = parse_assessment(data, "<file>")
    except ProblemsError as exc:
        if _not_an_assessment(data):
            return {"kind": "other"}
        return {"kind": "broken", "problems": [_problem(p.line, p.col, p.message, p.hint) for p in exc.problems]}
    try:
        return _summary(assessment, library)
    except DdcheckError as exc:  # e.g. a checklist that is not in view
        return {"kind": "broken", "problems": [_problem(0, 0, line) for line in exc.lines()]}


def _not_an_assessment(data: bytes) -> bool:
    """A well-formed YAML mapping with neither ``ddcheck`` nor ``meta`` (a checklist, a config file)."""
    from ..checklists.yamlread import parse_yaml

    try:
        located = parse_yaml(data.decode("utf-8-sig"), "<file>")
    except (ProblemsError, UnicodeDecodeError):
        return False
    return isinstance(located.data, dict) and not ({"ddcheck", "meta"} & set(located.data))


def _summary(assessment: Any, library: Library) -> dict[str, Any]:
    """Built field by field from the findings rather than through their full JSON form: the per-question
    detail (citations, notes) is most of that form and none of the portfolio's business."""
    from ..findings.model import to_json
    from ..findings.reassessment import reassessment
    from ..findings.scoring import score_assessment
    from ..findings.tracking import follow_up

    checklists = {cid: lc.checklist for cid, lc in library.checklists.items()}
    findings = score_assessment(assessment, checklists, library.sources)
    tracked = follow_up(findings, assessment, checklists)
    due = reassessment(assessment.meta.date, findings, checklists, assessment.meta.date)
    return {
        "kind": "assessment",
        "meta": assessment.meta.model_dump(mode="json", exclude_none=True, exclude={"created"}),
        "overall": _plain(findings.overall, skip=("reasons",)),
        "checklists": [_plain(c, skip=("sections", "reasons")) for c in findings.checklists],
        "red_flags": [_flag(q, checklists) for q in findings.red_flags],
        "counts": to_json(findings.counts),
        "actions": [{k: getattr(a, k) for k in ("id", "priority", "checklist_id", "number", "action", "kind",
                                                "status", "owner", "due")} for a in tracked.actions],
        "reassessment": {"due": due.due, "basis": to_json(due.basis)},
    }


def _plain(result: Any, skip: tuple[str, ...]) -> dict[str, Any]:
    """A findings dataclass's own fields as JSON values, without the nested ones named in ``skip``
    (so fields the risk model adds, e.g. exposure and coverage, come along without code here)."""
    import dataclasses

    from ..findings.model import to_json

    return {f.name: to_json(getattr(result, f.name)) for f in dataclasses.fields(result) if f.name not in skip}


def _flag(q: Any, checklists: dict) -> dict[str, Any]:
    """A red flag as the portfolio shows it. Its severity is scoring's when scoring gives one, else the
    checklist's own ``red_flag.severity`` (the same fact, read where it is written)."""
    severity = getattr(q, "severity", None)
    if severity is None:
        question = checklists[q.checklist_id].question(q.question_id) if q.checklist_id in checklists else None
        severity = getattr(question, "severity", None) if question is not None else None
    return {"checklist_id": q.checklist_id, "question_id": q.question_id, "number": q.number,
            "text": q.text, "answer": q.answer, "severity": getattr(severity, "value", severity)}


def library_context(library: Library) -> str:
    return context_key(__version__, {cid: lc.fingerprint for cid, lc in library.checklists.items()})


def _summarize_in_worker(items: list[tuple[str, bytes]], dirs: tuple[str, ...]) -> list[tuple[str, dict]]:
    from .batch import _library

    global _FROZEN
    library = _library(dirs)
    if not _FROZEN:  # the library and the modules stay for the worker's life: no collection need walk them
        gc.freeze()
        _FROZEN = True
    return _summarize_all(items, library)


_FROZEN = False  # per worker process: whether what it loaded is out of the collector's way


def _summarize_all(items: Iterable[tuple[str, bytes]], library: Library) -> list[tuple[str, dict]]:
    """Summaries with the cyclic garbage collector paused. Summarising allocates many short-lived
    objects that reference counting frees; the collections those allocations trigger find nothing
    among them but walk all this process holds (measured before the fast YAML reader: 2.5 of 15 ms
    per file). Collections resume after the batch, so cycles an error left behind are still collected."""
    if not gc.isenabled():
        return [(key, summarize(data, library)) for key, data in items]
    gc.disable()
    try:
        return [(key, summarize(data, library)) for key, data in items]
    finally:
        gc.enable()


def build_index(roots: Iterable[Path], library: Library, *, dirs: tuple[str, ...] = (), jobs: int = 1,
                use_cache: bool = True) -> Index:
    """Read every file under ``roots``; summaries come from each root's cache or are computed."""
    from ..checklists.yamlread import read_limited

    index = Index()
    context = library_context(library)
    by_root: dict[Path, list[tuple[Path, str, bytes, str]]] = {}
    cwd = os.path.abspath(os.getcwd())
    for root, path in assessment_files(roots):
        shown = shown_as(path, cwd)
        try:
            data = read_limited(path, shown)
        except DdcheckError as exc:
            index.unreadable.append(IndexedFile(path, shown, {
                "kind": "broken", "problems": [_problem(p.line, p.col, p.message, p.hint) for p in exc.problems]
                if isinstance(exc, ProblemsError) else [_problem(0, 0, _without_file(line, shown))
                                                        for line in exc.lines()]}))
            continue
        by_root.setdefault(root, []).append((path, shown, data, content_key(data)))

    caches = {root: SummaryCache(root, context) if use_cache else None for root in by_root}
    summaries: dict[str, dict[str, Any]] = {}
    for root, items in by_root.items():
        cache = caches[root]
        if cache is not None:
            found = cache.get_many([key for *_, key in items])
            summaries.update(found)
    missing = {key: data for items in by_root.values() for _, _, data, key in items if key not in summaries}
    index.cached = sum(1 for items in by_root.values() for *_, key in items if key not in missing)
    computed = _compute(missing, library, dirs, jobs)
    summaries.update(computed)
    index.summarised = len(computed)

    for root, items in by_root.items():
        cache = caches[root]
        if cache is not None:
            cache.put_many({key: computed[key] for *_, key in items if key in computed})
            cache.close()
            if cache.problem:
                index.cache_problems.append(cache.problem)
        for path, shown, _, key in items:
            index.files.append(IndexedFile(path, shown, summaries[key]))
    return index


def _without_file(line: str, shown: str) -> str:
    prefix = f"{shown}: "
    return line[len(prefix):] if line.startswith(prefix) else line


def _compute(missing: dict[str, bytes], library: Library, dirs: tuple[str, ...], jobs: int) -> dict[str, dict]:
    if jobs <= 1 or len(missing) < PARALLEL_FROM:
        return dict(_summarize_all(missing.items(), library))
    from . import batch

    batch.preload(dirs, library)  # forked workers start with it
    items = list(missing.items())
    chunks = [items[i:i + CHUNK] for i in range(0, len(items), CHUNK)]
    out: dict[str, dict] = {}
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for result in pool.map(_summarize_in_worker, chunks, [dirs] * len(chunks)):
            out.update(result)
    return out


def problems_of(entry: IndexedFile) -> list[str]:
    """A broken file's problems as ``FILE:LINE:COL: message (hint)`` lines, with today's path for FILE."""
    from ..errors import Problem

    return [str(Problem(entry.shown, p["line"], p["col"], p["message"], p.get("hint", "")))
            for p in entry.summary.get("problems", [])]


def as_date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
