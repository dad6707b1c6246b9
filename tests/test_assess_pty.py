"""``ddcheck assess`` end to end: the real program in a real pseudo-terminal, keys as a person types them.

Each test waits for what the analyst would see before pressing the next key (prompt_toolkit
discards keys typed before a prompt is drawn, as a terminal does), then checks the saved file.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import sys
from pathlib import Path

import pytest
from conftest import GOOD

from ddcheck.answers.assessment import load_assessment
from ddcheck.answers.locking import AssessmentLock

pexpect = pytest.importorskip("pexpect")
from pty_support import DOWN, ENTER, CTRL_C, CTRL_U, MENU, META, finish, import_answers  # noqa: E402



def spawn(cwd: Path, *args: str, checklists: Path = GOOD):
    env = {**os.environ, "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1", "COLUMNS": "120", "LINES": "40"}
    env.pop("DDCHECK_CHECKLISTS", None)
    child = pexpect.spawn(sys.executable, ["-m", "ddcheck", "--checklists", str(checklists), *args],
                          cwd=str(cwd), env=env, dimensions=(40, 120), encoding="utf-8", timeout=20)
    return child


def choose(child, question: str, downs: int = 0) -> None:
    """Wait for a menu question (or any text before its menu), move down ``downs`` entries, press Enter."""
    child.expect_exact(question)
    child.expect_exact(MENU)
    child.send(DOWN * downs + ENTER)


def typed(child, question: str, number: str) -> None:
    """Wait for a typed-answer question and for its prompt ("Answer to 2.2:") to be ready for keys."""
    child.expect_exact(question)
    child.expect_exact(f"Answer to {number}:")


def note_and_evidence(child, note: str = "", evidence: str = "") -> None:
    child.expect_exact("Note (optional):")
    child.send(note + ENTER)
    child.expect_exact("Evidence (documents or links")
    child.send(evidence + ENTER)


def test_answer_a_choice_a_number_and_a_note_then_ctrl_c_saves_and_says_how_to_resume(tmp_path):
    child = spawn(tmp_path, "assess", "mini", "-o", "acme.yaml")
    child.expect_exact("Organisation carrying out the assessment:")
    child.send("Acme" + ENTER)
    child.expect_exact("Subject assessed")
    child.send("Supplier X" + ENTER)
    child.expect_exact("Assessor (your name):")
    child.send("Jane" + ENTER)
    child.expect_exact("Date of the assessment (YYYY-MM-DD):")
    child.send(CTRL_U + "2024-05-01" + ENTER)

    choose(child, "Do any of your products contain inputs from the region?", downs=1)  # Yes
    note_and_evidence(child, "Cotton yarn from the region", "supplier-map.xlsx; https://example.org/audit")
    choose(child, "Have you mapped every tier?", downs=1)  # Partly
    note_and_evidence(child)
    choose(child, "Do you have a policy?")  # Yes
    note_and_evidence(child)
    typed(child, "How many workers?", "2.2")
    child.send("about 300" + ENTER)
    child.expect_exact("'about 300' is not a number")
    child.send(CTRL_U + "300" + ENTER)
    note_and_evidence(child)
    typed(child, "Anything else?", "2.3")
    child.send(CTRL_C)
    child.expect_exact("Interrupted. Your answers are saved in acme.yaml.")
    child.expect_exact(f"Resume with: ddcheck --checklists {GOOD} assess -o acme.yaml")
    assert finish(child) == 130

    a = load_assessment(tmp_path / "acme.yaml")
    assert (a.meta.organisation, a.meta.subject, a.meta.assessor, str(a.meta.date)) == \
        ("Acme", "Supplier X", "Jane", "2024-05-01")
    assert a.values("mini") == {"sources-from-region": "yes", "mapped": "partial", "policy": "yes",
                                "headcount": 300.0}
    first = a.answer("mini", "sources-from-region")
    assert first.note == "Cotton yarn from the region"
    assert first.evidence == ["supplier-map.xlsx", "https://example.org/audit"]
    assert first.answered_by == "Jane" and first.answered_at is not None
    assert a.position == {"checklist": "mini", "question": "notes"}
    assert not (tmp_path / "acme.yaml.lock").exists()


def test_resume_with_only_the_file_go_back_and_change_an_answer(tmp_path):
    import_answers(tmp_path, "mini,sources-from-region,yes,\nmini,mapped,partial,\nmini,policy,yes,Board approved\n")
    child = spawn(tmp_path, "assess", "-o", "acme.yaml")
    child.expect_exact("Resuming acme.yaml: Acme · Supplier X.")
    child.expect_exact("How many workers?")  # the first question not answered yet
    child.expect_exact(":b back")  # the typed navigation keys are spelled out
    child.expect_exact("Answer to 2.2:")
    child.send(":b" + ENTER)
    child.expect_exact("Do you have a policy?")
    child.expect_exact("Current answer: Yes")
    choose(child, "Answer to 2.1:", downs=1)  # the cursor starts on "Yes"; one down is "No"
    note_and_evidence(child, CTRL_U + "Policy withdrawn in 2023")
    typed(child, "How many workers?", "2.2")  # back where we were
    child.send(":q" + ENTER)
    child.expect_exact("Saved in acme.yaml")
    assert finish(child) == 0

    policy = load_assessment(tmp_path / "acme.yaml").answer("mini", "policy")
    assert policy.value == "no" and policy.note == "Policy withdrawn in 2023"
    assert [(h.value, h.note) for h in policy.history] == [("yes", "Board approved")]


def test_sigkill_mid_session_keeps_every_confirmed_answer_and_the_file_loads(tmp_path):
    child = spawn(tmp_path, "assess", "mini", "-o", "acme.yaml", *META)
    choose(child, "Do any of your products contain inputs from the region?", downs=2)  # Don't know
    note_and_evidence(child, "Asked the supplier; no reply yet")
    choose(child, "Have you mapped every tier?", downs=2)  # No
    note_and_evidence(child)
    choose(child, "Do you have a policy?")  # Yes, then killed while the note is being typed
    child.expect_exact("Note (optional):")
    child.send("half a no")
    os.kill(child.pid, signal.SIGKILL)
    child.expect(pexpect.EOF)
    child.close()
    assert child.signalstatus == signal.SIGKILL

    a = load_assessment(tmp_path / "acme.yaml")  # a complete file, not a torn one
    assert a.values("mini") == {"sources-from-region": "unknown", "mapped": "no", "policy": "yes"}
    assert a.answer("mini", "sources-from-region").note == "Asked the supplier; no reply yet"
    assert a.answer("mini", "policy").note is None  # never confirmed
    assert not list(tmp_path.glob(".acme.yaml.*.tmp"))

    # the killed session's lock died with it: the next session starts at once where it stopped
    child = spawn(tmp_path, "assess", "-o", "acme.yaml")
    typed(child, "How many workers?", "2.2")
    child.send(CTRL_C)
    assert finish(child) == 130


def test_a_second_session_on_the_same_file_is_refused(tmp_path):
    with AssessmentLock(tmp_path / "acme.yaml"):
        child = spawn(tmp_path, "assess", "mini", "-o", "acme.yaml", *META)
        child.expect_exact("acme.yaml is open in another ddcheck session (pid")
        assert finish(child) == 3
    assert not (tmp_path / "acme.yaml").exists()


def test_resume_reports_a_changed_checklist_and_keeps_answers_to_removed_questions(tmp_path):
    lists = tmp_path / "lists"
    lists.mkdir()
    shutil.copy(GOOD / "mini.yaml", lists / "mini.yaml")
    import_answers(tmp_path, "mini,sources-from-region,no,\nmini,policy,yes,\nmini,notes,Visited twice,\n",
                   checklists=lists)
    text = (lists / "mini.yaml").read_text(encoding="utf-8")
    text = text.replace("version: 1.0.0", "version: 1.1.0")
    text = text.replace("text: Do you have a policy?", "text: Do you have a published policy?")
    start, end = text.index("      - id: notes"), text.index("      - id: audit-date")
    (lists / "mini.yaml").write_text(text[:start] + text[end:], encoding="utf-8")

    child = spawn(tmp_path, "assess", "-o", "acme.yaml", checklists=lists)
    child.expect_exact("Checklist 'mini' changed since it was answered (v1.0.0 -> v1.1.0):")
    child.expect_exact("changed 2.1: “Do you have a policy?” → “Do you have a published policy?”; confirm the "
                       "answer 'Yes' (asked first)")
    child.expect_exact("removed: notes — its answer 'Visited twice' is kept in the file but no longer counted")
    child.expect_exact("Do you have a published policy?")
    child.expect_exact("This question changed since it was answered. Earlier answer: Yes")
    choose(child, "Answer to 2.1:")  # confirm "Yes", preselected
    note_and_evidence(child)
    typed(child, "How many workers?", "2.2")
    child.send(CTRL_C)
    assert finish(child) == 130

    a = load_assessment(tmp_path / "acme.yaml")
    assert a.checklists[0].version == "1.1.0"
    assert a.answer("mini", "notes").value == "Visited twice"  # kept, never silently dropped
    assert a.answer("mini", "policy").value == "yes"


def test_a_hand_broken_assessment_is_located_and_never_overwritten(tmp_path):
    broken = "ddcheck: 1\nmeta:\n  organisation: Acme\n  subject: Supplier X\n  assessor: Jane\n  date: 2024-02-30\n"
    (tmp_path / "acme.yaml").write_text(broken, encoding="utf-8")
    child = spawn(tmp_path, "assess", "-o", "acme.yaml")
    child.expect_exact("acme.yaml:6:9: 'date'")
    assert finish(child) == 2  # was 1: a broken input file exits 2, as the README's exit-code table says
    assert (tmp_path / "acme.yaml").read_text(encoding="utf-8") == broken


MULTI = """\
id: multi
title: Inputs
version: 1.0.0
summary: A multi-choice question.
scales:
  inputs:
    - {value: cotton, label: Cotton, risk: 3}
    - {value: pvc, label: PVC, risk: 3}
    - {value: unknown, label: "Don't know", risk: 3}
sections:
  - id: s
    title: Inputs
    questions:
      - id: which
        text: Which inputs do you buy?
        type: multi
        scale: inputs
        guidance: List them.
        actions: {cotton: a, pvc: b, unknown: c}
        cite:
          - {source: cheng-soe-csr, quote: "occupational safety", locator: para. 7}
      - id: audited
        text: Were they audited?
        type: yesno
        guidance: Say.
        actions: {"no": a, unknown: b}
        cite:
          - {source: cheng-soe-csr, quote: "occupational safety", locator: para. 7}
"""


def test_multi_choice_ticks_by_number_refuses_an_empty_answer_in_place_and_navigates_with_one_key(tmp_path):
    lists = tmp_path / "lists"
    lists.mkdir()
    (lists / "multi.yaml").write_text(MULTI, encoding="utf-8")
    child = spawn(tmp_path, "assess", "multi", "-o", "acme.yaml", *META, checklists=lists)
    child.expect_exact("1-3 or Space tick · Enter done")
    child.expect_exact(MENU)
    child.send(ENTER)  # nothing ticked: the message shows on the menu, which stays open
    child.expect_exact("! Tick at least one answer (its number or Space), or press ? for don't know")
    assert not re.search(r"Answer to 1\.1: (\x1b\[[0-9;]*m)*\w", child.before)  # no answer echoed first
    child.send("1" + "2" + ENTER)  # Cotton and PVC, by number
    child.expect(r"Answer to 1\.1: (\x1b\[[0-9;]*m)*Cotton, PVC")
    note_and_evidence(child)
    child.expect_exact("Were they audited?")
    child.expect_exact(MENU)
    child.send("b")  # one key, no Space-then-Enter
    child.expect_exact("Which inputs do you buy?")
    child.expect_exact(MENU)
    child.send("q")
    child.expect_exact("Saved in acme.yaml.")
    assert finish(child) == 0
    assert load_assessment(tmp_path / "acme.yaml").values("multi") == {"which": ["cotton", "pvc"]}
