"""Questionnaire v2 (issue 12), end to end: the real ``ddcheck assess`` in a pseudo-terminal of 80×24,
its output fed to a terminal emulator (pyte) so the tests read the screen the analyst reads.

Each test is one thing that got in the way of someone answering two checklists; it fails on the
questionnaire as it was before (the note lost at the evidence prompt, the question scrolled off
at 80×24, ...). Keys are sent only once the prompt they are meant for is drawn, as a person would.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

import pytest
from conftest import GOOD

from ddcheck.answers.assessment import load_assessment
from ddcheck.resources import bundled

pexpect = pytest.importorskip("pexpect")
from pty_support import DOWN, ENTER, CTRL_C, CTRL_D, CTRL_U, MENU, META, finish, import_answers  # noqa: E402
pyte = pytest.importorskip("pyte")

UNGP = bundled("checklists")


class Terminal:
    """A pexpect ``logfile_read`` that keeps what an 80×24 terminal would show."""

    def __init__(self, rows: int, columns: int):
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.Stream(self.screen)

    def write(self, data: str) -> None:
        self.stream.feed(data)

    def flush(self) -> None:
        pass

    @property
    def lines(self) -> list[str]:
        return [line.rstrip() for line in self.screen.display]

    def shows(self, text: str) -> bool:
        """Whether ``text`` is on screen, wrapped over lines however the screen wraps it."""
        flat = " ".join(" ".join(self.lines).split())
        return " ".join(text.split()) in flat


def spawn(cwd: Path, *args: str, checklists: Path = GOOD, rows: int = 24, columns: int = 80,
          size_from_env: bool = True):
    env = {**os.environ, "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1", "COLUMNS": str(columns),
           "LINES": str(rows)}
    if not size_from_env:  # as in a real terminal: the size comes from the terminal, and can change
        del env["COLUMNS"], env["LINES"]
    env.pop("DDCHECK_CHECKLISTS", None)
    child = pexpect.spawn(sys.executable, ["-m", "ddcheck", "--checklists", str(checklists), *args],
                          cwd=str(cwd), env=env, dimensions=(rows, columns), encoding="utf-8", timeout=20)
    child.terminal = Terminal(rows, columns)
    child.logfile_read = child.terminal
    return child


def settle(child) -> None:
    """Read whatever the program drew after the awaited text (the rest of a menu, the cursor)."""
    try:
        child.expect(r"(?!)", timeout=0.3)  # never matches: reads for 0.3 s
    except pexpect.TIMEOUT:
        pass


def wait_shows(child, text: str, seconds: float = 10) -> None:
    """Read until ``text`` is on the emulated screen (prompt_toolkit redraws only what changed, so a
    message may never appear whole in the byte stream)."""
    deadline = time.monotonic() + seconds
    while not child.terminal.shows(text):
        assert time.monotonic() < deadline, f"not on screen: {text!r}\n" + "\n".join(child.terminal.lines)
        settle(child)


def menu(child, number: str) -> None:
    child.expect_exact(f"Answer to {number}:")
    child.expect_exact(MENU)
    settle(child)


def typed(child, number: str) -> None:
    child.expect_exact(f"Answer to {number}:")
    settle(child)


def note(child) -> None:
    child.expect_exact("Note (optional):")
    settle(child)


def evidence(child) -> None:
    child.expect_exact("Evidence (documents or links")
    settle(child)


def _ungp():
    """The bundled UNGP checklist's questions by number, read from the library (content changes, these tests not)."""
    from ddcheck.answers import progress
    from ddcheck.checklists.library import collect

    library, problems = collect(dirs=[UNGP])
    assert not problems
    checklist = library.checklists["ungp-due-diligence"].checklist
    return checklist, {item.number: item.question for item in progress.items([checklist])}


UNGP_CHECKLIST, UNGP_QUESTIONS = _ungp()


def _first_answer(question) -> str:
    choices = UNGP_CHECKLIST.choices(question)
    return choices[0].value if choices else {"date": "2024-01-01"}.get(question.type.value, "Noted")


# Sections 1 and 2 answered (first choice each), so a resumed session starts at 3.1, as in the issue.
UNGP_DONE_1_2 = "".join(f"ungp-due-diligence,{q.id},{_first_answer(q)},\n"
                        for number, q in UNGP_QUESTIONS.items() if number.split(".")[0] in ("1", "2"))
Q31 = UNGP_QUESTIONS["3.1"].text
Q32 = UNGP_QUESTIONS["3.2"].text
Q32_THIRD = UNGP_CHECKLIST.choices(UNGP_QUESTIONS["3.2"])[2].label


# ----------------------------------------------------------------------------- item 1


def test_a_confirmed_note_is_on_disk_before_the_evidence_prompt_and_survives_ctrl_c(tmp_path):
    child = spawn(tmp_path, "assess", "mini", "-o", "acme.yaml", *META)
    menu(child, "1.1")
    child.send("2")  # Yes
    note(child)
    assert load_assessment(tmp_path / "acme.yaml").values("mini") == {"sources-from-region": "yes"}
    child.send("Cotton yarn from the region" + ENTER)
    evidence(child)  # the note is saved before this prompt is drawn
    assert load_assessment(tmp_path / "acme.yaml").answer("mini", "sources-from-region").note == \
        "Cotton yarn from the region"
    child.send("supplier-map.xlsx; audit.pdf" + ENTER)
    menu(child, "1.2")
    assert load_assessment(tmp_path / "acme.yaml").answer("mini", "sources-from-region").evidence == \
        ["supplier-map.xlsx", "audit.pdf"]
    child.send("1")  # Yes, with evidence
    note(child)
    child.send("Tier 1 and 2" + ENTER)
    evidence(child)
    child.send(CTRL_C)
    child.expect_exact("Resume with:")
    assert finish(child) == 130
    a = load_assessment(tmp_path / "acme.yaml")
    mapped = a.answer("mini", "mapped")
    assert (mapped.value, mapped.note) == ("yes", "Tier 1 and 2")
    assert mapped.history == [] and a.answer("mini", "sources-from-region").history == []  # one answer each


# ----------------------------------------------------------------------------- item 2 and the layout


def test_at_80x24_the_question_is_on_screen_at_every_prompt(tmp_path):
    import_answers(tmp_path, UNGP_DONE_1_2, checklists=UNGP)
    child = spawn(tmp_path, "assess", "-o", "acme.yaml", checklists=UNGP)
    term = child.terminal
    menu(child, "3.1")
    first = UNGP_CHECKLIST.choices(UNGP_QUESTIONS["3.1"])[0].label
    assert term.shows(Q31) and term.shows(f"1) {first}")
    assert term.shows(f"(3/{len(UNGP_CHECKLIST.sections)}) ·")  # one line of progress
    assert not term.shows("Guidance:")  # compact: the details are behind 'i'
    child.send("i")
    menu(child, "3.1")
    last = UNGP_CHECKLIST.choices(UNGP_QUESTIONS["3.1"])[-1].label
    assert term.shows("Guidance:") and term.shows(Q31) and term.shows(last)
    child.send("2")
    note(child)
    assert term.shows(Q31)
    child.send(":i" + ENTER)  # the details from the note prompt too, the question still under them
    note(child)
    assert term.shows(Q31) and term.shows("Source:")
    child.send(ENTER)
    evidence(child)
    assert term.shows(Q31)
    child.send(ENTER)
    menu(child, "3.2")
    assert term.shows(Q32)
    child.send("3")
    note(child)
    assert term.shows(Q32)
    child.send(":b" + ENTER)  # back to the answer just given
    menu(child, "3.2")
    assert term.shows(Q32) and term.shows(f"Current answer: {Q32_THIRD}")
    child.send("q")
    child.expect_exact("Continue with:")
    assert finish(child) == 0


def test_a_wide_terminal_shows_the_details_without_a_key(tmp_path):
    import_answers(tmp_path, UNGP_DONE_1_2, checklists=UNGP)
    child = spawn(tmp_path, "assess", "-o", "acme.yaml", checklists=UNGP, rows=40, columns=120)
    menu(child, "3.1")
    assert child.terminal.shows("Guidance:") and child.terminal.shows(Q31)
    assert max(len(line) for line in child.terminal.lines) > 100  # the lines use the width
    child.send(CTRL_C)
    assert finish(child) == 130


def test_a_resized_terminal_gets_screens_of_its_new_width(tmp_path):
    child = spawn(tmp_path, "assess", "-o", "acme.yaml", "ungp-due-diligence", *META, checklists=UNGP,
                  size_from_env=False)
    menu(child, "1.1")
    assert max(len(line) for line in child.terminal.lines) <= 80
    child.setwinsize(40, 120)
    child.terminal.screen.resize(40, 120)
    child.send("1")
    note(child)
    child.send(ENTER)
    evidence(child)
    child.send(ENTER)
    menu(child, "1.2")
    rule = next(line for line in reversed(child.terminal.lines) if line.startswith("── "))
    assert len(rule) > 100  # the progress line fills the new width
    child.send("q")
    assert finish(child) == 0


def test_verbose_shows_the_details_at_80x24_with_the_question_last(tmp_path):
    import_answers(tmp_path, UNGP_DONE_1_2, checklists=UNGP)
    child = spawn(tmp_path, "assess", "-o", "acme.yaml", "--verbose", checklists=UNGP)
    menu(child, "3.1")
    assert child.terminal.shows("Guidance:") or child.terminal.shows("Source:")
    assert child.terminal.shows(Q31)
    child.send(CTRL_C)
    assert finish(child) == 130


# ----------------------------------------------------------------------------- item 3


SECOND = """\
id: second
title: Second checklist for tests
version: 1.0.0
summary: Another checklist, numbered from 1.1 too.
sections:
  - id: s
    title: Audits
    questions:
      - id: audited
        text: Were the suppliers audited by an independent firm with unannounced visits in the last year?
        type: yesno
        guidance: Say.
        actions: {"no": a, unknown: b}
        cite:
          - {source: cheng-soe-csr, quote: "occupational safety", locator: para. 7}
"""


def test_review_at_80_columns_shows_whole_answers_the_confirm_marker_and_checklist_headings(tmp_path):
    lists = tmp_path / "lists"
    lists.mkdir()
    shutil.copy(GOOD / "mini.yaml", lists / "mini.yaml")
    (lists / "second.yaml").write_text(SECOND, encoding="utf-8")
    import_answers(tmp_path, "mini,sources-from-region,no,\nmini,policy,yes,\nsecond,audited,no,\n", checklists=lists)
    text = (lists / "mini.yaml").read_text(encoding="utf-8")
    (lists / "mini.yaml").write_text(text.replace("text: Do you have a policy?",
                                                  "text: Do you have a published human-rights policy that "
                                                  "the board approved and that covers suppliers?"),
                                     encoding="utf-8")
    child = spawn(tmp_path, "assess", "-o", "acme.yaml", checklists=lists)
    menu(child, "2.1")  # the changed question comes first
    lines = child.terminal.lines
    notice = next(i for i, line in enumerate(lines) if line.startswith("  This question changed since it was"))
    assert lines[notice + 1].startswith("  ") and lines[notice + 1].strip()  # wrapped by us, indented
    child.send("r")
    child.expect_exact("Review:")
    child.expect_exact("Enter change the answer")
    settle(child)
    lines = child.terminal.lines
    assert any(line.strip().startswith("══ Minimal checklist for tests") for line in lines)
    assert any(line.strip().startswith("══ Second checklist for tests") for line in lines)
    assert any("(changed — confirm)" in line and line.lstrip(" ❯").startswith("2.1") for line in lines)
    assert any(line.strip().startswith("2.2  How many workers?  →  (not answered)") for line in lines)
    assert any(line.strip().startswith("1.1  Were the suppliers audited") and line.endswith("…  →  No")
               for line in lines)  # the question is cut to the width, never the answer
    assert all(len(line) <= 80 for line in lines)
    child.send("q")
    assert finish(child) == 0


# ----------------------------------------------------------------------------- item 4


def test_a_command_typed_into_a_prefilled_answer_is_a_command(tmp_path):
    import_answers(tmp_path, "mini,sources-from-region,no,\nmini,policy,yes,\nmini,headcount,300,\n")
    child = spawn(tmp_path, "assess", "-o", "acme.yaml")
    typed(child, "2.3")  # the first open question; go back to the answered count
    child.send(":b" + ENTER)
    typed(child, "2.2")
    child.send(":s" + ENTER)  # the field holds "300": "300:s" is the skip it looks like
    typed(child, "2.3")
    child.send(":q" + ENTER)
    child.expect_exact("Saved in acme.yaml.")
    assert finish(child) == 0
    assert load_assessment(tmp_path / "acme.yaml").values("mini")["headcount"] == 300.0  # kept


# ----------------------------------------------------------------------------- item 5


def test_the_note_prompt_navigates_like_every_prompt_and_goes_back_to_the_answer(tmp_path):
    child = spawn(tmp_path, "assess", "mini", "-o", "acme.yaml", *META)
    menu(child, "1.1")
    child.send("1")  # No
    note(child)
    child.send(":b" + ENTER)  # back to the answer just chosen, not taken as the note
    menu(child, "1.1")
    child.send("2")  # Yes
    note(child)
    child.send(":r" + ENTER)  # the review, not a note saying ":r"
    child.expect_exact("Review:")
    child.expect_exact("Enter change the answer")
    child.send("q")
    assert finish(child) == 0
    answer = load_assessment(tmp_path / "acme.yaml").answer("mini", "sources-from-region")
    assert answer.value == "yes" and answer.note is None


# ----------------------------------------------------------------------------- item 6


def test_jump_to_a_finished_section_walks_it_in_order(tmp_path):
    import_answers(tmp_path, UNGP_DONE_1_2, checklists=UNGP)
    child = spawn(tmp_path, "assess", "-o", "acme.yaml", checklists=UNGP)
    menu(child, "3.1")
    child.send("j")
    child.expect_exact("Jump to which section?")
    child.expect_exact("b cancel")
    child.send("2")  # section 2, answered already
    menu(child, "2.1")
    child.send("1")
    note(child)
    child.send(ENTER)
    evidence(child)
    child.send(ENTER)
    typed(child, "2.2")  # was 3.1, the next pending question; 2.2 is a typed answer
    assert child.terminal.shows(UNGP_QUESTIONS["2.2"].text)
    child.send(":q" + ENTER)
    assert finish(child) == 0


# ----------------------------------------------------------------------------- item 7


@pytest.mark.parametrize("where", ["text", "menu"])
def test_ctrl_d_saves_and_quits_with_the_resume_hint_and_exit_0(tmp_path, where):
    import_answers(tmp_path, "mini,sources-from-region,no,\n" + ("mini,policy,yes,\n" if where == "text" else ""))
    child = spawn(tmp_path, "assess", "-o", "acme.yaml")
    if where == "text":
        typed(child, "2.2")
        child.send(CTRL_U + CTRL_D)
    else:
        menu(child, "2.1")
        child.send(CTRL_D)
    child.expect_exact("Ctrl-D: saved in acme.yaml.")
    child.expect_exact(f"Continue with: ddcheck --checklists {GOOD} assess -o acme.yaml")
    assert "Aborted" not in child.before
    assert finish(child) == 0
    assert load_assessment(tmp_path / "acme.yaml").position["question"] == ("headcount" if where == "text" else "policy")


# ----------------------------------------------------------------------------- item 8


def test_counts_agree_the_empty_answer_message_says_question_mark_and_counts_are_whole(tmp_path):
    import_answers(tmp_path, "mini,sources-from-region,no,\nmini,policy,yes,\n")
    child = spawn(tmp_path, "assess", "-o", "acme.yaml")
    typed(child, "2.2")  # How many workers? (integer: true)
    child.send(ENTER)
    wait_shows(child, "no value given (type ? for don't know")
    child.send("12.5" + ENTER)
    wait_shows(child, "12.5 is not a whole number")
    child.send(CTRL_U + "12" + ENTER)
    note(child)
    child.send(":r" + ENTER)
    child.expect(r"Review · \d+/\d+ answered · (\d+) gap\(s\) · (\d+) still to ask")
    gaps, pending = child.match.group(1), child.match.group(2)
    child.expect_exact(f"Continue with the {pending} question(s) still to ask")
    child.expect_exact("Enter change the answer")
    child.send("f")
    child.expect(r"(\d+) question\(s\) still to ask or skipped; the report will count (\d+) gap\(s\)")
    assert child.match.group(1) == pending and child.match.group(2) == gaps
    child.send("y" + ENTER)
    child.expect_exact("Finished.")
    child.expect(r"(\d+) gap\(s\) left")
    assert child.match.group(1) == gaps
    assert finish(child) == 0
    assert load_assessment(tmp_path / "acme.yaml").answer("mini", "headcount").value == 12.0


# ----------------------------------------------------------------------------- item 9


def changed_mini(tmp_path: Path) -> Path:
    lists = tmp_path / "lists"
    lists.mkdir()
    shutil.copy(GOOD / "mini.yaml", lists / "mini.yaml")
    import_answers(tmp_path, "mini,sources-from-region,no,\nmini,policy,yes,\nmini,headcount,12,\n", checklists=lists)
    text = (lists / "mini.yaml").read_text(encoding="utf-8")
    text = text.replace("version: 1.0.0", "version: 1.1.0")
    text = text.replace("text: Do you have a policy?", "text: Do you have a published policy?")
    text = text.replace('{value: partial, label: Partly, risk: 2}', '{value: partial, label: "In part", risk: 2}')
    (lists / "mini.yaml").write_text(text, encoding="utf-8")
    return lists


def test_a_changed_checklist_is_reported_by_number_and_wording_and_confirmed_first(tmp_path):
    lists = changed_mini(tmp_path)
    child = spawn(tmp_path, "assess", "-o", "acme.yaml", checklists=lists)
    child.expect_exact("Checklist 'mini' changed since it was answered (v1.0.0 -> v1.1.0):")
    child.expect_exact("changed 2.1: “Do you have a policy?” → “Do you have a published policy?”; confirm the "
                       "answer 'Yes' (asked first)")
    menu(child, "2.1")  # first, before the open questions (2.3 comes after 2.2 in order)
    before = child.before
    assert "mapped" not in before and "changed 1.2" not in before  # relabelled scale, unanswered: not listed
    assert child.terminal.shows("This question changed since it was answered. Earlier answer: Yes")
    child.send(ENTER)  # confirm "Yes"
    note(child)
    child.send(ENTER)
    evidence(child)
    child.send(ENTER)
    typed(child, "2.3")
    child.send(":q" + ENTER)
    assert finish(child) == 0
    policy = load_assessment(tmp_path / "acme.yaml").answer("mini", "policy")
    assert policy.value == "yes" and policy.history == []
    assert policy.confirmed_at is not None and policy.confirmed_by == "Jane"

    child = spawn(tmp_path, "assess", "-o", "acme.yaml", checklists=lists)  # everything confirmed: no notice
    typed(child, "2.3")
    assert "changed" not in child.before
    child.send(CTRL_C)
    assert finish(child) == 130


# ----------------------------------------------------------------------------- the end of a sitting


def test_the_sitting_ends_with_a_summary_and_the_commands_to_continue_and_to_report(tmp_path):
    child = spawn(tmp_path, "assess", "mini", "-o", "acme.yaml", *META)
    menu(child, "1.1")
    child.send("?")  # one key for "don't know"
    note(child)
    child.send(ENTER)
    evidence(child)
    child.send(ENTER)
    menu(child, "1.2")
    child.send("3")  # No
    note(child)
    child.send(":q" + ENTER)
    child.expect(r"This sitting: 2 answered · 2/6 answered in all · (\d+) gap\(s\) left · 1 red flag\(s\)")
    child.expect_exact("red flag 1.1 (raised now) (don't know): Do any of your products contain")
    child.expect_exact(f"Continue with: ddcheck --checklists {GOOD} assess -o acme.yaml")
    child.expect_exact(f"Report with:   ddcheck --checklists {GOOD} report acme.yaml -o acme-report.pdf")
    assert finish(child) == 0
    assert load_assessment(tmp_path / "acme.yaml").values("mini") == {"sources-from-region": "unknown",
                                                                      "mapped": "no"}


# ----------------------------------------------------------------------------- shared questions


def test_a_shared_question_is_asked_once_per_assessment_and_listed_once_in_the_review(tmp_path):
    from test_shared_questions import HOME, USER

    lists = tmp_path / "lists"
    lists.mkdir()
    (lists / "alpha.yaml").write_text(HOME, encoding="utf-8")
    (lists / "beta.yaml").write_text(USER, encoding="utf-8")
    child = spawn(tmp_path, "assess", "beta", "alpha", "-o", "acme.yaml", *META, checklists=lists)
    menu(child, "1.1")  # beta 1.1: sources from the region?
    child.send("1")  # Yes: the shared policy question applies in beta
    note(child)
    child.send(ENTER)
    evidence(child)
    child.send(ENTER)
    menu(child, "1.2")  # the shared question, asked through beta (its first user in this assessment)
    assert child.terminal.shows("Does your organisation have a human-rights policy?")
    child.send("2")  # No
    note(child)
    child.send(ENTER)
    evidence(child)
    child.send(ENTER)
    child.expect_exact("Review:")  # alpha's only question is the same one: nothing left to ask
    child.expect_exact("Enter change the answer")
    settle(child)
    listed = [line for line in child.terminal.lines if "human-rights policy?  →" in line]
    assert len(listed) == 1 and listed[0].rstrip().endswith("→  No")
    child.send("f")
    child.expect_exact("Finished.")
    child.expect_exact("· 1 red flag(s)")  # one answer, one red flag, though both checklists count it
    child.expect_exact("red flag beta 1.2 (raised now): Does your organisation have a human-rights")
    assert finish(child) == 0
    assert "red flag alpha" not in child.before
    a = load_assessment(tmp_path / "acme.yaml")
    assert a.answers["alpha"]["policy"].value == "no" and "policy" not in a.answers.get("beta", {})


# ----------------------------------------------------------------------------- the risk model's N/A rule


RISKY = """\
id: risky
title: Exposure and controls
version: 1.0.0
summary: An exposure gate, a control it gates, and a control that may not apply.
scales:
  region_link:
    - {value: "no", label: "No link to the region", exposure: none}
    - {value: "yes", label: "Operations in the region", exposure: severe}
    - {value: unknown, label: "Don't know"}
  assurance:
    - {value: "yes", label: "Yes", risk: 0}
    - {value: "no", label: "No", risk: 3}
    - {value: unknown, label: "Don't know", risk: 3}
    - {value: na, label: "Not applicable"}
sections:
  - id: s
    title: Region
    questions:
      - id: region-link
        text: Does the company have operations in the region?
        role: exposure
        scale: region_link
        guidance: Any tier.
        cite:
          - {source: cheng-soe-csr, quote: "occupational safety", locator: para. 7}
      - id: audit-access
        text: Can auditors visit the sites in the region unannounced?
        scale: assurance
        when: {question: region-link, in: ["yes", unknown]}
        guidance: Unannounced visits.
        actions: {"no": "Negotiate access.", unknown: "Find out."}
        cite:
          - {source: cheng-soe-csr, quote: "occupational safety", locator: para. 7}
      - id: policy
        text: Is there a written human-rights policy?
        scale: assurance
        guidance: A policy.
        actions: {"no": "Write one.", unknown: "Find out."}
        cite:
          - {source: cheng-soe-csr, quote: "occupational safety", locator: para. 7}
"""


def test_not_applicable_is_refused_against_an_exposure_answer_and_otherwise_needs_a_note(tmp_path):
    lists = tmp_path / "lists"
    lists.mkdir()
    (lists / "risky.yaml").write_text(RISKY, encoding="utf-8")
    child = spawn(tmp_path, "assess", "risky", "-o", "acme.yaml", *META, checklists=lists)
    menu(child, "1.1")
    child.send("2")  # Operations in the region
    note(child)
    child.send(ENTER)
    evidence(child)
    child.send(ENTER)
    menu(child, "1.2")
    child.send("4")  # Not applicable, while the region answer says the sites exist
    wait_shows(child, "! Not accepted: 'audit-access' is answered \"Not applicable\", but it is asked because "
                      "'region-link' is answered \"Operations in the region\"")
    menu(child, "1.2")  # asked again; nothing was recorded
    assert "audit-access" not in load_assessment(tmp_path / "acme.yaml").values("risky")
    child.send("2")  # No
    note(child)
    child.send(ENTER)
    evidence(child)
    child.send(ENTER)
    menu(child, "1.3")
    child.send("4")  # Not applicable: allowed here, with a note saying why
    child.expect_exact("Note (why it does not apply; required):")
    settle(child)
    child.send(ENTER)
    wait_shows(child, "'Not applicable' needs a note saying why it does not apply")
    child.send(":s" + ENTER)  # moving on without the justification is refused too
    wait_shows(child, "'Not applicable' needs a note saying why it does not apply")
    child.send(CTRL_U + "A holding company with no staff; the group policy applies" + ENTER)
    evidence(child)
    child.send(":q" + ENTER)
    assert finish(child) == 0
    a = load_assessment(tmp_path / "acme.yaml")
    assert a.values("risky") == {"region-link": "yes", "audit-access": "no", "policy": "na"}
    assert a.answer("risky", "policy").note == "A holding company with no staff; the group policy applies"


def test_at_80x24_every_prompt_of_a_whole_pass_has_its_question_on_screen(tmp_path):
    """Sections 3 to the end of the UNGP checklist, every answer, note and evidence prompt."""
    import_answers(tmp_path, UNGP_DONE_1_2, checklists=UNGP)
    child = spawn(tmp_path, "assess", "-o", "acme.yaml", checklists=UNGP)
    asked = []
    while child.expect([r"Answer to (\d+\.\d+):", "Review:"]) == 0:
        number = child.match.group(1)
        question = UNGP_QUESTIONS[number]
        asked.append(number)
        wait_shows(child, question.text)
        if UNGP_CHECKLIST.choices(question):
            child.expect_exact(MENU)
            settle(child)
            child.send("1")
        else:
            settle(child)
            child.send(CTRL_U + ("2024-01-01" if question.type.value == "date" else "Noted") + ENTER)
        note(child)
        wait_shows(child, question.text)
        child.send(ENTER)
        evidence(child)
        wait_shows(child, question.text)
        child.send(ENTER)
    assert asked[0] == "3.1" and asked[-1] == list(UNGP_QUESTIONS)[-1] and len(asked) >= 10
    child.expect_exact("Enter change the answer")
    child.send("q")
    assert finish(child) == 0
