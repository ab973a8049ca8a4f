"""``piri log`` through the real command: saved, updated, refused with a clear message."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

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


def test_log_refuses_a_date_before_the_earliest_naming_the_field(
    piri: PiriRunner, tmp_path: Path
) -> None:
    assert piri("log", "--pain-now", "3", "--worst", "5").returncode == 0
    message = "date: 0001-01-01 is before 2000-01-01, the earliest date Piri keeps a record for"
    for args in (
        ("--date", "0001-01-01"),  # refused before any question is asked
        ("--pain-now", "3", "--worst", "5", "--date", "0001-01-01"),
    ):
        result = piri("log", *args)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        said = " ".join(result.stderr.split())
        assert "--date" in said and message in said, result.stderr
    assert piri("log", "--pain-now", "3", "--worst", "5", "--date", "2000-01-01").returncode == 0
    exported = tmp_path / "export.json"
    assert piri("export", str(exported)).returncode == 0
    days = [entry["day"] for entry in json.loads(exported.read_text(encoding="utf-8"))["diary"]]
    assert days == ["2000-01-01", dt.date.today().isoformat()]  # today's, kept; 0001 never stored


def test_log_without_scores_asks_in_a_terminal(tmp_path: Path) -> None:
    from tests.test_cli_session import _run_in_terminal

    answers = [
        ("Pain right now", "3\r"),
        ("Worst pain today", "12\r"),  # refused, asked again
        ("whole number from 0 to 10", "5\r"),
        ("Pain when sitting", "\r"),
        ("Minutes of sitting", "20\r"),
        ("Pain when running", "\r"),
        ("Tingling", "y\r"),
        ("Notes", "long drive\r"),
    ]
    code, out = _run_in_terminal(tmp_path, ["log"], answers)
    assert code == 0, out
    assert "Saved the diary for" in out
    assert "pain now 3/10, worst today 5/10" in " ".join(out.split())


def test_log_without_scores_and_without_a_terminal_says_what_to_give(piri: PiriRunner) -> None:
    result = piri("log")
    assert result.returncode == 2
    assert "give at least --pain-now and --worst" in " ".join(result.stderr.split())
