"""The care team: a runner's consent for clinicians, and every use of it on the record.

Multi-user mode only. A person becomes a clinician on their account page (they stay a runner
too). A link between a runner and a clinician is made by a one-use invitation code: the
runner makes one for a clinician (choosing what to share), or a clinician makes one for a
runner (who chooses what to share when entering it). The runner sees who has access, narrows
what is shared or withdraws it at any moment.

Every clinician request goes through :func:`open_record` (one runner) or :func:`open_caseload`
(all of theirs): each reads the link from the database there and then, so a withdrawal takes
effect on the very next request, and each writes the read or change to the runner's audit log
in the same transaction. Nothing about links or access is cached.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy.orm import Session

from piri.domain.care import (
    ALL_SHARES,
    INVITATION_DAYS,
    SHARE_LABELS,
    Access,
    CodeError,
    Share,
    ShareError,
    new_code,
    normal_code,
    parse_shares,
)
from piri.services.diary import store
from piri.store import care as care_store
from piri.store.accounts import account_of_person, utc
from piri.store.database import autocommitting, transaction
from piri.store.models import Account, CareLink

AUDIT_SHOWN = 500  # entries the runner's audit page lists, newest first


class CareError(ValueError):
    """A care-team request that cannot be done; ``field`` names the input at fault."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class NeedsAccountsError(CareError):
    """The care team on a computer without accounts (single-person mode)."""

    def __init__(self) -> None:
        super().__init__(
            None,
            "The care team needs accounts: it works on a shared server "
            "(piri serve --multi-user), not in single-person mode.",
        )


class NoAccessError(LookupError):
    """The clinician may not see this (no such runner, no open link, or not that share).

    One message for all three, so nobody learns who is a runner on the server by guessing
    usernames; the web answers 404."""

    def __init__(self) -> None:
        super().__init__("No runner of yours by that name shares this with you.")


class NotAClinicianError(PermissionError):
    """Clinician pages need the account's clinician role (account page)."""

    def __init__(self) -> None:
        super().__init__(
            "Only clinicians can do this: turn on 'I look after runners' on your account page."
        )


@dataclass(frozen=True)
class LinkInfo:
    id: int
    runner: str  # username
    clinician: str  # username
    shares: tuple[Share, ...]
    since: dt.datetime
    withdrawn_at: dt.datetime | None

    @property
    def open(self) -> bool:
        return self.withdrawn_at is None

    @property
    def share_labels(self) -> list[str]:
        return [SHARE_LABELS[share] for share in self.shares]


@dataclass(frozen=True)
class InvitationInfo:
    code: str | None  # only when just made: the database keeps its hash
    made_as: str  # "runner" or "clinician"
    shares: tuple[Share, ...]
    expires_at: dt.datetime


@dataclass(frozen=True)
class AuditInfo:
    at: dt.datetime
    actor: str
    action: str  # "read" or "change"
    what: str
    detail: str


@dataclass(frozen=True)
class OpenRecord:
    """A clinician's way into one runner's record for this one request."""

    runner: str  # the person name the services know the runner by
    username: str
    link_id: int
    access: Access


@dataclass(frozen=True)
class CaseloadMember:
    runner: str  # person name
    runner_id: int  # its database id, for queries over the whole caseload at once
    username: str
    link_id: int
    access: Access
    since: dt.datetime
    data_version: str  # read with the link, so the caseload need not read it again


@lru_cache(maxsize=64)
def _access(shares: tuple[str, ...]) -> Access:
    """What a stored share list allows (there are only sixteen lists; each parsed once)."""
    return Access(parse_shares(shares))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _account(session: Session, person: str) -> Account:
    found = account_of_person(session, person)
    if found is None:
        raise NeedsAccountsError
    return found


def _clinician(session: Session, person: str) -> Account:
    found = _account(session, person)
    if not found.is_clinician:
        raise NotAClinicianError
    return found


def _link_info(link: CareLink, runner: str, clinician: str) -> LinkInfo:
    return LinkInfo(
        id=link.id,
        runner=runner,
        clinician=clinician,
        shares=parse_shares(link.shares),
        since=utc(link.created_at),
        withdrawn_at=utc(link.withdrawn_at) if link.withdrawn_at else None,
    )


def _shares(names: Sequence[str] | None) -> tuple[Share, ...]:
    if names is None:
        return ALL_SHARES
    try:
        return parse_shares(list(names))
    except ShareError as problem:
        raise CareError("shares", str(problem).capitalize() + ".") from None


# --- roles -------------------------------------------------------------------------------------


def is_clinician(person: str) -> bool:
    with transaction(store()) as session:
        found = account_of_person(session, person)
        return bool(found and found.is_clinician)


def set_clinician(person: str, on: bool) -> None:
    """Turn the clinician role on or off. Off ends nothing: the clinician's runners stay
    linked (and may withdraw), but clinician pages refuse until it is on again."""
    with transaction(store()) as session:
        _account(session, person).is_clinician = on


# --- invitations -------------------------------------------------------------------------------


def invite_clinician(runner: str, shares: Sequence[str] | None = None) -> InvitationInfo:
    """A code for the runner to give a clinician, sharing ``shares`` (all when None)."""
    chosen = _shares(shares)
    return _invite(runner, "runner", chosen)


def invite_runner(clinician: str) -> InvitationInfo:
    """A code for the clinician to give a runner, who chooses what to share on entering it."""
    with transaction(store()) as session:
        _clinician(session, clinician)
    return _invite(clinician, "clinician", ())


def _invite(person: str, made_as: str, shares: tuple[Share, ...]) -> InvitationInfo:
    code = new_code()
    now = _now()
    expires = now + dt.timedelta(days=INVITATION_DAYS)
    with transaction(store()) as session:
        account = _account(session, person)
        care_store.add_invitation(
            session,
            _hash(code),
            account.person_id,
            made_as,
            [s.value for s in shares],
            now,
            expires,
        )
    return InvitationInfo(code, made_as, shares, expires)


def open_invitations(person: str) -> list[InvitationInfo]:
    """Codes the person made that are neither used nor expired (without the codes)."""
    now = _now()
    with transaction(store()) as session:
        account = _account(session, person)
        return [
            InvitationInfo(
                None,
                row.made_as,
                parse_shares(row.shares) if row.shares else (),
                utc(row.expires_at),
            )
            for row in care_store.open_invitations(session, account.person_id, now)
        ]


def accept_invitation(person: str, code: str, shares: Sequence[str] | None = None) -> LinkInfo:
    """Enter a code someone else made. A runner's code makes ``person`` (a clinician) their
    clinician; a clinician's code makes ``person`` their runner, sharing ``shares`` (all when
    None). A link already open between the two is updated rather than doubled."""
    try:
        typed = normal_code(code)
    except CodeError as problem:
        raise CareError("code", str(problem).capitalize() + ".") from None
    now = _now()
    with transaction(store()) as session:
        me = _account(session, person)
        invitation = care_store.invitation_by_hash(session, _hash(typed))
        if invitation is None:
            raise CareError(
                "code", "That invitation code is not known here. Check it and try again."
            )
        if invitation.used_at is not None:
            raise CareError("code", "That invitation code has been used. Ask for a new one.")
        if utc(invitation.expires_at) <= now:
            raise CareError("code", "That invitation code has expired. Ask for a new one.")
        if invitation.made_by_id == me.person_id:
            raise CareError(
                "code", "That is your own invitation code: give it to the other person."
            )
        other = care_store.account_by_person_id(session, invitation.made_by_id)
        if other is None:  # the account that made it was deleted; its codes go with it
            raise CareError(
                "code", "That invitation code is not known here. Check it and try again."
            )
        if invitation.made_as == "runner":
            if not me.is_clinician:
                raise NotAClinicianError
            runner, clinician, chosen = other, me, parse_shares(invitation.shares)
        else:
            runner, clinician, chosen = me, other, _shares(shares)
        invitation.used_at = now
        link = care_store.open_link(session, runner.person_id, clinician.person_id)
        if link is None:
            link = care_store.add_link(
                session, runner.person_id, clinician.person_id, [s.value for s in chosen], now
            )
        else:
            link.shares = [s.value for s in chosen]
        return _link_info(link, runner.username, clinician.username)


# --- the runner's side ---------------------------------------------------------------------------


def care_team(runner: str) -> list[LinkInfo]:
    """Everyone who has or had access to the runner's record, open links first."""
    with transaction(store()) as session:
        me = _account(session, runner)
        return [
            _link_info(link, me.username, clinician)
            for link, clinician in care_store.links_of_runner(session, me.person_id)
        ]


def _own_open_link(session: Session, runner: str, link_id: int) -> tuple[CareLink, Account]:
    me = _account(session, runner)
    link = care_store.link_by_id(session, link_id)
    if link is None or link.runner_id != me.person_id:
        raise CareError("link", f"You have no care-team member number {link_id}.")
    if link.withdrawn_at is not None:
        raise CareError("link", "That access was already withdrawn.")
    return link, me


def change_shares(runner: str, link_id: int, shares: Sequence[str]) -> LinkInfo:
    """What one clinician may see from now on (their next request)."""
    chosen = _shares(shares)
    with transaction(store()) as session:
        link, me = _own_open_link(session, runner, link_id)
        link.shares = [s.value for s in chosen]
        clinician = care_store.account_by_person_id(session, link.clinician_id)
        return _link_info(link, me.username, clinician.username if clinician else "?")


def withdraw(runner: str, link_id: int) -> LinkInfo:
    """End one clinician's access; refused from their very next request."""
    with transaction(store()) as session:
        link, me = _own_open_link(session, runner, link_id)
        link.withdrawn_at = _now()
        clinician = care_store.account_by_person_id(session, link.clinician_id)
        return _link_info(link, me.username, clinician.username if clinician else "?")


def audit_log(runner: str, limit: int = AUDIT_SHOWN) -> list[AuditInfo]:
    """What clinicians read and changed in the runner's record, newest first."""
    with transaction(store()) as session:
        me = _account(session, runner)
        return [
            AuditInfo(utc(row.at), row.actor_name, row.action, row.what, row.detail)
            for row in care_store.audit_entries(session, me.person_id, limit)
        ]


# --- the clinician's side ------------------------------------------------------------------------


def my_runners(clinician: str) -> list[LinkInfo]:
    """The clinician's runners with an open link, by username (no audit entry: names only)."""
    with autocommitting(store()) as session:
        found = care_store.caseload_of(session, clinician)
        if found is None:  # nobody linked, or not a clinician: say which
            _clinician(session, clinician)
            return []
        return [
            LinkInfo(
                id=link.link_id,
                runner=link.username,
                clinician=found.clinician_username,
                shares=_access(tuple(link.shares)).shares,
                since=utc(link.since),
                withdrawn_at=None,
            )
            for link in found.runners
        ]


def leave(clinician: str, runner_username: str) -> None:
    """The clinician stops following a runner (their link ends as if withdrawn)."""
    with transaction(store()) as session:
        me = _clinician(session, clinician)
        found = care_store.open_link_by_username(session, me.person_id, runner_username)
        if found is None:
            raise NoAccessError
        found[0].withdrawn_at = _now()
        care_store.add_audit_entries(
            session,
            [found[0].runner_id],
            me.person_id,
            me.username,
            "change",
            "care team",
            "stopped following you",
            _now(),
        )


def open_record(
    clinician: str,
    runner_username: str,
    share: Share | None,
    action: str,
    what: str,
    detail: str = "",
) -> OpenRecord:
    """Check, for this request, that ``clinician`` may ``action`` ("read" or "change")
    ``what`` in the runner's record under ``share``, and write it to the runner's audit log.

    Raises :class:`NotAClinicianError` without the role and :class:`NoAccessError` without an
    open link that shares ``share``."""
    if action not in ("read", "change"):
        raise ValueError(f"action must be 'read' or 'change', not {action!r}")
    with transaction(store()) as session:
        me = _clinician(session, clinician)
        found = care_store.open_link_by_username(session, me.person_id, runner_username)
        if found is None:
            raise NoAccessError
        link, runner = found
        access = Access(parse_shares(link.shares))
        if not access.allows(share):
            raise NoAccessError
        care_store.add_audit_entries(
            session, [link.runner_id], me.person_id, me.username, action, what, detail, _now()
        )
        account = care_store.account_by_person_id(session, link.runner_id)
        username = account.username if account else runner_username
        return OpenRecord(runner, username, link.id, access)


def open_caseload(clinician: str, what: str = "caseload") -> list[CaseloadMember]:
    """Every runner with an open link to ``clinician``, read now, and one audit entry each.

    Asked on every caseload request, where the round trips of a transaction cost as much as
    the statements: on PostgreSQL one statement reads the links and writes the entries, on
    SQLite two, each committing on its own (the links, then the entries in one INSERT). The
    entries are written before anything of the runners is shown; on SQLite a withdrawal that
    lands between the two is refused from the next request on."""
    now = _now()
    engine = store()
    with autocommitting(engine) as session:
        found = care_store.audited_caseload_of(
            session, clinician, what, "the caseload summary of what you share", now
        )
        if found is None:  # nobody linked, or not a clinician: say which
            _clinician(session, clinician)
            return []
        return [
            CaseloadMember(
                runner=link.person_name,
                runner_id=link.runner_id,
                username=link.username,
                link_id=link.link_id,
                access=_access(tuple(link.shares)),
                since=utc(link.since),
                data_version=link.data_version,
            )
            for link in found.runners
        ]
