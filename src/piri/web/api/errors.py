"""Errors as JSON: a stable ``code``, a human ``message``, and the fields or items at fault."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from piri.domain.answers import AnswerError
from piri.services.library import InvalidChoiceError, NotFoundError


def error(status: int, code: str, message: str, **details: Any) -> JSONResponse:
    return JSONResponse({"code": code, "message": message, **details}, status_code=status)


def install(app: FastAPI) -> None:
    @app.exception_handler(NotFoundError)
    async def not_found(_request: Request, exc: NotFoundError) -> JSONResponse:
        return error(
            404, "not_found", str(exc), suggestions=exc.suggestions, available=exc.available
        )

    @app.exception_handler(InvalidChoiceError)
    async def invalid_choice(_request: Request, exc: InvalidChoiceError) -> JSONResponse:
        return error(422, "invalid_choice", str(exc), field=exc.option, choices=exc.choices)

    @app.exception_handler(AnswerError)
    async def invalid_answers(_request: Request, exc: AnswerError) -> JSONResponse:
        return error(
            422,
            "invalid_answers",
            "The answers do not fit the questionnaire.",
            problems=exc.problems,
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            {"field": ".".join(str(p) for p in e["loc"] if p != "body"), "message": e["msg"]}
            for e in exc.errors()
        ]
        names = ", ".join(p["field"] or "(body)" for p in problems)
        return error(422, "invalid_input", f"Check these fields: {names}.", problems=problems)
