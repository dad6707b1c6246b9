"""The XLSForm's field names and choice names, shared by the form export and the submission import.

ODK and KoboToolbox name every answer by the form field's ``name``, so the names must map back to
(checklist, question) exactly. They are derived from the checklists in one place, and a digest of
the mapping travels in the form (a ``calculate`` field), so submissions made with an older form are
recognised instead of being read with today's names.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Sequence

from ..checklists.library import question_fingerprints
from ..checklists.model import Checklist, QuestionType
from .layout import Entry, entries

NAME_OK = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")  # an XML name, as XLSForm requires
CHOICE_OK = re.compile(r"^[A-Za-z0-9_.-]+$")  # no spaces: select_multiple answers are space-separated
RESPONDENT_NAME, RESPONDENT_ROLE, SUBJECT = "respondent_name", "respondent_role", "subject"
FORM_DIGEST, FORM_CHECKLISTS = "ddcheck_form", "ddcheck_checklists"  # calculate fields: what the columns mean


@dataclass(frozen=True)
class FormField:
    """One question of the form: the answer field, its note and evidence fields, and choice names."""

    entry: Entry
    name: str
    group: str
    choices: dict[str, str]  # scale value -> choice name in the form

    @property
    def note(self) -> str:
        return f"{self.name}_note"

    @property
    def evidence(self) -> str:
        return f"{self.name}_evidence"

    @property
    def select(self) -> bool:
        return self.entry.question.type in (QuestionType.choice, QuestionType.yesno, QuestionType.multi)

    def value_of(self, choice_name: str) -> str:
        """A submitted choice name back to the scale value (unknown names are passed on for the validator)."""
        return {name: value for value, name in self.choices.items()}.get(choice_name, choice_name)


def field_name(checklist_id: str, question_id: str) -> str:
    name = f"{checklist_id}__{question_id}".replace("-", "_")
    return name if NAME_OK.match(name) else f"q_{name}"


def form_fields(checklists: Sequence[Checklist]) -> list[FormField]:
    """Every question once, in workflow order, with the names the form gives it.

    Names must be unique in the form, yet ids map onto them lossily: ``audit-access`` and
    ``audit_access`` both give ``audit_access``, and a question ``policy-note`` gives the name of
    question ``policy``'s note field. A later name that is taken gets a counter (``_2``); the
    order is the workflow order, so export and import derive the same names.
    """
    fields = []
    taken: set[str] = set()
    groups: dict[tuple[str, str], str] = {}
    for entry in entries(checklists):
        home, qid = entry.key
        checklist = entry.checklist
        choices = {c.value: c.value if CHOICE_OK.match(c.value) else f"c{i}"
                   for i, c in enumerate(checklist.choices(entry.question), start=1)}
        section_key = (checklist.id, entry.section.id)
        if section_key not in groups:
            section_index = checklist.sections.index(entry.section) + 1
            groups[section_key] = _unique(f"{field_name(checklist.id, entry.section.id)}_{section_index}", taken)
        name = _unique(field_name(home, qid), taken, suffixes=("", "_note", "_evidence"))
        fields.append(FormField(entry, name, groups[section_key], choices))
    return fields


def _unique(base: str, taken: set[str], suffixes: Sequence[str] = ("",)) -> str:
    """``base``, or ``base_2``, ``base_3``...: the first whose names with every suffix are all free."""
    name, count = base, 1
    while any(name + s in taken for s in suffixes):
        count += 1
        name = f"{base}_{count}"
    taken.update(name + s for s in suffixes)
    return name


def form_digest(fields: Sequence[FormField]) -> str:
    """What the submissions' columns mean: field names, choice names and each question's fingerprint."""
    prints: dict[str, dict[str, str]] = {}
    data = []
    for f in fields:
        checklist = f.entry.checklist
        if checklist.id not in prints:
            prints[checklist.id] = question_fingerprints(checklist)
        data.append([f.name, f.entry.ref, f.choices, prints[checklist.id][f.entry.question.id]])
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]
