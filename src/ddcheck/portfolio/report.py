"""The portfolio report: HTML, PDF (through the report's locked-down WeasyPrint path) or JSON.

Layout only; every number comes from the portfolio view (``view.py``). Answer text and names are
untrusted: the templates are rendered by the report's Jinja2 environment (autoescape, strict
undefined), and the PDF goes through ``report.pdf.render_pdf``, which fetches nothing outside the
bundled templates. Links to subjects' reports are relative links in the HTML; in the PDF they are
printed as paths, since the PDF finisher removes every link to a local file by design.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .view import RATINGS, FlagRow, Portfolio, Row

TEMPLATE = "portfolio.html.j2"
STYLESHEET = "portfolio.css"
TITLE = "Due diligence portfolio"
DISCLAIMER = ("A summary of self-assessments: each row repeats what one assessment file says, scored by fixed "
              "rules. It is not an audit, a certification or a legal opinion, and a low rating does not mean "
              "that no human-rights harm exists.")
RATING_LETTER = {"critical": "C", "high": "H", "medium": "M", "low": "L"}


@dataclass(frozen=True)
class FlagGroup:
    """One question flagged across the portfolio, with the subjects it is flagged for."""

    checklist_id: str
    number: str
    text: str
    severity: str | None
    subjects: tuple[str, ...]


@dataclass(frozen=True)
class SubjectLink:
    href: str | None  # relative link (HTML only)
    path: str | None  # the report's path as text


def flag_groups(flags: tuple[FlagRow, ...]) -> list[FlagGroup]:
    grouped: dict[tuple[str, str, str], dict[str, Any]] = {}
    for f in flags:
        entry = grouped.setdefault((f.checklist_id, f.question_id, f.number),
                                   {"text": f.text, "severity": f.severity, "subjects": []})
        entry["subjects"].append(f.subject)
        if f.severity == "critical":
            entry["severity"] = "critical"
    groups = [FlagGroup(cid, number, e["text"], e["severity"], tuple(e["subjects"]))
              for (cid, _, number), e in grouped.items()]
    return sorted(groups, key=lambda g: (g.severity != "critical", -len(g.subjects), g.checklist_id, g.number))


def _link(row: Row, output: Path, screen: bool) -> SubjectLink:
    if row.report is None:
        return SubjectLink(None, None)
    relative = os.path.relpath(Path(row.report).resolve(), output.resolve().parent)
    return SubjectLink(Path(relative).as_posix() if screen else None, relative)


def render_portfolio(view: Portfolio, fmt: str, output: Path) -> tuple[bytes, int | None]:
    """The report's bytes, and its page count for a PDF."""
    from ..report.pipeline import generation_time

    generated = generation_time()
    if fmt == "json":
        data = {"generated_at": generated.isoformat(), **view.to_json()}
        from ..terminal import dumps_json  # controls escaped, no NaN: the one JSON writer

        return (dumps_json(data) + "\n").encode("utf-8"), None
    from markupsafe import Markup

    from ..report.html import environment
    from ..resources import bundled

    screen = fmt == "html"
    root = bundled("templates")
    css = (root / STYLESHEET).read_text(encoding="utf-8")
    html = environment(root).get_template(TEMPLATE).render(
        p=view, title=TITLE, disclaimer=DISCLAIMER, ratings=RATINGS, letters=RATING_LETTER,
        links={row.file: _link(row, output, screen) for row in view.rows}, flags=flag_groups(view.red_flags),
        generated=generated.strftime("%Y-%m-%d %H:%M UTC"), stylesheet=Markup(css), screen=screen)
    if screen:
        return html.encode("utf-8"), None
    from ..report.pdf import render_pdf

    result = render_pdf(html, attachment=None, created=generated)
    return result.data, result.pages
