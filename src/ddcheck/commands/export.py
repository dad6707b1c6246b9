"""``ddcheck export``: questionnaires for people who will never run ddcheck (suppliers, field teams)."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from .common import echo, guarded, library

app = typer.Typer(help="Hand a questionnaire to a supplier (Excel) or a field team (ODK/KoboToolbox XLSForm).",
                  no_args_is_help=True)


def _refuse_replacing_answers(path: Path, lib) -> None:
    """Refuse to write over a questionnaire that came back filled in: the respondent's answers are in it.

    Re-exporting under the name a returned workbook was saved as is an easy slip, and the answers
    would be gone without a trace. A file that is not a readable questionnaire is left to the
    ordinary overwrite, as every ``-o`` does.
    """
    from ..errors import ConflictError, DdcheckError, display_path
    from ..exchange.xlsx_import import read_workbook

    if not path.is_file():
        return
    try:
        filled = read_workbook(path, lib)
    except DdcheckError:
        return
    if filled.rows:
        raise ConflictError(f"{display_path(path)} holds {len(filled.rows)} answered question(s) "
                            f"({filled.respondent or 'respondent not named'}); import it with 'ddcheck answers "
                            f"import {display_path(path)} -o ASSESSMENT.yaml', or write the new workbook elsewhere "
                            "(--replace to overwrite it)")


def _xlsx_output(path: Path) -> None:
    from ..errors import InputError, display_path

    if path.suffix.lower() != ".xlsx":
        raise InputError(f"{display_path(path)}: the output must be a .xlsx file")
    if path.is_dir():
        raise InputError(f"{display_path(path)} is a folder; give a file name such as questionnaire.xlsx")


@app.command("xlsx")
@guarded
def export_xlsx(
    ctx: typer.Context,
    checklist_ids: Optional[List[str]] = typer.Argument(
        None, metavar="[CHECKLIST]...", help="Checklist ids, in the order to ask them (default with --from: the "
        "assessment's checklists)."),
    output: Path = typer.Option(..., "-o", "--output", metavar="FILE.xlsx", help="The workbook to write."),
    subject: Optional[str] = typer.Option(None, help="Who is asked, e.g. the supplier (default with --from: "
                                          "the assessment's subject)."),
    organisation: Optional[str] = typer.Option(None, help="Who asks (default with --from: the assessment's "
                                               "organisation)."),
    contact: Optional[str] = typer.Option(None, help="Whom the respondent can ask, e.g. an e-mail address."),
    prefill: Optional[Path] = typer.Option(None, "--from", metavar="ASSESSMENT.yaml",
                                           help="Pre-fill the answers, notes and evidence of this assessment "
                                           "(e.g. last year's), for the respondent to confirm or change."),
    replace: bool = typer.Option(False, "--replace", help="Overwrite the output even if it is a questionnaire "
                                 "that came back with answers."),
) -> None:
    """Write a questionnaire workbook for a respondent to fill in with Excel or LibreOffice.

    An Instructions sheet (who asks, why, how to fill it in, who answered) and a Questions sheet with one row per question in the order ddcheck asks them: number, section, question (with "Answer only if ..." for conditional ones), guidance, evidence asked for, the cited source quotes, and the answer, note and evidence cells to fill. Answers are drop-downs of the scale's labels. Everything but the cells to fill is protected (no password).

    Read it back with 'ddcheck answers import FILE.xlsx -o ASSESSMENT.yaml'.

    \b
    Example:
      ddcheck export xlsx xinjiang-supply-chain -o supplier-x.xlsx \\
        --organisation Acme --subject "Supplier X" --contact compliance@acme.example

    \b
    Exit codes: 0 written; 2 an unknown checklist, an unreadable --from file,
    or an output that is not a writable .xlsx file; 3 the output is a
    questionnaire returned with answers (import it first, or --replace).
    """
    from ..answers.assessment import load_assessment, write_atomic
    from ..errors import InputError, display_path
    from ..exchange.layout import entries
    from ..exchange.xlsx_export import Request, export_workbook

    _xlsx_output(output)
    lib = library(ctx)
    if not replace:
        _refuse_replacing_answers(output, lib)
    assessment = load_assessment(prefill) if prefill is not None else None
    ids = list(checklist_ids or [])
    if not ids and assessment is not None:
        ids = [ref.id for ref in assessment.checklists]
    if not ids:
        raise InputError("name at least one checklist (see 'ddcheck checklists list'), or give --from ASSESSMENT.yaml")
    checklists = [lc.checklist for lc in lib.require(dict.fromkeys(ids))]
    meta = assessment.meta if assessment is not None else None
    request = Request(organisation=organisation or (meta.organisation if meta else ""),
                      subject=subject or (meta.subject if meta else ""), contact=contact or "")
    write_atomic(output, export_workbook(checklists, lib.sources, request, assessment))
    echo(f"Wrote {display_path(output)}: {len(entries(checklists))} question(s) from "
               f"{', '.join(c.id for c in checklists)}"
               + (f", pre-filled from {display_path(prefill)}" if prefill else "") + ".")


@app.command("xlsform")
@guarded
def export_xlsform(
    ctx: typer.Context,
    checklist_ids: List[str] = typer.Argument(..., metavar="CHECKLIST...", help="Checklist ids, in the order to ask them."),
    output: Path = typer.Option(..., "-o", "--output", metavar="FORM.xlsx", help="The XLSForm to write."),
    subject: Optional[str] = typer.Option(None, help="Default answer to the form's 'who is assessed' question."),
    title: Optional[str] = typer.Option(None, help="The form's title (default: the checklists' titles)."),
) -> None:
    """Write an XLSForm for ODK Collect or KoboToolbox (interviews and site visits offline).

    Scales become choice lists, 'when' conditions become 'relevant' expressions, guidance becomes the hint; every question has a note field and an evidence field. The form asks who answers and who is assessed first. Upload the file to ODK Central or KoboToolbox as it is.

    Read the submissions back with 'ddcheck answers import SUBMISSIONS.csv -o FOLDER' (export them from ODK Central as CSV, or from KoboToolbox as CSV with "XML values and headers").

    \b
    Example:
      ddcheck export xlsform xinjiang-supply-chain -o site-visit.xlsx

    \b
    Exit codes: 0 written; 2 an unknown checklist, or an output that is not a
    writable .xlsx file.
    """
    from ..answers.assessment import write_atomic
    from ..errors import display_path
    from ..exchange.form import form_fields
    from ..exchange.xlsform_export import export_xlsform as build

    _xlsx_output(output)
    wanted = list(dict.fromkeys(checklist_ids))
    checklists = [lc.checklist for lc in library(ctx, wanted).require(wanted)]
    write_atomic(output, build(checklists, subject=subject or "", title=title or ""))
    echo(f"Wrote {display_path(output)}: an XLSForm with {len(form_fields(checklists))} question(s) "
               f"from {', '.join(c.id for c in checklists)}.")
