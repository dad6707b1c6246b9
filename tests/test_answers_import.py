"""``ddcheck answers import``: the route without a terminal, all-or-nothing, located errors."""

from __future__ import annotations

import textwrap

import pytest
from conftest import GOOD

from ddcheck.answers.assessment import load_assessment
from ddcheck.answers.locking import AssessmentLock

META = ["--organisation", "Acme", "--subject", "Supplier X", "--assessor", "Jane", "--date", "2024-05-01"]


@pytest.fixture
def imp(invoke, clean_env, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # messages show paths relative to here

    def run(name: str, content: str, *extra: str, out: str = "acme.yaml"):
        (tmp_path / name).write_text(textwrap.dedent(content).lstrip(), encoding="utf-8")
        return invoke("--checklists", str(GOOD), "answers", "import", name, "-o", out, *extra)

    return run


def test_csv_rows_become_an_assessment_with_notes_and_evidence(imp, tmp_path):
    result = imp("answers.csv", """
        checklist,question,value,note,evidence
        mini,sources-from-region,Yes,"Cotton, from the region",supplier-map.xlsx; https://example.org/a
        mini,mapped,partial,,
        mini,headcount,1200,,
        mini,audit-date,2024-03-31,,
        """, *META)
    assert result.exit_code == 0, result.output
    assert "Imported 4 answer(s) into acme.yaml: 4 new, 0 changed, 0 unchanged" in result.stdout
    a = load_assessment(tmp_path / "acme.yaml")
    assert a.meta.subject == "Supplier X" and str(a.meta.date) == "2024-05-01"
    assert a.values("mini") == {"sources-from-region": "yes", "mapped": "partial", "headcount": 1200.0,
                                "audit-date": "2024-03-31"}
    first = a.answer("mini", "sources-from-region")
    assert first.note == "Cotton, from the region"
    assert first.evidence == ["supplier-map.xlsx", "https://example.org/a"]
    assert first.answered_by == "Jane"
    assert [r.id for r in a.checklists] == ["mini"] and a.checklists[0].version == "1.0.0"


def test_every_invalid_row_is_reported_with_its_place_and_nothing_is_written(imp, tmp_path):
    result = imp("answers.csv", """
        checklist,question,value,note,evidence
        mini,sources-from-region,yes,,
        mnii,policy,yes,,
        mini,polcy,yes,,
        mini,mapped,parital,,
        mini,headcount,-4,,
        mini,audit-date,31/03/2024,,
        mini,sources-from-region,no,,
        """, *META)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines == [
        "answers.csv:3:1: no checklist with id 'mnii' (did you mean 'mini'?)",
        "answers.csv:4:6: checklist 'mini' has no question 'polcy' (did you mean 'policy'?)",
        "answers.csv:5:13: mini/mapped: 'parital' is not one of the answers (yes, partial, no, unknown, na); "
        "did you mean 'partial'?",
        "answers.csv:6:16: mini/headcount: -4 is below the smallest accepted value, 0",
        "answers.csv:7:17: mini/audit-date: '31/03/2024' is not a date; write it as YYYY-MM-DD, e.g. 2024-03-31",
        "answers.csv:8:6: mini/sources-from-region is answered twice in this file "
        "(keep one of this row and the one on line 2)",
        "error: 6 problem(s); nothing was imported.",
    ]
    assert not (tmp_path / "acme.yaml").exists()


def test_yaml_rows_report_line_and_column(imp, tmp_path):
    result = imp("answers.yaml", """
        - {checklist: mini, question: sources-from-region, value: "yes"}
        - checklist: mini
          question: headcount
          value: lots
        - {checklist: mini, question: policy, value: "yes", evidnce: [a.pdf]}
        """, *META)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:2] == [
        "answers.yaml:4:10: mini/headcount: 'lots' is not a number (write digits, e.g. 1200 or 2.5)",
        "answers.yaml:5:53: unknown key 'evidnce' (did you mean 'evidence'?)",
    ]


def test_import_into_an_existing_assessment_keeps_the_earlier_answer_in_history(imp, tmp_path):
    assert imp("first.yaml", """
        answers:
          - {checklist: mini, question: sources-from-region, value: "no"}
          - {checklist: mini, question: policy, value: "yes", note: Board approved}
        """, *META).exit_code == 0
    result = imp("second.yaml", """
        - {checklist: mini, question: sources-from-region, value: unknown, evidence: [call notes 2024-05-02]}
        - {checklist: mini, question: policy, value: "yes", note: Board approved}
        - {checklist: mini, question: mapped, value: "no"}
        """, "--assessor", "Omar")
    assert result.exit_code == 0, result.output
    assert "3 answer(s) into acme.yaml: 1 new, 1 changed, 1 unchanged" in result.stdout
    a = load_assessment(tmp_path / "acme.yaml")
    changed = a.answer("mini", "sources-from-region")
    assert changed.value == "unknown" and changed.answered_by == "Omar"
    assert [(h.value, h.answered_by) for h in changed.history] == [("no", "Jane")]
    assert a.answer("mini", "policy").answered_by == "Jane"  # unchanged: not re-stamped
    assert a.meta.assessor == "Jane"


def test_an_answer_out_of_scope_is_kept_with_a_note(imp, tmp_path):
    result = imp("answers.csv", """
        checklist,question,value
        mini,sources-from-region,no
        mini,mapped,yes
        """, *META)
    assert result.exit_code == 0
    assert "answers.csv:3:1: note: mini/mapped does not apply given the other answers" in result.stderr
    assert load_assessment(tmp_path / "acme.yaml").values("mini")["mapped"] == "yes"


def test_a_new_assessment_needs_its_cover_details(imp, tmp_path):
    result = imp("answers.csv", "checklist,question,value\nmini,policy,yes\n", "--organisation", "Acme")
    assert result.exit_code == 2
    assert "acme.yaml does not exist yet; to create it, also give --subject, --assessor" in result.stderr


def test_semicolon_separated_csv_from_a_spreadsheet(imp, tmp_path):
    result = imp("answers.csv", "checklist;question;value;evidence\nmini;policy;no;\"a.pdf; b.pdf\"\n", *META)
    assert result.exit_code == 0, result.output
    assert load_assessment(tmp_path / "acme.yaml").answer("mini", "policy").evidence == ["a.pdf", "b.pdf"]


def test_a_bad_header_is_reported_on_line_one(imp):
    result = imp("answers.csv", "checklist,question,valeu\nmini,policy,yes\n", *META)
    assert result.exit_code == 2  # was 1: a bad header makes the file unreadable as rows (exit 2)
    assert "answers.csv:1:20: unknown column 'valeu' (did you mean 'value'?)" in result.stderr.splitlines()
    assert "answers.csv:1:1: the header lacks the column(s) value" in result.stderr


def test_import_is_refused_while_a_session_holds_the_file(imp, tmp_path):
    with AssessmentLock(tmp_path / "acme.yaml"):
        result = imp("answers.csv", "checklist,question,value\nmini,policy,yes\n", *META)
    assert result.exit_code == 3
    assert "acme.yaml is open in another ddcheck session (pid" in result.stderr
    assert not (tmp_path / "acme.yaml").exists()


def test_a_hand_broken_assessment_is_reported_and_left_alone(imp, tmp_path):
    broken = "ddcheck: 1\nmeta:\n  organisation: Acme\n  subject: [unclosed\n"
    (tmp_path / "acme.yaml").write_text(broken, encoding="utf-8")
    result = imp("answers.csv", "checklist,question,value\nmini,policy,yes\n")
    assert result.exit_code == 2  # was 1: a broken assessment file is broken input (exit 2)
    assert result.stderr.startswith("acme.yaml:4:21: YAML syntax error")  # the last line, not past it
    assert (tmp_path / "acme.yaml").read_text(encoding="utf-8") == broken


# --- "not applicable" must be justified (issue 9) -----------------------------------------------


@pytest.fixture
def imp_bundled(invoke, clean_env, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    def run(name: str, content: str, *extra: str, out: str = "acme.yaml"):
        (tmp_path / name).write_text(textwrap.dedent(content).lstrip(), encoding="utf-8")
        return invoke("answers", "import", name, "-o", out, *extra)

    return run


def test_not_applicable_contradicting_an_exposure_answer_is_a_located_row_error(imp_bundled, tmp_path):
    result = imp_bundled("answers.csv", """
        checklist,question,value,note,evidence
        xinjiang-supply-chain,supply-chain-mapped,na,Nothing to map,
        xinjiang-supply-chain,region-link,yes,Cotton yarn from Aksu,
        """, *META)
    assert result.exit_code == 1
    # the gate is answered further down the file: the rule reads the merged answers
    lines = result.stderr.splitlines()
    assert lines[0].startswith("answers.csv:2:43: xinjiang-supply-chain/supply-chain-mapped: 'supply-chain-mapped' is "
                               "answered \"Not applicable (explain why in a note)\", but it is asked because "
                               "'region-link' is answered \"")
    assert lines[0].endswith("; answer it, or correct 'region-link' if the subject is not exposed")
    assert lines[1:] == ["error: 1 problem(s); nothing was imported."]
    assert not (tmp_path / "acme.yaml").exists()


def test_not_applicable_is_accepted_with_a_note_where_no_exposure_makes_the_question_apply(imp_bundled, tmp_path):
    result = imp_bundled("answers.csv", """
        checklist,question,value,note,evidence
        ungp-due-diligence,remedy-provided,na,No harm has been identified to remedy,
        """, *META)
    assert result.exit_code == 0, result.output
    a = load_assessment(tmp_path / "acme.yaml")
    assert a.answer("ungp-due-diligence", "remedy-provided").note == "No harm has been identified to remedy"


def test_not_applicable_without_a_note_is_a_located_row_error(imp_bundled, tmp_path):
    result = imp_bundled("answers.yaml", """
        - {checklist: ungp-due-diligence, question: remedy-provided, value: na}
        """, *META)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "answers.yaml:1:69: ungp-due-diligence/remedy-provided: \"not applicable\" needs a note saying "
        "why it does not apply (fill in the 'note' column)",
        "error: 1 problem(s); nothing was imported."]
    assert not (tmp_path / "acme.yaml").exists()


def test_a_pasted_page_is_repeated_in_a_message_cut_short_never_in_full(imp):
    """A supplier pastes a whole report into an answer cell: the message must still be one readable line."""
    page = "Our audit found " + "nothing of concern " * 2000
    result = imp("answers.csv", f"""
        checklist,question,value,note,evidence
        mini,sources-from-region,{page},,
        mini,headcount,{page},,
        mini,{"q" * 5000},yes,,
        """, *META)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 4 and all(len(line) < 300 for line in lines), [len(line) for line in lines]
    assert lines[0].startswith("answers.csv:2:26: mini/sources-from-region: 'Our audit found nothing of concern")
    assert f"…' ({len(page.strip()):,} characters) is not one of the answers (no, yes, unknown)" in lines[0]
    assert "characters) is not a number" in lines[1]
    assert "checklist 'mini' has no question 'qqq" in lines[2] and "(5,000 characters)" in lines[2]


def test_a_new_assessment_must_be_named_yaml(imp, tmp_path):
    """'-o answers.csv' created a YAML assessment under a CSV name, read back by nothing that expects CSV."""
    result = imp("answers.csv", """
        checklist,question,value
        mini,sources-from-region,yes
        """, *META, out="acme.csv")
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: acme.csv: an assessment file is YAML; name it e.g. acme.yaml"
    assert not (tmp_path / "acme.csv").exists()
