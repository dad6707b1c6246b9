"""``ddcheck demo``: the bundled example assessments render to real PDFs, and they stay realistic.

The examples are what a new user sees first, so they are held to more than "it renders": they
must load, answer the bundled checklists with valid values, be stamped with the checklists'
current fingerprints, and show what the report is for (red flags, gaps, N/A, Chinese text,
answer history).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pdf_support import NO_CJK_REASON, Pdf, cjk_font_installed

from ddcheck.answers.assessment import load_assessment
from ddcheck.findings.model import Status
from ddcheck.checklists.library import load_library
from ddcheck.resources import bundled
from ddcheck.findings.scoring import score_assessment

EXAMPLES = sorted(bundled("examples").glob("*.yaml"))
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """Run the real command once (in a subprocess, as a user would) and keep what it printed."""
    out = tmp_path_factory.mktemp("demo") / "reports"
    proc = subprocess.run([sys.executable, "-m", "ddcheck", "demo", "--out", str(out)],
                          capture_output=True, text=True, cwd=tmp_path_factory.mktemp("cwd"),
                          env={**os.environ, "DDCHECK_CHECKLISTS": ""})
    return proc, out


def test_there_are_at_least_two_examples_saying_they_are_fictional():
    assert len(EXAMPLES) >= 2
    for path in EXAMPLES:
        assert "FICTIONAL" in path.read_text(encoding="utf-8").split("\nddcheck:")[0], path.name


def test_demo_prints_one_pdf_path_per_example_and_shows_progress(demo):
    proc, out = demo
    assert proc.returncode == 0, proc.stderr
    printed = [Path(line) for line in proc.stdout.splitlines() if line.strip()]
    assert sorted(p.name for p in printed) == sorted(p.stem + ".pdf" for p in EXAMPLES)
    assert all(p.is_file() for p in printed)
    assert f"[{len(EXAMPLES)}/{len(EXAMPLES)}] rendering" in proc.stderr
    if cjk_font_installed():
        assert "warning" not in proc.stderr
    else:  # the examples hold Chinese names: the user is told which package draws them
        assert "no installed font can draw" in proc.stderr and "fonts-noto-cjk" in proc.stderr


@pytest.mark.skipif(not cjk_font_installed(), reason=NO_CJK_REASON)
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_each_demo_report_is_a_full_report_carrying_its_answers(demo, example):
    _, out = demo
    pdf = Pdf((out / (example.stem + ".pdf")).read_bytes())
    assert len(pdf.pages) >= 10
    assert pdf.attachments == {"answers.yaml": [example.read_bytes()]}
    titles = [t for _, t, _ in pdf.bookmarks]
    assert {"Executive summary", "Action plan", "Sources and method", "Audit trail"} <= set(titles)
    assert "Unchanged since answered" in pdf.text  # examples stamped with current fingerprints
    assert CJK.search(pdf.text)


@pytest.fixture(scope="module")
def library():
    return load_library()


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_examples_are_valid_realistic_assessments(example, library):
    assessment = load_assessment(example)
    for ref in assessment.checklists:
        lc = library.get(ref.id)
        assert ref.fingerprint == lc.fingerprint, (
            f"{example.name} was answered against an older {ref.id}; run scripts/refresh-examples.py")
    findings = score_assessment(assessment, {c: lc.checklist for c, lc in library.checklists.items()},
                                library.sources)
    results = [q for c in findings.checklists for s in c.sections for q in s.questions]
    assert not findings.orphans
    assert not [q.question_id for q in results if q.gap_reason == "off_scale"]
    statuses = {q.status for q in results}
    assert {Status.answered, Status.gap, Status.na} <= statuses
    assert findings.red_flags
    assert any(q.changes for q in results), "some answers should carry a history"
    assert any(q.note and CJK.search(q.note) for q in results) or CJK.search(assessment.meta.subject)
    assert sum(bool(q.note) for q in results) >= 10
