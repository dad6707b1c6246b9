"""The bundled checklists: valid, large enough, and every quote found verbatim in its source."""

from __future__ import annotations

import collections
import shutil

import pytest

from conftest import ROOT, SEEDS
from ddcheck.checklists.model import MAX_RISK
from ddcheck.checklists.citations import verify
from ddcheck.checklists.library import collect

BUNDLED = ROOT / "checklists"
CORE = {"ungp-due-diligence", "xinjiang-supply-chain", "soe-engagement", "overseas-projects",
        "technology-data-people"}
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="source texts not beside the checkout")


@pytest.fixture(scope="module")
def library():
    lib, problems = collect(dirs=[BUNDLED])
    assert problems == [], "\n".join(map(str, problems))
    return lib


def test_core_checklists_present_with_90_questions(library):
    assert CORE <= set(library.checklists)
    total = sum(len(lc.checklist.questions()) for lc in library.checklists.values())
    assert total >= 90


def test_every_source_cited_by_at_least_five_questions(library):
    citing = collections.Counter()
    for lc in library.checklists.values():
        for _, question in lc.checklist.questions():
            for source_id in {c.source for c in question.cite}:
                citing[source_id] += 1
    assert set(citing) == set(library.sources)
    assert min(citing.values()) >= 5, citing


def test_sources_record_only_what_the_texts_give(library):
    """Every source has a text to verify against; unknown facts are null, not guesses."""
    for source in library.sources.values():
        assert source.file, source.id
        assert source.url is None  # none of the texts states its URL


def test_every_checklist_flags_alarming_answers(library):
    for cid, lc in library.checklists.items():
        flagged = [q for _, q in lc.checklist.questions() if q.red_flag is not None]
        assert flagged, f"{cid} has no red flags"


def test_control_questions_can_reach_high_risk_and_have_actions(library):
    for lc in library.checklists.values():
        cl = lc.checklist
        for _, q in cl.questions():
            if not q.is_control:
                continue
            choices = cl.choices(q)
            assert max((c.risk or 0) for c in choices) == MAX_RISK, q.id
            for c in choices:
                if c.risk:
                    assert q.actions.get(c.value, "").strip(), (q.id, c.value)


def test_guidance_and_evidence_present(library):
    for lc in library.checklists.values():
        for _, q in lc.checklist.questions():
            assert len(q.guidance) >= 60, q.id
            if q.scored:
                assert q.evidence, q.id


@needs_seeds
def test_every_quote_and_locator_verified(library):
    problems, checked = verify(library, SEEDS)
    assert problems == [], "\n".join(map(str, problems))
    assert checked >= sum(len(lc.checklist.questions()) for lc in library.checklists.values())


@needs_seeds
def test_an_altered_quote_in_a_bundled_checklist_is_caught(tmp_path):
    for path in BUNDLED.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    target = tmp_path / "xinjiang-supply-chain.yaml"
    text = target.read_text(encoding="utf-8")
    lib, _ = collect(dirs=[tmp_path])
    quotes = [c.quote for _, q in lib.checklists["xinjiang-supply-chain"].checklist.questions() for c in q.cite]
    quote = next(q for q in quotes if q in text)  # one written on a single line, as most are
    altered = quote[:-1] + ("X" if quote[-1] != "X" else "Y")
    target.write_text(text.replace(quote, altered, 1), encoding="utf-8")
    lib, problems = collect(dirs=[tmp_path])
    assert problems == []
    misses, _ = verify(lib, SEEDS)
    assert len(misses) == 1
    assert misses[0].file.endswith("xinjiang-supply-chain.yaml")
    assert misses[0].message.startswith("quote not found in ")


def test_exposure_facts_are_exposure_questions_and_never_plain_failures(library):
    """Issue 9: being exposed is not a failure of due diligence. The gates that decide which
    follow-ups apply are exposure questions, with an exposure scale, and do not raise red flags
    for a plain "yes"; current links to Public Security Bureaus or the bingtuan are critical."""
    roles = {(cid, q.id): q for cid, lc in library.checklists.items() for _, q in lc.checklist.questions()}
    for key in [("xinjiang-supply-chain", "region-exposure"), ("xinjiang-supply-chain", "sector-exposure"),
                ("xinjiang-supply-chain", "operations-presence"), ("soe-engagement", "ownership-status"),
                ("overseas-projects", "prior-controversy"), ("technology-data-people", "security-agency-customers")]:
        q = roles[key]
        assert q.is_exposure and q.red_flag is None, key
        assert all(c.risk is None for c in library.checklists[key[0]].checklist.choices(q)), key
    bingtuan = roles["xinjiang-supply-chain", "security-and-bingtuan"]
    assert bingtuan.is_exposure and bingtuan.red_flag.severity.value == "critical"
    assert bingtuan.red_flag.in_ == ["current"]
