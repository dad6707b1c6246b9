"""``ddcheck answers import``: the route for answering without a terminal."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .common import echo, guarded, library

app = typer.Typer(help="Work with answers outside the interactive questionnaire (CI, spreadsheets).",
                  no_args_is_help=True)


@app.command("import")
@guarded
def import_answers(
    ctx: typer.Context,
    source: Path = typer.Argument(..., metavar="FILE.(csv|yaml)", help="The answers to import."),
    output: Path = typer.Option(..., "-o", "--output", metavar="ASSESSMENT.yaml",
                                help="The assessment to merge into; created if missing."),
    organisation: Optional[str] = typer.Option(None, help="Organisation carrying out the assessment (new files)."),
    subject: Optional[str] = typer.Option(None, help="What is assessed, e.g. a supplier (new files)."),
    assessor: Optional[str] = typer.Option(
        None, help="New files: the assessor. Existing files: who the imported answers are recorded as from "
        "(default: the file's assessor)."),
    date: Optional[str] = typer.Option(None, metavar="YYYY-MM-DD", help="Date of the assessment (new files; "
                                       "default today)."),
) -> None:
    """Validate answers from a CSV or YAML file and merge them into an assessment.

    Rows: checklist, question, value, and optionally note and evidence (CSV: with a header line).

    Multi-choice values and evidence items are separated by ';'. Write 'unknown' for "don't know".

    Every invalid row is reported as FILE:LINE:COL and nothing is written (exit 1; a file that
    cannot be read as rows at all, e.g. a YAML syntax error or a bad header, exits 2).

    Changed answers keep the earlier value in their history.

    \b
    Example answers.csv:
      checklist,question,value,note,evidence
      ungp-due-diligence,policy-commitment,yes,Board approved 2023,hr-policy.pdf; board-minutes.pdf
      ungp-due-diligence,partners-assessed,12,,

    \b
    Example:
      ddcheck answers import answers.csv -o acme.yaml \\
        --organisation Acme --subject "Supplier X" --assessor "J. Doe"
    """
    from ..answers.importing import ImportRejected, ImportUnreadable, merge, read_rows, validate_rows
    from ..answers.assessing import cover_option, ignored_options, load_if_exists, meta_from, new_assessment, progress_summary, reconcile
    from ..answers.assessment import load_assessment, save_assessment
    from ..errors import DdcheckError, InputError, Problem, display_path
    from ..answers.locking import AssessmentLock

    for name, value in (("organisation", organisation), ("subject", subject), ("assessor", assessor)):
        cover_option(name, value)
    rows, problems = read_rows(source)
    wanted = {str(row.fields.get("checklist") or "").strip() for row in rows}
    try:  # the checklists the assessment already answers are needed too (read again under the lock)
        wanted.update(ref.id for ref in load_assessment(output).checklists)
    except DdcheckError:
        pass
    lib = library(ctx, wanted)
    valid, invalid = validate_rows(rows, lib, display_path(source))
    if problems or invalid:
        raise ImportRejected(sorted(problems + invalid, key=lambda p: (p.line, p.col)))
    if not valid:
        raise ImportUnreadable([Problem(display_path(source), 1, 1, "no answers to import",
                                        "add one row per answer below the header")])
    shown = display_path(output)
    wanted = list(dict.fromkeys(row.checklist for row in valid))

    with AssessmentLock(output):
        assessment = load_if_exists(output)
        if assessment is None:
            missing = [f"--{name}" for name, value in (("organisation", organisation), ("subject", subject),
                                                        ("assessor", assessor)) if not (value and value.strip())]
            if missing:
                raise InputError(f"{shown} does not exist yet; to create it, also give {', '.join(missing)}")
            assessment = new_assessment(meta_from(organisation or "", subject or "", assessor or "", date),
                                        [lc.checklist for lc in lib.require(wanted)])
            echo(f"Creating {shown}.")
        else:
            for note in ignored_options(output, organisation=organisation, subject=subject, date=date):
                echo(note, err=True)
        reconciled = reconcile(assessment, lib, wanted, output)
        for line in reconciled.report:
            echo(line)
        result = merge(assessment, valid, lib, by=assessor or assessment.meta.assessor, file=display_path(source))
        save_assessment(output, assessment)
    for note in result.notes:
        echo(note, err=True)
    echo(f"Imported {len(valid)} answer(s) into {shown}: {result.new} new, {result.changed} changed, "
               f"{result.unchanged} unchanged. Now {progress_summary(assessment, reconciled.checklists)}.")
