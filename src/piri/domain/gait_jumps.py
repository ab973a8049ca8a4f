"""When the pose model's person jumps: the frames where it has let go of one body and picked
up another.

MediaPipe's pose model follows one person and cannot say that a second one is in view. What
can be seen is the followed body moving further in one frame than a runner can, or changing
size at once. Both the one-person stretches (``gait_stretch``) and the report's "several
people in view?" (``track_jumps``) use this one rule.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from piri.domain.gait_pose import PosePoint, PoseSeries

# A jump: the hip mid-point moving more than this many torso lengths between two frames
# 1/30 s apart (scaled by the real gap), or the torso's length changing by more than this
# factor at once. A sprinter's hips move about 0.3 torso lengths in 1/30 s (10 m/s, torso
# 0.5 m, seen from the side at full frame), so 1.0 leaves a wide margin (derived).
JUMP_TORSO_LENGTHS_PER_30TH_S = 1.0
JUMP_SIZE_FACTOR = 1.6


@dataclass(frozen=True)
class BodyAt:
    """Where the followed body is in one frame: its hip mid-point and torso length (px)."""

    time_s: float
    x: float
    y: float
    torso: float


@dataclass(frozen=True)
class TrackJump:
    """A frame where the tracked person moved or changed size more than a person can."""

    time_s: float
    torso_lengths: float  # how far the hips moved, in torso lengths
    size_factor: float  # torso length now / before (or before / now, whichever is larger)


def body_at(time_s: float, points: Mapping[str, PosePoint] | None) -> BodyAt | None:
    """The body in a frame, or None without a person (or with a degenerate skeleton)."""
    if points is None:
        return None
    try:
        lh, rh = points["left_hip"], points["right_hip"]
        ls, rs = points["left_shoulder"], points["right_shoulder"]
    except KeyError:
        return None
    hip_x, hip_y = (lh.x + rh.x) / 2, (lh.y + rh.y) / 2
    torso = math.hypot((ls.x + rs.x) / 2 - hip_x, (ls.y + rs.y) / 2 - hip_y)
    if torso <= 1.0 or not math.isfinite(torso):
        return None
    return BodyAt(time_s, hip_x, hip_y, torso)


def jump_between(before: BodyAt, after: BodyAt, fps: float) -> TrackJump | None:
    """The jump from ``before`` to ``after`` when it is more than one person can do."""
    gap_s = max(after.time_s - before.time_s, 1 / fps)
    scale = max(after.torso, before.torso)
    moved = math.hypot(after.x - before.x, after.y - before.y) / scale
    size = scale / max(min(after.torso, before.torso), 1e-9)
    allowed = JUMP_TORSO_LENGTHS_PER_30TH_S * max(1.0, gap_s * 30)
    if moved > allowed or size > JUMP_SIZE_FACTOR:
        return TrackJump(after.time_s, moved, size)
    return None


def track_jumps(series: PoseSeries) -> tuple[TrackJump, ...]:
    """Frames where the tracked person jumps in place or in size: perhaps another person."""
    jumps = []
    before: BodyAt | None = None
    for frame in series.frames:
        body = body_at(frame.time_s, frame.points)
        if body is None:
            continue
        if before is not None and (jump := jump_between(before, body, series.fps)) is not None:
            jumps.append(jump)
        before = body
    return tuple(jumps)
