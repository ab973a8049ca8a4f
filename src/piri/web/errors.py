"""What a failure looks like: JSON with a stable ``code`` under /api, a plain page elsewhere."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from piri.domain.answers import AnswerError
from piri.services.library import InvalidChoiceError, NotFoundError
from piri.web.identity import NotSignedInError, SignInRequiredError
from piri.web.security import CsrfError
from piri.web.templating import render


def error(status: int, code: str, message: str, **details: Any) -> JSONResponse:
    return JSONResponse({"code": code, "message": message, **details}, status_code=status)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _page(request: Request, status: int, heading: str, message: str, **extra: Any) -> Response:
    return render(
        request,
        "error.html",
        status_code=status,
        title=heading,
        heading=heading,
        message=message,
        **extra,
    )


def install(app: FastAPI) -> None:
    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError) -> Response:
        if _is_api(request):
            return error(
                404, "not_found", str(exc), suggestions=exc.suggestions, available=exc.available
            )
        prefix = request.url.path.rsplit("/", 1)[0] + "/"
        return _page(
            request, 404, "Not found", str(exc), suggestions=exc.suggestions, link_prefix=prefix
        )

    @app.exception_handler(InvalidChoiceError)
    async def invalid_choice(request: Request, exc: InvalidChoiceError) -> Response:
        if _is_api(request):
            return error(422, "invalid_choice", str(exc), field=exc.option, choices=exc.choices)
        return _page(request, 422, "That choice does not exist", str(exc))

    @app.exception_handler(AnswerError)
    async def invalid_answers(request: Request, exc: AnswerError) -> Response:
        message = "The answers do not fit the questionnaire."
        if _is_api(request):
            return error(422, "invalid_answers", message, problems=exc.problems)
        return _page(request, 422, "Those answers do not fit", " ".join(exc.problems))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        problems = [
            {"field": ".".join(str(p) for p in e["loc"] if p != "body"), "message": e["msg"]}
            for e in exc.errors()
        ]
        names = ", ".join(p["field"] or "(body)" for p in problems)
        if _is_api(request):
            return error(422, "invalid_input", f"Check these fields: {names}.", problems=problems)
        return _page(request, 422, "Something in the form is not right", f"Check: {names}.")

    @app.exception_handler(SignInRequiredError)
    async def sign_in(request: Request, _exc: SignInRequiredError) -> Response:
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    @app.exception_handler(NotSignedInError)
    async def not_signed_in(_request: Request, _exc: NotSignedInError) -> Response:
        return error(
            401,
            "not_signed_in",
            "Sign in first: send 'Authorization: Bearer <token>'.",
        )

    @app.exception_handler(CsrfError)
    async def csrf_failed(request: Request, exc: CsrfError) -> Response:
        if _is_api(request):
            return error(403, "csrf_failed", exc.reason)
        return _page(request, 403, "Please try again", exc.reason)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if _is_api(request):
            code = "not_found" if exc.status_code == 404 else f"http_{exc.status_code}"
            return error(exc.status_code, code, str(exc.detail))
        if exc.status_code == 404:
            return _page(request, 404, "Not found", "There is no page at this address.")
        return _page(request, exc.status_code, "Something went wrong", str(exc.detail))
