"""``piri exercises`` and ``piri exercise show`` through the real command."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from piri.content.loader import load_library
from tests.conftest import PiriRunner


def test_the_table_lists_every_exercise(piri: PiriRunner) -> None:
    result = piri("exercises")
    assert result.returncode == 0, result.stderr
    for exercise_id in load_library().exercises:
        assert exercise_id in result.stdout


def test_json_output_filters_by_target_and_equipment(piri: PiriRunner) -> None:
    result = piri(
        "exercises", "--target", "strength", "--equipment", "mini_band", "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    ids = {item["id"] for item in found}
    assert {"clamshell", "monster-walk"} <= ids
    for item in found:
        assert "strength" in item["targets"]
        assert "mini_band" in item["equipment"]
        assert item["dose"]["summary"]


def test_equipment_none_keeps_only_exercises_that_need_nothing(piri: PiriRunner) -> None:
    result = piri("exercises", "--equipment", "none", "--format", "json")
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found, "some exercises need no equipment"
    assert all(item["equipment"] == [] for item in found)
    assert "glute-bridge" in {item["id"] for item in found}


def test_an_unknown_target_names_the_valid_choices(piri: PiriRunner) -> None:
    result = piri("exercises", "--target", "cardio")
    assert result.returncode == 2
    assert "'cardio' is not a valid target" in result.stderr
    assert "nerve_mobility" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unknown_equipment_names_the_valid_choices(piri: PiriRunner) -> None:
    result = piri("exercises", "--equipment", "kettlebell")
    assert result.returncode == 2
    assert "foam_roller" in result.stderr


def test_show_prints_steps_dose_and_the_safety_notice(piri: PiriRunner) -> None:
    exercise = load_library().exercises["clamshell"]
    result = piri("exercise", "show", "clamshell")
    assert result.returncode == 0, result.stderr
    flat = " ".join(result.stdout.split())
    assert exercise.name in flat
    for number, step in enumerate(exercise.steps, start=1):
        assert f"{number}. {' '.join(step.split()[:5])}" in flat
    assert exercise.dose.describe() in flat
    assert "When not to do it" in result.stdout
    assert "When to see a professional" in result.stdout


def test_show_as_json_carries_the_sources(piri: PiriRunner) -> None:
    result = piri("exercise", "show", "monster-walk", "--format", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["id"] == "monster-walk"
    assert document["sources"][0]["url"].startswith("http")


def test_show_writes_one_valid_svg_per_position(piri: PiriRunner, tmp_path: Path) -> None:
    out = tmp_path / "pictures"
    result = piri("exercise", "show", "sciatic-nerve-floss", "--svg", str(out))
    assert result.returncode == 0, result.stderr
    files = sorted(out.glob("*.svg"))
    assert len(files) >= 2
    for path in files:
        assert str(path) in " ".join(result.stdout.split()) or path.name in result.stdout
        root = ET.parse(path).getroot()
        assert root.tag.endswith("svg")
        assert root.get("viewBox")


def test_show_into_a_file_instead_of_a_directory_is_a_clear_error(
    piri: PiriRunner, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    result = piri("exercise", "show", "clamshell", "--svg", str(blocker))
    assert result.returncode == 2
    assert "not-a-dir" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unknown_exercise_suggests_the_close_one(piri: PiriRunner) -> None:
    result = piri("exercise", "show", "clamshel")
    assert result.returncode == 2
    assert "Did you mean clamshell" in result.stderr
    assert "monster-walk" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_a_wrong_format_is_refused_by_the_option_parser(piri: PiriRunner) -> None:
    result = piri("exercise", "show", "clamshell", "--format", "yaml")
    assert result.returncode == 2
    assert "yaml" in result.stderr
