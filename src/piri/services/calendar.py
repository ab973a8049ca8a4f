"""The plan in a calendar app: an iCalendar file (``piri calendar``, the Plan page's
download, ``GET /api/v1/calendar.ics``) and, on a shared server, a feed to subscribe to.

Every exercise session and run from today for a number of weeks (4 unless asked, 1 to 12)
is one event, built with the ``icalendar`` library:

- **Times.** Floating local times (no time zone: 18:00 is 18:00 wherever the runner is),
  exercise sessions at 18:00 and runs at 07:00 unless other times are asked for; each lasts
  its planned minutes. A reminder (``VALARM``, ``DISPLAY``) 30 minutes before each.
- **UIDs.** ``<hash>@piri``: the SHA-256 of the person's key (never their username) and the
  entry's key (``2025-03-04-exercise``, ``2025-03-04-run``), so exporting again gives the
  same UIDs and a calendar app updates its events instead of adding a second copy.
- **Changes.** What each export wrote is kept (``calendar_entry``): an event whose content
  changed (a new dose, another time) gets ``SEQUENCE`` + 1 and a new ``LAST-MODIFIED``; an
  unchanged one keeps both, and ``DTSTAMP`` is its ``LAST-MODIFIED``, so the same plan gives
  the same bytes.
- **Days no longer planned.** Importing a file never deletes events in Google Calendar,
  Apple Calendar or Outlook, so the file holds a ``STATUS:CANCELLED`` event (same UID,
  higher SEQUENCE) for each day an earlier export wrote that is no longer planned, from
  today on. A feed is replaced whole at every refresh, so there such a day is just absent.
- **The hold.** While the latest symptom check holds the sessions (urgent or emergency),
  the calendar holds no session and no run, only one all-day event that says why; a check
  that says to stop running (but not to stop the exercises) leaves the runs out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import json
import os
import secrets
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from icalendar import Alarm, Calendar, Event, vDuration
from sqlalchemy.exc import IntegrityError

from piri import __version__
from piri.content.loader import library
from piri.domain.calendar_plan import (
    EXERCISE_TIME_DEFAULT,
    HOLD,
    REMINDER_MINUTES,
    RUN,
    RUN_TIME_DEFAULT,
    WEEKS_DEFAULT,
    CalendarInputError,
    CalendarItem,
    EntryState,
    PlannedRunItem,
    calendar_items,
    check_weeks,
    hold_item,
    parse_time,
    reconcile,
    window,
)
from piri.domain.exercise_hold import CheckReminder
from piri.domain.values import whole_number
from piri.services.diary import LOCAL_PERSON, store
from piri.services.program import check_reminder_for, profile_started, this_week
from piri.store import calendar_feeds as feed_store
from piri.store import diary as diary_store
from piri.store.database import transaction

CALENDAR_NAME = "Piri"
PRODID = f"-//Piri//Piri {__version__}//EN"
MEDIA_TYPE = "text/calendar; charset=utf-8"
FILENAME = "piri.ics"
FEED_REFRESH = dt.timedelta(hours=6)
FEED_TOKEN_BYTES = 32
KEEP_PAST_DAYS = 7  # entries of days further back are forgotten: no export looks back
FEED_TOKEN_MAX = 100  # longer is not one of ours: refused before any lookup
PROFILE_NEEDED = (
    "There is no profile yet, so there is no plan to put in a calendar: set your painful "
    "side, equipment and time first ('piri profile', or the Profile page)."
)
HOLD_LINES = (
    "Your exercise sessions and runs are not in this calendar until a professional has seen "
    "you and said you may exercise.",
    "Then say so in Piri (the Today page, or 'piri check --seen-by-professional') and export "
    "the calendar again: the sessions come back.",
)
STOP_RUNNING_LINE = (
    "Your latest symptom check says to stop running until a professional has seen you, so no "
    "runs are in this calendar."
)


class NoProfileError(LookupError):
    """No profile yet: no plan to put in a calendar."""


class CalendarWriteError(OSError):
    """The calendar file cannot be written; the message names the path and why."""


@dataclass(frozen=True)
class CalendarOptions:
    weeks: int = WEEKS_DEFAULT
    exercise_time: dt.time = EXERCISE_TIME_DEFAULT
    run_time: dt.time = RUN_TIME_DEFAULT

    def __post_init__(self) -> None:
        check_weeks(self.weeks)


@dataclass(frozen=True)
class BuiltCalendar:
    ical: bytes
    events: list[CalendarItem]  # the planned entries written (the hold's included)
    cancelled: int  # cancelled events written for days no longer planned
    start: dt.date
    end: dt.date
    hold: CheckReminder | None = None
    notes: list[str] = field(default_factory=list)  # what was left out, and why

    @property
    def first_day(self) -> dt.date | None:
        return self.events[0].day if self.events else None

    @property
    def last_day(self) -> dt.date | None:
        return self.events[-1].day if self.events else None


def options_from(
    weeks: str | int | None = None,
    exercise_time: str | None = None,
    run_time: str | None = None,
) -> CalendarOptions:
    """The options as a form, a query or the command line gives them (text, or nothing for
    the default); CalendarInputError names the field that is wrong."""
    if isinstance(weeks, str):
        text = weeks.strip()
        number = whole_number(text) if text else WEEKS_DEFAULT
        if number is None:
            shown = text if len(text) <= 20 else text[:20] + "..."
            raise CalendarInputError("weeks", f"weeks: expected a whole number, got '{shown}'")
        weeks = number
    return CalendarOptions(
        weeks=check_weeks(WEEKS_DEFAULT if weeks is None else weeks),
        exercise_time=parse_time(exercise_time, "exercise_time")
        if exercise_time and exercise_time.strip()
        else EXERCISE_TIME_DEFAULT,
        run_time=parse_time(run_time, "run_time")
        if run_time and run_time.strip()
        else RUN_TIME_DEFAULT,
    )


# --- what goes in ------------------------------------------------------------------------------


def planned_items(
    person: str, options: CalendarOptions, today: dt.date
) -> tuple[list[CalendarItem], CheckReminder | None, list[str]]:
    """The entries to write, the hold (when there is one) and notes on what was left out."""
    reminder = check_reminder_for(person)
    if reminder is not None and reminder.holds_exercise:
        why = [reminder.action, reminder.what_it_means, *HOLD_LINES]
        return [hold_item(today, why)], reminder, []
    week = this_week(person, today)
    start, end = window(today, options.weeks)
    stops_running = reminder is not None and reminder.stops_running
    runs = [] if stops_running else _planned_runs(person, start, end)
    names = {key: exercise.name for key, exercise in library().exercises.items()}
    items = calendar_items(week.days, start, options.weeks, names, week.phase.name, runs)
    return items, None, [STOP_RUNNING_LINE] if stops_running else []


def _planned_runs(person: str, start: dt.date, end: dt.date) -> list[PlannedRunItem]:
    """The return-to-run plan's runs; none when that plan is not part of this Piri."""
    try:
        module = importlib.import_module("piri.services.return_to_run")
    except ModuleNotFoundError as missing:
        if missing.name != "piri.services.return_to_run":
            raise
        return []
    return [
        PlannedRunItem(run.day, run.title, run.minutes, tuple(run.details))
        for run in module.planned_runs(person, start, end)
    ]


# --- the iCalendar document --------------------------------------------------------------------


def uid(person: str, key: str) -> str:
    digest = hashlib.sha256(f"piri-calendar\0{person}\0{key}".encode()).hexdigest()
    return f"{digest[:32]}@piri"


def _times(
    day: dt.date, kind: str, minutes: int, options: CalendarOptions
) -> tuple[dt.date | dt.datetime, dt.date | dt.datetime]:
    if kind == HOLD:
        return day, day + dt.timedelta(days=1)
    at = options.run_time if kind == RUN else options.exercise_time
    start = dt.datetime.combine(day, at)
    return start, start + dt.timedelta(minutes=minutes)


def _content(item: CalendarItem, options: CalendarOptions) -> dict[str, Any]:
    """Everything the event says; its fingerprint decides whether it changed."""
    start, end = _times(item.day, item.kind, item.minutes, options)
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "title": item.title,
        "description": list(item.description),
    }


def fingerprint(item: CalendarItem, options: CalendarOptions) -> str:
    text = json.dumps(_content(item, options), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _event(person: str, item: CalendarItem, state: EntryState, options: CalendarOptions) -> Event:
    start, end = _times(item.day, item.kind, item.minutes, options)
    event = Event.new(
        uid=uid(person, item.key),
        start=start,
        end=end,
        stamp=state.modified,
        last_modified=state.modified,
        sequence=state.sequence,
        summary=item.title,
        description="\n".join(item.description),
        categories=["Piri", item.kind.capitalize()],
    )
    event.add("status", "CONFIRMED")
    event.add("transp", "TRANSPARENT" if item.all_day else "OPAQUE")
    if not item.all_day:
        alarm = Alarm.new(description=item.title)
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", dt.timedelta(minutes=-REMINDER_MINUTES))
        event.add_component(alarm)
    return event


def _cancelled_event(person: str, state: EntryState, options: CalendarOptions) -> Event:
    start, end = _times(state.day, state.kind, state.minutes, options)
    event = Event.new(
        uid=uid(person, state.key),
        start=start,
        end=end,
        stamp=state.modified,
        last_modified=state.modified,
        sequence=state.sequence,
        summary=f"Cancelled: {state.title}",
        description="No longer in your plan: Piri took this day out.",
        categories=["Piri"],
    )
    event.add("status", "CANCELLED")
    event.add("transp", "TRANSPARENT")
    return event


def _calendar(person: str, feed: bool) -> Calendar:
    calendar = Calendar.new(
        prodid=PRODID,
        uid=uid(person, "calendar"),
        name=CALENDAR_NAME,
        description="Your Piri plan: exercise sessions and runs, each with a reminder.",
    )
    calendar.add("calscale", "GREGORIAN")
    if feed:
        calendar.add("refresh-interval", vDuration(FEED_REFRESH), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(FEED_REFRESH))
    return calendar


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def build_calendar(
    person: str = LOCAL_PERSON,
    options: CalendarOptions | None = None,
    *,
    feed: bool = False,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> BuiltCalendar:
    """The calendar of ``person``'s plan; NoProfileError before there is a profile.

    ``feed`` leaves out the cancellations (a subscription is replaced whole) and adds the
    refresh interval. Each call keeps what it wrote, so the next one knows what changed.
    """
    options = options or CalendarOptions()
    today = today or dt.date.today()
    if not profile_started(person):
        raise NoProfileError(PROFILE_NEEDED)
    items, hold, notes = planned_items(person, options, today)
    start, end = window(today, options.weeks)
    moment = (now or _now()).astimezone(dt.UTC).replace(microsecond=0)
    planned = [(item, fingerprint(item, options)) for item in items]
    states = _remember(person, planned, start, end, moment)
    calendar = _calendar(person, feed)
    for item in items:
        calendar.add_component(_event(person, item, states[item.key], options))
    cancelled = [
        state
        for state in sorted(states.values(), key=lambda s: (s.day, s.key))
        if state.cancelled and start <= state.day <= end
    ]
    if not feed:
        for state in cancelled:
            calendar.add_component(_cancelled_event(person, state, options))
    return BuiltCalendar(
        ical=calendar.to_ical(),
        events=items,
        cancelled=0 if feed else len(cancelled),
        start=start,
        end=end,
        hold=hold,
        notes=notes,
    )


def _remember(
    person: str,
    planned: Sequence[tuple[CalendarItem, str]],
    start: dt.date,
    end: dt.date,
    now: dt.datetime,
) -> dict[str, EntryState]:
    """Reconcile with what the last export wrote and keep the result (two exports at the same
    moment: the second one reads what the first wrote)."""
    for attempt in range(2):
        try:
            with transaction(store()) as session:
                owner = diary_store.person_id(session, person)
                before = feed_store.entries(session, owner)
                after = reconcile(before, planned, start, end, now)
                forget = start - dt.timedelta(days=KEEP_PAST_DAYS)
                feed_store.save_entries(session, owner, before, after, forget_before=forget)
                return after
        except IntegrityError:
            if attempt:
                raise
    raise AssertionError("unreachable")


def write_calendar(
    path: Path,
    person: str = LOCAL_PERSON,
    options: CalendarOptions | None = None,
    today: dt.date | None = None,
) -> BuiltCalendar:
    """Build the calendar and write it to ``path`` whole or not at all (a temporary file in
    the same folder, then renamed over it). CalendarWriteError names the path and why."""
    if path.is_dir():
        raise CalendarWriteError(f"{path} is a folder: give a file name, such as {path / FILENAME}")
    folder = path.parent
    if not folder.is_dir():
        raise CalendarWriteError(f"{path}: the folder {folder} does not exist")
    built = build_calendar(person, options, today=today)
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise CalendarWriteError(f"{path}: cannot write there ({error.strerror})") from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(built.ical)
        Path(temporary).replace(path)  # private to its owner (0600), as mkstemp made it
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise CalendarWriteError(f"{path}: cannot write there ({error.strerror})") from None
    return built


# --- the feed (multi-user mode) ----------------------------------------------------------------


@dataclass(frozen=True)
class FeedInfo:
    created_at: dt.datetime


@dataclass(frozen=True)
class NewFeed:
    token: str  # the only time the raw token exists outside the caller's hands
    info: FeedInfo


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_feed(person: str, now: dt.datetime | None = None) -> NewFeed:
    """A new feed token for the person; an earlier one stops working at once."""
    token = secrets.token_urlsafe(FEED_TOKEN_BYTES)
    moment = now or _now()
    with transaction(store()) as session:
        owner = diary_store.person_id(session, person)
        feed_store.set_feed(session, owner, _hash(token), moment)
    return NewFeed(token, FeedInfo(moment))


def feed_info(person: str) -> FeedInfo | None:
    """The person's feed, or None when they have none."""
    from piri.store.accounts import utc

    with transaction(store()) as session:
        owner = diary_store.person_id(session, person)
        row = feed_store.feed_of(session, owner)
        return FeedInfo(utc(row.created_at)) if row is not None else None


def revoke_feed(person: str) -> bool:
    """Turn the feed off (its address stops working); False when there was none."""
    with transaction(store()) as session:
        return feed_store.delete_feed(session, diary_store.person_id(session, person))


def feed_person(token: str) -> str | None:
    """The person whose feed this token opens; None when it is unknown or turned off.

    Looked up by its SHA-256 (the database never holds the token, and a lookup by hash
    tells nothing about how much of a guess was right), then compared in constant time.
    """
    if not token or len(token) > FEED_TOKEN_MAX or not token.isascii():
        return None
    wanted = _hash(token)
    with transaction(store()) as session:
        found = feed_store.feed_by_hash(session, wanted)
    if found is None:
        return None
    person, stored = found
    return person if secrets.compare_digest(stored.encode(), wanted.encode()) else None
