"""``ddcheck assess`` (the interactive questionnaire) and ``ddcheck status`` (how far along it is)."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Any, Callable, List, Optional

import typer

from .common import echo, extra_dirs, guarded, library, print_json
from .completion import checklist_ids

NO_TTY = ("'ddcheck assess' asks questions in an interactive terminal, and {what} is not one. "
          "Without a terminal (CI, scripts), put the answers in a CSV or YAML file and run "
          "'ddcheck answers import ANSWERS.csv -o {file}' (see 'ddcheck answers import --help')")


def _command(ctx: typer.Context, *args: str) -> str:
    """A ddcheck command line with the checklist folders given this time, quoted for a shell."""
    words = ["ddcheck"]
    for folder in extra_dirs(ctx):
        words += ["--checklists", str(folder)]
    return " ".join(shlex.quote(w) for w in [*words, *args])


def resume_command(ctx: typer.Context, output: Path) -> str:
    """The command that continues this assessment, with the checklist folders given this time."""
    return _command(ctx, "assess", "-o", str(output))


def report_command(ctx: typer.Context, output: Path) -> str:
    """The command that renders this assessment's PDF report next to it."""
    return _command(ctx, "report", str(output), "-o", str(output.with_name(output.stem + "-report.pdf")))


_GAP_WORDS = {"unanswered": "not answered yet", "skipped": "skipped", "unknown": "don't know"}  # why a gap flags


def sitting_summary(findings: Any, counts: Any, answered_now: set[tuple[str, str]],
                    home_of: Callable[[str, str], str], width: int = 80) -> list[str]:
    """The end of a sitting: answered now, gaps left, red flags raised (those raised now marked).

    A shared question counted in two checklists is one red flag here: one answer raised it.
    """
    flags, seen = [], set()
    for flag in findings.red_flags:
        key = (home_of(flag.checklist_id, flag.question_id), flag.question_id)
        if key not in seen:
            seen.add(key)
            flags.append((key, flag))
    critical = sum(flag.severity == "critical" for _, flag in flags)
    lines = [f"This sitting: {len(answered_now)} answered · {counts.answered}/{counts.relevant} answered in all "
             f"· {counts.gaps} gap(s) left · {len(flags)} red flag(s)" + (f", {critical} critical" if critical else "")]
    several = len(findings.checklists) > 1
    for key, flag in flags:
        where = f"{flag.checklist_id} {flag.number}" if several else flag.number
        kind = "critical red flag" if flag.severity == "critical" else "red flag"
        why = _GAP_WORDS.get(flag.gap_reason or "", "") if str(flag.status.value) == "gap" else ""
        marks = (" (raised now)" if key in answered_now else "") + (f" ({why})" if why else "")
        line = f"  {kind} {where}{marks}: {' '.join(flag.text.split())}"
        lines.append(line if len(line) <= width else line[:width - 1] + "…")
    return lines


@guarded
def assess(
    ctx: typer.Context,
    checklist_ids: Optional[List[str]] = typer.Argument(
        None, metavar="CHECKLIST_ID", autocompletion=checklist_ids,
        help="Checklists to answer (see 'ddcheck checklists list'). Leave out to resume: they come from the file."),
    output: Path = typer.Option(..., "-o", "--output", metavar="FILE",
                                help="The assessment file: created if missing, resumed if it exists."),
    organisation: Optional[str] = typer.Option(None, help="Organisation carrying out the assessment (new files)."),
    subject: Optional[str] = typer.Option(None, help="What is assessed, e.g. a supplier (new files)."),
    assessor: Optional[str] = typer.Option(
        None, help="Your name. New files: the assessor; when resuming: who gives this sitting's answers."),
    date: Optional[str] = typer.Option(None, metavar="YYYY-MM-DD", help="Date of the assessment (new files)."),
    verbose: bool = typer.Option(False, "--verbose", "-v",
                                 help="Show guidance, evidence asked for and sources with every question "
                                 "(else they show when the terminal has room, or with the 'i' key)."),
) -> None:
    """Answer checklists in the terminal; stop any time and resume where you stopped.

    Every answer, note and evidence list is saved the moment you press Enter. Ctrl-C saves and tells you how to resume (exit 130); Ctrl-D saves and quits (exit 0).

    In menus: 1-9 pick an answer, ? is "don't know", i shows guidance and sources, b back, s skip, j jump to a section, r review & finish, q save and quit.

    In typed answers, notes and evidence the same keys follow a colon (:b :s :j :r :q :i); ? means "don't know".

    Needs a terminal; without one (CI), use 'ddcheck answers import'.

    \b
    Example:  ddcheck assess ungp-due-diligence -o acme-supplier-x.yaml
    Resume:   ddcheck assess -o acme-supplier-x.yaml

    \b
    Exit codes: 0 finished, or left with q, :q or Ctrl-D (answers saved);
    2 unknown checklist or a broken assessment file (never overwritten);
    3 another session holds the file; 4 no terminal; 130 Ctrl-C (answers saved).
    """
    from ..answers.assessing import (ask_meta, cover_option, date_option, ignored_options, load_if_exists,
                                     new_assessment, reconcile)
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
    ids = list(dict.fromkeys(checklist_ids or []))
    # Parse only the checklists this session needs (named, and those a resumed file answers): a
    # read-only peek at the file; it is read again under the lock below.
    existing = load_if_exists(output)
    lib = library(ctx, [*ids, *(ref.id for ref in existing.checklists)] if existing else ids)
    lib.require(ids)  # unknown ids fail before any question is asked

    from ..answers.prompting import TerminalPrompter
    from ..answers.questionnaire import Outcome, Questionnaire, QuestionnaireInterrupted

    prompter = TerminalPrompter()
    resume = resume_command(ctx, output)
    with AssessmentLock(output), prompter.deferred_interrupts():
        assessment = load_if_exists(output)
        if assessment is None:
            if not ids:
                raise InputError(f"{shown} does not exist yet; name the checklists to answer, "
                                 f"e.g. 'ddcheck assess CHECKLIST_ID -o {shown}' (see 'ddcheck checklists list')")
            try:
                meta = ask_meta(prompter, organisation, subject, assessor, date)
            except (KeyboardInterrupt, EOFError):
                echo("\nStopped before the first answer; nothing was saved.", err=True)
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
            sources=lib.sources, verbose=verbose)
        try:
            outcome = questionnaire.run()
        except QuestionnaireInterrupted:
            echo(f"\nInterrupted. Your answers are saved in {shown}.", err=True)
            echo(f"Resume with: {resume}", err=True)
            raise typer.Exit(EXIT_INTERRUPTED) from None

    from ..answers.progress import summary
    from ..findings.scoring import score_assessment

    checklists = {c.id: c for c in reconciled.checklists}
    findings = score_assessment(assessment, checklists, lib.sources)
    homes = {c.id: c for c in reconciled.checklists}
    echo("")
    if outcome is Outcome.ended:
        echo(f"Ctrl-D: saved in {shown}.")
    elif outcome is Outcome.finished:
        echo(f"Finished. Saved in {shown}.")
    else:
        echo(f"Saved in {shown}.")
    for line in sitting_summary(findings, summary(reconciled.checklists, assessment), questionnaire.sitting.answered,
                                lambda cid, qid: homes[cid].home_of(qid) if cid in homes else cid,
                                questionnaire.width):
        echo(line)
    if outcome is not Outcome.finished:
        echo(f"Continue with: {resume}")
    echo(f"Report with:   {report_command(ctx, output)}")


@guarded
def status(
    ctx: typer.Context,
    assessment_file: Path = typer.Argument(..., metavar="ASSESSMENT.yaml", help="An assessment file."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
    as_of: Optional[str] = typer.Option(None, "--as-of", metavar="DATE",
                                        help="Say whether re-assessment is due on this day (YYYY-MM-DD), not today."),
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
    from ..findings.model import to_json
    from ..findings.reassessment import reassessment
    from ..findings.scoring import score_assessment
    from .dates import as_of_or_today

    in_view = {cid: lc.checklist for cid, lc in lib.checklists.items()}
    due = reassessment(assessment.meta.date, score_assessment(assessment, in_view, lib.sources), in_view,
                       as_of_or_today(as_of))
    data["reassessment"] = to_json(due)
    if as_json:
        print_json(data)
        return
    for line in status_text(data, resume=resume_command(ctx, assessment_file),
                            reassessment=due.text[0].upper() + due.text[1:]):
        echo(line)
