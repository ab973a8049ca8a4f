"""The longest one-person stretch: a second person picked up by the pose model is named and
left out of the analysis (synthetic runners from tests/gait_synthetic.py)."""

from __future__ import annotations

import pytest

from piri.domain.gait_pose import PoseFrame, PosePoint, PoseSeries
from piri.domain.gait_quality import IssueCode
from piri.domain.gait_side import analyse_side
from piri.domain.gait_stretch import longest_stretch, stretch_cadence
from tests.gait_synthetic import Runner, series


def with_someone_else_after(base: PoseSeries, seconds: float) -> PoseSeries:
    """The same landmarks moved 500 px left from ``seconds`` on: another person."""
    frames = []
    for frame in base.frames:
        points = frame.points
        if points is not None and frame.time_s >= seconds:
            points = {k: PosePoint(p.x - 500, p.y, p.visibility) for k, p in points.items()}
        frames.append(PoseFrame(frame.time_s, points))
    return PoseSeries(tuple(frames), base.fps, base.width, base.height)


def test_a_second_person_is_named_and_left_out() -> None:
    clip = with_someone_else_after(series(Runner(cadence=172.0, seconds=16.0)), 12.0)
    stretch = longest_stretch(clip)
    assert stretch.stretches == 2
    assert (stretch.start_s, stretch.end_s) == pytest.approx((0.0, 12.0), abs=0.02)
    analysis = analyse_side(clip)
    assert IssueCode.SEVERAL_PEOPLE in {i.code for i in analysis.issues}
    assert not analysis.film_again and analysis.analysed_s == (stretch.start_s, stretch.end_s)
    assert analysis.cadence is not None
    assert analysis.cadence.steps_per_min == pytest.approx(172.0, rel=0.01)


def test_one_person_throughout_is_one_stretch_and_no_issue() -> None:
    analysis = analyse_side(series(Runner(drop_share=0.05)))
    assert IssueCode.SEVERAL_PEOPLE not in {i.code for i in analysis.issues}


def test_cadence_alone_needs_four_seconds() -> None:
    assert stretch_cadence(series(Runner(cadence=98.0, seconds=5.0))).cadence.steps_per_min == (
        pytest.approx(98.0, rel=0.02)
    )
    short = stretch_cadence(series(Runner(seconds=3.0))).cadence
    assert short.steps_per_min is None and short.issue is not None
    assert short.issue.code is IssueCode.TOO_SHORT
