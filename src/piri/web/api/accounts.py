"""JSON API: API tokens for scripts, the signed-in account, and a login for scripts.

Only multi-user mode has accounts; in single-person mode these answer 404 with the code
``no_accounts`` (the API needs no token there).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from piri.services import accounts as account_service
from piri.services.accounts import (
    AccountError,
    ApiTokenInfo,
    LoginFailedError,
    NoAccountError,
)
from piri.web import accounts as web_accounts
from piri.web.api.ids import TokenId
from piri.web.errors import error
from piri.web.identity import api_person, config_of

router = APIRouter(tags=["accounts"])

NO_ACCOUNTS = (
    "This Piri runs for one person on this computer: it has no accounts or API tokens, "
    "and its API needs no token."
)


class LoginRequest(BaseModel):
    username: str = Field(description="The account's username (not case-sensitive).")
    password: str
    token_name: str = Field(
        "script login", description="A name for the API token this login creates."
    )


class NewTokenRequest(BaseModel):
    name: str = Field(description="What will use the token, 1 to 60 characters.")


NO_ACCOUNTS_ANSWER: dict[int | str, dict[str, Any]] = {
    404: {"description": "`no_accounts`: single-person mode has no accounts or tokens."}
}


def _no_accounts() -> JSONResponse:
    return error(404, "no_accounts", NO_ACCOUNTS)


def _invalid(problem: AccountError) -> JSONResponse:
    field = problem.field or "(body)"
    return error(
        422,
        "invalid_input",
        problem.message,
        field=field,
        problems=[{"field": field, "message": problem.message}],
    )


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


def _token_json(token: ApiTokenInfo) -> dict[str, Any]:
    return {
        "id": token.id,
        "name": token.name,
        "created_at": _iso(token.created_at),
        "last_used": _iso(token.last_used),
        "revoked_at": _iso(token.revoked_at),
        "active": token.active,
    }


@router.post(
    "/login",
    status_code=201,
    summary="Log in and get an API token (for scripts)",
    responses={
        **NO_ACCOUNTS_ANSWER,
        401: {"description": "`login_failed`: wrong username or password."},
        422: {"description": "`invalid_input`: `field` names the value that is wrong."},
        429: {"description": "`too_many_attempts`: wait `retry_after_seconds` (and Retry-After)."},
    },
)
def log_in(request: Request, body: LoginRequest) -> Any:
    """Checks the username and password and returns a new API token, shown only this once.
    Failed attempts are limited per username and per address; over the limit the answer is
    429 with ``retry_after_seconds``."""
    if not config_of(request).multi_user:
        return _no_accounts()
    guard = web_accounts.limiter(request)
    address = web_accounts.client_address(request)
    wait = guard.wait_seconds(body.username, address)
    if wait:
        response = error(
            429,
            "too_many_attempts",
            web_accounts.wait_message(wait),
            retry_after_seconds=wait,
        )
        response.headers["Retry-After"] = str(wait)
        return response
    try:
        name = account_service.check_token_name(body.token_name)
        account = account_service.authenticate(body.username, body.password)
    except LoginFailedError as failure:
        guard.failed(body.username, address)
        return error(401, "login_failed", failure.message)
    except AccountError as problem:
        return _invalid(problem)
    guard.succeeded(body.username)
    try:
        created = account_service.create_api_token(account.person, name)
    except AccountError as problem:
        return _invalid(problem)
    return {"token": created.token, "username": account.username, **_token_json(created.info)}


@router.get("/account", summary="The signed-in account", responses=NO_ACCOUNTS_ANSWER)
def get_account(request: Request, person: str = Depends(api_person)) -> Any:
    if not config_of(request).multi_user:
        return _no_accounts()
    try:
        found = account_service.account(person)
    except NoAccountError:
        return _no_accounts()
    return {
        "username": found.username,
        "created_at": _iso(found.created_at),
        "signed_in_devices": account_service.active_sessions(person),
        "api_tokens": sum(t.active for t in account_service.api_tokens(person)),
    }


@router.get("/tokens", summary="Your API tokens (never their values)", responses=NO_ACCOUNTS_ANSWER)
def list_tokens(request: Request, person: str = Depends(api_person)) -> Any:
    if not config_of(request).multi_user:
        return _no_accounts()
    try:
        tokens = account_service.api_tokens(person)
    except NoAccountError:
        return _no_accounts()
    return {"tokens": [_token_json(t) for t in tokens]}


@router.post(
    "/tokens",
    status_code=201,
    summary="Create an API token (its value is shown once)",
    responses={
        **NO_ACCOUNTS_ANSWER,
        422: {"description": "`invalid_input`: the name is not 1 to 60 characters."},
    },
)
def create_token(request: Request, body: NewTokenRequest, person: str = Depends(api_person)) -> Any:
    if not config_of(request).multi_user:
        return _no_accounts()
    try:
        created = account_service.create_api_token(person, body.name)
    except AccountError as problem:
        return _invalid(problem)
    except NoAccountError:
        return _no_accounts()
    return {"token": created.token, **_token_json(created.info)}


@router.delete(
    "/tokens/{token_id}",
    summary="Revoke one of your API tokens",
    responses={
        404: {
            "description": "`not_found`: you have no token with that id; `no_accounts`: "
            "single-person mode has no tokens."
        }
    },
)
def revoke_token(request: Request, token_id: TokenId, person: str = Depends(api_person)) -> Any:
    if not config_of(request).multi_user:
        return _no_accounts()
    try:
        revoked = account_service.revoke_api_token(person, token_id)
    except NoAccountError:
        return _no_accounts()
    return _token_json(revoked)
