"""The figure file: how each position of an exercise is posed, as data.

One TOML file per exercise, ``src/piri/content/data/figures/<exercise-id>.toml``.
Every field is checked by the models below (unknown fields are errors), and the
contact check in :mod:`piri.illustrations.contacts` proves the pose touches what
it says it touches. Lengths are metres, angles degrees.

World axes
    ``x`` points to the front of the scene, ``y`` to the left of a figure that
    faces ``x``, ``z`` up. The floor is ``z = 0``.

Body orientation (``orientation`` and ``heading`` of a position)
    ``upright`` (standing, sitting, kneeling: the pelvis upright, the body faces
    ``+x``), ``lying_on_back``, ``lying_on_front``, ``lying_on_right_side``,
    ``lying_on_left_side`` (lying with the head towards ``+x``; lying on the right
    side, the body faces ``+y``). ``heading`` then turns the whole body about the
    vertical axis, counter-clockwise seen from above (90 = the body turned to its
    left). ``[positions.pelvis]`` places the midpoint between the two hip joints
    at ``x, y, z`` and tilts the pelvis: ``tilt`` (+ anterior, the top of the
    pelvis forward; - posterior), ``side_tilt`` (+ left side up) and
    ``rotation`` (+ pelvis turned to the left). Useful heights: sitting upright
    on a surface the hip joints are 0.10 above it, lying on the side 0.19,
    lying on the back 0.11, standing with straight legs 0.935 above the floor.

Joint angles (all default to 0, the anatomical standing position)
    ``[positions.left_hip]`` / ``right_hip``: ``flexion`` (-30..140, - is
    extension), ``abduction`` (-30..70, - is adduction), ``rotation`` (-60..70,
    + external: the knee turns out). Applied in that order, each about the axes
    the previous one moved (flexion first), so in a bent hip abduction moves the
    knee out sideways, as in a clamshell.
    ``left_knee`` / ``right_knee``: ``flexion`` (0..160).
    ``left_ankle`` / ``right_ankle``: ``dorsiflexion`` (-50..35, + toes up
    towards the shin, - pointed).
    ``trunk``: ``flexion`` (-40..110, - is extension), ``side_bend`` (-45..45,
    + to the left), ``rotation`` (-60..60, + chest turned to the left), spread
    evenly over the lower and upper spine.
    ``neck``: ``flexion`` (-70..70, + chin to chest, - looking up),
    ``side_bend`` (-45..45, + left ear to left shoulder), ``rotation``
    (-80..80, + face turned to the left).
    ``left_shoulder`` / ``right_shoulder``: ``flexion`` (-70..180, arm raised
    forward; - is extension, arm back), ``abduction`` (-30..180, arm out to the
    side), ``rotation`` (-90..90, + external).
    ``left_elbow`` / ``right_elbow``: ``flexion`` (0..150).
    ``left_wrist`` / ``right_wrist``: ``extension`` (-80..90, + back of the hand
    towards the forearm, as when the palm is flat on the floor).

Camera (``[camera]``, or ``[positions.camera]`` for one position)
    ``azimuth``: where the camera stands, in degrees about the vertical axis:
    0 in front (on ``+x``, looking back at a figure that faces ``+x``), 90 on
    the figure's left, 180 behind, 270 (or -90) on its right. ``elevation``:
    degrees above the floor plane (0 level, 90 straight down). The projection is
    orthographic and every picture is fitted to its figure.

Props (``[[props]]``, ``kind`` picks the prop; all but the band and the
dumbbell are placed in the world, so they stay put from position to position)
    ``mat``: x, y, heading, length (1.8), width (0.6).
    ``chair``: x, y = middle of the seat's FRONT edge, heading = the way a
    sitter faces, seat_height (0.45), seat_width (0.42), seat_depth (0.40),
    back_height (0.42, above the seat). Surfaces ``chair_seat``, ``chair_back``.
    ``foam_roller``: x, y = centre on the floor, heading = the way its axis
    points (90 = across a figure that faces ``+x``), length (0.90), diameter
    (0.15). Surface ``foam_roller``.
    ``step``: x, y = middle of its front edge, heading = the way someone stepping
    up faces, height (0.20), depth (0.30), width (0.60). Surface ``step``.
    ``wall``: x, y = a point of the wall on the floor, heading = the way the wall
    faces, width (1.6), height (2.0). Surface ``wall``.
    ``mini_band``: at = "knees" (just above the knees) or "ankles"; a position
    may move it with ``band = "ankles"``. It wraps both legs and stretches with
    them.
    ``dumbbell``: hand = "left" or "right"; it sits in that hand.
    The floor (surface ``floor``) is always there. A position may list its own
    ``props`` to replace the file's list for that picture.

Contacts (``contacts`` of a position, ``"body_point:surface"``)
    Every contact must hold within 4 cm, and no body part may sink more than
    2 cm into the floor (see :mod:`piri.illustrations.contacts`). Body points:
    ``head``, ``upper_back``, ``sacrum``, ``pelvis`` (the sitting bones) and,
    with ``left_`` or ``right_``: ``shoulder``, ``elbow``, ``forearm``,
    ``hand``, ``buttock``, ``hip`` (the outside of the hip), ``knee``,
    ``ankle``, ``heel``, ``toes``, ``foot`` (heel and toes both). Surfaces: the
    floor, a prop surface above, or any body point or body part (``chest``,
    ``waist``, ``pelvis``, ``neck``, ``head``, and with a side ``upper_arm``,
    ``forearm``, ``hand``, ``thigh``, ``shin``, ``foot``), e.g.
    ``"right_ankle:left_thigh"`` for a figure four.

Extras
    ``highlight = ["left_leg"]`` (file level; ``left_leg``, ``right_leg``,
    ``left_arm``, ``right_arm``): the working limbs get a soft yellow halo.
    ``arrow = { point = "left_knee", to = "open" }`` on a position
    draws a motion arrow from where that point is now to where it is in the
    position ``to``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Metres = Annotated[float, Field(ge=-10.0, le=10.0)]
Size = Annotated[float, Field(gt=0.0, le=5.0)]


def _limits(low: float, high: float) -> Any:
    """An angle's range in degrees, for ``Annotated[float, _limits(low, high)]``."""
    return Field(ge=low, le=high)


class PoseModel(BaseModel):
    """Base of the figure models: unknown fields are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"


class Limb(StrEnum):
    LEFT_LEG = "left_leg"
    RIGHT_LEG = "right_leg"
    LEFT_ARM = "left_arm"
    RIGHT_ARM = "right_arm"


class Orientation(StrEnum):
    """How the body lies before ``heading`` turns it about the vertical."""

    UPRIGHT = "upright"
    LYING_ON_BACK = "lying_on_back"
    LYING_ON_FRONT = "lying_on_front"
    LYING_ON_RIGHT_SIDE = "lying_on_right_side"
    LYING_ON_LEFT_SIDE = "lying_on_left_side"


class Camera(PoseModel):
    azimuth: float = Field(default=30.0, ge=-360.0, le=360.0)
    elevation: float = Field(default=10.0, ge=-10.0, le=90.0)


class Pelvis(PoseModel):
    """Where the hip-joint midpoint is, and how the pelvis is tipped."""

    x: Metres = 0.0
    y: Metres = 0.0
    z: Metres = 0.935
    tilt: Annotated[float, _limits(-45, 45)] = 0.0
    side_tilt: Annotated[float, _limits(-30, 30)] = 0.0
    rotation: Annotated[float, _limits(-60, 60)] = 0.0


class Hip(PoseModel):
    flexion: Annotated[float, _limits(-30, 140)] = 0.0
    abduction: Annotated[float, _limits(-30, 70)] = 0.0
    rotation: Annotated[float, _limits(-60, 70)] = 0.0


class Knee(PoseModel):
    flexion: Annotated[float, _limits(0, 160)] = 0.0


class Ankle(PoseModel):
    dorsiflexion: Annotated[float, _limits(-50, 35)] = 0.0


class Trunk(PoseModel):
    flexion: Annotated[float, _limits(-40, 110)] = 0.0
    side_bend: Annotated[float, _limits(-45, 45)] = 0.0
    rotation: Annotated[float, _limits(-60, 60)] = 0.0


class Neck(PoseModel):
    flexion: Annotated[float, _limits(-70, 70)] = 0.0
    side_bend: Annotated[float, _limits(-45, 45)] = 0.0
    rotation: Annotated[float, _limits(-80, 80)] = 0.0


class Shoulder(PoseModel):
    flexion: Annotated[float, _limits(-70, 180)] = 0.0
    abduction: Annotated[float, _limits(-30, 180)] = 0.0
    rotation: Annotated[float, _limits(-90, 90)] = 0.0


class Elbow(PoseModel):
    flexion: Annotated[float, _limits(0, 150)] = 0.0


class Wrist(PoseModel):
    extension: Annotated[float, _limits(-80, 90)] = 0.0


# --- props -------------------------------------------------------------------


class Mat(PoseModel):
    kind: Literal["mat"]
    x: Metres = 0.0
    y: Metres = 0.0
    heading: float = Field(default=0.0, ge=-360.0, le=360.0)
    length: Size = 1.8
    width: Size = 0.6


class Chair(PoseModel):
    kind: Literal["chair"]
    x: Metres = 0.0
    y: Metres = 0.0
    heading: float = Field(default=0.0, ge=-360.0, le=360.0)
    seat_height: Size = 0.45
    seat_width: Size = 0.42
    seat_depth: Size = 0.40
    back_height: Size = 0.42


class FoamRoller(PoseModel):
    kind: Literal["foam_roller"]
    x: Metres = 0.0
    y: Metres = 0.0
    heading: float = Field(default=90.0, ge=-360.0, le=360.0)
    length: Size = 0.90
    diameter: Size = 0.15


class Step(PoseModel):
    kind: Literal["step"]
    x: Metres = 0.0
    y: Metres = 0.0
    heading: float = Field(default=0.0, ge=-360.0, le=360.0)
    height: Size = 0.20
    depth: Size = 0.30
    width: Size = 0.60


class Wall(PoseModel):
    kind: Literal["wall"]
    x: Metres = 0.0
    y: Metres = 0.0
    heading: float = Field(default=0.0, ge=-360.0, le=360.0)
    width: Size = 1.6
    height: Size = 2.0


class BandPlace(StrEnum):
    KNEES = "knees"
    ANKLES = "ankles"


class MiniBand(PoseModel):
    kind: Literal["mini_band"]
    at: BandPlace = BandPlace.KNEES


class Dumbbell(PoseModel):
    kind: Literal["dumbbell"]
    hand: Side


Prop = Annotated[
    Mat | Chair | FoamRoller | Step | Wall | MiniBand | Dumbbell,
    Field(discriminator="kind"),
]

# Surfaces each prop kind offers to contacts.
PROP_SURFACES: dict[str, tuple[str, ...]] = {
    "mat": ("mat",),
    "chair": ("chair_seat", "chair_back"),
    "foam_roller": ("foam_roller",),
    "step": ("step",),
    "wall": ("wall",),
    "mini_band": (),
    "dumbbell": (),
}

# --- body names ----------------------------------------------------------------

SIDED_POINTS = (
    "shoulder",
    "elbow",
    "forearm",
    "hand",
    "buttock",
    "hip",
    "knee",
    "ankle",
    "heel",
    "toes",
    "foot",
)
BODY_POINTS: tuple[str, ...] = (
    "head",
    "upper_back",
    "sacrum",
    "pelvis",
    *(f"{side}_{name}" for side in ("left", "right") for name in SIDED_POINTS),
)
SIDED_PARTS = ("upper_arm", "forearm", "hand", "thigh", "shin", "foot")
BODY_PARTS: tuple[str, ...] = (
    "head",
    "neck",
    "chest",
    "waist",
    "pelvis",
    *(f"{side}_{name}" for side in ("left", "right") for name in SIDED_PARTS),
)
ALL_SURFACES: tuple[str, ...] = ("floor", *(s for v in PROP_SURFACES.values() for s in v))


def _check_contact(value: str) -> str:
    point, sep, surface = value.partition(":")
    if not sep:
        raise ValueError(f"'{value}' must be 'body_point:surface', e.g. 'left_heel:floor'")
    _check_point(point)
    known = set(ALL_SURFACES) | set(BODY_PARTS) | set(BODY_POINTS)
    if surface not in known:
        raise ValueError(
            f"'{surface}' is not a surface; use floor, a prop surface "
            f"({', '.join(ALL_SURFACES[1:])}) or a body point or part"
        )
    if point == surface:
        raise ValueError(f"'{value}' is a point touching itself")
    return value


def _check_point(value: str) -> str:
    if value not in BODY_POINTS:
        raise ValueError(f"'{value}' is not a body point; known: {', '.join(BODY_POINTS)}")
    return value


Contact = Annotated[str, AfterValidator(_check_contact)]
BodyPoint = Annotated[str, AfterValidator(_check_point)]


class Arrow(PoseModel):
    """A motion arrow from a body point here to the same point in position ``to``."""

    point: BodyPoint
    to: Slug


class Position(PoseModel):
    """One picture: the body, its joint angles and what it touches."""

    id: Slug
    label: Text
    description: Text | None = None
    orientation: Orientation = Orientation.UPRIGHT
    heading: float = Field(default=0.0, ge=-360.0, le=360.0)
    pelvis: Pelvis = Pelvis()
    trunk: Trunk = Trunk()
    neck: Neck = Neck()
    left_hip: Hip = Hip()
    right_hip: Hip = Hip()
    left_knee: Knee = Knee()
    right_knee: Knee = Knee()
    left_ankle: Ankle = Ankle()
    right_ankle: Ankle = Ankle()
    left_shoulder: Shoulder = Shoulder()
    right_shoulder: Shoulder = Shoulder()
    left_elbow: Elbow = Elbow()
    right_elbow: Elbow = Elbow()
    left_wrist: Wrist = Wrist()
    right_wrist: Wrist = Wrist()
    contacts: list[Contact] = []
    camera: Camera | None = None
    props: list[Prop] | None = None
    band: BandPlace | None = None
    arrow: Arrow | None = None

    @model_validator(mode="after")
    def _contacts_once(self) -> Self:
        twice = sorted({c for c in self.contacts if self.contacts.count(c) > 1})
        if twice:
            raise ValueError(f"contacts: '{twice[0]}' is listed twice")
        return self


class FigureFile(PoseModel):
    """Everything needed to draw the positions of one exercise."""

    exercise: Slug
    camera: Camera = Camera()
    highlight: list[Limb] = []
    props: list[Prop] = []
    positions: Annotated[list[Position], Field(min_length=2)]

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        ids = [position.id for position in self.positions]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"positions: the id '{repeated[0]}' is used twice")
        problems: list[str] = []
        for position in self.positions:
            props = self.props_of(position)
            kinds = [prop.kind for prop in props]
            twice = sorted({k for k in kinds if kinds.count(k) > 1})
            if twice:
                problems.append(f"position '{position.id}', field 'props': two {twice[0]} props")
            offered = {"floor", *(s for prop in props for s in PROP_SURFACES[prop.kind])}
            for contact in position.contacts:
                surface = contact.partition(":")[2]
                if surface in ALL_SURFACES and surface not in offered:
                    problems.append(
                        f"position '{position.id}', field 'contacts': '{contact}' needs a prop "
                        f"with the surface '{surface}'"
                    )
            if position.band is not None and "mini_band" not in kinds:
                problems.append(f"position '{position.id}', field 'band': there is no mini_band")
            if position.arrow is not None and position.arrow.to not in ids:
                problems.append(
                    f"position '{position.id}', field 'arrow.to': no position '{position.arrow.to}'"
                )
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def props_of(self, position: Position) -> list[Prop]:
        """The props of ``position``: its own list if it has one, else the file's."""
        return list(self.props if position.props is None else position.props)
