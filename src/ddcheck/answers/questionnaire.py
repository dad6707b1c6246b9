"""The interactive questionnaire: ask, record, autosave, navigate — behind a small Prompter.

The loop never touches the terminal itself. It talks to a ``Prompter`` (show / select / checkbox
/ text / confirm), so unit tests drive it with a scripted prompter and the CLI hands it the
terminal one (``prompting.py``). What to ask next and how far along the analyst is are pure
functions in ``progress.py``; what the screen says is in ``screen.py``; this module sequences them.

Nothing typed is ever lost: every confirmed input — the answer, then the note, then the evidence —
is saved at once through the ``save`` callback (an atomic write, ``assessment.save_assessment``)
before the next prompt appears. Ctrl-C (``KeyboardInterrupt``) saves once more and leaves as
``QuestionnaireInterrupted``; Ctrl-D (``EOFError``) saves and ends the sitting like "save and quit".

Navigation is the same in every prompt: in menus one key (``b`` back, ``s`` skip, ``j`` jump,
``r`` review, ``q`` quit, ``i`` details, ``?`` don't know, ``1``-``9`` an answer); in typed
prompts — the answer, the note, the evidence — the same letters after a colon (``:b``...).
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Callable, Collection, Mapping, Protocol, Sequence

from . import progress, screen
from .assessment import UNKNOWN, Answer, Assessment, AnswerValue, answer_with, beyond_bounds
from .changes import confirmed_everywhere
from .progress import Item, Standing, State
from .scope import GAP_NA_CONTRADICTS, condition_values, is_not_applicable, na_problem
from .values import InvalidValue, display_value, format_number, is_unknown, parse_value, split_list
from ..checklists.model import Checklist, QuestionType, Source

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
    """Everything the questionnaire needs from a terminal.

    Each prompt raises KeyboardInterrupt on Ctrl-C and EOFError on Ctrl-D. ``keys`` maps single
    keys to values returned at once (a checkbox returns ``[value]``); ``keep`` is how many lines
    printed just above the prompt must stay on screen (a long menu scrolls inside itself instead).
    """

    def show(self, text: str) -> None:
        """Print a block of text (the question screen, a notice)."""

    def select(self, message: str, options: Sequence[Option], default: Any = None, *,
               keys: Mapping[str, Any] | None = None, numbered: bool = True, hint: str = "",
               keep: int = 0) -> Any:
        """One entry from a menu (or a key's value); returns its ``value``."""

    def checkbox(self, message: str, options: Sequence[Option], checked: Collection[Any] = (), *,
                 validate: ListCheck | None = None, keys: Mapping[str, Any] | None = None,
                 hint: str = "", keep: int = 0) -> list[Any]:
        """Several entries from a menu; returns their values. Stays while ``validate`` objects."""

    def text(self, message: str, default: str = "", validate: TextCheck | None = None, *,
             hint: str = "") -> str:
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
    info = "info"  # show the guidance, evidence asked for and sources, then ask again
    finish = "finish"
    resume = "resume"


NAV_KEYS = {"b": Nav.back, "s": Nav.skip, "j": Nav.jump, "r": Nav.review, "q": Nav.quit, "i": Nav.info}
TYPED_COMMANDS = {f":{key}": nav for key, nav in NAV_KEYS.items()}
NAV_HINT = ["i details", "b back", "s skip", "j jump", "r review", "q save & quit"]
TYPED_HINT = [":i details", ":b back", ":s skip", ":j jump", ":r review", ":q save & quit"]
_COMMAND_AT_END = re.compile(r"(:[bsjrqi])\s*$", re.IGNORECASE)


def typed_command(raw: str, default: str = "") -> Nav | None:
    """The navigation typed in a text prompt: ``:s`` alone, or after the untouched pre-filled answer
    (``5:s`` when the field held ``5``: the analyst typed the command without clearing the field)."""
    text = raw.strip()
    found = _COMMAND_AT_END.search(text)
    if found is None:
        return None
    before = text[:found.start()].strip()
    if before and before != default.strip():
        return None
    return TYPED_COMMANDS[found.group(1).lower()]


# ----------------------------------------------------------------------------- outcomes


class Outcome(str, Enum):
    finished = "finished"  # the analyst chose "Finish" in the review
    quit = "quit"  # "Save and quit", 'q' or ':q'
    ended = "ended"  # Ctrl-D: saved, like quit


class QuestionnaireInterrupted(Exception):
    """Ctrl-C: the answers so far are saved; carries the assessment for the resume message."""

    def __init__(self, assessment: Assessment):
        super().__init__("interrupted")
        self.assessment = assessment


@dataclass(frozen=True)
class _Answered:
    value: AnswerValue


@dataclass
class Sitting:
    """What this sitting did, for the summary at the end."""

    answered: set[tuple[str, str]] = field(default_factory=set)  # keys answered or confirmed now


def text_check(checklist: Checklist, item: Item, default: str = "") -> TextCheck:
    """Validation for typed answers: navigation commands pass, anything else must parse."""

    def check(raw: str) -> str | None:
        if typed_command(raw, default) is not None:
            return None
        if not raw.strip():
            return "no value given (type ? for don't know, :s to skip)"
        try:
            value = parse_value(checklist, item.question, raw)
        except InvalidValue as exc:
            return str(exc)
        return _too_long(value, None, [])

    return check


def _too_long(value: AnswerValue, note: str | None, evidence: list[str]) -> str | None:
    """What the file could not hold, said at the prompt (a pasted page was a traceback on save)."""
    bound = beyond_bounds(value, note, evidence)
    return f"{bound[1]}; {bound[2]}" if bound and bound[2] else (bound[1] if bound else None)


def multi_check(values: list[Any]) -> str | None:
    if not values:
        return "Tick at least one answer (its number or Space), or press ? for don't know"
    return None


# ----------------------------------------------------------------------------- the loop


class Questionnaire:
    """One sitting: asks pending questions in order, saving after every confirmed input."""

    def __init__(self, assessment: Assessment, checklists: Sequence[Checklist], prompter: Prompter,
                 save: Callable[[Assessment], None], answered_by: str,
                 sources: Mapping[str, Source] | None = None, width: int | None = None,
                 height: int | None = None, verbose: bool = False):
        self.assessment = assessment
        self.checklists = list(checklists)
        self.items = progress.items(self.checklists)
        self.prompter = prompter
        self._save_to = save
        self.by = answered_by
        self.sources = dict(sources or {})
        self._size = (width, height)  # fixed by a caller (tests), else read from the terminal at every screen
        self.verbose = verbose
        self.sitting = Sitting()
        self._walk_until: int | None = None  # browsing (after back or a jump): walk in order up to here
        self._asking: tuple[str, str] | None = None  # the question whose answer is being recorded
        self._base: Answer | None = None  # its answer before it was asked (the history's last entry)
        self._confirming = False  # it was asked to confirm a changed question
        self._passed: set[tuple[str, str]] = set()  # skipped in this sitting: not offered again by themselves

    @property
    def width(self) -> int:
        """Columns to fill: the terminal's as it is now (it may be resized mid-sitting), at most 120."""
        columns = self._size[0] or shutil.get_terminal_size((100, 40)).columns
        return max(screen.MIN_WIDTH, min(120, columns - 1))

    @property
    def height(self) -> int:
        return self._size[1] or shutil.get_terminal_size((100, 40)).lines

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
        """Where to begin: changed questions to confirm first, then the first pending question at or
        after where the last sitting stopped."""
        found = self.found()
        confirm = self._first_to_confirm(found)
        if confirm is not None:
            return confirm
        pos = self.assessment.position or {}
        at = progress.index_of(self.items, pos.get("checklist", ""), pos.get("question", ""))
        return progress.next_pending(self.items, found, after=(at - 1) if at is not None else -1)

    def _first_to_confirm(self, found: Mapping[tuple[str, str], State]) -> int | None:
        return next((i for i, it in enumerate(self.items)
                     if found[it.key] is State.to_confirm and it.key not in self._passed), None)

    def _after(self, cursor: int) -> int | None:
        """The question that follows ``cursor``: the next one in order while browsing, else what is
        pending (changed questions to confirm first). Questions skipped in this sitting are not
        offered again by themselves (the review lists them)."""
        found = self.found()
        if self._walk_until is not None:
            nxt = next((i for i in range(cursor + 1, self._walk_until + 1)
                        if found[self.items[i].key] is not State.out_of_scope
                        and self.items[i].key != self.items[cursor].key), None)
            if nxt is not None:
                return nxt
            self._walk_until = None
        confirm = self._first_to_confirm(found)
        if confirm is not None and confirm != cursor:
            return confirm
        order = [*range(cursor + 1, len(self.items)), *range(0, cursor)]
        return next((i for i in order if found[self.items[i].key] in progress.PENDING
                     and self.items[i].key not in self._passed and self.items[i].key != self.items[cursor].key),
                    None)

    # -- the sitting

    def run(self) -> Outcome:
        try:
            return self._run()
        except KeyboardInterrupt:
            self.save()
            raise QuestionnaireInterrupted(self.assessment) from None
        except EOFError:
            self.save()
            return Outcome.ended

    def _run(self) -> Outcome:
        cursor = self.start()
        reviewing = cursor is None
        while True:
            if reviewing:
                choice = self._review()
                if isinstance(choice, int):
                    self._walk_until = None
                    cursor, reviewing = choice, False
                    result = self.ask(choice)
                    if result is Nav.quit:
                        self.save(choice)
                        return Outcome.quit
                    if result is Nav.jump:
                        target = self._jump()
                        if target is not None:
                            cursor, reviewing = target, False
                            continue
                    reviewing = True
                    continue
                if choice is Nav.quit:
                    self.save()
                    return Outcome.quit
                if choice is Nav.resume:
                    cursor = self.start()
                    reviewing = cursor is None
                    continue
                if choice is Nav.finish and self._confirm_finish():
                    self.assessment.position = None
                    self.save()
                    return Outcome.finished
                continue

            assert cursor is not None
            result = self.ask(cursor)
            if isinstance(result, _Answered) or result is Nav.skip:
                nxt = self._after(cursor)
                if nxt is None:
                    reviewing = True
                else:
                    cursor = nxt
            elif result is Nav.back:
                prev = progress.previous_relevant(self.items, self.found(), cursor)
                if prev is None:
                    self.prompter.show("This is the first question; there is nothing before it.")
                else:
                    self._walk_until = max(self._walk_until or cursor, cursor)
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
        """One question: the answer, then a note, then evidence, each saved as soon as it is confirmed.

        ``:b`` in the note or evidence prompt goes back to this question's answer.
        """
        item = self.items[index]
        self.assessment.position = {"checklist": item.checklist.id, "question": item.question.id}  # for Ctrl-C
        self._asking = None
        details = self.verbose
        while True:
            result = self._answer(index, details)
            if result is Nav.info:
                details = True
                continue
            if isinstance(result, Nav):
                return self._navigated(result, item, index)
            after = self._note_and_evidence(item, index, result.value)
            if after is Nav.back:
                continue
            return after

    def _show(self, item: Item, details: bool, below: int) -> int:
        """Print the question screen; details when asked for, or when they fit with ``below`` prompt lines.

        Returns how many of the lines just printed must stay visible: the question and its answer
        (details may scroll off the top; the question may not).
        """
        answer = self.assessment.answer_to(item.checklist, item.question.id)
        found = self.standings()
        lines = screen.question_screen(item, answer, self.items, found, self.sources, self.width, details)
        if not details:
            fuller = screen.question_screen(item, answer, self.items, found, self.sources, self.width, True)
            if len(fuller) + below <= self.height - 1:
                lines = fuller
        self.prompter.show("\n".join(lines))
        state = found[item.key].state if item.key in found else None
        return (len(screen.question_lines(item, self.width))
                + len(screen.recorded_lines(item, answer, state, self.width)))

    def _answer(self, index: int, details: bool) -> _Answered | Nav:
        item = self.items[index]
        q, cl = item.question, item.checklist
        previous = self.assessment.answer_to(cl, q.id)
        current = previous.value if previous is not None else None
        message = f"Answer to {item.number}:"
        choices = cl.choices(q)
        if q.type in (QuestionType.choice, QuestionType.yesno, QuestionType.multi):
            options = [Option(c.label, c.value) for c in choices]
            values = [o.value for o in options]
            keys: dict[str, Any] = dict(NAV_KEYS)
            if UNKNOWN in values:
                keys["?"] = UNKNOWN
            multi = q.type is QuestionType.multi
            first = (f"1-{len(options)} or Space tick · Enter done" if multi else f"1-{len(options)} pick")
            hint = screen.join_hint([first] + (["? don't know"] if UNKNOWN in values else []) + NAV_HINT,
                                    self.width)
            kept = self._show(item, details, below=len(options) + 3 + hint.count("\n"))
            if multi:
                ticked = current if isinstance(current, list) else []
                picked = self.prompter.checkbox(message, options, checked=ticked, validate=multi_check,
                                                keys=keys, hint=hint, keep=kept)
                navs = [v for v in picked if isinstance(v, Nav)]
                if navs:
                    return navs[0]
                value: AnswerValue = list(picked)
            else:
                chosen = self.prompter.select(message, options, default=current if current in values else None,
                                              keys=keys, hint=hint, keep=kept)
                if isinstance(chosen, Nav):
                    return chosen
                value = chosen
        else:
            default = display_value(cl, q, current) if current is not None and current != UNKNOWN else ""
            if current == UNKNOWN:
                default = "?"
            hint = screen.join_hint(["Enter saves", "? don't know", *TYPED_HINT] + self._bounds(item), self.width)
            self._show(item, details, below=2 + hint.count("\n"))
            raw = self.prompter.text(message, default=default, validate=text_check(cl, item, default), hint=hint)
            command = typed_command(raw, default)
            if command is not None:
                return command
            value = UNKNOWN if is_unknown(raw) else parse_value(cl, q, raw)
        refused = self._refused_na(item, value)
        if refused:
            self.prompter.show("\n".join(screen.wrap(f"! Not accepted: {refused}", self.width, "    ", "  ")))
            return self._answer(index, details)
        self._record(item, value, previous.note if previous else None,
                     list(previous.evidence) if previous else [])
        self.save(index)
        return _Answered(value)

    def _note_and_evidence(self, item: Item, index: int, value: AnswerValue) -> _Answered | Nav:
        """The note, then the evidence: each saved on Enter, before the next prompt is drawn."""
        hint = screen.join_hint(["Enter saves", ":b back to the answer", ":s next question", ":j jump",
                                 ":r review", ":q save & quit", ":i details"], self.width)
        required = is_not_applicable(item.checklist, item.question, value)  # a note must say why (risk model)
        prompts = [("note", "Note (why it does not apply; required):" if required else "Note (optional):"),
                   ("evidence", "Evidence (documents or links, ';' between them):")]
        for kind, message in prompts:
            while True:
                answer = self.assessment.answer_to(item.checklist, item.question.id)
                assert answer is not None
                default = (answer.note or "") if kind == "note" else "; ".join(answer.evidence)

                def check(raw: str, default: str = default, kind: str = kind) -> str | None:
                    command = typed_command(raw, default)
                    unjustified = kind == "note" and required and (not raw.strip() or command is Nav.skip)
                    if unjustified:
                        return "'Not applicable' needs a note saying why it does not apply (or :b to change the answer)"
                    if command is not None:
                        return None
                    if kind == "note":
                        return _too_long(value, raw.strip() or None, [])
                    return _too_long(value, None, split_list(raw))

                raw = self.prompter.text(message, default=default, validate=check, hint=hint)
                command = typed_command(raw, default)
                if command is Nav.info:
                    self.prompter.show("\n".join(screen.details_lines(item, self.sources, self.width)
                                                 + screen.question_lines(item, self.width)))
                    continue
                if command is Nav.skip:
                    return _Answered(value)
                if command is not None:
                    return command
                if kind == "note":
                    self._record(item, value, raw.strip() or None, list(answer.evidence))
                else:
                    self._record(item, value, answer.note, split_list(raw))
                self.save(index)
                break
        return _Answered(value)

    def _refused_na(self, item: Item, value: AnswerValue) -> str | None:
        """Why a "not applicable" answer cannot stand here (an exposure answer makes the question apply).

        The rule is the risk model's own (``scope.na_problem``), shared with scoring and ``answers
        import``; a missing note is not a refusal here, since the note prompt comes next and insists.
        """
        cl = item.checklist
        found = na_problem(cl, item.question, value, None, condition_values(cl, self.assessment))
        return found[1] if found and found[0] == GAP_NA_CONTRADICTS else None

    def _bounds(self, item: Item) -> list[str]:
        q = item.question
        if q.type is QuestionType.date:
            return ["YYYY-MM-DD"]
        if q.type is QuestionType.number:
            whole = "a whole number" if q.integer else "a number"
            if q.min is not None and q.max is not None:
                return [f"{whole} from {format_number(q.min)} to {format_number(q.max)}"]
            if q.min is not None:
                return [f"{whole}, at least {format_number(q.min)}"]
            if q.max is not None:
                return [f"{whole}, at most {format_number(q.max)}"]
            return [whole]
        return []

    def _record(self, item: Item, value: AnswerValue, note: str | None, evidence: list[str]) -> None:
        """Store the answer in its home checklist and mark it confirmed against the current wording.

        The value, note and evidence of one question complete the same answer: each is compared
        with the answer as it was before this question was asked, so the history gets one entry.
        """
        home, qid = item.key
        if self._asking != item.key:
            self._asking = item.key
            self._base = self.assessment.answer(home, qid)
            self._confirming = self.found().get(item.key) is State.to_confirm
        answer: Answer = answer_with(self._base, value, note, evidence, by=self.by)
        if self._confirming and answer is self._base:
            answer = answer.reconfirmed(self.by)
        self.assessment.set_answer(home, qid, answer)
        self.assessment.checklists = confirmed_everywhere(self.assessment.checklists, self.checklists, home, qid)
        self.sitting.answered.add(item.key)

    def _navigated(self, nav: Nav, item: Item, index: int) -> Nav:
        if nav is Nav.skip:
            self._passed.add(item.key)
            self.assessment.mark_skipped(*item.key)
            self.save(index)
        return nav

    # -- menus

    def _jump(self) -> int | None:
        """Pick a section; land on its first pending question, else walk it from its first relevant one."""
        standings = self.standings()
        found = {key: s.state for key, s in standings.items()}
        options: list[Option] = []
        several = len(self.checklists) > 1
        for checklist in self.checklists:
            if several:
                options.append(Option(f"── {checklist.title}", separator=True))
            for s_i, section in enumerate(checklist.sections, start=1):
                c = progress.section_counts(self.items, standings, checklist.id, section.id)
                options.append(Option(screen.cut(f"{section.title} — {c.answered}/{c.relevant} answered",
                                                 self.width - 8), (checklist.id, section.id)))
        count = sum(not o.separator for o in options)
        first = "1-9 pick" if count <= 9 else f"type 1-{count} or ↑/↓, then Enter"
        hint = screen.join_hint([first, "b cancel"], self.width)
        picked = self.prompter.select("Jump to which section?", options, keys={"b": Nav.back, "q": Nav.back},
                                      hint=hint)
        if isinstance(picked, Nav):
            return None
        in_section = [i for i, it in enumerate(self.items) if (it.checklist.id, it.section.id) == picked]
        pending = [i for i in in_section if found[self.items[i].key] in progress.PENDING]
        relevant = [i for i in in_section if found[self.items[i].key] is not State.out_of_scope]
        if pending:
            self._walk_until = None
            return pending[0]
        if relevant:
            self._walk_until = relevant[-1]  # a finished section: walk through it, 2.1 then 2.2...
            return relevant[0]
        self.prompter.show("Nothing to ask in that section: its questions do not apply given the answers so far.")
        return None

    def _review(self) -> int | Nav:
        """All relevant questions with their answers; pick one to change it, or finish."""
        standings = self.standings()
        found = {key: s.state for key, s in standings.items()}
        counts = progress.count(standings.values())
        header = self._review_header(counts)
        self.prompter.show(header)
        options: list[Option] = []
        several = len(self.checklists) > 1
        last_checklist, last_section, listed = None, None, set()
        for i, item in enumerate(self.items):
            state = found[item.key]
            if state is State.out_of_scope or item.key in listed:  # a shared question: listed once
                continue
            listed.add(item.key)
            if several and item.checklist.id != last_checklist:
                last_checklist = item.checklist.id
                options.append(Option(f"══ {screen.cut(item.checklist.title, self.width - 8)}", separator=True))
            if (item.checklist.id, item.section.id) != last_section:
                last_section = (item.checklist.id, item.section.id)
                options.append(Option(f"── {item.section_number}. {screen.cut(item.section.title, self.width - 10)}",
                                      separator=True))
            answer = self.assessment.answer_to(item.checklist, item.question.id)
            options.append(Option(screen.review_title(item, answer, state, self.width - 4), i))
        options.append(Option("─" * 30, separator=True))
        if counts.pending:
            options.append(Option(f"Continue with the {counts.pending} question(s) still to ask", Nav.resume))
        options += [Option("✔ Finish", Nav.finish), Option("Save and quit", Nav.quit)]
        hint = screen.join_hint(["↑/↓ move", "Enter change the answer", "f finish", "q save & quit"]
                                + (["c continue"] if counts.pending else []), self.width)
        keys: dict[str, Any] = {"f": Nav.finish, "q": Nav.quit}
        if counts.pending:
            keys["c"] = Nav.resume
        return self.prompter.select("Review: choose an answer to change it, or finish", options,
                                    default=Nav.resume if counts.pending else Nav.finish, keys=keys,
                                    numbered=False, hint=hint, keep=header.count("\n") + 1)

    def _review_header(self, counts: progress.Counts) -> str:
        lines = ["", "─" * self.width,
                 f"Review · {counts.answered}/{counts.relevant} answered · {counts.gaps} gap(s)"
                 + (f" · {counts.pending} still to ask" if counts.pending else "")
                 + (f" · {counts.to_confirm} to confirm" if counts.to_confirm else "")]
        known = {i.key for i in self.items}
        kept = [(cid, qid) for cid, answers in self.assessment.answers.items() for qid in answers
                if (cid, qid) not in known and cid in {c.id for c in self.checklists} | {k[0] for k in known}]
        if kept:
            lines += screen.wrap("Kept answers to questions no longer in the checklist (not counted): "
                                 + ", ".join(f"{cid}/{qid}" for cid, qid in kept), self.width)
        return "\n".join(lines)

    def _confirm_finish(self) -> bool:
        counts = progress.count(self.standings().values())
        if not (counts.pending or counts.skipped):
            return True
        open_ = counts.pending + counts.skipped
        return self.prompter.confirm(f"{open_} question(s) still to ask or skipped; the report will count "
                                     f"{counts.gaps} gap(s). Finish anyway?", default=False)
