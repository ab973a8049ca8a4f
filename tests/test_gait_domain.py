"""The gait check's domain code on synthetic runners (tests/gait_synthetic.py) with known
cadence, overstride, shank angle, trunk lean and pelvic drop."""

from __future__ import annotations

import pytest

from piri.domain.gait_cadence import AGREEMENT_PCT
from piri.domain.gait_measure import Side
from piri.domain.gait_quality import MIN_CLIP_SECONDS, IssueCode
from piri.domain.gait_side import Facing, SideAnalysis, analyse_side
from tests.gait_synthetic import Runner, series

# Stated tolerances: cadence within 1%; overstride within 0.015 leg lengths at 60 fps (0.03 at
# 30 fps, where a frame is 3 cm of belt travel); shank angle and trunk lean within 1°.
CADENCE_TOLERANCE = 0.01
OVERSTRIDE_TOLERANCE = 0.015
ANGLE_TOLERANCE = 1.0


def side(runner: Runner) -> SideAnalysis:
    return analyse_side(series(runner))


def codes(analysis: SideAnalysis) -> set[IssueCode]:
    return {issue.code for issue in analysis.issues}


def assert_cadence(analysis: SideAnalysis, expected: float) -> None:
    assert analysis.cadence is not None
    assert analysis.cadence.steps_per_min == pytest.approx(expected, rel=CADENCE_TOLERANCE)
    assert analysis.cadence.by_legs == pytest.approx(expected, rel=CADENCE_TOLERANCE)
    assert analysis.cadence.by_pelvis == pytest.approx(expected, rel=CADENCE_TOLERANCE)
    assert not analysis.film_again


@pytest.mark.parametrize("cadence", [98.0, 158.0, 172.0, 190.0])
def test_it_finds_the_known_cadence_within_one_percent(cadence: float) -> None:
    assert_cadence(side(Runner(cadence=cadence)), cadence)


def test_it_finds_the_cadence_at_half_the_frame_rate() -> None:
    analysis = side(Runner(cadence=166.0, fps=30.0))
    assert_cadence(analysis, 166.0)
    assert IssueCode.LOW_FRAME_RATE in codes(analysis)  # said, but not blocking


@pytest.mark.parametrize(
    "trouble",
    [
        {"swap_all": True},
        {"swap_share": 0.15},
        {"drop_share": 0.05},
        {"noise_px": 3.0},
        {"noise_px": 2.0, "drop_share": 0.05, "swap_share": 0.1, "fps": 30.0},
    ],
    ids=["labels-swapped", "legs-mixed-up-in-runs", "5pc-dropped", "noise-3px", "everything"],
)
def test_it_finds_the_cadence_through_swaps_drops_and_noise(trouble: dict[str, object]) -> None:
    assert_cadence(side(Runner(cadence=176.0).but(**trouble)), 176.0)


@pytest.mark.parametrize("facing", [1, -1])
def test_overstride_shank_angle_and_lean_per_leg(facing: int) -> None:
    runner = Runner(facing=facing, overstride=0.15, shank_deg=9.0, trunk_lean_deg=7.0)
    analysis = side(runner)
    assert analysis.facing is (Facing.RIGHT if facing == 1 else Facing.LEFT)
    assert [leg.side for leg in analysis.legs] == [Side.LEFT, Side.RIGHT]
    assert analysis.leg_length_px == pytest.approx(runner.leg_px, rel=0.01)
    for leg in analysis.legs:
        assert len(leg.strikes) == pytest.approx(runner.seconds * runner.cadence / 120, abs=1)
        assert leg.overstride.value == pytest.approx(0.15, abs=OVERSTRIDE_TOLERANCE)
        assert leg.overstride.uncertainty < 0.01
        assert leg.shank_angle_deg.value == pytest.approx(9.0, abs=ANGLE_TOLERANCE)
    assert analysis.trunk_lean_deg is not None
    assert analysis.trunk_lean_deg.value == pytest.approx(7.0, abs=ANGLE_TOLERANCE)


def test_a_backward_lean_and_a_foot_under_the_hip_come_out_negative_and_small() -> None:
    analysis = side(Runner(facing=-1, overstride=0.03, shank_deg=-4.0, trunk_lean_deg=-3.0))
    for leg in analysis.legs:
        assert leg.overstride.value == pytest.approx(0.03, abs=OVERSTRIDE_TOLERANCE)
        assert leg.shank_angle_deg.value == pytest.approx(-4.0, abs=ANGLE_TOLERANCE)
    assert analysis.trunk_lean_deg is not None
    assert analysis.trunk_lean_deg.value == pytest.approx(-3.0, abs=ANGLE_TOLERANCE)


def test_overstride_survives_noise_drops_and_half_the_frame_rate() -> None:
    runner = Runner(overstride=0.12, fps=30.0, noise_px=2.0, drop_share=0.05, swap_share=0.1)
    analysis = side(runner)
    assert len(analysis.legs) == 2
    for leg in analysis.legs:
        assert leg.overstride.value == pytest.approx(0.12, abs=2 * OVERSTRIDE_TOLERANCE)
        assert leg.shank_angle_deg.value == pytest.approx(8.0, abs=2 * ANGLE_TOLERANCE)


def test_cadence_methods_that_disagree_say_please_film_again() -> None:
    analysis = side(Runner(cadence=170.0, bounce_cadence=170.0 * (1 + 2 * AGREEMENT_PCT / 100)))
    assert analysis.film_again
    assert IssueCode.CADENCE_DISAGREES in codes(analysis)
    assert analysis.cadence is not None and analysis.cadence.steps_per_min is None
    message = next(i.message for i in analysis.issues if i.code is IssueCode.CADENCE_DISAGREES)
    assert "film" in message and "170" in message
    assert analysis.legs == ()


def test_methods_within_the_tolerance_still_agree() -> None:
    analysis = side(Runner(cadence=170.0, bounce_cadence=170.0 * (1 + AGREEMENT_PCT / 300)))
    assert analysis.cadence is not None and analysis.cadence.steps_per_min is not None
    assert analysis.cadence.uncertainty is not None and analysis.cadence.uncertainty > 0.5


def test_a_short_clip_is_refused_with_the_minimum() -> None:
    analysis = side(Runner(seconds=MIN_CLIP_SECONDS - 2))
    assert analysis.film_again
    message = next(i.message for i in analysis.issues if i.code is IssueCode.TOO_SHORT)
    assert f"{MIN_CLIP_SECONDS:.0f} s" in message
    assert analysis.cadence is None


def test_a_clip_with_the_person_missing_too_often_is_refused() -> None:
    analysis = side(Runner(drop_share=0.35))
    assert IssueCode.PERSON_MISSING in codes(analysis)
    assert analysis.film_again


def test_a_rear_clip_is_refused_by_the_side_analysis() -> None:
    analysis = side(Runner(view="rear"))
    assert IssueCode.WRONG_VIEW in codes(analysis)
    assert analysis.film_again and analysis.cadence is None


def test_a_clip_that_zooms_in_is_flagged_as_camera_moving() -> None:
    base = series(Runner())
    from piri.domain.gait_pose import PoseFrame, PosePoint, PoseSeries

    frames = []
    for frame in base.frames:
        zoom = 1 + 0.04 * frame.time_s  # 60% bigger after 15 s
        assert frame.points is not None
        points = {
            k: PosePoint(640 + (p.x - 640) * zoom, 480 + (p.y - 480) * zoom, p.visibility)
            for k, p in frame.points.items()
        }
        frames.append(PoseFrame(frame.time_s, points))
    analysis = analyse_side(PoseSeries(tuple(frames), base.fps, base.width, base.height))
    assert IssueCode.CAMERA_MOVING in codes(analysis)


def test_feet_hidden_in_most_frames_are_named() -> None:
    base = series(Runner())
    from piri.domain.gait_pose import PoseFrame, PosePoint, PoseSeries

    frames = []
    for i, frame in enumerate(base.frames):
        assert frame.points is not None
        points = dict(frame.points)
        if i % 3:
            p = points["left_ankle"]
            points["left_ankle"] = PosePoint(p.x, p.y, 0.2)
        frames.append(PoseFrame(frame.time_s, points))
    analysis = analyse_side(PoseSeries(tuple(frames), base.fps, base.width, base.height))
    issue = next(i for i in analysis.issues if i.code is IssueCode.LOW_VISIBILITY)
    assert "left ankle" in issue.message
