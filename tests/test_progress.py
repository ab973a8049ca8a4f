"""Progress domain at its boundaries: the pain thresholds, gaps, empty and one-week data."""

from __future__ import annotations

import datetime as dt

import pytest

from piri.domain.diary import DayEntry
from piri.domain.trends import (
    SPARKS,
    WeeklySeries,
    adherence,
    diary_points,
    monday,
    sparkline,
    summary,
    week_range,
    weekly_mean,
)

MONDAY = dt.date(2026, 11, 2)
WEEKS = week_range(MONDAY, MONDAY + dt.timedelta(days=27))


def series(*values: float | None) -> WeeklySeries:
    return WeeklySeries("x", WEEKS[: len(values)], list(values))


def first_line(*worst: float | None) -> str:
    return summary(series(*worst), series(), [])[0]


@pytest.mark.parametrize(
    ("worst", "verdict"),
    [
        ((6, 4), "that is a real change"),  # exactly 2 points
        ((10, 8.5), "not a real change yet"),  # 1.5 points, 15%
        ((3, 2), "that is a real change"),  # 1 point but 33% of the start
        ((4, 3), "not a real change yet"),  # 1 point, 25%
        ((5, 7), "that is a real change"),  # worse by 2 points
    ],
)
def test_a_pain_change_is_real_at_2_points_or_30_percent(
    worst: tuple[float, float], verdict: str
) -> None:
    assert first_line(*worst).endswith(f"{verdict}.")


def test_weeks_with_no_diary_are_skipped_and_the_span_counts_from_first_to_last() -> None:
    assert first_line(6, None, None, 3) == (
        "Your worst pain fell from 6 to 3 over 3 weeks: that is a real change."
    )


def test_pain_that_did_not_move_says_so() -> None:
    assert first_line(5, 5) == "Your worst pain stayed at 5 over 1 week."


@pytest.mark.parametrize("worst", [(), (5,), (None, 4, None)])
def test_with_fewer_than_two_weeks_of_diary_it_asks_for_more(worst: tuple[float | None]) -> None:
    assert first_line(*worst).startswith("Keep the diary for two weeks or more")


def test_with_nothing_stored_there_are_no_weeks_and_nothing_breaks() -> None:
    empty = weekly_mean("pain", [], [])
    assert empty.values == []
    assert adherence([], [], 4).values == []
    assert sparkline(empty.values) == ""
    assert summary(empty, empty, []) == [
        "Keep the diary for two weeks or more to see how your pain is changing."
    ]


def test_outcome_scores_need_two_of_the_same_kind() -> None:
    one_each = [(MONDAY, "lefs", 40.0), (WEEKS[1], "psfs", 3.0)]
    assert summary(series(5), series(), one_each) == [
        "Keep the diary for two weeks or more to see how your pain is changing."
    ]
    lefs = [(MONDAY, "lefs", 40.0), (WEEKS[2], "lefs", 49.0)]
    assert "Your LEFS score went from 40 to 49: a real change." in summary(series(), series(), lefs)


def test_sitting_is_reported_only_when_it_changed() -> None:
    assert len(summary(series(5, 4), series(20, 20), [])) == 1


def test_a_week_runs_monday_to_sunday() -> None:
    sunday = MONDAY + dt.timedelta(days=6)
    assert monday(sunday) == MONDAY
    assert monday(sunday + dt.timedelta(days=1)) == WEEKS[1]
    assert week_range(sunday, sunday + dt.timedelta(days=1)) == WEEKS[:2]
    assert week_range(MONDAY, MONDAY) == [MONDAY]


def test_diary_points_leave_out_days_without_sitting_minutes() -> None:
    days = [DayEntry(MONDAY, 2, 6, sitting_minutes_before_pain=15), DayEntry(WEEKS[1], 2, 4)]
    worst, sitting = diary_points(days)
    assert worst == [(MONDAY, 6.0), (WEEKS[1], 4.0)]
    assert sitting == [(MONDAY, 15.0)]


def test_sparkline_uses_eight_levels_from_zero_and_a_space_for_a_gap() -> None:
    assert sparkline(list(range(8)), top=7) == SPARKS
    assert sparkline([0, 0, 0]) == "▁▁▁"  # all zero: the lowest block, no division by zero
    assert sparkline([3, None, 6]) == "▅ █"  # scaled to the largest value without a top
    assert sparkline([12, -1], top=10) == "█▁"  # clipped into range
    assert sparkline([None, None]) == ""


def test_adherence_counts_sessions_outside_the_weeks_nowhere() -> None:
    before = MONDAY - dt.timedelta(days=1)
    assert adherence([before, MONDAY], WEEKS[:1], 4).values == [25]
