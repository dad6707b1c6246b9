"""The one sanitiser for text that reaches a terminal, and the one JSON writer.

Answers, cover fields, checklist text and file names are untrusted. Printed raw, an ESC or CSI
(``\\x1b[2J``, the one-byte C1 ``\\x9b``), an OSC (``\\x1b]0;title\\x07``, OSC 8 hidden links), a
BEL, a carriage return or a bidirectional override (U+202E) can clear the screen, retitle the
window, hide a link or make text read backwards. ``visible`` shows each such character as an
escape (``\\x1b``, ``\\u202e``) so it is seen and never acted on; newlines and tabs stay.

JSON escapes C0 controls by itself; ``dumps_json`` also escapes DEL, C1 and the bidi controls
(``json.dumps(ensure_ascii=True)`` would do it too, but would also turn every Chinese or Uyghur
answer into ``\\uXXXX``), and refuses NaN/Infinity, which are not JSON.
"""

from __future__ import annotations

import json
import os
import re
import sys
import unicodedata
from typing import Any, TextIO

from .errors import InputError

# C0 except tab and newline; DEL and C1; the bidi marks, embeddings, overrides and isolates; the
# Unicode line and paragraph separators (which some terminals and editors treat as newlines).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# The same, plus tab and newline, for JSON text (where a raw one can only sit inside a string).
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: object) -> str:
    """``text`` with every control character shown as an escape instead of sent."""
    return _CONTROL.sub(lambda m: _escape(m.group()), str(text))


def dumps_json(data: Any, indent: int | None = 2) -> str:
    """JSON text that is safe on a terminal: readable non-ASCII, escaped controls, no NaN."""
    try:
        text = json.dumps(data, indent=indent, ensure_ascii=False, allow_nan=False, default=str)
    except ValueError as exc:  # a NaN or infinity slipped past the readers
        raise InputError(f"cannot write JSON: {exc}") from None
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def columns(stream: TextIO | None = None) -> int | None:
    """The width of the terminal that output goes to (``COLUMNS`` wins), or None when it goes to a
    pipe or a file: tables then keep every column, for whoever reads them (scripts: ``--json``)."""
    env = os.environ.get("COLUMNS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    stream = stream or sys.stdout
    try:
        return os.get_terminal_size(stream.fileno()).columns if stream.isatty() else None
    except (OSError, ValueError, AttributeError):  # no file descriptor (a test's captured output)
        return None


def cells(text: str) -> int:
    """How many terminal columns ``text`` takes: Chinese, Japanese and Korean characters take two,
    combining marks none."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def cut(text: str, width: int) -> str:
    """``text`` on one line (each run of whitespace one space), at most ``width`` terminal columns:
    cut short with "…" when longer."""
    text = " ".join(text.split())
    if cells(text) <= width:
        return text
    kept, used = [], 0
    for char in text:
        used += cells(char)
        if used > width - 1:
            break
        kept.append(char)
    return "".join(kept).rstrip() + "\u2026"


def fit(text: str, width: int) -> str:
    """:func:`cut`, then padded with spaces to exactly ``width`` terminal columns (a table's cell)."""
    text = cut(text, width)
    return text + " " * (width - cells(text))
