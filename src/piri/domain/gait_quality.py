"""Is the clip good enough? Each problem is a named reason the runner can act on.

Blocking problems stop the analysis ("please film again"); the others are warnings shown
beside the figures. All thresholds here are derived (the team's own rules) from the filming
guide of issue 10 and the geometry of 2D video, except where a source is named.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from enum import StrEnum

from piri.domain.gait_tracks import Tracks, distance, midpoint_track

# The filming guide asks for 20-30 s per view; under 10 s there are too few strides for a
# median of 10 (derived).
MIN_CLIP_SECONDS = 10.0
# Share of samples without a person (or without the points a figure needs) above which the
# clip is refused (derived: short gaps are bridged, long ones are guesswork).
MAX_MISSING_SHARE = 0.2
# A needed point below MIN_VISIBILITY in more than this share of samples is named (derived).
MAX_LOW_VISIBILITY_SHARE = 0.2
# Strides needed for a median per leg; the issue asks for at least 10.
MIN_STRIDES = 10
# The filming guide asks for 60 fps or more (Souza's lab films at 120 Hz or more); below 50 fps
# the figures at foot strike are a frame or more off (derived).
MIN_GOOD_FPS = 50.0
# Hip width and shoulder width over leg length (hip to ankle), medians over the clip. Seen from
# the side both joints nearly overlap; from behind (or the front) they are a quarter and half a
# leg length apart. First tuned on synthetic runners only (side 0.08, rear 0.14, hips alone),
# which refused the real treadmill clip: BlazePose keeps a true side view's hips and shoulders
# some pixels apart. Measured with BlazePose full (MediaPipe 0.10.21):
#   side: treadmill clip hips 0.111 / shoulders 0.101 at 30 fps (0.105 / 0.104 at 15 fps);
#         the walking woman in the Sports2D demo 0.056 / 0.112; synthetic runner 0.017 / 0.017;
#   front/rear: pose2sim cam02 (front) 0.260 / 0.478, cam03 (rear) 0.272 / 0.474, the jumping
#         man facing the camera in the Sports2D demo 0.258 / 0.454; synthetic rear 0.276 / 0.441.
# The cut-offs sit in the gap, with margin both ways: a camera turned about 35° from either view
# still gives a view, between them it is unclear (width ~ full width × sin(turn)).
SIDE_VIEW_MAX = 0.16
REAR_VIEW_MIN = 0.20
SIDE_SHOULDERS_MAX = 0.25
REAR_SHOULDERS_MIN = 0.35
# The runner's size in the frame (shoulder-to-hip length, median per 2 s) changing more than
# this means the camera moved or zoomed, or the runner came closer or went away (derived).
MAX_SCALE_CHANGE = 0.2
SCALE_WINDOW_S = 2.0


class IssueCode(StrEnum):
    TOO_SHORT = "too_short"
    PERSON_MISSING = "person_missing"
    POINTS_MISSING = "points_missing"
    LOW_VISIBILITY = "low_visibility"
    TOO_FEW_STRIDES = "too_few_strides"
    WRONG_VIEW = "wrong_view"
    VIEW_UNCLEAR = "view_unclear"
    CAMERA_MOVING = "camera_moving"
    LOW_FRAME_RATE = "low_frame_rate"
    FACING_UNCLEAR = "facing_unclear"
    NO_RHYTHM = "no_rhythm"
    CADENCE_DISAGREES = "cadence_disagrees"
    WALKING = "walking"
    HIPS_TOO_NARROW = "hips_too_narrow"
    CAMERA_NOT_LEVEL = "camera_not_level"
    SEVERAL_PEOPLE = "several_people"
    FRONT_VIEW = "front_view"
    FACING_UNSURE = "facing_unsure"


@dataclass(frozen=True)
class QualityIssue:
    code: IssueCode
    message: str
    blocking: bool  # True: no figure from this clip can be trusted; film again


class View(StrEnum):
    SIDE = "side"
    REAR = "rear"


def blocking(issues: tuple[QualityIssue, ...]) -> bool:
    return any(issue.blocking for issue in issues)


def clip_issues(tracks: Tracks, needed: tuple[str, ...]) -> list[QualityIssue]:
    """Length, frame rate, a person in view, the needed points seen, a steady camera."""
    issues: list[QualityIssue] = []
    seconds = tracks.length / tracks.fps if tracks.fps > 0 else 0.0
    if seconds < MIN_CLIP_SECONDS:
        issues.append(
            QualityIssue(
                IssueCode.TOO_SHORT,
                f"The clip is {seconds:.1f} s long; film at least {MIN_CLIP_SECONDS:.0f} s "
                "(20 to 30 s is best).",
                blocking=True,
            )
        )
    if tracks.fps < MIN_GOOD_FPS:
        issues.append(
            QualityIssue(
                IssueCode.LOW_FRAME_RATE,
                f"The clip was filmed at {tracks.fps:.0f} frames a second; 60 or more times "
                "foot strike more exactly.",
                blocking=False,
            )
        )
    missing = 1 - sum(tracks.seen) / max(1, tracks.length)
    if missing > MAX_MISSING_SHARE:
        issues.append(
            QualityIssue(
                IssueCode.PERSON_MISSING,
                f"No person was found in {missing:.0%} of the frames (at most "
                f"{MAX_MISSING_SHARE:.0%} can be bridged). Keep the whole runner in view, in "
                "good light.",
                blocking=True,
            )
        )
    faint = sorted(
        name for name in needed if tracks.low_visibility.get(name, 1.0) > MAX_LOW_VISIBILITY_SHARE
    )
    if faint:
        issues.append(
            QualityIssue(
                IssueCode.LOW_VISIBILITY,
                "These points were hard to see in many frames: "
                + ", ".join(name.replace("_", " ") for name in faint)
                + ". Wear fitted clothing, film in good light and keep the feet in the frame.",
                blocking=len(faint) * 2 > len(needed),
            )
        )
    scale = scale_change(tracks)
    if scale is not None and scale > MAX_SCALE_CHANGE:
        issues.append(
            QualityIssue(
                IssueCode.CAMERA_MOVING,
                f"The runner's size in the frame changed by {scale:.0%}: the camera moved or "
                "zoomed, or the runner came closer or went further away. Use a tripod and a "
                "treadmill or a line across the camera's view.",
                blocking=True,
            )
        )
    return issues


def scale_change(tracks: Tracks) -> float | None:
    """How much the shoulder-to-hip length's 2-second medians vary: (largest / smallest) - 1."""
    shoulders = midpoint_track(tracks.track("left_shoulder"), tracks.track("right_shoulder"))
    hips = midpoint_track(tracks.track("left_hip"), tracks.track("right_hip"))
    window = max(1, round(SCALE_WINDOW_S * tracks.fps))
    medians = []
    for start in range(0, tracks.length - window + 1, window):
        lengths = [
            distance(s, h)
            for s, h in zip(
                shoulders[start : start + window], hips[start : start + window], strict=True
            )
            if s is not None and h is not None
        ]
        if len(lengths) * 2 >= window:
            medians.append(statistics.median(lengths))
    if len(medians) < 2 or min(medians) <= 0:
        return None
    return max(medians) / min(medians) - 1


def hip_width_ratio(tracks: Tracks) -> float | None:
    """Median horizontal hip separation over the median hip-to-ankle length."""
    return _width_ratio(tracks, "hip")


def shoulder_width_ratio(tracks: Tracks) -> float | None:
    """Median horizontal shoulder separation over the median hip-to-ankle length."""
    return _width_ratio(tracks, "shoulder")


def _width_ratio(tracks: Tracks, joint: str) -> float | None:
    widths: list[float] = []
    legs: list[float] = []
    pairs = zip(
        tracks.track(f"left_{joint}"),
        tracks.track(f"right_{joint}"),
        tracks.track("left_hip"),
        tracks.track("right_hip"),
        tracks.track("left_ankle"),
        tracks.track("right_ankle"),
        strict=True,
    )
    for lj, rj, lh, rh, la, ra in pairs:
        if lj is None or rj is None or lh is None or rh is None or la is None or ra is None:
            continue
        widths.append(abs(lj[0] - rj[0]))
        hip = ((lh[0] + rh[0]) / 2, (lh[1] + rh[1]) / 2)
        ankle = ((la[0] + ra[0]) / 2, (la[1] + ra[1]) / 2)
        legs.append(distance(hip, ankle))
    if not widths or statistics.median(legs) <= 0:
        return None
    return float(statistics.median(widths) / statistics.median(legs))


def detect_view(tracks: Tracks) -> View | None:
    """Side or rear from how far apart the hips and the shoulders are next to the leg's
    length; None if unclear (the two disagree, or either is between its cut-offs)."""
    hips = hip_width_ratio(tracks)
    if hips is None:
        return None
    shoulders = shoulder_width_ratio(tracks)
    if hips < SIDE_VIEW_MAX and (shoulders is None or shoulders < SIDE_SHOULDERS_MAX):
        return View.SIDE
    if hips > REAR_VIEW_MIN and (shoulders is None or shoulders > REAR_SHOULDERS_MIN):
        return View.REAR
    return None


def view_issues(tracks: Tracks, expected: View) -> list[QualityIssue]:
    found = detect_view(tracks)
    if found == expected:
        return []
    if found is None:
        return [
            QualityIssue(
                IssueCode.VIEW_UNCLEAR,
                f"Piri cannot tell whether this clip is filmed from the side or from behind; "
                f"film straight from the {expected.value}.",
                blocking=True,
            )
        ]
    return [
        QualityIssue(
            IssueCode.WRONG_VIEW,
            f"This clip looks filmed from the {found.value}, not from the {expected.value}: "
            f"choose the {found.value} view or film again.",
            blocking=True,
        )
    ]


def stride_issue(strides: int, where: str) -> QualityIssue | None:
    if strides >= MIN_STRIDES:
        return None
    return QualityIssue(
        IssueCode.TOO_FEW_STRIDES,
        f"Only {strides} full strides {where} were found; at least {MIN_STRIDES} are needed. "
        "Film 20 to 30 s of steady running.",
        blocking=True,
    )
