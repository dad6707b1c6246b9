"""The terminal Prompter, on questionary.

Why questionary: it gives arrow-key menus, checkboxes and validated text prompts on top of
prompt_toolkit, which drives a real terminal (or a pseudo-terminal, so the end-to-end tests
exercise the very code analysts use), redraws validation messages in place, and is what copier
uses for the same job. Its ``unsafe_ask`` lets Ctrl-C arrive as ``KeyboardInterrupt`` instead of a
silent ``None``, so the questionnaire can save and say how to resume.

Imported only by ``ddcheck assess``, so other commands never pay for prompt_toolkit.
"""

from __future__ import annotations

import signal
import sys
from contextlib import contextmanager
from typing import Any, Collection, Iterator, Sequence

import questionary
from questionary import Choice, Separator

from .questionnaire import ListCheck, Option, TextCheck
from ..terminal import visible

_INSTRUCTION = "(↑/↓ move, Enter choose)"


def _choices(options: Sequence[Option], checked: Collection[Any] = ()) -> list[Choice | Separator]:
    out: list[Choice | Separator] = []
    for option in options:
        if option.separator:
            out.append(Separator(visible(option.title)))
        else:
            out.append(Choice(visible(option.title), value=option.value, checked=option.value in checked))
    return out


class QuestionaryPrompter:
    """The Prompter the CLI uses. Every prompt raises KeyboardInterrupt on Ctrl-C.

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

    def _ask(self, question: questionary.Question) -> Any:
        self._raise_if_interrupted()
        try:
            return question.unsafe_ask()
        finally:
            if self._deferring:  # prompt_toolkit restores Python's default SIGINT handler after a prompt
                signal.signal(signal.SIGINT, self._on_sigint)

    def _raise_if_interrupted(self) -> None:
        if self._interrupted:
            self._interrupted = False
            raise KeyboardInterrupt

    def show(self, text: str) -> None:
        self._raise_if_interrupted()
        sys.stdout.write(visible(text) + "\n")
        sys.stdout.flush()

    def select(self, message: str, options: Sequence[Option], default: Any = None,
               instruction: str = "") -> Any:
        choices = _choices(options)
        start = next((c for c in choices if isinstance(c, Choice) and not isinstance(c, Separator)
                      and c.value == default), None)
        return self._ask(questionary.select(visible(message), choices=choices, default=start,
                                            instruction=instruction or _INSTRUCTION, use_jk_keys=False))

    def checkbox(self, message: str, options: Sequence[Option], checked: Collection[Any] = (),
                 validate: ListCheck | None = None, instruction: str = "") -> list[Any]:
        # questionary's own checkbox validation draws its message in a toolbar that does not show
        # (questionary 2.1 with prompt_toolkit 3.0.5x), so Enter would seem to do nothing. We
        # validate after the prompt instead, print what is wrong and ask again with the same ticks.
        ticked = list(checked)
        while True:
            values = self._ask(questionary.checkbox(
                visible(message), choices=_choices(options, ticked),
                instruction=instruction or "(↑/↓ move, Space tick, Enter confirm)", use_jk_keys=False))
            problem = validate(values) if validate else None
            if not problem:
                return values
            self.show(f"  ! {problem}")
            ticked = [v for v in values if v in {o.value for o in options}]

    def text(self, message: str, default: str = "", validate: TextCheck | None = None,
             instruction: str = "") -> str:
        def check(value: str) -> bool | str:
            problem = validate(value) if validate else None
            return problem or True

        return self._ask(questionary.text(visible(message), default=default, validate=check,
                                          instruction=instruction or None))

    def confirm(self, message: str, default: bool = True) -> bool:
        return bool(self._ask(questionary.confirm(visible(message), default=default)))
