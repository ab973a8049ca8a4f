"""Pages: sign up, sign in, sign out, and the account page (password, sessions, API tokens).

Only multi-user mode has accounts; in single-person mode these pages say so and link home.
Typed passwords are never sent back in a page: after a mistake the other fields are kept.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from piri.services import accounts as account_service
from piri.services import care as care_service
from piri.services.accounts import AccountError, LoginFailedError, NoAccountError
from piri.web import accounts as web_accounts
from piri.web.identity import config_of, page_person, viewer
from piri.web.templating import render

router = APIRouter()


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


def _no_accounts(request: Request, status_code: int = 200) -> Response:
    return render(request, "account/no_accounts.html", status_code, title="No accounts here")


def _signed_in_redirect(request: Request, token: str, to: str) -> Response:
    response = RedirectResponse(to, status_code=303)
    web_accounts.set_session_cookie(response, token, config_of(request))
    return response


def _login_page(
    request: Request,
    status_code: int = 200,
    username: str = "",
    next_path: str = "/",
    errors: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    return render(
        request,
        "account/login.html",
        status_code,
        title="Sign in",
        username=username,
        next_path=next_path,
        errors=errors or {},
        signed_out=request.query_params.get("signed_out"),
        **extra,
    )


@router.get("/login")
def login_page(request: Request, next: str | None = None) -> Response:
    if not config_of(request).multi_user:
        return _no_accounts(request)
    target = web_accounts.safe_next(next)
    if viewer(request).via == "cookie":
        return RedirectResponse(target, status_code=303)
    return _login_page(request, next_path=target)


@router.post("/login")
async def log_in(request: Request) -> Response:
    config = config_of(request)
    if not config.multi_user:
        return _no_accounts(request, 404)
    form = await _form(request)
    username = form.get("username", "").strip()
    password = form.get("password", "")
    target = web_accounts.safe_next(form.get("next"))
    errors = {}
    if not username:
        errors["username"] = "Enter your username."
    if not password:
        errors["password"] = "Enter your password."
    if errors:
        return _login_page(request, 422, username, target, errors)
    guard = web_accounts.limiter(request)
    address = web_accounts.client_address(request)
    wait = guard.wait_seconds(username, address)
    if wait:
        response = _login_page(
            request, 429, username, target, wait_message=web_accounts.wait_message(wait)
        )
        response.headers["Retry-After"] = str(wait)
        return response
    try:
        account = account_service.authenticate(username, password)
    except LoginFailedError as failure:
        guard.failed(username, address)
        return _login_page(request, 422, username, target, {"form": failure.message})
    guard.succeeded(username)
    _end_this_session(request)
    token = account_service.open_session(account, web_accounts.session_days(config))
    return _signed_in_redirect(request, token, target)


def _end_this_session(request: Request) -> None:
    token = web_accounts.session_token(request)
    if token:
        account_service.log_out(token)


@router.get("/signup")
def signup_page(request: Request, next: str | None = None) -> Response:
    if not config_of(request).multi_user:
        return _no_accounts(request)
    return _signup_page(request, next_path=web_accounts.safe_next(next))


def _signup_page(
    request: Request,
    status_code: int = 200,
    username: str = "",
    next_path: str = "/",
    errors: dict[str, str] | None = None,
) -> Response:
    return render(
        request,
        "account/signup.html",
        status_code,
        title="Create an account",
        username=username,
        next_path=next_path,
        errors=errors or {},
        username_min=account_service.USERNAME_MIN,
        username_max=account_service.USERNAME_MAX,
        password_min=account_service.PASSWORD_MIN,
    )


@router.post("/signup")
async def sign_up(request: Request) -> Response:
    config = config_of(request)
    if not config.multi_user:
        return _no_accounts(request, 404)
    form = await _form(request)
    username = form.get("username", "")
    password = form.get("password", "")
    again = form.get("password_again", "")
    target = web_accounts.safe_next(form.get("next"))
    errors: dict[str, str] = {}
    try:
        account_service.check_username(username)
    except AccountError as problem:
        errors["username"] = problem.message
    if not errors:
        try:
            account_service.check_password(password, username)
        except AccountError as problem:
            errors["password"] = problem.message
    if "password" not in errors and password != again:
        errors["password_again"] = "The two passwords are not the same: type the password again."
    if not errors:
        try:
            account = account_service.sign_up(username, password)
        except AccountError as problem:
            errors[problem.field or "username"] = problem.message
    if errors:
        return _signup_page(request, 422, username.strip(), target, errors)
    _end_this_session(request)
    token = account_service.open_session(account, web_accounts.session_days(config))
    return _signed_in_redirect(request, token, target)


@router.post("/logout")
def log_out(request: Request) -> Response:
    config = config_of(request)
    if not config.multi_user:
        return RedirectResponse("/", status_code=303)
    _end_this_session(request)
    response = RedirectResponse("/login?signed_out=1", status_code=303)
    web_accounts.clear_session_cookie(response, config)
    return response


def _account_page(
    request: Request,
    person: str,
    status_code: int = 200,
    errors: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    try:
        account = account_service.account(person)
    except NoAccountError:
        return _no_accounts(request, 200 if request.method == "GET" else 404)
    extra.setdefault("token_name", "")
    return render(
        request,
        "account/account.html",
        status_code,
        title="Your account",
        account=account,
        tokens=account_service.api_tokens(person),
        sessions=account_service.active_sessions(person),
        errors=errors or {},
        password_min=account_service.PASSWORD_MIN,
        clinician=care_service.is_clinician(person),
        done=request.query_params.get("done"),
        **extra,
    )


@router.get("/account")
def account_page(request: Request, person: str = Depends(page_person)) -> Response:
    if not config_of(request).multi_user:
        return _no_accounts(request)
    return _account_page(request, person)


@router.post("/account/password")
async def change_password(request: Request, person: str = Depends(page_person)) -> Response:
    if not config_of(request).multi_user:
        return _no_accounts(request, 404)
    form = await _form(request)
    current = form.get("current_password", "")
    new = form.get("new_password", "")
    again = form.get("new_password_again", "")
    errors: dict[str, str] = {}
    if not current:
        errors["current_password"] = "Enter your current password."
    if not new:
        errors["new_password"] = (
            f"Enter a new password of at least {account_service.PASSWORD_MIN} characters."
        )
    elif new != again:
        errors["new_password_again"] = "The two new passwords are not the same: type it again."
    if not errors:
        try:
            account_service.change_password(
                person, current, new, keep_session=web_accounts.session_token(request)
            )
        except AccountError as problem:
            errors[problem.field or "new_password"] = problem.message
    if errors:
        return _account_page(request, person, 422, errors, section="password")
    return RedirectResponse("/account?done=password", status_code=303)


@router.post("/account/sign-out-everywhere")
def sign_out_everywhere(request: Request, person: str = Depends(page_person)) -> Response:
    config = config_of(request)
    if not config.multi_user:
        return _no_accounts(request, 404)
    try:
        account_service.log_out_everywhere(person)
    except NoAccountError:
        return _no_accounts(request, 404)
    response = RedirectResponse("/login?signed_out=everywhere", status_code=303)
    web_accounts.clear_session_cookie(response, config)
    return response


@router.post("/account/tokens")
async def create_token(request: Request, person: str = Depends(page_person)) -> Response:
    if not config_of(request).multi_user:
        return _no_accounts(request, 404)
    form = await _form(request)
    name = form.get("name", "")
    try:
        created = account_service.create_api_token(person, name)
    except AccountError as problem:
        return _account_page(
            request, person, 422, {"name": problem.message}, token_name=name, section="tokens"
        )
    except NoAccountError:
        return _no_accounts(request, 404)
    return _account_page(request, person, 201, new_token=created, section="tokens")


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(request: Request, token_id: int, person: str = Depends(page_person)) -> Response:
    if not config_of(request).multi_user:
        return _no_accounts(request, 404)
    try:
        account_service.revoke_api_token(person, token_id)
    except NoAccountError:
        return _no_accounts(request, 404)
    return RedirectResponse("/account?done=revoked", status_code=303)


@router.post("/account/clinician")
async def set_clinician(request: Request, person: str = Depends(page_person)) -> Response:
    """The clinician role ("I look after runners"): the person stays a runner either way."""
    if not config_of(request).multi_user:
        return _no_accounts(request, 404)
    form = await _form(request)
    on = form.get("clinician") == "yes"
    try:
        account_service.account(person)
    except NoAccountError:
        return _no_accounts(request, 404)
    care_service.set_clinician(person, on)
    return RedirectResponse(
        f"/account?done={'clinician-on' if on else 'clinician-off'}#clinician", status_code=303
    )
