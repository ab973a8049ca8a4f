"""Many writers at once on SQLite: diary and session writers in threads (as a web server's
threads write) while another process imports a folder of runs. None may fail with "database is
locked" and no write may be lost (issue 9)."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

from piri.domain.diary import DayEntry
from piri.services import diary as diary_service
from piri.services import imports as import_service
from tests.fit_files import (
    FitWriter,
    activity,
    device_info,
    file_id,
    lap,
    records,
    run_laps,
    run_session,
    session,
)
from tests.live_server import browser_headers, free_port, piri_env, start_server
from tests.reliability import record
from tests.web.test_api_program import relief_played

WRITERS = 8
DAYS_EACH = 40
RUNS = 150
TODAY = dt.date(2026, 12, 1)


def run_starting(start: dt.datetime) -> bytes:
    """A short run the way a watch writes it, starting at ``start``."""
    w = FitWriter()
    file_id(w, time_created=start)
    device_info(w)
    records(w, start, 60)
    for summary in run_laps(start):
        lap(w, summary)
    summary = run_session(start)
    session(w, summary)
    end = summary.end()
    assert end is not None
    activity(w, end, 3600)
    return w.build()


def runs_folder(folder: Path, count: int, first: dt.datetime) -> Path:
    """``folder`` made, holding ``count`` watch runs, one a day from ``first``."""
    folder.mkdir()
    for number in range(count):
        (folder / f"run-{number:04}.fit").write_bytes(
            run_starting(first + dt.timedelta(days=number))
        )
    return folder


def test_writers_in_threads_and_an_import_in_another_process_all_land(
    home: Path, tmp_path: Path
) -> None:
    folder = runs_folder(tmp_path / "runs", RUNS, dt.datetime(2025, 1, 1, 7, 0, tzinfo=dt.UTC))
    diary_service.log_day(DayEntry(TODAY, 1, 1), "writer-0", today=TODAY)  # schema made once
    env = {**os.environ, "PIRI_HOME": str(home)}
    importer = subprocess.Popen(
        [sys.executable, "-m", "piri", "import", str(folder), "--format", "json"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    failures: list[BaseException] = []
    start_line = threading.Barrier(WRITERS)

    def writer(number: int) -> None:
        person = f"writer-{number}"
        start_line.wait()
        try:
            for day in range(DAYS_EACH):
                entry = DayEntry(TODAY - dt.timedelta(days=day), day % 11, day % 11, notes=person)
                diary_service.log_day(entry, person, today=TODAY)
        except BaseException as failure:  # collected: the assertion below names it
            failures.append(failure)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out, err = importer.communicate(timeout=300)
    assert not failures, f"{len(failures)} writers failed, the first: {failures[0]!r}"
    assert importer.returncode == 0, err
    summary = json.loads(out)
    assert (summary["imported"], summary["duplicates"]) == (RUNS, 0), out[:500]
    for number in range(WRITERS):
        days = diary_service.diary(f"writer-{number}")
        assert len(days) == DAYS_EACH, f"writer-{number} has {len(days)} of {DAYS_EACH} days"
    assert len(import_service.runs()) == RUNS
    record(
        "concurrent writers on SQLite (service threads and an import)",
        writers=WRITERS,
        importers=1,
        acknowledged_writes=WRITERS * DAYS_EACH,
        runs_imported=RUNS,
        database_locked=0,
        lost=0,
    )


WEB_WRITERS = 8
WEB_WRITES_EACH = 30


def test_web_requests_and_an_import_at_once_all_land(tmp_path: Path) -> None:
    """The same through a real server: browsers writing diary days and sessions over HTTP, in
    parallel, while ``piri import`` writes runs from another process."""
    folder = runs_folder(tmp_path / "runs", RUNS, dt.datetime(2024, 1, 1, 7, 0, tzinfo=dt.UTC))
    home = tmp_path / "home"
    port = free_port()
    server_log = tmp_path / "server.log"
    server = start_server(home, port, server_log)
    try:
        importer = subprocess.Popen(
            [sys.executable, "-m", "piri", "import", str(folder), "--format", "json"],
            env=piri_env(home),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        refused: list[str] = []
        acknowledged: list[str] = []
        lock = threading.Lock()
        start_line = threading.Barrier(WEB_WRITERS)

        def browser(number: int) -> None:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            headers = browser_headers(connection)
            start_line.wait()
            for write in range(WEB_WRITES_EACH):
                day = dt.date(2010, 1, 1) + dt.timedelta(days=number * 100 + write)
                if write % 2:
                    name = f"session {number}-{write}"
                    body = json.dumps({**relief_played(), "day": day.isoformat(), "notes": name})
                    connection.request("POST", "/api/v1/sessions", body=body, headers=headers)
                else:
                    name = f"diary {day.isoformat()}"
                    body = json.dumps({"pain_now": write % 11, "worst_pain": write % 11})
                    path = f"/api/v1/diary/{day.isoformat()}"
                    connection.request("PUT", path, body=body, headers=headers)
                answer = connection.getresponse()
                text = answer.read().decode("utf-8", "replace")
                with lock:
                    if answer.status in (200, 201):
                        acknowledged.append(name)
                    else:
                        refused.append(f"{name}: {answer.status} {text[:200]}")
            connection.close()

        threads = [threading.Thread(target=browser, args=(n,)) for n in range(WEB_WRITERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        out, err = importer.communicate(timeout=300)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert not refused, (
        f"{len(refused)} writes refused, the first: {refused[0]}\n"
        + server_log.read_text(errors="replace")[-3000:]
    )
    assert importer.returncode == 0, err
    summary = json.loads(out)
    assert (summary["imported"], summary["duplicates"]) == (RUNS, 0), out[:500]
    with sqlite3.connect(home / "piri.db") as connection:
        days = {f"diary {row[0]}" for row in connection.execute("SELECT day FROM diary_entry")}
        sessions = {row[0] for row in connection.execute("SELECT notes FROM session_record")}
        runs = connection.execute("SELECT count(*) FROM activity").fetchone()[0]
    assert len(acknowledged) == WEB_WRITERS * WEB_WRITES_EACH
    assert not set(acknowledged) - (days | sessions), "an acknowledged write is missing"
    assert runs == RUNS
    record(
        "concurrent writers on SQLite (web requests and an import)",
        writers=WEB_WRITERS,
        importers=1,
        acknowledged_writes=len(acknowledged),
        runs_imported=runs,
        database_locked=0,
        lost=0,
    )
