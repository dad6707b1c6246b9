"""Format v2 of the risk model: question roles, exposure scales and red-flag severities.

Each mistake a maintainer can make is reported at its line and column with a hint, and a scale that
scores "don't know" below its worst is a warning that does not fail validation.
"""

from __future__ import annotations

import json
import tempfile
import textwrap
from pathlib import Path

from conftest import ROOT
from test_loading import load, where

HEAD = """\
id: t
title: Test
version: 1.0.0
summary: A test checklist.
scales:
  assurance:
    - {value: "yes", label: "Yes", risk: 0}
    - {value: "no", label: "No", risk: 3}
    - {value: unknown, label: "Don't know", risk: 3}
    - {value: na, label: "N/A"}
  region:
    - {value: "no", label: "No", exposure: none}
    - {value: "yes", label: "Yes", exposure: severe}
    - {value: unknown, label: "Don't know"}
sections:
  - id: s1
    title: One
    questions:
"""


def question(qid: str, *extra: str, scale: str = "assurance") -> str:
    lines = [f"      - id: {qid}", f"        text: {qid}?", f"        scale: {scale}", "        guidance: Why.",
             '        actions: {"no": "Fix it.", unknown: "Find out."}', *(f"        {line}" for line in extra),
             '        cite: [{source: cheng-soe-csr, quote: "occupational safety", locator: para. 7}]']
    return "\n".join(lines) + "\n"


def test_roles_exposure_levels_and_severities_load():
    body = HEAD + question("gate", "role: exposure", scale="region") + question(
        "audit", "role: control", "when: {question: gate, in: [\"yes\", unknown]}",
        "red_flag: {in: [\"no\"], severity: critical}") + question("plain", "red_flag: {in: [\"no\"]}")
    with tempfile.TemporaryDirectory() as folder:
        library, problems = load(Path(folder), body)
    assert problems == []
    cl = library.checklists["t"].checklist
    assert cl.question("gate").is_exposure and not cl.question("gate").is_control
    assert cl.question("audit").is_control and cl.question("audit").severity.value == "critical"
    assert cl.question("plain").is_control and cl.question("plain").severity.value == "high"  # the default
    assert [c.exposure.value if c.exposure else None for c in cl.choices(cl.question("gate"))] == ["none", "severe", None]


def test_exposure_question_on_a_risk_scale_is_located(tmp_path):
    _, problems = load(tmp_path, HEAD + question("gate", "role: exposure"))
    assert where(problems) == [(24, 15, "'gate' is an exposure question but scale 'assurance' gives no 'exposure' "
                                       "levels | use a scale whose choices carry exposure: none|low|medium|high|severe, "
                                       "or make it role: control")]


def test_control_question_on_an_exposure_scale_is_located(tmp_path):
    _, problems = load(tmp_path, HEAD + question("q", scale="region"))
    assert where(problems) == [(21, 16, "'q' is a control question but scale 'region' is an exposure scale | "
                                       "add role: exposure, or use a scale whose choices carry 'risk'")]


def test_a_scale_that_mixes_risk_and_exposure_is_located(tmp_path):
    body = HEAD.replace('    - {value: unknown, label: "Don\'t know"}\n',
                        '    - {value: unknown, label: "Don\'t know"}\n    - {value: maybe, label: "Maybe", risk: 2}\n')
    _, problems = load(tmp_path, body + question("q"))
    assert where(problems) == [(11, 3, "scale 'region' mixes 'risk' and 'exposure' choices | a control scale gives "
                                       "every choice a 'risk', an exposure scale an 'exposure'; split it in two")]


def test_a_choice_with_both_risk_and_exposure_is_located(tmp_path):
    body = HEAD.replace('label: "Yes", exposure: severe}', 'label: "Yes", exposure: severe, risk: 3}')
    _, problems = load(tmp_path, body + question("q"))
    assert [(p.line, p.message) for p in problems] == [
        (13, "a choice carries 'risk' (control scales) or 'exposure' (exposure scales), not both")]


def test_bad_role_severity_and_exposure_values_are_located(tmp_path):
    body = HEAD.replace("exposure: severe", "exposure: extreme") + question(
        "q", "role: exposur", "red_flag: {in: [\"no\"], severity: urgent}")
    _, problems = load(tmp_path, body)
    found = sorted((p.line, p.message.split(":")[0]) for p in problems)
    assert found == [(13, "'exposure'"), (24, "'role'"), (25, "'severity'")]
    assert "'high' or 'critical'" in next(p.message for p in problems if p.line == 25)


def test_misspelled_severity_key_gets_a_hint(tmp_path):
    _, problems = load(tmp_path, HEAD + question("q", "red_flag: {in: [\"no\"], severity: high, sevrity: high}"))
    assert [(p.line, p.message, p.hint) for p in problems] == [(24, "unknown key 'sevrity'", "did you mean 'severity'?")]


def test_information_questions_take_no_role(tmp_path):
    body = HEAD + "\n".join("      " + line if line else line for line in textwrap.dedent("""\
        - id: note
          text: Anything?
          type: text
          role: exposure
          guidance: Why.
          cite: [{source: cheng-soe-csr, quote: "occupational safety", locator: para. 7}]
        """).splitlines()) + "\n"
    _, problems = load(tmp_path, body)
    assert [(p.line, p.message) for p in problems] == [
        (19, "a 'text' question is information and takes no 'role'; remove it or use type: choice")]


def test_unknown_below_the_scale_maximum_is_a_warning_not_an_error(tmp_path, invoke, clean_env):
    body = HEAD.replace('{value: unknown, label: "Don\'t know", risk: 3}', '{value: unknown, label: "Don\'t know", risk: 1}')
    (tmp_path / "t.yaml").write_text(body + question("q"), encoding="utf-8")
    result = invoke("--checklists", str(tmp_path), "checklists", "validate", str(tmp_path / "t.yaml"))
    assert result.exit_code == 0, result.output
    assert f"{tmp_path / 't.yaml'}:9:7: warning: scale 'assurance' gives 'unknown' the risk 1, below the scale's " \
           "highest (3) (set risk: 3; scoring always counts \"don't know\" as a gap at the highest risk)" in result.output
    assert "OK: 1 checklist(s)" in result.output and "1 warning(s)" in result.output
    as_json = invoke("--checklists", str(tmp_path), "checklists", "validate", str(tmp_path / "t.yaml"), "--json")
    assert as_json.exit_code == 0
    assert [p["severity"] for p in json.loads(as_json.stdout)] == ["warning"]
    # a warning never keeps the checklist out of the library other commands load
    shown = invoke("--checklists", str(tmp_path), "checklists", "show", "t")
    assert shown.exit_code == 0, shown.output


def test_schema_documents_role_exposure_and_severity(invoke):
    schema = json.loads(invoke("checklists", "schema").stdout)["$defs"]
    assert schema["Role"]["enum"] == ["exposure", "control"]
    assert schema["Exposure"]["enum"] == ["none", "low", "medium", "high", "severe"]
    assert schema["Severity"]["enum"] == ["high", "critical"]
    assert "role" in schema["Question"]["properties"] and "exposure" in schema["Choice"]["properties"]
    assert schema["RedFlag"]["properties"]["severity"]["default"] == "high"


def test_bundled_checklists_validate_without_problems_or_warnings(invoke, clean_env):
    result = invoke("checklists", "validate", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout) == []
    assert ROOT.joinpath("checklists").is_dir()
