"""JSON API: progress week by week (``piri progress``), and the charts of the Progress page.

The chart views are built here once for both surfaces: the page embeds them, the API returns
them. Each chart carries its Vega-Lite spec, sentences for screen readers (the same ones
``piri progress`` prints, over the weeks shown) and a table of its numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from piri.domain.outcomes import (
    LEFS_MAX,
    LEFS_MCID,
    PAIN_MEANINGFUL_POINTS,
    PAIN_MEANINGFUL_SHARE,
    PSFS_ITEM_MAX,
    PSFS_MID_LARGE,
    PSFS_MID_MEDIUM,
    PSFS_MID_SMALL,
)
from piri.domain.trends import WeeklySeries, summary
from piri.services.diary import store
from piri.services.memo import kept
from piri.services.progress import ProgressDetail, progress_detail
from piri.web import charts
from piri.web.errors import error
from piri.web.identity import api_person

router = APIRouter(tags=["progress"])

# How many weeks the charts show: (query value, label). "all" shows every week.
PERIODS = (("12", "12 weeks"), ("26", "6 months"), ("52", "1 year"), ("all", "Everything"))
DEFAULT_WEEKS = 26  # with a longer history the charts start with the last half year


class PeriodError(ValueError):
    """A period that is not one of PERIODS."""


@dataclass(frozen=True)
class Link:
    text: str
    href: str


@dataclass
class ChartView:
    id: str
    title: str
    summary: list[str]  # plain sentences; the screen-reader text of the chart
    spec: dict[str, Any] | None  # None: nothing to draw yet
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    empty: str = ""  # what to do to fill the chart, when there is nothing yet
    link: Link | None = None  # where to do it, or where to read more

    @cached_property
    def spec_json(self) -> Markup:
        """The spec as the page embeds it (what Jinja's tojson writes), made once per view."""
        return htmlsafe_json_dumps(self.spec)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "summary": self.summary,
            "spec": self.spec,
            "table": {"columns": self.columns, "rows": self.rows},
            "empty": self.empty or None,
            "link": {"text": self.link.text, "href": self.link.href} if self.link else None,
        }


@dataclass
class ProgressView:
    summary: list[str]  # piri progress's summary, over every week
    period: str  # one of PERIODS' values
    weeks_shown: int
    weeks_total: int
    first_week: dt.date | None
    charts: list[ChartView]

    @property
    def has_data(self) -> bool:
        return any(chart.spec is not None for chart in self.charts)


def parse_period(value: str | None, weeks_total: int) -> str:
    """The period asked for; without one, the last half year of a longer history."""
    if value is None or value == "":
        return str(DEFAULT_WEEKS) if weeks_total > DEFAULT_WEEKS else "all"
    if value not in {v for v, _ in PERIODS}:
        choices = ", ".join(v for v, _ in PERIODS)
        raise PeriodError(f"weeks: expected one of {choices}, got '{value}'")
    return value


def _slice(series: WeeklySeries, start: int) -> WeeklySeries:
    return WeeklySeries(series.name, series.weeks[start:], series.values[start:])


def _number(value: float | None, unit: str = "") -> str:
    return "-" if value is None else f"{value:g}{unit}"


def _label(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


def _latest(series: WeeklySeries) -> tuple[dt.date, float] | None:
    for week, value in zip(reversed(series.weeks), reversed(series.values), strict=True):
        if value is not None:
            return week, value
    return None


def _first(values: Sequence[float | None]) -> float | None:
    return next((v for v in values if v is not None), None)


def pain_band(first: float) -> charts.Band:
    """No real change from ``first``: less than 2 points and less than 30% of it."""
    step = min(PAIN_MEANINGFUL_POINTS, PAIN_MEANINGFUL_SHARE * first)
    return charts.Band(first, max(0.0, first - step), min(10.0, first + step))


def score_band(first: float, step: float, top: float) -> charts.Band:
    return charts.Band(first, max(0.0, first - step), min(top, first + step))


def kept_progress_view(person: str, detail: ProgressDetail, period: str) -> ProgressView:
    """``progress_view``, kept until the person's data changes: the page and the API ask for
    the same charts again and again. Shared between callers: read only."""
    return kept(
        store(),
        person,
        "progress_view",
        (period, dt.date.today()),
        lambda: progress_view(detail, period),
    )


def progress_view(detail: ProgressDetail, period: str) -> ProgressView:
    worst_all, sitting_all, _adherence = detail.progress.series
    total = len(worst_all.weeks)
    start = 0 if period == "all" else max(0, total - int(period))
    worst, sitting = _slice(worst_all, start), _slice(sitting_all, start)
    now, done = _slice(detail.pain_now, start), _slice(detail.sessions_done, start)
    since = worst.weeks[0] if worst.weeks else None
    scores = [s for s in detail.progress.scores if since is None or s[0] >= since]
    running = detail.running_km
    if running.weeks and worst.weeks:
        running = _slice(running, start)
    chart_list = [
        _pain(worst, now),
        _sitting(worst, sitting),
        _score("lefs", "LEFS", float(LEFS_MAX), float(LEFS_MCID), worst, scores),
        _score("psfs", "PSFS", float(PSFS_ITEM_MAX), PSFS_MID_SMALL, worst, scores),
        _sessions(done, detail.days_planned),
        _running(running, worst_all),
    ]
    return ProgressView(
        summary=detail.progress.summary,
        period=period,
        weeks_shown=len(worst.weeks),
        weeks_total=total,
        first_week=since,
        charts=chart_list,
    )


def _nothing(series: WeeklySeries) -> WeeklySeries:
    return WeeklySeries(series.name, [], [])


def _pain(worst: WeeklySeries, now: WeeklySeries) -> ChartView:
    view = ChartView(
        "pain",
        "Pain",
        [],
        None,
        empty="No pain scores yet. Log today's pain in the diary; a line appears here.",
        link=Link("Open the diary", "/diary"),
    )
    first = _first(worst.values)
    if first is None:
        return view
    band = pain_band(min(first, 10.0))
    view.spec = charts.pain_chart(worst.weeks, worst.values, now.values, band)
    view.summary = summary(worst, _nothing(worst), [])[:1]
    latest = _latest(worst)
    latest_now = _latest(now)
    if latest is not None:
        view.summary.append(
            f"Latest week ({_label(latest[0])}): worst pain {latest[1]:g}"
            + (f", pain now {latest_now[1]:g}." if latest_now else ".")
        )
    view.summary.append(
        f"The shaded band around your first week's worst pain ({first:g}) is less than a real "
        f"change: a real change is {PAIN_MEANINGFUL_POINTS} points, or "
        f"{round(PAIN_MEANINGFUL_SHARE * 100)}% of the score."
    )
    view.columns = ["Week of", "Worst pain", "Pain now"]
    view.rows = [
        [_label(week), _number(w), _number(n)]
        for week, w, n in zip(worst.weeks, worst.values, now.values, strict=True)
        if w is not None or n is not None
    ]
    view.empty, view.link = "", None
    return view


def _sitting(worst: WeeklySeries, sitting: WeeklySeries) -> ChartView:
    view = ChartView(
        "sitting",
        "Sitting before the pain starts",
        [],
        None,
        empty="No sitting times yet. In the diary, note how many minutes you could sit "
        "before the pain started.",
        link=Link("Open the diary", "/diary"),
    )
    if _first(sitting.values) is None:
        return view
    view.spec = charts.sitting_chart(sitting.weeks, sitting.values)
    view.summary = summary(worst, sitting, [])[1:]
    latest = _latest(sitting)
    if not view.summary and latest is not None:
        view.summary = [
            f"Latest week ({_label(latest[0])}): about {latest[1]:g} minutes of sitting "
            "before the pain starts."
        ]
    view.columns = ["Week of", "Minutes"]
    view.rows = [
        [_label(week), _number(value)]
        for week, value in zip(sitting.weeks, sitting.values, strict=True)
        if value is not None
    ]
    view.empty, view.link = "", None
    return view


def _score(
    instrument: str,
    name: str,
    top: float,
    step: float,
    worst: WeeklySeries,
    scores: list[tuple[dt.date, str, float]],
) -> ChartView:
    mine = [(day, score) for day, kind, score in scores if kind == instrument]
    full = {"lefs": "Lower Extremity Functional Scale", "psfs": "Patient-Specific Functional Scale"}
    full_name = full[instrument]
    view = ChartView(
        instrument,
        f"{name} ({full_name})",
        [],
        None,
        empty=f"No {name} score yet. Fill in the questionnaire now and again every few "
        "weeks to see whether your function changes.",
        link=Link(f"Fill in the {name}", f"/scores/{instrument}"),
    )
    if not mine:
        return view
    band = score_band(mine[0][1], step, top)
    view.spec = charts.score_chart(name, top, mine, band)
    line = summary(worst, _nothing(worst), [(d, instrument, s) for d, s in mine])[1:]
    if instrument == "lefs":
        rule = f"A change of {step:g} points or more is a real change."
    else:
        rule = (
            f"A change of {PSFS_MID_SMALL:g} points is a small change that matters, "
            f"{PSFS_MID_MEDIUM:g} a medium and {PSFS_MID_LARGE:g} a large one."
        )
    if line:
        view.summary = [*line, rule]
    else:
        day, score = mine[0]
        view.summary = [
            f"One {name} score so far: {score:g} of {top:g} on {_label(day)}. Fill it in "
            f"again in a few weeks to see whether it changes. {rule}"
        ]
    view.summary.append(
        f"The shaded band around your first score ({mine[0][1]:g}) is less than a change "
        "that matters."
    )
    view.columns = ["Day", f"{name} score"]
    view.rows = [[_label(day), f"{score:g}"] for day, score in mine]
    view.empty, view.link = "", None
    return view


def _sessions(done: WeeklySeries, planned: int) -> ChartView:
    view = ChartView(
        "sessions",
        "Sessions done against planned",
        [],
        None,
        empty="No sessions yet. Do today's session; each one you finish shows here.",
        link=Link("Today's session", "/today"),
    )
    if not done.weeks:
        return view
    view.spec = charts.sessions_chart(done.weeks, done.values, planned)
    counts = [int(v or 0) for v in done.values]
    weeks = len(counts)
    total, wanted = sum(counts), planned * weeks
    share = round(100 * total / wanted) if wanted else 0
    view.summary = [
        f"Latest week ({_label(done.weeks[-1])}): {counts[-1]} of {planned} planned sessions.",
        f"Over these {weeks} week{'s' if weeks != 1 else ''}: {total} of {wanted} "
        f"planned sessions ({share}%).",
    ]
    view.columns = ["Week of", "Sessions done", "Planned"]
    view.rows = [
        [_label(week), str(count), str(planned)]
        for week, count in zip(done.weeks, counts, strict=True)
    ]
    view.link = Link("Today's session", "/today") if total == 0 else None
    view.empty = ""
    return view


def _running(running: WeeklySeries, worst_all: WeeklySeries) -> ChartView:
    view = ChartView(
        "running",
        "Running and pain",
        [],
        None,
        empty="No runs yet. Import your watch files (FIT, GPX, TCX) or a Strava or Garmin "
        "export to see your weekly distance beside your pain.",
        link=Link("Import runs", "/runs/import"),
    )
    if not running.weeks:
        return view
    worst_by_week = dict(zip(worst_all.weeks, worst_all.values, strict=True))
    worst = [worst_by_week.get(week) for week in running.weeks]
    view.spec = charts.running_pain_chart(running.weeks, running.values, worst)
    latest = _latest(running)
    if latest is not None:
        pain = worst_by_week.get(latest[0])
        view.summary = [
            f"Latest week ({_label(latest[0])}): {latest[1]:g} km"
            + (f", average worst pain {pain:g}." if pain is not None else ".")
        ]
    view.summary.append(
        "How your pain followed your runs, week by week and run by run, is on the load page."
    )
    view.columns = ["Week of", "km", "Worst pain"]
    view.rows = [
        [_label(week), _number(km), _number(w)]
        for week, km, w in zip(running.weeks, running.values, worst, strict=True)
        if km is not None or w is not None
    ]
    view.empty = ""
    view.link = Link("Training load and pain", "/runs/load")
    return view


def _series_json(series: WeeklySeries) -> dict[str, Any]:
    return {
        "name": series.name,
        "weeks": [w.isoformat() for w in series.weeks],
        "values": series.values,
    }


@router.get("/progress")
def progress(person: str = Depends(api_person)) -> dict[str, Any]:
    """Week by week, as ``piri progress --format json``, with pain now, sessions done per
    week and running distance per week added."""
    detail = progress_detail(person=person)
    found = detail.progress
    return {
        "series": [_series_json(s) for s in found.series],
        "pain_now": _series_json(detail.pain_now),
        "sessions_done": _series_json(detail.sessions_done),
        "days_planned": detail.days_planned,
        "running_km": _series_json(detail.running_km),
        "scores": [
            {"day": day.isoformat(), "instrument": name, "score": score}
            for day, name, score in found.scores
        ],
        "summary": found.summary,
    }


@router.get("/progress/charts", response_model=None)
def progress_charts(
    weeks: str | None = None, person: str = Depends(api_person)
) -> dict[str, Any] | JSONResponse:
    """The Progress page's charts: for each, a Vega-Lite spec (draw it with vega-embed), the
    sentences that say what it shows, and a table of its numbers. ``weeks``: 12, 26, 52 or
    all (default: the last 26 weeks of a longer history)."""
    detail = progress_detail(person=person)
    try:
        period = parse_period(weeks, len(detail.progress.series[0].weeks))
    except PeriodError as problem:
        return error(422, "invalid_input", str(problem), field="weeks")
    view = kept_progress_view(person, detail, period)
    return {
        "summary": view.summary,
        "period": view.period,
        "weeks_shown": view.weeks_shown,
        "weeks_total": view.weeks_total,
        "charts": [chart.as_json() for chart in view.charts],
    }
