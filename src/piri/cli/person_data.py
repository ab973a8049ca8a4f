"""``piri export``, ``piri import-data`` and ``piri forget``."""

from __future__ import annotations

from pathlib import Path

from piri.cli.output import EXIT_BAD_INPUT, stderr, stdout
from piri.services.person_data import PersonDataError, forget, import_file, write_export


def run_export(path: Path) -> int:
    try:
        count = write_export(path)
    except PersonDataError as error:
        stderr().print(f"[bold red]Error:[/] {error}")
        return EXIT_BAD_INPUT
    stdout().print(f"Wrote everything Piri stores about you to {path} ({count} diary days).")
    return 0


def run_import(path: Path) -> int:
    try:
        count = import_file(path)
    except PersonDataError as error:
        stderr().print(f"[bold red]Error:[/] {error}")
        return EXIT_BAD_INPUT
    stdout().print(f"Restored {count} diary days from {path}.")
    return 0


def run_forget(confirmed: bool) -> int:
    if not confirmed:
        stderr().print(
            "[bold red]Error:[/] this deletes everything Piri stores about you and cannot be "
            "undone. Run 'piri export FILE' first to keep a copy, then 'piri forget --yes'."
        )
        return EXIT_BAD_INPUT
    existed = forget()
    stdout().print(
        "Deleted everything Piri stored about you." if existed else "Nothing was stored."
    )
    return 0
