"""The ``ddcheck`` command line: a thin Typer shell over pure functions.

Each command group lives in ``ddcheck.commands.<name>``; those modules import only Typer at
start-up so ``--help`` answers quickly, and only ``report``/``demo``/``doctor`` import WeasyPrint.
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from . import __version__
from .commands import actions, answers, assess, checklists, export, portfolio, report, score, sources

app = typer.Typer(
    name="ddcheck",
    help=(
        "Human-rights due diligence checklists in your terminal, and scored PDF reports in which "
        "every question cites the document it came from.\n\n"
        "Start with 'ddcheck checklists list', answer one with 'ddcheck assess ID -o answers.yaml', "
        "then 'ddcheck report answers.yaml -o report.pdf'. 'ddcheck demo' renders the bundled examples."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,  # --install-completion / --show-completion; checklist ids in commands/completion.py
    context_settings={"help_option_names": ["-h", "--help"]},
)
# In the order of the work: answer, check progress, score, report; then the maintainers' tools.
app.command("assess")(assess.assess)
app.command("status")(assess.status)
app.add_typer(answers.app, name="answers")
app.add_typer(export.app, name="export")
app.command("score")(score.score)
app.command("compare")(score.compare)
app.add_typer(actions.app, name="actions")
app.command("report")(report.report)
app.command("portfolio")(portfolio.portfolio)
app.command("demo")(report.demo)
app.command("doctor")(report.doctor)
app.add_typer(checklists.app, name="checklists")
app.add_typer(sources.app, name="sources")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ddcheck {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    checklist_dirs: Optional[List[Path]] = typer.Option(
        None, "--checklists", metavar="DIR",
        help="Also load checklists (and a sources.yaml) from DIR; repeatable. "
        "DDCHECK_CHECKLISTS adds folders too (separated by ':').",
    ),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    ctx.obj = {"checklists": list(checklist_dirs or [])}


if __name__ == "__main__":  # pragma: no cover
    app()
