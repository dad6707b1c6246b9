"""``scripts/test.sh`` names, in one line, the system packages a machine lacks (issue: 17 tests failed instead)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHECK = ROOT / "scripts" / "check-system.py"


def run_check(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(CHECK)], capture_output=True, text=True, env=env, timeout=60)


def test_a_machine_without_cjk_fonts_is_told_in_one_line_which_package_to_install(tmp_path):
    conf = tmp_path / "fonts.conf"  # fontconfig that sees no font at all: no CJK font either
    conf.write_text(f'<?xml version="1.0"?><fontconfig><cachedir>{tmp_path}/cache</cachedir></fontconfig>')
    proc = run_check({**os.environ, "FONTCONFIG_FILE": str(conf)})
    if "fontconfig (font checks)" in proc.stderr:
        pytest.skip("fc-list is not installed here, so the CJK check cannot run")
    assert proc.returncode == 0
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, lines
    assert "fonts-noto-cjk (Chinese-text tests skip)" in lines[0]
    assert "sudo apt-get install fonts-noto-cjk" in lines[0]


def test_the_readme_setup_lists_every_package_the_check_and_ci_know():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = readme.split("## Set-up on a fresh machine", 1)[1].split("\n## ", 1)[0]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    packages = ci.split('packages="', 1)[1].split('"', 1)[0].split()
    check = CHECK.read_text(encoding="utf-8")
    for package in packages:
        assert package in setup, package
    for package in ("libpango-1.0-0", "fonts-noto-cjk", "libharfbuzz-subset0", "chromium", "fontconfig"):
        assert package in check and package in packages, package
