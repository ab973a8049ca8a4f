"""``piri log`` through the real command: saved, updated, refused with a clear message."""

from __future__ import annotations

import json

from tests.conftest import PiriRunner


def test_log_saves_then_updates_the_same_day(piri: PiriRunner) -> None:
    first = piri("log", "--pain-now", "3", "--worst", "5", "--sitting-minutes", "25")
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("Saved the diary for")
    second = piri("log", "--pain-now", "2", "--worst", "4", "--format", "json")
    assert second.returncode == 0, second.stderr
    document = json.loads(second.stdout)
    assert document["updated"] is True
    assert document["pain_now"] == 2


def test_log_refuses_nonsense_and_keeps_what_was_stored(piri: PiriRunner) -> None:
    assert piri("log", "--pain-now", "3", "--worst", "5").returncode == 0
    for args, message in (
        (("--pain-now", "3", "--worst", "11"), "worst pain: expected a whole number"),
        (("--pain-now", "3", "--worst", "5", "--date", "2999-01-01"), "is in the future"),
        (("--pain-now", "3", "--worst", "5", "--date", "tomorow"), "'tomorow' is not a date"),
        (("--pain-now", "x", "--worst", "5"), "--pain-now"),
    ):
        result = piri("log", *args)
        assert result.returncode == 2, args
        assert message in " ".join(result.stderr.split()), result.stderr
    kept = piri("log", "--pain-now", "3", "--worst", "5", "--format", "json")
    assert json.loads(kept.stdout)["updated"] is True
