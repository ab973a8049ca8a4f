"""The rear view on synthetic runners: pelvic drop per stance leg, the knee-valgus proxy,
asymmetry, and the refusals (narrow hips, a tilted camera, too few strides)."""

from __future__ import annotations

import pytest

from piri.domain.gait_measure import Side
from piri.domain.gait_quality import MIN_STRIDES, IssueCode
from piri.domain.gait_rear import (
    MAX_LEVEL_TILT_DEG,
    MIN_HIP_WIDTH_PX,
    RearAnalysis,
    analyse_rear,
)
from tests.gait_synthetic import Runner, series

# Stated tolerances: pelvic drop within 0.5° on a clean clip and 1° with noise, drops and
# swaps; knee-valgus proxy within 1° (1.5° with noise).
DROP_TOLERANCE = 0.5
NOISY_DROP_TOLERANCE = 1.0
REAR = Runner(view="rear", drop_left=7.0, drop_right=3.0)


def rear(runner: Runner) -> RearAnalysis:
    return analyse_rear(series(runner))


def codes(analysis: RearAnalysis) -> set[IssueCode]:
    return {issue.code for issue in analysis.issues}


def drop(analysis: RearAnalysis, side: Side) -> float:
    leg = analysis.leg(side)
    assert leg is not None
    return leg.pelvic_drop_deg.value


def test_it_recovers_the_pelvic_drop_of_each_stance_leg() -> None:
    analysis = rear(REAR)
    assert not analysis.film_again and analysis.no_verdict == ()
    assert drop(analysis, Side.LEFT) == pytest.approx(7.0, abs=DROP_TOLERANCE)
    assert drop(analysis, Side.RIGHT) == pytest.approx(3.0, abs=DROP_TOLERANCE)
    assert analysis.drop_asymmetry_deg is not None
    assert analysis.drop_asymmetry_deg.value == pytest.approx(4.0, abs=2 * DROP_TOLERANCE)
    assert analysis.cadence is not None
    assert analysis.cadence.steps_per_min == pytest.approx(REAR.cadence, rel=0.01)
    for leg in analysis.legs:
        assert leg.stances >= MIN_STRIDES


@pytest.mark.parametrize(
    "trouble",
    [
        {"noise_px": 1.5},
        {"drop_share": 0.05, "swap_share": 0.15},
        {"fps": 30.0, "noise_px": 1.0, "drop_share": 0.05, "swap_all": True},
    ],
    ids=["noise", "drops-and-swaps", "30fps-everything"],
)
def test_the_drop_survives_noise_drops_and_swapped_labels(trouble: dict[str, object]) -> None:
    analysis = rear(REAR.but(**trouble))
    assert not analysis.film_again
    for side, true in ((Side.LEFT, 7.0), (Side.RIGHT, 3.0)):
        assert drop(analysis, side) == pytest.approx(true, abs=NOISY_DROP_TOLERANCE)
        leg = analysis.leg(side)
        assert leg is not None
        assert abs(leg.pelvic_drop_deg.value - true) <= leg.pelvic_drop_deg.uncertainty


def test_the_uncertainty_holds_the_pixel_error_at_the_measured_hip_width() -> None:
    analysis = rear(REAR)
    leg = analysis.leg(Side.LEFT)
    assert leg is not None and analysis.level_tilt_deg is not None
    # atan(1/100 px) = 0.57°, plus the average tilt of the hip line
    assert leg.pelvic_drop_deg.uncertainty == pytest.approx(
        0.573 + abs(analysis.level_tilt_deg), abs=0.05
    )


def test_the_knee_valgus_proxy_per_leg() -> None:
    runner = REAR.but(valgus_left_px=12.0, valgus_right_px=3.0)
    analysis = rear(runner)
    left, right = analysis.leg(Side.LEFT), analysis.leg(Side.RIGHT)
    assert left is not None and right is not None
    assert left.knee_valgus_deg.value == pytest.approx(runner.valgus_left_deg, abs=1.0)
    assert right.knee_valgus_deg.value == pytest.approx(runner.valgus_right_deg, abs=1.0)
    noisy = rear(runner.but(noise_px=1.5)).leg(Side.LEFT)
    assert noisy is not None
    assert noisy.knee_valgus_deg.value == pytest.approx(runner.valgus_left_deg, abs=1.5)


def test_narrow_hips_give_figures_but_no_verdict() -> None:
    analysis = rear(REAR.but(hip_width_px=MIN_HIP_WIDTH_PX - 20, leg_px=260))
    assert IssueCode.HIPS_TOO_NARROW in {i.code for i in analysis.no_verdict}
    message = next(i.message for i in analysis.no_verdict if i.code is IssueCode.HIPS_TOO_NARROW)
    assert f"{MIN_HIP_WIDTH_PX:.0f}" in message


@pytest.mark.parametrize("roll", [5.0, -4.0])
def test_a_tilted_camera_gives_no_verdict(roll: float) -> None:
    analysis = rear(REAR.but(camera_roll_deg=roll))
    assert IssueCode.CAMERA_NOT_LEVEL in {i.code for i in analysis.no_verdict}
    assert analysis.level_tilt_deg is not None
    assert abs(analysis.level_tilt_deg) > MAX_LEVEL_TILT_DEG
    leg = analysis.leg(Side.LEFT)
    assert leg is not None
    assert leg.pelvic_drop_deg.uncertainty > abs(analysis.level_tilt_deg)


def test_a_level_camera_is_not_refused_for_the_runners_own_asymmetry() -> None:
    analysis = rear(REAR.but(drop_left=9.0, drop_right=2.0))
    assert analysis.no_verdict == ()


def test_fewer_than_ten_strides_give_no_pelvic_drop() -> None:
    analysis = rear(REAR.but(cadence=100.0, seconds=10.5))  # about 8.75 strides
    assert IssueCode.TOO_FEW_STRIDES in codes(analysis)
    assert analysis.film_again
    assert analysis.legs == () and analysis.drop_asymmetry_deg is None


def test_a_side_clip_is_refused_by_the_rear_analysis() -> None:
    analysis = rear(Runner(view="side"))
    assert IssueCode.WRONG_VIEW in codes(analysis)
    assert analysis.legs == ()


def test_a_clip_filmed_from_the_front_is_refused_saying_so() -> None:
    analysis = rear(REAR.but(towards_camera=True))
    assert analysis.film_again and IssueCode.FRONT_VIEW in codes(analysis)
    message = next(i.message for i in analysis.issues if i.code is IssueCode.FRONT_VIEW)
    assert "filmed from the front" in message and "100% of the frames" in message
    assert "Film from behind" in message
    # the pose model mixing up only the legs (not the whole body) is not a front view
    assert not rear(REAR.but(swap_all=True)).film_again


def test_a_large_minority_of_frames_facing_the_camera_is_a_warning() -> None:
    from piri.domain.gait_rear import FRONT_SHARE, UNSURE_FACING_SHARE, facing_issues

    assert facing_issues(0.0) == [] and facing_issues(UNSURE_FACING_SHARE - 0.01) == []
    [warning] = facing_issues(0.45)
    assert warning.code is IssueCode.FACING_UNSURE and not warning.blocking
    assert "45% of the frames" in warning.message
    [refusal] = facing_issues(FRONT_SHARE)
    assert refusal.code is IssueCode.FRONT_VIEW and refusal.blocking
