"""Training load and how it relates to the pain diary, for one person."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from piri.domain.activity import Activity
from piri.domain.load import LoadReport, analyse_load
from piri.domain.pain_load import PainLoadReport, analyse_pain_load
from piri.services.diary import LOCAL_PERSON, store
from piri.services.imports import MAX_ACTIVITY_ID
from piri.services.memo import kept
from piri.store import activities as activity_store
from piri.store import diary as diary_store
from piri.store.activities import _activity as activity_from_row
from piri.store.database import transaction
from piri.store.models import ActivityRow


@dataclass(frozen=True)
class LoadView:
    load: LoadReport
    pain: PainLoadReport


def load_and_pain(person: str = LOCAL_PERSON, today: dt.date | None = None) -> LoadView:
    day = today or dt.date.today()
    return kept(store(), person, "load_and_pain", day, lambda: _load_and_pain(person, day))


def _load_and_pain(person: str, today: dt.date) -> LoadView:
    with transaction(store()) as session:
        owner = diary_store.person_id(session, person)
        activities = activity_store.activities(session, owner)
        diary = diary_store.days(session, owner)
        rpe = activity_store.ratings(session, owner)
    load = analyse_load(
        activities,
        [d.day for d in diary],
        rpe=rpe,
        key=lambda a: a.start.astimezone(dt.UTC).isoformat(),
        until=today,
    )
    return LoadView(load, analyse_pain_load(load, diary))


class RatingError(ValueError):
    """A rating that cannot be stored; the message says why and what to do."""


def rate_run(
    day: dt.date, effort: int, which: int | None = None, person: str = LOCAL_PERSON
) -> str:
    """Store how hard a run felt (0-10, session RPE); returns a description of the run."""
    if not 0 <= effort <= 10:
        raise RatingError(f"effort: expected 0 (rest) to 10 (maximal), got {effort}")
    with transaction(store()) as session:
        owner = diary_store.person_id(session, person)
        found = activity_store.runs_on(session, owner, day)
        if not found:
            raise RatingError(f"no run on {day.isoformat()}; see your runs with 'piri runs'")
        if which is None and len(found) > 1:
            listed = "; ".join(f"{n}: {_describe(a)}" for n, (_, a) in enumerate(found, start=1))
            raise RatingError(f"{len(found)} runs on {day.isoformat()} ({listed}); add --which N")
        index = (which or 1) - 1
        if not 0 <= index < len(found):
            raise RatingError(f"--which: expected 1 to {len(found)}, got {which}")
        activity_id, activity = found[index]
        activity_store.set_rpe(session, owner, activity_id, effort)
    return _describe(activity)


def _describe(activity: Activity) -> str:
    when = activity.local_start or activity.start
    km = f"{activity.distance_m / 1000:.1f} km" if activity.distance_m else "no distance"
    return f"{when:%H:%M}, {km}"


class NotARunError(RatingError):
    """An activity that is not a run: only runs count as load, so only they are rated."""


def rate_activity(activity_id: int, effort: int, person: str = LOCAL_PERSON) -> str:
    """Store how hard one run (by its id) felt, 0-10; returns a description of the run.

    LookupError when the person has no activity with that id.
    """
    if isinstance(effort, bool) or not 0 <= effort <= 10:
        raise RatingError(f"effort: expected 0 (rest) to 10 (maximal), got {effort}")
    if not 0 < activity_id <= MAX_ACTIVITY_ID:  # the database refuses to look larger ones up
        raise LookupError(f"no activity {activity_id}")
    with transaction(store()) as session:
        owner = diary_store.person_id(session, person)
        row = session.get(ActivityRow, activity_id)
        if row is None or row.person_id != owner:
            raise LookupError(f"no activity {activity_id}")
        if row.sport != "running":
            raise NotARunError(
                f"effort: only runs are rated (they are what counts as load); this is {row.sport}"
            )
        activity_store.set_rpe(session, owner, activity_id, effort)
        return _describe(activity_from_row(row))
