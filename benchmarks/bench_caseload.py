"""How fast a clinic's server answers the caseload, on PostgreSQL, under concurrent load.

Creates a database of its own on the PostgreSQL server (``--database-url``, default the local
one) and fills it in bulk: 1,000 runners with a year each of diary (every day), exercise
sessions (about three a week) and runs (three a week, with laps), monthly LEFS and PSFS, and a
symptom check; 20 clinicians (accounts with the clinician role) with 50 runners each (open care
links sharing everything). Then it starts ``piri serve --multi-user`` on it
(``PIRI_DATABASE_URL``, ``PIRI_SECRET_KEY``) and drives the caseload page (``/clinic``, a
session cookie) and the caseload API (``/api/v1/clinic/caseload``, a Bearer API token) with 16
concurrent clients spread over the 20 clinicians, beside a bare FastAPI endpoint under the same
uvicorn settings (the approach of ``bench_web.py``). It also counts, in this process, the SQL
statements one caseload request runs (an engine event), for a caseload of 50 and of 5: the
same number, since every table is read once for all the runners.

Prints requests per second and p50/p99 latency per target. Target (issue 8): p99 under 200 ms
on the 2-core machine; exits with status 1 when it is missed. The database is dropped at the
end.

Run: make bench-caseload   (or .venv/bin/python benchmarks/bench_caseload.py [--requests N])
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, insert, text
from sqlalchemy.engine import Connection, make_url

sys.path.insert(0, str(Path(__file__).parent))
from bench_web import BARE_APP, Result, free_port, wait_until_up

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
RUNNERS = 1000
CLINICIANS = 20
RUNNERS_EACH = RUNNERS // CLINICIANS
DAYS = 365
CLIENTS = 16
TARGET_P99_MS = 200.0
PASSWORD = "bench password"
BATCH = 5000


@contextmanager
def own_database(server_url: str) -> Iterator[str]:
    """A new database on the server for this run, dropped afterwards."""
    url = make_url(server_url).set(drivername="postgresql+psycopg")
    name = f"piri_bench_caseload_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            )
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def _bulk(connection: Connection, table: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH):
        connection.execute(insert(table), rows[start : start + BATCH])


def _ids(connection: Connection, table: Any, names: list[str]) -> dict[str, int]:
    found = connection.execute(text(f"SELECT name, id FROM {table} WHERE name LIKE 'account:%'"))
    by_name = {name: int(i) for name, i in found}
    return {name: by_name[name] for name in names}


def fill(today: dt.date, seed: int = 8) -> dict[str, int]:
    """The clinic's data, by plain bulk inserts (the app's own services would take hours)."""
    from argon2 import PasswordHasher

    from piri.services.diary import store
    from piri.store.models import (
        Account,
        ActivityRow,
        CareLink,
        DiaryEntry,
        OutcomeScore,
        Person,
        Profile,
        SessionRecord,
    )

    rng = random.Random(seed)
    engine = store()  # opens and migrates the new database
    password_hash = PasswordHasher().hash(PASSWORD)  # one hash, shared: nobody signs in by it
    now = dt.datetime.now(dt.UTC)
    runner_names = [f"account:{secrets.token_hex(8)}" for _ in range(RUNNERS)]
    clinician_names = [f"account:{secrets.token_hex(8)}" for _ in range(CLINICIANS)]
    counts = dict.fromkeys(("diary days", "sessions", "runs", "scores"), 0)
    first = today - dt.timedelta(days=DAYS - 1)
    with engine.begin() as connection:
        _bulk(connection, Person.__table__, [{"name": n} for n in runner_names + clinician_names])
        ids = _ids(connection, "person", runner_names + clinician_names)
        accounts = [
            {
                "username": f"runner{i:04d}",
                "username_key": f"runner{i:04d}",
                "password_hash": password_hash,
                "person_id": ids[name],
                "created_at": now,
                "is_clinician": False,
            }
            for i, name in enumerate(runner_names)
        ] + [
            {
                "username": f"clinician{i:02d}",
                "username_key": f"clinician{i:02d}",
                "password_hash": password_hash,
                "person_id": ids[name],
                "created_at": now,
                "is_clinician": True,
            }
            for i, name in enumerate(clinician_names)
        ]
        _bulk(connection, Account.__table__, accounts)
        links = [
            {
                "runner_id": ids[runner],
                "clinician_id": ids[clinician_names[i // RUNNERS_EACH]],
                "shares": ["diary", "sessions", "runs", "checks"],
                "created_at": now - dt.timedelta(days=30),
            }
            for i, runner in enumerate(runner_names)
        ]
        _bulk(connection, CareLink.__table__, links)
        for number, name in enumerate(runner_names):
            owner = ids[name]
            rows = _runner_rows(rng, owner, first, today, number)
            connection.execute(insert(Profile.__table__), [rows["profile"]])
            for table, key in (
                (DiaryEntry.__table__, "diary"),
                (SessionRecord.__table__, "sessions"),
                (ActivityRow.__table__, "runs"),
                (OutcomeScore.__table__, "scores"),
            ):
                connection.execute(insert(table), rows[key])
            counts["diary days"] += len(rows["diary"])
            counts["sessions"] += len(rows["sessions"])
            counts["runs"] += len(rows["runs"])
            counts["scores"] += len(rows["scores"])
        connection.execute(text("ANALYZE"))
    counts["accounts"] = len(accounts)
    counts["care links"] = len(links)
    return counts


def _runner_rows(
    rng: random.Random, owner: int, first: dt.date, today: dt.date, number: int
) -> dict[str, Any]:
    check: dict[str, Any] | None = None
    if number % 25 == 0:  # one runner in 25 has an urgent warning sign standing
        check = {
            "urgency": "urgent",
            "red_flags": [{"id": "b", "urgency": "urgent", "title": "Weakness getting worse"}],
            "checked_on": (today - dt.timedelta(days=2)).isoformat(),
        }
    profile = {
        "person_id": owner,
        "equipment": ["mini_band"],
        "goals": [],
        "minutes_per_day": 20,
        "days_per_week": rng.choice([3, 4]),
        "running_status": "running_with_pain",
        "walks_30_min_pain_free": False,
        "phase": rng.choice(["settle", "strengthen", "return_to_run"]),
        "phase_since": first,
        "last_check": check,
    }
    diary, sessions, runs, scores = [], [], [], []
    pain = rng.uniform(2, 6)
    day = first
    while day <= today:
        pain = min(9.0, max(0.0, pain + rng.uniform(-0.7, 0.65)))
        worst = min(10, round(pain + rng.uniform(0, 2)))
        diary.append(
            {
                "person_id": owner,
                "day": day,
                "pain_now": round(pain),
                "worst_pain": worst,
                "sitting_pain": round(pain),
                "sitting_minutes_before_pain": rng.randint(10, 120),
                "running_pain": None,
                "tingling": False,
                "notes": "",
            }
        )
        if day.weekday() in (0, 2, 4) and rng.random() < 0.85:
            sessions.append(
                {
                    "person_id": owner,
                    "day": day,
                    "routine": "strengthen-day",
                    "phase": "strengthen",
                    "exercises": [{"exercise": "clamshell", "sets_done": 3, "status": "done"}],
                    "completed": True,
                    "pain_during": min(10, round(pain)),
                    "pain_after": min(10, round(pain)),
                    "decisions": [],
                    "notes": "",
                }
            )
        if day.weekday() in (1, 3, 6):
            distance = rng.uniform(4000, 14000)
            seconds = distance / 1000 * rng.uniform(300, 380)
            start = dt.datetime.combine(day, dt.time(7), tzinfo=dt.UTC)
            laps = [
                {
                    "start": (start + dt.timedelta(seconds=i * seconds / 2)).isoformat(),
                    "elapsed_seconds": seconds / 2,
                    "moving_seconds": seconds / 2,
                    "distance_m": distance / 2,
                }
                for i in range(2)
            ]
            runs.append(
                {
                    "person_id": owner,
                    "start": start,
                    "utc_offset_seconds": 3600,
                    "source": "fit",
                    "sport": "running",
                    "sub_sport": None,
                    "elapsed_seconds": seconds,
                    "moving_seconds": seconds,
                    "distance_m": distance,
                    "has_gps": True,
                    "laps": laps,
                    "file_sha256": f"{owner}-{day.isoformat()}",
                    "origin": "bench",
                }
            )
        if day.day == 1:
            for instrument, score in (
                ("lefs", float(rng.randint(35, 75))),
                ("psfs", round(rng.uniform(3, 9), 1)),
            ):
                scores.append(
                    {
                        "person_id": owner,
                        "day": day,
                        "instrument": instrument,
                        "score": score,
                        "answers": {},
                    }
                )
        day += dt.timedelta(days=1)
    return {
        "profile": profile,
        "diary": diary,
        "sessions": sessions,
        "runs": runs,
        "scores": scores,
    }


@dataclass(frozen=True)
class Credentials:
    person: str
    username: str
    cookie: str  # the signed session cookie's value
    token: str  # an API token


def credentials(secret_key: str) -> list[Credentials]:
    """A session and an API token for every clinician, through the account services."""
    from piri.services import accounts
    from piri.web.accounts import cookie_value
    from piri.web.config import WebConfig

    config = WebConfig(multi_user=True, secret_key=secret_key, secret_key_configured=True)
    found = []
    for number in range(CLINICIANS):
        info = accounts.find_account(f"clinician{number:02d}")
        assert info is not None
        session_token = accounts.open_session(info)
        api = accounts.create_api_token(info.person, "bench")
        found.append(
            Credentials(info.person, info.username, cookie_value(session_token, config), api.token)
        )
    return found


def count_queries(secret_key: str, clinicians: list[Credentials]) -> dict[str, int]:
    """SQL statements of one whole request (sign-in, navigation and caseload), in-process,
    for a caseload of 50; and of the caseload alone for 50 runners and for 5."""
    from fastapi.testclient import TestClient

    from piri.services import care, caseload
    from piri.services.diary import store
    from piri.web.app import create_app
    from piri.web.config import WebConfig

    engine = store()
    seen: list[str] = []

    def before(*args: Any) -> None:
        seen.append(args[2])

    config = WebConfig(multi_user=True, secret_key=secret_key, secret_key_configured=True)
    one = clinicians[0]
    out: dict[str, int] = {}
    with TestClient(create_app(config), base_url="http://127.0.0.1:8000") as client:
        client.get("/healthz")
        client.get("/clinic", cookies={"piri_session": one.cookie})  # warm
        # ... and the token's first use, which writes its last use (then once a minute)
        client.get("/api/v1/clinic/caseload", headers={"Authorization": f"Bearer {one.token}"})
        event.listen(engine, "before_cursor_execute", before)
        try:
            page = client.get("/clinic", cookies={"piri_session": one.cookie})
            out["/clinic (whole request)"] = len(seen)
            seen.clear()
            api = client.get(
                "/api/v1/clinic/caseload", headers={"Authorization": f"Bearer {one.token}"}
            )
            out["/api/v1/clinic/caseload (whole request)"] = len(seen)
            seen.clear()
            assert page.status_code == 200 and api.status_code == 200, (page.text, api.text)
            assert len(api.json()["runners"]) == RUNNERS_EACH
            caseload.caseload(one.person)
            out[f"caseload of {RUNNERS_EACH}, summaries kept (service)"] = len(seen)
            seen.clear()
            caseload.forget_kept()
            caseload.caseload(one.person)
            out[f"caseload of {RUNNERS_EACH}, read afresh (service)"] = len(seen)
            event.remove(engine, "before_cursor_execute", before)
            # the time a caseload takes when no summary is kept (every runner's data changed)
            times = []
            for _ in range(10):
                caseload.forget_kept()
                began = time.perf_counter()
                caseload.caseload(one.person)
                times.append((time.perf_counter() - began) * 1000)
            print(
                f"A caseload of {RUNNERS_EACH} read afresh, in this process: median "
                f"{sorted(times)[len(times) // 2]:.0f} ms, slowest {max(times):.0f} ms"
            )
            event.listen(engine, "before_cursor_execute", before)
            # a smaller caseload: the second clinician stops following 45 of their 50
            small = clinicians[1]
            for member in care.my_runners(small.person)[5:]:
                care.leave(small.person, member.runner)
            caseload.forget_kept()
            seen.clear()
            caseload.caseload(small.person)
            out["caseload of 5, read afresh (service)"] = len(seen)
        finally:
            event.remove(engine, "before_cursor_execute", before)
    return out


def drive(port: int, path: str, total: int, headers_of: list[dict[str, str]]) -> Result:
    """``total`` GET requests to ``path`` from CLIENTS threads, each signed in as a clinician
    (client n as clinician n mod 20, so all 20 are in play) on its own keep-alive connection."""
    import http.client

    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    per_client = [total // CLIENTS + (1 if i < total % CLIENTS else 0) for i in range(CLIENTS)]
    start_line = threading.Barrier(CLIENTS + 1)

    def client(number: int, count: int) -> None:
        nonlocal errors
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine: list[float] = []
        failed = 0
        start_line.wait()
        for request in range(count):
            # spread over the clinicians: each client moves on to the next one every request
            signed = headers_of[(number + request * CLIENTS) % len(headers_of)]
            began = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Host": f"127.0.0.1:{port}", **signed})
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                ok = False
            mine.append((time.perf_counter() - began) * 1000)
            failed += not ok
        connection.close()
        with lock:
            latencies.extend(mine)
            errors += failed

    threads = [threading.Thread(target=client, args=(i, n)) for i, n in enumerate(per_client)]
    for thread in threads:
        thread.start()
    start_line.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return Result(path, total, time.perf_counter() - began, latencies, errors)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL, help="the PostgreSQL server")
    parser.add_argument("--requests", type=int, default=800, help="requests per target")
    parser.add_argument("--workers", type=int, default=1, help="piri serve --workers N")
    options = parser.parse_args()
    secret_key = secrets.token_urlsafe(32)
    with own_database(options.database_url) as url, tempfile.TemporaryDirectory() as home:
        os.environ["PIRI_DATABASE_URL"] = url
        os.environ["PIRI_HOME"] = home  # nothing of the clinic's goes there
        began = time.perf_counter()
        counts = fill(dt.date.today())
        print(
            f"Filled in {time.perf_counter() - began:.1f} s: "
            + ", ".join(f"{n:,} {what}" for what, n in counts.items())
        )
        clinicians = credentials(secret_key)
        queries = count_queries(secret_key, clinicians)
        from piri.services.diary import close_engines

        close_engines()
        env = {**os.environ, "PIRI_DATABASE_URL": url, "PIRI_SECRET_KEY": secret_key}
        piri_port, bare_port = free_port(), free_port()
        command = [sys.executable, "-m", "piri", "serve", "--multi-user"]
        command += ["--port", str(piri_port), "--workers", str(options.workers)]
        piri = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
        bare = subprocess.Popen([sys.executable, "-c", BARE_APP, str(bare_port)], env=env)
        try:
            wait_until_up(f"http://127.0.0.1:{piri_port}/healthz", piri)
            wait_until_up(f"http://127.0.0.1:{bare_port}/bare", bare)
            cookies = [{"Cookie": f"piri_session={c.cookie}"} for c in clinicians]
            tokens = [{"Authorization": f"Bearer {c.token}"} for c in clinicians]
            # Warm-up: every clinician's caseload in every worker process (each keeps its own
            # summaries), so the figures are the steady state a clinic's server runs in.
            warm = max(CLIENTS * 2, CLINICIANS * 4 * options.workers)
            drive(piri_port, "/clinic", warm, cookies)
            drive(piri_port, "/api/v1/clinic/caseload", warm, tokens)
            results = [
                drive(bare_port, "/bare", options.requests, [{}]),
                drive(piri_port, "/clinic", options.requests, cookies),
                drive(piri_port, "/api/v1/clinic/caseload", options.requests, tokens),
            ]
        finally:
            for process in (piri, bare):
                process.terminate()
                process.wait(timeout=30)
    print(f"\n{CLIENTS} concurrent clients, {options.requests} requests per target:")
    print(f"{'target':<28}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}")
    missed = False
    for result in results:
        print(
            f"{result.target:<28}{result.per_second:>9.0f}{result.percentile(50):>9.1f}"
            f"{result.percentile(99):>9.1f}{result.errors:>8}"
        )
        if result.target != "/bare":
            missed |= result.percentile(99) >= TARGET_P99_MS or result.errors > 0
    print("\nSQL statements per request:")
    for what, n in queries.items():
        print(f"  {what:<50}{n:>4}")
    print(f"\nTarget: p99 under {TARGET_P99_MS:.0f} ms, no errors: {'MISSED' if missed else 'met'}")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
