"""The runs pages: import by upload (a plain form; the summary of ``piri import``), the runs
list (``piri runs``), one run with its laps and its effort (``piri rate``), and training load
with pain (``piri load``)."""

from __future__ import annotations

import datetime as dt
import io
import re
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from piri.domain.diary import DayEntry
from piri.domain.load import ACWR_CRITICISM, TEN_PERCENT_RULE_NOTE
from piri.services.diary import log_day
from piri.services.imports import stored_activities
from piri.web.api import runs as runs_api
from piri.web.pages import runs as runs_pages
from tests import fit_files
from tests import xml_activity_files as xml
from tests.web.conftest import csrf

TODAY = dt.date.today()


def gpx_run(day: dt.date, km: float, sport: str = "running", hour: int = 7) -> bytes:
    """A run of ``km`` at 3 m/s starting at ``hour`` UTC on ``day``."""
    start = dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)
    points = xml.run_north(start, seconds=round(km * 1000 / 3.0), speed=3.0, every=10, hr=150)
    return xml.gpx([xml.Track([points], type=sport)])


def upload(
    client: TestClient, files: list[tuple[str, bytes]], headers: dict[str, str] | None = None
) -> object:
    return client.post(
        "/runs/import",
        data={"csrf_token": csrf(client)},
        files=[("files", (name, data, "application/octet-stream")) for name, data in files],
        headers=headers or {},
    )


def text_of(html: str) -> str:
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    return words.replace("&#39;", "'").replace("&amp;", "&").replace("&lt;", "<")


def main(html: str) -> str:
    return text_of(html.split('<main id="main"', 1)[1].split("</main>", 1)[0])


@pytest.fixture
def temp_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Temporary files of the uploads go here, so a test can see that none are left."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    yield folder


# --- Import --------------------------------------------------------------------------------------


def test_the_import_form_works_without_javascript(client: TestClient) -> None:
    page = client.get("/runs/import")
    assert page.status_code == 200
    html = page.text
    assert '<form method="post" action="/runs/import" enctype="multipart/form-data"' in html
    assert 'name="csrf_token"' in html
    assert re.search(r'<input id="field-files" name="files" type="file" multiple', html)
    assert 'accept=".fit,.gpx,.tcx,.gz,.zip"' in html
    assert 'data-max-bytes="1073741824"' in html and "Up to 1.0 GB at a time." in html
    assert '<progress id="upload-bar"' in html and "js/upload.js" in html


def test_an_upload_gives_each_file_its_outcome_and_leaves_no_temporary_files(
    client: TestClient, temp_folder: Path
) -> None:
    response = upload(
        client,
        [
            ("morning run.gpx", gpx_run(TODAY - dt.timedelta(days=2), 5.4)),
            ("watch.fit", fit_files.run_file()),
            ("notes.txt", b"not an activity"),
            ("settings.fit", fit_files.settings_file()),
            ("broken.fit", fit_files.run_file()[:60]),
        ],
    )
    assert response.status_code == 200
    words = main(response.text)
    assert "2 activities imported, 0 already there, from 5 files" in words
    assert "2 imported 0 duplicate 2 skipped 1 failed" in words
    assert "broken.fit : truncated: the data ends at byte 60 of" in words
    assert "notes.txt : not an activity file (.fit, .gpx or .tcx, optionally .gz)" in words
    assert "settings.fit : a settings file (file type 2), not an activity" in words
    assert "morning run.gpx : 1 activity" in words
    assert [a.activity.origin for a in stored_activities()[0]] == ["morning run.gpx", "watch.fit"]
    assert list(temp_folder.iterdir()) == []  # the copies are gone

    again = upload(client, [("morning run.gpx", gpx_run(TODAY - dt.timedelta(days=2), 5.4))])
    assert "0 activities imported, 1 already there" in main(again.text)
    assert stored_activities()[1] == 2


def test_a_strava_export_zip_is_read_entry_by_entry(client: TestClient) -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as export:
        export.writestr("activities/1.gpx", gpx_run(TODAY - dt.timedelta(days=3), 8))
        export.writestr("activities/2.gpx", gpx_run(TODAY - dt.timedelta(days=1), 10))
        export.writestr("profile.csv", "name\nme\n")
    response = upload(client, [("export.zip", archive.getvalue())])
    assert response.status_code == 200
    words = main(response.text)
    assert "2 activities imported" in words
    assert "export.zip:activities/1.gpx : 1 activity" in words


def test_a_corrupt_zip_is_skipped_with_its_reason(client: TestClient) -> None:
    response = upload(client, [("export.zip", b"PK\x03\x04 not really a zip")])
    assert response.status_code == 200
    words = main(response.text)
    assert "export.zip : not a readable ZIP archive" in words
    assert "No activities found." in words


def test_no_file_chosen_is_named(client: TestClient) -> None:
    response = client.post(
        "/runs/import",
        data={"csrf_token": csrf(client)},
        files=[("files", ("", b"", "application/octet-stream"))],
    )
    assert response.status_code == 422
    assert "files: choose at least one file" in response.text
    assert 'aria-invalid="true"' in response.text


def test_a_too_big_upload_is_refused_before_it_is_read(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runs_api, "DEFAULT_MAX_UPLOAD_BYTES", 10_000)
    response = upload(client, [("big.gpx", gpx_run(TODAY, 12))])
    assert response.status_code == 413
    words = main(response.text)
    assert "files: the upload" in words and "larger than this server's limit of 9.8 KB" in words
    assert stored_activities()[1] == 0


def test_a_too_big_upload_without_a_length_is_stopped_while_it_arrives(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runs_api, "DEFAULT_MAX_UPLOAD_BYTES", 10_000)
    body = (
        b'--edge\r\nContent-Disposition: form-data; name="files"; filename="big.gpx"\r\n'
        b"Content-Type: application/gpx+xml\r\n\r\n" + gpx_run(TODAY, 12) + b"\r\n--edge--\r\n"
    )

    def chunks() -> Iterator[bytes]:  # no Content-Length: the body is sent chunked
        for start in range(0, len(body), 4096):
            yield body[start : start + 4096]

    response = client.post(
        "/runs/import",
        content=chunks(),
        headers={
            "Content-Type": "multipart/form-data; boundary=edge",
            "X-CSRF-Token": csrf(client),
        },
    )
    assert response.status_code == 413
    assert "larger than this server" in response.text
    assert stored_activities()[1] == 0


def test_the_script_gets_the_summary_alone(client: TestClient) -> None:
    response = upload(
        client,
        [("run.gpx", gpx_run(TODAY, 5))],
        headers={"HX-Request": "true", "X-CSRF-Token": csrf(client)},
    )
    assert response.status_code == 200
    assert "<html" not in response.text and "<h1" not in response.text
    assert '<h2 id="import-heading" tabindex="-1">Import finished</h2>' in response.text


def test_an_upload_without_the_csrf_token_is_refused(client: TestClient) -> None:
    response = client.post(
        "/runs/import", files=[("files", ("run.gpx", gpx_run(TODAY, 5), "application/gpx+xml"))]
    )
    assert response.status_code == 403
    assert stored_activities()[1] == 0


# --- The runs list -------------------------------------------------------------------------------


def test_no_runs_yet_leads_to_the_import(client: TestClient) -> None:
    response = client.get("/runs")
    assert response.status_code == 200
    assert "No runs yet" in response.text and 'href="/runs/import"' in response.text


def test_the_list_shows_every_column_newest_first_and_filters_by_date(client: TestClient) -> None:
    upload(
        client,
        [
            ("old.fit", fit_files.run_file()),  # 1 May 2024, 3 laps
            ("new.gpx", gpx_run(TODAY - dt.timedelta(days=1), 5.4)),
        ],
    )
    response = client.get("/runs")
    assert response.status_code == 200
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>", response.text, re.S)
    assert len(rows) == 2
    newest, oldest = (text_of(r) for r in rows)
    assert (TODAY - dt.timedelta(days=1)).isoformat() in newest
    assert "running 5.40 km 30:00 5:33/km 150 - 0 -" in newest
    assert "2024-05-01 08:30" in oldest  # local time: the file says UTC+2
    assert "running 3.00 km 16:10 5:23/km 152 172 3 -" in oldest  # steps a minute
    assert "Date Sport Distance Time Pace Heart rate Cadence Laps Effort" in text_of(response.text)

    since = client.get(f"/runs?since={TODAY - dt.timedelta(days=30)}")
    assert since.status_code == 200
    assert len(re.findall(r"<tr>\s*<th scope=\"row\">", since.text)) == 1
    assert "1 activity since" in text_of(since.text)


def test_a_wrong_since_date_is_named_and_kept(client: TestClient) -> None:
    response = client.get("/runs?since=last+week")
    assert response.status_code == 422
    assert "since: &#39;last week&#39; is not a date; use YYYY-MM-DD" in response.text
    assert 'value="last week"' in response.text


def test_long_lists_come_in_pages(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runs_pages, "RUNS_PAGE_SIZE", 2)
    upload(client, [(f"{n}.gpx", gpx_run(TODAY - dt.timedelta(days=n), 5)) for n in range(1, 6)])
    first = client.get("/runs").text
    assert "page 1 of 3" in first and 'href="/runs?page=2"' in first
    last = client.get("/runs?page=3").text
    assert len(re.findall(r"<tr>\s*<th scope=\"row\">", last)) == 1
    assert (TODAY - dt.timedelta(days=5)).isoformat() in last and 'href="/runs?page=2"' in last
    assert client.get("/runs?page=999999999999999999").text.count("page 3 of 3") == 1
    for wrong in ("²", "0", "-1", "two"):
        assert "page 1 of 3" in client.get(f"/runs?page={wrong}").text


# --- One run -------------------------------------------------------------------------------------


def test_a_run_shows_its_facts_and_laps(client: TestClient) -> None:
    upload(client, [("watch.fit", fit_files.run_file())])
    (run,), _ = stored_activities()
    response = client.get(f"/runs/{run.id}")
    assert response.status_code == 200
    words = main(response.text)
    assert "Running, 2024-05-01 08:30" in words
    for fact in ("Distance 3.00 km", "Ascent 42 m", "Maximum heart rate 181 bpm", "File watch.fit"):
        assert fact in words
    assert "Stance time 251 ms" in words and "Vertical oscillation 8.8 cm" in words
    laps = re.findall(r"<tr><th scope=\"row\">(\d)</th>(.*?)</tr>", response.text)
    assert [n for n, _ in laps] == ["1", "2", "3"]
    assert "1.00 km" in laps[1][1] and "4:00" in laps[1][1]  # the fast lap
    assert "How hard did it feel?" in words


def test_rating_a_run_saves_the_effort(client: TestClient) -> None:
    upload(client, [("watch.fit", fit_files.run_file())])
    (run,), _ = stored_activities()
    response = client.post(
        f"/runs/{run.id}/rating", data={"csrf_token": csrf(client), "effort": "7"}
    )
    assert response.status_code == 200  # after the redirect
    assert "Saved: effort 7 out of 10." in response.text
    assert 'id="effort-7" name="effort" value="7" checked' in response.text
    assert stored_activities()[0][0].effort == 7
    assert "7/10" in client.get("/runs").text


@pytest.mark.parametrize(
    ("effort", "message"),
    [
        ("11", "effort: expected 0 (rest) to 10 (maximal), got 11"),
        ("-1", "effort: expected 0 (rest) to 10 (maximal), got -1"),
        ("hard", "effort: expected a whole number from 0 (rest) to 10, got &#39;hard&#39;"),
        ("", "effort: choose how hard the run felt, from 0 (rest) to 10 (maximal)"),
    ],
)
def test_a_wrong_effort_is_named(client: TestClient, effort: str, message: str) -> None:
    upload(client, [("watch.fit", fit_files.run_file())])
    (run,), _ = stored_activities()
    response = client.post(
        f"/runs/{run.id}/rating", data={"csrf_token": csrf(client), "effort": effort}
    )
    assert response.status_code == 422
    assert message in response.text
    assert stored_activities()[0][0].effort is None


def test_only_runs_are_rated(client: TestClient) -> None:
    upload(client, [("ride.gpx", gpx_run(TODAY, 20, sport="cycling"))])
    (ride,), _ = stored_activities()
    page = client.get(f"/runs/{ride.id}").text
    assert "How hard did it feel?" not in page
    response = client.post(
        f"/runs/{ride.id}/rating", data={"csrf_token": csrf(client), "effort": "5"}
    )
    assert response.status_code == 422
    assert "only runs are rated" in response.text


def test_a_run_that_does_not_exist(client: TestClient) -> None:
    assert client.get("/runs/999").status_code == 404
    response = client.post("/runs/999/rating", data={"csrf_token": csrf(client), "effort": "5"})
    assert response.status_code == 404
    assert "There is no run 999." in response.text


# --- Training load -------------------------------------------------------------------------------


def test_load_without_runs_leads_to_the_import(client: TestClient) -> None:
    response = client.get("/runs/load")
    assert response.status_code == 200
    assert "No runs yet" in response.text and 'href="/runs/import"' in response.text
    assert "vega" not in response.text


def import_training(client: TestClient, long_runs_days_ago: tuple[int, ...] = (22, 12, 2)) -> None:
    """Six weeks of 5 km runs every other day, with a 12 km run instead on the days given
    (the first a spike); the diary every day, worst pain 2, and 6 the day after a long run."""
    start = TODAY - dt.timedelta(weeks=6)
    long_days = {TODAY - dt.timedelta(days=n) for n in long_runs_days_ago}
    flare_days = {day + dt.timedelta(days=1) for day in long_days}
    files = [(f"long-{day}.gpx", gpx_run(day, 12)) for day in sorted(long_days)]
    day = start
    while day < TODAY - dt.timedelta(days=2):
        if day not in long_days and day - dt.timedelta(days=1) not in long_days:
            files.append((f"{day}.gpx", gpx_run(day, 5)))
        day += dt.timedelta(days=1 if day in long_days else 2)
    upload(client, files)
    day = start
    while day <= TODAY:
        log_day(DayEntry(day, 1, 6 if day in flare_days else 2))
        day += dt.timedelta(days=1)


def test_one_flare_is_too_little_to_advise_on(client: TestClient) -> None:
    import_training(client, long_runs_days_ago=(2,))
    words = main(client.get("/runs/load").text)
    assert "Pain and load: a pattern, not proof" in words
    assert "worst pain 2 to 6" in words
    assert "(Piri needs at least 3 flares and runs in 4 weeks)" in words
    assert "What to do" not in words


def test_load_shows_the_weeks_the_ratio_with_its_criticism_and_the_pain(
    client: TestClient,
) -> None:
    import_training(client)
    response = client.get("/runs/load")
    assert response.status_code == 200
    html = response.text
    words = main(html)
    # The weekly table: the last 8 weeks by default, every column.
    assert "Week of Runs km Longest Change Speed sessions Spikes Monotony" in words
    weeks = re.findall(r"<tr>\s*<th scope=\"row\">(\d{4}-\d\d-\d\d)", html)
    assert len(weeks) == 7 and "(so far)" in words
    assert "12.0" in words  # the longest run
    # The ratio with its criticism right beside it, and the 10% rule's note.
    acwr = words[words.index("Acute:chronic ratio") :]
    assert "Your last 7 days of running against your last 28" in acwr
    assert ACWR_CRITICISM in acwr[:2000]
    assert TEN_PERCENT_RULE_NOTE in words
    # The spike, the flare and the report, honestly worded, with advice and its sources.
    assert "more than twice as long as the longest run of the previous 30 days" in words
    assert "Pain and load: a pattern, not proof" in words
    assert "worst pain 2 to 6" in words
    assert "When your pain is worse the next day, shorten or slow down your next run" in words
    assert 'href="https://bim.physio/the-pain-monitoring-model/"' in html
    # The chart: distance and pain by day, the spike marked.
    spec = re.search(r'<script type="application/json" id="spec-load">(.*?)</script>', html, re.S)
    assert spec is not None
    assert '"Longer than usual (spike)"' in spec.group(1)
    assert f'"{(TODAY - dt.timedelta(days=1)).isoformat()}T12:00:00Z"' in spec.group(1)


def test_the_weeks_shown_can_be_chosen_and_a_wrong_number_is_named(client: TestClient) -> None:
    import_training(client)
    two = client.get("/runs/load?weeks=2").text
    assert len(re.findall(r"<tr>\s*<th scope=\"row\">(\d{4}-\d\d-\d\d)", two)) == 2
    wrong = client.get("/runs/load?weeks=0")
    assert wrong.status_code == 422
    assert "weeks: expected a whole number from 1 to 520, got &#39;0&#39;" in wrong.text
    assert 'value="0"' in wrong.text
