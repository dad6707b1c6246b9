"""One error family for everything a user can get wrong.

Every problem names a place (``file:line:col``) and says what to do about it, in the style of
pyxform and StrictDoc: a maintainer should be able to fix a checklist from the message alone.
The CLI turns these into one line each and an exit code; nothing here prints.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

# Exit codes, documented in the README's "Exit codes" table so scripts can rely on them (0: success).
EXIT_PROBLEMS = 1  # the check ran and found problems (invalid checklist, missing quote, invalid answer rows)
EXIT_BAD_INPUT = 2  # bad command line, or an unreadable / broken input file (assessment, answers file)
EXIT_CONFLICT = 3  # conflict: the file is locked by another session, or the output would overwrite the assessment
EXIT_ENVIRONMENT = 4  # something outside the input is missing: no terminal, no font, no PDF renderer
EXIT_INTERRUPTED = 130  # Ctrl-C in 'assess', after saving


@dataclass(frozen=True)
class Problem:
    """One thing wrong at one place. ``line`` and ``col`` are 1-based; 0 means unknown."""

    file: str
    line: int
    col: int
    message: str
    hint: str = ""
    # A warning is reported but does not fail validation or stop loading (e.g. a scale that scores
    # "unknown" below its maximum: legal, but scoring always counts it as a gap).
    warning: bool = False

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}:{self.col or 1}"
        text = f"{where}: {'warning: ' if self.warning else ''}{self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


MAX_PROBLEMS_PER_FILE = 100  # then one line says how many more: 90,000 copies of one mistake help no one


def capped(problems: Iterable[Problem], limit: int = MAX_PROBLEMS_PER_FILE) -> list[Problem]:
    """The first ``limit`` problems of each file, then one located line saying how many more."""
    kept: list[Problem] = []
    counts: dict[str, int] = {}
    more_at: dict[str, int] = {}  # file -> index of its "and N more" line in ``kept``
    for p in problems:
        counts[p.file] = counts.get(p.file, 0) + 1
        if p.message.startswith("\u2026 and ") and p.message.endswith(" more problem(s) in this file"):
            counts[p.file] += int(p.message.split()[2]) - 1  # capped before: keep its count
            if p.file in more_at:
                continue
        elif counts[p.file] <= limit:
            kept.append(p)
            continue
        if p.file not in more_at:
            more_at[p.file] = len(kept)
            kept.append(p)
    for file, index in more_at.items():
        first = kept[index]
        kept[index] = Problem(file, first.line, first.col, f"\u2026 and {counts[file] - limit} more problem(s) in this file",
                              "fix these first; often one mistake repeats", warning=first.warning)
    return kept


class DdcheckError(Exception):
    """Base of every error the CLI reports as a clean message instead of a traceback."""

    exit_code = EXIT_BAD_INPUT

    def lines(self) -> list[str]:
        return [str(self)]


class ProblemsError(DdcheckError):
    """A file (or several) with one or more located problems, reported together."""

    exit_code = EXIT_PROBLEMS

    def __init__(self, problems: Iterable[Problem]):
        self.problems = capped(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


class BrokenInput(ProblemsError):
    """An input file that cannot be used at all (syntax error, wrong shape, invalid assessment).

    Printed as FILE:LINE:COL lines like other problems, but exits 2 like any unreadable input: the
    check never ran. Invalid *rows* of an answers file stay ``ProblemsError`` (exit 1).
    """

    exit_code = EXIT_BAD_INPUT


class InputError(DdcheckError):
    """Unreadable or malformed input the user handed us (a file, an option value)."""

    exit_code = EXIT_BAD_INPUT


class ConflictError(DdcheckError):
    """Another session holds the file, or we refuse to overwrite something."""

    exit_code = EXIT_CONFLICT


class EnvironmentProblem(DdcheckError):
    """The machine lacks something we need (a terminal, a font)."""

    exit_code = EXIT_ENVIRONMENT


def closest(name: str, choices: Iterable[str]) -> str | None:
    """The choice closest to ``name`` (a likely typo of it), or None when nothing is close."""
    close = difflib.get_close_matches(str(name), sorted(set(choices)), n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """A "did you mean 'x'?" hint, or an empty string when nothing is close."""
    close = closest(name, choices)
    return f"did you mean '{close}'?" if close else ""


def display_path(path: Path | str) -> str:
    """Paths relative to the working directory when they are below it, as editors expect."""
    p = Path(path)
    try:  # abspath, not resolve: a link keeps the name the user gave, and a link loop cannot raise
        return str(Path(os.path.abspath(p)).relative_to(Path(os.path.abspath(os.getcwd()))))
    except (ValueError, OSError):
        return str(p)
