"""Storage on SQLite and PostgreSQL: migrations, the diary, one person's data kept apart."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError

from piri.domain.diary import DayEntry
from piri.store import diary as diary_store
from piri.store.database import migrate, transaction
from tests.store_backends import BACKENDS, fresh_engine

DAY = dt.date(2026, 11, 20)


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    with fresh_engine(request.param, tmp_path) as fresh:
        migrate(fresh)
        yield fresh


def test_migrating_an_empty_database_reaches_the_newest_schema_and_again_is_a_no_op(
    engine: Engine,
) -> None:
    tables = set(inspect(engine).get_table_names())
    assert {
        "person",
        "diary_entry",
        "profile",
        "session_record",
        "prescription",
        "outcome_score",
        "activity",
        "walk_run",
    } <= tables
    migrate(engine)
    with engine.connect() as connection:
        version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    assert version == newest_migration()


def newest_migration() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from piri.store.database import MIGRATIONS_DIR

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    with fresh_engine("sqlite", tmp_path) as sqlite, sqlite.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_the_same_day_twice_updates_it(engine: Engine) -> None:
    with transaction(engine) as session:
        me = diary_store.person_id(session, "me")
        assert not diary_store.save_day(session, me, DayEntry(DAY, 3, 5))
        assert diary_store.save_day(session, me, DayEntry(DAY, 2, 4, notes="easier"))
    with transaction(engine) as session:
        days = diary_store.days(session, diary_store.person_id(session, "me"))
    assert days == [DayEntry(DAY, 2, 4, notes="easier")]


def test_one_persons_diary_never_shows_another_persons(engine: Engine) -> None:
    with transaction(engine) as session:
        ana = diary_store.person_id(session, "ana")
        ben = diary_store.person_id(session, "ben")
        diary_store.save_day(session, ana, DayEntry(DAY, 7, 8))
        diary_store.save_day(session, ben, DayEntry(DAY, 1, 2))
    with transaction(engine) as session:
        assert [d.pain_now for d in diary_store.days(session, ana)] == [7]
        assert [d.pain_now for d in diary_store.days(session, ben)] == [1]
        assert diary_store.days(session, diary_store.person_id(session, "cleo")) == []


def test_a_crash_while_saving_leaves_nothing_half_written(engine: Engine) -> None:
    with pytest.raises(RuntimeError), transaction(engine) as session:
        me = diary_store.person_id(session, "me")
        diary_store.save_day(session, me, DayEntry(DAY, 3, 5))
        raise RuntimeError("the power went off")
    with transaction(engine) as session:
        assert diary_store.days(session, diary_store.person_id(session, "me")) == []


def test_the_database_itself_refuses_a_score_above_ten(engine: Engine) -> None:
    with pytest.raises(IntegrityError), transaction(engine) as session:
        me = diary_store.person_id(session, "me")
        diary_store.save_day(session, me, DayEntry(DAY, 11, 11))


def test_forgetting_a_person_deletes_their_rows_and_nobody_elses(engine: Engine) -> None:
    with transaction(engine) as session:
        ana = diary_store.person_id(session, "ana")
        ben = diary_store.person_id(session, "ben")
        diary_store.save_day(session, ana, DayEntry(DAY, 7, 8))
        diary_store.save_day(session, ben, DayEntry(DAY, 1, 2))
    with transaction(engine) as session:
        assert diary_store.forget_person(session, "ana")
        assert not diary_store.forget_person(session, "nobody")
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT person_id FROM diary_entry")).scalars().all()
    assert rows == [ben]


def test_the_walk_run_migration_keeps_the_data_of_0005_and_adds_the_table(tmp_path: Path) -> None:
    from alembic import command
    from alembic.config import Config

    from piri.store import return_to_run as run_store
    from piri.store.database import MIGRATIONS_DIR, make_engine
    from piri.store.models import WalkRunRecord

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0005")
        assert "walk_run" not in inspect(connection).get_table_names()
        connection.exec_driver_sql(
            "INSERT INTO person (name, data_version) VALUES ('ann', '" + "a" * 32 + "')"
        )
        connection.exec_driver_sql(
            "INSERT INTO diary_entry (person_id, day, pain_now, worst_pain, tingling, notes) "
            "VALUES (1, '2026-11-20', 2, 4, 0, 'before the upgrade')"
        )
    migrate(engine)
    assert "walk_run" in inspect(engine).get_table_names()
    with transaction(engine) as session:
        ann = diary_store.person_id(session, "ann")
        assert [d.notes for d in diary_store.days(session, ann)] == ["before the upgrade"]
        run_store.save_walk_run(
            session,
            ann,
            WalkRunRecord(
                day=DAY,
                step="run-1-walk-9",
                planned_minutes=30,
                pain_during=2,
                pain_after=1,
                pain_built=False,
                limp=False,
                finished=True,
            ),
        )
    with transaction(engine) as session:
        [row] = run_store.walk_runs(session, diary_store.person_id(session, "ann"))
        assert (row.day, row.step, row.notes, row.pain_next_morning) == (
            DAY,
            "run-1-walk-9",
            "",
            None,
        )
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO walk_run (person_id, day, step, planned_minutes, pain_during,"
            " pain_after, pain_built, limp, finished, notes)"
            " VALUES (1, '2026-11-21', 'x', 30, 11, 0, 0, 0, 1, '')"
        )
    engine.dispose()


def test_one_walk_run_a_day_replaces_the_earlier_one(engine: Engine) -> None:
    from piri.store import return_to_run as run_store
    from piri.store.models import WalkRunRecord

    def record(pain: int) -> WalkRunRecord:  # the flags and notes left to their defaults
        return WalkRunRecord(
            day=DAY, step="run-1-walk-9", planned_minutes=30, pain_during=pain, pain_after=pain
        )

    with transaction(engine) as session:
        ana = diary_store.person_id(session, "ana")
        ben = diary_store.person_id(session, "ben")
        first = run_store.save_walk_run(session, ana, record(2))
        again = run_store.save_walk_run(session, ana, record(3))
        run_store.save_walk_run(session, ben, record(7))
        assert again.id == first.id
    with transaction(engine) as session:
        [kept] = run_store.walk_runs(session, ana)
        assert (kept.pain_during, kept.notes, kept.finished, kept.limp) == (3, "", True, False)
        assert [r.pain_during for r in run_store.walk_runs(session, ben)] == [7]
        assert run_store.walk_run_on(session, ana, DAY + dt.timedelta(days=1)) is None
        assert diary_store.forget_person(session, "ana")
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT person_id FROM walk_run")).scalars().all()
    assert rows == [ben]


def test_the_first_requests_on_many_threads_open_and_migrate_the_database_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server's first requests arrive together; Alembic's context is global to the
    process, so opening the database from several threads at once must not break it."""
    import threading

    from piri.services import diary as diary_service

    monkeypatch.setenv("PIRI_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("PIRI_DATABASE_URL", raising=False)
    diary_service.close_engines()
    found: list[object] = []
    problems: list[BaseException] = []
    start = threading.Barrier(8)

    def open_it() -> None:
        start.wait()
        try:
            found.append(diary_service.store())
        except BaseException as error:
            problems.append(error)

    threads = [threading.Thread(target=open_it) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    diary_service.close_engines()
    assert problems == []
    assert len(found) == 8 and len({id(engine) for engine in found}) == 1


def test_pages_opening_the_same_ladder_at_once_never_fail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading the week opens the strength ladders and stores their starting doses: several
    requests at once all get the week, and each ladder is stored once."""
    import threading

    from piri.content.models import Phase
    from piri.services import diary as diary_service
    from piri.services import program as coach
    from piri.store import program as program_store

    monkeypatch.setenv("PIRI_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("PIRI_DATABASE_URL", raising=False)
    diary_service.close_engines()
    today = dt.date(2026, 3, 2)
    coach.update_profile(equipment=["chair", "mini_band", "step"], today=today)
    with transaction(diary_service.store()) as session:
        owner = diary_store.person_id(session, diary_service.LOCAL_PERSON)
        program_store.save_phase(session, owner, Phase.STRENGTHEN, today - dt.timedelta(weeks=5))
    problems: list[BaseException] = []
    weeks: list[object] = []
    start = threading.Barrier(6)

    def read_week() -> None:
        start.wait()
        try:
            weeks.append(coach._this_week(diary_service.LOCAL_PERSON, today))
        except BaseException as error:
            problems.append(error)

    threads = [threading.Thread(target=read_week) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    with transaction(diary_service.store()) as session:
        stored = program_store.prescriptions(session, owner)
    diary_service.close_engines()
    assert problems == []
    assert len(weeks) == 6
    assert len(stored) >= 3  # every open ladder, once each (the slot is unique)
