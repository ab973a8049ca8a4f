"""Pages: the knowledge base, ``/learn`` and ``/learn/{section_id}`` (like ``piri learn``)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from piri.services.library import NotFoundError, get_section, list_sections
from piri.web.templating import render

router = APIRouter()


@router.get("/learn", response_class=HTMLResponse)
def contents(request: Request) -> HTMLResponse:
    """Every section in reading order, with what it covers."""
    return render(
        request, "learn/index.html", title="Learn about buttock pain", sections=list_sections()
    )


@router.get("/learn/{section_id}", response_class=HTMLResponse)
def section(request: Request, section_id: str) -> HTMLResponse:
    """One section: its paragraphs, how sure we are where it matters, and their sources."""
    sections = list_sections()
    try:
        found = get_section(section_id)
    except NotFoundError as error:
        return render(
            request,
            "learn/not_found.html",
            status_code=404,
            title="No such section",
            error=error,
            suggested=[s for wanted in error.suggestions for s in sections if s.id == wanted],
            sections=sections,
        )
    index = [s.id for s in sections].index(found.id)
    return render(
        request,
        "learn/section.html",
        title=found.title,
        section=found,
        number=index + 1,
        total=len(sections),
        previous=sections[index - 1] if index > 0 else None,
        following=sections[index + 1] if index + 1 < len(sections) else None,
    )
