"""Synthetic assessments of the bundled checklists, for the benchmark (and quick manual looks).

Deterministic (seeded), valid for the checklists in view: every value comes from the question's
own scale, so scoring accepts them. ``notes=True`` fills every note, as a thorough analyst would.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from ddcheck.answers.assessment import Answer, Assessment, ChecklistRef, Meta, PastAnswer, dump_assessment
from ddcheck.checklists.model import QuestionType
from ddcheck.checklists.library import Library, question_fingerprints

NOTE = ("Reviewed the supplier's 2023 social audit and the purchase orders for the last two seasons. "
        "The audit firm visited the spinning mill in Aksu (阿克苏, 新疆) once, announced in advance; "
        "interviews were held with management present. Follow-up questions were sent on 4 March.")


NOTES = (
    NOTE,
    "Supplier declaration received; not yet corroborated by an independent source.",
    "Management interview only. Worker interviews are planned for the next site visit.",
    "The mill's purchase records for 2023 show ginned cotton from two trading companies in Urumqi.",
    "Policy exists in draft (v0.3); board approval expected next quarter.",
    "供应商称所有棉花来自美国和巴西，但未提供提单。",
    "Grievance hotline is run by the HR department; no reports in the last 12 months, which is itself a concern.",
)
EVIDENCE = ("supplier declaration 2024-02", "audit report AR-118", "https://example.org/policy.pdf",
            "bill of lading BL-2291", "site visit minutes")


def _harm(choice) -> int:
    """How bad a choice is, on either kind of scale: a control's risk, or an exposure level's rank."""
    if choice.risk is not None:
        return choice.risk
    return list(type(choice.exposure)).index(choice.exposure)


def synthetic_assessment(library: Library, checklist_ids: list[str], *, notes: bool, seed: int = 7,
                         subject: str = "Synthetic supplier (benchmark)", date: dt.date = dt.date(2024, 3, 2),
                         care: float | None = None, note_share: float = 1.0) -> Assessment:
    """``care`` (0..1), when given, is the chance each answer is the scale's least risky value, so
    subjects differ in rating; ``note_share`` is the share of answers with a note and evidence."""
    rng = random.Random(seed)
    start = dt.datetime.combine(date, dt.time(9, 0), tzinfo=dt.timezone.utc) - dt.timedelta(days=1)
    refs, answers = [], {}
    for cid in checklist_ids:
        lc = library.get(cid)
        cl = lc.checklist
        refs.append(ChecklistRef(id=cid, version=cl.version, fingerprint=lc.fingerprint,
                                 questions=question_fingerprints(cl)))
        given = {}
        for i, (_, q) in enumerate(cl.questions()):
            choices = [c.value for c in cl.choices(q)]
            safest = min((c for c in cl.choices(q) if c.risk is not None or c.exposure is not None),
                         key=_harm, default=None)
            if q.type in (QuestionType.choice, QuestionType.yesno) and care is not None and safest is not None \
                    and rng.random() < care:
                value = safest.value
            elif q.type is QuestionType.multi and care is not None and safest is not None and rng.random() < care:
                value = [safest.value]
            elif q.type in (QuestionType.choice, QuestionType.yesno):
                value = rng.choice(choices)
            elif q.type is QuestionType.multi:
                value = rng.sample(choices, k=min(2, len(choices)))
            elif q.type is QuestionType.number:
                value = float(q.min if q.min is not None else 12)
            elif q.type is QuestionType.date:
                value = "2024-02-15"
            else:
                value = "Two tiers mapped; the ginning stage is not yet traced."
            at = start + dt.timedelta(minutes=7 * i)
            history = []
            if i % 9 == 4:
                history = [PastAnswer(value="unknown", note="First pass: waiting for the supplier.",
                                      answered_at=at - dt.timedelta(days=3), answered_by="Li Wei")]
            noted = notes and (note_share >= 1.0 or rng.random() < note_share)
            note = (NOTE if note_share >= 1.0 else rng.choice(NOTES)) if noted else None
            given[q.id] = Answer(value=value, note=note,
                                 evidence=list(rng.sample(EVIDENCE, k=2)) if noted and note_share < 1.0
                                 else ["supplier declaration 2024-02", "audit report AR-118"] if noted else [],
                                 answered_at=at, answered_by="Maria Keller", history=history)
        answers[cid] = given
    return Assessment(meta=Meta(organisation="Example Importer GmbH", subject=subject,
                                assessor="Maria Keller", date=date),
                      checklists=refs, answers=answers)


def synthetic_yaml(library: Library, checklist_ids: list[str], *, notes: bool) -> str:
    return dump_assessment(synthetic_assessment(library, checklist_ids, notes=notes))


BROKEN_FILES = {
    # name -> (content, what a reader should be told, as a substring of the located error)
    "broken-syntax.yaml": ("ddcheck: 1\nmeta:\n  subject: [unclosed\n", "YAML syntax error"),
    "broken-shape.yaml": ("ddcheck: 1\nmeta:\n  organisation: X\n  subject: Y\n  assessor: Z\n  date: 2024-13-01\n"
                          "checklists: []\n", "date"),
}


def synthetic_portfolio(folder: Path, library: Library, *, subjects: int, seed: int = 11,
                        checklist_ids: list[str] | None = None, per_subject: tuple[int, int] = (1, 3),
                        broken: bool = True, note_share: float = 0.4, limit: int | None = None) -> dict[str, list[Path]]:
    """Write a portfolio: ``subjects`` suppliers, each assessed 1-3 times a year apart, in regional
    sub-folders, every bundled checklist (or ``checklist_ids``) answered with a subject-specific level of
    care, notes on ``note_share`` of the answers; plus the ``BROKEN_FILES`` when ``broken``.

    ``limit`` stops once that many assessment files are written (the last subject may have fewer).
    Returns subject -> its files, oldest first. Seeded: the same arguments give the same bytes.
    """
    rng = random.Random(seed)
    ids = checklist_ids or sorted(library.checklists)
    written: dict[str, list[Path]] = {}
    for n in range(subjects):
        subject = f"Supplier {n:04d} ({rng.choice(['Shenzhen', 'Aksu', 'Dhaka', 'Izmir', 'Hanoi'])})"
        care = rng.choice([rng.uniform(0.2, 0.9), rng.uniform(0.97, 1.0), 1.0])
        region = folder / rng.choice(["asia", "europe", "americas"])
        region.mkdir(parents=True, exist_ok=True)
        count = rng.randint(*per_subject)
        done = sum(len(f) for f in written.values())
        if limit is not None:
            if done >= limit:
                break
            count = min(count, limit - done)
        latest = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(300))
        files = []
        for k in range(count):
            date = latest - dt.timedelta(days=365 * (count - 1 - k))
            path = region / f"supplier-{n:04d}-{date.isoformat()}.yaml"
            assessment = synthetic_assessment(library, ids, notes=True, seed=rng.randrange(2**31), subject=subject,
                                              date=date, care=min(1.0, care + 0.05 * k), note_share=note_share)
            path.write_text(dump_assessment(assessment), encoding="utf-8")
            files.append(path)
        written[subject] = files
    if broken:
        for name, (text, _) in BROKEN_FILES.items():
            (folder / name).write_text(text, encoding="utf-8")
    return written
