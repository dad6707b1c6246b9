"""The PDF as a board member reads it: order, one numbering, links that land, clean pages.

Read back from real PDFs (the test checklist's, and the bundled examples' when a CJK font can draw
their Chinese names) with pypdf for text, outlines and links, and pdfplumber for positions.
"""

from __future__ import annotations

import re

import pytest
from pdf_support import MM, NO_CJK_REASON, PAGE_MARGINS_MM, Layout, Pdf, cjk_font_installed
from report_support import library, write

from ddcheck.checklists.library import load_library
from ddcheck.report.pipeline import render
from ddcheck.resources import bundled

EXAMPLES = sorted(bundled("examples").glob("*.yaml"))
NUMBER = r"\d+\.\d+\.\d+"


def _rendered(path, lib) -> Layout:
    result = render(path, lib, "pdf")
    assert result.blocked == []
    return Layout(Pdf(result.data))


@pytest.fixture(scope="module", params=["own", *EXAMPLES], ids=lambda p: getattr(p, "stem", p))
def layout(request, tmp_path_factory) -> Layout:
    """The test checklist's report (every machine), then each bundled example's (CJK fonts needed)."""
    if request.param == "own":
        return _rendered(write(tmp_path_factory.mktemp("layout") / "answers.yaml"), library())
    if not cjk_font_installed():
        pytest.skip(NO_CJK_REASON)
    return _rendered(request.param, load_library())


def chapter_pages(layout: Layout, title: str) -> range:
    """The pages of the chapter whose bookmark is ``title`` (up to the next top-level bookmark)."""
    marks = [(t, p) for d, t, p in layout.pdf.bookmarks if d == 0]
    i = [t for t, _ in marks].index(title)
    start = marks[i][1]
    end = marks[i + 1][1] if i + 1 < len(marks) else len(layout.pdf.pages) + 1
    return range(start, max(end, start + 1))


def question_links(layout: Layout, pages: range) -> list:
    return [link for link in layout.links() if link.page in pages and re.fullmatch(rf"Question {NUMBER}", link.text)]


def test_action_plan_lists_red_flags_first_and_marks_them(layout):
    summary = chapter_pages(layout, "Executive summary")
    flagged = {link.text for link in question_links(layout, summary)}  # the summary's red-flag cards
    assert flagged
    plan = chapter_pages(layout, "Action plan")
    order = [link.text for link in sorted(question_links(layout, plan), key=lambda link: link.page)]
    firsts = [i for i, q in enumerate(order) if q not in flagged]
    lasts = [i for i, q in enumerate(order) if q in flagged]
    assert lasts and (not firsts or max(lasts) < min(firsts)), order
    marks = sum(layout.pdf.pages[p - 1].count("Red flag") for p in plan)
    assert marks == len(lasts), (marks, order)


def test_every_question_number_in_the_text_is_a_heading_with_that_number(layout):
    headings = {}
    for name, dest in layout.pdf.reader.named_destinations.items():
        if name.startswith("q-"):
            page = layout.pdf.reader.get_destination_page_number(dest) + 1
            top = float(layout.pdf.reader.pages[page - 1].mediabox.height) - float(dest.top)
            shown = layout.text_in(page, top - 1, top + 14)  # may start with a score badge or a bullet
            found = re.match(NUMBER, re.sub(r"^(score [\d.]+ |\u2022 )", "", shown))
            if found:
                headings[found.group(0)] = name
    assert len(headings) >= 5
    text = layout.pdf.text
    named = re.findall(rf"[Qq]uestions? ((?:{NUMBER}(?:, | and )?)+)", text)
    numbers = {n for group in named for n in re.findall(NUMBER, group)}
    assert numbers and numbers <= set(headings), numbers - set(headings)
    for link in layout.links():
        number = re.fullmatch(rf"(?:Question )?({NUMBER})", link.text)
        if number:  # a link showing a number lands on the heading with that number
            assert headings.get(number.group(1)) == link.target, link


def test_why_this_rating_speaks_in_titles_and_whole_words(layout):
    page = layout.pdf.pages[chapter_pages(layout, "Executive summary")[0] - 1]
    reasons = page.split("Why this rating", 1)[1].split("ANSWERED", 1)[0]
    assert "most severe checklist rating" in reasons and "\u2026" not in reasons and "(the score alone" not in reasons
    assert not re.search(r"\b[a-z]+(-[a-z]+)+ \d", reasons), reasons  # no "checklist-id 2.2"
    assert re.search(rf"questions? {NUMBER}", reasons)  # red flags named by their heading numbers


def test_bibliography_leaves_unknown_facts_out_and_keeps_the_notes(layout):
    text = " ".join(layout.pdf.pages[p - 1] for p in chapter_pages(layout, "Sources and method"))
    cited = text.split("Sources cited", 1)[1].split("How the scores are computed", 1)[0]
    assert "unknown" not in cited.lower()
    assert "n.d." in cited
    assert "No publication date is given." in cited  # a registry note


def test_nothing_is_drawn_outside_the_text_block(layout):
    left = PAGE_MARGINS_MM["left"] * MM - 1
    for number in range(2, len(layout.pdf.pages) + 1):
        page = layout.page(number)
        right = page.width - PAGE_MARGINS_MM["right"] * MM + 1
        for ch in page.chars:
            assert left <= ch["x0"] and ch["x1"] <= right, (number, ch["text"], ch["x0"], ch["x1"])
        for box in page.rects:
            assert left <= box["x0"] and box["x1"] <= right, (number, box["x0"], box["x1"])


def test_summary_puts_verdict_and_red_flags_first_and_keeps_figures_whole(layout):
    summary = chapter_pages(layout, "Executive summary")
    assert len(summary) <= 2, list(summary)
    first = layout.pdf.pages[summary[0] - 1]
    flagged = {link.text for link in question_links(layout, summary)}
    assert "Why this rating" in first and all(f in first for f in flagged)
    if len(summary) == 2:  # a second page holds whole figures, never a stray card
        second = layout.pdf.pages[summary[1] - 1]
        assert "Question " not in second.split("Scores by checklist", 1)[0], second[:200]
    sources = [layout.pdf.pages[p - 1] for p in chapter_pages(layout, "Sources and method")]
    page = next(t for t in sources if "Rating bands" in t)  # the heading and all four bands together
    assert all(band in page for band in ("Low risk", "Medium risk", "High risk", "Critical risk"))


def test_running_heads_are_one_line_naming_the_section_in_force_at_the_top(layout):
    marks = layout.pdf.bookmarks
    for number in range(2, len(layout.pdf.pages) + 1):
        head = layout.running_head(number)
        assert len(head) == 1, (number, head)
    headings = [(p, t) for _, t, p in marks]  # chapters open a page; sections start anywhere
    for (page, title), (next_page, next_title) in zip(headings, headings[1:]):
        for number in range(page + 1, next_page):  # pages the heading runs over, no new heading
            assert layout.running_head(number)[0][1] == title, (number, title)
        if next_page > page:
            # The page where the next heading starts, lower down: the head still names this one,
            # unless the next heading opens the page.
            top = PAGE_MARGINS_MM["top"] * MM
            body_top = layout.text_in(next_page, top, top + 40)
            expected = next_title if body_top.startswith(next_title) else title
            assert layout.running_head(next_page)[0][1] == expected, (next_page, body_top[:60])


def test_footnotes_name_the_source_briefly_and_calls_link_to_the_bibliography(layout):
    text = layout.pdf.text
    assert not re.search(r"\b\d+\. \[\d+\]", text)  # one numbering: no "3. [1] ..."
    notes = re.findall(r"\[(\d+)\] ([^,\[\]]{2,40}), (para\.|p\.|section|§)", text)
    assert notes
    sources = chapter_pages(layout, "Sources and method")
    calls = [link for link in layout.links() if re.fullmatch(r"\[\d+\]( .+)?", link.text)]
    assert calls
    for link in calls:
        assert link.target.startswith("src-") and link.target_page in sources, link
        ref = re.match(r"\[\d+\]", link.text).group(0)
        landed = layout.text_in(link.target_page, link.target_top - 1, link.target_top + 12)
        assert landed.startswith(ref), (link, landed)


def test_footnotes_take_at_most_a_quarter_of_any_page(layout):
    """Short notes ("[2] Cheng, para. 7: ...") instead of full titles: the text keeps the page."""
    for number in range(3, len(layout.pdf.pages) + 1):
        page = layout.page(number)
        top, bottom = PAGE_MARGINS_MM["top"] * MM, page.height - PAGE_MARGINS_MM["bottom"] * MM
        starts = [w["top"] for w in page.extract_words(extra_attrs=["size"])
                  if abs(w["size"] - 7.4) < 0.3 and w["x0"] < PAGE_MARGINS_MM["left"] * MM + 3
                  and w["top"] > page.height * 0.3 and re.fullmatch(r"\[\d+\]|\d+\.", w["text"])]
        if starts:
            share = (bottom - min(starts)) / (bottom - top)
            assert share <= 0.25, (number, round(share, 2))
