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

TITLE_WIDTH = 52
GAP_WORDS = {"unanswered": "unanswered", "skipped": "skipped", "unknown": "don't know",
             "off_scale": "answer not on the scale"}


def _score(score: float | None) -> str:
    return "—" if score is None else f"{score:.1f}"


def _rating(rating: Rating | None) -> str:
    return rating.value if rating else "—"


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _num(value: float) -> str:
    return f"{value:g}"


def _where(q: QuestionResult) -> str:
    return f"{q.checklist_id} {q.number}"


def findings_lines(meta: Meta, findings: Findings, top: int = 10) -> Iterator[str]:
    """The ``ddcheck score`` table: overall, checklists and sections, red flags, gaps, actions."""
    yield f"{meta.subject} — {meta.organisation} (assessed {meta.date.isoformat()} by {meta.assessor})"
    yield ""
    o = findings.overall
    yield f"{'Overall':<{TITLE_WIDTH + 6}} {_score(o.score):>6}  {_rating(o.rating):<8}  " \
          f"risk {_num(o.risk_total)} of {_num(o.risk_max)}"
    for reason in o.reasons:
        yield f"  - {reason}"
    for c in findings.checklists:
        yield ""
        head = f"{c.id}  " + _cut(f"{c.title} (v{c.version})", TITLE_WIDTH + 4 - len(c.id))
        yield f"{head:<{TITLE_WIDTH + 6}} {_score(c.score):>6}  {_rating(c.rating):<8}  " \
              f"risk {_num(c.risk_total)} of {_num(c.risk_max)}"
        for i, s in enumerate(c.sections, start=1):
            yield f"  {i:>2}  {_cut(s.title, TITLE_WIDTH):<{TITLE_WIDTH}} {_score(s.score):>6}            " \
                  f"risk {_num(s.risk_total)} of {_num(s.risk_max)}"
        for reason in c.reasons:
            yield f"  - {reason}"

    yield ""
    yield f"Red flags ({len(findings.red_flags)})" + ("" if findings.red_flags else ": none")
    for q in findings.red_flags:
        yield f"  {_where(q)}  {q.text}"
        yield f"      answer: {q.answer or '(none)'}"
        if q.note:
            yield f"      note: {_cut(q.note, 200)}"
        for cite in q.citations:
            yield f"      source: {cite.source_title}, {cite.locator}: \u201c{unquoted(cite.quote)}\u201d"

    yield ""
    yield f"Gaps ({len(findings.gaps)})" + ("" if findings.gaps else ": none")
    for q in findings.gaps:
        yield f"  {_where(q)}  {_cut(q.text, 80)} ({GAP_WORDS.get(q.gap_reason or '', 'gap')})"

    yield ""
    actions = findings.actions if top <= 0 else findings.actions[:top]
    shown = f"top {len(actions)} of {len(findings.actions)}" if len(actions) < len(findings.actions) \
        else str(len(findings.actions))
    yield f"Action plan ({shown})" + ("" if findings.actions else ": nothing to do")
    for a in actions:
        kind = ("gap" if a.kind == "gap" else f"risk {a.risk}") + (", red flag" if a.red_flag else "")
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
    return f"{indent}{_cut(label, TITLE_WIDTH - len(indent)):<{TITLE_WIDTH - len(indent)}} " \
           f"{old:>15} → {new:<15} {change}"


def comparison_lines(comparison: Comparison) -> Iterator[str]:
    """The ``ddcheck compare`` text: score changes, red flags raised and cleared, answer changes."""
    o, n = comparison.old, comparison.new
    yield f"{n.subject} — {n.organisation}"
    yield f"OLD: {o.date} by {o.assessor}    NEW: {n.date} by {n.assessor}"
    yield ""
    yield _change_row("Overall", comparison.overall)
    for c in comparison.checklists:
        yield _change_row(f"{c.id}: {c.title}", c)
        for s in c.sections:
            if s.old_score != s.new_score or s.presence != "both":
                yield _change_row(s.title, s, indent="    ")
    for title, flags in (("Red flags raised", comparison.red_flags_raised),
                         ("Red flags cleared", comparison.red_flags_cleared)):
        yield ""
        yield f"{title} ({len(flags)})" + ("" if flags else ": none")
        for f in flags:
            yield f"  {f.checklist_id} {f.number}  {_cut(f.question, 80)}: {f.answer or '(no answer)'}"
    for kind, title in (("changed", "Answers changed"), ("added", "Answers added"),
                        ("removed", "Answers removed")):
        rows = [a for a in comparison.answers if a.change == kind]
        yield ""
        yield f"{title} ({len(rows)})" + ("" if rows else ": none")
        for a in rows:
            where = f"{a.checklist_id} {a.number or a.question_id}"
            if kind == "changed":
                yield f"  {where}  {_cut(a.question, 70)}: {a.old_answer} → {a.new_answer}"
            else:
                yield f"  {where}  {_cut(a.question, 70)}: {a.new_answer if kind == 'added' else a.old_answer}"
    yield ""
    yield f"Gaps: {comparison.gaps_old} → {comparison.gaps_new}"
