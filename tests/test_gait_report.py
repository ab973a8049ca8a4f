"""The gait report: verdicts that never overclaim, cited ranges, cadence and hip advice."""

from __future__ import annotations

from pathlib import Path

import pytest

from piri.domain.gait_evidence import (
    CADENCE_TYPICAL,
    HIP_ABDUCTOR_EXERCISE_IDS,
    PELVIC_DROP_TYPICAL,
    SEE_A_PROFESSIONAL,
)
from piri.domain.gait_measure import Side
from piri.domain.gait_rear import analyse_rear
from piri.domain.gait_report import (
    Figure,
    GaitReport,
    Verdict,
    cadence_advice,
    cadence_figure,
    judge,
    rear_report,
    side_report,
)
from piri.domain.gait_side import analyse_side
from tests.gait_synthetic import Runner, series

EXERCISES = Path(__file__).parent.parent / "src" / "piri" / "content" / "data" / "exercises"
REAR = Runner(view="rear", seconds=12.0)


def figure(report: GaitReport, key: str) -> Figure:
    return next(f for f in report.figures if f.key == key)


def test_a_verdict_needs_the_whole_uncertainty_band_on_one_side() -> None:
    assert judge(150.0, 2.0, CADENCE_TYPICAL) is Verdict.BELOW
    assert judge(159.0, 2.0, CADENCE_TYPICAL) is Verdict.UNCERTAIN
    assert judge(175.0, 2.0, CADENCE_TYPICAL) is Verdict.IN_RANGE
    assert judge(6.5, 1.0, PELVIC_DROP_TYPICAL) is Verdict.ABOVE
    assert judge(5.5, 1.0, PELVIC_DROP_TYPICAL) is Verdict.UNCERTAIN
    assert judge(3.0, 1.0, PELVIC_DROP_TYPICAL) is Verdict.IN_RANGE


def test_a_low_cadence_gets_a_target_five_to_ten_percent_higher_with_a_metronome() -> None:
    low = cadence_figure(150.0, 1.0)
    assert low.verdict is Verdict.BELOW
    (advice,) = cadence_advice(low)
    assert advice.metronome_bpm == (158, 165)
    assert "158" in advice.text and "metronome" in advice.text
    assert advice.sources
    assert cadence_advice(cadence_figure(175.0, 1.0)) == []


def test_a_walking_cadence_gets_no_running_verdict_or_advice() -> None:
    walk = cadence_figure(98.0, 0.5)
    assert walk.verdict is Verdict.NO_RANGE and "walking" in walk.says
    assert cadence_advice(walk) == []


def test_the_side_report_carries_every_figure_with_a_source_and_when_to_see_someone() -> None:
    report = side_report(analyse_side(series(Runner(cadence=150.0, seconds=12.0))))
    assert not report.film_again
    keys = {f.key for f in report.figures}
    assert keys == {
        "cadence",
        "overstride_left",
        "overstride_right",
        "shank_angle_left",
        "shank_angle_right",
        "trunk_lean",
    }
    for f in report.figures:
        cited = (f.typical.sources if f.typical else ()) + (
            f.evidence.sources if f.evidence else ()
        )
        assert cited, f.key
        assert f.uncertainty > 0
    assert figure(report, "cadence").verdict is Verdict.BELOW
    assert figure(report, "overstride_left").verdict is Verdict.NO_RANGE
    assert report.advice and report.advice[0].metronome_bpm == (158, 165)
    assert report.see_a_professional == SEE_A_PROFESSIONAL
    assert "emergency" in report.see_a_professional


def test_a_clip_to_film_again_shows_the_reason_and_no_figures() -> None:
    report = side_report(analyse_side(series(Runner(bounce_cadence=150.0))))
    assert report.film_again and report.figures == () and report.advice == ()
    assert any("film" in reason for reason in report.reasons)
    assert report.see_a_professional


@pytest.mark.parametrize(
    ("painful", "expect_exercises"),
    [(Side.LEFT, True), (Side.RIGHT, False), (None, True)],
)
def test_a_large_drop_on_the_painful_side_adds_hip_abductor_exercises(
    painful: Side | None, expect_exercises: bool
) -> None:
    analysis = analyse_rear(series(REAR.but(drop_left=9.0, drop_right=2.0)))
    report = rear_report(analysis, painful_side=painful)
    assert figure(report, "pelvic_drop_left").verdict is Verdict.ABOVE
    assert figure(report, "pelvic_drop_right").verdict is Verdict.IN_RANGE
    assert "standing on the left leg" in figure(report, "pelvic_drop_asymmetry").says
    ids = [i for a in report.advice for i in a.exercise_ids]
    assert (ids == list(HIP_ABDUCTOR_EXERCISE_IDS)) is expect_exercises
    for text in [f.says for f in report.figures] + [a.text for a in report.advice]:
        assert "you have" not in text.lower()


def test_the_hip_abductor_exercises_exist_in_the_library() -> None:
    for exercise_id in HIP_ABDUCTOR_EXERCISE_IDS:
        assert (EXERCISES / f"{exercise_id}.toml").is_file(), exercise_id


def test_a_drop_near_the_limit_is_uncertain_not_judged() -> None:
    report = rear_report(analyse_rear(series(REAR.but(drop_left=5.3, drop_right=5.0))))
    assert figure(report, "pelvic_drop_left").verdict is Verdict.UNCERTAIN
    assert not any(a.exercise_ids for a in report.advice)


def test_a_tilted_camera_makes_every_drop_uncertain_and_adds_no_exercises() -> None:
    report = rear_report(
        analyse_rear(series(REAR.but(drop_left=9.0, camera_roll_deg=5.0))), Side.LEFT
    )
    drop = figure(report, "pelvic_drop_left")
    assert drop.verdict is Verdict.UNCERTAIN and "level" in drop.says
    assert not any(a.exercise_ids for a in report.advice)
    assert report.warnings


def test_equal_drops_read_as_alike() -> None:
    report = rear_report(analyse_rear(series(REAR.but(drop_left=4.0, drop_right=4.0))))
    asymmetry = figure(report, "pelvic_drop_asymmetry")
    assert asymmetry.value == pytest.approx(0.0, abs=0.5)
    assert "alike" in asymmetry.says
