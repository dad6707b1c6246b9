"""Quote matching rules and how excerpts are shown."""

from __future__ import annotations

from ddcheck.checklists.model import Citation, unquoted
from ddcheck.checklists.citations import SourceText, normalise


def test_typographic_quotes_and_whitespace_are_folded_nothing_else():
    text = SourceText("Title\n\n \u00a0\nIt\u2019s time to pay\n   more attention.\nNext \u201cline\u201d.\n")
    assert text.paragraphs_of("It's time to pay more attention.") == [2]
    assert text.paragraphs_of('Next "line"') == [4]  # each non-empty line is a paragraph
    assert text.paragraphs_of("it's time") == []  # case is not forgiven
    assert text.paragraphs_of("time to pay more attention") == [2]
    assert normalise("a\u00a0 b\n\tc") == "a b c"


def test_quote_spanning_two_paragraphs_starts_in_the_first():
    text = SourceText("one two\nthree four\n")
    assert text.paragraphs_of("two three") == [1]


def test_excerpt_shown_in_one_pair_of_quotation_marks():
    inner = Citation(source="s", quote="\u201creasonable to conclude\u201d", locator="para. 1")
    plain = Citation(source="s", quote="reasonable to conclude", locator="para. 1")
    assert inner.quoted == plain.quoted == "\u201creasonable to conclude\u201d"
    assert unquoted("'a' and 'b'") == "a' and 'b"
    assert unquoted("x") == "x"


def test_score_text_does_not_double_quotation_marks(invoke, clean_env, tmp_path):
    """A red flag whose cited excerpt is itself a quotation is shown in one pair of marks."""
    from scoring_support import write

    path = write(tmp_path / "a.yaml", {"multilateral-integrity": {"undefined-terms": "undefined"}})
    result = invoke("score", str(path))
    assert result.exit_code == 0
    assert "\u201c\u201c" not in result.stdout and "\u201d\u201d" not in result.stdout
    assert "\u201cA Community with a Shared Future for Human Beings\u201d has become" in result.stdout


def test_a_source_part_must_end_after_it_starts():
    import pytest
    from pydantic import ValidationError

    from ddcheck.checklists.model import Source

    source = Source(id="s", title="T", parts=[{"label": "Nee", "author": "William Nee", "first": 12, "last": 58}])
    assert source.part_at(23).label == "Nee" and source.part_at(5) is None
    with pytest.raises(ValidationError, match="'last' \\(3\\) is before 'first' \\(12\\)"):
        Source(id="s", title="T", parts=[{"label": "Nee", "author": "William Nee", "first": 12, "last": 3}])
