"""Builders shared by the scoring, score-CLI and compare tests: checklists in view and assessments.

Two checklists: ``mini`` (the fixture, every question type, conditional questions) and
``weighted`` (defined here: weights 2 / 0.5 / 1.5 / 1, a multi-choice question, N/A values, a red
flag on a low-weight question), both loaded through the real loader so they are valid checklists.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Any

from ddcheck.answers.assessment import Answer, Assessment, ChecklistRef, Meta, save_assessment
from ddcheck.checklists.library import Library, collect, question_fingerprints
from ddcheck.resources import bundled

from conftest import GOOD, add_inline_checklist


WEIGHTED_YAML = """\
id: weighted
title: Weighted checklist for scoring tests
version: 1.0.0
summary: Weights, a multi-choice question, not-applicable values and a low-weight red flag.
scales:
  level:
    - {value: "yes", label: "Yes", risk: 0}
    - {value: partial, label: Partly, risk: 2}
    - {value: "no", label: "No", risk: 3}
    - {value: na, label: Not applicable}
  issues:
    - {value: none, label: None found, risk: 0}
    - {value: fees, label: Recruitment fees, risk: 2}
    - {value: passports, label: Passports retained, risk: 3}
    - {value: na, label: No workers on site}
sections:
  - id: policy
    title: Policy
    questions:
      - id: commitment
        text: Is there a human-rights commitment?
        scale: level
        weight: 2
        guidance: A public commitment.
        actions: {partial: "Complete the commitment.", "no": "Adopt a commitment."}
        cite: [{source: cheng-soe-csr, quote: "occupational safety", locator: para. 7}]
      - id: published
        text: Is the commitment published?
        scale: level
        weight: 0.5
        when: {question: commitment, in: ["yes", partial]}
        red_flag: {in: ["no"]}
        guidance: Published on the website.
        actions: {partial: "Publish all of it.", "no": "Publish it."}
        cite: [{source: cheng-soe-csr, quote: "occupational safety", locator: para. 7}]
  - id: practice
    title: Practice
    questions:
      - id: indicators
        text: Which forced-labour indicators were found?
        type: multi
        scale: issues
        weight: 1.5
        red_flag: {in: [passports]}
        guidance: Indicators from the audit.
        actions: {fees: "Repay recruitment fees.", passports: "Return the passports."}
        cite: [{source: cheng-soe-csr, quote: "occupational safety", locator: para. 7}]
      - id: grievance
        text: Is there a grievance mechanism?
        type: yesno
        guidance: Open to workers.
        actions: {"no": "Set one up.", unknown: "Ask the site manager."}
        cite: [{source: cheng-soe-csr, quote: "occupational safety", locator: para. 7}]
      - id: remarks
        text: Remarks?
        type: text
        guidance: Anything else.
        cite: [{source: cheng-soe-csr, quote: "occupational safety", locator: para. 7}]
"""

WHEN = dt.datetime(2025, 3, 1, 9, 30, tzinfo=dt.timezone.utc)


@lru_cache(maxsize=1)
def library() -> Library:
    """mini and weighted with the bundled sources; any problem fails the test run loudly."""
    lib, problems = collect(dirs=[bundled("checklists"), GOOD], paths=[GOOD / "mini.yaml"])
    assert not problems, [str(p) for p in problems]
    add_inline_checklist(lib, WEIGHTED_YAML, "weighted")
    return lib


def checklists() -> dict:
    return {cid: lc.checklist for cid, lc in library().checklists.items()}


def sources() -> dict:
    return library().sources


def answer(value: Any, note: str | None = None, by: str = "Ana Analyst") -> Answer:
    return Answer(value=value, note=note, answered_at=WHEN, answered_by=by)


NA_NOTE = "Does not apply: no such workers or documents at this site."


def noted(value: Any) -> Answer:
    """An answer; a ``Noted(value, note)`` carries its note. "Not applicable" values need one to count as
    N/A, so ``assessment`` gives every ``"na"`` value a note unless the test writes ``Noted("na", None)``."""
    if isinstance(value, Noted):
        return answer(value.value, value.note)
    is_na = value == "na" or (isinstance(value, list) and value and all(v == "na" for v in value))
    return answer(value, NA_NOTE if is_na else None)


class Noted:
    def __init__(self, value: Any, note: str | None):
        self.value, self.note = value, note


def assessment(values: dict[str, dict[str, Any]], skipped: dict[str, list[str]] | None = None,
               subject: str = "Supplier X", date: dt.date = dt.date(2025, 3, 1),
               ids: list[str] | None = None) -> Assessment:
    """An assessment of the given checklists; ``None`` values are left unanswered."""
    refs = [_ref(cid) for cid in ids or list(values)]
    return Assessment(
        meta=Meta(organisation="Acme Textiles", subject=subject, assessor="Ana Analyst", date=date),
        checklists=refs,
        answers={cid: {qid: noted(v) for qid, v in qs.items() if v is not None} for cid, qs in values.items()},
        skipped=skipped or {},
    )


@lru_cache(maxsize=None)
def _ref(cid: str) -> ChecklistRef:
    """The reference 'ddcheck assess' would write: the checklist's version and fingerprints."""
    lc = library().checklists.get(cid)
    if lc is None:
        return ChecklistRef(id=cid, version="1.0.0", fingerprint="none")
    return ChecklistRef(id=cid, version=lc.checklist.version, fingerprint=lc.fingerprint,
                        questions=question_fingerprints(lc.checklist))


def write(path: Path, values: dict[str, dict[str, Any]], **kwargs: Any) -> Path:
    save_assessment(path, assessment(values, **kwargs))
    return path
