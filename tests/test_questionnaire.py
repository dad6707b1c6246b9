"""The questionnaire loop, driven by a scripted Prompter: skip logic, navigation, autosave, Ctrl-C."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import GOOD
from prompter_support import CTRL_C, ENTER, ScriptedPrompter

from ddcheck.answers import progress
from ddcheck.answers.assessing import new_assessment
from ddcheck.answers.assessment import UNKNOWN, Meta, answer_with
from ddcheck.checklists.model import Checklist
from ddcheck.checklists.library import collect
from ddcheck.answers.questionnaire import Nav, Outcome, Questionnaire, QuestionnaireInterrupted
from ddcheck.resources import bundled

NO_NOTE = (ENTER, ENTER)  # the note and evidence prompts after each answer, left empty


@pytest.fixture(scope="module")
def library():
    lib, problems = collect(dirs=[bundled("checklists"), GOOD], paths=[GOOD / "mini.yaml"])
    assert not problems, problems
    return lib


@pytest.fixture
def mini(library) -> Checklist:
    return library.checklists["mini"].checklist


def fresh(checklist: Checklist):
    meta = Meta(organisation="Acme", subject="Supplier X", assessor="Jane", date=dt.date(2024, 5, 1))
    return new_assessment(meta, [checklist])


def run(checklist, library, *replies, assessment=None, by="Jane"):
    """Run one sitting; returns (outcome or the interrupt, assessment, prompter, saved copies)."""
    assessment = assessment or fresh(checklist)
    prompter = ScriptedPrompter(*replies)
    prompter.checklists = [checklist]
    saved = []
    q = Questionnaire(assessment, [checklist], prompter, save=lambda a: saved.append(a.model_copy(deep=True)),
                      answered_by=by, sources=library.sources, width=100)
    try:
        outcome = q.run()
    except QuestionnaireInterrupted as exc:
        outcome = exc
    return outcome, assessment, prompter, saved


def asked(prompter) -> list[str]:
    """The questions asked, in order, by their text (prompts say "Answer to 2.1:"), and other menus."""
    by_number = {f"{i.section_number}.{i.section.questions.index(i.question) + 1}": i.question.text
                 for checklist in prompter.checklists for i in progress.items([checklist])}
    out = []
    for kind, message in prompter.prompts:
        if kind == "confirm" or message.startswith(("Note", "Evidence")):
            continue
        if message.startswith("Answer to "):
            message = by_number[message.removeprefix("Answer to ").rstrip(":")]
        out.append(message)
    return out


def test_answers_every_type_skips_what_does_not_apply_and_saves_after_each_answer(mini, library):
    outcome, a, p, saved = run(
        mini, library,
        "no", "Cotton comes from elsewhere", "supplier-map.xlsx; https://example.org/audit",
        "yes", *NO_NOTE,
        "lots", "-3", "1200", *NO_NOTE,
        "All good", *NO_NOTE,
        "2024-13-01", "31/03/2024", "2024-03-31", *NO_NOTE,
        Nav.finish,
    )
    assert outcome is Outcome.finished
    values = a.values("mini")
    assert values == {"sources-from-region": "no", "policy": "yes", "headcount": 1200.0,
                      "notes": "All good", "audit-date": "2024-03-31"}
    assert "Have you mapped every tier?" not in asked(p)  # its `when` needs yes/unknown
    first = a.answer("mini", "sources-from-region")
    assert first.note == "Cotton comes from elsewhere"
    assert first.evidence == ["supplier-map.xlsx", "https://example.org/audit"]
    assert first.answered_by == "Jane" and first.history == []
    assert p.errors == [
        "'lots' is not a number (write digits, e.g. 1200 or 2.5)",
        "-3 is below the smallest accepted value, 0",
        "'2024-13-01' is not a day of the calendar (check month and day)",
        "'31/03/2024' is not a date; write it as YYYY-MM-DD, e.g. 2024-03-31",
    ]
    # every answer reached the file before the next question was shown
    answered_counts = [len(s.answers.get("mini", {})) for s in saved]
    assert answered_counts[:2] == [1, 1] and max(answered_counts) == 5
    assert saved[-1].position is None


def test_the_screen_shows_section_progress_guidance_evidence_and_citation(mini, library):
    _, _, p, _ = run(mini, library, Nav.quit)
    screen = p.screen
    assert "Exposure" in screen
    # an unanswered gate reads as "don't know", so "mapped" (asked on yes/don't know) is in scope until
    # 1.1 rules it out: 2 in this section, 6 overall
    assert "── Exposure (1/2) · 0/2 here · 0/6 overall ──" in screen
    assert "Do any of your products contain inputs from the region?" in screen
    assert "Guidance: Trace to raw material." in screen
    assert "Evidence asked for: supplier map" in screen
    assert "para. 9" in screen and "“whether products are being made using forced labor”" in screen
    source_title = library.sources["foreign-firms-xinjiang"].title
    assert source_title.split()[0] in screen
    assert p.options[0] == ["no", "yes", "unknown"]  # navigation is keys, not menu entries
    assert "1-3 pick · ? don't know · i details · b back · s skip" in p.hints[0]
    # the question is the last thing above the prompt, after guidance and sources (which fit here)
    assert screen.rstrip().endswith("1.1  Do any of your products contain inputs from the region?")


def test_back_changes_an_answer_keeps_history_and_asks_what_became_relevant(mini, library):
    outcome, a, p, _ = run(
        mini, library,
        "no", *NO_NOTE,
        Nav.back,  # at "policy": back to the first question
        "yes", ENTER, ENTER,  # change the answer; note and evidence unchanged
        "partial", *NO_NOTE,  # "mapped" now applies and is asked next
        Nav.quit,
    )
    assert outcome is Outcome.quit
    first = a.answer("mini", "sources-from-region")
    assert first.value == "yes"
    assert [h.value for h in first.history] == ["no"]
    assert asked(p)[:4] == ["Do any of your products contain inputs from the region?", "Do you have a policy?",
                            "Do any of your products contain inputs from the region?", "Have you mapped every tier?"]
    assert p.defaults[p.prompts.index(("select", "Answer to 1.1:"), 1)] == "no"  # preselected when going back
    assert a.values("mini")["mapped"] == "partial"
    assert a.position == {"checklist": "mini", "question": "policy"}


def test_skip_leaves_a_gap_and_moves_on(mini, library):
    _, a, p, saved = run(mini, library, "no", *NO_NOTE, Nav.skip, ":q")
    assert a.skipped == {"mini": ["policy"]}
    assert "policy" not in a.values("mini")
    assert asked(p)[-1] == "How many workers?"
    assert saved[-1].skipped == {"mini": ["policy"]}
    found = progress.states(progress.items([mini]), a)
    assert found["mini", "policy"] is progress.State.skipped


def test_typed_commands_navigate_from_a_text_prompt(mini, library):
    _, a, p, _ = run(mini, library, "no", *NO_NOTE, "yes", *NO_NOTE, ":b", ENTER, *NO_NOTE, ":q")
    assert asked(p) == ["Do any of your products contain inputs from the region?", "Do you have a policy?",
                        "How many workers?", "Do you have a policy?", "How many workers?"]
    assert "headcount" not in a.values("mini")
    assert ":b back" in p.hints[-1] and ":q save & quit" in p.hints[-1]


def test_question_mark_means_dont_know_in_typed_answers(mini, library):
    _, a, _, _ = run(mini, library, "no", *NO_NOTE, "yes", *NO_NOTE, "?", *NO_NOTE, ":q")
    assert a.values("mini")["headcount"] == UNKNOWN
    found = progress.states(progress.items([mini]), a)
    assert found["mini", "headcount"] is progress.State.unknown


def test_ctrl_c_saves_the_answers_so_far_and_where_it_stopped(mini, library):
    outcome, a, _, saved = run(mini, library, "yes", "noted", ENTER, CTRL_C)
    assert isinstance(outcome, QuestionnaireInterrupted)
    assert outcome.assessment is a
    assert saved[-1].values("mini") == {"sources-from-region": "yes"}
    assert saved[-1].answer("mini", "sources-from-region").note == "noted"
    assert saved[-1].position == {"checklist": "mini", "question": "mapped"}


def test_ctrl_c_in_the_note_prompt_keeps_the_chosen_value(mini, library):
    outcome, _, _, saved = run(mini, library, "yes", CTRL_C)
    assert isinstance(outcome, QuestionnaireInterrupted)
    assert saved[-1].values("mini") == {"sources-from-region": "yes"}


def test_resume_starts_at_the_first_unanswered_question(mini, library):
    _, a, _, _ = run(mini, library, "no", *NO_NOTE, "yes", *NO_NOTE, CTRL_C)
    _, a, p, _ = run(mini, library, "12", *NO_NOTE, ":q", assessment=a, by="Omar")
    assert asked(p)[0] == "How many workers?"
    assert a.answer("mini", "headcount").answered_by == "Omar"
    assert a.answer("mini", "policy").answered_by == "Jane"


def test_jump_to_a_section_then_cancel_a_jump(mini, library):
    _, _, p, _ = run(mini, library, Nav.jump, ("mini", "other"), Nav.jump, Nav.back, Nav.quit)
    assert asked(p) == ["Do any of your products contain inputs from the region?", "Jump to which section?",
                        "Do you have a policy?", "Jump to which section?", "Do you have a policy?"]
    jump_menu = p.options[1]
    assert ("mini", "exposure") in jump_menu and ("mini", "other") in jump_menu


def test_review_lists_answers_and_gaps_and_lets_any_answer_change(mini, library):
    a = fresh(mini)
    for qid, value in (("sources-from-region", "no"), ("policy", "yes"), ("headcount", 5.0),
                       ("notes", "x"), ("audit-date", "2024-01-01")):
        a.set_answer("mini", qid, answer_with(None, value, None, [], by="Jane"))
    index_of_policy = progress.index_of(progress.items([mini]), "mini", "policy")
    outcome, a, p, _ = run(mini, library, index_of_policy, "no", *NO_NOTE, Nav.finish, assessment=a)
    assert outcome is Outcome.finished
    assert p.prompts[0][1].startswith("Review")  # nothing pending: straight to the review
    assert "Review · 5/5 answered · 0 gap(s)" in p.screen
    assert a.answer("mini", "policy").value == "no"
    assert a.answer("mini", "policy").history[0].value == "yes"


def test_finishing_with_gaps_asks_for_confirmation(mini, library):
    outcome, a, p, _ = run(mini, library, Nav.review, Nav.finish, False, Nav.finish, True)
    assert outcome is Outcome.finished
    confirms = [m for kind, m in p.prompts if kind == "confirm"]
    assert len(confirms) == 2 and "the report will count 3 gap(s)" in confirms[0]  # 1.1, 1.2 (its gate unknown) and 2.1
    assert p.options[1][-3:] == [Nav.resume, Nav.finish, Nav.quit]


def test_back_on_the_first_question_says_so(mini, library):
    _, _, p, _ = run(mini, library, Nav.back, Nav.quit)
    assert "This is the first question" in p.screen


def test_a_changed_question_is_asked_again_with_the_earlier_answer_preselected(mini, library):
    a = fresh(mini)
    a.set_answer("mini", "sources-from-region", answer_with(None, "no", None, [], by="Jane"))
    ref = a.checklists[0]
    a.checklists = [ref.model_copy(update={"questions": {**ref.questions, "sources-from-region": "old-wording"}})]
    _, a, p, _ = run(mini, library, ENTER, *NO_NOTE, Nav.quit, assessment=a)
    assert asked(p)[0] == "Do any of your products contain inputs from the region?"
    assert p.defaults[0] == "no"
    assert "changed since it was answered" in p.screen
    assert a.checklists[0].questions["sources-from-region"] != "old-wording"  # confirmed now
    assert a.answer("mini", "sources-from-region").history == []  # same value: nothing to audit


MULTI = {
    "id": "multi", "title": "Multi", "version": "1.0.0", "summary": "A multi-choice question.",
    "scales": {"inputs": [{"value": "cotton", "label": "Cotton", "risk": 3},
                          {"value": "pvc", "label": "PVC", "risk": 3},
                          {"value": "unknown", "label": "Don't know", "risk": 3}]},
    "sections": [{"id": "s", "title": "Inputs", "questions": [
        {"id": "which", "text": "Which inputs?", "type": "multi", "scale": "inputs", "guidance": "List them.",
         "actions": {"cotton": "a", "pvc": "b", "unknown": "c"},
         "cite": [{"source": "x", "quote": "a quote of some length", "locator": "p. 1"}]}]}],
}


def test_multi_choice_takes_several_values_and_navigates_by_key(library):
    checklist = Checklist.model_validate(MULTI)
    _, a, p, _ = run(checklist, library, [], ["cotton", "pvc"], *NO_NOTE, "key:q")
    assert a.values("multi") == {"which": ["cotton", "pvc"]}
    assert p.errors == ["Tick at least one answer (its number or Space), or press ? for don't know"]
    _, a, p, _ = run(checklist, library, "key:b", "key:q")  # a navigation key acts at once
    assert asked(p) == ["Which inputs?"] * 2 and "This is the first question" in p.screen


def test_skipping_the_last_question_to_confirm_goes_to_the_review_instead_of_repeating_it(mini, library):
    a = fresh(mini)
    for qid, value in (("sources-from-region", "no"), ("policy", "yes"), ("headcount", 5.0),
                       ("notes", "x"), ("audit-date", "2024-01-01")):
        a.set_answer("mini", qid, answer_with(None, value, None, [], by="Jane"))
    ref = a.checklists[0]
    a.checklists = [ref.model_copy(update={"questions": {**ref.questions, "policy": "old-wording"}})]
    outcome, a, p, _ = run(mini, library, Nav.skip, Nav.quit, assessment=a)
    assert outcome is Outcome.quit
    assert asked(p) == ["Do you have a policy?", "Review: choose an answer to change it, or finish"]
    assert a.answer("mini", "policy").value == "yes"  # skipping keeps the answer
    assert "1 to confirm" in p.screen


def test_enter_on_a_number_default_keeps_a_large_number_exactly(mini, library):
    """The default used to be formatted with ':g' (1.23457e+06), so Enter stored 1234570."""
    from ddcheck.answers.questionnaire import Questionnaire as Q

    a = fresh(mini)
    a.set_answer("mini", "headcount", answer_with(None, 1234567.0, None, [], by="Jane"))
    p = ScriptedPrompter(ENTER, *NO_NOTE)
    q = Q(a, [mini], p, save=lambda _: None, answered_by="Jane")
    q.ask(progress.index_of(q.items, "mini", "headcount"))
    assert p.defaults[0] == "1234567"
    kept = a.answer("mini", "headcount")
    assert kept.value == 1234567 and kept.history == []


@pytest.mark.parametrize("raw, default, nav", [
    (":s", "", Nav.skip), (" :Q ", "", Nav.quit), ("300:s", "300", Nav.skip), ("300 :b", "300", Nav.back),
    ("301:s", "300", None),  # edited: a value, not a command (and refused as a number)
    ("see minutes:i", "", None), ("12", "", None), (":x", "", None),
])
def test_a_typed_command_is_recognised_alone_or_after_the_untouched_prefilled_answer(raw, default, nav):
    from ddcheck.answers.questionnaire import typed_command

    assert typed_command(raw, default) is nav


def test_changed_questions_are_asked_before_the_open_ones_and_confirming_is_stamped(mini, library):
    a = fresh(mini)
    a.set_answer("mini", "sources-from-region", answer_with(None, "no", None, [], by="Jane"))
    a.set_answer("mini", "audit-date", answer_with(None, "2024-01-01", None, [], by="Jane"))
    ref = a.checklists[0]
    a.checklists = [ref.model_copy(update={"questions": {**ref.questions, "audit-date": "old-wording"}})]
    a.position = {"checklist": "mini", "question": "policy"}
    _, a, p, _ = run(mini, library, ENTER, *NO_NOTE, Nav.quit, assessment=a, by="Omar")
    assert asked(p)[:2] == ["When was the last audit?", "Do you have a policy?"]
    confirmed = a.answer("mini", "audit-date")
    assert confirmed.history == [] and confirmed.confirmed_by == "Omar" and confirmed.confirmed_at is not None


def test_a_long_menu_scrolls_inside_its_window_around_the_pointer():
    from ddcheck.answers.menu import visible_rows

    assert visible_rows(5, 0, 10) == range(0, 5)
    assert visible_rows(60, 0, 10) == range(0, 10)
    assert visible_rows(60, 30, 10) == range(25, 35)
    assert visible_rows(60, 59, 10) == range(50, 60)


def test_skipping_a_question_to_confirm_does_not_bring_it_back_after_the_next_answer(mini, library):
    a = fresh(mini)
    for qid, value in (("sources-from-region", "no"), ("policy", "yes"), ("audit-date", "2024-01-01")):
        a.set_answer("mini", qid, answer_with(None, value, None, [], by="Jane"))
    ref = a.checklists[0]
    a.checklists = [ref.model_copy(update={"questions": {**ref.questions, "policy": "old", "audit-date": "old"}})]
    outcome, a, p, _ = run(mini, library, Nav.skip, ENTER, *NO_NOTE, "12", *NO_NOTE, "x", *NO_NOTE, Nav.quit,
                           assessment=a)
    assert asked(p) == ["Do you have a policy?", "When was the last audit?", "How many workers?", "Anything else?",
                        "Review: choose an answer to change it, or finish"]


def test_a_pasted_page_as_note_evidence_or_text_answer_is_refused_at_the_prompt_not_a_traceback(mini, library):
    """The file holds at most 20,000 characters a note and 500 an evidence item; beyond, saving raised."""
    page = "x" * 25_000
    outcome, _, prompter, saved = run(mini, library, "yes", page, "short note", "y" * 600, "report.pdf", CTRL_C)
    assert isinstance(outcome, QuestionnaireInterrupted)
    assert prompter.errors == ["the note is longer than 20,000 characters; shorten it, or attach a document",
                               "the evidence item 1 is longer than 500 characters; shorten it, or attach a document"]
    answer = saved[-1].answer("mini", "sources-from-region")
    assert (answer.note, answer.evidence) == ("short note", ["report.pdf"])
