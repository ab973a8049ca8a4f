"""Outcome scores stored and compared, on SQLite and PostgreSQL: the store and the service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from piri.domain.outcomes import Direction, ScoreError
from piri.services import scores as score_service
from piri.store import diary as diary_store
from piri.store import scores as score_store
from piri.store.database import migrate, transaction
from tests.store_backends import BACKENDS, fresh_engine

FIRST = dt.date(2026, 11, 2)
LATER = dt.date(2026, 11, 16)


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    with fresh_engine(request.param, tmp_path) as fresh:
        migrate(fresh)
        yield fresh


@pytest.fixture
def service(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Engine:
    """The service writes to ``engine`` instead of the user's database."""
    monkeypatch.setattr(score_service, "store", lambda: engine)
    return engine


def test_scores_come_back_oldest_first_and_by_instrument(engine: Engine) -> None:
    with transaction(engine) as session:
        me = diary_store.person_id(session, "me")
        score_store.save_score(session, me, LATER, "lefs", 60.0, {"items": [3] * 20})
        score_store.save_score(session, me, FIRST, "lefs", 40.0, {"items": [2] * 20})
        score_store.save_score(session, me, FIRST, "psfs", 3.5, {"activities": []})
    with transaction(engine) as session:
        me = diary_store.person_id(session, "me")
        everything = score_store.scores(session, me)
        lefs = score_store.scores(session, me, "lefs")
        psfs = score_store.scores(session, me, "psfs")
    assert [day for day, _, _ in everything] == [FIRST, FIRST, LATER]
    assert lefs == [(FIRST, "lefs", 40.0), (LATER, "lefs", 60.0)]
    assert psfs == [(FIRST, "psfs", 3.5)]


def test_one_persons_scores_never_show_another_persons(engine: Engine) -> None:
    with transaction(engine) as session:
        ana = diary_store.person_id(session, "ana")
        ben = diary_store.person_id(session, "ben")
        score_store.save_score(session, ana, FIRST, "lefs", 30.0, {})
    with transaction(engine) as session:
        assert score_store.scores(session, ben) == []
        assert len(score_store.scores(session, ana)) == 1


def test_the_first_lefs_has_nothing_to_compare_and_the_second_does(service: Engine) -> None:
    first = score_service.record_lefs([2] * 20, day=FIRST)
    assert (first.score, first.previous, first.change) == (40.0, None, None)
    second = score_service.record_lefs([2] * 11 + [3] * 9, day=LATER)
    assert second.score == 49.0
    assert second.previous == (FIRST, 40.0)
    assert second.change is not None
    assert second.change.meaningful  # exactly 9 points: the change that matters
    assert second.change.direction is Direction.BETTER


def test_a_score_before_the_earliest_day_is_refused_naming_the_field(service: Engine) -> None:
    with pytest.raises(ScoreError, match=r"^day: 1999-12-31 is before 2000-01-01, the earliest"):
        score_service.record_lefs([2] * 20, day=dt.date(1999, 12, 31))
    assert score_service.score_records() == []


@pytest.mark.parametrize("rating", ["²", "٣", "9" * 10_000, "-1", "11"])
def test_a_psfs_rating_is_read_from_ascii_digits_only(rating: str) -> None:
    with pytest.raises(ScoreError, match="the rating must be 0 to 10"):
        score_service.parse_psfs_activity(f"sit through a film={rating}")


def test_eight_lefs_points_are_not_yet_a_real_change(service: Engine) -> None:
    score_service.record_lefs([2] * 20, day=FIRST)
    scored = score_service.record_lefs([2] * 12 + [1] * 8, day=LATER)
    assert scored.change is not None
    assert scored.change.difference == -8
    assert not scored.change.meaningful
    assert scored.change.direction is Direction.WORSE


def test_psfs_compares_only_with_the_last_psfs(service: Engine) -> None:
    score_service.record_psfs([("sit through a film", 2), ("run 5 km", 0)], day=FIRST)
    score_service.record_lefs([4] * 20, day=FIRST)
    scored = score_service.record_psfs([("sit through a film", 5), ("run 5 km", 2)], day=LATER)
    assert scored.score == 3.5
    assert scored.previous == (FIRST, 1.0)
    assert scored.change is not None
    assert scored.change.size == "a medium change"  # 2.5: at least 2.3, under 2.7


def test_psfs_answers_are_kept_with_their_names(service: Engine) -> None:
    score_service.record_psfs([("sit through a film", 3)], day=FIRST)
    from sqlalchemy import select

    from piri.store.models import OutcomeScore

    with transaction(service) as session:
        row = session.scalars(select(OutcomeScore)).one()
    assert row.answers == {"activities": [{"activity": "sit through a film", "rating": 3}]}


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (lambda: score_service.record_lefs([4] * 19), "the LEFS has 20 items; got 19"),
        (lambda: score_service.record_lefs([4] * 19 + [5]), "LEFS item 20"),
        (lambda: score_service.record_psfs([]), "the PSFS rates 1 to 5 activities; got 0"),
        (lambda: score_service.record_psfs([("a", 1)] * 6), "got 6"),
        (lambda: score_service.record_psfs([("run", 11)]), "PSFS activity 1"),
        (lambda: score_service.record_psfs([("  ", 3)]), "every activity needs a name"),
    ],
)
def test_a_wrong_answer_is_refused_and_nothing_is_stored(
    service: Engine, record: Callable[[], object], message: str
) -> None:
    with pytest.raises(ScoreError, match=message):
        record()
    assert score_service.score_history() == []
