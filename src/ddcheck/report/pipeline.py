"""One assessment file -> one report, in any format: the steps ``report`` and ``demo`` share.

load -> score -> view-model -> HTML / Markdown / JSON, and for PDF: glyph check -> WeasyPrint.
WeasyPrint (through ``pdf.py``) is imported only when a PDF is asked for, Jinja2 only for HTML
and PDF, so ``--format md`` and ``--format json`` stay light.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..answers.assessment import Assessment, parse_assessment
from ..errors import EnvironmentProblem, display_path
from ..terminal import dumps_json
from ..findings.model import Findings, to_json
from ..checklists.library import Library
from ..checklists.yamlread import read_limited
from .context import ATTACHMENT_NAME, ChecklistInfo, ReportContext, build_context, build_method
from .fonts import MissingGlyph, describe_missing, missing_glyphs


@dataclass
class Rendered:
    data: bytes
    format: str
    context: ReportContext
    pages: int | None = None
    missing: list[MissingGlyph] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # what WeasyPrint logged (CSS it ignored, ...)


def generation_time() -> dt.datetime:
    """Now, or SOURCE_DATE_EPOCH when set, so that reproducible builds give identical reports."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def read_assessment(path: Path) -> tuple[Assessment, bytes]:
    """The parsed assessment and the exact bytes it was parsed from (fingerprinted and embedded)."""
    shown = display_path(path)
    data = read_limited(path, shown)
    return parse_assessment(data, shown), data


def score(assessment: Assessment, library: Library) -> Findings:
    from ..findings.scoring import score_assessment

    return score_assessment(assessment, {cid: lc.checklist for cid, lc in library.checklists.items()},
                            library.sources)


def make_context(assessment: Assessment, data: bytes, findings: Findings, library: Library, file_name: str,
                 *, renderer: str = "", generated_at: dt.datetime | None = None) -> ReportContext:
    from ..findings.scoring import BANDS, RED_FLAG_FLOOR, band
    from ..findings.tracking import follow_up

    when = generated_at or generation_time()
    answered = {ref.id: lc.checklist for ref in assessment.checklists if (lc := library.checklists.get(ref.id))}
    tracked = follow_up(findings, assessment, answered, as_of=when.date())

    # Fingerprints (a hash of each checklist) only for the checklists this assessment answers.
    infos = {ref.id: ChecklistInfo(ref.id, lc.checklist.title, lc.checklist.version, lc.fingerprint)
             for ref in assessment.checklists if (lc := library.checklists.get(ref.id)) is not None}
    return build_context(
        findings, assessment, library.sources, infos, assessment_bytes=data, file_name=file_name,
        generated_at=when, ddcheck_version=__version__, renderer=renderer,
        method=build_method(BANDS, RED_FLAG_FLOOR), rating_of=band,
        follow_up={a.priority: a for a in tracked.actions})


def render(path: Path, library: Library, fmt: str = "pdf", *, variant: str | None = None,
           strict: bool = False, generated_at: dt.datetime | None = None) -> Rendered:
    """Render the report of the assessment at ``path``.

    With ``strict``, characters no installed font can draw stop a PDF before it is laid out
    (EnvironmentProblem, exit 4); otherwise they come back in ``Rendered.missing`` to warn about.
    """
    shown = display_path(path)
    data = read_limited(path, shown)
    return render_bytes(data, shown, path.name, library, fmt, variant=variant, strict=strict,
                        generated_at=generated_at)


def render_bytes(data: bytes, shown: str, file_name: str, library: Library, fmt: str = "pdf", *,
                 variant: str | None = None, strict: bool = False,
                 generated_at: dt.datetime | None = None) -> Rendered:
    """Render the report of an assessment file's bytes: what batch workers do, wherever the file is."""
    assessment = parse_assessment(data, shown)
    findings = score(assessment, library)
    when = (generated_at or generation_time()).replace(microsecond=0)
    renderer = ""
    if fmt == "pdf":
        from . import pdf

        v = pdf.versions()
        renderer = f"WeasyPrint {v['weasyprint']}, Pango {v['pango']}"
    context = make_context(assessment, data, findings, library, file_name, renderer=renderer,
                           generated_at=when)

    if fmt == "json":
        from .data import report_data

        text = dumps_json(report_data(findings, context)) + "\n"  # printable with -o -: controls escaped
        return Rendered(text.encode("utf-8"), fmt, context)
    if fmt == "md":
        from .markdown import render_markdown

        return Rendered(render_markdown(context).encode("utf-8"), fmt, context)

    from .html import render_html

    if fmt == "html":
        return Rendered(render_html(context, screen=True).encode("utf-8"), fmt, context)

    missing = missing_glyphs(context.texts())
    if missing and strict:
        raise EnvironmentProblem(f"{shown}: {describe_missing(missing)}")
    from . import pdf

    result = pdf.render_pdf(render_html(context), attachment=data, attachment_name=ATTACHMENT_NAME,
                            variant=variant, created=when)
    return Rendered(result.data, fmt, context, pages=result.pages, missing=missing, blocked=result.blocked,
                    warnings=result.warnings)
