"""PDF/UA-1 and PDF/A-3b, read back from the structure tree, the annotations and the XMP with pypdf."""

from __future__ import annotations

import re

import pytest
from pdf_support import Pdf
from report_support import library, write

from ddcheck.report.pipeline import render

CHINESE = "Huamian Textiles (华棉纺织) — yarn"


@pytest.fixture(scope="module")
def ua(tmp_path_factory) -> Pdf:
    # Chinese in the subject whatever fonts this machine has: tagging does not depend on glyphs.
    path = write(tmp_path_factory.mktemp("ua") / "answers.yaml", subject=CHINESE)
    return Pdf(render(path, library(), "pdf", variant="pdf/ua-1").data)


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> tuple[Pdf, bytes]:
    path = write(tmp_path_factory.mktemp("a3") / "answers.yaml")
    return Pdf(render(path, library(), "pdf", variant="pdf/a-3b").data), path.read_bytes()


def structure(pdf: Pdf) -> list[dict]:
    """Every structure element, depth first."""
    out: list[dict] = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, list):
            for kid in node:
                walk(kid)
            return
        if not hasattr(node, "get"):
            return
        if node.get("/Type") == "/StructElem" or "/S" in node:
            out.append(node)
        kids = node.get("/K")
        if kids is not None:
            walk(kids)

    walk(pdf.reader.trailer["/Root"]["/StructTreeRoot"])
    return out


def test_the_chart_has_alternative_text_giving_its_scores(ua):
    alts = [str(e.get("/Alt", "")) for e in structure(ua) if e["/S"] == "/Figure"]
    alt = next(a for a in alts if a.startswith("Bar chart"))
    assert alt.startswith("Bar chart of scores") and re.search(r"1 Cotton yarn sourcing check: [\d.]+", alt), alt


def test_footnotes_are_notes_and_the_action_plan_a_table_with_headers(ua):
    tags = [e["/S"] for e in structure(ua)]
    assert tags.count("/Note") >= 6  # one per citation
    # header cells: the action plan's 3, the summary's measures table and the method's rating matrix
    assert "/Table" in tags and tags.count("/TH") >= 3 and tags.count("/TD") >= 3 * 2


def test_chinese_text_is_marked_as_chinese(ua):
    langs = [str(e["/Lang"]) for e in structure(ua) if "/Lang" in e]
    assert "zh" in langs
    assert str(ua.reader.trailer["/Root"]["/Lang"]) == "en"


def test_links_are_described_in_words_not_anchor_ids(ua):
    links = [a for a in ua.annotations() if a.get("/Subtype") == "/Link"]
    assert links
    for link in links:
        contents = str(link.get("/Contents", ""))
        assert contents and not re.fullmatch(r"[a-z]+-[a-z0-9-]+", contents), contents
    assert any(str(link["/Contents"]).startswith("Question 1.1.1") for link in links)
    assert any(str(link["/Contents"]).startswith("Source 1") for link in links)


def test_pdf_a_lists_the_yaml_attachment_once_with_its_mime_type(archive):
    pdf, source = archive
    root = pdf.reader.trailer["/Root"]
    files = [f.get_object() for f in root["/AF"]]
    assert len(files) == 1 and files[0]["/AFRelationship"] == "/Source"
    embedded = files[0]["/EF"]["/F"].get_object()
    assert embedded["/Subtype"] == "/application/yaml"
    assert embedded.get_data() == source
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfaid:part[^0-9]*3", xmp) and re.search(r"pdfaid:conformance[^A-Z]*B", xmp)


def test_the_exposure_controls_matrix_is_a_figure_saying_where_each_checklist_sits(ua):
    alts = [str(e.get("/Alt", "")) for e in structure(ua) if e["/S"] == "/Figure"]
    matrix = next(a for a in alts if a.startswith("Exposure \u00d7 controls matrix"))
    assert re.search(r"Checklist 1, Cotton yarn sourcing check: exposure \w+.*controls \w+", matrix), matrix
