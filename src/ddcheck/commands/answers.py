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
    source: Path = typer.Argument(..., metavar="FILE.(csv|yaml|xlsx)",
                                  help="The answers to import: rows (CSV or YAML), or a questionnaire workbook "
                                  "returned by a respondent ('ddcheck export xlsx')."),
    output: Path = typer.Option(..., "-o", "--output", metavar="ASSESSMENT.yaml",
                                help="The assessment to merge into; created if missing (ODK/Kobo "
                                "submissions: a folder)."),
    organisation: Optional[str] = typer.Option(None, help="Organisation carrying out the assessment (new files)."),
    subject: Optional[str] = typer.Option(None, help="What is assessed, e.g. a supplier (new files)."),
    assessor: Optional[str] = typer.Option(
        None, help="New files: the assessor. Existing files: who the imported answers are recorded as from "
        "(default: the file's assessor)."),
    date: Optional[str] = typer.Option(None, metavar="YYYY-MM-DD", help="Date of the assessment (new files; "
                                       "default today, or the submission's date)."),
    per: str = typer.Option("submission", metavar="submission|subject",
                            help="ODK/Kobo submissions: one assessment file per submission, or per subject."),
) -> None:
    """Validate answers (CSV, YAML, a filled workbook, ODK/Kobo submissions) and merge them into an assessment.

    Rows: checklist, question, value, and optionally note and evidence (CSV: with a header line).

    A workbook from 'ddcheck export xlsx' is read by its stored layout: a workbook whose rows were moved, inserted or deleted is refused (exit 2), problems are located as FILE:Questions!D14, and the respondent it names is recorded as the source of every answer.

    A submissions CSV of a form from 'ddcheck export xlsform' (ODK Central, or KoboToolbox with "XML values and headers") gives one assessment per submission, or per subject with '--per subject', in the folder given with -o (named after the subject).

    Multi-choice values and evidence items are separated by ';'. Write 'unknown' for "don't know".

    Every invalid row is reported as FILE:LINE:COL and nothing is written (exit 1; a file that
    cannot be read as rows at all, e.g. a YAML syntax error or a bad header, exits 2).

    Changed answers keep the earlier value in their history.

    \b
    Example answers.csv:
      checklist,question,value,note,evidence
      ungp-due-diligence,policy-commitment,yes,Board approved 2023,hr-policy.pdf; board-minutes.pdf
      ungp-due-diligence,last-report-date,2024-06-30,,

    \b
    Example:
      ddcheck answers import answers.csv -o acme.yaml \\
        --organisation Acme --subject "Supplier X" --assessor "J. Doe"
    """
    from ..answers.assessing import cover_option
    from ..answers.importing import ImportRejected, ImportUnreadable, read_rows, validate_rows
    from ..errors import InputError, Problem, display_path

    if _same_file(output, source):
        from ..errors import ConflictError

        raise ConflictError(f"{display_path(output)} is the file being imported; give the assessment with -o")
    for name, value in (("organisation", organisation), ("subject", subject), ("assessor", assessor)):
        cover_option(name, value)
    if per not in ("submission", "subject"):
        raise InputError(f"--per '{per}' is not one of submission, subject")
    if source.suffix.lower() == ".csv":
        from ..exchange.odk_import import is_submission_export

        if is_submission_export(source):
            _import_submissions(source, output, library(ctx), per, organisation, assessor, date)
            return
    respondent, asked = None, None
    if source.suffix.lower() == ".xlsx":
        from ..exchange.xlsx_import import read_workbook

        lib = library(ctx)
        filled = read_workbook(source, lib)
        rows, problems, respondent, asked = filled.rows, filled.problems, filled.respondent, filled.layout
    else:
        rows, problems = read_rows(source)
        # Only the checklists the rows and the assessment name are parsed: a folder of a thousand
        # checklists must not slow down an import of ten answers.
        lib = library(ctx, _checklists_named(rows, output))
    valid, invalid = validate_rows(rows, lib, display_path(source))
    if problems or invalid:
        if asked is not None:
            from ..exchange.xlsx_import import problem_order

            raise ImportRejected(sorted(problems + invalid, key=problem_order))
        raise ImportRejected(sorted(problems + invalid, key=lambda p: (p.line, p.col)))
    if not valid:
        raise ImportUnreadable([Problem(display_path(source), 1, 1, "no answers to import",
                                        "add one row per answer below the header")])
    if asked is None:
        _merge_into(output, valid, lib, source, by=assessor, organisation=organisation, subject=subject,
                    assessor=assessor, date=date, typed={"organisation": organisation, "subject": subject, "date": date})
    else:  # a workbook names who asked and about whom; its respondent is the answers' source
        _merge_into(output, valid, lib, source, by=respondent, organisation=organisation or asked.organisation,
                    subject=subject or asked.subject, assessor=assessor, date=date or filled.answered_on,
                    typed={"organisation": organisation, "subject": subject, "date": date}, sent_about=asked.subject)


def _merge_into(output: Path, valid: list, lib, source: Path, by: Optional[str], organisation: Optional[str],
                subject: Optional[str], assessor: Optional[str], date: Optional[str],
                typed: dict[str, Optional[str]], sent_about: Optional[str] = None) -> None:
    """Create or update one assessment with validated rows, under its lock, and say what changed.

    ``organisation``, ``subject`` and ``date`` are a new file's cover, which may come from the
    workbook or the submission; ``typed`` holds only what the user gave on the command line, the
    options worth a note when an existing file ignores them.
    """
    from ..answers.assessing import ignored_options, load_if_exists, meta_from, new_assessment, progress_summary, reconcile
    from ..answers.assessment import save_assessment
    from ..answers.importing import ImportRejected, contradicting_rows, merge
    from ..answers.locking import AssessmentLock
    from ..errors import InputError, display_path

    shown = display_path(output)
    wanted = list(dict.fromkeys(row.checklist for row in valid))
    with AssessmentLock(output):
        assessment = load_if_exists(output)
        creating = assessment is None
        if assessment is None:
            missing = [f"--{name}" for name, value in (("organisation", organisation), ("subject", subject),
                                                        ("assessor", assessor)) if not (value and value.strip())]
            if missing:
                raise InputError(f"{shown} does not exist yet; to create it, also give {', '.join(missing)}")
            assessment = new_assessment(meta_from(organisation or "", subject or "", assessor or "", date),
                                        [lc.checklist for lc in lib.require(wanted)])
        else:
            for note in ignored_options(output, **typed):
                echo(note, err=True)
            if sent_about and sent_about != assessment.meta.subject:
                echo(f"note: {display_path(source)} is about '{sent_about}'; {shown} is about "
                           f"'{assessment.meta.subject}'", err=True)
        reconciled = reconcile(assessment, lib, wanted, output)
        for line in reconciled.report:
            echo(line)
        result = merge(assessment, valid, lib, by=by or assessment.meta.assessor, file=display_path(source))
        contradictions = contradicting_rows(assessment, valid, lib, display_path(source))
        if contradictions:  # checked on the merged answers; raised before saving, so nothing is written
            raise ImportRejected(contradictions)
        save_assessment(output, assessment)
    if creating:
        echo(f"Created {shown}.")
    for note in result.notes:
        echo(note, err=True)
    echo(f"Imported {len(valid)} answer(s) into {shown}: {result.new} new, {result.changed} changed, "
               f"{result.unchanged} unchanged. Now {progress_summary(assessment, reconciled.checklists)}.")


def _import_submissions(source: Path, folder: Path, lib, per: str, organisation: Optional[str],
                        assessor: Optional[str], date: Optional[str]) -> None:
    """An ODK/KoboToolbox submissions CSV: one assessment per submission (or per subject) in ``folder``.

    Every submission is checked before anything is written: one invalid row anywhere, and no file
    is created or changed.
    """
    from ..answers.importing import ImportRejected, validate_rows
    from ..errors import InputError, display_path
    from ..exchange.odk_import import read_submissions, file_stem

    if folder.suffix.lower() in (".yaml", ".yml") or (folder.exists() and not folder.is_dir()):
        raise InputError(f"{display_path(folder)}: a submissions export gives one assessment per submission; "
                         "give a folder with -o")
    read = read_submissions(source, lib)
    problems = list(read.problems)
    batches = []
    for item in read.items:
        valid, invalid = validate_rows(item.rows, lib, display_path(source))
        problems += invalid
        if valid:
            batches.append((item, valid))
    if problems:
        raise ImportRejected(sorted(problems, key=lambda p: (p.line, p.col)))
    if not batches:
        raise InputError(f"{display_path(source)}: no answers to import")
    folder.mkdir(parents=True, exist_ok=True)
    batches.sort(key=lambda b: (b[0].submitted or "", b[0].line))  # later submissions of a subject win
    for item, valid in batches:
        output = folder / f"{file_stem(item, per)}.yaml"
        _merge_into(output, valid, lib, source, by=item.respondent, organisation=organisation, subject=item.subject,
                    assessor=assessor, date=date or item.submitted, typed={"organisation": organisation, "date": date})


@app.command("export")
@guarded
def export_answers(
    ctx: typer.Context,
    assessment_file: Path = typer.Argument(..., metavar="ASSESSMENT.yaml", help="The assessment to export."),
    fmt: str = typer.Option("csv", "-f", "--format", metavar="csv|xlsx|json", help="Output format."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", metavar="FILE",
                                          help="Where to write (csv and json: default standard output)."),
) -> None:
    """Export the answers, with every answer they replaced, for review in a spreadsheet.

    One row per answer: checklist, question, number, question text, value (as stored), answer (as shown), note, evidence, answered by, answered at, and status ('current', or 'replaced' for the history, newest first).

    CSV cells that a spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage return) are prefixed with an apostrophe; workbook cells are always text.

    \b
    Example:
      ddcheck answers export acme.yaml -f xlsx -o acme-answers.xlsx

    \b
    Exit codes: 0 written; 2 an unreadable assessment, a bad --format, or an
    output whose suffix is not the format's (.csv, .xlsx, .json: another file,
    such as an assessment, is never overwritten); 3 the output is the assessment.
    """
    from ..answers.assessing import checklists_of
    from ..answers.assessment import load_assessment, write_atomic
    from ..errors import InputError, display_path
    from ..exchange.answers_export import answer_rows, to_csv
    from .common import print_json

    if fmt not in ("csv", "xlsx", "json"):
        raise InputError(f"--format '{fmt}' is not one of csv, xlsx, json")
    if fmt == "xlsx" and output is None:
        raise InputError("-f xlsx needs -o FILE.xlsx")
    if output is not None and _same_file(output, assessment_file):
        from ..errors import ConflictError

        raise ConflictError(f"{display_path(output)} is the assessment itself; choose another output file")
    if output is not None and output.suffix.lower() != f".{fmt}":
        raise InputError(f"{display_path(output)}: -f {fmt} writes a .{fmt} file; name the output FILE.{fmt}")
    assessment = load_assessment(assessment_file)
    rows = answer_rows(assessment, checklists_of(assessment, library(ctx), assessment_file))
    if fmt == "json" and output is None:
        print_json(rows)
        return
    if fmt == "xlsx":
        from ..exchange.answers_export import to_xlsx

        data = to_xlsx(rows)
    elif fmt == "json":
        from ..terminal import dumps_json

        data = (dumps_json(rows) + "\n").encode("utf-8")
    else:
        text = to_csv(rows)
        if output is None:
            # To standard output, lines end in \n (a \r would be shown as an escape, like every control).
            echo(text.replace("\r\n", "\n"), nl=False)
            return
        data = text.encode("utf-8-sig")  # the BOM makes Excel read UTF-8 (names, quotes) correctly
    write_atomic(output, data)
    echo(f"Wrote {display_path(output)}: {len(rows)} answer(s), "
               f"{sum(1 for r in rows if r['status'] == 'current')} current.")


def _same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file; never raises (a symlink loop is reported by the reader)."""
    import os

    return os.path.realpath(a) == os.path.realpath(b)


def _checklists_named(rows: list, output: Path) -> list[str]:
    """The checklist ids the rows name and the existing assessment answers (read-only peek)."""
    from ..answers.assessing import load_if_exists

    ids = [name for name in (str(row.fields.get("checklist") or "").strip() for row in rows) if name]
    existing = load_if_exists(output)
    if existing is not None:
        ids += [ref.id for ref in existing.checklists]
    return list(dict.fromkeys(ids))
