"""JSON API: gait checks (a clip uploaded, analysed in the background, its report kept).

``POST /gait/checks`` takes the clip (multipart field ``video``; ``view``: side, rear or
empty to detect; ``fps``: a slow-motion clip's capture rate; ``keep_video``) and answers 202
with the check, queued; ``GET /gait/checks/{id}`` says how far the analysis is and, once it
is done, holds the report as ``piri gait --format json`` gives it. A clip that is not a video,
too short or too long is refused at once (422, naming the file); one the analysis cannot use
(no person, several people, camera moving, wrong view) gets a report that says to film again
and why. A clinician the runner shares runs with reads the same under
``/clinic/runners/{username}/gait``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import IO, Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from piri.services.gait import GaitExtraMissingError, filming_guide_as_json
from piri.services.gait_checks import (
    GaitCheckInfo,
    GaitCheckNotFoundError,
    GaitUploadError,
    delete_gait_check,
    delete_video,
    gait_check,
    gait_checks,
    key_frame,
    shared_gait_check,
    shared_gait_checks,
    shared_key_frame,
    submit_check,
    video_folder,
)
from piri.services.gait_worker import GaitWorker, WorkerMode
from piri.web import limits
from piri.web.api.clinic_plan import CLINICIANS, NO_ACCOUNTS
from piri.web.api.ids import row_id
from piri.web.api.runs import (
    COPY_CHUNK,
    display_name,
    refused_json,
    too_large_message,
    upload_limit,
)
from piri.web.errors import error
from piri.web.identity import api_person, config_of

router = APIRouter(tags=["gait"])

VIDEO_FIELD = "video"
ACCEPTED_VIDEO = "video/*,.mp4,.mov,.m4v,.webm,.mkv,.avi"
NO_VIDEO = (
    "video: choose a clip of the runner, 20 to 30 s long, filmed from the side or from behind "
    "(see the filming guide)."
)
CheckId = Annotated[int, row_id("gait check")]
FramePosition = Annotated[int, row_id("key frame")]
Answers = dict[int | str, dict[str, Any]]
NO_CHECK: Answers = {404: {"description": "`not_found`: no such gait check of yours."}}
FOLLOWED: Answers = {
    **CLINICIANS,
    404: {
        "description": "`no_access`: no open link to that runner that shares their runs; "
        f"`not_found`: no such check; {NO_ACCOUNTS}."
    },
}
IMAGE: Answers = {200: {"description": "The key frame, annotated.", "content": {"image/jpeg": {}}}}
TRUE_WORDS = ("1", "true", "yes", "on")


# --- The background worker of this server process ---------------------------------------------


def gait_worker(request: Request) -> GaitWorker:
    """This app's worker handle (one per server process), made on first use."""
    state = request.app.state
    worker = getattr(state, "gait_worker", None)
    if worker is None:
        mode: WorkerMode = config_of(request).gait_worker  # type: ignore[assignment]
        worker = GaitWorker(mode)
        state.gait_worker = worker
    return worker


def wake_if_waiting(request: Request, info: GaitCheckInfo) -> None:
    """A check still waiting after a restart starts the worker again when someone looks."""
    if info.pending:
        gait_worker(request).wake()


# --- Receiving a clip -------------------------------------------------------------------------


def _copy(source: IO[bytes], target: Path) -> None:
    source.seek(0)
    with target.open("wb") as out:
        shutil.copyfileobj(source, out, COPY_CHUNK)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


async def receive_clip(request: Request, person: str) -> int:
    """Queue a check of the clip in the multipart upload; its id. Raises GaitUploadError."""
    form = await request.form(max_files=2)
    try:
        upload = form.get(VIDEO_FIELD)
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise GaitUploadError(VIDEO_FIELD, NO_VIDEO)
        name = display_name(upload.filename)
        folder = video_folder(create=True)  # the copy is moved there: one file system
        handle, raw = tempfile.mkstemp(prefix=".upload-", dir=folder)
        os.close(handle)
        target = Path(raw)
        try:
            await run_in_threadpool(_copy, upload.file, target)
            check_id = await run_in_threadpool(
                submit_check,
                target,
                name,
                person,
                _text(form.get("view")),
                _text(form.get("fps")),
                (_text(form.get("keep_video")) or "").strip().lower() in TRUE_WORDS,
            )
        finally:
            target.unlink(missing_ok=True)  # moved away unless refused
        gait_worker(request).wake()
        return check_id
    finally:
        await form.close()


def too_large_clip(limit: int, size: int | None) -> str:
    return (
        too_large_message(limit, size)
        .replace(
            "files: the upload",
            "video: the clip",
        )
        .replace(
            "Upload fewer files at a time, or split a big export into smaller ZIP files.",
            "Film 20 to 30 s, or export the clip at a lower resolution (1080p is plenty).",
        )
    )


def gait_upload_route(answer: limits.RefusalAnswer) -> type[Any]:
    """The route class of a clip upload: the upload size and rate limits, checked first."""
    return limits.upload_route(answer, upload_limit, too_large_clip)


# --- Documents --------------------------------------------------------------------------------


def check_json(info: GaitCheckInfo, base: str) -> dict[str, Any]:
    """One check; ``base`` is its URL (the key frames' URLs are under it)."""
    report = None
    if info.result is not None:
        report = dict(info.result)
        report["key_frames"] = [
            {
                "position": frame.position,
                "kind": frame.kind,
                "leg": frame.leg,
                "time_s": round(frame.time_s, 3),
                "label": frame.label,
                "url": f"{base}/frames/{frame.position}",
            }
            for frame in info.frames
        ]
    return {
        "id": info.id,
        "url": base,
        "created_at": info.created_at.isoformat(),
        "status": info.status,
        "percent": info.percent,
        "frames_done": info.frames_done,
        "frames_expected": info.frames_expected,
        "file": info.filename,
        "size_bytes": info.size_bytes,
        "view_asked": info.view_asked,
        "view": info.view,
        "keep_video": info.keep_video,
        "video_stored": info.video_stored,
        "finished_at": info.finished_at.isoformat() if info.finished_at else None,
        "film_again": info.film_again,
        "error": info.error,
        "report": report,
    }


def summary_json(info: GaitCheckInfo, base: str) -> dict[str, Any]:
    """A check in a list: its state and its headline figures, without the whole report."""
    figures = (info.result or {}).get("figures", [])
    return {
        "id": info.id,
        "url": base,
        "created_at": info.created_at.isoformat(),
        "status": info.status,
        "percent": info.percent,
        "file": info.filename,
        "view": info.view or info.view_asked,
        "film_again": info.film_again,
        "error": info.error,
        "figures": [
            {k: f.get(k) for k in ("key", "label", "value", "unit", "verdict")} for f in figures
        ],
    }


def _not_found(check_id: int) -> JSONResponse:
    return error(404, "not_found", f"There is no gait check {check_id} of yours.")


# --- The runner's own checks ------------------------------------------------------------------


@router.get("/gait/guide")
def filming_guide() -> dict[str, Any]:
    """How to film a clip the gait check can use, each step with its sources."""
    return filming_guide_as_json()


@router.get("/gait/checks")
def list_checks(person: str = Depends(api_person)) -> dict[str, Any]:
    """The runner's gait checks, newest first, with their headline figures."""
    found = gait_checks(person)
    return {"checks": [summary_json(info, f"/api/v1/gait/checks/{info.id}") for info in found]}


async def upload_check(request: Request, person: str = Depends(api_person)) -> Response:
    """Upload a clip (multipart: ``video``, and ``view``, ``fps``, ``keep_video``): 202 with
    the check, queued for the analysis."""
    try:
        check_id = await receive_clip(request, person)
    except GaitUploadError as problem:
        return error(422, "invalid_input", str(problem), field=problem.field)
    except GaitExtraMissingError as problem:
        return error(503, "video_extra_missing", str(problem))
    info = await run_in_threadpool(gait_check, check_id, person)
    base = f"/api/v1/gait/checks/{check_id}"
    return JSONResponse(check_json(info, base), status_code=202, headers={"Location": base})


router.add_api_route(
    "/gait/checks",
    upload_check,
    methods=["POST"],
    route_class_override=gait_upload_route(refused_json(VIDEO_FIELD)),
    response_model=None,
    status_code=202,
    responses={
        202: {"description": "The check, queued: follow its `url` for the report."},
        413: {"description": "`upload_too_large`: the clip is over the size limit."},
        422: {
            "description": "`invalid_input`: no clip, not a video, too short or too long, or a "
            "wrong `view` or `fps`; `field` names which."
        },
        429: {
            "description": "`too_many_uploads`: over the upload limit; `retry_after_seconds` "
            "and the `Retry-After` header say when to try again."
        },
        503: {"description": "`video_extra_missing`: this server cannot read videos."},
    },
    openapi_extra={
        "requestBody": {
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            VIDEO_FIELD: {"type": "string", "format": "binary"},
                            "view": {"type": "string", "enum": ["", "side", "rear"]},
                            "fps": {"type": "string", "description": "e.g. 240; empty: the file's"},
                            "keep_video": {"type": "string", "enum": ["", "1"]},
                        },
                        "required": [VIDEO_FIELD],
                    }
                }
            },
            "required": True,
        }
    },
)


@router.get("/gait/checks/{check_id}", response_model=None, responses=NO_CHECK)
def one_check(
    check_id: CheckId, request: Request, person: str = Depends(api_person)
) -> JSONResponse | dict[str, Any]:
    """One check: how far its analysis is, and its report once done."""
    try:
        info = gait_check(check_id, person)
    except GaitCheckNotFoundError:
        return _not_found(check_id)
    wake_if_waiting(request, info)
    return check_json(info, f"/api/v1/gait/checks/{check_id}")


@router.delete("/gait/checks/{check_id}", status_code=204, response_model=None, responses=NO_CHECK)
def remove_check(check_id: CheckId, person: str = Depends(api_person)) -> Response:
    """Delete the check: its report, key frames and clip."""
    try:
        delete_gait_check(check_id, person)
    except GaitCheckNotFoundError:
        return _not_found(check_id)
    return Response(status_code=204)


@router.delete(
    "/gait/checks/{check_id}/video",
    status_code=204,
    response_model=None,
    responses={404: {"description": "`not_found`: no such check, or its clip is gone."}},
)
def remove_video(check_id: CheckId, person: str = Depends(api_person)) -> Response:
    """Delete the check's kept clip and keep its report."""
    try:
        removed = delete_video(check_id, person)
    except GaitCheckNotFoundError:
        return _not_found(check_id)
    if not removed:
        return error(404, "not_found", f"Gait check {check_id} has no clip kept.")
    return Response(status_code=204)


@router.get(
    "/gait/checks/{check_id}/frames/{position}",
    response_model=None,
    responses={**IMAGE, 404: {"description": "`not_found`: no such check or key frame."}},
)
def one_frame(
    check_id: CheckId, position: FramePosition, person: str = Depends(api_person)
) -> Response:
    """A key frame of the check (JPEG, the tracked pose drawn on it)."""
    try:
        media, image = key_frame(check_id, position, person)
    except GaitCheckNotFoundError:
        return error(404, "not_found", f"Gait check {check_id} has no key frame {position}.")
    return Response(image, media_type=media, headers={"Cache-Control": "private, no-store"})


# --- A clinician's view -----------------------------------------------------------------------


@router.get("/clinic/runners/{username}/gait", responses=FOLLOWED)
def runner_checks(username: str, person: str = Depends(api_person)) -> dict[str, Any]:
    """A runner's gait checks (needs their consent to share runs; audited)."""
    found = shared_gait_checks(person, username)
    base = f"/api/v1/clinic/runners/{found.runner}/gait"
    return {
        "runner": found.runner,
        "checks": [summary_json(info, f"{base}/{info.id}") for info in found.checks],
    }


@router.get("/clinic/runners/{username}/gait/{check_id}", response_model=None, responses=FOLLOWED)
def runner_check(
    username: str, check_id: CheckId, person: str = Depends(api_person)
) -> JSONResponse | dict[str, Any]:
    """One of the runner's gait checks with its report (consent to share runs; audited)."""
    try:
        found = shared_gait_check(person, username, check_id)
    except GaitCheckNotFoundError:
        return error(404, "not_found", f"{username} has no gait check {check_id}.")
    base = f"/api/v1/clinic/runners/{found.runner}/gait/{check_id}"
    return {"runner": found.runner, **check_json(found.checks[0], base)}


@router.get(
    "/clinic/runners/{username}/gait/{check_id}/frames/{position}",
    response_model=None,
    responses={**IMAGE, **FOLLOWED},
)
def runner_frame(
    username: str, check_id: CheckId, position: FramePosition, person: str = Depends(api_person)
) -> Response:
    """A key frame of one of the runner's checks (consent to share runs; audited)."""
    try:
        media, image = shared_key_frame(person, username, check_id, position)
    except GaitCheckNotFoundError:
        return error(404, "not_found", f"{username}'s check {check_id} has no frame {position}.")
    return Response(image, media_type=media, headers={"Cache-Control": "private, no-store"})
