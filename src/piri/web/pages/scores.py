"""Pages: the outcome questionnaires (LEFS and PSFS), their history and the change that matters.

The LEFS items and answer labels come from its content file; the scoring, the comparison
with the last one and the thresholds from ``piri.domain.outcomes`` through the services,
exactly as ``piri score`` uses them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from piri.domain.outcomes import (
    LEFS_ITEM_MAX,
    LEFS_MAX,
    LEFS_MCID,
    PSFS_ITEM_MAX,
    PSFS_MAX_ACTIVITIES,
    PSFS_MID_LARGE,
    PSFS_MID_MEDIUM,
    PSFS_MID_SMALL,
    ScoreError,
)
from piri.domain.values import whole_number
from piri.services import scores as score_service
from piri.services.scores import ScoreRecord
from piri.web.identity import page_person
from piri.web.templating import render

router = APIRouter()

NAMES = {"lefs": "Lower Extremity Functional Scale", "psfs": "Patient-Specific Functional Scale"}
TOPS = {"lefs": LEFS_MAX, "psfs": PSFS_ITEM_MAX}
ACTIVITY_NAME_MAX = 200


def long_date(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def number(value: float) -> str:
    """52.0 -> '52', 6.33 -> '6.33'."""
    return f"{value:g}"


def threshold(instrument: str) -> str:
    if instrument == "lefs":
        return f"{LEFS_MCID} points"
    return f"{number(PSFS_MID_SMALL)} points"


def change_text(record: ScoreRecord) -> str:
    """As ``piri score`` says it: how much it moved since the last one, and if it matters."""
    if record.previous is None or record.change is None:
        return "The first one; the next will show the change."
    day, before = record.previous
    difference = round(record.change.difference, 2)
    direction = "up" if difference > 0 else "down" if difference < 0 else "no change"
    amount = f" {number(abs(difference))} points" if difference else ""
    return (
        f"{direction.capitalize()}{amount} since {long_date(day)} ({number(before)}): "
        f"{record.change.size} ({threshold(record.instrument)} or more matters)."
    )


def change_sources() -> dict[str, list[dict[str, str]]]:
    """Where the change that matters comes from, for each questionnaire."""
    lefs = score_service.lefs_questionnaire()
    title, url = score_service.PSFS_CHANGE_SOURCE
    return {
        "lefs": [{"title": s.title, "url": str(s.url)} for s in lefs.sources],
        "psfs": [{"title": title, "url": url}],
    }


def _row(record: ScoreRecord) -> dict[str, Any]:
    return {
        "record": record,
        "date": long_date(record.day),
        "iso": record.day.isoformat(),
        "score": number(record.score),
        "top": TOPS[record.instrument],
        "change": change_text(record),
        "meaningful": bool(record.change and record.change.meaningful),
        "direction": record.change.direction.value if record.change else None,
    }


@router.get("/scores")
def scores_page(
    request: Request, saved: str | None = None, person: str = Depends(page_person)
) -> Response:
    """Both questionnaires' history, newest first, and the last result after filling one in."""
    records = score_service.score_records(person=person)
    history = {name: [_row(r) for r in reversed(records) if r.instrument == name] for name in NAMES}
    result = history[saved][0] if saved in NAMES and history[saved] else None
    return render(
        request,
        "scores/index.html",
        title="Outcome questionnaires",
        names=NAMES,
        history=history,
        result=result,
        result_instrument=saved if result else None,
        sources=change_sources(),
        lefs_mcid=LEFS_MCID,
        psfs_mid=(number(PSFS_MID_SMALL), number(PSFS_MID_MEDIUM), number(PSFS_MID_LARGE)),
    )


# --- LEFS -------------------------------------------------------------------------------


def _lefs_page(
    request: Request, answers: dict[str, str], errors: dict[str, str], status_code: int = 200
) -> Response:
    lefs = score_service.lefs_questionnaire()
    return render(
        request,
        "scores/lefs.html",
        status_code=status_code,
        title="LEFS" if not errors else "Check your LEFS answers",
        lefs=lefs,
        answers=answers,
        errors=errors,
        lefs_max=LEFS_MAX,
        lefs_mcid=LEFS_MCID,
        sources=change_sources()["lefs"],
    )


@router.get("/scores/lefs")
def lefs_form(request: Request, person: str = Depends(page_person)) -> Response:
    """The 20 LEFS items, each with the five answers of its scale."""
    return _lefs_page(request, {}, {})


@router.post("/scores/lefs")
async def lefs_submit(request: Request, person: str = Depends(page_person)) -> Response:
    """Score and store the LEFS; 422 naming each unanswered item, with the answers kept."""
    form = await request.form()
    lefs = score_service.lefs_questionnaire()
    answers: dict[str, str] = {}
    errors: dict[str, str] = {}
    items: list[int] = []
    for number_, item in enumerate(lefs.items, start=1):
        name = f"item_{number_}"
        value = form.get(name)
        text = value.strip() if isinstance(value, str) else ""
        answers[name] = text
        answer = whole_number(text)
        if not text:
            errors[name] = f"Item {number_} ({item}): choose one of the five answers."
        elif answer is None or not 0 <= answer <= LEFS_ITEM_MAX:
            errors[name] = (
                f"Item {number_} ({item}): '{text}' is not an answer; choose 0 to {LEFS_ITEM_MAX}."
            )
        else:
            items.append(answer)
    if errors:
        return _lefs_page(request, answers, errors, status_code=422)
    try:
        score_service.record_lefs(items, person=person)
    except ScoreError as problem:  # the domain's own check, should the form change
        return _lefs_page(request, answers, {"item_1": str(problem)}, status_code=422)
    return RedirectResponse("/scores?saved=lefs#result", status_code=303)


# --- PSFS -------------------------------------------------------------------------------


def _psfs_page(
    request: Request,
    values: dict[str, str],
    errors: dict[str, str],
    last: ScoreRecord | None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "scores/psfs.html",
        status_code=status_code,
        title="PSFS" if not errors else "Check your PSFS",
        values=values,
        errors=errors,
        slots=range(1, PSFS_MAX_ACTIVITIES + 1),
        last=_row(last) if last else None,
        psfs_mid=number(PSFS_MID_SMALL),
        sources=change_sources()["psfs"],
        name_max=ACTIVITY_NAME_MAX,
    )


def _last_psfs(person: str) -> ScoreRecord | None:
    records = score_service.score_records(person=person, instrument="psfs")
    return records[-1] if records else None


def last_activities(record: ScoreRecord | None) -> list[str]:
    if record is None:
        return []
    stored = record.answers.get("activities")
    if not isinstance(stored, list):
        return []
    return [str(a.get("activity", "")) for a in stored if isinstance(a, dict)]


@router.get("/scores/psfs")
def psfs_form(request: Request, person: str = Depends(page_person)) -> Response:
    """Up to five activities, each rated 0-10; last time's activities are filled in."""
    last = _last_psfs(person)
    values = {f"activity_{n}": name for n, name in enumerate(last_activities(last), start=1)}
    return _psfs_page(request, values, {}, last)


@router.post("/scores/psfs")
async def psfs_submit(request: Request, person: str = Depends(page_person)) -> Response:
    """Score and store the PSFS; 422 naming each activity without a name or a rating."""
    form = await request.form()
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    activities: list[tuple[str, int]] = []
    for n in range(1, PSFS_MAX_ACTIVITIES + 1):
        name_value, rating_value = form.get(f"activity_{n}"), form.get(f"rating_{n}")
        name = name_value.strip() if isinstance(name_value, str) else ""
        rating = rating_value.strip() if isinstance(rating_value, str) else ""
        values[f"activity_{n}"], values[f"rating_{n}"] = name, rating
        number = whole_number(rating)
        if not name and not rating:
            continue
        if not name:
            errors[f"activity_{n}"] = f"Activity {n}: name the activity you rated {rating}."
        elif len(name) > ACTIVITY_NAME_MAX:
            errors[f"activity_{n}"] = (
                f"Activity {n}: keep the name under {ACTIVITY_NAME_MAX} characters."
            )
        if not rating:
            errors[f"rating_{n}"] = (
                f"Activity {n} ({name}): choose a rating from 0 to {PSFS_ITEM_MAX}."
            )
        elif number is None or not 0 <= number <= PSFS_ITEM_MAX:
            errors[f"rating_{n}"] = (
                f"Activity {n}: '{rating}' is not a rating; choose 0 to {PSFS_ITEM_MAX}."
            )
        if number is not None and f"activity_{n}" not in errors and f"rating_{n}" not in errors:
            activities.append((name, number))
    if not errors and not activities:
        errors["activity_1"] = (
            "Activity 1: name at least one activity the pain makes hard, and rate it."
        )
    last = _last_psfs(person)
    if errors:
        return _psfs_page(request, values, errors, last, status_code=422)
    try:
        score_service.record_psfs(activities, person=person)
    except ScoreError as problem:
        return _psfs_page(request, values, {"activity_1": str(problem)}, last, 422)
    return RedirectResponse("/scores?saved=psfs#result", status_code=303)
