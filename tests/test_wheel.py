"""The built wheel carries the checklists, templates and examples, and works from any folder."""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    proc = subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(ROOT)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return next(out.glob("ddcheck-*.whl"))


def test_wheel_ships_data_folders(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "ddcheck/data/checklists/sources.yaml" in names
    assert any(n.startswith("ddcheck/data/checklists/") and n.endswith(".yaml") and "sources" not in n for n in names)
    assert any(n.startswith("ddcheck/data/templates/") for n in names)


def test_fresh_virtualenv_runs_console_script_from_another_folder(wheel, tmp_path):
    """Install the wheel (no network: dependencies come from this test environment) and run it."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    purelib = Path(sysconfig.get_paths(vars={"base": str(venv), "platbase": str(venv)})["purelib"])
    # Dependencies from the running environment, after the new venv's own site-packages.
    (purelib / "deps.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--quiet",
                    "--no-deps", "--no-index", str(wheel)], check=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "DDCHECK_CHECKLISTS")}
    proc = subprocess.run([str(venv / "bin" / "ddcheck"), "checklists", "list", "--json"], cwd=elsewhere,
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    assert rows, "no checklists found in the installed wheel"
    assert all(str(venv) in str(Path(elsewhere, r["file"]).resolve()) for r in rows)
