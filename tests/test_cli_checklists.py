"""The checklist and source commands, in-process and as the real program."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from conftest import DDCHECK, GOOD, ROOT, SEEDS


def test_list_json_includes_user_folder(invoke, clean_env):
    result = invoke("--checklists", str(GOOD), "checklists", "list", "--json")
    assert result.exit_code == 0
    rows = {row["id"]: row for row in json.loads(result.stdout)}
    assert rows["mini"]["questions"] == 6
    assert rows["mini"]["version"] == "1.0.0"
    assert rows["mini"]["file"].endswith("mini.yaml")


def test_env_var_adds_folder(invoke, clean_env):
    result = invoke("checklists", "list", "--json", env={"DDCHECK_CHECKLISTS": str(GOOD)})
    assert "mini" in {row["id"] for row in json.loads(result.stdout)}


def test_show_outlines_questions_conditions_and_citations(invoke, clean_env):
    result = invoke("--checklists", str(GOOD), "checklists", "show", "mini")
    assert result.exit_code == 0
    out = result.stdout
    assert "1.1 Do any of your products contain inputs from the region?" in out
    assert "asked when: sources-from-region in [yes, unknown]" in out
    assert "red flag when: sources-from-region in [yes, unknown]" in out
    assert "cites: Foreign Firms Operating in Xinjiang" in out


def test_show_unknown_id_suggests(invoke, clean_env):
    result = invoke("--checklists", str(GOOD), "checklists", "show", "minni")
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: no checklist with id 'minni' (did you mean 'mini'?)"


def test_validate_reports_every_problem_and_exits_1(invoke, clean_env, tmp_path):
    broken = tmp_path / "broken.yaml"
    text = (GOOD / "mini.yaml").read_text(encoding="utf-8")
    broken.write_text(text.replace("guidance: Map tiers.", "guidanse: Map tiers.")
                      .replace("weight: 2", "weight: heavy"), encoding="utf-8")
    result = invoke("checklists", "validate", str(broken))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[-1] == "2 problem(s) found."
    assert any(line.startswith(f"{broken}:36:9: unknown key 'guidanse'") for line in lines)
    assert any(":28:17: 'weight': input should be a valid number" in line for line in lines)


def test_validate_clean_exits_0(invoke, clean_env):
    result = invoke("--checklists", str(GOOD), "checklists", "validate", str(GOOD / "mini.yaml"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("OK: 1 checklist(s), 6 questions")


def test_validate_json(invoke, clean_env, tmp_path):
    broken = tmp_path / "b.yaml"
    broken.write_text("id: x\n", encoding="utf-8")
    result = invoke("checklists", "validate", "--json", str(broken))
    assert result.exit_code == 1
    problems = json.loads(result.stdout)
    assert {p["message"] for p in problems} >= {"missing required key 'title'", "missing required key 'sections'"}
    assert all(p["line"] == 1 for p in problems)


def test_schema_is_json_schema_of_the_format(invoke):
    result = invoke("checklists", "schema")
    schema = json.loads(result.stdout)
    assert schema["title"] == "ddcheck checklist"
    assert {"id", "title", "version", "sections", "scales"} <= set(schema["properties"])
    assert "Question" in schema["$defs"] and "cite" in schema["$defs"]["Question"]["properties"]


def test_version(invoke):
    from ddcheck import __version__

    assert invoke("--version").stdout.strip() == f"ddcheck {__version__}"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="source texts not beside the checkout")
def test_verify_catches_an_altered_quote(invoke, clean_env, tmp_path):
    shutil.copy(GOOD / "mini.yaml", tmp_path / "mini.yaml")
    good = invoke("--checklists", str(tmp_path), "sources", "verify", "--texts", str(SEEDS))
    assert good.exit_code == 0, good.stderr
    text = (tmp_path / "mini.yaml").read_text(encoding="utf-8")
    (tmp_path / "mini.yaml").write_text(text.replace("made using forced labor", "made using forced labour"),
                                        encoding="utf-8")
    bad = invoke("--checklists", str(tmp_path), "sources", "verify", "--texts", str(SEEDS))
    assert bad.exit_code == 1
    assert (f"{tmp_path / 'mini.yaml'}:31:20: quote not found in foreign-firms-xinjiang: "
            '"whether products are being made using forced labour"') in bad.stderr


@pytest.mark.skipif(not SEEDS.is_dir(), reason="source texts not beside the checkout")
def test_verify_checks_paragraph_locators(invoke, clean_env, tmp_path):
    text = (GOOD / "mini.yaml").read_text(encoding="utf-8")
    (tmp_path / "mini.yaml").write_text(text.replace("locator: para. 9", "locator: para. 8"), encoding="utf-8")
    result = invoke("--checklists", str(tmp_path), "sources", "verify", "--texts", str(SEEDS))
    assert result.exit_code == 1
    assert "locator 'para. 8' does not match foreign-firms-xinjiang: the quote is in para. 9" in result.stderr


def test_verify_needs_texts_folder(invoke, clean_env, monkeypatch):
    monkeypatch.delenv("DDCHECK_SOURCE_TEXTS", raising=False)
    result = invoke("sources", "verify")
    assert result.exit_code == 2
    assert "--texts DIR" in result.stderr


def test_real_program_reports_broken_file_in_one_line(tmp_path, clean_env):
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\ntitle: [unclosed\n", encoding="utf-8")
    proc = subprocess.run([*DDCHECK, "checklists", "validate", str(broken)], capture_output=True, text=True,
                          cwd=tmp_path)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.splitlines()[0].startswith("broken.yaml:2:17: YAML syntax error")


def test_help_does_not_import_heavy_modules(clean_env):
    code = ("import sys\nfrom ddcheck.cli import app\n"
            "try:\n    app(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('weasyprint', 'jinja2', 'pydantic') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.stdout.strip().splitlines()[-1] == "[]"


def test_validate_never_imports_weasyprint(clean_env):
    code = ("import sys\nfrom ddcheck.cli import app\n"
            "try:\n    app(['checklists', 'list'])\nexcept SystemExit:\n    pass\n"
            "print('weasyprint' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.stdout.strip().splitlines()[-1] == "False"


def test_show_marks_exposure_questions_and_critical_red_flags(invoke, clean_env):
    out = invoke("checklists", "show", "xinjiang-supply-chain").stdout
    assert "id: region-link   answers: no / indirect / yes / unknown   exposure question" in out
    assert "red flag (critical) when: government-links in [security-current]" in out


def test_show_numbers_questions_as_assess_does_and_fits_an_80_column_terminal(invoke, clean_env, monkeypatch):
    """'4.' in the outline was question 2.1 in 'assess', the workbook and the report."""
    monkeypatch.setenv("COLUMNS", "80")
    result = invoke("checklists", "show", "forced-labour")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "== 2. Forced-labour indicators at the site [forced-labour-indicators]" in lines
    assert any(line.startswith("  2.1 Has your organisation found workers at the site who owe a debt") for line in lines)
    assert not any(line.lstrip().startswith("4. ") for line in lines)
    help_text = invoke("checklists", "show", "--help").stdout
    assert "ddcheck checklists show forced-labour" in help_text and "Exit codes" in help_text
