"""The report as Markdown (GitHub-flavoured: tables and ``[^n]`` footnotes), from the view-model.

Answer text is untrusted here too: a Markdown viewer renders raw HTML and link syntax, so every
value is escaped (:func:`md`) and can only ever read as the words the analyst typed. That includes
what GitHub-flavoured Markdown links by itself (``https://…``, ``www.…``, ``name@host``): an
escaped ``:``, ``.`` or ``@`` splits the text so no autolink forms. Control characters (ESC, C1,
bidi overrides) are shown as escapes by the same sanitiser as the terminal's, since ``-o -``
prints the report on one.
"""

from __future__ import annotations

import re

from ..terminal import visible
from .context import NO_SCORE, QuestionView, ReportContext, paragraphs

EMPTY = "\u2014"  # shown for an empty answer
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&@])")
_AUTOLINK = re.compile(r"(?i)(?<=[a-z0-9])(:)(?=//)|(?<=www)(\.)")  # scheme:// and www.
_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+(?=[.)]))")


def md(text: object) -> str:
    """Escape Markdown and HTML syntax so that the text shows literally, on one line."""
    flat = " ".join(visible(text).split())
    escaped = _AUTOLINK.sub(lambda m: "\\" + m.group(), _SPECIAL.sub(r"\\\1", flat))
    # Block syntax only counts at the start of a line: "# x", "- x", "1. x".
    if m := _LINE_START.match(escaped):
        lead, mark = m.group(1), m.group(2)
        rest = escaped[m.end():]
        return lead + (mark + "\\" + rest if mark[0].isdigit() else "\\" + mark + rest)
    return escaped


def code(text: object) -> str:
    """Text as an inline code span, shown exactly: fenced by one more backtick than its longest run.

    Inside a code span nothing is Markdown, so the text is not escaped (``md`` would show its
    backslashes); a space pads a text that starts or ends with a backtick, as CommonMark asks.
    """
    flat = " ".join(visible(text).split())
    longest = max((len(run) for run in re.findall(r"`+", flat)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


def _out_of_100(score_text: str) -> str:
    return score_text if score_text == NO_SCORE else f"{score_text} / 100"


def _url(url: str) -> str:
    """Source URLs come from sources.yaml and are http(s) by its schema; angle brackets keep them whole."""
    return f"<{url.replace('>', '%3E').replace(' ', '%20')}>"


def render_markdown(r: ReportContext) -> str:
    out: list[str] = []
    notes: list[str] = []
    add = out.append

    add(f"# {md(r.title)}: {md(r.subject)}")
    add("")
    add(f"> **{md(r.confidentiality)}** Report ID {code(r.report_id)}.")
    add(">")
    add(f"> **Scope and limitations.** {md(r.scope)}")
    add(">")
    add(f"> **Self-assessment \u2014 not an audit or a legal opinion.** {md(r.disclaimer)}")
    add("")
    add("| | |")
    add("|---|---|")
    for label, value in (("Organisation", r.organisation), ("Subject", r.subject), ("Assessor", r.assessor),
                         ("Assessment date", r.date),
                         ("Overall rating", f"{r.overall.rating_label} (controls score {_out_of_100(r.overall.score_text)})"),
                         ("Report ID", r.report_id),
                         ("Generated", f"{r.audit.generated_at} by ddcheck {r.audit.ddcheck_version}")):
        add(f"| {label} | {md(value)} |")
    checklists = "; ".join(f"{c.title} ({c.id}, version {c.version})" for c in r.checklists)
    add(f"| Checklists | {md(checklists)} |")
    add("")

    add("## Executive summary")
    add("")
    add(f"**{md(r.overall.rating_label)}** (the most severe checklist rating); exposure "
        f"{md(r.overall.exposure_text)}, controls score {_out_of_100(r.overall.score_text)} (100 means every control "
        f"in place), coverage {md(r.overall.coverage_text)}.")
    add("")
    for reason in r.overall.reasons:
        add(f"- {_reason(reason)}")
    add("")
    c = r.counts
    add(f"Answered: {c.answered} \u00b7 Gaps: {c.gaps} \u00b7 Not applicable: {c.na} \u00b7 "
        f"For information: {c.info} \u00b7 Not asked: {c.out_of_scope} \u00b7 Red flags: {len(r.red_flags)}")
    add("")
    add("### Exposure, controls and coverage by checklist")
    add("")
    add("| Checklist | Exposure | Controls | Coverage | Rating |")
    add("|---|---|---:|---:|---|")
    for cl in r.checklists:
        add(f"| {md(cl.title)} | {md(cl.exposure_text)} | {cl.score_text} | {md(cl.coverage_text)} | "
            f"{md(cl.rating_label)} |")
    add("")
    if r.matrix:
        add("### How the rating is reached: exposure \u00d7 controls")
        add("")
        add("| Exposure \\ controls | " + " | ".join(md(c) for c in r.matrix.columns) + " |")
        add("|---|" + "---|" * len(r.matrix.columns))
        for row in r.matrix.rows:
            cells = [md(c.rating_label) + (f" **\u2190 checklist {', '.join(map(str, c.checklists))}**" if c.checklists else "")
                     for c in row.cells]
            add(f"| {md(row.exposure.capitalize())} | " + " | ".join(cells) + " |")
        add("")
        add(md(" ".join(r.matrix.placed)))
        add("")
    add("### Controls scores by checklist and section")
    add("")
    add("| Checklist / section | Score | Rating |")
    add("|---|---:|---|")
    for cl in r.checklists:
        add(f"| **{md(cl.title)}** | {cl.score_text} | {md(cl.rating_label)} |")
        for s in cl.sections:
            add(f"| \u2003{cl.number}.{s.number} {md(s.title)} | {s.score_text} | |")
    add("")
    add("### Red flags")
    add("")
    if r.red_flags:
        for f in r.red_flags:
            action = f" {md(f.action)}" if f.action else ""
            add(f"- **Question {f.number}** {md(f.text)} Answer: *{md(f.answer)}*.{action}")
    else:
        add("No answer raised a red flag.")
    add("")
    if r.orphans:
        add(f"The assessment also holds {len(r.orphans)} answer(s) to questions that the current checklists "
            "no longer ask. They are kept in the file and not scored:")
        add("")
        for o in r.orphans:
            add(f"- {code(o.checklist_id + '/' + o.question_id)}: {md(o.value) or EMPTY}")
        add("")

    add("## Action plan")
    add("")
    if r.actions:
        add("| # | Action | Question | Risk |")
        add("|---:|---|---|---|")
        for a in r.actions:
            flag = "Red flag; " if a.red_flag else ""
            follow = f" ({md(a.follow_up)})" if a.follow_up else ""
            add(f"| {a.priority} | {md(a.action)}{follow} | {md(a.checklist_title)}, question {a.number}: "
                f"{md(a.question)} | {flag}{md(a.risk_label)} |")
    else:
        add("No action is recommended.")
    add("")

    for cl in r.checklists:
        add(f"## {cl.number}. {md(cl.title)}")
        add("")
        add(f"**{md(cl.rating_label)}**, score {_out_of_100(cl.score_text)} \u00b7 {md(cl.id)} version {md(cl.version)}")
        add("")
        for reason in cl.reasons:
            add(f"- {_reason(reason)}")
        add("")
        for s in cl.sections:
            add(f"### {cl.number}.{s.number} {md(s.title)} (score {s.score_text})")
            add("")
            for q in s.questions:
                _question(q, add, notes)
            if s.out_of_scope:
                add("*Not asked, given earlier answers:* " +
                    "; ".join(f"{q.number} {md(q.text)}" for q in s.out_of_scope))
                add("")

    add("## Sources and method")
    add("")
    for b in r.sources:
        # Facts the document does not state are left out, as in the PDF.
        parts = ([md(b.authors)] if b.authors else []) + [f"*{md(b.title)}*"]
        parts.append(f"{md(b.publisher)}, {md(b.date_text)}" if b.publisher else md(b.date_text))
        url = f" {_url(b.url)}." if b.url else ""
        remark = f" {md(b.notes)}" if b.notes else ""
        entry = ". ".join(parts)
        entry += "" if entry.endswith(".") else "."
        add(f"{b.ref}. {entry}{url} Cited {b.citations} time{'s' if b.citations != 1 else ''}.{remark}")
    add("")
    add("### How the scores are computed")
    add("")
    for para in r.method.paragraphs:
        add(md(para))
        add("")
    for band in r.method.bands:
        add(f"- **{md(band.label)}**: {md(band.rule)}")
    add("")

    a = r.audit
    add("## Audit trail")
    add("")
    add(f"- Assessment file: {code(a.file_name)} ({a.size} bytes), SHA-256 {code(a.sha256)}; embedded in the PDF "
        f"as {code(a.attachment_name)}")
    for p in a.checklists:
        state = "not found" if p.matches is None else "unchanged since answered" if p.matches else "changed since answered"
        add(f"- Checklist {md(p.id)} version {md(p.version)}: fingerprint {code(p.recorded)} ({state})")
    add(f"- {a.answers} answers by {md(', '.join(a.answerers) or 'nobody')}; {a.changed_answers} changed "
        f"({a.changes} earlier versions kept)")
    for h in a.history:
        add(f"  - Question {h.number} {md(h.question)} \u2014 {h.changes} earlier "
            f"version{'s' if h.changes != 1 else ''}, current by {md(h.answered_by)}, {h.answered_at}")
    add(f"- Generated {a.generated_at} by ddcheck {a.ddcheck_version}")
    add("")
    if notes:
        out.extend(notes)
        add("")
    return "\n".join(out)


def _reason(reason) -> str:
    """A reason of the rating, its questions named by number (the Markdown has no anchors)."""
    numbers = [q.number for q in reason.questions]
    if not numbers:
        return md(reason.text)
    named = numbers[0] if len(numbers) == 1 else ", ".join(numbers[:-1]) + " and " + numbers[-1]
    return f"{md(reason.text)} {named}."


def _question(q: QuestionView, add, notes: list[str]) -> None:
    calls = ""
    for f in q.citations:
        n = len(notes) + 1
        notes.append(f"[^{n}]: [{f.ref}] {md(f.short)}, {md(f.locator)}: \u201c{md(f.quote)}\u201d")
        calls += f"[^{n}]"
    flag = " \U0001F6A9 **Red flag**" if q.red_flag else ""
    add(f"**{q.number} {md(q.text)}**{calls}")
    add("")
    answer = md(q.answer) or EMPTY
    add(f"Answer: **{answer}** \u2014 *{md(q.risk_label)}*{flag}")
    add("")
    if q.note:
        paras = [md(p) for p in paragraphs(q.note)]
        add("\n>\n".join(f"> {p}" for p in paras))
        add("")
    if q.evidence:
        add("Evidence: " + "; ".join(md(e) for e in q.evidence))
        add("")
    if q.action:
        add(f"Recommended action: {md(q.action)}")
        add("")
    if q.answered_by or q.answered_at:
        who = f"Answered by {md(q.answered_by)}" if q.answered_by else "Answered"
        when = f" on {q.answered_at}" if q.answered_at else ""
        changed = f", changed {q.changes} time{'s' if q.changes != 1 else ''}" if q.changes else ""
        add(f"*{who}{when}{changed}*")
        add("")
