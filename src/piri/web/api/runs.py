"""JSON API: runs (``piri import``, ``piri runs``, ``piri rate``) and training load (``piri load``).

Uploads: the request body is counted as it arrives and refused past the upload limit (before
anything reads it when the browser announces its size), Starlette spools each file part to a
temporary file (never the whole upload in memory), each part is copied into a private
temporary folder under its own name, imported by ``services.imports.import_named``, and the
folder is deleted whatever happens.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import IO, Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from piri.domain.activity import Activity
from piri.domain.load import (
    ACWR_CRITICISM,
    ACWR_CRITICISM_SOURCES,
    SPIKE_BAND_LABELS,
    TEN_PERCENT_RULE_NOTE,
    TEN_PERCENT_RULE_SOURCES,
    WeekLoad,
    acwr_zone,
)
from piri.domain.pain_load import flare_text
from piri.services.imports import (
    DUPLICATE,
    FAILED,
    IMPORTED,
    SKIPPED,
    ImportReport,
    StoredActivity,
    import_named,
    stored_activities,
    stored_activity,
)
from piri.services.load import LoadView, RatingError, load_and_pain, rate_activity
from piri.web import limits
from piri.web.api import ids
from piri.web.errors import error
from piri.web.identity import api_person, config_of
from piri.web.limits import Refusal, RefusalAnswer, size_text

# The largest upload accepted (all files of one request together). A ten-year Garmin
# export is a few hundred MB; WebConfig.max_upload_bytes (PIRI_MAX_UPLOAD_MB) overrides it.
DEFAULT_MAX_UPLOAD_BYTES = 1024 * 1024 * 1024
MAX_UPLOAD_FILES = 1000
COPY_CHUNK = 1024 * 1024
UPLOAD_FIELD = "files"
ACCEPTED = ".fit,.gpx,.tcx,.gz,.zip"
RUNS_PAGE_SIZE = 50
MAX_RUNS_LIMIT = 500
DEFAULT_LOAD_WEEKS = 8
MAX_LOAD_WEEKS = 520
# The largest id (and offset) a database can hold: a 64-bit signed integer. A number above it
# names no run; passing it on would make the database driver fail.
MAX_DATABASE_INTEGER = ids.MAX_DATABASE_INTEGER


# --- Uploads ----------------------------------------------------------------------------------


def upload_limit(request: Request) -> int:
    configured = config_of(request).max_upload_bytes
    if isinstance(configured, int) and configured > 0:
        return configured
    return DEFAULT_MAX_UPLOAD_BYTES


def too_large_message(limit: int, size: int | None) -> str:
    said = f" ({size_text(size)})" if size is not None else ""
    return (
        f"files: the upload{said} is larger than this server's limit of {size_text(limit)}. "
        "Upload fewer files at a time, or split a big export into smaller ZIP files."
    )


def upload_route(answer: RefusalAnswer) -> type[APIRoute]:
    """A route class for an upload of runs: refused past the upload limit or the upload rate
    before the CSRF check or anything else reads the body; ``answer`` says so (a JSON error
    or the form again)."""
    return limits.upload_route(answer, upload_limit, too_large_message)


def display_name(filename: str) -> str:
    """The file's own name, without any folder a browser may send."""
    name = PureWindowsPath(PurePosixPath(filename).name).name.strip()
    return name[:200] or "upload"


def disk_name(name: str) -> str:
    """A safe name for the copy on disk that keeps the suffixes the importer reads."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", name).lstrip(".")
    return safe[-120:] or "upload"


def _copy(source: IO[bytes], target: Path) -> None:
    source.seek(0)
    with target.open("wb") as out:
        shutil.copyfileobj(source, out, COPY_CHUNK)


class NoFilesError(ValueError):
    """An upload without a file in it."""


NO_FILES = (
    "files: choose at least one file: .fit, .gpx or .tcx (also .gz), or a Strava or Garmin "
    "export ZIP."
)


async def import_upload(request: Request, person: str) -> ImportReport:
    """Import the files of a multipart upload (field ``files``) for ``person``."""
    form = await request.form(max_files=MAX_UPLOAD_FILES)
    try:
        uploads = [
            item
            for item in form.getlist(UPLOAD_FIELD)
            if isinstance(item, UploadFile) and item.filename
        ]
        if not uploads:
            raise NoFilesError(NO_FILES)
        folder = Path(tempfile.mkdtemp(prefix="piri-upload-"))
        try:
            named: list[tuple[str, Path]] = []
            for number, upload in enumerate(uploads, start=1):
                name = display_name(upload.filename or "")
                target = folder / str(number) / disk_name(name)
                target.parent.mkdir()
                await run_in_threadpool(_copy, upload.file, target)
                await upload.close()
                named.append((name, target))
            return await run_in_threadpool(import_named, named, person)
        finally:
            await run_in_threadpool(shutil.rmtree, folder, True)
    finally:
        await form.close()


def report_json(report: ImportReport, seconds: float | None = None) -> dict[str, Any]:
    """The summary of ``piri import --format json``, with the counts of each outcome."""
    document: dict[str, Any] = {
        "imported": report.imported,
        "duplicates": report.duplicates,
        "counts": {
            outcome: report.count(outcome) for outcome in (IMPORTED, DUPLICATE, SKIPPED, FAILED)
        },
        "bytes_read": report.bytes_read,
        "files": [asdict(f) for f in report.files],
    }
    if seconds is not None:
        document["seconds"] = round(seconds, 2)
    return document


# --- Runs -------------------------------------------------------------------------------------


def activity_json(stored: StoredActivity) -> dict[str, Any]:
    """As ``piri runs --format json``, with the id and the effort rating."""
    activity: Activity = stored.activity
    document = asdict(activity)
    document["start"] = activity.start.isoformat()
    local = activity.local_start
    document["local_start"] = local.isoformat() if local else None
    for lap in document["laps"]:
        lap["start"] = lap["start"].isoformat()
    document["pace_s_per_km"] = activity.pace_s_per_km
    document["id"] = stored.id
    document["effort"] = stored.effort
    return document


def is_whole_number(text: str) -> bool:
    """Only the digits 0-9 (``str.isdigit`` also takes '²', which ``int`` refuses), and no
    more of them than ``int`` reads (4300 by default; an offset past the end is allowed)."""
    limit = sys.get_int_max_str_digits()
    return text.isascii() and text.isdigit() and (limit == 0 or len(text) <= limit)


def parse_since(value: str | None) -> dt.date | None:
    """A YYYY-MM-DD date, or None; ValueError names the field and the format."""
    if value is None or not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"since: '{value}' is not a date; use YYYY-MM-DD") from None


def parse_effort(value: object) -> int:
    """A whole number 0-10; RatingError with the message ``piri rate`` gives."""
    if isinstance(value, bool) or value is None or value == "":
        raise RatingError("effort: choose how hard the run felt, from 0 (rest) to 10 (maximal)")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and is_whole_number(value.strip().removeprefix("-")):
        number = int(value.strip())
    else:
        raise RatingError(f"effort: expected a whole number from 0 (rest) to 10, got {value!r}")
    if not 0 <= number <= 10:
        raise RatingError(f"effort: expected 0 (rest) to 10 (maximal), got {number}")
    return number


def parse_weeks(value: str | None) -> int:
    if value is None or not value.strip():
        return DEFAULT_LOAD_WEEKS
    text = value.strip()
    if not is_whole_number(text) or not 1 <= int(text) <= MAX_LOAD_WEEKS:
        raise ValueError(
            f"weeks: expected a whole number from 1 to {MAX_LOAD_WEEKS}, got '{value}'"
        )
    return int(text)


def parse_limit(value: str | None) -> int:
    """Runs per page, 1 to MAX_RUNS_LIMIT; ValueError names the field, whatever was sent."""
    if value is None or not value.strip():
        return RUNS_PAGE_SIZE
    text = value.strip()
    if not is_whole_number(text) or not 1 <= int(text) <= MAX_RUNS_LIMIT:
        raise ValueError(
            f"limit: expected a whole number from 1 to {MAX_RUNS_LIMIT}, got '{value}'"
        )
    return int(text)


def parse_offset(value: str | None) -> int:
    """Runs to skip, 0 or more; ValueError names the field, whatever was sent."""
    if value is None or not value.strip():
        return 0
    text = value.strip()
    if not is_whole_number(text):
        raise ValueError(f"offset: expected a whole number, 0 or more, got '{value}'")
    return int(text)


# --- Load -------------------------------------------------------------------------------------


def week_json(week: WeekLoad) -> dict[str, Any]:
    document = asdict(week)
    document.pop("distance_monotony", None)
    document.pop("srpe_monotony", None)
    document["monotony"] = week.distance_monotony.monotony
    document["strain"] = week.distance_monotony.strain
    document["monotony_note"] = week.distance_monotony.note
    return document


def load_json(view: LoadView, weeks: int) -> dict[str, Any]:
    """As ``piri load --format json``, with the sources of the notes and the advice."""
    load = view.load
    latest = load.latest_distance_acwr
    return {
        "weeks": [week_json(w) for w in load.weeks[-weeks:]],
        "acwr": asdict(latest) if latest else None,
        "acwr_zone": acwr_zone(latest.ratio) if latest and latest.ratio is not None else None,
        "acwr_criticism": ACWR_CRITICISM,
        "acwr_criticism_sources": list(ACWR_CRITICISM_SOURCES),
        "ten_percent_rule": TEN_PERCENT_RULE_NOTE,
        "ten_percent_rule_sources": list(TEN_PERCENT_RULE_SOURCES),
        "spikes": [
            {
                "day": r.day,
                "band": r.spike.band,
                "label": SPIKE_BAND_LABELS[r.spike.band],
                "excess_pct": r.spike.excess_pct,
                "distance_m": r.distance_m,
            }
            for r in load.runs
            if r.spike is not None and r.spike.band is not None
        ],
        "flares": [flare_text(f) for f in view.pain.flares],
        "enough_data": view.pain.enough_data,
        "findings": view.pain.findings,
        "advice": [{"text": a.text, "sources": list(a.sources)} for a in view.pain.advice],
    }


# --- Routes -----------------------------------------------------------------------------------


router = APIRouter(tags=["runs"])

NO_RUN: dict[int | str, dict[str, Any]] = {
    404: {"description": "`not_found`: you have no run with that id."}
}


def refused_json(field: str) -> RefusalAnswer:
    """The JSON answer of an upload refused before it was read, naming its form ``field``."""

    async def answer(_request: Request, refusal: Refusal) -> Response:
        retry = {"retry_after_seconds": refusal.retry_after} if refusal.retry_after else {}
        response = error(refusal.status, refusal.code, refusal.message, field=field, **retry)
        response.headers.update(refusal.headers())
        return response

    return answer


@router.get("/runs", response_model=None)
def list_runs(
    since: Annotated[
        str | None, Query(description="Only runs from this day on: YYYY-MM-DD.")
    ] = None,
    limit: Annotated[
        str | None, Query(description=f"Runs per page, 1 to {MAX_RUNS_LIMIT} (default 50).")
    ] = None,
    offset: Annotated[str | None, Query(description="Runs to skip, 0 or more.")] = None,
    person: str = Depends(api_person),
) -> JSONResponse | dict[str, Any]:
    """The imported activities, newest first (``piri runs``); ``since`` YYYY-MM-DD."""
    # The parameters are read here, not by FastAPI, so that every wrong value ('0' and 'abc'
    # alike) gets the same answer: the field's name and what it expects.
    try:
        day = parse_since(since)
    except ValueError as problem:
        return error(422, "invalid_input", str(problem), field="since")
    try:
        count = parse_limit(limit)
    except ValueError as problem:
        return error(422, "invalid_input", str(problem), field="limit")
    try:
        skip = parse_offset(offset)
    except ValueError as problem:
        return error(422, "invalid_input", str(problem), field="offset")
    found, total = stored_activities(
        person=person, since=day, limit=count, offset=min(skip, MAX_DATABASE_INTEGER)
    )
    return {"total": total, "offset": skip, "runs": [activity_json(a) for a in found]}


@router.get("/runs/{activity_id:int}", response_model=None, responses=NO_RUN)
def one_run(activity_id: int, person: str = Depends(api_person)) -> JSONResponse | dict[str, Any]:
    """One activity with its laps."""
    if activity_id > MAX_DATABASE_INTEGER:
        return error(404, "not_found", f"There is no run {activity_id}.")
    found = stored_activity(activity_id, person=person)
    if found is None:
        return error(404, "not_found", f"There is no run {activity_id}.")
    return activity_json(found)


RATING_BODY = {
    "requestBody": {
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {"effort": {"type": "integer", "minimum": 0, "maximum": 10}},
                    "required": ["effort"],
                }
            }
        },
        "required": True,
    }
}


@router.post(
    "/runs/{activity_id:int}/rating",
    response_model=None,
    openapi_extra=RATING_BODY,
    responses={**NO_RUN, 422: {"description": "`invalid_input`: `effort` is not 0 to 10."}},
)
async def rate(
    activity_id: int, request: Request, person: str = Depends(api_person)
) -> JSONResponse | dict[str, Any]:
    """How hard a run felt, as ``{"effort": 0-10}`` (session RPE, like ``piri rate``)."""
    try:
        body = await request.json()
    except ValueError:
        return error(422, "invalid_input", 'Send JSON: {"effort": 0-10}.', field="effort")
    value = body.get("effort") if isinstance(body, dict) else None
    try:
        effort = parse_effort(value)
        if activity_id > MAX_DATABASE_INTEGER:
            raise LookupError(activity_id)
        described = await run_in_threadpool(rate_activity, activity_id, effort, person)
    except LookupError:
        return error(404, "not_found", f"There is no run {activity_id}.")
    except RatingError as problem:
        return error(422, "invalid_input", str(problem), field="effort")
    return {"id": activity_id, "effort": effort, "run": described}


async def import_runs(request: Request, person: str = Depends(api_person)) -> Response:
    """Upload activity files (multipart field ``files``: .fit, .gpx, .tcx, also .gz, or a
    Strava or Garmin export ZIP); each file's outcome as ``piri import --format json``."""
    started = dt.datetime.now(dt.UTC)
    try:
        report = await import_upload(request, person)
    except NoFilesError as problem:
        return error(422, "invalid_input", str(problem), field=UPLOAD_FIELD)
    seconds = (dt.datetime.now(dt.UTC) - started).total_seconds()
    return JSONResponse(report_json(report, seconds))


router.add_api_route(
    "/runs/import",
    import_runs,
    methods=["POST"],
    route_class_override=upload_route(refused_json(UPLOAD_FIELD)),
    response_model=None,
    responses={
        413: {"description": "`upload_too_large`: the upload is over the size limit."},
        429: {
            "description": "`too_many_uploads`: over the upload limit; `retry_after_seconds` "
            "and the `Retry-After` header say when to try again."
        },
        422: {"description": "`invalid_input`: no files in the `files` field."},
    },
    openapi_extra={
        "requestBody": {
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            UPLOAD_FIELD: {
                                "type": "array",
                                "items": {"type": "string", "format": "binary"},
                            }
                        },
                        "required": [UPLOAD_FIELD],
                    }
                }
            },
            "required": True,
        }
    },
)


@router.get("/load", response_model=None)
def training_load(
    weeks: str | None = None, person: str = Depends(api_person)
) -> JSONResponse | dict[str, Any]:
    """Training load week by week, the acute:chronic ratio with its criticism, and how the
    pain diary followed the load (``piri load --format json``); ``weeks`` 1-520, default 8."""
    try:
        count = parse_weeks(weeks)
    except ValueError as problem:
        return error(422, "invalid_input", str(problem), field="weeks")
    return load_json(load_and_pain(person=person), count)
