"""Checklists and a "respondent" for the supplier round-trip tests.

The respondent fills workbooks with openpyxl, the library a supplier's own tooling would use, by
finding rows through what a person sees (the number column), never through ddcheck's code.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

CITE = '{source: foreign-firms-xinjiang, quote: "whether products are being made using forced labor", locator: para. 9}'

SUPPLY = f"""\
id: supply
title: Supplier self-assessment
version: 1.0.0
summary: Every question type, a condition, and a shared question from 'home'.
scales:
  assurance:
    - {{value: "yes", label: "Yes, with evidence", risk: 0}}
    - {{value: partial, label: Partly, risk: 2}}
    - {{value: "no", label: "No", risk: 3}}
    - {{value: unknown, label: "Don't know", risk: 3}}
    - {{value: na, label: Not applicable}}
  inputs:
    - {{value: cotton, label: Cotton, risk: 3}}
    - {{value: polysilicon, label: Polysilicon, risk: 3}}
    - {{value: tomatoes, label: Tomatoes, risk: 2}}
    - {{value: none, label: None of these, risk: 0}}
    - {{value: unknown, label: "Don't know", risk: 3}}
sections:
  - id: exposure
    title: Exposure
    questions:
      - id: in-region
        text: Do you source anything from the region?
        type: yesno
        guidance: Any tier, down to raw material.
        evidence: [supplier map]
        actions: {{"no": "Check again.", unknown: "Find out."}}
        cite: [{CITE}]
      - id: inputs
        text: Which inputs come from the region?
        type: multi
        scale: inputs
        guidance: Tick every one that applies.
        when: {{question: in-region, in: ["yes", unknown]}}
        actions: {{cotton: "Trace it.", polysilicon: "Trace it.", tomatoes: "Trace it.", unknown: "Find out."}}
        cite: [{CITE}]
      - id: mapped
        text: Have you mapped every tier?
        scale: assurance
        guidance: Name every facility.
        when: {{question: in-region, in: ["yes"]}}
        actions: {{partial: "Finish.", "no": "Map.", unknown: "Find out."}}
        cite: [{CITE}]
  - id: facts
    title: Facts
    questions:
      - id: workers
        text: How many workers do you employ?
        type: number
        min: 0
        guidance: Head count.
        cite: [{CITE}]
      - id: audited
        text: When were you last audited?
        type: date
        guidance: The date of the report.
        cite: [{CITE}]
      - id: remarks
        text: Anything else we should know?
        type: text
        guidance: Free text.
        cite: [{CITE}]
      - use: home/policy
"""

HOME = f"""\
id: home
title: Policy basics
version: 1.0.0
summary: Holds the shared policy question.
sections:
  - id: policy
    title: Policy
    questions:
      - id: policy
        text: Do you have a published human-rights policy?
        type: yesno
        guidance: A policy approved by the board.
        actions: {{"no": "Adopt one.", unknown: "Find out."}}
        cite: [{CITE}]
      - id: grievance
        text: Can workers raise grievances anonymously?
        type: yesno
        guidance: A channel outside management.
        actions: {{"no": "Set one up.", unknown: "Find out."}}
        cite: [{CITE}]
"""

# What the respondent types, by the number printed in the workbook (supply first, then home).
ANSWERS = {
    "A1.1": ("Yes", "Spinning mill in the region", "supplier-map.xlsx; https://example.org/map"),
    "A1.2": ("Cotton; Tomatoes", None, None),
    "A1.3": ("Partly", "Tier 3 missing", None),
    "A2.1": (1250, None, None),
    "A2.2": (dt.date(2024, 3, 31), None, "audit-2024.pdf"),
    "A2.3": ("=cmd|' /C calc'!A0 is not a formula here", None, None),
    "A2.4": ("No", "Drafting one", None),
    "B1.2": ("Don't know", None, None),
}
EXPECTED = {
    ("supply", "in-region"): "yes", ("supply", "inputs"): ["cotton", "tomatoes"], ("supply", "mapped"): "partial",
    ("supply", "workers"): 1250.0, ("supply", "audited"): "2024-03-31",
    ("supply", "remarks"): "=cmd|' /C calc'!A0 is not a formula here",
    ("home", "policy"): "no", ("home", "grievance"): "unknown",
}


def write_checklists(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "supply.yaml").write_text(SUPPLY, encoding="utf-8")
    (folder / "home.yaml").write_text(HOME, encoding="utf-8")
    return folder


def rows_by_number(ws) -> dict[str, int]:
    return {str(ws.cell(r, 1).value): r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value}


def fill(path: Path, out: Path, answers: dict, name: str = "Li Wei", role: str = "Compliance manager",
         date: object = None) -> None:
    """Fill the workbook as a respondent would: the yellow cells only."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    info = wb["Instructions"]
    labels = {info.cell(r, 1).value: r for r in range(1, info.max_row + 1)}
    if name:
        info.cell(labels["Your name"], 2).value = name
    if role:
        info.cell(labels["Your role"], 2).value = role
    if date is not None:
        info.cell(labels["Date (YYYY-MM-DD)"], 2).value = date
    ws = wb["Questions"]
    rows = rows_by_number(ws)
    for number, (answer, note, evidence) in answers.items():
        row = rows[number]
        ws.cell(row, 4).value = answer
        if isinstance(answer, str) and answer.startswith("="):
            ws.cell(row, 4).data_type = "s"  # typed as text, as a spreadsheet does for a leading apostrophe
        ws.cell(row, 5).value = note
        ws.cell(row, 6).value = evidence
    wb.save(out)


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        pytest.skip("LibreOffice (soffice) is not installed; .ci/run installs libreoffice-calc-nogui")
    return found


def libreoffice_convert(path: Path, to: str, out_dir: Path) -> Path:
    """Open and save the file with LibreOffice headless, as a respondent using Calc would."""
    exe = soffice()
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = out_dir / "lo-profile"  # a private profile: parallel runs never share a lock
    proc = subprocess.run([exe, "--headless", f"-env:UserInstallation=file://{profile}", "--convert-to", to,
                           "--outdir", str(out_dir), str(path)], capture_output=True, text=True, timeout=180)
    result = out_dir / f"{path.stem}.{to.split(':')[0]}"
    assert result.exists(), proc.stdout + proc.stderr
    return result


@pytest.fixture
def ddcheck_here(tmp_path, monkeypatch, clean_env, invoke):
    """The CLI run in a fresh working folder, with the test checklists (supply, home) in view."""
    monkeypatch.chdir(tmp_path)
    folder = write_checklists(tmp_path / "lists")

    def run(*args: str):
        return invoke("--checklists", str(folder), *args)

    return run
