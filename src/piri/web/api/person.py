"""The person as JSON: the profile, the last check result, export, import and delete all data.

The profile's fields and checks are ``piri profile``'s; export, import and delete are
``piri export``, ``piri import-data`` and ``piri forget``. Every route works on the caller's
own data only (``api_person``). Wrong input is answered with a stable ``code``, a message
and ``problems`` naming each field.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from piri.services.person_data import (
    PersonDataError,
    ProfileNotEmptyError,
    export_document,
    forget,
    import_document,
)
from piri.services.program import ProfileError, check_profile_changes, get_profile, update_profile
from piri.web.errors import error
from piri.web.identity import api_person
from piri.web.limits import Refusal, export_limit, export_too_large, upload_route

router = APIRouter(tags=["person"])

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Not signed in (multi-user mode): `code` `not_signed_in`."},
    422: {"description": "Wrong input: `code`, `message` and `problems` naming each field."},
}


class ProfileOut(BaseModel):
    painful_side: str | None = Field(description="left, right or both; null when not set.")
    equipment: list[str] = Field(description="chair, foam_roller, mini_band, step, weights.")
    minutes_per_day: int
    days_per_week: int
    running_status: str = Field(description="running_normally, running_with_pain or stopped.")
    goals: list[str]
    walks_30_min_pain_free: bool
    phase: str = Field(description="The program phase: settle, strengthen or return_to_run.")
    last_check: dict[str, Any] | None = Field(description="The last symptom-check result.")


class ProfileIn(BaseModel):
    """The fields to change; those left out stay as they are (as ``piri profile --...``)."""

    model_config = ConfigDict(strict=True, extra="forbid")

    painful_side: str | None = Field(None, description="left, right or both.")
    equipment: list[str] | None = Field(
        None, description="What you have: chair, foam_roller, mini_band, step, weights ([] none)."
    )
    minutes_per_day: int | None = Field(None, description="Minutes a day for exercises, 5-120.")
    days_per_week: int | None = Field(None, description="Days a week for exercises, 1-7.")
    running_status: str | None = Field(
        None, description="running_normally, running_with_pain or stopped."
    )
    goals: list[str] | None = Field(
        None, description="Up to 5 goals of 1-100 characters (replaces them)."
    )
    walks_30_min_pain_free: bool | None = Field(
        None, description="You can walk 30 minutes without pain."
    )


class ImportedOut(BaseModel):
    imported_diary_days: int


class DeletedOut(BaseModel):
    deleted: bool = Field(description="False when nothing was stored.")


def profile_out(person: str) -> ProfileOut:
    profile, phase, last_check = get_profile(person)
    values = asdict(profile)
    values.update(equipment=sorted(profile.equipment), goals=list(profile.goals))
    return ProfileOut(
        **values, phase=phase.value, last_check=last_check if isinstance(last_check, dict) else None
    )


@router.get("/profile", response_model=ProfileOut, responses=ERRORS)
def read_profile(person: str = Depends(api_person)) -> ProfileOut:
    """The profile the plan is built from, the program phase and the last check result."""
    return profile_out(person)


@router.put("/profile", response_model=ProfileOut, responses=ERRORS)
def change_profile(
    changes: ProfileIn, person: str = Depends(api_person)
) -> ProfileOut | JSONResponse:
    """Change the fields given; every value is checked and each wrong one is named."""
    given = changes.model_dump(exclude_none=True)
    problems = []
    for name, value in given.items():
        try:
            check_profile_changes({name: value})
        except ProfileError as problem:
            problems.append({"field": name, "message": str(problem)})
    if problems:
        names = ", ".join(p["field"] for p in problems)
        return error(
            422,
            "invalid_profile",
            f"Check these fields: {names}.",
            field=problems[0]["field"],
            problems=problems,
        )
    if "equipment" in given:
        given["equipment"] = frozenset(given["equipment"])
    if "goals" in given:
        given["goals"] = tuple(given["goals"])
    update_profile(person, **given)
    return profile_out(person)


@router.get("/check/latest", responses={**ERRORS, 404: {"description": "No check result yet."}})
def latest_check(person: str = Depends(api_person)) -> Any:
    """The last symptom-check result stored for you (as ``POST /check`` answers)."""
    _profile, _phase, last_check = get_profile(person)
    if not isinstance(last_check, dict):
        return error(
            404,
            "no_check_result",
            "No symptom-check result is stored yet; send answers to POST /api/v1/check?save=true.",
        )
    return last_check


@router.get("/export", responses=ERRORS)
def export(person: str = Depends(api_person)) -> dict[str, Any]:
    """Everything stored about you: the same document as ``piri export``."""
    return export_document(person)


def import_data(
    document: dict[str, Any] = Body(..., description="A document made by GET /export."),  # noqa: B008
    person: str = Depends(api_person),
) -> ImportedOut | JSONResponse:
    """Restore an export into an empty profile; nothing is written unless all of it is valid."""
    try:
        days = import_document(document, person, label="the export")
    except ProfileNotEmptyError as problem:
        return error(409, "profile_not_empty", str(problem))
    except PersonDataError as problem:
        return error(422, "invalid_export", str(problem))
    return ImportedOut(imported_diary_days=days)


async def _refused_import(_request: Request, refusal: Refusal) -> JSONResponse:
    retry = {"retry_after_seconds": refusal.retry_after} if refusal.retry_after else {}
    response = error(refusal.status, refusal.code, refusal.message, field="(body)", **retry)
    response.headers.update(refusal.headers())
    return response


router.add_api_route(
    "/import",
    import_data,
    methods=["POST"],
    route_class_override=upload_route(_refused_import, export_limit, export_too_large("(body)")),
    response_model=ImportedOut,
    status_code=201,
    responses={
        **ERRORS,
        409: {"description": "Your profile already holds data."},
        413: {"description": "`upload_too_large`: the document is over the size limit (200 MB)."},
        429: {
            "description": "`too_many_uploads`: over the upload limit (30 in 10 minutes by "
            "default); `retry_after_seconds` and the `Retry-After` header say when to try again."
        },
    },
)


@router.delete("/data", response_model=DeletedOut, responses=ERRORS)
async def delete_everything(
    request: Request,
    confirm: str | None = Query(None, description="Must be 'yes' (or send {\"confirm\": true})."),
    person: str = Depends(api_person),
) -> DeletedOut | JSONResponse:
    """Delete everything stored about you (and, on a shared server, your account)."""
    confirmed = confirm is not None and confirm.strip().lower() == "yes"
    if not confirmed:
        confirmed = await _body_confirms(request)
    if not confirmed:
        return error(
            422,
            "confirmation_required",
            "This deletes everything and cannot be undone: add ?confirm=yes (or send "
            '{"confirm": true}) to confirm.',
            field="confirm",
            problems=[{"field": "confirm", "message": "must be 'yes'"}],
        )
    return DeletedOut(deleted=forget(person))


async def _body_confirms(request: Request) -> bool:
    raw = await request.body()
    if not raw:
        return False
    try:
        body = json.loads(raw)
    except ValueError:  # not JSON, not UTF-8, or a number longer than Python reads
        return False
    return isinstance(body, dict) and body.get("confirm") is True
