"""Take the user guide's screenshots: a sample runner's six weeks, every main page, on a phone.

Fills a temporary data directory with a sample runner (a symptom check, a profile, six weeks
of diary, played sessions with their morning check-ins, LEFS and PSFS scores, and runs read
from TCX files by the real importer), starts ``piri serve`` on it, opens each page in Debian's
Chromium at 390x844 with Playwright, and writes docs/screenshots/NAME.png. Two more servers
show what the sample cannot: a first visit on an empty data directory (the welcome page and a
warning sign in the symptom check) and a shared server in multi-user mode (sign-up, the
account page and an API token).

Run: .venv/bin/python scripts/docs_screenshots.py [NAME ...]   (names: only those pictures)
PIRI_CHROMIUM names another Chromium than /usr/bin/chromium. The pictures are 390 px wide,
whole pages (cut shorter when one would pass 400 KB), in 256 colours when Pillow is there.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
PHONE = {"width": 390, "height": 844}
MAX_BYTES = 400_000  # a picture larger than this is cut shorter until it fits
MAX_HEIGHT = 8000  # a longer page is cut at this height
WEEKS = 6  # the sample's records start on the Monday six weeks (and up to six days) ago
UTC_OFFSET = dt.timedelta(hours=1)  # the sample runner's watch writes local times at +01:00
UPLOADED = 5  # the newest runs are in the ZIP given to the import page...
UPLOADED_NEW = 3  # ...and the newest three of them are imported there for the first time


# --- the sample runner ---------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """One run of the sample: the day (0 is the first Monday), km, seconds per km, effort."""

    day: int
    km: float
    pace: float
    heart_rate: int
    effort: int | None = None  # session RPE, when the runner rated it
    intervals: bool = False


# Day 0 is a Monday, so day % 7 == 6 is a Sunday (the long runs). Before the pain: a
# half-marathon block with a jump from 14 to 19 km (the run after which the buttock began to
# hurt). Then easy, flat runs two or three times a week, one long run too soon (day 27, a
# flare for three days), and a gentler build again. Runs on or after today are left out.
LONG_RUN_TOO_SOON = 27
RUNS = [
    Run(-20, 8.0, 330, 146),
    Run(-18, 10.0, 320, 158, intervals=True),
    Run(-16, 8.0, 335, 145),
    Run(-15, 14.0, 340, 150),
    Run(-13, 8.0, 330, 147),
    Run(-11, 10.0, 315, 160, intervals=True),
    Run(-8, 19.0, 345, 153),
    Run(-6, 8.0, 340, 148),
    Run(-4, 6.0, 350, 146),
    Run(2, 4.0, 370, 141, 3),
    Run(5, 4.0, 368, 142, 3),
    Run(9, 4.5, 366, 142, 3),
    Run(11, 4.0, 366, 141, 3),
    Run(13, 5.0, 362, 143, 3),
    Run(16, 5.0, 362, 143, 3),
    Run(18, 4.5, 362, 142, 3),
    Run(20, 5.5, 360, 144, 4),
    Run(23, 5.5, 358, 144, 3),
    Run(25, 5.0, 360, 143, 3),
    Run(LONG_RUN_TOO_SOON, 12.0, 362, 149, 7),
    Run(31, 4.0, 372, 140, 2),
    Run(33, 5.0, 365, 142, 3),
    Run(34, 5.0, 364, 142, 3),
    Run(36, 5.0, 362, 142, 3),
    Run(38, 5.0, 360, 143, 3),
    Run(41, 6.0, 358, 144, 4),
    Run(43, 5.5, 357, 143),
    Run(45, 6.0, 356, 143),
    Run(48, 7.0, 357, 145),
]
FLARE = {LONG_RUN_TOO_SOON + 1: 2.0, LONG_RUN_TOO_SOON + 2: 1.5, LONG_RUN_TOO_SOON + 3: 0.7}
MISSED_SESSIONS = (12, 22)  # two planned sessions not done
STOPPED_SESSION = LONG_RUN_TOO_SOON + 2  # the flare: the last exercise stopped early

NOTES = {
    0: "Deep ache in the right buttock since the 19 km run; worse after the drive to work.",
    3: "Moved my wallet out of the back pocket. Cushion on the office chair.",
    7: "Stood up every 20 minutes in the long meeting; it helped.",
    14: "Walked to the station and back, 35 minutes, no pain.",
    LONG_RUN_TOO_SOON: "12 km long run, felt fine during it.",
    LONG_RUN_TOO_SOON + 1: "Ached in the evening and sitting was harder again. Too far too soon?",
    LONG_RUN_TOO_SOON + 4: "Settling again. 4 km very easy on the flat, no ache.",
    37: "Sat through a two-hour film with one break.",
}


def worst_pain(day: int, days: int, rng: random.Random) -> int:
    """The worst pain of a day: about 6 at first, about 2 at the end, and the flare."""
    base = 6.0 - 4.2 * (day / (days - 1)) ** 0.9 + FLARE.get(day, 0.0)
    return max(0, min(10, round(base + rng.uniform(-0.5, 0.5))))


def diary_days(start: dt.date, days: int) -> list[Any]:
    """A diary entry for every day before today (today is left for the runner to fill in)."""
    from piri.domain.diary import DayEntry

    rng = random.Random(7)
    run_days = {run.day for run in RUNS}
    last_run = max(run.day for run in RUNS if run.day < days)
    notes = dict(NOTES)
    notes[last_run] = "Easy run on the flat; no pain afterwards."
    entries = []
    for day in range(days):
        worst = worst_pain(day, days, rng)
        now = max(0, worst - (1 if rng.random() < 0.7 else 2))
        sitting_minutes = 15 + 55 * day / (days - 1) + rng.uniform(-5, 5)
        if day in FLARE:
            sitting_minutes -= 20 * FLARE[day] / 2
        entries.append(
            DayEntry(
                day=start + dt.timedelta(days=day),
                pain_now=now,
                worst_pain=worst,
                sitting_pain=min(10, now + 1) if day < 30 else now,
                sitting_minutes_before_pain=round(sitting_minutes / 5) * 5,
                running_pain=max(0, worst - 2) if day in run_days else None,
                tingling=(day < 10 and rng.random() < 0.6) or day == LONG_RUN_TOO_SOON + 1,
                notes=notes.get(day, ""),
            )
        )
    return entries


def lefs_items(total: int, rng: random.Random) -> list[int]:
    """20 answers (0-4) adding up to ``total``: running and sitting items the hardest."""
    hard_first = [15, 16, 17, 18, 14, 9, 11, 5, 13, 0, 1, 6, 8, 12, 2, 4, 10, 7, 3, 19]
    items = [4] * 20
    missing = 80 - total
    while missing > 0:
        for index in hard_first:
            if missing and items[index] > 0 and rng.random() < 0.6:
                items[index] -= 1
                missing -= 1
    return items


def tcx(run: Run, start: dt.datetime) -> bytes:
    """A TCX file as a watch writes it: one lap per km with heart rate, cadence and a track."""
    rng = random.Random(f"{start}")
    stamp = "%Y-%m-%dT%H:%M:%S+01:00"
    laps = []
    moment = start
    metres = 0.0
    lap_count = math.ceil(run.km)
    for number in range(lap_count):
        distance = min(1000.0, run.km * 1000 - number * 1000)
        pace = run.pace + rng.uniform(-6, 6)
        heart = run.heart_rate - 4 + min(number, 8)  # a little drift as the run goes on
        if run.intervals and 1 <= number < lap_count - 1:
            fast = number % 2 == 1
            pace, heart = (run.pace - 45, run.heart_rate + 12) if fast else (run.pace + 60, 140)
        seconds = round(pace * distance / 1000)
        points = []
        for step in range(11):
            along = metres + distance * step / 10
            when = moment + dt.timedelta(seconds=seconds * step / 10)
            points.append(
                f"<Trackpoint><Time>{(when + UTC_OFFSET).strftime(stamp)}</Time>"
                f"<Position><LatitudeDegrees>{48.8566 + along / 111_000:.6f}</LatitudeDegrees>"
                "<LongitudeDegrees>2.352200</LongitudeDegrees></Position>"
                f"<AltitudeMeters>{40 + 9 * math.sin(along / 700):.1f}</AltitudeMeters>"
                f"<DistanceMeters>{along:.1f}</DistanceMeters>"
                f"<HeartRateBpm><Value>{heart + rng.randint(-2, 2)}</Value></HeartRateBpm>"
                "</Trackpoint>"
            )
        laps.append(
            f'<Lap StartTime="{(moment + UTC_OFFSET).strftime(stamp)}">'
            f"<TotalTimeSeconds>{seconds}</TotalTimeSeconds>"
            f"<DistanceMeters>{distance:.1f}</DistanceMeters>"
            f"<AverageHeartRateBpm><Value>{heart}</Value></AverageHeartRateBpm>"
            f"<MaximumHeartRateBpm><Value>{heart + 6}</Value></MaximumHeartRateBpm>"
            f"<Intensity>Active</Intensity><Cadence>{84 + rng.randint(0, 2)}</Cadence>"
            "<TriggerMethod>Distance</TriggerMethod>"
            f"<Track>{''.join(points)}</Track></Lap>"
        )
        moment += dt.timedelta(seconds=seconds)
        metres += distance
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/'
        'TrainingCenterDatabase/v2">\n<Activities><Activity Sport="Running">'
        f"<Id>{(start + UTC_OFFSET).strftime(stamp)}</Id>"
        + "".join(laps)
        + '<Creator xsi:type="Device_t" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        "<Name>Forerunner 255</Name></Creator></Activity></Activities>\n"
        "</TrainingCenterDatabase>\n"
    ).encode()


def run_start(start: dt.date, run: Run) -> dt.datetime:
    """In UTC: 07:10 local on a weekday, 09:00 at the weekend."""
    day = start + dt.timedelta(days=run.day)
    local = dt.time(9, 0) if day.weekday() >= 5 else dt.time(7, 10)
    return dt.datetime.combine(day, local, tzinfo=dt.UTC) - UTC_OFFSET


def run_file_name(start: dt.date, run: Run) -> str:
    return f"{run_start(start, run) + UTC_OFFSET:%Y-%m-%d-%H%M}-run.tcx"


@dataclass
class Sample:
    home: Path
    upload: Path  # the ZIP the import page is given
    long_run_id: int = 0
    today_has_session: bool = True


def write_runs(start: dt.date, days: int, files: Path) -> tuple[Path, Path]:
    """The runs as TCX files: a folder of the older ones, and a ZIP of the newest."""
    runs = [run for run in RUNS if run.day < days]
    folder = files / "watch"
    folder.mkdir(parents=True)
    upload = files / "watch-export.zip"
    with zipfile.ZipFile(upload, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, run in enumerate(runs):
            name = run_file_name(start, run)
            data = tcx(run, run_start(start, run))
            if number >= len(runs) - UPLOADED:
                archive.writestr(f"activities/{name}", data)
            if number < len(runs) - UPLOADED_NEW:
                (folder / name).write_bytes(data)
        archive.writestr("activities/readme.txt", b"Exported from the watch's app.\n")
    return folder, upload


def fill(home: Path, files: Path) -> Sample:
    """Six weeks of a runner getting better, through the same services the app uses."""
    os.environ["PIRI_HOME"] = str(home)
    sys.path.insert(0, str(ROOT))
    from tests.check_answers import typical_piriformis

    from piri.services import check, imports, load, program, scores, sessions
    from piri.services.diary import log_day
    from piri.services.program import ExerciseDone, record_morning

    today = dt.date.today()
    start = today - dt.timedelta(days=7 * WEEKS)
    start -= dt.timedelta(days=start.weekday())  # a Monday
    days = (today - start).days  # today's number: 42 to 48
    rng = random.Random(11)

    check.remember_result(
        check.run_check(typical_piriformis(age=38, weeks_since_start=1, sitting_minutes=15))
    )
    program.update_profile(
        today=start,
        painful_side="right",
        equipment=frozenset({"mini_band", "foam_roller", "chair", "step"}),
        minutes_per_day=20,
        days_per_week=4,
        running_status="running_with_pain",
        goals=("Sit through a work meeting without pain", "Run a half marathon in the spring"),
    )

    # The older runs go in as ``piri import watch`` would; the rest through the upload page.
    folder, upload = write_runs(start, days, files)
    here = Path.cwd()
    os.chdir(files)  # so that each run's file is named "watch/...", not a temporary path
    try:
        report = imports.import_paths([Path(folder.name)], workers=1)
    finally:
        os.chdir(here)
    wrong = [f for f in report.files if f.outcome != imports.IMPORTED]
    if wrong:
        raise SystemExit(f"the sample runs did not import: {wrong}")
    for run in RUNS[: len(report.files)]:
        if run.effort is not None:
            load.rate_run(start + dt.timedelta(days=run.day), run.effort, None)

    entries = diary_days(start, days)
    plans = [sessions.plan_for_today(today=start + dt.timedelta(days=n))[2] for n in range(days)]
    session_days = [n for n in range(days) if plans[n] is not None]
    last_session = max(n for n in session_days if n not in MISSED_SESSIONS)
    for number in range(days):
        day = start + dt.timedelta(days=number)
        previous = number - 1
        played = previous in session_days and previous not in MISSED_SESSIONS
        if played and previous != last_session:  # the newest one waits for today's check-in
            record_morning(entries[number].pain_now, today=day)
        if number == 18:
            program.update_profile(walks_30_min_pain_free=True)
        if number == 35:
            program.update_profile(running_status="running_normally")
        log_day(entries[number], today=day)
        plan = sessions.plan_for_today(today=day)[2]  # the phase may have moved on
        if plan is None or number in MISSED_SESSIONS:
            continue
        done = []
        counts = sessions.work_planned(plan)
        for position, planned in enumerate(plan.exercises):
            sets = counts.get(planned.exercise.id, 0) or 1
            status, sets_done = "done", sets
            if number == STOPPED_SESSION and position == len(plan.exercises) - 1:
                status, sets_done = "stopped", sets - 1
            done.append(
                ExerciseDone(planned.exercise.id, sets_done, sets, status, planned.dose.reps)
            )
        pain = entries[number].pain_now
        sessions.record_played_session(
            "today",
            day,
            done,
            pain_during=min(4, pain + rng.choice((0, 0, 1))),
            pain_after=min(4, pain),
            today=day,
        )

    lefs = ((1, 47), (21, 56), (days - 1, 66))
    for number, total in lefs:
        scores.record_lefs(lefs_items(total, rng), day=start + dt.timedelta(days=number))
    psfs = ((1, (3, 2, 4)), (21, (5, 5, 6)), (days - 2, (8, 7, 8)))
    names = ("Sit through a work meeting", "Run 5 km easy", "Drive for an hour")
    for number, ratings in psfs:
        rated = list(zip(names, ratings, strict=True))
        scores.record_psfs(rated, day=start + dt.timedelta(days=number))

    stored, _total = imports.stored_activities(limit=100)
    long_run = run_start(start, RUNS[[r.day for r in RUNS].index(LONG_RUN_TOO_SOON)])
    found = [s.id for s in stored if s.activity.start == long_run]
    sample = Sample(home, upload, long_run_id=found[0] if found else stored[0].id)
    sample.today_has_session = sessions.plan_for_today(today=today)[2] is not None
    return sample


# --- servers and pictures ---------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def server(home: Path, *options: str, **env: str) -> Iterator[str]:
    """``piri serve`` on ``home``; yields its address and stops it afterwards."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "piri", "serve", "--port", str(port), *options],
        env={**os.environ, "PIRI_HOME": str(home), **env},
        stdout=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(900):  # a loaded machine can take a while
            try:
                urllib.request.urlopen(f"{url}/healthz", timeout=1)
                break
            except OSError:
                if process.poll() is not None:
                    message = f"piri serve stopped with status {process.returncode}"
                    raise SystemExit(message) from None
                time.sleep(0.1)
        else:
            raise SystemExit("piri serve did not answer within 90 seconds")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


class Camera:
    """Writes the pictures; ``wanted`` limits them to some names (empty: all)."""

    def __init__(self, wanted: set[str]) -> None:
        self.wanted = wanted
        self.taken: list[str] = []

    def want(self, name: str) -> bool:
        return not self.wanted or name in self.wanted

    def shoot(self, page: Any, name: str, full_page: bool = True, most: int = MAX_HEIGHT) -> None:
        if not self.want(name):
            return
        page.wait_for_load_state("networkidle")
        page.wait_for_function(  # every chart drawn (or given up on)
            "[...document.querySelectorAll('[data-chart]')].every(c => c.dataset.drawn)",
            timeout=15_000,
        )
        page.evaluate("document.fonts.ready")
        page.wait_for_timeout(300)
        height = page.evaluate("document.documentElement.scrollHeight") if full_page else 844
        height = min(height, most)
        target = OUT / f"{name}.png"
        while True:
            clip = {"x": 0, "y": 0, "width": PHONE["width"], "height": height}
            data = page.screenshot(full_page=full_page, clip=clip, animations="disabled")
            data = shrink(data)
            if len(data) <= MAX_BYTES or height <= PHONE["height"]:
                break
            height = max(PHONE["height"], int(height * 0.8))
        target.write_bytes(data)
        self.taken.append(name)
        print(f"docs/screenshots/{name}.png  {page.url}  {len(data) // 1024} KB, {height} px")


def shrink(png: bytes) -> bytes:
    """The same picture in 256 colours (a third of the size), when Pillow is at hand."""
    try:
        from PIL import Image
    except ImportError:
        return png
    image = Image.open(io.BytesIO(png)).convert("RGB")
    out = io.BytesIO()
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(out, "PNG", optimize=True)
    return out.getvalue() if out.tell() < len(png) else png


def visit(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")


def sample_pages(camera: Camera, page: Any, url: str, sample: Sample) -> None:
    """The sample runner's pages, in the order the guide shows them."""
    simple = [
        ("today", "/today"),
        ("plan", "/plan"),
        ("run-plan", "/plan/run"),
        ("profile", "/profile"),
        ("exercises", "/exercises?equipment=mini_band"),
        ("exercise", "/exercises/clamshell"),
        ("learn", "/learn/what-is-it"),
        ("check-result", "/check/result"),
        ("diary", "/diary"),
        ("scores", "/scores"),
        ("lefs", "/scores/lefs"),
    ]
    for name, path in simple:
        if camera.want(name):
            visit(page, url + path)
            # The LEFS form is 20 questions long: its start is enough to show how it works.
            camera.shoot(page, name, most=1900 if name == "lefs" else MAX_HEIGHT)
    if camera.want("check"):
        visit(page, url + "/check")
        camera.shoot(page, "check", full_page=False)
    if camera.want("import"):
        visit(page, url + "/runs/import")
        page.set_input_files("#field-files", str(sample.upload))
        page.click("form[data-upload] button[type=submit]")
        page.wait_for_selector("#import-heading")
        camera.shoot(page, "import")
    for name, path in (
        ("runs", "/runs"),
        ("run", f"/runs/{sample.long_run_id}"),
        ("load", "/runs/load"),
        ("progress", "/progress"),
        ("settings", "/settings"),
    ):
        if camera.want(name):
            visit(page, url + path)
            camera.shoot(page, name)
    routine = "today" if sample.today_has_session else "strength"
    if camera.want("player-intro"):
        visit(page, f"{url}/session/{routine}")
        camera.shoot(page, "player-intro", full_page=False)
    if camera.want("player"):
        visit(page, f"{url}/session/{routine}")
        page.click("#start")
        page.click("#skip")  # from "get ready" to the first set
        page.wait_for_timeout(4500)
        # Scrolled past the menu, as a runner would, so the rep count shows above the controls.
        page.evaluate("document.getElementById('run').scrollIntoView()")
        camera.shoot(page, "player", full_page=False)
    if camera.want("player-end"):
        player_end(camera, page, url, routine)


def player_end(camera: Camera, page: Any, url: str, routine: str) -> None:
    """The end of a whole session, its 20 minutes passed on the page's fake clock."""
    page.clock.install()
    visit(page, f"{url}/session/{routine}")
    page.click("#start")
    page.clock.fast_forward(3 * 60 * 60 * 1000)  # one late tick carries through every step
    page.clock.run_for(1000)
    page.wait_for_selector("#end:not([hidden])", timeout=10_000)
    page.click("label[for='pain_during-2']")
    page.click("label[for='pain_after-1']")
    page.evaluate("document.getElementById('end').scrollIntoView()")
    camera.shoot(page, "player-end", full_page=False)


def first_visit(camera: Camera, page: Any, url: str) -> None:
    """An empty data directory: the welcome page, then a warning sign in the symptom check."""
    if camera.want("welcome"):
        visit(page, url + "/")
        camera.shoot(page, "welcome")
    if camera.want("check-warning") or camera.want("check-urgent"):
        visit(page, url + "/check")
        page.click("label[for='answer-yes']")
        page.click("button[name=action][value=next]")
        page.wait_for_selector("#warning-title")
        camera.shoot(page, "check-warning", full_page=False)
        page.click("text=Stop here and see what to do")
        page.wait_for_load_state("networkidle")
        camera.shoot(page, "check-urgent")


def shared_server(camera: Camera, page: Any, url: str) -> None:
    """Multi-user mode: sign up, then the account page with a new API token."""
    if camera.want("signup"):
        visit(page, url + "/signup")
        camera.shoot(page, "signup")
    if camera.want("account"):
        visit(page, url + "/signup")
        page.fill("#field-username", "sam")
        page.fill("#field-password", "correct horse battery")
        page.fill("#field-password_again", "correct horse battery")
        page.click("button[type=submit].big")
        page.wait_for_load_state("networkidle")
        visit(page, url + "/account")
        page.fill("#field-name", "garmin sync")
        page.click("#tokens button[type=submit]")
        page.wait_for_selector("#new-token")
        camera.shoot(page, "account")


def main(argv: list[str]) -> int:
    from playwright.sync_api import sync_playwright

    camera = Camera(set(argv))
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="piri-docs-") as folder:
        sample = fill(Path(folder) / "home", Path(folder) / "files")
        jobs: list[tuple[Path, tuple[str, ...], dict[str, str], Callable[..., None]]] = [
            (sample.home, (), {}, lambda c, p, u: sample_pages(c, p, u, sample)),
            (Path(folder) / "empty", (), {}, first_visit),
            (Path(folder) / "shared", ("--multi-user",), {}, shared_server),
        ]
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=os.environ.get("PIRI_CHROMIUM", "/usr/bin/chromium"),
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                ],
            )
            for home, options, env, job in jobs:
                with server(home, *options, **env) as url:
                    context = browser.new_context(
                        viewport=PHONE, device_scale_factor=1, locale="en-GB"
                    )
                    page = context.new_page()
                    job(camera, page, url)
                    context.close()
            browser.close()
    missing = camera.wanted - set(camera.taken)
    if missing:
        print(f"no picture called {', '.join(sorted(missing))}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
