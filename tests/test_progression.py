"""Progress, hold or step back after a session, at every boundary of the pain-monitoring rules."""

from __future__ import annotations

import pytest

from piri.domain.progression import (
    PainReport,
    Prescription,
    Verdict,
    decide,
    judge_pain,
    progress,
    step_back,
)

BRIDGE = Prescription("glute-bridge", sets=2, reps=10, harder="single-leg-bridge")


def pain(during: int = 2, after: int = 2, morning: int = 2, usual: int = 2) -> PainReport:
    return PainReport(during, after, morning, usual)


@pytest.mark.parametrize(
    ("report", "verdict"),
    [
        (pain(during=3, after=3), Verdict.PROGRESS),  # 3/10 is still "safe"
        (pain(during=4), Verdict.HOLD),  # 4-5 acceptable: hold
        (pain(after=5), Verdict.HOLD),
        (pain(during=6), Verdict.STEP_BACK),  # above 5: too much
        (pain(after=6), Verdict.STEP_BACK),
        (pain(morning=3, usual=2), Verdict.HOLD),  # a 1-point rise the next morning
        (pain(morning=4, usual=2), Verdict.STEP_BACK),  # a 2-point rise
        (pain(morning=1, usual=2), Verdict.PROGRESS),  # better than usual
    ],
)
def test_pain_scores_decide_at_their_boundaries(report: PainReport, verdict: Verdict) -> None:
    assert judge_pain(report)[0] is verdict


def test_strength_progresses_by_reps_then_sets_then_a_harder_exercise() -> None:
    steps = []
    dose = Prescription("glute-bridge", sets=1, reps=8, harder="single-leg-bridge")
    for _ in range(8):
        dose, change = progress(dose)
        steps.append((dose.exercise, dose.sets, dose.reps))
    assert steps[:7] == [
        ("glute-bridge", 1, 10),
        ("glute-bridge", 1, 12),
        ("glute-bridge", 2, 8),
        ("glute-bridge", 2, 10),
        ("glute-bridge", 2, 12),
        ("glute-bridge", 3, 8),
        ("glute-bridge", 3, 10),
    ]
    dose, change = progress(Prescription("glute-bridge", 3, 12, harder="single-leg-bridge"))
    assert (dose.exercise, dose.sets, dose.reps, dose.easier) == (
        "single-leg-bridge",
        2,
        8,
        "glute-bridge",
    )
    assert change == "on to single-leg-bridge, 2 sets of 8"


def test_the_top_dose_of_the_hardest_exercise_stays() -> None:
    top = Prescription("side-plank", sets=3, reps=12)
    assert progress(top) == (top, "no change")


def test_stepping_back_drops_sets_then_reps_then_goes_to_the_easier_exercise() -> None:
    dose = Prescription("single-leg-bridge", 2, 10, easier="glute-bridge")
    dose, change = step_back(dose)
    assert (dose.sets, dose.reps, change) == (1, 10, "2 to 1 sets")
    dose, change = step_back(dose)
    assert (dose.sets, dose.reps) == (1, 8)
    dose, change = step_back(dose)
    assert (dose.exercise, change) == ("glute-bridge", "back to glute-bridge")
    floor = Prescription("glute-bridge", 1, 8)
    assert step_back(floor)[0] == floor


def test_progress_needs_two_good_sessions_in_a_row_and_every_set_done() -> None:
    first = decide(BRIDGE, pain(), completed=True, good_sessions_before=0)
    assert first.verdict is Verdict.HOLD and first.prescription == BRIDGE
    second = decide(BRIDGE, pain(), completed=True, good_sessions_before=1)
    assert second.verdict is Verdict.PROGRESS
    assert second.prescription.reps == 12
    assert second.why.startswith("Moving up (10 to 12 reps)")
    unfinished = decide(BRIDGE, pain(), completed=False, good_sessions_before=5)
    assert unfinished.verdict is Verdict.HOLD
    assert "not every set was done" in unfinished.why


def test_a_flare_never_progresses_and_every_decision_is_one_sentence() -> None:
    flare = decide(BRIDGE, pain(during=7), completed=True, good_sessions_before=9)
    assert flare.verdict is Verdict.STEP_BACK
    assert flare.prescription.sets == 1
    assert flare.why == "Stepping back (2 to 1 sets): pain reached 7/10, above the 5/10 limit."
    for decision in (flare, decide(BRIDGE, pain(during=4), True, 3)):
        assert decision.why.count(". ") == 0 and decision.why.endswith(".")


def test_a_pain_score_outside_zero_to_ten_is_refused() -> None:
    with pytest.raises(ValueError, match="pain next morning: expected 0 to 10, got 11"):
        PainReport(2, 2, 11, 2)
