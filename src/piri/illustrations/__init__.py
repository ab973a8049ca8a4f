"""Exercise pictures drawn from pose data: one SVG per position of an exercise.

``render_exercise(exercise_id, name=...)`` reads
``content/data/figures/<exercise-id>.toml`` (format: :mod:`piri.illustrations.pose`),
poses the body with fixed bone lengths (:mod:`.skeleton`), places the props
(:mod:`.props`) and draws every position (:mod:`.svg`). ``check_figure`` proves
each stated contact holds (:mod:`.contacts`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from piri.content.loader import DATA_DIR, ContentError, load_model
from piri.illustrations.contacts import check_figure
from piri.illustrations.pose import FigureFile, Position
from piri.illustrations.projection import View
from piri.illustrations.scene import Scene, build_scene
from piri.illustrations.shapes import Box, Cylinder
from piri.illustrations.svg import Canvas, Style, document, draw_scene

FIGURES_DIR = DATA_DIR / "figures"
FLOOR_MARGIN = 0.12

__all__ = [
    "FIGURES_DIR",
    "FigureFile",
    "RenderedPosition",
    "check_figure",
    "figure_path",
    "load_figure",
    "render_exercise",
    "render_figure",
]


@dataclass(frozen=True)
class RenderedPosition:
    """One drawn position: its id (a slug), its label and the SVG text."""

    id: str
    label: str
    svg: str


def figure_path(exercise_id: str, directory: Path = FIGURES_DIR) -> Path:
    return directory / f"{exercise_id}.toml"


def load_figure(exercise_id: str, directory: Path = FIGURES_DIR) -> FigureFile:
    """Load and validate the figure file of an exercise; a broken one raises ContentError."""
    path = figure_path(exercise_id, directory)
    if not path.is_file():
        raise ContentError(
            path, [f"no figure file for the exercise '{exercise_id}' (see README.md here)"]
        )
    figure = load_model(path, FigureFile)
    if figure.exercise != exercise_id:
        raise ContentError(
            path, [f"field 'exercise': '{figure.exercise}' must match the file name"]
        )
    return figure


def _floor_extent(scenes: list[Scene]) -> tuple[float, float, float, float]:
    """The floor patch under everything, in world x and y."""
    xs: list[float] = []
    ys: list[float] = []
    for scene in scenes:
        for _, sphere in scene.body.all_spheres():
            xs += [sphere.centre[0] - sphere.radius, sphere.centre[0] + sphere.radius]
            ys += [sphere.centre[1] - sphere.radius, sphere.centre[1] + sphere.radius]
        for solid in scene.props.solids:
            if isinstance(solid, Box):
                for corner in solid.corners():
                    xs.append(corner[0])
                    ys.append(corner[1])
            elif isinstance(solid, Cylinder):
                for end in (solid.a, solid.b):
                    xs += [end[0] - solid.radius, end[0] + solid.radius]
                    ys += [end[1] - solid.radius, end[1] + solid.radius]
        for mat in scene.props.mats:
            xs += [p[0] for p in mat]
            ys += [p[1] for p in mat]
    return (
        min(xs) - FLOOR_MARGIN,
        min(ys) - FLOOR_MARGIN,
        max(xs) + FLOOR_MARGIN,
        max(ys) + FLOOR_MARGIN,
    )


def _camera_of(figure: FigureFile, position: Position) -> View:
    return View.of(position.camera or figure.camera)


def render_figure(figure: FigureFile, name: str | None = None) -> list[RenderedPosition]:
    """Draw every position of ``figure``; positions seen alike share one frame and scale."""
    title_name = name or figure.exercise.replace("-", " ").capitalize()
    scenes = {p.id: build_scene(figure, p) for p in figure.positions}
    floor = _floor_extent(list(scenes.values()))
    style = Style(highlight=frozenset(limb.value for limb in figure.highlight))
    canvases: list[tuple[Position, View, Canvas]] = []
    for position in figure.positions:
        scene = scenes[position.id]
        view = _camera_of(figure, position)
        arrow = None
        if position.arrow is not None:
            point = position.arrow.point
            start = scene.body.points[point][0].centre
            end = scenes[position.arrow.to].body.points[point][0].centre
            arrow = (start, end)
        canvases.append((position, view, draw_scene(scene, view, floor, style, arrow)))
    rendered = []
    count = len(canvases)
    for index, (position, view, canvas) in enumerate(canvases, start=1):
        shared = [c for p, v, c in canvases if v == view]
        extent = (
            min(c.extent[0] for c in shared),
            min(c.extent[1] for c in shared),
            max(c.extent[2] for c in shared),
            max(c.extent[3] for c in shared),
        )
        assert all(math.isfinite(v) for v in extent)
        description = position.description or (
            f"Drawing of {title_name}, position {index} of {count}: {position.label}."
        )
        svg = document(
            canvas,
            extent,
            title=f"{title_name} \N{EN DASH} {position.label}",
            description=description,
            caption=position.label,
        )
        rendered.append(RenderedPosition(id=position.id, label=position.label, svg=svg))
    return rendered


def render_exercise(
    exercise_id: str, *, name: str | None = None, directory: Path = FIGURES_DIR
) -> list[RenderedPosition]:
    """One SVG per position of the exercise, in the order of its figure file."""
    return render_figure(load_figure(exercise_id, directory), name=name)
