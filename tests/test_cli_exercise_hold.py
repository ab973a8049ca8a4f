"""After an urgent or emergency symptom check, ``piri today`` and ``piri session`` show the
hold in a red panel and play nothing (exit 4), ``piri plan`` shows it first, a session already
done still gets its morning score, and ``piri check --seen-by-professional`` clears it.
Through the real command."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from piri.domain.triage import NO_EXERCISE_UNTIL_SEEN, STOP_RUNNING_UNTIL_SEEN
from tests.check_answers import typical_piriformis
from tests.conftest import PiriRunner

VIGNETTES = Path(__file__).resolve().parent / "vignettes"
EMERGENCY_SIGN = "Numbness between the legs (saddle area)"
NOTHING_TO_CLEAR = (
    "Your latest symptom check asks for no appointment, so there is nothing to mark as seen."
)


def flat(text: str) -> str:
    """Words only: the panel's borders and the line breaks taken out."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", text).split())


def check(piri: PiriRunner, tmp_path: Path, answers: dict[str, Any]) -> None:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    result = piri("check", "--answers", str(path))
    assert result.returncode == 0, result.stderr


def vignette(name: str) -> dict[str, Any]:
    data = json.loads((VIGNETTES / f"{name}.json").read_text(encoding="utf-8"))
    answers: dict[str, Any] = data["answers"]
    return answers


@pytest.fixture
def held(piri: PiriRunner, tmp_path: Path) -> PiriRunner:
    """A profile with a session every day, then an emergency check result."""
    assert piri("profile", "--days", "7", "--equipment", "chair").returncode == 0
    check(piri, tmp_path, typical_piriformis(saddle_numbness=True))
    return piri


def assert_the_hold(result: Any) -> None:
    assert result.returncode == 4, result.stdout + result.stderr
    words = flat(result.stdout)
    assert words.startswith("EMERGENCY Exercise sessions wait for a professional"), words[:200]
    assert "Go to an emergency department now." in words
    assert f"found: - {EMERGENCY_SIGN}" in words
    assert NO_EXERCISE_UNTIL_SEEN in words
    assert "piri check --seen-by-professional" in words
    assert "Session summary" not in words and "Before you start" not in words
    assert "╭" in result.stdout  # a panel


def test_today_shows_the_hold_and_plays_nothing(held: PiriRunner) -> None:
    assert_the_hold(held("today", "--pace", "0", "--pain-during", "2", "--pain-after", "2"))
    nothing = held("today", "--morning", "2")  # so no session was stored either
    assert nothing.returncode == 2
    assert "no session is waiting" in flat(nothing.stderr)


@pytest.mark.parametrize(
    "args", [("relief",), ("strength", "--side", "left"), ("article",), (), ("no-such",)]
)
def test_session_shows_the_hold_before_anything_else(held: PiriRunner, args: tuple[str]) -> None:
    assert_the_hold(held("session", *args, "--pace", "0"))


def test_plan_shows_the_hold_first(held: PiriRunner) -> None:
    result = held("plan")
    assert result.returncode == 0, result.stderr
    words = flat(result.stdout)
    assert words.startswith("EMERGENCY Exercise sessions wait for a professional")
    assert words.index(EMERGENCY_SIGN) < words.index("Phase: Settle")
    assert "Your plan waits for the professional" in words
    document = json.loads(held("plan", "--format", "json").stdout)
    assert document["check_reminder"]["urgency"] == "emergency"
    assert document["check_reminder"]["holds_exercise"] is True
    assert document["check_reminder"]["signs"] == [EMERGENCY_SIGN]
    assert document["phase"] == "settle" and len(document["days"]) == 7


def test_the_morning_score_of_a_session_already_done_is_still_recorded(
    piri: PiriRunner, tmp_path: Path
) -> None:
    piri("profile", "--days", "7", "--equipment", "chair")
    played = piri("today", "--pace", "0", "--pain-during", "2", "--pain-after", "2")
    assert played.returncode == 0, played.stderr
    check(piri, tmp_path, typical_piriformis(saddle_numbness=True))
    morning = piri("today", "--morning", "2", "--usual", "2", "--format", "json")
    assert morning.returncode == 0, morning.stderr
    assert json.loads(morning.stdout)["phase"] == "settle"


def test_seen_by_a_professional_clears_the_hold_once(held: PiriRunner) -> None:
    cleared = held("check", "--seen-by-professional")
    assert cleared.returncode == 0, cleared.stderr
    words = flat(cleared.stdout)
    assert words.startswith("Saved: a professional has seen you since your symptom check of")
    assert "(emergency)" in words
    assert "It asked: Go to an emergency department now." in words
    assert f"Because of: {EMERGENCY_SIGN}." in words
    assert "Your exercise sessions are offered again: piri today" in words
    played = held("today", "--pace", "0", "--pain-during", "1", "--pain-after", "1")
    assert played.returncode == 0, played.stderr
    assert "Session summary" in played.stdout
    assert "EMERGENCY" not in played.stdout
    assert json.loads(held("plan", "--format", "json").stdout)["check_reminder"] is None
    profile = json.loads(held("profile", "--format", "json").stdout)
    assert profile["last_check"]["urgency"] == "emergency"  # the result itself is kept
    again = held("check", "--seen-by-professional")
    assert again.returncode == 2
    assert NOTHING_TO_CLEAR in flat(again.stderr)


def test_nothing_to_clear_before_any_check_or_after_a_self_care_one(
    piri: PiriRunner, tmp_path: Path
) -> None:
    first = piri("check", "--seen-by-professional")
    assert first.returncode == 2 and NOTHING_TO_CLEAR in flat(first.stderr)
    check(piri, tmp_path, typical_piriformis())
    second = piri("check", "--seen-by-professional")
    assert second.returncode == 2 and NOTHING_TO_CLEAR in flat(second.stderr)


def test_seen_by_professional_goes_alone(piri: PiriRunner, tmp_path: Path) -> None:
    result = piri("check", "--seen-by-professional", "--questions")
    assert result.returncode == 2
    assert "use only one of --questions, --seen-by-professional" in flat(result.stderr)


def test_a_soon_result_reminds_in_the_plan_and_holds_nothing(
    piri: PiriRunner, tmp_path: Path
) -> None:
    piri("profile", "--days", "7", "--equipment", "chair")
    check(piri, tmp_path, vignette("bsi-sacral"))
    plan = flat(piri("plan").stdout)
    assert plan.startswith("WITHIN DAYS Reminder Book an appointment")
    assert STOP_RUNNING_UNTIL_SEEN in plan
    assert "Your plan waits" not in plan
    played = piri("today", "--pace", "0", "--pain-during", "1", "--pain-after", "1")
    assert played.returncode == 0, played.stderr
    assert "Session summary" in played.stdout
    cleared = piri("check", "--seen-by-professional")
    assert cleared.returncode == 0, cleared.stderr
    assert "(within days)" in flat(cleared.stdout)
    assert "offered again" not in cleared.stdout
    assert "WITHIN DAYS" not in piri("plan").stdout
