"""A seeded mutation fuzzer over ddcheck's inputs, driving the real CLI (issue 15).

Bases: the bundled checklists, the example assessments, and generated CSV / YAML answer files.
Mutations: byte flips, truncation, deep nesting, tags, anchors and alias bombs, merge keys,
BOM / NUL / CR / RTL / ESC characters, huge fields, wrong types, naive dates, non-finite numbers.
Each case runs one command in a worker process (in-process through Typer's runner, so thousands
of cases are cheap); a worker killed by a signal is noticed by the parent, which records the case
and starts a new worker. Every case must hold to:

- the exit code is one the README documents for that command;
- no traceback, no signal, no hang (a time bound per case);
- every line of stderr that names the input file is located (``FILE:LINE:COL: ...``);
- no control character reaches stdout or stderr raw; ``--json`` output parses (no NaN);
- on failure, no output file is created and an existing one is left byte for byte.

Run ``scripts/fuzz.sh N`` for a long run; the test suite runs a bounded number of cases.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKLISTS = sorted(p for p in (ROOT / "checklists").glob("*.yaml") if p.name != "sources.yaml")
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
CASE_SECONDS = 10  # CPU seconds per case (wall time means little on a loaded machine); the slowest take ~2
HANG_SECONDS = 120  # wall seconds without an answer: a hang
RAW_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
EXITS = {"validate": {0, 1}, "status": {0, 2}, "score": {0, 2}, "report": {0, 2}, "import": {0, 1, 2},
         "folder": {0, 2}}


# ----------------------------------------------------------------------------- mutations

def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True) or [""]


def _pick_line(rng: random.Random, text: str) -> tuple[list[str], int]:
    lines = _lines(text)
    return lines, rng.randrange(len(lines))


def _value_slot(rng: random.Random, text: str, new: str) -> str:
    """Replace the value after one 'key: ' (or one CSV field) with ``new``."""
    lines, i = _pick_line(rng, text)
    line = lines[i]
    if ": " in line:
        head = line.split(": ", 1)[0]
        lines[i] = f"{head}: {new}\n"
    elif "," in line:
        parts = line.rstrip("\n").split(",")
        parts[rng.randrange(len(parts))] = new
        lines[i] = ",".join(parts) + "\n"
    else:
        lines[i] = new + "\n"
    return "".join(lines)


def _insert(rng: random.Random, text: str, piece: str) -> str:
    at = rng.randrange(len(text) + 1)
    return text[:at] + piece + text[at:]


def _flip_bytes(rng: random.Random, data: bytes) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if buf:
            buf[rng.randrange(len(buf))] = rng.randrange(256)
    return bytes(buf)


TEXT_MUTATIONS = {
    "deep-flow": lambda r, t: (r.choice([_insert, _value_slot]))(r, t, r.choice(["[", "{a: ", "[{"]) * r.choice([70, 300, 25_000])),
    "deep-block": lambda r, t: _value_slot(r, t, "\n" + "".join(" " * (k + 1) + f"k{k}:\n" for k in range(80))),
    "deep-dash": lambda r, t: _value_slot(r, t, "- " * r.choice([70, 5_000])),
    "tag": lambda r, t: _value_slot(r, t, r.choice(["!!int abc", "!!float text", "!!bool maybe", "!!null x",
                                                    "!!python/object/apply:os.system ['true']", "!x 1",
                                                    "!!binary aGk=", "!!set {a, b}", "!!omap [a: 1]",
                                                    "!!timestamp nope", "!!str 12", "!!map [a]"])),
    "anchor": lambda r, t: _value_slot(r, t, r.choice(["&a [1, *a]", "*nope", "&x {a: 1}"])),
    "alias-bomb": lambda r, t: "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{chr(98 + k)}: &{chr(98 + k)} [" + ",".join([f"*{chr(97 + k)}"] * 9) + "]\n" for k in range(7)) + t,
    "merge": lambda r, t: _value_slot(r, t, "{<<: {a: 1}, b: 2}"),
    "bom": lambda r, t: r.choice(["\ufeff" + t, _insert(r, t, "\ufeff")]),
    "nul": lambda r, t: _insert(r, t, "\x00"),
    "cr": lambda r, t: t.replace("\n", r.choice(["\r", "\r\n"])),
    "rtl": lambda r, t: _insert(r, t, "\u202e"),
    "escape": lambda r, t: _value_slot(r, t, r.choice(['"X\\e[2J\\e]0;PWNED\\a"', '"\\x9b31m"',
                                                       '"\\e]8;;https://evil.example\\e\\\\x\\e]8;;\\e\\\\"',
                                                       '"a\\u202eb"', '"\\x7f\\x85\\u2028"'])),
    "raw-escape": lambda r, t: _insert(r, t, "\x1b[2J"),
    "huge": lambda r, t: _value_slot(r, t, '"' + "x" * r.choice([501, 20_001, 300_000]) + '"'),
    "wrong-type": lambda r, t: _value_slot(r, t, r.choice(["[1, 2]", "{a: b}", "12", "true", "null", "~", "-1e400",
                                                           "[[1]]", "''", "1" * 5000])),
    "nonfinite": lambda r, t: _value_slot(r, t, r.choice([".nan", ".inf", "-.inf", ".NaN"])),
    "naive-date": lambda r, t: re.sub(r"(T\d\d:\d\d:\d\d)(Z|\+00:00)", r"\1", t),
    "bad-date": lambda r, t: re.sub(r"\d{4}-\d\d-\d\d", r.choice(["2024-13-45", "0000-00-00", "99999-01-01"]), t, 1),
    "dup-key": lambda r, t: (lambda ls, i: "".join(ls[: i + 1] + [ls[i]] + ls[i + 1:]))(*_pick_line(r, t)),
    "truncate": lambda r, t: t[: r.randrange(len(t) + 1)],
    "drop-line": lambda r, t: (lambda ls, i: "".join(ls[:i] + ls[i + 1:]))(*_pick_line(r, t)),
    "indent": lambda r, t: (lambda ls, i: "".join(ls[:i] + [" " * r.randint(1, 5) + ls[i]] + ls[i + 1:]))(*_pick_line(r, t)),
    "unicode-sep": lambda r, t: _insert(r, t, r.choice(["\u2028", "\u2029", "\x85"])),
    "many-keys": lambda r, t: t + "".join(f"zz{k}: 1\n" for k in range(r.choice([150, 20_000]))),
    "quote-break": lambda r, t: _insert(r, t, r.choice(['"', "'", "{", "]", ",", ";", "#", ": ", "- ", "\t"])),
}


def mutate(rng: random.Random, data: bytes) -> tuple[bytes, list[str]]:
    """One to three mutations of ``data``; their names, to reproduce and report."""
    names = []
    for _ in range(rng.randint(1, 3)):
        if rng.random() < 0.12:
            data, name = _flip_bytes(rng, data), "byte-flip"
        else:
            name = rng.choice(sorted(TEXT_MUTATIONS))
            data = TEXT_MUTATIONS[name](rng, data.decode("utf-8", "replace")).encode("utf-8", "surrogatepass")
        names.append(name)
    return data, names


def answer_file(rng: random.Random, kind: str) -> bytes:
    """A valid CSV or YAML answers file for the bundled checklists, to be mutated."""
    rows = [("ungp-due-diligence", "policy-commitment", "partial", "Draft only", "policy.pdf; https://example.org/x"),
            ("xinjiang-supply-chain", "sources-from-china", "yes", "", ""),
            ("ungp-due-diligence", "grievance-mechanism", "unknown", "Asked HR", "")]
    rows = rng.sample(rows, rng.randint(1, len(rows)))
    if kind == "csv":
        sep = rng.choice([",", ";"])
        head = "# exported\n" if rng.random() < 0.3 else ""
        return (head + sep.join(["checklist", "question", "value", "note", "evidence"]) + "\n" +
                "".join(sep.join(f'"{c}"' if sep in c else c for c in row) + "\n" for row in rows)).encode()
    return "".join(f"- {{checklist: {c}, question: {q}, value: {v!r}, note: {n!r}, evidence: {e!r}}}\n"
                   for c, q, v, n, e in rows).encode()


# ----------------------------------------------------------------------------- cases


@dataclass
class Case:
    index: int
    target: str  # validate | status | score | report | import | folder
    args: list[str]
    file: str  # the mutated input's name, as the command shows it
    mutations: list[str]
    output: str | None = None  # an output file that must not appear or change on failure
    json_out: bool = False


@dataclass
class Finding:
    index: int
    target: str
    args: list[str]
    mutations: list[str]
    problem: str
    detail: str = ""
    input_copy: str = ""


def make_case(index: int, seed: int, folder: Path) -> Case:
    """Write case ``index``'s input files into ``folder`` (its own) and say what to run."""
    rng = random.Random(f"{seed}:{index}")
    folder.mkdir(parents=True, exist_ok=True)
    target = rng.choice(["validate", "status", "score", "report", "import", "import", "folder"])
    if target in ("validate", "folder"):
        base = rng.choice(CHECKLISTS)
    elif target == "import":
        base = None
    else:
        base = rng.choice(EXAMPLES)
    if base is None:
        kind = rng.choice(["csv", "yaml"])
        data, names = mutate(rng, answer_file(rng, kind))
        name = f"answers.{kind}"
    else:
        data, names = mutate(rng, base.read_bytes())
        name = base.name if target != "folder" else "lists/" + base.name
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    if target == "validate":
        return Case(index, target, ["checklists", "validate", name], name, names)
    if target == "folder":
        shutil.copy(rng.choice(EXAMPLES), folder / "a.yaml")
        command = rng.choice([["status", "a.yaml"], ["score", "a.yaml", "--json"], ["checklists", "list"]])
        return Case(index, target, ["--checklists", "lists", *command], name, names, json_out="--json" in command)
    if target == "status":
        json_out = rng.random() < 0.5
        return Case(index, target, ["status", name] + (["--json"] if json_out else []), name, names, json_out=json_out)
    if target == "score":
        json_out = rng.random() < 0.5
        return Case(index, target, ["score", name] + (["--json"] if json_out else []), name, names, json_out=json_out)
    if target == "report":
        fmt = rng.choice(["json", "md"])
        if rng.random() < 0.5:
            return Case(index, target, ["report", name, "-f", fmt, "-o", "-"], name, names, json_out=fmt == "json")
        return Case(index, target, ["report", name, "-o", f"out.{fmt}"], name, names, output=f"out.{fmt}")
    existing = rng.random() < 0.5
    if existing:
        shutil.copy(rng.choice(EXAMPLES), folder / "out.yaml")
        return Case(index, target, ["answers", "import", name, "-o", "out.yaml"], name, names, output="out.yaml")
    return Case(index, target, ["answers", "import", name, "-o", "out.yaml", "--organisation", "Acme",
                                "--subject", "Supplier", "--assessor", "J"], name, names, output="out.yaml")


_LOCATED = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): ")
_SUMMARIES = re.compile(r"^(\d+ problem\(s\)( found)?[;,.].*|error: \d+ problem\(s\); nothing was imported\.)$")


def check(case: Case, code: int, stdout: str, stderr: str, traceback: str, seconds: float,
          before: bytes | None, after: bytes | None) -> list[tuple[str, str]]:
    """What is wrong with one run: (problem, detail) pairs; empty when all is well."""
    found = []
    if traceback or "Traceback (most recent call last)" in stdout + stderr:
        found.append(("traceback", (traceback or stderr)[-1500:]))
    if code not in EXITS[case.target]:
        found.append((f"exit {code}", stderr[-800:]))
    if seconds > CASE_SECONDS:
        found.append(("slow", f"{seconds:.1f} s of CPU"))
    for stream, text in (("stdout", stdout), ("stderr", stderr)):
        raw = RAW_CONTROLS.search(text)
        if raw:
            found.append((f"raw control character on {stream}", f"U+{ord(raw.group()):04X} in {text[max(0, raw.start() - 60): raw.start() + 20]!r}"))
    for line in stderr.splitlines():
        names_input = line.startswith(case.file) or line.startswith("error: " + case.file)
        if names_input and not _LOCATED.match(line):
            found.append(("not located", line[:300]))
    if case.json_out and code == 0:
        try:
            json.loads(stdout, parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))
        except ValueError as exc:
            found.append(("invalid JSON", str(exc)[:300]))
    if case.output is not None and code != 0 and before != after:
        found.append(("output changed on failure", f"{case.output}: {'created' if before is None else 'modified'}"))
    return found


# ----------------------------------------------------------------------------- worker


class _Timeout(Exception):
    pass


def _alarm(signum, frame):  # pragma: no cover - only on a hang
    raise _Timeout()


def worker(cases_file: Path, results_file: Path, progress_file: Path) -> None:
    """Run cases in this process; write a result line per case; note each case before it starts."""
    from typer.testing import CliRunner

    from ddcheck.cli import app

    signal.signal(signal.SIGALRM, _alarm)
    runner = CliRunner()
    home = os.getcwd()
    with open(results_file, "a", encoding="utf-8") as results, open(progress_file, "a", encoding="utf-8") as progress:
        for line in cases_file.read_text(encoding="utf-8").splitlines():
            raw = json.loads(line)
            case, folder = Case(**raw["case"]), Path(raw["folder"])
            progress.write(f"{case.index}\n")
            progress.flush()
            os.chdir(folder)
            before = (folder / case.output).read_bytes() if case.output and (folder / case.output).exists() else None
            started = time.process_time()
            signal.alarm(HANG_SECONDS)
            traceback = ""
            try:
                result = runner.invoke(app, case.args, catch_exceptions=True, env={"DDCHECK_CHECKLISTS": ""})
                code, stdout, stderr = result.exit_code, result.stdout, result.stderr
                if result.exception is not None and not isinstance(result.exception, SystemExit):
                    import traceback as tb

                    traceback = "".join(tb.format_exception(result.exception))
            except _Timeout:
                code, stdout, stderr = -1, "", "hang"
            finally:
                signal.alarm(0)
            seconds = time.process_time() - started
            after = (folder / case.output).read_bytes() if case.output and (folder / case.output).exists() else None
            os.chdir(home)
            problems = check(case, code, stdout, stderr, traceback, seconds, before, after)
            if code == -1:
                problems.append(("hang", f"no answer in {HANG_SECONDS} s"))
            results.write(json.dumps({"index": case.index, "seconds": round(seconds, 3), "exit": code,
                                      "problems": problems}) + "\n")
            results.flush()


# ----------------------------------------------------------------------------- parent


@dataclass
class Summary:
    tried: int = 0
    seconds: float = 0.0
    exits: dict[str, int] = field(default_factory=dict)
    mutations: dict[str, int] = field(default_factory=dict)
    slowest: float = 0.0
    findings: list[Finding] = field(default_factory=list)


def run(count: int, seed: int = 15, jobs: int = 1, keep: Path | None = None, start: int = 0) -> Summary:
    """Fuzz ``count`` cases (``start``..), ``jobs`` workers at a time; findings keep a copy of their input."""
    summary = Summary()
    work = Path(tempfile.mkdtemp(prefix="ddcheck-fuzz-"))
    began = time.perf_counter()
    try:
        cases = {}
        for i in range(start, start + count):
            folder = work / f"case{i}"
            cases[i] = (make_case(i, seed, folder), folder)
        chunks = [list(cases)[j::jobs] for j in range(jobs)]
        pending = [(chunk, None) for chunk in chunks if chunk]
        running = []
        while pending or running:
            while pending and len(running) < jobs:
                chunk, _ = pending.pop()
                running.append(_start_worker(work, chunk, cases))
            for entry in list(running):
                proc, chunk, results_file, progress_file, started = entry
                if proc.poll() is None:
                    continue
                running.remove(entry)
                done = _collect(results_file, cases, summary, keep)
                if proc.returncode != 0:  # killed by a signal (or crashed): blame the case it was on
                    begun = [int(x) for x in progress_file.read_text().split()]
                    culprit = begun[-1] if begun else chunk[0]
                    if culprit not in done:
                        case, folder = cases[culprit]
                        _record(summary, Finding(case.index, case.target, case.args, case.mutations,
                                                 f"worker died (exit {proc.returncode})",
                                                 proc.stderr.read().decode("utf-8", "replace")[-1500:] if proc.stderr else ""),
                                folder / case.file, keep)
                        summary.tried += 1
                        done.add(culprit)
                    rest = [i for i in chunk if i not in done]
                    if rest:
                        pending.append((rest, None))
            time.sleep(0.05)
    finally:
        summary.seconds = time.perf_counter() - began
        shutil.rmtree(work, ignore_errors=True)
    return summary


def _start_worker(work: Path, chunk: list[int], cases: dict) -> tuple:
    tag = f"{chunk[0]}-{len(chunk)}-{time.monotonic_ns()}"
    cases_file, results_file, progress_file = (work / f"{tag}.{n}" for n in ("cases", "results", "progress"))
    cases_file.write_text("".join(json.dumps({"case": asdict(cases[i][0]), "folder": str(cases[i][1])}) + "\n"
                                  for i in chunk), encoding="utf-8")
    results_file.touch()
    progress_file.touch()
    env = {**os.environ, "PYTHONFAULTHANDLER": "1"}
    env.pop("DDCHECK_CHECKLISTS", None)
    proc = subprocess.Popen([sys.executable, __file__, "--worker", str(cases_file), str(results_file),
                             str(progress_file)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    return proc, chunk, results_file, progress_file, time.perf_counter()


def _collect(results_file: Path, cases: dict, summary: Summary, keep: Path | None) -> set[int]:
    done = set()
    for line in results_file.read_text(encoding="utf-8").splitlines():
        result = json.loads(line)
        index = result["index"]
        done.add(index)
        case, folder = cases[index]
        summary.tried += 1
        summary.exits[str(result["exit"])] = summary.exits.get(str(result["exit"]), 0) + 1
        summary.slowest = max(summary.slowest, result["seconds"])
        for name in case.mutations:
            summary.mutations[name] = summary.mutations.get(name, 0) + 1
        for problem, detail in result["problems"]:
            _record(summary, Finding(index, case.target, case.args, case.mutations, problem, detail),
                    folder / case.file, keep)
    return done


def _record(summary: Summary, finding: Finding, input_path: Path, keep: Path | None) -> None:
    if keep is not None and input_path.exists():
        keep.mkdir(parents=True, exist_ok=True)
        copy = keep / f"case{finding.index}-{input_path.name}"
        shutil.copy(input_path, copy)
        finding.input_copy = str(copy)
    summary.findings.append(finding)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, nargs="?", default=200, help="how many inputs to try")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--start", type=int, default=0, help="first case number (to resume or shard)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--keep", type=Path, default=Path("fuzz-findings"), help="where failing inputs are copied")
    parser.add_argument("--worker", nargs=3, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(*args.worker)
        return 0
    summary = run(args.count, args.seed, args.jobs, args.keep, args.start)
    print(f"tried {summary.tried} inputs in {summary.seconds:.0f} s (seed {args.seed}, cases {args.start}.."
          f"{args.start + args.count - 1}); slowest case {summary.slowest:.2f} s of CPU")
    print("exit codes: " + ", ".join(f"{k}: {v}" for k, v in sorted(summary.exits.items())))
    print("mutations: " + ", ".join(f"{k} {v}" for k, v in sorted(summary.mutations.items())))
    print(f"findings: {len(summary.findings)}")
    for f in summary.findings:
        print(f"  case {f.index} [{f.target}] {' '.join(f.args)[:120]} <- {'+'.join(f.mutations)}: {f.problem}")
        if f.detail:
            print("    " + f.detail.strip().replace("\n", "\n    ")[:1500])
        if f.input_copy:
            print(f"    input kept: {f.input_copy}")
    return 1 if summary.findings else 0


if __name__ == "__main__":
    sys.exit(main())
