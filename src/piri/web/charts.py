"""Vega-Lite specs for the progress and load charts, built with Altair.

Every kind of chart is built once with Altair (marks, encodings, axes, colours) over *named*
datasets and kept; a call only fills in the numbers. Altair takes tens of milliseconds to build
a chart, filling in a copy takes microseconds, so the Progress page stays fast with years of
data. Altair itself is imported on the first chart only.

Pure functions: data in, a JSON-ready spec dict out, drawn in the page by vega-embed
(``static/js/charts.js``). Dates go in as ``datetime.date`` and out as ISO strings on a UTC
time scale, so a Monday stays a Monday in every time zone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

# Colours from piri.css, each at least 4.5:1 against white.
WORST = "#a4161a"  # --danger
NOW = "#1f5fa8"  # --accent
BRAND = "#0b6e4f"  # --brand
MUTED = "#4a5560"  # --muted
BAND = "#9aa5ae"
SPEED = "#8a5300"  # --warn
SPIKE = "#a4161a"

HEIGHT = 220
CONFIG: dict[str, Any] = {
    "font": "system-ui, -apple-system, Segoe UI, Roboto, DejaVu Sans, sans-serif",
    "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": "#1b1f23"},
    "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom", "labelLimit": 260},
    "view": {"stroke": None},
}


@dataclass(frozen=True)
class Band:
    """The change that matters around a starting value: inside the band is no real change."""

    start: float  # the first value, the one later values are compared with
    low: float  # start minus the smallest change that matters (clipped to the scale)
    high: float  # start plus it


def chart_library() -> Any:
    import altair  # a big import: only when the first chart is built (or at warm-up)

    return altair


def _iso(day: dt.date) -> str:
    return day.isoformat()


def _label(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


def _fill(
    template: dict[str, Any], description: str, **datasets: list[dict[str, Any]]
) -> dict[str, Any]:
    spec = dict(template)  # the template is shared: only top-level keys are replaced
    spec["datasets"] = datasets
    spec["description"] = description
    return spec


def _x_week(alt: Any, field: str = "week") -> Any:
    return alt.X(
        f"{field}:T",
        title=None,
        scale=alt.Scale(type="utc"),
        axis=alt.Axis(labelAngle=0, labelOverlap=True, grid=False, tickCount=6),
    )


def _band_layers(alt: Any, y_title: str, domain: list[float]) -> Any:
    """A shaded band (no real change) with dashed edges, from the "band" dataset."""
    band = alt.Chart(alt.Data(name="band"))
    y = alt.Y("low:Q", title=y_title, scale=alt.Scale(domain=domain, nice=False))
    rect = band.mark_rect(color=BAND, opacity=0.3).encode(
        x=alt.value(0), x2=alt.value("width"), y=y, y2="high:Q"
    )
    low = band.mark_rule(color=MUTED, strokeDash=[4, 3]).encode(y=alt.Y("low:Q"))
    high = band.mark_rule(color=MUTED, strokeDash=[4, 3]).encode(y=alt.Y("high:Q"))
    text = band.mark_text(
        align="right", baseline="bottom", dx=-2, dy=-2, color=MUTED, fontSize=11
    ).encode(x=alt.value("width"), y="high:Q", text="label:N")
    return rect + low + high + text


# --- Pain ---------------------------------------------------------------------------------


@cache
def _pain_template() -> dict[str, Any]:
    alt = chart_library()
    lines = (
        alt.Chart(alt.Data(name="pain"))
        .mark_line(point={"size": 40}, strokeWidth=2.5)
        .encode(
            x=_x_week(alt),
            y=alt.Y("value:Q", title="Pain (0-10)", scale=alt.Scale(domain=[0, 10])),
            color=alt.Color(
                "measure:N",
                title=None,
                scale=alt.Scale(domain=["Worst pain", "Pain now"], range=[WORST, NOW]),
            ),
            # No legend=None here: it would drop the colour legend merged with this one.
            strokeDash=alt.StrokeDash(
                "measure:N",
                scale=alt.Scale(domain=["Worst pain", "Pain now"], range=[[1, 0], [6, 3]]),
            ),
            tooltip=[
                alt.Tooltip("label:N", title="Week of"),
                alt.Tooltip("measure:N", title="Measure"),
                alt.Tooltip("value:Q", title="Average"),
            ],
        )
    )
    chart = alt.layer(_band_layers(alt, "Pain (0-10)", [0, 10]), lines).properties(
        width="container", height=HEIGHT
    )
    spec: dict[str, Any] = chart.to_dict(validate=False)
    spec["config"] = CONFIG
    return spec


def pain_chart(
    weeks: Sequence[dt.date],
    worst: Sequence[float | None],
    now: Sequence[float | None],
    band: Band | None = None,
) -> dict[str, Any]:
    """Weekly averages of worst pain and pain now; ``band``: no real change from the start."""
    rows = [
        {"week": _iso(week), "label": _label(week), "measure": measure, "value": value}
        for measure, values in (("Worst pain", worst), ("Pain now", now))
        for week, value in zip(weeks, values, strict=True)
        if value is not None
    ]
    bands = [] if band is None else [_band_row(band, "no real change")]
    return _fill(
        _pain_template(),
        "Worst pain and pain now, weekly averages on a 0 to 10 scale.",
        pain=rows,
        band=bands,
    )


def _band_row(band: Band, label: str) -> dict[str, Any]:
    return {"start": band.start, "low": band.low, "high": band.high, "label": label}


# --- Sitting ------------------------------------------------------------------------------


@cache
def _sitting_template() -> dict[str, Any]:
    alt = chart_library()
    chart = (
        alt.Chart(alt.Data(name="sitting"))
        .mark_line(point={"size": 40}, strokeWidth=2.5, color=BRAND)
        .encode(
            x=_x_week(alt),
            y=alt.Y("minutes:Q", title="Minutes of sitting", scale=alt.Scale(zero=True)),
            tooltip=[
                alt.Tooltip("label:N", title="Week of"),
                alt.Tooltip("minutes:Q", title="Minutes before the pain"),
            ],
        )
        .properties(width="container", height=HEIGHT)
    )
    spec: dict[str, Any] = chart.to_dict(validate=False)
    spec["config"] = CONFIG
    return spec


def sitting_chart(weeks: Sequence[dt.date], minutes: Sequence[float | None]) -> dict[str, Any]:
    """Weekly average of the minutes of sitting before the pain starts."""
    rows = [
        {"week": _iso(week), "label": _label(week), "minutes": value}
        for week, value in zip(weeks, minutes, strict=True)
        if value is not None
    ]
    return _fill(
        _sitting_template(),
        "Minutes of sitting before the pain starts, weekly averages.",
        sitting=rows,
    )


# --- Outcome scores -----------------------------------------------------------------------


@cache
def _score_template(top: float) -> dict[str, Any]:
    alt = chart_library()
    points = (
        alt.Chart(alt.Data(name="scores"))
        .mark_line(point={"size": 60}, strokeWidth=2.5, color=BRAND)
        .encode(
            x=alt.X(
                "day:T",
                title=None,
                scale=alt.Scale(type="utc"),
                axis=alt.Axis(labelAngle=0, labelOverlap=True, grid=False, tickCount=5),
            ),
            y=alt.Y("score:Q"),
            tooltip=[
                alt.Tooltip("label:N", title="Day"),
                alt.Tooltip("score:Q", title="Score"),
            ],
        )
    )
    chart = alt.layer(_band_layers(alt, f"Score (0-{top:g})", [0, top]), points).properties(
        width="container", height=HEIGHT
    )
    spec: dict[str, Any] = chart.to_dict(validate=False)
    spec["config"] = CONFIG
    return spec


def score_chart(
    instrument: str, top: float, points: Sequence[tuple[dt.date, float]], band: Band | None
) -> dict[str, Any]:
    """One questionnaire's scores over time (higher is better), with the band of no real
    change around the first score; ``top`` is the scale's maximum (LEFS 80, PSFS 10)."""
    rows = [
        {"day": _iso(day), "label": _label(day), "score": score} for day, score in sorted(points)
    ]
    bands = [] if band is None else [_band_row(band, "change that matters")]
    return _fill(
        _score_template(float(top)),
        f"{instrument} scores over time on a 0 to {top:g} scale; higher is better.",
        scores=rows,
        band=bands,
    )


# --- Sessions done against planned --------------------------------------------------------


@cache
def _sessions_template() -> dict[str, Any]:
    alt = chart_library()
    base = alt.Chart(alt.Data(name="sessions"))
    bars = base.mark_bar(color=BRAND, cornerRadiusEnd=2).encode(
        x=alt.X(
            "week:T",
            title=None,
            scale=alt.Scale(type="utc"),
            axis=alt.Axis(labelAngle=0, labelOverlap=True, grid=False, tickCount=6),
        ),
        x2="end:T",
        y=alt.Y("done:Q", title="Sessions a week", scale=alt.Scale(zero=True)),
        y2=alt.datum(0),  # bars from zero: with x and x2 set, Vega-Lite draws a 5px strip
        tooltip=[
            alt.Tooltip("label:N", title="Week of"),
            alt.Tooltip("done:Q", title="Sessions done"),
            alt.Tooltip("planned:Q", title="Planned"),
        ],
    )
    planned = base.mark_rule(color=MUTED, strokeDash=[4, 3], strokeWidth=2).encode(
        y="max(planned):Q"
    )
    label = base.mark_text(
        align="right", baseline="bottom", dx=-2, dy=-2, color=MUTED, fontSize=11
    ).encode(x=alt.value("width"), y="max(planned):Q", text=alt.value("planned"))
    chart = alt.layer(bars, planned, label).properties(width="container", height=HEIGHT)
    spec: dict[str, Any] = chart.to_dict(validate=False)
    spec["config"] = CONFIG
    return spec


def sessions_chart(
    weeks: Sequence[dt.date], done: Sequence[float | None], planned: int
) -> dict[str, Any]:
    """Sessions done each week as bars, and the sessions planned a week as a dashed line."""
    rows = [
        {
            "week": _iso(week),
            "end": _iso(week + dt.timedelta(days=6)),
            "label": _label(week),
            "done": value or 0,
            "planned": planned,
        }
        for week, value in zip(weeks, done, strict=True)
    ]
    return _fill(
        _sessions_template(),
        f"Exercise sessions done each week, against {planned} planned a week.",
        sessions=rows,
    )


# --- Running with pain --------------------------------------------------------------------


@cache
def _running_template(daily: bool) -> dict[str, Any]:
    alt = chart_library()
    base = alt.Chart(alt.Data(name="running"))
    unit = "Day" if daily else "Week of"
    x = alt.X(
        "start:T",
        title=None,
        scale=alt.Scale(type="utc"),
        axis=alt.Axis(labelAngle=0, labelOverlap=True, grid=False, tickCount=6),
    )
    kinds = ["Run", "Longer than usual (spike)", "Speed session"]
    bars = base.mark_bar(cornerRadiusEnd=2).encode(
        x=x,
        x2="end:T",
        y=alt.Y("km:Q", title="Distance (km)", axis=alt.Axis(titleColor=BRAND)),
        y2=alt.datum(0),  # bars from zero: with x and x2 set, Vega-Lite draws a 5px strip
        color=alt.Color(
            "kind:N",
            title=None,
            scale=alt.Scale(domain=kinds, range=[BRAND, SPIKE, SPEED]),
            legend=alt.Legend(orient="bottom") if daily else None,
        ),
        tooltip=[
            alt.Tooltip("label:N", title=unit),
            alt.Tooltip("km:Q", title="km", format=".1f"),
            alt.Tooltip("kind:N", title="Kind"),
        ],
    )
    pain = (
        alt.Chart(alt.Data(name="pain"))
        .mark_line(point={"size": 40, "shape": "diamond"}, strokeWidth=2.5, color=NOW)
        .encode(
            x=alt.X("mid:T", scale=alt.Scale(type="utc")),
            y=alt.Y(
                "worst:Q",
                title="Worst pain (0-10)",
                scale=alt.Scale(domain=[0, 10]),
                axis=alt.Axis(orient="right", titleColor=NOW),
            ),
            tooltip=[
                alt.Tooltip("label:N", title=unit),
                alt.Tooltip("worst:Q", title="Worst pain"),
            ],
        )
    )
    chart = (
        alt.layer(bars, pain)
        .resolve_scale(y="independent")
        .properties(width="container", height=HEIGHT)
    )
    spec: dict[str, Any] = chart.to_dict(validate=False)
    spec["config"] = CONFIG
    return spec


def running_pain_chart(
    weeks: Sequence[dt.date], km: Sequence[float | None], worst: Sequence[float | None]
) -> dict[str, Any]:
    """Weekly running distance as bars and weekly worst pain as a line, on one time axis."""
    running = [
        {
            "start": _iso(week),
            "end": _iso(week + dt.timedelta(days=6)),
            "label": _label(week),
            "km": value,
            "kind": "Run",
        }
        for week, value in zip(weeks, km, strict=True)
        if value is not None
    ]
    pain = [
        {"mid": _iso(week + dt.timedelta(days=3)), "label": _label(week), "worst": value}
        for week, value in zip(weeks, worst, strict=True)
        if value is not None
    ]
    return _fill(
        _running_template(False),
        "Running distance each week (bars, km) and the week's average worst pain (line, 0-10).",
        running=running,
        pain=pain,
    )


@dataclass(frozen=True)
class RunDay:
    day: dt.date
    km: float
    spike: bool  # a run that day more than 10% longer than the 30-day longest
    speed: bool  # a speed session that day


def load_chart(runs: Sequence[RunDay], worst: Sequence[tuple[dt.date, float]]) -> dict[str, Any]:
    """Distance per day as bars (spikes and speed sessions in their own colours) and the
    diary's worst pain per day as a line, on one time axis."""
    running = [
        {
            "start": _iso(run.day),
            "end": _iso(run.day + dt.timedelta(days=1)),
            "label": _label(run.day),
            "km": run.km,
            "kind": "Longer than usual (spike)"
            if run.spike
            else "Speed session"
            if run.speed
            else "Run",
        }
        for run in runs
    ]
    pain = [
        {"mid": f"{_iso(day)}T12:00:00Z", "label": _label(day), "worst": value}
        for day, value in worst
    ]
    return _fill(
        _running_template(True),
        "Distance run each day (bars, km; spikes and speed sessions marked) and worst pain "
        "each day from the diary (line, 0-10).",
        running=running,
        pain=pain,
    )


# --- A gait check's figures over the clip -----------------------------------------------------

LEFT_LEG = "#b35900"  # the key frames' orange, darkened to 4.5:1 on white
RIGHT_LEG = NOW


@cache
def _gait_template() -> dict[str, Any]:
    alt = chart_library()
    points = (
        alt.Chart(alt.Data(name="points"))
        .mark_line(point={"size": 40}, strokeWidth=1.5)
        .encode(
            x=alt.X("time_s:Q", title="Seconds into the clip", axis=alt.Axis(grid=False)),
            y=alt.Y("value:Q", title=None, scale=alt.Scale(zero=False)),
            color=alt.Color(
                "leg:N",
                title="Leg",
                scale=alt.Scale(
                    domain=["left", "right", "both"], range=[LEFT_LEG, RIGHT_LEG, BRAND]
                ),
            ),
            tooltip=[
                alt.Tooltip("time_s:Q", title="Seconds", format=".1f"),
                alt.Tooltip("value:Q", title="Value", format=".1f"),
                alt.Tooltip("leg:N", title="Leg"),
            ],
        )
    )
    median = (
        alt.Chart(alt.Data(name="median"))
        .mark_rule(color=MUTED, strokeDash=[4, 3])
        .encode(y=alt.Y("value:Q"))
    )
    chart = alt.layer(median, points).properties(width="container", height=HEIGHT)
    spec: dict[str, Any] = chart.to_dict(validate=False)
    spec["config"] = CONFIG
    return spec


def gait_timeline_chart(
    label: str, unit: str, points: Sequence[tuple[float, float, str | None]], median: float | None
) -> dict[str, Any]:
    """A gait figure step by step (time in the clip, value, leg), with the report's median as
    a dashed line."""
    rows = [
        {"time_s": round(t, 3), "value": round(v, 2), "leg": leg or "both"} for t, v, leg in points
    ]
    return _fill(
        _gait_template(),
        f"{label} ({unit}) at each step of the clip, by leg; the dashed line is the median.",
        points=rows,
        median=[] if median is None else [{"value": round(median, 2)}],
    )
