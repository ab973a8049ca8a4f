"""Outcome questionnaires as JSON: the history, and a LEFS or a PSFS scored, stored, compared.

The same scoring and the same change that matters as ``piri score``; wrong answers are
answered with 422, a stable ``code`` and the field of each problem (``items.3`` is the
fourth LEFS answer, ``activities.0.rating`` the first PSFS rating).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, ConfigDict, Field

from piri.domain.outcomes import (
    LEFS_ITEM_MAX,
    LEFS_ITEMS,
    LEFS_MAX,
    LEFS_MCID,
    PSFS_ITEM_MAX,
    PSFS_MAX_ACTIVITIES,
    PSFS_MID_LARGE,
    PSFS_MID_MEDIUM,
    PSFS_MID_SMALL,
    Change,
    ScoreError,
)
from piri.services import scores as score_service
from piri.services.scores import Scored, ScoreRecord
from piri.web.errors import error
from piri.web.identity import api_person

router = APIRouter(tags=["scores"])

ACTIVITY_NAME_MAX = 200


class LefsIn(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")

    items: list[int] = Field(
        description=f"The {LEFS_ITEMS} answers in the questionnaire's order, each 0 (extreme "
        f"difficulty or unable) to {LEFS_ITEM_MAX} (no difficulty)."
    )


class PsfsActivity(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")

    activity: str = Field(description="An activity the pain makes hard, in your words.")
    rating: int = Field(description="0 (unable) to 10 (as before).")


class PsfsIn(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")

    activities: list[PsfsActivity] = Field(description="1 to 5 activities.")


class PreviousOut(BaseModel):
    day: dt.date
    score: float


class ChangeOut(BaseModel):
    difference: float
    direction: Literal["better", "worse", "same"]
    meaningful: bool = Field(description="At least the change that matters.")
    size: str


class ScoreOut(BaseModel):
    instrument: Literal["lefs", "psfs"]
    day: dt.date
    score: float
    maximum: int
    previous: PreviousOut | None
    change: ChangeOut | None


class RecordOut(ScoreOut):
    answers: dict[str, object]


class SourceOut(BaseModel):
    title: str
    url: str


class ThresholdOut(BaseModel):
    points: float = Field(description="The smallest change that matters.")
    sizes: dict[str, float] = Field(description="Named sizes of change, when the scale has them.")
    sources: list[SourceOut]


class HistoryOut(BaseModel):
    scores: list[RecordOut] = Field(description="Oldest first.")
    change_that_matters: dict[str, ThresholdOut]


def _change(change: Change | None) -> ChangeOut | None:
    if change is None:
        return None
    return ChangeOut(
        difference=round(change.difference, 2),
        direction=change.direction.value,
        meaningful=change.meaningful,
        size=change.size,
    )


def _previous(previous: tuple[dt.date, float] | None) -> PreviousOut | None:
    return PreviousOut(day=previous[0], score=previous[1]) if previous else None


def score_out(scored: Scored | ScoreRecord) -> ScoreOut:
    instrument: Literal["lefs", "psfs"] = "lefs" if scored.instrument == "lefs" else "psfs"
    return ScoreOut(
        instrument=instrument,
        day=scored.day,
        score=scored.score,
        maximum=LEFS_MAX if instrument == "lefs" else PSFS_ITEM_MAX,
        previous=_previous(scored.previous),
        change=_change(scored.change),
    )


def thresholds() -> dict[str, ThresholdOut]:
    lefs = score_service.lefs_questionnaire()
    title, url = score_service.PSFS_CHANGE_SOURCE
    return {
        "lefs": ThresholdOut(
            points=LEFS_MCID,
            sizes={},
            sources=[SourceOut(title=s.title, url=str(s.url)) for s in lefs.sources],
        ),
        "psfs": ThresholdOut(
            points=PSFS_MID_SMALL,
            sizes={"small": PSFS_MID_SMALL, "medium": PSFS_MID_MEDIUM, "large": PSFS_MID_LARGE},
            sources=[SourceOut(title=title, url=url)],
        ),
    }


def _invalid(problems: list[dict[str, str]]) -> Response:
    return error(
        422,
        "invalid_answers",
        "; ".join(p["message"] for p in problems),
        problems=problems,
    )


ERRORS: dict[int | str, dict[str, Any]] = {
    422: {"description": "Wrong answers: `code`, `message` and `problems` by field."}
}


@router.get("/scores", response_model=HistoryOut, responses=ERRORS)
def history(
    instrument: str | None = None, person: str = Depends(api_person)
) -> Response | HistoryOut:
    """Every stored LEFS and PSFS (or one of them: ``?instrument=lefs``), oldest first,
    each with its answers and its change since the one before."""
    if instrument is not None and instrument not in score_service.INSTRUMENTS:
        return error(
            422,
            "invalid_choice",
            f"instrument: '{instrument}' is not a questionnaire Piri scores; use lefs or psfs",
            field="instrument",
            choices=list(score_service.INSTRUMENTS),
        )
    records = score_service.score_records(person=person, instrument=instrument)
    return HistoryOut(
        scores=[
            RecordOut(**score_out(record).model_dump(), answers=record.answers)
            for record in records
        ],
        change_that_matters=thresholds(),
    )


@router.post("/scores/lefs", status_code=201, response_model=ScoreOut, responses=ERRORS)
def post_lefs(body: LefsIn, person: str = Depends(api_person)) -> Response | ScoreOut:
    """Score a LEFS (20 answers, 0-4), store it, and compare it with the last one."""
    problems = []
    if len(body.items) != LEFS_ITEMS:
        problems.append(
            {
                "field": "items",
                "message": f"the LEFS has {LEFS_ITEMS} items; got {len(body.items)} answers",
            }
        )
    for index, item in enumerate(body.items):
        if not 0 <= item <= LEFS_ITEM_MAX:
            problems.append(
                {
                    "field": f"items.{index}",
                    "message": f"LEFS item {index + 1}: expected a whole number from 0 to "
                    f"{LEFS_ITEM_MAX}, got {item}",
                }
            )
    if problems:
        return _invalid(problems)
    try:
        scored = score_service.record_lefs(body.items, person=person)
    except ScoreError as problem:
        return _invalid([{"field": "items", "message": str(problem)}])
    return score_out(scored)


@router.post("/scores/psfs", status_code=201, response_model=ScoreOut, responses=ERRORS)
def post_psfs(body: PsfsIn, person: str = Depends(api_person)) -> Response | ScoreOut:
    """Score a PSFS (1-5 activities, each rated 0-10), store it, and compare it with the last."""
    problems = []
    if not 1 <= len(body.activities) <= PSFS_MAX_ACTIVITIES:
        problems.append(
            {
                "field": "activities",
                "message": f"the PSFS rates 1 to {PSFS_MAX_ACTIVITIES} activities; got "
                f"{len(body.activities)}",
            }
        )
    for index, activity in enumerate(body.activities):
        name = activity.activity.strip()
        if not name or len(name) > ACTIVITY_NAME_MAX:
            problems.append(
                {
                    "field": f"activities.{index}.activity",
                    "message": f"PSFS activity {index + 1}: give it a name of 1 to "
                    f"{ACTIVITY_NAME_MAX} characters",
                }
            )
        if not 0 <= activity.rating <= PSFS_ITEM_MAX:
            problems.append(
                {
                    "field": f"activities.{index}.rating",
                    "message": f"PSFS activity {index + 1}: expected a rating from 0 to "
                    f"{PSFS_ITEM_MAX}, got {activity.rating}",
                }
            )
    if problems:
        return _invalid(problems)
    pairs = [(a.activity.strip(), a.rating) for a in body.activities]
    try:
        scored = score_service.record_psfs(pairs, person=person)
    except ScoreError as problem:
        return _invalid([{"field": "activities", "message": str(problem)}])
    return score_out(scored)
