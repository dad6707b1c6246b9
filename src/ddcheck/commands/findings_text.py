"""Findings and comparisons as plain terminal text: lines in, nothing printed here.

Kept out of the command functions so the layout can be tested without a CLI runner, and so the
commands stay a few lines each. Plain text, no colour or box drawing: the output is pasted into
e-mails and tickets as often as it is read in a terminal.
"""

from __future__ import annotations

from typing import Iterator

from ..answers.assessment import Meta
from ..checklists.model import unquoted
from ..findings.comparison import ADDED, REMOVED, Comparison, ScoreChange
from ..findings.model import Findings, QuestionResult, Rating
from ..terminal import cut

TITLE_WIDTH = 52
GAP_WORDS = {"unanswered": "unanswered", "skipped": "skipped", "unknown": "don't know",
             "off_scale": "answer not on the scale", "na_without_note": "not applicable without a note",
             "na_contradicts": "not applicable contradicts an exposure answer"}


def _score(score: float | None) -> str:
    return "—" if score is None else f"{score:.1f}"


def _rating(rating: Rating | None) -> str:
    return rating.value if rating else "—"


def _num(value: float) -> str:
    return f"{value:g}"


def _where(q: QuestionResult) -> str:
    return f"{q.checklist_id} {q.number}"


def _coverage(coverage: float | None) -> str:
    return "—" if coverage is None else f"{coverage * 100:.0f}%"


def _measures(label: str, exposure: str | None, score: float | None, coverage: float | None,
              rating: Rating | None) -> str:
    """One row of the score table: exposure, controls score, coverage and rating, in fixed columns."""
    return (f"{label:<{TITLE_WIDTH}} {exposure or '—':<9} {_score(score):>8} {_coverage(coverage):>9}  "
            f"{_rating(rating):<8}")


def findings_lines(meta: Meta, findings: Findings, top: int = 10) -> Iterator[str]:
    """The ``ddcheck score`` table: overall and per checklist (exposure, controls, coverage, rating) with
    why, sections' controls scores, exposure answers, red flags, gaps, actions."""
    yield f"{meta.subject} — {meta.organisation} (assessed {meta.date.isoformat()} by {meta.assessor})"
    yield ""
    yield f"{'':<{TITLE_WIDTH}} {'exposure':<9} {'controls':>8} {'coverage':>9}  {'rating':<8}  risk (controls)"
    o = findings.overall
    yield _measures("Overall", o.exposure, o.score, o.coverage, o.rating) + \
        f"  {_num(o.risk_total)} of {_num(o.risk_max)}"
    for reason in o.reasons:
        yield f"  - {reason}"
    for c in findings.checklists:
        yield ""
        head = f"{c.id}  " + cut(f"{c.title} (v{c.version})", TITLE_WIDTH - 2 - len(c.id))
        yield _measures(head, c.exposure, c.score, c.coverage, c.rating) + \
            f"  {_num(c.risk_total)} of {_num(c.risk_max)}"
        for i, s in enumerate(c.sections, start=1):
            yield f"  {i:>2}  {cut(s.title, TITLE_WIDTH - 16):<{TITLE_WIDTH - 6}} {'':<9} {_score(s.score):>8}" \
                  f" {'':>9}  {'':<8}  {_num(s.risk_total)} of {_num(s.risk_max)}"
        yield "  Why this rating:"
        for reason in c.reasons:
            yield f"  - {reason}"

    exposed = [q for c in findings.checklists for s in c.sections for q in s.questions
               if q.role == "exposure" and q.exposure not in (None, "none")]
    yield ""
    yield f"Exposure answers ({len(exposed)})" + ("" if exposed else ": none")
    for q in exposed:
        counted = " (counted as the scale's highest)" if q.status.value == "gap" else ""
        yield f"  {_where(q)}  {q.exposure}{counted}: {cut(q.text, 70)} ({q.answer or 'no answer'})"

    yield ""
    yield f"Red flags ({len(findings.red_flags)})" + ("" if findings.red_flags else ": none")
    for q in findings.red_flags:
        yield f"  {_where(q)}  [{q.severity or 'high'}] {q.text}"
        yield f"      answer: {q.answer or '(none)'}"
        if q.note:
            yield f"      note: {cut(q.note, 200)}"
        for cite in q.citations:
            yield f"      source: {cite.source_title}, {cite.locator}: \u201c{unquoted(cite.quote)}\u201d"

    yield ""
    yield f"Gaps ({len(findings.gaps)})" + ("" if findings.gaps else ": none")
    for q in findings.gaps:
        yield f"  {_where(q)}  {cut(q.text, 80)} ({GAP_WORDS.get(q.gap_reason or '', 'gap')})"

    yield ""
    actions = findings.actions if top <= 0 else findings.actions[:top]
    shown = f"top {len(actions)} of {len(findings.actions)}" if len(actions) < len(findings.actions) \
        else str(len(findings.actions))
    yield f"Action plan ({shown})" + ("" if findings.actions else ": nothing to do")
    for a in actions:
        kind = ("gap" if a.kind == "gap" else f"exposure {a.exposure}" if a.kind == "exposure"
                else f"risk {a.risk}") + (", red flag" if a.red_flag else "")
        yield f"  {a.priority:>3}. {a.checklist_id} {a.number}  {a.action}  [{kind}, weight {_num(a.weight)}]"
    if len(actions) < len(findings.actions):
        yield f"       … {len(findings.actions) - len(actions)} more: use --actions 0, or --json"

    n = findings.counts
    yield ""
    yield (f"Questions: {n.answered} answered, {n.gaps} gaps, {n.na} not applicable, {n.info} information, "
           f"{n.out_of_scope} out of scope")
    if findings.frameworks:
        yield ""
        yield "Framework coverage (in-scope questions answered)"
        for f in findings.frameworks:
            yield f"  {f.text}"
    if findings.orphans:
        yield "Answers to questions the checklist no longer has (kept in the file, not scored):"
        for orphan in findings.orphans:
            yield f"  {orphan.checklist_id} {orphan.question_id}: {orphan.answer}"


def _change_row(label: str, c: ScoreChange, indent: str = "") -> str:
    old = f"{_score(c.old_score)} {_rating(c.old_rating) if c.old_rating else ''}".strip()
    new = f"{_score(c.new_score)} {_rating(c.new_rating) if c.new_rating else ''}".strip()
    if c.presence == ADDED:
        change = "(new)"
    elif c.presence == REMOVED:
        change = "(no longer assessed)"
    else:
        change = "—" if c.delta is None else f"{c.delta:+.1f}"
    return f"{indent}{cut(label, TITLE_WIDTH - len(indent)):<{TITLE_WIDTH - len(indent)}} " \
           f"{old:>15} → {new:<15} {change}"


def comparison_lines(comparison: Comparison) -> Iterator[str]:
    """The ``ddcheck compare`` text: score changes, red flags raised and cleared, answer changes."""
    o, n = comparison.old, comparison.new
    yield f"{n.subject} — {n.organisation}"
    yield f"OLD: {o.date} by {o.assessor}    NEW: {n.date} by {n.assessor}"
    yield ""
    yield f"{'Controls score and rating':<{TITLE_WIDTH}} {'OLD':>15}   {'NEW':<15}"
    yield _change_row("Overall", comparison.overall)
    for c in comparison.checklists:
        yield _change_row(f"{c.id}: {c.title}", c)
        for s in c.sections:
            if s.old_score != s.new_score or s.presence != "both":
                yield _change_row(s.title, s, indent="    ")
    yield ""
    yield "Exposure and coverage"
    for c in (comparison.overall, *comparison.checklists):
        yield f"  {cut(c.id, TITLE_WIDTH - 2):<{TITLE_WIDTH - 2}} exposure {c.old_exposure or '—'} → " \
              f"{c.new_exposure or '—'}, coverage {_coverage(c.old_coverage)} → {_coverage(c.new_coverage)}"
    for title, ids in (("Checklists added", comparison.checklists_added),
                       ("Checklists removed", comparison.checklists_removed)):
        if ids:
            yield f"{title}: {', '.join(ids)}"
    if comparison.like_for_like:
        yield ""
        yield "Like for like (controls score over the questions in scope and scored in both)"
        for lfl in comparison.like_for_like:
            change = "—" if lfl.delta is None else f"{lfl.delta:+.1f}"
            yield f"  {cut(lfl.id, TITLE_WIDTH - 2):<{TITLE_WIDTH - 2}} {_score(lfl.old_score):>6} → " \
                  f"{_score(lfl.new_score):<6} {change}  ({lfl.questions} questions)"
    for title, moved in (("Questions that entered scope", comparison.scope_entered),
                         ("Questions that left scope", comparison.scope_left)):
        yield ""
        yield f"{title} ({len(moved)})" + ("" if moved else ": none")
        for m in moved:
            yield f"  {m.checklist_id} {m.number}  {cut(m.question, 80)}"
    for title, flags in (("Red flags raised", comparison.red_flags_raised),
                         ("Red flags cleared", comparison.red_flags_cleared)):
        yield ""
        yield f"{title} ({len(flags)})" + ("" if flags else ": none")
        for f in flags:
            yield f"  {f.checklist_id} {f.number}  {cut(f.question, 80)}: {f.answer or '(no answer)'}"
    for kind, title in (("changed", "Answers changed"), ("added", "Answers added"),
                        ("removed", "Answers removed")):
        rows = [a for a in comparison.answers if a.change == kind]
        yield ""
        yield f"{title} ({len(rows)})" + ("" if rows else ": none")
        for a in rows:
            where = f"{a.checklist_id} {a.number or a.question_id}"
            if kind == "changed":
                yield f"  {where}  {cut(a.question, 70)}: {a.old_answer} → {a.new_answer}"
            else:
                yield f"  {where}  {cut(a.question, 70)}: {a.new_answer if kind == 'added' else a.old_answer}"
    yield ""
    yield f"Gaps: {comparison.gaps_old} → {comparison.gaps_new}"
