"""What a gait check changes in the program: hip-abductor work opened early.

When a rear-view check found a large pelvic drop on the painful side, its report advises the
hip-abductor exercises (``gait_report.hip_abductor_advice``, with its sources). The program
then opens the strength ladders that hold them from the first week of strengthening instead
of waiting for their stage. Nothing changes in the settle phase: strength work waits for the
pain to settle whatever a video shows. Only the newest finished check counts, so a later
check that no longer finds the drop takes the change back. Pure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from piri.domain.gait_evidence import HIP_ABDUCTOR_EXERCISE_IDS


@dataclass(frozen=True)
class GaitFocus:
    check_id: int
    checked: str  # when, as the runner reads it
    exercises: frozenset[str]  # the advised hip-abductor exercises
    reason: str  # the advice's first sentence: what the check found


def gait_focus(checks: Iterable[tuple[int, str, Mapping[str, Any]]]) -> GaitFocus | None:
    """From (id, when, report) of finished checks, newest first: the focus the newest usable
    rear-view check gives, if any."""
    for check_id, checked, report in checks:
        if report.get("film_again") or report.get("view") != "rear":
            continue
        for advice in report.get("advice", []):
            ids = {e.get("id") for e in advice.get("exercises", [])}
            advised = frozenset(ids & set(HIP_ABDUCTOR_EXERCISE_IDS))
            if advised:
                first = str(advice.get("text", "")).split(". ")[0].rstrip(".")
                return GaitFocus(check_id, checked, advised, f"{first}.")
        return None  # the newest rear-view check found nothing to add
    return None


@dataclass(frozen=True)
class CadenceCue:
    """A cadence to aim for on the runs of the plan, from the newest side-view check."""

    check_id: int
    checked: str
    low: int  # steps (and metronome beats) a minute
    high: int
    text: str  # the advice, in full
    sources: tuple[tuple[str, str], ...]  # (title, url)


def cadence_cue(checks: Iterable[tuple[int, str, Mapping[str, Any]]]) -> CadenceCue | None:
    """From (id, when, report) of finished checks, newest first: the metronome tempo the newest
    usable side-view check advised, if it advised one (a cadence in the typical range gets
    none, and a newer check in range takes an older cue back)."""
    for check_id, checked, report in checks:
        if report.get("film_again") or report.get("view") != "side":
            continue
        for advice in report.get("advice", []):
            tempo = advice.get("metronome_bpm")
            if tempo:
                sources = tuple((s["title"], s["url"]) for s in advice.get("sources", []))
                low, high = int(tempo[0]), int(tempo[1])
                return CadenceCue(check_id, checked, low, high, str(advice["text"]), sources)
        return None
    return None
