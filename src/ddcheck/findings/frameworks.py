"""How much of each reporting framework an assessment covers: "OECD step 3: 5 of 6 answered".

Compliance staff report against the UNGPs, the OECD steps, the ILO forced-labour indicators and the
UFLPA evidence categories. Questions carry those identifiers (``frameworks:`` in a checklist); this
module counts, per identifier, the in-scope scored questions that evidence it and how many of them
have an answer (a gap does not count as evidence). A shared question counts once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from ..answers.scope import Status
from ..checklists.frameworks import FRAMEWORKS
from ..checklists.model import Checklist
from .model import ChecklistResult


@dataclass(frozen=True)
class FrameworkCoverage:
    framework: str  # e.g. "oecd-ddg"
    ref: str  # e.g. "3"
    label: str  # e.g. "Step 3: cease, prevent or mitigate adverse impacts"
    questions: int  # in-scope scored questions that evidence it
    answered: int  # of those, answered (not gaps)

    @property
    def text(self) -> str:
        return f"{FRAMEWORKS[self.framework].title}, {self.label}: {self.answered} of {self.questions} answered"


def framework_coverage(results: tuple[ChecklistResult, ...],
                       checklists: Mapping[str, Checklist]) -> tuple[FrameworkCoverage, ...]:
    """Coverage per framework identifier, in the frameworks' own order; identifiers no question
    in scope evidences are left out (the report says what was assessed, not what exists)."""
    seen: set[tuple[str, str]] = set()
    counts: dict[tuple[str, str], list[int]] = {}
    for result in results:
        checklist = checklists[result.id]
        for section in result.sections:
            for q in section.questions:
                if q.status in (Status.out_of_scope, Status.info):
                    continue
                key = (checklist.home_of(q.question_id), q.question_id)
                question = checklist.question(q.question_id)
                if key in seen or question is None:
                    continue
                seen.add(key)
                for framework, refs in question.frameworks.items():
                    for ref in refs:
                        tally = counts.setdefault((framework, ref), [0, 0])
                        tally[0] += 1
                        tally[1] += q.status is not Status.gap
    ordered = []
    for framework in FRAMEWORKS.values():
        for ref, label in framework.items.items():
            if (framework.id, ref) in counts:
                questions, answered = counts[framework.id, ref]
                ordered.append(FrameworkCoverage(framework.id, ref, label, questions, answered))
    return tuple(ordered)
