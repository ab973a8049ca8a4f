"""JSON API: the printable program as a PDF (``piri handout FILE.pdf``)."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from piri.services.handout import NoPlanYetError, printable_pdf
from piri.web.api.program import profile_needed
from piri.web.identity import api_person

router = APIRouter(tags=["program"])

FILENAME = "piri-program.pdf"


def pdf_response(pdf: bytes) -> Response:
    """A PDF download, never kept by a shared cache (it holds a person's health plan)."""
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{FILENAME}"',
            "Cache-Control": "private, no-store",
        },
    )


@router.get(
    "/handout.pdf",
    response_class=Response,
    responses={
        200: {
            "content": {"application/pdf": {}},
            "description": "A few A4 pages: your phase, this week's exercises with their "
            "pictures, steps and doses, a week of tick boxes, the pain rules, the warning "
            "signs and when to see a professional, and the sources.",
        },
        409: {"description": "`profile_needed`: there is no profile yet, so no plan to print"},
    },
)
def get_handout(person: str = Depends(api_person)) -> Response:
    """Your program to print (``piri handout FILE.pdf``), as an attachment named
    piri-program.pdf. While the latest symptom check holds the sessions (urgent or
    emergency), it holds no exercises: page one says to get care first, then the warning
    signs."""
    try:
        pdf, _pages = printable_pdf(person)
    except NoPlanYetError:
        return profile_needed()
    return pdf_response(pdf)
