"""``ddcheck status``: progress per checklist and section, as data and as text (pure).

Gaps are counted from the same verdicts as ``ddcheck score`` (see ``scope``), so the two
commands always report the same number; open text, number and date questions are shown apart.
"""

from __future__ import annotations

from typing import Any, Sequence

from . import progress
from .assessment import Assessment
from .changes import compare, describe
from ..checklists.model import Checklist


def status_data(assessment: Assessment, checklists: Sequence[Checklist], file: str) -> dict[str, Any]:
    """The machine-readable status; ``status_text`` prints the same facts."""
    all_items = progress.items(checklists)
    found = progress.standings(all_items, assessment)
    refs = {r.id: r for r in assessment.checklists}
    out: dict[str, Any] = {
        "file": file,
        "meta": assessment.meta.model_dump(mode="json", exclude_none=True),
        "totals": progress.count(found.values()).to_json(),
        "checklists": [],
    }
    for checklist in checklists:
        changes = compare(refs[checklist.id], checklist, assessment)
        out["checklists"].append({
            "id": checklist.id,
            "title": checklist.title,
            "version": checklist.version,
            "answered_version": refs[checklist.id].version,
            "counts": progress.checklist_counts(all_items, found, checklist.id).to_json(),
            "sections": [
                {"id": s.id, "title": s.title,
                 "counts": progress.section_counts(all_items, found, checklist.id, s.id).to_json()}
                for s in checklist.sections
            ],
            "changes": changes.to_json() if changes.any else None,
            "changes_report": describe(changes),
        })
    return out


def _counts(c: dict[str, int]) -> str:
    text = f"{c['answered']}/{c['relevant']} answered"
    if c["gaps"]:
        parts = [f"{c[k]} {label}" for k, label in (("unanswered", "unanswered"), ("skipped", "skipped"),
                                                    ("unknown", "don't know"), ("off_scale", "not on the scale"))
                 if c[k]]
        text += f" · {c['gaps']} gap(s) ({', '.join(parts)})"
    if c["info_open"]:
        text += f" · {c['info_open']} information question(s) open"
    if c["to_confirm"]:
        text += f" · {c['to_confirm']} to confirm"
    if c["out_of_scope"]:
        text += f" · {c['out_of_scope']} out of scope"
    return text


def status_text(data: dict[str, Any], resume: str = "", reassessment: str = "") -> list[str]:
    """Readable lines; ``resume`` is the command that continues the assessment; ``reassessment``
    says when it is due again."""
    meta = data["meta"]
    lines = [f"{data['file']}: {meta['organisation']} · subject: {meta['subject']} · "
             f"assessor: {meta['assessor']} · {meta['date']}"]
    for cl in data["checklists"]:
        lines.append("")
        lines.append(f"{cl['title']} ({cl['id']} v{cl['version']}): {_counts(cl['counts'])}")
        width = max(len(s["title"]) for s in cl["sections"])
        for s in cl["sections"]:
            lines.append(f"  {s['title']:<{width}}  {_counts(s['counts'])}")
        lines += cl["changes_report"]
    totals = data["totals"]
    lines.append("")
    lines.append(f"Overall: {_counts(totals)}")
    if reassessment:
        lines.append(reassessment)
    if resume and totals["pending"]:
        lines.append(f"Continue with: {resume}")
    return lines
