"""After a session: progress, hold or step back, by the pain-monitoring model.

The runner reports pain (0-10) during the exercises, right after, and the next
morning, beside their usual morning pain. The thresholds are named constants
next to their sources (facts brief, sections 4.5, 5.1 and 5.3). The model was
built for tendons and is not validated for nerve pain, so Piri reads it
cautiously: any doubt holds the dose rather than raising it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

# Pain during or right after exercise: 0-3 "safe", 4-5 "acceptable", above 5 "too much".
# Silbernagel KG et al., AJSM 2007, as summarised by BIM Physio
# (https://bim.physio/the-pain-monitoring-model/).
PAIN_SAFE_MAX = 3
PAIN_ACCEPTABLE_MAX = 5
# The next morning, pain should be back to the usual level; a rise means less load next time.
# A rise of 2 points is larger than the error of the scale (MDC 2, Childs JD et al., Spine 2005,
# https://pubmed.ncbi.nlm.nih.gov/15928561/), so it steps back; a rise of 1 holds.
MORNING_RISE_STEP_BACK = 2
# Strength dose for novices: 8-12 repetitions, 1-3 sets (ACSM position stand, summary:
# https://exercise.trekeducation.org/2017/07/31/resistance-training/). Reps rise by 2 at a time.
REPS_MIN = 8
REPS_MAX = 12
REPS_STEP = 2
SETS_MIN = 1
SETS_MAX = 3
# Raise the load only after the target was met in two sessions in a row: the "2-for-2 rule"
# (after Baechle and Earle, NSCA; https://athleticperformancetc.wordpress.com/tag/2-for-2-rule/).
GOOD_SESSIONS_TO_PROGRESS = 2


class Verdict(StrEnum):
    PROGRESS = "progress"
    HOLD = "hold"
    STEP_BACK = "step_back"


@dataclass(frozen=True)
class PainReport:
    during: int
    right_after: int
    next_morning: int
    usual_morning: int  # the runner's ordinary morning pain before this session

    def __post_init__(self) -> None:
        for name in ("during", "right_after", "next_morning", "usual_morning"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
                raise ValueError(f"pain {name.replace('_', ' ')}: expected 0 to 10, got {value!r}")


@dataclass(frozen=True)
class Prescription:
    """One strength exercise's dose, and the easier/harder exercises it can move to."""

    exercise: str
    sets: int
    reps: int
    harder: str | None = None  # the next exercise up, if any
    easier: str | None = None  # the one to go back to, if any


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    prescription: Prescription
    why: str  # one sentence for the runner


def judge_pain(report: PainReport) -> tuple[Verdict, str]:
    """What the pain scores alone allow, with the reason."""
    rise = report.next_morning - report.usual_morning
    worst = max(report.during, report.right_after)
    if worst > PAIN_ACCEPTABLE_MAX:
        return (
            Verdict.STEP_BACK,
            f"pain reached {worst}/10, above the {PAIN_ACCEPTABLE_MAX}/10 limit",
        )
    if rise >= MORNING_RISE_STEP_BACK:
        return Verdict.STEP_BACK, f"next-morning pain rose {rise} points above your usual"
    if rise > 0:
        return Verdict.HOLD, "next-morning pain was a little above your usual"
    if worst > PAIN_SAFE_MAX:
        return Verdict.HOLD, f"pain reached {worst}/10: acceptable, but not yet easy"
    return Verdict.PROGRESS, "pain stayed low and settled by the next morning"


def decide(
    current: Prescription, report: PainReport, completed: bool, good_sessions_before: int
) -> Decision:
    """The next dose after a session.

    ``completed``: every planned set and rep was done. ``good_sessions_before``: how many
    sessions in a row before this one were completed with pain that allowed progress.
    """
    verdict, reason = judge_pain(report)
    if verdict is Verdict.STEP_BACK:
        smaller, change = step_back(current)
        return Decision(Verdict.STEP_BACK, smaller, f"Stepping back ({change}): {reason}.")
    if verdict is Verdict.HOLD:
        return Decision(Verdict.HOLD, current, f"Same dose next time: {reason}.")
    if not completed:
        return Decision(
            Verdict.HOLD, current, "Same dose next time: not every set was done this time."
        )
    if good_sessions_before + 1 < GOOD_SESSIONS_TO_PROGRESS:
        return Decision(
            Verdict.HOLD,
            current,
            "Same dose next time: one more easy session like this one and it goes up.",
        )
    bigger, change = progress(current)
    if bigger == current:
        return Decision(Verdict.HOLD, current, f"Same dose: {reason}, and this is the top dose.")
    return Decision(Verdict.PROGRESS, bigger, f"Moving up ({change}): {reason}, twice in a row.")


def progress(current: Prescription) -> tuple[Prescription, str]:
    """Reps first, then sets, then the harder exercise (back at the bottom of the range)."""
    if current.reps + REPS_STEP <= REPS_MAX:
        reps = current.reps + REPS_STEP
        return replace(current, reps=reps), f"{current.reps} to {reps} reps"
    if current.sets < SETS_MAX:
        sets = current.sets + 1
        return replace(current, sets=sets, reps=REPS_MIN), f"{sets} sets of {REPS_MIN}"
    if current.harder is not None:
        harder = Prescription(
            current.harder, sets=2, reps=REPS_MIN, harder=None, easier=current.exercise
        )
        return harder, f"on to {current.harder}, 2 sets of {REPS_MIN}"
    return current, "no change"


def step_back(current: Prescription) -> tuple[Prescription, str]:
    """Less load at once: fewer sets first, then fewer reps, then the easier exercise."""
    if current.sets > SETS_MIN:
        sets = current.sets - 1
        return replace(current, sets=sets), f"{current.sets} to {sets} sets"
    if current.reps - REPS_STEP >= REPS_MIN:
        reps = current.reps - REPS_STEP
        return replace(current, reps=reps), f"{current.reps} to {reps} reps"
    if current.easier is not None:
        easier = Prescription(
            current.easier, sets=SETS_MIN, reps=REPS_MAX, harder=current.exercise, easier=None
        )
        return easier, f"back to {current.easier}"
    return current, "already the smallest dose; rest a day or two if the pain does not settle"
