"""A guided session: the ordered steps of a routine, and what happened to each.

Pure logic. :func:`plan_session` turns a routine's exercises and doses into the
steps a player walks through (get ready, reps, holds, timed work, rests, switch
sides); :class:`SessionLog` records what the person did and summarises it.
No timers run here: a player (the terminal today, the browser later) does the
waiting and reports back.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from piri.content.models import Dose, Exercise, Sides

# Player timings that are not clinical: time to get into or change position.
GET_READY_SECONDS = 10.0
SWITCH_SIDES_SECONDS = 8.0
# Between two holds of one set: come out of the stretch and settle back in.
BETWEEN_HOLDS_SECONDS = 5.0

LEFT = "left"
RIGHT = "right"
SIDES = (LEFT, RIGHT)


class StepKind(StrEnum):
    GET_READY = "get_ready"  # move into the starting position of a new exercise
    REPS = "reps"  # a counted set, paced at the dose's seconds per rep
    HOLD = "hold"  # one timed hold of a set of holds
    TIMED = "timed"  # continuous work for a set time
    RELAX = "relax"  # the short pause between two holds
    SWITCH_SIDES = "switch_sides"
    REST = "rest"  # between sets

    @property
    def is_work(self) -> bool:
        return self in (StepKind.REPS, StepKind.HOLD, StepKind.TIMED)


@dataclass(frozen=True)
class PlannedExercise:
    """One exercise of a routine, with the dose this routine gives it."""

    exercise: Exercise
    dose: Dose


@dataclass(frozen=True)
class SessionStep:
    kind: StepKind
    exercise_index: int  # 0-based position of the exercise in the session
    exercise_id: str
    exercise_name: str
    seconds: float  # how long the player's timer runs for this step
    text: str  # what to do now, in one line
    side: str | None = None  # "left", "right", or None when both legs work
    set_number: int | None = None
    sets: int | None = None
    reps: int | None = None  # REPS: reps in the set; HOLD: holds in the set
    rep_number: int | None = None  # HOLD: which hold this is
    rep_seconds: float | None = None  # REPS: pace of one rep


@dataclass(frozen=True)
class SessionPlan:
    routine_id: str
    routine_name: str
    exercises: tuple[PlannedExercise, ...]
    steps: tuple[SessionStep, ...]
    painful_side: str | None

    @property
    def total_seconds(self) -> float:
        return sum(step.seconds for step in self.steps)

    def steps_of(self, exercise_index: int) -> list[SessionStep]:
        return [s for s in self.steps if s.exercise_index == exercise_index]


def other_side(side: str) -> str:
    return RIGHT if side == LEFT else LEFT


def sides_for(sides: Sides, painful_side: str | None) -> list[str | None]:
    """The sides an exercise is done on, in order.

    The painful side goes first when it is known, so a session cut short has
    still worked the side that needs it.
    """
    if sides is Sides.NONE:
        return [None]
    if sides is Sides.PAINFUL:
        return [painful_side]  # None: the person knows their side, we don't
    first = painful_side or LEFT
    return [first, other_side(first)]


def side_words(side: str | None, sides: Sides) -> str:
    """'left side', 'your painful side', or '' when both legs work together."""
    if side is not None:
        return f"the {side} side"
    return "your painful side" if sides is Sides.PAINFUL else ""


def _work_steps(
    index: int, exercise: Exercise, dose: Dose, side: str | None, set_number: int
) -> Iterator[SessionStep]:
    where = side_words(side, dose.sides)
    on = f" on {where}" if where else ""
    template = SessionStep(
        kind=StepKind.TIMED,
        exercise_index=index,
        exercise_id=exercise.id,
        exercise_name=exercise.name,
        seconds=0.0,
        text="",
        side=side,
        set_number=set_number,
        sets=dose.sets,
    )
    if dose.duration_seconds is not None:
        yield replace(
            template,
            seconds=float(dose.duration_seconds),
            text=f"Keep going{on} for {dose.duration_seconds} s.",
        )
        return
    assert dose.reps is not None  # the Dose model guarantees reps or a duration
    if dose.hold_seconds is None:
        yield replace(
            template,
            kind=StepKind.REPS,
            seconds=dose.reps * dose.rep_seconds,
            reps=dose.reps,
            rep_seconds=dose.rep_seconds,
            text=f"{dose.reps} slow reps{on}.",
        )
        return
    for rep in range(1, dose.reps + 1):
        if rep > 1:
            yield replace(
                template,
                kind=StepKind.RELAX,
                seconds=BETWEEN_HOLDS_SECONDS,
                text="Ease off, then settle back into the position.",
            )
        yield replace(
            template,
            kind=StepKind.HOLD,
            seconds=float(dose.hold_seconds),
            reps=dose.reps,
            rep_number=rep,
            text=f"Hold{on}: {dose.hold_seconds} s.",
        )


def _exercise_steps(
    index: int, planned: PlannedExercise, painful_side: str | None
) -> Iterator[SessionStep]:
    exercise, dose = planned.exercise, planned.dose
    sides = sides_for(dose.sides, painful_side)
    first_where = side_words(sides[0], dose.sides)
    yield SessionStep(
        kind=StepKind.GET_READY,
        exercise_index=index,
        exercise_id=exercise.id,
        exercise_name=exercise.name,
        seconds=GET_READY_SECONDS,
        side=sides[0],
        text=f"Get ready{' on ' + first_where if first_where else ''}. "
        f"{exercise.starting_position}",
    )
    for set_number in range(1, dose.sets + 1):
        for side_index, side in enumerate(sides):
            if side_index > 0:
                yield SessionStep(
                    kind=StepKind.SWITCH_SIDES,
                    exercise_index=index,
                    exercise_id=exercise.id,
                    exercise_name=exercise.name,
                    seconds=SWITCH_SIDES_SECONDS,
                    side=side,
                    set_number=set_number,
                    sets=dose.sets,
                    text=f"Switch sides: now the {side} side.",
                )
            yield from _work_steps(index, exercise, dose, side, set_number)
        if set_number < dose.sets and dose.rest_seconds > 0:
            yield SessionStep(
                kind=StepKind.REST,
                exercise_index=index,
                exercise_id=exercise.id,
                exercise_name=exercise.name,
                seconds=float(dose.rest_seconds),
                side=sides[0],
                set_number=set_number,
                sets=dose.sets,
                text=f"Rest {dose.rest_seconds} s. Next: set {set_number + 1} of {dose.sets}.",
            )


def plan_session(
    routine_id: str,
    routine_name: str,
    exercises: Sequence[PlannedExercise],
    painful_side: str | None = None,
) -> SessionPlan:
    """Every step of a session through ``exercises``, in order."""
    if painful_side is not None and painful_side not in SIDES:
        raise ValueError(f"painful side must be 'left' or 'right', not {painful_side!r}")
    steps = tuple(
        step
        for index, planned in enumerate(exercises)
        for step in _exercise_steps(index, planned, painful_side)
    )
    return SessionPlan(
        routine_id=routine_id,
        routine_name=routine_name,
        exercises=tuple(exercises),
        steps=steps,
        painful_side=painful_side,
    )


class StepOutcome(StrEnum):
    DONE = "done"
    SKIPPED = "skipped"


class ExerciseStatus(StrEnum):
    DONE = "done"  # every work step done
    PARTLY_DONE = "partly done"
    SKIPPED = "skipped"  # no work step done
    STOPPED = "stopped"  # the runner quit the session during it
    NOT_REACHED = "not reached"  # the session ended before it


@dataclass(frozen=True)
class ExerciseSummary:
    exercise_id: str
    name: str
    status: ExerciseStatus
    work_done: int  # work steps (sets per side, or holds) completed
    work_planned: int
    active_seconds: float  # time spent in work steps


@dataclass(frozen=True)
class SessionSummary:
    routine_name: str
    exercises: list[ExerciseSummary]
    finished: bool  # reached the end rather than quitting
    elapsed_seconds: float  # time the session ran, pauses left out

    @property
    def done_count(self) -> int:
        return sum(1 for e in self.exercises if e.status is ExerciseStatus.DONE)


@dataclass
class SessionLog:
    """What happened to each step, as the player reports it."""

    plan: SessionPlan
    outcomes: dict[int, tuple[StepOutcome, float]] = field(default_factory=dict)
    # The step the runner quit in (by key or Ctrl-C); None while the session runs to its end.
    stopped_at: int | None = None

    @property
    def quit_early(self) -> bool:
        return self.stopped_at is not None

    def record(self, step_number: int, outcome: StepOutcome, seconds: float) -> None:
        """Record step ``step_number`` (its index in ``plan.steps``)."""
        if not 0 <= step_number < len(self.plan.steps):
            raise IndexError(f"the plan has no step {step_number}")
        self.outcomes[step_number] = (outcome, seconds)

    def summary(self) -> SessionSummary:
        summaries = [
            self._summarise_exercise(index, planned)
            for index, planned in enumerate(self.plan.exercises)
        ]
        return SessionSummary(
            routine_name=self.plan.routine_name,
            exercises=summaries,
            finished=not self.quit_early,
            elapsed_seconds=sum(seconds for _, seconds in self.outcomes.values()),
        )

    def _summarise_exercise(self, index: int, planned: PlannedExercise) -> ExerciseSummary:
        work = [
            number
            for number, step in enumerate(self.plan.steps)
            if step.exercise_index == index and step.kind.is_work
        ]
        done = [n for n in work if self.outcomes.get(n, (None, 0.0))[0] is StepOutcome.DONE]
        steps = [n for n, step in enumerate(self.plan.steps) if step.exercise_index == index]
        reached = any(n in self.outcomes or n == self.stopped_at for n in steps)
        if not reached:
            status = ExerciseStatus.NOT_REACHED
        elif len(done) == len(work):
            status = ExerciseStatus.DONE
        elif self.stopped_at in steps:
            status = ExerciseStatus.STOPPED
        elif done:
            status = ExerciseStatus.PARTLY_DONE
        else:
            status = ExerciseStatus.SKIPPED
        return ExerciseSummary(
            exercise_id=planned.exercise.id,
            name=planned.exercise.name,
            status=status,
            work_done=len(done),
            work_planned=len(work),
            active_seconds=sum(self.outcomes[n][1] for n in done),
        )
