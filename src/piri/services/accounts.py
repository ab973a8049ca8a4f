"""Accounts on a shared server: sign-up, login sessions, passwords and API tokens.

Only multi-user mode (``piri serve --multi-user``) has accounts. Each account opens one
person's data: the services know that person as ``account:<random hex>``, a name the local
person ("me") can never have. Passwords are hashed with argon2id (argon2-cffi's
``PasswordHasher`` with its defaults, rehashed at login when those defaults change). Session
and API tokens are 32 random bytes; the database keeps only their SHA-256, so a copy of the
database opens nobody's account.

Deleting the account's person (``person_data.forget`` or :func:`delete_account`) deletes the
account, its sessions and its tokens with all of their data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from piri.domain.values import text_problem
from piri.services.diary import store
from piri.services.library import NotFoundError
from piri.store import accounts as account_store
from piri.store.accounts import utc
from piri.store.database import autocommitting, transaction
from piri.store.models import Account, ApiToken

PERSON_PREFIX = "account:"
USERNAME_MIN, USERNAME_MAX = 3, 40
USERNAME_PATTERN = re.compile(r"[A-Za-z0-9._-]+")
PASSWORD_MIN = 10
PASSWORD_MAX = 1000  # hashing a megabyte of password on every try would be a cheap attack
TOKEN_NAME_MAX = 60
MAX_ACTIVE_TOKENS = 50
SESSION_DAYS = 30  # a session ends after this many days without use
API_TOKEN_PREFIX = "piri_"
# Sessions and tokens are written back at most this often, not on every request.
TOUCH_EVERY = dt.timedelta(minutes=1)
LOGIN_FAILED = "That username and password do not match. Check both and try again."


class AccountError(ValueError):
    """Input an account cannot take; ``field`` names the form field it is about."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class UsernameTakenError(AccountError):
    pass


class LoginFailedError(AccountError):
    """Wrong username or password: the message never says which."""

    def __init__(self) -> None:
        super().__init__(None, LOGIN_FAILED)


class NoAccountError(LookupError):
    """The person has no account (the local person of single-person mode)."""


@dataclass(frozen=True)
class AccountInfo:
    id: int
    username: str
    person: str
    created_at: dt.datetime
    is_clinician: bool = False  # also looks after runners (piri.services.care)


@dataclass(frozen=True)
class ApiTokenInfo:
    id: int
    name: str
    created_at: dt.datetime
    last_used: dt.datetime | None
    revoked_at: dt.datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True)
class NewApiToken:
    token: str  # the only time the raw token exists outside the caller's hands
    info: ApiTokenInfo


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()  # argon2id with the library's current defaults (RFC 9106)


@cache
def _dummy_hash() -> str:
    """Verified against when a username is unknown, so that costs as long as a wrong password."""
    return _hasher().hash(secrets.token_urlsafe(16))


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def check_username(username: str) -> str:
    """The username with surrounding spaces removed; AccountError says what is wrong."""
    name = username.strip()
    rule = (
        f"use {USERNAME_MIN} to {USERNAME_MAX} characters: letters, digits, dots (.), "
        "underscores (_) or hyphens (-)"
    )
    if not name:
        raise AccountError("username", f"Enter a username: {rule}.")
    bad = sorted({c for c in name if not USERNAME_PATTERN.fullmatch(c)})
    if bad:
        shown = ", ".join("a space" if c == " " else f"'{c}'" for c in bad)
        raise AccountError("username", f"The username cannot contain {shown}: {rule}.")
    if not USERNAME_MIN <= len(name) <= USERNAME_MAX:
        raise AccountError("username", f"The username has {len(name)} characters: {rule}.")
    return name


def check_password(password: str, username: str, field: str = "password") -> None:
    if len(password) < PASSWORD_MIN:
        raise AccountError(
            field,
            f"The password must be at least {PASSWORD_MIN} characters long "
            f"(this one has {len(password)}). A few words in a row are easy to remember.",
        )
    if len(password) > PASSWORD_MAX:
        raise AccountError(field, f"The password can be at most {PASSWORD_MAX} characters long.")
    if password.strip().lower() == username.strip().lower():
        raise AccountError(field, "The password cannot be the same as the username.")


def _info(account: Account, person: str) -> AccountInfo:
    return AccountInfo(
        account.id, account.username, person, utc(account.created_at), account.is_clinician
    )


def _signed_in(found: account_store.SignIn) -> AccountInfo:
    return AccountInfo(
        found.account_id,
        found.username,
        found.person,
        utc(found.account_created_at),
        found.is_clinician,
    )


def _token_info(row: ApiToken) -> ApiTokenInfo:
    return ApiTokenInfo(
        id=row.id,
        name=row.name,
        created_at=utc(row.created_at),
        last_used=utc(row.last_used) if row.last_used else None,
        revoked_at=utc(row.revoked_at) if row.revoked_at else None,
    )


def sign_up(username: str, password: str) -> AccountInfo:
    """A new account with an empty person of its own."""
    name = check_username(username)
    check_password(password, name)
    password_hash = _hasher().hash(password)
    taken = UsernameTakenError("username", f"The username '{name}' is taken. Choose another one.")
    person = PERSON_PREFIX + secrets.token_hex(8)
    try:
        with transaction(store()) as session:
            if account_store.account_by_username(session, name) is not None:
                raise taken
            account = account_store.add_account(session, name, password_hash, person, _now())
            return _info(account, person)
    except IntegrityError:  # the same name signed up at the same moment
        raise taken from None


def authenticate(username: str, password: str) -> AccountInfo:
    """The account these credentials open; LoginFailedError (one message) otherwise.

    The password is checked outside any transaction (argon2 takes a while on purpose).
    """
    name = username.strip()
    with transaction(store()) as session:
        account = account_store.account_by_username(session, name) if name else None
        found = (account.id, account.password_hash) if account else None
    hasher = _hasher()
    if found is None or len(password) > PASSWORD_MAX:
        _verify(hasher, _dummy_hash(), password[:PASSWORD_MAX])
        raise LoginFailedError
    account_id, stored = found
    if not _verify(hasher, stored, password):
        raise LoginFailedError
    with transaction(store()) as session:
        account = session.get(Account, account_id)
        if account is None:  # deleted while the password was being checked
            raise LoginFailedError
        if hasher.check_needs_rehash(account.password_hash):
            account_store.set_password_hash(session, account, hasher.hash(password))
        return _info(account, account_store.person_name(session, account))


def _verify(hasher: PasswordHasher, stored: str, password: str) -> bool:
    try:
        return hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def open_session(
    account: AccountInfo, days: int = SESSION_DAYS, now: dt.datetime | None = None
) -> str:
    """A new login session for the account; returns its token (the cookie's value)."""
    moment = now or _now()
    token = secrets.token_urlsafe(32)
    with transaction(store()) as session:
        row = session.get(Account, account.id)
        if row is None:
            raise NoAccountError(f"account {account.id} no longer exists")
        account_store.end_expired_sessions(session, moment)
        account_store.add_login_session(
            session, row, hash_token(token), moment, moment + dt.timedelta(days=days)
        )
    return token


def log_in(
    username: str, password: str, days: int = SESSION_DAYS, now: dt.datetime | None = None
) -> str:
    """Check the credentials and open a session; returns the session token."""
    return open_session(authenticate(username, password), days, now)


def session_account(
    token: str, days: int = SESSION_DAYS, now: dt.datetime | None = None
) -> AccountInfo | None:
    """The account a session token belongs to; None when unknown or expired.

    Each use moves the end of the session to ``days`` from now (written at most once a
    minute).
    """
    moment = now or _now()
    token_hash = hash_token(token)
    with autocommitting(store()) as session:  # the common case writes nothing
        found = account_store.session_sign_in(session, token_hash)
    if found is None:
        return None
    assert found.ends_or_revoked is not None and found.last_used is not None
    expired = utc(found.ends_or_revoked) <= moment
    stale = moment - utc(found.last_used) >= TOUCH_EVERY
    info = _signed_in(found)
    if expired or stale:
        with transaction(store()) as session:
            row = account_store.login_session(session, token_hash)
            if row is None:
                return None
            if utc(row.expires_at) <= moment:
                session.delete(row)
                return None
            row.last_seen = moment
            row.expires_at = moment + dt.timedelta(days=days)
    return info


def log_out(token: str) -> bool:
    """End this one session; False when it had already ended."""
    with transaction(store()) as session:
        return account_store.end_login_session(session, hash_token(token))


def _account(session: Session, person: str) -> Account:
    account = account_store.account_of_person(session, person)
    if account is None:
        raise NoAccountError(f"'{person}' has no account")
    return account


def account(person: str) -> AccountInfo:
    with transaction(store()) as session:
        return _info(_account(session, person), person)


def find_account(username: str) -> AccountInfo | None:
    """The account with this username (any case), for administration and tests."""
    with transaction(store()) as session:
        found = account_store.account_by_username(session, username.strip())
        return _info(found, account_store.person_name(session, found)) if found else None


def active_sessions(person: str, now: dt.datetime | None = None) -> int:
    """How many browsers are signed in to the person's account."""
    with transaction(store()) as session:
        return len(account_store.login_sessions(session, _account(session, person), now or _now()))


def log_out_everywhere(person: str) -> int:
    """End every session of the person's account (this browser's too); returns how many."""
    with transaction(store()) as session:
        return account_store.end_login_sessions(session, _account(session, person))


def change_password(person: str, current: str, new: str, keep_session: str | None = None) -> int:
    """Set a new password and end every other session; returns how many ended.

    ``keep_session`` is the token of the session making the change, which stays signed in.
    API tokens are not touched: revoke them on their own.
    """
    with transaction(store()) as session:
        found = _account(session, person)
        account_id, username, stored = found.id, found.username, found.password_hash
    hasher = _hasher()
    if not _verify(hasher, stored, current[:PASSWORD_MAX]):
        raise AccountError("current_password", "The current password is not right.")
    check_password(new, username, field="new_password")
    if new == current:
        raise AccountError("new_password", "The new password is the same as the current one.")
    new_hash = hasher.hash(new)
    with transaction(store()) as session:
        row = session.get(Account, account_id)
        if row is None:
            raise NoAccountError(f"'{person}' has no account")
        account_store.set_password_hash(session, row, new_hash)
        keep = hash_token(keep_session) if keep_session else None
        return account_store.end_login_sessions(session, row, keep_hash=keep)


def check_token_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise AccountError(
            "name", "Give the token a name, for example the script or device that will use it."
        )
    if len(cleaned) > TOKEN_NAME_MAX:
        raise AccountError(
            "name",
            f"The token name can be at most {TOKEN_NAME_MAX} characters "
            f"(this one has {len(cleaned)}).",
        )
    problem = text_problem(cleaned)
    if problem is not None:
        raise AccountError("name", f"The token name {problem}.")
    return cleaned


def create_api_token(person: str, name: str, now: dt.datetime | None = None) -> NewApiToken:
    """A new API token; its raw value is in the result and nowhere else, ever."""
    cleaned = check_token_name(name)
    token = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction(store()) as session:
        found = _account(session, person)
        active = [t for t in account_store.api_tokens(session, found) if t.revoked_at is None]
        if len(active) >= MAX_ACTIVE_TOKENS:
            raise AccountError(
                "name",
                f"This account already has {MAX_ACTIVE_TOKENS} API tokens in use: revoke one "
                "it no longer needs first.",
            )
        row = account_store.add_api_token(session, found, cleaned, hash_token(token), now or _now())
        return NewApiToken(token, _token_info(row))


def api_tokens(person: str) -> list[ApiTokenInfo]:
    """The person's API tokens, oldest first, revoked ones included."""
    with transaction(store()) as session:
        return [
            _token_info(t) for t in account_store.api_tokens(session, _account(session, person))
        ]


def revoke_api_token(person: str, token_id: int, now: dt.datetime | None = None) -> ApiTokenInfo:
    """Revoke one of the person's tokens (again is harmless); NotFoundError if not theirs."""
    with transaction(store()) as session:
        found = _account(session, person)
        if not account_store.revoke_api_token(session, found, token_id, now or _now()):
            owned = [str(t.id) for t in account_store.api_tokens(session, found)]
            raise NotFoundError("API token", str(token_id), owned)
        row = session.get(ApiToken, token_id)
        assert row is not None
        session.refresh(row)
        return _token_info(row)


def token_account(token: str, now: dt.datetime | None = None) -> AccountInfo | None:
    """The account an API token belongs to; None when it is unknown or revoked."""
    if not token.startswith(API_TOKEN_PREFIX):
        return None
    moment = now or _now()
    token_hash = hash_token(token)
    with autocommitting(store()) as session:  # the common case writes nothing
        found = account_store.token_sign_in(session, token_hash)
    if found is None or found.ends_or_revoked is not None:
        return None
    stale = found.last_used is None or moment - utc(found.last_used) >= TOUCH_EVERY
    info = _signed_in(found)
    if stale:
        with transaction(store()) as session:
            row = account_store.api_token(session, token_hash)
            if row is None or row.revoked_at is not None:
                return None
            row.last_used = moment
    return info


def delete_account(person: str) -> bool:
    """Delete the account, its sessions and tokens, and all of the person's data.

    For the Settings page's "delete all my data" in multi-user mode. False when the person
    has no account (then nothing is deleted: use ``person_data.forget`` for the local
    person).
    """
    with transaction(store()) as session:
        found = account_store.account_of_person(session, person)
        if found is None:
            return False
        account_store.delete_account(session, found)
        return True
