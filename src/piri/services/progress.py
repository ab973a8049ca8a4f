"""Progress over the weeks: diary, outcome scores and sessions, as weekly series and a summary."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from piri.domain.trends import (
    WeeklySeries,
    adherence,
    diary_points,
    summary,
    week_range,
    weekly_mean,
)
from piri.services.diary import LOCAL_PERSON, store
from piri.store import diary as diary_store
from piri.store import program as program_store
from piri.store import scores as score_store
from piri.store.database import transaction


@dataclass(frozen=True)
class Progress:
    series: list[WeeklySeries]
    scores: list[tuple[dt.date, str, float]]
    summary: list[str]


def progress(person: str = LOCAL_PERSON, today: dt.date | None = None) -> Progress:
    today = today or dt.date.today()
    with transaction(store()) as session:
        owner = diary_store.person_id(session, person)
        days = diary_store.days(session, owner)
        scores = score_store.scores(session, owner)
        records = program_store.session_records(session, owner)
        profile, _phase, _since, _check = program_store.load_profile(session, owner)
    starts = [d.day for d in days] + [r.day for r in records] + [s[0] for s in scores]
    weeks = week_range(min(starts), today) if starts else []
    worst_points, sitting_points = diary_points(days)
    worst = weekly_mean("Worst pain (0-10)", worst_points, weeks)
    sitting = weekly_mean("Sitting before pain (minutes)", sitting_points, weeks)
    done = adherence([r.day for r in records], weeks, profile.days_per_week)
    return Progress([worst, sitting, done], scores, summary(worst, sitting, scores))
