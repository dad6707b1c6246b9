"""``ddcheck assess`` without a terminal: a clear way out, not a hang or a traceback."""

from __future__ import annotations

import subprocess

import pytest

from conftest import DDCHECK, GOOD


def test_without_a_terminal_assess_points_to_answers_import(invoke, clean_env, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("--checklists", str(GOOD), "assess", "mini", "-o", "acme.yaml", input="yes\n")
    assert result.exit_code == 4
    assert "'ddcheck assess' asks questions in an interactive terminal" in result.stderr
    assert "ddcheck answers import ANSWERS.csv -o acme.yaml" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "acme.yaml").exists()


def test_the_real_program_in_ci_exits_at_once_with_status_4(tmp_path, clean_env):
    done = subprocess.run([*DDCHECK, "--checklists", str(GOOD), "assess", "mini", "-o", "acme.yaml"],
                          cwd=tmp_path, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30)
    assert done.returncode == 4
    assert done.stderr.startswith("error: 'ddcheck assess' asks questions in an interactive terminal, "
                                  "and standard input is not one.")
    assert "ddcheck answers import" in done.stderr


def test_help_teaches_with_an_example(invoke):
    result = invoke("assess", "--help")
    assert "ddcheck assess ungp-due-diligence -o acme-supplier-x.yaml" in result.stdout
    assert "ddcheck assess -o acme-supplier-x.yaml" in result.stdout


@pytest.mark.parametrize("command, codes", [
    (("assess",), ["0 finished", "3 another session holds the file", "4 no terminal", "130 Ctrl-C"]),
    (("export", "xlsx"), ["0 written", "2 an unknown checklist"]),
    (("export", "xlsform"), ["0 written", "2 an unknown checklist"]),
    (("answers", "export"), ["0 written", "3 the output is the assessment"]),
])
def test_help_of_the_exchange_and_questionnaire_commands_lists_their_exit_codes(invoke, command, codes):
    flat = " ".join(invoke(*command, "--help").stdout.split())
    assert "Exit codes:" in flat
    assert all(code in flat for code in codes), flat
