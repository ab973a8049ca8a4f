"""The HTML pages: one module per page or group of pages, each with its own router."""

from __future__ import annotations

from fastapi import APIRouter

from piri.web.pages import (
    account,
    calendar,
    care,
    check,
    clinic,
    clinic_plan,
    diary,
    exercises,
    figures,
    gait,
    handout,
    home,
    learn,
    plan,
    profile,
    progress,
    return_to_run,
    runs,
    scores,
    session,
    settings,
    today,
)

ROUTERS: list[APIRouter] = [
    home.router,
    account.router,
    check.router,
    profile.router,
    today.router,
    session.router,
    plan.router,
    return_to_run.router,
    exercises.router,
    figures.router,
    handout.router,
    learn.router,
    diary.router,
    scores.router,
    progress.router,
    runs.router,
    gait.router,
    settings.router,
    calendar.router,
    care.router,
    clinic.router,
    clinic_plan.router,
]
