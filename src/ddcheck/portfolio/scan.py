"""Which files a portfolio holds: every ``*.yaml``/``*.yml`` under the folders given, recursively.

Hidden files and folders (``.git``, editors' backups, our own cache) and lock files are left out.
A YAML file that is plainly not an assessment (a mapping without ``ddcheck``/``meta``, e.g. a
checklist kept beside the answers) is skipped by the index, not reported as broken.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from ..errors import InputError, display_path

SUFFIXES = (".yaml", ".yml")


def shown(path: Path, cwd: str) -> str:
    """``errors.display_path`` without resolving symbolic links (see above): relative below ``cwd``."""
    absolute = os.path.abspath(path)
    return os.path.relpath(absolute, cwd) if absolute.startswith(cwd + os.sep) else str(path)


def assessment_files(roots: Iterable[Path]) -> list[tuple[Path, Path]]:
    """(root, file) for every candidate file, in a stable order; a root that is a file is taken as is."""
    # Keyed by absolute path, not ``resolve()``: a thousand symlink look-ups cost more than the cached
    # run reading every file (a file reached through two names is simply listed twice).
    found: dict[str, tuple[Path, Path]] = {}
    for root in roots:
        if root.is_file():
            found.setdefault(os.path.abspath(root), (root.parent, root))
            continue
        if not root.is_dir():
            raise InputError(f"{display_path(root)}: no such folder")
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if name.startswith(".") or not name.endswith(SUFFIXES):
                    continue
                path = Path(folder, name)
                found.setdefault(os.path.abspath(path), (root, path))
    return list(found.values())
