"""``piri backup`` and ``piri restore``."""

from __future__ import annotations

from pathlib import Path

from piri.cli.output import EXIT_BAD_INPUT, stderr, stdout
from piri.services.backup import BackupError, make_backup, restore_backup
from piri.store.backup import BackupFacts


def _holds(facts: BackupFacts) -> str:
    return (
        f"{facts.people} people, {facts.diary_days} diary days, {facts.sessions} sessions, "
        f"{facts.activities} activities; schema {facts.revision}"
    )


def run_backup(path: Path) -> int:
    try:
        report = make_backup(path)
    except BackupError as error:
        stderr().print(f"[bold red]Error:[/] {error}")
        return EXIT_BAD_INPUT
    size = report.size_bytes / 1_000_000
    stdout().print(f"Backed up to {report.path} ({size:.1f} MB): {_holds(report.facts)}.")
    return 0


def run_restore(path: Path, confirmed: bool) -> int:
    if not confirmed:
        stderr().print(
            "[bold red]Error:[/] restoring replaces everything stored now with the backup. "
            "The current database is kept beside it first; run 'piri restore FILE --yes'."
        )
        return EXIT_BAD_INPUT
    try:
        report = restore_backup(path)
    except BackupError as error:
        stderr().print(f"[bold red]Error:[/] {error}")
        return EXIT_BAD_INPUT
    stdout().print(f"Restored {report.path}: {_holds(report.facts)}.")
    stdout().print(f"The database as it was before is kept in {report.kept}.")
    return 0
