"""Outcome questionnaires: score, store, and compare with the last time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from piri.content.questionnaire_models import ScaleQuestionnaire
from piri.domain.outcomes import (
    Change,
    ScoreError,
    lefs_change,
    psfs_change,
    score_lefs,
    score_psfs,
)
from piri.domain.values import day_problem, text_problem, whole_number
from piri.services.diary import LOCAL_PERSON, store
from piri.store import diary as diary_store
from piri.store import scores as score_store
from piri.store.database import transaction

INSTRUMENTS = ("lefs", "psfs")
PSFS_RATING_MAX = 10


@dataclass(frozen=True)
class Scored:
    instrument: str
    day: dt.date
    score: float
    previous: tuple[dt.date, float] | None
    change: Change | None


def record_lefs(items: list[int], person: str = LOCAL_PERSON, day: dt.date | None = None) -> Scored:
    total = score_lefs(items)
    answers: dict[str, object] = {"items": items}
    return _record("lefs", float(total), answers, person, day or dt.date.today())


def record_psfs(
    activities: list[tuple[str, int]], person: str = LOCAL_PERSON, day: dt.date | None = None
) -> Scored:
    for name, _rating in activities:
        if not name.strip():
            raise ScoreError("PSFS: every activity needs a name, e.g. 'sit through a film=3'")
        problem = text_problem(name)
        if problem is not None:
            raise ScoreError(f"PSFS activity '{name.strip()[:40]}': the name {problem}")
    score = score_psfs([rating for _, rating in activities])
    answers: dict[str, object] = {
        "activities": [{"activity": n, "rating": r} for n, r in activities]
    }
    return _record("psfs", score, answers, person, day or dt.date.today())


def parse_psfs_activity(text: str) -> tuple[str, int]:
    """'sit through a film=3' -> ('sit through a film', 3)."""
    name, sep, rating = text.rpartition("=")
    if not sep or not name.strip():
        raise ScoreError(
            f"PSFS activity '{text}': write it as 'activity=rating', e.g. 'run 5 km=2'"
        )
    number = whole_number(rating)
    if number is None or not 0 <= number <= PSFS_RATING_MAX:
        raise ScoreError(
            f"PSFS activity '{name.strip()}': the rating must be 0 to 10, got '{rating}'"
        )
    return name.strip(), number


def _record(
    instrument: str, score: float, answers: dict[str, object], person: str, day: dt.date
) -> Scored:
    # Every surface scores today's; a day before the earliest is refused whoever passes one.
    problem = day_problem(day, None)
    if problem is not None:
        raise ScoreError(f"day: {problem}")
    with transaction(store()) as session:
        owner = diary_store.person_id(session, person)
        earlier = score_store.scores(session, owner, instrument)
        score_store.save_score(session, owner, day, instrument, score, answers)
    previous = (earlier[-1][0], earlier[-1][2]) if earlier else None
    change = None
    if previous is not None:
        compare = lefs_change if instrument == "lefs" else psfs_change
        change = compare(previous[1], score)  # type: ignore[arg-type]
    return Scored(instrument, day, score, previous, change)


def score_history(person: str = LOCAL_PERSON) -> list[tuple[dt.date, str, float]]:
    with transaction(store()) as session:
        return score_store.scores(session, diary_store.person_id(session, person))


# Where the change that matters comes from, as piri.domain.outcomes cites it. The LEFS
# sources are also in its content file (questionnaires/lefs.toml).
PSFS_CHANGE_SOURCE = (
    "Abbott JH et al. Minimum important differences for the Patient-Specific Functional "
    "Scale, 4 region-specific outcome measures, and the Numeric Pain Rating Scale. JOSPT 2014",
    "https://www.integrative-archives.com/2014/04/minimum-important-differences-for-the-"
    "patient-specific-functional-scale-4-region-specific-outcome-measures-and-the-numeric-"
    "pain-rating-scale/",
)


@dataclass(frozen=True)
class ScoreRecord:
    """A stored questionnaire with its answers, compared with the one before it."""

    instrument: str
    day: dt.date
    score: float
    answers: dict[str, object]
    previous: tuple[dt.date, float] | None
    change: Change | None


def score_records(person: str = LOCAL_PERSON, instrument: str | None = None) -> list[ScoreRecord]:
    """Every stored score (of one questionnaire, or both), oldest first, with its change."""
    from sqlalchemy import select

    from piri.store.models import OutcomeScore

    with transaction(store()) as session:
        owner = diary_store.person_id(session, person)
        query = select(OutcomeScore).where(OutcomeScore.person_id == owner)
        if instrument is not None:
            query = query.where(OutcomeScore.instrument == instrument)
        rows = [
            (row.instrument, row.day, row.score, dict(row.answers or {}))
            for row in session.scalars(query.order_by(OutcomeScore.day, OutcomeScore.id))
        ]
    found: list[ScoreRecord] = []
    last: dict[str, tuple[dt.date, float]] = {}
    for name, day, score, answers in rows:
        previous = last.get(name)
        change = None
        if previous is not None:
            compare = lefs_change if name == "lefs" else psfs_change
            change = compare(previous[1], score)  # type: ignore[arg-type]
        found.append(ScoreRecord(name, day, score, answers, previous, change))
        last[name] = (day, score)
    return found


def lefs_questionnaire() -> ScaleQuestionnaire:
    """The LEFS as Piri words it (content file questionnaires/lefs.toml, with its sources)."""
    from piri.content.loader import library

    return library().lefs
