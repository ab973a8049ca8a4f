"""Reading and writing accounts, login sessions and API tokens.

Tokens arrive here already hashed: the raw values never reach the database. Times are
stored in UTC; SQLite hands them back without a time zone, so every read goes through
:func:`utc`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import String, bindparam, delete, select, update
from sqlalchemy.orm import Session, joinedload

from piri.store.models import Account, ApiToken, LoginSession, Person

# Bulk deletes and updates run in SQL only: rows already loaded are refreshed by the caller
# (SQLAlchemy cannot evaluate time comparisons in Python across SQLite's naive datetimes).
_NO_SYNC: dict[str, object] = {"synchronize_session": False}


def utc(moment: dt.datetime) -> dt.datetime:
    """A stored time as an aware UTC datetime (SQLite drops the zone, PostgreSQL keeps it)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def username_key(username: str) -> str:
    return username.lower()


def add_account(
    session: Session, username: str, password_hash: str, person_name: str, now: dt.datetime
) -> Account:
    """A new account and the (new, empty) person it opens."""
    person = Person(name=person_name)
    session.add(person)
    session.flush()
    account = Account(
        username=username,
        username_key=username_key(username),
        password_hash=password_hash,
        person_id=person.id,
        created_at=now,
    )
    session.add(account)
    session.flush()
    return account


def account_by_username(session: Session, username: str) -> Account | None:
    return session.scalar(select(Account).where(Account.username_key == username_key(username)))


def account_of_person(session: Session, person_name: str) -> Account | None:
    return session.scalar(select(Account).join(Person).where(Person.name == person_name))


def person_name(session: Session, account: Account) -> str:
    return session.scalars(select(Person.name).where(Person.id == account.person_id)).one()


def set_password_hash(session: Session, account: Account, password_hash: str) -> None:
    account.password_hash = password_hash
    session.flush()


def delete_account(session: Session, account: Account) -> None:
    """Delete the account's person; the foreign keys take the account, its sessions,
    its tokens and every row of the person's data with it."""
    person = session.get(Person, account.person_id)
    if person is not None:
        session.delete(person)
    session.flush()


# Login sessions


def add_login_session(
    session: Session, account: Account, token_hash: str, now: dt.datetime, expires_at: dt.datetime
) -> LoginSession:
    row = LoginSession(
        account_id=account.id,
        token_hash=token_hash,
        created_at=now,
        last_seen=now,
        expires_at=expires_at,
    )
    session.add(row)
    session.flush()
    return row


def login_session(session: Session, token_hash: str) -> LoginSession | None:
    """The session with its account and person, in one query (asked on every request)."""
    return session.scalar(
        select(LoginSession)
        .where(LoginSession.token_hash == token_hash)
        .options(joinedload(LoginSession.account).joinedload(Account.person))
    )


@dataclass(frozen=True)
class SignIn:
    """What every signed-in request needs of its session or API token, as plain values: when
    it ends (a session) or was revoked (a token), its last use, and the account's own fields."""

    ends_or_revoked: dt.datetime | None
    last_used: dt.datetime | None
    account_id: int
    username: str
    account_created_at: dt.datetime
    is_clinician: bool
    person: str


_ACCOUNT_FIELDS = (
    Account.id,
    Account.username,
    Account.created_at,
    Account.is_clinician,
    Person.name,
)
# Built once and read as plain columns: the ORM objects (session, account, person) cost
# 0.5 ms a request more to build, and asked on every request (the caseload's is 4 ms in all).
_SESSION_SIGN_IN = (
    select(LoginSession.expires_at, LoginSession.last_seen, *_ACCOUNT_FIELDS)
    .join(Account, Account.id == LoginSession.account_id)
    .join(Person, Person.id == Account.person_id)
    .where(LoginSession.token_hash == bindparam("token_hash", type_=String))
)
_TOKEN_SIGN_IN = (
    select(ApiToken.revoked_at, ApiToken.last_used, *_ACCOUNT_FIELDS)
    .join(Account, Account.id == ApiToken.account_id)
    .join(Person, Person.id == Account.person_id)
    .where(ApiToken.token_hash == bindparam("token_hash", type_=String))
)


def session_sign_in(session: Session, token_hash: str) -> SignIn | None:
    """The session's end and last use with its account, in one query; None if unknown."""
    row = session.execute(_SESSION_SIGN_IN, {"token_hash": token_hash}).first()
    return SignIn(*row) if row is not None else None


def token_sign_in(session: Session, token_hash: str) -> SignIn | None:
    """The API token's revocation and last use with its account; None if unknown."""
    row = session.execute(_TOKEN_SIGN_IN, {"token_hash": token_hash}).first()
    return SignIn(*row) if row is not None else None


def end_login_session(session: Session, token_hash: str) -> bool:
    result = session.execute(
        delete(LoginSession).where(LoginSession.token_hash == token_hash),
        execution_options=_NO_SYNC,
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def end_login_sessions(session: Session, account: Account, keep_hash: str | None = None) -> int:
    """End every session of the account, except the one whose hash is ``keep_hash``."""
    query = delete(LoginSession).where(LoginSession.account_id == account.id)
    if keep_hash is not None:
        query = query.where(LoginSession.token_hash != keep_hash)
    count: int = session.execute(query, execution_options=_NO_SYNC).rowcount  # type: ignore[attr-defined]
    return count


def login_sessions(session: Session, account: Account, now: dt.datetime) -> list[LoginSession]:
    query = (
        select(LoginSession)
        .where(LoginSession.account_id == account.id, LoginSession.expires_at > now)
        .order_by(LoginSession.id)
    )
    return list(session.scalars(query))


def end_expired_sessions(session: Session, now: dt.datetime) -> int:
    count: int = session.execute(
        delete(LoginSession).where(LoginSession.expires_at <= now), execution_options=_NO_SYNC
    ).rowcount  # type: ignore[attr-defined]
    return count


# API tokens


def add_api_token(
    session: Session, account: Account, name: str, token_hash: str, now: dt.datetime
) -> ApiToken:
    row = ApiToken(account_id=account.id, name=name, token_hash=token_hash, created_at=now)
    session.add(row)
    session.flush()
    return row


def api_tokens(session: Session, account: Account) -> list[ApiToken]:
    query = select(ApiToken).where(ApiToken.account_id == account.id).order_by(ApiToken.id)
    return list(session.scalars(query))


def api_token(session: Session, token_hash: str) -> ApiToken | None:
    """The token with its account and person, in one query (asked on every API call)."""
    return session.scalar(
        select(ApiToken)
        .where(ApiToken.token_hash == token_hash)
        .options(joinedload(ApiToken.account).joinedload(Account.person))
    )


def revoke_api_token(session: Session, account: Account, token_id: int, now: dt.datetime) -> bool:
    """Revoke one of this account's tokens; False when it has no token with that id."""
    result = session.execute(
        update(ApiToken)
        .where(
            ApiToken.id == token_id,
            ApiToken.account_id == account.id,
            ApiToken.revoked_at.is_(None),
        )
        .values(revoked_at=now),
        execution_options=_NO_SYNC,
    )
    if result.rowcount:  # type: ignore[attr-defined]
        return True
    return (
        session.scalar(
            select(ApiToken.id).where(ApiToken.id == token_id, ApiToken.account_id == account.id)
        )
        is not None
    )
