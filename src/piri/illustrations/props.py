"""3D geometry of the props: mat, chair, foam roller, step, wall, mini band, dumbbell.

Props placed in the world (mat, chair, roller, step, wall) become solids with
named contact surfaces; the band and the dumbbell follow the body.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from piri.illustrations.geometry import (
    Mat as Matrix,
)
from piri.illustrations.geometry import (
    Vec,
    add,
    column,
    cross,
    from_columns,
    lerp,
    mat_vec,
    normalize,
    scale,
    sub,
)
from piri.illustrations.pose import (
    BandPlace,
    Chair,
    Dumbbell,
    FoamRoller,
    Mat,
    MiniBand,
    Prop,
    Step,
    Wall,
)
from piri.illustrations.shapes import Box, Cylinder, Solid
from piri.illustrations.skeleton import Body

UP: Vec = (0.0, 0.0, 1.0)
# Where the band sits along a bone, from its top joint (0) to its bottom joint (1).
BAND_ON_THIGH = 0.82
BAND_ON_SHIN = 0.86
BAND_THICKNESS = 0.006
MAT_THICKNESS = 0.006


@dataclass(frozen=True)
class BandLoop:
    """The mini band: a closed loop of points round two leg centres."""

    points: tuple[Vec, ...]
    left_centre: Vec
    right_centre: Vec


@dataclass
class PropGeometry:
    """Solids to draw, contact surfaces by name, the mat outline and the band loop."""

    solids: list[Solid] = field(default_factory=list)
    surfaces: dict[str, Solid] = field(default_factory=dict)
    mats: list[list[Vec]] = field(default_factory=list)
    band: BandLoop | None = None


def _frame(heading: float) -> tuple[Vec, Vec, Matrix]:
    """Forward and left unit vectors for a heading, and the matrix (forward, left, up)."""
    h = math.radians(heading)
    forward: Vec = (math.cos(h), math.sin(h), 0.0)
    left: Vec = (-math.sin(h), math.cos(h), 0.0)
    return forward, left, from_columns(forward, left, UP)


def _at(x: float, y: float, *offsets: tuple[Vec, float]) -> Vec:
    point: Vec = (x, y, 0.0)
    for direction, amount in offsets:
        point = add(point, scale(direction, amount))
    return point


def _chair(chair: Chair, geometry: PropGeometry) -> None:
    forward, left, axes = _frame(chair.heading)
    seat_t = 0.04
    leg = 0.016
    seat = Box(
        "chair_seat",
        "chair.seat",
        "prop",
        _at(
            chair.x, chair.y, (forward, -chair.seat_depth / 2), (UP, chair.seat_height - seat_t / 2)
        ),
        axes,
        (chair.seat_depth / 2, chair.seat_width / 2, seat_t / 2),
    )
    geometry.solids.append(seat)
    geometry.surfaces["chair_seat"] = seat
    leg_height = chair.seat_height - seat_t
    for name, back, side in (
        ("front_left", 0.0, 1.0),
        ("front_right", 0.0, -1.0),
        ("back_left", 1.0, 1.0),
        ("back_right", 1.0, -1.0),
    ):
        depth = 0.025 + back * (chair.seat_depth - 0.05)
        lateral = side * (chair.seat_width / 2 - 0.025)
        geometry.solids.append(
            Box(
                f"chair_{name}_leg",
                f"chair.{name}_leg",
                "prop",
                _at(chair.x, chair.y, (forward, -depth), (left, lateral), (UP, leg_height / 2)),
                axes,
                (leg, leg, leg_height / 2),
            )
        )
        if back:
            geometry.solids.append(
                Box(
                    f"chair_{name}_post",
                    f"chair.{name}_post",
                    "prop",
                    _at(
                        chair.x,
                        chair.y,
                        (forward, -depth),
                        (left, lateral),
                        (UP, chair.seat_height + chair.back_height / 2),
                    ),
                    axes,
                    (leg, leg, chair.back_height / 2),
                )
            )
    back_panel = Box(
        "chair_back",
        "chair.back",
        "prop",
        _at(
            chair.x,
            chair.y,
            (forward, -(chair.seat_depth - 0.025)),
            (UP, chair.seat_height + chair.back_height * 0.72),
        ),
        axes,
        (0.012, chair.seat_width / 2 - 0.01, chair.back_height * 0.25),
    )
    geometry.solids.append(back_panel)
    geometry.surfaces["chair_back"] = back_panel


def _roller(roller: FoamRoller, geometry: PropGeometry) -> None:
    axis, _, _ = _frame(roller.heading)
    r = roller.diameter / 2
    centre = _at(roller.x, roller.y, (UP, r))
    solid = Cylinder(
        "foam_roller",
        "foam_roller",
        "roller",
        add(centre, scale(axis, -roller.length / 2)),
        add(centre, scale(axis, roller.length / 2)),
        r,
    )
    geometry.solids.append(solid)
    geometry.surfaces["foam_roller"] = solid


def _step(step: Step, geometry: PropGeometry) -> None:
    forward, _, axes = _frame(step.heading)
    solid = Box(
        "step",
        "step",
        "prop",
        _at(step.x, step.y, (forward, -step.depth / 2), (UP, step.height / 2)),
        axes,
        (step.depth / 2, step.width / 2, step.height / 2),
    )
    geometry.solids.append(solid)
    geometry.surfaces["step"] = solid


def _wall(wall: Wall, geometry: PropGeometry) -> None:
    facing, _, axes = _frame(wall.heading)
    solid = Box(
        "wall",
        "wall",
        "wall",
        _at(wall.x, wall.y, (facing, -0.04), (UP, wall.height / 2)),
        axes,
        (0.04, wall.width / 2, wall.height / 2),
    )
    geometry.solids.append(solid)
    geometry.surfaces["wall"] = solid


def _mat(mat: Mat, geometry: PropGeometry) -> None:
    forward, left, axes = _frame(mat.heading)
    corners = [
        _at(
            mat.x,
            mat.y,
            (forward, fx * mat.length / 2),
            (left, ly * mat.width / 2),
            (UP, MAT_THICKNESS),
        )
        for fx, ly in ((-1, -1), (1, -1), (1, 1), (-1, 1))
    ]
    geometry.mats.append(corners)
    geometry.surfaces["mat"] = Box(
        "mat",
        "mat",
        "mat",
        _at(mat.x, mat.y, (UP, MAT_THICKNESS / 2)),
        axes,
        (mat.length / 2, mat.width / 2, MAT_THICKNESS / 2),
    )


def _dumbbell(dumbbell: Dumbbell, body: Body, geometry: PropGeometry) -> None:
    side = dumbbell.hand.value
    hand = body.frames[f"{side}_hand"]
    wrist = body.joints[f"{side}_wrist"]
    grip = add(wrist, mat_vec(hand, (0.0, 0.0, -0.075)))
    across = column(hand, 1)
    handle = 0.075
    geometry.solids.append(
        Cylinder(
            "dumbbell_handle",
            "dumbbell.handle",
            "weight",
            add(grip, scale(across, -handle)),
            add(grip, scale(across, handle)),
            0.016,
        )
    )
    for sign, name in ((-1.0, "a"), (1.0, "b")):
        geometry.solids.append(
            Cylinder(
                f"dumbbell_plate_{name}",
                f"dumbbell.plate_{name}",
                "weight",
                add(grip, scale(across, sign * handle)),
                add(grip, scale(across, sign * (handle + 0.05))),
                0.055,
            )
        )


def band_loop(body: Body, place: BandPlace) -> BandLoop:
    """The closed loop of a mini band round both legs, at the thighs or the shins."""
    bone, t = ("thigh", BAND_ON_THIGH) if place is BandPlace.KNEES else ("shin", BAND_ON_SHIN)
    left, right = body.segment(f"left_{bone}"), body.segment(f"right_{bone}")
    a = lerp(left.start, left.end, t)
    b = lerp(right.start, right.end, t)
    ra = left.start_radius + (left.end_radius - left.start_radius) * t + BAND_THICKNESS
    rb = right.start_radius + (right.end_radius - right.start_radius) * t + BAND_THICKNESS
    across = normalize(sub(b, a))
    along = add(normalize(sub(left.end, left.start)), normalize(sub(right.end, right.start)))
    normal = normalize(
        sub(along, scale(across, sum(x * y for x, y in zip(along, across, strict=True))))
    )
    side = cross(normal, across)
    points: list[Vec] = []
    steps = 12
    for centre, radius, start in ((b, rb, -90.0), (a, ra, 90.0)):
        for i in range(steps + 1):
            angle = math.radians(start + 180.0 * i / steps)
            offset = add(
                scale(across, radius * math.cos(angle)), scale(side, radius * math.sin(angle))
            )
            points.append(add(centre, offset))
    points.append(points[0])
    return BandLoop(points=tuple(points), left_centre=a, right_centre=b)


def build_props(props: list[Prop], body: Body, band_place: BandPlace | None) -> PropGeometry:
    """The geometry of ``props`` around a posed ``body``."""
    geometry = PropGeometry()
    for prop in props:
        if isinstance(prop, Chair):
            _chair(prop, geometry)
        elif isinstance(prop, FoamRoller):
            _roller(prop, geometry)
        elif isinstance(prop, Step):
            _step(prop, geometry)
        elif isinstance(prop, Wall):
            _wall(prop, geometry)
        elif isinstance(prop, Mat):
            _mat(prop, geometry)
        elif isinstance(prop, Dumbbell):
            _dumbbell(prop, body, geometry)
        elif isinstance(prop, MiniBand):
            geometry.band = band_loop(body, band_place or prop.at)
    return geometry
