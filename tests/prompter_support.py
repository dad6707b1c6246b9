"""A scripted Prompter: the questionnaire's terminal, replaced by a list of replies.

Each reply answers the next prompt, in order. ``ENTER`` accepts the prompt's default; ``"key:X"``
presses the menu key X (``"key:?"``: don't know);
``CTRL_C`` raises KeyboardInterrupt as questionary does. Replies a validator rejects are
recorded in ``errors`` and the prompt is asked again with the next reply, as a person would retype.
"""

from __future__ import annotations

from typing import Any

ENTER = object()
CTRL_C = object()


class ScriptExhausted(AssertionError):
    pass


class ScriptedPrompter:
    def __init__(self, *replies: Any):
        self.replies = list(replies)
        self.shown: list[str] = []
        self.prompts: list[tuple[str, str]] = []  # (kind, message) of every prompt, in order
        self.options: list[list[Any]] = []  # the options of every select/checkbox
        self.defaults: list[Any] = []  # the default of every prompt
        self.errors: list[str] = []  # validation messages, in order
        self.hints: list[str] = []  # the key hint under every prompt

    def _next(self, kind: str, message: str) -> Any:
        self.prompts.append((kind, message))
        if not self.replies:
            raise ScriptExhausted(f"no reply left for {kind} {message!r}; screen was:\n"
                                  + (self.shown[-1] if self.shown else ""))
        reply = self.replies.pop(0)
        if reply is CTRL_C:
            raise KeyboardInterrupt
        return reply

    @property
    def screen(self) -> str:
        return "\n".join(self.shown)

    def show(self, text: str) -> None:
        self.shown.append(text)

    def select(self, message, options, default=None, *, keys=None, numbered=True, hint="", keep=0):
        values = [o.value for o in options if not o.separator]
        self.options.append(values)
        self.defaults.append(default)
        self.hints.append(hint)
        reply = self._next("select", message)
        if reply is ENTER:
            return default if default is not None else values[0]
        if isinstance(reply, str) and reply.startswith("key:"):  # a single key pressed, e.g. "key:?"
            assert reply[4:] in (keys or {}), f"{reply[4:]!r} is not a key of {message!r}: {list(keys or {})}"
            return keys[reply[4:]]
        assert reply in values or reply in (keys or {}).values(), \
            f"{reply!r} is not an option of {message!r}: {values}"
        return reply

    def checkbox(self, message, options, checked=(), *, validate=None, keys=None, hint="", keep=0):
        values = [o.value for o in options if not o.separator]
        self.options.append(values)
        self.defaults.append(list(checked))
        self.hints.append(hint)
        while True:
            reply = self._next("checkbox", message)
            if isinstance(reply, str) and reply.startswith("key:"):
                return [keys[reply[4:]]]
            chosen = list(checked) if reply is ENTER else list(reply)
            assert all(v in values or v in (keys or {}).values() for v in chosen), f"{chosen!r} not all in {values}"
            problem = validate(chosen) if validate else None
            if problem:
                self.errors.append(problem)
                continue
            return chosen

    def text(self, message, default="", validate=None, *, hint=""):
        self.defaults.append(default)
        self.hints.append(hint)
        while True:
            reply = self._next("text", message)
            value = default if reply is ENTER else reply
            problem = validate(value) if validate else None
            if problem:
                self.errors.append(problem)
                continue
            return value

    def confirm(self, message, default=True):
        self.defaults.append(default)
        reply = self._next("confirm", message)
        return default if reply is ENTER else bool(reply)
