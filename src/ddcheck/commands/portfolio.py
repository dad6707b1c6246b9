"""``ddcheck portfolio DIR...``: every subject's latest assessment in one table, CSV, JSON or report."""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import List, Optional

import typer

from .common import echo, extra_dirs, guarded, library, print_json
from .dates import as_of_or_today

REPORT_SUFFIXES = (".pdf", ".html", ".json")


@guarded
def portfolio(
    ctx: typer.Context,
    folders: List[Path] = typer.Argument(..., metavar="DIR...", help="Folders of assessment files (searched recursively)."),
    as_json: bool = typer.Option(False, "--json", help="Print the portfolio as JSON for scripts."),
    as_csv: bool = typer.Option(False, "--csv", help="Print one CSV row per subject."),
    as_of: Optional[str] = typer.Option(None, "--as-of", metavar="DATE",
                                        help="Judge due and overdue on this day (YYYY-MM-DD), not today."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", metavar="OUT",
                                          help="Write the portfolio report: OUT.pdf, OUT.html or OUT.json."),
    reports: List[Path] = typer.Option([], "--reports", metavar="DIR",
                                       help="Also look for subjects' reports here (e.g. a 'report --out-dir'); repeatable."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, metavar="N",
                                       help="Worker processes for files not in the cache (default: the number of cores)."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Neither read nor write the cache beside the files."),
) -> None:
    """One row per subject: its latest assessment, rating, red flags, actions and re-assessment date.

    Every *.yaml under the folders is read; assessments are grouped by organisation and subject, the
    latest one by date is shown and the earlier ones are its history. Most severe first.

    A broken file is listed with its located error and never stops the run; the exit status is then 1.

    What is slow to compute is cached in .ddcheck-portfolio.sqlite in each folder, keyed by each
    file's content: a changed file is always read again.

    Examples:
      ddcheck portfolio suppliers/ --as-of 2025-12-31
      ddcheck portfolio suppliers/ --csv > portfolio.csv
      ddcheck portfolio suppliers/ -o portfolio.pdf --reports reports/
    """
    from ..errors import EXIT_PROBLEMS, InputError, display_path
    from ..portfolio.batch import cores
    from ..portfolio.index import build_index
    from ..portfolio.view import build, csv_rows

    if as_json and as_csv:
        raise InputError("choose one of --json and --csv")
    if output is not None and output.suffix.lower() not in REPORT_SUFFIXES:
        raise InputError(f"-o {display_path(output)}: give a name ending in .pdf, .html or .json")
    for folder in reports:
        if not folder.is_dir():
            raise InputError(f"--reports {display_path(folder)}: no such folder")
    day = as_of_or_today(as_of)
    lib = library(ctx)
    index = build_index(folders, lib, dirs=tuple(str(d.resolve()) for d in extra_dirs(ctx)),
                        jobs=jobs or cores(), use_cache=not no_cache)
    for problem in index.cache_problems:
        echo(f"warning: {problem}", err=True)
    view = build(index, day, reports=reports)
    for broken in view.broken:
        for line in broken.problems:
            echo(line, err=True)

    if output is not None:
        from ..answers.assessment import write_atomic
        from ..portfolio.report import render_portfolio

        data, pages = render_portfolio(view, output.suffix.lower().lstrip("."), output)
        write_atomic(output, data)
        echo(f"Wrote {display_path(output)}" + (f" ({pages} pages)" if pages else ""))
    elif as_json:
        print_json(view.to_json())
    elif as_csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerows(csv_rows(view))
    else:
        from ..terminal import columns
        from .portfolio_text import portfolio_lines

        for line in portfolio_lines(view, columns()):
            echo(line)
    if view.broken:
        echo(f"{len(view.broken)} file(s) could not be read as assessments (listed above)", err=True)
        raise typer.Exit(EXIT_PROBLEMS)
