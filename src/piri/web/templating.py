"""Rendering pages: one Jinja2 environment, and what every page gets (who, token, safety)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context

from piri.services import library
from piri.web.identity import config_of, viewer
from piri.web.security import CSRF_FIELD, csrf_token

TEMPLATES = Path(__file__).parent / "templates"

# The main navigation, in the order a runner needs it; (path, label).
NAVIGATION = [
    ("/today", "Today"),
    ("/plan", "Plan"),
    ("/exercises", "Exercises"),
    ("/learn", "Learn"),
    ("/check", "Check"),
    ("/diary", "Diary"),
    ("/progress", "Progress"),
    ("/runs", "Runs"),
    ("/settings", "Settings"),
]


# Added after NAVIGATION on a shared server: the runner's care team, and for clinicians
# (account page) their caseload.
CARE_NAVIGATION = [("/care", "Care team")]
CLINIC_NAVIGATION = [("/clinic", "Clinic")]


def _care_navigation(request: Request) -> list[tuple[str, str]]:
    """The care-team entries for this viewer: none in single-person mode or signed out. The
    role comes with this request's sign-in, read fresh, as everything about the care team is."""
    found = viewer(request)
    if not config_of(request).multi_user or found.person is None:
        return []
    return CARE_NAVIGATION + (CLINIC_NAVIGATION if found.is_clinician else [])


STATIC_PREFIX = "/static/"  # where app.py mounts static/


@pass_context
def url_for(context: Context, name: str, /, **params: Any) -> Any:
    """Starlette's url_for, but a static file's address without a search of the routes:
    a page names a dozen of them, and looking each up costs more than the page's data."""
    if name == "static":
        return STATIC_PREFIX + str(params["path"])
    request: Request = context["request"]
    return request.url_for(name, **params)


@cache
def templates() -> Jinja2Templates:
    found = Jinja2Templates(directory=TEMPLATES)
    # The templates ship inside the package: checking each one's file time on every render
    # (Jinja's default) cost a stat call per template per page.
    found.env.auto_reload = False
    found.env.globals["url_for"] = url_for
    found.env.globals["navigation"] = NAVIGATION
    found.env.globals["csrf_field_name"] = CSRF_FIELD
    return found


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A full page (or an htmx fragment) with what every template may use."""
    config = config_of(request)
    context.setdefault("title", "Piri")
    context.update(
        viewer=viewer(request),
        multi_user=config.multi_user,
        csrf_token=csrf_token(request),
        safety=library.safety_notice(),
        timer_pace=config.timer_pace,
        current_path=request.url.path,
        is_htmx=request.headers.get("hx-request") == "true",
        care_navigation=_care_navigation(request),
    )
    return templates().TemplateResponse(request, template, context, status_code=status_code)


def error_page(
    request: Request, status_code: int, heading: str, message: str, **context: Any
) -> HTMLResponse:
    """The error page: ``heading`` as its title too, ``message`` saying what to do."""
    return render(
        request,
        "error.html",
        status_code=status_code,
        title=heading,
        heading=heading,
        message=message,
        **context,
    )
