"""Read untrusted YAML into plain data, remembering where every node stood.

Why PyYAML's event stream, our own composer and our own small constructor rather than
``yaml.safe_load`` or ruamel.yaml: composing builds only a node tree (no Python object is ever
constructed, so no tag can run code), each node carries its line and column, and walking the
tree ourselves lets us bound alias expansion ("billion laughs") and refuse tags with a located
message.

Why our own composer: PyYAML's composers are recursive, and libyaml's (``CSafeLoader``) recurses
in C, so ``[`` x 25,000 overflows the C stack (a segmentation fault, no message). Ours counts the
depth *while* composing and stops at ``MAX_DEPTH`` before any stack is at risk. libyaml's scanner
and parser (iterative, no recursion) feed it events when available: about 10x faster than the
pure-Python parser, with the same marks and the same rules; the pure-Python one is the fallback.

One rule for tags, in every reader: an explicit tag (``!!int abc``, ``!!float``, ``!!bool maybe``,
``!custom``) is refused with its place; only ``!!str`` (which means "text", as we would read it
anyway) and the non-specific ``!`` are accepted. Numbers must be finite (``.nan`` and ``.inf`` are
refused), as JSON output and scoring need.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.events import CollectionStartEvent
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.scanner import Scanner
from yaml.resolver import Resolver

from ..errors import BrokenInput, Problem
from ..files import read_regular

try:  # libyaml's parser is an optional speed-up; the pure-Python parser behaves the same.
    from yaml._yaml import CParser as _CParser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    _CParser = None


class _Resolver(Resolver):
    """YAML 1.2 booleans: only true/false are booleans, so answers like ``yes``/``no``/``on`` stay words."""


_Resolver.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in Resolver.yaml_implicit_resolvers.items()
}
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)

MAX_FILE_BYTES = 2 * 1024 * 1024  # a checklist or assessment is a few hundred KB at most
MAX_NODES = 200_000  # nodes after alias expansion; refuses alias bombs in bounded time
MAX_DEPTH = 64
STR_TAG = "tag:yaml.org,2002:str"

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


def _mark(node: Any) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class _Refused(Exception):
    """Raised inside the composer; turned into a located BrokenInput by ``parse_yaml``."""

    def __init__(self, mark: Any, message: str, hint: str):
        super().__init__(message)
        self.mark, self.message, self.hint = mark, message, hint


class _BoundedComposer(Composer):
    """PyYAML's composer with the depth counted while composing."""

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, CollectionStartEvent) and self._depth >= MAX_DEPTH:
            raise _Refused(event.start_mark, f"nesting deeper than {MAX_DEPTH} levels", "flatten the structure")
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


# libyaml's own composer recurses in C: measured, 2,000 levels fit in a 1 MiB stack and 4,000 do not
# (Linux gives the main thread 8 MiB). It is used only when the text cannot nest deeper than this
# (see _nesting_bound), far from any stack's end. The bound counts every bracket of the file, so an
# assessment of a few hundred answers with flow lists (``evidence: []``) must still fit under it.
C_COMPOSER_MAX_BOUND = 1_000

if _CParser is not None:
    class _FastLoader(_CParser, _Resolver):  # type: ignore[misc, valid-type]
        """libyaml throughout (about twice as fast again), for texts that cannot nest deeply."""

        def __init__(self, text: str):
            _CParser.__init__(self, text)
            _Resolver.__init__(self)

    class _Loader(_BoundedComposer, _CParser, _Resolver):  # type: ignore[misc, valid-type]
        """libyaml's iterative scanner and parser feeding our bounded composer."""

        def __init__(self, text: str):
            _CParser.__init__(self, text)
            Composer.__init__(self)
            _Resolver.__init__(self)


class _PyLoader(Reader, Scanner, Parser, _BoundedComposer, _Resolver):  # type: ignore[misc]
    """PyYAML's pure-Python scanner and parser feeding our bounded composer: the fallback."""

    def __init__(self, text: str):
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        _Resolver.__init__(self)


if _CParser is None:  # pragma: no cover - PyYAML without libyaml
    _FastLoader = None
    _Loader = _PyLoader  # type: ignore[misc, assignment]


_BLOCK_PREFIX = re.compile(r"^[ \t?:-]*", re.M)


def _nesting_bound(text: str) -> int:
    """An upper bound on how deeply ``text`` can nest, computed without parsing.

    Flow collections nest at most once per ``[`` or ``{``. A nested block collection starts either
    on a new line, indented more than its parent (a sequence may share its mapping's indent, once),
    or after indicators on the same line (``- - x``, ``? - x``): so at most two levels per column of
    a line's leading run of spaces and indicators. Over-estimates are harmless (the bounded
    composer is used), and nothing in YAML nests without one of these.
    """
    prefix = len(max(_BLOCK_PREFIX.findall(text), key=len, default=""))
    return text.count("[") + text.count("{") + 2 * (prefix + 2)


_SEQ_TAG, _MAP_TAG = "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
_CHEAP_TAGS = {STR_TAG, _SEQ_TAG, _MAP_TAG}  # always what they say (kinds are checked separately)


class _Builder:
    def __init__(self, located: Located):
        self.located = located
        self.count = 0
        self.scalar = yaml.constructor.SafeConstructor()  # converts plain scalars only
        self.resolver = _Resolver()

    def implied_tag(self, node: yaml.Node) -> str:
        """The tag the node would have without an explicit one: its kind, or what its text reads as."""
        if isinstance(node, yaml.SequenceNode):
            return _SEQ_TAG
        if isinstance(node, yaml.MappingNode):
            return _MAP_TAG
        return self.resolver.resolve(yaml.ScalarNode, node.value, (not node.style, True))  # plain: None or ""

    def refuse(self, node: Any, message: str, hint: str = "") -> BrokenInput:
        return BrokenInput([Problem(self.located.file, *_mark(node), message, hint)])

    def build(self, node: yaml.Node, path: Path_, depth: int = 0) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.refuse(node, f"document expands to more than {MAX_NODES} nodes",
                              "remove aliases that repeat large blocks, or split the file")
        if depth > MAX_DEPTH:  # aliases can nest a node in itself; the composer bounds the rest
            raise self.refuse(node, f"nesting deeper than {MAX_DEPTH} levels", "flatten the structure")
        # One rule for explicit tags: '!!str' (text, as read anyway) or a tag that changes nothing is
        # accepted; any other ('!!int abc', '!!bool maybe', '!!set', '!custom') is refused here.
        tag = node.tag
        if tag not in _PLAIN_TAGS or (tag not in _CHEAP_TAGS and tag != self.implied_tag(node)) \
                or (tag == _SEQ_TAG) != isinstance(node, yaml.SequenceNode) \
                or (tag == _MAP_TAG) != isinstance(node, yaml.MappingNode):
            raise self.refuse(node, f"the YAML tag '{_short(node.tag)}' is not allowed",
                              "remove the tag; values are read as plain text, numbers, lists and mappings")
        self.located.values.setdefault(path, _mark(node))
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise self.refuse(key_node, "merge keys ('<<') are not supported", "write the keys out")
                key = key_text(self.build(key_node, path + ("<key>",), depth + 1))
                if key is None:
                    raise self.refuse(key_node, "mapping keys must be plain words", "quote the key")
                if key in result:
                    raise self.refuse(key_node, f"the key '{key}' appears twice in this mapping", "keep one of them")
                self.located.keys[path + (key,)] = _mark(key_node)
                result[key] = self.build(value_node, path + (key,), depth + 1)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        try:
            return scalar_value(node, self.scalar)
        except BadScalar as exc:
            raise self.refuse(node, exc.message, exc.hint) from None


class BadScalar(Exception):
    """A scalar whose (allowed) tag says number but whose text is not a usable one."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message, self.hint = message, hint


def scalar_value(node: yaml.ScalarNode, constructor: yaml.constructor.SafeConstructor) -> Any:
    """The value of a scalar whose tag is allowed: text and dates stay as written (the models parse
    dates), numbers must be finite. One rule, shared by the builder and the fast path (``yamlfast``)."""
    if node.tag in ("tag:yaml.org,2002:timestamp", STR_TAG):
        return str(node.value)  # keep dates as written; the models parse them
    try:
        value = constructor.construct_object(node, deep=False)
    except (ValueError, ArithmeticError, TypeError, LookupError):  # e.g. an int of 5,000 digits
        raise BadScalar(f"'{_short(node.value)}' cannot be read as a number", "quote it if it is text") from None
    if isinstance(value, float) and not math.isfinite(value):
        raise BadScalar(f"'{_short(node.value)}' is not a finite number", "give a number, or quote it if it is text")
    return value


def key_text(key: Any) -> str | None:
    """A mapping key as the text ddcheck uses: words and integers as written, booleans as
    'true'/'false'; None for a key that is none of these (null, a float, a list...)."""
    if not isinstance(key, (str, int, bool)) or key is None:
        return None
    return str(key).lower() if isinstance(key, bool) else str(key)


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "\u2026"


# What YAML accepts in a file (its "printable" set); anything else is named with its place.
_NOT_PRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")


def position(text: str, index: int) -> tuple[int, int]:
    """1-based (line, col) of a character index, counting lines as YAML does (\\n, \\r\\n, \\r)."""
    head = text[:index]
    line_start = max(head.rfind("\n"), head.rfind("\r")) + 1
    return len(re.findall(r"\r\n|\r|\n", head)) + 1, index - line_start + 1


def _clamped(text: str, line: int, col: int) -> tuple[int, int]:
    """A mark past the last non-blank line (libyaml's "end of stream") points at the end of that line instead."""
    lines = re.split(r"\r\n|\r|\n", text)
    while lines and not lines[-1].strip():  # trailing blank lines: the problem is before them
        lines.pop()
    if not lines:
        return 1, 1
    if line > len(lines):
        return len(lines), len(lines[-1]) + 1
    return line, col


class _LaterLocated(Located):
    """The fast reader's data now; the positions of the general reader (the judge of positions)
    only when something must be located, e.g. a validation error. A valid file then costs one read."""

    def __init__(self, file: str, data: Any, text: str):  # not the dataclass's: values and keys are properties
        self.file, self.data = file, data
        self._text = text
        self._positions: tuple[dict[Path_, tuple[int, int]], dict[Path_, tuple[int, int]]] | None = None

    @property  # type: ignore[override]
    def values(self) -> dict[Path_, tuple[int, int]]:
        return self._located()[0]

    @property  # type: ignore[override]
    def keys(self) -> dict[Path_, tuple[int, int]]:
        return self._located()[1]

    def _located(self) -> tuple[dict[Path_, tuple[int, int]], dict[Path_, tuple[int, int]]]:
        if self._positions is None:
            located = parse_yaml_general(self._text, self.file)
            self._positions = (located.values, located.keys)
        return self._positions


def parse_yaml(text: str, file: str) -> Located:
    """Parse one YAML document from text. A file that cannot be read at all raises BrokenInput
    (a ProblemsError that exits 2), located at the offending place.

    Files as ddcheck writes them are read by the fast reader (``yamlfast``: about 4x faster, for
    ``ddcheck portfolio``); whatever it is not sure of, it declines, and the general reader below
    reads (or refuses) the text as before."""
    bad = _NOT_PRINTABLE.search(text)
    if bad:
        char = bad.group()
        raise BrokenInput([Problem(file, *position(text, bad.start()),
                                   f"the control character U+{ord(char):04X} is not allowed in YAML",
                                   "remove it, or write it as an escape in a double-quoted string")])
    from .yamlfast import DECLINED, fast_data_printable  # here: yamlfast builds on this module

    data = fast_data_printable(text)
    if data is not DECLINED:
        return _LaterLocated(file, data, text)
    return parse_yaml_general(text, file)


def _compose(loader_class: Any, text: str) -> Any:
    loader = loader_class(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def parse_yaml_general(text: str, file: str) -> Located:
    """The general reader: any YAML, every node's position, located refusals (``parse_yaml`` has
    checked the characters first)."""
    located = Located(file=file, data=None)
    try:
        fast = _FastLoader is not None and _nesting_bound(text) <= C_COMPOSER_MAX_BOUND
        try:
            node = _compose(_FastLoader if fast else _Loader, text)
        except yaml.MarkedYAMLError as exc:
            if _CParser is None or "maximum nesting depth" not in str(exc.problem or ""):
                raise
            # libyaml (0.2.6 on) refuses nesting past 1,000 levels while it scans ahead, before our
            # composer has counted 64: PyYAML's own scanner has no such limit, so our composer says where.
            node = _compose(_PyLoader, text)
    except _Refused as exc:
        raise BrokenInput([Problem(file, *_clamped(text, exc.mark.line + 1, exc.mark.column + 1),
                                   exc.message, exc.hint)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = _clamped(text, mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = " ".join(str(exc.problem or "").split()) or "cannot be parsed"
        raise BrokenInput([Problem(file, line, col, f"YAML syntax error: {problem}",
                                   "check indentation and quoting around this place")]) from None
    except yaml.YAMLError as exc:  # a reader error the check above missed
        raise BrokenInput([Problem(file, 1, 1, "YAML error: " + " ".join(str(exc).split("\n")[0].split()),
                                   "save the file as UTF-8 text")]) from None
    if node is None:
        located.data = None
        return located
    located.data = _Builder(located).build(node, ())
    return located


def read_limited(path: Path, shown: str) -> bytes:
    """A regular file's bytes, at most ``MAX_FILE_BYTES`` (see ``ddcheck.files.read_regular``)."""
    return read_regular(path, shown, MAX_FILE_BYTES)


def decode_utf8(raw: bytes, shown: str, hint: str = "save it as UTF-8") -> str:
    """Text of a UTF-8 file (a BOM is allowed); the first bad byte's line and column are named."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        col = len(raw[line_start: exc.start].decode("utf-8", "replace")) + 1
        line = raw[: exc.start].count(b"\n") + 1
        raise BrokenInput([Problem(shown, line, col, "the file is not valid UTF-8", hint)]) from None


def read_yaml(path: Path, shown_as: str | None = None) -> Located:
    """Read a YAML file with size and encoding checks done before parsing."""
    shown = shown_as or str(path)
    return parse_yaml(decode_utf8(read_limited(path, shown), shown), shown)
