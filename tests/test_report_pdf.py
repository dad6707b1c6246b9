"""The PDF report, opened as a reader would: pages, contents, bookmarks, footnotes, sources, data.

One PDF is rendered for the whole module (of the test checklist in report_support) and every test
reads it; the CJK test skips only when the machine has no CJK font (CI installs fonts-noto-cjk).
"""

from __future__ import annotations

import hashlib
import re

import pytest
from pdf_support import NO_CJK_REASON, Pdf, cjk_font_installed
from report_support import ANSWERER, CJK_NOTE, SUBJECT, QUOTE_CHENG, QUOTE_WAPO, library, write

from ddcheck.answers.assessment import load_assessment
from ddcheck.report.pipeline import render


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    return write(tmp_path_factory.mktemp("report") / "answers.yaml")


@pytest.fixture(scope="module")
def pdf(source) -> Pdf:
    result = render(source, library(), "pdf")
    assert result.blocked == []
    return Pdf(result.data)


def test_every_page_says_page_x_of_y_except_the_cover(pdf):
    total = len(pdf.pages)
    assert total >= 6
    for number, text in enumerate(pdf.pages[1:], 2):
        assert f"Page {number} of {total}" in text


def test_cover_names_subject_organisation_assessor_checklist_version_and_rating(pdf):
    cover = pdf.pages[0]
    for fact in (SUBJECT, "Nordlicht Apparel AG", "Jonas Berg", "2025-03-02",
                 "Cotton yarn sourcing check", "version 2.1.0", "Critical risk"):
        assert fact in cover
    assert "not an audit or a legal opinion" in cover.lower()


def test_contents_page_numbers_lead_to_the_chapters(pdf):
    contents = pdf.pages[1]
    assert contents.startswith("Contents") or "Contents" in contents[:40]
    entries = dict((title, int(page)) for title, page in
                   re.findall(r"(Executive summary|Action plan|Sources and method|Audit trail)[ .]+(\d+)", contents))
    assert set(entries) == {"Executive summary", "Action plan", "Sources and method", "Audit trail"}
    for title, page in entries.items():
        # The chapter's heading opens that page (after the running head).
        assert title in pdf.pages[page - 1], (title, page)
        assert pdf.page_of(title, start=2) == page
    assert entries["Executive summary"] < entries["Action plan"] < entries["Sources and method"] < entries["Audit trail"]


def test_bookmarks_mirror_the_contents_with_sections_nested(pdf):
    marks = pdf.bookmarks
    titles = [t for _, t, _ in marks]
    assert titles[:3] == ["Contents", "Executive summary", "Action plan"]
    assert "1 Cotton yarn sourcing check" in titles
    nested = [(d, t) for d, t, _ in marks if d == 1]
    assert nested == [(1, "1.1 Origin of the cotton"), (1, "1.2 Controls")]
    pages = {t: p for _, t, p in marks}
    contents = pdf.pages[1]
    assert re.search(rf"Audit trail[ .]+{pages['Audit trail']}\b", contents)
    assert "Audit trail" in pdf.pages[pages["Audit trail"] - 1]


def chapter_page(pdf, title="1 Cotton yarn sourcing check") -> int:
    return next(page for _, t, page in pdf.bookmarks if t == title)


def test_running_head_names_the_chapter_and_section(pdf):
    page = pdf.page_of("Does the contract ban forced labour?", start=chapter_page(pdf) - 1)
    text = pdf.pages[page - 1]
    assert re.search(r"1\.[12] (Controls|Origin of the cotton) Nordlicht Apparel AG", text), text
    assert "Nordlicht Apparel AG" in text


def test_each_question_shows_answer_note_evidence_and_action(pdf):
    page = pdf.text
    for shown in ("1.1 Does any yarn contain cotton from the region?", "Red flag", "Agent letter 2025-02-20",
                  "Stop orders until the gin is identified.", "Spinner known; two gins unnamed.",
                  "Gap: counted as high risk", "Not applicable", "Answered by Wang Fang"):
        assert shown in page, shown


def test_citations_are_footnotes_quoting_the_source_on_the_question_page(pdf):
    question_page = pdf.page_of("Does any yarn contain cotton from the region?", start=chapter_page(pdf) - 1)
    text = pdf.pages[question_page - 1]
    note = re.search(r"\[1\] Washington Post, para\. 9: “(.*?)”", text)
    assert note, text
    assert note.group(1) == QUOTE_WAPO
    assert QUOTE_CHENG.replace("“", "").replace("”", "")[:20] in pdf.text.replace("“", "").replace("”", "")


def test_out_of_scope_questions_are_listed_briefly(pdf):
    assert "not asked, given earlier answers" in pdf.text.lower()
    assert "1.2.3 Was the last finding remediated?" in pdf.text


def test_summary_has_score_rating_reasons_counts_red_flags_and_a_vector_chart(pdf):
    page = pdf.page_of("Executive summary", start=2)
    text = pdf.pages[page - 1]
    for shown in ("Critical risk", "Why this rating", "matrix gives critical", "ANSWERED", "GAPS", "NOT APPLICABLE",
                  "Red flags", "Does any yarn contain cotton from the region?", "Scores by checklist and section"):
        assert shown in text, shown
    resources = pdf.reader.pages[page - 1]["/Resources"]
    assert "/XObject" not in resources or not any(
        x.get_object().get("/Subtype") == "/Image" for x in resources["/XObject"].values())


def test_action_plan_is_ordered_by_priority(pdf):
    text = pdf.pages[pdf.page_of("Action plan", start=2) - 1]
    first = text.index("Stop orders until the gin is identified.")
    second = text.index("Finish the map.")
    third = text.index("Answer this question: Does the contract ban forced labour?")
    assert first < second < third


def test_bibliography_names_each_cited_source_with_what_is_known(pdf):
    text = pdf.pages[pdf.page_of("Sources cited") - 1]
    assert "[1] Foreign Firms Operating in Xinjiang" in text  # no author: none invented, none "unknown"
    assert "Washington Post, n.d. Cited" in text and "unknown" not in text.lower()
    assert "Qian Cheng. Engaging Chinese state-owned enterprises on human rights through CSR" in text
    assert "Andréa Worden" in text
    assert "How the scores are computed" in pdf.text and "score 85 to 100" in pdf.text


def test_attachment_is_the_assessment_file_and_loads_back_to_the_same_answers(pdf, source, tmp_path):
    assert list(pdf.attachments) == ["answers.yaml"]
    (embedded,) = pdf.attachments["answers.yaml"]
    assert embedded == source.read_bytes()
    copy = tmp_path / "from-pdf.yaml"
    copy.write_bytes(embedded)
    assert load_assessment(copy) == load_assessment(source)


def test_audit_page_shows_the_fingerprints(pdf, source):
    text = pdf.pages[pdf.page_of("Audit trail", start=3) - 1]
    assert hashlib.sha256(source.read_bytes()).hexdigest() in text.replace(" ", "")
    assert "Unchanged since answered" in text
    assert "ddcheck" in text and "WeasyPrint" in text
    assert "1 answer was changed after first being given" in text


def test_document_metadata(pdf):
    meta = pdf.reader.metadata
    assert meta.title == f"Human-rights due diligence report: {SUBJECT}"
    assert meta.author == "Jonas Berg"
    assert "Nordlicht Apparel AG" in meta.subject and "Cotton yarn sourcing check" in meta.subject
    assert meta.creator.startswith("ddcheck ")


@pytest.mark.skipif(not cjk_font_installed(), reason=NO_CJK_REASON)
def test_chinese_and_uyghur_render_with_an_embedded_cjk_font(pdf):
    assert CJK_NOTE in pdf.text
    assert "王芳" in pdf.text
    assert any("CJK" in name or "WenQuanYi" in name or "Han" in name for name in pdf.font_names()), pdf.font_names()


def test_bibliography_explains_what_the_registry_says_of_unknown_facts(pdf):
    """An auditor sees why a date is unknown or a title descriptive, not just a blank."""
    text = " ".join(pdf.text.split())
    assert "The text gives no headline; the title above describes it." in text


def test_cover_has_report_id_confidentiality_and_scope_and_the_disclaimer_is_said_once(pdf, source):
    cover = pdf.pages[0]
    report_id = re.search(r"DDR-\d{8}-[0-9A-F]{8}", cover).group(0)
    assert report_id.endswith(hashlib.sha256(source.read_bytes()).hexdigest()[:8].upper())
    assert "Confidential. Prepared for Nordlicht Apparel AG" in cover
    assert "Scope and limitations" in cover and "questions were answered" in cover
    assert pdf.text.count("It is not an audit, a certification or a legal opinion") == 1
    for number, text in enumerate(pdf.pages[1:], 2):  # every page quotes the id and its confidentiality
        assert f"Confidential · {report_id}" in text, number
