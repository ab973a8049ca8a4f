"""Notes from a clinician to a runner: written through an open link (whatever it shares),
shown on the runner's Today page, newest first, until the runner marks them read.

Plan announcements are notes too (:mod:`piri.services.care_plan` writes them); they are
listed there, not here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from piri.domain.values import text_problem
from piri.services.care import CareError, open_record
from piri.services.diary import store
from piri.store import care_plans as plan_store
from piri.store.accounts import account_of_person, utc
from piri.store.database import transaction

NOTE_MAX = 2000  # characters: a few paragraphs, as the session notes allow


class NoteNotFoundError(LookupError):
    """No note of that number addressed to this runner (someone else's is unknown too)."""


@dataclass(frozen=True)
class NoteView:
    id: int
    author: str
    written_at: dt.datetime
    text: str
    read_at: dt.datetime | None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def check_note(text: str) -> str:
    """The note as it will be stored; an empty, too long or unstorable one names ``text``."""
    cleaned = (text or "").strip()
    if not cleaned:
        raise CareError("text", "Write the note first: it is empty.")
    if len(cleaned) > NOTE_MAX:
        raise CareError(
            "text", f"A note is at most {NOTE_MAX} characters; this one has {len(cleaned)}."
        )
    problem = text_problem(cleaned)
    if problem is not None:
        raise CareError("text", f"The note {problem}.")
    return cleaned


def write_note(clinician: str, runner_username: str, text: str) -> NoteView:
    cleaned = check_note(text)
    record = open_record(clinician, runner_username, None, "change", "note", cleaned[:80])
    now = _now()
    with transaction(store()) as session:
        me = account_of_person(session, clinician)
        runner = account_of_person(session, record.runner)
        if me is None or runner is None:
            raise CareError(None, "That runner's account is gone.")
        row = plan_store.add_note(
            session, runner.person_id, me.person_id, me.username, cleaned, now
        )
        return NoteView(row.id, row.author_name, now, row.text, None)


def unread_notes(runner: str) -> list[NoteView]:
    """The runner's unread notes from clinicians, newest first ([] without an account)."""
    with transaction(store()) as session:
        me = account_of_person(session, runner)
        if me is None:
            return []
        return [
            NoteView(n.id, n.author_name, utc(n.written_at), n.text, None)
            for n in plan_store.unread_notes(session, me.person_id, False)
        ]


def mark_read(runner: str, note_id: int) -> dt.datetime:
    """The runner has read a note (or dismissed a plan change): it leaves Today. Only the
    runner's own notes; someone else's number is answered as unknown. Returns when it was
    first marked (marking it again changes nothing)."""
    with transaction(store()) as session:
        me = account_of_person(session, runner)
        row = plan_store.note_of_runner(session, me.person_id, note_id) if me else None
        if row is None:
            raise NoteNotFoundError(f"You have no note number {note_id}.")
        if row.read_at is None:
            row.read_at = _now()
        return utc(row.read_at)
