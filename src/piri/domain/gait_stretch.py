"""One person at a time: the stretch of a clip where the pose model follows one body.

MediaPipe's pose model follows one person and, when it loses them, picks up whoever else is
in view. In the Sports2D demo it follows the man doing jumping jacks (0-5.6 s), jumps to the
walking woman (5.7-6.6 s) and then to a man running in (6.8 s on). The gait check analyses
the longest stretch without such a jump and says that there were several people; a stretch
too short for the figures is then refused as too short, like any short clip.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Protocol, TypeVar

from piri.domain.gait_cadence import Cadence, step_rate
from piri.domain.gait_jumps import BodyAt, body_at, jump_between
from piri.domain.gait_pose import PoseSeries
from piri.domain.gait_quality import IssueCode, QualityIssue
from piri.domain.gait_tracks import build_tracks, coordinate, midpoint_track, unswap_legs

# A gap without a person longer than this ends a stretch: whoever comes back may be someone
# else (derived: half a second is a step or two; shorter gaps are bridged).
MAX_GAP_S = 0.5
# Cadence alone (without the per-stride figures) needs two strides at the slowest cadence
# searched, 60 steps/min: the period search reads lags up to half the signal (derived).
MIN_CADENCE_SECONDS = 4.0


@dataclass(frozen=True)
class Stretch:
    series: PoseSeries  # the frames of the longest one-person stretch
    start_s: float
    end_s: float
    stretches: int  # how many one-person stretches the clip has

    @property
    def several_people(self) -> bool:
        return self.stretches > 1

    def issue(self) -> QualityIssue | None:
        """Said when the clip has more than one person in turn (not blocking by itself)."""
        if not self.several_people:
            return None
        return QualityIssue(
            IssueCode.SEVERAL_PEOPLE,
            f"The pose model followed {self.stretches} different people or lost the runner; "
            f"only {self.start_s:.1f}-{self.end_s:.1f} s (one person) was analysed. Film with "
            "one person in view.",
            blocking=False,
        )


@dataclass(frozen=True)
class StretchCadence:
    """Cadence of the longest one-person stretch, for clips too short for the full check."""

    stretch: Stretch
    cadence: Cadence


def longest_stretch(series: PoseSeries) -> Stretch:
    """The longest run of frames where one person is followed (gaps up to MAX_GAP_S kept)."""
    runs: list[tuple[int, int]] = []  # first and last frame index with a person
    start: int | None = None
    last: int | None = None
    before: BodyAt | None = None
    for i, frame in enumerate(series.frames):
        body = body_at(frame.time_s, frame.points)
        if body is None:
            continue
        new = (
            start is None
            or before is None
            or body.time_s - before.time_s > MAX_GAP_S
            or jump_between(before, body, series.fps) is not None
        )
        if new:
            if start is not None and last is not None:
                runs.append((start, last))
            start = i
        last = i
        before = body
    if start is not None and last is not None:
        runs.append((start, last))
    if not runs:
        return Stretch(series, 0.0, series.duration_s, 0)
    times = [frame.time_s for frame in series.frames]
    first, final = max(runs, key=lambda run: times[run[1]] - times[run[0]])
    frames = series.frames[first : final + 1]
    part = PoseSeries(frames, series.fps, series.width, series.height)
    return Stretch(part, frames[0].time_s, frames[-1].time_s + 1 / series.fps, len(runs))


class StretchAnalysis(Protocol):
    """A view's analysis (a frozen dataclass) that says its problems and what it analysed."""

    @property
    def issues(self) -> tuple[QualityIssue, ...]: ...

    @property
    def analysed_s(self) -> tuple[float, float] | None: ...


AnalysisT = TypeVar("AnalysisT", bound=StretchAnalysis)


def on_longest_stretch(series: PoseSeries, analyse: Callable[[PoseSeries], AnalysisT]) -> AnalysisT:
    """``analyse`` run over the longest stretch where one person is followed, with when that
    stretch is and, when the clip had several people in turn, that said among its issues."""
    stretch = longest_stretch(series)
    analysis = analyse(stretch.series)
    several = stretch.issue()
    return replace(  # type: ignore[type-var]  # AnalysisT is a dataclass (StretchAnalysis)
        analysis,
        issues=analysis.issues + ((several,) if several else ()),
        analysed_s=(stretch.start_s, stretch.end_s),
    )


def stretch_cadence(series: PoseSeries) -> StretchCadence:
    """Side view: the cadence alone, by legs and pelvis, of the longest one-person stretch;
    refused (an issue, no figure) under MIN_CADENCE_SECONDS."""
    stretch = longest_stretch(series)
    seconds = stretch.end_s - stretch.start_s
    if seconds < MIN_CADENCE_SECONDS:
        issue = QualityIssue(
            IssueCode.TOO_SHORT,
            f"One person was followed for only {seconds:.1f} s; a cadence needs at least "
            f"{MIN_CADENCE_SECONDS:.0f} s of steady walking or running.",
            blocking=True,
        )
        return StretchCadence(stretch, Cadence(None, None, None, None, issue))
    tracks = unswap_legs(build_tracks(stretch.series))
    hips = midpoint_track(tracks.track("left_hip"), tracks.track("right_hip"))
    separation = [
        None if a is None or b is None else a[0] - b[0]
        for a, b in zip(tracks.track("left_ankle"), tracks.track("right_ankle"), strict=True)
    ]
    return StretchCadence(stretch, step_rate(separation, coordinate(hips, 1), tracks.fps))
