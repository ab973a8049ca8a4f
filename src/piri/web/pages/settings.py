"""Pages: settings. The profile, export all my data, import an export, delete all my data.

The export is the same document as ``piri export``; the import restores one into an empty
profile, as ``piri import-data`` does; deleting asks for a typed confirmation on a page of
its own (not only a JavaScript dialog) and then really deletes, as ``piri forget --yes``.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from piri.domain.values import whole_number
from piri.services.calendar import feed_info
from piri.services.person_data import PersonDataError, export_document, forget, import_document
from piri.services.program import get_profile
from piri.web.identity import config_of, page_person
from piri.web.limits import (
    MAX_EXPORT_BYTES,
    Refusal,
    export_limit,
    export_too_large,
    upload_route,
)
from piri.web.pages.profile import EQUIPMENT_LABELS, RUNNING_LABELS, SIDE_LABELS
from piri.web.templating import render

router = APIRouter()

CONFIRM_WORD = "delete"
MAX_IMPORT_BYTES = MAX_EXPORT_BYTES
# Files that hold runs (``piri import``), not a Piri export.
ACTIVITY_SUFFIXES = (".fit", ".gpx", ".tcx", ".gz", ".zip")


def export_filename(today: dt.date | None = None) -> str:
    return f"piri-export-{(today or dt.date.today()).isoformat()}.json"


@router.get("/settings")
def settings(request: Request, person: str = Depends(page_person)) -> Response:
    days = whole_number(request.query_params.get("imported") or "")
    message = None
    if days is not None:
        message = f"Restored your export ({days} diary day{'s' if days != 1 else ''})."
    if request.query_params.get("feed") == "off":
        message = "The calendar feed is off: its address no longer works."
    return _settings_page(request, person, {}, message=message)


def settings_page(request: Request, person: str, status: int = 200, **extra: Any) -> Response:
    """The Settings page with more to show (the calendar feed's new address, shown once)."""
    return _settings_page(request, person, {}, status, **extra)


@router.get("/settings/export")
def export(request: Request, person: str = Depends(page_person)) -> Response:
    """Everything stored about the person as one JSON file to download."""
    document = export_document(person)
    return Response(
        json.dumps(document, indent=2, ensure_ascii=False),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{export_filename()}"'},
    )


async def import_data(request: Request, person: str = Depends(page_person)) -> Response:
    form = await request.form()
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _import_error(request, person, "Choose a Piri export file (.json) to import.")
    name = upload.filename
    content = await upload.read(MAX_IMPORT_BYTES + 1)
    if not content:
        return _import_error(request, person, f"{name}: the file is empty.")
    if len(content) > MAX_IMPORT_BYTES:
        return _import_error(
            request, person, f"{name}: the file is larger than {MAX_IMPORT_BYTES // 2**20} MB."
        )
    try:
        document = json.loads(content.decode("utf-8"))
    except UnicodeDecodeError:
        return _import_error(
            request,
            person,
            f"{name}: not a text file (a Piri export is JSON).{_activity_hint(name)}",
        )
    except json.JSONDecodeError as error:
        return _import_error(
            request,
            person,
            f"{name}: not valid JSON (line {error.lineno}: {error.msg}), so not a Piri export."
            + _activity_hint(name),
        )
    except ValueError:  # valid JSON, but a number longer than Python reads (4300 digits)
        return _import_error(
            request, person, f"{name}: holds a number too long to read, so not a Piri export."
        )
    try:
        days = import_document(document, person, label=name)
    except PersonDataError as error:
        return _import_error(request, person, str(error))
    return RedirectResponse(f"/settings?imported={days}", status_code=303)


async def _refused_import(request: Request, refusal: Refusal) -> Response:
    """Too large (413) or too many uploads (429): the Settings page, the reason at the file."""
    response = _import_error(request, page_person(request), refusal.message, refusal.status)
    response.headers.update(refusal.headers())
    return response


router.add_api_route(
    "/settings/import",
    import_data,
    methods=["POST"],
    route_class_override=upload_route(_refused_import, export_limit, export_too_large("file")),
)


@router.get("/settings/delete")
def confirm_delete(request: Request, person: str = Depends(page_person)) -> Response:
    return _delete_page(request, "", {})


@router.post("/settings/delete")
async def delete(request: Request, person: str = Depends(page_person)) -> Response:
    form = await request.form()
    typed = form.get("confirm")
    typed_text = typed.strip() if isinstance(typed, str) else ""
    if typed_text.lower() != CONFIRM_WORD:
        message = f"To delete everything, type the word {CONFIRM_WORD} in the box" + (
            f" (you typed “{typed_text}”)." if typed_text else "."
        )
        return _delete_page(request, typed_text, {"confirm": message}, status=422)
    existed = forget(person)
    return render(request, "settings/deleted.html", title="Your data was deleted", existed=existed)


def _activity_hint(name: str) -> str:
    """Where a watch's or an app's file goes, when one was chosen here by mistake."""
    if name.lower().endswith(ACTIVITY_SUFFIXES):
        return " Runs from a watch or an app are imported on the Runs page, under Import."
    return ""


def _import_error(request: Request, person: str, message: str, status: int = 422) -> Response:
    return _settings_page(request, person, {"file": message}, status=status)


def _settings_page(
    request: Request,
    person: str,
    errors: dict[str, str],
    status: int = 200,
    message: str | None = None,
    **extra: Any,
) -> Response:
    profile, phase, _check = get_profile(person)
    summary: list[tuple[str, Any]] = [
        ("Painful side", SIDE_LABELS.get(profile.painful_side or "", "not set")),
        (
            "Equipment",
            ", ".join(EQUIPMENT_LABELS.get(e, e) for e in sorted(profile.equipment)) or "none",
        ),
        ("Time", f"{profile.minutes_per_day} minutes a day, {profile.days_per_week} days a week"),
        ("Running", RUNNING_LABELS.get(profile.running_status, profile.running_status)),
        ("Goals", "; ".join(profile.goals) or "none yet"),
        ("Program phase", phase.value.replace("_", " ").capitalize()),
    ]
    return render(
        request,
        "settings/settings.html",
        status,
        title="Settings",
        summary=summary,
        errors=errors,
        message=message,
        export_name=export_filename(),
        feed=feed_info(person) if config_of(request).multi_user else None,
        **extra,
    )


def _delete_page(
    request: Request, typed: str, errors: dict[str, str], status: int = 200
) -> Response:
    return render(
        request,
        "settings/delete.html",
        status,
        title="Delete all my data",
        typed=typed,
        errors=errors,
        word=CONFIRM_WORD,
    )
