"""``piri calendar FILE.ics``: the plan's sessions and runs as a calendar file to import."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from piri.cli.output import EXIT_BAD_INPUT, stderr, stdout
from piri.domain.calendar_plan import REMINDER_MINUTES, CalendarInputError
from piri.services.calendar import (
    BuiltCalendar,
    CalendarWriteError,
    NoProfileError,
    build_calendar,
    options_from,
    write_calendar,
)

STDOUT = Path("-")


def run_calendar(
    path: Path, weeks: int, exercise_time: str | None = None, run_time: str | None = None
) -> int:
    try:
        options = options_from(weeks, exercise_time, run_time)
        if path == STDOUT:
            built = build_calendar(options=options)
            sys.stdout.buffer.write(built.ical)
            sys.stdout.flush()
            return 0
        built = write_calendar(path, options=options)
    except (CalendarInputError, CalendarWriteError) as error:
        stderr().print(f"[bold red]Error:[/] {error}")
        return EXIT_BAD_INPUT
    except NoProfileError as error:
        stderr().print(str(error))
        return EXIT_BAD_INPUT
    _print_summary(path, built)
    return 0


def _day(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%B %Y}"


def _print_summary(path: Path, built: BuiltCalendar) -> None:
    console = stdout()
    if built.hold is not None:
        console.print(
            f"[bold red]Wrote {path}: no sessions, because your latest symptom check holds "
            "them until a professional has seen you.[/] It holds one all-day note that says "
            "why, today."
        )
        console.print(f"{built.hold.action} {built.hold.what_it_means}")
    else:
        sessions = sum(item.kind == "exercise" for item in built.events)
        runs = sum(item.kind == "run" for item in built.events)
        what = f"{sessions} exercise session{'s' if sessions != 1 else ''}"
        if runs:
            what += f" and {runs} run{'s' if runs != 1 else ''}"
        span = (
            f"from {_day(built.first_day)} to {_day(built.last_day)}"
            if built.first_day and built.last_day
            else f"none between {_day(built.start)} and {_day(built.end)}"
        )
        count = len(built.events)
        console.print(
            f"Wrote {count} event{'s' if count != 1 else ''} to {path}: {what}, {span}, "
            f"each with a reminder {REMINDER_MINUTES} minutes before."
        )
    for note in built.notes:
        console.print(note)
    if built.cancelled:
        console.print(
            f"It also cancels {built.cancelled} event{'s' if built.cancelled != 1 else ''} "
            "an earlier export wrote for days no longer in your plan."
        )
    console.print(
        "[dim]Import it into your calendar app; importing it again later updates the same "
        "events (the doses change with your pain reports).[/]"
    )
