"""``piri log``: one day of the pain diary."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict

from piri.cli.output import EXIT_BAD_INPUT, stderr, stdout
from piri.domain.diary import DayEntry, DiaryError
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
    if text is None or text == "today":
        return dt.date.today()
    if text == "yesterday":
        return dt.date.today() - dt.timedelta(days=1)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise DiaryError(
            f"date: '{text}' is not a date; use YYYY-MM-DD, today or yesterday"
        ) from None
