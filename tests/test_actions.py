"""``ddcheck actions``: stable action ids, recorded follow-up with history, the lock, the report's plan."""

from __future__ import annotations

import json
import shutil

import pytest
import yaml

from conftest import ROOT
from ddcheck.answers.locking import AssessmentLock

EXAMPLE = ROOT / "examples" / "apparel-cotton-yarn-supplier.yaml"


@pytest.fixture
def example(tmp_path, clean_env):
    target = tmp_path / "supplier.yaml"
    shutil.copy(EXAMPLE, target)
    return target


def listed(invoke, path, *extra):
    result = invoke("actions", str(path), "--json", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_every_action_has_a_short_unique_id_and_starts_open(invoke, example):
    data = listed(invoke, example)
    ids = [a["id"] for a in data["actions"]]
    assert len(ids) == len(set(ids)) == data["counts"]["actions"] > 5
    assert all(len(i) == 8 and int(i, 16) >= 0 for i in ids)
    assert {a["status"] for a in data["actions"]} == {"open"}
    assert data["counts"]["overdue"] == 0
    assert [a["priority"] for a in data["actions"]] == sorted(a["priority"] for a in data["actions"])


def test_ids_survive_rescoring_when_another_answer_changes(invoke, example):
    before = {(a["checklist_id"], a["question_id"], a["value"]): a for a in listed(invoke, example)["actions"]}
    # Change one answer ("don't know" -> another value): priorities may move, its action gets a new id
    # (it answers a different value), and every action that is still recommended keeps its id.
    gap = next(a for a in before.values() if a["kind"] == "gap" and a["value"] == "unknown")
    doc = yaml.safe_load(example.read_text(encoding="utf-8"))
    doc["answers"][gap["checklist_id"]][gap["question_id"]]["value"] = "no"
    example.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    after = {(a["checklist_id"], a["question_id"], a["value"]): a for a in listed(invoke, example)["actions"]}
    assert (gap["checklist_id"], gap["question_id"], "unknown") not in after
    assert gap["id"] not in {a["id"] for a in after.values()}
    kept = set(before) & set(after)
    assert len(kept) >= len(before) - 2
    for key in kept:
        assert before[key]["id"] == after[key]["id"]


def test_set_records_owner_due_status_and_comment_and_keeps_the_history(invoke, example):
    first = listed(invoke, example)["actions"][0]["id"]
    result = invoke("actions", "set", str(example), first, "--owner", "J. Doe", "--due", "2025-09-30",
                    "--status", "in-progress", "--comment", "Asked the mill for its cotton invoices.", "--by", "Ana")
    assert result.exit_code == 0, result.output
    assert f"action {first} is in-progress, owner J. Doe, due 2025-09-30" in result.stdout
    result = invoke("actions", "set", str(example), first, "--status", "done", "--by", "Ben")
    assert result.exit_code == 0, result.output

    action = listed(invoke, example, "--as-of", "2025-10-15")["actions"][0]
    assert (action["status"], action["owner"], action["due"], action["updated_by"], action["changes"]) == \
        ("done", "J. Doe", "2025-09-30", "Ben", 1)
    assert action["overdue"] is False  # done is never overdue
    record = yaml.safe_load(example.read_text(encoding="utf-8"))["actions"][first]
    assert record["history"][0]["status"] == "in-progress" and record["history"][0]["updated_by"] == "Ana"
    assert record["comment"] == "Asked the mill for its cotton invoices."


def test_overdue_is_judged_on_the_as_of_day(invoke, example):
    aid = listed(invoke, example)["actions"][1]["id"]
    assert invoke("actions", "set", str(example), aid, "--due", "2025-06-30", "--by", "x").exit_code == 0
    assert listed(invoke, example, "--as-of", "2025-06-30")["counts"]["overdue"] == 0
    late = listed(invoke, example, "--as-of", "2025-07-01")
    assert late["counts"]["overdue"] == 1
    text = invoke("actions", str(example), "--as-of", "2025-07-01").stdout
    assert f"{aid}  open OVERDUE" in text and "1 overdue (as of 2025-07-01)" in text


def test_a_file_without_the_section_loads_and_saves_without_it(invoke, example):
    assert "actions:" not in example.read_text(encoding="utf-8")
    assert invoke("score", str(example)).exit_code == 0
    assert listed(invoke, example)["retired"] == []


def test_an_unknown_id_is_refused_with_a_hint_and_nothing_is_written(invoke, example):
    aid = listed(invoke, example)["actions"][0]["id"]
    before = example.read_bytes()
    result = invoke("actions", "set", str(example), aid[:7] + "x", "--status", "done")
    assert result.exit_code == 2
    assert f"no current action with id '{aid[:7]}x'" in result.stderr and f"did you mean '{aid}'?" in result.stderr
    assert "Traceback" not in result.output
    assert example.read_bytes() == before
    assert invoke("actions", "set", str(example), aid).exit_code == 2  # nothing to record
    assert invoke("actions", "set", str(example), aid, "--due", "30/09/2025").exit_code == 2


def test_set_is_refused_while_a_session_holds_the_file(invoke, example):
    aid = listed(invoke, example)["actions"][0]["id"]
    before = example.read_bytes()
    with AssessmentLock(example):
        result = invoke("actions", "set", str(example), aid, "--status", "done")
    assert result.exit_code == 3
    assert "open in another ddcheck session" in result.stderr
    assert example.read_bytes() == before


def test_an_action_whose_answer_changed_is_kept_as_retired(invoke, example):
    action = next(a for a in listed(invoke, example)["actions"] if a["kind"] == "risk")
    assert invoke("actions", "set", str(example), action["id"], "--owner", "Kim", "--by", "x").exit_code == 0
    doc = yaml.safe_load(example.read_text(encoding="utf-8"))
    # A record for an answer since changed: its id (from the old value) is no longer recommended.
    doc["actions"]["0badc0de"] = {"status": "open", "updated_at": "2025-01-01T00:00:00Z", "updated_by": "old"}
    example.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    data = listed(invoke, example)
    assert [r["id"] for r in data["retired"]] == ["0badc0de"]
    assert "No longer recommended" in invoke("actions", str(example)).stdout
    result = invoke("actions", "set", str(example), "0badc0de", "--status", "done")
    assert result.exit_code == 2 and "no longer recommended" in result.stderr


def test_the_report_action_plan_shows_id_owner_due_and_status(invoke, example, tmp_path):
    aid = listed(invoke, example)["actions"][0]["id"]
    assert invoke("actions", "set", str(example), aid, "--owner", "J. <b>Doe</b>", "--due", "2000-01-31",
                  "--status", "in-progress", "--by", "x").exit_code == 0
    md = invoke("report", str(example), "-f", "md", "-o", "-").stdout
    assert f"ID {aid} \u00b7 In progress \u00b7 owner J. <b>Doe</b> \u00b7 due 2000-01-31 (overdue)" \
        in md.replace("\\<", "<").replace("\\>", ">").replace("&lt;", "<").replace("&gt;", ">")
    out = tmp_path / "r.html"
    assert invoke("report", str(example), "-o", str(out)).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "owner J. &lt;b&gt;Doe&lt;/b&gt;" in html  # escaped, never markup
    assert 'class="a-follow overdue"' in html
    report = json.loads(invoke("report", str(example), "-f", "json", "-o", "-").stdout)
    import jsonschema

    from ddcheck.report.data import schema

    jsonschema.validate(report, schema())  # the follow-up is part of the documented format
    first = report["actions"][0]
    assert (first["id"], first["status"], first["owner"], first["due"], first["overdue"]) == \
        (aid, "in-progress", "J. <b>Doe</b>", "2000-01-31", True)
