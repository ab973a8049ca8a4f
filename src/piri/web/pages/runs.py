"""Pages: ``/runs`` (the list), ``/runs/{id}`` (one run, its laps, its effort),
``/runs/load`` (training load and pain) and ``/runs/import`` (upload with progress).

The same figures and sentences as ``piri runs``, ``piri rate``, ``piri load`` and
``piri import``; the import page works as a plain form without JavaScript, and with it shows
the upload's progress (``static/js/upload.js``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from piri.domain.activity import Activity, Lap
from piri.domain.load import (
    ACWR_CRITICISM,
    ACWR_CRITICISM_SOURCES,
    SPIKE_BAND_LABELS,
    TEN_PERCENT_RULE_NOTE,
    TEN_PERCENT_RULE_SOURCES,
    Acwr,
    LoadReport,
    acwr_zone,
)
from piri.domain.pain_load import EVENT_WINDOW_DAYS, NOT_PROOF, flare_text
from piri.domain.values import whole_number
from piri.services.diary import diary
from piri.services.imports import (
    DUPLICATE,
    FAILED,
    IMPORTED,
    SKIPPED,
    ImportReport,
    StoredActivity,
    stored_activities,
    stored_activity,
)
from piri.services.load import RatingError, load_and_pain, rate_activity
from piri.web import charts
from piri.web.api.progress import ChartView, Link
from piri.web.api.runs import (
    ACCEPTED,
    RUNS_PAGE_SIZE,
    UPLOAD_FIELD,
    NoFilesError,
    import_upload,
    parse_effort,
    parse_since,
    parse_weeks,
    upload_limit,
)
from piri.web.api.runs import upload_route as _upload_route
from piri.web.identity import page_person
from piri.web.limits import Refusal, size_text
from piri.web.templating import error_page, render

router = APIRouter()

# Problems listed per kind on the import result; the rest are counted.
MAX_LISTED = 200
NO_ACTIVITIES = (
    "No activities found. Piri reads .fit, .gpx and .tcx files (also .gz), Strava bulk "
    "exports and Garmin account exports (ZIP)."
)


# --- Formatting -------------------------------------------------------------------------------


def clock(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def pace(seconds_per_km: float | None) -> str:
    if not seconds_per_km:
        return "-"
    whole = round(seconds_per_km)
    return f"{whole // 60}:{whole % 60:02d}/km"


def km(metres: float | None, digits: int = 2) -> str:
    return f"{metres / 1000:.{digits}f} km" if metres else "-"


def when(activity: Activity) -> str:
    local = activity.local_start
    if local is not None:
        return f"{local:%Y-%m-%d %H:%M}"
    return f"{activity.start:%Y-%m-%d %H:%M} UTC"


@dataclass(frozen=True)
class RunRow:
    id: int
    date: str
    sport: str
    distance: str
    time: str
    pace: str
    heart_rate: str
    cadence: str
    laps: int
    effort: str


def run_row(stored: StoredActivity) -> RunRow:
    a = stored.activity
    return RunRow(
        id=stored.id,
        date=when(a),
        sport=a.sport_label,
        distance=km(a.distance_m),
        time=clock(a.moving_seconds or a.elapsed_seconds),
        pace=pace(a.pace_s_per_km) if a.is_run else "-",
        heart_rate=str(a.avg_heart_rate) if a.avg_heart_rate else "-",
        cadence=f"{a.avg_cadence_spm:.0f}" if a.avg_cadence_spm else "-",
        laps=len(a.laps),
        effort="-" if stored.effort is None else f"{stored.effort}/10",
    )


def lap_rows(laps: Iterable[Lap]) -> list[list[str]]:
    return [
        [
            str(number),
            km(lap.distance_m),
            clock(lap.moving_seconds or lap.elapsed_seconds),
            pace(lap.pace_s_per_km),
            str(lap.avg_heart_rate) if lap.avg_heart_rate else "-",
            f"{lap.avg_cadence_spm:.0f}" if lap.avg_cadence_spm else "-",
        ]
        for number, lap in enumerate(laps, start=1)
    ]


def facts(activity: Activity) -> list[tuple[str, str]]:
    """What the file says about the run, as (label, value), leaving out what it does not."""
    a = activity
    found = [
        ("Start", when(a)),
        ("Start (UTC)", f"{a.start:%Y-%m-%d %H:%M}"),
        ("Sport", a.sport_label),
        ("Distance", km(a.distance_m)),
        ("Moving time", clock(a.moving_seconds)),
        ("Elapsed time", clock(a.elapsed_seconds)),
        ("Pace", pace(a.pace_s_per_km)),
        ("Ascent", f"{a.ascent_m:.0f} m" if a.ascent_m is not None else "-"),
        ("Average heart rate", f"{a.avg_heart_rate} bpm" if a.avg_heart_rate else "-"),
        ("Maximum heart rate", f"{a.max_heart_rate} bpm" if a.max_heart_rate else "-"),
        ("Cadence", f"{a.avg_cadence_spm:.0f} steps/min" if a.avg_cadence_spm else "-"),
        (
            "Stance time",
            f"{a.avg_stance_time_ms:.0f} ms" if a.avg_stance_time_ms is not None else "-",
        ),
        (
            "Stance time balance",
            f"{a.stance_time_balance_left_pct:.1f}% left"
            if a.stance_time_balance_left_pct is not None
            else "-",
        ),
        (
            "Vertical oscillation",
            f"{a.avg_vertical_oscillation_mm / 10:.1f} cm"
            if a.avg_vertical_oscillation_mm is not None
            else "-",
        ),
        ("GPS", "yes" if a.has_gps else "no (treadmill or indoor)"),
        ("Device", a.device or "-"),
        ("File", a.origin or "-"),
    ]
    return [(label, value) for label, value in found if value != "-"]


URL = re.compile(r"https?://\S+")


def source_links(text: str) -> list[tuple[str, str | None]]:
    """A source line ("Title: URL ; other: URL") as (title, url) pairs to show as links."""
    parts: list[tuple[str, str | None]] = []
    position = 0
    for match in URL.finditer(text):
        title = text[position : match.start()].strip(" ;:,")
        parts.append((title or match.group(), match.group()))
        position = match.end()
    rest = text[position:].strip(" ;:,")
    if rest:
        parts.append((rest, None))
    return parts


def sources(lines: Iterable[str]) -> list[list[tuple[str, str | None]]]:
    return [source_links(line) for line in lines]


# --- The runs list ----------------------------------------------------------------------------


MAX_RUNS_PAGE = 1_000_000  # far past any history, and an offset the database can hold


@router.get("/runs")
def runs_page(
    request: Request,
    since: str | None = None,
    page: str | None = None,
    person: str = Depends(page_person),
) -> HTMLResponse:
    errors: dict[str, str] = {}
    day = None
    try:
        day = parse_since(since)
    except ValueError as problem:
        errors["since"] = str(problem)
    # Anything that is not a page number shows the first page; one past the end, the last.
    number = min(whole_number(page or "") or 1, MAX_RUNS_PAGE)

    def read(number: int) -> tuple[list[StoredActivity], int]:
        offset = (number - 1) * RUNS_PAGE_SIZE
        return stored_activities(person=person, since=day, limit=RUNS_PAGE_SIZE, offset=offset)

    found, total = read(number)
    pages = max(1, -(-total // RUNS_PAGE_SIZE))
    if number > pages:
        number = pages
        found, total = read(number)
    query = f"since={day.isoformat()}&" if day else ""
    return render(
        request,
        "runs/index.html",
        status_code=422 if errors else 200,
        title="Runs",
        rows=[run_row(a) for a in found],
        total=total,
        since=since or "",
        filtered=day is not None,
        page=number,
        pages=pages,
        newer=f"/runs?{query}page={number - 1}" if number > 1 else None,
        older=f"/runs?{query}page={number + 1}" if number < pages else None,
        errors=errors,
    )


# --- One run ----------------------------------------------------------------------------------


def _run_page(
    request: Request,
    stored: StoredActivity,
    errors: dict[str, str] | None = None,
    effort: str | None = None,
    saved: bool = False,
) -> HTMLResponse:
    value = effort if effort is not None else stored.effort
    return render(
        request,
        "runs/detail.html",
        status_code=422 if errors else 200,
        title=f"Run of {when(stored.activity)}",
        run=stored,
        row=run_row(stored),
        facts=facts(stored.activity),
        laps=lap_rows(stored.activity.laps),
        errors=errors or {},
        effort=value,
        saved=saved,
    )


def _not_found(request: Request, activity_id: int) -> HTMLResponse:
    return error_page(
        request,
        404,
        "Not found",
        f"There is no run {activity_id}. See all your runs on the Runs page.",
    )


@router.get("/runs/{activity_id:int}")
def run_page(
    request: Request,
    activity_id: int,
    rated: str | None = None,
    person: str = Depends(page_person),
) -> HTMLResponse:
    found = stored_activity(activity_id, person=person)
    if found is None:
        return _not_found(request, activity_id)
    return _run_page(request, found, saved=rated is not None)


@router.post("/runs/{activity_id:int}/rating", response_model=None)
async def rate_run(
    request: Request, activity_id: int, person: str = Depends(page_person)
) -> Response:
    form = await request.form()
    raw = form.get("effort")
    value = raw if isinstance(raw, str) else None
    found = await run_in_threadpool(stored_activity, activity_id, person)
    if found is None:
        return _not_found(request, activity_id)
    try:
        effort = parse_effort(value)
        await run_in_threadpool(rate_activity, activity_id, effort, person)
    except RatingError as problem:
        return _run_page(request, found, errors={"effort": str(problem)}, effort=value)
    return RedirectResponse(f"/runs/{activity_id}?rated=1", status_code=303)


# --- Training load ----------------------------------------------------------------------------


def _acwr_view(latest: Acwr | None) -> dict[str, Any] | None:
    if latest is None:
        return None
    shown = latest.ratio is not None and latest.reliable
    return {
        "shown": shown,
        "ratio": f"{latest.ratio:.2f}" if latest.ratio is not None else None,
        "ewma": f"{latest.ewma_ratio:.2f}" if latest.ewma_ratio is not None else None,
        "uncoupled": (
            f"{latest.ratio_uncoupled:.2f}" if latest.ratio_uncoupled is not None else None
        ),
        "zone": acwr_zone(latest.ratio) if latest.ratio is not None else None,
        "reason": latest.reason,
        "acute_coverage": round(latest.acute_coverage * 100),
        "chronic_coverage": round(latest.chronic_coverage * 100),
        "day": latest.day,
    }


def load_chart_view(
    load: LoadReport, worst_by_day: dict[dt.date, int], first: dt.date
) -> ChartView:
    """Distance per day and worst pain per day from ``first`` on, with its sentences."""
    by_day: dict[dt.date, charts.RunDay] = {}
    for run in load.runs:
        if run.day < first:
            continue
        before = by_day.get(run.day)
        spike = run.spike is not None and run.spike.band is not None
        by_day[run.day] = charts.RunDay(
            run.day,
            round((before.km if before else 0.0) + (run.distance_m or 0.0) / 1000, 2),
            spike or (before.spike if before else False),
            run.speed_session or (before.speed if before else False),
        )
    days = sorted(by_day.values(), key=lambda r: r.day)
    pain = sorted((day, float(value)) for day, value in worst_by_day.items() if day >= first)
    view = ChartView(
        "load",
        "Distance and pain, day by day",
        [],
        None,
        empty="No runs in these weeks.",
        link=Link("Import runs", "/runs/import"),
    )
    if not days and not pain:
        return view
    view.spec = charts.load_chart(days, pain)
    total = sum(d.km for d in days)
    spikes = sum(1 for d in days if d.spike)
    speed = sum(1 for d in days if d.speed)
    view.summary = [
        f"Since {first.day} {first:%B %Y}: {len(days)} days with runs, {total:.1f} km in all; "
        f"{spikes} day{'s' if spikes != 1 else ''} with a run more than 10% longer than the "
        f"longest of the previous 30 days, and {speed} with a speed session.",
        "The bars are the distance run each day (red: a spike, brown: a speed session); the "
        "line is the worst pain you logged that day.",
    ]
    if pain:
        high = max(pain, key=lambda p: p[1])
        view.summary.append(
            f"Your worst pain in these days was {high[1]:g}, on {high[0].day} {high[0]:%B %Y}."
        )
    rows: dict[dt.date, list[str]] = {}
    for d in days:
        kind = "spike" if d.spike else "speed session" if d.speed else ""
        rows[d.day] = [f"{d.day:%a %d %b %Y}", f"{d.km:.1f}", kind, "-"]
    for day, value in pain:
        rows.setdefault(day, [f"{day:%a %d %b %Y}", "-", "", "-"])[3] = f"{value:g}"
    view.columns = ["Day", "km", "Flag", "Worst pain"]
    view.rows = [rows[day] for day in sorted(rows)]
    view.empty, view.link = "", None
    return view


@router.get("/runs/load")
def load_page(
    request: Request, weeks: str | None = None, person: str = Depends(page_person)
) -> HTMLResponse:
    errors: dict[str, str] = {}
    try:
        count = parse_weeks(weeks)
    except ValueError as problem:
        errors["weeks"] = str(problem)
        count = parse_weeks(None)
    view = load_and_pain(person=person)
    load = view.load
    shown = load.weeks[-count:]
    first = shown[0].monday if shown else dt.date.today()
    worst = {d.day: d.worst_pain for d in diary(person=person, since=first)}
    spikes = [
        (run, SPIKE_BAND_LABELS[run.spike.band])
        for run in load.runs
        if run.day >= first and run.spike is not None and run.spike.band is not None
    ]
    return render(
        request,
        "runs/load.html",
        status_code=422 if errors else 200,
        title="Training load and pain",
        errors=errors,
        weeks_value=weeks if errors else str(count),
        count=count,
        has_runs=bool(load.runs),
        weeks=shown,
        chart=load_chart_view(load, worst, first),
        acwr=_acwr_view(load.latest_distance_acwr),
        srpe=_acwr_view(load.latest_srpe_acwr),
        criticism=ACWR_CRITICISM,
        criticism_sources=sources(ACWR_CRITICISM_SOURCES),
        ten_percent=TEN_PERCENT_RULE_NOTE,
        ten_percent_sources=sources(TEN_PERCENT_RULE_SOURCES),
        spikes=spikes,
        flares=[flare_text(f) for f in view.pain.flares],
        findings=view.pain.findings,
        advice=[(a.text, sources(a.sources)) for a in view.pain.advice],
        not_proof=NOT_PROOF,
        window_days=EVENT_WINDOW_DAYS,
        km=km,
    )


# --- Import -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportSummary:
    imported: int
    duplicates: int
    counts: dict[str, int]
    files: int
    listed: dict[str, list[tuple[str, str, int]]]  # outcome: (file, detail, activities)
    more: dict[str, int]  # outcome: how many were not listed
    nothing_found: bool
    seconds: float
    size: str


def import_summary(report: ImportReport, seconds: float) -> ImportSummary:
    listed: dict[str, list[tuple[str, str, int]]] = {}
    more: dict[str, int] = {}
    for outcome in (FAILED, SKIPPED, IMPORTED, DUPLICATE):
        mine = [f for f in report.files if f.outcome == outcome]
        listed[outcome] = [(f.origin, f.detail, f.activities) for f in mine[:MAX_LISTED]]
        more[outcome] = max(0, len(mine) - MAX_LISTED)
    counts = {o: report.count(o) for o in (IMPORTED, DUPLICATE, SKIPPED, FAILED)}
    return ImportSummary(
        imported=report.imported,
        duplicates=report.duplicates,
        counts=counts,
        files=len(report.files),
        listed=listed,
        more=more,
        nothing_found=counts[IMPORTED] == 0 and counts[DUPLICATE] == 0,
        seconds=round(seconds, 1),
        size=size_text(report.bytes_read),
    )


def _import_page(
    request: Request,
    status: int = 200,
    errors: dict[str, str] | None = None,
    result: ImportSummary | None = None,
) -> HTMLResponse:
    fragment = request.headers.get("hx-request") == "true"
    return render(
        request,
        "runs/_import_result.html" if fragment else "runs/import.html",
        status_code=status,
        title="Import runs",
        errors=errors or {},
        result=result,
        accepted=ACCEPTED,
        field=UPLOAD_FIELD,
        limit=upload_limit(request),
        limit_text=size_text(upload_limit(request)),
        no_activities=NO_ACTIVITIES,
    )


@router.get("/runs/import")
def import_form(request: Request, _person: str = Depends(page_person)) -> HTMLResponse:
    return _import_page(request)


async def _refused_page(request: Request, refusal: Refusal) -> Response:
    """Too large (413) or too many uploads (429): the form again, the reason at its field."""
    response = _import_page(request, refusal.status, {UPLOAD_FIELD: refusal.message})
    response.headers.update(refusal.headers())
    return response


async def import_files(request: Request, person: str = Depends(page_person)) -> Response:
    started = dt.datetime.now(dt.UTC)
    try:
        report = await import_upload(request, person)
    except NoFilesError as problem:
        return _import_page(request, 422, {UPLOAD_FIELD: str(problem)})
    seconds = (dt.datetime.now(dt.UTC) - started).total_seconds()
    return _import_page(request, result=import_summary(report, seconds))


router.add_api_route(
    "/runs/import",
    import_files,
    methods=["POST"],
    route_class_override=_upload_route(_refused_page),
    response_model=None,
    include_in_schema=False,
)
