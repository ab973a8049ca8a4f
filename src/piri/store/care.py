"""Reading and writing the care team: consent links, invitation codes and the audit log.

People are looked up by account (a clinician names a runner by username). Codes arrive
already hashed. Times are stored in UTC; reads go through :func:`piri.store.accounts.utc`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

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


def _caseload_statement() -> Select[int, int, list[str], dt.datetime, str, str, str, int, str]:
    runner_person, clinician_person = aliased(Person), aliased(Person)
    clinician_account = aliased(Account)
    return (
        select(
            CareLink.id,
            CareLink.runner_id,
            CareLink.shares,
            CareLink.created_at,
            Account.username,
            runner_person.name,
            runner_person.data_version,
            clinician_account.person_id,
            clinician_account.username,
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
        .order_by(Account.username_key)
    )


# Built once: composing the four-way join costs more than running it (1.5 ms of the 2.4 ms
# the caseload's links took on the 2-core machine). Every request binds its clinician.
_CASELOAD = _caseload_statement()


def caseload_of(session: Session, clinician_name: str) -> Caseload | None:
    """The open links of the clinician called ``clinician_name``, by the runners' usernames,
    with each runner's person name and data version, in one query; None when
    the query finds none (no such clinician, the role off, or no runner: the caller asks)."""
    rows = session.execute(_CASELOAD, {"clinician": clinician_name}).all()
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
_AUDIT_COLUMNS = ["runner_id", "actor_id", "actor_name", "at", "action", "what", "detail"]
_AUDIT_ROWS = insert(AuditEntry).from_select(
    _AUDIT_COLUMNS,
    select(
        Person.id,
        bindparam("actor_id", type_=Integer),
        bindparam("actor_name", type_=String),
        bindparam("at", type_=DateTime(timezone=True)),
        bindparam("action", type_=String),
        bindparam("what", type_=String),
        bindparam("detail", type_=Text),
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
