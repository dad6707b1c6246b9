"""What indexing a file costs (reading YAML, validating, scoring) is kept in SQLite beside the files.

Keyed by the SHA-256 of the file's *content* together with a context key (ddcheck's version, the
summary format and the fingerprint of every checklist in view): a file that changed, or the same file
scored with different checklists, is simply a different key, so a stale entry is never used. The
file's path is not part of the key, so moving or copying files costs nothing.

The cache is an optimisation and untrusted input (anyone who can write the folder can write it):
an entry that does not decode to the expected shape is ignored, and a folder we cannot write in
just runs without a cache. Entries not used by a run are pruned at its end, so the file stays the
size of the portfolio.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

CACHE_NAME = ".ddcheck-portfolio.sqlite"
SUMMARY_FORMAT = 1  # bump when the summary's shape changes


def context_key(version: str, fingerprints: dict[str, str]) -> str:
    text = json.dumps([version, SUMMARY_FORMAT, sorted(fingerprints.items())])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def content_key(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class SummaryCache:
    """One SQLite file in a portfolio folder; every failure degrades to "not cached"."""

    def __init__(self, folder: Path, context: str):
        self.path = folder / CACHE_NAME
        self.context = context
        self.used: set[str] = set()
        self.problem: str | None = None
        self.db: sqlite3.Connection | None = None
        try:
            self.db = sqlite3.connect(self.path, timeout=10)
            self.db.execute("CREATE TABLE IF NOT EXISTS summary (content TEXT NOT NULL, context TEXT NOT NULL, "
                            "data TEXT NOT NULL, PRIMARY KEY (content, context)) WITHOUT ROWID")
        except sqlite3.Error as exc:
            self._fail(exc)

    def _fail(self, exc: Exception) -> None:
        self.problem = f"{self.path}: cache not used ({exc})"
        if self.db is not None:
            self.db.close()
        self.db = None

    def get_many(self, keys: list[str]) -> dict[str, dict[str, Any]]:
        """The cached summaries of these content keys (those that are cached and well-formed)."""
        self.used.update(keys)
        if self.db is None or not keys:
            return {}
        found: dict[str, dict[str, Any]] = {}
        try:
            for start in range(0, len(keys), 500):
                chunk = keys[start:start + 500]
                rows = self.db.execute(
                    f"SELECT content, data FROM summary WHERE context = ? AND content IN "
                    f"({','.join('?' * len(chunk))})", [self.context, *chunk]).fetchall()
                for content, data in rows:
                    try:
                        value = json.loads(data)
                    except ValueError:
                        continue
                    if isinstance(value, dict) and value.get("kind") in ("assessment", "broken", "other"):
                        found[content] = value
        except sqlite3.Error as exc:
            self._fail(exc)
            return {}
        return found

    def put_many(self, items: dict[str, dict[str, Any]]) -> None:
        if self.db is None or not items:
            return
        try:
            with self.db:
                self.db.executemany("INSERT OR REPLACE INTO summary VALUES (?, ?, ?)",
                                    [(k, self.context, json.dumps(v, ensure_ascii=False)) for k, v in items.items()])
        except sqlite3.Error as exc:
            self._fail(exc)

    def close(self) -> None:
        """Prune what this run did not use, then close."""
        if self.db is None:
            return
        try:
            with self.db:
                self.db.execute("CREATE TEMP TABLE used (content TEXT PRIMARY KEY)")
                self.db.executemany("INSERT OR IGNORE INTO used VALUES (?)", [(k,) for k in self.used])
                self.db.execute("DELETE FROM summary WHERE context != ? OR content NOT IN (SELECT content FROM used)",
                                [self.context])
        except sqlite3.Error:
            pass
        self.db.close()
        self.db = None
