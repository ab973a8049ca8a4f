"""Every migration upgrades a database at every earlier schema revision with data in it.

For each revision, a fresh database is brought to that revision, every table it has gets a
row (values made from each column's type, people and accounts first so the foreign keys
hold), and then it is upgraded to the newest revision: every row must still be there with the
values it had, and the upgraded database must take Piri's own writes. On SQLite always and on
PostgreSQL when PIRI_TEST_POSTGRES_URL is set.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import (
    JSON,
    Boolean,
    Connection,
    Date,
    DateTime,
    Engine,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    select,
)

from piri.domain.diary import DayEntry
from piri.store import diary as diary_store
from piri.store.backup import known_revisions
from piri.store.database import MIGRATIONS_DIR, migrate, transaction
from tests.reliability import record
from tests.store_backends import BACKENDS, fresh_engine

REVISIONS = sorted(known_revisions(MIGRATIONS_DIR))
OLDER = REVISIONS[:-1]
DAY = dt.date(2026, 11, 20)
MOMENT = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.UTC)


def _upgrade(engine: Engine, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def _value(table: Table, column: Any, ids: dict[str, int]) -> Any:
    for key in column.foreign_keys:
        return ids[key.column.table.name]
    kind = column.type
    if isinstance(kind, Boolean):
        return False
    if isinstance(kind, DateTime):
        return MOMENT
    if isinstance(kind, Date):
        return DAY
    if isinstance(kind, JSON):
        return []
    if isinstance(kind, Integer):
        return 3  # inside every 0-10 pain range
    if isinstance(kind, Float):
        return 2.5
    if isinstance(kind, String | Text):
        length = getattr(kind, "length", None) or 40
        return f"{table.name}-{column.name}"[:length]
    raise AssertionError(f"no test value for {table.name}.{column.name} ({kind!r})")


def _fill(connection: Connection) -> dict[str, dict[str, Any]]:
    """One row in every table of the current schema; returns what went in, by table."""
    tables = MetaData()
    tables.reflect(connection)
    ids: dict[str, int] = {}
    written: dict[str, dict[str, Any]] = {}
    for table in tables.sorted_tables:
        if table.name == "alembic_version":
            continue
        values = {
            column.name: _value(table, column, ids)
            for column in table.columns
            if not column.primary_key
        }
        result = connection.execute(table.insert().values(**values))
        ids[table.name] = result.inserted_primary_key[0]
        written[table.name] = values
    return written


def _normal(value: Any) -> Any:
    if isinstance(value, dt.datetime):  # SQLite gives times back without their zone
        return value.replace(tzinfo=None) if value.tzinfo else value
    return value


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("revision", OLDER)
def test_upgrading_from_each_earlier_revision_keeps_every_row(
    backend: str, revision: str, tmp_path: Path
) -> None:
    engine: Engine
    with fresh_engine(backend, tmp_path) as engine:
        _upgrade(engine, revision)
        with engine.begin() as connection:
            written = _fill(connection)
        migrate(engine)
        tables = MetaData()
        tables.reflect(engine)
        with engine.connect() as connection:
            assert (
                connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
                == (REVISIONS[-1])
            )
            for name, values in written.items():
                rows = connection.execute(select(tables.tables[name])).mappings().all()
                assert len(rows) == 1, f"{name}: {len(rows)} rows after the upgrade"
                for column, value in values.items():
                    assert _normal(rows[0][column]) == _normal(value), f"{name}.{column}"
        with transaction(engine) as session:  # the upgraded database takes Piri's writes
            owner = diary_store.person_id(session, "after-upgrade")
            diary_store.save_day(session, owner, DayEntry(DAY, 2, 4, notes="after"))
        with transaction(engine) as session:
            owner = diary_store.person_id(session, "after-upgrade")
            assert [d.notes for d in diary_store.days(session, owner)] == ["after"]
    record(
        "upgrade from an earlier schema with data",
        revision=revision,
        to=REVISIONS[-1],
        backend=backend,
        tables_with_data=len(written),
        rows_lost=0,
    )


def test_every_revision_is_tested() -> None:
    assert len(REVISIONS) >= 8 and REVISIONS[:-1] == OLDER
