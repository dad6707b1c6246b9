"""``ddcheck score``: the table an analyst reads, the JSON scripts read, and clean errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from scoring_support import WEIGHTED_YAML, write

from conftest import DDCHECK, GOOD, ROOT


@pytest.fixture
def folders(tmp_path: Path) -> list[str]:
    """--checklists options for mini (the fixture) and weighted (written to a temporary folder)."""
    extra = tmp_path / "checklists"
    extra.mkdir()
    (extra / "weighted.yaml").write_text(WEIGHTED_YAML, encoding="utf-8")
    return ["--checklists", str(GOOD), "--checklists", str(extra)]


@pytest.fixture
def flagged(tmp_path: Path) -> Path:
    """mini: 1.1 "don't know" (gap + red flag), 1.2 partly, 2.1 unanswered -> (6+2+3)/(6+3+3) = 11/12 -> 8.3."""
    return write(tmp_path / "answers.yaml", {"mini": {"sources-from-region": "unknown", "mapped": "partial",
                                                      "headcount": 40.0}})


def test_score_prints_a_readable_table(invoke, clean_env, folders, flagged):
    result = invoke(*folders, "score", str(flagged))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("Supplier X — Acme Textiles (assessed 2025-03-01 by Ana Analyst)\n")
    lines = out.splitlines()
    overall = next(line for line in lines if line.startswith("Overall"))
    # exposure (none asked), controls score, coverage (1 of 3 in-scope questions answered), rating, risk sums
    assert overall.split()[1:] == ["—", "8.3", "33%", "critical", "11", "of", "12"]
    assert lines[lines.index(overall) - 1].split() == ["exposure", "controls", "coverage", "rating", "risk", "(controls)"]
    assert any(line.split()[:3] == ["1", "Exposure", "11.1"] for line in lines)  # (6+2)/9 -> 100/9
    assert any(line.split()[:3] == ["2", "Other", "0.0"] for line in lines)
    assert "Red flags (1)\n  mini 1.1  [high] Do any of your products contain inputs from the region?" in out
    assert "  Why this rating:\n  - No exposure question in this checklist, so the medium-exposure row applies; " \
           "controls score 8.3 is poor (0–40); the exposure × controls matrix gives critical." in out
    assert "      answer: Don't know" in out
    assert "      source: Foreign Firms Operating in Xinjiang" in out
    assert "Gaps (2)" in out
    assert "  mini 1.1  Do any of your products contain inputs from the region? (don't know)" in out
    assert "  mini 2.1  Do you have a policy? (unanswered)" in out
    assert "Action plan (3)" in out
    # A red flag comes first and says so, even when it is a gap (a "don't know").
    assert "    1. mini 1.1  Trace the inputs.  [gap, red flag, weight 2]" in out
    assert "    2. mini 1.2  Finish the map.  [risk 2, weight 1]" in out
    assert "Questions: 1 answered, 2 gaps, 0 not applicable, 3 information, 0 out of scope" in out
    assert result.stderr == ""


def test_score_json_has_the_documented_keys_and_hand_computed_values(invoke, clean_env, folders, tmp_path):
    path = write(tmp_path / "a.yaml", {
        "mini": {"sources-from-region": "no", "policy": "no"},
        "weighted": {"commitment": "yes", "published": "yes", "indicators": ["passports"], "grievance": "yes"}})
    result = invoke(*folders, "score", str(path), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    # mini 3/12 (1.2 out of scope, met) -> 75.0 medium; weighted 4.5/15 (70.0, raised to high by the red flag);
    # pooled 7.5/27 -> 100 × 19.5/27 = 72.22… -> 72.2; overall rating: the most severe checklist rating, high
    assert data["overall"]["score"] == 72.2
    assert data["overall"]["rating"] == "high"
    assert (data["overall"]["exposure"], data["overall"]["coverage"]) == (None, 1.0)  # no exposure question asked
    assert [c["score"] for c in data["checklists"]] == [75.0, 70.0]
    assert [(c["rating"], c["exposure"], c["coverage"]) for c in data["checklists"]] == [
        ("medium", None, 1.0), ("high", None, 1.0)]
    assert [q["severity"] for q in data["red_flags"]] == ["high"]
    assert [[s["score"] for s in c["sections"]] for c in data["checklists"]] == [[100.0, 0.0], [100.0, 40.0]]
    assert [(q["checklist_id"], q["question_id"]) for q in data["red_flags"]] == [("weighted", "indicators")]
    assert data["gaps"] == []
    assert [(a["priority"], a["question_id"], a["kind"]) for a in data["actions"]] == [
        (1, "indicators", "risk"), (2, "policy", "risk")]
    assert set(data) >= {"overall", "checklists", "red_flags", "gaps", "actions", "counts", "orphans"}


def test_actions_option_limits_the_list_and_says_how_many_more(invoke, clean_env, folders, flagged):
    out = invoke(*folders, "score", str(flagged), "--actions", "1").stdout
    assert "Action plan (top 1 of 3)" in out
    assert "… 2 more: use --actions 0, or --json" in out


def test_orphan_answers_are_listed(invoke, clean_env, folders, tmp_path):
    path = write(tmp_path / "a.yaml", {"mini": {"sources-from-region": "no", "retired": "yes"}})
    out = invoke(*folders, "score", str(path)).stdout
    assert "Answers to questions the checklist no longer has (kept in the file, not scored):\n  mini retired: yes" in out


def test_a_changed_checklist_is_noted_on_stderr_and_json_stays_clean(invoke, clean_env, folders, tmp_path):
    path = write(tmp_path / "a.yaml", {"mini": {"sources-from-region": "no"}})
    text = path.read_text(encoding="utf-8")
    start = text.index("fingerprint: ") + len("fingerprint: ")
    path.write_text(text[:start] + "0000" + text[start + 4:], encoding="utf-8")
    result = invoke(*folders, "score", str(path), "--json")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "note: Checklist 'mini' changed since it was answered (v1.0.0):",
        "        guidance, citations or scoring changed; no question's wording or choices did"]
    assert json.loads(result.stdout)["overall"]["score"] == 75.0  # 2.1 is a gap: 3/12 (1.2 out of scope, met)


def test_an_unknown_checklist_is_a_clean_error_with_a_suggestion(invoke, clean_env, folders, tmp_path):
    path = write(tmp_path / "a.yaml", {"minni": {}})
    result = invoke(*folders, "score", str(path))
    assert result.exit_code == 2
    # The library's one wording (as status and report say it), hints from every id in view.
    assert "this assessment was answered against checklist 'minni', which is not in view (did you mean 'mini'?" \
        in result.stderr


def test_a_missing_file_exits_2(invoke, clean_env, folders, tmp_path):
    result = invoke(*folders, "score", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_a_broken_assessment_is_reported_with_its_place(invoke, clean_env, folders, tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("ddcheck: 1\nmeta: {organisation: Acme}\nchecklists: [{id: mini}]\n", encoding="utf-8")
    result = invoke(*folders, "score", str(path))
    assert result.exit_code == 2  # was 1: a broken assessment file is broken input (exit 2)
    assert f"{path}:2:7: missing required key 'subject'" in result.stderr


def test_help_lists_score_and_compare(invoke):
    out = invoke("--help").stdout
    assert "score" in out and "compare" in out


def test_score_as_a_real_program_without_weasyprint(clean_env, folders, flagged):
    result = subprocess.run([*DDCHECK, *folders, "score", str(flagged), "--json"], capture_output=True,
                            text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["overall"] == {
        "score": 8.3, "rating": "critical", "risk_total": 11.0, "risk_max": 12.0,
        "exposure": None, "coverage": 0.333, "controls_band": "poor", "scored_in_scope": 3, "scored_answered": 1,
        "reasons": ["The overall rating is the most severe checklist rating: critical, from mini.",
                    "mini: No exposure question in this checklist, so the medium-exposure row applies; controls "
                    "score 8.3 is poor (0–40); the exposure × controls matrix gives critical."]}
    probe = ("import sys\nfrom ddcheck.cli import app\n"
             f"try:\n    app({[*folders, 'score', str(flagged)]!r}, prog_name='ddcheck')\n"
             "except SystemExit:\n    pass\n"
             "sys.stderr.write('weasyprint' + str(any(m.startswith('weasyprint') for m in sys.modules)))\n")
    probed = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert probed.stderr.endswith("weasyprintFalse"), probed.stderr
