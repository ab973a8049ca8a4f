"""Connecting to the database and bringing its schema up to date.

SQLite (the default) runs in WAL mode with foreign keys on and a busy timeout,
so a reader never blocks the writer; PostgreSQL is used as it comes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker

# Imported for its session events: every change gives its person a new data version.
from piri.store import versions as _versions  # noqa: F401

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 5000


# Connections kept open per process. A web worker answers from up to 40 threads (the
# thread pool FastAPI runs plain functions on); a connection opened past the pool is closed
# again after one use, and opening one costs more than the query it was opened for (the SQLite
# pragmas below, a PostgreSQL log-in). SQLite's are file handles, so it keeps one per thread;
# PostgreSQL keeps fewer, as several processes share one server's connection limit. Past the
# pool, as many again may open for a moment (a thread can hold two: its session and a version
# read).
SQLITE_POOL_SIZE = 40
POSTGRES_POOL_SIZE = 10
POSTGRES_MAX_OVERFLOW = 20


def make_engine(url: str) -> Engine:
    engine = create_engine(url, **_pool_options(make_url(url)))
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _pool_options(url: URL) -> dict[str, int]:
    if url.get_backend_name() == "sqlite":
        in_memory = url.database in (None, "", ":memory:")
        if in_memory:
            return {}
        return {"pool_size": SQLITE_POOL_SIZE, "max_overflow": SQLITE_POOL_SIZE}
    if url.get_backend_name() == "postgresql":
        return {"pool_size": POSTGRES_POOL_SIZE, "max_overflow": POSTGRES_MAX_OVERFLOW}
    return {}


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # With WAL, NORMAL still never corrupts the database; a power cut may lose the last commit.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


def migrate(engine: Engine) -> None:
    """Upgrade the schema to the newest migration (a no-op when it is already there)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """One unit of work: committed when the block ends, rolled back entirely if it raises."""
    with _SESSIONS(bind=engine) as session, session.begin():
        yield session


@contextmanager
def autocommitting(engine: Engine) -> Iterator[Session]:
    """A session whose every statement is its own transaction: no BEGIN and no COMMIT, two
    round trips fewer to PostgreSQL. For what every request does first (reading its sign-in,
    the caseload's links and its one-statement audit INSERT); each statement sees what was
    committed when it runs. Anything that must change several rows together uses
    :func:`transaction`."""
    with engine.connect() as connection:
        reader = connection.execution_options(isolation_level="AUTOCOMMIT")
        with _SESSIONS(bind=reader) as session:
            yield session


# One session factory for every engine (each transaction names its own): ``sessionmaker``
# makes a new Session subclass each time it is called, and the session events
# (piri.store.versions) were set up again for each, on every transaction of every request.
_SESSIONS = sessionmaker(expire_on_commit=False)
