"""The contact check: a pose must touch what it says it touches, and not sink into things.

A contact ``"point:surface"`` holds when every sphere of the body point is
within :data:`CONTACT_TOLERANCE` of the surface (a gap or an overlap: soft
tissue gives a little). No body part may sink more than :data:`FLOOR_TOLERANCE`
below the floor, or more than :data:`SINK_TOLERANCE` into a solid prop.
"""

from __future__ import annotations

from dataclasses import dataclass

from piri.illustrations.geometry import distance
from piri.illustrations.pose import BODY_PARTS, FigureFile
from piri.illustrations.scene import Scene, build_scene
from piri.illustrations.shapes import Capsule

CONTACT_TOLERANCE = 0.04
FLOOR_TOLERANCE = 0.02
SINK_TOLERANCE = 0.04

# Body parts made of more than one drawn capsule.
_PART_CAPSULES = {
    "pelvis": tuple(f"pelvis_{c}" for c in ("fl", "fr", "bl", "br")),
    "waist": tuple(f"waist_{c}" for c in ("fl", "fr", "bl", "br")),
    "chest": (*(f"chest_{c}" for c in ("fl", "fr", "bl", "br")), "shoulders"),
    **{f"{side}_foot": (f"{side}_foot", f"{side}_instep") for side in ("left", "right")},
}


@dataclass(frozen=True)
class ContactGap:
    """How far a stated contact is from holding: ``gap`` in metres, + apart, - sunk in."""

    position: str
    contact: str
    gap: float

    @property
    def holds(self) -> bool:
        return abs(self.gap) <= CONTACT_TOLERANCE


def _surface_distance(scene: Scene, surface: str, point: tuple[float, float, float]) -> float:
    """Signed distance from ``point`` to a named surface (floor, prop, body part or point)."""
    if surface == "floor":
        return point[2]
    if surface in scene.props.surfaces:
        return scene.props.surfaces[surface].sdf(point)
    if surface in BODY_PARTS:
        names = _PART_CAPSULES.get(surface, (surface,))
        capsules: list[Capsule] = [p for p in scene.parts if p.name in names]
        return min(c.sdf(point) for c in capsules)
    spheres = scene.body.points[surface]
    return min(distance(point, s.centre) - s.radius for s in spheres)


def contact_gaps(scene: Scene) -> list[ContactGap]:
    """The gap of every contact the position states (the worst sphere of each point)."""
    gaps = []
    for contact in scene.position.contacts:
        point, _, surface = contact.partition(":")
        worst = 0.0
        for sphere in scene.body.points[point]:
            gap = _surface_distance(scene, surface, sphere.centre) - sphere.radius
            if abs(gap) >= abs(worst):
                worst = gap
        gaps.append(ContactGap(scene.position.id, contact, worst))
    return gaps


def sinking(scene: Scene) -> list[str]:
    """Body parts below the floor or deep inside a solid prop."""
    problems = []
    seen: set[tuple[str, str]] = set()
    for part, sphere in scene.body.all_spheres():
        below = -(sphere.centre[2] - sphere.radius)
        if below > FLOOR_TOLERANCE and (part, "floor") not in seen:
            seen.add((part, "floor"))
            problems.append(f"{part} is {below * 100:.1f} cm below the floor")
        for solid in scene.props.solids:
            if solid.role == "weight":
                continue  # the hand holds the dumbbell
            depth = -(solid.sdf(sphere.centre) - sphere.radius)
            if depth > SINK_TOLERANCE and (part, solid.name) not in seen:
                seen.add((part, solid.name))
                problems.append(f"{part} is {depth * 100:.1f} cm inside {solid.name}")
    return problems


def check_figure(figure: FigureFile) -> list[str]:
    """Every broken contact and every sunk body part, one line each ('' when all is well)."""
    problems = []
    for position in figure.positions:
        scene = build_scene(figure, position)
        for gap in contact_gaps(scene):
            if not gap.holds:
                how = "apart" if gap.gap > 0 else "sunk in"
                problems.append(
                    f"position '{position.id}': contact '{gap.contact}' is "
                    f"{abs(gap.gap) * 100:.1f} cm {how} "
                    f"(tolerance {CONTACT_TOLERANCE * 100:.0f} cm)"
                )
        problems += [f"position '{position.id}': {p}" for p in sinking(scene)]
    return problems
