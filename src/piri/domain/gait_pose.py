"""What the pose pipeline hands the gait check: body landmarks per frame, in image pixels.

The pose model (MediaPipe BlazePose) names its 33 landmarks in lower case, "left" being the
person's left: ``nose``, ``left_shoulder``, ``right_hip``, ``left_ankle``, ``right_heel``,
``left_foot_index`` and so on. Everything here is plain data; the analysis lives in
``gait_side`` and ``gait_rear``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class PosePoint:
    x: float  # pixels from the left edge of the frame
    y: float  # pixels from the top edge (image coordinates: y grows downwards)
    visibility: float  # 0..1, the model's confidence that the point is in view


@dataclass(frozen=True)
class PoseFrame:
    time_s: float  # capture time of the frame from the clip's start
    points: Mapping[str, PosePoint] | None  # None: no person found in this frame


@dataclass(frozen=True)
class PoseSeries:
    frames: tuple[PoseFrame, ...]
    fps: float  # capture frame rate (a slow-motion file's real rate)
    width: int
    height: int

    @property
    def duration_s(self) -> float:
        """Seconds from the first frame to one frame after the last."""
        if not self.frames:
            return 0.0
        return self.frames[-1].time_s - self.frames[0].time_s + 1.0 / self.fps
