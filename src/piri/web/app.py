"""The web application: one FastAPI app over the same services the CLI uses."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from piri import __version__
from piri.web.api import check, errors, library

API_PREFIX = "/api/v1"


def create_app() -> FastAPI:
    app = FastAPI(
        title="Piri",
        version=__version__,
        description="Education for runners with a pain in the buttock; not a diagnosis.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
    )
    api = APIRouter(prefix=API_PREFIX)
    api.include_router(library.router)
    api.include_router(check.router)
    app.include_router(api)
    errors.install(app)
    return app
