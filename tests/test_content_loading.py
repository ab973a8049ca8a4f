"""Loading and validating the content files, including deliberately broken ones."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from piri.content.loader import DATA_DIR, ContentError, load_library


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of the packaged content that a test may break."""
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    return copy


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_every_content_file_loads() -> None:
    content = load_library()
    exercise_files = {p.stem for p in (DATA_DIR / "exercises").glob("*.toml")}
    section_files = {p.stem for p in (DATA_DIR / "knowledge").glob("*.toml")}
    assert set(content.exercises) == exercise_files
    assert {s.id for s in content.sections} == section_files
    assert {"relief", "strength", "article"} <= set(content.routines)
    assert content.safety.emergency


def test_an_unknown_field_names_the_file_the_item_and_the_field(data_copy: Path) -> None:
    path = data_copy / "exercises" / "clamshell.toml"
    _replace(path, "cues = [", 'colour = "red"\ncues = [')
    with pytest.raises(ContentError) as caught:
        load_library(data_copy)
    message = str(caught.value)
    assert "clamshell.toml" in message
    assert "item 'clamshell'" in message
    assert "field 'colour'" in message


def test_a_wrong_value_deep_in_a_file_names_the_nested_field(data_copy: Path) -> None:
    path = data_copy / "exercises" / "clamshell.toml"
    _replace(path, "sets = 3", "sets = 0")
    with pytest.raises(ContentError) as caught:
        load_library(data_copy)
    assert "field 'dose.sets'" in str(caught.value)
    assert "greater than or equal to 1" in str(caught.value)


def test_a_dose_with_both_reps_and_a_duration_is_refused(data_copy: Path) -> None:
    path = data_copy / "exercises" / "clamshell.toml"
    _replace(path, "sets = 3", "sets = 3\nduration_seconds = 30")
    with pytest.raises(ContentError, match="either 'reps' or 'duration_seconds'"):
        load_library(data_copy)


def test_invalid_toml_is_reported_with_the_file_name(data_copy: Path) -> None:
    path = data_copy / "exercises" / "clamshell.toml"
    _replace(path, 'id = "clamshell"', 'id = "clamshell')
    with pytest.raises(ContentError) as caught:
        load_library(data_copy)
    assert "clamshell.toml" in str(caught.value)
    assert "not valid TOML" in str(caught.value)


def test_a_link_to_a_missing_exercise_is_refused(data_copy: Path) -> None:
    path = data_copy / "exercises" / "clamshell.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index("harder = [")
    end = text.index("]", start) + 1
    path.write_text(text[:start] + 'harder = ["no-such-exercise"]' + text[end:], encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_library(data_copy)
    assert "field 'harder'" in str(caught.value)
    assert "no-such-exercise" in str(caught.value)


def test_an_id_that_differs_from_the_file_name_is_refused(data_copy: Path) -> None:
    path = data_copy / "exercises" / "clamshell.toml"
    path.rename(path.with_name("clam.toml"))
    with pytest.raises(ContentError, match="must match the file name"):
        load_library(data_copy)


def test_menu_text_from_the_scraped_article_is_refused(data_copy: Path) -> None:
    path = data_copy / "exercises" / "clamshell.toml"
    _replace(path, "steps = [", 'steps = [\n    "Health & Injuries.",')
    with pytest.raises(ContentError, match="menu text"):
        load_library(data_copy)


def test_a_clinical_statement_without_sources_is_refused(data_copy: Path) -> None:
    section = next((data_copy / "knowledge").glob("*.toml"))
    text = section.read_text(encoding="utf-8")
    start = text.index("sources = [")
    end = text.index("]\n", start) + 1
    section.write_text(text[:start] + "sources = []" + text[end:], encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_library(data_copy)
    assert "sources" in str(caught.value)
    assert section.name in str(caught.value)


def test_a_routine_naming_a_missing_exercise_is_refused(data_copy: Path) -> None:
    path = data_copy / "routines.toml"
    _replace(path, 'exercise = "clamshell"', 'exercise = "clam-shell"')
    with pytest.raises(ContentError) as caught:
        load_library(data_copy)
    assert "routines.toml" in str(caught.value)
    assert "clam-shell" in str(caught.value)


def test_a_missing_file_is_reported(data_copy: Path) -> None:
    (data_copy / "safety.toml").unlink()
    with pytest.raises(ContentError, match="does not exist"):
        load_library(data_copy)


def test_a_check_rule_on_an_unknown_question_or_option_names_the_rule(data_copy: Path) -> None:
    path = data_copy / "check" / "rules.toml"
    _replace(path, 'question = "saddle_numbness"', 'question = "saddle_numbnes"')
    _replace(path, 'equals = "worse_over_hours"', 'equals = "worse_by_the_minute"')
    with pytest.raises(ContentError) as caught:
        load_library(data_copy)
    message = str(caught.value)
    assert "rules.toml" in message
    assert "red flag 'saddle-numbness': no question with id 'saddle_numbnes'" in message
    assert "'worse_by_the_minute' is not an option of 'leg_weakness'" in message


def test_a_question_of_the_wrong_shape_names_the_question_and_field(data_copy: Path) -> None:
    path = data_copy / "check" / "questionnaire.toml"
    _replace(path, 'type = "pain_scale"', 'type = "pain_score"')
    with pytest.raises(ContentError) as caught:
        load_library(data_copy)
    message = str(caught.value)
    assert "questionnaire.toml" in message
    assert "item 'worst_pain', field 'questions[worst_pain].type'" in message
