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
