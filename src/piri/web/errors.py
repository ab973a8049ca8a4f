"""What a failure looks like: JSON with a stable ``code`` under /api, a plain page elsewhere."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException

from piri.domain.answers import AnswerError
from piri.services.care import CareError, NeedsAccountsError, NoAccessError, NotAClinicianError
from piri.services.library import InvalidChoiceError, NotFoundError
from piri.web.identity import NotSignedInError, SignInRequiredError, api_person
from piri.web.security import SAFE_METHODS, CsrfError, require_csrf
from piri.web.templating import error_page


def error(status: int, code: str, message: str, **details: Any) -> JSONResponse:
    return JSONResponse({"code": code, "message": message, **details}, status_code=status)


class Problem(BaseModel):
    field: str = Field(description="The request's field, as `limit` or `items.3`; `(body)`.")
    message: str


class ErrorOut(BaseModel):
    """Every error under /api/v1: a stable ``code`` and a message for people (:func:`error`).

    Some add details of their own (``suggestions``, ``choices``, ``retry_after_seconds``,
    ``criteria``, ...), so more properties may follow."""

    model_config = ConfigDict(extra="allow", title="Error")

    code: str = Field(description="Stable, for programs: not_found, invalid_input, ...")
    message: str = Field(description="What went wrong, for people.")
    field: str | None = Field(None, description="The one field that is wrong, when there is one.")
    problems: list[Problem | str] | None = Field(
        None, description="Each wrong field with its message (the answers' problems as text)."
    )


# Where FastAPI says a value came from: the first part of a validation error's location.
LOCATIONS = ("body", "query", "path", "header", "cookie")


def field_name(location: Sequence[str | int]) -> str:
    """A request's field as a person names it: 'limit', not 'query.limit'; 'items.3' for the
    fourth item of a body's list; '(body)' for the body as a whole (as api/accounts.py says)."""
    parts = list(location)
    if parts and parts[0] in LOCATIONS:
        parts = parts[1:]
    return ".".join(str(part) for part in parts) or "(body)"


def _problem(found: dict[str, Any]) -> dict[str, str]:
    """One validation error as ``{"field", "message"}``."""
    if found.get("type") == "json_invalid":  # its location is a character position
        reason = found.get("ctx", {}).get("error", "")
        at = found["loc"][-1] if len(found["loc"]) > 1 else None
        where = f" at character {at}" if isinstance(at, int) else ""
        return {"field": "(body)", "message": f"not valid JSON{where}: {reason}".rstrip(": ")}
    return {"field": field_name(found["loc"]), "message": str(found["msg"])}


# What FastAPI says when a body fails to parse for a reason other than bad JSON syntax.
UNREADABLE_BODY = "There was an error parsing the body"


def _unreadable(cause: BaseException | None) -> str:
    if isinstance(cause, UnicodeDecodeError):
        return "it is not UTF-8 text"
    if isinstance(cause, ValueError) and "digits" in str(cause):
        return "it holds a number of more than 4300 digits"
    return "it is not JSON (or a form) Piri can read"


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def install(app: FastAPI) -> None:
    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError) -> Response:
        if _is_api(request):
            return error(
                404, "not_found", str(exc), suggestions=exc.suggestions, available=exc.available
            )
        prefix = request.url.path.rsplit("/", 1)[0] + "/"
        return error_page(
            request, 404, "Not found", str(exc), suggestions=exc.suggestions, link_prefix=prefix
        )

    # The care team (piri.services.care): one answer for "no such runner", "no open link" and
    # "not shared", so nobody learns who uses the server by guessing usernames.
    @app.exception_handler(NoAccessError)
    async def no_access(request: Request, exc: NoAccessError) -> Response:
        if _is_api(request):
            return error(404, "no_access", str(exc))
        return error_page(request, 404, "Not shared with you", str(exc))

    @app.exception_handler(NotAClinicianError)
    async def not_a_clinician(request: Request, exc: NotAClinicianError) -> Response:
        if _is_api(request):
            return error(403, "not_a_clinician", str(exc))
        return error_page(request, 403, "For clinicians", str(exc))

    @app.exception_handler(CareError)
    async def care_refused(request: Request, exc: CareError) -> Response:
        if isinstance(exc, NeedsAccountsError):  # as the accounts API answers without accounts
            if _is_api(request):
                return error(404, "no_accounts", exc.message)
            return error_page(request, 404, "Needs a shared server", exc.message)
        if _is_api(request):
            return error(422, "invalid_care_request", exc.message, field=exc.field)
        return error_page(request, 422, "That did not work", exc.message)

    @app.exception_handler(InvalidChoiceError)
    async def invalid_choice(request: Request, exc: InvalidChoiceError) -> Response:
        if _is_api(request):
            return error(422, "invalid_choice", str(exc), field=exc.option, choices=exc.choices)
        return error_page(request, 422, "That choice does not exist", str(exc))

    @app.exception_handler(AnswerError)
    async def invalid_answers(request: Request, exc: AnswerError) -> Response:
        message = "The answers do not fit the questionnaire."
        if _is_api(request):
            return error(422, "invalid_answers", message, problems=exc.problems)
        return error_page(request, 422, "Those answers do not fit", " ".join(exc.problems))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        problems = [_problem(e) for e in exc.errors()]
        names = ", ".join(p["field"] for p in problems)
        if _is_api(request):
            # One problem also names its field at the top, as every other 422 does.
            one = {"field": problems[0]["field"]} if len(problems) == 1 else {}
            message = f"Check these fields: {names}."
            return error(422, "invalid_input", message, **one, problems=problems)
        return error_page(request, 422, "Something in the form is not right", f"Check: {names}.")

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
        return error_page(request, 403, "Please try again", exc.reason)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if _is_api(request) and exc.status_code == 400 and exc.detail == UNREADABLE_BODY:
            message = f"The body could not be read: {_unreadable(exc.__cause__)}."
            return error(
                400,
                "invalid_body",
                message,
                field="(body)",
                problems=[{"field": "(body)", "message": message}],
            )
        if _is_api(request):
            code = "not_found" if exc.status_code == 404 else f"http_{exc.status_code}"
            return error(exc.status_code, code, str(exc.detail))
        if exc.status_code == 404:
            return error_page(request, 404, "Not found", "There is no page at this address.")
        return error_page(request, exc.status_code, "Something went wrong", str(exc.detail))


# The errors that come from the app as a whole rather than from one route: the sign-in
# (identity.api_person), the CSRF check (security.require_csrf), reading the body and
# FastAPI's validation of the request (both answered by the handlers above).
NOT_SIGNED_IN = "`not_signed_in`: multi-user mode and no valid 'Authorization: Bearer <token>'."
CSRF_FAILED = (
    "`csrf_failed`: a change without a JSON body, a Bearer token or the CSRF cookie and "
    "header, or from another site."
)
INVALID_BODY = "`invalid_body`: the body is not JSON (or a form) Piri can read."
INVALID_INPUT = "`invalid_input`: `problems` names each wrong field."
ERROR_SCHEMA = "#/components/schemas/Error"
FASTAPI_422 = "Validation Error"  # FastAPI's own description, for its own body


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    for sub in dependant.dependencies:
        if sub.call is not None:
            yield sub.call
        yield from _calls(sub)


def _common_errors(route: RouteContext) -> dict[str, str]:
    """The statuses ``route`` can answer whatever its own code does, with their meaning."""
    dependant: Dependant = route.dependant
    calls = set(_calls(dependant))
    changes = bool(set(route.methods or ()) - SAFE_METHODS)
    found = {}
    if api_person in calls:
        found["401"] = NOT_SIGNED_IN
    if require_csrf in calls and changes:
        found["403"] = CSRF_FAILED
    if route.body_field is not None or changes:  # require_csrf reads a form body too
        found["400"] = INVALID_BODY
    if route.body_field is not None or dependant.query_params or dependant.path_params:
        found["422"] = INVALID_INPUT
    return found


def openapi_document(app: FastAPI) -> dict[str, Any]:
    """The app's OpenAPI document with every error it can answer under /api: the routes
    declare their own (``responses=``), and here each gets the errors every route of its kind
    can give, all with the one ``Error`` body (FastAPI's default 422 body is not what
    :func:`invalid_request` answers)."""
    if app.openapi_schema:
        return app.openapi_schema
    document = get_openapi(
        title=app.title,
        version=app.version,
        openapi_version=app.openapi_version,
        description=app.description,
        routes=app.routes,
    )
    for route in iter_route_contexts(app.routes):
        if not isinstance(route.original_route, APIRoute) or not route.include_in_schema:
            continue
        if not (route.path_format or "").startswith("/api/"):
            continue
        item = document["paths"][route.path_format]
        for method in route.methods or ():
            responses = item[method.lower()]["responses"]
            for status, description in _common_errors(route).items():
                answer = responses.setdefault(status, {"description": description})
                said = answer.get("description", "")
                if said == FASTAPI_422:
                    answer["description"] = description
                elif description.split(":", 1)[0] not in said:  # one status, several causes
                    answer["description"] = f"{said.rstrip('.')}; {description}"
            for status, answer in responses.items():
                if status.startswith("4"):
                    answer["content"] = {"application/json": {"schema": {"$ref": ERROR_SCHEMA}}}
            item[method.lower()]["responses"] = dict(sorted(responses.items()))
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for default in ("HTTPValidationError", "ValidationError"):  # FastAPI's, now unused
        if f'"#/components/schemas/{default}"' not in json.dumps(document["paths"]):
            schemas.pop(default, None)
    error_schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(error_schema.pop("$defs", {}))
    schemas["Error"] = error_schema
    app.openapi_schema = document
    return document
