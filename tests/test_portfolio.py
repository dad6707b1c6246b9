"""``ddcheck portfolio``: generated portfolios (seeded) with dated histories, broken files, the cache,
the CSV/JSON contracts of the README, and the HTML/PDF portfolio report."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
import sys

import pytest
import yaml

from conftest import GOOD, ROOT
from pdf_support import Pdf

sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import BROKEN_FILES, synthetic_portfolio  # noqa: E402

from ddcheck.checklists.library import load_library  # noqa: E402
from ddcheck.portfolio.cache import CACHE_NAME  # noqa: E402
from ddcheck.portfolio.index import build_index  # noqa: E402
from ddcheck.portfolio.view import CSV_COLUMNS, RATINGS  # noqa: E402

AS_OF = "2025-12-01"
SEVERITY = {r: len(RATINGS) - i for i, r in enumerate(RATINGS)}


@pytest.fixture
def generated(tmp_path, clean_env):
    folder = tmp_path / "suppliers"
    files = synthetic_portfolio(folder, load_library(), subjects=12, per_subject=(1, 3),
                                checklist_ids=["xinjiang-supply-chain", "ungp-due-diligence"], seed=3)
    return folder, files


def portfolio_json(invoke, *args):
    result = invoke("portfolio", *map(str, args), "--json", "--as-of", AS_OF, "--jobs", "1")
    return result, json.loads(result.stdout)


def test_one_row_per_subject_with_its_latest_assessment_and_history(invoke, generated):
    folder, files = generated
    result, data = portfolio_json(invoke, folder)
    assert result.exit_code == 1  # the generated portfolio holds broken files
    rows = {row["subject"]: row for row in data["subjects"]}
    assert set(rows) == set(files) and data["counts"]["subjects"] == 12
    assert data["counts"]["assessments"] == sum(len(paths) for paths in files.values())
    for subject, paths in files.items():
        row = rows[subject]
        assert row["assessments"] == len(paths) == len(row["history"])
        assert row["file"].endswith(paths[-1].name)  # the latest by date
        assert [h["date"] for h in row["history"]] == sorted(h["date"] for h in row["history"])
        latest = json.loads(invoke("score", str(paths[-1]), "--json").stdout)
        assert (row["rating"], row["controls_score"], row["red_flags"]) == \
            (latest["overall"]["rating"], latest["overall"]["score"], len(latest["red_flags"]))
        assert row["open_actions"] == len(latest["actions"])
        if len(paths) > 1:
            assert row["trend"] in ("worse", "better", "same")
    assert sum(data["counts"]["by_rating"].values()) == 12


def test_rows_are_sorted_most_severe_first(invoke, generated):
    folder, _ = generated
    _, data = portfolio_json(invoke, folder)
    keys = [(-SEVERITY.get(r["rating"], 0), r["reassessment_status"] != "overdue", -r["critical_red_flags"],
             -r["red_flags"]) for r in data["subjects"]]
    assert keys == sorted(keys)
    assert len({r["rating"] for r in data["subjects"]}) > 1  # the generator gives a real mix


def test_broken_files_are_listed_with_located_errors_and_never_stop_the_run(invoke, generated):
    folder, _ = generated
    result, data = portfolio_json(invoke, folder)
    broken = {b["file"].rsplit("/", 1)[-1]: b["problems"] for b in data["broken"]}
    assert set(broken) == set(BROKEN_FILES)
    assert broken["broken-syntax.yaml"][0].endswith(
        "broken-syntax.yaml:3:21: YAML syntax error: did not find expected ',' or ']' "
        "(check indentation and quoting around this place)")
    assert any(":6:9: 'date'" in line for line in broken["broken-shape.yaml"])
    assert "broken-syntax.yaml:3:21: YAML syntax error" in result.stderr
    assert "2 file(s) could not be read" in result.stderr and "Traceback" not in result.output


def test_a_clean_portfolio_exits_0_and_other_yaml_files_are_not_assessments(invoke, generated):
    folder, _ = generated
    for name in BROKEN_FILES:
        (folder / name).unlink()
    shutil.copy(GOOD / "mini.yaml", folder / "a-checklist-kept-here.yaml")
    result, data = portfolio_json(invoke, folder)
    assert result.exit_code == 0, result.stderr
    assert data["broken"] == []


def test_the_csv_contract_is_the_readmes(invoke, generated):
    folder, files = generated
    formula = next(iter(files.values()))[-1]
    doc = yaml.safe_load(formula.read_text(encoding="utf-8"))
    doc["meta"]["organisation"] = "=HYPERLINK(\"http://evil.example\")"
    formula.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    result = invoke("portfolio", str(folder), "--csv", "--as-of", AS_OF)
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert tuple(rows[0]) == CSV_COLUMNS
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert ",".join(CSV_COLUMNS) in readme
    assert len(rows) == 14  # 12 subjects, the one whose latest file names another organisation split in two
    assert "'=HYPERLINK(\"http://evil.example\")" in [r[1] for r in rows]  # shown as text, never run
    _, data = portfolio_json(invoke, folder)
    for line, row in zip(rows[1:], data["subjects"]):
        record = dict(zip(rows[0], line))
        assert record["subject"] == row["subject"] and record["rating"] == row["rating"]
        assert record["organisation"].lstrip("'") == row["organisation"]
        assert float(record["controls_score"]) == row["controls_score"]
        assert int(record["overdue_actions"]) == row["overdue_actions"]
        assert record["reassessment_status"] in ("current", "due", "overdue")


def test_subjects_are_grouped_without_case_or_extra_spaces(invoke, tmp_path, clean_env):
    folder = tmp_path / "p"
    synthetic_portfolio(folder, load_library(), subjects=1, per_subject=(1, 1), checklist_ids=["ungp-due-diligence"],
                        broken=False)
    original = next(folder.rglob("*.yaml"))
    doc = yaml.safe_load(original.read_text(encoding="utf-8"))
    doc["meta"]["subject"] = "  " + doc["meta"]["subject"].upper().replace(" ", "  ")
    doc["meta"]["date"] = "2026-01-05"
    (folder / "later.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    result, data = portfolio_json(invoke, folder)
    assert result.exit_code == 0
    assert len(data["subjects"]) == 1
    row = data["subjects"][0]
    assert row["assessments"] == 2 and row["last_assessed"] == "2026-01-05" and row["file"].endswith("later.yaml")


def test_overdue_actions_and_reassessments_are_judged_on_the_as_of_day(invoke, generated):
    folder, files = generated
    subject, paths = next((s, p) for s, p in files.items() if json.loads(
        invoke("actions", str(p[-1]), "--json").stdout)["actions"])
    aid = json.loads(invoke("actions", str(paths[-1]), "--json").stdout)["actions"][0]["id"]
    assert invoke("actions", "set", str(paths[-1]), aid, "--due", "2025-11-01", "--owner", "Kim",
                  "--by", "t").exit_code == 0
    _, data = portfolio_json(invoke, folder)
    row = next(r for r in data["subjects"] if r["subject"] == subject)
    assert row["overdue_actions"] == 1
    assert [(a["id"], a["owner"], a["days_overdue"]) for a in data["overdue_actions"]] == [(aid, "Kim", 30)]
    result = invoke("portfolio", str(folder), "--json", "--as-of", "2025-10-01")
    assert json.loads(result.stdout)["overdue_actions"] == []
    for r in data["subjects"]:
        due = r["reassessment_due"]
        assert r["reassessment_status"] == ("overdue" if due < AS_OF else r["reassessment_status"])


def test_the_second_run_reads_the_cache_and_a_changed_file_is_read_again(generated, clean_env):
    folder, files = generated
    library = load_library()
    first = build_index([folder], library)
    assert (first.cached, first.summarised) == (0, len(first.files))
    assert (folder / CACHE_NAME).is_file()
    second = build_index([folder], library)
    assert (second.cached, second.summarised) == (len(first.files), 0)
    assert [f.summary for f in second.files] == [f.summary for f in first.files]

    path = next(iter(files.values()))[-1]
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["meta"]["subject"] = "Renamed supplier"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    third = build_index([folder], library)
    assert third.summarised == 1
    assert next(f for f in third.files if f.path == path).summary["meta"]["subject"] == "Renamed supplier"


def test_a_tampered_cache_is_ignored_and_an_unwritable_one_is_not_needed(generated, clean_env):
    folder, _ = generated
    library = load_library()
    truth = {f.shown: f.summary for f in build_index([folder], library).files}
    with sqlite3.connect(folder / CACHE_NAME) as db:
        db.execute("UPDATE summary SET data = '{\"kind\": \"assessment\"' ")  # not JSON any more
    again = build_index([folder], library)
    assert again.summarised == len(truth) and {f.shown: f.summary for f in again.files} == truth
    (folder / CACHE_NAME).unlink()
    (folder / CACHE_NAME).mkdir()  # cannot be opened as a database
    index = build_index([folder], library)
    assert index.cache_problems and {f.shown: f.summary for f in index.files} == truth


def test_summaries_computed_on_workers_equal_those_computed_here(generated, clean_env, monkeypatch):
    from ddcheck.portfolio import index as index_module

    folder, _ = generated
    library = load_library()
    here = build_index([folder], library, use_cache=False)
    monkeypatch.setattr(index_module, "PARALLEL_FROM", 2)
    there = build_index([folder], library, use_cache=False, jobs=2)
    assert [f.summary for f in there.files] == [f.summary for f in here.files]


def test_the_portfolio_report_in_html_pdf_and_json(invoke, generated, tmp_path):
    folder, files = generated
    latest = next(iter(files.values()))[-1]
    doc = yaml.safe_load(latest.read_text(encoding="utf-8"))
    doc["meta"]["subject"] = "Evil <script>alert(1)</script> Ltd"
    latest.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    latest.with_suffix(".html").write_text("<p>its report</p>", encoding="utf-8")

    out = tmp_path / "out" / "portfolio.html"
    out.parent.mkdir()
    result = invoke("portfolio", str(folder), "-o", str(out), "--as-of", AS_OF)
    assert result.exit_code == 1 and "Wrote " in result.stdout and "portfolio.html" in result.stdout
    html = out.read_text(encoding="utf-8")
    assert "Evil &lt;script&gt;alert(1)&lt;/script&gt; Ltd" in html and "<script>" not in html
    assert f'href="../suppliers/{latest.relative_to(folder).with_suffix(".html").as_posix()}"' in html
    assert "Heat map" in html and "Red flags across the portfolio" in html and "broken-syntax.yaml:3:21" in html

    pdf_path = tmp_path / "portfolio.pdf"
    assert invoke("portfolio", str(folder), "-o", str(pdf_path), "--as-of", AS_OF).exit_code == 1
    pdf = Pdf(pdf_path.read_bytes())
    for phrase in ("Due diligence portfolio", "Heat map: subjects by checklist", "Subjects by rating",
                   "Evil <script>alert(1)</script> Ltd", "Overdue actions", "Files that could not be read"):
        assert phrase in pdf.text, phrase
    links = [a.get_object().get("/A", {}).get("/URI") for page in pdf.reader.pages
             for a in page.get("/Annots", []) or []]
    assert not [uri for uri in links if uri and not str(uri).startswith(("http", "mailto"))]

    json_path = tmp_path / "portfolio.json"
    assert invoke("portfolio", str(folder), "-o", str(json_path), "--as-of", AS_OF).exit_code == 1
    data = json.loads(json_path.read_text(encoding="utf-8"))
    # 13: the renamed latest assessment is a subject of its own now, its earlier ones stay the old one
    assert data["counts"]["subjects"] == 13 and "generated_at" in data


def test_bad_command_lines_exit_2(invoke, generated, tmp_path):
    folder, _ = generated
    assert invoke("portfolio", str(tmp_path / "nowhere")).exit_code == 2
    assert invoke("portfolio", str(folder), "--json", "--csv").exit_code == 2
    result = invoke("portfolio", str(folder), "-o", str(tmp_path / "p.docx"))
    assert result.exit_code == 2 and "give a name ending in .pdf, .html or .json" in result.stderr
    assert invoke("portfolio", str(folder), "--as-of", "yesterday").exit_code == 2


def test_the_table_lists_subjects_most_severe_first_and_shows_control_characters_visibly(invoke, generated):
    folder, files = generated
    path = next(iter(files.values()))[-1]
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["meta"]["subject"] = "Bell\x07 and \x1b[2J clear"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    result = invoke("portfolio", str(folder), "--as-of", AS_OF)
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["RATING", "EXPOSURE", "SUBJECT"]
    _, data = portfolio_json(invoke, folder)
    ratings = [line.split()[0] for line in lines[1:len(data["subjects"]) + 1]]
    assert ratings == [r["rating"] or "\u2014" for r in data["subjects"]]
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert f"{len(data['subjects'])} subject(s), {data['counts']['assessments']} assessment(s)" in result.stdout


def _on_a_terminal(args: list[str], cwd, columns: int) -> tuple[int, list[str]]:
    """Run ddcheck on a real pseudo-terminal ``columns`` wide: (exit status, the lines it drew)."""
    import os

    import pexpect

    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    child = pexpect.spawn(sys.executable, ["-m", "ddcheck", *args], cwd=str(cwd), env=env, encoding="utf-8",
                          dimensions=(24, columns), timeout=60)
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus, child.before.replace("\r\n", "\n").splitlines()


@pytest.mark.parametrize("columns", [80, 100])
def test_on_a_narrow_terminal_the_table_fits_and_keeps_what_matters(generated, columns):
    folder, files = generated
    status, lines = _on_a_terminal(["portfolio", str(folder), "--as-of", AS_OF], folder.parent, columns)
    assert status == 1, lines  # the generated portfolio has broken files, listed first (on stderr)
    table = _table(lines)
    assert max(map(len, table)) <= columns, [line for line in table if len(line) > columns]
    header = table[0].split()
    assert header[:3] == ["RATING", "SUBJECT", "ASSESSED"] if columns == 80 else "EXPOSURE" in header
    assert "TREND" not in header  # the least needed column goes first
    rows = table[1:]
    assert len(rows) == len(files)
    assert all(row.split()[0] in RATINGS for row in rows)
    assert all(row.split()[-1].count("-") == 2 or row.split()[-1] in ("overdue", "due") for row in rows)


def _table(lines: list[str]) -> list[str]:
    """The table's lines: from its header to the blank line after its rows."""
    start = next(i for i, line in enumerate(lines) if line.startswith("RATING"))
    end = lines.index("", start)
    return lines[start:end]


def test_piped_or_wide_the_table_has_every_column(invoke, generated):
    folder, _ = generated
    piped = _table(invoke("portfolio", str(folder), "--as-of", AS_OF).stdout.splitlines())
    assert piped[0].split() == ["RATING", "EXPOSURE", "SUBJECT", "ASSESSED", "CONTROLS", "COVER", "FLAGS",
                                "ACTIONS", "RE-ASSESSMENT", "TREND"]
    _, wide = _on_a_terminal(["portfolio", str(folder), "--as-of", AS_OF], folder.parent, 160)
    assert _table(wide) == piped


def test_actions_on_a_narrow_terminal_put_each_action_on_its_own_line(generated):
    folder, files = generated
    path = max((p for group in files.values() for p in group), key=lambda p: p.stat().st_size)
    status, lines = _on_a_terminal(["actions", str(path), "--as-of", AS_OF], folder.parent, 80)
    assert status == 0, lines
    assert max(map(len, lines)) <= 80
    assert lines[0].split() == ["ID", "STATUS", "DUE", "OWNER"] and lines[1].split() == ["ACTION"]
    first, second = lines[2], lines[3]
    assert len(first.split()[0]) == 8 and first.split()[1] == "open"
    assert second.startswith(" " * 10) and second.split()[0] == "1."


def test_a_chinese_subject_keeps_the_columns_aligned(generated):
    import re

    from ddcheck.terminal import cells

    folder, files = generated
    path = next(p for group in files.values() for p in group)
    text = path.read_text(encoding="utf-8")
    subject = re.search(r"^  subject: (.+)$", text, re.M).group(1)
    path.write_text(text.replace(f"subject: {subject}", "subject: 新疆阿克苏棉纺织有限公司（二厂）"), encoding="utf-8")
    for columns in (80, 160):
        _, lines = _on_a_terminal(["portfolio", str(folder), "--as-of", AS_OF], folder.parent, columns)
        table = _table(lines)
        assert any("新疆" in row for row in table)
        assert max(map(cells, table)) <= columns
        starts = {cells(row[:re.search(r"\d{4}-\d\d-\d\d", row).start()]) for row in table[1:]}
        assert len(starts) == 1, table  # the ASSESSED column starts in the same terminal column on every row
