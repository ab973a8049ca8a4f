"""Several people in one database: no service function returns another person's data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from piri.domain.diary import DayEntry
from piri.services import diary as diary_service
from piri.services import program as coach
from piri.services import scores
from piri.services.person_data import export_document, forget
from piri.services.progress import progress

DAY = dt.date(2026, 11, 2)


@pytest.fixture(autouse=True)
def shared_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("PIRI_HOME", str(tmp_path))
    monkeypatch.delenv("PIRI_DATABASE_URL", raising=False)
    diary_service.close_engines()
    yield
    diary_service.close_engines()


def test_two_runners_never_see_each_others_data() -> None:
    coach.update_profile("ana", painful_side="left", equipment=["chair"], days_per_week=7)
    diary_service.log_day(DayEntry(DAY, 6, 8, notes="ana's day"), person="ana", today=DAY)
    scores.record_lefs([1] * 20, person="ana", day=DAY)
    week, day = coach.today_plan("ana", today=DAY)
    done = [coach.ExerciseDone(e, d.sets, d.sets, "done") for e, d in day.items]
    coach.record_session(DAY, week.phase.id, done, 3, 3, person="ana")

    assert diary_service.diary(person="ben") == []
    assert scores.score_history(person="ben") == []
    assert coach.get_profile("ben")[0].painful_side is None
    ben = export_document("ben")
    assert ben["diary"] == [] and ben["sessions"] == [] and ben["outcome_scores"] == []
    assert ben["walk_runs"] == [] and ben["activities"] == []
    assert progress("ben").series[0].values == []
    with pytest.raises(coach.NothingToScoreError):
        coach.record_morning(2, person="ben", today=DAY)

    forget("ben")
    assert [d.notes for d in diary_service.diary(person="ana")] == ["ana's day"]
    assert len(export_document("ana")["sessions"]) == 1
