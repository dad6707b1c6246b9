"""The rating rule: exposure level × controls band, then red flags by severity. Pure constants and
functions, so ``score``, the report's method page and the README all show the same table.

Why a matrix and not one number: *where* risk may lie (exposure) and *how well it is managed*
(controls) are different facts. A perfect set of controls does not make a supplier in a forced-labour
region low risk, and having no exposure does not excuse missing controls entirely. Each row of the
matrix rates the same controls more severely as exposure grows; each column rates the same exposure
more severely as controls weaken, so neither a lower exposure nor a better control can ever raise a
rating.
"""

from __future__ import annotations

from typing import Sequence

from ..checklists.model import EXPOSURE_ORDER, Exposure, Severity, exposure_rank
from .model import Rating

# Controls bands: lower bound of each band, best first; the first band the (rounded) score reaches wins.
CONTROL_BANDS: tuple[tuple[float, str], ...] = (
    (85.0, "strong"),
    (65.0, "adequate"),
    (40.0, "weak"),
    (0.0, "poor"),
)
NO_CONTROLS = "strong"  # no control question counts (all "not applicable"): rated on exposure alone
NOT_ASSESSED = Exposure.medium  # a checklist that asks no exposure question: its row is the plain bands

L, M, H, C = Rating.low, Rating.medium, Rating.high, Rating.critical
#                                 strong adequate weak poor
MATRIX: dict[Exposure, tuple[Rating, Rating, Rating, Rating]] = {
    Exposure.none: (L, L, L, M),
    Exposure.low: (L, L, M, H),
    Exposure.medium: (L, M, H, C),
    Exposure.high: (M, H, H, C),
    Exposure.severe: (H, H, C, C),
}
# The "medium" row gives the controls bands alone; as (lower bound, rating) pairs, best first:
BANDS: tuple[tuple[float, Rating], ...] = tuple(
    (lower, MATRIX[NOT_ASSESSED][i]) for i, (lower, _) in enumerate(CONTROL_BANDS))
RED_FLAG_FLOOR = Rating.high  # a red flag of severity "high" makes the rating at least this
SEVERITY = {Rating.low: 0, Rating.medium: 1, Rating.high: 2, Rating.critical: 3}


def worst(ratings: Sequence[Rating | None]) -> Rating | None:
    """The most severe rating (None when there is none)."""
    found = [r for r in ratings if r is not None]
    return max(found, key=SEVERITY.__getitem__) if found else None


def highest_exposure(levels: Sequence[Exposure | None]) -> Exposure | None:
    found = [e for e in levels if e is not None]
    return max(found, key=exposure_rank) if found else None


def controls_band(score: float | None) -> str | None:
    """The controls band a rounded controls score falls in; None when there is no score."""
    if score is None:
        return None
    return next(name for lower, name in CONTROL_BANDS if score >= lower)


def band(score: float) -> Rating:
    """The rating of a controls score on the "not assessed" (medium) row: the plain bands."""
    return next(rating for lower, rating in BANDS if score >= lower)


def band_range(name: str) -> str:
    """A controls band as an auditor reads it, e.g. "65–85"."""
    bounds = [lower for lower, _ in CONTROL_BANDS]
    i = [n for _, n in CONTROL_BANDS].index(name)
    upper = 100 if i == 0 else bounds[i - 1]
    return f"{bounds[i]:g}–{upper:g}"


def matrix_rating(exposure: Exposure | None, score: float | None) -> Rating | None:
    """The matrix cell: the exposure's row (not assessed: the medium row) and the controls' column
    (no controls score: the strong column). None when neither is measured."""
    if exposure is None and score is None:
        return None
    row = MATRIX[exposure or NOT_ASSESSED]
    column = [name for _, name in CONTROL_BANDS].index(controls_band(score) or NO_CONTROLS)
    return row[column]


def with_red_flags(rating: Rating | None, severities: Sequence[Severity]) -> Rating | None:
    """A critical red flag makes the rating critical; a high one makes it at least high."""
    if Severity.critical in severities:
        return Rating.critical
    if severities and (rating is None or SEVERITY[rating] < SEVERITY[RED_FLAG_FLOOR]):
        return RED_FLAG_FLOOR
    return rating


def matrix_rows() -> list[tuple[str, list[str]]]:
    """The matrix as text rows (exposure, ratings by controls band), for the method page and tests."""
    return [(level.value, [r.value for r in MATRIX[level]]) for level in EXPOSURE_ORDER]
