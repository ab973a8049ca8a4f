"""Progress over the weeks: diary, outcome scores and sessions, as weekly series and a summary."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from piri.domain.trends import (
    WeeklySeries,
    adherence,
    diary_points,
    monday,
    summary,
    week_range,
    weekly_mean,
)
from piri.services.diary import LOCAL_PERSON, store
from piri.services.memo import kept
from piri.store import diary as diary_store
from piri.store import program as program_store
from piri.store import scores as score_store
from piri.store.database import transaction
from piri.store.models import ActivityRow


@dataclass(frozen=True)
class Progress:
    series: list[WeeklySeries]
    scores: list[tuple[dt.date, str, float]]
    summary: list[str]


def progress(person: str = LOCAL_PERSON, today: dt.date | None = None) -> Progress:
    day = today or dt.date.today()
    return kept(store(), person, "progress", day, lambda: _progress(person, day))


def _progress(person: str, today: dt.date) -> Progress:
    with transaction(store()) as session:
        owner = diary_store.person_id(session, person)
        days = diary_store.days(session, owner)
        scores = score_store.scores(session, owner)
        session_days = program_store.session_days(session, owner)
        profile, _phase, _since, _check = program_store.load_profile(session, owner)
    starts = [d.day for d in days] + session_days + [s[0] for s in scores]
    weeks = week_range(min(starts), today) if starts else []
    worst_points, sitting_points = diary_points(days)
    worst = weekly_mean("Worst pain (0-10)", worst_points, weeks)
    sitting = weekly_mean("Sitting before pain (minutes)", sitting_points, weeks)
    done = adherence(session_days, weeks, profile.days_per_week)
    return Progress([worst, sitting, done], scores, summary(worst, sitting, scores))


@dataclass(frozen=True)
class ProgressDetail:
    """What the progress charts draw: the summary of ``piri progress`` and the series behind it."""

    progress: Progress
    pain_now: WeeklySeries  # weekly mean of the diary's "pain now"
    sessions_done: WeeklySeries  # sessions done each week (a count)
    days_planned: int  # sessions planned a week: the profile's days a week
    running_km: WeeklySeries  # km run each week; empty when no run was imported


def progress_detail(person: str = LOCAL_PERSON, today: dt.date | None = None) -> ProgressDetail:
    """``progress`` plus pain now, sessions per week and weekly running distance, in one read.

    The weeks are those of ``progress``; with no diary, session or score yet, the running
    distance covers the weeks of the last year of runs.
    """
    day = today or dt.date.today()
    return kept(store(), person, "progress_detail", day, lambda: _progress_detail(person, day))


def _progress_detail(person: str, today: dt.date) -> ProgressDetail:
    with transaction(store()) as session:
        owner = diary_store.person_id(session, person)
        days = diary_store.days(session, owner)
        scores = score_store.scores(session, owner)
        session_days = program_store.session_days(session, owner)
        profile, _phase, _since, _check = program_store.load_profile(session, owner)
        runs = _run_distances(session, owner)
    starts = [d.day for d in days] + session_days + [s[0] for s in scores]
    weeks = week_range(min(starts), today) if starts else []
    worst_points, sitting_points = diary_points(days)
    worst = weekly_mean("Worst pain (0-10)", worst_points, weeks)
    sitting = weekly_mean("Sitting before pain (minutes)", sitting_points, weeks)
    done = adherence(session_days, weeks, profile.days_per_week)
    found = Progress([worst, sitting, done], scores, summary(worst, sitting, scores))
    pain_now = weekly_mean("Pain now (0-10)", [(d.day, float(d.pain_now)) for d in days], weeks)
    counts = dict.fromkeys(weeks, 0)
    for day in session_days:
        if monday(day) in counts:
            counts[monday(day)] += 1
    sessions = WeeklySeries("Sessions done", weeks, [float(n) for n in counts.values()])
    return ProgressDetail(
        found, pain_now, sessions, profile.days_per_week, _weekly_km(runs, weeks, today)
    )


def _run_distances(session: Session, owner: int) -> list[tuple[dt.date, float]]:
    """(day, metres) of every run, reading only those columns (no laps)."""
    rows = session.execute(
        select(ActivityRow.start, ActivityRow.utc_offset_seconds, ActivityRow.distance_m).where(
            ActivityRow.person_id == owner, ActivityRow.sport == "running"
        )
    )
    out = []
    for start, offset, distance in rows:
        # SQLite gives back naive datetimes (stored as UTC); PostgreSQL aware ones
        moment = start.astimezone(dt.UTC) if start.tzinfo is not None else start
        if offset is not None:
            moment += dt.timedelta(seconds=offset)
        out.append((moment.date(), float(distance or 0.0)))
    return out


def _weekly_km(
    runs: list[tuple[dt.date, float]], weeks: list[dt.date], today: dt.date
) -> WeeklySeries:
    name = "Running distance (km)"
    if not runs:
        return WeeklySeries(name, [], [])
    first_run = min(day for day, _ in runs)
    if not weeks:
        weeks = week_range(max(first_run, today - dt.timedelta(weeks=52)), today)
    totals = dict.fromkeys(weeks, 0.0)
    for day, metres in runs:
        if monday(day) in totals:
            totals[monday(day)] += metres
    values: list[float | None] = [
        None if week < monday(first_run) else round(metres / 1000, 1)
        for week, metres in totals.items()
    ]
    return WeeklySeries(name, weeks, values)
