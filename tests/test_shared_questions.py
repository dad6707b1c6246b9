"""Shared questions (``use: checklist/question``) and framework references on questions.

A topic two checklists need is written once, asked once and answered once; its answer counts in
both checklists. Framework identifiers are checked against fixed registries and reported as
coverage by ``score``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ddcheck.answers.assessment import load_assessment
from ddcheck.answers import progress
from ddcheck.checklists.library import collect
from ddcheck.findings.scoring import score_assessment
from ddcheck.resources import bundled

HOME = """\
id: alpha
title: Home checklist
version: 1.0.0
summary: Holds the shared question.
scales:
  assurance:
    - {value: "yes", label: "Yes", risk: 0}
    - {value: "no", label: "No", risk: 3}
    - {value: unknown, label: "Don't know", risk: 3}
sections:
  - id: s
    title: Policy
    questions:
      - id: policy
        text: Does your organisation have a human-rights policy?
        scale: assurance
        guidance: A published policy.
        actions: {"no": "Adopt one.", unknown: "Find out."}
        red_flag: {in: ["no"]}
        frameworks: {ungp: ["16"], oecd-ddg: ["1"]}
        cite:
          - {source: foreign-firms-xinjiang, quote: "whether products are being made using forced labor", locator: para. 9}
"""

USER = """\
id: beta
title: Using checklist
version: 1.0.0
summary: Uses the policy question of alpha.
sections:
  - id: s
    title: Exposure
    questions:
      - id: in-region
        text: Does your organisation source from the region?
        type: yesno
        guidance: Any tier.
        actions: {"no": "Check.", unknown: "Find out."}
        cite:
          - {source: foreign-firms-xinjiang, quote: "whether products are being made using forced labor", locator: para. 9}
      - use: alpha/policy
        when: {question: in-region, in: ["yes"]}
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    lists = tmp_path / "checklists"
    lists.mkdir()
    (lists / "alpha.yaml").write_text(HOME, encoding="utf-8")
    (lists / "beta.yaml").write_text(USER, encoding="utf-8")
    return lists


def load(folder: Path):
    library, problems = collect(dirs=[bundled("checklists"), folder])
    assert not problems, [str(p) for p in problems]
    return library


def test_a_used_question_is_the_home_question_answered_in_its_home(folder):
    beta = load(folder).get("beta").checklist
    shared = beta.question("policy")
    assert shared is not None and shared.text == "Does your organisation have a human-rights policy?"
    assert beta.home_of("policy") == "alpha" and beta.home_of("in-region") == "beta"
    assert shared.when is not None  # beta's own condition, not alpha's


@pytest.mark.parametrize("use, message, hint", [
    ("alpha/polcy", "'alpha' has no question 'polcy'", "did you mean 'policy'?"),
    ("alhpa/policy", "no checklist with id 'alhpa' is in view", "did you mean 'alpha'?"),
    ("beta/in-region", "is a question of this checklist", "write the question here"),
])
def test_a_wrong_use_is_a_located_problem_with_a_hint(folder, invoke, clean_env, use, message, hint):
    (folder / "beta.yaml").write_text(USER.replace("use: alpha/policy", f"use: {use}"), encoding="utf-8")
    result = invoke("--checklists", str(folder), "checklists", "validate")
    assert result.exit_code == 1
    line = next(l for l in result.stderr.splitlines() if "beta.yaml" in l)
    assert ":16:14:" in line and message in line and hint in line


def test_validating_one_file_finds_its_home_in_the_folder(folder, invoke, clean_env):
    result = invoke("--checklists", str(folder), "checklists", "validate", str(folder / "beta.yaml"))
    assert result.exit_code == 0, result.output
    assert "OK: 1 checklist(s), 2 questions" in result.stdout


def test_a_question_whose_red_flag_reads_other_questions_cannot_be_shared(folder, invoke, clean_env):
    text = HOME.replace('red_flag: {in: ["no"]}', 'red_flag: {all: [{in: ["no"]}, {question: other, in: ["no"]}]}')
    text += """      - id: other
        text: Another question?
        scale: assurance
        guidance: Other.
        actions: {"no": "Act.", unknown: "Find out."}
        cite:
          - {source: foreign-firms-xinjiang, quote: "whether products are being made using forced labor", locator: para. 9}
"""
    (folder / "alpha.yaml").write_text(text, encoding="utf-8")
    result = invoke("--checklists", str(folder), "checklists", "validate")
    assert result.exit_code == 1
    assert "'alpha/policy' cannot be shared: its red_flag also tests other" in result.stderr


def test_answered_through_the_using_checklist_it_is_stored_in_the_home_and_scored_in_both(folder, tmp_path,
                                                                                          invoke, clean_env):
    library = load(folder)
    out = tmp_path / "a.yaml"
    answers = tmp_path / "answers.csv"
    answers.write_text("checklist,question,value,note,evidence\nbeta,in-region,yes,,\nbeta,policy,no,,\n",
                       encoding="utf-8")
    result = invoke("--checklists", str(folder), "answers", "import", str(answers), "-o", str(out),
                    "--organisation", "Acme", "--subject", "Supplier", "--assessor", "J. Doe")
    assert result.exit_code == 0, result.output
    assessment = load_assessment(out)
    assert assessment.answers["alpha"]["policy"].value == "no"
    assert "policy" not in assessment.answers.get("beta", {})

    checklists = {cid: lc.checklist for cid, lc in library.checklists.items()}
    findings = score_assessment(assessment, checklists, library.sources)
    beta = next(c for c in findings.checklists if c.id == "beta")
    policy = next(q for s in beta.sections for q in s.questions if q.question_id == "policy")
    assert policy.value == "no" and policy.red_flag
    assert findings.orphans == ()  # stored under alpha, which this assessment does not answer: not an orphan

    # with both checklists, the questionnaire holds the shared question once
    both = [checklists["alpha"], checklists["beta"]]
    keys = list(progress.states(progress.items(both), assessment))
    assert keys.count(("alpha", "policy")) == 1


def test_the_same_question_named_through_two_checklists_is_answered_twice(folder, tmp_path, invoke, clean_env):
    answers = tmp_path / "answers.csv"
    answers.write_text("checklist,question,value,note,evidence\nbeta,policy,no,,\nalpha,policy,yes,,\n",
                       encoding="utf-8")
    result = invoke("--checklists", str(folder), "answers", "import", str(answers), "-o", str(tmp_path / "a.yaml"),
                    "--organisation", "Acme", "--subject", "Supplier", "--assessor", "J. Doe")
    assert result.exit_code == 1
    assert "alpha/policy is answered twice in this file" in result.stderr
    assert not (tmp_path / "a.yaml").exists()


# ----------------------------------------------------------------------------- frameworks


@pytest.mark.parametrize("refs, message, hint", [
    ("{ungp: ['16'], oecd: ['1']}", "unknown framework 'oecd'", "did you mean 'oecd-ddg'?"),
    ("{ilo-forced-labour: [retention-of-id-documents]}",
     "'retention-of-id-documents' is not an identifier of 'ilo-forced-labour'",
     "did you mean 'retention-of-identity-documents'?"),
    ("{oecd-ddg: ['7']}", "'7' is not an identifier of 'oecd-ddg'", "use one of: 1, 2, 3, 4, 5, 6"),
])
def test_framework_references_are_checked_against_the_registry(folder, invoke, clean_env, refs, message, hint):
    (folder / "alpha.yaml").write_text(HOME.replace("{ungp: [\"16\"], oecd-ddg: [\"1\"]}", refs), encoding="utf-8")
    result = invoke("--checklists", str(folder), "checklists", "validate")
    assert result.exit_code == 1
    line = next(l for l in result.stderr.splitlines() if "alpha.yaml" in l)
    assert message in line and hint in line and ":20:" in line


def test_show_lists_frameworks_and_shared_questions(folder, invoke, clean_env):
    shown = invoke("--checklists", str(folder), "checklists", "show", "beta").stdout
    assert "shared: asked once, answered in alpha" in shown
    assert "UN Guiding Principles on Business and Human Rights: Principle 16" in shown


def test_score_reports_coverage_per_framework(folder, tmp_path, invoke, clean_env):
    answers = tmp_path / "answers.csv"
    answers.write_text("checklist,question,value,note,evidence\nalpha,policy,yes,,\n", encoding="utf-8")
    out = tmp_path / "a.yaml"
    assert invoke("--checklists", str(folder), "answers", "import", str(answers), "-o", str(out),
                  "--organisation", "Acme", "--subject", "S", "--assessor", "J").exit_code == 0
    data = json.loads(invoke("--checklists", str(folder), "score", str(out), "--json").stdout)
    assert {"framework": "ungp", "ref": "16", "label": "Principle 16", "questions": 1, "answered": 1} \
        in data["frameworks"]
    text = invoke("--checklists", str(folder), "score", str(out)).stdout
    assert "OECD Due Diligence Guidance for Responsible Business Conduct, Step 1: embed responsible " \
           "business conduct into policies and management systems: 1 of 1 answered" in text
