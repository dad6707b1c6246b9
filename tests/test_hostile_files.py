"""Hostile and broken files (issue 15): never a traceback, never a crash, one located line, exit 2."""

from __future__ import annotations

import os
import shutil
import subprocess
import textwrap
import time
from pathlib import Path

import pytest

from conftest import DDCHECK, GOOD, ROOT

VALID = textwrap.dedent("""\
    ddcheck: 1
    meta: {organisation: Acme, subject: Supplier X, assessor: Jane, date: 2024-05-01}
    checklists: [{id: mini, version: 1.0.0, fingerprint: x}]
    answers:
      mini:
        headcount: {value: 1200, answered_at: 2024-05-01T10:00:00Z, answered_by: Jane}
    """)
READERS = (["status"], ["score"], ["report", "-f", "json", "-o", "-"], ["report", "-f", "md", "-o", "-"])


def reading(command: list[str], path) -> list[str]:
    """``command`` with the assessment file put where it belongs (after the command's name)."""
    return [command[0], str(path), *command[1:]]


def run(*args: str, cwd, timeout: float = 30) -> subprocess.CompletedProcess:
    """The real program: a crash by signal shows as a negative return code, which no test accepts."""
    env = {**os.environ, "PYTHONFAULTHANDLER": "1"}
    env.pop("DDCHECK_CHECKLISTS", None)
    return subprocess.run([*DDCHECK, *args], capture_output=True, text=True, cwd=cwd, timeout=timeout, env=env)


def assert_one_located_line(proc: subprocess.CompletedProcess, prefix: str) -> None:
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr
    first = proc.stderr.splitlines()[0]
    assert first.startswith(prefix), proc.stderr


# ----------------------------------------------------------------------------- 1. deep nesting


@pytest.mark.parametrize("text", ["[" * 25_000, "{a: " * 25_000, "- " * 25_000 + "x\n",
                                  "a:\n" + "".join(" " * i + f"k{i}:\n" for i in range(1, 200))])
def test_deep_nesting_is_refused_quickly_while_reading(tmp_path, text):
    (tmp_path / "deep.yaml").write_text(text)
    for command in (["status", "deep.yaml"], ["checklists", "validate", "deep.yaml"]):
        started = time.perf_counter()
        proc = run(*command, cwd=tmp_path)
        assert time.perf_counter() - started < 10
        assert proc.returncode in (1, 2) and proc.returncode > 0, proc.stderr  # never -11 (SIGSEGV)
        assert "nesting deeper than 64 levels" in proc.stderr and "Traceback" not in proc.stderr
        assert proc.stderr.startswith("deep.yaml:")


def test_a_deep_checklist_in_a_folder_stops_every_command_with_exit_2_not_a_crash(tmp_path):
    (tmp_path / "lists").mkdir()
    (tmp_path / "lists" / "deep.yaml").write_text("[" * 25_000)
    (tmp_path / "a.yaml").write_text(VALID)
    proc = run("--checklists", "lists", "status", "a.yaml", cwd=tmp_path)
    assert_one_located_line(proc, "lists/deep.yaml:1:65: nesting deeper than 64 levels")


# ----------------------------------------------------------------------------- 3. tags, numbers


@pytest.mark.parametrize("value, col", [("!!int abc", 24), ("!!float text", 24), ("!!bool maybe", 24),
                                        ("!custom 1", 24), ("!!python/object:os.system x", 24),
                                        (".nan", 24), ("-.inf", 24), ("1" * 5000, 24)])
def test_tags_and_unusable_numbers_are_refused_with_their_place_in_every_reader(tmp_path, invoke, value, col):
    text = VALID.replace("{value: 1200,", f"{{value: {value},")
    (tmp_path / "a.yaml").write_text(text)
    for command in READERS:
        result = invoke("--checklists", str(GOOD), *reading(command, tmp_path / "a.yaml"))
        assert result.exit_code == 2, (command, result.output)
        assert result.stderr.split(": ")[0].endswith(f"a.yaml:6:{col}"), result.stderr
    rows = tmp_path / "rows.yaml"
    rows.write_text(f"- {{checklist: mini, question: headcount, value: {value}}}\n")
    result = invoke("--checklists", str(GOOD), "answers", "import", str(rows), "-o", str(tmp_path / "new.yaml"),
                    "--organisation", "A", "--subject", "B", "--assessor", "C")
    assert result.exit_code == 2 and "rows.yaml:1:" in result.stderr
    assert not (tmp_path / "new.yaml").exists()


def test_a_str_tag_is_just_text(tmp_path, invoke):
    (tmp_path / "a.yaml").write_text(VALID.replace("organisation: Acme", "organisation: !!str 2024"))
    result = invoke("--checklists", str(GOOD), "status", str(tmp_path / "a.yaml"))
    assert result.exit_code == 0 and "2024" in result.output


# ----------------------------------------------------------------------------- 8. messages


def test_a_nul_character_is_located_without_pyyaml_positions(tmp_path):
    (tmp_path / "a.yaml").write_text(VALID.replace("Supplier X", "Supp\x00lier X"))
    proc = run("status", "a.yaml", cwd=tmp_path)
    assert_one_located_line(proc, "a.yaml:2:41: the control character U+0000 is not allowed")
    assert "position" not in proc.stderr and "<unicode string>" not in proc.stderr


def test_a_syntax_error_at_the_end_points_at_the_last_line(tmp_path):
    (tmp_path / "a.yaml").write_text("ddcheck: 1\nmeta: [unclosed\n\n\n")
    assert_one_located_line(run("status", "a.yaml", cwd=tmp_path), "a.yaml:2:16: YAML syntax error")


def test_a_missing_file_is_named_once_and_exits_2(tmp_path):
    proc = run("checklists", "validate", "x.yaml", cwd=tmp_path)
    assert proc.stderr.splitlines()[0] == "x.yaml:1:1: no such file (check the path)"
    assert proc.returncode == 1  # validate reports problems with the files it was asked to check
    assert_one_located_line(run("status", "x.yaml", cwd=tmp_path), "error: x.yaml: no such file")


def test_an_oversized_file_is_located_and_exits_2(tmp_path):
    (tmp_path / "a.yaml").write_text(VALID + "# " + "x" * (3 * 1024 * 1024) + "\n")
    assert_one_located_line(run("status", "a.yaml", cwd=tmp_path), "a.yaml:7:")
    assert "byte limit" in run("score", "a.yaml", cwd=tmp_path).stderr


# ----------------------------------------------------------------------------- 6. special files, links


@pytest.mark.parametrize("make, says", [
    (lambda p: os.mkfifo(p), "is a pipe (FIFO), not a regular file"),
    (lambda p: os.symlink("/dev/zero", p), "is a device, not a regular file"),
    (lambda p: (os.symlink(p.name + ".2", p), os.symlink(p.name, str(p) + ".2")), "symbolic link loop"),
    (lambda p: p.mkdir(), "is a folder"),
])
def test_special_files_are_refused_at_once_in_one_line(tmp_path, make, says):
    make(tmp_path / "a.yaml")
    for command in (["status", "a.yaml"], ["score", "a.yaml"], ["answers", "import", "a.yaml", "-o", "x.yaml"]):
        proc = run(*command, cwd=tmp_path, timeout=20)
        assert_one_located_line(proc, "error: a.yaml: ")
        assert says in proc.stderr
    lists = tmp_path / "lists"
    lists.mkdir()
    make(lists / "c.yaml")
    (tmp_path / "b.yaml").write_text(VALID)
    proc = run("--checklists", "lists", "status", "b.yaml", cwd=tmp_path, timeout=20)
    assert_one_located_line(proc, "lists/c.yaml:1:1: ")
    assert says in proc.stderr


def test_hidden_files_in_a_checklist_folder_are_skipped(tmp_path, invoke):
    lists = tmp_path / "lists"
    lists.mkdir()
    shutil.copy(GOOD / "mini.yaml", lists / "mini.yaml")
    (lists / ".#mini.yaml").symlink_to("user@host.1234")  # what Emacs leaves while editing
    (lists / ".mini.yaml").write_text("[broken")
    result = invoke("--checklists", str(lists), "checklists", "list")
    assert result.exit_code == 0 and "mini" in result.output


def test_import_writes_through_a_link_and_locks_the_real_file(tmp_path, invoke, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "rows.csv").write_text("checklist,question,value\nmini,headcount,12\n")
    other = tmp_path / "elsewhere"
    other.mkdir()
    (tmp_path / "link.yaml").symlink_to(other / "real.yaml")
    result = invoke("--checklists", str(GOOD), "answers", "import", "rows.csv", "-o", "link.yaml",
                    "--organisation", "A", "--subject", "B", "--assessor", "C")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "link.yaml").is_symlink() and "headcount" in (other / "real.yaml").read_text()
    assert "link.yaml" in result.output

    from ddcheck.answers.locking import AssessmentLock

    with AssessmentLock(other / "real.yaml"):  # a session holding the real file blocks the link's name
        result = invoke("--checklists", str(GOOD), "answers", "import", "rows.csv", "-o", "link.yaml")
    assert result.exit_code == 3, result.output


def test_the_temporary_file_is_made_beside_the_real_target_so_no_exdev(tmp_path, monkeypatch):
    from ddcheck.files import write_atomic

    target = tmp_path / "real" / "out.md"
    target.parent.mkdir()
    (tmp_path / "link.md").symlink_to(target)
    made_in = []
    real_mkstemp = __import__("tempfile").mkstemp
    monkeypatch.setattr("tempfile.mkstemp", lambda **kw: made_in.append(kw["dir"]) or real_mkstemp(**kw))
    write_atomic(tmp_path / "link.md", b"x")
    assert made_in == [target.parent] and target.read_bytes() == b"x" and (tmp_path / "link.md").is_symlink()


def test_a_checklist_shadowing_a_bundled_id_exits_2_and_validate_file_reports_it(tmp_path):
    lists = tmp_path / "lists"
    lists.mkdir()
    shutil.copy(ROOT / "checklists" / "ungp-due-diligence.yaml", lists / "mine.yaml")
    (tmp_path / "a.yaml").write_text(VALID)
    proc = run("--checklists", "lists", "status", "a.yaml", cwd=tmp_path)
    assert_one_located_line(proc, "lists/mine.yaml:")
    assert "checklist id 'ungp-due-diligence' is also used by" in proc.stderr
    proc = run("checklists", "validate", "lists/mine.yaml", cwd=tmp_path)
    assert proc.returncode == 1 and "is also used by" in proc.stderr and "OK" not in proc.stdout


# ----------------------------------------------------------------------------- 2. terminal escapes

EVIL = "X\\e[2J\\e]0;PWNED\\a\\x9b31m\\u202e\\e]8;;https://evil.example\\e\\\\link\\e]8;;\\e\\\\"
RAW_CONTROLS = ("\x1b", "\x07", "\x9b", "\u202e")
HOSTILE = VALID.replace("subject: Supplier X", f'subject: "{EVIL}"').replace(
    "answered_by: Jane}", f'answered_by: Jane, note: "{EVIL}", evidence: ["{EVIL}"]}}')


def test_status_score_compare_and_reports_never_send_control_characters(tmp_path, invoke):
    (tmp_path / "a.yaml").write_text(HOSTILE)
    (tmp_path / "b.yaml").write_text(HOSTILE.replace("value: 1200", "value: 12"))
    a, b = str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml")
    for args in (["status", a], ["status", a, "--json"], ["score", a], ["score", a, "--json"],
                 ["compare", a, b], ["compare", a, b, "--json"],
                 ["report", a, "-f", "md", "-o", "-"], ["report", a, "-f", "json", "-o", "-"]):
        result = invoke("--checklists", str(GOOD), *args)
        assert result.exit_code == 0, (args, result.output)
        for char in RAW_CONTROLS:
            assert char not in result.stdout and char not in result.stderr, (args, char)
        if "--json" in args or "json" in args:
            import json

            assert "X\x1b[2J" in result.stdout.replace("\\u001b", "\x1b") or "\\u001b" in result.stdout
            json.loads(result.stdout)  # still valid JSON, with the characters escaped
        else:
            assert "\\x1b" in result.stdout or "\\\\x1b" in result.stdout, (args, result.stdout)


def test_error_messages_show_control_characters_in_file_names(tmp_path, invoke, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("status", "a\x1b]0;PWNED\x07.yaml")
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr and "a\\x1b]0;PWNED\\x07.yaml: no such file" in result.stderr


def test_markdown_escapes_links_autolinks_and_controls():
    from markdown_it import MarkdownIt

    from ddcheck.report.markdown import code, md

    text = md("see https://evil.example/x, www.evil.example, a@evil.example, [x](http://e) <b>hi</b> ![i](x.png) \x1b[2J")
    html = MarkdownIt("commonmark").render(text)
    assert "<a" not in html and "<img" not in html and "<b>" not in html and "\x1b" not in html
    assert "https\\://" in text and "www\\." in text and "a\\@evil" in text and "\\x1b[2J" in html
    assert "\x9b" not in code("a\x9bb")


def test_a_nan_answer_never_reaches_json(tmp_path, invoke):
    (tmp_path / "a.yaml").write_text(VALID.replace("value: 1200", "value: .nan"))
    result = invoke("--checklists", str(GOOD), "score", str(tmp_path / "a.yaml"), "--json")
    assert result.exit_code == 2 and "NaN" not in result.stdout and "not a finite number" in result.stderr
    from ddcheck.terminal import dumps_json
    from ddcheck.errors import InputError

    with pytest.raises(InputError):
        dumps_json({"x": float("nan")})


# ----------------------------------------------------------------------------- 4, 5. model bounds, dates


def test_import_reports_rows_beyond_the_files_bounds_at_their_place(tmp_path, invoke):
    rows = tmp_path / "rows.csv"
    rows.write_text("checklist,question,value,note,evidence\n"
                    f"mini,policy,yes,{'n' * 20_001},\n"
                    f"mini,headcount,3,,ok.pdf; {'e' * 501}\n"
                    f"mini,notes,{'t' * 20_001},,\n")
    out = tmp_path / "a.yaml"
    result = invoke("--checklists", str(GOOD), "answers", "import", str(rows), "-o", str(out),
                    "--organisation", "A", "--subject", "B", "--assessor", "C")
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert lines[0].endswith("rows.csv:2:17: mini/policy: the note is longer than 20,000 characters "
                             "(shorten it, or attach a document)")
    assert "rows.csv:3:19: mini/headcount: the evidence item 2 is longer than 500 characters" in lines[1]
    assert "rows.csv:4:12: mini/notes: the value is longer than 20,000 characters" in lines[2]
    assert not out.exists() and "Traceback" not in result.output


@pytest.mark.parametrize("option", ["--organisation", "--subject", "--assessor"])
def test_over_long_cover_options_are_one_line_errors(tmp_path, invoke, option):
    rows = tmp_path / "rows.csv"
    rows.write_text("checklist,question,value\nmini,headcount,3\n")
    out = tmp_path / "a.yaml"
    args = {"--organisation": "A", "--subject": "B", "--assessor": "C", option: "x" * 501}
    result = invoke("--checklists", str(GOOD), "answers", "import", str(rows), "-o", str(out),
                    *[part for pair in args.items() for part in pair])
    assert result.exit_code == 2 and not out.exists()
    assert result.stderr == f"error: {option} is 501 characters long; at most 500 are kept\n"


def test_a_time_without_zone_is_read_as_utc_by_every_reader(tmp_path, invoke):
    (tmp_path / "a.yaml").write_text(VALID.replace("answered_at: 2024-05-01T10:00:00Z", "answered_at: 2024-05-01T10:00:00")
                                     .replace("headcount:", "policy: {value: 'yes', answered_at: 2024-05-02T10:00:00Z, "
                                              "answered_by: Jane}\n    headcount:"))
    for command in READERS:
        result = invoke("--checklists", str(GOOD), *reading(command, tmp_path / "a.yaml"))
        assert result.exit_code == 0, (command, result.output)
    result = invoke("--checklists", str(GOOD), "report", str(tmp_path / "a.yaml"), "-f", "md", "-o", "-")
    assert "2024-05-01 10:00 UTC" in result.stdout or "2024-05-01" in result.stdout


def test_a_semicolon_csv_after_a_comment_line_is_read(tmp_path, invoke):
    rows = tmp_path / "rows.csv"
    rows.write_text("# exported from the spreadsheet, see column notes, please\n"
                    "checklist;question;value\nmini;headcount;3\n")
    result = invoke("--checklists", str(GOOD), "answers", "import", str(rows), "-o", str(tmp_path / "a.yaml"),
                    "--organisation", "A", "--subject", "B", "--assessor", "C")
    assert result.exit_code == 0, result.output
    assert "Imported 1 answer(s)" in result.output


# ----------------------------------------------------------------------------- 9. slow inputs


def test_ninety_thousand_unknown_keys_report_the_first_hundred_and_a_count(tmp_path, invoke):
    keys = "".join(f"zz{i:06d}: 1\n" for i in range(90_000))
    (tmp_path / "a.yaml").write_text(VALID + keys)
    started = time.process_time()  # CPU time: wall time means little on a shared, loaded machine
    result = invoke("--checklists", str(GOOD), "status", str(tmp_path / "a.yaml"))
    elapsed = time.process_time() - started
    lines = result.stderr.splitlines()
    assert result.exit_code == 2 and len(lines) == 101
    assert lines[-1].endswith("a.yaml:107:1: \u2026 and 89900 more problem(s) in this file "
                              "(fix these first; often one mistake repeats)")
    assert elapsed < 8  # was 15 s before the cap; about 1.5 s of CPU now


def test_the_nesting_bound_is_never_below_the_real_depth():
    """The C composer is used only under the bound: an under-estimate could crash, so check many shapes."""
    import random

    import yaml

    from ddcheck.checklists.yamlread import _nesting_bound

    def depth(node) -> int:
        if isinstance(node, yaml.MappingNode):
            return 1 + max((max(depth(k), depth(v)) for k, v in node.value), default=0)
        if isinstance(node, yaml.SequenceNode):
            return 1 + max((depth(v) for v in node.value), default=0)
        return 0

    rng = random.Random(15)

    def make(level: int):
        if level == 0 or rng.random() < 0.2:
            return rng.choice(["x", 1, "a b", None])
        if rng.random() < 0.5:
            return [make(level - 1) for _ in range(rng.randint(1, 3))]
        return {f"k{i}": make(level - 1) for i in range(rng.randint(1, 3))}

    for _ in range(300):
        data = make(rng.randint(1, 12))
        text = yaml.safe_dump(data, default_flow_style=rng.choice([False, True, None]), indent=rng.choice([2, 4]))
        assert _nesting_bound(text) >= depth(yaml.compose(text, Loader=yaml.SafeLoader) or yaml.ScalarNode("", "")), text
    for text in ["- - - - - x\n", "? - - x\n: y\n", "a:\n- b:\n  - c:\n    - d\n"]:
        assert _nesting_bound(text) >= depth(yaml.compose(text, Loader=yaml.SafeLoader)), text


def folder_of_copies(tmp_path: Path, copies: int) -> Path:
    """A checklist folder holding mini.yaml and ``copies`` copies of it under other ids."""
    lists = tmp_path / "lists"
    lists.mkdir()
    text = (GOOD / "mini.yaml").read_text()
    for i in range(copies):
        (lists / f"c{i:04d}.yaml").write_text(text.replace("id: mini", f"id: copy-{i:04d}", 1))
    shutil.copy(GOOD / "mini.yaml", lists / "mini.yaml")
    return lists


def record_parsed(monkeypatch) -> list[str]:
    """The names of the checklist files the library parses from now on, in order."""
    from ddcheck.checklists import library as loading

    parsed: list[str] = []
    real_parse = loading._parse
    monkeypatch.setattr(loading, "_parse", lambda path, problems: parsed.append(path.name) or real_parse(path, problems))
    return parsed


def test_a_thousand_checklists_in_a_folder_do_not_slow_commands_that_read_two(tmp_path, monkeypatch):
    """Only the checklists an assessment answers (and the homes of their shared questions) are parsed."""
    lists = folder_of_copies(tmp_path, 300)
    (tmp_path / "a.yaml").write_text(VALID)
    from ddcheck.checklists import library as loading

    parsed = record_parsed(monkeypatch)
    lib = loading.load_library([lists], wanted=["mini"])
    monkeypatch.undo()
    assert set(lib.checklists) >= {"mini"} and "mini.yaml" in parsed
    assert not any(name.startswith("c0") for name in parsed)  # none of the 300 others
    assert {"copy-0000", "copy-0299"} <= lib.ids_in_view
    proc = run("--checklists", "lists", "status", "a.yaml", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    (tmp_path / "b.yaml").write_text(VALID.replace("id: mini", "id: copy-00001"))
    proc = run("--checklists", "lists", "score", "b.yaml", cwd=tmp_path)
    assert proc.returncode == 2 and "did you mean 'copy-0" in proc.stderr  # hints still see every id


def test_importing_rows_parses_only_the_checklists_they_name(tmp_path, invoke, monkeypatch):
    """A folder of many checklists does not slow an import of a few rows; hints still see every id."""
    lists = folder_of_copies(tmp_path, 100)
    parsed = record_parsed(monkeypatch)
    rows = tmp_path / "rows.csv"
    rows.write_text("checklist,question,value\nmini,mapped,yes\n")
    meta = ["--organisation", "Acme", "--subject", "S", "--assessor", "J"]
    result = invoke("--checklists", str(lists), "answers", "import", str(rows), "-o", str(tmp_path / "a.yaml"), *meta)
    assert result.exit_code == 0, result.output
    assert "mini.yaml" in parsed and not any(name.startswith("c0") for name in parsed)
    rows.write_text("checklist,question,value\ncopy-00001,mapped,yes\n")
    result = invoke("--checklists", str(lists), "answers", "import", str(rows), "-o", str(tmp_path / "b.yaml"), *meta)
    assert result.exit_code == 1 and "did you mean 'copy-0" in result.stderr


def test_a_header_without_rows_is_located(tmp_path, invoke):
    """Found by the long fuzz run (3,000 inputs): the only unlocated message left."""
    rows = tmp_path / "rows.csv"
    rows.write_text("checklist,question,value,note,evidence")
    result = invoke("--checklists", str(GOOD), "answers", "import", str(rows), "-o", str(tmp_path / "a.yaml"))
    assert result.exit_code == 2 and result.stderr.startswith(f"{rows}:1:1: no answers to import")


def test_the_questionnaire_screens_show_control_characters_visibly(monkeypatch, capsys):
    """The assess screens: printed text, prompts and choice titles all go through the one sanitiser."""
    from ddcheck.answers.prompting import TerminalPrompter
    from ddcheck.answers.questionnaire import Option

    prompter = TerminalPrompter()
    prompter.show("Subject X\x1b[2J\x1b]0;PWNED\x07 \u202eevil")
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out and "\\x1b[2J" in out
    seen = {}

    def run_menu(message, options, **kwargs):
        seen["message"], seen["titles"] = message, [o.title for o in options]
        return "a"

    monkeypatch.setattr("ddcheck.answers.prompting.run_menu", run_menu)
    prompter.select("Q\x9b31m?", [Option("yes\x1b[8m", "a")])
    assert seen["message"] == "Q\\x9b31m?" and seen["titles"] == ["yes\\x1b[8m"]


def test_a_checklist_not_in_view_is_located_where_the_file_names_it(tmp_path, invoke):
    """Found by the final long fuzz run: the last message that named the file without a place."""
    (tmp_path / "a.yaml").write_text(VALID.replace("{id: mini,", "{id: minni,"))
    for command in READERS:
        result = invoke("--checklists", str(GOOD), *reading(command, tmp_path / "a.yaml"))
        assert result.exit_code == 2
        assert result.stderr.startswith(f"{tmp_path / 'a.yaml'}:3:19: this assessment was answered against "
                                        "checklist 'minni', which is not in view (did you mean 'mini'?"), result.stderr
