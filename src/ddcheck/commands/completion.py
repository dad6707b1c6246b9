"""Shell completion (``ddcheck --install-completion``): checklist ids for Tab, found without loading anything.

Completion runs ddcheck on every Tab press, so it must answer at once: it reads only the top-level
``id:`` line of each checklist file in the folders in view (bundled, DDCHECK_CHECKLISTS and
``--checklists``), never validating them (pydantic) the way commands do. File names (``-o FILE``,
``ASSESSMENT.yaml``) are completed by the shell itself, since those parameters are paths.
"""

from __future__ import annotations

import re
from pathlib import Path

import typer

from ..resources import checklist_dirs

_ID_LINE = re.compile(r"^id:[ \t]*[\"']?([A-Za-z0-9][A-Za-z0-9_.-]*)", re.MULTILINE)
_NOT_CHECKLISTS = {"sources.yaml"}  # the sources registry sits next to the checklists
_HEAD = 20_000  # the id is a top-level key near the top; never read a whole large file on Tab


def checklist_ids(ctx: typer.Context, incomplete: str) -> list[str]:
    """Ids of the checklists in view that start with what was typed."""
    root = ctx.find_root()
    extra = root.params.get("checklist_dirs") or []
    found: set[str] = set()
    for folder in checklist_dirs([Path(p) for p in extra]):
        for path in sorted(folder.glob("*.y*ml")) if folder.is_dir() else []:
            if path.suffix not in (".yaml", ".yml") or path.name in _NOT_CHECKLISTS or not path.is_file():
                continue  # is_file: a FIFO named x.yaml would block the shell on Tab
            try:
                with path.open(encoding="utf-8", errors="replace") as handle:
                    match = _ID_LINE.search(handle.read(_HEAD))
            except OSError:
                continue
            if match:
                found.add(match.group(1))
    return sorted(i for i in found if i.startswith(incomplete))
