"""The runs, load and progress API over HTTP: uploads with each file's outcome, the runs list
with its pages, one run and its effort, training load and progress week by week, and the
progress charts; what they say agrees with ``piri runs``, ``piri load`` and ``piri progress``
(``--format json``), and every wrong value gets a stable code that names the field."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from piri.domain.diary import DayEntry
from piri.domain.load import (
    ACWR_CRITICISM,
    ACWR_CRITICISM_SOURCES,
    SPIKE_BAND_LABELS,
    TEN_PERCENT_RULE_NOTE,
    TEN_PERCENT_RULE_SOURCES,
)
from piri.services.diary import log_day
from piri.services.imports import stored_activities
from piri.services.progress import progress
from piri.services.scores import record_lefs
from piri.web.api import runs as runs_api
from tests import fit_files
from tests.conftest import PiriRunner
from tests.web.conftest import csrf
from tests.web.test_api_diary_scores import as_, shared
from tests.web.test_progress_pages import THIS_MONDAY, log_weeks
from tests.web.test_runs_pages import gpx_run, import_training

__all__ = ["shared"]  # a fixture, used by name

TODAY = dt.date.today()
NO_FILES = {"code": "invalid_input", "message": runs_api.NO_FILES, "field": "files"}


def api_upload(
    client: TestClient, files: list[tuple[str, bytes]], headers: dict[str, str] | None = None
) -> Any:
    return client.post(
        "/api/v1/runs/import",
        files=[("files", (name, data, "application/octet-stream")) for name, data in files],
        headers={"X-CSRF-Token": csrf(client)} if headers is None else headers,
    )


def without(document: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k not in keys}


def as_json(document: Any) -> Any:
    """As ``piri ... --format json`` prints it (dates as text)."""
    return json.loads(json.dumps(document, default=str))


# --- import -------------------------------------------------------------------------------------


def test_an_import_gives_each_file_its_outcome(client: TestClient) -> None:
    run = gpx_run(TODAY - dt.timedelta(days=1), 5.4)
    truncated = fit_files.run_file()
    response = api_upload(
        client,
        [
            ("morning run.gpx", run),
            ("broken.gpx", b"<gpx><trk>"),
            ("notes.txt", b"not an activity"),
            ("watch.fit", truncated[:60]),
        ],
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["imported"], body["duplicates"]) == (1, 0)
    assert body["counts"] == {"imported": 1, "duplicate": 0, "skipped": 1, "failed": 2}
    files = {f["origin"]: f for f in body["files"]}
    assert files["morning run.gpx"] == {
        "origin": "morning run.gpx",
        "outcome": "imported",
        "detail": "",
        "activities": 1,
    }
    assert files["broken.gpx"]["outcome"] == "failed"
    assert files["broken.gpx"]["detail"].startswith(
        "broken GPX file, nothing usable before the damage:"
    )
    assert files["notes.txt"] == {
        "origin": "notes.txt",
        "outcome": "skipped",
        "detail": "not an activity file (.fit, .gpx or .tcx, optionally .gz)",
        "activities": 0,
    }
    assert files["watch.fit"]["detail"] == (
        f"truncated: the data ends at byte 60 of {len(truncated)}"
    )
    assert body["bytes_read"] > len(run) and body["seconds"] >= 0
    (stored,), total = stored_activities()
    assert total == 1 and stored.activity.origin == "morning run.gpx"


def test_importing_the_same_run_again_is_a_duplicate(client: TestClient) -> None:
    run = gpx_run(TODAY - dt.timedelta(days=1), 5.4)
    assert api_upload(client, [("run.gpx", run)]).json()["imported"] == 1
    again = api_upload(client, [("copy of run.gpx", run)]).json()
    assert (again["imported"], again["duplicates"]) == (0, 1)
    assert again["files"] == [
        {
            "origin": "copy of run.gpx",
            "outcome": "duplicate",
            "detail": "already imported",
            "activities": 1,
        }
    ]
    assert stored_activities()[1] == 1


@pytest.mark.parametrize(
    "send",
    [
        {"files": []},  # a multipart form without the field
        {"files": [("files", ("", b"", "application/octet-stream"))]},  # no file chosen
        {"data": {"other": "field"}},
        {"content": b""},
    ],
)
def test_an_import_with_no_file_names_the_field(client: TestClient, send: dict[str, Any]) -> None:
    response = client.post("/api/v1/runs/import", headers={"X-CSRF-Token": csrf(client)}, **send)
    assert response.status_code == 422
    assert response.json() == NO_FILES


def test_an_import_from_a_browser_needs_the_csrf_token(client: TestClient) -> None:
    response = api_upload(client, [("run.gpx", gpx_run(TODAY, 5))], headers={})
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert stored_activities()[1] == 0


def test_a_too_big_upload_is_refused_naming_the_field(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runs_api, "DEFAULT_MAX_UPLOAD_BYTES", 10_000)
    response = api_upload(client, [("big.gpx", gpx_run(TODAY, 12))])
    assert response.status_code == 413
    body = response.json()
    assert (body["code"], body["field"]) == ("upload_too_large", "files")
    assert "larger than this server's limit of 9.8 KB" in body["message"]
    assert stored_activities()[1] == 0


# --- the runs -----------------------------------------------------------------------------------


def test_the_runs_agree_with_piri_runs_json_newest_first(
    client: TestClient, piri: PiriRunner
) -> None:
    api_upload(
        client,
        [
            ("watch.fit", fit_files.run_file()),
            ("new.gpx", gpx_run(TODAY - dt.timedelta(days=1), 5)),
        ],
    )
    response = client.get("/api/v1/runs")
    assert response.status_code == 200
    body = response.json()
    assert (body["total"], body["offset"]) == (2, 0)
    newest, oldest = body["runs"]
    assert (newest["origin"], oldest["origin"]) == ("new.gpx", "watch.fit")
    cli = json.loads(piri("runs", "--format", "json").stdout)  # oldest first
    assert [without(r, "id", "effort") for r in reversed(body["runs"])] == cli
    assert newest["effort"] is None and isinstance(newest["id"], int)
    assert (oldest["local_start"], oldest["utc_offset_seconds"]) == ("2024-05-01T08:30:00", 7200)
    assert (oldest["distance_m"], len(oldest["laps"])) == (3003.0, 3)
    one = client.get(f"/api/v1/runs/{oldest['id']}")
    assert one.status_code == 200
    assert one.json() == oldest


def test_since_limit_and_offset_page_through_the_runs(client: TestClient) -> None:
    days = [TODAY - dt.timedelta(days=n) for n in (1, 2, 3)]
    api_upload(client, [(f"{day}.gpx", gpx_run(day, 5)) for day in days])

    def starts(query: str) -> tuple[int, list[str]]:
        body = client.get(f"/api/v1/runs?{query}").json()
        return body["total"], [r["start"][:10] for r in body["runs"]]

    every = [day.isoformat() for day in days]
    assert starts("") == (3, every)
    assert starts("limit=2") == (3, every[:2])
    assert starts("limit=2&offset=2") == (3, every[2:])
    assert starts(f"since={days[1]}") == (2, every[:2])
    assert starts(f"since={days[1]}&offset=1") == (2, every[1:2])
    assert starts("offset=3") == (3, [])
    assert starts("since=&limit=&offset=") == (3, every)  # empty is left out
    # An offset past anything a database can count is past the end, not a failure.
    huge = client.get(f"/api/v1/runs?offset={10**20}")
    assert huge.status_code == 200
    assert huge.json() == {"total": 3, "offset": 10**20, "runs": []}


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("since=last-week", "since", "since: 'last-week' is not a date; use YYYY-MM-DD"),
        ("since=2025-02-30", "since", "since: '2025-02-30' is not a date; use YYYY-MM-DD"),
        ("limit=0", "limit", "limit: expected a whole number from 1 to 500, got '0'"),
        ("limit=501", "limit", "limit: expected a whole number from 1 to 500, got '501'"),
        ("limit=abc", "limit", "limit: expected a whole number from 1 to 500, got 'abc'"),
        ("limit=2.5", "limit", "limit: expected a whole number from 1 to 500, got '2.5'"),
        ("offset=-1", "offset", "offset: expected a whole number, 0 or more, got '-1'"),
        ("offset=x", "offset", "offset: expected a whole number, 0 or more, got 'x'"),
        ("offset=%C2%B2", "offset", "offset: expected a whole number, 0 or more, got '²'"),
    ],
)
def test_a_wrong_since_limit_or_offset_is_named(
    client: TestClient, query: str, field: str, message: str
) -> None:
    response = client.get(f"/api/v1/runs?{query}")
    assert response.status_code == 422
    assert response.json() == {"code": "invalid_input", "message": message, "field": field}


@pytest.mark.parametrize("run_id", ["999", str(2**63), str(10**20)])
def test_a_run_that_does_not_exist_is_not_found(client: TestClient, run_id: str) -> None:
    expected = {"code": "not_found", "message": f"There is no run {run_id}."}
    response = client.get(f"/api/v1/runs/{run_id}")
    assert response.status_code == 404
    assert response.json() == expected
    rating = client.post(f"/api/v1/runs/{run_id}/rating", json={"effort": 5})
    assert rating.status_code == 404
    assert rating.json() == expected


# --- effort ---------------------------------------------------------------------------------------


def one_run(client: TestClient) -> int:
    api_upload(client, [("watch.fit", fit_files.run_file())])
    (run,), _ = stored_activities()
    return run.id


@pytest.mark.parametrize("effort", [7, "7", " 7 "])
def test_rating_a_run_stores_the_effort(client: TestClient, effort: Any) -> None:
    run = one_run(client)
    response = client.post(f"/api/v1/runs/{run}/rating", json={"effort": effort})
    assert response.status_code == 200
    assert response.json() == {"id": run, "effort": 7, "run": "08:30, 3.0 km"}
    assert client.get(f"/api/v1/runs/{run}").json()["effort"] == 7
    assert stored_activities()[0][0].effort == 7


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"effort": 11}, "effort: expected 0 (rest) to 10 (maximal), got 11"),
        ({"effort": -1}, "effort: expected 0 (rest) to 10 (maximal), got -1"),
        ({"effort": "hard"}, "effort: expected a whole number from 0 (rest) to 10, got 'hard'"),
        ({"effort": 7.5}, "effort: expected a whole number from 0 (rest) to 10, got 7.5"),
        ({"effort": "²"}, "effort: expected a whole number from 0 (rest) to 10, got '²'"),
        ({"effort": True}, "effort: choose how hard the run felt, from 0 (rest) to 10 (maximal)"),
        ({"effort": ""}, "effort: choose how hard the run felt, from 0 (rest) to 10 (maximal)"),
        ({}, "effort: choose how hard the run felt, from 0 (rest) to 10 (maximal)"),
        ([7], "effort: choose how hard the run felt, from 0 (rest) to 10 (maximal)"),
    ],
)
def test_a_wrong_effort_is_named(client: TestClient, body: Any, message: str) -> None:
    run = one_run(client)
    response = client.post(f"/api/v1/runs/{run}/rating", json=body)
    assert response.status_code == 422
    assert response.json() == {"code": "invalid_input", "message": message, "field": "effort"}
    assert stored_activities()[0][0].effort is None


def test_a_rating_that_is_not_json_is_named(client: TestClient) -> None:
    run = one_run(client)
    response = client.post(
        f"/api/v1/runs/{run}/rating",
        content=b"effort=7",
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json() == {
        "code": "invalid_input",
        "message": 'Send JSON: {"effort": 0-10}.',
        "field": "effort",
    }


def test_only_runs_are_rated(client: TestClient) -> None:
    api_upload(client, [("ride.gpx", gpx_run(TODAY, 20, sport="cycling"))])
    (ride,), _ = stored_activities()
    response = client.post(f"/api/v1/runs/{ride.id}/rating", json={"effort": 5})
    assert response.status_code == 422
    assert response.json() == {
        "code": "invalid_input",
        "message": "effort: only runs are rated (they are what counts as load); this is cycling",
        "field": "effort",
    }


# --- training load ------------------------------------------------------------------------------


def test_load_agrees_with_piri_load_json(client: TestClient, piri: PiriRunner) -> None:
    import_training(client)
    response = client.get("/api/v1/load")
    assert response.status_code == 200
    api = response.json()
    cli = json.loads(piri("load", "--format", "json").stdout)
    assert len(api["weeks"]) == 7  # six weeks back and this one: fewer than the default 8
    assert [without(w, "monotony_note") for w in api["weeks"]] == cli["weeks"]
    assert api["acwr"] == cli["acwr"]
    assert api["acwr_criticism"] == cli["acwr_criticism"] == ACWR_CRITICISM
    assert api["ten_percent_rule"] == cli["ten_percent_rule"] == TEN_PERCENT_RULE_NOTE
    assert api["acwr_criticism_sources"] == as_json(list(ACWR_CRITICISM_SOURCES))
    assert api["ten_percent_rule_sources"] == as_json(list(TEN_PERCENT_RULE_SOURCES))
    assert [without(s, "label", "distance_m") for s in api["spikes"]] == cli["spikes"]
    assert cli["spikes"], "the first long run is a spike"
    assert [s["label"] for s in api["spikes"]] == [
        SPIKE_BAND_LABELS[s["band"]] for s in cli["spikes"]
    ]
    assert {s["distance_m"] for s in api["spikes"]} == {12000.0}
    assert (api["flares"], api["findings"]) == (cli["flares"], cli["findings"])
    assert any("worst pain 2 to 6" in flare for flare in api["flares"])
    assert api["enough_data"] is cli["enough_data"] is True
    assert [a["text"] for a in api["advice"]] == cli["advice"]
    assert all(a["sources"] for a in api["advice"])
    assert api["weeks"][-1]["monday"] == THIS_MONDAY.isoformat()


def test_load_shows_the_weeks_asked_for(client: TestClient) -> None:
    import_training(client)
    every = client.get("/api/v1/load?weeks=520").json()["weeks"]
    two = client.get("/api/v1/load?weeks=2").json()["weeks"]
    assert two == every[-2:]
    assert client.get("/api/v1/load?weeks=").json()["weeks"] == every[-8:]


def test_load_without_runs_is_empty_with_its_notes(client: TestClient) -> None:
    body = client.get("/api/v1/load").json()
    assert (body["weeks"], body["spikes"], body["flares"]) == ([], [], [])
    assert body["acwr"] is None and body["acwr_zone"] is None
    assert body["enough_data"] is False and body["advice"] == []
    assert body["acwr_criticism"] == ACWR_CRITICISM


@pytest.mark.parametrize("weeks", ["0", "521", "abc", "-1", "2.5", "²"])
def test_a_wrong_number_of_weeks_is_named(client: TestClient, weeks: str) -> None:
    response = client.get("/api/v1/load", params={"weeks": weeks})
    assert response.status_code == 422
    assert response.json() == {
        "code": "invalid_input",
        "message": f"weeks: expected a whole number from 1 to 520, got '{weeks}'",
        "field": "weeks",
    }


# --- progress -----------------------------------------------------------------------------------


def test_empty_progress_says_what_to_do(client: TestClient) -> None:
    body = client.get("/api/v1/progress").json()
    assert body["summary"] == [
        "Keep the diary for two weeks or more to see how your pain is changing."
    ]
    assert [s["weeks"] for s in body["series"]] == [[], [], []]
    assert body["days_planned"] == 4  # the profile's default days a week
    charts = client.get("/api/v1/progress/charts").json()
    assert (charts["period"], charts["weeks_shown"], charts["weeks_total"]) == ("all", 0, 0)
    assert [c["id"] for c in charts["charts"]] == [
        "pain",
        "sitting",
        "lefs",
        "psfs",
        "sessions",
        "running",
    ]
    for chart in charts["charts"]:
        assert chart["spec"] is None and chart["summary"] == []
        assert chart["empty"] and chart["link"]["href"].startswith("/")
    links = [c["link"]["href"] for c in charts["charts"]]
    assert links == ["/diary", "/diary", "/scores/lefs", "/scores/psfs", "/today", "/runs/import"]


def test_progress_agrees_with_piri_progress_json(client: TestClient, piri: PiriRunner) -> None:
    log_weeks(4)  # worst pain 7, 6, 5, 4; pain now 2; sitting 10, 15, 20, 25 minutes
    record_lefs([2] * 20, day=THIS_MONDAY - dt.timedelta(weeks=2))  # 40
    record_lefs([3] * 20, day=THIS_MONDAY)  # 60
    response = client.get("/api/v1/progress")
    assert response.status_code == 200
    api = response.json()
    cli = json.loads(piri("progress", "--format", "json").stdout)
    assert {k: api[k] for k in ("series", "scores", "summary")} == cli
    weeks = [(THIS_MONDAY - dt.timedelta(weeks=3 - n)).isoformat() for n in range(4)]
    assert api["series"][0] == {
        "name": "Worst pain (0-10)",
        "weeks": weeks,
        "values": [7.0, 6.0, 5.0, 4.0],
    }
    assert api["pain_now"] == {"name": "Pain now (0-10)", "weeks": weeks, "values": [2.0] * 4}
    assert api["sessions_done"] == {"name": "Sessions done", "weeks": weeks, "values": [0.0] * 4}
    assert api["running_km"] == {"name": "Running distance (km)", "weeks": [], "values": []}
    assert api["summary"][:3] == [
        "Your worst pain fell from 7 to 4 over 3 weeks: that is a real change.",
        "You can sit about 25 minutes before the pain starts, against 10 at first.",
        "Your LEFS score went from 40 to 60: a real change.",
    ]


def week_label(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


def test_the_charts_carry_the_cli_sentences_and_a_table_of_their_numbers(
    client: TestClient,
) -> None:
    log_weeks(4)
    response = client.get("/api/v1/progress/charts")
    assert response.status_code == 200
    body = response.json()
    assert body["summary"] == progress().summary
    assert (body["period"], body["weeks_shown"], body["weeks_total"]) == ("all", 4, 4)
    charts = {c["id"]: c for c in body["charts"]}
    pain = charts["pain"]
    assert pain["summary"][0] == progress().summary[0]
    assert (
        pain["summary"][1] == f"Latest week ({week_label(THIS_MONDAY)}): worst pain 4, pain now 2."
    )
    weeks = [THIS_MONDAY - dt.timedelta(weeks=3 - n) for n in range(4)]
    assert pain["table"] == {
        "columns": ["Week of", "Worst pain", "Pain now"],
        "rows": [[week_label(w), str(7 - n), "2"] for n, w in enumerate(weeks)],
    }
    assert pain["spec"] is not None and pain["empty"] is None and pain["link"] is None
    assert charts["sitting"]["table"]["rows"][-1] == [week_label(THIS_MONDAY), "25"]
    assert charts["sessions"]["summary"] == [
        f"Latest week ({week_label(THIS_MONDAY)}): 0 of 4 planned sessions.",
        "Over these 4 weeks: 0 of 16 planned sessions (0%).",
    ]
    assert charts["lefs"]["spec"] is None and charts["lefs"]["link"] == {
        "text": "Fill in the LEFS",
        "href": "/scores/lefs",
    }


def log_a_day_a_week(weeks: int) -> None:
    """One diary day on the Monday of each of the last ``weeks`` weeks (today's included)."""
    for back in range(weeks):
        log_day(DayEntry(THIS_MONDAY - dt.timedelta(weeks=back), 2, 5))


@pytest.mark.parametrize(
    ("query", "period", "shown"),
    [("", "26", 26), ("weeks=12", "12", 12), ("weeks=52", "52", 30), ("weeks=all", "all", 30)],
)
def test_the_charts_show_the_weeks_asked_for(
    client: TestClient, query: str, period: str, shown: int
) -> None:
    log_a_day_a_week(30)
    body = client.get(f"/api/v1/progress/charts?{query}").json()
    assert (body["period"], body["weeks_shown"], body["weeks_total"]) == (period, shown, 30)
    rows = next(c for c in body["charts"] if c["id"] == "pain")["table"]["rows"]
    assert len(rows) == shown
    first = THIS_MONDAY - dt.timedelta(weeks=shown - 1)
    assert (rows[0][0], rows[-1][0]) == (week_label(first), week_label(THIS_MONDAY))


@pytest.mark.parametrize("weeks", ["13", "ALL", "abc", "0"])
def test_a_wrong_period_is_named(client: TestClient, weeks: str) -> None:
    response = client.get(f"/api/v1/progress/charts?weeks={weeks}")
    assert response.status_code == 422
    assert response.json() == {
        "code": "invalid_input",
        "message": f"weeks: expected one of 12, 26, 52, all, got '{weeks}'",
        "field": "weeks",
    }


# --- one person, another, and nobody ------------------------------------------------------------


def test_a_second_person_can_neither_see_nor_rate_the_owners_runs(shared: TestClient) -> None:
    uploaded = shared.post(
        "/api/v1/runs/import",
        files=[("files", ("run.gpx", gpx_run(TODAY, 5), "application/gpx+xml"))],
        headers=as_("ann"),
    )
    assert uploaded.json()["imported"] == 1
    (run,), _ = stored_activities(person="ann")
    assert shared.get("/api/v1/runs", headers=as_("bob")).json() == {
        "total": 0,
        "offset": 0,
        "runs": [],
    }
    assert shared.get(f"/api/v1/runs/{run.id}", headers=as_("bob")).status_code == 404
    rating = shared.post(f"/api/v1/runs/{run.id}/rating", json={"effort": 9}, headers=as_("bob"))
    assert rating.status_code == 404
    assert shared.get("/api/v1/load", headers=as_("bob")).json()["weeks"] == []
    assert shared.get("/api/v1/progress", headers=as_("bob")).json()["running_km"]["weeks"] == []
    # The same file is Bob's first import, not a duplicate of Ann's.
    his = shared.post(
        "/api/v1/runs/import",
        files=[("files", ("run.gpx", gpx_run(TODAY, 5), "application/gpx+xml"))],
        headers=as_("bob"),
    )
    assert his.json()["imported"] == 1
    for method, path in (
        ("GET", "/api/v1/runs"),
        ("GET", f"/api/v1/runs/{run.id}"),
        ("POST", f"/api/v1/runs/{run.id}/rating"),
        ("GET", "/api/v1/load"),
        ("GET", "/api/v1/progress"),
        ("GET", "/api/v1/progress/charts"),
    ):
        response = shared.request(method, path, json={"effort": 1} if method == "POST" else None)
        assert response.status_code == 401, path
        assert response.json()["code"] == "not_signed_in"
    anonymous = api_upload(shared, [("run.gpx", gpx_run(TODAY, 5))])
    assert anonymous.status_code == 401
    assert stored_activities(person="ann")[0][0].effort is None
