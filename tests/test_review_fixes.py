"""Exit codes as the README documents them, strict answer values, one wording for missing checklists."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap

import pytest

from conftest import GOOD, ROOT
from ddcheck import errors
from ddcheck.checklists import library as loading
from ddcheck.answers.assessment import load_assessment, parse_assessment
from ddcheck.errors import BrokenInput, InputError
from ddcheck.resources import bundled

META = ["--organisation", "Acme", "--subject", "Supplier X", "--assessor", "Jane", "--date", "2024-05-01"]

VALID = textwrap.dedent("""\
    ddcheck: 1
    meta: {organisation: Acme, subject: Supplier X, assessor: Jane, date: 2024-05-01}
    checklists: [{id: mini, version: 1.0.0, fingerprint: x}]
    answers:
      mini:
        headcount: {value: 1200, answered_at: 2024-05-01T10:00:00Z, answered_by: Jane}
    """)




def mini_library() -> tuple[loading.Library, list]:
    return loading.collect(dirs=[bundled("checklists"), GOOD], paths=[GOOD / "mini.yaml"])


# ----------------------------------------------------------------------------- 1. exit codes


@pytest.mark.parametrize("text, where", [
    ("", "a.yaml:1:1: not an assessment file"),
    ("- a\n- b\n", "a.yaml:1:1: not an assessment file"),
    ("ddcheck: 1\nmeta: {organisation: [unclosed\n", "a.yaml:2:31: YAML syntax error"),
    (VALID.replace("date: 2024-05-01}", "date: 2025-02-31}"), "a.yaml:2:71: 'date'"),
])
def test_a_broken_assessment_exits_2_with_located_lines(invoke, clean_env, tmp_path, monkeypatch, text, where):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    for command in (["score", "a.yaml"], ["status", "a.yaml"]):
        result = invoke("--checklists", str(GOOD), *command)
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith(where), result.stderr
        assert "Traceback" not in result.stderr


def test_the_readme_exit_code_table_matches_the_codes(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("### Exit codes", 1)[1].split("\n## ", 1)[0]
    codes = {int(m) for m in re.findall(r"^\| (\d+) \|", table, re.M)}
    defined = {v for k, v in vars(errors).items() if k.startswith("EXIT_")}
    assert codes == defined | {0}
    assert not hasattr(errors, "EXIT_OK")  # unused: 0 is just success
    assert "output would overwrite the assessment" in table
    assert BrokenInput([]).exit_code == 2 == errors.EXIT_BAD_INPUT


# ----------------------------------------------------------------------------- 2. strict answer values


def test_a_hand_typed_true_is_a_located_error_with_a_hint_not_one():
    text = VALID.replace("value: 1200", "value: true")
    with pytest.raises(BrokenInput) as caught:
        parse_assessment(text.encode(), "a.yaml")
    assert caught.value.lines() == [
        "a.yaml:6:24: 'value': true is not an answer value (quote it, e.g. \"true\", if you mean the word)"]


@pytest.mark.parametrize("value, message", [
    ("{a: 1}", "not a mapping"),
    ("[1, two]", "a list of answers holds only answer values"),
])
def test_other_values_of_the_wrong_kind_are_located_errors(value, message):
    with pytest.raises(BrokenInput) as caught:
        parse_assessment(VALID.replace("value: 1200", f"value: {value}").encode(), "a.yaml")
    assert len(caught.value.problems) == 1 and message in caught.value.problems[0].message


def test_numbers_words_and_lists_still_load_as_before(tmp_path):
    text = VALID + ("    notes: {value: 'true', answered_at: 2024-05-01T10:00:00Z, answered_by: Jane}\n"
                    "    mapped: {value: [a, b], answered_at: 2024-05-01T10:00:00Z, answered_by: Jane}\n")
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    a = load_assessment(tmp_path / "a.yaml")
    assert a.values("mini") == {"headcount": 1200.0, "notes": "true", "mapped": ["a", "b"]}
    assert isinstance(a.values("mini")["headcount"], float)


@pytest.fixture
def imp(invoke, clean_env, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    def run(name: str, content: str, *extra: str):
        (tmp_path / name).write_text(textwrap.dedent(content).lstrip(), encoding="utf-8")
        return invoke("--checklists", str(GOOD), "answers", "import", name, "-o", "acme.yaml", *META, *extra)

    return run


def test_an_imported_mapping_is_a_located_row_problem_not_its_repr(imp, tmp_path):
    result = imp("answers.yaml", """
        - {checklist: mini, question: notes, value: {visited: twice}}
        - {checklist: mini, question: mapped, value: [[partial]]}
        """)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("answers.yaml:1:45: mini/notes: a value is one answer")
    assert lines[1].startswith("answers.yaml:2:46: mini/mapped: a value is one answer")
    assert not (tmp_path / "acme.yaml").exists()


# ----------------------------------------------------------------------------- 3. answers file shape


def test_a_repeated_header_column_is_reported_where_it_is(imp, tmp_path):
    result = imp("answers.csv", "checklist,question,value,value\nmini,policy,yes,no\n")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "answers.csv:1:26: the column 'value' appears twice in the header (keep one of them)",
        "error: 1 problem(s); nothing was imported."]
    assert not (tmp_path / "acme.yaml").exists()


def test_a_yaml_syntax_error_in_the_answers_file_exits_2_but_invalid_rows_exit_1(imp):
    broken = imp("answers.yaml", "- {checklist: mini, question: policy, value: [unclosed\n")
    assert broken.exit_code == 2
    assert broken.stderr.startswith("answers.yaml:1:55: YAML syntax error")
    not_a_list = imp("answers.yaml", "checklist: mini\n")
    assert not_a_list.exit_code == 2 and "expected a list of answers" in not_a_list.stderr
    invalid = imp("answers.yaml", "- {checklist: mini, question: policy, value: maybe}\n")
    assert invalid.exit_code == 1


# ----------------------------------------------------------------------------- 4. schema -o


def test_schema_to_a_missing_folder_is_one_line_not_a_traceback(invoke, tmp_path):
    result = invoke("checklists", "schema", "-o", str(tmp_path / "nonexistent" / "x.json"))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: -o ") and "no such folder" in result.stderr
    ok = invoke("checklists", "schema", "-o", str(tmp_path / "x.json"))
    assert ok.exit_code == 0 and '"ddcheck checklist"' in (tmp_path / "x.json").read_text(encoding="utf-8")


# ----------------------------------------------------------------------------- 5. one wording


def test_one_message_for_a_checklist_not_in_view():
    lib, problems = mini_library()
    assert not problems
    with pytest.raises(InputError, match=r"^no checklist with id 'minni' \(did you mean 'mini'\?\)$"):
        lib.require(["mini", "minni"])
    assert lib.not_in_view("zzz") == ("no checklist with id 'zzz'", "run 'ddcheck checklists list'")
    message, hint = lib.not_in_view("minni", answered_in="a.yaml")
    assert message == "a.yaml was answered against checklist 'minni', which is not in view"
    assert hint.startswith("did you mean 'mini'? or add its folder")
    assert [lc.checklist.id for lc in lib.require(["mini"])] == ["mini"]


def test_closest_is_the_one_fuzzy_match():
    assert errors.closest("guidence", ["guidance", "text"]) == "guidance"
    assert errors.closest("zzz", ["guidance"]) is None
    assert errors.did_you_mean("guidence", ["guidance"]) == "did you mean 'guidance'?"
    assert "difflib" not in (ROOT / "src/ddcheck/checklists/validation.py").read_text(encoding="utf-8")


# ----------------------------------------------------------------------------- 6. shared flow


def test_shared_flow_helpers(tmp_path):
    from ddcheck.answers.assessing import date_option, meta_from, progress_summary
    from ddcheck.answers.changes import describe_all

    with pytest.raises(InputError, match=r"--date '31/03/2024' is not a date"):
        date_option("31/03/2024")
    with pytest.raises(InputError, match=r"--date 'x' is not a date"):
        meta_from("A", "B", "C", "x")
    assert date_option(None) is None and str(date_option("2024-03-31")) == "2024-03-31"

    lib, _ = mini_library()
    (tmp_path / "a.yaml").write_text(VALID, encoding="utf-8")
    a = load_assessment(tmp_path / "a.yaml")
    assert re.fullmatch(r"1/\d+ relevant questions answered, \d+ gap\(s\)",
                        progress_summary(a, [lib.get("mini").checklist]))
    lines = describe_all(a, lib)  # the recorded fingerprints are not today's: everything is "changed"
    assert lines[0].startswith("Checklist 'mini' changed since it was answered (v1.0.0)")
    a.checklists[0] = a.checklists[0].model_copy(update={"id": "not-in-view"})
    assert describe_all(a, lib) == []


# ----------------------------------------------------------------------------- 7. small things


def test_status_and_import_do_not_load_the_questionnaire():
    code = ("import sys, ddcheck.answers.assessing, ddcheck.answers.importing, ddcheck.answers.status; "
            "assert 'ddcheck.answers.questionnaire' not in sys.modules, 'questionnaire loaded'")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_checklist_fingerprint_is_computed_once(monkeypatch):
    lib, _ = mini_library()
    calls = []
    real = loading.content_fingerprint
    monkeypatch.setattr(loading, "content_fingerprint", lambda c: calls.append(1) or real(c))
    loaded = lib.get("mini")
    assert loaded.fingerprint == loaded.fingerprint == real(loaded.checklist)
    assert len(calls) == 1
    assert not hasattr(loading, "question_index")


def test_the_documented_import_example_uses_a_bundled_checklist(tmp_path):
    import ddcheck.answers.importing as ai
    from ddcheck.commands import answers

    lib = loading.load_library()
    for doc in (ai.__doc__, answers.import_answers.__doc__):
        example = [ln.strip() for ln in doc.splitlines() if ln.strip().startswith(("checklist,", "ungp-"))]
        assert len(example) == 3, example
        (tmp_path / "ex.csv").write_text("\n".join(example) + "\n", encoding="utf-8")
        rows, problems = ai.read_rows(tmp_path / "ex.csv")
        valid, invalid = ai.validate_rows(rows, lib, "ex.csv")
        assert not problems and not invalid and len(valid) == 2


def test_the_lock_comment_points_at_real_code():
    assert "caller docs" not in (ROOT / "src/ddcheck/answers/locking.py").read_text(encoding="utf-8")


# ----------------------------------------------------------------------------- 8. missing folders


@pytest.mark.parametrize("command", [["checklists", "validate"], ["checklists", "list"], ["sources", "list"]])
def test_a_missing_checklist_folder_exits_2_for_every_command(invoke, clean_env, tmp_path, command):
    missing = tmp_path / "nonexistent"
    result = invoke("--checklists", str(missing), *command)
    assert result.exit_code == 2, result.output
    assert result.stderr.strip() == f"error: --checklists {missing}: no such folder"
    from_env = invoke(*command, env={"DDCHECK_CHECKLISTS": str(missing)})
    assert from_env.exit_code == 2
    assert from_env.stderr.strip() == f"error: DDCHECK_CHECKLISTS {missing}: no such folder"


def test_a_file_given_as_checklist_folder_is_bad_input(invoke, clean_env):
    result = invoke("--checklists", str(GOOD / "mini.yaml"), "checklists", "list")
    assert result.exit_code == 2 and "not a folder" in result.stderr


def test_collect_with_explicit_folders_still_lists_a_missing_one_as_a_problem(tmp_path):
    _, problems = loading.collect(dirs=[tmp_path / "nope"])
    assert [p.message for p in problems] == ["checklist folder not found"]
