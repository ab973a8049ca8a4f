"""Load the content data files into typed models.

A broken file stops loading with a :class:`ContentError` that names the file,
the item and the field, so whoever edits the content can fix it at once.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from piri.content.check_models import CheckRules, Questionnaire, check_rule_conditions
from piri.content.models import (
    Exercise,
    KnowledgeSection,
    Routine,
    RoutineFile,
    SafetyNotice,
)
from piri.content.program_models import Program
from piri.content.questionnaire_models import ScaleQuestionnaire
from piri.content.return_to_run_models import ReturnToRunPlan

DATA_DIR = Path(__file__).parent / "data"

ModelT = TypeVar("ModelT", bound=BaseModel)


class ContentError(Exception):
    """A content file is missing, unreadable or does not match its model."""

    def __init__(self, path: Path, problems: Iterable[str]) -> None:
        self.path = path
        self.problems = list(problems)
        listed = "\n".join(f"  - {problem}" for problem in self.problems)
        super().__init__(f"{path}:\n{listed}")


def _location(loc: tuple[int | str, ...], raw: dict[str, Any]) -> str:
    """Turn a pydantic error location into 'item <id>, field <dotted.path>'."""
    parts: list[str] = []
    node: Any = raw
    item_id: str | None = raw.get("id") if isinstance(raw, dict) else None
    for key in loc:
        if isinstance(node, dict) and isinstance(key, str):
            node = node.get(key)
            parts.append(key)
        elif isinstance(node, list) and isinstance(key, int) and key < len(node):
            node = node[key]
            if isinstance(node, dict) and "id" in node:
                item_id = str(node["id"])
                parts.append(f"[{node['id']}]")
            else:
                parts.append(f"[{key + 1}]")
        else:
            parts.append(str(key))
    field = ".".join(parts).replace(".[", "[") or "(whole file)"
    item = f"item '{item_id}', " if item_id else ""
    return f"{item}field '{field}'"


def read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as error:
        raise ContentError(path, ["the file does not exist"]) from error
    except tomllib.TOMLDecodeError as error:
        raise ContentError(path, [f"not valid TOML: {error}"]) from error


def load_model(path: Path, model: type[ModelT]) -> ModelT:
    """Read one TOML file and validate it as ``model``."""
    raw = read_toml(path)
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        problems = [f"{_location(e['loc'], raw)}: {e['msg']}" for e in error.errors()]
        raise ContentError(path, problems) from error


def _load_dir(directory: Path, model: type[ModelT]) -> list[tuple[Path, ModelT]]:
    return [(path, load_model(path, model)) for path in sorted(directory.glob("*.toml"))]


@dataclass(frozen=True)
class ContentLibrary:
    """All clinical content, validated and cross-checked."""

    exercises: dict[str, Exercise]
    sections: list[KnowledgeSection]
    routines: dict[str, Routine]
    safety: SafetyNotice
    questionnaire: Questionnaire
    check_rules: CheckRules
    program: Program
    lefs: ScaleQuestionnaire
    return_to_run: ReturnToRunPlan

    def section(self, section_id: str) -> KnowledgeSection | None:
        return next((s for s in self.sections if s.id == section_id), None)


def load_exercises(directory: Path) -> dict[str, Exercise]:
    exercises: dict[str, Exercise] = {}
    for path, exercise in _load_dir(directory, Exercise):
        if path.stem != exercise.id:
            raise ContentError(path, [f"field 'id': '{exercise.id}' must match the file name"])
        exercises[exercise.id] = exercise
    for exercise in exercises.values():
        for field in ("easier", "harder"):
            unknown = [ref for ref in getattr(exercise, field) if ref not in exercises]
            if unknown:
                path = directory / f"{exercise.id}.toml"
                msg = f"item '{exercise.id}', field '{field}': no exercise with id {unknown}"
                raise ContentError(path, [msg])
    return exercises


def load_sections(directory: Path) -> list[KnowledgeSection]:
    loaded = _load_dir(directory, KnowledgeSection)
    seen: dict[int, Path] = {}
    for path, section in loaded:
        if path.stem != section.id:
            raise ContentError(path, [f"field 'id': '{section.id}' must match the file name"])
        if section.order in seen:
            msg = f"field 'order': {section.order} is also used by {seen[section.order].name}"
            raise ContentError(path, [msg])
        seen[section.order] = path
    return sorted((section for _, section in loaded), key=lambda s: s.order)


def load_routines(path: Path, exercises: dict[str, Exercise]) -> dict[str, Routine]:
    routines = {routine.id: routine for routine in load_model(path, RoutineFile).routines}
    for routine in routines.values():
        for index, item in enumerate(routine.items, start=1):
            if item.exercise not in exercises:
                msg = (
                    f"item '{routine.id}', field 'items[{index}].exercise': "
                    f"no exercise with id '{item.exercise}'"
                )
                raise ContentError(path, [msg])
    return routines


def load_library(data_dir: Path = DATA_DIR) -> ContentLibrary:
    """Load and cross-check every content file under ``data_dir``."""
    exercises = load_exercises(data_dir / "exercises")
    sections = load_sections(data_dir / "knowledge")
    routines = load_routines(data_dir / "routines.toml", exercises)
    questionnaire = load_model(data_dir / "check" / "questionnaire.toml", Questionnaire)
    return ContentLibrary(
        exercises=exercises,
        sections=sections,
        routines=routines,
        safety=load_model(data_dir / "safety.toml", SafetyNotice),
        questionnaire=questionnaire,
        check_rules=load_check_rules(
            data_dir / "check" / "rules.toml", questionnaire, routines, sections
        ),
        program=load_program(data_dir / "program.toml", exercises),
        lefs=load_model(data_dir / "questionnaires" / "lefs.toml", ScaleQuestionnaire),
        return_to_run=load_model(data_dir / "return_to_run.toml", ReturnToRunPlan),
    )


def load_program(path: Path, exercises: dict[str, Exercise]) -> Program:
    """The phases and strength ladders; every exercise they name must exist."""
    program = load_model(path, Program)
    unknown = sorted(program.exercise_ids() - set(exercises))
    if unknown:
        raise ContentError(path, [f"no exercise with id {unknown}"])
    return program


def load_check_rules(
    path: Path,
    questionnaire: Questionnaire,
    routines: dict[str, Routine],
    sections: list[KnowledgeSection],
) -> CheckRules:
    """The red flags and patterns, cross-checked against the questions, routines and sections."""
    rules = load_model(path, CheckRules)
    problems = check_rule_conditions(rules, questionnaire)
    section_ids = {section.id for section in sections}
    for pattern in rules.patterns:
        routine = pattern.next_steps.routine
        if routine is not None and routine not in routines:
            problems.append(
                f"pattern '{pattern.id}', field 'next_steps.routine': no routine '{routine}'"
            )
        if pattern.learn_more is not None and pattern.learn_more not in section_ids:
            problems.append(
                f"pattern '{pattern.id}', field 'learn_more': no section '{pattern.learn_more}'"
            )
    if problems:
        raise ContentError(path, problems)
    return rules


@cache
def library() -> ContentLibrary:
    """The packaged content, loaded once per process."""
    return load_library()
