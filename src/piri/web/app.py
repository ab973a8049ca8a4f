"""The web application: one FastAPI app over the same services the CLI uses.

Pages live in ``piri.web.pages`` (HTML, htmx fragments), JSON in ``piri.web.api`` under
``/api/v1``. Both take the person from :mod:`piri.web.identity` and protect every change
with :func:`piri.web.security.require_csrf`.
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from piri import __version__
from piri.store.versions import one_read_per_request
from piri.web import api_reference, errors, limits, security
from piri.web.api import ROUTERS as API_ROUTERS
from piri.web.config import WebConfig, worker_config
from piri.web.pages import ROUTERS as PAGE_ROUTERS
from piri.web.templating import render

API_PREFIX = "/api/v1"
STATIC = Path(__file__).parent / "static"


def create_app(config: WebConfig | None = None) -> FastAPI:
    app = FastAPI(
        title="Piri",
        version=__version__,
        description=(
            "Education for runners with a pain in the buttock; not a diagnosis. In multi-user "
            "mode every call that reads or changes a person's data needs "
            "'Authorization: Bearer <token>' (tokens are made on the account page, /account)."
        ),
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,  # FastAPI's docs page loads scripts from a CDN; ours is plain HTML
        redoc_url=None,
    )
    app.state.config = config or WebConfig()
    api = APIRouter(prefix=API_PREFIX, dependencies=[Depends(security.require_csrf)])
    for router in API_ROUTERS:
        api.include_router(router)
    app.include_router(api)
    pages = APIRouter(dependencies=[Depends(security.require_csrf)], include_in_schema=False)
    for router in PAGE_ROUTERS:
        pages.include_router(router)
    app.include_router(pages)
    app.add_api_route("/healthz", healthz, include_in_schema=False, methods=["GET"])
    app.add_api_route(
        f"{API_PREFIX}/docs", api_reference_page, include_in_schema=False, methods=["GET"]
    )
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    errors.install(app)
    app.openapi = lambda: errors.openapi_document(app)  # type: ignore[method-assign]
    limits.install(app)  # inside the guard: its 413 has the headers
    security.install(app)
    app.add_middleware(OneVersionReadPerPage)
    return app


class OneVersionReadPerPage:
    """A page (any GET) reads each person's data version once, however many of the answers
    kept per version it shows (:func:`piri.store.versions.one_read_per_request`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        with one_read_per_request():
            await self.app(scope, receive, send)


def worker_app() -> FastAPI:
    """The app of one worker process of ``piri serve --workers N`` (a uvicorn factory): the
    configuration the command checked, handed over in the environment."""
    app = create_app(worker_config())
    warm_up()
    return app


# How long a thread may hold the interpreter before another waiting one gets it (Python's
# default is 5 ms). Requests run in threads that mostly wait on the database; each time one
# comes back from a query it needed the interpreter again and, behind a busy thread, waited up
# to the whole interval, three or four times a request. With 1 ms, one worker process answered
# the caseload at 228 requests/s instead of 140 (16 clients, benchmarks/bench_caseload.py).
SWITCH_INTERVAL_SECONDS = 0.001


def warm_up() -> None:
    """Before serving: load what the first requests would (the content, the chart library),
    then set all of it aside from the garbage collector. A full collection over those objects
    took 120 ms on the 2-core machine, a pause every request in flight then waited out. Then
    hand the interpreter between threads more often (``SWITCH_INTERVAL_SECONDS``)."""
    from piri.content.loader import library
    from piri.web import charts

    library()
    charts.chart_library()
    gc.collect()
    gc.freeze()
    sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)


def api_reference_page(request: Request) -> HTMLResponse:
    """The API reference as a page, built from this app's OpenAPI document."""
    found = api_reference.endpoints(request.app.openapi())
    groups: dict[str, list[api_reference.Endpoint]] = {}
    for endpoint in found:
        groups.setdefault(endpoint.tag, []).append(endpoint)
    return render(
        request,
        "api_reference.html",
        title="API reference",
        version=__version__,
        groups=list(groups.items()),
    )


def healthz() -> dict[str, str]:
    """For monitors and load balancers: the process answers (no database, no person)."""
    return {"status": "ok"}
