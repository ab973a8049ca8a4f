"""The care team as JSON: the clinician role, invitation codes, the runner's consent and the
audit log of what clinicians read and changed.

Thin: every call goes to :mod:`piri.services.care`, whose errors the app maps for all of
``/api`` (``piri.web.errors``): ``CareError`` is 422 ``invalid_care_request`` naming its
``field``, ``NotAClinicianError`` 403 ``not_a_clinician``. Multi-user mode only: in
single-person mode there are no accounts, and every call answers 404 ``no_accounts``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from piri.domain.care import SHARE_LABELS, Share
from piri.services import care as care_service
from piri.services.care import AUDIT_SHOWN, AuditInfo, CareError, InvitationInfo, LinkInfo
from piri.web.api.ids import LinkId
from piri.web.identity import api_person

router = APIRouter(tags=["care team"])

Answers = dict[int | str, dict[str, Any]]
NO_ACCOUNTS: Answers = {
    404: {"description": "`no_accounts`: single-person mode has no accounts, so no care team."}
}
REFUSED: Answers = {422: {"description": "`invalid_care_request`: `field` names what is wrong."}}
CLINICIANS: Answers = {
    403: {"description": "`not_a_clinician`: needs the clinician role (PUT /care/role)."}
}

SHARES_HELP = "What to share: any of " + ", ".join(
    f"'{share.value}' ({SHARE_LABELS[share].lower()})" for share in Share
)


class RoleIn(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")

    clinician: bool = Field(
        description="True: this account also looks after runners (physiotherapist or coach)."
    )


class RoleOut(BaseModel):
    clinician: bool


class InvitationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    made_as: Literal["runner", "clinician"] = Field(
        description="'runner': a code to give a clinician, sharing `shares`; 'clinician': a "
        "code to give a runner, who chooses what to share on entering it."
    )
    shares: list[str] | None = Field(
        None, description=SHARES_HELP + ". Runner's codes only; everything when left out."
    )


class AcceptIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(description="The invitation code, as given (case and dashes do not matter).")
    shares: list[str] | None = Field(
        None,
        description=SHARES_HELP + ". For a clinician's code only (you are the runner); "
        "everything when left out.",
    )


class SharesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    shares: list[str] = Field(description=SHARES_HELP + ". At least one.")


class InvitationOut(BaseModel):
    code: str | None = Field(description="Shown only when just made: Piri keeps only its hash.")
    made_as: str
    shares: list[str]
    expires_at: dt.datetime


class LinkOut(BaseModel):
    id: int
    runner: str = Field(description="The runner's username.")
    clinician: str = Field(description="The clinician's username.")
    shares: list[str]
    share_labels: list[str]
    since: dt.datetime
    withdrawn_at: dt.datetime | None
    open: bool


class TeamOut(BaseModel):
    clinician: bool = Field(description="Whether this account has the clinician role.")
    team: list[LinkOut] = Field(
        description="Clinicians who have or had access to your record, open links first."
    )
    runners: list[LinkOut] = Field(
        description="As a clinician: the runners who share with you now (empty otherwise)."
    )
    invitations: list[InvitationOut] = Field(
        description="Your codes not used and not expired yet (without the codes)."
    )


class AuditEntryOut(BaseModel):
    at: dt.datetime
    actor: str = Field(description="The clinician's username.")
    action: str = Field(description="'read' or 'change'.")
    what: str
    detail: str


class AuditOut(BaseModel):
    entries: list[AuditEntryOut] = Field(description="Newest first.")


def link_out(link: LinkInfo) -> LinkOut:
    return LinkOut(
        id=link.id,
        runner=link.runner,
        clinician=link.clinician,
        shares=[share.value for share in link.shares],
        share_labels=link.share_labels,
        since=link.since,
        withdrawn_at=link.withdrawn_at,
        open=link.open,
    )


def invitation_out(invitation: InvitationInfo) -> InvitationOut:
    return InvitationOut(
        code=invitation.code,
        made_as=invitation.made_as,
        shares=[share.value for share in invitation.shares],
        expires_at=invitation.expires_at,
    )


def audit_out(entry: AuditInfo) -> AuditEntryOut:
    return AuditEntryOut(
        at=entry.at, actor=entry.actor, action=entry.action, what=entry.what, detail=entry.detail
    )


@router.get(
    "/care/role",
    response_model=RoleOut,
    summary="Whether you look after runners",
    responses=NO_ACCOUNTS,
)
def get_role(person: str = Depends(api_person)) -> RoleOut:
    care_service.care_team(person)  # refuses in single-person mode, as every care call does
    return RoleOut(clinician=care_service.is_clinician(person))


@router.put(
    "/care/role",
    response_model=RoleOut,
    summary="Turn the clinician role on or off",
    responses=NO_ACCOUNTS,
)
def put_role(body: RoleIn, person: str = Depends(api_person)) -> RoleOut:
    """Off ends nothing: your runners stay linked (and may withdraw), but clinician pages
    refuse until it is on again. You stay a runner either way."""
    care_service.set_clinician(person, body.clinician)
    return RoleOut(clinician=care_service.is_clinician(person))


@router.get(
    "/care/team",
    response_model=TeamOut,
    summary="Your care team and your runners",
    responses=NO_ACCOUNTS,
)
def get_team(person: str = Depends(api_person)) -> TeamOut:
    team = care_service.care_team(person)
    clinician = care_service.is_clinician(person)
    runners = care_service.my_runners(person) if clinician else []
    return TeamOut(
        clinician=clinician,
        team=[link_out(link) for link in team],
        runners=[link_out(link) for link in runners],
        invitations=[invitation_out(i) for i in care_service.open_invitations(person)],
    )


@router.post(
    "/care/invitations",
    status_code=201,
    response_model=InvitationOut,
    summary="Make a one-use invitation code (valid a week)",
    responses={**NO_ACCOUNTS, **CLINICIANS, **REFUSED},
)
def post_invitation(body: InvitationIn, person: str = Depends(api_person)) -> InvitationOut:
    """The code is in this answer only: Piri keeps its hash, so copy it now."""
    if body.made_as == "runner":
        made = care_service.invite_clinician(person, body.shares)
    elif body.shares is not None:
        raise CareError(
            "shares", "A code for a runner shares nothing yet: the runner chooses on entering it."
        )
    else:
        made = care_service.invite_runner(person)
    return invitation_out(made)


@router.post(
    "/care/accept",
    status_code=201,
    response_model=LinkOut,
    summary="Enter an invitation code someone gave you",
    responses={**NO_ACCOUNTS, **CLINICIANS, **REFUSED},
)
def post_accept(body: AcceptIn, person: str = Depends(api_person)) -> LinkOut:
    """A runner's code makes you their clinician (you need the clinician role); a clinician's
    code makes them yours, sharing ``shares``."""
    return link_out(care_service.accept_invitation(person, body.code, body.shares))


@router.patch(
    "/care/team/{link_id}",
    response_model=LinkOut,
    summary="Change what one clinician sees, from their next request",
    responses={**NO_ACCOUNTS, **REFUSED},
)
def patch_link(link_id: LinkId, body: SharesIn, person: str = Depends(api_person)) -> LinkOut:
    return link_out(care_service.change_shares(person, link_id, body.shares))


@router.delete(
    "/care/team/{link_id}",
    response_model=LinkOut,
    summary="Withdraw one clinician's access, from their next request",
    responses={**NO_ACCOUNTS, **REFUSED},
)
def delete_link(link_id: LinkId, person: str = Depends(api_person)) -> LinkOut:
    return link_out(care_service.withdraw(person, link_id))


@router.get(
    "/care/audit",
    response_model=AuditOut,
    summary="What clinicians read and changed",
    responses=NO_ACCOUNTS,
)
def get_audit(
    limit: int = Query(100, ge=1, le=AUDIT_SHOWN, description="How many entries, newest first."),
    person: str = Depends(api_person),
) -> AuditOut:
    return AuditOut(entries=[audit_out(e) for e in care_service.audit_log(person, limit)])
