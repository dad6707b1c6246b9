"""The frameworks compliance staff report against, as fixed registries of identifiers.

A question's ``frameworks`` key maps a framework to the identifiers it evidences, e.g.
``{ungp: ["17"], oecd-ddg: ["2"], ilo-forced-labour: [retention-of-identity-documents]}``.
These are identifiers, not quotes: they let ``score --json``, the report and ``checklists show``
say how much of each framework an assessment covers. The registries are closed lists, so a typo is
a located validation error with a "did you mean", never a silently new framework step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from pydantic import StringConstraints

FrameworkId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=40)]
RefId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9.-]*$", max_length=60)]
FrameworkRefs = dict[FrameworkId, list[RefId]]


@dataclass(frozen=True)
class Framework:
    id: str
    title: str
    items: dict[str, str]  # identifier -> its label, in the framework's own order

    def label(self, ref: str) -> str:
        return self.items.get(ref, ref)


FRAMEWORKS: dict[str, Framework] = {f.id: f for f in (
    Framework("ungp", "UN Guiding Principles on Business and Human Rights",
              {str(n): f"Principle {n}" for n in range(1, 32)}),
    Framework("oecd-ddg", "OECD Due Diligence Guidance for Responsible Business Conduct", {
        "1": "Step 1: embed responsible business conduct into policies and management systems",
        "2": "Step 2: identify and assess adverse impacts",
        "3": "Step 3: cease, prevent or mitigate adverse impacts",
        "4": "Step 4: track implementation and results",
        "5": "Step 5: communicate how impacts are addressed",
        "6": "Step 6: provide for or cooperate in remediation",
    }),
    Framework("ilo-forced-labour", "ILO indicators of forced labour", {
        "abuse-of-vulnerability": "Abuse of vulnerability",
        "deception": "Deception",
        "restriction-of-movement": "Restriction of movement",
        "isolation": "Isolation",
        "physical-and-sexual-violence": "Physical and sexual violence",
        "intimidation-and-threats": "Intimidation and threats",
        "retention-of-identity-documents": "Retention of identity documents",
        "withholding-of-wages": "Withholding of wages",
        "debt-bondage": "Debt bondage",
        "abusive-working-and-living-conditions": "Abusive working and living conditions",
        "excessive-overtime": "Excessive overtime",
    }),
    Framework("uflpa", "US Uyghur Forced Labor Prevention Act: evidence categories", {
        "due-diligence-system": "Due diligence system",
        "tracing": "Supply chain tracing",
        "xinjiang-nexus": "Xinjiang nexus",
        "labour-transfer": "Labour transfer",
    }),
)}
