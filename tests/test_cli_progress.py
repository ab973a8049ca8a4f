"""``run_progress`` in-process: tables with sparklines, the summary, JSON, and no data at all."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from piri.cli.progress_view import run_progress
from piri.domain.diary import DayEntry
from piri.domain.trends import monday
from piri.services import diary as diary_service
from piri.services.program import update_profile
from piri.services.scores import record_lefs
from piri.store import diary as diary_store
from piri.store import program as program_store
from piri.store.database import transaction
from piri.store.models import SessionRecord

# Three weeks before this one, so the weeks shown (up to today) always hold them.
MONDAY = monday(dt.date.today()) - dt.timedelta(weeks=3)


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("PIRI_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("PIRI_DATABASE_URL", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    diary_service.close_engines()
    yield tmp_path / "home"
    diary_service.close_engines()


def week(n: int, day: int = 0) -> dt.date:
    return MONDAY + dt.timedelta(days=7 * n + day)


def add_sessions(*days: dt.date) -> None:
    with transaction(diary_service.store()) as session:
        owner = diary_store.person_id(session, diary_service.LOCAL_PERSON)
        for day in days:
            record = SessionRecord(day=day, routine="strength", phase="settle", completed=True)
            program_store.add_session(session, owner, record)


def three_weeks() -> None:
    for n, worst, minutes in ((0, 6, 10), (1, 5, 20), (2, 3, 30)):
        diary_service.log_day(DayEntry(week(n), 2, worst, sitting_minutes_before_pain=minutes))


def flat(text: str) -> str:
    return " ".join(text.split())


def test_nothing_stored_prints_empty_measures_and_asks_for_a_diary(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run_progress("text") == 0
    out = flat(capsys.readouterr().out)
    assert "Week by week" in out
    assert "Keep the diary for two weeks or more" in out
    assert run_progress("json") == 0
    document = json.loads(capsys.readouterr().out)
    assert [s["values"] for s in document["series"]] == [[], [], []]
    assert document["scores"] == []


def test_three_weeks_show_sparklines_and_a_real_change(
    capsys: pytest.CaptureFixture[str],
) -> None:
    three_weeks()
    record_lefs([2] * 20, day=week(0))
    record_lefs([3] * 20, day=week(2))
    assert run_progress("text") == 0
    out = capsys.readouterr().out
    assert any(block in out for block in "▁▂▃▄▅▆▇█")
    text = flat(out)
    assert "Your worst pain fell from 6 to 3 over 2 weeks: that is a real change." in text
    assert "You can sit about 30 minutes before the pain starts, against 10 at first." in text
    assert "Your LEFS score went from 40 to 60: a real change." in text


def test_adherence_is_sessions_against_the_profile_days(
    capsys: pytest.CaptureFixture[str],
) -> None:
    three_weeks()
    update_profile(days_per_week=2, today=MONDAY)
    add_sessions(week(0), week(0, 2), week(1, 3))
    assert run_progress("json") == 0
    document = json.loads(capsys.readouterr().out)
    adherence = document["series"][2]
    assert adherence["name"] == "Sessions done (% of planned)"
    assert adherence["weeks"][:3] == [week(n).isoformat() for n in range(3)]
    assert adherence["values"][:3] == [100, 50, 0]


def test_without_a_profile_four_days_a_week_are_planned(
    capsys: pytest.CaptureFixture[str],
) -> None:
    three_weeks()
    add_sessions(week(0), week(0, 1), week(0, 2))
    run_progress("json")
    assert json.loads(capsys.readouterr().out)["series"][2]["values"][0] == 75
