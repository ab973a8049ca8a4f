"""The plan as calendar entries: which days, what each holds, and how an entry changes.

Pure logic on plain data, no I/O. :func:`calendar_items` turns this week's plan (the
``DayPlan`` list of :func:`piri.domain.program.week_plan`) and the planned runs into one
entry per session from ``start`` (today: past days are never written) for ``weeks`` weeks.
The exercise sessions repeat this week's training days: the doses follow the pain rules, so
each entry says that they may change and that the calendar is to be exported again (or
subscribed to as a feed).

Calendar apps only know an entry by its UID. :func:`reconcile` keeps, per entry key, what
was last written (a fingerprint of its content) and so when an entry changed: its SEQUENCE
goes up by one and its LAST-MODIFIED moves to that moment, which is what makes an app that
imports the file again update the entry instead of keeping the old one. An entry that was
written before and is no longer planned (a training day dropped, a hold) becomes a
*cancelled* entry: importing a file never deletes anything, so only an entry with the same
UID and ``STATUS:CANCELLED`` takes it out of a calendar it was imported into. A feed (a
calendar app's subscription) is replaced whole on every refresh, so there the entry is just
left out.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from piri.content.models import Dose
from piri.domain.program import DayPlan

EXERCISE = "exercise"
RUN = "run"
HOLD = "hold"
KINDS = (EXERCISE, RUN, HOLD)

WEEKS_DEFAULT = 4
WEEKS_RANGE = (1, 12)
# Times of day when the runner gave none (local, "floating" time: 18:00 wherever they are).
EXERCISE_TIME_DEFAULT = dt.time(18, 0)
RUN_TIME_DEFAULT = dt.time(7, 0)
# The shortest entry a calendar shows: a session planned at 3.5 minutes is written as 5.
MINUTES_MIN = 5
REMINDER_MINUTES = 30
# One entry for the hold, whatever day it is written on: a new export moves it to that day.
HOLD_KEY = HOLD

PAIN_RULE = (
    "Work to a light pull or moderate effort, never into sharp pain. Stop an exercise if "
    "pain runs down the leg or goes above 5 out of 10."
)
DOSES_MAY_CHANGE = (
    "The doses follow the pain rules: the next-morning pain after each session decides the "
    "next dose, so they may change. Export the calendar again (or subscribe to the feed) to "
    "keep it up to date; the Today page in Piri always has the current session."
)
TIME_PATTERN = re.compile(r"(\d{1,2}):(\d{2})")


class CalendarInputError(ValueError):
    """A calendar option Piri cannot take; ``field`` names it (weeks, exercise_time, ...)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class CalendarItem:
    """One planned entry: an exercise session, a run, or the all-day note of a hold."""

    day: dt.date
    kind: str  # exercise, run or hold
    title: str
    minutes: int  # 0 for the all-day hold
    description: tuple[str, ...]
    key: str  # stable across exports: "2025-03-04-exercise", "2025-03-04-run", "hold"

    @property
    def all_day(self) -> bool:
        return self.kind == HOLD


@dataclass(frozen=True)
class PlannedRunItem:
    """A planned run as this module takes it (the return-to-run plan's ``PlannedRun``)."""

    day: dt.date
    title: str
    minutes: int
    details: Sequence[str]


# --- options ---------------------------------------------------------------------------------


def check_weeks(weeks: int) -> int:
    low, high = WEEKS_RANGE
    if not low <= weeks <= high:
        raise CalendarInputError("weeks", f"weeks: expected {low} to {high}, got {weeks}")
    return weeks


def parse_time(text: str, field: str) -> dt.time:
    """'18:00' or '7:30' as a time of day; CalendarInputError names ``field`` otherwise."""
    found = TIME_PATTERN.fullmatch(text.strip()) if text.isascii() else None
    if found is not None:
        hour, minute = int(found.group(1)), int(found.group(2))
        if hour < 24 and minute < 60:
            return dt.time(hour, minute)
    shown = text if len(text) <= 20 else text[:20] + "..."
    raise CalendarInputError(
        field, f"{field.replace('_', ' ')}: expected a time of day such as 18:00, got '{shown}'"
    )


def window(start: dt.date, weeks: int) -> tuple[dt.date, dt.date]:
    """The first and last day the calendar covers."""
    return start, start + dt.timedelta(days=7 * check_weeks(weeks) - 1)


# --- the entries -----------------------------------------------------------------------------


def session_minutes(minutes: float) -> int:
    return max(MINUTES_MIN, math.ceil(minutes))


def exercise_items(
    days: Sequence[DayPlan],
    start: dt.date,
    weeks: int,
    names: Mapping[str, str],
    phase_name: str,
) -> list[CalendarItem]:
    """This week's training days repeated from ``start`` for ``weeks`` weeks."""
    by_weekday = {day.weekday: day for day in days}
    first, last = window(start, weeks)
    found = []
    day = first
    while day <= last:
        plan = by_weekday.get(day.weekday())
        if plan is not None and not plan.rest_day:
            found.append(_exercise_item(day, plan, names, phase_name))
        day += dt.timedelta(days=1)
    return found


def dose_line(name: str, dose: Dose) -> str:
    """'- Glute bridge: 3 sets of 10 reps, rest 45 s' (how many days a week is the calendar's
    to show, so the dose's own "; 3 days a week" is left out)."""
    return f"- {name}: {dose.describe().partition('; ')[0]}"


def _exercise_item(
    day: dt.date, plan: DayPlan, names: Mapping[str, str], phase_name: str
) -> CalendarItem:
    minutes = session_minutes(plan.minutes)
    lines = (
        f"{phase_name} phase: about {minutes} minutes.",
        *(dose_line(names.get(exercise, exercise), dose) for exercise, dose in plan.items),
        PAIN_RULE,
        DOSES_MAY_CHANGE,
    )
    return CalendarItem(
        day=day,
        kind=EXERCISE,
        title=f"Piri: exercise session ({minutes} min)",
        minutes=minutes,
        description=lines,
        key=f"{day.isoformat()}-{EXERCISE}",
    )


def run_items(runs: Sequence[PlannedRunItem], start: dt.date, end: dt.date) -> list[CalendarItem]:
    """The planned runs between ``start`` and ``end``; a second run on a day gets its own key."""
    found = []
    taken: dict[dt.date, int] = {}
    for run in sorted(runs, key=lambda r: r.day):
        if not start <= run.day <= end:
            continue
        count = taken[run.day] = taken.get(run.day, 0) + 1
        suffix = "" if count == 1 else f"-{count}"
        minutes = max(MINUTES_MIN, int(run.minutes))
        found.append(
            CalendarItem(
                day=run.day,
                kind=RUN,
                title=f"Piri: {run.title}",
                minutes=minutes,
                description=(f"About {minutes} minutes.", *run.details),
                key=f"{run.day.isoformat()}-{RUN}{suffix}",
            )
        )
    return found


def hold_item(day: dt.date, why: Sequence[str]) -> CalendarItem:
    """The one all-day entry while the latest symptom check holds the sessions."""
    return CalendarItem(
        day=day,
        kind=HOLD,
        title="Piri: sessions wait for a professional",
        minutes=0,
        description=tuple(why),
        key=HOLD_KEY,
    )


def calendar_items(
    days: Sequence[DayPlan],
    start: dt.date,
    weeks: int,
    names: Mapping[str, str],
    phase_name: str,
    runs: Sequence[PlannedRunItem] = (),
) -> list[CalendarItem]:
    """Every exercise session and run from ``start`` for ``weeks`` weeks, by day (runs first
    on a day, as they are planned for the morning)."""
    first, last = window(start, weeks)
    found = [
        *exercise_items(days, start, weeks, names, phase_name),
        *run_items(runs, first, last),
    ]
    return sorted(found, key=lambda item: (item.day, item.kind != RUN, item.key))


# --- what changed since the last export --------------------------------------------------------


@dataclass(frozen=True)
class EntryState:
    """What was last written for one entry key, and from when."""

    key: str
    day: dt.date
    kind: str
    title: str
    minutes: int
    fingerprint: str  # of everything the entry says (see the service)
    sequence: int
    modified: dt.datetime  # UTC
    cancelled: bool = False


def reconcile(
    stored: Mapping[str, EntryState],
    planned: Sequence[tuple[CalendarItem, str]],
    start: dt.date,
    end: dt.date,
    now: dt.datetime,
) -> dict[str, EntryState]:
    """The state of every entry after this export: each planned item (with its fingerprint)
    and each entry written before, between ``start`` and ``end``, that is no longer planned.

    A new entry starts at SEQUENCE 0; a changed one (another fingerprint, or planned again
    after being cancelled) goes up by one and takes ``now`` as its modification time; an
    unchanged one keeps both, so the same plan always gives the same file. Entries outside
    the window are left as they are: a shorter calendar does not cancel the later weeks.
    """
    result: dict[str, EntryState] = {}
    for item, fingerprint in planned:
        before = stored.get(item.key)
        if before is None:
            result[item.key] = EntryState(
                item.key, item.day, item.kind, item.title, item.minutes, fingerprint, 0, now
            )
        elif before.fingerprint != fingerprint or before.cancelled:
            result[item.key] = EntryState(
                item.key,
                item.day,
                item.kind,
                item.title,
                item.minutes,
                fingerprint,
                before.sequence + 1,
                now,
            )
        else:
            result[item.key] = before
    for key, before in stored.items():
        if key in result or not start <= before.day <= end:
            continue
        if before.cancelled:
            result[key] = before
        else:
            result[key] = replace(
                before, sequence=before.sequence + 1, modified=now, cancelled=True
            )
    return result
