"""Pages: ``/care``, the care team: who may see the runner's record, what, and what they did.

A runner makes an invitation code for a clinician (choosing what to share) or enters one a
clinician gave them, sees who has access, narrows it or withdraws it (after a confirm step),
and reads the audit log. With the clinician role on (account page), the same page makes codes
for runners, takes a runner's code and links to the caseload at ``/clinic``.

Thin: every change goes to :mod:`piri.services.care`. A refused form comes back on this page
with the message next to its field and what was typed kept; a new code is shown once.
Single-person mode has no accounts, so the page explains how to start a shared server.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response

from piri.domain.care import ALL_SHARES, SHARE_LABELS, Share
from piri.services import care as care_service
from piri.services.care import (
    AUDIT_SHOWN,
    CareError,
    InvitationInfo,
    LinkInfo,
    NotAClinicianError,
)
from piri.web.identity import config_of, page_person
from piri.web.templating import render

router = APIRouter()

# One line for each share, under its tick box: what the clinician would see.
SHARE_HELP: dict[Share, str] = {
    Share.DIARY: "Your daily pain scores and notes, and your LEFS and PSFS questionnaires.",
    Share.SESSIONS: "The exercise sessions you did, your program and each exercise's dose.",
    Share.RUNS: "Runs imported from your watch, your training load and back-to-running plan.",
    Share.CHECKS: "Your symptom-check results, warning signs included.",
}
AUDIT_PAGE = 50  # audit entries a page shows, newest first
DONE = {
    "accepted": "Done: the care team is updated.",
    "changed": "Done: from their next page, they see only what is ticked.",
    "withdrawn": "Access withdrawn: they are refused from their very next page.",
}


@dataclass(frozen=True)
class ShareChoice:
    value: str
    label: str
    help: str


SHARE_CHOICES = [ShareChoice(s.value, SHARE_LABELS[s], SHARE_HELP[s]) for s in Share]
EVERYTHING = [share.value for share in ALL_SHARES]


async def _form(request: Request) -> tuple[dict[str, str], list[str]]:
    """The form's single fields, and the ticked shares."""
    form = await request.form()
    fields = {key: value for key, value in form.items() if isinstance(value, str)}
    shares = [value for value in form.getlist("shares") if isinstance(value, str)]
    return fields, shares


def _single_person(request: Request, status_code: int = 200) -> Response:
    return render(request, "care/single.html", status_code, title="Care team")


def _care_page(
    request: Request,
    person: str,
    status_code: int = 200,
    errors: dict[str, str] | None = None,
    typed: dict[str, Any] | None = None,
    new_code: InvitationInfo | None = None,
    audit_page: int = 1,
) -> Response:
    team = care_service.care_team(person)
    clinician = care_service.is_clinician(person)
    audit = care_service.audit_log(person, min(AUDIT_SHOWN, audit_page * AUDIT_PAGE + 1))
    start = (audit_page - 1) * AUDIT_PAGE
    chosen = {"invite": EVERYTHING, "accept": EVERYTHING} | (typed or {})
    return render(
        request,
        "care/care.html",
        status_code,
        title="Care team",
        clinician=clinician,
        open_links=[link for link in team if link.open],
        withdrawn_links=[link for link in team if not link.open],
        runners=care_service.my_runners(person) if clinician else [],
        invitations=care_service.open_invitations(person),
        audit=audit[start : start + AUDIT_PAGE],
        audit_page=audit_page,
        audit_more=len(audit) > start + AUDIT_PAGE,
        share_choices=SHARE_CHOICES,
        share_label={share.value: label for share, label in SHARE_LABELS.items()},
        chosen=chosen,
        errors=errors or {},
        new_code=new_code,
        done=DONE.get(request.query_params.get("done", "")),
    )


@router.get("/care")
def care_page(
    request: Request,
    audit: int = Query(1, ge=1, description="Which page of the audit log."),
    person: str = Depends(page_person),
) -> Response:
    if not config_of(request).multi_user:
        return _single_person(request)
    return _care_page(request, person, audit_page=audit)


@router.post("/care/invitations")
async def make_invitation(request: Request, person: str = Depends(page_person)) -> Response:
    """A code for a clinician (``made_as=runner``, sharing the ticked shares) or, with the
    clinician role, for a runner (``made_as=clinician``)."""
    if not config_of(request).multi_user:
        return _single_person(request, 404)
    fields, shares = await _form(request)
    as_clinician = fields.get("made_as") == "clinician"
    form = "runner_invite" if as_clinician else "invite"
    try:
        if as_clinician:
            made = care_service.invite_runner(person)
        else:
            made = care_service.invite_clinician(person, shares)
    except CareError as problem:
        errors = {f"{form}_{problem.field or 'form'}": problem.message}
        return _care_page(request, person, 422, errors, {"invite": shares})
    return _care_page(request, person, 201, new_code=made)


@router.post("/care/accept")
async def accept_code(request: Request, person: str = Depends(page_person)) -> Response:
    """Enter a code: as a runner (``as=runner``, choosing what to share) or as a clinician."""
    if not config_of(request).multi_user:
        return _single_person(request, 404)
    fields, shares = await _form(request)
    as_clinician = fields.get("as") == "clinician"
    form = "runner_code" if as_clinician else "accept"
    code = fields.get("code", "")
    typed: dict[str, Any] = {f"{form}_code": code, "accept": shares}
    try:
        care_service.accept_invitation(person, code, None if as_clinician else shares)
    except CareError as problem:
        field = problem.field or "code"
        return _care_page(request, person, 422, {f"{form}_{field}": problem.message}, typed)
    except NotAClinicianError:
        message = (
            "That code was made by a runner for a clinician. To look after them, turn on "
            "'I look after runners' on your account page first."
        )
        return _care_page(request, person, 403, {f"{form}_code": message}, typed)
    return RedirectResponse("/care?done=accepted", status_code=303)


@router.post("/care/team/{link_id}/shares")
async def change_shares(
    request: Request, link_id: int, person: str = Depends(page_person)
) -> Response:
    if not config_of(request).multi_user:
        return _single_person(request, 404)
    _fields, shares = await _form(request)
    try:
        care_service.change_shares(person, link_id, shares)
    except CareError as problem:
        errors = {f"link{link_id}_{problem.field or 'shares'}": problem.message}
        return _care_page(request, person, 422, errors)
    return RedirectResponse("/care?done=changed", status_code=303)


def _own_open_link(person: str, link_id: int) -> LinkInfo:
    for link in care_service.care_team(person):
        if link.id == link_id and link.open:
            return link
    raise CareError("link", f"You have no open care-team access number {link_id}.")


@router.get("/care/team/{link_id}/withdraw")
def confirm_withdraw(
    request: Request, link_id: int, person: str = Depends(page_person)
) -> Response:
    """The confirm step: who loses access, and what they keep seeing until then (nothing)."""
    if not config_of(request).multi_user:
        return _single_person(request, 404)
    link = _own_open_link(person, link_id)
    return render(request, "care/withdraw.html", title="Withdraw access", link=link)


@router.post("/care/team/{link_id}/withdraw")
def withdraw(request: Request, link_id: int, person: str = Depends(page_person)) -> Response:
    if not config_of(request).multi_user:
        return _single_person(request, 404)
    care_service.withdraw(person, link_id)
    return RedirectResponse("/care?done=withdrawn", status_code=303)
