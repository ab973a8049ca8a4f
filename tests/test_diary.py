"""A diary day is checked before it is stored: no future dates and none before the earliest,
scores 0-10, sane minutes, notes that can be stored."""

from __future__ import annotations

import datetime as dt

import pytest

from piri.domain.diary import DayEntry, DiaryError, check_day, check_entry
from piri.domain.values import EARLIEST_DAY

TODAY = dt.date(2026, 11, 25)


def test_a_plausible_day_passes() -> None:
    entry = DayEntry(TODAY, 3, 5, sitting_pain=4, sitting_minutes_before_pain=25, tingling=True)
    assert check_entry(entry, TODAY) == entry


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (DayEntry(TODAY + dt.timedelta(days=1), 3, 5), "date: 2026-11-26 is in the future"),
        (DayEntry(TODAY, -1, 5), "pain now: expected a whole number from 0 to 10, got -1"),
        (DayEntry(TODAY, 3, 11), "worst pain: expected a whole number from 0 to 10, got 11"),
        (DayEntry(TODAY, 3, 5, running_pain=12), "running pain: expected"),
        (DayEntry(TODAY, 6, 4), "worst pain: 4 is lower than pain now"),
        (DayEntry(TODAY, 3, 5, sitting_minutes_before_pain=2000), "sitting minutes: expected 0"),
        (
            DayEntry(dt.date(1, 1, 1), 3, 5),
            "date: 0001-01-01 is before 2000-01-01, the earliest date Piri keeps a record for",
        ),
        (DayEntry(dt.date(1999, 12, 31), 3, 5), "date: 1999-12-31 is before 2000-01-01"),
        (DayEntry(TODAY, 3, 5, notes="desk\x00day"), "notes: holds the control character U"),
    ],
)
def test_an_impossible_day_is_refused_naming_the_field(entry: DayEntry, message: str) -> None:
    with pytest.raises(DiaryError, match=message):
        check_entry(entry, TODAY)


def test_the_earliest_day_is_kept_and_the_day_before_it_is_refused() -> None:
    assert dt.date(2000, 1, 1) == EARLIEST_DAY
    assert check_entry(DayEntry(EARLIEST_DAY, 3, 5), TODAY).day == EARLIEST_DAY
    assert check_day(EARLIEST_DAY, TODAY) == EARLIEST_DAY
    assert check_day(TODAY, TODAY) == TODAY
    for wrong in (EARLIEST_DAY - dt.timedelta(days=1), dt.date.min):
        with pytest.raises(DiaryError, match=r"^date: .* is before 2000-01-01"):
            check_day(wrong, TODAY)
    with pytest.raises(DiaryError, match=r"^date: 9999-12-31 is in the future"):
        check_day(dt.date.max, TODAY)


def test_notes_keep_tabs_and_line_breaks() -> None:
    entry = DayEntry(TODAY, 3, 5, notes="long drive\n\tthen a meeting\r\n")
    assert check_entry(entry, TODAY) == entry
