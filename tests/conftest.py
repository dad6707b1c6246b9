"""Shared test fixtures: the repository's folders, the seed texts, and a CLI runner."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOOD = FIXTURES / "good"  # a small valid checklist ("mini") using every question type
BROKEN = FIXTURES / "broken"
SEEDS = ROOT.parent / "shared" / "seeds"  # the source documents, beside the checkout (as in CI)
DDCHECK = [sys.executable, "-m", "ddcheck"]  # the real CLI as a subprocess


def add_inline_checklist(library, yaml_text: str, name: str) -> None:
    """Validate a checklist written in a test as YAML text and put it in ``library``; any problem
    fails loudly, so a test never runs against a checklist the validator would refuse."""
    from ddcheck.checklists.model import Checklist
    from ddcheck.checklists.library import LoadedChecklist
    from ddcheck.checklists.validation import checklist_problems
    from ddcheck.checklists.yamlread import parse_yaml

    located = parse_yaml(yaml_text, f"{name}.yaml")
    checklist = Checklist.model_validate(located.data)
    problems = checklist_problems(checklist, located, library.sources)
    assert not problems, [str(p) for p in problems]
    library.checklists[checklist.id] = LoadedChecklist(checklist, Path(f"{name}.yaml"), located)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def invoke(runner):
    """Run the Typer app in-process: invoke("checklists", "list") -> Result."""
    from ddcheck.cli import app

    def run(*args: str, input: str | None = None, env: dict | None = None):
        return runner.invoke(app, list(args), input=input, env=env, catch_exceptions=False)

    return run


@pytest.fixture
def clean_env(monkeypatch):
    """No checklist folders leak in from the developer's environment."""
    monkeypatch.delenv("DDCHECK_CHECKLISTS", raising=False)
    return os.environ
