"""Landmark tracks: each point's position on an even time grid, missing where the model did
not see it, with the model's left/right leg mix-ups undone.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from piri.domain.gait_pose import PosePoint, PoseSeries

# A point the model is less sure of than this counts as missing (derived: BlazePose's own
# default presence threshold is 0.5).
MIN_VISIBILITY = 0.5

# A sample's legs are swapped only when the swapped labelling continues the legs' motion at
# least twice as well (cost under half). With a plain "swap < keep" the real treadmill clip
# lost its leg rhythm: where BlazePose puts both ankles on one spot for a frame (every few
# strides there), the constant-velocity guess flips, and the run of wrong swaps after it left
# no cadence at 30 fps (legs 180 against pelvis 169 steps/min at 15 fps). With the margin
# (0.8, 0.5 and 0.3 all measured the same) the legs give 168.6 steps/min at 30 and 15 fps; the
# synthetic runners' swaps cost far under half, so they are still undone.
SWAP_MARGIN = 0.5

XY = tuple[float, float]
Track = list[XY | None]

LEG_PARTS = ("hip", "knee", "ankle", "heel", "foot_index")
BODY_POINTS = (
    "nose",
    "left_ear",
    "right_ear",
    "left_shoulder",
    "right_shoulder",
    *(f"{side}_{part}" for side in ("left", "right") for part in LEG_PARTS),
)


@dataclass(frozen=True)
class Tracks:
    """Every body point's position per sample; ``seen`` marks samples with a person in view."""

    fps: float
    points: Mapping[str, Track]
    seen: tuple[bool, ...]
    low_visibility: Mapping[str, float]  # share of person-in-view samples below MIN_VISIBILITY

    @property
    def length(self) -> int:
        return len(self.seen)

    def track(self, name: str) -> Track:
        return self.points.get(name, [None] * self.length)


def build_tracks(series: PoseSeries) -> Tracks:
    """The series on an even grid of 1/fps (frames placed by their capture time)."""
    if not series.frames:
        return Tracks(series.fps, {name: [] for name in BODY_POINTS}, (), {})
    start = series.frames[0].time_s
    length = round((series.frames[-1].time_s - start) * series.fps) + 1
    points: dict[str, Track] = {name: [None] * length for name in BODY_POINTS}
    seen = [False] * length
    low = dict.fromkeys(BODY_POINTS, 0)
    for frame in series.frames:
        i = round((frame.time_s - start) * series.fps)
        if frame.points is None or not 0 <= i < length:
            continue
        seen[i] = True
        for name in BODY_POINTS:
            point = frame.points.get(name)
            if _usable(point):
                assert point is not None
                points[name][i] = (point.x, point.y)
            else:
                low[name] += 1
    in_view = max(1, sum(seen))
    shares = {name: count / in_view for name, count in low.items()}
    return Tracks(series.fps, points, tuple(seen), shares)


def _usable(point: PosePoint | None) -> bool:
    return point is not None and point.visibility >= MIN_VISIBILITY and math.isfinite(point.x)


def midpoint(a: XY | None, b: XY | None) -> XY | None:
    if a is None or b is None:
        return None
    return ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)


def midpoint_track(a: Track, b: Track) -> Track:
    return [midpoint(p, q) for p, q in zip(a, b, strict=True)]


def coordinate(track: Track, axis: int) -> list[float | None]:
    return [None if p is None else p[axis] for p in track]


def distance(a: XY, b: XY) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1])


def unswap_legs(
    tracks: Tracks, parts: Sequence[str] = ("knee", "ankle", "heel", "foot_index")
) -> Tracks:
    """Undo the model's left/right leg mix-ups: each sample keeps the labelling that best
    continues both legs' recent motion, and the labelling most samples had wins overall."""
    left = [tracks.track(f"left_{p}") for p in parts]
    right = [tracks.track(f"right_{p}") for p in parts]
    n = tracks.length
    fixed_left: list[list[XY | None]] = [list(t) for t in left]
    fixed_right: list[list[XY | None]] = [list(t) for t in right]
    history: list[int] = []  # samples where both legs were seen, newest last
    swapped = 0
    for i in range(n):
        if any(t[i] is None for t in left) or any(t[i] is None for t in right):
            continue
        if history:
            keep = swap = 0.0
            for k in range(len(parts)):
                pl = _predict(fixed_left[k], history)
                pr = _predict(fixed_right[k], history)
                cl, cr = _point(left[k][i]), _point(right[k][i])
                keep += distance(cl, pl) + distance(cr, pr)
                swap += distance(cl, pr) + distance(cr, pl)
            if swap < SWAP_MARGIN * keep:
                swapped += 1
                for k in range(len(parts)):
                    fixed_left[k][i], fixed_right[k][i] = right[k][i], left[k][i]
        history.append(i)
    counted = len(history)
    if swapped * 2 > counted:  # the tracking itself started on the wrong leg
        fixed_left, fixed_right = fixed_right, fixed_left
    points = dict(tracks.points)
    for k, part in enumerate(parts):
        points[f"left_{part}"] = fixed_left[k]
        points[f"right_{part}"] = fixed_right[k]
    return Tracks(tracks.fps, points, tracks.seen, tracks.low_visibility)


def _point(p: XY | None) -> XY:
    assert p is not None
    return p


def _predict(track: Sequence[XY | None], history: Sequence[int]) -> XY:
    """Where a point should be now: constant velocity from the last two samples seen, when
    they were consecutive; otherwise the last position."""
    last = _point(track[history[-1]])
    if len(history) >= 2 and history[-1] - history[-2] == 1:
        before = _point(track[history[-2]])
        return (2 * last[0] - before[0], 2 * last[1] - before[1])
    return last
