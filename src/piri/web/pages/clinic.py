"""Pages: ``/clinic``, a clinician's caseload, and ``/clinic/runners/{username}``, one runner's
progress as the runner shares it (multi-user mode, clinicians only).

Thin: the services read the links fresh, write the audit log and summarise
(:mod:`piri.services.caseload`); refusals are the app's care-team error pages (403 without
the clinician role, 404 without an open link or share).
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from piri.domain.load import ACWR_CRITICISM
from piri.services.caseload import caseload, runner_summary, shared_progress
from piri.web.api.clinic import shared_view
from piri.web.api.progress import PERIODS, PeriodError, parse_period
from piri.web.identity import page_person
from piri.web.templating import render

router = APIRouter()


@router.get("/clinic")
def caseload_page(request: Request, person: str = Depends(page_person)) -> HTMLResponse:
    return render(
        request,
        "clinic/caseload.html",
        title="Your runners",
        lines=caseload(person),
        acwr_criticism=ACWR_CRITICISM,
    )


@router.get("/clinic/runners/{username}")
def runner_page(
    request: Request, username: str, weeks: str | None = None, person: str = Depends(page_person)
) -> HTMLResponse:
    found = shared_progress(person, username)
    line = runner_summary(person, username)
    total = len(found.detail.progress.series[0].weeks)
    status, problem = 200, ""
    try:
        period = parse_period(weeks, total)
    except PeriodError as error:
        status, problem = 422, str(error)
        period = parse_period(None, total)
    return render(
        request,
        "clinic/runner.html",
        status_code=status,
        title=f"{found.record.username}'s progress",
        found=found,
        line=line,
        view=shared_view(found, period),
        periods=PERIODS,
        problem=problem,
        acwr_criticism=ACWR_CRITICISM,
    )
