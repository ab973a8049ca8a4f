"""When the program waits for a professional: the latest symptom check found an urgent sign.

An urgent or emergency result says "do not start the exercises or run until a professional
has seen you" (the check's own rule, facts brief section 3); every surface that offers an
exercise session asks :func:`exercise_hold` first and shows the hold instead. A "soon"
result does not hold the program (the check still offers its gentle routine), but Today
reminds the runner to book that appointment, and says to stop running when the result did.

The hold ends when a newer check no longer finds the urgent sign, or when the runner says a
professional has seen them since that check and said they may exercise: Piri cannot know,
so it asks, keeps the day they said so, and says which check it was about.

Pure: takes the stored check result (``piri.services.check.result_as_json`` plus the day
it was taken and, once cleared, the day of that), returns plain data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from piri.content.check_models import Urgency
from piri.domain.triage import ACTION_NOW, NO_EXERCISE_UNTIL_SEEN, STOP_RUNNING_UNTIL_SEEN

HOLDING_URGENCIES = (Urgency.EMERGENCY, Urgency.URGENT)

# Keys Piri adds to a stored check result.
CHECKED_ON = "checked_on"  # the day the check was taken
SEEN_ON = "seen_by_professional_on"  # the day the runner said a professional had seen them


@dataclass(frozen=True)
class CheckReminder:
    """What Today shows first about the latest check: a hold, or a reminder that does not."""

    urgency: Urgency
    holds_exercise: bool  # True: no session is offered until it is cleared
    stops_running: bool  # the result said to stop running until seen
    action: str  # what to do now, in one sentence
    signs: tuple[str, ...]  # the warning signs behind it, by their titles
    checked_on: dt.date | None

    @property
    def what_it_means(self) -> str:
        if self.holds_exercise:
            return NO_EXERCISE_UNTIL_SEEN
        if self.stops_running:
            return STOP_RUNNING_UNTIL_SEEN
        return "The exercises in your plan are fine meanwhile, as long as they do not hurt more."


def check_reminder(result: Mapping[str, Any] | None) -> CheckReminder | None:
    """The hold or reminder the stored result calls for; None when it calls for neither."""
    if not result or _day(result.get(SEEN_ON)) is not None:  # only a real day clears it
        return None
    try:
        urgency = Urgency(result.get("urgency", Urgency.SELF_CARE.value))
    except ValueError:
        return None
    if urgency is Urgency.SELF_CARE:
        return None
    signs = tuple(
        str(flag.get("title", ""))
        for flag in result.get("red_flags", [])
        if isinstance(flag, Mapping) and flag.get("urgency") == urgency.value
    )
    return CheckReminder(
        urgency=urgency,
        holds_exercise=urgency in HOLDING_URGENCIES,
        stops_running=STOP_RUNNING_UNTIL_SEEN in result.get("next_steps", []),
        action=ACTION_NOW[urgency],
        signs=signs,
        checked_on=_day(result.get(CHECKED_ON)),
    )


def exercise_hold(result: Mapping[str, Any] | None) -> CheckReminder | None:
    """The reminder when it holds the exercise sessions, else None."""
    reminder = check_reminder(result)
    return reminder if reminder is not None and reminder.holds_exercise else None


def seen_by_professional(result: Mapping[str, Any], day: dt.date) -> dict[str, Any]:
    """The stored result, marked as cleared by a professional on ``day``."""
    return {**result, SEEN_ON: day.isoformat()}


@dataclass(frozen=True)
class Cleared:
    """A hold or reminder the runner has marked as seen by a professional, and the day."""

    reminder: CheckReminder
    seen_on: dt.date


def cleared_reminder(result: Mapping[str, Any] | None) -> Cleared | None:
    """What the stored result held or reminded of before the runner said a professional had
    seen them, and the day they said so; None when they have not (or it called for neither)."""
    if not result:
        return None
    seen_on = _day(result.get(SEEN_ON))
    if seen_on is None:
        return None
    reminder = check_reminder({key: value for key, value in result.items() if key != SEEN_ON})
    return None if reminder is None else Cleared(reminder, seen_on)


def _day(value: object) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None
