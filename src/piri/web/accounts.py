"""Multi-user mode: who a session cookie or an API token belongs to (issue 6, in progress)."""

from __future__ import annotations

from dataclasses import dataclass

from piri.web.config import WebConfig


@dataclass(frozen=True)
class SignedIn:
    person: str
    display_name: str


def person_for_session(cookie: str, config: WebConfig) -> SignedIn | None:
    """The account behind a session cookie; None when it is unknown, expired or forged."""
    return None


def person_for_api_token(token: str) -> SignedIn | None:
    """The account behind an API token; None when the token is unknown or revoked."""
    return None
