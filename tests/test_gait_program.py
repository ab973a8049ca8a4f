"""A gait check's finding in the program: a large pelvic drop on the painful side opens the
hip-abductor ladders early (piri.domain.gait_program, piri.domain.program.open_ladders), and
the plan says which check did it; the newest rear-view check decides, and nothing changes
while the pain settles."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from piri.content.loader import library
from piri.domain.gait_evidence import HIP_ABDUCTOR_EXERCISE_IDS
from piri.domain.gait_program import cadence_cue, gait_focus
from piri.domain.program import Phase, RunnerProfile, open_ladders
from piri.services import diary as diary_service
from piri.services.diary import LOCAL_PERSON
from piri.services.program import this_week, update_profile
from piri.store import diary as diary_store
from piri.store import program as program_store
from piri.store.database import transaction
from piri.store.models import GaitCheckRow

CONTENT = library()
TODAY = dt.date(2026, 12, 2)
DROP_TEXT = "The pelvis dropped more than usual while you stood on the left leg. Work the hips."


def report(view: str = "rear", advised: bool = True, film_again: bool = False) -> dict[str, Any]:
    advice = [
        {
            "text": DROP_TEXT,
            "exercises": [{"id": e, "name": e} for e in HIP_ABDUCTOR_EXERCISE_IDS],
        }
    ]
    return {"view": view, "film_again": film_again, "advice": advice if advised else []}


def test_the_newest_usable_rear_view_check_decides() -> None:
    focus = gait_focus([(3, "2026-12-01", report())])
    assert focus is not None and focus.check_id == 3
    assert focus.exercises == frozenset(HIP_ABDUCTOR_EXERCISE_IDS)
    assert focus.reason == "The pelvis dropped more than usual while you stood on the left leg."
    # a newer rear check that found no large drop takes it back
    assert gait_focus([(4, "2026-12-02", report(advised=False)), (3, "x", report())]) is None
    # side-view checks and clips to film again do not count: the older rear one decides
    skipped = [(5, "a", report(view="side")), (4, "b", report(film_again=True)), (3, "c", report())]
    found = gait_focus(skipped)
    assert found is not None and found.check_id == 3
    assert gait_focus([]) is None


EQUIPMENT = frozenset({"chair", "mini_band", "step"})


def test_an_early_exercise_opens_its_later_ladder_now() -> None:
    profile = RunnerProfile(equipment=EQUIPMENT)
    usual = open_ladders(CONTENT.program, CONTENT.exercises, profile, week_of_strengthen=1)
    assert all("hip-hike" not in ladder for ladder in usual)  # its stage starts in week 5
    early = open_ladders(
        CONTENT.program, CONTENT.exercises, profile, 1, frozenset(HIP_ABDUCTOR_EXERCISE_IDS)
    )
    assert [ladder for ladder in early if ladder not in usual] == [["hip-hike", "step-down"]]
    # without a step there is no hip hike to add (the clamshell ladder is open from week 1)
    bare = RunnerProfile(equipment=frozenset({"chair"}))
    assert open_ladders(
        CONTENT.program, CONTENT.exercises, bare, 1, frozenset(HIP_ABDUCTOR_EXERCISE_IDS)
    ) == open_ladders(CONTENT.program, CONTENT.exercises, bare, 1)


@pytest.fixture
def person(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    monkeypatch.setenv("PIRI_HOME", str(tmp_path))
    monkeypatch.delenv("PIRI_DATABASE_URL", raising=False)
    diary_service.close_engines()
    with transaction(diary_service.store()) as session:
        owner = diary_store.person_id(session, LOCAL_PERSON)
    yield owner
    diary_service.close_engines()


def put(owner: int, phase: Phase, found: dict[str, Any] | None, today: dt.date = TODAY) -> None:
    now = dt.datetime(2026, 12, 1, 8, tzinfo=dt.UTC)
    update_profile(equipment=EQUIPMENT)
    with transaction(diary_service.store()) as session:
        program_store.save_phase(session, owner, phase, today - dt.timedelta(days=1))
        if found is not None:
            session.add(
                GaitCheckRow(
                    person_id=owner,
                    created_at=now,
                    updated_at=now,
                    status="done",
                    filename="rear.mp4",
                    size_bytes=1,
                    keep_video=False,
                    frames_done=1,
                    attempts=1,
                    view="rear",
                    film_again=False,
                    result=found,
                )
            )


def test_the_plan_adds_the_hip_ladder_in_strengthening_and_says_why(person: int) -> None:
    put(person, Phase.STRENGTHEN, report())
    week = this_week(today=TODAY)
    early = [slot for slot in week.slots if slot.gait_focus is not None]
    assert [slot.key for slot in early] == ["hip-hike"]
    assert early[0].gait_focus is not None and early[0].gait_focus.checked == "2026-12-01"
    assert all(slot.gait_focus is None for slot in week.slots if slot.key != "hip-hike")


def test_without_a_finding_or_while_settling_nothing_is_added(person: int) -> None:
    put(person, Phase.STRENGTHEN, report(advised=False))
    assert all(slot.key != "hip-hike" for slot in this_week(today=TODAY).slots)
    put(person, Phase.SETTLE, report())
    assert this_week(today=TODAY).slots == []


def test_the_plan_page_and_api_name_the_check(person: int) -> None:
    from fastapi.testclient import TestClient

    from piri.web.app import create_app
    from piri.web.config import WebConfig

    put(person, Phase.STRENGTHEN, report(), today=dt.date.today())  # the page's own today
    with TestClient(create_app(WebConfig(gait_worker="off")), base_url="http://127.0.0.1") as web:
        page = web.get("/plan").text
        assert "Added early because of" in page and "your gait check of 2026-12-01" in page
        assert "stood on the left leg." in page
        strength = web.get("/api/v1/plan").json()["strength"]
        marked = [s for s in strength if s["gait_check"] is not None]
        assert [s["exercise"] for s in marked] == ["hip-hike"]


def side_report(tempo: tuple[int, int] | None, film_again: bool = False) -> dict[str, Any]:
    advice = [{"text": "Try a cadence of 166 to 174 steps a minute.", "sources": []}]
    if tempo is not None:
        advice[0]["metronome_bpm"] = list(tempo)
        advice[0]["sources"] = [{"title": "Heiderscheit 2011", "url": "https://example.org/h"}]
    return {"view": "side", "film_again": film_again, "advice": advice if tempo else []}


def test_the_newest_side_view_check_gives_the_cadence_cue() -> None:
    cue = cadence_cue([(7, "2026-12-01", side_report((166, 174)))])
    assert cue is not None and (cue.low, cue.high) == (166, 174) and cue.check_id == 7
    assert cue.sources == (("Heiderscheit 2011", "https://example.org/h"),)
    # a newer side check in range takes it back; rear checks and clips to film again do not
    assert cadence_cue([(8, "b", side_report(None)), (7, "a", side_report((166, 174)))]) is None
    older = [(9, "c", report()), (8, "b", side_report((1, 2), True)), (7, "a", side_report((5, 6)))]
    found = cadence_cue(older)
    assert found is not None and found.check_id == 7


def test_the_run_plan_page_and_api_give_the_cadence_cue(person: int) -> None:
    from fastapi.testclient import TestClient

    from piri.web.app import create_app
    from piri.web.config import WebConfig

    put(person, Phase.SETTLE, side_report((166, 174)), today=dt.date.today())
    with TestClient(create_app(WebConfig(gait_worker="off")), base_url="http://127.0.0.1") as web:
        page = web.get("/plan/run").text
        assert "Cadence cue" in page and "aim for 166 to 174 steps a minute" in page
        assert "Heiderscheit 2011" in page
        cue = web.get("/api/v1/return-to-run").json()["cadence_cue"]
        assert cue["steps_per_min"] == [166, 174] and cue["checked"] == "2026-12-01"
