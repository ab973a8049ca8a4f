"""Outcome scores, scored as published, and whether a change between two of them matters.

Each threshold is a named constant next to its source (facts brief, sections 5.3 to 5.5).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

# Lower Extremity Functional Scale: 20 items scored 0 (extreme difficulty or unable) to
# 4 (no difficulty), total 0-80, higher is better. MDC and MCID are both 9 points.
# Binkley JM et al., Phys Ther 1999 (https://es.scribd.com/document/36402679/Lower-Extremity-Functional-Scale)
LEFS_ITEMS = 20
LEFS_ITEM_MAX = 4
LEFS_MAX = LEFS_ITEMS * LEFS_ITEM_MAX
LEFS_MCID = 9

# Patient-Specific Functional Scale: up to 5 activities the person names, each rated
# 0 (unable) to 10 (as before the injury); the score is their mean. Minimal important
# differences: 1.3 small, 2.3 medium, 2.7 large. Abbott JH et al., JOSPT 2014
# (https://www.integrative-archives.com/2014/04/minimum-important-differences-for-the-patient-specific-functional-scale-4-region-specific-outcome-measures-and-the-numeric-pain-rating-scale/)
PSFS_MAX_ACTIVITIES = 5
PSFS_ITEM_MAX = 10
PSFS_MID_SMALL = 1.3
PSFS_MID_MEDIUM = 2.3
PSFS_MID_LARGE = 2.7

# Numeric pain rating scale 0-10: a change of 2 points, or 30% of the starting score,
# is clinically meaningful. Childs JD et al., Spine 2005 (https://pubmed.ncbi.nlm.nih.gov/15928561/);
# Ostelo RW et al., Spine 2008 (https://paperexplained.cn/articles/paper/detail/c63b17f341638e994cd27cc6d09b4f05e220d5cc)
PAIN_MAX = 10
PAIN_MEANINGFUL_POINTS = 2
PAIN_MEANINGFUL_SHARE = 0.30


class Direction(StrEnum):
    BETTER = "better"
    WORSE = "worse"
    SAME = "same"


@dataclass(frozen=True)
class Change:
    before: float
    after: float
    direction: Direction
    meaningful: bool  # at least the change that matters to patients
    size: str  # "no real change", or a plain word for how big it is

    @property
    def difference(self) -> float:
        return self.after - self.before


class ScoreError(ValueError):
    """A score outside what the scale allows; the message says what is allowed."""


def score_lefs(items: Sequence[int]) -> int:
    """The LEFS total (0-80) from its 20 item scores, each 0-4."""
    if len(items) != LEFS_ITEMS:
        raise ScoreError(f"the LEFS has {LEFS_ITEMS} items; got {len(items)} answers")
    for number, item in enumerate(items, start=1):
        if isinstance(item, bool) or not isinstance(item, int) or not 0 <= item <= LEFS_ITEM_MAX:
            raise ScoreError(
                f"LEFS item {number}: expected a whole number from 0 to 4, got {item!r}"
            )
    return sum(items)


def lefs_change(before: int, after: int) -> Change:
    """Higher is better; a change of 9 points or more is a real change."""
    _check_range("LEFS", before, LEFS_MAX)
    _check_range("LEFS", after, LEFS_MAX)
    difference = after - before
    meaningful = abs(difference) >= LEFS_MCID
    return Change(before, after, _direction(difference), meaningful, _size(meaningful))


def score_psfs(activities: Sequence[int | float]) -> float:
    """The PSFS score: the mean of 1 to 5 activity ratings, each 0-10."""
    if not 1 <= len(activities) <= PSFS_MAX_ACTIVITIES:
        raise ScoreError(
            f"the PSFS rates 1 to {PSFS_MAX_ACTIVITIES} activities; got {len(activities)}"
        )
    for number, rating in enumerate(activities, start=1):
        if isinstance(rating, bool) or not 0 <= rating <= PSFS_ITEM_MAX:
            raise ScoreError(
                f"PSFS activity {number}: expected a rating from 0 to 10, got {rating!r}"
            )
    return round(sum(activities) / len(activities), 2)


def psfs_change(before: float, after: float) -> Change:
    """Higher is better; 1.3 is a small, 2.3 a medium and 2.7 a large important difference."""
    _check_range("PSFS", before, PSFS_ITEM_MAX)
    _check_range("PSFS", after, PSFS_ITEM_MAX)
    difference = round(after - before, 2)
    gain = abs(difference)
    if gain >= PSFS_MID_LARGE:
        size = "a large change"
    elif gain >= PSFS_MID_MEDIUM:
        size = "a medium change"
    elif gain >= PSFS_MID_SMALL:
        size = "a small change"
    else:
        size = "no real change"
    meaningful = gain >= PSFS_MID_SMALL
    return Change(before, after, _direction(difference), meaningful, size)


def pain_change(before: float, after: float) -> Change:
    """Lower is better; 2 points or 30% of the starting score is a real change."""
    _check_range("pain", before, PAIN_MAX)
    _check_range("pain", after, PAIN_MAX)
    difference = after - before
    share = abs(difference) / before if before else (1.0 if difference else 0.0)
    meaningful = abs(difference) >= PAIN_MEANINGFUL_POINTS or (
        difference != 0 and share >= PAIN_MEANINGFUL_SHARE
    )
    return Change(before, after, _direction(-difference), meaningful, _size(meaningful))


def _direction(gain: float) -> Direction:
    if gain > 0:
        return Direction.BETTER
    if gain < 0:
        return Direction.WORSE
    return Direction.SAME


def _size(meaningful: bool) -> str:
    return "a real change" if meaningful else "no real change"


def _check_range(scale: str, value: float, maximum: float) -> None:
    if isinstance(value, bool) or not 0 <= value <= maximum:
        raise ScoreError(f"a {scale} score runs from 0 to {maximum:g}; got {value!r}")
