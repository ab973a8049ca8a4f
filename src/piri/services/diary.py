"""The pain diary as every surface uses it: one person's entries, stored and read back."""

from __future__ import annotations

import datetime as dt
import threading

from sqlalchemy import Engine

from piri.domain.diary import DayEntry, check_entry
from piri.services.memo import kept
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


_OPENING = threading.Lock()


def _engine_for(url: str) -> Engine:
    found = _opened.get(url)
    if found is not None:
        return found
    # The first requests of a server come on several threads at once; Alembic's migration
    # context is global to the process, so only one thread opens (and migrates) at a time.
    with _OPENING:
        found = _opened.get(url)
        if found is None:
            found = make_engine(url)
            migrate(found)
            _opened[url] = found
    return found


_opened: dict[str, Engine] = {}


def log_day(entry: DayEntry, person: str = LOCAL_PERSON, today: dt.date | None = None) -> bool:
    """Check and store one day; True when it updated that day's earlier entry."""
    check_entry(entry, today or dt.date.today())
    with transaction(store()) as session:
        return diary_store.save_day(session, diary_store.person_id(session, person), entry)


def diary(person: str = LOCAL_PERSON, since: dt.date | None = None) -> list[DayEntry]:
    """The person's diary days, oldest first (a new list each call; the days are shared)."""
    return list(kept(store(), person, "diary", since, lambda: tuple(_diary(person, since))))


def _diary(person: str, since: dt.date | None) -> list[DayEntry]:
    with transaction(store()) as session:
        return diary_store.days(session, diary_store.person_id(session, person), since)


def close_engines() -> None:
    """Close every database this process opened (tests, and a server shutting down)."""
    with _OPENING:
        _opened.clear()


def diary_entry(day: dt.date, person: str = LOCAL_PERSON) -> DayEntry | None:
    """One day's entry, or None when that day has none."""
    found = [entry for entry in diary(person, since=day) if entry.day == day]
    return found[0] if found else None


def forget_day(day: dt.date, person: str = LOCAL_PERSON) -> bool:
    """Delete one day's entry; False when there was none."""
    from sqlalchemy import delete

    from piri.store.models import DiaryEntry

    with transaction(store()) as session:
        owner = diary_store.person_id(session, person)
        result = session.execute(
            delete(DiaryEntry).where(DiaryEntry.person_id == owner, DiaryEntry.day == day)
        )
        return bool(getattr(result, "rowcount", 0))


# The field each of check_entry's messages starts with, and the DayEntry attribute it names.
_MESSAGE_FIELDS = {
    "date": "day",
    "pain now": "pain_now",
    "worst pain": "worst_pain",
    "sitting pain": "sitting_pain",
    "running pain": "running_pain",
    "sitting minutes": "sitting_minutes_before_pain",
    "notes": "notes",
}


def entry_problems(entry: DayEntry, today: dt.date | None = None) -> dict[str, str]:
    """Every problem check_entry finds, by DayEntry attribute, in its own words.

    check_entry stops at the first problem; a form wants all of them at once. Each field
    found wrong is replaced by a value that passes and the entry is checked again.
    """
    import dataclasses
    from typing import Any

    from piri.domain.diary import DiaryError

    today = today or dt.date.today()
    problems: dict[str, str] = {}
    for _ in range(len(_MESSAGE_FIELDS) + 1):
        try:
            check_entry(entry, today)
        except DiaryError as error:
            message = str(error)
            field = _MESSAGE_FIELDS.get(message.split(":", 1)[0], "entry")
            if field in problems or field == "entry":
                problems.setdefault(field, message)
                break
            problems[field] = message
            passing: dict[str, Any] = {
                "day": today,
                "pain_now": 0,
                "worst_pain": entry.pain_now if 0 <= entry.pain_now <= 10 else 10,
                "sitting_pain": None,
                "running_pain": None,
                "sitting_minutes_before_pain": None,
                "notes": "",
            }
            entry = dataclasses.replace(entry, **{field: passing[field]})
        else:
            break
    return problems
