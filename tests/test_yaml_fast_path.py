"""libyaml's C composer is used only where it gives exactly what our bounded composer gives."""

from __future__ import annotations

import sys

import pytest

from conftest import ROOT
from ddcheck.checklists import yamlread
from ddcheck.errors import BrokenInput

sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import synthetic_yaml  # noqa: E402


def slow(text: str, monkeypatch) -> object:
    with monkeypatch.context() as m:
        m.setattr(yamlread, "_composed_in_c", lambda text, file: None)
        return outcome(text)


def outcome(text: str) -> object:
    try:
        located = yamlread.parse_yaml(text, "f.yaml")
    except BrokenInput as exc:
        return [str(p) for p in exc.problems]
    return located.data, located.values, located.keys


def corpus() -> list[str]:
    from ddcheck.checklists.library import load_library

    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob("*.yaml"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "checklists").glob("*.yaml"))]
    texts.append(synthetic_yaml(load_library(), ["xinjiang-supply-chain", "ungp-due-diligence"], notes=True))
    return texts


CASES = [
    "a: 1\nb: [x, {c: d}]\n",
    "a: 1\na: 2\n",                                   # duplicate key: the builder's message
    "a: [1, 2\n",                                      # syntax error
    "a: &anchor [1]\nb: *anchor\n",                    # aliases: our composer only
    "a: !!int 3\n",                                    # explicit tag: refused with its place
    "%YAML 1.2\n---\na: 1\n",                          # directive
    "a: yes\nb: true\nc: 2024-01-31\nd: 1e3\ne: .nan\n",
    "note: Lindqvist & Berg said *so*, 40% done!\n",   # & * ! % inside text go the fast way
    "[" * 63 + "]" * 63,                               # just within the depth limit
    "[" * 64 + "]" * 64,                               # at it: our composer's refusal, both ways
    "[" * 30_000,                                      # far beyond: never handed to C recursion
    "- - - - - a\n",
    "a:\n- b:\n  - c:\n    - d\n",
]


@pytest.mark.parametrize("text", CASES, ids=range(len(CASES)))
def test_every_case_reads_the_same_with_and_without_the_c_composer(text, monkeypatch):
    assert outcome(text) == slow(text, monkeypatch)


def test_real_files_read_the_same_and_go_the_fast_way(monkeypatch):
    for text in corpus():
        assert yamlread._composed_in_c(text, "f.yaml") is not None
        assert outcome(text) == slow(text, monkeypatch)


def test_the_nesting_bound_is_never_below_the_real_depth():
    for text, depth in (("- - - - - a\n", 5), ("a:\n- b:\n  - c:\n    - d\n", 6), ("[" * 40 + "]" * 40, 40),
                        ("a: {b: [c, {d: e}]}\n", 4)):
        assert yamlread._nesting_bound(text) >= depth
