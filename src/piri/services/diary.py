"""The pain diary as every surface uses it: one person's entries, stored and read back."""

from __future__ import annotations

import datetime as dt
from functools import cache

from sqlalchemy import Engine

from piri.domain.diary import DayEntry, check_entry
from piri.settings import database_url
from piri.store import diary as diary_store
from piri.store.database import make_engine, migrate, transaction

# On one's own machine there is one person; a shared server names them (a later issue).
LOCAL_PERSON = "me"


def store(url: str | None = None) -> Engine:
    """The database (``PIRI_DATABASE_URL`` or SQLite in ``PIRI_HOME``), migrated on first use.

    Looked up by its URL on every call, so a test or server that points ``PIRI_HOME``
    elsewhere gets its own database, while each database is opened once per process.
    """
    return _engine_for(url or database_url())


@cache
def _engine_for(url: str) -> Engine:
    engine = make_engine(url)
    migrate(engine)
    return engine


def log_day(entry: DayEntry, person: str = LOCAL_PERSON, today: dt.date | None = None) -> bool:
    """Check and store one day; True when it updated that day's earlier entry."""
    check_entry(entry, today or dt.date.today())
    with transaction(store()) as session:
        return diary_store.save_day(session, diary_store.person_id(session, person), entry)


def diary(person: str = LOCAL_PERSON, since: dt.date | None = None) -> list[DayEntry]:
    with transaction(store()) as session:
        return diary_store.days(session, diary_store.person_id(session, person), since)


def close_engines() -> None:
    """Close every database this process opened (tests, and a server shutting down)."""
    _engine_for.cache_clear()
