"""``piri score`` and ``piri progress`` through the real command."""

from __future__ import annotations

import json

from tests.conftest import PiriRunner


def flat(text: str) -> str:
    return " ".join(text.split())


def test_lefs_scores_and_compares_with_the_last_time(piri: PiriRunner) -> None:
    first = piri("score", "lefs", "--answers", ",".join(["2"] * 20))
    assert first.returncode == 0, first.stderr
    assert "LEFS score: 40 out of 80" in first.stdout
    second = piri("score", "lefs", "--answers", ",".join(["3"] * 20), "--format", "json")
    document = json.loads(second.stdout)
    assert document["score"] == 60
    assert document["previous"]["score"] == 40
    assert document["change"] == {"difference": 20, "meaningful": True, "size": "a real change"}


def test_psfs_takes_named_activities(piri: PiriRunner) -> None:
    result = piri("score", "psfs", "--activity", "sit through a film=3", "--activity", "run 5 km=1")
    assert result.returncode == 0, result.stderr
    assert "PSFS score: 2 out of 10" in result.stdout


def test_a_wrong_questionnaire_or_answer_is_named(piri: PiriRunner) -> None:
    for args, message in (
        (("score", "koos"), "'koos' is not a questionnaire Piri scores"),
        (("score", "lefs", "--answers", "1,2"), "the LEFS has 20 items; got 2 answers"),
        (("score", "lefs", "--answers", ",".join(["5"] * 20)), "LEFS item 1: expected a whole"),
        (("score", "psfs", "--activity", "run=12"), "the rating must be 0 to 10"),
        (("score", "psfs", "--activity", "run"), "write it as 'activity=rating'"),
        (("score", "psfs"), "give one to five --activity"),
        (("score", "lefs"), "give --answers with 20 numbers"),
    ):
        result = piri(*args)
        assert result.returncode == 2, args
        assert message in flat(result.stderr), (args, result.stderr)


def test_progress_shows_trends_and_a_summary(piri: PiriRunner) -> None:
    for day, worst, minutes in (
        ("2026-11-02", 7, 10),
        ("2026-11-09", 5, 20),
        ("2026-11-16", 3, 35),
    ):
        logged = piri(
            "log",
            "--pain-now",
            "2",
            "--worst",
            str(worst),
            "--sitting-minutes",
            str(minutes),
            "--date",
            day,
        )
        assert logged.returncode == 0, logged.stderr
    text = piri("progress")
    assert text.returncode == 0, text.stderr
    assert "Week by week" in text.stdout
    assert "Your worst pain fell from 7 to 3" in flat(text.stdout)
    document = json.loads(piri("progress", "--format", "json").stdout)
    names = [s["name"] for s in document["series"]]
    assert names == [
        "Worst pain (0-10)",
        "Sitting before pain (minutes)",
        "Sessions done (% of planned)",
    ]
    assert document["series"][0]["values"][:3] == [7.0, 5.0, 3.0]


def test_progress_with_nothing_stored_asks_for_a_diary(piri: PiriRunner) -> None:
    result = piri("progress")
    assert result.returncode == 0
    assert "Keep the diary for two weeks" in result.stdout
