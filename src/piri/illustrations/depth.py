"""Which body part or prop is drawn in front of which: the painter's order.

Every limb, the torso, the head and each prop part is a drawing group. Where two
groups overlap on screen, probes compare the depth of their nearest surfaces:
the group nearer the viewer at most probes is drawn later. The groups are then
sorted so every such pair is respected (a cycle is broken at the farthest
group). When two limbs cross (one in front of the other at one place and
behind it at another, as in a figure four), each is split at the knee or
elbow into two groups.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass

from piri.illustrations.geometry import Vec, lerp
from piri.illustrations.projection import SCALE, View
from piri.illustrations.scene import Scene
from piri.illustrations.shapes import Box, Capsule, Cylinder, Point2, Solid, Strand


def _anchor(solid: Solid) -> Vec:
    if isinstance(solid, Capsule):
        return lerp(solid.a, solid.b, 0.5)
    if isinstance(solid, Box):
        return solid.centre
    if isinstance(solid, Cylinder):
        return lerp(solid.a, solid.b, 0.5)
    if isinstance(solid, Strand):
        n = len(solid.points)
        return (
            sum(p[0] for p in solid.points) / n,
            sum(p[1] for p in solid.points) / n,
            sum(p[2] for p in solid.points) / n,
        )
    raise TypeError(solid)


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@dataclass(frozen=True)
class _Attachment:
    """Where a limb joins the torso: overlaps near it say nothing about depth order."""

    joint: Vec
    radius: float


def _attachments(scene: Scene) -> dict[str, _Attachment]:
    joints = scene.body.joints
    result = {}
    for side in ("left", "right"):
        for limb, joint, radius in (("leg", "hip", 0.14), ("arm", "shoulder", 0.1)):
            attachment = _Attachment(joints[f"{side}_{joint}"], radius)
            result[f"{side}_{limb}"] = attachment
            result[f"{side}_{limb}:upper"] = attachment
    return result


def base_group(name: str) -> str:
    """``left_leg:upper`` -> ``left_leg``: the limb a drawing group belongs to."""
    return name.split(":", 1)[0]


LIMBS = ("left_leg", "right_leg", "left_arm", "right_arm")
# When two limbs cross (one in front of the other at one place, behind it at
# another), each is drawn as two pieces, split at the knee or the elbow.
UPPER_PARTS = ("thigh", "upper_arm")


def _solid_votes(s1: Solid, s2: Solid, view: View, ignore: _Attachment | None) -> int:
    """Probes where ``s2`` is in front of ``s1`` minus probes where it is behind."""
    votes = 0
    skip: Point2 | None = view.screen(ignore.joint) if ignore is not None else None
    reach = ignore.radius * SCALE if ignore is not None else 0.0
    for q in s1.probes(view) + s2.probes(view):
        if skip is not None and math.hypot(q[0] - skip[0], q[1] - skip[1]) < reach:
            continue
        d1 = s1.front_depth(view, q)
        if d1 is None:
            continue
        d2 = s2.front_depth(view, q)
        if d2 is None or abs(d1 - d2) < 0.002:
            continue
        votes += 1 if d2 > d1 else -1
    return votes


def _pair_votes(
    groups: dict[str, list[Solid]],
    boxes: dict[str, list[tuple[float, float, float, float]]],
    g1: str,
    g2: str,
    view: View,
    ignore: _Attachment | None,
) -> list[int] | None:
    """The votes of every overlapping pair of solids, or None when nothing overlaps."""
    result: list[int] | None = None
    for s1, b1 in zip(groups[g1], boxes[g1], strict=True):
        for s2, b2 in zip(groups[g2], boxes[g2], strict=True):
            if _overlap(b1, b2):
                result = (result or []) + [_solid_votes(s1, s2, view, ignore)]
    return result


def split_crossing_limbs(groups: dict[str, list[Solid]], view: View) -> dict[str, list[Solid]]:
    """Split a limb in two where it is both in front of and behind another limb."""
    boxes = {g: [s.bbox(view) for s in groups[g]] for g in groups}
    crossing: set[str] = set()
    for i, g1 in enumerate(LIMBS):
        for g2 in LIMBS[i + 1 :]:
            votes = _pair_votes(groups, boxes, g1, g2, view, None)
            if votes and max(votes) >= 2 and min(votes) <= -2:
                crossing.update((g1, g2))
    result: dict[str, list[Solid]] = {}
    for name, members in groups.items():
        if name not in crossing:
            result[name] = members
            continue
        for solid in members:
            piece = "upper" if solid.name.split("_", 1)[1] in UPPER_PARTS else "lower"
            result.setdefault(f"{name}:{piece}", []).append(solid)
    return result


def depth_order(scene: Scene, groups: dict[str, list[Solid]], view: View) -> list[str]:
    """Group names from back to front."""
    names = sorted(groups)
    attachments = _attachments(scene)
    centre_depth = {
        g: sum(view.depth(_anchor(s)) for s in groups[g]) / len(groups[g]) for g in names
    }
    boxes = {g: [s.bbox(view) for s in groups[g]] for g in names}
    after: dict[str, set[str]] = {g: set() for g in names}  # g -> groups drawn after g
    for i, g1 in enumerate(names):
        for g2 in names[i + 1 :]:
            if {g1, g2} == {"torso", "head"}:
                after["torso"].add("head")
                continue
            if base_group(g1) == base_group(g2):
                continue  # two pieces of one limb: drawn seamlessly, in any order
            limb = None
            if "torso" in (g1, g2):
                limb = g2 if g1 == "torso" else g1
            ignore = attachments.get(limb) if limb is not None else None
            pair = _pair_votes(groups, boxes, g1, g2, view, ignore)
            if pair is None:
                continue
            votes = sum(pair)
            if votes == 0 and limb is not None and ignore is not None:
                # Only the joint region overlaps: the near side's limb is in front.
                trunk_joint = "pelvis" if "leg" in limb else "thoracic"
                in_front = (
                    view.depth(ignore.joint) > view.depth(scene.body.joints[trunk_joint]) + 0.03
                )
                votes = (1 if in_front else -1) * (1 if g1 == "torso" else -1)
            if votes > 0:
                after[g1].add(g2)
            elif votes < 0:
                after[g2].add(g1)
    return _topological(names, after, centre_depth)


def _topological(
    names: list[str], after: dict[str, set[str]], centre_depth: dict[str, float]
) -> list[str]:
    waiting = {g: 0 for g in names}
    for g in names:
        for h in after[g]:
            waiting[h] += 1
    ready = [(centre_depth[g], g) for g in names if waiting[g] == 0]
    heapq.heapify(ready)
    order: list[str] = []
    left = set(names)
    while left:
        if not ready:
            # A cycle: draw the farthest remaining group and go on.
            g = min(left, key=lambda n: (centre_depth[n], n))
            waiting[g] = 0
            heapq.heappush(ready, (centre_depth[g], g))
        _, g = heapq.heappop(ready)
        if g not in left:
            continue
        left.discard(g)
        order.append(g)
        for h in sorted(after[g]):
            if h in left:
                waiting[h] -= 1
                if waiting[h] == 0:
                    heapq.heappush(ready, (centre_depth[h], h))
    return order
