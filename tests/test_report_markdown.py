"""The Markdown report: same content as the PDF (orphan answers too), escaped text, exact code spans."""

from __future__ import annotations

import datetime as dt

from report_support import assessment, library

from ddcheck.answers.assessment import Answer, dump_assessment
from ddcheck.commands.report import Format, format_for
from ddcheck.report.context import paragraphs
from ddcheck.report.markdown import code, md, render_markdown
from ddcheck.report.pipeline import make_context, score

NOW = dt.datetime(2025, 3, 3, 12, 0, tzinfo=dt.timezone.utc)


def markdown(a, file_name="answers.yaml"):
    data = dump_assessment(a).encode("utf-8")
    return render_markdown(make_context(a, data, score(a, library()), library(), file_name, generated_at=NOW))


def test_code_spans_show_the_text_exactly_whatever_backticks_it_holds():
    assert code("my_file.yaml") == "`my_file.yaml`"  # no md() escapes inside a code span
    assert code("a`b") == "``a`b``"
    assert code("``x") == "``` ``x ```"  # padded: it starts with a backtick
    assert code("two\nlines") == "`two lines`"


def test_file_names_in_the_audit_trail_are_not_backslash_escaped():
    out = markdown(assessment(), "my_file*.yaml")
    assert "- Assessment file: `my_file*.yaml` (" in out
    assert "\\_" not in out.split("## Audit trail", 1)[1].split("\n- Checklist", 1)[0]


def test_orphan_answers_are_listed_as_in_the_pdf():
    a = assessment()
    a.answers["cotton-check"]["retired_q"] = Answer(value="<b>kept</b>", answered_at=NOW, answered_by="Jonas Berg")
    out = markdown(a)
    assert "1 answer(s) to questions that the current checklists no longer ask" in out
    assert "- `cotton-check/retired_q`: \\<b\\>kept\\</b\\>" in out  # the answer escaped like any other
    assert "no longer ask" not in markdown(assessment())


def test_question_numbers_name_checklist_section_and_question():
    out = markdown(assessment())
    assert "### 1.2 " in out and "**1.2.2 " in out and "**2.2 " not in out
    assert "- **Question 1.1.1** Does any yarn" in out  # the heading's number, everywhere


def test_notes_split_into_paragraphs_the_same_way_for_html_and_markdown():
    note = "First line\r\nsame paragraph.\r\n\r\nSecond_one.\n \nThird."
    assert paragraphs(note) == ["First line same paragraph.", "Second_one.", "Third."]
    out = markdown(assessment(note=note))
    assert "> Second\\_one.\n>\n> Third." in out
    assert md("a_b") == "a\\_b"


def test_format_comes_from_the_option_then_the_suffix_then_pdf():
    from pathlib import Path

    assert format_for(Path("r.MD"), None) is Format.md
    assert format_for(Path("r.markdown"), None) is Format.md
    assert format_for(Path("r.html"), Format.json) is Format.json
    assert format_for(Path("r.txt"), None) is Format.pdf and format_for(None, None) is Format.pdf
    assert [f.suffix for f in Format] == [".pdf", ".html", ".json", ".md"]
