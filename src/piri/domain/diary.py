"""A day of the pain diary, checked before it is stored."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

MINUTES_IN_A_DAY = 24 * 60


class DiaryError(ValueError):
    """A diary entry that cannot be true; the message names the field."""


@dataclass(frozen=True)
class DayEntry:
    day: dt.date
    pain_now: int
    worst_pain: int
    sitting_pain: int | None = None
    sitting_minutes_before_pain: int | None = None
    running_pain: int | None = None  # None on a day without running
    tingling: bool = False
    notes: str = ""


def check_entry(entry: DayEntry, today: dt.date) -> DayEntry:
    """Refuse a future date, a score outside 0-10 and minutes outside a day, naming the field."""
    if entry.day > today:
        raise DiaryError(f"date: {entry.day.isoformat()} is in the future (today is {today})")
    for name in ("pain_now", "worst_pain", "sitting_pain", "running_pain"):
        value = getattr(entry, name)
        if value is None and name in ("sitting_pain", "running_pain"):
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
            raise DiaryError(
                f"{name.replace('_', ' ')}: expected a whole number from 0 to 10, got {value!r}"
            )
    if entry.worst_pain < entry.pain_now:
        raise DiaryError(
            f"worst pain: {entry.worst_pain} is lower than pain now ({entry.pain_now}); "
            "the worst of the day is at least the pain now"
        )
    minutes = entry.sitting_minutes_before_pain
    if minutes is not None and not 0 <= minutes <= MINUTES_IN_A_DAY:
        raise DiaryError(
            f"sitting minutes: expected 0 to {MINUTES_IN_A_DAY} minutes, got {minutes!r}"
        )
    if len(entry.notes) > 2000:
        raise DiaryError("notes: keep them under 2000 characters")
    return entry
