"""``report -f json``: a versioned data format, validated against the schema the package ships."""

from __future__ import annotations

import datetime as dt
import json
import re

import jsonschema
import pytest

from ddcheck.resources import bundled

EXAMPLES = sorted(bundled("examples").glob("*.yaml"))


@pytest.fixture(scope="module")
def schema():
    from typer.testing import CliRunner

    from ddcheck.cli import app

    result = CliRunner().invoke(app, ["report", "--json-schema"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def validator(schema):
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_the_demo_reports_validate_against_the_shipped_schema(invoke, schema, example):
    jsonschema.Draft202012Validator.check_schema(schema)
    result = invoke("report", str(example), "-f", "json", "-o", "-")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    validator(schema).validate(data)
    assert data["schema_version"] == "1.0"
    dt.datetime.fromisoformat(data["generated_at"])
    dt.date.fromisoformat(data["assessment"]["date"])
    for c in data["checklists"]:
        for s in c["sections"]:
            for q in s["questions"]:
                if q["answered_at"]:
                    dt.datetime.fromisoformat(q["answered_at"])


def test_no_presentation_data_and_ids_that_resolve(invoke, schema):
    data = json.loads(invoke("report", str(EXAMPLES[0]), "-f", "json", "-o", "-").stdout)
    text = json.dumps(data)
    for presentational in ("rating_class", "risk_class", "chart", "label_width", "score_text", "\u2026",
                           "UTC\"", "anchor"):
        assert presentational not in text, presentational
    questions = {q["id"]: q for c in data["checklists"] for s in c["sections"] for q in s["questions"]}
    numbers = {q["number"] for q in questions.values()}
    for flag in data["red_flags"]:
        assert flag["id"] in questions and flag["number"] == questions[flag["id"]]["number"]
    for action in data["actions"]:
        assert f"{action['checklist_id']}/{action['question_id']}" in questions and action["number"] in numbers
    assert len({a["id"] for a in data["actions"]}) == len(data["actions"])
    for reason in (*data["overall"]["reasons"], *[r for c in data["checklists"] for r in c["reasons"]]):
        assert set(reason["questions"]) <= set(questions)


def test_names_shared_with_score_json(invoke):
    score = json.loads(invoke("score", str(EXAMPLES[0]), "--json").stdout)
    report = json.loads(invoke("report", str(EXAMPLES[0]), "-f", "json", "-o", "-").stdout)
    assert report["overall"]["score"] == score["overall"]["score"]
    assert report["overall"]["rating"] == score["overall"]["rating"]
    assert report["counts"] == score["counts"]
    shared = {"priority", "checklist_id", "question_id", "action", "kind", "risk", "weight"}
    assert shared <= set(score["actions"][0]) and shared <= set(report["actions"][0])
    assert [(a["checklist_id"], a["question_id"], a["priority"]) for a in score["actions"]] == \
        [(a["checklist_id"], a["question_id"], a["priority"]) for a in report["actions"]]


def test_json_schema_is_a_file_in_the_package():
    from ddcheck.report.data import SCHEMA_FILE

    assert SCHEMA_FILE.is_file() and re.search(r'"schema_version"', SCHEMA_FILE.read_text())
