"""The gait figures over the clip's time, for the result page's chart: step by step.

The report gives medians over strides; these are the values the medians came from, so a runner
or clinician can see whether the clip was steady (a runner speeding up, a stumble, a change of
pace shows as a step in the line). Times are seconds from the first frame analysed. Pure.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from piri.domain.gait_measure import Side

# A step between opposite feet's strikes much shorter or longer than the clip's median step is
# a misread or missed strike, not a step: a steady runner's steps vary by a few per cent.
STEP_BAND = (0.6, 1.6)
# And never shorter than 0.25 s (240 steps/min, past any runner) or longer than 1.2 s (50).
SHORTEST_STEP_S = 0.25
LONGEST_STEP_S = 1.2


@dataclass(frozen=True)
class TimePoint:
    time_s: float
    value: float
    leg: Side | None  # the leg the value belongs to (the stance leg), None for both


@dataclass(frozen=True)
class Timeline:
    key: str  # the report figure's key it belongs to ("cadence", "pelvic_drop")
    label: str
    unit: str
    points: tuple[TimePoint, ...]


def step_cadence(strikes: Mapping[Side, Sequence[float]]) -> Timeline:
    """Steps per minute over each pair of steps in a row (one stride: a left and a right
    step), placed at the stride's middle. A single step is timed to a whole frame only (at
    30 fps, 10 or 11 frames: 180 or 164 steps/min), a stride halves that error.

    A step runs from one foot's strike to the next strike of the other foot. Two strikes of
    one foot in a row (one of the other's was missed) are skipped, not read as one long step,
    and so is a step far from the clip's median step."""
    moments = sorted((t, side) for side, times in strikes.items() for t in times)
    steps = [
        (start, end)
        for (start, side), (end, next_side) in itertools.pairwise(moments)
        if side is not next_side and SHORTEST_STEP_S <= end - start <= LONGEST_STEP_S
    ]
    points: list[TimePoint] = []
    if steps:
        typical = statistics.median(end - start for start, end in steps)
        low, high = STEP_BAND[0] * typical, STEP_BAND[1] * typical
        kept = [(start, end) for start, end in steps if low <= end - start <= high]
        points = [
            TimePoint((first[0] + second[1]) / 2, 120.0 / (second[1] - first[0]), None)
            for first, second in itertools.pairwise(kept)
            if first[1] == second[0]  # two steps in a row, none missed between
        ]
    return Timeline("cadence", "Cadence, stride by stride", "steps/min", tuple(points))


def pelvic_drop_by_stance(peaks: Mapping[Side, Sequence[tuple[float, float]]]) -> Timeline:
    """Each stance's peak pelvic drop (degrees, the opposite hip below level) at its moment,
    ``peaks`` holding (time, degrees) per stance leg."""
    points = sorted(
        (
            TimePoint(time_s, degrees, side)
            for side, found in peaks.items()
            for time_s, degrees in found
        ),
        key=lambda p: p.time_s,
    )
    return Timeline("pelvic_drop", "Pelvic drop, stance by stance", "°", tuple(points))
