"""The JSON API under /api/v1: one module per capability, each with its own router."""

from __future__ import annotations

from fastapi import APIRouter

from piri.web.api import (
    accounts,
    calendar,
    care,
    check,
    clinic,
    clinic_plan,
    diary,
    gait,
    handout,
    library,
    person,
    program,
    progress,
    return_to_run,
    runs,
    scores,
)

ROUTERS: list[APIRouter] = [
    library.router,
    check.router,
    person.router,
    program.router,
    handout.router,
    return_to_run.router,
    diary.router,
    scores.router,
    progress.router,
    runs.router,
    gait.router,
    accounts.router,
    calendar.router,
    care.router,
    clinic.router,
    clinic_plan.router,
]
