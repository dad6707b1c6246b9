"""Opening an assessment for work: start a new one, or bring an existing one up to date.

Shared by ``assess`` and ``answers import`` so both record checklist versions, report changed
checklists and refuse broken files in the same way. Nothing here touches the terminal; the start
questions (organisation, subject, assessor, date) go through the questionnaire's Prompter.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from .assessment import MAX_SHORT, Assessment, Meta, load_assessment, now
from .changes import adopt, describe_all, new_ref
from ..checklists.model import Checklist
from ..errors import InputError, display_path
from ..checklists.library import Library

if TYPE_CHECKING:  # the questionnaire is only needed by 'assess'; 'status' and 'answers import' don't load it
    from .questionnaire import Prompter


def load_if_exists(path: Path) -> Assessment | None:
    """The assessment at ``path``, None if there is none yet; a broken file raises (and is never written).

    A new file must be named .yaml/.yml: 'answers import filled.xlsx -o answers.csv' would otherwise
    create an assessment that every later command, and the user, takes for something else.
    """
    if not path.exists():
        if path.suffix.lower() not in (".yaml", ".yml"):
            raise InputError(f"{display_path(path)}: an assessment file is YAML; name it e.g. "
                             f"{path.stem or 'assessment'}.yaml")
        return None
    if path.is_dir():
        raise InputError(f"{display_path(path)} is a folder; give a file name such as answers.yaml")
    return load_assessment(path)


def new_assessment(meta: Meta, checklists: list[Checklist]) -> Assessment:
    meta = meta.model_copy(update={"created": meta.created or now()})
    return Assessment(meta=meta, checklists=[new_ref(c) for c in checklists])


@dataclass
class Reconciled:
    checklists: list[Checklist]  # in the assessment's order
    report: list[str] = field(default_factory=list)  # what changed, for the analyst
    modified: bool = False  # whether the assessment needs saving


def reconcile(assessment: Assessment, library: Library, wanted: list[str], path: Path) -> Reconciled:
    """Add newly requested checklists, report changed ones and record their current versions."""
    result = Reconciled(checklists=[])
    for checklist_id in wanted:
        if checklist_id not in {r.id for r in assessment.checklists}:
            checklist = library.get(checklist_id).checklist
            assessment.checklists.append(new_ref(checklist))
            result.report.append(f"Added checklist '{checklist_id}' to {display_path(path)}.")
            result.modified = True
    refs = []
    result.checklists = checklists_of(assessment, library, path)
    result.report += describe_all(assessment, library)
    for ref, checklist in zip(assessment.checklists, result.checklists):
        updated = adopt(ref, checklist, assessment)
        result.modified |= updated != ref
        refs.append(updated)
    assessment.checklists = refs
    return result


def checklists_of(assessment: Assessment, library: Library, path: Path) -> list[Checklist]:
    """The checklists the assessment was answered against, as they are now, in its order."""
    loaded = library.require([ref.id for ref in assessment.checklists], answered_in=display_path(path),
                             places=assessment.places)
    return [lc.checklist for lc in loaded]


def progress_summary(assessment: Assessment, checklists: Sequence[Checklist]) -> str:
    """"12/20 relevant questions answered, 8 gap(s)": how ``assess`` and ``answers import`` end."""
    from .progress import summary

    counts = summary(checklists, assessment)
    return f"{counts.answered}/{counts.relevant} relevant questions answered, {counts.gaps} gap(s)"


def ask_meta(prompter: Prompter, organisation: str | None, subject: str | None, assessor: str | None,
             date: str | None) -> Meta:
    """Ask once, at the start, for what the options did not give."""

    def required(value: str) -> str | None:
        return None if value.strip() else "Please type something (it appears on the report's cover)"

    def day(value: str) -> str | None:
        return None if parse_date(value) else "Write the date as YYYY-MM-DD, e.g. 2024-03-31"

    if None in (organisation, subject, assessor, date):
        prompter.show("New assessment. A few questions first; the answers appear on the report's cover.")
    organisation = organisation or prompter.text("Organisation carrying out the assessment:", validate=required)
    subject = subject or prompter.text("Subject assessed (e.g. a supplier or a joint venture):",
                                       validate=required)
    assessor = assessor or prompter.text("Assessor (your name):", validate=required)
    if date is None:
        date = prompter.text("Date of the assessment (YYYY-MM-DD):", default=dt.date.today().isoformat(),
                             validate=day)
    return meta_from(organisation, subject, assessor, date)


def parse_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip()) if len(value.strip()) == 10 else None
    except ValueError:
        return None


def date_option(date: str | None) -> dt.date | None:
    """The ``--date`` option as a date (None when not given); anything else is an InputError (exit 2)."""
    if date is None:
        return None
    day = parse_date(date)
    if day is None:
        raise InputError(f"--date '{date}' is not a date; write it as YYYY-MM-DD, e.g. 2024-03-31")
    return day


def cover_option(name: str, value: str | None) -> str | None:
    """A cover option (``--organisation``, ``--subject``, ``--assessor``) within the file's bound,
    or one clear InputError (exit 2) instead of a ValidationError traceback."""
    if value is not None and len(value.strip()) > MAX_SHORT:
        raise InputError(f"--{name} is {len(value.strip()):,} characters long; at most {MAX_SHORT} are kept")
    return value


def meta_from(organisation: str, subject: str, assessor: str, date: str | None) -> Meta:
    for name, value in (("organisation", organisation), ("subject", subject), ("assessor", assessor)):
        cover_option(name, value)
    day = date_option(date) or dt.date.today()
    return Meta(organisation=organisation.strip(), subject=subject.strip(), assessor=assessor.strip(), date=day)


def ignored_options(path: Path, **given: str | None) -> list[str]:
    """Notes for cover options given when resuming, where they change nothing (the file keeps its own)."""
    return [f"note: --{name} only applies to a new assessment; {display_path(path)} keeps its own"
            for name, value in given.items() if value is not None]
