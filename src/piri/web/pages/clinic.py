"""Pages: ``/clinic``, a clinician's caseload, and ``/clinic/runners/{username}``, one runner's
progress as the runner shares it (multi-user mode, clinicians only).

Thin: the services read the links fresh, write the audit log and summarise
(:mod:`piri.services.caseload`); refusals are the app's care-team error pages (403 without
the clinician role, 404 without an open link or share).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from piri.domain.load import ACWR_CRITICISM
from piri.services.caseload import Caseload, caseload, runner_summary, shared_progress
from piri.services.memo import LastUsed
from piri.web.api.clinic import shared_view
from piri.web.api.progress import PERIODS, PeriodError, parse_period
from piri.web.identity import page_person
from piri.web.templating import render, templates

router = APIRouter()


@router.get("/clinic")
def caseload_page(request: Request, person: str = Depends(page_person)) -> HTMLResponse:
    lines = caseload(person)
    return render(
        request,
        "clinic/caseload.html",
        title="Your runners",
        lines=lines,
        cards=_cards(lines),
        acwr_criticism=ACWR_CRITICISM,
    )


# The caseload's list of runners, rendered, under the caseload's key: fifty runners' cards
# took longer to render than the rest of the request.
_cards_kept: LastUsed[tuple[Any, ...], Markup] = LastUsed(200)


def _cards(lines: Caseload) -> Markup:
    found = _cards_kept.get(lines.key)
    if found is not None:
        return found
    if not lines:
        return Markup("")
    html = Markup(templates().get_template("clinic/_caseload_list.html").render(lines=lines))
    _cards_kept.put(lines.key, html)
    return html


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
