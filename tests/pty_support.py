"""What the ``assess`` pseudo-terminal tests share: keys, the cover options, preparing and ending a run."""

from __future__ import annotations

import sys
from pathlib import Path

import pexpect
from conftest import GOOD

DOWN, ENTER, CTRL_C, CTRL_D, CTRL_U = "\x1b[B", "\r", "\x03", "\x04", "\x15"
MENU = "q save & quit"  # the end of a menu's key hint: drawn last, once the menu takes keys
META = ["--organisation", "Acme", "--subject", "Supplier X", "--assessor", "Jane", "--date", "2024-05-01"]


def finish(child) -> int:
    """The exit status once the program has ended by itself."""
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus


def import_answers(cwd: Path, rows: str, checklists: Path = GOOD) -> None:
    """Prepare an assessment quickly through the non-interactive route."""
    (cwd / "prepared.csv").write_text("checklist,question,value,note\n" + rows, encoding="utf-8")
    out = pexpect.run(f"{sys.executable} -m ddcheck --checklists {checklists} answers import prepared.csv "
                      f"-o acme.yaml " + " ".join(f"'{m}'" for m in META), cwd=str(cwd), withexitstatus=True,
                      encoding="utf-8", timeout=20)
    assert out[1] == 0, out[0]
