"""The chart specs: the data points are in them, the change that matters is marked, and a
filled-in chart never changes the template the next one is built from."""

from __future__ import annotations

import datetime as dt
import json
import time
from typing import Any

from piri.web import charts
from piri.web.api.progress import pain_band, score_band

MONDAY = dt.date(2024, 5, 6)
WEEKS = [MONDAY + dt.timedelta(weeks=i) for i in range(4)]


def marks(spec: dict[str, Any]) -> list[str]:
    """Every mark type in a (layered) spec, depth first."""
    found = []
    if "mark" in spec:
        mark = spec["mark"]
        found.append(mark["type"] if isinstance(mark, dict) else mark)
    for layer in spec.get("layer", []):
        found.extend(marks(layer))
    return found


def layers_using(spec: dict[str, Any], dataset: str) -> list[dict[str, Any]]:
    found = []
    if spec.get("data", {}).get("name") == dataset:
        found.append(spec)
    for layer in spec.get("layer", []):
        if layer.get("data", {}).get("name") == dataset or (
            "data" not in layer and spec.get("data", {}).get("name") == dataset
        ):
            found.append(layer)
        found.extend(layers_using(layer, dataset))
    return found


def test_pain_chart_holds_every_weekly_value_and_skips_gaps() -> None:
    spec = charts.pain_chart(WEEKS, [6.0, None, 4.5, 3.0], [3.0, None, 2.0, 1.0])
    rows = spec["datasets"]["pain"]
    worst = [(r["week"], r["value"]) for r in rows if r["measure"] == "Worst pain"]
    now = [(r["week"], r["value"]) for r in rows if r["measure"] == "Pain now"]
    assert worst == [("2024-05-06", 6.0), ("2024-05-20", 4.5), ("2024-05-27", 3.0)]
    assert now == [("2024-05-06", 3.0), ("2024-05-20", 2.0), ("2024-05-27", 1.0)]
    assert spec["datasets"]["band"] == []  # no band asked for
    assert "line" in marks(spec)
    json.dumps(spec)  # JSON-ready: no dates or other Python objects left


def test_pain_band_marks_two_points_or_thirty_percent() -> None:
    # From 6 a real change is 1.8 (30% of 6 is less than 2 points).
    band = pain_band(6.0)
    assert (band.low, band.high) == (6.0 - 1.8, 6.0 + 1.8)
    # From 9 it is 2 points (30% would be 2.7), clipped to the 0-10 scale.
    assert (pain_band(9.0).low, pain_band(9.0).high) == (7.0, 10.0)
    spec = charts.pain_chart(WEEKS[:2], [6.0, 4.0], [2.0, 2.0], band)
    (row,) = spec["datasets"]["band"]
    assert row["low"] == band.low and row["high"] == band.high
    assert row["label"] == "no real change"
    band_marks = marks(next(layer for layer in spec["layer"] if layer.get("data")))
    assert {"rect", "rule", "text"} <= set(band_marks)


def test_lefs_chart_marks_the_nine_point_change_around_the_first_score() -> None:
    points = [(dt.date(2024, 5, 1), 40.0), (dt.date(2024, 6, 1), 52.0)]
    band = score_band(40.0, 9, 80)
    spec = charts.score_chart("LEFS", 80, points, band)
    assert spec["datasets"]["scores"] == [
        {"day": "2024-05-01", "label": "1 May 2024", "score": 40.0},
        {"day": "2024-06-01", "label": "1 Jun 2024", "score": 52.0},
    ]
    (row,) = spec["datasets"]["band"]
    assert (row["low"], row["start"], row["high"]) == (31.0, 40.0, 49.0)
    assert row["label"] == "change that matters"
    rules = [m for m in marks(spec) if m == "rule"]
    assert len(rules) == 2  # both edges of the band
    text = json.dumps(spec)
    assert '"domain": [0, 80.0]' in text or '"domain": [0, 80]' in text


def test_psfs_band_is_clipped_to_the_scale() -> None:
    band = score_band(9.5, 1.3, 10)
    assert (band.low, band.high) == (8.2, 10)
    spec = charts.score_chart("PSFS", 10, [(dt.date(2024, 5, 1), 9.5)], band)
    assert spec["datasets"]["band"][0]["high"] == 10


def test_sessions_chart_has_done_and_planned() -> None:
    spec = charts.sessions_chart(WEEKS[:2], [3.0, None], 4)
    assert spec["datasets"]["sessions"] == [
        {
            "week": "2024-05-06",
            "end": "2024-05-12",
            "label": "6 May 2024",
            "done": 3.0,
            "planned": 4,
        },
        {
            "week": "2024-05-13",
            "end": "2024-05-19",
            "label": "13 May 2024",
            "done": 0,
            "planned": 4,
        },
    ]
    assert {"bar", "rule"} <= set(marks(spec))
    assert "4 planned a week" in spec["description"]


def test_running_chart_puts_distance_and_pain_on_one_time_axis() -> None:
    spec = charts.running_pain_chart(WEEKS[:3], [20.5, None, 12.0], [5.0, 4.0, None])
    running = spec["datasets"]["running"]
    pain = spec["datasets"]["pain"]
    assert [(r["start"], r["km"]) for r in running] == [("2024-05-06", 20.5), ("2024-05-20", 12.0)]
    assert [(p["mid"], p["worst"]) for p in pain] == [("2024-05-09", 5.0), ("2024-05-16", 4.0)]
    assert spec["resolve"] == {"scale": {"y": "independent"}}
    bars, line = spec["layer"]
    assert bars["encoding"]["x"]["type"] == line["encoding"]["x"]["type"] == "temporal"
    assert bars["encoding"]["x"]["scale"]["type"] == line["encoding"]["x"]["scale"]["type"] == "utc"


def test_load_chart_marks_spikes_and_speed_sessions() -> None:
    days = [
        charts.RunDay(dt.date(2024, 5, 6), 8.0, spike=False, speed=False),
        charts.RunDay(dt.date(2024, 5, 8), 14.0, spike=True, speed=False),
        charts.RunDay(dt.date(2024, 5, 9), 6.0, spike=False, speed=True),
    ]
    spec = charts.load_chart(days, [(dt.date(2024, 5, 9), 6.0)])
    kinds = [(r["start"], r["kind"]) for r in spec["datasets"]["running"]]
    assert kinds == [
        ("2024-05-06", "Run"),
        ("2024-05-08", "Longer than usual (spike)"),
        ("2024-05-09", "Speed session"),
    ]
    assert spec["datasets"]["pain"] == [
        {"mid": "2024-05-09T12:00:00Z", "label": "9 May 2024", "worst": 6.0}
    ]


def test_filling_a_chart_leaves_the_template_alone() -> None:
    first = charts.pain_chart(WEEKS[:1], [7.0], [3.0])
    second = charts.pain_chart(WEEKS[1:2], [2.0], [1.0])
    assert first["datasets"]["pain"][0]["value"] == 7.0
    assert second["datasets"]["pain"][0]["value"] == 2.0
    assert "datasets" not in charts._pain_template()


def test_charts_are_cheap_once_built() -> None:
    """Three years of weeks: building every chart again takes well under a millisecond
    each (Altair itself takes tens of milliseconds a chart; it runs once per process)."""
    weeks = [MONDAY + dt.timedelta(weeks=i) for i in range(156)]
    values: list[float | None] = [5.0] * 156

    def every_chart() -> None:
        charts.pain_chart(weeks, values, values, pain_band(5.0))
        charts.sitting_chart(weeks, values)
        charts.score_chart("LEFS", 80, [(MONDAY, 40.0)], score_band(40, 9, 80))
        charts.sessions_chart(weeks, values, 4)
        charts.running_pain_chart(weeks, values, values)

    every_chart()
    started = time.perf_counter()
    for _ in range(20):
        every_chart()
    assert (time.perf_counter() - started) / 20 < 0.02
