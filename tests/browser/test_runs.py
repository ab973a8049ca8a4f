"""Browser journeys through the runs area, at both viewports: upload activity files with the
progress bar, the summary of what was imported and what failed, the runs list, one run with
its laps and its effort, and Load and pain with its chart drawn; the upload without JavaScript.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests import fit_files
from tests import xml_activity_files as xml
from tests.browser.conftest import ARTIFACTS, Server, Visit
from tests.browser.test_diary import choose, put_day

TODAY = dt.date.today()
# Every run falls in last week's calendar week (Monday to Sunday), whatever today is.
LAST_MONDAY = TODAY - dt.timedelta(days=TODAY.weekday() + 7)
MONDAY, WEDNESDAY, FRIDAY = (LAST_MONDAY + dt.timedelta(days=n) for n in (0, 2, 4))

# Records how #upload-status changes, from before the form is sent to the end.
WATCH_STATUS = """() => {
    window.statusSeen = [];
    const status = document.getElementById('upload-status');
    new MutationObserver(() => window.statusSeen.push(status.textContent))
        .observe(status, {childList: true, characterData: true, subtree: true});
}"""


def gpx_run(day: dt.date, km: float) -> bytes:
    """A run of ``km`` at 3 m/s from 07:00 UTC on ``day``, with a heart rate."""
    start = dt.datetime.combine(day, dt.time(7), tzinfo=dt.UTC)
    points = xml.run_north(start, seconds=round(km * 1000 / 3.0), speed=3.0, every=10, hr=150)
    return xml.gpx([xml.Track([points], type="running")])


def fit_run(day: dt.date) -> bytes:
    """A watch's FIT file of three 1 km laps from 06:30 UTC on ``day`` (08:30 local time)."""
    start = dt.datetime.combine(day, dt.time(6, 30), tzinfo=dt.UTC)
    w = fit_files.FitWriter()
    fit_files.file_id(w, time_created=start)
    fit_files.device_info(w)
    fit_files.records(w, start, 300)
    for summary in fit_files.run_laps(start):
        fit_files.lap(w, summary)
    session = fit_files.run_session(start)
    fit_files.session(w, session)
    end = session.end()
    assert end is not None
    fit_files.activity(w, end, 7200)
    return w.build()


def activity_files(folder: Path) -> list[Path]:
    """Two GPX runs, one FIT run and one FIT file cut short (a broken download)."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "monday easy.gpx": gpx_run(MONDAY, 6.0),
        "wednesday.gpx": gpx_run(WEDNESDAY, 8.0),
        "friday laps.fit": fit_run(FRIDAY),
        "broken.fit": fit_run(FRIDAY)[:60],
    }
    paths = []
    for name, data in files.items():
        path = folder / name
        path.write_bytes(data)
        paths.append(path)
    return paths


# Keeps each chart's Vega view (charts.js announces it with piri:chart-drawn) by element id.
KEEP_VIEWS = """document.addEventListener('piri:chart-drawn', (event) => {
    (window.piriViews = window.piriViews || {})[event.target.id] = event.detail.view;
});"""
# The marks a chart drew (its scenegraph): type, name and each item's box and datum.
MARKS = """id => {
    const found = [];
    const walk = (node) => {
        if (!node || !node.items) return;
        if (node.marktype && node.role) {
            found.push({type: node.marktype, role: node.role, items: node.items.map(i => ({
                width: i.width ?? (i.x2 ?? i.x) - i.x,
                height: i.height ?? (i.y2 ?? i.y) - i.y,
                text: i.text === undefined ? null : String(i.text),
                datum: node.role === 'mark' ? JSON.parse(JSON.stringify(i.datum || {})) : {},
            }))});
        }
        node.items.forEach(walk);
    };
    walk(window.piriViews[id].scenegraph().root);
    return found;
}"""


def keep_chart_views(visit: Visit) -> None:
    """From the next page load on, keep the Vega views for :func:`chart_marks`."""
    visit.page.add_init_script(KEEP_VIEWS)


def chart_marks(visit: Visit, chart: str, kind: str, role: str = "mark") -> list[dict[str, Any]]:
    """The items of every ``kind`` mark (rect, line, symbol, text...) in ``#chart-{chart}``;
    ``role`` "mark" for the data, or e.g. "legend-label" for the legend's words."""
    marks: list[dict[str, Any]] = visit.page.evaluate(MARKS, f"chart-{chart}")
    return [
        item
        for mark in marks
        if mark["type"] == kind and mark["role"] == role
        for item in mark["items"]
    ]


def legend(visit: Visit, chart: str) -> list[str]:
    """The words of the chart's legend, as drawn."""
    return [item["text"] for item in chart_marks(visit, chart, "text", "legend-label")]


def chart_label(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


def day_label(day: dt.date) -> str:
    return f"{day:%a %d %b %Y}"


def drawn(visit: Visit, chart: str) -> Any:
    """The chart container, once vega-embed has drawn into it (a canvas or an SVG)."""
    box = visit.page.locator(f"#chart-{chart}")
    expect(box).to_have_attribute("data-drawn", "true")
    expect(box.locator("canvas, svg").first).to_be_visible()
    size = box.locator("canvas, svg").first.bounding_box()
    assert size and size["width"] > 200 and size["height"] > 100, size
    viewport = visit.page.viewport_size
    assert size["x"] + size["width"] <= viewport["width"] + 1, "the chart is wider than the page"
    return box


def test_runs_uploaded_listed_rated_and_charted(visit: Visit, tmp_path: Path) -> None:
    page = visit.page
    keep_chart_views(visit)
    for day, worst in ((MONDAY, 3), (WEDNESDAY, 5), (FRIDAY - dt.timedelta(days=1), 6)):
        put_day(visit, day, 2, worst)

    visit.go("/runs")
    expect(page.get_by_role("heading", name="No runs yet")).to_be_visible()
    visit.check_accessibility()
    page.get_by_role("link", name="Import runs", exact=True).click()
    page.wait_for_url(re.compile(r"/runs/import$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Import runs")
    expect(page.locator("#upload-progress")).to_be_hidden()
    visit.check_accessibility()
    visit.screenshot("import-form")

    page.get_by_label("Activity files or an export ZIP").set_input_files(
        activity_files(tmp_path / "files")
    )
    page.evaluate(WATCH_STATUS)
    url = page.url
    page.get_by_role("button", name="Import", exact=True).click()

    summary = page.get_by_role("region", name="Import finished")
    expect(summary).to_be_visible()
    assert page.url == url  # sent by upload.js, no page load
    expect(page.get_by_role("heading", name="Import finished")).to_be_focused()
    expect(page.locator("#upload-bar")).to_have_js_property("value", 100)
    expect(page.locator("#upload-status")).to_have_text("Done: the import summary is below.")
    seen: list[str] = page.evaluate("() => window.statusSeen")
    assert re.fullmatch(r"Uploading 4 files \(\d+ KB\)…", seen[0]), seen
    assert seen[-1] == "Done: the import summary is below.", seen
    expect(page.get_by_role("button", name="Import", exact=True)).to_be_enabled()

    expect(summary).to_contain_text("3 activities imported, 0 already there, from 4 files")
    counts = summary.locator(".counts li")
    expect(counts).to_have_text(["3 imported", "0 duplicate", "0 skipped", "1 failed"])
    failed = summary.locator("details").filter(has_text="Failed (1)")
    expect(failed).to_have_attribute("open", "")
    expect(failed.get_by_role("listitem")).to_have_text(
        [re.compile(r"^broken\.fit: truncated: the data ends at byte 60 of \d+")]
    )
    summary.get_by_text("Imported (3)").click()
    expect(summary.locator("details").filter(has_text="Imported (3)").locator("li")).to_have_text(
        [
            "monday easy.gpx: 1 activity",
            "wednesday.gpx: 1 activity",
            "friday laps.fit: 1 activity",
        ]
    )
    visit.check_accessibility()
    visit.screenshot("import-summary")

    # The runs list, newest first.
    summary.get_by_role("link", name="See your runs").click()
    page.wait_for_url(re.compile(r"/runs$"))
    expect(page.locator("#runs-count")).to_have_text("3 activities, newest first.")
    rows = page.locator(".runs-table tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.locator("th")).to_have_text(
        [f"{FRIDAY.isoformat()} 08:30", re.compile(f"^{WEDNESDAY}"), re.compile(f"^{MONDAY}")]
    )
    expect(rows.nth(0).locator("td")).to_have_text(
        ["running", "3.00 km", "16:10", "5:23/km", "152", re.compile(r"\d+"), "3", "-"]
    )
    expect(rows.nth(2).locator("td").nth(1)).to_have_text("6.00 km")
    visit.check_accessibility()
    visit.screenshot("runs-list")

    # One run: its facts, its laps, then how hard it felt.
    rows.nth(0).get_by_role("link").click()
    page.wait_for_url(re.compile(r"/runs/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Running, {FRIDAY.isoformat()} 08:30"
    )
    facts = page.locator(".facts")
    expect(facts).to_contain_text("Distance")
    expect(facts).to_contain_text("Maximum heart rate")
    expect(facts).to_contain_text("181 bpm")
    laps = page.get_by_role("region", name="Laps").locator("tbody tr")
    expect(laps).to_have_count(3)
    expect(laps.nth(1)).to_contain_text("1.00 km")
    expect(laps.nth(1).locator("td").nth(1)).to_have_text("4:00")
    expect(laps.nth(1).locator("td").nth(3)).to_have_text("170")
    visit.check_accessibility()
    visit.screenshot("run")

    choose(visit, "Effort (0-10)", "6")
    page.get_by_role("button", name="Save the effort").click()
    page.wait_for_url(re.compile(r"/runs/\d+\?rated=1$"))
    expect(page.get_by_role("status")).to_contain_text("Saved: effort 6 out of 10.")
    expect(
        page.get_by_role("group", name="Effort (0-10)").get_by_role("radio", name="6", exact=True)
    ).to_be_checked()
    visit.check_accessibility()
    visit.screenshot("run-rated")
    page.get_by_role("link", name="All runs").first.click()
    expect(page.locator(".runs-table tbody tr").nth(0).locator("td").last).to_have_text("6/10")

    # Load and pain: the chart drawn, its sentences and its numbers for anyone who cannot see it.
    page.get_by_role("navigation", name="Runs").get_by_role("link", name="Load and pain").click()
    page.wait_for_url(re.compile(r"/runs/load$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Training load and pain")
    chart = drawn(visit, "load")
    expect(chart).to_have_attribute("aria-hidden", "true")
    # Each run is a bar from zero as tall as its distance; the diary's worst pain a line.
    bars = {b["datum"]["label"]: b for b in chart_marks(visit, "load", "rect") if b["datum"]}
    assert set(bars) == {chart_label(d) for d in (MONDAY, WEDNESDAY, FRIDAY)}, bars
    heights = [bars[chart_label(d)]["height"] for d in (FRIDAY, MONDAY, WEDNESDAY)]
    assert 20 < heights[0] < heights[1] < heights[2], heights  # 3, 6 and 8 km
    assert abs(heights[1] / heights[0] - 2) < 0.1, heights
    assert all(b["width"] > 10 for b in bars.values()), bars
    pain = [p["datum"]["worst"] for p in chart_marks(visit, "load", "line")]
    assert pain == [3, 5, 6], pain
    assert legend(visit, "load") == ["Run", "Longer than usual (spike)", "Speed session"]
    sentences = page.locator("#chart-load-summary")
    expect(sentences).to_contain_text("3 days with runs, 17.0 km in all")
    expect(sentences).to_contain_text(
        f"Your worst pain in these days was 6, on {(FRIDAY - dt.timedelta(days=1)).day} "
    )
    numbers = page.locator(".chart-numbers")
    numbers.get_by_text("The numbers").click()
    table = numbers.get_by_role("table", name="Distance and pain, day by day")
    expect(table.locator("tbody tr")).to_have_count(4)
    cells = {
        table.locator("tbody tr").nth(i).locator("th").inner_text(): table.locator("tbody tr")
        .nth(i)
        .locator("td")
        .all_inner_texts()
        for i in range(4)
    }
    assert cells[day_label(MONDAY)][0] == "6.0" and cells[day_label(MONDAY)][2] == "3", cells
    assert cells[day_label(WEDNESDAY)][0] == "8.0" and cells[day_label(WEDNESDAY)][2] == "5"
    assert cells[day_label(FRIDAY)][0] == "3.0" and cells[day_label(FRIDAY)][2] == "-"
    assert cells[day_label(FRIDAY - dt.timedelta(days=1))][0::2] == ["-", "6"]
    weeks = page.locator("section[aria-labelledby=weeks-heading] tbody tr")
    last_week = weeks.filter(has_text=LAST_MONDAY.isoformat())
    expect(last_week.locator("td").nth(0)).to_have_text("3")
    expect(last_week.locator("td").nth(1)).to_have_text("17.0")
    expect(page.get_by_role("heading", name="Acute:chronic ratio")).to_be_visible()
    visit.check_accessibility()
    visit.screenshot("load")

    # The same files again: each one is already there, and the broken one still fails.
    visit.go("/runs/import")
    page.get_by_label("Activity files or an export ZIP").set_input_files(
        activity_files(tmp_path / "again")
    )
    page.get_by_role("button", name="Import", exact=True).click()
    summary = page.get_by_role("region", name="Import finished")
    expect(summary).to_contain_text("0 activities imported, 3 already there, from 4 files")


def test_runs_upload_of_nothing_says_why(visit: Visit, tmp_path: Path) -> None:
    page = visit.page
    visit.go("/runs/import")
    page.get_by_role("button", name="Import", exact=True).click()
    alert = page.locator("#import-result").get_by_role("alert")
    expect(alert).to_be_focused()
    expect(alert).to_contain_text("The upload was not imported")
    expect(page.locator("#upload-status")).to_have_text(
        "The upload was not imported: see why below."
    )
    notes = tmp_path / "notes.txt"
    notes.write_text("my runs this week")
    page.get_by_label("Activity files or an export ZIP").set_input_files(notes)
    page.get_by_role("button", name="Import", exact=True).click()
    summary = page.get_by_role("region", name="Import finished")
    expect(summary.locator(".notice.warn")).to_contain_text("No activities found.")
    expect(summary.locator("details").filter(has_text="Skipped (1)")).to_contain_text(
        "notes.txt: not an activity file"
    )
    visit.check_accessibility()
    visit.screenshot("nothing-found")


def test_runs_import_without_javascript(browser: Any, server: Server, tmp_path: Path) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(server.url + "/runs/import")
    page.get_by_label("Activity files or an export ZIP").set_input_files(
        activity_files(tmp_path / "files")
    )
    page.get_by_role("button", name="Import", exact=True).click()
    page.wait_for_load_state()
    summary = page.get_by_role("region", name="Import finished")
    expect(summary).to_contain_text("3 activities imported, 0 already there, from 4 files")
    expect(summary.locator("details").filter(has_text="Failed (1)")).to_contain_text(
        "broken.fit: truncated"
    )
    expect(page.locator("#upload-progress")).to_be_hidden()
    page.screenshot(
        path=str(_artifact("runs_import_without_javascript-phone-summary.png")), full_page=True
    )
    page.get_by_role("link", name="See your runs").click()
    expect(page.locator(".runs-table tbody tr")).to_have_count(3)
    # Without JavaScript the chart cannot be drawn: its sentences and numbers are still there.
    page.goto(server.url + "/runs/load")
    expect(page.locator("#chart-load-summary")).to_contain_text("3 days with runs, 17.0 km in all")
    expect(page.locator("#chart-load canvas")).to_have_count(0)
    context.close()


def _artifact(name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / name
