"""JSON API: the return-to-running plan, a run of it and how it went, the next morning."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field

from piri.services.gait_checks import cadence_cue_for, cadence_cue_json
from piri.services.return_to_run import (
    NothingWaitingError,
    NotReadyError,
    ReturnToRunError,
    add_next_morning,
    judged_as_json,
    log_run,
    run_plan,
    view_as_json,
)
from piri.web.errors import error
from piri.web.identity import api_person

router = APIRouter(tags=["return to running"])


class RunIn(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")

    day: dt.date | None = Field(
        None,
        strict=False,  # JSON has no dates: a YYYY-MM-DD string is how one is sent
        description="The day of the run (YYYY-MM-DD), from 2000-01-01 to today; today when "
        "left out. The same day again replaces it.",
    )
    pain_during: int = Field(ge=0, le=10, description="The highest pain during the run, 0-10.")
    pain_after: int = Field(ge=0, le=10, description="Pain right after it, 0-10.")
    pain_built: bool = Field(False, description="The pain built up as the run went on.")
    limp: bool = Field(False, description="A limp or a changed stride because of it.")
    finished: bool = Field(True, description="The whole session was done as planned.")
    pain_next_morning: int | None = Field(
        None, ge=0, le=10, description="The next morning's pain on waking, when known, 0-10."
    )
    usual_morning_pain: int | None = Field(
        None, ge=0, le=10, description="Your usual morning pain, 0-10."
    )
    activity: str | None = Field(
        None,
        max_length=64,
        description="'auto' to link the imported run of that day that fits the step, or an "
        "activity key (its file hash) from GET /api/v1/runs.",
    )
    notes: str = Field("", max_length=1000)


class MorningIn(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")

    pain: int = Field(ge=0, le=10, description="Your pain on waking, the morning after a run.")
    usual: int | None = Field(None, ge=0, le=10, description="Your usual morning pain, 0-10.")


@router.get("/return-to-run")
def get_plan(person: str = Depends(api_person)) -> Any:
    """Where the walk-run plan stands: the start criteria (met or not, with what Piri sees),
    the step to do with its instructions, the next run days, an imported run waiting for its
    pain scores, every run with its verdict and reason, the build after the plan with its
    weekly minutes and long-run flags, the rules and the sources; and the cadence to aim for
    when the newest side-view gait check advised one (``cadence_cue``, else null)."""
    return {
        **view_as_json(run_plan(person)),
        "cadence_cue": cadence_cue_json(cadence_cue_for(person)),
    }


@router.post(
    "/return-to-run/runs",
    status_code=201,
    responses={
        409: {"description": "`not_ready`: the plan cannot start yet (`criteria` says why)"},
        422: {"description": "`invalid_input`: a value the plan cannot take (`field` names it)"},
    },
)
def post_run(body: RunIn, person: str = Depends(api_person)) -> Any:
    """Keep how a run of the plan went and get its verdict (counts, repeat, step back, or
    waiting for the next morning) with the reason in one sentence."""
    try:
        judged = log_run(
            body.day or dt.date.today(),
            body.pain_during,
            body.pain_after,
            pain_built=body.pain_built,
            limp=body.limp,
            finished=body.finished,
            next_morning=body.pain_next_morning,
            usual_morning=body.usual_morning_pain,
            activity=body.activity,
            notes=body.notes,
            person=person,
        )
    except NotReadyError as exc:
        criteria = view_as_json(run_plan(person))["criteria"]
        return error(409, "not_ready", str(exc), criteria=criteria)
    except ReturnToRunError as exc:
        return error(422, "invalid_input", str(exc), field=exc.field)
    return judged_as_json(judged, run_plan(person).plan)


@router.post(
    "/return-to-run/morning",
    responses={409: {"description": "`nothing_waiting`: no run waits for its next morning"}},
)
def post_morning(body: MorningIn, person: str = Depends(api_person)) -> Any:
    """The next-morning pain of the latest run waiting for it; returns that run's verdict."""
    try:
        judged = add_next_morning(body.pain, body.usual, person=person)
    except NothingWaitingError as exc:
        return error(409, "nothing_waiting", str(exc))
    except ReturnToRunError as exc:
        return error(422, "invalid_input", str(exc), field=exc.field)
    return judged_as_json(judged, run_plan(person).plan)
