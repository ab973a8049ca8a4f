"""Many writers at once on SQLite: diary and session writers in threads (as a web server's
threads write) while another process imports a folder of runs. None may fail with "database is
locked" and no write may be lost (issue 9)."""

from __future__ import annotations

import datetime as dt
import json
import os
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


def test_writers_in_threads_and_an_import_in_another_process_all_land(
    home: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "runs"
    folder.mkdir()
    first = dt.datetime(2025, 1, 1, 7, 0, tzinfo=dt.UTC)
    for number in range(RUNS):
        (folder / f"run-{number:04}.fit").write_bytes(
            run_starting(first + dt.timedelta(days=number))
        )
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
