"""Synthetic assessments of the bundled checklists, for the benchmark (and quick manual looks).

Deterministic (seeded), valid for the checklists in view: every value comes from the question's
own scale, so scoring accepts them. ``notes=True`` fills every note, as a thorough analyst would.
"""

from __future__ import annotations

import datetime as dt
import random

from ddcheck.answers.assessment import Answer, Assessment, ChecklistRef, Meta, PastAnswer, dump_assessment
from ddcheck.checklists.model import QuestionType
from ddcheck.checklists.library import Library, question_fingerprints

NOTE = ("Reviewed the supplier's 2023 social audit and the purchase orders for the last two seasons. "
        "The audit firm visited the spinning mill in Aksu (阿克苏, 新疆) once, announced in advance; "
        "interviews were held with management present. Follow-up questions were sent on 4 March.")


def synthetic_assessment(library: Library, checklist_ids: list[str], *, notes: bool, seed: int = 7) -> Assessment:
    rng = random.Random(seed)
    start = dt.datetime(2024, 3, 1, 9, 0, tzinfo=dt.timezone.utc)
    refs, answers = [], {}
    for cid in checklist_ids:
        lc = library.get(cid)
        cl = lc.checklist
        refs.append(ChecklistRef(id=cid, version=cl.version, fingerprint=lc.fingerprint,
                                 questions=question_fingerprints(cl)))
        given = {}
        for i, (_, q) in enumerate(cl.questions()):
            choices = [c.value for c in cl.choices(q)]
            if q.type in (QuestionType.choice, QuestionType.yesno):
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
            given[q.id] = Answer(value=value, note=NOTE if notes else None,
                                 evidence=["supplier declaration 2024-02", "audit report AR-118"] if notes else [],
                                 answered_at=at, answered_by="Maria Keller", history=history)
        answers[cid] = given
    return Assessment(meta=Meta(organisation="Example Importer GmbH", subject="Synthetic supplier (benchmark)",
                                assessor="Maria Keller", date=dt.date(2024, 3, 2)),
                      checklists=refs, answers=answers)


def synthetic_yaml(library: Library, checklist_ids: list[str], *, notes: bool) -> str:
    return dump_assessment(synthetic_assessment(library, checklist_ids, notes=notes))
