"""A day of the pain diary, checked before it is stored."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from piri.domain.values import day_problem, text_problem

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


def check_day(day: dt.date, today: dt.date) -> dt.date:
    """Refuse a day after ``today`` or before ``EARLIEST_DAY`` (``piri.domain.values``),
    naming the field: "date: ..."."""
    problem = day_problem(day, today)
    if problem is not None:
        raise DiaryError(f"date: {problem}")
    return day


def check_entry(entry: DayEntry, today: dt.date) -> DayEntry:
    """Refuse a future date or one before ``EARLIEST_DAY``, a score outside 0-10 and minutes
    outside a day, naming the field."""
    check_day(entry.day, today)
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
    problem = text_problem(entry.notes)
    if problem is not None:
        raise DiaryError(f"notes: {problem}")
    return entry
