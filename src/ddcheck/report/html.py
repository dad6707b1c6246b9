"""The report's HTML, from the view-model and the bundled Jinja2 templates.

Answer text is untrusted, so the Environment escapes every template (``autoescape=True``, not
``select_autoescape``: that one matches extensions such as ``.html`` and would leave our
``.html.j2`` files unescaped) and fails on any undefined name (``StrictUndefined``) instead of
printing nothing. The stylesheet is inlined so the HTML file stands alone; it is our own
bundled file, the one string marked safe.
"""

from __future__ import annotations

import functools
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from ..resources import bundled
from .context import ReportContext, cjk_runs, paragraphs

TEMPLATE = "report.html.j2"
STYLESHEET = "report.css"
FONTS = "fonts.css"  # @font-face rules for the bundled typeface: PDF only (the HTML loads nothing)


@functools.lru_cache(maxsize=4)
def environment(folder: Path) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(folder)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["paragraphs"] = paragraphs
    env.filters["lang"] = marked_languages
    return env


def marked_languages(text: object) -> Markup:
    """Escaped text with each run of Chinese in ``<span lang="zh">`` (element content only)."""
    return Markup("").join(
        Markup('<span lang="zh">{}</span>').format(piece) if chinese else escape(piece)
        for piece, chinese in cjk_runs(str(text)))


def render_html(context: ReportContext, *, screen: bool = False) -> str:
    """The report as one HTML document with its stylesheet inline.

    ``screen`` adds the small stylesheet that makes the file pleasant in a browser too (footnotes
    as notes under each question instead of page-bottom notes, no page boxes).
    """
    root = bundled("templates")
    css = (root / STYLESHEET).read_text(encoding="utf-8")
    if not screen:
        css = (root / FONTS).read_text(encoding="utf-8") + "\n" + css
    return environment(root).get_template(TEMPLATE).render(r=context, stylesheet=Markup(css), screen=screen)
