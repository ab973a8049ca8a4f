"""The calendar file (service and ``piri calendar``): read back with ``icalendar`` itself.

Events for every planned session and run, each with a 30-minute reminder; UIDs the same on
every export and unique within one; a dose change keeps the UIDs and raises SEQUENCE and
LAST-MODIFIED; a day no longer planned comes back cancelled; the hold leaves one all-day
note; wrong paths are named. Runs come from ``piri.services.return_to_run.planned_runs``,
replaced here by a fake (the real plan is checked at the end when it is there).
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import math
import os
import sys
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar, Event
from sqlalchemy import Engine, inspect, text

from piri.content.models import Phase
from piri.domain.calendar_plan import PAIN_RULE, CalendarInputError
from piri.domain.diary import DayEntry
from piri.domain.progression import Prescription
from piri.services import calendar as calendar_service
from piri.services import diary as diary_service
from piri.services.calendar import (
    CalendarOptions,
    CalendarWriteError,
    NoProfileError,
    build_calendar,
    create_feed,
    options_from,
    revoke_feed,
    uid,
    write_calendar,
)
from piri.services.check import remember_result, run_check
from piri.services.diary import LOCAL_PERSON
from piri.services.person_data import export_document, forget
from piri.services.program import this_week, update_profile
from piri.store import diary as diary_store
from piri.store import program as program_store
from piri.store.database import migrate, transaction
from tests.check_answers import typical_piriformis
from tests.conftest import PiriRunner
from tests.store_backends import BACKENDS, fresh_engine

TODAY = dt.date.today()
VIGNETTES = Path(__file__).resolve().parent / "vignettes"
RTR_MODULE = "piri.services.return_to_run"


@pytest.fixture(autouse=True)
def private_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("PIRI_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("PIRI_DATABASE_URL", raising=False)
    diary_service.close_engines()
    yield
    diary_service.close_engines()


@dataclass
class FakeRun:
    day: dt.date
    title: str
    minutes: int
    details: list[str] = field(default_factory=list)


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[FakeRun]:
    """The return-to-run plan's runs, as the test sets them (none unless it adds some)."""
    planned: list[FakeRun] = []
    asked: list[tuple[str, dt.date, dt.date]] = []

    def planned_runs(person: str, start: dt.date, end: dt.date) -> list[FakeRun]:
        asked.append((person, start, end))
        return [run for run in planned if start <= run.day <= end]

    try:
        module = importlib.import_module(RTR_MODULE)
    except ModuleNotFoundError:
        module = types.ModuleType(RTR_MODULE)
        monkeypatch.setitem(sys.modules, RTR_MODULE, module)
    monkeypatch.setattr(module, "planned_runs", planned_runs, raising=False)
    return planned


def profile(days: int = 3, person: str = LOCAL_PERSON, **changes: Any) -> None:
    update_profile(
        person=person, painful_side="left", days_per_week=days, minutes_per_day=20, **changes
    )


def parsed(ical: bytes) -> Calendar:
    return Calendar.from_ical(ical)


def events(ical: bytes, status: str = "CONFIRMED") -> list[Event]:
    return [e for e in parsed(ical).events if str(e.get("STATUS")) == status]


def by_uid(ical: bytes) -> dict[str, Event]:
    return {str(e.uid): e for e in parsed(ical).events}


def take_check(name: str | None = None, person: str = LOCAL_PERSON, **answers: Any) -> None:
    if name is None:
        remember_result(run_check(typical_piriformis(**answers)), person)
        return
    data = json.loads((VIGNETTES / f"{name}.json").read_text(encoding="utf-8"))
    remember_result(run_check(data["answers"]), person)


def move_to_phase(phase: Phase, person: str = LOCAL_PERSON) -> None:
    with transaction(diary_service.store()) as session:
        program_store.save_phase(session, diary_store.person_id(session, person), phase, TODAY)


# --- what is in it -----------------------------------------------------------------------------


@pytest.mark.parametrize(("days", "weeks"), [(3, 4), (5, 2), (7, 1), (1, 12)])
def test_one_event_per_training_day_for_the_weeks_asked(
    days: int, weeks: int, runs: list[FakeRun]
) -> None:
    profile(days)
    built = build_calendar(options=CalendarOptions(weeks=weeks))
    found = events(built.ical)
    assert len(found) == days * weeks == len(built.events)
    assert built.start == TODAY and built.end == TODAY + dt.timedelta(days=7 * weeks - 1)
    assert min(e.start.date() for e in found) >= TODAY
    assert max(e.start.date() for e in found) <= built.end
    assert len({e.start.date() for e in found}) == days * weeks


def test_the_calendar_and_each_event_carry_what_a_calendar_app_needs(runs: list[FakeRun]) -> None:
    profile(3)
    built = build_calendar()
    calendar = parsed(built.ical)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]).startswith("-//Piri//")
    assert str(calendar["X-WR-CALNAME"]) == "Piri"
    week = this_week(LOCAL_PERSON, TODAY)
    for event in calendar.events:
        assert event.start.tzinfo is None, "floating local time"
        assert event.start.time() == dt.time(18, 0)
        planned = week.days[event.start.weekday()]
        assert event.end - event.start == dt.timedelta(minutes=max(5, math.ceil(planned.minutes)))
        assert event.DTSTAMP.tzinfo is not None and event.last_modified is not None
        assert event.sequence == 0
        assert str(event.summary).startswith("Piri: exercise session")
        description = str(event["DESCRIPTION"])
        assert PAIN_RULE in description and "may change" in description
        assert all(f"- {_name(e)}: " in description for e, _dose in planned.items)
        alarms = [c for c in event.subcomponents if c.name == "VALARM"]
        assert len(alarms) == 1
        assert str(alarms[0]["ACTION"]) == "DISPLAY"
        assert alarms[0]["TRIGGER"].to_ical() == b"-PT30M"
        assert str(alarms[0]["DESCRIPTION"])


def _name(exercise_id: str) -> str:
    from piri.content.loader import library

    return library().exercises[exercise_id].name


def test_uids_are_the_same_on_every_export_unique_within_one_and_name_nobody(
    runs: list[FakeRun],
) -> None:
    person = "account:0123456789abcdef"
    profile(4, person=person)
    first = build_calendar(person)
    second = build_calendar(person)
    uids = [str(e.uid) for e in parsed(first.ical).events]
    assert len(uids) == len(set(uids)) == 16
    assert uids == [str(e.uid) for e in parsed(second.ical).events]
    assert first.ical == second.ical, "nothing changed, so nothing in the file changed"
    assert all(u.endswith("@piri") and "0123456789abcdef" not in u for u in uids)
    assert person.encode() not in first.ical
    profile(4)
    mine = {str(e.uid) for e in parsed(build_calendar().ical).events}
    assert not mine & set(uids), "two people never share a UID"


def test_a_dose_change_keeps_the_uids_and_raises_sequence_and_last_modified(
    runs: list[FakeRun],
) -> None:
    profile(3, equipment=frozenset({"mini_band", "chair"}))
    move_to_phase(Phase.STRENGTHEN)
    then = dt.datetime(2026, 1, 1, 8, 0, tzinfo=dt.UTC)
    before = by_uid(calendar_service.build_calendar(now=then).ical)
    slot = this_week(LOCAL_PERSON, TODAY).slots[0]
    with transaction(diary_service.store()) as session:
        owner = diary_store.person_id(session, LOCAL_PERSON)
        bigger = Prescription(slot.dose.exercise, slot.dose.sets + 1, slot.dose.reps)
        program_store.save_prescription(session, owner, slot.key, bigger, 0)
    later = then + dt.timedelta(days=1)
    after = by_uid(calendar_service.build_calendar(now=later).ical)
    assert after.keys() == before.keys()
    changed = [u for u in after if after[u].sequence == 1]
    assert changed, "the new dose changed no event"
    for u in changed:
        assert after[u].last_modified == later
        assert after[u]["DTSTAMP"].dt == later
        assert str(after[u]["DESCRIPTION"]) != str(before[u]["DESCRIPTION"])
    for u in set(after) - set(changed):
        assert after[u].sequence == 0 and after[u].last_modified == then
        assert str(after[u]["DESCRIPTION"]) == str(before[u]["DESCRIPTION"])


def test_a_day_no_longer_planned_comes_back_cancelled_in_the_file_and_absent_from_the_feed(
    runs: list[FakeRun],
) -> None:
    profile(3)
    before = by_uid(build_calendar(options=CalendarOptions(weeks=1)).ical)
    profile(2)
    built = build_calendar(options=CalendarOptions(weeks=1))
    after = by_uid(built.ical)
    cancelled = [e for e in after.values() if str(e["STATUS"]) == "CANCELLED"]
    assert built.cancelled == len(cancelled) >= 1
    for event in cancelled:
        old = before[str(event.uid)]
        assert event.sequence == old.sequence + 1
        assert event.start == old.start
        assert not [c for c in event.subcomponents if c.name == "VALARM"]
    assert len(events(built.ical)) == 2
    feed = build_calendar(options=CalendarOptions(weeks=1), feed=True)
    assert not events(feed.ical, "CANCELLED") and len(events(feed.ical)) == 2
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT6H" in feed.ical.decode()
    again = by_uid(build_calendar(options=CalendarOptions(weeks=1)).ical)
    assert {u: e.sequence for u, e in again.items()} == {u: e.sequence for u, e in after.items()}


def test_other_times_of_day_move_every_event_and_count_as_a_change(runs: list[FakeRun]) -> None:
    profile(3)
    runs.append(FakeRun(TODAY + dt.timedelta(days=1), "Walk-run, step 2 of 12", 24, ["2 x 3"]))
    build_calendar(options=CalendarOptions(weeks=1))
    options = options_from("1", "06:30", "19:15")
    found = parsed(build_calendar(options=options).ical).events
    assert {e.start.time() for e in found if "exercise" in str(e.summary)} == {dt.time(6, 30)}
    assert {e.start.time() for e in found if "Walk-run" in str(e.summary)} == {dt.time(19, 15)}
    assert {e.sequence for e in found} == {1}


def test_runs_are_events_in_the_morning_with_their_intervals_and_a_reminder(
    runs: list[FakeRun],
) -> None:
    profile(3)
    details = [
        "Walk 4 minutes, run 1 minute, 4 times.",
        "On a flat, soft surface.",
        "Stop at 3/10.",
    ]
    for ahead in (0, 2, 9, 40):
        runs.append(
            FakeRun(TODAY + dt.timedelta(days=ahead), "Walk-run, step 3 of 12", 24, details)
        )
    built = build_calendar(options=CalendarOptions(weeks=2))
    found = [e for e in events(built.ical) if "Walk-run" in str(e.summary)]
    assert len(found) == 3  # the run in six weeks is outside the two weeks asked
    assert len(events(built.ical)) == 3 * 2 + 3
    for event in found:
        assert str(event.summary) == "Piri: Walk-run, step 3 of 12"
        assert event.start.time() == dt.time(7, 0)
        assert event.end - event.start == dt.timedelta(minutes=24)
        assert all(line in str(event["DESCRIPTION"]) for line in details)
        alarm = next(c for c in event.subcomponents if c.name == "VALARM")
        assert alarm["TRIGGER"].to_ical() == b"-PT30M"
        assert str(event.uid) == uid(LOCAL_PERSON, f"{event.start.date().isoformat()}-run")


def test_the_hold_leaves_one_all_day_note_and_cancels_what_was_exported(
    runs: list[FakeRun],
) -> None:
    profile(7)
    runs.append(FakeRun(TODAY + dt.timedelta(days=1), "Walk-run, step 1 of 12", 20))
    before = build_calendar(options=CalendarOptions(weeks=1))
    assert len(events(before.ical)) == 8
    take_check(saddle_numbness=True)
    built = build_calendar(options=CalendarOptions(weeks=1))
    assert built.hold is not None
    confirmed = events(built.ical)
    assert len(confirmed) == 1
    note = confirmed[0]
    assert note.start == TODAY and note.end == TODAY + dt.timedelta(days=1), "all day"
    description = str(note["DESCRIPTION"])
    assert built.hold.action in description and built.hold.what_it_means in description
    assert "piri check --seen-by-professional" in description
    assert not [c for c in note.subcomponents if c.name == "VALARM"]
    assert len(events(built.ical, "CANCELLED")) == 8 == built.cancelled
    feed = build_calendar(options=CalendarOptions(weeks=1), feed=True)
    assert [str(e.summary) for e in parsed(feed.ical).events] == [str(note.summary)]


def test_a_check_that_says_stop_running_leaves_the_runs_out_and_says_so(
    runs: list[FakeRun],
) -> None:
    profile(3)
    runs.append(FakeRun(TODAY + dt.timedelta(days=1), "Walk-run, step 1 of 12", 20))
    take_check("bsi-sacral")
    built = build_calendar(options=CalendarOptions(weeks=1))
    assert built.hold is None
    assert [e for e in events(built.ical) if "Walk-run" in str(e.summary)] == []
    assert len(events(built.ical)) == 3
    assert any("stop running" in note for note in built.notes)


def test_before_a_profile_there_is_no_calendar(runs: list[FakeRun]) -> None:
    with pytest.raises(NoProfileError, match="no profile yet"):
        build_calendar()


@pytest.mark.parametrize(
    ("weeks", "exercise_time", "run_time", "field"),
    [
        ("0", None, None, "weeks"),
        ("13", None, None, "weeks"),
        ("two", None, None, "weeks"),
        ("9" * 5000, None, None, "weeks"),
        (None, "25:00", None, "exercise_time"),
        (None, None, "noon", "run_time"),
    ],
)
def test_wrong_options_name_their_field(
    weeks: str | None, exercise_time: str | None, run_time: str | None, field: str
) -> None:
    with pytest.raises(CalendarInputError) as refused:
        options_from(weeks, exercise_time, run_time)
    assert refused.value.field == field


# --- the file ----------------------------------------------------------------------------------


def test_the_file_is_written_whole_and_replaces_an_earlier_one(
    tmp_path: Path, runs: list[FakeRun]
) -> None:
    profile(3)
    path = tmp_path / "out" / "piri.ics"
    path.parent.mkdir()
    path.write_text("an older calendar", encoding="utf-8")
    built = write_calendar(path)
    assert path.read_bytes() == built.ical
    assert [p.name for p in path.parent.iterdir()] == ["piri.ics"], "no temporary file left"


def test_a_folder_or_a_missing_folder_is_refused_naming_the_path(
    tmp_path: Path, runs: list[FakeRun]
) -> None:
    profile(3)
    with pytest.raises(CalendarWriteError, match=f"{tmp_path} is a folder"):
        write_calendar(tmp_path)
    missing = tmp_path / "nowhere" / "piri.ics"
    with pytest.raises(CalendarWriteError, match="nowhere"):
        write_calendar(missing)
    assert not missing.parent.exists()


# --- export and forget -------------------------------------------------------------------------


def test_the_feed_and_the_exported_entries_are_not_exported_but_are_forgotten(
    runs: list[FakeRun],
) -> None:
    profile(3)
    build_calendar()
    feed = create_feed(LOCAL_PERSON)
    document = json.dumps(export_document())
    assert feed.token not in document
    assert calendar_service._hash(feed.token) not in document
    assert "calendar" not in json.loads(document)
    assert calendar_service.feed_person(feed.token) == LOCAL_PERSON
    assert forget()
    assert calendar_service.feed_person(feed.token) is None
    with diary_service.store().connect() as connection:
        for table in ("calendar_feed", "calendar_entry"):
            assert connection.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0


def test_entries_of_days_long_past_are_forgotten(runs: list[FakeRun]) -> None:
    profile(3)
    build_calendar(options=CalendarOptions(weeks=2), today=TODAY - dt.timedelta(days=40))
    build_calendar(options=CalendarOptions(weeks=1))
    with diary_service.store().connect() as connection:
        days = connection.execute(text("SELECT day FROM calendar_entry")).scalars().all()
    kept = [dt.date.fromisoformat(str(day)) for day in days]
    assert kept and min(kept) >= TODAY - dt.timedelta(days=7)


def test_the_feed_and_the_export_change_no_one_elses_data_version(runs: list[FakeRun]) -> None:
    from piri.store.versions import data_version

    other = "account:someone-else"
    profile(3)
    profile(3, person=other)
    engine = diary_service.store()
    before = data_version(engine, other)
    build_calendar()
    create_feed(LOCAL_PERSON)
    create_feed(LOCAL_PERSON)
    assert revoke_feed(LOCAL_PERSON) and not revoke_feed(LOCAL_PERSON)
    profile(2)
    build_calendar()
    assert data_version(engine, other) == before


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_migration_makes_the_tables_the_models_describe(backend: str, tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from piri.store.models import Base

    tables = ("calendar_feed", "calendar_entry")

    def ours(item: object, name: str | None, kind: str, *_: object) -> bool:
        table = getattr(item, "table", item)
        return getattr(table, "name", name) in tables

    engine: Engine
    with fresh_engine(backend, tmp_path) as engine:
        migrate(engine)
        assert set(tables) <= set(inspect(engine).get_table_names())
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"include_object": ours, "compare_type": True}
            )
            assert compare_metadata(context, Base.metadata) == []


# --- piri calendar -----------------------------------------------------------------------------


def flat(text: str) -> str:
    return " ".join(text.split())


def test_piri_calendar_writes_the_file_and_says_how_many_events_and_when(
    piri: PiriRunner, tmp_path: Path
) -> None:
    assert piri("profile", "--side", "left", "--days", "3").returncode == 0
    path = tmp_path / "mine.ics"
    result = piri("calendar", str(path), "--weeks", "2")
    assert result.returncode == 0, result.stderr
    found = [e for e in parsed(path.read_bytes()).events if str(e["STATUS"]) == "CONFIRMED"]
    assert len(found) == 6
    first = min(e.start.date() for e in found)
    last = max(e.start.date() for e in found)
    words = flat(result.stdout)
    assert f"Wrote 6 events to {path}" in words
    assert f"from {first:%a} {first.day} {first:%B %Y} to {last:%a} {last.day} {last:%B %Y}" in (
        words
    )
    assert "reminder 30 minutes before" in words
    again = piri("calendar", str(path), "--weeks", "2")
    assert again.returncode == 0
    assert [str(e.uid) for e in parsed(path.read_bytes()).events] == [str(e.uid) for e in found]


def test_piri_calendar_to_standard_output(piri: PiriRunner) -> None:
    assert piri("profile", "--side", "left", "--days", "2").returncode == 0
    result = piri("calendar", "-", "--weeks", "1", "--exercise-time", "6:45")
    assert result.returncode == 0, result.stderr
    found = parsed(result.stdout.encode()).events
    assert len(found) == 2 and {e.start.time() for e in found} == {dt.time(6, 45)}


def test_piri_calendar_before_a_profile_says_so_and_writes_nothing(
    piri: PiriRunner, tmp_path: Path
) -> None:
    path = tmp_path / "mine.ics"
    result = piri("calendar", str(path))
    assert result.returncode == 2
    assert "There is no profile yet" in flat(result.stderr)
    assert not path.exists()


def test_piri_calendar_refuses_a_folder_a_missing_folder_and_a_wrong_option(
    piri: PiriRunner, tmp_path: Path
) -> None:
    assert piri("profile", "--side", "left").returncode == 0
    folder = piri("calendar", str(tmp_path))
    assert folder.returncode == 2
    assert f"{tmp_path} is a folder" in flat(folder.stderr)
    missing = piri("calendar", str(tmp_path / "nowhere" / "x.ics"))
    assert missing.returncode == 2
    assert f"{tmp_path / 'nowhere' / 'x.ics'}: the folder" in flat(missing.stderr)
    time = piri("calendar", str(tmp_path / "x.ics"), "--run-time", "25:00")
    assert time.returncode == 2 and "run time: expected a time of day" in flat(time.stderr)
    weeks = piri("calendar", str(tmp_path / "x.ics"), "--weeks", "13")
    assert weeks.returncode == 2 and "--weeks" in weeks.stderr
    assert not (tmp_path / "x.ics").exists()


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes anywhere")
def test_piri_calendar_names_a_folder_it_cannot_write_to(piri: PiriRunner, tmp_path: Path) -> None:
    assert piri("profile", "--side", "left").returncode == 0
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        result = piri("calendar", str(locked / "x.ics"))
    finally:
        locked.chmod(0o700)
    assert result.returncode == 2
    assert f"{locked / 'x.ics'}: cannot write there" in flat(result.stderr)


def test_piri_calendar_during_a_hold_says_so(piri: PiriRunner, tmp_path: Path) -> None:
    assert piri("profile", "--side", "left", "--days", "7").returncode == 0
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(typical_piriformis(saddle_numbness=True)), encoding="utf-8")
    assert piri("check", "--answers", str(answers)).returncode == 0
    path = tmp_path / "held.ics"
    result = piri("calendar", str(path))
    assert result.returncode == 0, result.stderr
    assert "no sessions, because your latest symptom check holds them" in flat(result.stdout)
    assert len(parsed(path.read_bytes()).events) == 1


# --- with the real return-to-run plan ----------------------------------------------------------


def real_planned_runs() -> Callable[..., list[Any]] | None:
    try:
        module = importlib.import_module(RTR_MODULE)
    except ModuleNotFoundError:
        return None
    found: Callable[..., list[Any]] | None = getattr(module, "planned_runs", None)
    return found


def test_with_the_real_return_to_run_plan_every_planned_run_is_an_event() -> None:
    planned_runs = real_planned_runs()
    if planned_runs is None:
        pytest.skip("skipped: piri.services.return_to_run is not in this Piri yet")
    # Ready to run, as tests/test_return_to_run_course.py makes a runner: walks 30 minutes
    # without pain, a month in the return-to-running phase, a calm week in the diary.
    profile(3, walks_30_min_pain_free=True, equipment=frozenset({"chair", "mini_band"}))
    with transaction(diary_service.store()) as session:
        owner = diary_store.person_id(session, LOCAL_PERSON)
        since = TODAY - dt.timedelta(days=30)
        program_store.save_phase(session, owner, Phase.RETURN_TO_RUN, since)
    for back in range(7, 0, -1):
        day = TODAY - dt.timedelta(days=back)
        diary_service.log_day(DayEntry(day, 1, 2), today=day)
    start, end = TODAY, TODAY + dt.timedelta(days=27)
    expected = planned_runs(LOCAL_PERSON, start, end)
    assert expected, "a ready runner has runs planned in the next four weeks"
    built = build_calendar()
    run_events = [
        e for e in events(built.ical) if not str(e.summary).startswith("Piri: exercise session")
    ]
    assert len(run_events) == len(expected)
    for run, event in zip(sorted(expected, key=lambda r: r.day), run_events, strict=True):
        assert event.start.date() == run.day
        assert str(event.summary) == f"Piri: {run.title}"
        assert all(line in str(event["DESCRIPTION"]) for line in run.details)
