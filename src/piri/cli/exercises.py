"""``piri exercises`` and ``piri exercise show``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from piri.cli.output import (
    EXIT_BAD_INPUT,
    print_invalid_choice,
    print_not_found,
    print_safety_notice,
    stderr,
    stdout,
)
from piri.content.models import Exercise
from piri.services.library import (
    InvalidChoiceError,
    NotFoundError,
    find_exercises,
    get_exercise,
)


def run_list(*, target: str | None, equipment: str | None, output: str) -> int:
    try:
        found = find_exercises(target=target, equipment=equipment)
    except InvalidChoiceError as error:
        return print_invalid_choice(error)
    if output == "json":
        print(json.dumps([exercise_as_json(e) for e in found], indent=2, ensure_ascii=False))
        return 0
    console = stdout()
    if not found:
        console.print("No exercise matches these filters. Try without --target or --equipment.")
        return 0
    table = Table(title=f"Exercises ({len(found)})", title_justify="left")
    table.add_column("Id", style="bold", no_wrap=True)
    table.add_column("Name")
    table.add_column("Works on")
    table.add_column("Equipment")
    table.add_column("Dose")
    for exercise in found:
        table.add_row(
            exercise.id,
            exercise.name,
            ", ".join(_words(t) for t in exercise.targets),
            ", ".join(_words(e) for e in exercise.equipment) or "none",
            exercise.dose.describe(),
        )
    console.print(table)
    console.print("Details and pictures: piri exercise show ID [--svg DIR]")
    return 0


def run_show(exercise_id: str, *, output: str, svg_dir: Path | None) -> int:
    try:
        exercise = get_exercise(exercise_id)
    except NotFoundError as error:
        return print_not_found(error)
    written: list[Path] = []
    if svg_dir is not None:
        from piri.services.figures import FigureWriteError, write_exercise_figures

        try:
            written = write_exercise_figures(exercise.id, svg_dir)
        except FigureWriteError as error:
            stderr().print(f"[bold red]Error:[/] {error}")
            return EXIT_BAD_INPUT
    if output == "json":
        document = exercise_as_json(exercise)
        if written:
            document["svg_files"] = [str(path) for path in written]
        print(json.dumps(document, indent=2, ensure_ascii=False))
        return 0
    console = stdout()
    _print_exercise(console, exercise)
    if written:
        console.print("[bold]Pictures written:[/]")
        for path in written:
            console.print(f"  {path}")
        console.print()
    print_safety_notice(console)
    return 0


def exercise_as_json(exercise: Exercise) -> dict[str, Any]:
    document = exercise.model_dump(mode="json")
    document["dose"]["summary"] = exercise.dose.describe()
    return document


def _words(value: str) -> str:
    return value.replace("_", " ")


def _print_list(console: Console, heading: str, items: list[str], numbered: bool = False) -> None:
    if not items:
        return
    console.print(f"[bold]{heading}[/]")
    for index, item in enumerate(items, start=1):
        console.print(f"  {index}. {item}" if numbered else f"  • {item}")
    console.print()


def _linked(ids: list[str]) -> list[str]:
    return [f"{get_exercise(i).name} ({i})" for i in ids]


def _print_exercise(console: Console, exercise: Exercise) -> None:
    console.rule(f"[bold]{exercise.name}")
    console.print(f"[italic]{exercise.purpose}[/]\n")
    console.print(f"[bold]Works on:[/] {', '.join(_words(t) for t in exercise.targets)}")
    if exercise.muscles:
        console.print(f"[bold]Muscles:[/] {', '.join(exercise.muscles)}")
    equipment = ", ".join(_words(e) for e in exercise.equipment) or "none"
    console.print(f"[bold]Equipment:[/] {equipment}")
    console.print(f"[bold]Dose:[/] {exercise.dose.describe()}")
    if exercise.dose.note:
        console.print(f"  {exercise.dose.note}")
    console.print()
    console.print(f"[bold]Starting position[/]\n  {exercise.starting_position}\n")
    _print_list(console, "Steps", exercise.steps, numbered=True)
    _print_list(console, "Cues", exercise.cues)
    _print_list(console, "Common mistakes", exercise.common_mistakes)
    _print_list(console, "Easier", _linked(exercise.easier))
    _print_list(console, "Harder", _linked(exercise.harder))
    _print_list(console, "When not to do it", exercise.avoid_if)
    _print_list(console, "Sources", [f"{s.title} <{s.url}>" for s in exercise.sources])
