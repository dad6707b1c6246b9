"""``ddcheck report``, ``ddcheck demo`` and ``ddcheck doctor``: the report and what it needs.

Thin: parse options, call ``ddcheck.report.pipeline``, print. WeasyPrint and Jinja2 are imported
inside the command bodies only, so ``ddcheck --help`` and every other command stay fast.
"""

from __future__ import annotations

import sys
import time
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from .common import echo, guarded, library, library_for, print_json


class Format(str, Enum):
    """The report formats: the one list of them. Each is written to a file with its own suffix."""

    pdf = "pdf"
    html = "html"
    json = "json"
    md = "md"

    @property
    def suffix(self) -> str:
        return "." + self.value


def format_for(output: Optional[Path], explicit: Optional[Format]) -> Format:
    """``--format`` when given (Typer has checked it), else the output's suffix, else PDF."""
    if explicit is not None:
        return explicit
    suffix = output.suffix.lower() if output is not None else ""
    if suffix == ".markdown":
        return Format.md
    return next((f for f in Format if f.suffix == suffix), Format.pdf)


class Variant(str, Enum):
    a3b = "pdf/a-3b"
    ua1 = "pdf/ua-1"


@guarded
def report(
    ctx: typer.Context,
    assessments: Optional[List[Path]] = typer.Argument(
        None, metavar="ASSESSMENT.yaml...", help="Assessment file written by 'ddcheck assess' (several with --out-dir)."),
    output: Optional[Path] = typer.Option(
        None, "-o", "--output", metavar="OUT",
        help="Where to write the report ('-' for standard output). Default: the assessment's name with "
        "the format's suffix, next to it."),
    fmt: Optional[Format] = typer.Option(
        None, "--format", "-f", case_sensitive=False,
        help="pdf, html, json or md. Default: from OUT's suffix, else pdf."),
    pdf_variant: Optional[Variant] = typer.Option(
        None, "--pdf-variant", case_sensitive=False,
        help="pdf/a-3b (archival, keeps the embedded answers) or pdf/ua-1 (tagged, for screen readers)."),
    strict: bool = typer.Option(
        False, "--strict", help="Fail (exit 4) when no installed font can draw some characters, instead of warning."),
    out_dir: Optional[Path] = typer.Option(
        None, "--out-dir", metavar="DIR", help="Batch: write one report per assessment into DIR (created if needed)."),
    jobs: Optional[int] = typer.Option(
        None, "--jobs", "-j", min=1, metavar="N", help="Batch: worker processes (default: the number of cores)."),
    scheduler: Optional[str] = typer.Option(
        None, "--scheduler", metavar="ADDRESS",
        help="Batch: render on an existing Dask distributed cluster, e.g. tcp://10.0.0.5:8786 (pip install 'ddcheck[dask]')."),
    json_schema: bool = typer.Option(
        False, "--json-schema", help="Print the JSON Schema of '--format json' reports and exit."),
) -> None:
    """Render the scored report of an assessment, every question citing its source.

    The PDF has a cover, contents with page numbers, bookmarks, an executive summary with a score chart and red flags, the action plan, every question with its answer, note, evidence and footnoted quotations, the sources and method, and an audit page; the assessment file itself is embedded as answers.yaml. HTML, JSON and Markdown carry the same content.

    Examples:
      ddcheck report answers.yaml -o report.pdf
      ddcheck report answers.yaml -o report.pdf --pdf-variant pdf/a-3b
      ddcheck report answers.yaml --format md -o -
      ddcheck report answers.yaml -f json -o report.json; ddcheck report --json-schema
      ddcheck report suppliers/*.yaml --out-dir reports/ --jobs 4
    """
    from ..errors import ConflictError, InputError, display_path

    if json_schema:
        from ..report.data import schema

        print_json(schema())
        return
    if not assessments:
        raise InputError("missing ASSESSMENT.yaml: the assessment to report on (or --json-schema)")
    if out_dir is not None or len(assessments) > 1:
        from .batch import render_batch

        render_batch(ctx, assessments, out_dir, fmt or Format.pdf, variant=pdf_variant.value if pdf_variant else None,
                     strict=strict, jobs=jobs, scheduler=scheduler, output=output)
        return
    if jobs is not None or scheduler is not None:
        raise InputError("--jobs and --scheduler apply to batches: give --out-dir DIR")
    assessment = assessments[0]
    from ..answers.assessment import load_assessment, write_atomic
    from ..files import real_path
    from ..report.fonts import describe_missing
    from ..report.pipeline import render

    to_stdout = output is not None and str(output) == "-"
    kind = format_for(None if to_stdout else output, fmt)
    if pdf_variant is not None and kind is not Format.pdf:
        raise InputError(f"--pdf-variant applies to PDF reports only, not --format {kind.value}")
    target = None if to_stdout else (output or assessment.with_suffix(kind.suffix))
    if target is not None and real_path(target) == real_path(assessment):
        raise ConflictError(f"{display_path(target)}: refusing to overwrite the assessment with its report; "
                            "choose another name with -o")
    if target is not None and target.is_dir():
        raise InputError(f"-o {display_path(target)}: is a folder; give a file name, e.g. -o report{kind.suffix}")

    lib = library_for(ctx, (assessment, load_assessment(assessment)))
    result = render(assessment, lib, kind.value, variant=pdf_variant.value if pdf_variant else None, strict=strict)
    if result.missing:
        echo(f"warning: {describe_missing(result.missing)}", err=True)
    if result.blocked:
        echo(f"warning: blocked {len(result.blocked)} resource(s) outside the templates folder", err=True)
    for message in result.warnings:
        echo(f"warning: WeasyPrint: {message}", err=True)

    if target is None:
        sys.stdout.buffer.write(result.data)
        sys.stdout.flush()
        return
    write_atomic(target, result.data)
    pages = f" ({result.pages} pages)" if result.pages else ""
    echo(f"Wrote {display_path(target)}{pages}")


@guarded
def demo(
    ctx: typer.Context,
    out: Path = typer.Option(Path("ddcheck-demo"), "--out", "-o", metavar="DIR",
                             help="Folder for the reports (created if needed)."),
    fmt: Format = typer.Option(Format.pdf, "--format", "-f", case_sensitive=False, help="pdf, html, json or md."),
) -> None:
    """Render the bundled example assessments (fictional companies) and print the reports' paths.

    Shows what ddcheck produces without answering anything: open the PDFs it lists.

    Example: ddcheck demo --out /tmp/demo && xdg-open /tmp/demo/*.pdf
    """
    from ..answers.assessment import write_atomic
    from ..errors import InputError, display_path
    from ..report.fonts import describe_missing
    from ..report.pipeline import render
    from ..resources import bundled

    examples = sorted(bundled("examples").glob("*.yaml"))
    if not examples:
        raise InputError(f"no example assessments found in {bundled('examples')}")
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {display_path(out)}: exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    lib = library(ctx)
    for i, example in enumerate(examples, 1):
        echo(f"[{i}/{len(examples)}] rendering {example.name} ...", err=True)
        started = time.perf_counter()
        result = render(example, lib, fmt.value)
        target = out / (example.stem + fmt.suffix)
        write_atomic(target, result.data)
        pages = f"{result.pages} pages, " if result.pages else ""
        echo(f"      {pages}{time.perf_counter() - started:.1f} s", err=True)
        if result.missing:
            echo(f"warning: {example.name}: {describe_missing(result.missing)}", err=True)
        for message in result.warnings:
            echo(f"warning: {example.name}: WeasyPrint: {message}", err=True)
        echo(display_path(target))


@guarded
def doctor(
    as_json: bool = typer.Option(False, "--json", help="Print the findings as JSON for scripts."),
) -> None:
    """Check what reports need: WeasyPrint and Pango, fast font subsetting, fonts for CJK and Uyghur.

    Exit status 0 when PDFs can be rendered (warnings included), 4 when they cannot.
    """
    from ..errors import EXIT_ENVIRONMENT
    from ..report.doctor import diagnose

    diagnosis = diagnose()
    if as_json:
        print_json(diagnosis.to_json())
    else:
        for line in diagnosis.lines():
            echo(line)
    if diagnosis.problems:
        raise typer.Exit(EXIT_ENVIRONMENT)
