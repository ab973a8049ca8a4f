"""Guided sessions: a routine from the library turned into a session plan."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from piri.content.loader import library
from piri.domain.program import DayPlan, PhaseDecision, next_phase
from piri.domain.session import SIDES, ExerciseStatus, PlannedExercise, SessionPlan, plan_session
from piri.domain.values import day_problem, text_problem
from piri.services.diary import LOCAL_PERSON, store
from piri.services.library import InvalidChoiceError, NotFoundError, get_routine
from piri.services.memo import kept
from piri.services.program import ExerciseDone, Week, today_plan
from piri.store import diary as diary_store
from piri.store import program as program_store
from piri.store.database import transaction
from piri.store.models import SessionRecord


def plan_routine(routine_id: str, painful_side: str | None = None) -> SessionPlan:
    """The steps of a session through routine ``routine_id``.

    Raises :class:`NotFoundError` for an unknown routine and
    :class:`InvalidChoiceError` for a side other than left or right.
    """
    if painful_side is not None and painful_side not in SIDES:
        raise InvalidChoiceError("side", painful_side, SIDES)
    routine = get_routine(routine_id)
    exercises = library().exercises
    planned = [
        PlannedExercise(
            exercise=exercises[item.exercise],
            dose=item.dose or exercises[item.exercise].dose,
        )
        for item in routine.items
    ]
    return plan_session(routine.id, routine.name, planned, painful_side)


# --- sessions as the web app plays and lists them (issue 6) ------------------------------------

TODAY_ROUTINE = "today"  # the routine name a surface uses for today's planned session


class SessionLogError(ValueError):
    """A played session that cannot be stored as sent; ``field`` names the part that is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


@dataclass(frozen=True)
class SessionEntry:
    """One stored session, as history shows it."""

    id: int
    day: dt.date
    routine: str
    phase: str
    exercises: list[dict[str, object]]
    completed: bool
    pain_during: int | None
    pain_after: int | None
    pain_next_morning: int | None
    usual_morning_pain: int | None
    decisions: list[str]
    notes: str

    @property
    def planned_day(self) -> bool:
        """True for the day's planned session, False for a routine from the library."""
        return self.routine.endswith("-day")


def plan_for_today(
    person: str = LOCAL_PERSON, today: dt.date | None = None
) -> tuple[Week, DayPlan, SessionPlan | None]:
    """Today's planned session as player steps (as ``piri today`` plays it); None on a rest day."""
    week, day = today_plan(person, today)
    if day.rest_day:
        return week, day, None
    exercises = library().exercises
    side = week.profile.painful_side if week.profile.painful_side in SIDES else None
    planned = [PlannedExercise(exercises[e], dose) for e, dose in day.items]
    plan = plan_session(f"{week.phase.id.value}-day", f"Today: {week.phase.name}", planned, side)
    return week, day, plan


def work_planned(plan: SessionPlan) -> dict[str, int]:
    """Work steps (sets per side, or holds) of each exercise of ``plan``."""
    counts: dict[str, int] = {}
    for step in plan.steps:
        if step.kind.is_work:
            counts[step.exercise_id] = counts.get(step.exercise_id, 0) + 1
    return counts


def _entry(row: SessionRecord) -> SessionEntry:
    return SessionEntry(
        id=row.id,
        day=row.day,
        routine=row.routine,
        phase=row.phase,
        exercises=list(row.exercises),
        completed=row.completed,
        pain_during=row.pain_during,
        pain_after=row.pain_after,
        pain_next_morning=row.pain_next_morning,
        usual_morning_pain=row.usual_morning_pain,
        decisions=list(row.decisions),
        notes=row.notes,
    )


def session_history(
    person: str = LOCAL_PERSON, since: dt.date | None = None, until: dt.date | None = None
) -> list[SessionEntry]:
    """Stored sessions, newest first (by day, then the order they were saved)."""
    with transaction(store()) as session:
        owner = diary_store.person_id(session, person)
        rows = program_store.session_records(session, owner, since=since, until=until)
        found = [_entry(r) for r in rows]
    return sorted(found, key=_newest_first, reverse=True)


@dataclass(frozen=True)
class WeekOfSessions:
    """What Today needs of the stored sessions, read in one go."""

    sessions: tuple[SessionEntry, ...]  # Monday to Sunday of the week, newest first
    first_day: dt.date | None  # the person's first session ever
    waiting: SessionEntry | None  # the session waiting for its morning check-in


def week_of_sessions(person: str = LOCAL_PERSON, today: dt.date | None = None) -> WeekOfSessions:
    day = today or dt.date.today()
    return kept(store(), person, "week_of_sessions", day, lambda: _week_of_sessions(person, day))


def _week_of_sessions(person: str, today: dt.date) -> WeekOfSessions:
    monday = today - dt.timedelta(days=today.weekday())
    with transaction(store()) as session:
        owner = diary_store.person_id(session, person)
        rows = program_store.session_records(
            session, owner, since=monday, until=monday + dt.timedelta(days=6)
        )
        waiting = program_store.latest_session_waiting_for_morning(session, owner)
        return WeekOfSessions(
            sessions=tuple(sorted((_entry(r) for r in rows), key=_newest_first, reverse=True)),
            first_day=program_store.first_session_day(session, owner),
            waiting=_entry(waiting) if waiting is not None else None,
        )


def _newest_first(entry: SessionEntry) -> tuple[dt.date, int]:
    return entry.day, entry.id


def session_waiting_for_morning(person: str = LOCAL_PERSON) -> SessionEntry | None:
    """The session whose next-morning pain ``record_morning`` would take, if any."""
    with transaction(store()) as session:
        owner = diary_store.person_id(session, person)
        row = program_store.latest_session_waiting_for_morning(session, owner)
        return _entry(row) if row is not None else None


def latest_decisions(person: str = LOCAL_PERSON) -> SessionEntry | None:
    """The latest session whose next-morning pain changed (or held) the doses."""
    for entry in session_history(person):
        if entry.decisions:
            return entry
    return None


def phase_outlook(person: str = LOCAL_PERSON, today: dt.date | None = None) -> PhaseDecision:
    """What the phase rules say today, without changing anything (the next check-in decides)."""
    today = today or dt.date.today()
    with transaction(store()) as session:
        owner = diary_store.person_id(session, person)
        profile, phase, since, _check = program_store.load_profile(session, owner)
        return next_phase(
            phase,
            since or today,
            today,
            diary_store.days(session, owner),
            program_store.session_outcomes(session, owner),
            profile,
        )


STATUSES = tuple(status.value for status in ExerciseStatus)


def check_played(routine: str, done: list[ExerciseDone]) -> None:
    """Refuse results that no player could have produced, naming the field."""
    if not done:
        raise SessionLogError("exercises", "a session needs at least one exercise")
    exercises = library().exercises
    for index, item in enumerate(done):
        where = f"exercises[{index}]"
        if item.exercise not in exercises:
            raise SessionLogError(
                f"{where}.exercise", f"there is no exercise called '{item.exercise}'"
            )
        if item.status not in STATUSES:
            raise SessionLogError(
                f"{where}.status", f"'{item.status}' is not one of {', '.join(STATUSES)}"
            )
        if not 0 <= item.sets_done <= item.sets_planned:
            raise SessionLogError(
                f"{where}.sets_done",
                f"expected 0 to sets_planned ({item.sets_planned}), got {item.sets_done}",
            )
        fits = {
            ExerciseStatus.DONE.value: item.sets_done == item.sets_planned,
            ExerciseStatus.PARTLY_DONE.value: 0 < item.sets_done < item.sets_planned,
            ExerciseStatus.SKIPPED.value: item.sets_done == 0,
            ExerciseStatus.NOT_REACHED.value: item.sets_done == 0,
            ExerciseStatus.STOPPED.value: item.sets_done < item.sets_planned,
        }
        if not fits[item.status]:
            raise SessionLogError(
                f"{where}.status",
                f"'{item.status}' does not fit {item.sets_done} of {item.sets_planned} done",
            )
    if routine == TODAY_ROUTINE:
        return  # today's plan may have changed since it was played; any exercise may be in it
    plan = plan_routine(routine)
    expected = [p.exercise.id for p in plan.exercises]
    if [item.exercise for item in done] != expected:
        raise SessionLogError(
            "exercises", f"the routine '{routine}' has {', '.join(expected)}, in that order"
        )
    counts = work_planned(plan)
    for index, item in enumerate(done):
        if item.sets_planned != counts[item.exercise]:
            raise SessionLogError(
                f"exercises[{index}].sets_planned",
                f"{item.exercise} has {counts[item.exercise]} in '{routine}', "
                f"not {item.sets_planned}",
            )


def record_played_session(
    routine: str,
    day: dt.date,
    done: list[ExerciseDone],
    pain_during: int | None,
    pain_after: int | None,
    person: str = LOCAL_PERSON,
    notes: str = "",
    today: dt.date | None = None,
) -> tuple[int, bool]:
    """Store a session a player ran: today's planned one (``routine="today"``) or a routine.

    Like :func:`record_session` (the doses wait for the next-morning pain), with the
    routine's id kept. A result sent twice (a retry after a lost answer) is stored once:
    returns (id, whether it was new).
    """
    today = today or dt.date.today()
    if routine != TODAY_ROUTINE:
        try:
            get_routine(routine)
        except NotFoundError:
            choices = [TODAY_ROUTINE, *library().routines]
            raise InvalidChoiceError("routine", routine, choices) from None
    problem = day_problem(day, today)
    if problem is not None:
        raise SessionLogError("day", problem)
    for name, value in (("pain_during", pain_during), ("pain_after", pain_after)):
        if value is not None and not 0 <= value <= 10:
            raise SessionLogError(name, f"expected 0 to 10, got {value}")
    problem = text_problem(notes)
    if problem is not None:
        raise SessionLogError("notes", problem)
    check_played(routine, done)
    exercises = [asdict(e) for e in done]
    with transaction(store()) as session:
        owner = diary_store.person_id(session, person)
        _profile, phase, _since, _check = program_store.load_profile(session, owner)
        stored_as = f"{phase.value}-day" if routine == TODAY_ROUTINE else routine
        for row in program_store.session_records(session, owner, on=day):
            if (
                row.day == day
                and row.routine == stored_as
                and row.exercises == exercises
                and (row.pain_during, row.pain_after, row.notes) == (pain_during, pain_after, notes)
            ):
                return row.id, False
        record = SessionRecord(
            day=day,
            routine=stored_as,
            phase=phase.value,
            exercises=exercises,
            completed=all(e.status == ExerciseStatus.DONE.value for e in done),
            pain_during=pain_during,
            pain_after=pain_after,
            decisions=[],
            notes=notes,
        )
        return program_store.add_session(session, owner, record), True


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class GlanceDay:
    """One day of this week: what the plan holds and what happened."""

    day: dt.date
    weekday: str
    status: str  # done, partly done, missed, planned, today, rest, not started
    minutes: float
    sessions: int


def week_glance(
    week: Week,
    sessions: list[SessionEntry],
    today: dt.date | None = None,
    first_session: dt.date | None = None,
) -> list[GlanceDay]:
    """Monday to Sunday of the week holding ``today``: planned, done, missed or rest.

    ``sessions`` holds at least that week's sessions, and ``first_session`` is the day of the
    person's first one: the program began then or at the start of the current phase,
    whichever came first, and no day before that is missed.
    """
    today = today or dt.date.today()
    monday = today - dt.timedelta(days=today.weekday())
    earliest = [first_session] if first_session is not None else []
    began = min([week.since, *earliest, *(s.day for s in sessions)])
    days = []
    for plan in week.days:
        day = monday + dt.timedelta(days=plan.weekday)
        that_day = [s for s in sessions if s.day == day]
        if that_day:
            status = "done" if any(s.completed for s in that_day) else "partly done"
        elif plan.rest_day:
            status = "rest"
        elif day < began:
            status = "not started"
        elif day < today:
            status = "missed"
        elif day == today:
            status = "today"
        else:
            status = "planned"
        days.append(GlanceDay(day, WEEKDAYS[plan.weekday], status, plan.minutes, len(that_day)))
    return days
