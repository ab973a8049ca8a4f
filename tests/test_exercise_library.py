"""The exercise library: the article's six rebuilt correctly, and the program's others."""

from __future__ import annotations

import pytest

from piri.content.loader import load_library
from piri.content.models import Equipment, Exercise, Phase, Sides, Target

ARTICLE_SIX = [
    "sciatic-nerve-floss",
    "figure-four-foam-roll",
    "dynamic-hamstring-stretch",
    "ninety-ninety-external-rotation",
    "clamshell",
    "monster-walk",
]


def get(exercise_id: str) -> Exercise:
    return load_library().exercises[exercise_id]


def text_of(exercise: Exercise) -> str:
    return " ".join([exercise.starting_position, *exercise.steps]).lower()


@pytest.mark.parametrize("exercise_id", ARTICLE_SIX)
def test_each_article_exercise_is_complete(exercise_id: str) -> None:
    exercise = get(exercise_id)
    assert len(exercise.steps) >= 4
    assert exercise.cues and exercise.common_mistakes and exercise.avoid_if
    assert exercise.sources
    assert exercise.dose.days_per_week >= 2


def test_the_nerve_floss_bends_the_knee_looking_up_then_straightens_it_chin_tucked() -> None:
    floss = get("sciatic-nerve-floss")
    assert floss.equipment == [Equipment.CHAIR]
    assert floss.targets == [Target.NERVE_MOBILITY]
    assert floss.dose.sides is Sides.PAINFUL
    setup = floss.starting_position.lower()
    assert "edge" in setup and "chair" in setup and "buttock" in setup
    steps = [step.lower() for step in floss.steps]
    bend = next(i for i, s in enumerate(steps) if "bend" in s and "look up" in s)
    straighten = next(i for i, s in enumerate(steps) if "straighten" in s)
    toes_chin = next(i for i, s in enumerate(steps) if "toes" in s and "chin" in s)
    assert bend < straighten <= toes_chin
    assert floss.easier == ["sciatic-nerve-slider"]


def test_the_slider_moves_head_and_knee_in_opposite_directions() -> None:
    slider = get("sciatic-nerve-slider")
    assert slider.harder == ["sciatic-nerve-floss"]
    assert slider.dose.sides is Sides.PAINFUL
    steps = " ".join(slider.steps).lower()
    assert "straighten" in steps and "look" in steps and "up" in steps
    assert "chin" in steps
    assert "tension" in (slider.evidence_note or "").lower() + slider.purpose.lower()


def test_the_figure_four_roll_is_30_to_60_seconds_a_side_on_a_roller() -> None:
    roll = get("figure-four-foam-roll")
    assert roll.equipment == [Equipment.FOAM_ROLLER]
    assert roll.dose.duration_seconds is not None
    assert 30 <= roll.dose.duration_seconds <= 60
    assert roll.dose.sides is Sides.EACH
    text = text_of(roll)
    assert "ankle" in text and "knee" in text and "roll" in text


def test_the_dynamic_hamstring_stretch_starts_in_a_lunge_and_alternates_legs() -> None:
    stretch = get("dynamic-hamstring-stretch")
    text = text_of(stretch)
    assert "lunge" in text and "hands" in text and "straighten" in text
    assert "other leg" in text or "alternat" in text
    assert stretch.equipment == []


def test_the_ninety_ninety_lines_up_front_heel_and_back_knee_and_hinges_forward() -> None:
    stretch = get("ninety-ninety-external-rotation")
    text = text_of(stretch)
    assert "heel" in text and "knee" in text and "shin" in text
    assert "hinge" in text or "lean forward" in text
    assert stretch.dose.sides is Sides.EACH
    assert stretch.dose.hold_seconds is not None


def test_the_clamshell_is_three_sets_of_ten_each_side_with_a_band() -> None:
    clam = get("clamshell")
    assert clam.equipment == [Equipment.MINI_BAND]
    assert (clam.dose.sets, clam.dose.reps, clam.dose.sides) == (3, 10, Sides.EACH)
    text = text_of(clam)
    assert "side" in text and "feet" in text and "lower" in text


def test_the_monster_walk_is_a_minute_in_a_shallow_squat_forward_then_back() -> None:
    walk = get("monster-walk")
    assert walk.equipment == [Equipment.MINI_BAND]
    assert walk.dose.duration_seconds == 60
    text = text_of(walk)
    assert "squat" in text and "forward" in text and "backward" in text


def test_at_least_ten_more_exercises_cover_every_phase_and_target() -> None:
    exercises = load_library().exercises
    others = set(exercises) - set(ARTICLE_SIX)
    assert len(others) >= 10
    for phase in Phase:
        assert any(phase in e.phases for e in exercises.values()), phase
    for target in Target:
        assert any(target in e.targets for e in exercises.values()), target


def test_easier_and_harder_links_agree_in_both_directions() -> None:
    exercises = load_library().exercises
    for exercise in exercises.values():
        for harder in exercise.harder:
            assert exercise.id in exercises[harder].easier, (exercise.id, harder)
        for easier in exercise.easier:
            assert exercise.id in exercises[easier].harder, (exercise.id, easier)


def test_no_exercise_tells_the_runner_what_they_have() -> None:
    for exercise in load_library().exercises.values():
        everything = " ".join(
            [exercise.purpose, *exercise.steps, *exercise.avoid_if, exercise.evidence_note or ""]
        )
        assert "you have piriformis" not in everything.lower(), exercise.id
