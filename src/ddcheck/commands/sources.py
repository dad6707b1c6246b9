"""``ddcheck sources ...``: the documents checklists cite, and verification of every quote."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .common import echo, guarded, library, print_json

app = typer.Typer(help="The source documents the checklists cite, and checks of their quotes.",
                  no_args_is_help=True)

ENV_TEXTS = "DDCHECK_SOURCE_TEXTS"
UNKNOWN_FACT = "unknown"  # the word the bibliography uses too, for facts a source does not state


@app.command("list")
@guarded
def list_sources(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print a JSON array for scripts."),
) -> None:
    """List the registered sources with what is known of each (unknown facts say 'unknown')."""
    lib = library(ctx)
    rows = [s.model_dump(mode="json") for s in lib.sources.values()]
    if as_json:
        print_json(rows)
        return
    for s in lib.sources.values():
        authors = ", ".join(s.authors) if s.authors else None
        echo(f"{s.id}\n  {s.title}\n  authors: {_fact(authors)}; publisher: {_fact(s.publisher)}; "
                   f"date: {_fact(s.date)}\n  url: {_fact(s.url)}; text file: {s.file or 'none'}")


def _fact(value: str | None) -> str:
    """A fact of a source as printed: the registry keeps unstated facts null, shown as 'unknown'."""
    return value or UNKNOWN_FACT


@app.command("verify")
@guarded
def verify(
    ctx: typer.Context,
    texts: Optional[Path] = typer.Option(
        None, "--texts", envvar=ENV_TEXTS, help="Folder holding the sources' plain-text files "
        f"(named by 'file' in sources.yaml). Also read from {ENV_TEXTS}."),
    as_json: bool = typer.Option(False, "--json", help="Print misses as a JSON array."),
) -> None:
    """Check that every quote of every checklist appears verbatim in its source's text.

    Whitespace and typographic quotes are folded; nothing else is forgiven. Each miss prints as
    FILE:LINE:COL: quote not found in SOURCE: "...". Exit status 1 if any quote is missing.

    Example: ddcheck sources verify --texts ../shared/seeds
    """
    from ..checklists.citations import verify as verify_quotes
    from ..errors import InputError

    if texts is None:
        raise InputError(f"say where the source texts are: --texts DIR (or set {ENV_TEXTS})")
    if not texts.is_dir():
        raise InputError(f"--texts {texts}: no such folder")
    problems, checked = verify_quotes(library(ctx), texts)
    if as_json:
        print_json({"checked": checked, "problems": [
            {"file": p.file, "line": p.line, "col": p.col, "message": p.message} for p in problems]})
    else:
        for p in problems:
            echo(str(p), err=True)
        echo(f"{checked} quote(s) checked, {len(problems)} problem(s).",
                   err=bool(problems))
    if problems:
        raise typer.Exit(1)
