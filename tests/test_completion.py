"""Shell completion: Typer's --install-completion/--show-completion, checklist ids on Tab, file names by the shell."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import DDCHECK, GOOD, ROOT


def complete(*words: str, env_extra: dict[str, str] | None = None) -> list[str]:
    """What bash gets when Tab is pressed after ``ddcheck WORDS`` (the last word is being typed)."""
    env = {**os.environ, "_DDCHECK_COMPLETE": "complete_bash", "COMP_WORDS": " ".join(["ddcheck", *words]),
           "COMP_CWORD": str(len(words))}
    env.pop("DDCHECK_CHECKLISTS", None)
    env.update(env_extra or {})
    proc = subprocess.run(DDCHECK, capture_output=True, text=True, env=env, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.split()


def test_tab_completes_checklist_ids_for_assess_and_checklists_show():
    assert complete("assess", "ung") == ["ungp-due-diligence"]
    assert {"ungp-due-diligence", "xinjiang-supply-chain"} <= set(complete("assess", ""))
    assert complete("--checklists", str(GOOD), "checklists", "show", "mi") == ["mini"]  # folders given count
    assert "mini" in complete("assess", "m", env_extra={"DDCHECK_CHECKLISTS": str(GOOD)})


def test_file_names_are_left_to_the_shell():
    """Paths get no candidates from ddcheck, and the script tells bash to fall back to file names."""
    assert complete("status", "") == []
    # Typer detects the user's shell from the process tree; under CI or a detached runner there may be
    # none, so name it (Typer's own switch for that takes the shell as the option's value).
    env = {k: v for k, v in os.environ.items() if k not in ("DDCHECK_CHECKLISTS", "_DDCHECK_COMPLETE")}
    env["_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION"] = "1"
    proc = subprocess.run([*DDCHECK, "--show-completion", "bash"], capture_output=True, text=True, env=env, cwd=ROOT)
    assert "complete -o default -F _ddcheck_completion ddcheck" in proc.stdout, proc.stderr


def test_help_offers_completion_and_completing_loads_no_checklist_model(clean_env):
    help_text = subprocess.run([*DDCHECK, "--help"], capture_output=True, text=True).stdout
    assert "--install-completion" in help_text and "--show-completion" in help_text
    code = ("import os, sys\nos.environ.update(_DDCHECK_COMPLETE='complete_bash', COMP_WORDS='ddcheck assess u', "
            "COMP_CWORD='2')\nfrom ddcheck.cli import app\n"
            "try:\n    app(prog_name='ddcheck')\nexcept SystemExit:\n    pass\n"
            "sys.stderr.write(str(sorted(m for m in ('ddcheck.checklists.model', 'yaml', 'jinja2') "
            "if m in sys.modules)))")  # (Typer itself brings pydantic in while completing)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.stdout.split() == ["ungp-due-diligence"]
    assert proc.stderr.strip().splitlines()[-1] == "[]"  # Tab answers without validating checklists


def test_a_pipe_named_like_a_checklist_does_not_hang_tab(tmp_path):
    """Tab reads every checklist file in view; opening a FIFO blocks until a writer comes, i.e. forever."""
    import shutil

    shutil.copy(GOOD / "mini.yaml", tmp_path / "mini.yaml")
    os.mkfifo(tmp_path / "trap.yaml")
    env = {**os.environ, "_DDCHECK_COMPLETE": "complete_bash", "COMP_WORDS": "ddcheck assess mi", "COMP_CWORD": "2",
           "DDCHECK_CHECKLISTS": str(tmp_path)}
    proc = subprocess.run(DDCHECK, capture_output=True, text=True, env=env, cwd=ROOT, timeout=20)
    assert proc.stdout.split() == ["mini"]
