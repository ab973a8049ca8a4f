"""The pictures of an exercise or a self-test: written to files (CLI) or drawn for the web."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from piri.content.loader import library
from piri.domain.values import whole_number
from piri.services.library import NotFoundError, get_exercise


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


# Drawing for the web: every picture rendered once per process, never written to a file.


@dataclass(frozen=True)
class Picture:
    """One drawn position of a figure, ready to serve: 1-based number, label, size, and the
    SVG without its caption (pages show ``label`` as text beside it)."""

    figure_id: str
    number: int
    count: int
    id: str
    label: str
    alt: str  # the figure's name, the position's number and its label (or its description)
    width: float  # the SVG's viewBox size: its aspect ratio for layout
    height: float
    svg: str


class PositionNotFoundError(NotFoundError):
    """A position number a figure does not have; ``available`` holds the numbers it has."""

    def __init__(self, figure_id: str, wanted: str, count: int) -> None:
        super().__init__(
            f"position of '{figure_id}'", wanted, (str(n) for n in range(1, count + 1))
        )
        Exception.__init__(
            self,
            f"The figure '{figure_id}' has positions 1 to {count}; there is no position "
            f"'{wanted}'.",
        )


def figure_names() -> dict[str, str]:
    """Every figure id that belongs to an exercise or a self-test, with the name it is drawn
    under (exercises first, in library order)."""
    from piri.services.check import questionnaire

    names = {exercise.id: exercise.name for exercise in library().exercises.values()}
    for test in questionnaire().self_tests:
        names.setdefault(test.id, test.name)
    return names


def figure_pictures(figure_id: str) -> tuple[Picture, ...]:
    """Every position of an exercise's or a self-test's figure, drawn once per process.

    Raises NotFoundError (with suggestions and every figure id) for an unknown id.
    """
    names = figure_names()
    if figure_id not in names:
        raise NotFoundError("figure", figure_id, names)
    return _drawn(figure_id, names[figure_id])


def figure_picture(figure_id: str, number: int | str) -> Picture:
    """Position ``number`` (1-based) of a figure; PositionNotFoundError names those that exist."""
    pictures = figure_pictures(figure_id)
    text = str(number)
    wanted = whole_number(text)
    if wanted is None or not 1 <= wanted <= len(pictures):
        raise PositionNotFoundError(figure_id, text, len(pictures))
    return pictures[wanted - 1]


VIEW_BOX = re.compile(r'viewBox="0 0 ([0-9.]+) ([0-9.]+)"')
# The caption the renderer writes under the drawing (piri.illustrations.svg.document).
CAPTION = re.compile(r'<text font-family="sans-serif" font-size="([0-9.]+)"[^>]*>(.*?)</text>\n')


def without_caption(svg: str) -> str:
    """The drawing without the caption line(s) under it, cropped to the drawing's margins.

    Web pages write the caption as HTML text beside the picture (it scales with the reader's
    font size and stays readable when the picture is small); files written for the CLI keep
    theirs. An SVG whose caption cannot be found is returned as it is.
    """
    size = VIEW_BOX.search(svg)
    caption = CAPTION.search(svg)
    if size is None or caption is None:
        return svg
    from piri.illustrations.svg import fmt

    lines = caption[2].count("<tspan")
    height = fmt(float(size[2]) - float(caption[1]) * (0.5 + 1.25 * lines))
    width = size[1]
    return (
        svg.replace(caption[0], "", 1)
        .replace(size[0], f'viewBox="0 0 {width} {height}"', 1)
        .replace(
            f'<rect width="{width}" height="{size[2]}"',
            f'<rect width="{width}" height="{height}"',
            1,
        )
    )


@cache
def _drawn(figure_id: str, name: str) -> tuple[Picture, ...]:
    from piri.illustrations import load_figure, render_figure

    figure = load_figure(figure_id)
    rendered = render_figure(figure, name=name)
    descriptions = {position.id: position.description for position in figure.positions}
    pictures = []
    for number, position in enumerate(rendered, start=1):
        svg = without_caption(position.svg)
        size = VIEW_BOX.search(svg)
        width, height = (float(size[1]), float(size[2])) if size else (1.0, 1.0)
        described = descriptions.get(position.id) or position.label
        pictures.append(
            Picture(
                figure_id=figure_id,
                number=number,
                count=len(rendered),
                id=position.id,
                label=position.label,
                alt=f"{name}, position {number} of {len(rendered)}: {described}",
                width=width,
                height=height,
                svg=svg,
            )
        )
    return tuple(pictures)
