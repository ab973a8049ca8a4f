"""The care team's rules: what a runner can share with a clinician, and invitation codes.

A runner decides, per clinician, which parts of the record that clinician may see. Each part
is named by one share; a page or API call a clinician makes names the share it needs, and is
refused without it. Pure: no storage, no clock.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from enum import StrEnum


class Share(StrEnum):
    """A part of a runner's record a clinician may be allowed to see."""

    DIARY = "diary"  # the pain diary and the outcome questionnaires (LEFS, PSFS)
    SESSIONS = "sessions"  # exercise sessions, the program and its doses
    RUNS = "runs"  # imported activities, training load, the return-to-run plan
    CHECKS = "checks"  # symptom-check results, red flags included


SHARE_LABELS: dict[Share, str] = {
    Share.DIARY: "Pain diary and questionnaires",
    Share.SESSIONS: "Exercise sessions and program",
    Share.RUNS: "Runs and training load",
    Share.CHECKS: "Symptom-check results",
}

# What a new invitation offers when the runner does not choose: everything, so the clinician
# sees the whole picture; the runner can narrow it at any time.
ALL_SHARES: tuple[Share, ...] = tuple(Share)


class ShareError(ValueError):
    """A share name that does not exist; the message lists the ones that do."""


def parse_shares(names: list[str] | tuple[str, ...]) -> tuple[Share, ...]:
    """The shares named, in their fixed order, without repeats; an unknown name is refused."""
    found: set[Share] = set()
    for name in names:
        try:
            found.add(Share(name.strip().lower()))
        except ValueError:
            known = ", ".join(share.value for share in Share)
            raise ShareError(f"'{name}' is not something a runner can share: use {known}") from None
    if not found:
        raise ShareError("choose at least one thing to share (or withdraw access instead)")
    return tuple(share for share in Share if share in found)


# Invitation codes are read aloud or typed on a phone: no 0/O, 1/I/L, and grouped by four.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10  # 31**10 is about 8e14: not guessable within a week at any request rate
INVITATION_DAYS = 7


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


class CodeError(ValueError):
    """Text that cannot be an invitation code; the message says why."""


def normal_code(text: str) -> str:
    """The code as :func:`new_code` wrote it, from what a person typed (any case, spaces or
    dashes anywhere); a text that cannot be a code is refused with the reason."""
    letters = re.sub(r"[\s-]", "", text).upper()
    if not letters:
        raise CodeError("enter the invitation code you were given")
    wrong = sorted({c for c in letters if c not in CODE_ALPHABET})
    if wrong:
        raise CodeError(f"an invitation code has no {' or '.join(repr(c) for c in wrong)}")
    if len(letters) != CODE_LENGTH:
        raise CodeError(
            f"an invitation code has {CODE_LENGTH} letters and digits, not {len(letters)}"
        )
    return f"{letters[:4]}-{letters[4:8]}-{letters[8:]}"


@dataclass(frozen=True)
class Access:
    """What one clinician may see of one runner."""

    shares: tuple[Share, ...]

    def allows(self, share: Share | None) -> bool:
        """``share`` None: the runner's name, phase and the clinician's own notes and plans,
        which any open link shows."""
        return share is None or share in self.shares
