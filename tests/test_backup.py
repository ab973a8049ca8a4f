"""``piri backup`` / ``piri restore``: consistent copies under write load, refused bad files,
and the database being replaced always kept."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from pathlib import Path

import pytest

from piri.domain.diary import DayEntry
from piri.services import diary as diary_service
from piri.services.backup import BackupError, make_backup, restore_backup
from tests.conftest import PiriRunner
from tests.reliability import record

FIRST_DAY = dt.date(2024, 1, 1)
TODAY = dt.date(2026, 12, 1)


def log(day_number: int, person: str = diary_service.LOCAL_PERSON) -> None:
    day = FIRST_DAY + dt.timedelta(days=day_number)
    entry = DayEntry(day=day, pain_now=day_number % 11, worst_pain=day_number % 11)
    diary_service.log_day(entry, person, today=TODAY)


def days_in(path: Path) -> set[dt.date]:
    with sqlite3.connect(path) as connection:
        return {
            dt.date.fromisoformat(row[0])
            for row in connection.execute("SELECT day FROM diary_entry")
        }


def test_a_backup_taken_during_writes_is_whole_and_holds_every_acknowledged_write(
    home: Path, tmp_path: Path
) -> None:
    for number in range(50):
        log(number)
    acknowledged: list[int] = []
    stop = threading.Event()

    def writer() -> None:
        number = 50
        while not stop.is_set() and number < 900:
            log(number)
            acknowledged.append(number)
            number += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(acknowledged) < 20:  # the writer is well under way
            stop.wait(0.01)
        before = list(acknowledged)
        report = make_backup(tmp_path / "copy.db")
    finally:
        stop.set()
        thread.join()
    held = days_in(report.path)
    wanted = {FIRST_DAY + dt.timedelta(days=n) for n in [*range(50), *before]}
    assert wanted <= held  # every write acknowledged before the backup began is in it
    with sqlite3.connect(report.path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert report.facts.diary_days == len(held)
    assert not list(tmp_path.glob(".copy.db.partial-*"))
    # ... and restoring it brings back exactly what it held
    restore_backup(report.path)
    assert {entry.day for entry in diary_service.diary()} == held
    record(
        "online backup under write load, then restored",
        writes_acknowledged_before=len(before),
        writes_during=len(acknowledged) - len(before),
        days_in_backup=len(held),
        integrity="ok",
        lost=0,
    )


def test_restore_brings_the_backup_back_and_keeps_what_it_replaced(
    home: Path, tmp_path: Path
) -> None:
    for number in range(10):
        log(number)
    backup = make_backup(tmp_path / "ten-days.db").path
    for number in range(10, 30):
        log(number)
    report = restore_backup(backup, now=dt.datetime(2026, 12, 2, 8, 30))
    assert len(diary_service.diary()) == 10  # what this process reads now, through its pool
    assert report.kept.name == "piri-before-restore-20261202-083000.db"
    assert len(days_in(report.kept)) == 30  # the replaced database, whole
    log(40)  # the restored database takes writes
    assert len(diary_service.diary()) == 11


def test_a_backup_never_overwrites_a_file(home: Path, tmp_path: Path) -> None:
    log(1)
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me")
    with pytest.raises(BackupError, match="never overwrites"):
        make_backup(precious)
    assert precious.read_text() == "keep me"
    with pytest.raises(BackupError, match="does not exist"):
        make_backup(tmp_path / "no-such-folder" / "copy.db")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "not a SQLite database"),
        (b"hello, this is text", "not a SQLite database"),
        (None, "not one of Piri's"),
        ("truncated", "cannot be read|damaged"),
        ("future", "schema revision 9999"),
    ],
)
def test_restore_refuses_a_file_that_is_not_a_whole_piri_backup_and_changes_nothing(
    home: Path, tmp_path: Path, content: bytes | str | None, reason: str
) -> None:
    for number in range(5):
        log(number)
    bad = tmp_path / "bad.db"
    if content is None:  # a SQLite database of something else
        with sqlite3.connect(bad) as connection:
            connection.execute("CREATE TABLE recipes (name TEXT)")
    elif content == "truncated":
        whole = make_backup(tmp_path / "whole.db").path.read_bytes()
        bad.write_bytes(whole[: len(whole) // 2])
    elif content == "future":
        path = make_backup(tmp_path / "whole.db").path
        with sqlite3.connect(path) as connection:
            connection.execute("UPDATE alembic_version SET version_num = '9999'")
        bad = path
    else:
        assert isinstance(content, bytes)
        bad.write_bytes(content)
    with pytest.raises(BackupError, match=reason):
        restore_backup(bad)
    assert len(diary_service.diary()) == 5
    assert not list((home).glob("*before-restore*"))


def test_the_commands_back_up_and_restore_and_ask_before_replacing(
    piri: PiriRunner, tmp_path: Path
) -> None:
    assert piri("log", "--pain-now", "3", "--worst", "5").returncode == 0
    made = piri("backup", str(tmp_path / "piri-backup.db"))
    assert made.returncode == 0, made.stderr
    said = " ".join(made.stdout.split())
    assert "Backed up to" in said and "1 people, 1 diary days" in said
    again = piri("backup", str(tmp_path / "piri-backup.db"))
    assert again.returncode == 2 and "never overwrites" in " ".join(again.stderr.split())
    unconfirmed = piri("restore", str(tmp_path / "piri-backup.db"))
    assert unconfirmed.returncode == 2 and "--yes" in unconfirmed.stderr
    restored = piri("restore", str(tmp_path / "piri-backup.db"), "--yes")
    assert restored.returncode == 0, restored.stderr
    assert "before is kept in" in " ".join(restored.stdout.split())
    missing = piri("restore", str(tmp_path / "nothing.db"), "--yes")
    assert missing.returncode == 2 and "does not exist" in " ".join(missing.stderr.split())


def test_on_postgresql_the_commands_say_how_to_use_pg_dump(
    piri: PiriRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import os

    url = os.environ.get("PIRI_TEST_POSTGRES_URL", "").strip()
    if not url:
        pytest.skip("skipped: set PIRI_TEST_POSTGRES_URL (.ci/run sets it)")
    monkeypatch.setenv("PIRI_DATABASE_URL", url)
    result = piri("backup", str(tmp_path / "copy.db"))
    assert result.returncode == 2
    assert "pg_dump" in result.stderr and "pg_restore" in result.stderr
