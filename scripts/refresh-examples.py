#!/usr/bin/env python3
"""Re-stamp the example assessments with the bundled checklists' current versions and fingerprints.

Run after changing a checklist that an example answers, so that ``ddcheck demo`` reports show
"unchanged since answered" on their audit page (tests/test_demo.py checks this):

    .venv/bin/python scripts/refresh-examples.py

Only the ``checklists:`` block of each examples/*.yaml is rewritten; the header comment (which
says the companies are fictional) and the answers are kept as written.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from ddcheck.checklists.library import load_library, question_fingerprints
from ddcheck.resources import bundled


def refreshed(text: str, library) -> str:
    data = yaml.safe_load(text)
    refs = []
    for ref in data["checklists"]:
        lc = library.get(ref["id"])
        refs.append({"id": ref["id"], "version": lc.checklist.version, "fingerprint": lc.fingerprint,
                     "questions": question_fingerprints(lc.checklist)})
    block = yaml.safe_dump({"checklists": refs}, sort_keys=False, allow_unicode=True, width=100)
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("checklists:"))
    end = next(i for i in range(start + 1, len(lines)) if lines[i][:1] not in (" ", "-", "\n", "#"))
    return "".join(lines[:start]) + block + "".join(lines[end:])


def main() -> int:
    library = load_library()
    for path in sorted(bundled("examples").glob("*.yaml")):
        before = path.read_text(encoding="utf-8")
        after = refreshed(before, library)
        if after != before:
            path.write_text(after, encoding="utf-8")
            print(f"refreshed {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
