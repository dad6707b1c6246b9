"""What every command shares: clean error reporting, JSON output, the library in view.

Commands stay thin: parse options, call a pure function, print. Heavy modules (pydantic models,
Jinja2, WeasyPrint) are imported inside command bodies so ``ddcheck --help`` stays fast and
commands that do not render PDFs never import WeasyPrint.
"""

from __future__ import annotations

import functools
import json
import re
import sys
from pathlib import Path
from typing import Any, Callable, TypeVar

import typer

F = TypeVar("F", bound=Callable[..., Any])


def guarded(func: F) -> F:
    """Report DdcheckError as clean lines on stderr with its exit code; never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from ..errors import DdcheckError

        try:
            return func(*args, **kwargs)
        except DdcheckError as exc:
            for line in exc.lines():
                echo(f"error: {line}" if not _located(line) else line, err=True)
            raise typer.Exit(exc.exit_code) from None

    return wrapper  # type: ignore[return-value]


def _located(line: str) -> bool:
    """Lines that already start with FILE:LINE:COL (or a workbook cell, FILE:Sheet!D14) are printed as
    they are, for editors to jump to."""
    head = line.split(": ", 1)[0]
    parts = head.rsplit(":", 2)
    if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
        return True
    return re.fullmatch(r".+:[^:!]+![A-Z]{1,3}[0-9]+", head) is not None


def extra_dirs(ctx: typer.Context) -> list[Path]:
    """Checklist folders given with the global ``--checklists`` option."""
    root = ctx.find_root()
    return list((root.obj or {}).get("checklists", []))


def library(ctx: typer.Context, wanted: Any = None):  # -> Library, imported lazily
    """The checklists in view; with ``wanted`` (ids), only those and what they need are parsed."""
    from ..checklists.library import load_library

    return load_library(extra_dirs(ctx), wanted)


def library_for(ctx: typer.Context, *answered: tuple[Path, Any]):  # (file, Assessment) pairs -> Library
    """The checklists these assessments were answered against, and only those are parsed; one not
    in view stops the command with the place where its file names it (exit 2)."""
    from ..errors import display_path

    lib = library(ctx, [ref.id for _, assessment in answered for ref in assessment.checklists])
    for path, assessment in answered:
        lib.require([ref.id for ref in assessment.checklists], answered_in=display_path(path),
                    places=assessment.places)
    return lib


def echo(text: object = "", err: bool = False, nl: bool = True) -> None:
    """Print a line to the terminal, every control character shown visibly (``ddcheck.terminal``).

    The one way commands print: answers, cover fields and file names are untrusted text.
    """
    from ..terminal import visible

    typer.echo(visible(text), err=err, nl=nl)


def print_json(data: Any) -> None:
    """JSON for scripts: controls escaped, no NaN (``ddcheck.terminal.dumps_json``)."""
    from ..terminal import dumps_json

    sys.stdout.write(dumps_json(data) + "\n")
