"""The report's view-model: numbering, footnotes, bibliography, audit facts, method, chart."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from report_support import ANSWERER, CJK_NOTE, QUOTE_CHENG, QUOTE_WAPO, assessment, library

from ddcheck.answers.assessment import dump_assessment
from ddcheck.findings.model import Rating
from ddcheck.report.context import ChecklistInfo, build_context, build_method
from ddcheck.report.pipeline import make_context, score
from ddcheck.findings.scoring import BANDS, RED_FLAG_FLOOR

NOW = dt.datetime(2025, 3, 3, 12, 0, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def ctx():
    a = assessment()
    data = dump_assessment(a).encode("utf-8")
    return make_context(a, data, score(a, library()), library(), "answers.yaml", generated_at=NOW), data


def questions(c):
    return [q for cl in c.checklists for s in cl.sections for q in s.questions]


def test_footnotes_number_sources_in_order_of_first_citation(ctx):
    c, _ = ctx
    refs = [(f.ref, f.source_id) for q in questions(c) for f in q.citations]
    assert refs[0] == (1, "foreign-firms-xinjiang")
    assert (2, "cheng-soe-csr") in refs
    assert [b.ref for b in c.sources] == list(range(1, len(c.sources) + 1))
    first = questions(c)[0]
    assert first.citations[0].quote == QUOTE_WAPO and first.citations[0].locator == "para. 9"


def test_bibliography_lists_only_cited_sources_with_what_is_known(ctx):
    c, _ = ctx
    by_id = {b.id: b for b in c.sources}
    # remediation (the only question citing nothing new) is out of scope; worden is cited by audits.
    assert set(by_id) == {"foreign-firms-xinjiang", "cheng-soe-csr", "worden-hrc-mutually-beneficial-cooperation"}
    assert by_id["foreign-firms-xinjiang"].authors is None  # the source names no author
    assert by_id["foreign-firms-xinjiang"].publisher == "Washington Post"
    assert by_id["cheng-soe-csr"].authors == "Qian Cheng"
    assert by_id["cheng-soe-csr"].citations == sum(
        f.source_id == "cheng-soe-csr" for q in questions(c) for f in q.citations)


def test_out_of_scope_questions_are_listed_apart_and_cite_nothing(ctx):
    c, _ = ctx
    controls = c.checklists[0].sections[1]
    assert [q.number for q in controls.out_of_scope] == ["1.2.3"]
    assert controls.out_of_scope[0].citations == ()
    assert all(q.status != "out_of_scope" for q in controls.questions)


def test_statuses_read_as_words_with_colour_classes(ctx):
    c, _ = ctx
    by_no = {q.number: q for q in questions(c)}
    assert by_no["1.1.1"].red_flag and by_no["1.1.1"].risk_class == "risk-3" and by_no["1.1.1"].answer == "Yes"
    assert by_no["1.1.2"].risk_label == "Medium risk" and by_no["1.1.2"].changes == 1
    assert by_no["1.2.1"].risk_label == "Not applicable" and by_no["1.2.1"].risk_class == "na"
    assert by_no["1.2.2"].risk_class == "gap" and by_no["1.2.2"].answer == "Not answered"
    assert by_no["1.1.3"].risk_label == "Not scored" and by_no["1.1.3"].answer == "3"


def test_anchors_are_unique_and_actions_and_flags_point_at_questions(ctx):
    c, _ = ctx
    anchors = [q.anchor for q in questions(c)] + [s.anchor for cl in c.checklists for s in cl.sections]
    assert len(anchors) == len(set(anchors))
    question_anchors = {q.anchor for q in questions(c)}
    assert {a.anchor for a in c.actions} <= question_anchors
    assert {f.anchor for f in c.red_flags} <= question_anchors
    assert [a.priority for a in c.actions] == sorted(a.priority for a in c.actions)


def test_audit_holds_the_fingerprint_of_the_exact_bytes_and_the_history(ctx):
    c, data = ctx
    a = c.audit
    assert a.sha256 == hashlib.sha256(data).hexdigest() and a.size == len(data)
    assert a.checklists[0].matches is True and a.checklists[0].version == "2.1.0"
    assert (a.answers, a.changed_answers, a.changes) == (4, 1, 1)
    assert set(a.answerers) == {ANSWERER, "Jonas Berg"}
    assert a.history[0].number == "1.1.2"
    assert a.generated_at == "2025-03-03 12:00 UTC"


def test_a_changed_checklist_is_flagged_on_the_audit_page():
    a = assessment()
    lib = library()
    findings = score(a, lib)
    infos = {"cotton-check": ChecklistInfo("cotton-check", "Cotton", "2.1.0", "0" * 64)}
    c = build_context(findings, a, lib.sources, infos, assessment_bytes=b"x", file_name="a.yaml",
                      generated_at=NOW, ddcheck_version="0", method=build_method(BANDS, RED_FLAG_FLOOR))
    assert c.audit.checklists[0].matches is False


def test_method_bands_follow_the_scoring_constants():
    method = build_method(BANDS, RED_FLAG_FLOOR)
    assert [b.rating for b in method.bands] == [r.value for _, r in BANDS]
    assert method.bands[0].rule == f"score {BANDS[0][0]:g} to 100"
    assert method.bands[1].rule == f"score {BANDS[1][0]:g} to under {BANDS[0][0]:g}"
    assert any("high risk" in p for p in method.paragraphs)  # the red-flag floor, in words
    assert RED_FLAG_FLOOR is Rating.high


def test_each_checklist_view_carries_exposure_controls_coverage_and_rating(ctx):
    c, _ = ctx
    view = c.checklists[0]
    assert (view.exposure_text, view.score_text, view.rating_label) == ("Not assessed", "22.2", "Critical risk")
    assert view.coverage_text.endswith(")") and "%" in view.coverage_text
    assert c.overall.exposure_text == "Not assessed"


def test_chart_has_a_row_per_checklist_and_section_with_bars_in_range(ctx):
    c, _ = ctx
    rows = c.chart.rows
    assert [r.level for r in rows] == ["checklist", "section", "section"]
    assert all(0 <= r.bar <= 100 for r in rows)
    assert rows[0].bar == pytest.approx(c.checklists[0].score)
    assert all(r2.y > r1.y for r1, r2 in zip(rows, rows[1:]))


def test_texts_reach_every_string_a_reader_sees(ctx):
    c, _ = ctx
    texts = list(c.texts())
    assert any(CJK_NOTE in t for t in texts)
    assert QUOTE_CHENG in texts
    assert ANSWERER in texts


def test_question_labels_carry_the_checklist_and_section_and_never_collide(ctx):
    """One numbering everywhere: "1.2.1" inside section "1.2", in the body and in every reference."""
    c, _ = ctx
    labels = []
    for cl in c.checklists:
        for s in cl.sections:
            for q in (*s.questions, *s.out_of_scope):
                assert q.number.startswith(f"{cl.number}.{s.number}."), (q.number, cl.number, s.number)
                labels.append(q.number)
    sections = {f"{cl.number}.{s.number}" for cl in c.checklists for s in cl.sections}
    assert len(labels) == len(set(labels)) and not sections & set(labels)
    assert [f.number for f in c.red_flags] == ["1.1.1"]
    assert c.audit.history[0].number == "1.1.2"
    assert set(a.number for a in c.actions) <= set(labels)
    referenced = [q.number for r in (*c.overall.reasons, *c.checklists[0].reasons) for q in r.questions]
    assert referenced and set(referenced) <= set(labels)


def test_a_missing_score_reads_as_a_dash_as_in_score_and_the_readme():
    from ddcheck.report.context import score_text

    assert score_text(None) == "\u2014" and score_text(42.25) == "42.2"


def test_only_the_assessed_checklists_are_fingerprinted():
    import dataclasses

    class Unassessed:
        @property
        def fingerprint(self):
            raise AssertionError("fingerprinted a checklist the assessment does not answer")

    a = assessment()
    lib = library()
    wider = dataclasses.replace(lib, checklists={**lib.checklists, "other": Unassessed()})
    c = make_context(a, b"x", score(a, lib), wider, "a.yaml", generated_at=NOW)
    assert [p.matches for p in c.audit.checklists] == [True]


def test_the_matrix_places_each_checklist_in_the_cell_scoring_rates_it_by():
    from ddcheck.checklists.model import Exposure
    from ddcheck.findings.rating import CONTROL_BANDS, NO_CONTROLS, NOT_ASSESSED, controls_band, matrix_rating
    from ddcheck.checklists.library import load_library
    from ddcheck.report.pipeline import make_context, read_assessment, score
    from ddcheck.report.context import rating_label
    from ddcheck.resources import bundled

    lib = load_library()
    for example in sorted(bundled("examples").glob("*.yaml")):
        a, data = read_assessment(example)
        findings = score(a, lib)
        ctx = make_context(a, data, findings, lib, example.name)
        bands = [name for _, name in CONTROL_BANDS]
        placed = {}
        for row in ctx.matrix.rows:
            for band, cell in zip(bands, row.cells):
                for n in cell.checklists:
                    placed[n] = (row.exposure, band, cell.rating_label)
        assert set(placed) == {c.number for c in ctx.checklists}
        for view, c in zip(ctx.checklists, findings.checklists):
            exposure = c.exposure or NOT_ASSESSED.value
            band = controls_band(c.score) or NO_CONTROLS
            cell = matrix_rating(Exposure(c.exposure) if c.exposure else None, c.score)
            assert placed[view.number] == (exposure, band, rating_label(cell))
