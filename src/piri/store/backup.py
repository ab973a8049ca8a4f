"""Consistent copies of a SQLite database, taken and put back while the app runs.

Both directions use SQLite's online backup API (``sqlite3.Connection.backup``): it copies the
database page by page inside a read transaction, so a copy taken while others write is the
database as it was at one moment, never half of a write. A copy is written to a temporary file
beside its destination and renamed into place only when whole, so an interrupted backup leaves
no file that looks like a backup.

PostgreSQL has its own tools (``pg_dump`` and ``pg_restore``); :data:`POSTGRES_GUIDANCE` says how.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

PAGES_PER_STEP = 1024  # copied per step: other connections may write between steps
SQLITE_HEADER = b"SQLite format 3\x00"

POSTGRES_GUIDANCE = (
    "This server keeps its data in PostgreSQL, which backs up with its own tools: "
    "'pg_dump --format=custom --file piri.dump \"$PIRI_DATABASE_URL\"' makes a consistent copy "
    'while Piri runs, and \'pg_restore --clean --if-exists --dbname "$PIRI_DATABASE_URL" '
    "piri.dump' puts it back (stop Piri first). docs/clinic-deployment.md has a nightly schedule."
)


class BackupFileError(ValueError):
    """A file that is not a usable Piri backup; the message says what is wrong with it."""


@dataclass(frozen=True)
class BackupFacts:
    """What a backup file holds, read before anything is restored from it."""

    revision: str  # the schema migration it is at
    people: int
    diary_days: int
    activities: int
    sessions: int


def sqlite_path(engine: Engine) -> Path:
    """The file behind a SQLite engine."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        raise ValueError("only a SQLite database in a file can be copied this way")
    return Path(database)


def copy_database(source: Path, target: Path) -> None:
    """Copy the SQLite database ``source`` to the new file ``target`` (online, consistent)."""
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    partial.unlink(missing_ok=True)
    try:
        with _open(source, read_only=True) as reading, _open(partial) as writing:
            reading.backup(writing, pages=PAGES_PER_STEP)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)


def overwrite_database(source: Path, live: Path) -> None:
    """Replace the contents of the live database ``live`` with those of ``source``, in one
    step as the other connections see it (they read the old or the new database, never a mix)."""
    with _open(source, read_only=True) as reading, _open(live) as writing:
        reading.backup(writing, pages=0)  # all pages in one step: one write transaction


def read_facts(path: Path, known_revisions: set[str]) -> BackupFacts:
    """What the backup ``path`` holds; refuses a file that is not a whole Piri database at a
    schema this version of Piri knows, naming the problem."""
    if not path.is_file():
        raise BackupFileError(f"{path} does not exist or is not a file")
    with path.open("rb") as start:
        if start.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise BackupFileError(f"{path} is not a SQLite database (not made by 'piri backup')")
    try:
        with _open(path, read_only=True) as connection:
            problems = [row[0] for row in connection.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                raise BackupFileError(
                    f"{path} is damaged: SQLite's integrity check says {problems[0]!r}"
                )
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
            if not {"alembic_version", "person", "diary_entry"} <= tables:
                raise BackupFileError(f"{path} is a SQLite database but not one of Piri's")
            revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            if revision is None or revision[0] not in known_revisions:
                found = revision[0] if revision else "none"
                raise BackupFileError(
                    f"{path} is at schema revision {found}, which this version of Piri does not "
                    "know: restore it with the Piri version that made it (or a newer one)"
                )

            def count(table: str) -> int:
                if table not in tables:
                    return 0
                found: int = connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
                return found

            return BackupFacts(
                revision=revision[0],
                people=count("person"),
                diary_days=count("diary_entry"),
                activities=count("activity"),
                sessions=count("session_record"),
            )
    except sqlite3.DatabaseError as problem:
        raise BackupFileError(f"{path} cannot be read as a database: {problem}") from None


def _open(path: Path, read_only: bool = False) -> closing[sqlite3.Connection]:
    """A plain sqlite3 connection, closed on leaving the block (sqlite3's own context manager
    only commits)."""
    uri = f"file:{path}?mode=ro" if read_only else f"file:{path}"
    return closing(sqlite3.connect(uri, uri=True, timeout=30))


def known_revisions(migrations: Path) -> set[str]:
    """Every schema revision this version of Piri can upgrade from."""
    from alembic.script import ScriptDirectory

    return {script.revision for script in ScriptDirectory(str(migrations)).walk_revisions()}
