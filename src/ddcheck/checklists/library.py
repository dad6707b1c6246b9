"""Find checklist folders, read every file, and return models plus every located problem.

``collect`` never raises for content problems: it returns what loaded and the list of problems,
so ``checklists validate`` can print them all. ``load_library`` is the strict front door for
every other command: any problem stops it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

from pydantic import ValidationError

from .model import Checklist, QuestionUse, Source, SourceRegistry
from .shared import resolve_shared
from ..errors import BrokenInput, DdcheckError, InputError, Problem, ProblemsError, did_you_mean, display_path
from ..resources import ENV_CHECKLISTS, checklist_dirs
from .validation import checklist_problems, pydantic_problems, registry_problems
from .yamlread import Located, read_limited, read_yaml

SOURCES_FILE = "sources.yaml"


@dataclass(frozen=True)
class LoadedChecklist:
    checklist: Checklist
    path: Path
    located: Located

    @functools.cached_property
    def fingerprint(self) -> str:
        """Computed once per load (a JSON dump and a SHA-256 of the whole checklist)."""
        return content_fingerprint(self.checklist)


@dataclass
class Library:
    """Every checklist and source in view, by id."""

    checklists: dict[str, LoadedChecklist] = field(default_factory=dict)
    ids_in_view: set[str] = field(default_factory=set)  # every id seen, loaded or not (for hints)
    sources: dict[str, Source] = field(default_factory=dict)
    source_files: dict[str, tuple[Path, Located, int]] = field(default_factory=dict)

    def not_in_view(self, checklist_id: str, answered_in: str | None = None) -> tuple[str, str]:
        """Message and hint for a checklist id the library lacks: the one wording every command uses.

        ``answered_in`` names the assessment file that refers to the checklist, when it came from
        a file rather than from the command line or an answers file.
        """
        close = did_you_mean(checklist_id, set(self.checklists) | self.ids_in_view)
        if answered_in is None:
            return f"no checklist with id '{checklist_id}'", close or "run 'ddcheck checklists list'"
        return (f"{answered_in} was answered against checklist '{checklist_id}', which is not in view",
                f"{close + ' or ' if close else ''}add its folder with --checklists DIR or DDCHECK_CHECKLISTS")

    def require(self, checklist_ids: Iterable[str], answered_in: str | None = None,
                places: Mapping[str, tuple[int, int]] | None = None) -> list[LoadedChecklist]:
        """The checklists with these ids, in order; the first one missing raises InputError (exit 2),
        or, when ``places`` says where the file names it, a located BrokenInput (exit 2)."""
        found = []
        for checklist_id in checklist_ids:
            if checklist_id not in self.checklists:
                message, hint = self.not_in_view(checklist_id, answered_in)
                if answered_in is not None and places and checklist_id in places:
                    where = message.removeprefix(f"{answered_in} ")  # "was answered against checklist ..."
                    raise BrokenInput([Problem(answered_in, *places[checklist_id], f"this assessment {where}", hint)])
                raise InputError(f"{message} ({hint})")
            found.append(self.checklists[checklist_id])
        return found

    def get(self, checklist_id: str) -> LoadedChecklist:
        return self.require([checklist_id])[0]


def _digest(data: object) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def content_fingerprint(checklist: Checklist) -> str:
    """SHA-256 of the checklist's meaning, not its formatting: comments and layout don't change it.

    Keys left at their defaults are left out, so a format that gains an optional key does not make
    every assessment's checklists look changed.
    """
    return _digest(checklist.model_dump(mode="json", by_alias=True, exclude_defaults=True))


def question_fingerprints(checklist: Checklist) -> dict[str, str]:
    """Per-question fingerprints of what an answer depends on: wording, type and answer choices."""
    prints = {}
    for _, q in checklist.questions():
        prints[q.id] = _digest({
            "text": q.text, "type": q.type.value,
            "choices": [c.model_dump(mode="json") for c in checklist.choices(q)],
            "min": q.min, "max": q.max,
            **({"integer": True} if q.integer else {}),  # only when set: other fingerprints stay as they were
        })
    return prints


def _yaml_files(folder: Path) -> list[Path]:
    """The checklist files of a folder. Hidden files (editor locks such as ``.#x.yaml``, ``.x.yaml``
    backups) are not checklists and are skipped."""
    return sorted(p for p in folder.glob("*.y*ml")
                  if p.suffix in (".yaml", ".yml") and p.name != SOURCES_FILE and not p.name.startswith("."))


def _read(path: Path, problems: list[Problem]) -> Located | None:
    try:
        located = read_yaml(path, display_path(path))
    except ProblemsError as exc:
        problems += exc.problems
        return None
    except InputError as exc:  # missing, a FIFO, a device, a link loop: one located line, the name once
        shown = display_path(path)
        message = str(exc)
        problems.append(Problem(shown, 1, 1, message.removeprefix(shown + ": ")))
        return None
    if not isinstance(located.data, dict):
        problems.append(Problem(located.file, 1, 1, "expected a mapping of keys (id:, title:, ...) at the top",
                                "see 'ddcheck checklists schema' for the format"))
        return None
    return located


def check_folders(extra_dirs: list[Path] | None = None) -> None:
    """A folder the user named (``--checklists`` or DDCHECK_CHECKLISTS) that isn't there is bad input (exit 2)."""
    env = [Path(p) for p in os.environ.get(ENV_CHECKLISTS, "").split(os.pathsep) if p.strip()]
    for origin, folders in ((ENV_CHECKLISTS, env), ("--checklists", list(extra_dirs or []))):
        for folder in folders:
            if not folder.exists():
                raise InputError(f"{origin} {display_path(folder)}: no such folder")
            if not folder.is_dir():
                raise InputError(f"{origin} {display_path(folder)}: not a folder (give the folder holding "
                                 "the checklists)")


def collect(dirs: list[Path] | None = None, paths: list[Path] | None = None,
            extra_dirs: list[Path] | None = None,
            wanted: Iterable[str] | None = None) -> tuple[Library, list[Problem]]:
    """Load sources from every folder and checklists from ``paths`` (or all folders).

    Without ``dirs``, the folders in view are used, and one named by the user that doesn't exist
    raises InputError rather than becoming a problem. With ``wanted`` (checklist ids), only the
    files that may hold those checklists or their shared questions are parsed (see ``_needed``).
    """
    if dirs is None:
        check_folders(extra_dirs)
    folders = dirs if dirs is not None else checklist_dirs(extra_dirs)
    library = Library()
    problems: list[Problem] = []

    for folder in folders:
        if not folder.is_dir():
            problems.append(Problem(display_path(folder), 0, 0, "checklist folder not found",
                                    "check --checklists or DDCHECK_CHECKLISTS"))
            continue
        reg_path = folder / SOURCES_FILE
        if reg_path.exists():
            located = _read(reg_path, problems)
            if located is None:
                continue
            try:
                registry = SourceRegistry.model_validate(located.data)
            except ValidationError as exc:
                problems += pydantic_problems(exc, located)
                continue
            problems += registry_problems(registry, located)
            for i, source in enumerate(registry.sources):
                if source.id in library.sources and library.source_files[source.id][0] != reg_path:
                    problems.append(located.problem(("sources", i, "id"),
                                                    f"source '{source.id}' is already registered in "
                                                    f"{display_path(library.source_files[source.id][0])}",
                                                    "rename one of them"))
                    continue
                library.sources[source.id] = source
                library.source_files[source.id] = (reg_path, located, i)

    files = paths if paths else [f for folder in folders if folder.is_dir() for f in _yaml_files(folder)]
    if wanted is not None and not paths:
        files, library.ids_in_view = _needed(files, set(wanted))
    parsed = [found for path in files if path.name != SOURCES_FILE
              if (found := _parse(path, problems)) is not None]
    if wanted is not None and not paths:  # a shared question's home the sniffing missed: load it too
        if _homes_used(parsed) - {checklist.id for checklist, _, _ in parsed}:
            return collect(dirs, paths, extra_dirs, None)
    # Shared questions may come from checklists not named on the command line: the folders' other
    # files serve as homes (their own problems are not this run's to report).
    pool = _pool(folders, files, parsed) if paths else []
    homes = {checklist.id: checklist for checklist, _, _ in pool}
    in_view = {checklist.id: path for checklist, path, _ in pool}
    homes.update({checklist.id: checklist for checklist, _, _ in parsed})
    for checklist, path, located in parsed:
        checklist, found = resolve_shared(checklist, located, homes)
        found += checklist_problems(checklist, located, library.sources)
        problems += found
        if checklist.id in library.checklists or checklist.id in in_view:
            other = display_path(library.checklists[checklist.id].path if checklist.id in library.checklists
                                 else in_view[checklist.id])
            problems.append(located.problem(("id",), f"checklist id '{checklist.id}' is also used by {other}",
                                            "give each checklist its own id"))
            continue
        if not any(not p.warning for p in found):  # warnings alone do not keep a checklist out
            library.checklists[checklist.id] = LoadedChecklist(checklist, path, located)
    return library, problems


_ID_LINE = re.compile(r"""^id:[ \t]*(["']?)([A-Za-z0-9][A-Za-z0-9._-]*)\1[ \t]*(?:#.*)?$""", re.M)
_USE = re.compile(r"""\buse:[ \t]*["']?([A-Za-z0-9][A-Za-z0-9._-]*)/""")


def _needed(files: list[Path], wanted: set[str]) -> tuple[list[Path], set[str]]:
    """The files to parse for the ``wanted`` checklists, and every checklist id seen in view.

    Why: with a thousand checklists in a folder, parsing all of them for a command that reads two
    took 17 s. A checklist's id is a top-level ``id:`` line, found by a regular expression; a file
    is parsed when its id is wanted, when it is the home of a shared question (``use: id/...``) of a
    parsed one, when two files claim one id (so the clash is reported), or when its id cannot be
    found that way (so a broken or unusual file is still reported). ``checklists validate`` and
    ``checklists list`` still read every file.
    """
    texts: dict[Path, str] = {}
    ids: dict[Path, str | None] = {}
    for path in files:
        try:
            texts[path] = read_limited(path, display_path(path)).decode("utf-8", "replace")
        except (DdcheckError, OSError):
            texts[path] = ""
        found = _ID_LINE.findall(texts[path])
        ids[path] = found[0][1] if len(found) == 1 else None
    claims: dict[str, int] = {}
    for checklist_id in ids.values():
        if checklist_id is not None:
            claims[checklist_id] = claims.get(checklist_id, 0) + 1
    need, chosen = set(wanted), set()
    while True:
        new = [p for p in files if p not in chosen and (ids[p] is None or ids[p] in need or claims[ids[p]] > 1)]
        if not new:
            break
        for path in new:
            chosen.add(path)
            need.update(_USE.findall(texts[path]))
    return [p for p in files if p in chosen], {i for i in ids.values() if i is not None}


def _homes_used(parsed: list[tuple[Checklist, Path, Located]]) -> set[str]:
    """The ids of the checklists that hold the shared questions (``use:`` items) of these."""
    return {item.home for checklist, _, _ in parsed for section in checklist.sections
            for item in section.questions if isinstance(item, QuestionUse)}


def _parse(path: Path, problems: list[Problem]) -> tuple[Checklist, Path, Located] | None:
    located = _read(path, problems)
    if located is None:
        return None
    try:
        return Checklist.model_validate(located.data), path, located
    except ValidationError as exc:
        problems += pydantic_problems(exc, located)
        return None


def _pool(folders: list[Path], named: list[Path],
          parsed: list[tuple[Checklist, Path, Located]]) -> list[tuple[Checklist, Path, Located]]:
    """The folders' other checklists that the named files need, parsed quietly: the homes of their
    ``use`` items, and any file claiming a named file's id (so the clash is reported). Chosen by
    ``_needed``, as for every other command, so checking one file never parses the whole folder."""
    named_set = {os.path.realpath(p) for p in named}
    others = [f for folder in folders if folder.is_dir() for f in _yaml_files(folder) if os.path.realpath(f) not in named_set]
    chosen, _ = _needed(others, {checklist.id for checklist, _, _ in parsed} | _homes_used(parsed))
    return [found for path in chosen if (found := _parse(path, [])) is not None]


def load_library(extra_dirs: list[Path] | None = None, wanted: Iterable[str] | None = None) -> Library:
    """All checklists in view (or only the ``wanted`` ones and what they need), or a BrokenInput
    (exit 2) listing every problem found: for any command but ``checklists validate``, a broken
    checklist is broken input, not a finding."""
    library, problems = collect(extra_dirs=extra_dirs, wanted=wanted)
    errors = [p for p in problems if not p.warning]
    if errors:
        raise BrokenInput(errors)
    return library
