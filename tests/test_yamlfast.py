"""The fast YAML reader (``checklists/yamlfast.py``): for every text it returns exactly what the
general reader returns, or declines; it accepts what ddcheck writes; positions stay right.

The general reader (``yamlread.parse_yaml_general``) is the oracle throughout: the fast reader's
whole contract is to agree with it or step aside.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import re
import time
from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ddcheck.answers.assessment import Answer, PastAnswer, dump_assessment, load_assessment, save_assessment
from ddcheck.checklists import yamlread
from ddcheck.checklists.yamlfast import DECLINED, fast_data
from ddcheck.checklists.yamlread import parse_yaml, parse_yaml_general
from ddcheck.errors import ProblemsError

import fuzzing

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
HEADER = "# ddcheck assessment: answers with their history. Resume with: ddcheck assess -o FILE\n"
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def write(data) -> str:
    """Text as ``dump_assessment`` writes it (the same header and the same safe_dump options)."""
    return HEADER + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def same(a, b) -> bool:
    """Equal with the same types all the way down and the same key order (1 != 1.0 != True here)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def general(text: str):
    """The general reader's data, or the exception class it refuses the text with."""
    try:
        return parse_yaml_general(text, "f").data
    except ProblemsError as exc:
        return type(exc)


def assert_decline_or_equal(text: str) -> bool:
    """The contract; returns whether the fast reader accepted."""
    fast = fast_data(text)
    expected = general(text)
    if isinstance(expected, type):  # refused by the general reader: the fast one must decline
        assert fast is DECLINED, (text, fast)
        return False
    assert fast is DECLINED or same(fast, expected), (text, fast, expected)
    return fast is not DECLINED


# ----------------------------------------------------------------------------- what to write

# Texts that people type and that YAML reads as something else unless quoted, or that sit at
# its edges: indicators, comments, quotes, dates, numbers, spaces, scripts, long lines that fold.
TRICKY = ["no", "yes", "Yes", "on", "off", "y", "n", "null", "Null", "~", "true", "False", "1_000", "10:30",
          "2025-07-10", "2025-07-10T09:00:00Z", "1e3", "1.5e+3", ".inf", "-.inf", ".nan", "0x1F", "0o17",
          "017", "+1", "-1.5", "1,000", "<<", "=", "---", "...", "- a", "? x", ": y", "#c", "a #b", "a: b",
          "a:b", "http://x.org/a?b=c#d", "it's", "'", "''", '"q"', "\\", "\\n", "[a]", "{a: 1}", "&a", "*a",
          "!tag", "|", ">", "%x", "@x", "`x`", " lead", "trail ", "  ", "", "a  b", "-", "?", ":", "a,b",
          "供应商称所有棉花来自美国和巴西，但未提供提单。", "ئۇيغۇر ئاپتونوم رايونى", "Straße", "ＡＢＣ", "é\u00a0è"]
WORDS = st.sampled_from(TRICKY) | st.text(
    alphabet=st.sampled_from(list("abcXYZ019 :#'\"-?,[]{}&*!|>%@`\\/.=~<") + list("阿克苏ئۇيé")), max_size=12)
# What the questionnaire and importers can store: any typed text (the writer escapes tabs and
# control characters). Only the YAML 1.1 line breaks NEL/LS/PS and a BOM are left out: the writer
# puts those raw in quotes, which the fast reader declines on purpose.
REALISTIC_TEXT = st.lists(WORDS, max_size=40).map(" ".join) | st.lists(
    WORDS | st.sampled_from(["\n", "\n\n", " \n", "\n ", "\t", "\x01", "\x7f", "😀"]), max_size=30).map("".join)
ANY_TEXT = REALISTIC_TEXT | st.text(max_size=40)
IDS = st.from_regex(r"[a-z0-9][a-z0-9_-]{0,20}", fullmatch=True)
KEYS = IDS | st.sampled_from(TRICKY) | st.text(max_size=20) | st.text(min_size=129, max_size=140)
SCALARS = (ANY_TEXT | st.integers() | st.sampled_from([10**30, -(10**30)]) | st.floats() | st.booleans()
           | st.none() | st.dates())


def documents(keys=KEYS, scalars=SCALARS):
    values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
                          max_leaves=25)
    return st.dictionaries(keys, values, min_size=1, max_size=6) | st.lists(values, min_size=1, max_size=4)


def answers():
    past = st.builds(PastAnswer, value=st.none() | REALISTIC_TEXT | st.floats(allow_nan=False, allow_infinity=False)
                     | st.lists(WORDS.map(str.strip), max_size=3),
                     note=st.none() | REALISTIC_TEXT, evidence=st.lists(WORDS.map(str.strip), max_size=3),
                     answered_at=st.datetimes(timezones=st.just(dt.timezone.utc)), answered_by=WORDS.map(str.strip))
    return past.flatmap(lambda first: st.builds(
        Answer, value=st.just(first.value), note=st.just(first.note), evidence=st.just(first.evidence),
        answered_at=st.just(first.answered_at), answered_by=st.just(first.answered_by),
        history=st.lists(past, max_size=2)))


@pytest.fixture(scope="module")
def example():
    return load_assessment(EXAMPLES[0])


# ----------------------------------------------------------------------------- the contract


@SETTINGS
@given(documents())
def test_anything_the_writer_writes_is_read_the_same_or_declined(data):
    assert_decline_or_equal(write(data))


@SETTINGS
@given(st.data())
def test_assessments_the_writer_writes_are_accepted_and_read_the_same(example, data):
    """The point of the fast reader: it must not decline what ddcheck writes (a reader that always
    declined would pass every other test)."""
    ids = data.draw(st.lists(IDS, min_size=1, max_size=4, unique=True))
    chosen = data.draw(st.lists(answers(), min_size=len(ids), max_size=len(ids)))
    assessment = example.model_copy(deep=True)
    checklist = assessment.checklists[0].id
    assessment.answers[checklist] = dict(zip(ids, chosen))
    assessment.meta.subject = data.draw(WORDS.map(str.strip))
    text = dump_assessment(assessment)
    fast = fast_data(text)
    assert fast is not DECLINED, text
    assert same(fast, parse_yaml_general(text, "f").data)


MUTATION_CHARS = list(":-#'\"&*!|>{}[]?,% \t\n") + ["\\", "- ", ": ", " #", "''", "\n\n", "  "]


@SETTINGS
@given(documents(), st.data())
def test_mutated_writer_output_is_read_the_same_or_declined(data, draw):
    """Hand edits and damage: deleted, repeated, swapped or re-indented lines, and stray
    indicators anywhere. Wherever the general reader refuses, the fast one declines."""
    lines = write(data).splitlines(keepends=True)
    for _ in range(draw.draw(st.integers(1, 3))):
        i = draw.draw(st.integers(0, len(lines) - 1))
        kind = draw.draw(st.sampled_from(["delete", "repeat", "swap", "indent", "dedent", "insert", "insert"]))
        if kind == "delete" and len(lines) > 1:
            del lines[i]
        elif kind == "repeat":
            lines.insert(i, lines[i])
        elif kind == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        elif kind == "indent":
            lines[i] = " " * draw.draw(st.integers(1, 3)) + lines[i]
        elif kind == "dedent":
            lines[i] = lines[i][min(len(lines[i]) - len(lines[i].lstrip(" ")), draw.draw(st.integers(1, 3))):]
        else:
            at = draw.draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw.draw(st.sampled_from(MUTATION_CHARS)) + lines[i][at:]
    assert_decline_or_equal("".join(lines))


RICH = {"ddcheck": 1, "meta": {"organisation": "Lindqvist & Berg AB", "subject": "Hengfa (恒发) #2: 'yarn'", "date": "2025-07-10", "n": 1200.0},
        "answers": {"q-1": {"value": "no", "note": " ".join(["word"] * 30) + " it's", "evidence": ["a", "b: c"],
                            "history": [{"value": "yes", "note": "line\n\n indented\ttab " + "x " * 60}], "w": {}},
                    "q-2": {"value": ["yes", "no"], "note": "a\nb " * 30, "e": [], "t": True, "z": None}}}


def test_every_single_edit_of_a_rich_file_is_read_the_same_or_declined():
    """Systematic rather than random: every line of a file using every form the writer uses, with
    each troublesome character put at its start, after its indentation, after ': ', at the value's
    first space and at its end,
    or the line deleted, repeated or re-indented."""
    lines = write(RICH).splitlines(keepends=True)
    assert len(lines) > 20 and fast_data("".join(lines)) is not DECLINED
    for i, line in enumerate(lines):
        body = line.rstrip("\n")
        indent = len(body) - len(body.lstrip(" "))
        value = body.find(": ") + 2 if ": " in body else indent
        spots = sorted({0, indent, value, body.find(" ", value) % (len(body) + 1), len(body)})
        variants = [lines[:i] + lines[i + 1:], lines[:i] + [line] + lines[i:],
                    lines[:i] + [" " + line] + lines[i + 1:], lines[:i] + [line[1:]] + lines[i + 1:]]
        variants += [lines[:i] + [line[:at] + piece + line[at:]] + lines[i + 1:]
                     for at in spots for piece in MUTATION_CHARS]
        for variant in variants:
            assert_decline_or_equal("".join(variant))


def test_folded_scalars_read_as_the_general_reader_reads_them():
    """Long texts the writer folds past width 100, with the folding rules spelled out by example."""
    long = " ".join(["word"] * 40)
    for value in [long, long + "\n" + long, "a\n\nb " + long, "  " + long, long + " ", long.replace(" ", " \n"),
                  "tab\there " * 15, "it''s " * 30, "\x07" + long, long + ":", long + " #x", "- " + long]:
        for data in [{"k": value}, {"k": [value, {"n": value}]}, [value], {"k": {"deeper": {"still": value}}}]:
            text = write(data)
            assert assert_decline_or_equal(text), text  # all of these are writer output: accepted


@pytest.mark.parametrize("text, expected", [
    ("a: 'x\n\n  y  '\n", {"a": "x\ny  "}),  # an empty line is a line break; spaces before the quote stay
    ('a: "x\\\n\n  y"\n', {"a": "x\ny"}),  # an escaped line break joins without a space
    ('a: "x  \n\n\n  y"\n', {"a": "x\n\ny"}),
    ("- a\n  - b\n", ["a - b"]),  # a folded plain scalar, not a nested list
    ("a: x\n  ? b\n", {"a": "x ? b"}),
    ("'no': 1\ntrue: 2\n3: 1_000\n", {"no": 1, "true": 2, "3": 1000}),  # keys become text, as the builder keeps them
    ("a: 2025-07-10\nb: 1e3\nc: 1.5\nd: ~\ne: yes\n", {"a": "2025-07-10", "b": "1e3", "c": 1.5, "d": None, "e": "yes"}),
])
def test_examples_of_the_rules(text, expected):
    assert same(fast_data(text), expected)
    assert same(general(text), expected)


@pytest.mark.parametrize("text", [
    "a: &x 1\nb: *x\n", "a: !!int 1\n", "a: |\n  x\n", "a: >\n  x\n", "a: [1]\n", "a: {b: 1}\n", "? a\n: 1\n",
    "a: 1 # note\n", "a:\tb\n", "--- \na: 1\n", "%YAML 1.1\n---\na: 1\n", "a: 1\n\nb: 2\n", "a: 1\nb: 2\n...\n",
    '"a": 1\n', "a b: 1\n", "a:\n", "a: 1\r\nb: 2\r\n", "a: .inf\n", "a: 1\na: 2\n", "null: 1\n", "1.5: x\n",
    "<<: {a: 1}\n", "a: <<\n", "a: =\n", "a: \"\\ud800\"\n", "a: \"\\/\"\n", "a: 'x\n", "a: x\n b: y\n", "x\n",
    "a:\n  - b\n  c: d\n", "- - a\n", "a: " + "1" * 5000 + "\n", "a: b: c\n", "- a: b: c\n", "a: b:\n",
    "a: 'x\n--- y'\n", 'a: "x\n... y"\n', "a: 'x\nb'\n",  # document markers refused; shallow lines declined
])
def test_what_the_writer_does_not_write_is_declined(text):
    assert fast_data(text) is DECLINED


def test_the_limits_of_the_general_reader_are_respected():
    deep = "".join(" " * (2 * i) + f"k{i}:\n" for i in range(70)) + " " * 140 + "x: 1\n"
    assert fast_data(deep) is DECLINED  # 70 levels: the general reader refuses past 64
    assert isinstance(general(deep), type)
    assert fast_data("a: 1\x00\n") is DECLINED and fast_data("a: \ud800\n") is DECLINED  # not YAML characters


@pytest.mark.parametrize("text", [
    "a: " + "'" * 400_000, "a: " + "x:" * 400_000, "a: '" + "''" * 400_000, 'a: "' + "\\" * 400_001,
    "a: " + "x " * 400_000 + ":", "'" + "a" * 400_000 + "': 1", "a: " + "x #" * 200_000,
    "".join(f"k{i}: x\n" for i in range(60_000)), "- " * 300_000, "a:\n" + "  b\n" * 200_000,
    "a: " + "1:" * 200_000 + "1x", "a: " + "1" * 400_000 + ".x", "a: -" + "0_" * 200_000 + "e",  # near-numbers
])
def test_time_is_linear_in_the_text(text):
    started = time.perf_counter()
    fast_data(text)
    assert time.perf_counter() - started < 2.0


# ----------------------------------------------------------------------------- the files there are


def repo_yaml_files() -> list[Path]:
    skip = {".venv", ".git", "node_modules"}
    return sorted(p for p in ROOT.rglob("*.y*ml") if not skip & set(p.relative_to(ROOT).parts))


def test_every_yaml_file_in_the_repository_is_read_the_same_or_declined():
    files = repo_yaml_files()
    assert len(files) > 10
    for path in files:
        assert_decline_or_equal(path.read_text(encoding="utf-8-sig"))


def test_the_fuzzers_mutations_are_read_the_same_or_declined():
    bases = [p.read_bytes() for p in [*EXAMPLES, *fuzzing.CHECKLISTS[:3]]]
    bases += [fuzzing.answer_file(random.Random(i), "yaml") for i in range(3)]
    for case in range(400):
        rng = random.Random(f"yamlfast:{case}")
        data, _names = fuzzing.mutate(rng, rng.choice(bases))
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:  # read_yaml stops these before any YAML reader
            continue
        assert_decline_or_equal(text)


def test_the_bundled_examples_are_accepted_once_ddcheck_has_saved_them(tmp_path):
    """As shipped, the examples are hand-written with '>-' block scalars for their long notes, which
    the fast reader declines (the general reader reads them); once ddcheck saves them (any answer
    changed) they are writer output, and accepted."""
    for path in EXAMPLES:
        assert_decline_or_equal(path.read_text(encoding="utf-8"))
        save_assessment(tmp_path / path.name, load_assessment(path))
        text = (tmp_path / path.name).read_text(encoding="utf-8")
        assert fast_data(text) is not DECLINED, path
        assert same(fast_data(text), parse_yaml_general(text, "f").data)


def test_files_written_by_answers_import_are_accepted(invoke, clean_env, tmp_path, monkeypatch):
    from conftest import GOOD

    monkeypatch.chdir(tmp_path)
    note = ("Supplier says: 'all cotton is US-grown' — 供应商称所有棉花来自美国和巴西，但未提供提单。 "
            "ئۇيغۇر #2, see [annex]\n\nSecond paragraph: no bills of lading.  " * 3)
    rows = [{"checklist": "mini", "question": "sources-from-region", "value": "no", "note": note,
             "evidence": ["audit report AR-118", "https://example.org/a?b=c#d", "2025-07-10"]},
            {"checklist": "mini", "question": "headcount", "value": "1200"}]
    (tmp_path / "rows.yaml").write_text(yaml.safe_dump(rows, allow_unicode=True))
    result = invoke("--checklists", str(GOOD), "answers", "import", "rows.yaml", "-o", "acme.yaml",
                    "--organisation", "Acme: 'quoted' & co", "--subject", "no", "--assessor", "Jane",
                    "--date", "2024-05-01")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "acme.yaml").read_text(encoding="utf-8")
    assert fast_data(text) is not DECLINED, text
    assert same(fast_data(text), parse_yaml_general(text, "f").data)
    assert load_assessment(tmp_path / "acme.yaml").answer("mini", "sources-from-region").note == note.strip()


def test_the_benchmark_portfolio_files_are_accepted(tmp_path):
    """benchmarks/synthetic.py writes the files the portfolio target is measured on."""
    import sys

    from ddcheck.checklists.library import load_library

    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import synthetic
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    written = synthetic.synthetic_portfolio(tmp_path, load_library(), subjects=4, broken=False)
    paths = [path for files in written.values() for path in files]
    assert paths
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert fast_data(text) is not DECLINED
        assert same(fast_data(text), parse_yaml_general(text, "f").data)


# ----------------------------------------------------------------------------- positions


def test_positions_from_the_fast_path_are_the_general_readers(example):
    assessment = example.model_copy(deep=True)
    text = dump_assessment(assessment)
    fast, slow = parse_yaml(text, "f"), parse_yaml_general(text, "f")
    assert same(fast.data, slow.data)
    assert fast.values == slow.values and fast.keys == slow.keys
    for path in [("meta", "date"), ("answers", "nowhere", 3), ("checklists", 0, "id")]:
        assert fast.where(path) == slow.where(path) and fast.where(path, key=True) == slow.where(path, key=True)


def test_positions_are_found_only_when_something_must_be_located(example, monkeypatch):
    calls = []
    real = yamlread.parse_yaml_general
    monkeypatch.setattr(yamlread, "parse_yaml_general", lambda text, file: calls.append(file) or real(text, file))
    located = parse_yaml(dump_assessment(example), "a.yaml")
    assert calls == []  # a valid file costs one (fast) read
    assert located.where(("meta", "date")) == located.where(("meta", "date"))
    assert str(located.problem(("meta", "date"), "bad")).startswith("a.yaml:")
    assert calls == ["a.yaml"]  # positions: once, on demand


def test_a_validation_error_in_a_written_file_is_still_located(tmp_path, example, invoke, clean_env, monkeypatch):
    monkeypatch.chdir(tmp_path)
    save_assessment(tmp_path / "a.yaml", example)
    lines = (tmp_path / "a.yaml").read_text(encoding="utf-8").splitlines(keepends=True)
    row = next(i for i, line in enumerate(lines) if line.startswith("  date: "))
    lines[row] = "  date: not-a-date\n"
    text = "".join(lines)
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    assert fast_data(text) is not DECLINED  # read by the fast path; the date is the model's to refuse
    result = invoke("status", "a.yaml")
    assert result.exit_code == 2
    assert re.search(rf"^a\.yaml:{row + 1}:9: .*date", result.stderr, re.M), result.stderr


def test_declined_texts_keep_their_located_errors():
    with pytest.raises(ProblemsError) as exc:
        parse_yaml("a: 1\nb: [2\n", "f.yaml")
    assert str(exc.value.problems[0]).startswith("f.yaml:")
    with pytest.raises(ProblemsError) as exc:
        parse_yaml("a: 1\na: 2\n", "f.yaml")  # the fast path declines duplicates; the general reader names them
    assert str(exc.value.problems[0]).startswith("f.yaml:2:1: the key 'a' appears twice")


def test_acceptance_on_a_batch_of_written_assessments(example):
    """Not one declined: files ddcheck writes, with every kind of answer text (seeded, repeatable)."""
    rng = random.Random(14)
    texts = []
    for n in range(60):
        assessment = example.model_copy(deep=True)
        for answers_ in assessment.answers.values():
            for qid, answer in list(answers_.items()):
                words = [rng.choice(TRICKY) for _ in range(rng.randint(0, 60))]
                note = rng.choice([" ", "\n", "\n\n", " - "]).join(words)
                answers_[qid] = answer.model_copy(update={"note": note or None, "evidence": words[:3]})
        texts.append(dump_assessment(assessment))
    accepted = [text for text in texts if fast_data(text) is not DECLINED]
    assert len(accepted) == len(texts)
    for text in texts:
        assert same(fast_data(text), parse_yaml_general(text, "f").data)


def test_floats_and_numbers_are_typed_by_the_general_rules():
    data = {"a": 1200.0, "b": -0.5, "c": 10**20, "d": 1e300, "e": [0, -1, 2.5e-7], "f": math.pi}
    text = write(data)
    assert same(fast_data(text), data)
