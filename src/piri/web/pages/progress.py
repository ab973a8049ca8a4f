"""Pages: ``/progress``, the charts of pain, sitting, outcome scores, sessions and running.

The charts are the API's (:mod:`piri.web.api.progress`), embedded in the page as JSON data
blocks and drawn by ``static/js/charts.js``; each has its sentences and a table of its numbers
for anyone who cannot see it.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from piri.services.progress import progress_detail
from piri.web.api.progress import PERIODS, PeriodError, kept_progress_view, parse_period
from piri.web.identity import page_person
from piri.web.templating import render

router = APIRouter()


@router.get("/progress")
def progress_page(
    request: Request, weeks: str | None = None, person: str = Depends(page_person)
) -> HTMLResponse:
    detail = progress_detail(person=person)
    total = len(detail.progress.series[0].weeks)
    status, problem = 200, ""
    try:
        period = parse_period(weeks, total)
    except PeriodError as error:
        status, problem = 422, str(error)
        period = parse_period(None, total)
    return render(
        request,
        "progress/index.html",
        status_code=status,
        title="Progress",
        view=kept_progress_view(person, detail, period),
        periods=PERIODS,
        problem=problem,
    )
