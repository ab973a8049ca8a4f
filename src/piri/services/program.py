"""The personal program as every surface uses it: profile, this week, today, and after a session."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, replace
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from piri.content.loader import library
from piri.content.models import Equipment, Phase
from piri.content.program_models import ProgramPhase
from piri.domain.care_plan import (
    PlanItem,
    Progression,
    dose_of,
    item_from_json,
    manual_decision,
    prescribed_week_plan,
    progresses_automatically,
)
from piri.domain.exercise_hold import (
    CheckReminder,
    Cleared,
    check_reminder,
    cleared_reminder,
    seen_by_professional,
)
from piri.domain.gait_program import GaitFocus, gait_focus
from piri.domain.program import (
    DayPlan,
    PhaseDecision,
    RunnerProfile,
    SecondsOf,
    first_prescription,
    ladder_links,
    next_phase,
    open_ladders,
    week_plan,
)
from piri.domain.progression import PainReport, Prescription, Verdict, decide, judge_pain
from piri.domain.values import day_problem, text_problem
from piri.services.diary import LOCAL_PERSON, store
from piri.services.memo import kept
from piri.store import care_plans as care_plan_store
from piri.store import diary as diary_store
from piri.store import gait_checks as gait_store
from piri.store import program as program_store
from piri.store.accounts import utc
from piri.store.database import transaction
from piri.store.models import CarePlanRow, SessionRecord

SIDES = ("left", "right", "both")
RUNNING_STATUSES = ("running_normally", "running_with_pain", "stopped")
EQUIPMENT = tuple(e.value for e in Equipment)
MINUTES_RANGE = (5, 120)
MAX_GOALS = 5


class ProfileError(ValueError):
    """A profile value outside what Piri accepts; the message names the field."""


@dataclass(frozen=True)
class Slot:
    """One strength ladder: its current dose, with easier/harder neighbours filled in."""

    key: str
    ladder: list[str]
    dose: Prescription
    good_sessions: int
    gait_focus: GaitFocus | None = None  # opened before its stage because of a gait check


@dataclass(frozen=True)
class Prescribed:
    """The plan a clinician published for the runner, while it is in force."""

    plan_id: int
    author: str  # the clinician's username, as the runner sees it
    published_at: dt.datetime
    progression: Progression
    source: str
    items: tuple[PlanItem, ...]


@dataclass(frozen=True)
class Week:
    phase: ProgramPhase
    since: dt.date
    profile: RunnerProfile
    days: list[DayPlan]
    slots: list[Slot]
    prescribed: Prescribed | None = None  # None: Piri's own program


# --- profile ---------------------------------------------------------------------------------


def get_profile(person: str = LOCAL_PERSON) -> tuple[RunnerProfile, Phase, Any]:
    with transaction(store()) as session:
        owner = diary_store.person_id(session, person)
        profile, phase, _since, last_check = program_store.load_profile(session, owner)
    return profile, phase, last_check


def update_profile(
    person: str = LOCAL_PERSON, today: dt.date | None = None, **changes: Any
) -> RunnerProfile:
    """Change the named fields; every value is checked and a wrong one names its field."""
    check_profile_changes(changes)
    with transaction(store()) as session:
        owner = diary_store.person_id(session, person)
        current, _phase, since, _check = program_store.load_profile(session, owner)
        updated = replace(current, **changes)
        program_store.save_profile(session, owner, updated)
        if since is None:
            program_store.save_phase(session, owner, Phase.SETTLE, today or dt.date.today())
    return updated


def check_profile_changes(changes: dict[str, Any]) -> None:
    side = changes.get("painful_side")
    if side is not None and side not in SIDES:
        raise ProfileError(f"painful side: '{side}' is not one of {', '.join(SIDES)}")
    for item in changes.get("equipment", ()):
        if item not in EQUIPMENT:
            raise ProfileError(f"equipment: '{item}' is not one of {', '.join(EQUIPMENT)}")
    minutes = changes.get("minutes_per_day")
    low, high = MINUTES_RANGE
    if minutes is not None and not low <= minutes <= high:
        raise ProfileError(f"minutes a day: expected {low} to {high}, got {minutes}")
    days = changes.get("days_per_week")
    if days is not None and not 1 <= days <= 7:
        raise ProfileError(f"days a week: expected 1 to 7, got {days}")
    status = changes.get("running_status")
    if status is not None and status not in RUNNING_STATUSES:
        raise ProfileError(f"running: '{status}' is not one of {', '.join(RUNNING_STATUSES)}")
    goals = changes.get("goals")
    if goals is not None:
        if len(goals) > MAX_GOALS:
            raise ProfileError(f"goals: at most {MAX_GOALS}, got {len(goals)}")
        if any(not goal.strip() or len(goal) > 100 for goal in goals):
            raise ProfileError("goals: each goal is 1 to 100 characters")
        for goal in goals:
            problem = text_problem(goal)
            if problem is not None:
                raise ProfileError(f"goals: '{goal.strip()[:40]}' {problem}")


def profile_started(person: str = LOCAL_PERSON) -> bool:
    """Whether the person has begun a program: a saved profile (or a plan already shown)."""
    return kept(store(), person, "profile_started", None, lambda: _profile_started(person))


def _profile_started(person: str) -> bool:
    with transaction(store()) as session:
        owner = diary_store.person_id(session, person)
        _profile, _phase, since, _check = program_store.load_profile(session, owner)
    return since is not None


def save_check_result(result: dict[str, Any], person: str = LOCAL_PERSON) -> None:
    with transaction(store()) as session:
        program_store.save_last_check(session, diary_store.person_id(session, person), result)


class NothingToClearError(ValueError):
    """The latest check calls for no appointment, so there is nothing to mark as seen."""


def check_reminder_for(person: str = LOCAL_PERSON) -> CheckReminder | None:
    """What the latest symptom check asks before anything else: a hold on the exercise
    sessions (urgent or emergency), a reminder (soon), or None."""
    return kept(store(), person, "check_reminder", None, lambda: _check_reminder(person))


def _check_reminder(person: str) -> CheckReminder | None:
    _profile, _phase, last_check = get_profile(person)
    return check_reminder(last_check)


def reminder_as_json(reminder: CheckReminder | None) -> dict[str, Any] | None:
    """The hold or reminder as JSON (the API's ``check_reminder``, ``piri plan --format
    json``); None when there is none."""
    if reminder is None:
        return None
    return {
        "urgency": reminder.urgency.value,
        "holds_exercise": reminder.holds_exercise,
        "stops_running": reminder.stops_running,
        "action": reminder.action,
        "signs": list(reminder.signs),
        "checked_on": reminder.checked_on.isoformat() if reminder.checked_on else None,
        "what_it_means": reminder.what_it_means,
    }


def exercise_on_hold(person: str = LOCAL_PERSON) -> CheckReminder | None:
    """The hold on the exercise sessions, when the latest check calls for one; else None."""
    reminder = check_reminder_for(person)
    return reminder if reminder is not None and reminder.holds_exercise else None


def cleared_check_for(person: str = LOCAL_PERSON) -> Cleared | None:
    """The hold or reminder the runner marked as seen by a professional, and the day; None
    when the latest check is not marked so (a newer check replaces the mark)."""
    _profile, _phase, last_check = get_profile(person)
    return cleared_reminder(last_check)


def record_seen_by_professional(
    person: str = LOCAL_PERSON, today: dt.date | None = None
) -> CheckReminder:
    """The runner says a professional has seen them since their latest check (and, for a
    hold, said they may exercise): the hold or reminder ends. Returns what it was."""
    with transaction(store()) as session:
        owner = diary_store.person_id(session, person)
        _profile, _phase, _since, last_check = program_store.load_profile(session, owner)
        reminder = check_reminder(last_check)
        if reminder is None:
            raise NothingToClearError(
                "Your latest symptom check asks for no appointment, so there is nothing to "
                "mark as seen."
            )
        cleared = seen_by_professional(last_check, today or dt.date.today())
        program_store.save_last_check(session, owner, cleared)
    return reminder


# --- the week and today ------------------------------------------------------------------------


def this_week(person: str = LOCAL_PERSON, today: dt.date | None = None) -> Week:
    day = today or dt.date.today()
    return kept(store(), person, "this_week", day, lambda: _this_week(person, day))


def _this_week(person: str, today: dt.date) -> Week:
    with transaction(store()) as session:
        owner = diary_store.person_id(session, person)
        return _week(session, owner, today)


def _week(session: Session, owner: int, today: dt.date) -> Week:
    content = library()
    profile, phase, since, _check = program_store.load_profile(session, owner)
    if since is None:
        since = today
        program_store.save_phase(session, owner, phase, since)
    published = care_plan_store.plan_in_force(session, owner)
    if published is not None:
        return _prescribed_week(session, owner, published, profile, phase, since)
    slots = _slots(session, owner, profile, phase, since, today)
    days = week_plan(
        phase,
        content.program,
        content.exercises,
        profile,
        [slot.dose for slot in slots],
        SecondsOf(content.exercises),
    )
    return Week(content.program.phase(phase), since, profile, days, slots)


def _slots(
    session: Session,
    owner: int,
    profile: RunnerProfile,
    phase: Phase,
    since: dt.date,
    today: dt.date,
) -> list[Slot]:
    """The strength ladders open now, creating a starting dose for any new one."""
    if phase is Phase.SETTLE:
        return []
    content = library()
    week = (today - since).days // 7 + 1 if phase is Phase.STRENGTHEN else 99
    stored = program_store.prescriptions(session, owner)
    focus = gait_focus(gait_store.finished_reports(session, owner))
    early = focus.exercises if focus else frozenset()
    usual = open_ladders(content.program, content.exercises, profile, week)
    slots = []
    for ladder in open_ladders(content.program, content.exercises, profile, week, early):
        key = ladder[0]
        if key in stored and stored[key][0].exercise in ladder:
            dose, good = stored[key]
        else:
            dose, good = first_prescription(ladder), 0
            if key in stored:  # a ladder whose stored exercise left it: start it again
                program_store.save_prescription(session, owner, key, dose, good)
            else:
                program_store.start_prescription(session, owner, key, dose)
        easier, harder = ladder_links(ladder, dose.exercise)
        slots.append(
            Slot(
                key,
                ladder,
                replace(dose, easier=easier, harder=harder),
                good,
                None if ladder in usual else focus,
            )
        )
    return slots


def _prescribed_week(
    session: Session,
    owner: int,
    row: CarePlanRow,
    profile: RunnerProfile,
    phase: Phase,
    since: dt.date,
) -> Week:
    """The week under a clinician's plan: its exercises and doses on the runner's own
    training days. Under automatic progression each strength exercise counted in reps has a
    dose line of its own (started at the clinician's dose, one per publication), which the
    pain rules move as they move Piri's own ladders; everything else keeps its dose."""
    content = library()
    prescribed = Prescribed(
        row.id,
        row.author_name,
        utc(row.published_at),
        Progression(row.progression),
        row.source,
        tuple(item_from_json(item) for item in row.items),
    )
    slots = []
    if prescribed.progression is Progression.AUTOMATIC:
        slots = _prescribed_slots(session, owner, prescribed)
    moved = {slot.dose.exercise: slot.dose for slot in slots}
    items = []
    for item in prescribed.items:
        exercise = content.exercises.get(item.exercise)
        if exercise is None:  # gone from the library since: the stored plan keeps it
            continue
        dose = moved.get(item.exercise)
        if dose is not None:
            item = replace(item, sets=dose.sets, reps=dose.reps)
        try:
            items.append((item.exercise, dose_of(exercise, item)))
        except ValidationError:  # the exercise's dose model changed since: its own dose
            items.append((item.exercise, exercise.dose))
    days = prescribed_week_plan(items, profile.days_per_week, SecondsOf(content.exercises))
    return Week(content.program.phase(phase), since, profile, days, slots, prescribed)


def _prescribed_slots(session: Session, owner: int, prescribed: Prescribed) -> list[Slot]:
    exercises = library().exercises
    stored = program_store.prescriptions(session, owner)
    slots = []
    for item in prescribed.items:
        exercise = exercises.get(item.exercise)
        if exercise is None or not progresses_automatically(exercise) or item.reps is None:
            continue
        key = f"care-{prescribed.plan_id}-{item.exercise}"[:50]
        if key in stored:
            dose, good = stored[key]
        else:
            dose, good = Prescription(item.exercise, item.sets, item.reps), 0
            program_store.start_prescription(session, owner, key, dose)
        slots.append(Slot(key, [item.exercise], dose, good))
    return slots


def today_plan(person: str = LOCAL_PERSON, today: dt.date | None = None) -> tuple[Week, DayPlan]:
    today = today or dt.date.today()
    week = this_week(person, today)
    return week, week.days[today.weekday()]


# --- after a session --------------------------------------------------------------------------


@dataclass(frozen=True)
class ExerciseDone:
    exercise: str
    sets_done: int
    sets_planned: int
    status: str  # done, partly done, skipped, stopped, not reached
    reps: int | None = None  # per set, when the exercise counts repetitions


def record_session(
    day: dt.date,
    phase: Phase,
    done: list[ExerciseDone],
    pain_during: int | None,
    pain_after: int | None,
    person: str = LOCAL_PERSON,
    notes: str = "",
) -> int:
    """Store a session as it happened; the dose decisions wait for the next-morning pain."""
    problem = day_problem(day, None)  # the CLI stores today's; simulations run ahead of it
    if problem is not None:
        raise ProfileError(f"day: {problem}")
    for name, value in (("during", pain_during), ("right after", pain_after)):
        if value is not None and not 0 <= value <= 10:
            raise ProfileError(f"pain {name}: expected 0 to 10, got {value}")
    record = SessionRecord(
        day=day,
        routine=f"{phase.value}-day",
        phase=phase.value,
        exercises=[asdict(e) for e in done],
        completed=bool(done) and all(e.status == "done" for e in done),
        pain_during=pain_during,
        pain_after=pain_after,
        decisions=[],
        notes=notes,
    )
    with transaction(store()) as session:
        return program_store.add_session(session, diary_store.person_id(session, person), record)


@dataclass(frozen=True)
class MorningResult:
    session_day: dt.date
    decisions: list[str]
    phase: PhaseDecision


class NothingToScoreError(LookupError):
    """There is no session waiting for its next-morning pain."""


def record_morning(
    pain_next_morning: int,
    usual_morning: int | None = None,
    person: str = LOCAL_PERSON,
    today: dt.date | None = None,
) -> MorningResult:
    """The next-morning pain of the last session: adjust each dose, then check the phase."""
    today = today or dt.date.today()
    with transaction(store()) as session:
        owner = diary_store.person_id(session, person)
        record = program_store.latest_session_waiting_for_morning(session, owner)
        if record is None:
            raise NothingToScoreError(
                "no session is waiting for its next-morning pain; do a session first ('piri today')"
            )
        usual = (
            usual_morning
            if usual_morning is not None
            else _usual_morning(session, owner, record.day, pain_next_morning)
        )
        report = PainReport(
            record.pain_during or 0, record.pain_after or 0, pain_next_morning, usual
        )
        record.pain_next_morning = pain_next_morning
        record.usual_morning_pain = usual
        decisions = _adjust_doses(session, owner, record, report, today)
        record.decisions = decisions
        session.flush()
        phase = _check_phase(session, owner, today)
        return MorningResult(record.day, decisions, phase)


def _usual_morning(session: Session, owner: int, day: dt.date, fallback: int) -> int:
    """The diary's pain on the session day stands for the usual; else no rise is assumed."""
    entries = [d for d in diary_store.days(session, owner) if d.day <= day]
    return entries[-1].pain_now if entries else fallback


def _adjust_doses(
    session: Session, owner: int, record: SessionRecord, report: PainReport, today: dt.date
) -> list[str]:
    week = _week(session, owner, today)
    done = {str(e["exercise"]): e for e in record.exercises}
    if week.prescribed is not None and week.prescribed.progression is Progression.MANUAL:
        return [
            manual_decision(item, _name(item.exercise), week.prescribed.author, report)
            for item in week.prescribed.items
            if item.exercise in done
        ] or [_pain_check(report)]
    decisions = []
    for slot in week.slots:
        if slot.dose.exercise not in done:
            continue
        completed = done[slot.dose.exercise]["status"] == "done"
        decision = decide(slot.dose, report, completed, slot.good_sessions)
        verdict, _reason = judge_pain(report)
        if decision.verdict is Verdict.HOLD and verdict is Verdict.PROGRESS and completed:
            good = slot.good_sessions + 1
        else:
            good = 0
        program_store.save_prescription(session, owner, slot.key, decision.prescription, good)
        why = decision.why
        for neighbour in (slot.dose.harder, slot.dose.easier):
            if neighbour is not None:
                why = why.replace(neighbour, _name(neighbour))
        decisions.append(f"{_name(slot.dose.exercise)}: {why}")
    if not decisions:
        decisions.append(_pain_check(report))
    return decisions


def _pain_check(report: PainReport) -> str:
    verdict, reason = judge_pain(report)
    return f"Pain check: {verdict.value.replace('_', ' ')}, because {reason}."


def _check_phase(session: Session, owner: int, today: dt.date) -> PhaseDecision:
    profile, phase, since, _check = program_store.load_profile(session, owner)
    decision = next_phase(
        phase,
        since or today,
        today,
        diary_store.days(session, owner),
        program_store.session_outcomes(session, owner),
        profile,
    )
    if decision.changed:
        program_store.save_phase(session, owner, decision.phase, today)
    return decision


def _name(exercise_id: str) -> str:
    return library().exercises[exercise_id].name
