"""The terminal Prompter, on questionary.

Why questionary: it gives arrow-key menus, checkboxes and validated text prompts on top of
prompt_toolkit, which drives a real terminal (or a pseudo-terminal, so the end-to-end tests
exercise the very code analysts use), redraws validation messages in place, and is what copier
uses for the same job. Its ``unsafe_ask`` lets Ctrl-C arrive as ``KeyboardInterrupt`` instead of a
silent ``None``, so the questionnaire can save and say how to resume.

Imported only by ``ddcheck assess``, so other commands never pay for prompt_toolkit.
"""

from __future__ import annotations

import sys
from typing import Any, Collection, Sequence

import questionary
from questionary import Choice, Separator

from .questionnaire import ListCheck, Option, TextCheck

_INSTRUCTION = "(↑/↓ move, Enter choose)"


def _choices(options: Sequence[Option], checked: Collection[Any] = ()) -> list[Choice | Separator]:
    out: list[Choice | Separator] = []
    for option in options:
        if option.separator:
            out.append(Separator(option.title))
        else:
            out.append(Choice(option.title, value=option.value, checked=option.value in checked))
    return out


class QuestionaryPrompter:
    """The Prompter the CLI uses. Every prompt raises KeyboardInterrupt on Ctrl-C."""

    def show(self, text: str) -> None:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()

    def select(self, message: str, options: Sequence[Option], default: Any = None,
               instruction: str = "") -> Any:
        choices = _choices(options)
        start = next((c for c in choices if isinstance(c, Choice) and not isinstance(c, Separator)
                      and c.value == default), None)
        return questionary.select(message, choices=choices, default=start, instruction=instruction or _INSTRUCTION,
                                  use_jk_keys=False).unsafe_ask()

    def checkbox(self, message: str, options: Sequence[Option], checked: Collection[Any] = (),
                 validate: ListCheck | None = None, instruction: str = "") -> list[Any]:
        def check(values: list[Any]) -> bool | str:
            problem = validate(values) if validate else None
            return problem or True

        return questionary.checkbox(message, choices=_choices(options, checked), validate=check,
                                    instruction=instruction or "(↑/↓ move, Space tick, Enter confirm)",
                                    use_jk_keys=False).unsafe_ask()

    def text(self, message: str, default: str = "", validate: TextCheck | None = None,
             instruction: str = "") -> str:
        def check(value: str) -> bool | str:
            problem = validate(value) if validate else None
            return problem or True

        return questionary.text(message, default=default, validate=check,
                                instruction=instruction or None).unsafe_ask()

    def confirm(self, message: str, default: bool = True) -> bool:
        return bool(questionary.confirm(message, default=default).unsafe_ask())
