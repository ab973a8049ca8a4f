"""Stored activities on SQLite and PostgreSQL: round trip, duplicates, people kept apart."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from piri.domain.activity import Activity, Lap
from piri.store import activities as activity_store
from piri.store import diary as diary_store
from piri.store.database import migrate, transaction
from tests.store_backends import BACKENDS, fresh_engine

START = dt.datetime(2026, 5, 3, 7, 30, tzinfo=dt.UTC)


def run(start: dt.datetime = START, distance: float | None = 10_000.0, **extra: object) -> Activity:
    lap = Lap(start, 300.0, 295.0, 1000.0, avg_heart_rate=150, avg_cadence_spm=172.0)
    values: dict[str, object] = {
        "source": "fit",
        "sport": "running",
        "sub_sport": None,
        "start": start,
        "utc_offset_seconds": 7200,
        "elapsed_seconds": 3000.0,
        "moving_seconds": 2950.0,
        "distance_m": distance,
        "laps": [lap],
        "file_sha256": "ab" * 32,
        "origin": "run.fit",
    }
    values.update(extra)
    return Activity(**values)  # type: ignore[arg-type]


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    with fresh_engine(request.param, tmp_path) as fresh:
        migrate(fresh)
        yield fresh


def test_an_activity_comes_back_as_it_went_in(engine: Engine) -> None:
    original = run(avg_heart_rate=148, device="Forerunner 935", ascent_m=55.0)
    with transaction(engine) as session:
        activity_store.add_activity(session, diary_store.person_id(session, "me"), original)
    with transaction(engine) as session:
        stored = activity_store.activities(session, diary_store.person_id(session, "me"))
    assert stored == [original]
    assert stored[0].local_start == dt.datetime(2026, 5, 3, 9, 30)


@pytest.mark.parametrize(
    ("shift_seconds", "distance", "duplicate"),
    [
        (0, 10_000.0, True),
        (59, 10_250.0, True),  # within a minute and 3%
        (61, 10_000.0, False),  # more than a minute apart
        (10, 10_400.0, False),  # more than 3% longer
    ],
)
def test_the_same_run_twice_is_a_duplicate(
    engine: Engine, shift_seconds: int, distance: float, duplicate: bool
) -> None:
    with transaction(engine) as session:
        me = diary_store.person_id(session, "me")
        activity_store.add_activity(session, me, run())
        again = run(START + dt.timedelta(seconds=shift_seconds), distance, source="gpx")
        assert (activity_store.find_duplicate(session, me, again) is not None) is duplicate


def test_a_treadmill_run_without_distance_matches_only_another_without(engine: Engine) -> None:
    with transaction(engine) as session:
        me = diary_store.person_id(session, "me")
        activity_store.add_activity(session, me, run(distance=None, has_gps=False))
        assert activity_store.find_duplicate(session, me, run(distance=None)) is not None
        assert activity_store.find_duplicate(session, me, run()) is None


def test_another_persons_runs_are_neither_listed_nor_duplicates(engine: Engine) -> None:
    with transaction(engine) as session:
        ana = diary_store.person_id(session, "ana")
        ben = diary_store.person_id(session, "ben")
        activity_store.add_activity(session, ana, run())
        assert activity_store.find_duplicate(session, ben, run()) is None
        assert activity_store.activities(session, ben) == []
