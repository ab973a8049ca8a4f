"""The side view: cadence, foot strikes, overstride and shank angle per leg, and trunk lean.

Foot strike (initial contact) is taken where each ankle is furthest ahead of the pelvis, the
"foot forward" rule of kinematic event detection; on a real runner the foot may land a frame
or two after that, as it swings back just before contact.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from piri.domain.gait_cadence import Cadence, step_rate
from piri.domain.gait_measure import MEDIAN_SE_FACTOR, Measure, Side, median_measure
from piri.domain.gait_pose import PoseSeries
from piri.domain.gait_quality import (
    IssueCode,
    QualityIssue,
    View,
    blocking,
    clip_issues,
    stride_issue,
    view_issues,
)
from piri.domain.gait_signal import fill_gaps, moving_average, odd_window, peaks
from piri.domain.gait_stretch import on_longest_stretch
from piri.domain.gait_tracks import (
    XY,
    Track,
    Tracks,
    build_tracks,
    coordinate,
    distance,
    midpoint_track,
    unswap_legs,
)

SIDE_POINTS = (
    "left_shoulder",
    "right_shoulder",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
)
# Foot-direction votes must lean this clearly one way (mean of +1/-1 votes; derived).
MIN_FACING_AGREEMENT = 0.3
# Tracks are smoothed over about 40 ms before peaks are read, so one noisy pixel does not make
# a foot strike (derived).
SMOOTHING_S = 0.04
# Foot strikes of one leg are at least this share of a stride apart (derived).
MIN_STRIKE_SPACING = 0.6


class Facing(StrEnum):
    """Which way the runner faces in the frame."""

    LEFT = "left"  # towards the left edge
    RIGHT = "right"

    @property
    def sign(self) -> int:
        return 1 if self is Facing.RIGHT else -1


@dataclass(frozen=True)
class LegStrikes:
    side: Side
    strikes: tuple[float, ...]  # seconds from the clip's start
    overstride: Measure  # ankle ahead of the pelvis at foot strike, in leg lengths
    shank_angle_deg: Measure  # shank from vertical at foot strike; positive: ankle ahead of knee


@dataclass(frozen=True)
class SideAnalysis:
    issues: tuple[QualityIssue, ...]
    facing: Facing | None
    cadence: Cadence | None
    legs: tuple[LegStrikes, ...]  # left then right; empty when the clip could not carry them
    leg_length_px: float | None
    trunk_lean_deg: Measure | None  # shoulders ahead of hips, from vertical; positive forward
    analysed_s: tuple[float, float] | None = None  # the one-person stretch analysed (seconds)

    @property
    def film_again(self) -> bool:
        return blocking(self.issues)


def analyse_side(series: PoseSeries) -> SideAnalysis:
    """Everything the side view can measure, or the reasons it cannot, over the longest
    stretch where one person is followed (said when there were several)."""
    return on_longest_stretch(series, _analyse_side)


def _analyse_side(series: PoseSeries) -> SideAnalysis:
    """Everything the side view can measure, or the reasons it cannot."""
    tracks = unswap_legs(build_tracks(series))
    issues = clip_issues(tracks, SIDE_POINTS) + view_issues(tracks, View.SIDE)
    facing = detect_facing(tracks)
    if facing is None:
        issues.append(
            QualityIssue(
                IssueCode.FACING_UNCLEAR,
                "Piri cannot tell which way the runner faces: film straight from the side with "
                "the feet in view.",
                blocking=True,
            )
        )
    if blocking(tuple(issues)) or facing is None:
        return SideAnalysis(tuple(issues), facing, None, (), None, None)
    hips = midpoint_track(tracks.track("left_hip"), tracks.track("right_hip"))
    separation = [
        None if a is None or b is None else a[0] - b[0]
        for a, b in zip(tracks.track("left_ankle"), tracks.track("right_ankle"), strict=True)
    ]
    cadence = step_rate(separation, coordinate(hips, 1), tracks.fps)
    if cadence.issue is not None or cadence.steps_per_min is None:
        issues.extend([cadence.issue] if cadence.issue else [])
        return SideAnalysis(tuple(issues), facing, cadence, (), None, None)
    stride_samples = 2 * 60 * tracks.fps / cadence.steps_per_min
    legs, leg_length = _strikes(tracks, hips, facing, stride_samples)
    for leg in legs:
        issue = stride_issue(len(leg.strikes), f"of the {leg.side.value} leg")
        if issue is not None:
            issues.append(issue)
    if blocking(tuple(issues)):
        legs = ()
    lean = trunk_lean(
        tracks, hips, facing, strides=min((len(leg.strikes) for leg in legs), default=1)
    )
    return SideAnalysis(tuple(issues), facing, cadence, legs, leg_length, lean)


def detect_facing(tracks: Tracks) -> Facing | None:
    """From the feet (toes ahead of the heel) and the head (nose ahead of the ears)."""
    feet: list[int] = []
    for side in Side:
        for heel, toe in zip(
            tracks.track(f"{side.value}_heel"),
            tracks.track(f"{side.value}_foot_index"),
            strict=True,
        ):
            if heel is not None and toe is not None and toe[0] != heel[0]:
                feet.append(1 if toe[0] > heel[0] else -1)
    ears = midpoint_track(tracks.track("left_ear"), tracks.track("right_ear"))
    head = [
        1 if nose[0] > ear[0] else -1
        for nose, ear in zip(tracks.track("nose"), ears, strict=True)
        if nose is not None and ear is not None and nose[0] != ear[0]
    ]
    feet_vote = sum(feet) / len(feet) if feet else 0.0
    head_vote = sum(head) / len(head) if head else 0.0
    if feet_vote * head_vote < 0 and abs(head_vote) >= MIN_FACING_AGREEMENT:
        return None  # the feet and the head point opposite ways
    vote = feet_vote if abs(feet_vote) >= MIN_FACING_AGREEMENT else head_vote
    if abs(vote) < MIN_FACING_AGREEMENT:
        return None
    return Facing.RIGHT if vote > 0 else Facing.LEFT


def _smooth(track: Track, window: int) -> list[XY] | None:
    xs = fill_gaps(coordinate(track, 0))
    ys = fill_gaps(coordinate(track, 1))
    if xs is None or ys is None:
        return None
    return list(zip(moving_average(xs, window), moving_average(ys, window), strict=True))


def _strikes(
    tracks: Tracks, hips: Track, facing: Facing, stride_samples: float
) -> tuple[tuple[LegStrikes, ...], float | None]:
    window = odd_window(SMOOTHING_S * tracks.fps)
    hip = _smooth(hips, window)
    if hip is None:
        return (), None
    found: dict[Side, tuple[list[int], list[XY], list[XY]]] = {}
    mid_stance_lengths: list[float] = []
    for side in Side:
        raw_ankle = tracks.track(f"{side.value}_ankle")
        ankle = _smooth(raw_ankle, window)
        knee = _smooth(tracks.track(f"{side.value}_knee"), window)
        if ankle is None or knee is None:
            continue
        ahead = [facing.sign * (a[0] - h[0]) for a, h in zip(ankle, hip, strict=True)]
        strikes = [
            i
            for i in peaks(ahead, round(MIN_STRIKE_SPACING * stride_samples))
            if ahead[i] > 0 and raw_ankle[i] is not None and hips[i] is not None
        ]
        found[side] = (strikes, ankle, knee)
        for i in strikes:
            j = next(
                (j for j in range(i, min(len(ahead), i + round(stride_samples))) if ahead[j] <= 0),
                None,
            )
            if j is not None:
                mid_stance_lengths.append(distance(hip[j], ankle[j]))
    if not mid_stance_lengths:
        return (), None
    leg_length = statistics.median(mid_stance_lengths)
    legs = []
    for side, (strikes, ankle, knee) in found.items():
        if len(strikes) < 2:
            continue
        overstride = [facing.sign * (ankle[i][0] - hip[i][0]) / leg_length for i in strikes]
        # The foot lands somewhere within a frame of the one read: half a frame's motion.
        frame_motion = statistics.median(
            abs(ankle[i + 1][0] - ankle[i][0] - hip[i + 1][0] + hip[i][0]) / 2
            for i in strikes
            if i + 1 < len(ankle)
        )
        shank = [_shank_angle(knee[i], ankle[i], facing) for i in strikes]
        shank_px = statistics.median(distance(knee[i], ankle[i]) for i in strikes)
        legs.append(
            LegStrikes(
                side=side,
                strikes=tuple(i / tracks.fps for i in strikes),
                overstride=median_measure(
                    overstride, reading_error=(1 + frame_motion) / leg_length
                ),
                shank_angle_deg=median_measure(shank, reading_error=_pixel_degrees(shank_px)),
            )
        )
    return tuple(legs), leg_length


def _shank_angle(knee: XY, ankle: XY, facing: Facing) -> float:
    return math.degrees(math.atan2(facing.sign * (ankle[0] - knee[0]), ankle[1] - knee[1]))


def _pixel_degrees(length_px: float) -> float:
    """The angle one pixel makes at the end of a segment this long."""
    return math.degrees(math.atan2(1.0, max(length_px, 1.0)))


def trunk_lean(tracks: Tracks, hips: Track, facing: Facing, strides: int) -> Measure | None:
    """Shoulder mid-point ahead of the hip mid-point, in degrees from vertical (median)."""
    shoulders = midpoint_track(tracks.track("left_shoulder"), tracks.track("right_shoulder"))
    angles: list[float] = []
    lengths: list[float] = []
    for s, h in zip(shoulders, hips, strict=True):
        if s is None or h is None:
            continue
        angles.append(math.degrees(math.atan2(facing.sign * (s[0] - h[0]), h[1] - s[1])))
        lengths.append(distance(s, h))
    if len(angles) < 2:
        return None
    measure = median_measure(angles, reading_error=_pixel_degrees(statistics.median(lengths)))
    # Frames within a stride are not independent: count strides, not frames, for the error.
    spread_error = MEDIAN_SE_FACTOR * measure.spread / math.sqrt(max(strides, 1))
    return Measure(
        measure.value,
        _pixel_degrees(statistics.median(lengths)) + spread_error,
        measure.spread,
        measure.count,
    )


def strike_times(analysis: SideAnalysis, side: Side) -> Sequence[float]:
    """The foot-strike times of one leg (for the key frames), empty if none."""
    return next((leg.strikes for leg in analysis.legs if leg.side is side), ())
