"""A small checklist and assessment of our own for the report tests, independent of bundled content.

The checklist ("cotton-check") has what a report must show: a red flag, a gap, a "not
applicable" answer, a question out of scope, an information question, weights, two sections,
and citations of three bundled sources (one with no known author). The assessment adds Chinese
and Uyghur text, an answer history, evidence, and whatever untrusted text a test passes in.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

from ddcheck.answers.assessment import Answer, Assessment, ChecklistRef, Meta, PastAnswer, save_assessment
from ddcheck.checklists.library import Library, collect, question_fingerprints
from ddcheck.resources import bundled

from conftest import add_inline_checklist
from pdf_support import cjk_font_installed

QUOTE_WAPO = "whether products are being made using forced labor"
QUOTE_CHENG = "Using “CSR” (corporate social responsibility)"
QUOTE_WORDEN = "it’s unclear what the Chinese party-state even means by ‘mutually beneficial cooperation’"
UYGHUR = "ئۇيغۇر"
# Chinese where a CJK font can draw it; Latin stand-ins elsewhere (see pdf_support.cjk_font_installed),
# so that every test not about Chinese text passes on a machine without CJK fonts.
if cjk_font_installed():
    CJK_NOTE = "纱线来自新疆阿克苏的轧花厂；供应商：华棉纺织有限公司。"
    SUBJECT = "Huamian Textiles (华棉纺织) — yarn"
    ANSWERER = "Wang Fang 王芳"
else:
    CJK_NOTE = "Yarn from a gin in Aksu, Xinjiang; supplier: Huamian Fangzhi Youxian Gongsi."
    SUBJECT = "Huamian Textiles (Huamian Fangzhi) — yarn"
    ANSWERER = "Wang Fang"

CHECKLIST_YAML = f"""\
id: cotton-check
title: Cotton yarn sourcing check
version: 2.1.0
summary: A small checklist for the report tests.
scales:
  assurance:
    - {{value: "yes", label: "Yes, with evidence", risk: 0}}
    - {{value: partial, label: Partly, risk: 2}}
    - {{value: "no", label: "No", risk: 3}}
    - {{value: unknown, label: "Don't know", risk: 3}}
    - {{value: na, label: Not applicable}}
  exposure:
    - {{value: "no", label: "No", risk: 0}}
    - {{value: "yes", label: "Yes", risk: 3}}
    - {{value: unknown, label: "Don't know", risk: 3}}
sections:
  - id: origin
    title: Origin of the cotton
    questions:
      - id: region
        text: Does any yarn contain cotton from the region?
        scale: exposure
        weight: 3
        guidance: Trace to the gin.
        actions: {{"yes": "Stop orders until the gin is identified.", unknown: "Trace the cotton."}}
        red_flag: {{in: ["yes", unknown]}}
        cite:
          - {{source: foreign-firms-xinjiang, quote: "{QUOTE_WAPO}", locator: para. 9}}
      - id: mapped
        text: Have you mapped the spinners and gins?
        scale: assurance
        guidance: Names and addresses.
        actions: {{partial: "Finish the map.", "no": "Start the map.", unknown: "Ask the agent."}}
        cite:
          - {{source: foreign-firms-xinjiang, quote: "{QUOTE_WAPO}", locator: para. 9}}
          - {{source: cheng-soe-csr, quote: "{QUOTE_CHENG}", locator: para. 7}}
      - id: gins
        text: How many gins supply the spinner?
        type: number
        min: 0
        guidance: Count them.
        cite:
          - {{source: cheng-soe-csr, quote: "{QUOTE_CHENG}", locator: para. 7}}
  - id: controls
    title: Controls
    questions:
      - id: audits
        text: Are the spinners audited without notice?
        scale: assurance
        guidance: Unannounced audits.
        actions: {{partial: "Add unannounced visits.", "no": "Commission audits.", unknown: "Ask."}}
        cite:
          - {{source: worden-hrc-mutually-beneficial-cooperation, quote: "{QUOTE_WORDEN}", locator: para. 12}}
      - id: contract
        text: Does the contract ban forced labour?
        type: yesno
        guidance: A clause.
        actions: {{"no": "Add the clause.", unknown: "Check the contract."}}
        cite:
          - {{source: cheng-soe-csr, quote: "{QUOTE_CHENG}", locator: para. 7}}
      - id: remediation
        text: Was the last finding remediated?
        scale: assurance
        when: {{question: audits, in: ["yes", partial]}}
        guidance: Follow-up.
        actions: {{partial: "Finish it.", "no": "Remediate.", unknown: "Ask."}}
        cite:
          - {{source: cheng-soe-csr, quote: "{QUOTE_CHENG}", locator: para. 7}}
"""

WHEN = dt.datetime(2025, 3, 1, 9, 30, tzinfo=dt.timezone.utc)


@lru_cache(maxsize=1)
def library() -> Library:
    """The bundled sources with cotton-check as the only checklist."""
    lib, problems = collect(dirs=[bundled("checklists")], paths=[])
    assert not problems, [str(p) for p in problems]
    lib.checklists.clear()
    add_inline_checklist(lib, CHECKLIST_YAML, "cotton-check")
    return lib


def assessment(note: str = "", subject: str = SUBJECT,
               organisation: str = "Nordlicht Apparel AG", evidence: list[str] | None = None) -> Assessment:
    """region = yes (red flag), mapped = partial (history), gins = 3, audits = na,
    contract unanswered (gap), remediation out of scope (audits is na)."""
    lc = library().checklists["cotton-check"]
    ref = ChecklistRef(id="cotton-check", version=lc.checklist.version, fingerprint=lc.fingerprint,
                       questions=question_fingerprints(lc.checklist))
    earlier = PastAnswer(value="unknown", note="Waiting for the agent.", answered_at=WHEN - dt.timedelta(days=2),
                         answered_by=ANSWERER)
    answers = {
        "region": Answer(value="yes", note=f"{CJK_NOTE} {UYGHUR} {note}".strip(),
                         evidence=evidence or ["Agent letter 2025-02-20", "Bale tags"],
                         answered_at=WHEN, answered_by=ANSWERER),
        "mapped": Answer(value="partial", note="Spinner known; two gins unnamed.", answered_at=WHEN,
                         answered_by="Jonas Berg", history=[earlier]),
        "gins": Answer(value=3.0, answered_at=WHEN, answered_by="Jonas Berg"),
        "audits": Answer(value="na", note="No spinner audits in scope this year.", answered_at=WHEN,
                         answered_by="Jonas Berg"),
    }
    return Assessment(meta=Meta(organisation=organisation, subject=subject, assessor="Jonas Berg",
                                date=dt.date(2025, 3, 2)),
                      checklists=[ref], answers={"cotton-check": answers})


def write(path: Path, **kwargs) -> Path:
    save_assessment(path, assessment(**kwargs))
    return path
