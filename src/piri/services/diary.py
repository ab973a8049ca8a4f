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


@cache
def store(url: str | None = None) -> Engine:
    """The database, migrated to the newest schema on first use in this process."""
    engine = make_engine(url or database_url())
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
