"""The terminal Prompter on prompt_toolkit: menus in ``menu.py``, typed answers here, yes/no on questionary.

Why prompt_toolkit: it drives a real terminal (or a pseudo-terminal, so the end-to-end tests
exercise the very code analysts use), redraws validation messages in place, and turns Ctrl-C and
Ctrl-D into KeyboardInterrupt and EOFError, so the questionnaire can save and say how to resume.
questionary (copier's choice, on prompt_toolkit too) is kept for yes/no, its ``unsafe_ask`` raising
KeyboardInterrupt rather than returning a silent ``None``.

Imported only by ``ddcheck assess``, so other commands never pay for prompt_toolkit.
"""

from __future__ import annotations

import shutil
import signal
import sys
from contextlib import contextmanager
from typing import Any, Callable, Collection, Iterator, Mapping, Sequence

import questionary
from prompt_toolkit import PromptSession
from prompt_toolkit.application import get_app
from prompt_toolkit.document import Document
from prompt_toolkit.validation import ValidationError, Validator

from .menu import STYLE, run_menu
from .questionnaire import ListCheck, Option, TextCheck
from ..terminal import visible


def _visible(options: Sequence[Option]) -> list[Option]:
    """Menu entries hold checklist text and answers: untrusted, shown through the one sanitiser."""
    return [Option(visible(o.title), o.value, o.separator) for o in options]


class _Check(Validator):
    def __init__(self, check: TextCheck | None):
        self.check = check

    def validate(self, document: Document) -> None:
        problem = self.check(document.text) if self.check else None
        if problem:
            raise ValidationError(message=problem, cursor_position=len(document.text))


def ask_text(message: str, default: str, validate: TextCheck | None, hint: str) -> str:
    """A typed answer: the key hint above the prompt while it is asked, gone once the line is entered,
    so the scrollback keeps only ``? Answer to 2.3: 12``. No space is kept free under the prompt for a
    completion menu (prompt_toolkit's default keeps 8 lines, which scrolls the question off 24 rows)."""

    def tokens() -> list[tuple[str, str]]:
        shown = [] if not hint or get_app().is_done else [("class:hint", f"  {hint}\n")]
        return shown + [("class:qmark", "?"), ("class:question", f" {message} ")]

    session: PromptSession[str] = PromptSession(tokens, validator=_Check(validate), validate_while_typing=False,
                                                style=STYLE, reserve_space_for_menu=0)
    return session.prompt(default=default)


class TerminalPrompter:
    """The Prompter the CLI uses: our own menus and text prompts on prompt_toolkit, questionary's
    confirm. Every prompt raises KeyboardInterrupt on Ctrl-C.

    During a prompt, prompt_toolkit reads Ctrl-C as a key. Between prompts (while a screen is
    printed or a file saved) the terminal turns it into SIGINT, which Python would raise wherever
    the program happens to be — even inside a finaliser, where it is swallowed and lost. Inside
    ``deferred_interrupts`` a SIGINT only sets a flag, and the next prompt raises
    KeyboardInterrupt at that safe point instead.
    """

    def __init__(self) -> None:
        self._interrupted = False
        self._deferring = False

    @contextmanager
    def deferred_interrupts(self) -> Iterator[None]:
        previous = signal.getsignal(signal.SIGINT)
        self._deferring = True
        signal.signal(signal.SIGINT, self._on_sigint)
        try:
            yield
        finally:
            self._deferring = False
            signal.signal(signal.SIGINT, previous)

    def _on_sigint(self, signum: int, frame: object) -> None:
        self._interrupted = True

    def _raise_if_interrupted(self) -> None:
        if self._interrupted:
            self._interrupted = False
            raise KeyboardInterrupt

    def show(self, text: str) -> None:
        self._raise_if_interrupted()
        sys.stdout.write(visible(text) + "\n")
        sys.stdout.flush()

    def _room(self, keep: int) -> int:
        """Menu rows that fit under the ``keep`` lines that must stay visible (message, hint, margins: 4)."""
        return max(3, shutil.get_terminal_size((80, 24)).lines - keep - 4)

    def select(self, message: str, options: Sequence[Option], default: Any = None, *,
               keys: Mapping[str, Any] | None = None, numbered: bool = True, hint: str = "",
               keep: int = 0) -> Any:
        self._raise_if_interrupted()
        return self._run(lambda: run_menu(visible(message), _visible(options), default=default, keys=keys,
                                          numbered=numbered,
                                          hint=hint or "↑/↓ move · Enter choose", room=self._room(keep)))

    def checkbox(self, message: str, options: Sequence[Option], checked: Collection[Any] = (), *,
                 validate: ListCheck | None = None, keys: Mapping[str, Any] | None = None,
                 hint: str = "", keep: int = 0) -> list[Any]:
        self._raise_if_interrupted()
        return self._run(lambda: run_menu(visible(message), _visible(options), multi=True, checked=list(checked),
                                          keys=keys,
                                          validate=validate, hint=hint or "Space tick · Enter done",
                                          room=self._room(keep)))

    def text(self, message: str, default: str = "", validate: TextCheck | None = None, *,
             hint: str = "") -> str:
        self._raise_if_interrupted()
        return self._run(lambda: ask_text(visible(message), default, validate, hint))

    def confirm(self, message: str, default: bool = True) -> bool:
        self._raise_if_interrupted()
        return bool(self._run(questionary.confirm(visible(message), default=default).unsafe_ask))

    def _run(self, ask: Callable[[], Any]) -> Any:
        """Run one prompt, then take SIGINT back: prompt_toolkit restores Python's default handler."""
        try:
            return ask()
        finally:
            if self._deferring:
                signal.signal(signal.SIGINT, self._on_sigint)
