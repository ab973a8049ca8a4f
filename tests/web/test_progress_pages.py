"""The Progress page: an empty state that says what to do, then a chart for each measure with
the sentences of ``piri progress`` and a table of its numbers."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from fastapi.testclient import TestClient

from piri.domain.diary import DayEntry
from piri.services.diary import log_day
from piri.services.progress import progress
from piri.services.scores import record_lefs
from tests import xml_activity_files as xml
from tests.web.conftest import csrf

TODAY = dt.date.today()


def specs(html: str) -> dict[str, dict[str, Any]]:
    """The Vega-Lite specs embedded in the page, by chart id."""
    return {
        name: json.loads(body)
        for name, body in re.findall(
            r'<script type="application/json" id="spec-([a-z]+)">(.*?)</script>', html, re.S
        )
    }


def section(html: str, chart: str) -> str:
    start = html.index(f'aria-labelledby="chart-{chart}-title"')
    return html[start : html.index("</section>", start)]


def text_of(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)).replace("&#39;", "'")


# Monday of this week: the diary days of one test week stay inside one calendar week,
# whatever day of the week the tests run on.
THIS_MONDAY = TODAY - dt.timedelta(days=TODAY.weekday())


def log_weeks(weeks: int, worst_from: int = 7) -> None:
    """Up to two diary days a week for ``weeks`` weeks, the last this week (never after
    today); worst pain falls by 1 a week."""
    for week in range(weeks):
        monday = THIS_MONDAY - dt.timedelta(weeks=weeks - 1 - week)
        worst = max(1, worst_from - week)
        for day in sorted({monday, monday + dt.timedelta(days=min(2, TODAY.weekday()))}):
            log_day(DayEntry(day, min(worst, 2), worst, sitting_minutes_before_pain=10 + 5 * week))


def test_empty_progress_says_what_to_do(client: TestClient) -> None:
    response = client.get("/progress")
    assert response.status_code == 200
    html = response.text
    assert html.count("<h1") == 1
    assert "Nothing to show yet" in html
    assert 'href="/diary"' in html and 'href="/today"' in html
    assert 'href="/scores"' in html and 'href="/runs/import"' in html
    assert "data-chart" not in html
    assert "vega" not in html  # no chart scripts on a page without charts


def test_diary_days_become_charts_with_the_cli_sentences(client: TestClient) -> None:
    log_weeks(4)
    response = client.get("/progress")
    assert response.status_code == 200
    html = response.text
    found = specs(html)
    assert {"pain", "sitting", "sessions"} <= set(found)
    worst = [r["value"] for r in found["pain"]["datasets"]["pain"] if r["measure"] == "Worst pain"]
    assert worst == [7.0, 6.0, 5.0, 4.0]
    assert found["pain"]["datasets"]["band"][0]["start"] == 7.0
    # The summary is piri progress's, word for word.
    cli = progress().summary
    assert cli[0] == "Your worst pain fell from 7 to 4 over 3 weeks: that is a real change."
    for line in cli:
        assert line in text_of(html)
    pain = text_of(section(html, "pain"))
    assert cli[0] in pain
    assert "Latest week" in pain and "worst pain 4, pain now 2" in pain
    # Each chart has its numbers in a table, every week a row.
    assert re.search(r"<th scope=\"row\">[^<]+</th><td>7</td><td>2</td>", section(html, "pain"))
    sitting = text_of(section(html, "sitting"))
    assert "You can sit about 25 minutes before the pain starts, against 10 at first." in sitting
    # Charts without data say how to fill them.
    lefs = text_of(section(html, "lefs"))
    assert "No LEFS score yet" in lefs and 'href="/scores/lefs"' in section(html, "lefs")
    assert "No runs yet" in text_of(section(html, "running"))
    # The charts are drawn by the vendored libraries, in order, and no inline script runs.
    scripts = re.findall(r'<script src="([^"]+)"', html)
    tail = [s.rsplit("/", 1)[-1] for s in scripts[-4:]]
    assert tail == ["vega.min.js", "vega-lite.min.js", "vega-embed.min.js", "charts.js"]
    for tag in re.findall(r"<script[^>]*>", html):
        assert " src=" in tag or 'type="application/json"' in tag, tag
    assert 'style="' not in html


def test_outcome_scores_are_charted_with_the_change_that_matters(client: TestClient) -> None:
    log_weeks(2)
    record_lefs([2] * 20, day=TODAY - dt.timedelta(days=10))  # 40
    record_lefs([3] * 20, day=TODAY)  # 60
    html = client.get("/progress").text
    lefs = specs(html)["lefs"]
    assert [r["score"] for r in lefs["datasets"]["scores"]] == [40.0, 60.0]
    band = lefs["datasets"]["band"][0]
    assert (band["low"], band["high"]) == (31.0, 49.0)
    words = text_of(section(html, "lefs"))
    assert "Your LEFS score went from 40 to 60: a real change." in words
    assert "A change of 9 points or more is a real change." in words


def test_sessions_against_planned(client: TestClient) -> None:
    log_weeks(2)
    html = client.get("/progress").text
    sessions = specs(html)["sessions"]["datasets"]["sessions"]
    assert [r["planned"] for r in sessions] == [4, 4]  # the profile's default days a week
    assert [r["done"] for r in sessions] == [0, 0]
    words = text_of(section(html, "sessions"))
    assert "0 of 4 planned sessions" in words
    assert 'href="/today"' in section(html, "sessions")


def test_weekly_running_volume_beside_pain(client: TestClient) -> None:
    log_weeks(3)
    start = dt.datetime.combine(THIS_MONDAY, dt.time(0, 5), tzinfo=dt.UTC)
    points = xml.run_north(start, seconds=1800, speed=3.0, every=10)
    data = xml.gpx([xml.Track([points], type="running")])
    uploaded = client.post(
        "/runs/import",
        data={"csrf_token": csrf(client)},
        files={"files": ("run.gpx", data, "application/gpx+xml")},
    )
    assert uploaded.status_code == 200
    html = client.get("/progress").text
    running = specs(html)["running"]
    km = [r["km"] for r in running["datasets"]["running"]]
    assert km[-1] == 5.4
    assert [p["worst"] for p in running["datasets"]["pain"]] == [7.0, 6.0, 5.0]
    words = text_of(section(html, "running"))
    assert "5.4 km, average worst pain 5." in words
    assert 'href="/runs/load"' in section(html, "running")


def test_the_period_chooses_the_weeks_shown(client: TestClient) -> None:
    log_weeks(30, worst_from=10)
    html = client.get("/progress").text
    # A history longer than half a year starts with the last 26 weeks...
    rows = specs(html)["pain"]["datasets"]["pain"]
    assert len([r for r in rows if r["measure"] == "Worst pain"]) == 26
    assert '<a href="/progress?weeks=26" aria-current="true">' in html
    # ...while the summary at the top covers every week, as piri progress does.
    assert progress().summary[0] in text_of(html)
    twelve = client.get("/progress?weeks=12").text
    rows = specs(twelve)["pain"]["datasets"]["pain"]
    assert len([r for r in rows if r["measure"] == "Worst pain"]) == 12
    everything = client.get("/progress?weeks=all").text
    rows = specs(everything)["pain"]["datasets"]["pain"]
    assert len([r for r in rows if r["measure"] == "Worst pain"]) == 30


def test_a_wrong_period_is_named_and_the_default_shown(client: TestClient) -> None:
    log_weeks(2)
    response = client.get("/progress?weeks=7")
    assert response.status_code == 422
    assert "weeks: expected one of 12, 26, 52, all, got &#39;7&#39;" in response.text
    assert "spec-pain" in response.text
