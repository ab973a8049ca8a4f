"""A diary day is checked before it is stored: no future dates, scores 0-10, sane minutes."""

from __future__ import annotations

import datetime as dt

import pytest

from piri.domain.diary import DayEntry, DiaryError, check_entry

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
    ],
)
def test_an_impossible_day_is_refused_naming_the_field(entry: DayEntry, message: str) -> None:
    with pytest.raises(DiaryError, match=message):
        check_entry(entry, TODAY)
