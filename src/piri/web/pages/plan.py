"""The Plan: the phases and where the runner is, this week's sessions, the last change and why.

What ``piri plan`` shows, plus the reasons: the latest dose decisions (stored with the
session they followed) and what the phase rules are waiting for now. The latest symptom
check comes first: after an urgent or emergency result the plan waits for the professional.
"""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from piri.services.program import profile_started
from piri.web.api.program import plan_overview
from piri.web.identity import page_person
from piri.web.pages.today import care_context, reminder_context
from piri.web.templating import render

router = APIRouter()

PLAN_WAITS = (
    "Your plan waits for the professional: its sessions start again once a professional has "
    "seen you and said you may exercise."
)


@router.get("/plan", response_class=HTMLResponse)
def plan_page(request: Request, person: str = Depends(page_person)) -> HTMLResponse:
    check = {**reminder_context(person), **care_context(request, person), "waits": PLAN_WAITS}
    if not profile_started(person):
        return render(request, "plan/plan.html", title="Your plan", needs_profile=True, **check)
    return render(
        request,
        "plan/plan.html",
        title="Your plan",
        needs_profile=False,
        plan=plan_overview(person),
        **{**check, "date": dt.date.fromisoformat},
    )
