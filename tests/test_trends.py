"""Week-by-week progress: sparklines, adherence and the plain-language summary at its boundaries."""

from __future__ import annotations

import datetime as dt

from piri.domain.trends import WeeklySeries, adherence, sparkline, summary, week_range, weekly_mean

MONDAY = dt.date(2026, 11, 2)
WEEKS = week_range(MONDAY, MONDAY + dt.timedelta(days=20))


def series(*values: float | None) -> WeeklySeries:
    return WeeklySeries("x", WEEKS[: len(values)], list(values))


def test_weeks_run_monday_to_monday_and_means_are_per_week() -> None:
    assert [MONDAY, MONDAY + dt.timedelta(days=7), MONDAY + dt.timedelta(days=14)] == WEEKS
    points = [(MONDAY, 6.0), (MONDAY + dt.timedelta(days=6), 4.0), (WEEKS[2], 2.0)]
    assert weekly_mean("pain", points, WEEKS).values == [5.0, None, 2.0]


def test_sparkline_scales_to_the_top_and_leaves_gaps() -> None:
    assert sparkline([0, 5, 10], top=10) == "▁▅█"
    assert sparkline([10, None, 0], top=10) == "█ ▁"
    assert sparkline([]) == ""
    assert sparkline([None, None]) == ""


def test_adherence_is_sessions_over_planned_days_capped_at_100() -> None:
    days = [MONDAY, MONDAY + dt.timedelta(days=2), WEEKS[1], WEEKS[1], WEEKS[1], WEEKS[1]]
    assert adherence(days, WEEKS, 3).values == [67, 100, 0]


def test_the_summary_says_whether_a_pain_change_is_real() -> None:
    real = summary(series(6, 5, 3), series(), [])
    assert real[0] == "Your worst pain fell from 6 to 3 over 2 weeks: that is a real change."
    small = summary(series(8, 7), series(), [])
    assert small[0] == "Your worst pain fell from 8 to 7 over 1 week: not a real change yet."
    worse = summary(series(3, 5), series(), [])
    assert worse[0] == "Your worst pain rose from 3 to 5 over 1 week: that is a real change."


def test_the_summary_with_too_little_data_asks_for_more() -> None:
    assert summary(series(5), series(), [])[0].startswith("Keep the diary for two weeks")


def test_the_summary_reports_sitting_and_outcome_scores() -> None:
    scores = [(MONDAY, "lefs", 50.0), (WEEKS[2], "lefs", 58.0), (WEEKS[2], "psfs", 4.0)]
    lines = summary(series(5, 4), series(15, 30), scores)
    assert "You can sit about 30 minutes before the pain starts, against 15 at first." in lines
    assert "Your LEFS score went from 50 to 58: no real change." in lines


def test_adherence_with_zero_planned_days_does_not_crash() -> None:
    assert adherence([MONDAY], WEEKS, 0).values == [100, 0, 0]
