"""The rear view: contralateral pelvic drop per stance leg, a knee-valgus proxy, and the
left/right difference, each with an honest uncertainty.

The runner faces away from the camera, so the person's left is the image's left: every
frame's hips, knees and ankles are labelled by their left-to-right order, which undoes the
pose model's leg mix-ups. Pelvic drop from 2D video is fragile: one pixel is atan(1 / hip
width) degrees (1.4° at 40 px), and a tilted phone shifts every reading, so a narrow pelvis or
a camera that is not level gives figures but no verdict. The clip's average hip tilt stands
in for the camera's tilt; it also holds part of the runner's own left/right difference, which
a 2D clip cannot tell apart from a tilted phone, so that tilt is added to every uncertainty.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

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
from piri.domain.gait_signal import fill_gaps, moving_average, odd_window
from piri.domain.gait_stretch import on_longest_stretch
from piri.domain.gait_tracks import LEG_PARTS, XY, Track, Tracks, build_tracks

REAR_POINTS = (
    "left_shoulder",
    "right_shoulder",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
)
# The hips must be at least 80 px apart in the frame: one pixel is then 0.7°, half the 1.4° it
# is at 40 px (derived from the geometry; a runner filling a 720p frame gives about 100 px).
MIN_HIP_WIDTH_PX = 80.0
# The hip line's average tilt over the clip must stay within 2°: a phone tilted 5° shifts the
# drop by 4-6° (issue 10), and even a level runner's average tilt is within about 1° (derived).
MAX_LEVEL_TILT_DEG = 2.0
# A stance is read from the tilt smoothed over an eighth of a step, so a noisy pixel does not
# make the peak (derived: it lowers a clean peak by about 2%).
PEAK_SMOOTHING_STEPS = 1 / 8
# The knee angle changes slowly through stance: smoothed over a third of a step (derived).
VALGUS_SMOOTHING_STEPS = 1 / 3
# Stance changes only when the ankles' height difference passes 5% of its usual size, so
# noise at the crossing makes no extra stances (derived).
HYSTERESIS_SHARE = 0.05
# The pose model names points by the person's own left and right, and tells a person facing
# away from one facing the camera: seen from behind, the left hip and shoulder are on the
# image's left. In frames where both are on the image's right, the model sees the runner
# coming towards the camera. Measured here: 0% of frames in the real rear clip (Pose2Sim
# cam03), 68-70% in its front twin (cam02). It can flip its idea of the way a person faces in
# some frames when the face is hard to see (mediapipe issue 3500), so a clip is taken as filmed
# from the front only when most frames say so, and a large minority gets a warning.
FRONT_SHARE = 0.6
UNSURE_FACING_SHARE = 0.3


@dataclass(frozen=True)
class RearLeg:
    side: Side  # the stance leg
    stances: int
    pelvic_drop_deg: Measure  # the opposite hip's peak drop below level during this stance
    knee_valgus_deg: Measure  # knee inward of the hip-ankle line, thigh-to-shank angle
    # Each stance's peak drop: (seconds from the analysed stretch's first frame, degrees), the
    # values the median is taken over (for the key frames and the chart over time).
    peaks: tuple[tuple[float, float], ...] = ()


@dataclass(frozen=True)
class RearAnalysis:
    issues: tuple[QualityIssue, ...]
    cadence: Cadence | None
    hip_width_px: float | None
    level_tilt_deg: float | None  # the hip line's average tilt: the camera's tilt, roughly
    legs: tuple[RearLeg, ...]  # left then right
    drop_asymmetry_deg: Measure | None  # left-stance drop minus right-stance drop
    no_verdict: tuple[QualityIssue, ...]  # why the pelvic drop may not be judged, if so
    analysed_s: tuple[float, float] | None = None  # the one-person stretch analysed (seconds)

    @property
    def film_again(self) -> bool:
        return blocking(self.issues)

    def leg(self, side: Side) -> RearLeg | None:
        return next((leg for leg in self.legs if leg.side is side), None)


def analyse_rear(series: PoseSeries) -> RearAnalysis:
    """Everything the rear view can measure, or the reasons it cannot, over the longest
    stretch where one person is followed (said when there were several)."""
    return on_longest_stretch(series, _analyse_rear)


def _analyse_rear(series: PoseSeries) -> RearAnalysis:
    """Everything the rear view can measure, or the reasons it cannot."""
    raw = build_tracks(series)
    tracks = label_by_position(raw)
    issues = clip_issues(tracks, REAR_POINTS) + view_issues(tracks, View.REAR)
    if not blocking(tuple(issues)):
        issues.extend(facing_issues(facing_camera_share(raw)))
    if blocking(tuple(issues)):
        return RearAnalysis(tuple(issues), None, None, None, (), None, ())
    left_hip, right_hip = tracks.track("left_hip"), tracks.track("right_hip")
    height_difference = _difference(tracks.track("left_ankle"), tracks.track("right_ankle"))
    bounce = [
        None if a is None or b is None else (a[1] + b[1]) / 2
        for a, b in zip(left_hip, right_hip, strict=True)
    ]
    cadence = step_rate(height_difference, bounce, tracks.fps)
    if cadence.issue is not None or cadence.steps_per_min is None:
        issues.extend([cadence.issue] if cadence.issue else [])
        return RearAnalysis(tuple(issues), cadence, None, None, (), None, ())
    step_samples = 60 * tracks.fps / cadence.steps_per_min
    tilt = [_tilt(a, b) for a, b in zip(left_hip, right_hip, strict=True)]
    seen_tilts = [t for t in tilt if t is not None]
    level = statistics.fmean(seen_tilts)
    hip_width = statistics.median(
        b[0] - a[0] for a, b in zip(left_hip, right_hip, strict=True) if a and b
    )
    stances = stance_segments(height_difference, step_samples)
    legs = []
    for side in Side:
        segments = stances[side]
        issue = stride_issue(len(segments), f"on the {side.value} leg")
        if issue is not None:
            issues.append(issue)
        if len(segments) < 2:
            continue
        legs.append(_leg(tracks, side, segments, tilt, step_samples, hip_width, level))
    if blocking(tuple(issues)):
        return RearAnalysis(tuple(issues), cadence, hip_width, level, (), None, ())
    no_verdict = _verdict_blockers(hip_width, level)
    asymmetry = _asymmetry(legs[0].pelvic_drop_deg, legs[1].pelvic_drop_deg, hip_width, level)
    return RearAnalysis(
        tuple(issues + list(no_verdict)),
        cadence,
        hip_width,
        level,
        tuple(legs),
        asymmetry,
        no_verdict,
    )


def facing_camera_share(tracks: Tracks) -> float:
    """The share of frames (with both hips and both shoulders) in which the pose model has the
    runner facing the camera: the left hip and the left shoulder on the image's right."""
    pairs = zip(
        tracks.track("left_hip"),
        tracks.track("right_hip"),
        tracks.track("left_shoulder"),
        tracks.track("right_shoulder"),
        strict=True,
    )
    seen = facing = 0
    for left_hip, right_hip, left_shoulder, right_shoulder in pairs:
        if left_hip is None or right_hip is None or left_shoulder is None or right_shoulder is None:
            continue
        seen += 1
        facing += left_hip[0] > right_hip[0] and left_shoulder[0] > right_shoulder[0]
    return facing / seen if seen else 0.0


def facing_issues(share: float) -> list[QualityIssue]:
    """Filmed from the front (refused: the legs would be named the wrong way round), or
    perhaps so (a warning)."""
    if share >= FRONT_SHARE:
        return [
            QualityIssue(
                IssueCode.FRONT_VIEW,
                f"This clip looks filmed from the front (the runner coming towards the camera in "
                f"{share:.0%} of the frames), not from behind: Piri would name the legs the wrong "
                "way round. Film from behind, the phone level at hip height.",
                blocking=True,
            )
        ]
    if share >= UNSURE_FACING_SHARE:
        return [
            QualityIssue(
                IssueCode.FACING_UNSURE,
                f"In {share:.0%} of the frames the pose model took the runner to be facing the "
                "camera. If this clip was filmed from the front, left and right are swapped in "
                "the figures; film from behind to be sure.",
                blocking=False,
            )
        ]
    return []


def label_by_position(tracks: Tracks) -> Tracks:
    """Seen from behind, the person's left is the image's left: label each pair by x."""
    points = dict(tracks.points)
    for part in LEG_PARTS:
        left, right = tracks.track(f"left_{part}"), tracks.track(f"right_{part}")
        fixed_left: Track = []
        fixed_right: Track = []
        for a, b in zip(left, right, strict=True):
            if a is not None and b is not None and a[0] > b[0]:
                a, b = b, a
            fixed_left.append(a)
            fixed_right.append(b)
        points[f"left_{part}"], points[f"right_{part}"] = fixed_left, fixed_right
    return Tracks(tracks.fps, points, tracks.seen, tracks.low_visibility)


def _difference(left: Track, right: Track) -> list[float | None]:
    """Left ankle lower than the right (pixels, positive: standing on the left)."""
    return [
        None if a is None or b is None else a[1] - b[1] for a, b in zip(left, right, strict=True)
    ]


def _tilt(left: XY | None, right: XY | None) -> float | None:
    """The hip line's angle from the image horizontal; positive: the right hip lower."""
    if left is None or right is None or right[0] <= left[0]:
        return None
    return math.degrees(math.atan2(right[1] - left[1], right[0] - left[0]))


def stance_segments(
    height_difference: Sequence[float | None], step_samples: float
) -> dict[Side, list[range]]:
    """Each leg's whole stances: where its ankle is the lower one (the first and last, cut by
    the clip's ends, and any shorter than a third of a step, left out)."""
    filled = fill_gaps(height_difference)
    result: dict[Side, list[range]] = {Side.LEFT: [], Side.RIGHT: []}
    if filled is None:
        return result
    smooth = moving_average(filled, odd_window(step_samples / 8))
    size = sorted(abs(v) for v in smooth)[int(0.95 * (len(smooth) - 1))]
    threshold = HYSTERESIS_SHARE * size
    state: Side | None = None
    start = 0
    segments: list[tuple[Side, range]] = []
    for i, v in enumerate(smooth):
        new = Side.LEFT if v > threshold else Side.RIGHT if v < -threshold else state
        if new is not state:
            if state is not None:
                segments.append((state, range(start, i)))
            state, start = new, i
    for side, segment in segments[1:]:  # the first began before the clip; the last is open
        if len(segment) >= step_samples / 3:
            result[side].append(segment)
    return result


def _leg(
    tracks: Tracks,
    side: Side,
    segments: list[range],
    tilt: list[float | None],
    step_samples: float,
    hip_width: float,
    level: float,
) -> RearLeg:
    window = odd_window(PEAK_SMOOTHING_STEPS * step_samples)
    filled = fill_gaps(tilt) or [0.0] * len(tilt)
    sign = 1.0 if side is Side.LEFT else -1.0  # standing on the left, the right hip drops
    smooth = [sign * t for t in moving_average(filled, window)]
    peak_at = [max(segment, key=lambda i: smooth[i]) for segment in segments]
    drops = [smooth[i] for i in peak_at]
    pixel = math.degrees(math.atan2(1.0, hip_width))
    drop = median_measure(drops, reading_error=pixel + abs(level))
    valgus = _valgus(tracks, side, odd_window(VALGUS_SMOOTHING_STEPS * step_samples))
    peaks = [max(valgus[i] for i in segment) for segment in segments]
    thigh_px = statistics.median(
        math.dist(h, k)
        for h, k in zip(
            tracks.track(f"{side.value}_hip"), tracks.track(f"{side.value}_knee"), strict=True
        )
        if h and k
    )
    knee = median_measure(peaks, reading_error=2 * math.degrees(math.atan2(1.0, thigh_px)))
    drop_peaks = tuple((i / tracks.fps, smooth[i]) for i in peak_at)
    return RearLeg(side, len(segments), drop, knee, drop_peaks)


def _valgus(tracks: Tracks, side: Side, window: int) -> list[float]:
    """Per sample: thigh angle minus shank angle, positive when the knee is inward (towards
    the other leg) of the hip-ankle line."""
    inward = 1.0 if side is Side.LEFT else -1.0  # the left leg's inside is to the image right
    hips = tracks.track(f"{side.value}_hip")
    knees = tracks.track(f"{side.value}_knee")
    ankles = tracks.track(f"{side.value}_ankle")
    angles: list[float | None] = []
    for h, k, a in zip(hips, knees, ankles, strict=True):
        if h is None or k is None or a is None:
            angles.append(None)
            continue
        thigh = math.atan2(k[0] - h[0], k[1] - h[1])
        shank = math.atan2(a[0] - k[0], a[1] - k[1])
        angles.append(inward * math.degrees(thigh - shank))
    filled = fill_gaps(angles) or [0.0] * len(angles)
    return moving_average(filled, window)


def _verdict_blockers(hip_width: float, level: float) -> tuple[QualityIssue, ...]:
    blockers = []
    if hip_width < MIN_HIP_WIDTH_PX:
        blockers.append(
            QualityIssue(
                IssueCode.HIPS_TOO_NARROW,
                f"The hips are {hip_width:.0f} px apart in the frame; at least "
                f"{MIN_HIP_WIDTH_PX:.0f} are needed to judge pelvic drop (one pixel is "
                f"{math.degrees(math.atan2(1, hip_width)):.1f}° here). Film closer, so the "
                "runner fills most of the frame.",
                blocking=False,
            )
        )
    if abs(level) > MAX_LEVEL_TILT_DEG:
        blockers.append(
            QualityIssue(
                IssueCode.CAMERA_NOT_LEVEL,
                f"The hip line leans {abs(level):.1f}° on average; the camera is probably not "
                f"level (at most {MAX_LEVEL_TILT_DEG:.0f}° is allowed). Level the phone at hip "
                "height on a tripod.",
                blocking=False,
            )
        )
    return tuple(blockers)


def _asymmetry(left: Measure, right: Measure, hip_width: float, level: float) -> Measure:
    """A camera tilt raises one side's drop and lowers the other's: twice in the difference."""
    pixel = math.degrees(math.atan2(1.0, hip_width))
    standard_error = MEDIAN_SE_FACTOR * math.hypot(
        left.spread / math.sqrt(left.count), right.spread / math.sqrt(right.count)
    )
    return Measure(
        value=left.value - right.value,
        uncertainty=2 * pixel + 2 * abs(level) + standard_error,
        spread=math.hypot(left.spread, right.spread),
        count=min(left.count, right.count),
    )
