"""``ddcheck actions FILE`` and ``ddcheck actions set FILE ID``: follow up the recommended actions.

``actions FILE`` is short for ``actions list FILE``: the group routes anything that is not one of
its sub-commands to ``list``, so the everyday command stays the short one.
"""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Optional

import click
import typer
from typer.core import TyperGroup

from ..answers.action_status import ActionStatus
from .common import echo, guarded, library, print_json
from .dates import as_of_or_today, parse_day


class _ListByDefault(TyperGroup):
    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = ["list", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(cls=_ListByDefault, no_args_is_help=True,
                  help="Follow up the recommended actions of an assessment: ids, owners, due dates, status.\n\n"
                  "'ddcheck actions FILE' lists them; 'ddcheck actions set FILE ID ...' records a change.")

AS_OF_HELP = "Judge 'overdue' on this day (YYYY-MM-DD) instead of today."


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # pragma: no cover - no user name in some containers
        return "unknown"


@app.command("list")
@guarded
def list_actions(
    ctx: typer.Context,
    assessment: Path = typer.Argument(..., metavar="ASSESSMENT.yaml", help="An assessment file."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
    as_of: Optional[str] = typer.Option(None, "--as-of", metavar="DATE", help=AS_OF_HELP),
) -> None:
    """List every recommended action with its id, status, owner and due date, most urgent first.

    Ids stay the same as long as the answer that calls for the action does not change.

    Example: ddcheck actions supplier-x.yaml --json | jq '.actions[] | select(.overdue)'
    """
    from ..answers.assessment import load_assessment
    from ..errors import display_path
    from ..findings.model import to_json
    from ..portfolio.actions import actions_of

    day = as_of_or_today(as_of)
    answers = load_assessment(assessment)
    found = actions_of(answers, library(ctx, [ref.id for ref in answers.checklists]), day)
    if as_json:
        print_json({"file": display_path(assessment), "as_of": day.isoformat(),
                    "counts": {"actions": len(found.actions), "open": found.open, "overdue": found.overdue},
                    "actions": to_json(found.actions), "retired": to_json(found.retired)})
        return
    from ..terminal import columns
    from .portfolio_text import action_lines

    for line in action_lines(found, day, columns()):
        echo(line)


@app.command("set")
@guarded
def set_action(
    ctx: typer.Context,
    assessment: Path = typer.Argument(..., metavar="ASSESSMENT.yaml", help="An assessment file."),
    action: str = typer.Argument(..., metavar="ID", help="The action's id, from 'ddcheck actions FILE'."),
    owner: Optional[str] = typer.Option(None, "--owner", metavar="NAME", help="Who is responsible."),
    due: Optional[str] = typer.Option(None, "--due", metavar="DATE", help="Due date, YYYY-MM-DD."),
    status: Optional[ActionStatus] = typer.Option(None, "--status", case_sensitive=False,
                                                  help="open, in-progress, done or risk-accepted."),
    comment: Optional[str] = typer.Option(None, "--comment", metavar="TEXT", help="What was done or decided."),
    by: Optional[str] = typer.Option(None, "--by", metavar="NAME",
                                     help="Who records the change (default: your login name)."),
) -> None:
    """Record an action's owner, due date, status or comment; what you leave out stays as it was.

    Saved atomically under the assessment's lock (refused, exit 3, while 'ddcheck assess' has the
    file open); the earlier state is kept in the action's history.

    Example: ddcheck actions set supplier-x.yaml 3f9c2a1b --owner "J. Doe" --due 2025-09-30 --status in-progress
    """
    from ..errors import InputError, display_path
    from ..portfolio.actions import record_action

    if owner is None and due is None and status is None and comment is None:
        raise InputError("nothing to record: give --owner, --due, --status or --comment")
    done = record_action(assessment, library(ctx), action.strip().lower(), by=by or _user(),
                         status=status, owner=owner, due=parse_day(due, "--due"), comment=comment)
    who = f", owner {done.owner}" if done.owner else ""
    when = f", due {done.due}" if done.due else ""
    echo(f"{display_path(assessment)}: action {done.id} is {done.status}{who}{when}")
