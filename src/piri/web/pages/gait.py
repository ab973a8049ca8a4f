"""Pages: ``/gait`` (the filming guide, the upload, the runner's past checks) and
``/gait/{id}`` (one check: its progress while the analysis runs, then the report with its key
frames and the figures step by step); a clinician with consent reads the same under
``/clinic/runners/{username}/gait``.

The same report as ``piri gait`` (both show what ``piri.services.gait`` wrote). The upload
works as a plain form without JavaScript (the check page then reloads itself until the
analysis ends); with it, the upload shows its progress (``static/js/gait.js``) and the check
page follows the analysis through the JSON API.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from piri.domain.filming_guide import FILMING_GUIDE, FILMING_GUIDE_SUMMARY
from piri.services.gait import INSTALL_ADVICE, GaitExtraMissingError
from piri.services.gait_checks import (
    MAX_CLIP_SECONDS,
    GaitCheckInfo,
    GaitCheckNotFoundError,
    GaitUploadError,
    delete_gait_check,
    delete_video,
    gait_check,
    gait_checks,
    kept_video,
    key_frame,
    shared_gait_check,
    shared_gait_checks,
    shared_key_frame,
)
from piri.web import charts
from piri.web.api.gait import (
    ACCEPTED_VIDEO,
    VIDEO_FIELD,
    CheckId,
    FramePosition,
    gait_upload_route,
    receive_clip,
    wake_if_waiting,
)
from piri.web.api.progress import ChartView
from piri.web.api.runs import upload_limit
from piri.web.identity import page_person
from piri.web.limits import Refusal, size_text
from piri.web.templating import error_page, render

router = APIRouter()

VIEW_NAMES = {"side": "from the side", "rear": "from behind"}
VIEW_SOURCES = {
    "given": "as you chose",
    "detected": "Piri found this from the clip",
    "unclear": "Piri could not tell; it tried the side view",
}
VERDICT_WORDS = {
    "in_range": "In the typical range",
    "below_range": "Below the typical range",
    "above_range": "Above the typical range",
    "no_range": "No typical range to compare with",
    "uncertain": "Too uncertain to judge",
}


def video_extra_installed() -> bool:
    return all(importlib.util.find_spec(name) is not None for name in ("av", "mediapipe"))


def when(info: GaitCheckInfo) -> str:
    return f"{info.created_at:%Y-%m-%d %H:%M} UTC"


@dataclass(frozen=True)
class CheckRow:
    id: int
    when: str
    file: str
    view: str
    state: str
    headline: str  # the cadence or the pelvic drop, as the report gave it


def headline(info: GaitCheckInfo) -> str:
    if info.status == "failed":
        return "-"
    if info.film_again:
        return "Please film again"
    shown = []
    for key in ("cadence", "pelvic_drop_left", "pelvic_drop_right"):
        figure = info.figure(key)
        if figure is not None:
            shown.append(f"{figure['label']}: {_value(figure)}")
    return "; ".join(shown) or "-"


def state(info: GaitCheckInfo) -> str:
    if info.status == "queued":
        return "Waiting for the analysis"
    if info.status == "running":
        return f"Analysing ({info.percent}%)" if info.percent is not None else "Analysing"
    if info.status == "failed":
        return "Not analysed"
    return "Done"


def check_row(info: GaitCheckInfo) -> CheckRow:
    view = info.view or info.view_asked
    return CheckRow(
        id=info.id,
        when=when(info),
        file=info.filename,
        view=VIEW_NAMES.get(view or "", "to be detected"),
        state=state(info),
        headline=headline(info),
    )


def _number(value: float) -> str:
    return (
        f"{value:.0f}"
        if abs(value) >= 1000
        else f"{value:.1f}"
        if abs(value) >= 1
        else f"{value:.2f}"
    )


def _value(figure: dict[str, Any]) -> str:
    unit = figure.get("unit", "")
    space = "" if unit == "°" else " "
    return (
        f"{_number(figure['value'])}{space}{unit} ± {_number(figure['uncertainty'])}{space}{unit}"
    )


def figure_view(figure: dict[str, Any]) -> dict[str, Any]:
    typical = figure.get("typical")
    range_text = None
    if typical:
        unit = typical.get("unit", "")
        low, high = typical.get("low"), typical.get("high")
        if low is not None and high is not None:
            range_text = f"{low:g} to {high:g} {unit}"
        elif low is not None:
            range_text = f"{low:g} {unit} or more"
        elif high is not None:
            range_text = f"up to {high:g} {unit}"
    return {
        **figure,
        "shown": _value(figure),
        "verdict_text": VERDICT_WORDS.get(figure.get("verdict", ""), ""),
        "range_text": range_text,
    }


def timeline_charts(info: GaitCheckInfo) -> list[ChartView]:
    views = []
    for number, timeline in enumerate((info.result or {}).get("timelines", []), start=1):
        points = [(p["time_s"], p["value"], p.get("leg")) for p in timeline["points"]]
        if not points:
            continue
        median_figure = info.figure(timeline["key"])
        median = median_figure["value"] if median_figure else None
        values = [v for _t, v, _leg in points]
        view = ChartView(
            f"timeline-{number}",
            timeline["label"],
            [
                f"{len(points)} values from {points[0][0]:.1f} s to {points[-1][0]:.1f} s into "
                f"the clip, from {min(values):.1f} to {max(values):.1f} {timeline['unit']}"
                + (f"; the median is {median:.1f} {timeline['unit']}." if median else "."),
                "A steady line means a steady clip; a jump is a change of pace or a step Piri "
                "misread, and the median leaves such steps out.",
            ],
            charts.gait_timeline_chart(timeline["label"], timeline["unit"], points, median),
            columns=["Seconds", timeline["unit"], "Leg"],
            rows=[[f"{t:.2f}", f"{v:.1f}", leg or "-"] for t, v, leg in points],
        )
        views.append(view)
    return views


def _index(
    request: Request,
    person: str,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    deleted: bool = False,
) -> HTMLResponse:
    found = gait_checks(person)
    limit = upload_limit(request)
    return render(
        request,
        "gait/index.html",
        status_code=422 if errors else 200,
        title="Gait check",
        guide=FILMING_GUIDE,
        guide_summary=FILMING_GUIDE_SUMMARY,
        rows=[check_row(info) for info in found],
        errors=errors or {},
        form=form or {},
        field=VIDEO_FIELD,
        accepted=ACCEPTED_VIDEO,
        limit=limit,
        limit_text=size_text(limit),
        longest=f"{MAX_CLIP_SECONDS:.0f}",
        extra_missing=None if video_extra_installed() else INSTALL_ADVICE,
        deleted=deleted,
    )


@router.get("/gait")
def gait_page(
    request: Request, deleted: str | None = None, person: str = Depends(page_person)
) -> HTMLResponse:
    return _index(request, person, deleted=deleted is not None)


async def _refused_page(request: Request, refusal: Refusal) -> Response:
    person = await run_in_threadpool(page_person, request)
    response = await run_in_threadpool(_index, request, person, {VIDEO_FIELD: refusal.message})
    response.status_code = refusal.status
    response.headers.update(refusal.headers())
    return response


async def upload_page(request: Request, person: str = Depends(page_person)) -> Response:
    """The upload form's POST: to the check's page, or the form again saying what is wrong."""
    try:
        check_id = await receive_clip(request, person)
    except GaitUploadError as problem:
        return await run_in_threadpool(_index, request, person, {problem.field: str(problem)})
    except GaitExtraMissingError as problem:
        response = await run_in_threadpool(_index, request, person, {VIDEO_FIELD: str(problem)})
        response.status_code = 503
        return response
    location = f"/gait/{check_id}"
    if request.headers.get("HX-Request"):  # gait.js: it goes there itself
        return Response(status_code=204, headers={"X-Piri-Location": location})
    return RedirectResponse(location, status_code=303)


router.add_api_route(
    "/gait",
    upload_page,
    methods=["POST"],
    route_class_override=gait_upload_route(_refused_page),
    response_model=None,
    include_in_schema=False,
)


def _not_found(request: Request, check_id: int) -> HTMLResponse:
    return error_page(
        request,
        404,
        "Not found",
        f"There is no gait check {check_id}. See your checks on the Gait check page.",
    )


def _check_page(
    request: Request,
    info: GaitCheckInfo,
    base: str,
    runner: str | None = None,
    video_deleted: bool = False,
) -> HTMLResponse:
    report = info.result or {}
    return render(
        request,
        "gait/check.html",
        title=f"Gait check of {when(info)}",
        check=info,
        row=check_row(info),
        base=base,
        runner=runner,
        report=report,
        view_name=VIEW_NAMES.get(info.view or "", ""),
        view_source=VIEW_SOURCES.get(report.get("view_source", ""), ""),
        figures=[figure_view(f) for f in report.get("figures", [])],
        charts=timeline_charts(info),
        video_deleted=video_deleted,
    )


@router.get("/gait/{check_id}")
def check_page(
    request: Request,
    check_id: CheckId,
    video_deleted: str | None = None,
    person: str = Depends(page_person),
) -> HTMLResponse:
    try:
        info = gait_check(check_id, person)
    except GaitCheckNotFoundError:
        return _not_found(request, check_id)
    wake_if_waiting(request, info)
    return _check_page(request, info, f"/gait/{check_id}", video_deleted=video_deleted is not None)


@router.get("/gait/{check_id}/frames/{position}", response_model=None)
def frame_image(
    request: Request, check_id: CheckId, position: FramePosition, person: str = Depends(page_person)
) -> Response:
    try:
        media, image = key_frame(check_id, position, person)
    except GaitCheckNotFoundError:
        return _not_found(request, check_id)
    return Response(image, media_type=media, headers={"Cache-Control": "private, no-store"})


@router.get("/gait/{check_id}/video", response_model=None)
def video_file(request: Request, check_id: CheckId, person: str = Depends(page_person)) -> Response:
    try:
        path, name = kept_video(check_id, person)
    except GaitCheckNotFoundError:
        return _not_found(request, check_id)
    return FileResponse(path, filename=name, headers={"Cache-Control": "private, no-store"})


@router.post("/gait/{check_id}/video/delete", response_model=None)
def video_delete(
    request: Request, check_id: CheckId, person: str = Depends(page_person)
) -> Response:
    try:
        delete_video(check_id, person)
    except GaitCheckNotFoundError:
        return _not_found(request, check_id)
    return RedirectResponse(f"/gait/{check_id}?video_deleted=1", status_code=303)


@router.post("/gait/{check_id}/delete", response_model=None)
def check_delete(
    request: Request, check_id: CheckId, person: str = Depends(page_person)
) -> Response:
    try:
        delete_gait_check(check_id, person)
    except GaitCheckNotFoundError:
        return _not_found(request, check_id)
    return RedirectResponse("/gait?deleted=1", status_code=303)


# --- A clinician's view -----------------------------------------------------------------------


@router.get("/clinic/runners/{username}/gait")
def runner_checks_page(
    request: Request, username: str, person: str = Depends(page_person)
) -> HTMLResponse:
    found = shared_gait_checks(person, username)
    return render(
        request,
        "gait/shared.html",
        title=f"{found.runner}'s gait checks",
        runner=found.runner,
        rows=[check_row(info) for info in found.checks],
    )


@router.get("/clinic/runners/{username}/gait/{check_id}")
def runner_check_page(
    request: Request, username: str, check_id: CheckId, person: str = Depends(page_person)
) -> HTMLResponse:
    try:
        found = shared_gait_check(person, username, check_id)
    except GaitCheckNotFoundError:
        return _not_found(request, check_id)
    base = f"/clinic/runners/{found.runner}/gait/{check_id}"
    return _check_page(request, found.checks[0], base, runner=found.runner)


@router.get("/clinic/runners/{username}/gait/{check_id}/frames/{position}", response_model=None)
def runner_frame_image(
    request: Request,
    username: str,
    check_id: CheckId,
    position: FramePosition,
    person: str = Depends(page_person),
) -> Response:
    try:
        media, image = shared_key_frame(person, username, check_id, position)
    except GaitCheckNotFoundError:
        return _not_found(request, check_id)
    return Response(image, media_type=media, headers={"Cache-Control": "private, no-store"})
