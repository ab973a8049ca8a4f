"""``piri log``: one day of the pain diary."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict

from piri.cli.output import EXIT_BAD_INPUT, stderr, stdout
from piri.domain.diary import DayEntry, DiaryError, check_day
from piri.domain.values import whole_number
from piri.services.diary import log_day


def run_log(entry: DayEntry, output: str) -> int:
    try:
        replaced = log_day(entry)
    except DiaryError as error:
        stderr().print(f"[bold red]Error:[/] {error}")
        return EXIT_BAD_INPUT
    if output == "json":
        document = {**asdict(entry), "day": entry.day.isoformat(), "updated": replaced}
        print(json.dumps(document, indent=2))
        return 0
    what = "Updated" if replaced else "Saved"
    stdout().print(
        f"{what} the diary for {entry.day:%A %d %B %Y}: pain now {entry.pain_now}/10, "
        f"worst today {entry.worst_pain}/10."
    )
    return 0


def parse_day(text: str | None) -> dt.date:
    """The day ``--date`` names; DiaryError names the field when it is not one the diary takes
    (checked before any question is asked, as the diary will check it again)."""
    today = dt.date.today()
    if text is None or text == "today":
        return today
    if text == "yesterday":
        return today - dt.timedelta(days=1)
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise DiaryError(
            f"date: '{text}' is not a date; use YYYY-MM-DD, today or yesterday"
        ) from None
    return check_day(day, today)


EXIT_STOPPED = 130


def ask_entry(day: dt.date, output: str) -> int:
    """Ask for each field in the terminal; without a terminal, say which options to give."""
    import sys

    if not sys.stdin.isatty():
        stderr().print(
            "[bold red]Error:[/] give at least --pain-now and --worst "
            "(or run 'piri log' in a terminal to be asked)."
        )
        return EXIT_BAD_INPUT
    console = stdout()
    console.print(f"[bold]Pain diary for {day:%A %d %B %Y}[/] (Enter skips an optional one)")
    try:
        pain_now = _ask_number("Pain right now, 0-10", 10, required=True)
        worst = _ask_number("Worst pain today, 0-10", 10, required=True)
        sitting = _ask_number("Pain when sitting, 0-10", 10)
        minutes = _ask_number("Minutes of sitting before the pain starts", 1440)
        running = _ask_number("Pain when running today, 0-10 (Enter if you did not run)", 10)
        tingling = console.input("Tingling in the leg today? y/n: ").strip().lower() == "y"
        notes = console.input("Notes: ").strip()
    except (EOFError, KeyboardInterrupt):
        console.print("\nNothing was saved.")
        return EXIT_STOPPED
    assert pain_now is not None and worst is not None
    entry = DayEntry(day, pain_now, worst, sitting, minutes, running, tingling, notes)
    return run_log(entry, output)


def _ask_number(prompt: str, maximum: int, required: bool = False) -> int | None:
    console = stdout()
    while True:
        typed = console.input(f"{prompt}: ").strip()
        if not typed and not required:
            return None
        number = whole_number(typed)
        if number is not None and 0 <= number <= maximum:
            return number
        console.print(f"[yellow]Type a whole number from 0 to {maximum}.[/]")
