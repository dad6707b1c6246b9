"""``ddcheck assess`` (the interactive questionnaire) and ``ddcheck status`` (how far along it is)."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import List, Optional

import typer

from .common import echo, extra_dirs, guarded, library, print_json

NO_TTY = ("'ddcheck assess' asks questions in an interactive terminal, and {what} is not one. "
          "Without a terminal (CI, scripts), put the answers in a CSV or YAML file and run "
          "'ddcheck answers import ANSWERS.csv -o {file}' (see 'ddcheck answers import --help')")


def resume_command(ctx: typer.Context, output: Path) -> str:
    """The command that continues this assessment, with the checklist folders given this time."""
    words = ["ddcheck"]
    for folder in extra_dirs(ctx):
        words += ["--checklists", str(folder)]
    words += ["assess", "-o", str(output)]
    return " ".join(shlex.quote(w) for w in words)


@guarded
def assess(
    ctx: typer.Context,
    checklist_ids: Optional[List[str]] = typer.Argument(
        None, metavar="CHECKLIST_ID",
        help="Checklists to answer (see 'ddcheck checklists list'). Leave out to resume: they come from the file."),
    output: Path = typer.Option(..., "-o", "--output", metavar="FILE",
                                help="The assessment file: created if missing, resumed if it exists."),
    organisation: Optional[str] = typer.Option(None, help="Organisation carrying out the assessment (new files)."),
    subject: Optional[str] = typer.Option(None, help="What is assessed, e.g. a supplier (new files)."),
    assessor: Optional[str] = typer.Option(
        None, help="Your name. New files: the assessor; when resuming: who gives this sitting's answers."),
    date: Optional[str] = typer.Option(None, metavar="YYYY-MM-DD", help="Date of the assessment (new files)."),
) -> None:
    """Answer checklists in the terminal; stop any time and resume where you stopped.

    Every answer is saved the moment it is given. Ctrl-C saves and tells you how to resume.

    Choice questions are arrow-key menus whose last entries go back, skip, jump, review or quit.

    In typed answers the same keys are :b :s :j :r :q, and ? means "don't know".

    Needs a terminal; without one (CI), use 'ddcheck answers import'.

    \b
    Example:  ddcheck assess ungp-due-diligence -o acme-supplier-x.yaml
    Resume:   ddcheck assess -o acme-supplier-x.yaml
    """
    from ..answers.assessing import (ask_meta, cover_option, date_option, ignored_options, load_if_exists, new_assessment,
                             progress_summary, reconcile)
    from ..answers.assessment import save_assessment
    from ..errors import EXIT_INTERRUPTED, EnvironmentProblem, InputError, display_path
    from ..answers.locking import AssessmentLock

    shown = display_path(output)
    for stream, what in ((sys.stdin, "standard input"), (sys.stdout, "standard output")):
        if not stream.isatty():
            raise EnvironmentProblem(NO_TTY.format(what=what, file=shown))
    date_option(date)  # a bad --date (or an over-long cover option) fails before anything else
    for name, value in (("organisation", organisation), ("subject", subject), ("assessor", assessor)):
        cover_option(name, value)
    lib = library(ctx)
    ids = list(dict.fromkeys(checklist_ids or []))
    lib.require(ids)  # unknown ids fail before any question is asked

    from ..answers.prompting import QuestionaryPrompter
    from ..answers.questionnaire import Outcome, Questionnaire, QuestionnaireInterrupted

    prompter = QuestionaryPrompter()
    resume = resume_command(ctx, output)
    with AssessmentLock(output), prompter.deferred_interrupts():
        assessment = load_if_exists(output)
        if assessment is None:
            if not ids:
                raise InputError(f"{shown} does not exist yet; name the checklists to answer, "
                                 f"e.g. 'ddcheck assess CHECKLIST_ID -o {shown}' (see 'ddcheck checklists list')")
            try:
                meta = ask_meta(prompter, organisation, subject, assessor, date)
            except KeyboardInterrupt:
                echo("\nInterrupted before the first answer; nothing was saved.", err=True)
                raise typer.Exit(EXIT_INTERRUPTED) from None
            assessment = new_assessment(meta, [lib.get(i).checklist for i in ids])
            save_assessment(output, assessment)
            echo(f"Created {shown}. Every answer is saved as you go.")
        else:
            echo(f"Resuming {shown}: {assessment.meta.organisation} · {assessment.meta.subject}.")
            for note in ignored_options(output, organisation=organisation, subject=subject, date=date):
                echo(note, err=True)
        reconciled = reconcile(assessment, lib, ids, output)
        for line in reconciled.report:
            echo(line)
        if reconciled.modified:
            save_assessment(output, assessment)

        questionnaire = Questionnaire(
            assessment, reconciled.checklists, prompter, save=lambda a: save_assessment(output, a),
            answered_by=assessor or assessment.meta.assessor,
            sources=lib.sources)
        try:
            outcome = questionnaire.run()
        except QuestionnaireInterrupted:
            echo(f"\nInterrupted. Your answers are saved in {shown}.", err=True)
            echo(f"Resume with: {resume}", err=True)
            raise typer.Exit(EXIT_INTERRUPTED) from None

    summary = progress_summary(assessment, reconciled.checklists)
    if outcome is Outcome.finished:
        echo(f"Finished: {summary}. Saved in {shown}.")
        echo(f"Next: 'ddcheck status {shown}', or the PDF with 'ddcheck report {shown} -o report.pdf'.")
    else:
        echo(f"Saved in {shown} ({summary}).")
        echo(f"Resume with: {resume}")


@guarded
def status(
    ctx: typer.Context,
    assessment_file: Path = typer.Argument(..., metavar="ASSESSMENT.yaml", help="An assessment file."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
) -> None:
    """Show how far an assessment is: answered, gaps, skipped and out of scope, per section.

    Also reports checklists that changed since they were answered (added, removed, changed questions).

    Reads the file only: safe while a session is answering it.

    Example:  ddcheck status acme-supplier-x.yaml --json | jq .totals
    """
    from ..answers.assessment import load_assessment
    from ..answers.assessing import checklists_of
    from ..errors import display_path
    from ..answers.status import status_data, status_text

    assessment = load_assessment(assessment_file)
    lib = library(ctx, [ref.id for ref in assessment.checklists])
    shown = display_path(assessment_file)
    data = status_data(assessment, checklists_of(assessment, lib, assessment_file), shown)
    if as_json:
        print_json(data)
        return
    for line in status_text(data, resume=resume_command(ctx, assessment_file)):
        echo(line)
