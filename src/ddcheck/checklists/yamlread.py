"""Read untrusted YAML into plain data, remembering where every node stood.

Why PyYAML's ``compose`` and our own small constructor rather than ``yaml.safe_load`` or
ruamel.yaml: composing builds only a node tree (no Python object is ever constructed, so no tag
can run code), each node carries its line and column, and walking the tree ourselves lets us
bound alias expansion ("billion laughs") and reject unknown tags with a located message.
The C composer (libyaml) is used when available for speed.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import BrokenInput, InputError, Problem

try:  # libyaml is an optional speed-up; the pure-Python loader behaves the same.
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """YAML 1.2 booleans: only true/false are booleans, so answers like ``yes``/``no``/``on`` stay words."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)

MAX_FILE_BYTES = 2 * 1024 * 1024  # a checklist or assessment is a few hundred KB at most
MAX_NODES = 200_000  # nodes after alias expansion; refuses alias bombs in bounded time
MAX_DEPTH = 64

Path_ = tuple[str | int, ...]

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


@dataclass
class Located:
    """Plain data plus the 1-based (line, col) of each value and each mapping key, by path."""

    file: str
    data: Any
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """Position of the deepest node on ``path`` that exists (so a missing key points at its parent)."""
        path = tuple(path)
        while True:
            table = self.keys if key and path in self.keys else self.values
            if path in table:
                return table[path]
            if not path:
                return (1, 1)
            path = path[:-1]
            key = False

    def problem(self, path: Path_, message: str, hint: str = "", *, key: bool = False,
                warning: bool = False) -> Problem:
        line, col = self.where(path, key=key)
        return Problem(self.file, line, col, message, hint, warning)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    def __init__(self, located: Located):
        self.located = located
        self.count = 0
        self.scalar = yaml.constructor.SafeConstructor()  # converts plain scalars only

    def build(self, node: yaml.Node, path: Path_, depth: int = 0) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise BrokenInput([Problem(self.located.file, *_mark(node),
                                         f"document expands to more than {MAX_NODES} nodes",
                                         "remove aliases that repeat large blocks, or split the file")])
        if depth > MAX_DEPTH:
            raise BrokenInput([Problem(self.located.file, *_mark(node),
                                         f"nesting deeper than {MAX_DEPTH} levels", "flatten the structure")])
        if node.tag not in _PLAIN_TAGS:
            raise BrokenInput([Problem(self.located.file, *_mark(node),
                                         f"the YAML tag '{node.tag}' is not allowed",
                                         "remove the tag; only plain strings, numbers, lists and mappings are read")])
        self.located.values.setdefault(path, _mark(node))
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise BrokenInput([Problem(self.located.file, *_mark(key_node),
                                                 "merge keys ('<<') are not supported", "write the keys out")])
                key = self.build(key_node, path + ("<key>",), depth + 1)
                if not isinstance(key, (str, int, bool)) or key is None:
                    raise BrokenInput([Problem(self.located.file, *_mark(key_node),
                                                 "mapping keys must be plain words", "quote the key")])
                key = str(key).lower() if isinstance(key, bool) else str(key)
                if key in result:
                    raise BrokenInput([Problem(self.located.file, *_mark(key_node),
                                                 f"the key '{key}' appears twice in this mapping",
                                                 "keep one of them")])
                self.located.keys[path + (key,)] = _mark(key_node)
                result[key] = self.build(value_node, path + (key,), depth + 1)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        if node.tag == "tag:yaml.org,2002:str":  # most scalars: what the constructor would return, at a
            return node.value                     # fraction of its cost (portfolios read thousands of files)
        if node.tag == "tag:yaml.org,2002:timestamp":
            return str(node.value)  # keep dates as written; the models parse them
        return self.scalar.construct_object(node, deep=False)


def parse_yaml(text: str, file: str) -> Located:
    """Parse one YAML document from text. A file that cannot be read at all raises BrokenInput
    (a ProblemsError that exits 2), located at the offending place."""
    located = Located(file=file, data=None)
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise BrokenInput([Problem(file, line, col, f"YAML syntax error: {exc.problem or exc}",
                                     "check indentation and quoting around this place")]) from None
    except yaml.YAMLError as exc:
        raise BrokenInput([Problem(file, 1, 1, f"YAML error: {exc}", "")]) from None
    if node is None:
        located.data = None
        return located
    located.data = _Builder(located).build(node, ())
    return located


def read_limited(path: Path, shown: str) -> bytes:
    """A file's bytes, refusing missing, unreadable and oversized files (size checked before reading)."""
    try:
        size = os.stat(path).st_size
        if size > MAX_FILE_BYTES:
            raise BrokenInput([Problem(shown, 0, 0,
                                         f"file is {size} bytes, over the {MAX_FILE_BYTES} byte limit",
                                         "split it into several files")])
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(f"{shown}: no such file (check the path)") from None
    except OSError as exc:
        raise InputError(f"{shown}: cannot read: {exc.strerror}") from None


def decode_utf8(raw: bytes, shown: str, hint: str = "save it as UTF-8") -> str:
    """Text of a UTF-8 file (a BOM is allowed); the first bad byte's line is named."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise BrokenInput([Problem(shown, line, 1, "the file is not valid UTF-8", hint)]) from None


def read_yaml(path: Path, shown_as: str | None = None) -> Located:
    """Read a YAML file with size and encoding checks done before parsing."""
    shown = shown_as or str(path)
    return parse_yaml(decode_utf8(read_limited(path, shown), shown), shown)
