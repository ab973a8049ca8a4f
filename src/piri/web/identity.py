"""Who is asking: the one local person, or a signed-in account on a shared server.

Every page and API route that touches a person's data takes ``Depends(page_person)`` or
``Depends(api_person)`` and passes the name it gets to the services. No route reads a
person from anywhere else, so per-person isolation has one place to be right.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from fastapi import Request

from piri.services.diary import LOCAL_PERSON
from piri.web.config import WebConfig

SESSION_COOKIE = "piri_session"


class SignInRequiredError(Exception):
    """A page needs a signed-in person; the handler sends the browser to the login page."""


class NotSignedInError(Exception):
    """An API call without a valid token or session; answered with 401 and a JSON error."""


@dataclass(frozen=True)
class Viewer:
    person: str | None  # the name the services know them by; None when nobody is signed in
    display_name: str | None
    via: Literal["local", "cookie", "token", "anonymous"]
    # Read with the sign-in on every request, so the navigation needs no query of its own.
    is_clinician: bool = False

    @property
    def signed_in(self) -> bool:
        return self.person is not None


LOCAL_VIEWER = Viewer(person=LOCAL_PERSON, display_name=None, via="local")
ANONYMOUS = Viewer(person=None, display_name=None, via="anonymous")


def config_of(request: Request) -> WebConfig:
    config: WebConfig = request.app.state.config
    return config


def viewer(request: Request) -> Viewer:
    """The person behind this request, worked out once per request."""
    known: Viewer | None = getattr(request.state, "viewer", None)
    if known is not None:
        return known
    config = config_of(request)
    found = LOCAL_VIEWER if not config.multi_user else _signed_in(request)
    request.state.viewer = found
    return found


def page_person(request: Request) -> str:
    person = viewer(request).person
    if person is None:
        raise SignInRequiredError
    return person


def api_person(request: Request) -> str:
    person = viewer(request).person
    if person is None:
        raise NotSignedInError
    return person


def _signed_in(request: Request) -> Viewer:
    from piri.web import accounts  # multi-user mode only

    authorization = request.headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        found = accounts.person_for_api_token(authorization[7:].strip())
        if found is None:
            return ANONYMOUS
        return Viewer(found.person, found.display_name, "token", found.is_clinician)
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        found = accounts.person_for_session(cookie, config_of(request))
        if found is None:
            return ANONYMOUS
        return Viewer(found.person, found.display_name, "cookie", found.is_clinician)
    return ANONYMOUS
