"""Answer sets for symptom-check tests: a complete, flag-free story to vary one answer at a time."""

from __future__ import annotations

from typing import Any


def typical_piriformis(**changes: Any) -> dict[str, Any]:
    """A 34-year-old runner: deep buttock pain, worse sitting, no warning signs."""
    answers: dict[str, Any] = {
        "saddle_numbness": False,
        "bladder_bowel_change": False,
        "both_legs": False,
        "sexual_function_change": False,
        "leg_weakness": "no",
        "fever_or_unwell": False,
        "started_after_injury": False,
        "cancer_history": False,
        "unexplained_weight_loss": False,
        "night_pain_any_position": False,
        "age": 34,
        "weeks_since_start": 3,
        "course": "same",
        "pain_location": ["deep_buttock"],
        "pain_side": "right",
        "leg_symptoms_reach": "thigh",
        "worst_pain": 5,
        "provoked_by": ["sitting", "running"],
        "sitting_minutes": 20,
        "tingling": True,
        "numbness": False,
        "back_pain_with_it": False,
        "clicking_catching": False,
        "onset": "gradual",
        "runs_per_week": 4,
        "recent_jump_in_training": False,
        "pain_when_walking": False,
        "pain_standing_on_one_leg": False,
        "pain_at_night": False,
        "previous_bone_stress_injury": "no",
        "periods": "not_applicable",
        "low_energy_signs": False,
    }
    answers.update(changes)
    return answers
