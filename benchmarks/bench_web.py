"""How fast the web app answers with three years of one person's data, under concurrent load.

Fills a fresh SQLite database with three years of generated data for one person (a diary entry
every day, three to four exercise sessions and about four runs a week with laps, monthly LEFS
and PSFS scores), starts ``piri serve`` on it, and drives the Today page, the Progress page and
two API endpoints with 16 concurrent clients (keep-alive HTTP connections in threads) for a
fixed number of requests each. Beside them, the ceiling: a bare FastAPI endpoint served by the
same uvicorn settings in its own process, and Piri's own ``/healthz`` (the app's middleware but
no database).

Prints requests per second and p50/p99 latency per target. Target (issue 6): p99 under 100 ms
for every page at 16 concurrent clients on the 2-core machine.

Run: make bench-web   (or .venv/bin/python benchmarks/bench_web.py [--requests N])
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import random
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

CLIENTS = 16
TARGET_P99_MS = 100.0
YEARS = 3
PAGES = ["/today", "/progress"]
API = ["/api/v1/progress", "/api/v1/diary"]

BARE_APP = textwrap.dedent(
    """
    import sys
    import uvicorn
    from fastapi import FastAPI

    app = FastAPI()

    @app.get("/bare")
    def bare() -> dict[str, str]:
        return {"status": "ok"}

    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
    """
)


def fill(home: Path, today: dt.date, seed: int = 7) -> dict[str, int]:
    """Three years of one runner's data, written through the store in a few transactions."""
    os.environ["PIRI_HOME"] = str(home)
    os.environ.pop("PIRI_DATABASE_URL", None)
    from piri.domain.activity import Activity, Lap
    from piri.domain.diary import DayEntry
    from piri.domain.program import Phase, RunnerProfile
    from piri.services.diary import LOCAL_PERSON, store
    from piri.store import activities as activity_store
    from piri.store import diary as diary_store
    from piri.store import program as program_store
    from piri.store import scores as score_store
    from piri.store.database import transaction
    from piri.store.models import SessionRecord

    rng = random.Random(seed)
    first = today - dt.timedelta(days=365 * YEARS)
    counts = {"diary days": 0, "sessions": 0, "runs": 0, "scores": 0}
    with transaction(store()) as session:
        owner = diary_store.person_id(session, LOCAL_PERSON)
        program_store.save_profile(
            session,
            owner,
            RunnerProfile(
                painful_side="right",
                equipment=frozenset({"mini_band", "foam_roller", "chair"}),
                minutes_per_day=20,
                days_per_week=4,
            ),
        )
        program_store.save_phase(session, owner, Phase.STRENGTHEN, today - dt.timedelta(days=20))
        pain = 5.0
        day = first
        while day <= today:
            pain = min(9.0, max(0.0, pain + rng.uniform(-0.6, 0.55)))
            worst = min(10, round(pain + rng.uniform(0, 2)))
            diary_store.save_day(
                session,
                owner,
                DayEntry(
                    day=day,
                    pain_now=round(pain),
                    worst_pain=worst,
                    sitting_pain=min(10, round(pain)),
                    sitting_minutes_before_pain=rng.randint(10, 120),
                    running_pain=rng.choice([None, round(pain)]),
                    notes="",
                ),
            )
            counts["diary days"] += 1
            if day.weekday() in (0, 2, 4, 5) and rng.random() < 0.85:
                session.add(
                    SessionRecord(
                        person_id=owner,
                        day=day,
                        routine="strengthen-day",
                        phase="strengthen",
                        exercises=[
                            {
                                "exercise": "clamshell",
                                "sets_done": 3,
                                "sets_planned": 3,
                                "reps": 12,
                                "status": "done",
                            }
                        ],
                        completed=True,
                        pain_during=min(10, round(pain)),
                        pain_after=min(10, round(pain)),
                        pain_next_morning=min(10, round(pain)),
                        usual_morning_pain=min(10, round(pain)),
                        decisions=[],
                    )
                )
                counts["sessions"] += 1
            if day.weekday() in (1, 3, 5, 6):
                distance = rng.uniform(4000, 16000)
                seconds = distance / 1000 * rng.uniform(300, 380)
                start = dt.datetime.combine(day, dt.time(7, 0), tzinfo=dt.UTC)
                laps = [
                    Lap(
                        start=start + dt.timedelta(seconds=i * seconds / 4),
                        elapsed_seconds=seconds / 4,
                        moving_seconds=seconds / 4,
                        distance_m=distance / 4,
                        avg_heart_rate=150,
                    )
                    for i in range(4)
                ]
                activity_store.add_activity(
                    session,
                    owner,
                    Activity(
                        source="fit",
                        sport="running",
                        sub_sport=None,
                        start=start,
                        utc_offset_seconds=3600,
                        elapsed_seconds=seconds,
                        moving_seconds=seconds,
                        distance_m=distance,
                        avg_heart_rate=150,
                        laps=laps,
                        file_sha256=f"{day.isoformat()}-{rng.random()}",
                    ),
                )
                counts["runs"] += 1
            if day.day == 1:
                lefs = rng.randint(40, 75)
                score_store.save_score(session, owner, day, "lefs", float(lefs), {})
                score_store.save_score(session, owner, day, "psfs", rng.uniform(3, 9), {})
                counts["scores"] += 2
            day += dt.timedelta(days=1)
    return counts


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{url} did not answer within 60 s")


@dataclass
class Result:
    target: str
    requests: int
    seconds: float
    latencies_ms: list[float]
    errors: int

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def drive(port: int, path: str, total: int, clients: int = CLIENTS) -> Result:
    """``total`` GET requests to ``path`` from ``clients`` threads, each with its own connection
    and, like a browser, its own cookies (the CSRF cookie a first visit gets)."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    per_client = [total // clients + (1 if i < total % clients else 0) for i in range(clients)]
    start_line = threading.Barrier(clients + 1)

    def client(count: int) -> None:
        nonlocal errors
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        failed = 0
        start_line.wait()
        cookies: dict[str, str] = {}  # kept and sent back, as a browser does
        for _ in range(count):
            began = time.perf_counter()
            try:
                headers = {"Host": f"127.0.0.1:{port}"}
                if cookies:
                    headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                for value in response.headers.get_all("set-cookie") or []:
                    name, _, rest = value.partition("=")
                    cookies[name.strip()] = rest.split(";", 1)[0]
                ok = response.status == 200
            except (OSError, http.client.HTTPException):  # counted; the client goes on
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                ok = False
            mine.append((time.perf_counter() - began) * 1000)
            if not ok:
                failed += 1
        connection.close()
        with lock:
            latencies.extend(mine)
            errors += failed

    threads = [threading.Thread(target=client, args=(n,)) for n in per_client]
    for thread in threads:
        thread.start()
    start_line.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return Result(path, total, time.perf_counter() - began, latencies, errors)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1600, help="requests per target")
    parser.add_argument("--workers", type=int, default=1, help="piri serve --workers N")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="piri-bench-web-") as folder:
        home = Path(folder) / "home"
        began = time.perf_counter()
        counts = fill(home, dt.date.today())
        print(
            f"Generated {YEARS} years for one person in {time.perf_counter() - began:.1f} s: "
            + ", ".join(f"{n} {what}" for what, n in counts.items())
        )
        env = {**os.environ, "PIRI_HOME": str(home)}
        piri_port, bare_port = free_port(), free_port()
        serve_command = [sys.executable, "-m", "piri", "serve", "--port", str(piri_port)]
        serve_command += ["--workers", str(options.workers)]
        piri = subprocess.Popen(
            serve_command,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        bare = subprocess.Popen([sys.executable, "-c", BARE_APP, str(bare_port)], env=env)
        try:
            wait_until_up(f"http://127.0.0.1:{piri_port}/healthz", piri)
            wait_until_up(f"http://127.0.0.1:{bare_port}/bare", bare)
            results = [drive(bare_port, "/bare", options.requests)]
            for path in ["/healthz", *PAGES, *API]:
                drive(piri_port, path, CLIENTS * 2)  # warm-up: caches, connections
                results.append(drive(piri_port, path, options.requests))
        finally:
            for process in (piri, bare):
                process.terminate()
                process.wait(timeout=10)
    report(results)
    slow = [r for r in results if r.target in PAGES + API and r.percentile(99) >= TARGET_P99_MS]
    failed = [r for r in results if r.errors]
    return 1 if slow or failed else 0


def report(results: list[Result]) -> None:
    print(
        f"\n{CLIENTS} concurrent clients, {results[0].requests} requests per target, "
        f"{os.cpu_count()} cores; target p99 < {TARGET_P99_MS:.0f} ms for pages and API\n"
    )
    header = f"{'target':<34}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}  verdict"
    print(header)
    print("-" * len(header))
    for result in results:
        label = {
            "/bare": "bare FastAPI endpoint (ceiling)",
            "/healthz": "piri /healthz (no database)",
        }.get(result.target, f"piri {result.target}")
        judged = result.target in PAGES + API
        verdict = ("ok" if result.percentile(99) < TARGET_P99_MS else "TOO SLOW") if judged else "-"
        print(
            f"{label:<34}{result.per_second:>9.0f}{result.percentile(50):>9.1f}"
            f"{result.percentile(99):>9.1f}{result.errors:>8}  {verdict}"
        )


if __name__ == "__main__":
    raise SystemExit(main())
