"""``piri backup`` and ``piri restore``: a whole database copied out and put back.

A backup is the SQLite database file itself, copied consistently while the app runs. Restoring
checks the file first (a whole SQLite database, Piri's tables, a schema this version knows),
then keeps a copy of the database as it is now beside it, then puts the backup in its place
and brings its schema up to date. Nothing stored is lost: the database being replaced is
always kept. PostgreSQL servers use ``pg_dump``; both commands say how.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from piri.services.diary import store
from piri.services.memo import forget_all
from piri.store.backup import (
    POSTGRES_GUIDANCE,
    BackupFacts,
    BackupFileError,
    copy_database,
    known_revisions,
    overwrite_database,
    read_facts,
    sqlite_path,
)
from piri.store.database import MIGRATIONS_DIR, migrate


class BackupError(ValueError):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class BackupReport:
    path: Path
    size_bytes: int
    facts: BackupFacts


@dataclass(frozen=True)
class RestoreReport:
    path: Path
    facts: BackupFacts
    kept: Path  # the database as it was before the restore


def _sqlite_file() -> Path:
    engine = store()
    if engine.dialect.name != "sqlite":
        raise BackupError(POSTGRES_GUIDANCE)
    return sqlite_path(engine)


def make_backup(target: Path) -> BackupReport:
    """Copy the database to the new file ``target``; never overwrites a file."""
    live = _sqlite_file()
    target = target.expanduser()
    if target.exists():
        raise BackupError(
            f"{target} exists already: a backup never overwrites a file, so "
            "choose a new name (for example with today's date in it)"
        )
    if not target.parent.is_dir():
        raise BackupError(f"the folder {target.parent} does not exist")
    if target.resolve() == live.resolve():
        raise BackupError(f"{target} is the database itself: choose another file")
    copy_database(live, target)
    try:
        facts = read_facts(target, known_revisions(MIGRATIONS_DIR))
    except BackupFileError as problem:  # the copy itself is wrong: do not leave it as a backup
        target.unlink(missing_ok=True)
        raise BackupError(f"the copy failed its check and was removed: {problem}") from None
    return BackupReport(target, target.stat().st_size, facts)


def restore_backup(source: Path, now: dt.datetime | None = None) -> RestoreReport:
    """Replace the database with the backup ``source``, keeping the current one beside it."""
    live = _sqlite_file()
    source = source.expanduser()
    try:
        facts = read_facts(source, known_revisions(MIGRATIONS_DIR))
    except BackupFileError as problem:
        raise BackupError(f"nothing was changed: {problem}") from None
    if source.resolve() == live.resolve():
        raise BackupError(f"{source} is the database itself: nothing to restore")
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    kept = live.with_name(f"{live.stem}-before-restore-{stamp}{live.suffix}")
    copy_database(live, kept)
    overwrite_database(source, live)
    migrate(store())  # a backup made by an older Piri gets this version's schema
    forget_all()
    return RestoreReport(source, facts, kept)
