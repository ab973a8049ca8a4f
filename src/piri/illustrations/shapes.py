"""The 3D solids a picture is made of, and what the drawing and the checks ask of them.

Each solid (:data:`Solid`) answers three questions: how far a point is from its surface
(``sdf``, negative inside: the contact check), where its nearest surface is
along the view ray through a screen point (``front_depth``: the depth order),
and a few screen points inside it (``probes``: where to compare depths).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from piri.illustrations.geometry import (
    Mat,
    Vec,
    add,
    closest_on_segment,
    column,
    cross,
    dot,
    length,
    lerp,
    normalize,
    scale,
    sub,
)
from piri.illustrations.projection import SCALE, View

Point2 = tuple[float, float]


def _sphere_front(view: View, q: Point2, centre: Vec, radius: float) -> float | None:
    sx, sy = view.screen(centre)
    d2 = ((q[0] - sx) ** 2 + (q[1] - sy) ** 2) / (SCALE * SCALE)
    if d2 > radius * radius:
        return None
    return view.depth(centre) + math.sqrt(radius * radius - d2)


def _perpendicular_probes(
    view: View, a: Vec, ra: float, b: Vec, rb: float, steps: int = 5
) -> list[Point2]:
    pa, pb = view.screen(a), view.screen(b)
    dx, dy = pb[0] - pa[0], pb[1] - pa[1]
    size = math.hypot(dx, dy)
    nx, ny = (-dy / size, dx / size) if size > 1e-9 else (1.0, 0.0)
    probes: list[Point2] = []
    for i in range(steps):
        t = i / (steps - 1)
        cx, cy = pa[0] + dx * t, pa[1] + dy * t
        off = 0.6 * (ra + (rb - ra) * t) * SCALE
        probes += [(cx, cy), (cx + nx * off, cy + ny * off), (cx - nx * off, cy - ny * off)]
    return probes


@dataclass(frozen=True)
class Capsule:
    """A tapered capsule: the hull of sphere ``(a, ra)`` and sphere ``(b, rb)``."""

    name: str
    group: str
    role: str
    a: Vec
    ra: float
    b: Vec
    rb: float

    def sdf(self, p: Vec) -> float:
        t = closest_on_segment(p, self.a, self.b)
        return length(sub(p, lerp(self.a, self.b, t))) - (self.ra + (self.rb - self.ra) * t)

    def front_depth(self, view: View, q: Point2) -> float | None:
        best: float | None = None
        for i in range(9):
            t = i / 8
            centre = lerp(self.a, self.b, t)
            depth = _sphere_front(view, q, centre, self.ra + (self.rb - self.ra) * t)
            if depth is not None and (best is None or depth > best):
                best = depth
        return best

    def probes(self, view: View) -> list[Point2]:
        return _perpendicular_probes(view, self.a, self.ra, self.b, self.rb)

    def bbox(self, view: View) -> tuple[float, float, float, float]:
        (ax, ay), (bx, by) = view.screen(self.a), view.screen(self.b)
        ra, rb = self.ra * SCALE, self.rb * SCALE
        return (
            min(ax - ra, bx - rb),
            min(ay - ra, by - rb),
            max(ax + ra, bx + rb),
            max(ay + ra, by + rb),
        )


@dataclass(frozen=True)
class Box:
    """An oriented box: ``axes`` columns are its unit axes, ``half`` its half sizes."""

    name: str
    group: str
    role: str
    centre: Vec
    axes: Mat
    half: Vec

    def _local(self, p: Vec) -> Vec:
        d = sub(p, self.centre)
        return (
            dot(d, column(self.axes, 0)),
            dot(d, column(self.axes, 1)),
            dot(d, column(self.axes, 2)),
        )

    def sdf(self, p: Vec) -> float:
        q = [abs(c) - h for c, h in zip(self._local(p), self.half, strict=True)]
        outside = math.sqrt(sum(max(c, 0.0) ** 2 for c in q))
        return outside + min(max(q), 0.0)

    def corners(self) -> list[Vec]:
        result = []
        for sx in (-1, 1):
            for sy in (-1, 1):
                for sz in (-1, 1):
                    offset = (sx * self.half[0], sy * self.half[1], sz * self.half[2])
                    result.append(add(self.centre, _apply(self.axes, offset)))
        return result

    def faces(self) -> list[tuple[Vec, list[Vec]]]:
        """Each face as (outward normal, four corners in order)."""
        result = []
        for axis in range(3):
            for sign in (-1.0, 1.0):
                normal = scale(column(self.axes, axis), sign)
                u_axis, v_axis = (axis + 1) % 3, (axis + 2) % 3
                corners = []
                for su, sv in ((-1, -1), (1, -1), (1, 1), (-1, 1)):
                    local = [0.0, 0.0, 0.0]
                    local[axis] = sign * self.half[axis]
                    local[u_axis] = su * self.half[u_axis]
                    local[v_axis] = sv * self.half[v_axis]
                    corners.append(
                        add(self.centre, _apply(self.axes, (local[0], local[1], local[2])))
                    )
                result.append((normal, corners))
        return result

    def front_depth(self, view: View, q: Point2) -> float | None:
        origin = self._local(view.world(q[0], q[1], 0.0))
        direction = tuple(dot(view.toward, column(self.axes, i)) for i in range(3))
        low, high = -math.inf, math.inf
        for o, d, h in zip(origin, direction, self.half, strict=True):
            if abs(d) < 1e-9:
                if abs(o) > h:
                    return None
                continue
            s1, s2 = (-h - o) / d, (h - o) / d
            low, high = max(low, min(s1, s2)), min(high, max(s1, s2))
        return high if low <= high else None

    def probes(self, view: View) -> list[Point2]:
        cx, cy = view.screen(self.centre)
        probes = [(cx, cy)]
        for corner in self.corners():
            x, y = view.screen(corner)
            probes.append((x + (cx - x) * 0.2, y + (cy - y) * 0.2))
        return probes

    def bbox(self, view: View) -> tuple[float, float, float, float]:
        points = [view.screen(c) for c in self.corners()]
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        return (min(xs), min(ys), max(xs), max(ys))


def _apply(axes: Mat, local: Vec) -> Vec:
    return add(
        add(scale(column(axes, 0), local[0]), scale(column(axes, 1), local[1])),
        scale(column(axes, 2), local[2]),
    )


def perpendiculars(axis: Vec) -> tuple[Vec, Vec]:
    """Two unit vectors at right angles to ``axis`` and to each other."""
    helper: Vec = (0.0, 0.0, 1.0) if abs(axis[2]) < 0.9 else (1.0, 0.0, 0.0)
    e1 = normalize(cross(axis, helper))
    return e1, cross(axis, e1)


@dataclass(frozen=True)
class Cylinder:
    """A solid cylinder with flat ends at ``a`` and ``b``."""

    name: str
    group: str
    role: str
    a: Vec
    b: Vec
    radius: float

    def _local(self, p: Vec) -> Vec:
        axis = normalize(sub(self.b, self.a))
        e1, e2 = perpendiculars(axis)
        d = sub(p, lerp(self.a, self.b, 0.5))
        return (dot(d, e1), dot(d, e2), dot(d, axis))

    def sdf(self, p: Vec) -> float:
        x, y, z = self._local(p)
        radial = math.hypot(x, y) - self.radius
        axial = abs(z) - length(sub(self.b, self.a)) / 2
        outside = math.hypot(max(radial, 0.0), max(axial, 0.0))
        return outside + min(max(radial, axial), 0.0)

    def front_depth(self, view: View, q: Point2) -> float | None:
        axis = normalize(sub(self.b, self.a))
        e1, e2 = perpendiculars(axis)
        o = sub(view.world(q[0], q[1], 0.0), lerp(self.a, self.b, 0.5))
        t = view.toward
        ox, oy, oz = dot(o, e1), dot(o, e2), dot(o, axis)
        dx, dy, dz = dot(t, e1), dot(t, e2), dot(t, axis)
        half = length(sub(self.b, self.a)) / 2
        low, high = -math.inf, math.inf
        a2 = dx * dx + dy * dy
        c2 = ox * ox + oy * oy - self.radius * self.radius
        if a2 < 1e-12:
            if c2 > 0:
                return None
        else:
            b2 = 2 * (ox * dx + oy * dy)
            disc = b2 * b2 - 4 * a2 * c2
            if disc < 0:
                return None
            root = math.sqrt(disc)
            low, high = (-b2 - root) / (2 * a2), (-b2 + root) / (2 * a2)
        if abs(dz) < 1e-9:
            if abs(oz) > half:
                return None
        else:
            s1, s2 = (-half - oz) / dz, (half - oz) / dz
            low, high = max(low, min(s1, s2)), min(high, max(s1, s2))
        return high if low <= high else None

    def probes(self, view: View) -> list[Point2]:
        return _perpendicular_probes(view, self.a, self.radius, self.b, self.radius, steps=7)

    def bbox(self, view: View) -> tuple[float, float, float, float]:
        (ax, ay), (bx, by) = view.screen(self.a), view.screen(self.b)
        r = self.radius * SCALE
        return (min(ax, bx) - r, min(ay, by) - r, max(ax, bx) + r, max(ay, by) + r)

    def rim(self, end: Vec, count: int = 36) -> list[Vec]:
        """Points round the circular edge at ``end``."""
        e1, e2 = perpendiculars(normalize(sub(self.b, self.a)))
        return [
            add(
                end,
                add(
                    scale(e1, self.radius * math.cos(2 * math.pi * i / count)),
                    scale(e2, self.radius * math.sin(2 * math.pi * i / count)),
                ),
            )
            for i in range(count)
        ]


@dataclass(frozen=True)
class Strand:
    """A thin flexible strand (the band), as a polyline of given width."""

    name: str
    group: str
    role: str
    points: tuple[Vec, ...]
    width: float

    def _pieces(self) -> list[Capsule]:
        r = self.width / 2
        return [
            Capsule(self.name, self.group, self.role, a, r, b, r)
            for a, b in zip(self.points, self.points[1:], strict=False)
        ]

    def sdf(self, p: Vec) -> float:
        return min(piece.sdf(p) for piece in self._pieces())

    def front_depth(self, view: View, q: Point2) -> float | None:
        depths = [d for piece in self._pieces() if (d := piece.front_depth(view, q)) is not None]
        return max(depths) if depths else None

    def probes(self, view: View) -> list[Point2]:
        return [view.screen(p) for p in self.points]

    def bbox(self, view: View) -> tuple[float, float, float, float]:
        points = [view.screen(p) for p in self.points]
        w = self.width * SCALE
        return (
            min(p[0] for p in points) - w,
            min(p[1] for p in points) - w,
            max(p[0] for p in points) + w,
            max(p[1] for p in points) + w,
        )


# Everything a picture is made of.
Solid = Capsule | Box | Cylinder | Strand


def convex_hull(points: list[Point2]) -> list[Point2]:
    """The convex hull of 2D points, counter-clockwise (Andrew's monotone chain)."""
    pts = sorted(set(points))
    if len(pts) <= 2:
        return pts

    def turn(o: Point2, a: Point2, b: Point2) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[Point2] = []
    for p in pts:
        while len(lower) >= 2 and turn(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[Point2] = []
    for p in reversed(pts):
        while len(upper) >= 2 and turn(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]
