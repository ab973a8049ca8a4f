"""Pages: the first visit. A welcome that leads through onboarding (check, profile, plan).

Once a person has a check result and a profile, ``/`` sends them to Today.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from piri.domain.exercise_hold import exercise_hold
from piri.services.program import get_profile, profile_started
from piri.web.identity import page_person
from piri.web.templating import render

router = APIRouter()

URGENT = ("emergency", "urgent")
STEPS = 3


@dataclass(frozen=True)
class Onboarding:
    """Where a person is on the way in: step 1 the check, 2 the profile, 3 the plan."""

    last_check: dict[str, Any] | None
    profile_saved: bool

    @property
    def checked(self) -> bool:
        return self.last_check is not None

    @property
    def done(self) -> bool:
        return self.checked and self.profile_saved

    @property
    def urgent(self) -> bool:
        """The last check said to get help now: no exercises until a professional has looked
        (and the runner has said so: then the hold is over, and so is this)."""
        return exercise_hold(self.last_check) is not None

    @property
    def step(self) -> int:
        """The step to do next (1 to 3)."""
        if not self.checked:
            return 1
        return 2 if not self.profile_saved else 3


def onboarding(person: str) -> Onboarding:
    _profile, _phase, last_check = get_profile(person)
    checked = last_check if isinstance(last_check, dict) else None
    return Onboarding(last_check=checked, profile_saved=profile_started(person))


@router.get("/")
def home(request: Request, person: str = Depends(page_person)) -> Response:
    state = onboarding(person)
    if state.done and not state.urgent:
        return RedirectResponse("/today", status_code=303)
    return render(
        request,
        "home/welcome.html",
        title="Welcome",
        state=state,
        steps=STEPS,
    )
