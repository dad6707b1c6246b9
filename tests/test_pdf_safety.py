"""Answer text is untrusted: it must never make the PDF fetch, embed or link a local file.

Two walls, each tested on its own: Jinja2 escapes every value (so markup in an answer is shown
as text), and the locked-down fetcher refuses anything outside the templates folder (so even raw
HTML, as if a template forgot to escape, cannot reach a file or the network).
"""

from __future__ import annotations

import re
import secrets

import pytest
from jinja2 import UndefinedError
from pdf_support import Pdf
from report_support import library, write

from ddcheck.report.html import environment
from ddcheck.report.pdf import LockedFetcher, render_pdf
from ddcheck.report.pipeline import render
from ddcheck.resources import bundled


@pytest.fixture(scope="module")
def secret(tmp_path_factory):
    """A file whose bytes must never appear in a PDF (a stand-in for /etc/passwd, with unique bytes)."""
    path = tmp_path_factory.mktemp("private") / "secret.txt"
    token = "SECRET-" + secrets.token_hex(16)
    path.write_text(token + "\n", encoding="utf-8")
    return path, token


def attacks(url: str) -> list[str]:
    return [
        f'<img src="{url}">',
        f'<link rel="attachment" href="{url}">',
        f'<a rel="attachment" href="{url}" download="loot.txt">open</a>',
        f'<a href="{url}">click</a>',
        f'<style>@import url("{url}"); body {{ background: url("{url}") }}</style>',
        f'<svg xmlns="http://www.w3.org/2000/svg"><image href="{url}" width="10" height="10"/></svg>',
        '<link rel="stylesheet" href="http://127.0.0.1:9/x.css">',
        '<img src="file:///etc/hostname"><link rel="attachment" href="file:///etc/passwd">',
    ]


def leaked(pdf: Pdf, token: str) -> list[str]:
    everything = pdf.all_bytes()
    found = [token] if token.encode() in everything else []
    passwd = open("/etc/passwd", "rb").read().splitlines()[0] if _readable("/etc/passwd") else b""
    if passwd and passwd in everything:
        found.append("/etc/passwd")
    return found


def _readable(path: str) -> bool:
    try:
        open(path, "rb").close()
        return True
    except OSError:
        return False


def assert_clean(pdf: Pdf, token: str, allowed_attachments: set[str]) -> None:
    assert set(pdf.attachments) == allowed_attachments
    for annot in pdf.annotations():
        assert annot.get("/Subtype") != "/FileAttachment", annot
        action = annot.get("/A")
        if action is not None:
            uri = str(action.get_object().get("/URI", ""))
            assert uri.startswith(("http:", "https:", "mailto:")), uri
    assert leaked(pdf, token) == []


@pytest.fixture(scope="module")
def report_with_attacks(tmp_path_factory, secret):
    path, token = secret
    hostile = " ".join(attacks(path.as_uri()))
    source = write(tmp_path_factory.mktemp("hostile") / "answers.yaml", note=hostile,
                   subject=f'Evil <img src="{path.as_uri()}"> Ltd', organisation="<b>Org</b> & Co",
                   evidence=[f'<a rel="attachment" href="{path.as_uri()}">proof</a>'])
    result = render(source, library(), "pdf")
    return source, result


def test_markup_in_answers_is_shown_as_text_not_obeyed(report_with_attacks, secret):
    path, _ = secret
    _, result = report_with_attacks
    text = "".join(Pdf(result.data).text.split())  # long URLs wrap at "/"
    assert f'<imgsrc="{path.as_uri()}">' in text
    assert "<b>Org</b>&Co" in text
    assert '<arel="attachment"' in text
    assert result.blocked == []  # escaped markup never even asks for a URL


def test_report_embeds_only_the_assessment_and_no_file_bytes(report_with_attacks, secret):
    source, result = report_with_attacks
    _, token = secret
    pdf = Pdf(result.data)
    assert_clean(pdf, token, {"answers.yaml"})
    assert pdf.attachments["answers.yaml"] == [source.read_bytes()]


def test_fetcher_alone_blocks_raw_html_attacks(secret):
    """As if a template had forgotten to escape: the raw markup reaches WeasyPrint."""
    path, token = secret
    html = "<html><body><p>report</p>" + "".join(attacks(path.as_uri())) + "</body></html>"
    result = render_pdf(html, attachment=b"ddcheck: 1\n")
    pdf = Pdf(result.data)
    assert_clean(pdf, token, {"answers.yaml"})
    assert any(url.startswith("file:") and "secret.txt" in url for url in result.blocked)
    assert any(url.startswith("http://127.0.0.1") for url in result.blocked)


def test_fetcher_serves_templates_and_data_urls_only(tmp_path):
    root = bundled("templates")
    fetcher = LockedFetcher(root)
    assert b"@page" in fetcher.fetch((root / "report.css").as_uri()).read()
    assert fetcher.fetch("data:text/plain;base64,aGk=").read() == b"hi"
    outside = tmp_path / "x.txt"
    outside.write_text("no")
    link = root / "partials" / "link-out.txt"
    refused = [
        outside.as_uri(),
        root.as_uri() + "/../pyproject.toml",
        root.as_uri() + "/%2e%2e/%2e%2e/etc/passwd",
        "file://otherhost" + str(root / "report.css"),
        "https://example.org/report.css",
        "http://127.0.0.1/",
        "ftp://example.org/x",
    ]
    try:
        link.symlink_to(outside)
        refused.append(link.as_uri())
        for url in refused:
            with pytest.raises(ValueError):
                fetcher.fetch(url)
    finally:
        link.unlink(missing_ok=True)
    assert fetcher.blocked == refused


def test_every_template_is_autoescaped_and_undefined_names_fail():
    env = environment(bundled("templates"))
    assert env.autoescape is True
    assert env.from_string("{{ x }}").render(x="<img src=x>") == "&lt;img src=x&gt;"
    with pytest.raises(UndefinedError):
        env.from_string("{{ missing }}").render()
    # The real template too: an undefined attribute of the view-model is an error, not a blank.
    with pytest.raises(UndefinedError):
        env.get_template("report.html.j2").render(r=object(), stylesheet="", screen=False)


def test_markdown_and_html_outputs_escape_answers(report_with_attacks, tmp_path, secret):
    source, _ = report_with_attacks
    path, _ = secret
    html = render(source, library(), "html").data.decode()
    assert f'&lt;img src=&#34;{path.as_uri()}&#34;&gt;' in html
    assert f'<img src="{path.as_uri()}"' not in html and 'rel="attachment"' not in html
    md = render(source, library(), "md").data.decode()
    unescaped = re.compile(r"(?<!\\)<(img|link|a |style|svg)")
    assert not unescaped.search(md), unescaped.search(md)
    assert "\\<img src=" in md and "\\<a rel=" in md
