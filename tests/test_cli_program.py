"""``piri profile``, ``piri plan`` and ``piri today`` through the real command."""

from __future__ import annotations

import json
from pathlib import Path

from tests.check_answers import typical_piriformis
from tests.conftest import PiriRunner


def flat(text: str) -> str:
    return " ".join(text.split())


def test_profile_is_set_shown_and_refuses_a_wrong_value(piri: PiriRunner) -> None:
    changed = piri(
        "profile",
        "--side",
        "left",
        "--equipment",
        "chair,mini_band",
        "--minutes",
        "15",
        "--days",
        "3",
        "--goal",
        "sit through a film",
        "--goal",
        "run 10 km pain-free",
    )
    assert changed.returncode == 0, changed.stderr
    document = json.loads(piri("profile", "--format", "json").stdout)
    assert document["painful_side"] == "left"
    assert document["equipment"] == ["chair", "mini_band"]
    assert document["goals"] == ["sit through a film", "run 10 km pain-free"]
    assert document["phase"] == "settle"
    for args, message in (
        (("--equipment", "rope"), "equipment: 'rope' is not one of"),
        (("--side", "middle"), "painful side: 'middle' is not one of left, right, both"),
        (("--days", "9"), "days a week: expected 1 to 7, got 9"),
        (("--minutes", "500"), "minutes a day: expected 5 to 120, got 500"),
    ):
        result = piri("profile", *args)
        assert result.returncode == 2, args
        assert message in flat(result.stderr)
    assert json.loads(piri("profile", "--format", "json").stdout) == document


def test_the_plan_uses_only_the_equipment_at_hand_and_fits_the_minutes(piri: PiriRunner) -> None:
    piri("profile", "--equipment", "none", "--minutes", "10", "--days", "2")
    document = json.loads(piri("plan", "--format", "json").stdout)
    assert document["phase"] == "settle"
    training = [day for day in document["days"] if day["exercises"]]
    assert [day["weekday"] for day in training] == ["Monday", "Thursday"]
    for day in training:
        assert day["minutes"] <= 10
        names = [e["exercise"] for e in day["exercises"]]
        assert "sciatic-nerve-slider" not in names  # it needs a chair
    text = piri("plan")
    assert "Moves on when" in text.stdout
    assert "When to see a professional" in text.stdout


def test_today_runs_the_session_then_the_morning_score_adjusts_it(piri: PiriRunner) -> None:
    piri("profile", "--days", "7", "--equipment", "chair")
    session = piri("today", "--pace", "0", "--pain-during", "3", "--pain-after", "2")
    assert session.returncode == 0, session.stderr
    assert "Session summary" in session.stdout
    assert "piri today --morning N" in flat(session.stdout)
    morning = piri("today", "--morning", "2", "--usual", "2", "--format", "json")
    assert morning.returncode == 0, morning.stderr
    document = json.loads(morning.stdout)
    assert document["phase"] == "settle"
    assert "Still settling" in document["phase_reason"]
    again = piri("today", "--morning", "2")
    assert again.returncode == 2
    assert "no session is waiting for its next-morning pain" in flat(again.stderr)


def test_a_pain_score_above_ten_is_refused(piri: PiriRunner) -> None:
    result = piri("today", "--morning", "11")
    assert result.returncode == 2
    assert "--morning" in result.stderr


def test_the_latest_symptom_check_is_kept_on_the_profile(piri: PiriRunner, tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(typical_piriformis()), encoding="utf-8")
    assert piri("check", "--answers", str(answers)).returncode == 0
    document = json.loads(piri("profile", "--format", "json").stdout)
    assert document["last_check"]["urgency"] == "self_care"
    assert document["last_check"]["top_pattern"] == "deep-gluteal-syndrome"


def test_today_in_a_terminal_asks_for_the_pain_after_the_session(tmp_path: Path) -> None:
    from tests.test_cli_session import _run_in_terminal

    _run_in_terminal(tmp_path, ["profile", "--days", "7", "--equipment", "chair"], [])
    code, out = _run_in_terminal(
        tmp_path,
        ["today", "--pace", "0"],
        [
            ("Pain during the exercises", "11\r"),
            ("whole number from 0 to 10", "3\r"),
            ("Pain right now", "2\r"),
        ],
    )
    assert code == 0, out
    assert out.index("Session summary") < out.index("Pain during the exercises")
    assert "Saved. Tomorrow morning" in out
    code, out = _run_in_terminal(tmp_path, ["today", "--morning", "2", "--format", "json"], [])
    assert code == 0, out
    assert '"session_day"' in out
