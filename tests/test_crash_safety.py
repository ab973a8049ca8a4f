"""Kill -9 in the middle of writing: the server taking diary writes, an import, a migration.

After each kill the database must pass SQLite's integrity check, every write the server had
acknowledged must be there, and starting again must finish what was left (issue 9). The kill
moments are random (seeded, so a failure can be replayed with the seed it prints)."""

from __future__ import annotations

import contextlib
import datetime as dt
import http.client
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.live_server import browser_headers, free_port, piri_env, start_server
from tests.reliability import record
from tests.test_concurrent_writes import runs_folder
from tests.web.test_api_program import relief_played

SEED = int(os.environ.get("PIRI_CRASH_SEED", "20261202"))
FIRST_DAY = dt.date(2001, 1, 1)  # each kill point writes from its own thousand days on


def _database(home: Path) -> Path:
    return home / "piri.db"


def _integrity(home: Path) -> str:
    with sqlite3.connect(_database(home)) as connection:
        found: str = connection.execute("PRAGMA integrity_check").fetchone()[0]
        return found


def _stored_writes(home: Path) -> set[str]:
    """What the server wrote, named as ``_write_days`` names what it sent."""
    with sqlite3.connect(_database(home)) as connection:
        days = connection.execute("SELECT day FROM diary_entry").fetchall()
        sessions = connection.execute("SELECT notes FROM session_record").fetchall()
    return {f"diary {row[0]}" for row in days} | {row[0] for row in sessions}


def _write_days(
    port: int,
    first: int,
    acknowledged: list[str],
    stop: threading.Event,
    wrong: list[str],
) -> None:
    """Write one diary day (PUT) and one played session (POST) after another until the server
    dies; keep the names of the acknowledged ones ("diary DAY", "session N")."""
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        headers = browser_headers(connection)
        number = first
        while not stop.is_set():
            day = FIRST_DAY + dt.timedelta(days=number)
            if number % 2:
                name = f"session {number}"
                body = json.dumps({**relief_played(), "day": day.isoformat(), "notes": name})
                connection.request("POST", "/api/v1/sessions", body=body, headers=headers)
            else:
                name = f"diary {day.isoformat()}"
                body = json.dumps({"pain_now": number % 11, "worst_pain": number % 11})
                connection.request(
                    "PUT", f"/api/v1/diary/{day.isoformat()}", body=body, headers=headers
                )
            answer = connection.getresponse()
            answer.read()
            if answer.status in (200, 201):
                acknowledged.append(name)
            else:
                wrong.append(f"the server answered {answer.status} for {name}")
                return
            number += 1
    except (OSError, http.client.HTTPException):
        return  # the server was killed mid-request: that write was never acknowledged


def test_killing_the_server_while_it_writes_loses_no_acknowledged_write(tmp_path: Path) -> None:
    home = tmp_path / "home"
    chance = random.Random(SEED)
    acknowledged: list[str] = []
    kills = 4
    for kill_point in range(kills):
        port = free_port()
        server = start_server(home, port)
        stop = threading.Event()
        before = len(acknowledged)
        wrong: list[str] = []
        client = threading.Thread(
            target=_write_days, args=(port, kill_point * 1_000, acknowledged, stop, wrong)
        )
        client.start()
        # A random point: after a random number of acknowledged writes, then a random moment
        # (mid-request, most likely, as the client writes without pause).
        wanted = before + chance.randint(1, 40)
        deadline = time.monotonic() + 60
        while len(acknowledged) < wanted and client.is_alive() and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(chance.uniform(0, 0.05))
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=10)
        stop.set()
        client.join(timeout=30)
        assert not wrong, wrong
        assert len(acknowledged) > before, f"seed {SEED}: no write landed before kill {kill_point}"
        assert _integrity(home) == "ok", f"seed {SEED}, kill {kill_point}"
        missing = set(acknowledged) - _stored_writes(home)
        assert not missing, f"seed {SEED}, kill {kill_point}: lost {sorted(missing)[:5]}"
    record(
        "kill the server while it writes",
        kills=kills,
        acknowledged_writes=len(acknowledged),
        diary_days=sum(name.startswith("diary") for name in acknowledged),
        sessions=sum(name.startswith("session") for name in acknowledged),
        lost=0,
        seed=SEED,
    )


def _import(home: Path, folder: Path, output: Path) -> subprocess.Popen[str]:
    """``piri import`` of ``folder`` with what it prints going to ``output`` (a file: a pipe
    nobody reads fills up, and the import would wait on it forever)."""
    log = output.open("w")
    return subprocess.Popen(
        [sys.executable, "-m", "piri", "import", str(folder), "--format", "json"],
        env=piri_env(home),
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group: the kill takes its parse workers too
    )


def test_killing_an_import_leaves_whole_activities_and_running_it_again_finishes(
    tmp_path: Path,
) -> None:
    runs = 400
    folder = runs_folder(tmp_path / "runs", runs, dt.datetime(2024, 1, 1, 7, 0, tzinfo=dt.UTC))
    home = tmp_path / "home"
    chance = random.Random(SEED)
    stored_after_kill = []
    mid_import = 0
    for kill_point in range(3):
        printed = tmp_path / f"import-{kill_point}.log"
        process = _import(home, folder, printed)
        already = _activities(home)
        # kill once this many more are stored (or a moment later): within what is left to do
        wanted = chance.randint(1, max(1, (runs - already) // 2))
        deadline = time.monotonic() + 120
        while _activities(home) < already + wanted and process.poll() is None:
            assert time.monotonic() < deadline, (
                f"the import stored nothing within 120 s: {printed.read_text()[-2000:]}"
            )
            time.sleep(0.01)
        time.sleep(chance.uniform(0, 0.2))
        if process.poll() is None:  # else it had finished: no kill point this time
            mid_import += 1
            with contextlib.suppress(ProcessLookupError):  # it may end this very moment
                os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        if not _database(home).exists():
            continue  # killed before it opened the database
        assert _integrity(home) == "ok", f"seed {SEED}, kill {kill_point}"
        with sqlite3.connect(_database(home)) as connection:
            rows = connection.execute("SELECT laps, distance_m FROM activity").fetchall()
        for laps, distance in rows:  # each stored activity is whole: its laps came with it
            assert json.loads(laps) and distance, f"seed {SEED}: a half-stored activity"
        stored_after_kill.append(len(rows))
    finishing = subprocess.run(
        [sys.executable, "-m", "piri", "import", str(folder), "--format", "json"],
        env=piri_env(home),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert finishing.returncode == 0, finishing.stderr
    summary = json.loads(finishing.stdout)
    assert summary["imported"] + summary["duplicates"] == runs
    with sqlite3.connect(_database(home)) as connection:
        assert connection.execute("SELECT count(*) FROM activity").fetchone()[0] == runs
    assert stored_after_kill, "no kill landed after the database was opened"
    record(
        "kill an import while it stores runs",
        kills=3,
        kills_while_it_ran=mid_import,
        kills_after_the_database_opened=len(stored_after_kill),
        runs_stored_at_each_kill=stored_after_kill,
        half_stored=0,
        finished_on_the_next_run=runs,
        seed=SEED,
    )


def _activities(home: Path) -> int:
    """How many activities the import has committed so far (0 before the schema exists)."""
    if not _database(home).exists():
        return 0
    try:
        with sqlite3.connect(f"file:{_database(home)}?mode=ro", uri=True, timeout=5) as connection:
            found: int = connection.execute("SELECT count(*) FROM activity").fetchone()[0]
            return found
    except sqlite3.OperationalError:  # no such table yet, or busy for a moment
        return 0


OPEN_AND_MIGRATE = "from piri.services.diary import store; store()"


@pytest.mark.parametrize("kill_point", range(4))
def test_killing_a_migration_leaves_a_database_that_opens_at_the_newest_schema(
    tmp_path: Path, kill_point: int
) -> None:
    home = tmp_path / "home"
    chance = random.Random(SEED + kill_point)
    process = subprocess.Popen([sys.executable, "-c", OPEN_AND_MIGRATE], env=piri_env(home))
    moment = chance.uniform(0.4, 1.6)
    time.sleep(moment)  # Python start-up and imports take most of a second
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    again = subprocess.run(
        [sys.executable, "-c", OPEN_AND_MIGRATE], env=piri_env(home), capture_output=True, text=True
    )
    assert again.returncode == 0, again.stderr
    assert _integrity(home) == "ok"
    from piri.store.backup import known_revisions
    from piri.store.database import MIGRATIONS_DIR

    newest = max(known_revisions(MIGRATIONS_DIR))
    with sqlite3.connect(_database(home)) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == (newest,)
    record("kill a migration", kill_point=kill_point, after_seconds=round(moment, 2), opened=True)
