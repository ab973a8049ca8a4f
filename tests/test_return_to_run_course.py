"""Simulated returns to running, on the real service layer and a real SQLite database.

A scripted runner who is ready (walks 30 minutes without pain, the program in the
return-to-running phase, a calm diary) runs on the days the plan gives, reports each run and
writes the diary every morning, which gives Piri the next-morning pain. One goes through all
twelve steps in eight weeks and into the build; others flare at step 5 and step back; others
try to start too early, bring runs from a watch, or hit a warning sign.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from piri.content.models import Phase
from piri.domain.activity import Activity
from piri.domain.diary import DayEntry
from piri.domain.exercise_hold import CHECKED_ON
from piri.domain.load import SpikeBand
from piri.domain.return_to_run import RUN_WEEKDAYS, JudgedRun, Verdict, step_name
from piri.services import diary as diary_service
from piri.services import person_data
from piri.services import program as coach
from piri.services import return_to_run as runs
from piri.services.check import result_as_json, run_check
from piri.store import activities as activity_store
from piri.store import diary as diary_store
from piri.store import program as program_store
from piri.store.database import transaction
from piri.store.models import WalkRunRecord
from tests.check_answers import typical_piriformis

START = dt.date(2026, 3, 2)  # a Monday: the first run is on Tuesday 3 March
USUAL = 1  # the runner's ordinary morning pain


@pytest.fixture(autouse=True)
def private_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("PIRI_HOME", str(tmp_path))
    monkeypatch.delenv("PIRI_DATABASE_URL", raising=False)
    diary_service.close_engines()
    yield
    diary_service.close_engines()


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def owner_of(session: Any, person: str) -> int:
    return diary_store.person_id(session, person)


def set_phase(phase: Phase, person: str = "me", since: dt.date | None = None) -> None:
    since = since or START - days(30)
    with transaction(diary_service.store()) as session:
        program_store.save_phase(session, owner_of(session, person), phase, since)


def calm_week(person: str = "me", until: dt.date = START) -> None:
    for n in range(7, 0, -1):
        day = until - days(n)
        diary_service.log_day(DayEntry(day, USUAL, 2), person=person, today=day)


def ready_runner(person: str = "me") -> None:
    coach.update_profile(
        person,
        painful_side="left",
        equipment=["chair", "mini_band"],
        walks_30_min_pain_free=True,
        today=START - days(60),
    )
    set_phase(Phase.RETURN_TO_RUN, person)
    calm_week(person)


def add_run(day: dt.date, minutes: float, key: str, person: str = "me", hour: int = 7) -> Activity:
    activity = Activity(
        source="fit",
        sport="running",
        sub_sport=None,
        start=dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC),
        utc_offset_seconds=0,
        elapsed_seconds=minutes * 60,
        moving_seconds=minutes * 60 * 0.9,
        distance_m=minutes * 150,
        file_sha256=key,
    )
    with transaction(diary_service.store()) as session:
        activity_store.add_activity(session, owner_of(session, person), activity)
    return activity


def walk_run_rows(person: str = "me") -> int:
    with transaction(diary_service.store()) as session:
        owner = owner_of(session, person)
        query = select(func.count()).select_from(WalkRunRecord)
        return int(session.scalar(query.where(WalkRunRecord.person_id == owner)) or 0)


@dataclass
class Outing:
    """How one run goes: what the runner reports and their pain the next morning."""

    pain_during: int = 2
    pain_after: int = 1
    limp: bool = False
    next_morning: int = USUAL


Script = Callable[[runs.RunPlanView], Outing]


def easy(view: runs.RunPlanView) -> Outing:
    return Outing()


def follow_plan(
    script: Script,
    until: Callable[[runs.RunPlanView], bool],
    first: dt.date = START,
    most_days: int = 120,
) -> tuple[runs.RunPlanView, list[tuple[dt.date, int]]]:
    """Live day by day from ``first``: the diary each morning (the next-morning pain of
    yesterday's run), then a run when today is the next planned day. Returns the last view
    and (day, step number) of each run."""
    mornings: dict[dt.date, int] = {}
    done: list[tuple[dt.date, int]] = []
    for n in range(most_days):
        today = first + days(n)
        morning = mornings.get(today, USUAL)
        diary_service.log_day(DayEntry(today, morning, max(2, morning)), today=today)
        view = runs.run_plan(today=today)
        if until(view):
            return view, done
        assert view.paused is None
        if view.next_days and view.next_days[0] == today:
            outing = script(view)
            judged = runs.log_run(
                today,
                outing.pain_during,
                outing.pain_after,
                limp=outing.limp,
                today=today,
            )
            assert judged.verdict in (Verdict.WAITING, Verdict.STEP_BACK), judged.reason
            done.append((today, view.step_number))
            mornings[today + days(1)] = outing.next_morning
    raise AssertionError(f"not done in {most_days} days")


def finished(view: runs.RunPlanView) -> bool:
    return view.state.finished


def counted_per_step(history: list[JudgedRun]) -> dict[int, int]:
    found: dict[int, int] = {}
    for judged in history:
        if judged.verdict is Verdict.COUNTS and not judged.build:
            found[judged.step_index] = found.get(judged.step_index, 0) + 1
    return found


# --- (a) the whole plan -------------------------------------------------------------------------


def test_a_runner_who_follows_the_plan_finishes_it_in_eight_weeks_and_starts_the_build() -> None:
    ready_runner()
    first = runs.run_plan(today=START)
    assert first.ready and not first.started and first.paused is None
    assert first.step is not None and first.step.id == "run-1-walk-9"
    assert first.next_days[:3] == [START + days(1), START + days(3), START + days(5)]
    ahead = runs.planned_runs(start=START, end=START + days(6))
    assert [(p.day, p.title, p.minutes) for p in ahead] == [
        (START + days(n), "Walk-run, step 1 of 12", 30) for n in (1, 3, 5)
    ]
    assert "Run 1 min, walk 9 min, 3 times." in ahead[0].details

    view, done = follow_plan(easy, finished)

    steps = view.plan.steps
    history = view.state.history
    assert len(done) == 24 == len(history)
    assert [number for _, number in done] == [n // 2 + 1 for n in range(24)]
    assert counted_per_step(history) == dict.fromkeys(range(len(steps)), 2)
    assert all(j.verdict is Verdict.COUNTS for j in history)
    run_days_ = [day for day, _ in done]
    assert all((b - a).days >= 2 for a, b in itertools.pairwise(run_days_))
    assert {d.weekday() for d in run_days_} == set(RUN_WEEKDAYS)
    assert run_days_[0] == dt.date(2026, 3, 3)
    assert view.state.finished_on == run_days_[-1] == dt.date(2026, 4, 25)  # week 8's Saturday
    assert "walk-run plan is done" in history[-1].reason
    assert history[1].reason.endswith(f"on to {step_name(steps[1])}.")

    # The build: from the Monday after, three runs of the last step's 30 minutes, rising.
    assert view.step is None
    build = view.build
    assert build is not None and build.usual_minutes is None and not build.back_to_usual
    assert build.weeks[0].start == dt.date(2026, 4, 27)
    targets = [w.target_minutes for w in build.weeks]
    assert targets[:5] == [90, 95, 105, 85, 114]
    assert [w.lighter for w in build.weeks[:8]] == [False, False, False, True] * 2
    heavy = [w.target_minutes for w in build.weeks if not w.lighter]
    assert heavy == sorted(heavy) and heavy[-1] > 150
    assert "10%" in build.purpose

    planned = runs.planned_runs(start=dt.date(2026, 4, 27), end=dt.date(2026, 5, 24))
    assert [p.day for p in planned[:3]] == [
        dt.date(2026, 4, 28),
        dt.date(2026, 4, 30),
        dt.date(2026, 5, 2),
    ]
    assert [(p.title, p.minutes) for p in planned[:3]] == [("Easy run, build week 1", 30)] * 3
    assert planned[3].title == "Easy run, build week 2"
    lighter = [p for p in planned if p.day >= dt.date(2026, 5, 18)]
    assert lighter and all(p.title == "Easy run, build week 4 (a lighter week)" for p in lighter)
    assert all(p.minutes == 29 for p in lighter)  # 85 / 3, rounded up


def test_a_build_run_counts_towards_its_week_and_a_flare_there_returns_to_the_last_step() -> None:
    ready_runner()
    view, _ = follow_plan(easy, finished)
    tuesday = dt.date(2026, 4, 28)
    for n in range(3):
        diary_service.log_day(DayEntry(dt.date(2026, 4, 26) + days(n), USUAL, 2), today=tuesday)
    judged = runs.log_run(tuesday, 1, 1, today=tuesday)
    assert judged.build and judged.verdict is Verdict.WAITING
    diary_service.log_day(DayEntry(tuesday + days(1), USUAL, 2), today=tuesday + days(1))
    view = runs.run_plan(today=tuesday + days(1))
    assert view.state.history[-1].verdict is Verdict.COUNTS
    assert view.build is not None and view.build.this_week is not None
    assert view.build.this_week.number == 1
    # A build run reported without a watch file counts as the run the plan asked for.
    assert view.build.minutes_this_week == 30

    thursday = tuesday + days(2)
    diary_service.log_day(DayEntry(thursday, USUAL, 2), today=thursday)
    back = runs.log_run(thursday, 5, 2, today=thursday)
    assert back.verdict is Verdict.STEP_BACK and back.build
    last = view.plan.steps[-1]
    assert back.reason.startswith(f"Back to {step_name(last)}:")
    after = runs.run_plan(today=thursday)
    assert after.build is None and after.step == last and after.state.sessions_at_step == 0
    assert runs.planned_runs(start=thursday, end=thursday + days(3))[0].title == (
        "Walk-run, step 12 of 12"
    )


# --- (b) a flare at step 5 ----------------------------------------------------------------------

FLARES = {
    "pain 5 during": (Outing(pain_during=5), "the pain during the run reached 5/10, above 3/10"),
    "a limp": (
        Outing(pain_during=1, limp=True),
        "a limp or a changed stride means the step was too much",
    ),
    "next morning +2": (
        Outing(next_morning=USUAL + 2),
        f"the next morning the pain was 2 points above your usual {USUAL}/10",
    ),
}


@pytest.mark.parametrize("kind", list(FLARES))
def test_a_flare_at_step_5_steps_back_to_step_4_then_moves_on_again(kind: str) -> None:
    ready_runner()
    flare, words = FLARES[kind]
    flared: list[dt.date] = []

    def script(view: runs.RunPlanView) -> Outing:
        if view.step_number == 5 and not flared:
            flared.append(view.today)
            return flare
        return Outing()

    view, done = follow_plan(script, finished)
    history = view.state.history
    assert len(flared) == 1
    at = next(i for i, j in enumerate(history) if j.report.day == flared[0])
    assert at == 8  # two runs at each of steps 1 to 4 came first
    bad = history[at]
    assert bad.step_index == 4 and bad.verdict is Verdict.STEP_BACK
    step_4 = view.plan.steps[3]
    assert bad.reason == f"Back a step, to {step_name(step_4)}: {words}."
    # Then step 4 twice again, step 5 twice, and on to the end: three runs more than the plan.
    assert [j.step_index + 1 for j in history[at + 1 : at + 5]] == [4, 4, 5, 5]
    assert all(j.verdict is Verdict.COUNTS for j in history[at + 1 :])
    assert len(history) == 24 + 3
    assert counted_per_step(history)[3] == 4
    assert view.state.finished_on == dt.date(2026, 4, 25) + days(7)  # a week later
    days_run = [day for day, _ in done]
    assert all((b - a).days >= 2 for a, b in itertools.pairwise(days_run))


def test_a_morning_one_point_worse_repeats_the_step_without_losing_the_count() -> None:
    ready_runner()
    repeated: list[dt.date] = []

    def script(view: runs.RunPlanView) -> Outing:
        if view.step_number == 2 and view.state.sessions_at_step == 1 and not repeated:
            repeated.append(view.today)
            return Outing(next_morning=USUAL + 1)
        return Outing()

    view, _ = follow_plan(script, lambda v: v.step_number == 4)
    repeat = next(j for j in view.state.history if j.report.day == repeated[0])
    assert repeat.verdict is Verdict.REPEAT and repeat.step_index == 1
    assert repeat.reason.startswith(f"Repeat {step_name(view.plan.steps[1])}:")
    assert [j.step_index for j in view.state.history] == [0, 0, 1, 1, 1, 2, 2]


# --- (c) before the criteria are met -------------------------------------------------------------


def test_before_the_criteria_are_met_no_run_is_kept_and_the_view_says_what_is_missing() -> None:
    coach.update_profile(painful_side="left", equipment=["chair"], today=START - days(60))
    calm_week()
    view = runs.run_plan(today=START)
    met = {c.id: c.met for c in view.criteria}
    assert met == {
        "walks-30-minutes": False,
        "daily-life-calm": True,
        "strength-milestones": False,
        "no-open-warning-sign": True,
    }
    assert not view.ready and not view.can_log and not view.started
    assert view.next_days == [] and view.imported_offer is None
    assert runs.planned_runs(start=START, end=START + days(14)) == []
    with pytest.raises(runs.NotReadyError) as caught:
        runs.log_run(START, 1, 1, today=START)
    message = str(caught.value)
    assert "30 minutes of brisk walking without pain" in message
    assert "The strength work of the program done without pain" in message
    assert "return-to-running phase" in message
    assert "Everyday life" not in message and "warning sign" not in message
    assert walk_run_rows() == 0

    # Walking and the phase in place, but a bad day this week.
    coach.update_profile(walks_30_min_pain_free=True, today=START)
    set_phase(Phase.RETURN_TO_RUN)
    diary_service.log_day(DayEntry(START - days(2), 2, 6), today=START)
    view = runs.run_plan(today=START)
    assert [c.id for c in view.criteria if not c.met] == ["daily-life-calm"]
    with pytest.raises(runs.NotReadyError, match="reached 6/10"):
        runs.log_run(START, 1, 1, today=START)
    assert walk_run_rows() == 0
    # A week later the bad day has left the window and the plan can start.
    calm_week(until=START + days(7))
    assert runs.run_plan(today=START + days(7)).ready


def test_a_strength_dose_stepped_back_lately_holds_the_start() -> None:
    ready_runner()
    coach.update_profile(days_per_week=7, today=START - days(3))
    week, day = coach.today_plan(today=START - days(3))
    done = [coach.ExerciseDone(e, d.sets, d.sets, "done") for e, d in day.items]
    coach.record_session(START - days(3), week.phase.id, done, 6, 6)
    coach.record_morning(5, today=START - days(2))
    set_phase(Phase.RETURN_TO_RUN)  # the program may have moved back; put it in the phase
    view = runs.run_plan(today=START)
    strength = next(c for c in view.criteria if c.id == "strength-milestones")
    assert not strength.met
    assert (START - days(3)).isoformat() in strength.detail


# --- (d) an imported run ------------------------------------------------------------------------


def test_an_imported_run_on_a_planned_day_is_offered_linked_and_not_offered_again() -> None:
    ready_runner()
    tuesday = START + days(1)
    add_run(tuesday, 31, "a" * 64)
    diary_service.log_day(DayEntry(tuesday, USUAL, 2), today=tuesday)
    view = runs.run_plan(today=tuesday)
    assert view.imported_offer == runs.ImportedOffer("a" * 64, tuesday, 31.0)
    # It is still offered the day after, while it waits for its pain scores.
    assert runs.run_plan(today=tuesday + days(1)).imported_offer == view.imported_offer

    judged = runs.log_run(tuesday, 1, 1, activity="auto", today=tuesday)
    assert judged.report.day == tuesday
    stored = person_data.export_document()["walk_runs"]
    assert [(r["day"], r["activity_key"], r["step"]) for r in stored] == [
        ("2026-03-03", "a" * 64, "run-1-walk-9")
    ]
    assert runs.run_plan(today=tuesday).imported_offer is None
    assert runs.run_plan(today=tuesday + days(2)).imported_offer is None

    # Thursday's import lasted 45 minutes: 50% over the plan, not the walk-run.
    thursday = START + days(3)
    add_run(thursday, 45, "b" * 64)
    assert runs.run_plan(today=thursday).imported_offer is None
    runs.log_run(thursday, 1, 1, activity="auto", today=thursday)
    keys = [r["activity_key"] for r in person_data.export_document()["walk_runs"]]
    assert keys == ["a" * 64, None]
    with pytest.raises(runs.ReturnToRunError, match=r"^activity: no imported run"):
        runs.log_run(thursday, 1, 1, activity="c" * 64, today=thursday)


def test_an_imported_run_on_a_day_that_is_not_planned_is_not_offered() -> None:
    ready_runner()
    add_run(START, 30, "d" * 64)  # Monday: not a run day
    assert runs.run_plan(today=START).imported_offer is None
    add_run(START + days(1), 30, "e" * 64, hour=6)
    add_run(START + days(1), 26, "f" * 64, hour=18)
    offer = runs.run_plan(today=START + days(1)).imported_offer
    assert offer is not None and offer.key == "e" * 64  # the closer of two


# --- (e) the single-run flag in the build -------------------------------------------------------


def test_long_runs_in_the_build_are_flagged_from_imported_runs() -> None:
    ready_runner()
    view, _ = follow_plan(easy, finished)
    assert view.long_run_flags == []
    tuesday, thursday, saturday = (dt.date(2026, 4, 28) + days(n) for n in (0, 2, 4))
    add_run(tuesday, 33, "1" * 64)  # exactly 10% over the walk-run's 30 minutes
    add_run(thursday, 36.5, "2" * 64)  # 10.6% over Tuesday's 33
    add_run(saturday, 75, "3" * 64)  # more than twice 36.5
    view = runs.run_plan(today=saturday)
    flags = [(f.day, f.band, round(f.longest_before, 1)) for f in view.long_run_flags]
    assert flags == [
        (thursday, SpikeBand.OVER_10, 33.0),
        (saturday, SpikeBand.OVER_100, 36.5),
    ]
    assert "2026-04-30" in view.long_run_flags[0].message
    assert view.build is not None and view.build.minutes_this_week == pytest.approx(144.5)


def test_the_usual_weekly_running_before_the_plan_caps_the_build() -> None:
    ready_runner()
    # Before the pain: 40 minutes three times a week for two months.
    for week in range(8, 16):
        for weekday in (1, 3, 5):
            day = START - dt.timedelta(weeks=week) + days(weekday)
            add_run(day, 40, f"{week:02d}{weekday}".ljust(64, "0"))
    view, _ = follow_plan(easy, finished)
    build = view.build
    assert build is not None and build.usual_minutes == pytest.approx(120.0)
    assert max(w.target_minutes for w in build.weeks) == 120
    back = runs.run_plan(today=build.weeks[5].start)
    assert back.build is not None and back.build.back_to_usual


# --- (f) a warning sign ---------------------------------------------------------------------------


def urgent_check(day: dt.date) -> dict[str, Any]:
    result = result_as_json(run_check(typical_piriformis(fever_or_unwell=True)))
    return {**result, CHECKED_ON: day.isoformat()}


def test_an_open_warning_pauses_a_started_plan_until_it_is_cleared() -> None:
    ready_runner()
    view, _ = follow_plan(easy, lambda v: len(v.state.history) == 3)
    today = view.today
    coach.save_check_result(urgent_check(today))
    paused = runs.run_plan(today=today)
    assert paused.started and paused.paused is not None
    assert paused.paused.startswith(
        "The plan waits for your latest symptom check: Get seen by a doctor today."
    )
    assert paused.next_days == [] and paused.imported_offer is None
    assert runs.planned_runs(start=today, end=today + days(14)) == []
    assert not next(c for c in paused.criteria if c.id == "no-open-warning-sign").met
    assert paused.state.step_index == 1  # the plan keeps its place

    coach.record_seen_by_professional(today=today + days(1))
    resumed = runs.run_plan(today=today + days(1))
    assert resumed.paused is None and resumed.next_days
    assert runs.planned_runs(start=today + days(1), end=today + days(7))


def test_an_open_warning_before_the_start_is_an_unmet_criterion() -> None:
    ready_runner()
    coach.save_check_result(urgent_check(START))
    view = runs.run_plan(today=START)
    warning = next(c for c in view.criteria if c.id == "no-open-warning-sign")
    assert not warning.met and warning.detail.startswith("Get seen by a doctor today.")
    with pytest.raises(runs.NotReadyError, match="No warning sign waiting for a professional"):
        runs.log_run(START, 1, 1, today=START)


def test_a_program_sent_back_by_a_flare_pauses_the_plan() -> None:
    ready_runner()
    view, _ = follow_plan(easy, lambda v: len(v.state.history) == 2)
    set_phase(Phase.STRENGTHEN)
    paused = runs.run_plan(today=view.today)
    assert paused.paused is not None and "earlier phase" in paused.paused
    assert runs.planned_runs(start=view.today, end=view.today + days(7)) == []


# --- (g) wrong inputs ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"day": START + days(2)}, "date"),
        ({"day": dt.date(1999, 12, 31)}, "date"),
        ({"pain_during": 11}, "pain during"),
        ({"pain_after": -1}, "pain after"),
        ({"pain_during": True}, "pain during"),
        ({"next_morning": 2.5}, "next morning"),
        ({"usual_morning": 11}, "usual morning"),
        ({"notes": "fine\x00then"}, "notes"),
        ({"notes": "x" * 1001}, "notes"),
    ],
)
def test_a_wrong_input_names_its_field_and_keeps_nothing(
    changes: dict[str, Any], field: str
) -> None:
    ready_runner()
    arguments: dict[str, Any] = {"day": START + days(1), "pain_during": 1, "pain_after": 1}
    arguments.update(changes)
    with pytest.raises(runs.ReturnToRunError, match=rf"^{field}: "):
        runs.log_run(**arguments, today=START + days(1))
    assert walk_run_rows() == 0
    assert not runs.run_plan(today=START + days(1)).started


def test_a_wrong_next_morning_names_its_field_and_nothing_waiting_is_said() -> None:
    ready_runner()
    with pytest.raises(runs.NothingWaitingError):
        runs.add_next_morning(1, today=START)
    tuesday = START + days(1)
    runs.log_run(tuesday, 1, 1, today=tuesday)
    with pytest.raises(runs.ReturnToRunError, match=r"^next morning: "):
        runs.add_next_morning(11, today=tuesday + days(1))
    with pytest.raises(runs.ReturnToRunError, match=r"^usual morning: "):
        runs.add_next_morning(1, usual=-1, today=tuesday + days(1))
    [row] = person_data.export_document()["walk_runs"]
    assert row["pain_next_morning"] is None and row["usual_morning_pain"] is None


def test_the_next_morning_given_directly_decides_the_run() -> None:
    ready_runner()
    tuesday = START + days(1)
    assert runs.log_run(tuesday, 1, 1, today=tuesday).verdict is Verdict.WAITING
    judged = runs.add_next_morning(USUAL + 2, today=tuesday + days(1))
    assert judged.verdict is Verdict.STEP_BACK
    assert judged.reason.startswith("Stay at the first step")
    # Once judged, nothing waits any more; the run is corrected by logging its day again,
    # which replaces it.
    with pytest.raises(runs.NothingWaitingError):
        runs.add_next_morning(USUAL, today=tuesday + days(1))
    again = runs.log_run(tuesday, 1, 1, next_morning=USUAL, usual_morning=USUAL, today=tuesday)
    assert again.verdict is Verdict.COUNTS
    assert runs.log_run(tuesday, 4, 1, today=tuesday + days(1)).verdict is Verdict.STEP_BACK
    assert walk_run_rows() == 1
    last = runs.run_plan(today=tuesday + days(1)).last_run
    assert last is not None and last.report.pain_during == 4


# --- (h) export, import and forget --------------------------------------------------------------


def test_walk_runs_survive_an_export_and_import_and_forget_deletes_them() -> None:
    ready_runner()
    add_run(START + days(1), 30, "9" * 64)
    diary_service.log_day(DayEntry(START + days(1), USUAL, 2), today=START + days(1))
    runs.log_run(START + days(1), 2, 1, activity="auto", today=START + days(1), notes="windy")
    view, _ = follow_plan(easy, lambda v: len(v.state.history) == 5, first=START + days(2))
    today = view.today
    document = person_data.export_document()
    assert len(document["walk_runs"]) == 5
    assert document["walk_runs"][0]["notes"] == "windy"
    assert document["walk_runs"][0]["activity_key"] == "9" * 64

    person_data.import_document(document, person="copy", today=today)
    copy = runs.run_plan(person="copy", today=today)
    assert copy.state == view.state
    assert copy.step == view.step and copy.next_days == view.next_days

    assert person_data.forget("me")
    assert walk_run_rows("me") == 0
    assert walk_run_rows("copy") == 5
    assert not runs.run_plan(today=today).started


def test_two_runners_never_see_each_others_runs() -> None:
    ready_runner("ana")
    ready_runner("ben")
    tuesday = START + days(1)
    runs.log_run(tuesday, 2, 2, person="ana", today=tuesday)
    add_run(tuesday, 30, "7" * 64, person="ana")
    assert runs.run_plan(person="ana", today=tuesday).started
    ben = runs.run_plan(person="ben", today=tuesday)
    assert not ben.started and ben.state.history == [] and ben.imported_offer is None
    with pytest.raises(runs.ReturnToRunError, match=r"^activity: "):
        runs.log_run(tuesday, 1, 1, activity="7" * 64, person="ben", today=tuesday)
