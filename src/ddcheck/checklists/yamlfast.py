"""A fast reader for the YAML that ddcheck itself writes; it declines everything else.

Why: ``ddcheck portfolio DIR`` summarises a thousand assessment files cold in about 4.5 ms of CPU
per file for everything, and the general reader (``yamlread``: libyaml composing nodes, then our
builder recording every node's place) spends ~4 ms of that on a 41 KiB file. The files
``answers.assessment.dump_assessment`` writes use a small, regular part of YAML: block mappings
with plain keys, PyYAML's indentless sequences (``- key: value`` items), ``{}`` and ``[]``, plain,
single- and double-quoted scalars, folded past width 100. This module reads that part line by line.

The contract: for every text, ``fast_data(text)`` returns either ``DECLINED`` or exactly what
``yamlread.parse_yaml(text, ...).data`` returns (same types, values and key order); where the
general reader would refuse the text, it declines. Declining is always safe: the caller then runs
the general reader, which stays the only judge of errors and of positions (``parse_yaml`` asks it
for positions only when something must be located). So whatever is unusual (anchors, aliases,
tags, block scalars, flow collections with content, comments after the header, blank lines, tabs,
odd indentation, keys that are not plain words) is declined, never interpreted. Scalars are typed
by yamlread's own rules (its resolver, ``scalar_value`` and ``key_text``), not re-implemented.
Every step scans a line a bounded number of times: time is linear in the text (it is untrusted).
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.scanner import Scanner

from .yamlread import _NOT_PRINTABLE, _PLAIN_TAGS, MAX_DEPTH, MAX_NODES, BadScalar, _Resolver, key_text, scalar_value


class _Declined:
    """The fast reader is not sure; use the general one."""

    def __repr__(self) -> str:
        return "DECLINED"


DECLINED: Any = _Declined()


class _Decline(Exception):
    """Raised anywhere inside the reader; ``fast_data`` turns it into ``DECLINED``."""


# Declined at once wherever they are: tabs (indentation and folding rules get subtle), the line
# breaks YAML 1.1 knows besides \n (CR, NEL, LS, PS) and a byte-order mark.
_DECLINED_ANYWHERE = ("\t", "\r", "\x85", "\u2028", "\u2029", "\ufeff")

# Every line, split by one regex call over the whole text (findall: no Python work per line) into
# (indentation, '- ' of a sequence entry, key, value). A key is a plain word (ddcheck's ids and
# field names) or a one-line single-quoted text (how the writer protects 'no' or '12345678'), at
# most 128 characters like the writer's simple keys (YAML's end at 1024), then ':' and either a
# one-line single-quoted value, '[]' or '{}' (common forms, recognised here for speed), or any other
# value, or nothing (a nested block follows). A line that is no key line leaves its text after the
# indentation and dash in the last group. Groups hold quotes so that matched is never empty.
# Possessive repetitions and disjoint alternatives: time linear in the line.
_ROW = re.compile(r"^( *)(- )?(?:"
                  r"(?:([A-Za-z0-9_][A-Za-z0-9_./-]{0,127})|('(?:[^'\n]|''){0,126}+')):"
                  r"(?: ('(?:[^'\n]++|'')*+')$| (\[\]|\{\})$| (.+))?$"
                  r"|(.*))", re.M)
_Row = tuple[str, str, str, str, str, str, str, str]  # indent, dash, plain key, 'key', 'value', [] {}, value, other

# Characters that cannot start a plain scalar (YAML's indicators) and a space; '-', '?' and ':'
# can when a non-space follows.
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@` ")

_DQ_RUN = re.compile(r'[^"\\]*')
_HEX = re.compile(r"[0-9A-Fa-f]+")
# PyYAML's escapes, less '\/' (libyaml before 0.2.5 does not know it) and an escaped tab (declined).
_SIMPLE_ESCAPES = {k: v for k, v in Scanner.ESCAPE_REPLACEMENTS.items() if k not in ("/", "\t")}
_CODE_ESCAPES = dict(Scanner.ESCAPE_CODES)

_MAX_NESTING = MAX_DEPTH // 2  # collections inside collections; the builder counts twice as deep
# A line starts at most 4 nodes ('- key: value' opening a sequence), so texts of up to this many lines
# stay below the builder's node limit without counting.
_MAX_LINES = MAX_NODES // 4
_MAX_INDENT = 120  # columns of indentation (the writer indents 2 per level)
_PADS = [" " * n for n in range(_MAX_INDENT + 4)]  # _PADS[n]: the indentation a continuation line needs

# yamlread's resolver decides what a plain scalar is. Most texts cannot be anything but text: their
# first character has no resolver, or none of its resolvers' patterns (joined into one) matches.
_IMPLICIT = _Resolver.yaml_implicit_resolvers
_MAYBE_TYPED = {first: re.compile("|".join(("(?x:%s)" if regexp.flags & re.VERBOSE else "(?:%s)") % regexp.pattern
                                           for _tag, regexp in resolvers))
                for first, resolvers in _IMPLICIT.items() if first and resolvers}
_USABLE = None not in _IMPLICIT  # a resolver for every text would defeat the shortcut: then decline all
_RESOLVER = _Resolver()


def fast_data(text: str) -> Any:
    """``parse_yaml(text, ...).data`` for the YAML ddcheck writes, or ``DECLINED``. Never raises."""
    if _NOT_PRINTABLE.search(text):
        return DECLINED
    return fast_data_printable(text)


def fast_data_printable(text: str) -> Any:
    """``fast_data`` for a text already checked for characters YAML does not allow (``parse_yaml``
    checks them first, with a located message)."""
    if not _USABLE or any(char in text for char in _DECLINED_ANYWHERE):
        return DECLINED
    try:
        return _Reader(text).document()
    except Exception:  # _Decline, or a bug here: it must never cost the user more than speed
        return DECLINED


class _Reader:
    """Reads one document: recursive descent over the rows, one method per kind of node."""

    def __init__(self, text: str):
        self.lines = text.split("\n")
        self.rows: list[_Row] = _ROW.findall(text)
        if text.endswith("\n"):  # the final line break ends the last line; it starts none
            self.lines.pop()
            self.rows.pop()
        self.n = len(self.lines)
        if len(self.rows) != self.n or self.n > _MAX_LINES:
            raise _Decline

    def document(self) -> Any:
        lines, i = self.lines, 0
        while i < self.n and lines[i].startswith("#"):  # the writer's header comment
            i += 1
        if i == self.n or self.rows[i][0]:
            raise _Decline
        value, i = self.sequence(i, 0, 1) if self.rows[i][1] else self.mapping(i, 0, 1)
        if i != self.n:
            raise _Decline
        return value

    def mapping(self, i: int, k: int, depth: int) -> tuple[dict[str, Any], int]:
        """A block mapping whose keys stand at column ``k`` from row ``i`` on (row i may hold the
        '- ' of a sequence entry before its first key). The hot loop of the reader."""
        if depth > _MAX_NESTING:
            raise _Decline
        rows, n, keys = self.rows, self.n, _KEYS
        indicators, maybe_typed = _INDICATORS, _MAYBE_TYPED.get
        result: dict[str, Any] = {}
        row = rows[i]
        while True:
            _indent, _dash, plain, quoted, single, empty, rest, _other = row
            if plain:
                key = keys.get(plain)
                if key is None:
                    key = _plain_key(plain)
            elif quoted:
                key = quoted[1:-1].replace("''", "'")
            else:  # neither a key at column k nor the end of this mapping
                raise _Decline
            if key in result:
                raise _Decline
            # The common cases, inlined. First one line of plain text: no indicator first, no ': ' or
            # ' #' inside, no ':' or ' ' last, and no deeper line after it (scalar() folds those).
            if rest and rest[0] not in indicators and ": " not in rest and " #" not in rest \
                    and rest[-1] not in ": " and (i + 1 == n or len(rows[i + 1][0]) <= k):
                maybe = maybe_typed(rest[0])
                value = rest if maybe is None or maybe.match(rest) is None else _typed(rest)
                i += 1
            elif single:
                value = single[1:-1].replace("''", "'")
                i += 1
            elif empty:
                value = [] if empty == "[]" else {}
                i += 1
            elif rest:
                value, i = self.scalar(rest, i, k)
            else:
                value, i = self.nested(i + 1, k, depth + 1)
            result[key] = value
            if i == n:
                break
            row = rows[i]
            if len(row[0]) != k or row[1]:
                if len(row[0]) < k:
                    break  # the mapping ends
                raise _Decline  # deeper, or a '- ' among the keys
        return result, i

    def sequence(self, i: int, d: int, depth: int) -> tuple[list[Any], int]:
        """A block sequence whose '- ' stand at column ``d`` from row ``i`` on."""
        if depth > _MAX_NESTING:
            raise _Decline
        rows, n = self.rows, self.n
        result: list[Any] = []
        row = rows[i]
        while True:
            if row[2] or row[3]:  # '- key: ...': a mapping whose keys stand at d + 2
                value, i = self.mapping(i, d + 2, depth + 1)
            else:
                value, i = self.scalar(row[7], i, d)
            result.append(value)
            if i == n:
                break
            row = rows[i]
            if len(row[0]) != d or not row[1]:
                if len(row[0]) > d:
                    raise _Decline  # more indented than the entries, yet not part of one
                break  # the parent mapping's next key (an indentless sequence), or not ours to judge
        return result, i

    def nested(self, i: int, k: int, depth: int) -> tuple[Any, int]:
        """The value of ``key:`` at column ``k``, from row ``i`` on: a deeper mapping, or a sequence
        at least as deep (PyYAML writes it at the key's own column)."""
        if i == self.n:
            raise _Decline  # 'key:' alone is null; the writer writes 'null'
        row = self.rows[i]
        indent = len(row[0])
        if indent > _MAX_INDENT:
            raise _Decline
        if row[1]:
            if indent < k:
                raise _Decline
            return self.sequence(i, indent, depth)
        if indent <= k:
            raise _Decline  # 'key:' alone is null
        return self.mapping(i, indent, depth)

    def scalar(self, text: str, i: int, k: int) -> tuple[Any, int]:
        """A scalar (or ``{}``/``[]``) starting with ``text`` on line ``i``; continuation lines must
        be indented deeper than column ``k``. Returns it and the next line's index."""
        if not text:
            raise _Decline
        first = text[0]
        if first == "'":
            return self.single_quoted(text, i, k)
        if first == '"':
            return self.double_quoted(text, i, k)
        if first in _INDICATORS:
            if text == "{}":
                return {}, i + 1
            if text == "[]":
                return [], i + 1
            if first not in "-?:" or len(text) < 2 or text[1] == " " or text.startswith("---"):
                raise _Decline
        if ": " in text or " #" in text or text[-1] in ": ":
            raise _Decline
        i += 1
        if i < self.n and len(self.rows[i][0]) > k:  # a plain scalar folded over several lines
            parts = [text]
            while i < self.n and len(self.rows[i][0]) > k:
                part = self.lines[i].lstrip(" ")
                if not part or part[0] == "#" or ": " in part or " #" in part or part[-1] in ": ":
                    raise _Decline
                parts.append(part)
                i += 1
            text = " ".join(parts)  # a single line break folds into a space
        return _plain(text), i

    def continuation(self, i: int, k: int) -> tuple[str, int, int]:
        """The next line of a quoted scalar from line ``i``: (that line, the index after it, how many
        empty lines came before it). It must be indented deeper than column ``k``."""
        lines, n = self.lines, self.n
        empty = 0
        while True:
            if i >= n:
                raise _Decline  # no closing quote
            line = lines[i]
            i += 1
            if line:
                break
            empty += 1
        if not line.startswith(_PADS[k + 1]) or not line.strip(" "):
            raise _Decline
        return line, i, empty

    def single_quoted(self, text: str, i: int, k: int) -> tuple[str, int]:
        end = _closing_quote(text, 1)
        if end >= 0:
            if end != len(text) - 1:
                raise _Decline  # something after the closing quote
            return text[1:end].replace("''", "'"), i + 1
        # Folded over lines: trailing and leading spaces go, a line break becomes a space, and each
        # empty line a line break. Pieces never end in a lone quote, so joining makes no new ''.
        chunks = [text[1:].rstrip(" ")]
        i += 1
        while True:
            line, i, empty = self.continuation(i, k)
            part = line.lstrip(" ")
            chunks.append("\n" * empty if empty else " ")
            end = _closing_quote(part, 0)
            if end >= 0:
                if end != len(part) - 1:
                    raise _Decline
                chunks.append(part[:end])
                return "".join(chunks).replace("''", "'"), i
            chunks.append(part.rstrip(" "))

    def double_quoted(self, text: str, i: int, k: int) -> tuple[str, int]:
        """PyYAML's and libyaml's double-quoted rules: escapes, and folding as for single quotes
        except that an escaped line break joins the lines with nothing."""
        if "\\" not in text and text.find('"', 1) == len(text) - 1:
            return text[1:-1], i + 1
        chunks: list[str] = []
        line, pos, i = text, 1, i + 1
        while True:
            run_end = _DQ_RUN.match(line, pos).end()  # type: ignore[union-attr]  # [^"\\]* always matches
            if run_end == len(line):  # a line break
                chunks.append(line[pos:].rstrip(" "))
                line, i, empty = self.continuation(i, k)
                chunks.append("\n" * empty if empty else " ")
                pos = len(line) - len(line.lstrip(" "))
                continue
            chunks.append(line[pos:run_end])
            pos = run_end + 1
            if line[run_end] == '"':
                if pos != len(line):
                    raise _Decline
                return "".join(chunks), i
            if pos == len(line):  # an escaped line break
                line, i, empty = self.continuation(i, k)
                chunks.append("\n" * empty)
                pos = len(line) - len(line.lstrip(" "))
                continue
            char = line[pos]
            if char in _SIMPLE_ESCAPES:
                chunks.append(_SIMPLE_ESCAPES[char])
                pos += 1
            elif char in _CODE_ESCAPES:
                digits = line[pos + 1: pos + 1 + _CODE_ESCAPES[char]]
                if len(digits) != _CODE_ESCAPES[char] or not _HEX.fullmatch(digits):
                    raise _Decline
                code = int(digits, 16)
                if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
                    raise _Decline  # libyaml refuses them
                chunks.append(chr(code))
                pos += 1 + len(digits)
            else:
                raise _Decline


def _plain(text: str) -> Any:
    """A plain scalar's value (the reader inlines this for one-line values)."""
    maybe = _MAYBE_TYPED.get(text[0])
    return text if maybe is None or maybe.match(text) is None else _typed(text)


def _typed(text: str) -> Any:
    """What a plain scalar that may not be text reads as, by yamlread's resolver and ``scalar_value``."""
    tag = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))
    if tag not in _PLAIN_TAGS:
        raise _Decline  # a merge key, '=', a YAML tag...: the general reader refuses them
    try:  # a constructor per scalar: it remembers every node it built
        return scalar_value(yaml.ScalarNode(tag, text), yaml.constructor.SafeConstructor())
    except BadScalar:
        raise _Decline from None


# Plain keys read so far: the same ids and field names come back in every answer and every file.
_KEYS: dict[str, str] = {}


def _plain_key(text: str) -> str:
    """A plain key as the builder keeps it (remembered in ``_KEYS``, which stays small)."""
    key = key_text(_plain(text))
    if key is None:
        raise _Decline  # null or a float: the builder refuses it
    if len(_KEYS) >= 10_000:  # many distinct keys (not files ddcheck wrote): start again
        _KEYS.clear()
    _KEYS[text] = key
    return key


def _closing_quote(text: str, start: int) -> int:
    """Index of the single quote that closes a single-quoted scalar ('' is a quote inside), or -1."""
    end = text.find("'", start)
    while end >= 0 and text.startswith("'", end + 1):
        end = text.find("'", end + 2)
    return end
