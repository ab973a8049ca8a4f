"""The phased program: which phase a runner is in, which strength work, and this week's days.

Pure logic on plain data. Thresholds are named constants beside their sources
(facts brief sections 4.5, 5.1 and 6.1); "derived" marks the team's own reading.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from piri.content.models import Dose, Exercise, Phase
from piri.content.program_models import Program
from piri.domain.diary import DayEntry
from piri.domain.progression import PAIN_ACCEPTABLE_MAX, PAIN_SAFE_MAX, REPS_MIN, Prescription

# The diary window the phase rules look at.
PAIN_WINDOW_DAYS = 7
# Settle -> strengthen (derived): a week in settle, three sessions, no step back in the last
# week, and worst pain at most "acceptable" (5/10, pain-monitoring model, BIM Physio summary of
# Silbernagel 2007: https://bim.physio/the-pain-monitoring-model/).
SETTLE_MIN_DAYS = 7
SETTLE_MIN_SESSIONS = 3
SETTLE_EXIT_WORST_PAIN = PAIN_ACCEPTABLE_MAX
# Strengthen -> return to running: strength programmes last at least about 6 weeks (ACSM,
# https://exercise.trekeducation.org/2017/07/31/resistance-training/); running starts when
# 30 minutes of walking is pain-free and pain is mild, ideally 3/10 or less (UW Health
# programme, summarised by Dynamic PT: https://dynamic-pt.com/get-back-to-running-safely).
STRENGTHEN_MIN_WEEKS = 6
RETURN_TO_RUN_WORST_PAIN = PAIN_SAFE_MAX
# A flare (worst pain above 5/10 on average over the window) goes back to settle (derived from
# the pain-monitoring model's "too much" zone).
FLARE_WORST_PAIN = PAIN_ACCEPTABLE_MAX
# Strength starts at 2 sets at the bottom of the 8-12 range (ACSM novices: 1-3 sets of 8-12).
START_SETS = 2
START_REPS = REPS_MIN
# Training days in the week (0 = Monday) by how many days a week; strength days are not
# back to back where the count allows it (ACSM: non-consecutive days).
TRAINING_DAYS = {
    1: (0,),
    2: (0, 3),
    3: (0, 2, 4),
    4: (0, 1, 3, 5),
    5: (0, 1, 2, 4, 5),
    6: (0, 1, 2, 3, 4, 5),
    7: (0, 1, 2, 3, 4, 5, 6),
}


@dataclass(frozen=True)
class RunnerProfile:
    painful_side: str | None = None  # left, right or both
    equipment: frozenset[str] = frozenset()
    minutes_per_day: int = 20
    days_per_week: int = 4
    running_status: str = "running_with_pain"
    goals: tuple[str, ...] = ()
    walks_30_min_pain_free: bool = False


@dataclass(frozen=True)
class SessionOutcome:
    day: dt.date
    completed: bool
    stepped_back: bool  # the pain after it made any exercise step back


@dataclass(frozen=True)
class PhaseDecision:
    phase: Phase
    changed: bool
    why: str


def worst_pain_average(diary: Sequence[DayEntry], today: dt.date) -> float | None:
    recent = [d.worst_pain for d in diary if 0 <= (today - d.day).days < PAIN_WINDOW_DAYS]
    return sum(recent) / len(recent) if recent else None


def next_phase(
    current: Phase,
    since: dt.date,
    today: dt.date,
    diary: Sequence[DayEntry],
    sessions: Sequence[SessionOutcome],
    profile: RunnerProfile,
) -> PhaseDecision:
    """Move on, stay, or go back a phase, with the reason in one sentence."""
    worst = worst_pain_average(diary, today)
    recent = [s for s in sessions if s.day >= since]
    last_week = [s for s in recent if (today - s.day).days < PAIN_WINDOW_DAYS]
    if current is not Phase.SETTLE and worst is not None and worst > FLARE_WORST_PAIN:
        return PhaseDecision(
            Phase.SETTLE,
            True,
            f"Back to the settle phase: your worst pain averaged {worst:.1f}/10 this week, "
            f"above {FLARE_WORST_PAIN}/10.",
        )
    if current is Phase.SETTLE:
        missing = []
        if (today - since).days < SETTLE_MIN_DAYS:
            missing.append(f"a week in this phase (day {(today - since).days + 1} of 7)")
        done = sum(s.completed for s in recent)
        if done < SETTLE_MIN_SESSIONS:
            missing.append(f"{SETTLE_MIN_SESSIONS} sessions done ({done} so far)")
        if any(s.stepped_back for s in last_week):
            missing.append("a week without a step back")
        if worst is None:
            missing.append("diary entries for the last week")
        elif worst > SETTLE_EXIT_WORST_PAIN:
            missing.append(f"worst pain at {SETTLE_EXIT_WORST_PAIN}/10 or less (now {worst:.1f})")
        if missing:
            return PhaseDecision(
                current, False, "Still settling: waiting for " + "; ".join(missing) + "."
            )
        return PhaseDecision(
            Phase.STRENGTHEN, True, "On to the strengthen phase: the pain has settled enough."
        )
    if current is Phase.STRENGTHEN:
        weeks = (today - since).days // 7
        missing = []
        if weeks < STRENGTHEN_MIN_WEEKS:
            missing.append(f"{STRENGTHEN_MIN_WEEKS} weeks of strength work ({weeks} so far)")
        if worst is None or worst > RETURN_TO_RUN_WORST_PAIN:
            missing.append(f"worst pain at {RETURN_TO_RUN_WORST_PAIN}/10 or less")
        if not profile.walks_30_min_pain_free:
            missing.append("30 minutes of walking without pain")
        if missing:
            return PhaseDecision(
                current, False, "Still strengthening: waiting for " + "; ".join(missing) + "."
            )
        return PhaseDecision(
            Phase.RETURN_TO_RUN,
            True,
            "On to the return-to-running phase: six weeks of strength work and the pain is mild.",
        )
    return PhaseDecision(current, False, "In the return-to-running phase.")


# --- strength work ---------------------------------------------------------------------------


def available(exercise: Exercise, profile: RunnerProfile) -> bool:
    return all(item.value in profile.equipment for item in exercise.equipment)


def open_ladders(
    program: Program,
    exercises: dict[str, Exercise],
    profile: RunnerProfile,
    week_of_strengthen: int,
    early: frozenset[str] = frozenset(),
) -> list[list[str]]:
    """The ladders of every stage open in this week, keeping only rungs the runner can do.

    A later stage's ladder that holds one of the ``early`` exercises opens now too (a gait
    check found the hip abductors worth working on: see ``piri.domain.gait_program``)."""
    ladders = []
    for stage in program.stages:
        if stage.from_week > week_of_strengthen:
            for ladder in stage.ladders:
                rungs = [e for e in ladder if available(exercises[e], profile)]
                if rungs and early.intersection(ladder):
                    ladders.append(rungs)
            continue
        for ladder in stage.ladders:
            rungs = [e for e in ladder if available(exercises[e], profile)]
            if rungs:
                ladders.append(rungs)
    return ladders


def first_prescription(ladder: list[str]) -> Prescription:
    return Prescription(
        ladder[0],
        sets=START_SETS,
        reps=START_REPS,
        harder=ladder[1] if len(ladder) > 1 else None,
    )


def ladder_links(ladder: list[str], exercise: str) -> tuple[str | None, str | None]:
    """(easier, harder) neighbours of ``exercise`` on its ladder."""
    index = ladder.index(exercise)
    easier = ladder[index - 1] if index > 0 else None
    harder = ladder[index + 1] if index + 1 < len(ladder) else None
    return easier, harder


def dose_for(exercise: Exercise, prescription: Prescription | None) -> Dose:
    """The exercise's own dose, with the prescribed sets (and reps, where it counts reps)."""
    if prescription is None:
        return exercise.dose
    if exercise.dose.reps is not None and exercise.dose.hold_seconds is None:
        return exercise.dose.model_copy(
            update={"sets": prescription.sets, "reps": prescription.reps}
        )
    return exercise.dose.model_copy(update={"sets": prescription.sets})


# --- the week --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayPlan:
    weekday: int  # 0 = Monday
    items: list[tuple[str, Dose]] = field(default_factory=list)
    minutes: float = 0.0

    @property
    def rest_day(self) -> bool:
        return not self.items


def training_weekdays(days_per_week: int) -> tuple[int, ...]:
    if days_per_week not in TRAINING_DAYS:
        raise ValueError(f"days a week: expected 1 to 7, got {days_per_week}")
    return TRAINING_DAYS[days_per_week]


def week_plan(
    phase: Phase,
    program: Program,
    exercises: dict[str, Exercise],
    profile: RunnerProfile,
    prescriptions: Sequence[Prescription],
    seconds_of: SecondsOf,
) -> list[DayPlan]:
    """Seven days: a session on each training day, within the minutes a day the runner has.

    Gentle work (glides, stretches) and strength work are added in priority order until
    the next one would not fit; strength exercises rotate across the week so that each one
    comes round when a day cannot hold them all.
    """
    gentle = [
        (e, dose_for(exercises[e], None))
        for e in program.phase(phase).exercises
        if available(exercises[e], profile)
    ]
    strength = [(p.exercise, dose_for(exercises[p.exercise], p)) for p in prescriptions]
    budget = profile.minutes_per_day * 60
    days = []
    for order, weekday in enumerate(training_weekdays(profile.days_per_week)):
        if phase is Phase.SETTLE:
            candidates = gentle
        else:
            shift = order % len(strength) if strength else 0
            rotated = strength[shift:] + strength[:shift]
            candidates = gentle[:1] + rotated + gentle[1:]
        chosen: list[tuple[str, Dose]] = []
        for candidate in candidates:
            if not chosen or seconds_of([*chosen, candidate]) <= budget:
                chosen.append(candidate)
        days.append(weekday_plan(weekday, chosen, seconds_of))
    by_day = {day.weekday: day for day in days}
    return [by_day.get(weekday, DayPlan(weekday)) for weekday in range(7)]


def weekday_plan(weekday: int, items: list[tuple[str, Dose]], seconds_of: SecondsOf) -> DayPlan:
    return DayPlan(weekday, items, round(seconds_of(items) / 60, 1))


class SecondsOf:
    """How long a list of (exercise id, dose) takes, as the session player would run it."""

    def __init__(self, exercises: dict[str, Exercise]) -> None:
        self.exercises = exercises

    def __call__(self, items: Sequence[tuple[str, Dose]]) -> float:
        from piri.domain.session import PlannedExercise, plan_session

        planned = [PlannedExercise(self.exercises[e], dose) for e, dose in items]
        return plan_session("plan", "plan", planned).total_seconds if planned else 0.0
