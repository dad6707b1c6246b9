"""One menu prompt on prompt_toolkit: number keys, one-key navigation, a window that fits the terminal.

Why not questionary's select/checkbox: they draw every entry (a review of 60 answers scrolls the
question off an 80×24 terminal), know no number keys, take navigation only as menu entries (six
extra lines, and Space-then-Enter in a checkbox) and print "done" before their validation message.
This menu keeps questionary's look ("? message" then "❯ entry") and adds what the questionnaire
needs: ``1``–``9`` pick (or tick) an entry, single keys return a value at once (``?`` don't know,
``b`` back...), a validation message stays on the menu, and only the rows that fit are drawn.

Ctrl-C raises KeyboardInterrupt and Ctrl-D raises EOFError, as prompt_toolkit's own prompts do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Callable, Mapping, Sequence

from prompt_toolkit.application import Application
from prompt_toolkit.formatted_text import StyleAndTextTuples
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.layout import FormattedTextControl, Layout, Window
from prompt_toolkit.styles import Style

STYLE = Style.from_dict({
    "qmark": "fg:#5f819d bold", "question": "bold", "answer": "fg:#ff9d00 bold",
    "pointer": "fg:#ff9d00 bold", "selected": "fg:#cc5454", "separator": "fg:#6c6c6c",
    "hint": "fg:#6c6c6c", "error": "fg:#ff5f5f bold",
})


@dataclass
class Entry:
    title: str
    value: Any = None
    separator: bool = False
    number: int | None = None  # the key that picks it, when the menu is numbered


@dataclass
class MenuState:
    """Everything the menu shows; pure, so the key handling is testable without a terminal."""

    message: str
    entries: list[Entry]
    multi: bool = False
    ticked: list[Any] = field(default_factory=list)
    pointer: int = 0
    error: str = ""
    typed: str = ""  # digits typed so far, in menus of ten entries or more
    done_text: str | None = None

    def selectable(self) -> list[int]:
        return [i for i, e in enumerate(self.entries) if not e.separator]

    def move(self, step: int) -> None:
        rows = self.selectable()
        if rows:
            at = rows.index(self.pointer) if self.pointer in rows else 0
            self.pointer = rows[(at + step) % len(rows)]

    def by_number(self, n: int) -> int | None:
        return next((i for i, e in enumerate(self.entries) if e.number == n), None)

    def toggle(self, index: int) -> None:
        value = self.entries[index].value
        if value in self.ticked:
            self.ticked.remove(value)
        else:
            self.ticked.append(value)
        self.error = ""


def build_entries(options: Sequence[Any], numbered: bool) -> list[Entry]:
    """Entries from the questionnaire's Options; the choosable ones numbered 1, 2, ... when ``numbered``."""
    entries, n = [], 0
    for option in options:
        if option.separator:
            entries.append(Entry(option.title, separator=True))
        else:
            n += 1
            entries.append(Entry(option.title, option.value, number=n if numbered else None))
    return entries


def visible_rows(count: int, pointer: int, room: int) -> range:
    """The window of ``room`` rows that holds the pointer (the menu scrolls, the screen does not)."""
    if count <= room:
        return range(count)
    start = min(max(0, pointer - room // 2), count - room)
    return range(start, start + room)


def render(state: MenuState, hint: str, room: int) -> StyleAndTextTuples:
    out: StyleAndTextTuples = [("class:qmark", "?"), ("class:question", f" {state.message} ")]
    if state.done_text is not None:
        return out + [("class:answer", state.done_text)]
    out.append(("", "\n"))
    rows = visible_rows(len(state.entries), state.pointer, room)
    if rows.start > 0:
        out.append(("class:hint", f"   ↑ {rows.start} more\n"))
    for i in rows:
        entry = state.entries[i]
        if entry.separator:
            out.append(("class:separator", f"   {entry.title}\n"))
            continue
        here = i == state.pointer
        mark = ""
        if state.multi:
            mark = "[x] " if entry.value in state.ticked else "[ ] "
        number = f"{entry.number}) " if entry.number is not None else ""
        out.append(("class:pointer" if here else "", " ❯ " if here else "   "))
        out.append(("class:selected" if state.multi and entry.value in state.ticked else
                    ("class:pointer" if here else ""), f"{mark}{number}{entry.title}\n"))
    if rows.stop < len(state.entries):
        out.append(("class:hint", f"   ↓ {len(state.entries) - rows.stop} more\n"))
    if state.error:
        out.append(("class:error", f"   ! {state.error}\n"))
    out.append(("class:hint", f"  {hint}"))
    return out


def run_menu(message: str, options: Sequence[Any], *, default: Any = None, multi: bool = False,
             checked: Sequence[Any] = (), keys: Mapping[str, Any] | None = None, numbered: bool = True,
             hint: str = "", validate: Callable[[list[Any]], str | None] | None = None,
             room: int = 20, shown: Callable[[Any], str] | None = None) -> Any:
    """Ask; returns the chosen value (``multi``: the list of ticked values), or ``keys[key]``."""
    keys = dict(keys or {})
    entries = build_entries(options, numbered)
    state = MenuState(message, entries, multi=multi, ticked=list(checked))
    rows = state.selectable()
    state.pointer = next((i for i in rows if entries[i].value == default), rows[0] if rows else 0)
    bindings = KeyBindings()

    def finish(event: KeyPressEvent, result: Any) -> None:
        if isinstance(result, list):
            state.done_text = ", ".join(_title(entries, v, shown) for v in result)
        else:
            state.done_text = _title(entries, result, shown)
        event.app.exit(result=result)

    def submit(event: KeyPressEvent) -> None:
        if multi:
            result = [e.value for e in entries if not e.separator and e.value in state.ticked]
            problem = validate(result) if validate else None
            if problem:
                state.error = problem
                return
            finish(event, result)
        elif rows:
            finish(event, entries[state.pointer].value)

    @bindings.add("up")
    @bindings.add("s-tab")
    def _up(event: KeyPressEvent) -> None:
        state.move(-1)

    @bindings.add("down")
    @bindings.add("tab")
    def _down(event: KeyPressEvent) -> None:
        state.move(1)

    @bindings.add("enter")
    def _enter(event: KeyPressEvent) -> None:
        if state.typed and not multi:
            state.typed = ""
        submit(event)

    @bindings.add("space")
    def _space(event: KeyPressEvent) -> None:
        if multi and rows:
            state.toggle(state.pointer)

    @bindings.add("c-c")
    def _interrupt(event: KeyPressEvent) -> None:
        event.app.exit(exception=KeyboardInterrupt)

    @bindings.add("c-d")
    def _eof(event: KeyPressEvent) -> None:
        event.app.exit(exception=EOFError)

    numbers = [e.number for e in entries if e.number is not None]
    for digit in "0123456789":
        @bindings.add(digit)
        def _digit(event: KeyPressEvent, digit: str = digit) -> None:
            typed = state.typed + digit if len(numbers) > 9 else digit
            index = state.by_number(int(typed)) if typed.isdigit() else None
            if index is None:
                state.typed = ""
                return
            state.pointer = index
            if multi:
                state.toggle(index)
            elif len(numbers) <= 9:
                finish(event, entries[index].value)
            else:
                state.typed = typed if len(typed) < len(str(len(numbers))) else ""

    for key, value in keys.items():
        @bindings.add(key)
        def _key(event: KeyPressEvent, value: Any = value) -> None:
            finish(event, [value] if multi else value)

    @bindings.add("<any>")
    def _ignore(event: KeyPressEvent) -> None:
        """Other keys do nothing (':' before a command letter, as typed prompts take it, included)."""

    app: Application[Any] = Application(
        layout=Layout(Window(FormattedTextControl(lambda: render(state, hint, room), show_cursor=False),
                             wrap_lines=False, dont_extend_height=True)),
        key_bindings=bindings, style=STYLE, erase_when_done=False)
    return app.run()


def _title(entries: Sequence[Entry], value: Any, shown: Callable[[Any], str] | None) -> str:
    if isinstance(value, Enum):  # a navigation key: "(back)", "(review)"
        return f"({value.value})"
    if shown is not None:
        text = shown(value)
        if text:
            return text
    return next((e.title for e in entries if not e.separator and e.value == value), str(value))
