"""What changed in a checklist since an assessment was answered against it (pure functions).

The assessment records, per checklist, the version, the content fingerprint and one fingerprint
per question (``ChecklistRef.questions``), in the manner of doorstop's review stamps. A question's
recorded fingerprint is the one its answer was given against: when the wording, type or answer
choices change, the answer is kept but flagged "to confirm" until the analyst answers the new
wording. Answers to removed questions are never dropped: they stay in the file and are reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from .scope import question_label
from .values import display_value, plain_value, still_valid
from .assessment import Answer, Assessment, ChecklistRef
from ..checklists.model import Checklist
from ..checklists.library import Library, content_fingerprint, question_fingerprints


@dataclass(frozen=True)
class ChecklistChanges:
    checklist_id: str
    old_version: str
    new_version: str
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()  # question ids no longer in the checklist
    changed: tuple[str, ...] = ()  # wording, type or answer choices differ from what was answered
    kept_answers: tuple[str, ...] = ()  # removed questions whose answers stay in the file
    invalid_answers: tuple[str, ...] = ()  # changed questions whose stored answer is no longer valid
    other_content: bool = False  # guidance, citations, scoring... changed, but no question's meaning
    answers: dict[str, str] = field(default_factory=dict, compare=False)  # question id -> answer as shown
    numbers: dict[str, str] = field(default_factory=dict, compare=False)  # question id -> "2.1" (as now)
    wording: dict[str, tuple[str | None, str]] = field(default_factory=dict, compare=False)  # changed: (then, now)

    @property
    def any(self) -> bool:
        return bool(self.added or self.removed or self.changed or self.kept_answers or self.other_content
                    or self.old_version != self.new_version)

    def to_json(self) -> dict[str, object]:
        return {"checklist": self.checklist_id, "old_version": self.old_version,
                "new_version": self.new_version, "added": list(self.added), "removed": list(self.removed),
                "changed": list(self.changed), "kept_answers": list(self.kept_answers),
                "invalid_answers": list(self.invalid_answers), "other_content": self.other_content}


def compare(ref: ChecklistRef, checklist: Checklist, assessment: Assessment) -> ChecklistChanges:
    """Compare what the assessment recorded with the checklist as it is now."""
    now = question_fingerprints(checklist)
    then = ref.questions
    answered = _answered(ref, checklist, assessment)
    added = tuple(q for q in now if q not in then)
    removed = tuple(q for q in then if q not in now)
    changed = tuple(q for q in now if q in then and then[q] != now[q])
    kept = tuple(q for q in answered if q not in now)
    invalid = tuple(q for q in changed if q in answered
                    and not still_valid(checklist, checklist.question(q), answered[q].value))  # type: ignore[arg-type]
    shown = {}
    for q in kept:
        shown[q] = plain_value(answered[q].value)  # no question to read labels from
    for q in changed:
        if q in answered:
            shown[q] = display_value(checklist, checklist.question(q), answered[q].value)  # type: ignore[arg-type]
    other = (not (added or removed or changed) and ref.fingerprint != content_fingerprint(checklist))
    numbers = question_numbers(checklist)
    wording = {q: (ref.wording.get(q), checklist.question(q).text) for q in changed}  # type: ignore[union-attr]
    return ChecklistChanges(ref.id, ref.version, checklist.version, added, removed, changed, kept, invalid,
                            other, shown, numbers, wording)


def question_numbers(checklist: Checklist) -> dict[str, str]:
    """Question id -> ``2.1``, as the questionnaire and the report number it."""
    return {q.id: question_label(s_i, q_i) for s_i, section in enumerate(checklist.sections, start=1)
            for q_i, q in enumerate(section.questions, start=1)}


def _answered(ref: ChecklistRef, checklist: Checklist, assessment: Assessment) -> dict[str, Answer]:
    """The answers stored under the checklist, and those to its shared questions (stored in their homes)."""
    found = dict(assessment.answers.get(ref.id, {}))
    for question_id, home_id in checklist.shared.items():
        answer = assessment.answer(home_id, question_id)
        if answer is not None:
            found[question_id] = answer
    return found


def to_confirm(ref: ChecklistRef, checklist: Checklist, assessment: Assessment) -> set[str]:
    """Answered questions whose wording or choices changed since they were answered."""
    now = question_fingerprints(checklist)
    answered = _answered(ref, checklist, assessment)
    return {q for q in answered if q in now and q in ref.questions and ref.questions[q] != now[q]}


def new_ref(checklist: Checklist) -> ChecklistRef:
    return ChecklistRef(id=checklist.id, version=checklist.version, fingerprint=content_fingerprint(checklist),
                        questions=question_fingerprints(checklist))


def adopt(ref: ChecklistRef, checklist: Checklist, assessment: Assessment) -> ChecklistRef:
    """Move the record to the current checklist, except answers still to be confirmed.

    Added and unanswered changed questions take the new fingerprints; answered changed questions
    keep the old one (so they stay "to confirm" until answered again); removed questions leave
    the record, while their answers stay in ``assessment.answers``.
    """
    now = question_fingerprints(checklist)
    pending = to_confirm(ref, checklist, assessment)
    questions = {q: (ref.questions[q] if q in pending else fp) for q, fp in now.items()}
    texts = {q.id: q.text for _, q in checklist.questions()}
    wording = {q: (text if q in pending else texts[q]) for q, text in ref.wording.items() if q in texts}
    return ChecklistRef(id=ref.id, version=checklist.version, fingerprint=content_fingerprint(checklist),
                        questions=questions, wording=wording)


def confirmed(ref: ChecklistRef, checklist: Checklist, question_id: str) -> ChecklistRef:
    """The record after ``question_id`` was answered against the current wording."""
    fingerprint = question_fingerprints(checklist).get(question_id)
    question = checklist.question(question_id)
    if fingerprint is None or question is None:
        return ref
    if ref.questions.get(question_id) == fingerprint and ref.wording.get(question_id) == question.text:
        return ref
    return ref.model_copy(update={"questions": {**ref.questions, question_id: fingerprint},
                                  "wording": {**ref.wording, question_id: question.text}})


def confirmed_everywhere(refs: list[ChecklistRef], checklists: Sequence[Checklist], home: str,
                         question_id: str) -> list[ChecklistRef]:
    """The records after an answer to ``home``/``question_id``, confirmed in every checklist that asks it
    (a shared question is confirmed once for all of them)."""
    by_id = {c.id: c for c in checklists}
    return [confirmed(ref, by_id[ref.id], question_id)
            if ref.id in by_id and by_id[ref.id].home_of(question_id) == home else ref for ref in refs]


def describe(changes: ChecklistChanges) -> list[str]:
    """The report an analyst reads on resume and in ``status``; empty when nothing changed.

    Questions by number (as the questionnaire shows them) with the old and the new wording; only
    answered questions are listed one by one: a changed question nobody answered needs nothing.
    """
    if not changes.any:
        return []
    version = (f"v{changes.old_version} -> v{changes.new_version}" if changes.old_version != changes.new_version
               else f"v{changes.new_version}")
    lines = [f"Checklist '{changes.checklist_id}' changed since it was answered ({version}):"]
    number = changes.numbers.get
    if changes.added:
        lines.append(f"  added: {', '.join(number(q, q) for q in changes.added)} (to be answered)")
    unanswered = 0
    for q in changes.changed:
        if q not in changes.answers:
            unanswered += 1
            continue
        then, now = changes.wording.get(q, (None, ""))
        if then is None:
            what = f"“{now}” (the earlier wording was not recorded)"
        elif then == now:
            what = f"“{now}”: answer choices or limits changed"
        else:
            what = f"“{then}” → “{now}”"
        if q in changes.invalid_answers:
            lines.append(f"  changed {number(q, q)}: {what}; the answer '{changes.answers[q]}' is no longer a "
                         "valid choice: asked again first")
        else:
            lines.append(f"  changed {number(q, q)}: {what}; confirm the answer '{changes.answers[q]}' "
                         "(asked first)")
    if unanswered:
        lines.append(f"  {unanswered} question(s) not answered yet changed too (nothing to confirm)")
    for q in changes.removed:
        if q not in changes.kept_answers:
            lines.append(f"  removed: {q} (had no answer)")
    for q in changes.kept_answers:
        lines.append(f"  removed: {q} — its answer '{changes.answers.get(q, '')}' is kept in the file "
                     "but no longer counted")
    if changes.other_content:
        lines.append("  guidance, citations or scoring changed; no question's wording or choices did")
    return lines


def describe_all(assessment: Assessment, library: Library) -> list[str]:
    """``describe`` for every checklist of the assessment that is in view, in the assessment's order.

    The one loop behind the change report of ``assess``, ``answers import`` and ``score``.
    """
    lines: list[str] = []
    for ref in assessment.checklists:
        loaded = library.checklists.get(ref.id)
        if loaded is not None:
            lines += describe(compare(ref, loaded.checklist, assessment))
    return lines
