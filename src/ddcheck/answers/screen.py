"""What the questionnaire prints above each prompt, as pure functions of the state and the terminal size.

The screen is built for an 80×24 terminal first: one progress line, then the question, then what
is already recorded, with the prompt right under the question so the question is on screen at
every prompt. Guidance, the evidence asked for and the sources ("details") come before the
question when they fit (wider and taller terminals, or ``--verbose``), else behind the ``i`` key.
Every line is wrapped or cut to the width, so nothing relies on the terminal's own wrapping.
"""

from __future__ import annotations

import textwrap
from typing import Mapping, Sequence

from . import progress
from .assessment import Answer
from .progress import Item, Standing, State
from .values import display_value
from ..checklists.model import Source

MIN_WIDTH = 40


def wrap(text: str, width: int, indent: str = "", first: str | None = None) -> list[str]:
    """Lines of at most ``width`` characters (words longer than the line are broken)."""
    return textwrap.wrap(" ".join(str(text).split()), width=max(MIN_WIDTH, width),
                         initial_indent=indent if first is None else first, subsequent_indent=indent) or [""]


def cut(text: str, width: int) -> str:
    """One line of at most ``width`` characters, ending in '…' when cut."""
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[:max(1, width - 1)] + "…"


def join_hint(parts: Sequence[str], width: int) -> str:
    """Key hints joined by ' · ', broken between hints (never inside one) to fit the width."""
    lines: list[str] = []
    line = ""
    for part in parts:
        candidate = f"{line} · {part}" if line else part
        if len(candidate) > width - 2 and line:
            lines.append(line)
            line = part
        else:
            line = candidate
    lines.append(line)
    return "\n  ".join(lines)


def progress_line(item: Item, all_items: Sequence[Item], found: Mapping[tuple[str, str], Standing],
                  width: int) -> str:
    """``── Grievance (2/5) · 1/4 here · 5/12 overall ──``: where we are, in one line."""
    here = progress.section_counts(all_items, found, item.checklist.id, item.section.id)
    overall = progress.count(found.values())
    several = len({i.checklist.id for i in all_items}) > 1
    counts = f" ({item.section_number}/{len(item.checklist.sections)}) · {here.answered}/{here.relevant} here · " \
             f"{overall.answered}/{overall.relevant} overall "
    title = (f"{item.checklist.id} › " if several else "") + item.section.title  # the id: short, as typed
    room = width - len(counts) - 4
    line = f"── {cut(title, max(10, room))}{counts}"
    return line + "─" * max(0, width - len(line))


def question_lines(item: Item, width: int) -> list[str]:
    """``2.3  The question…`` with a hanging indent, never cut."""
    head = f"{item.number}  "
    return wrap(item.question.text, width, indent=" " * len(head), first=head)


def details_lines(item: Item, sources: Mapping[str, Source], width: int) -> list[str]:
    """Guidance, evidence asked for and the cited sources (the ``i`` key, or shown when they fit)."""
    q = item.question
    lines = wrap(f"Guidance: {q.guidance}", width, "  ")
    if q.evidence:
        lines += wrap("Evidence asked for: " + "; ".join(q.evidence), width, "  ")
    for citation in q.cite:
        source = sources.get(citation.source)
        title = source.title if source else citation.source
        lines += wrap(f"Source: {title}, {citation.locator}", width, "  ")
        lines += wrap(citation.quoted, width, "    ")
    return lines


def recorded_lines(item: Item, answer: Answer | None, state: State | None, width: int) -> list[str]:
    """What the file already holds for this question: the answer (or that it changed), note, evidence."""
    cl, q = item.checklist, item.question
    if answer is None or answer.value is None:
        return wrap("Skipped earlier (a gap until answered).", width, "  ") if state is State.skipped else []
    shown = display_value(cl, q, answer.value)
    if state is State.to_confirm:
        lines = wrap(f"This question changed since it was answered. Earlier answer: {shown} — confirm "
                     "it (Enter) or change it.", width, "  ")
    else:
        when = answer.confirmed_at or answer.answered_at
        lines = wrap(f"Current answer: {shown}  ({answer.confirmed_by or answer.answered_by}, {when:%Y-%m-%d})",
                     width, "  ")
    if answer.note:
        lines += wrap(f"Note: {answer.note}", width, "  ")
    if answer.evidence:
        lines += wrap("Evidence: " + "; ".join(answer.evidence), width, "  ")
    return lines


def question_screen(item: Item, answer: Answer | None, all_items: Sequence[Item],
                    found: Mapping[tuple[str, str], Standing], sources: Mapping[str, Source],
                    width: int, details: bool) -> list[str]:
    """The lines above the prompt; the question comes last but for what is recorded, next to the prompt."""
    standing = found.get(item.key)
    lines = ["", progress_line(item, all_items, found, width)]
    if details:
        lines += details_lines(item, sources, width)
    lines += question_lines(item, width)
    lines += recorded_lines(item, answer, standing.state if standing else None, width)
    return lines


def review_title(item: Item, answer: Answer | None, state: State, width: int) -> str:
    """``2.3  Question text…  →  Answer  (changed — confirm)``: the answer is never cut, the question is."""
    gap = " — a gap" if item.question.scored else ""  # text, number and date are never gaps
    if state is State.skipped:
        shown = f"(skipped{gap})"
    elif state is State.unanswered:
        shown = f"(not answered{gap})"
    else:
        value = display_value(item.checklist, item.question, answer.value if answer else None)
        shown = cut(value, max(12, width // 3))
        if state is State.to_confirm:
            shown += "  (changed — confirm)"
    head = f"{item.number}  "
    room = width - len(head) - len(shown) - len("  →  ")
    return f"{head}{cut(item.question.text, max(12, room))}  →  {shown}"
