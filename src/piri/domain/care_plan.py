"""A clinician's plan for a runner: its items, their doses checked against the exercise's own
dose model, the starting templates taken from the content, and what changed between two plans.

Pure: plain data in, plain data out; the content (exercises, routines, the program) is passed
in. The dose limits are the content's own (``piri.content.models.Dose``: 1-10 sets, 1-50
reps, 1-300 s holds, 5-600 s timed sets), so a clinician can prescribe anything a content file
could, and nothing the session player cannot run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import ValidationError

from piri.content.models import Dose, Exercise, Phase, Routine, Target
from piri.content.program_models import Program
from piri.domain.program import (
    DayPlan,
    SecondsOf,
    first_prescription,
    training_weekdays,
    weekday_plan,
)
from piri.domain.progression import (
    REPS_MIN,
    PainReport,
    Prescription,
    Verdict,
    judge_pain,
    step_back,
)
from piri.domain.values import text_problem

NOTE_MAX = 500  # characters of a clinician's note on one exercise
PLAN_MAX_ITEMS = 20  # exercises in one plan: more than any session of the content holds
TEMPLATE_NAME_MAX = 80  # the column's width (care_template.name)


class Progression(StrEnum):
    """Who moves the doses after each session's next-morning check."""

    AUTOMATIC = "automatic"  # Piri's pain rules (piri.domain.progression), as in its own program
    MANUAL = "manual"  # the doses stay as the clinician set them; the pain advice is still shown


class DoseKind(StrEnum):
    """How an exercise's content counts it, and so which fields a plan item may set."""

    REPS = "reps"  # sets of repetitions
    HOLDS = "holds"  # sets of repetitions, each held for some seconds
    TIMED = "timed"  # sets of one continuous hold or movement, for some seconds


def dose_kind(dose: Dose) -> DoseKind:
    if dose.reps is None:
        return DoseKind.TIMED
    return DoseKind.HOLDS if dose.hold_seconds is not None else DoseKind.REPS


class PlanError(ValueError):
    """A plan, item or template that cannot be used as given; ``field`` names the input
    (``items.2.reps``, ``name``, ``progression``)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class PlanItem:
    """One exercise of a plan and its dose. ``hold_seconds`` is the length of each hold for an
    exercise of holds, and the length of each set for a timed one (a side plank, rolling)."""

    exercise: str
    sets: int
    reps: int | None = None
    hold_seconds: int | None = None
    notes: str = ""

    def as_json(self) -> dict[str, object]:
        return {
            "exercise": self.exercise,
            "sets": self.sets,
            "reps": self.reps,
            "hold_seconds": self.hold_seconds,
            "notes": self.notes,
        }


def item_from_json(data: Mapping[str, Any]) -> PlanItem:
    """A stored item back (stored items were checked when they were written)."""
    return PlanItem(
        exercise=str(data["exercise"]),
        sets=int(data["sets"]),
        reps=None if data.get("reps") is None else int(data["reps"]),
        hold_seconds=None if data.get("hold_seconds") is None else int(data["hold_seconds"]),
        notes=str(data.get("notes") or ""),
    )


# --- checking doses ----------------------------------------------------------------------------


# The content's dose fields, by the plan field that sets them.
PLAN_FIELDS = {
    "sets": "sets",
    "reps": "reps",
    "hold_seconds": "hold_seconds",
    "duration_seconds": "hold_seconds",
}


def _whole(field: str, value: object, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise PlanError(field, f"{label}: a whole number, not {value!r}")
    return value


# How each content dose field is said, in the plan's words.
FIELD_WORDS = {
    "sets": "sets",
    "reps": "reps a set",
    "hold_seconds": "seconds a hold",
    "duration_seconds": "seconds a set",
}


def _model_problem(where: str, exercise: Exercise, exc: ValidationError) -> PlanError:
    """The content model's first objection, named by the plan's field, in plain words."""
    found = exc.errors()[0]
    name = str(found["loc"][0]) if found["loc"] else ""
    field = f"{where}.{PLAN_FIELDS[name]}" if name in PLAN_FIELDS else where
    said = f"{exercise.name}: {FIELD_WORDS.get(name, name)}"
    limits = found.get("ctx") or {}
    got = found.get("input")
    if "ge" in limits:
        return PlanError(field, f"{said} at least {limits['ge']}, got {got}")
    if "gt" in limits:
        return PlanError(field, f"{said} more than {limits['gt']}, got {got}")
    if "le" in limits:
        return PlanError(field, f"{said} at most {limits['le']}, got {got}")
    return PlanError(field, f"{exercise.name}: {found['msg']}")


def check_item(
    index: int,
    exercises: Mapping[str, Exercise],
    exercise: str,
    sets: object,
    reps: object = None,
    hold_seconds: object = None,
    notes: str = "",
) -> PlanItem:
    """One item, checked: a known exercise, the fields its content counts it by (and no
    other), each within the content's limits, and a note that can be stored. Errors name
    ``items.{index}.{field}``."""
    where = f"items.{index}"
    found = exercises.get(exercise)
    if found is None:
        raise PlanError(f"{where}.exercise", f"there is no exercise '{exercise}' in the library")
    kind = dose_kind(found.dose)
    checked_sets = _whole(f"{where}.sets", sets, f"{found.name}: sets")
    checked_reps: int | None = None
    checked_hold: int | None = None
    if kind is DoseKind.TIMED:
        if reps is not None:
            raise PlanError(
                f"{where}.reps",
                f"{found.name} is done for a time, not counted in reps: set hold_seconds "
                "(the seconds of each set) instead",
            )
        if hold_seconds is None:
            raise PlanError(f"{where}.hold_seconds", f"{found.name}: say how many seconds a set")
        checked_hold = _whole(f"{where}.hold_seconds", hold_seconds, f"{found.name}: seconds a set")
    else:
        if reps is None:
            raise PlanError(f"{where}.reps", f"{found.name}: say how many reps a set")
        checked_reps = _whole(f"{where}.reps", reps, f"{found.name}: reps a set")
        if kind is DoseKind.HOLDS:
            if hold_seconds is None:
                raise PlanError(
                    f"{where}.hold_seconds", f"{found.name}: say how many seconds each hold"
                )
            checked_hold = _whole(
                f"{where}.hold_seconds", hold_seconds, f"{found.name}: seconds a hold"
            )
        elif hold_seconds is not None:
            raise PlanError(
                f"{where}.hold_seconds",
                f"{found.name} counts repetitions without holds: leave hold_seconds out",
            )
    text = (notes or "").strip()
    if len(text) > NOTE_MAX:
        raise PlanError(f"{where}.notes", f"at most {NOTE_MAX} characters, got {len(text)}")
    problem = text_problem(text)
    if problem is not None:
        raise PlanError(f"{where}.notes", problem)
    item = PlanItem(found.id, checked_sets, checked_reps, checked_hold, text)
    try:
        dose_of(found, item)  # the player's own model takes it: nothing it cannot run
    except ValidationError as exc:
        raise _model_problem(where, found, exc) from None
    return item


def check_items(
    exercises: Mapping[str, Exercise], raw: Sequence[Mapping[str, Any]]
) -> list[PlanItem]:
    """Every item of a plan or template, in order; at least one, each exercise once."""
    if not raw:
        raise PlanError("items", "a plan needs at least one exercise")
    if len(raw) > PLAN_MAX_ITEMS:
        raise PlanError("items", f"at most {PLAN_MAX_ITEMS} exercises, got {len(raw)}")
    items: list[PlanItem] = []
    seen: set[str] = set()
    for index, entry in enumerate(raw):
        item = check_item(
            index,
            exercises,
            str(entry.get("exercise") or ""),
            entry.get("sets"),
            entry.get("reps"),
            entry.get("hold_seconds"),
            str(entry.get("notes") or ""),
        )
        if item.exercise in seen:
            raise PlanError(
                f"items.{index}.exercise", f"{exercises[item.exercise].name} is in the plan twice"
            )
        seen.add(item.exercise)
        items.append(item)
    return items


def check_progression(value: str) -> Progression:
    try:
        return Progression(value.strip().lower())
    except ValueError:
        raise PlanError("progression", "choose automatic or manual") from None


def check_template_name(name: str) -> str:
    text = " ".join(name.split())
    if not text:
        raise PlanError("name", "give the template a name")
    if len(text) > TEMPLATE_NAME_MAX:
        raise PlanError("name", f"at most {TEMPLATE_NAME_MAX} characters, got {len(text)}")
    problem = text_problem(text)
    if problem is not None:
        raise PlanError("name", problem)
    return text


# --- doses as the player runs them ---------------------------------------------------------------


def dose_of(exercise: Exercise, item: PlanItem) -> Dose:
    """The exercise's own dose (rests, sides, pace) with the clinician's sets, reps and
    seconds, validated by the content model; the item's note goes with it."""
    update: dict[str, object] = {"sets": item.sets}
    if dose_kind(exercise.dose) is DoseKind.TIMED:
        update["duration_seconds"] = item.hold_seconds
    else:
        update["reps"] = item.reps
        if item.hold_seconds is not None:
            update["hold_seconds"] = item.hold_seconds
    if item.notes:
        update["note"] = item.notes
    return Dose.model_validate({**exercise.dose.model_dump(), **update})


def item_from_dose(exercise: Exercise, dose: Dose, notes: str = "") -> PlanItem:
    """A content dose as a plan item (templates start from the content's doses)."""
    kind = dose_kind(dose)
    if kind is DoseKind.TIMED:
        return PlanItem(exercise.id, dose.sets, None, dose.duration_seconds, notes)
    hold = dose.hold_seconds if kind is DoseKind.HOLDS else None
    return PlanItem(exercise.id, dose.sets, dose.reps, hold, notes)


def progresses_automatically(exercise: Exercise) -> bool:
    """Whether the pain rules may move this exercise's dose: they are written for strength
    work counted in sets of 8-12 reps (ACSM, piri.domain.progression), so stretches, glides,
    holds and timed work keep the clinician's dose, as in Piri's own program."""
    return Target.STRENGTH in exercise.targets and dose_kind(exercise.dose) is DoseKind.REPS


def dose_words(item: PlanItem) -> str:
    """'3×10', '1×2 holds of 30 s', '3×20 s'."""
    if item.reps is None:
        return f"{item.sets}×{item.hold_seconds} s"
    if item.hold_seconds is not None:
        return f"{item.sets}×{item.reps} holds of {item.hold_seconds} s"
    return f"{item.sets}×{item.reps}"


# --- templates from the content ---------------------------------------------------------------


@dataclass(frozen=True)
class PlanTemplate:
    key: str  # "routine:article", "phase:settle", or "mine:{id}" for a clinician's own
    name: str
    description: str
    items: tuple[PlanItem, ...]


def routine_template(routine: Routine, exercises: Mapping[str, Exercise]) -> PlanTemplate:
    """A guided-session routine (the article's six, relief, strength) with its doses."""
    items = tuple(
        item_from_dose(exercises[i.exercise], i.dose or exercises[i.exercise].dose)
        for i in routine.items
    )
    return PlanTemplate(f"routine:{routine.id}", routine.name, routine.description, items)


def phase_template(
    phase: Phase, program: Program, exercises: Mapping[str, Exercise]
) -> PlanTemplate:
    """A phase of Piri's program: its gentle work at the content's doses, and beyond the
    settle phase the first rung of every strength ladder at the program's starting dose."""
    content_phase = program.phase(phase)
    items = [item_from_dose(exercises[e], exercises[e].dose) for e in content_phase.exercises]
    if phase is not Phase.SETTLE:
        chosen = {item.exercise for item in items}
        for stage in program.stages:
            for ladder in stage.ladders:
                if ladder[0] in chosen:
                    continue
                start = first_prescription(ladder)
                exercise = exercises[start.exercise]
                if dose_kind(exercise.dose) is DoseKind.REPS:
                    items.append(PlanItem(exercise.id, start.sets, start.reps))
                else:
                    items.append(item_from_dose(exercise, exercise.dose))
                chosen.add(exercise.id)
    return PlanTemplate(
        f"phase:{phase.value}",
        f"Piri's {content_phase.name.lower()} phase",
        content_phase.purpose,
        tuple(items),
    )


def content_templates(
    routines: Mapping[str, Routine], program: Program, exercises: Mapping[str, Exercise]
) -> list[PlanTemplate]:
    """The article's six first (the routine the app grew from), the other routines, then the
    three phases."""
    ordered = sorted(routines.values(), key=lambda r: (r.id != "article", r.id))
    found = [routine_template(r, exercises) for r in ordered]
    return found + [phase_template(p, program, exercises) for p in Phase]


# --- what changed -------------------------------------------------------------------------------


def plan_changes(
    before: Sequence[PlanItem] | None,
    after: Sequence[PlanItem],
    names: Mapping[str, str],
    progression_before: str | None = None,
    progression_after: str | None = None,
) -> list[str]:
    """What changed from ``before`` (None: there was no plan) to ``after``, each in a few
    words, in the new plan's order: added, dose changed, note changed, then removed."""
    old = {item.exercise: item for item in before or ()}
    new_ids = {item.exercise for item in after}
    changes: list[str] = []
    for item in after:
        name = names.get(item.exercise, item.exercise)
        was = old.get(item.exercise)
        if was is None:
            changes.append(f"added {name} {dose_words(item)}")
            continue
        if dose_words(was) != dose_words(item):
            changes.append(f"{name} dose {dose_words(was)} → {dose_words(item)}")
        if was.notes != item.notes:
            changes.append(f"new note on {name}" if item.notes else f"note on {name} removed")
    for item in before or ():
        if item.exercise not in new_ids:
            changes.append(f"removed {names.get(item.exercise, item.exercise)}")
    if progression_before is not None and progression_before != progression_after:
        changes.append(f"doses now move {_moves(progression_after)}")
    return changes


def _moves(progression: str | None) -> str:
    if progression == Progression.MANUAL.value:
        return "only when your care team changes them"
    return "with the pain rules after each session"


def change_sentence(
    author: str, on: dt.date, changes: Sequence[str], first: bool, ended: bool = False
) -> str:
    """'bea, of your care team, changed your plan on 2 Dec: added ..., removed ...'."""
    who = f"{author}, of your care team,"
    day = f"{on.day} {on.strftime('%b')}"
    if ended:
        return f"{who} ended your plan on {day}: you are back on Piri's own program."
    if first:
        return f"{who} set your plan on {day}: {', '.join(changes)}."
    if not changes:
        return f"{who} published your plan again on {day}, with no change."
    return f"{who} changed your plan on {day}: {', '.join(changes)}."


# --- the runner's week and the pain rules under a clinician's plan ------------------------------


def prescribed_week_plan(
    items: Sequence[tuple[str, Dose]], days_per_week: int, seconds_of: SecondsOf
) -> list[DayPlan]:
    """Seven days: the whole plan on each of the runner's own training days (the same days
    as Piri's program would use), the rest rest days. The minutes a day do not trim it: the
    clinician chose what goes in a session."""
    training = set(training_weekdays(days_per_week))
    chosen = list(items)
    return [
        weekday_plan(weekday, chosen, seconds_of) if weekday in training else DayPlan(weekday)
        for weekday in range(7)
    ]


def manual_decision(item: PlanItem, name: str, author: str, report: PainReport) -> str:
    """After a session under a manual plan: the dose never moves, but what the pain rules
    say is still said. A step back is advised in the rules' own words (and starts with
    "Stepping back", so the phase rules count it as one); nothing is ever raised."""
    verdict, reason = judge_pain(report)
    if verdict is Verdict.STEP_BACK:
        _smaller, change = step_back(Prescription(item.exercise, item.sets, item.reps or REPS_MIN))
        return (
            f"{name}: Stepping back is advised ({change}): {reason}. {author} set this dose, "
            f"so it stays as it is: do less next time, and tell {author}."
        )
    return f"{name}: the dose stays as {author} set it ({reason})."
