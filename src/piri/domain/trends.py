"""Progress over weeks: weekly series, sparklines, and a summary in plain words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from piri.domain.diary import DayEntry
from piri.domain.outcomes import lefs_change, pain_change, psfs_change

SPARKS = "▁▂▃▄▅▆▇█"


@dataclass(frozen=True)
class WeeklySeries:
    name: str
    weeks: list[dt.date]  # the Monday of each week
    values: list[float | None]  # None: nothing recorded that week


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def week_range(first: dt.date, last: dt.date) -> list[dt.date]:
    weeks, current = [], monday(first)
    while current <= monday(last):
        weeks.append(current)
        current += dt.timedelta(days=7)
    return weeks


def weekly_mean(
    name: str, points: Sequence[tuple[dt.date, float]], weeks: list[dt.date]
) -> WeeklySeries:
    # Weeks are found by day number (years of daily points make this a hot loop).
    slot = {week.toordinal(): index for index, week in enumerate(weeks)}
    buckets: list[list[float]] = [[] for _ in weeks]
    for day, value in points:
        number = day.toordinal()
        index = slot.get(number - (number - 1) % 7)  # day 1 (1 January of year 1) is a Monday
        if index is not None:
            buckets[index].append(value)
    values = [round(sum(v) / len(v), 1) if v else None for v in buckets]
    return WeeklySeries(name, weeks, values)


def sparkline(values: Sequence[float | None], top: float | None = None) -> str:
    """One block per value, scaled to ``top`` (or the largest value); a gap is a space."""
    present = [v for v in values if v is not None]
    if not present:
        return ""
    high = top if top is not None else max(present)
    low = 0.0
    span = (high - low) or 1.0
    blocks = []
    for value in values:
        if value is None:
            blocks.append(" ")
            continue
        index = round((min(max(value, low), high) - low) / span * (len(SPARKS) - 1))
        blocks.append(SPARKS[index])
    return "".join(blocks)


def adherence(
    session_days: Sequence[dt.date], weeks: list[dt.date], days_per_week: int
) -> WeeklySeries:
    """Sessions done per week as a share of the days planned (percent, capped at 100)."""
    counts = dict.fromkeys(weeks, 0)
    for day in session_days:
        if monday(day) in counts:
            counts[monday(day)] += 1
    values: list[float | None] = [
        min(100.0, round(100 * n / max(1, days_per_week))) for n in counts.values()
    ]
    return WeeklySeries("Sessions done (% of planned)", weeks, values)


def _first_last(series: WeeklySeries) -> tuple[tuple[int, float], tuple[int, float]] | None:
    present = [(i, v) for i, v in enumerate(series.values) if v is not None]
    if len(present) < 2:
        return None
    return present[0], present[-1]


def summary(
    worst_pain: WeeklySeries,
    sitting: WeeklySeries,
    scores: Sequence[tuple[dt.date, str, float]],
) -> list[str]:
    """Plain-language sentences, each saying whether a change is a real one."""
    lines = []
    ends = _first_last(worst_pain)
    if ends is None:
        lines.append("Keep the diary for two weeks or more to see how your pain is changing.")
    else:
        (first_i, first), (last_i, last) = ends
        weeks = last_i - first_i
        change = pain_change(min(first, 10), min(last, 10))
        verb = "fell" if last < first else "rose" if last > first else "stayed"
        span = f"over {weeks} week{'s' if weeks != 1 else ''}"
        if verb == "stayed":
            lines.append(f"Your worst pain stayed at {first:g} {span}.")
        else:
            verdict = "that is a real change" if change.meaningful else "not a real change yet"
            lines.append(f"Your worst pain {verb} from {first:g} to {last:g} {span}: {verdict}.")
    sit = _first_last(sitting)
    if sit is not None:
        (_, first_minutes), (_, last_minutes) = sit
        if last_minutes != first_minutes:
            lines.append(
                f"You can sit about {last_minutes:g} minutes before the pain starts, "
                f"against {first_minutes:g} at first."
            )
    for instrument, unit in (("lefs", "LEFS"), ("psfs", "PSFS")):
        mine = [(day, score) for day, name, score in scores if name == instrument]
        if len(mine) >= 2:
            if instrument == "lefs":
                change = lefs_change(round(mine[0][1]), round(mine[-1][1]))
            else:
                change = psfs_change(mine[0][1], mine[-1][1])
            lines.append(
                f"Your {unit} score went from {mine[0][1]:g} to {mine[-1][1]:g}: {change.size}."
            )
    return lines


def diary_points(
    days: Sequence[DayEntry],
) -> tuple[list[tuple[dt.date, float]], list[tuple[dt.date, float]]]:
    worst = [(d.day, float(d.worst_pain)) for d in days]
    sitting = [
        (d.day, float(d.sitting_minutes_before_pain))
        for d in days
        if d.sitting_minutes_before_pain is not None
    ]
    return worst, sitting
