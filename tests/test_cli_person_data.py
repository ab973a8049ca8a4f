"""``piri export``, ``piri import-data`` and ``piri forget``: a round trip loses nothing."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import PiriRunner


def flat(text: str) -> str:
    return " ".join(text.split())


def diary_days(piri: PiriRunner, tmp_path: Path, name: str) -> list[dict[str, object]]:
    path = tmp_path / name
    assert piri("export", str(path)).returncode == 0
    return json.loads(path.read_text(encoding="utf-8"))["diary"]  # type: ignore[no-any-return]


def test_export_forget_import_round_trip(piri: PiriRunner, tmp_path: Path) -> None:
    assert piri("log", "--pain-now", "3", "--worst", "6", "--date", "2026-11-01").returncode == 0
    logged = piri("log", "--pain-now", "2", "--worst", "4", "--tingling", "--notes", "long drive")
    assert logged.returncode == 0
    before = diary_days(piri, tmp_path, "before.json")
    assert len(before) == 2
    assert piri("forget", "--yes").returncode == 0
    assert diary_days(piri, tmp_path, "empty.json") == []
    restored = piri("import-data", str(tmp_path / "before.json"))
    assert restored.returncode == 0, restored.stderr
    assert "Restored 2 diary days" in restored.stdout
    assert diary_days(piri, tmp_path, "after.json") == before


def test_the_round_trip_keeps_profile_sessions_doses_and_check(
    piri: PiriRunner, tmp_path: Path
) -> None:
    piri("profile", "--side", "right", "--equipment", "chair", "--days", "7", "--goal", "a film")
    assert piri("today", "--pace", "0", "--pain-during", "2", "--pain-after", "2").returncode == 0
    assert piri("today", "--morning", "1", "--usual", "2").returncode == 0
    assert piri("log", "--pain-now", "2", "--worst", "3").returncode == 0
    before = tmp_path / "before.json"
    assert piri("export", str(before)).returncode == 0
    exported = json.loads(before.read_text(encoding="utf-8"))
    assert exported["profile"][0]["painful_side"] == "right"
    assert exported["sessions"][0]["pain_next_morning"] == 1
    assert piri("forget", "--yes").returncode == 0
    assert piri("import-data", str(before)).returncode == 0
    after = tmp_path / "after.json"
    assert piri("export", str(after)).returncode == 0
    restored = json.loads(after.read_text(encoding="utf-8"))
    for key in ("diary", "profile", "sessions", "prescriptions", "outcome_scores"):
        assert restored[key] == exported[key], key


def test_import_never_overwrites_stored_data(piri: PiriRunner, tmp_path: Path) -> None:
    assert piri("log", "--pain-now", "3", "--worst", "6").returncode == 0
    export = tmp_path / "mine.json"
    assert piri("export", str(export)).returncode == 0
    again = piri("import-data", str(export))
    assert again.returncode == 2
    assert "this profile already holds data" in flat(again.stderr)
    assert len(diary_days(piri, tmp_path, "check.json")) == 1


def test_a_bad_export_file_is_refused_whole_and_named(piri: PiriRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    document = {
        "format": "piri-export",
        "version": 1,
        "diary": [
            {"day": "2026-11-01", "pain_now": 3, "worst_pain": 4},
            {"day": "2026-11-02", "pain_now": 3, "worst_pain": 14},
        ],
    }
    bad.write_text(json.dumps(document), encoding="utf-8")
    result = piri("import-data", str(bad))
    assert result.returncode == 2
    assert "diary entry 2: worst pain: expected a whole number from 0 to 10" in flat(result.stderr)
    assert diary_days(piri, tmp_path, "nothing.json") == []
    other = tmp_path / "other.json"
    other.write_text('{"hello": 1}', encoding="utf-8")
    assert "not a Piri export" in flat(piri("import-data", str(other)).stderr)
    assert "no such file" in flat(piri("import-data", str(tmp_path / "nope.json")).stderr)


def test_forget_without_yes_deletes_nothing(piri: PiriRunner, tmp_path: Path) -> None:
    assert piri("log", "--pain-now", "3", "--worst", "6").returncode == 0
    refused = piri("forget")
    assert refused.returncode == 2
    assert "piri forget --yes" in flat(refused.stderr)
    assert len(diary_days(piri, tmp_path, "still.json")) == 1


def test_an_export_with_an_impossible_profile_is_refused(piri: PiriRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad-profile.json"
    profile = {"days_per_week": 0, "minutes_per_day": 20, "equipment": [], "goals": []}
    bad.write_text(
        json.dumps({"format": "piri-export", "version": 1, "diary": [], "profile": [profile]}),
        encoding="utf-8",
    )
    result = piri("import-data", str(bad))
    assert result.returncode == 2
    assert "profile 1: days a week: expected 1 to 7, got 0" in flat(result.stderr)
    assert piri("progress").returncode == 0
