"""Reading and writing the care team: consent links, invitation codes and the audit log.

People are looked up by account (a clinician names a runner by username). Codes arrive
already hashed. Times are stored in UTC; reads go through :func:`piri.store.accounts.utc`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import DateTime, Integer, Select, String, Text, bindparam, insert, select
from sqlalchemy.orm import Session, aliased

from piri.store.accounts import username_key
from piri.store.models import Account, AuditEntry, CareInvitation, CareLink, Person


def account_by_person_id(session: Session, person_id: int) -> Account | None:
    return session.scalar(select(Account).where(Account.person_id == person_id))


# Links


def open_link(session: Session, runner_id: int, clinician_id: int) -> CareLink | None:
    return session.scalar(
        select(CareLink).where(
            CareLink.runner_id == runner_id,
            CareLink.clinician_id == clinician_id,
            CareLink.withdrawn_at.is_(None),
        )
    )


def link_by_id(session: Session, link_id: int) -> CareLink | None:
    return session.get(CareLink, link_id)


def add_link(
    session: Session, runner_id: int, clinician_id: int, shares: Sequence[str], now: dt.datetime
) -> CareLink:
    row = CareLink(
        runner_id=runner_id, clinician_id=clinician_id, shares=list(shares), created_at=now
    )
    session.add(row)
    session.flush()
    return row


def links_of_runner(session: Session, runner_id: int) -> list[tuple[CareLink, str]]:
    """The runner's links, open ones first and newest first, with each clinician's username."""
    rows = session.execute(
        select(CareLink, Account.username)
        .join(Account, Account.person_id == CareLink.clinician_id)
        .where(CareLink.runner_id == runner_id)
        .order_by(CareLink.withdrawn_at.is_not(None), CareLink.created_at.desc(), CareLink.id)
    )
    return [(link, username) for link, username in rows]


@dataclass(frozen=True)
class FollowedRunner:
    """One open link of a clinician, as plain values (the caseload reads fifty at a time)."""

    link_id: int
    runner_id: int
    shares: list[str]
    since: dt.datetime
    username: str
    person_name: str
    data_version: str


@dataclass(frozen=True)
class Caseload:
    """A clinician's open links, read with the clinician's own id and username."""

    clinician_id: int
    clinician_username: str
    runners: list[FollowedRunner]


def _followed_links() -> Select[int, int, list[str], dt.datetime, str, str, str, int, str, str]:
    """The clinician's open links with what the caseload needs of each runner, unordered, the
    last column the runner's username key to order by."""
    runner_person, clinician_person = aliased(Person), aliased(Person)
    clinician_account = aliased(Account)
    return (
        select(
            CareLink.id.label("link_id"),
            CareLink.runner_id.label("runner_id"),
            CareLink.shares.label("shares"),
            CareLink.created_at.label("since"),
            Account.username.label("username"),
            runner_person.name.label("person_name"),
            runner_person.data_version.label("data_version"),
            clinician_account.person_id.label("clinician_id"),
            clinician_account.username.label("clinician_username"),
            Account.username_key.label("username_key"),
        )
        .join(Account, Account.person_id == CareLink.runner_id)
        .join(runner_person, runner_person.id == CareLink.runner_id)
        .join(clinician_account, clinician_account.person_id == CareLink.clinician_id)
        .join(clinician_person, clinician_person.id == CareLink.clinician_id)
        .where(
            clinician_person.name == bindparam("clinician", type_=String),
            clinician_account.is_clinician.is_(True),
            CareLink.withdrawn_at.is_(None),
        )
    )


def _audited_caseload() -> Select[int, int, list[str], dt.datetime, str, str, str, int, str]:
    """PostgreSQL: the links and one audit entry per runner in one statement (the INSERT is a
    data-modifying WITH clause over the same links), so the entries are written by the very
    statement that reads what they record."""
    links = _followed_links().cte("links")
    written = (
        insert(AuditEntry)
        .from_select(
            _AUDIT_COLUMNS,
            select(
                links.c.runner_id,
                links.c.clinician_id,
                links.c.clinician_username,
                *_AUDIT_VALUES,
            ),
        )
        .cte("written")
    )
    return (
        select(*[links.c[name] for name in _LINK_COLUMNS])
        .add_cte(written)
        .order_by(links.c.username_key)
    )


# FollowedRunner's fields, then the clinician's id and username.
_LINK_COLUMNS = [
    "link_id",
    "runner_id",
    "shares",
    "since",
    "username",
    "person_name",
    "data_version",
    "clinician_id",
    "clinician_username",
]
# The audit entry's own values, bound on every request.
_AUDIT_COLUMNS = ["runner_id", "actor_id", "actor_name", "at", "action", "what", "detail"]
_AUDIT_VALUES = [
    bindparam("at", type_=DateTime(timezone=True)),
    bindparam("action", type_=String),
    bindparam("what", type_=String),
    bindparam("detail", type_=Text),
]

# Built once: composing the four-way join costs more than running it (1.5 ms of the 2.4 ms
# the caseload's links took on the 2-core machine). Every request binds its clinician.
_FOLLOWED = _followed_links().subquery("followed")
_CASELOAD = select(*[_FOLLOWED.c[name] for name in _LINK_COLUMNS]).order_by(
    _FOLLOWED.c.username_key
)
_AUDITED_CASELOAD = _audited_caseload()


def caseload_of(session: Session, clinician_name: str) -> Caseload | None:
    """The open links of the clinician called ``clinician_name``, by the runners' usernames,
    with each runner's person name and data version, in one query; None when
    the query finds none (no such clinician, the role off, or no runner: the caller asks)."""
    return _caseload(session.execute(_CASELOAD, {"clinician": clinician_name}).all())


def audited_caseload_of(
    session: Session, clinician_name: str, what: str, detail: str, now: dt.datetime
) -> Caseload | None:
    """``caseload_of``, and a "read" entry for each runner in their audit log, with ``what``
    and ``detail``, at ``now``. One statement on PostgreSQL, two on SQLite (which has no
    INSERT inside WITH)."""
    if session.get_bind().dialect.name != "postgresql":
        found = caseload_of(session, clinician_name)
        if found is not None:
            runner_ids = [link.runner_id for link in found.runners]
            add_audit_entries(
                session,
                runner_ids,
                found.clinician_id,
                found.clinician_username,
                "read",
                what,
                detail,
                now,
            )
        return found
    values = {"clinician": clinician_name, "at": now, "action": "read"}
    rows = session.execute(_AUDITED_CASELOAD, {**values, "what": what, "detail": detail}).all()
    return _caseload(rows)


def _caseload(rows: Sequence[Sequence[Any]]) -> Caseload | None:
    if not rows:
        return None
    return Caseload(
        clinician_id=rows[0][7],
        clinician_username=rows[0][8],
        runners=[FollowedRunner(*row[:7]) for row in rows],
    )


def open_link_by_username(
    session: Session, clinician_id: int, runner_username: str
) -> tuple[CareLink, str] | None:
    """The clinician's open link to the runner with this username, and the runner's person
    name; None when there is no such runner or no open link (the caller cannot tell which)."""
    runner = aliased(Person)
    found = session.execute(
        select(CareLink, runner.name)
        .join(Account, Account.person_id == CareLink.runner_id)
        .join(runner, runner.id == CareLink.runner_id)
        .where(
            Account.username_key == username_key(runner_username),
            CareLink.clinician_id == clinician_id,
            CareLink.withdrawn_at.is_(None),
        )
    ).first()
    return (found[0], found[1]) if found else None


# Invitations


def add_invitation(
    session: Session,
    code_hash: str,
    made_by_id: int,
    made_as: str,
    shares: Sequence[str],
    now: dt.datetime,
    expires_at: dt.datetime,
) -> CareInvitation:
    row = CareInvitation(
        code_hash=code_hash,
        made_by_id=made_by_id,
        made_as=made_as,
        shares=list(shares),
        created_at=now,
        expires_at=expires_at,
    )
    session.add(row)
    session.flush()
    return row


def invitation_by_hash(session: Session, code_hash: str) -> CareInvitation | None:
    return session.scalar(
        select(CareInvitation).where(CareInvitation.code_hash == code_hash).with_for_update()
    )


def open_invitations(session: Session, made_by_id: int, now: dt.datetime) -> list[CareInvitation]:
    return list(
        session.scalars(
            select(CareInvitation)
            .where(
                CareInvitation.made_by_id == made_by_id,
                CareInvitation.used_at.is_(None),
                CareInvitation.expires_at > now,
            )
            .order_by(CareInvitation.created_at.desc())
        )
    )


# The audit log


# One entry per runner, as INSERT ... SELECT over the runners' ids, built once (see
# add_audit_entries); the ids arrive as one expanding list.
_AUDIT_ROWS = insert(AuditEntry).from_select(
    _AUDIT_COLUMNS,
    select(
        Person.id,
        bindparam("actor_id", type_=Integer),
        bindparam("actor_name", type_=String),
        *_AUDIT_VALUES,
    ).where(Person.id.in_(bindparam("runner_ids", expanding=True))),
)


def add_audit_entries(
    session: Session,
    runner_ids: Sequence[int],
    actor_id: int,
    actor_name: str,
    action: str,
    what: str,
    detail: str,
    now: dt.datetime,
) -> None:
    """One entry per runner, in one statement (the caseload writes fifty at once). Fifty rows
    of bound values cost 12 ms to compile and send on PostgreSQL; this statement is built and
    compiled once and takes the ids as one list."""
    if not runner_ids:
        return
    values = {
        "runner_ids": list(runner_ids),
        "actor_id": actor_id,
        "actor_name": actor_name,
        "at": now,
        "action": action,
        "what": what,
        "detail": detail,
    }
    session.connection().execute(_AUDIT_ROWS, values)


def audit_entries(session: Session, runner_id: int, limit: int) -> list[AuditEntry]:
    return list(
        session.scalars(
            select(AuditEntry)
            .where(AuditEntry.runner_id == runner_id)
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            .limit(limit)
        )
    )
