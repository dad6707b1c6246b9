"""``ddcheck score`` and ``ddcheck compare``: findings on the terminal or as JSON for scripts.

Thin: load, call the pure ``scoring``/``comparison`` functions, print. Exit status 0 whatever the
score: a score is information, not a failure; only unreadable input or a missing checklist fails.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .common import echo, guarded, library_for, print_json

ASSESSMENT_HELP = "Assessment file written by 'ddcheck assess'."


@guarded
def score(
    ctx: typer.Context,
    assessment: Path = typer.Argument(..., metavar="ASSESSMENT.yaml", help=ASSESSMENT_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the findings as JSON for scripts."),
    actions: int = typer.Option(10, "--actions", metavar="N", help="List the first N actions (0: all)."),
    as_of: Optional[str] = typer.Option(None, "--as-of", metavar="DATE",
                                        help="Say whether re-assessment is due on this day (YYYY-MM-DD), not today."),
) -> None:
    """Score an assessment: exposure, controls score, coverage and rating, overall and per checklist.

    Exposure (none..severe): where risk may lie. Controls score (100 = every control in place): how well it is managed.

    The rating is the exposure × controls matrix cell, raised by red flags; overall, the worst checklist's.

    Unanswered, skipped and "don't know" questions count as the worst answer and are listed as gaps.

    The rule is in the README, "How scores are computed". Exit status 0 whatever the score.

    Example: ddcheck score answers.yaml --json | jq '.overall'
    """
    from ..answers.assessment import load_assessment
    from ..answers.changes import describe_all
    from ..findings.model import to_json
    from ..findings.scoring import score_assessment

    answers = load_assessment(assessment)
    lib = library_for(ctx, (assessment, answers))
    findings = score_assessment(answers, {cid: lc.checklist for cid, lc in lib.checklists.items()}, lib.sources)
    # The score uses today's wording and scale: say which checklists changed since they were answered.
    for i, line in enumerate(describe_all(answers, lib)):
        echo(f"note: {line}" if i == 0 else f"      {line}", err=True)
    from ..findings.reassessment import reassessment
    from .dates import as_of_or_today

    due = reassessment(answers.meta.date, findings, {cid: lc.checklist for cid, lc in lib.checklists.items()},
                       as_of_or_today(as_of))
    if as_json:
        print_json({**to_json(findings), "reassessment": to_json(due)})
        return
    from .findings_text import findings_lines

    for line in findings_lines(answers.meta, findings, top=actions):
        echo(line)
    echo("")
    echo(due.text[0].upper() + due.text[1:])


@guarded
def compare(
    ctx: typer.Context,
    old: Path = typer.Argument(..., metavar="OLD.yaml", help="The earlier assessment."),
    new: Path = typer.Argument(..., metavar="NEW.yaml", help="The later assessment of the same subject."),
    as_json: bool = typer.Option(False, "--json", help="Print the comparison as JSON for scripts."),
) -> None:
    """Show what changed between two assessments of the same subject.

    Both are scored with the checklists in view now, so a change of score comes from the answers.

    Lists score, rating, exposure and coverage changes, questions that entered or left scope, and a like-for-like score.

    Then red flags raised or cleared, and answers changed, added or removed.

    Example: ddcheck compare 2024/answers.yaml 2025/answers.yaml
    """
    from ..answers.assessment import load_assessment
    from ..findings.comparison import compare_assessments
    from ..findings.model import to_json

    before, after = load_assessment(old), load_assessment(new)
    lib = library_for(ctx, (old, before), (new, after))
    comparison = compare_assessments(before, after, {cid: lc.checklist for cid, lc in lib.checklists.items()},
                                     lib.sources)
    for warning in comparison.warnings:
        echo(f"warning: {warning}", err=True)
    if as_json:
        print_json(to_json(comparison))
        return
    from .findings_text import comparison_lines

    for line in comparison_lines(comparison):
        echo(line)

