"""Pages: the profile the plan is built from, with the same fields and checks as ``piri profile``.

During onboarding (step 2 of 3) saving leads to the plan; afterwards it stays here and says so.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from piri.domain.program import RunnerProfile
from piri.domain.values import whole_number
from piri.services.program import (
    EQUIPMENT,
    MAX_GOALS,
    MINUTES_RANGE,
    RUNNING_STATUSES,
    SIDES,
    ProfileError,
    check_profile_changes,
    get_profile,
    update_profile,
)
from piri.web.identity import page_person
from piri.web.pages.check import URGENCY_LABELS
from piri.web.pages.home import onboarding
from piri.web.templating import render

router = APIRouter()

SIDE_LABELS = {"left": "Left", "right": "Right", "both": "Both sides"}
EQUIPMENT_LABELS = {
    "chair": "A chair",
    "foam_roller": "A foam roller",
    "mini_band": "A mini band (a small resistance loop)",
    "step": "A step or a stair",
    "weights": "Weights (dumbbells, kettlebell or a filled bag)",
}
RUNNING_LABELS = {
    "running_normally": "Running normally",
    "running_with_pain": "Running, with pain",
    "stopped": "Stopped running for now",
}
FIELD_NAMES = {
    "painful_side": "Painful side",
    "equipment": "Equipment",
    "minutes_per_day": "Minutes a day",
    "days_per_week": "Days a week",
    "running_status": "Running",
    "goals": "Goals",
    "walks_30_min_pain_free": "Walking 30 minutes",
}


def profile_form_values(profile: RunnerProfile) -> dict[str, Any]:
    """The stored profile as the form shows it."""
    values = asdict(profile)
    values["equipment"] = sorted(profile.equipment)
    values["goals"] = "\n".join(profile.goals)
    values["minutes_per_day"] = str(profile.minutes_per_day)
    values["days_per_week"] = str(profile.days_per_week)
    values["walks_30_min_pain_free"] = "yes" if profile.walks_30_min_pain_free else "no"
    return values


def parse_profile_form(form: FormData) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
    """(changes for update_profile, the values as typed, errors by field).

    Every field is checked on its own by the service's rules, so that all wrong fields are
    named at once, each with what it accepts.
    """
    typed: dict[str, Any] = {
        "painful_side": _text(form, "painful_side"),
        "equipment": [v for v in form.getlist("equipment") if isinstance(v, str)],
        "minutes_per_day": _text(form, "minutes_per_day"),
        "days_per_week": _text(form, "days_per_week"),
        "running_status": _text(form, "running_status"),
        "goals": _text(form, "goals"),
        "walks_30_min_pain_free": _text(form, "walks_30_min_pain_free"),
    }
    changes: dict[str, Any] = {}
    errors: dict[str, str] = {}
    if typed["painful_side"]:
        changes["painful_side"] = typed["painful_side"]
    changes["equipment"] = typed["equipment"]
    low, high = MINUTES_RANGE
    for name, allowed in (("minutes_per_day", f"{low} to {high}"), ("days_per_week", "1 to 7")):
        text = typed[name]
        number = whole_number(text or "")
        if not text:
            errors[name] = f"{FIELD_NAMES[name]}: type a whole number from {allowed}."
        elif number is None:
            errors[name] = f"{FIELD_NAMES[name]}: “{text}” is not a whole number; type {allowed}."
        else:
            changes[name] = number
    if typed["running_status"]:
        changes["running_status"] = typed["running_status"]
    else:
        errors["running_status"] = "Running: choose how your running is going now."
    goals_text = typed["goals"] or ""
    changes["goals"] = tuple(line.strip() for line in goals_text.splitlines() if line.strip())
    walks = typed["walks_30_min_pain_free"]
    if walks in ("yes", "no"):
        changes["walks_30_min_pain_free"] = walks == "yes"
    elif walks:
        errors["walks_30_min_pain_free"] = "Walking 30 minutes: choose Yes or No."
    for name in list(changes):
        try:
            check_profile_changes({name: changes[name]})
        except ProfileError as error:
            errors[name] = _sentence(str(error))
            del changes[name]
    if "equipment" in changes:
        changes["equipment"] = frozenset(changes["equipment"])
    return changes, typed, errors


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")


def _text(form: FormData, name: str) -> str | None:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else None


@router.get("/profile")
def show(request: Request, person: str = Depends(page_person)) -> Response:
    profile, _phase, _check = get_profile(person)
    saved = request.query_params.get("saved") == "1"
    return _page(request, person, profile_form_values(profile), {}, saved=saved)


@router.post("/profile")
async def save(request: Request, person: str = Depends(page_person)) -> Response:
    form = await request.form()
    changes, typed, errors = parse_profile_form(form)
    if errors:
        return _page(request, person, typed, errors, status=422)
    try:
        update_profile(person, **changes)
    except ProfileError as error:  # every field was checked above; kept for safety
        return _page(request, person, typed, {"profile": _sentence(str(error))}, status=422)
    if _text(form, "onboarding") == "1":
        return RedirectResponse("/plan", status_code=303)
    return RedirectResponse("/profile?saved=1", status_code=303)


def _page(
    request: Request,
    person: str,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
    saved: bool = False,
) -> Response:
    _profile, phase, last_check = get_profile(person)
    state = onboarding(person)
    return render(
        request,
        "profile/profile.html",
        status,
        title="Your profile",
        values=values,
        errors=errors,
        saved=saved,
        onboarding=not state.profile_saved,
        phase=phase.value.replace("_", " "),
        last_check=last_check if isinstance(last_check, dict) else None,
        urgency_labels=URGENCY_LABELS,
        sides=[(s, SIDE_LABELS[s]) for s in SIDES],
        equipment=[(e, EQUIPMENT_LABELS.get(e, e.replace("_", " "))) for e in EQUIPMENT],
        running=[(r, RUNNING_LABELS[r]) for r in RUNNING_STATUSES],
        minutes_range=MINUTES_RANGE,
        max_goals=MAX_GOALS,
    )
