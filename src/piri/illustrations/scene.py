"""One position made concrete: the posed body and the props around it."""

from __future__ import annotations

from dataclasses import dataclass

from piri.illustrations.pose import FigureFile, Position
from piri.illustrations.props import PropGeometry, build_props
from piri.illustrations.shapes import Capsule
from piri.illustrations.skeleton import Body, pose_body


@dataclass(frozen=True)
class Scene:
    position: Position
    body: Body
    parts: tuple[Capsule, ...]
    props: PropGeometry


def build_scene(figure: FigureFile, position: Position) -> Scene:
    body = pose_body(position)
    parts = tuple(
        Capsule(s.name, s.group, s.group, s.start, s.start_radius, s.end, s.end_radius)
        for s in body.segments
    )
    props = build_props(figure.props_of(position), body, position.band)
    return Scene(position=position, body=body, parts=parts, props=props)
