"""Each person's data version changes with any of their data, and only theirs; answers kept
in memory (piri.services.memo) are computed again as soon as it changes, whoever changed it.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, select, update
from sqlalchemy.orm import Session

from piri.domain.diary import DayEntry
from piri.services import memo
from piri.services import progress as progress_service
from piri.services.diary import diary, log_day
from piri.store import accounts as account_store
from piri.store import diary as diary_store
from piri.store.database import make_engine, migrate, transaction
from piri.store.models import DiaryEntry, Person
from piri.store.versions import data_version, one_read_per_request
from tests.store_backends import BACKENDS, fresh_engine

DAY = dt.date(2026, 11, 20)
NOW = dt.datetime(2026, 11, 21, 8, 0, tzinfo=dt.UTC)


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    with fresh_engine(request.param, tmp_path) as fresh:
        migrate(fresh)
        yield fresh


def version(engine: Engine, name: str) -> str | None:
    return data_version(engine, name)


def write(engine: Engine, change: object) -> None:
    with transaction(engine) as session:
        owner = diary_store.person_id(session, "me")
        change(session, owner)  # type: ignore[operator]


def test_every_kind_of_change_to_a_persons_rows_gives_a_new_version(engine: Engine) -> None:
    write(engine, lambda session, owner: None)
    seen = [version(engine, "me")]
    assert seen[0] and len(seen[0]) == 32

    def add(session: Session, owner: int) -> None:
        diary_store.save_day(session, owner, DayEntry(DAY, 2, 5))

    def change(session: Session, owner: int) -> None:
        diary_store.save_day(session, owner, DayEntry(DAY, 2, 7))

    def remove(session: Session, owner: int) -> None:
        row = session.scalar(select(DiaryEntry).where(DiaryEntry.person_id == owner))
        session.delete(row)

    def remove_in_bulk(session: Session, owner: int) -> None:
        session.execute(delete(DiaryEntry).where(DiaryEntry.person_id == owner))

    for step in (add, change, remove, add, remove_in_bulk):
        write(engine, step)
        seen.append(version(engine, "me"))
    assert len(set(seen)) == len(seen), seen


def test_reading_or_saving_the_same_values_keeps_the_version(engine: Engine) -> None:
    write(engine, lambda s, owner: diary_store.save_day(s, owner, DayEntry(DAY, 2, 5)))
    before = version(engine, "me")
    write(engine, lambda s, owner: diary_store.days(s, owner))
    write(engine, lambda s, owner: diary_store.save_day(s, owner, DayEntry(DAY, 2, 5)))
    assert version(engine, "me") == before


def test_one_persons_change_leaves_everyone_elses_version(engine: Engine) -> None:
    with transaction(engine) as session:
        diary_store.person_id(session, "someone else")
    theirs = version(engine, "someone else")
    write(engine, lambda s, owner: diary_store.save_day(s, owner, DayEntry(DAY, 2, 5)))
    assert version(engine, "someone else") == theirs


def test_signing_in_does_not_change_the_version(engine: Engine) -> None:
    with transaction(engine) as session:
        account = account_store.add_account(session, "Runner", "hash", "runner", NOW)
    before = version(engine, "runner")
    with transaction(engine) as session:
        account = account_store.account_by_username(session, "runner")  # type: ignore[assignment]
        login = account_store.add_login_session(session, account, "a" * 64, NOW, NOW)
        login.last_seen = NOW + dt.timedelta(minutes=5)
        account_store.add_api_token(session, account, "script", "b" * 64, NOW)
        account_store.end_expired_sessions(session, NOW + dt.timedelta(days=1))
    assert version(engine, "runner") == before


def test_a_person_made_again_after_forgetting_gets_a_version_never_seen(engine: Engine) -> None:
    write(engine, lambda s, owner: diary_store.save_day(s, owner, DayEntry(DAY, 2, 5)))
    old = version(engine, "me")
    with transaction(engine) as session:
        assert diary_store.forget_person(session, "me")
    assert version(engine, "me") is None
    write(engine, lambda session, owner: None)
    assert version(engine, "me") not in (None, old)


def test_the_migration_gives_every_existing_person_their_own_version(tmp_path: Path) -> None:
    from alembic import command
    from alembic.config import Config

    from piri.store.database import MIGRATIONS_DIR

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0004")
        connection.exec_driver_sql("INSERT INTO person (name) VALUES ('ann'), ('bob')")
    migrate(engine)
    with transaction(engine) as session:
        versions = list(session.scalars(select(Person.data_version)))
    assert len(versions) == 2 and len(set(versions)) == 2 and all(len(v) == 32 for v in versions)
    engine.dispose()


def test_within_one_page_a_version_is_read_once_and_a_change_forgets_it(
    engine: Engine,
) -> None:
    write(engine, lambda session, owner: None)
    with one_read_per_request():
        first = version(engine, "me")
        with engine.begin() as connection:  # a change this page did not make itself
            connection.execute(update(Person).values(data_version="f" * 32))
        assert version(engine, "me") == first  # read once for the whole page
        write(engine, lambda s, owner: diary_store.save_day(s, owner, DayEntry(DAY, 2, 5)))
        after_own_change = version(engine, "me")
        assert after_own_change not in (first, "f" * 32)
    assert version(engine, "me") == after_own_change  # outside a page: read every time


# --- Kept answers -------------------------------------------------------------------------


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "home"
    monkeypatch.setenv("PIRI_HOME", str(folder))
    monkeypatch.delenv("PIRI_DATABASE_URL", raising=False)
    return folder


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names the person each time progress_detail really computes (not from memory)."""
    calls: list[str] = []
    real = progress_service._progress_detail

    def counting(person: str, today: dt.date) -> progress_service.ProgressDetail:
        calls.append(person)
        return real(person, today)

    monkeypatch.setattr(progress_service, "_progress_detail", counting)
    return calls


def test_an_answer_is_computed_once_until_the_persons_data_changes(
    home: Path, computed: list[str]
) -> None:
    log_day(DayEntry(DAY, 2, 6), today=DAY)
    first = progress_service.progress_detail(today=DAY)
    assert progress_service.progress_detail(today=DAY) is first
    assert computed == ["me"]
    log_day(DayEntry(DAY, 1, 3), today=DAY)
    second = progress_service.progress_detail(today=DAY)
    assert computed == ["me", "me"]
    assert second.progress.series[0].values[-1] == 3.0
    # Another day is another answer; someone else's change leaves mine kept.
    progress_service.progress_detail(today=DAY + dt.timedelta(days=1))
    log_day(DayEntry(DAY, 1, 9), person="other", today=DAY)
    progress_service.progress_detail(today=DAY)
    assert computed == ["me", "me", "me"]


def test_a_change_made_by_another_process_is_seen_on_the_next_call(home: Path) -> None:
    today = dt.date.today()
    log_day(DayEntry(today, 2, 6))
    assert [d.worst_pain for d in diary()] == [6]
    env = {**os.environ, "PIRI_HOME": str(home)}
    subprocess.run(
        [sys.executable, "-m", "piri", "log", "--pain-now", "1", "--worst", "4"],
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )
    assert [d.worst_pain for d in diary()] == [4]


def test_the_memory_is_bounded(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memo._kept, "size", 3)
    memo.forget_all()
    for n in range(5):
        log_day(DayEntry(DAY, 1, 2), person=f"runner{n}", today=DAY)
        diary(person=f"runner{n}")
    assert len(memo._kept) == 3
