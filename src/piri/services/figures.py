"""Writing the pictures of an exercise or a self-test to files."""

from __future__ import annotations

from pathlib import Path

from piri.services.library import get_exercise


class FigureWriteError(OSError):
    """The pictures could not be written where the person asked."""


def write_exercise_figures(exercise_id: str, directory: Path) -> list[Path]:
    """Write one SVG per position of the exercise into ``directory``; return the paths."""
    exercise = get_exercise(exercise_id)
    return write_figures(exercise.id, exercise.name, directory)


def write_self_test_figures(test_id: str, directory: Path) -> list[Path]:
    """Write one SVG per position of a symptom-check self-test into ``directory``."""
    from piri.services.check import get_self_test

    test = get_self_test(test_id)
    return write_figures(test.id, test.name, directory)


def write_figures(figure_id: str, name: str, directory: Path) -> list[Path]:
    """Draw every position of the figure file ``figure_id`` and write them as SVG files."""
    from piri.illustrations import render_exercise  # drawing code loads only when needed

    positions = render_exercise(figure_id, name=name)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise FigureWriteError(
            f"cannot create the directory {directory}: {error.strerror}"
        ) from error
    if not directory.is_dir():
        raise FigureWriteError(f"{directory} exists and is not a directory")
    written = []
    for index, position in enumerate(positions, start=1):
        path = directory / f"{figure_id}-{index}-{position.id}.svg"
        try:
            path.write_text(position.svg, encoding="utf-8")
        except OSError as error:
            raise FigureWriteError(f"cannot write {path}: {error.strerror}") from error
        written.append(path)
    return written
