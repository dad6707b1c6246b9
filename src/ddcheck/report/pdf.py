"""HTML -> PDF with WeasyPrint, behind one locked-down URL fetcher. The only WeasyPrint importer.

The HTML holds answer text, which is untrusted. Jinja2 escapes it, so no answer can become an
element; this module is the second wall, for the day a template forgets:

- every fetch WeasyPrint makes (the HTML's stylesheets and images, ``@import``, ``@font-face``,
  SVG references, ``<link rel="attachment">``, ``<a rel="attachment">``) goes through
  :class:`LockedFetcher`, which serves ``data:`` URLs and files inside the bundled templates
  folder, and refuses everything else: no ``http(s)``, no other ``file://``, no ``ftp``;
- our own attachment (the assessment file) is handed over as bytes, so it needs no URL at all;
- a finisher removes any link annotation whose target is not ``http(s)``/``mailto`` or inside
  the document, so a PDF can never carry a clickable ``file://`` link;
- no ``xmp_metadata`` files, no custom metadata, no forms, no presentational hints.

Accessibility and archiving (``--pdf-variant``): WeasyPrint 70 tags headings, lists, tables, links
and figures, but not footnotes or languages, and describes links by their anchor ids. While it
builds the structure tree, :func:`_tagged` adds what PDF/UA-1 asks for: ``<aside>`` (our
footnotes) become ``/Note``, an element's ``lang`` becomes ``/Lang`` (Chinese read as Chinese), and a
link's description is its ``aria-label`` or its text. The finisher lists the embedded assessment
once in ``/AF`` (WeasyPrint adds it twice) with its MIME type, ``application/yaml`` (RFC 9512).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import logging
import mimetypes
from dataclasses import dataclass, field
from typing import Iterator
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import pydyf
import weasyprint
from weasyprint.urls import URLFetcher, URLFetcherResponse, path2url

from ..resources import bundled
from .context import ATTACHMENT_NAME, shorten

#: The PDF variants WeasyPrint can write that make sense for a report; None is plain PDF.
VARIANTS = {
    "pdf/a-3b": "archival (PDF/A-3b): fonts embedded, attachments allowed",
    "pdf/ua-1": "accessible (PDF/UA-1): tagged structure for screen readers",
}
SAFE_LINK_SCHEMES = ("http:", "https:", "mailto:")
ATTACHMENT_MIME = "application/yaml"  # RFC 9512; the assessment file is YAML


class BlockedURL(ValueError):
    """A fetch the report may not make. WeasyPrint catches it, logs it and draws nothing."""


class LockedFetcher(URLFetcher):
    """Serves ``data:`` URLs and files under ``root``; refuses everything else and remembers it."""

    def __init__(self, root: Path):
        super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False, fail_on_errors=False)
        self.root = root.resolve()
        self.blocked: list[str] = []

    @property
    def base_url(self) -> str:
        """Relative URLs in the HTML and CSS resolve inside the templates folder."""
        return path2url(str(self.root) + "/")

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = self._inside_root(url)
            if path is not None:
                mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": mime})
        self.blocked.append(url)
        raise BlockedURL(f"ddcheck reports fetch nothing outside their templates: {shorten(url, 200)}")

    def _inside_root(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            return None
        try:
            path = Path(url2pathname(parts.path)).resolve()  # url2pathname decodes %XX once
        except (OSError, ValueError):
            return None
        if path.is_relative_to(self.root) and path.is_file():
            return path
        return None


def _finish(document: object, pdf: pydyf.PDF) -> None:
    _drop_unsafe_links(document, pdf)
    _describe_attachments(pdf)


def _describe_attachments(pdf: pydyf.PDF) -> None:
    """Our attachment's MIME type (WeasyPrint guesses octet-stream for .yaml) and one /AF entry each."""
    for obj in pdf.objects:
        if isinstance(obj, dict) and obj.get("Type") == "/Filespec" and "EF" in obj:
            name = getattr(obj.get("UF") or obj.get("F"), "string", "") or ""
            if str(name).endswith((".yaml", ".yml")):
                ref = obj["EF"]["F"]
                ref = ref.decode() if isinstance(ref, bytes) else str(ref)
                stream = pdf.objects[int(ref.split()[0])]
                stream.extra["Subtype"] = "/" + ATTACHMENT_MIME.replace("/", "#2f")
    files = pdf.catalog.get("AF")
    if files is not None:
        seen: set[object] = set()
        files[:] = [f for f in files if not (f in seen or seen.add(f))]


@contextlib.contextmanager
def _tagged() -> Iterator[None]:
    """While a tagged PDF is written: footnotes as /Note, ``lang`` as /Lang, links described by text.

    Wraps WeasyPrint's structure-tree builder (a private function, looked up by name on each
    recursion, so the wrapper sees every box); without it (another WeasyPrint) nothing changes.
    """
    try:
        from weasyprint.pdf import tags
    except ImportError:  # pragma: no cover - WeasyPrint without tagging
        yield
        return
    original = getattr(tags, "_build_box_tree", None)
    if original is None:  # pragma: no cover
        yield
        return

    def build(box, parent, pdf, *args):
        for element in original(box, parent, pdf, *args):
            html = getattr(box, "element", None)
            if html is not None and isinstance(element, dict):
                tag = getattr(box, "element_tag", None)
                if tag == "aside":
                    element["S"] = "/Note"
                lang = html.get("lang")
                if lang and isinstance(getattr(html, "tag", None), str) and html.tag != "html":
                    element["Lang"] = pydyf.String(lang)
                annotation = getattr(box, "link_annotation", None)
                if annotation is not None:
                    text = html.get("aria-label") or html.get("title") or " ".join("".join(html.itertext()).split())
                    annotation["Contents"] = pydyf.String(text or "link")
            yield element

    tags._build_box_tree = build
    try:
        yield
    finally:
        tags._build_box_tree = original


def _drop_unsafe_links(document: object, pdf: pydyf.PDF) -> None:
    """A link annotation may point at a web page, an e-mail address or inside the PDF."""
    for obj in pdf.objects:
        if not isinstance(obj, dict) or obj.get("Type") != "/Annot":
            continue
        action = obj.get("A")
        if isinstance(action, dict) and action.get("S") == "/URI":
            target = getattr(action.get("URI"), "string", "")
            if not str(target).lower().startswith(SAFE_LINK_SCHEMES):
                del obj["A"]


@dataclass
class PdfResult:
    data: bytes
    pages: int
    blocked: list[str] = field(default_factory=list)  # URLs the fetcher refused
    warnings: list[str] = field(default_factory=list)  # what WeasyPrint logged, once each (CSS it ignored, ...)


class _Collect(logging.Handler):
    """WeasyPrint's warnings and errors, which it otherwise drops; ``ddcheck report`` prints them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: dict[str, None] = {}

    def emit(self, record: logging.LogRecord) -> None:
        self.messages[shorten(" ".join(record.getMessage().split()), 300)] = None


def render_pdf(html: str, *, attachment: bytes | None = None, attachment_name: str = ATTACHMENT_NAME,
               variant: str | None = None, created: dt.datetime | None = None) -> PdfResult:
    """Lay out ``html`` (with its inline CSS) and write a PDF, embedding ``attachment`` as a file.

    ``created`` becomes the attachment's dates so that the same input gives the same bytes.
    """
    if variant is not None and variant not in VARIANTS:
        raise ValueError(f"unknown PDF variant {variant!r}")
    fetcher = LockedFetcher(bundled("templates"))
    attachments = []
    if attachment is not None:
        stamp = created or dt.datetime.now(dt.timezone.utc)
        attachments.append(weasyprint.Attachment(
            file_obj=io.BytesIO(attachment), url_fetcher=fetcher, name=attachment_name,
            description="The assessment this report was generated from (ddcheck YAML)",
            created=stamp, modified=stamp, relationship="Source"))
    collect = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collect)
    try:
        document = weasyprint.HTML(string=html, base_url=fetcher.base_url, url_fetcher=fetcher).render(
            pdf_variant=variant, pdf_forms=False, presentational_hints=False)
        with _tagged():
            data = document.write_pdf(finisher=_finish, pdf_variant=variant, attachments=attachments,
                                      custom_metadata=False, pdf_forms=False, xmp_metadata=None)
    finally:
        logger.removeHandler(collect)
    return PdfResult(data=data, pages=len(document.pages), blocked=list(fetcher.blocked),
                     warnings=list(collect.messages))


def versions() -> dict[str, str]:
    """WeasyPrint and Pango versions, for ``ddcheck doctor`` and the audit page."""
    from weasyprint.text.ffi import pango

    number = pango.pango_version()
    return {"weasyprint": weasyprint.__version__,
            "pango": f"{number // 10000}.{number // 100 % 100}.{number % 100}"}


def fast_font_subsetting() -> bool:
    """Whether HarfBuzz-Subset is there. Without it WeasyPrint subsets fonts with fontTools,
    which takes tens of seconds for a CJK font (Debian: libharfbuzz-subset0)."""
    from weasyprint.text.ffi import harfbuzz_subset

    return harfbuzz_subset is not None
