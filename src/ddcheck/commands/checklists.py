"""``ddcheck checklists ...``: list, show, validate and describe the checklist format."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import List, Optional

import typer

from .common import echo, extra_dirs, guarded, library, print_json
from .completion import checklist_ids

app = typer.Typer(
    help="Browse and check the checklists (bundled ones plus any folder given with --checklists).",
    no_args_is_help=True,
)


@app.command("list")
@guarded
def list_checklists(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print a JSON array for scripts."),
) -> None:
    """List every checklist in view: id, title, version, number of questions and file.

    Example: ddcheck checklists list --json | jq '.[].id'
    """
    from ..errors import display_path

    lib = library(ctx)
    rows = [
        {"id": cid, "title": lc.checklist.title, "version": lc.checklist.version,
         "questions": len(lc.checklist.questions()), "file": display_path(lc.path)}
        for cid, lc in sorted(lib.checklists.items())
    ]
    if as_json:
        print_json(rows)
        return
    if not rows:
        echo("No checklists found.")
        return
    width = max(len(r["id"]) for r in rows)
    for r in rows:
        echo(f"{r['id']:<{width}}  v{r['version']:<7} {r['questions']:>3} questions  {r['title']}")
        echo(f"{'':<{width}}  {r['file']}")


@app.command("show")
@guarded
def show(
    ctx: typer.Context,
    checklist_id: str = typer.Argument(..., metavar="ID", help="Checklist id, as 'checklists list' prints it.",
                                       autocompletion=checklist_ids),
) -> None:
    """Print a readable outline of one checklist: sections, questions, answer scales, conditions.

    Questions are numbered as 'assess', the workbook and the report number them (2.3: section 2,
    question 3); 'id:' is what answer files (CSV, YAML) name them by.

    \b
    Example:
      ddcheck checklists show forced-labour | less

    \b
    Exit codes: 0 shown; 2 no checklist with that id (a close one is suggested).
    """
    from ..answers.scope import question_label
    from ..checklists.conditions import describe
    from ..checklists.frameworks import FRAMEWORKS

    lib = library(ctx, [checklist_id])
    cl = lib.get(checklist_id).checklist
    echo(f"{cl.title}  ({cl.id} v{cl.version})")
    echo(_fill(cl.summary, "  "))
    if cl.applies_to:
        echo(_fill("Applies to: " + "; ".join(cl.applies_to), "  "))
    for s_i, section in enumerate(cl.sections, start=1):
        echo(f"\n== {s_i}. {section.title} [{section.id}]")
        if section.intro:
            echo(_fill(section.intro, "   "))
        for q_i, q in enumerate(section.questions, start=1):
            choices = cl.choices(q)
            answer = " / ".join(c.value for c in choices) if choices else q.type.value
            label = question_label(s_i, q_i)
            echo(_fill(q.text, " " * (len(label) + 3), first=f"  {label} "))
            detail = " " * (len(label) + 3)
            weight = ("   exposure question" if q.is_exposure else f"   weight: {q.weight:g}") if q.scored \
                else "   (not scored)"
            echo(_line(f"id: {q.id}   answers: {answer}{weight}", detail))
            if q.when:
                echo(_line(f"asked when: {describe(q.when)}", detail))
            if q.red_flag:
                severity = " (critical)" if q.red_flag.severity.value == "critical" else ""
                echo(_line(f"red flag{severity} when: {describe(q.red_flag, q.id)}", detail))
            if cl.home_of(q.id) != cl.id:
                echo(_line(f"shared: asked once, answered in {cl.home_of(q.id)}", detail))
            for framework, refs in q.frameworks.items():
                labels = "; ".join(FRAMEWORKS[framework].label(r) for r in refs)
                echo(_line(f"{FRAMEWORKS[framework].title}: {labels}", detail))
            for c in q.cite:
                source = lib.sources.get(c.source)
                echo(_line(f"cites: {source.title if source else c.source}, {c.locator}", detail))


def _width() -> int:
    """The terminal's width, at most 100 columns: longer lines are hard to read."""
    import shutil

    return max(40, min(100, shutil.get_terminal_size((100, 24)).columns - 1))


def _line(text: str, indent: str) -> str:
    """A detail line, wrapped under its own indent with its spacing kept (``id: x   answers: ...``)."""
    return textwrap.fill(text, width=_width(), initial_indent=indent, subsequent_indent=indent + "  ",
                         replace_whitespace=False, drop_whitespace=True, break_on_hyphens=False)


def _fill(text: str, indent: str, first: str | None = None) -> str:
    """Prose wrapped to the terminal, lines after the first indented (as the questionnaire wraps it)."""
    from ..answers.screen import wrap

    return "\n".join(wrap(text, _width(), indent, first))


@app.command("validate")
@guarded
def validate(
    ctx: typer.Context,
    paths: Optional[List[Path]] = typer.Argument(
        None, help="Checklist files to check. Default: every checklist in view."),
    as_json: bool = typer.Option(False, "--json", help="Print problems as a JSON array."),
) -> None:
    """Check checklists and report every problem as FILE:LINE:COL: message (hint).

    Exit status 0 when every file is clean, 1 when any problem is found.
    """
    from ..checklists.library import collect

    from ..errors import capped

    lib, problems = collect(extra_dirs=extra_dirs(ctx), paths=paths or None)
    problems = capped(problems)
    errors = [p for p in problems if not p.warning]
    if as_json:
        print_json([{"file": p.file, "line": p.line, "col": p.col, "message": p.message, "hint": p.hint,
                     "severity": "warning" if p.warning else "error"} for p in problems])
    else:
        for p in problems:
            echo(str(p), err=True)
        warnings = len(problems) - len(errors)
        if errors:
            echo(f"{len(errors)} problem(s) found" + (f", {warnings} warning(s)." if warnings else "."), err=True)
        else:
            count = sum(len(lc.checklist.questions()) for lc in lib.checklists.values())
            echo(f"OK: {len(lib.checklists)} checklist(s), {count} questions, "
                 f"{len(lib.sources)} source(s)" + (f"; {warnings} warning(s)." if warnings else "."))
    if errors:
        raise typer.Exit(1)


@app.command("schema")
@guarded
def schema(
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write to this file instead of stdout."),
) -> None:
    """Print the JSON Schema of the checklist format, for completion and checking in editors.

    Save it and point your YAML editor at it with a first line such as:
    # yaml-language-server: $schema=./checklist.schema.json
    """
    import json

    from ..answers.assessment import write_atomic
    from ..checklists.model import Checklist
    from ..errors import InputError, display_path

    data = Checklist.model_json_schema(by_alias=True)
    data["title"] = "ddcheck checklist"
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if output:
        if output.is_dir():
            raise InputError(f"-o {display_path(output)}: is a folder; give a file name, e.g. -o checklist.schema.json")
        if not output.parent.is_dir():
            raise InputError(f"-o {display_path(output)}: no such folder {display_path(output.parent)}")
        try:
            write_atomic(output, text.encode("utf-8"))
        except OSError as exc:
            raise InputError(f"-o {display_path(output)}: cannot write: {exc.strerror}") from None
        echo(f"Wrote {output}")
    else:
        echo(text, nl=False)
