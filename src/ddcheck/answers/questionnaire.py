"""The interactive questionnaire: ask, record, autosave, navigate — behind a small Prompter.

The loop never touches the terminal itself. It talks to a ``Prompter`` (show / select / checkbox
/ text / confirm), so unit tests drive it with a scripted prompter and the CLI hands it the
questionary one (``prompting.py``). What to ask next, what is relevant and how far along the
analyst is are pure functions in ``progress.py``; this module only sequences them.

Nothing typed is ever lost: every confirmed answer is saved at once through the ``save``
callback (an atomic write, see ``assessment.save_assessment``), and Ctrl-C — a
``KeyboardInterrupt`` from any prompt — saves once more and leaves as ``QuestionnaireInterrupted``,
which carries the assessment, in the manner of copier's ``CopierAnswersInterrupt``.
"""

from __future__ import annotations

import shutil
import textwrap
from dataclasses import dataclass
from enum import Enum
from typing import Any, Callable, Collection, Mapping, Protocol, Sequence

from . import progress
from .values import InvalidValue, display_value, format_number, is_unknown, parse_value, split_list
from .assessment import UNKNOWN, Assessment, AnswerValue, answer_with
from .changes import confirmed_everywhere
from ..checklists.model import Checklist, QuestionType, Source
from .progress import Item, Standing, State

# ----------------------------------------------------------------------------- the Prompter


@dataclass(frozen=True)
class Option:
    """One menu entry. A ``separator`` is a heading line that cannot be chosen."""

    title: str
    value: Any = None
    separator: bool = False


TextCheck = Callable[[str], "str | None"]  # None when the input is acceptable, else what is wrong
ListCheck = Callable[[list[Any]], "str | None"]


class Prompter(Protocol):
    """Everything the questionnaire needs from a terminal. Each prompt raises KeyboardInterrupt on Ctrl-C."""

    def show(self, text: str) -> None:
        """Print a block of text (the question screen, a notice)."""

    def select(self, message: str, options: Sequence[Option], default: Any = None,
               instruction: str = "") -> Any:
        """One entry from a menu; returns its ``value``."""

    def checkbox(self, message: str, options: Sequence[Option], checked: Collection[Any] = (),
                 validate: ListCheck | None = None, instruction: str = "") -> list[Any]:
        """Several entries from a menu; returns their values. Re-asks while ``validate`` objects."""

    def text(self, message: str, default: str = "", validate: TextCheck | None = None,
             instruction: str = "") -> str:
        """A line of text. Re-asks while ``validate`` objects, showing its message."""

    def confirm(self, message: str, default: bool = True) -> bool:
        """Yes or no."""


# ----------------------------------------------------------------------------- navigation


class Nav(str, Enum):
    """Where the analyst asked to go instead of answering."""

    back = "back"
    skip = "skip"
    jump = "jump"
    review = "review"
    quit = "quit"
    finish = "finish"
    resume = "resume"


TYPED_COMMANDS = {":b": Nav.back, ":s": Nav.skip, ":j": Nav.jump, ":r": Nav.review, ":q": Nav.quit}
TEXT_KEYS = ("Type the answer and press Enter ('?' = don't know). Or type  :b back  ·  :s skip  ·  "
             ":j jump to a section  ·  :r review & finish  ·  :q save and quit.  Ctrl-C saves and quits.")
MENU_KEYS = ("Keys: ↑/↓ move, Enter choose. The entries under the line go back, skip, jump to a section, "
             "review & finish, or save and quit. Ctrl-C saves and quits.")
CHECKBOX_KEYS = ("Keys: ↑/↓ move, Space tick, Enter confirm. To navigate instead, tick one entry under the "
                 "line alone. Ctrl-C saves and quits.")


def nav_options(answered: bool) -> list[Option]:
    """The navigation entries under every menu question, spelled out."""
    skip = "Skip — keep the current answer" if answered else "Skip — leave unanswered (reported as a gap)"
    return [Option("─" * 30, separator=True),
            Option("« Back to the previous question", Nav.back),
            Option(skip, Nav.skip),
            Option("Jump to section…", Nav.jump),
            Option("Review answers & finish", Nav.review),
            Option("Save and quit", Nav.quit)]


# ----------------------------------------------------------------------------- outcomes


class Outcome(str, Enum):
    finished = "finished"  # the analyst chose "Finish" in the review
    quit = "quit"  # "Save and quit" or ':q'


class QuestionnaireInterrupted(Exception):
    """Ctrl-C: the answers so far are saved; carries the assessment for the resume message."""

    def __init__(self, assessment: Assessment):
        super().__init__("interrupted")
        self.assessment = assessment


@dataclass(frozen=True)
class _Answered:
    value: AnswerValue


# ----------------------------------------------------------------------------- rendering (pure)


def _wrap(text: str, indent: str = "", width: int = 100) -> str:
    return textwrap.fill(" ".join(str(text).split()), width=max(40, width), initial_indent=indent,
                         subsequent_indent=indent)


def number(item: Item) -> str:
    """``2.3``: section 2, question 3, as the screen, the review and the report show it."""
    return item.number


def prompt_message(item: Item) -> str:
    """The prompt's own line stays short (the full question is on the screen just above), so it
    never wraps on a narrow terminal and reads well in the scrollback: ``? Answer to 2.3: No``."""
    return f"Answer to {number(item)}:"


def progress_line(item: Item, all_items: Sequence[Item], found: Mapping[tuple[str, str], Standing]) -> str:
    """``Section 2/3 · 1/4 answered in this section · 5/12 overall``."""
    here = progress.section_counts(all_items, found, item.checklist.id, item.section.id)
    overall = progress.count(found.values())
    return (f"Section {item.section_number}/{len(item.checklist.sections)} · "
            f"{here.answered}/{here.relevant} answered in this section · "
            f"{overall.answered}/{overall.relevant} overall")


def render_question(item: Item, assessment: Assessment, all_items: Sequence[Item],
                    found: Mapping[tuple[str, str], Standing], sources: Mapping[str, Source],
                    width: int = 100) -> str:
    """The screen above a prompt: where we are, the question, guidance, evidence, citations."""
    q, cl = item.question, item.checklist
    several = len({i.checklist.id for i in all_items}) > 1
    head = f"{cl.title} › " if several else ""
    lines = ["", "─" * min(width, 100),
             f"{head}{item.section.title}",
             progress_line(item, all_items, found), "",
             _wrap(f"{number(item)}  {q.text}", "", width), "",
             _wrap(f"Guidance: {q.guidance}", "  ", width)]
    if q.evidence:
        lines.append(_wrap("Evidence asked for: " + "; ".join(q.evidence), "  ", width))
    for citation in q.cite:
        source = sources.get(citation.source)
        title = source.title if source else citation.source
        lines.append(_wrap(f"Source: {title}, {citation.locator}", "  ", width))
        lines.append(_wrap(citation.quoted, "    ", width))
    answer = assessment.answer_to(cl, q.id)
    standing = found.get(item.key)
    state = standing.state if standing else None
    if answer is not None and answer.value is not None:
        shown = display_value(cl, q, answer.value)
        if state is State.to_confirm:
            lines.append(f"  This question changed since it was answered. Earlier answer: {shown} "
                         "— confirm or change it.")
        else:
            lines.append(f"  Current answer: {shown}  (by {answer.answered_by}, {answer.answered_at:%Y-%m-%d})")
        if answer.note:
            lines.append(_wrap(f"Note: {answer.note}", "  ", width))
        if answer.evidence:
            lines.append(_wrap("Evidence: " + "; ".join(answer.evidence), "  ", width))
    elif state is State.skipped:
        lines.append("  Skipped earlier (a gap until answered).")
    return "\n".join(lines)


def text_check(checklist: Checklist, item: Item) -> TextCheck:
    """Validation for typed answers: navigation commands pass, anything else must parse."""

    def check(raw: str) -> str | None:
        if raw.strip().lower() in TYPED_COMMANDS:
            return None
        try:
            parse_value(checklist, item.question, raw)
        except InvalidValue as exc:
            return str(exc)
        return None

    return check


def multi_check(values: list[Any]) -> str | None:
    navs = [v for v in values if isinstance(v, Nav)]
    if navs and len(values) > 1:
        return "Tick answers, or one navigation entry alone"
    if not values:
        return "Tick at least one answer with Space (or Don't know), or one navigation entry"
    return None


# ----------------------------------------------------------------------------- the loop


class Questionnaire:
    """One sitting: asks pending questions in order, saving after every confirmed answer."""

    def __init__(self, assessment: Assessment, checklists: Sequence[Checklist], prompter: Prompter,
                 save: Callable[[Assessment], None], answered_by: str,
                 sources: Mapping[str, Source] | None = None, width: int | None = None):
        self.assessment = assessment
        self.checklists = list(checklists)
        self.items = progress.items(self.checklists)
        self.prompter = prompter
        self._save_to = save
        self.by = answered_by
        self.sources = dict(sources or {})
        self.width = width or min(100, shutil.get_terminal_size((100, 24)).columns - 1)

    # -- state

    def found(self) -> dict[tuple[str, str], State]:
        return progress.states(self.items, self.assessment)

    def standings(self) -> dict[tuple[str, str], Standing]:
        """States plus scoring's verdicts: what the counts on screen are made of."""
        return progress.standings(self.items, self.assessment)

    def save(self, at: int | None = None) -> None:
        if at is not None:
            self.assessment.position = {"checklist": self.items[at].checklist.id,
                                        "question": self.items[at].question.id}
        self._save_to(self.assessment)

    def start(self) -> int | None:
        """Where to begin: the first pending question at or after where the last sitting stopped."""
        found = self.found()
        pos = self.assessment.position or {}
        at = progress.index_of(self.items, pos.get("checklist", ""), pos.get("question", ""))
        return progress.next_pending(self.items, found, after=(at - 1) if at is not None else -1)

    # -- the sitting

    def run(self) -> Outcome:
        try:
            return self._run()
        except KeyboardInterrupt:
            self.save()
            raise QuestionnaireInterrupted(self.assessment) from None

    def _run(self) -> Outcome:
        cursor = self.start()
        reviewing = cursor is None
        while True:
            if reviewing:
                choice = self._review()
                if isinstance(choice, int):
                    result = self.ask(choice)
                    if result is Nav.quit:
                        self.save(choice)
                        return Outcome.quit
                    if result is Nav.jump:
                        target = self._jump()
                        if target is not None:
                            cursor, reviewing = target, False
                    continue
                if choice is Nav.quit:
                    self.save()
                    return Outcome.quit
                if choice is Nav.resume:
                    found = self.found()
                    cursor = progress.next_pending(self.items, found)
                    reviewing = cursor is None
                    continue
                if choice is Nav.finish and self._confirm_finish():
                    self.assessment.position = None
                    self.save()
                    return Outcome.finished
                continue

            assert cursor is not None
            result = self.ask(cursor)
            found = self.found()
            if isinstance(result, _Answered) or result is Nav.skip:
                nxt = progress.next_pending(self.items, found, after=cursor)
                if nxt is None or nxt == cursor:  # a skipped question still to confirm is not asked again now
                    reviewing = True
                else:
                    cursor = nxt
            elif result is Nav.back:
                prev = progress.previous_relevant(self.items, found, cursor)
                if prev is None:
                    self.prompter.show("This is the first question; there is nothing before it.")
                else:
                    cursor = prev
            elif result is Nav.jump:
                target = self._jump()
                if target is not None:
                    cursor = target
            elif result is Nav.review:
                self.save(cursor)
                reviewing = True
            elif result is Nav.quit:
                self.save(cursor)
                return Outcome.quit

    # -- one question

    def ask(self, index: int) -> _Answered | Nav:
        """Show one question, take an answer (or a navigation), then a note and evidence; save."""
        item = self.items[index]
        self.assessment.position = {"checklist": item.checklist.id, "question": item.question.id}  # for Ctrl-C
        self.prompter.show(render_question(item, self.assessment, self.items, self.standings(), self.sources,
                                           self.width))
        q, cl = item.question, item.checklist
        previous = self.assessment.answer_to(cl, q.id)
        current = previous.value if previous is not None else None
        answered = current is not None

        if q.type in (QuestionType.choice, QuestionType.yesno):
            self.prompter.show(_wrap(MENU_KEYS, "", self.width))
            options = [Option(c.label, c.value) for c in cl.choices(q)]
            values = [o.value for o in options]
            picked = self.prompter.select(prompt_message(item), options + nav_options(answered),
                                          default=current if current in values else None)
            if isinstance(picked, Nav):
                return self._navigated(picked, item, index)
            value: AnswerValue = picked
        elif q.type is QuestionType.multi:
            self.prompter.show(_wrap(CHECKBOX_KEYS, "", self.width))
            options = [Option(c.label, c.value) for c in cl.choices(q)]
            ticked = current if isinstance(current, list) else []
            picked_many = self.prompter.checkbox(prompt_message(item), options + nav_options(answered), checked=ticked,
                                                 validate=multi_check)
            navs = [v for v in picked_many if isinstance(v, Nav)]
            if navs:
                return self._navigated(navs[0], item, index)
            value = list(picked_many)
        else:
            self.prompter.show(_wrap(TEXT_KEYS, "", self.width) + self._bounds(item))
            default = display_value(cl, q, current) if current is not None and current != UNKNOWN else ""
            if current == UNKNOWN:
                default = "?"
            raw = self.prompter.text(prompt_message(item), default=default, validate=text_check(cl, item))
            command = TYPED_COMMANDS.get(raw.strip().lower())
            if command is not None:
                return self._navigated(command, item, index)
            value = UNKNOWN if is_unknown(raw) else parse_value(cl, q, raw)

        # The value is saved at once (a crash during the note prompt keeps it); the note and the
        # evidence then complete the same answer, so the history gets one entry, not two.
        note = previous.note if previous else None
        evidence = list(previous.evidence) if previous else []
        self._record(item, previous, value, note, evidence)
        self.save(index)
        note_in = self.prompter.text("Note (optional, Enter to skip):", default=note or "")
        evidence_in = self.prompter.text("Evidence (documents or links, ';' between them; Enter to skip):",
                                         default="; ".join(evidence))
        new_note = note_in.strip() or None
        new_evidence = split_list(evidence_in)
        if (new_note, new_evidence) != (note, evidence):
            self._record(item, previous, value, new_note, new_evidence)
            self.save(index)
        return _Answered(value)

    def _bounds(self, item: Item) -> str:
        q = item.question
        if q.type is QuestionType.date:
            return "\nWrite the date as YYYY-MM-DD."
        if q.type is QuestionType.number:
            if q.min is not None and q.max is not None:
                return f"\nA number from {format_number(q.min)} to {format_number(q.max)}."
            if q.min is not None:
                return f"\nA number, at least {format_number(q.min)}."
            if q.max is not None:
                return f"\nA number, at most {format_number(q.max)}."
        return ""

    def _record(self, item: Item, previous: Any, value: AnswerValue, note: str | None,
                evidence: list[str]) -> None:
        home, qid = item.key
        self.assessment.set_answer(home, qid, answer_with(previous, value, note, evidence, by=self.by))
        self.assessment.checklists = confirmed_everywhere(self.assessment.checklists, self.checklists, home, qid)

    def _navigated(self, nav: Nav, item: Item, index: int) -> Nav:
        if nav is Nav.skip:
            self.assessment.mark_skipped(*item.key)
            self.save(index)
        return nav

    # -- menus

    def _jump(self) -> int | None:
        """Pick a section; land on its first pending question, else its first relevant one."""
        standings = self.standings()
        found = {key: s.state for key, s in standings.items()}
        options: list[Option] = []
        several = len(self.checklists) > 1
        for checklist in self.checklists:
            if several:
                options.append(Option(f"── {checklist.title}", separator=True))
            for s_i, section in enumerate(checklist.sections, start=1):
                c = progress.section_counts(self.items, standings, checklist.id, section.id)
                options.append(Option(f"{s_i}. {section.title} — {c.answered}/{c.relevant} answered",
                                      (checklist.id, section.id)))
        options += [Option("─" * 30, separator=True), Option("« Cancel", Nav.back)]
        picked = self.prompter.select("Jump to which section?", options, instruction="(↑/↓ move, Enter choose)")
        if isinstance(picked, Nav):
            return None
        in_section = [i for i, it in enumerate(self.items) if (it.checklist.id, it.section.id) == picked]
        pending = [i for i in in_section if found[self.items[i].key] in progress.PENDING]
        relevant = [i for i in in_section if found[self.items[i].key] is not State.out_of_scope]
        if pending or relevant:
            return (pending or relevant)[0]
        self.prompter.show("Nothing to ask in that section: its questions do not apply given the answers so far.")
        return None

    def _review(self) -> int | Nav:
        """All relevant questions with their answers; pick one to change it, or finish."""
        standings = self.standings()
        found = {key: s.state for key, s in standings.items()}
        counts = progress.count(standings.values())
        self.prompter.show(self._review_header(counts))
        options: list[Option] = []
        last_section = None
        for i, item in enumerate(self.items):
            state = found[item.key]
            if state is State.out_of_scope:
                continue
            if (item.checklist.id, item.section.id) != last_section:
                last_section = (item.checklist.id, item.section.id)
                options.append(Option(f"── {item.section.title}", separator=True))
            options.append(Option(self._review_title(item, state), i))
        options.append(Option("─" * 30, separator=True))
        pending = sum(1 for s in found.values() if s in progress.PENDING)
        if pending:
            options.append(Option(f"Continue with the questions not answered yet ({pending})", Nav.resume))
        options += [Option("✔ Finish", Nav.finish), Option("Save and quit", Nav.quit)]
        return self.prompter.select("Review: choose an answer to change it, or finish",
                                    options, default=Nav.resume if pending else Nav.finish,
                                    instruction="(↑/↓ move, Enter choose)")

    def _review_header(self, counts: progress.Counts) -> str:
        lines = ["", "─" * min(self.width, 100),
                 f"Review · {counts.answered}/{counts.relevant} answered · {counts.gaps} gap(s)"
                 + (f" · {counts.to_confirm} to confirm" if counts.to_confirm else "")]
        known = {i.key for i in self.items}
        kept = [(cid, qid) for cid, answers in self.assessment.answers.items() for qid in answers
                if (cid, qid) not in known and cid in {c.id for c in self.checklists} | {k[0] for k in known}]
        if kept:
            lines.append("Kept answers to questions no longer in the checklist (not counted): "
                         + ", ".join(f"{cid}/{qid}" for cid, qid in kept))
        return "\n".join(lines)

    def _review_title(self, item: Item, state: State) -> str:
        text = item.question.text if len(item.question.text) <= 60 else item.question.text[:59] + "…"
        answer = self.assessment.answer_to(item.checklist, item.question.id)
        gap = " — a gap" if item.question.scored else ""  # text, number and date are never gaps
        if state is State.skipped:
            shown = f"(skipped{gap})"
        elif state is State.unanswered:
            shown = f"(not answered{gap})"
        else:
            shown = display_value(item.checklist, item.question, answer.value if answer else None)
            if state is State.to_confirm:
                shown += "  (changed question — confirm)"
        return f"{number(item)}  {text}  →  {shown}"

    def _confirm_finish(self) -> bool:
        found = self.found().values()
        open_ = sum(s in (State.skipped, State.unanswered, State.to_confirm) for s in found)
        if not open_:
            return True
        return self.prompter.confirm(f"{open_} question(s) are not answered or confirmed; the scored ones will be "
                                     "reported as gaps. Finish anyway?", default=False)
