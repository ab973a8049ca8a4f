"""The printable program as a download: GET /plan/handout.pdf (the Plan page links to it).

What ``piri handout FILE.pdf`` writes. Before a profile exists there is nothing to print:
the page says so and how to start (409), as the Plan page does.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from piri.services.handout import NoPlanYetError, printable_pdf
from piri.web.api.handout import pdf_response
from piri.web.identity import page_person
from piri.web.templating import error_page

router = APIRouter()

NO_PLAN_YET = (
    "There is no plan to print yet: Piri builds it from your profile. Set your painful side, "
    "equipment and time on the Profile page (/profile), then print your program from the Plan "
    "page."
)


@router.get("/plan/handout.pdf", response_model=None)
def handout_pdf(request: Request, person: str = Depends(page_person)) -> Response:
    try:
        pdf, _pages = printable_pdf(person)
    except NoPlanYetError:
        return error_page(
            request,
            409,
            "No plan to print yet",
            NO_PLAN_YET,
        )
    return pdf_response(pdf)
