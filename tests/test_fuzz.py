"""A bounded fuzz run in every test run (issue 15); ``scripts/fuzz.sh N`` runs a long one.

The cases are seeded, so a failure here reproduces with ``python tests/fuzzing.py 40``, which
also keeps the failing inputs in ``fuzz-findings/``.
"""

from __future__ import annotations

from fuzzing import main, run

CASES = 40  # about 15 s on a loaded 2-core machine


def test_mutated_inputs_never_crash_trace_hang_or_trick_the_terminal(tmp_path):
    summary = run(CASES, seed=15, jobs=2, keep=tmp_path / "findings")
    assert summary.tried == CASES
    report = "\n".join(f"case {f.index} [{' '.join(f.args)[:100]}] <- {'+'.join(f.mutations)}: {f.problem}\n{f.detail}"
                       for f in summary.findings)
    assert not summary.findings, report
    assert set(summary.exits) >= {"1", "2"}  # the mutations do reach the readers' error paths


def test_the_fuzzer_notices_a_broken_program(tmp_path, monkeypatch, capsys):
    """A check that cannot fail is no check: a program that prints a raw ESC must be caught."""
    import fuzzing

    case = fuzzing.Case(0, "status", ["status", "a.yaml"], "a.yaml", ["escape"], json_out=False)
    assert fuzzing.check(case, 0, "subject X\x1b[2J", "", "", 0.1, None, None)[0][0] == "raw control character on stdout"
    assert fuzzing.check(case, 1, "", "", "", 0.1, None, None)[0][0] == "exit 1"
    assert fuzzing.check(case, 2, "", "a.yaml: a.yaml: no such file\n", "", 0.1, None, None)[0][0] == "not located"
    assert fuzzing.check(case, 2, "", "", "Traceback (most recent call last):\nValueError", 0.1, None, None)[0][0] == "traceback"
    report = fuzzing.Case(0, "report", ["report", "a.yaml", "-o", "out.md"], "a.yaml", [], output="out.md")
    assert fuzzing.check(report, 2, "", "a.yaml:1:1: x\n", "", 0.1, None, b"half")[0][0] == "output changed on failure"
    score = fuzzing.Case(0, "score", ["score", "a.yaml", "--json"], "a.yaml", [], json_out=True)
    assert fuzzing.check(score, 0, '{"score": NaN}', "", "", 0.1, None, None)[0][0] == "invalid JSON"
