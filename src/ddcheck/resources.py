"""Where the bundled checklists, templates and examples live.

In a wheel they are inside the package (``ddcheck/data/...``, put there by hatchling's
``force-include``); in a source checkout they are the top-level folders maintainers edit.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent.parent

ENV_CHECKLISTS = "DDCHECK_CHECKLISTS"


def bundled(name: str) -> Path:
    """The bundled folder ``name`` (checklists, templates or examples)."""
    inside = _PACKAGE / "data" / name
    return inside if inside.is_dir() else _CHECKOUT / name


def checklist_dirs(extra: list[Path] | None = None) -> list[Path]:
    """Bundled checklists first, then folders from DDCHECK_CHECKLISTS, then ``--checklists`` ones."""
    dirs = [bundled("checklists")]
    env = os.environ.get(ENV_CHECKLISTS, "")
    dirs += [Path(p) for p in env.split(os.pathsep) if p.strip()]
    dirs += list(extra or [])
    unique: list[Path] = []
    for d in dirs:
        if os.path.realpath(d) not in {os.path.realpath(u) for u in unique}:
            unique.append(d)
    return unique
