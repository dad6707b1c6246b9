"""``ddcheck report -f json``: the report as a documented, versioned data format.

Not the template's view-model (no CSS classes, chart geometry, shortened labels or display dates):
facts, with ids, for other programs. Field names are those of ``ddcheck score --json`` where the
two overlap (``checklist_id``, ``question_id``, ``score``, ``rating``, ``red_flag``, ``priority``,
``kind``, ``risk``, ``weight``, ``counts``); dates and times are ISO 8601. The shape is fixed by
``report.schema.json`` beside this module (``ddcheck report --json-schema``); any change that is
not an optional addition bumps :data:`SCHEMA_VERSION`.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..findings.model import Findings, QuestionResult
from .context import ReportContext, Reason

SCHEMA_VERSION = "1.0"
SCHEMA_FILE = Path(__file__).with_name("report.schema.json")


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def question_id(checklist_id: str, question_id_: str) -> str:
    """A question's id across the report: ``checklist/question`` (question ids repeat across checklists)."""
    return f"{checklist_id}/{question_id_}"


def report_data(findings: Findings, context: ReportContext) -> dict[str, Any]:
    numbers = {q.anchor: q.number for c in context.checklists for s in c.sections
               for q in (*s.questions, *s.out_of_scope)}
    anchors = {question_id(q.checklist_id, q.question_id): q for c in findings.checklists
               for s in c.sections for q in s.questions}
    refs = {s.id: s.ref for s in context.sources}
    a = context.audit

    def reasons(items: tuple[Reason, ...]) -> list[dict[str, Any]]:
        by_anchor = {_anchor(q): qid for qid, q in anchors.items()}
        # The text without its trailing "See questions" (the PDF's links): the ids say which.
        return [{"text": r.text.removesuffix(": questions").removesuffix(": question").removesuffix(", from the answer to question"),
                 "questions": [by_anchor[q.anchor] for q in r.questions if q.anchor in by_anchor]}
                for r in items]

    def question(q: QuestionResult) -> dict[str, Any]:
        return {
            "id": question_id(q.checklist_id, q.question_id), "question_id": q.question_id,
            "number": numbers.get(_anchor(q), q.number), "text": q.text, "status": q.status.value,
            "answer": q.answer or None, "risk": q.risk, "max_risk": q.max_risk, "weight": q.weight,
            "red_flag": q.red_flag, "severity": q.severity, "role": q.role, "exposure": q.exposure,
            "action": q.action, "note": q.note or None, "evidence": list(q.evidence),
            "answered_by": q.answered_by, "answered_at": q.answered_at, "changes": q.changes,
            "citations": [{"source_id": c.source_id, "bibliography_number": refs.get(c.source_id),
                           "locator": c.locator, "quote": c.quote} for c in q.citations],
        }

    prints = {p.id: p for p in a.checklists}
    checklists = []
    for view, c in zip(context.checklists, findings.checklists):
        p = prints.get(c.id)
        checklists.append({
            "id": c.id, "number": view.number, "title": c.title, "version": c.version, "score": c.score,
            "rating": c.rating.value if c.rating else None, "reasons": reasons(view.reasons),
            "exposure": c.exposure, "controls_band": c.controls_band, "coverage": c.coverage,
            "scored_in_scope": c.scored_in_scope, "scored_answered": c.scored_answered,
            "counts": _counts(view.counts),
            "fingerprint": {"recorded": p.recorded, "current": p.current, "matches": p.matches} if p else None,
            "sections": [{"id": s.id, "number": f"{view.number}.{i}", "title": s.title, "score": s.score,
                          "questions": [question(q) for q in s.questions]}
                         for i, s in enumerate(c.sections, 1)],
        })
    seen: dict[str, int] = {}
    views = {v.priority: v for v in context.actions}
    actions = []
    for act in sorted(findings.actions, key=lambda x: x.priority):
        view = views.get(act.priority)
        base = f"{question_id(act.checklist_id, act.question_id)}/{act.kind}"
        seen[base] = seen.get(base, 0) + 1
        # The id `ddcheck actions` tracks follow-up by (stable across rescoring); else one of ours.
        own = base if seen[base] == 1 else f"{base}-{seen[base]}"
        actions.append({
            "id": (view.id if view is not None and view.id else own), "priority": act.priority,
            "status": view.status if view is not None else "open",
            "owner": view.owner if view is not None else None, "due": view.due if view is not None else None,
            "overdue": view.overdue if view is not None else False,
            "checklist_id": act.checklist_id, "question_id": act.question_id,
            "number": numbers.get(_anchor(act), act.number), "action": act.action, "kind": act.kind,
            "risk": act.risk, "weight": act.weight, "red_flag": getattr(act, "red_flag", False),
            "exposure": getattr(act, "exposure", None)})
    return {
        "schema_version": SCHEMA_VERSION,
        "report_id": context.report_id,
        "title": context.title,
        "generated_at": a.generated_iso,
        "ddcheck_version": a.ddcheck_version,
        "assessment": {"organisation": context.organisation, "subject": context.subject,
                       "assessor": context.assessor, "date": context.date, "file_name": a.file_name,
                       "sha256": a.sha256, "size": a.size},
        "overall": {"score": findings.overall.score,
                    "rating": findings.overall.rating.value if findings.overall.rating else None,
                    "reasons": reasons(context.overall.reasons),
                    "exposure": findings.overall.exposure, "controls_band": findings.overall.controls_band,
                    "coverage": findings.overall.coverage, "scored_in_scope": findings.overall.scored_in_scope,
                    "scored_answered": findings.overall.scored_answered},
        "counts": _counts(findings.counts),
        "checklists": checklists,
        "red_flags": [{"id": question_id(q.checklist_id, q.question_id), "checklist_id": q.checklist_id,
                       "question_id": q.question_id,
                       "number": numbers.get(_anchor(q), q.number), "text": q.text, "answer": q.answer or None}
                      for q in findings.red_flags],
        "actions": actions,
        "sources": [{"id": s.id, "bibliography_number": s.ref, "title": s.title, "authors": s.authors,
                     "publisher": s.publisher, "date": s.date, "url": s.url, "notes": s.notes,
                     "citations": s.citations} for s in context.sources],
        "orphans": [{"checklist_id": o.checklist_id, "question_id": o.question_id, "value": o.value}
                    for o in context.orphans],
    }


def _anchor(q: Any) -> str:
    from .context import question_anchor

    return question_anchor(q.checklist_id, q.question_id)


def _counts(c: Any) -> dict[str, int]:
    return {"answered": c.answered, "gaps": c.gaps, "na": c.na, "info": c.info, "out_of_scope": c.out_of_scope}
