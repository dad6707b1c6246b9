"""The loader on valid and broken checklists: every problem named with its line and column."""

from __future__ import annotations

import shutil
import textwrap
import time
from pathlib import Path

import pytest

from conftest import GOOD, ROOT
from ddcheck.checklists.library import collect, content_fingerprint

SOURCES = ROOT / "checklists" / "sources.yaml"

HEAD = """\
id: t
title: Test
version: 1.0.0
summary: A test checklist.
scales:
  assurance:
    - {value: "yes", label: "Yes", risk: 0}
    - {value: "no", label: "No", risk: 3}
    - {value: na, label: "N/A"}
sections:
  - id: s1
    title: One
    questions:
"""

Q1 = """\
      - id: q1
        text: First?
        scale: assurance
        guidance: Why.
        actions: {"no": "Fix it."}
        cite:
          - {source: cheng-soe-csr, quote: "occupational safety", locator: para. 7}
"""


def load(tmp_path: Path, body: str, name: str = "t.yaml"):
    """Write a checklist beside a copy of the real source registry and collect it."""
    shutil.copy(SOURCES, tmp_path / "sources.yaml")
    (tmp_path / name).write_text(body, encoding="utf-8")
    return collect(dirs=[tmp_path])


def where(problems) -> list[tuple[int, int, str]]:
    return [(p.line, p.col, p.message + " | " + p.hint) for p in problems]


def test_valid_checklist_loads_with_every_question_type():
    library, problems = collect(dirs=[ROOT / "checklists", GOOD], paths=[GOOD / "mini.yaml"])
    assert problems == []
    mini = library.checklists["mini"].checklist
    assert [q.type.value for _, q in mini.questions()] == ["choice", "choice", "yesno", "number", "text", "date"]
    assert [c.value for c in mini.choices(mini.question("policy"))] == ["yes", "no", "unknown"]


def test_fingerprint_ignores_comments_and_layout(tmp_path):
    first, _ = load(tmp_path, HEAD + Q1)
    second, _ = load(tmp_path, "# a comment\n" + HEAD + Q1.replace("{\"no\": \"Fix it.\"}", "\n          \"no\": Fix it."))
    changed, _ = load(tmp_path, HEAD + Q1.replace("First?", "First changed?"))
    fp = content_fingerprint
    assert fp(first.checklists["t"].checklist) == fp(second.checklists["t"].checklist)
    assert fp(first.checklists["t"].checklist) != fp(changed.checklists["t"].checklist)


def test_unknown_key_is_located_with_did_you_mean(tmp_path):
    _, problems = load(tmp_path, HEAD + Q1.replace("guidance: Why.", "guidence: Why."))
    assert where(problems) == [(17, 9, "unknown key 'guidence' | did you mean 'guidance'?")]


def test_missing_key_points_at_the_object(tmp_path):
    _, problems = load(tmp_path, HEAD + Q1.replace("        text: First?\n", ""))
    assert len(problems) == 1
    assert (problems[0].line, problems[0].col) == (14, 9)
    assert "missing required key 'text'" in problems[0].message


def test_all_problems_of_a_file_reported_together(tmp_path):
    body = HEAD + Q1.replace("guidance: Why.", "guidence: Why.").replace("version: 1.0.0", "version: one")
    body = body.replace("version: 1.0.0", "version: one")
    _, problems = load(tmp_path, body)
    messages = " ".join(p.message for p in problems)
    assert "version" in messages and "guidence" in messages
    assert len(problems) == 2


def test_yaml_syntax_error_has_line_and_column(tmp_path):
    _, problems = load(tmp_path, HEAD + "      - id: [unclosed\n")
    assert len(problems) == 1
    assert problems[0].line == 14 and "YAML syntax error" in problems[0].message


def test_duplicate_question_id(tmp_path):
    _, problems = load(tmp_path, HEAD + Q1 + Q1)
    assert where(problems) == [(21, 13, "duplicate question id 'q1' | give each question its own id")]


def test_when_naming_unknown_question_suggests_the_right_one(tmp_path):
    q2 = Q1.replace("id: q1", "id: q2") + "        when: {question: q11, in: [\"no\"]}\n"
    _, problems = load(tmp_path, HEAD + Q1 + q2)
    assert where(problems) == [(28, 26, "'when' names unknown question 'q11' | did you mean 'q1'?")]


def test_when_value_not_in_scale(tmp_path):
    q2 = Q1.replace("id: q1", "id: q2") + "        when: {question: q1, in: [nope]}\n"
    _, problems = load(tmp_path, HEAD + Q1 + q2)
    assert len(problems) == 1
    assert (problems[0].line, problems[0].col) == (28, 35)
    assert "'nope' is not a value of the scale of 'q1'" in problems[0].message


def test_when_depending_on_later_question(tmp_path):
    q1 = Q1 + "        when: {question: q2, in: [\"no\"]}\n"
    q2 = Q1.replace("id: q1", "id: q2")
    _, problems = load(tmp_path, HEAD + q1 + q2)
    assert [p.message for p in problems] == ["'q1' depends on the later question 'q2'"]
    assert problems[0].line == 21


def test_when_on_itself_is_a_cycle(tmp_path):
    _, problems = load(tmp_path, HEAD + Q1 + "        when: {question: q1, in: [\"no\"]}\n")
    assert [p.message for p in problems] == ["'q1' depends on itself (a cycle)"]


def test_red_flag_value_checked_against_own_scale(tmp_path):
    _, problems = load(tmp_path, HEAD + Q1 + "        red_flag: {in: [\"noo\"]}\n")
    assert where(problems) == [(21, 25, "'noo' is not a value of the scale of 'q1' | did you mean 'no'?")]


def test_condition_with_two_shapes_is_refused(tmp_path):
    _, problems = load(tmp_path, HEAD + Q1 + "        when: {question: q0, in: [\"no\"], not: {question: q0, in: [\"yes\"]}}\n")
    assert len(problems) == 1
    assert "exactly one of 'in', 'all', 'any' or 'not'" in problems[0].message
    assert problems[0].line == 21


def test_cite_unknown_source_suggests_registered_one(tmp_path):
    _, problems = load(tmp_path, HEAD + Q1.replace("source: cheng-soe-csr", "source: cheng-soe-cs"))
    assert where(problems) == [(20, 22, "unknown source 'cheng-soe-cs' | did you mean 'cheng-soe-csr'?")]


def test_action_for_value_not_in_scale(tmp_path):
    _, problems = load(tmp_path, HEAD + Q1.replace('{"no": "Fix it."}', '{"no": "Fix it.", nope: "x"}'))
    assert len(problems) == 1
    assert "action for 'nope', which is not a value of scale 'assurance'" in problems[0].message
    assert (problems[0].line, problems[0].col) == (18, 36)


def test_risky_value_without_action(tmp_path):
    _, problems = load(tmp_path, HEAD + Q1.replace('        actions: {"no": "Fix it."}\n', ""))
    assert [p.message for p in problems] == ["no recommended action for the risky answer 'no' of 'q1'"]


def test_unknown_scale_suggests_defined_one(tmp_path):
    _, problems = load(tmp_path, HEAD + Q1.replace("scale: assurance", "scale: assurence"))
    assert [(p.line, p.message, p.hint) for p in problems] == [
        (16, "unknown scale 'assurence'", "did you mean 'assurance'?")]


def test_python_tags_are_refused(tmp_path):
    _, problems = load(tmp_path, HEAD + Q1.replace("text: First?", "text: !!python/object/apply:os.system [echo hi]"))
    assert len(problems) == 1
    assert "tag" in problems[0].message and problems[0].line == 15


def test_alias_bomb_refused_quickly(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 10)}]")
    started = time.monotonic()
    _, problems = load(tmp_path, "\n".join(lines) + "\n")
    assert time.monotonic() - started < 5
    assert len(problems) == 1 and "more than" in problems[0].message and "nodes" in problems[0].message


def test_oversized_file_refused(tmp_path):
    _, problems = load(tmp_path, HEAD + "# " + "x" * (3 * 1024 * 1024) + "\n")
    assert len(problems) == 1 and "byte limit" in problems[0].message


def test_duplicate_mapping_key(tmp_path):
    _, problems = load(tmp_path, HEAD.replace("title: Test\n", "title: Test\ntitle: Again\n") + Q1)
    assert where(problems) == [(3, 1, "the key 'title' appears twice in this mapping | keep one of them")]


def test_yes_and_no_stay_words(tmp_path):
    """YAML 1.1 would read an unquoted no as False; checklist values must stay the words."""
    library, problems = load(tmp_path, HEAD + Q1.replace('{"no": "Fix it."}', "{no: Fix it.}")
                             .replace("- {value: \"no\"", "- {value: no"))
    assert problems == []
    assert library.checklists["t"].checklist.question("q1").actions == {"no": "Fix it."}


def test_duplicate_checklist_id_across_files(tmp_path):
    shutil.copy(SOURCES, tmp_path / "sources.yaml")
    (tmp_path / "a.yaml").write_text(HEAD + Q1, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(HEAD + Q1, encoding="utf-8")
    _, problems = collect(dirs=[tmp_path])
    assert [p.message for p in problems] == ["checklist id 't' is also used by " + str(tmp_path / "a.yaml")]


@pytest.mark.parametrize("top", ["- just\n- a list\n", "plain text\n"])
def test_file_that_is_not_a_mapping(tmp_path, top):
    _, problems = load(tmp_path, top)
    assert [p.message for p in problems] == ["expected a mapping of keys (id:, title:, ...) at the top"]


def test_source_registry_problems_are_located(tmp_path):
    (tmp_path / "sources.yaml").write_text(textwrap.dedent("""\
        sources:
          - id: a
            title: A
            date: last spring
          - id: a
            title: B
            url: ftp://example.invalid/x
        """), encoding="utf-8")
    _, problems = collect(dirs=[tmp_path])
    found = sorted((p.line, p.message) for p in problems)
    assert [line for line, _ in found] == [4, 7]
    assert "YYYY" in found[0][1] and "url" in found[1][1]
