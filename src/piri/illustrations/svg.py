"""Drawing a scene as a self-contained SVG: depth order, colours, caption.

Body parts are drawn limb by limb (a limb's outline first, then its fill, so a
limb has no seams at its joints); which of two limbs or props is in front is
decided where they overlap on screen, by comparing the depth of their nearest
surfaces there. Near limbs are darker than far ones, props are warm colours,
the band red: all of it stays readable in black-and-white print.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from xml.sax.saxutils import escape

from piri.illustrations.depth import LIMBS, base_group, depth_order, split_crossing_limbs
from piri.illustrations.geometry import (
    Vec,
    add,
    closest_on_segment,
    column,
    cross,
    dot,
    length,
    lerp,
    mat_vec,
    normalize,
    scale,
    sub,
)
from piri.illustrations.projection import SCALE, View
from piri.illustrations.scene import Scene
from piri.illustrations.shapes import Box, Capsule, Cylinder, Point2, Solid, Strand, convex_hull
from piri.illustrations.skeleton import HEAD_RADIUS

OUTLINE = "#1d2b36"
OUTLINE_WIDTH = 0.0075 * SCALE
BAND = "#d62839"
BAND_EDGE = "#7a1020"
BAND_WIDTH = 0.032
HALO = "#ffcf56"
ARROW = "#1b7f5b"
ARROW_MIN = 0.2  # metres: the shortest arrow drawn
FLOOR = "#e8ecef"
FLOOR_EDGE = "#9aa8b3"
MAT = "#a8d8c9"
CAPTION = "#1d2b36"
HAIR = "#5b4030"

# (near, far) fill colours of the body.
COLOURS: dict[str, tuple[str, str]] = {
    "torso": ("#3f86b8", "#3f86b8"),
    "head": ("#f1c6a0", "#f1c6a0"),
    "neck": ("#dfae86", "#dfae86"),
    "arm": ("#3f86b8", "#a9cbe4"),
    "hand": ("#e9b68c", "#f7dcc6"),
    "leg": ("#2b4e70", "#9fb4c8"),
    "shoe": ("#d5dbe0", "#eef1f4"),
}
PROP_COLOURS: dict[str, str] = {
    "prop": "#c98a3d",
    "roller": "#e8832f",
    "weight": "#55606b",
    "wall": "#e4ddd0",
}
BODY_GROUPS = ("torso", "head", "left_leg", "right_leg", "left_arm", "right_arm")


def fmt(value: float) -> str:
    """A coordinate with one decimal, never '-0.0' (so output is byte-stable)."""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def _mix(colour: str, other: str, t: float) -> str:
    a = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    b = [int(other[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(a, b, strict=True))


# --- 2D paths ------------------------------------------------------------------


def _tangents(c1: Point2, r1: float, c2: Point2, r2: float) -> tuple[float, float, float] | None:
    """Direction from c1 to c2, and the angle to the outer tangent points; None for a disc."""
    d = math.hypot(c2[0] - c1[0], c2[1] - c1[1])
    if d < 1e-6 or d + min(r1, r2) <= max(r1, r2):
        return None
    base = math.atan2(c2[1] - c1[1], c2[0] - c1[0])
    phi = math.acos(max(-1.0, min(1.0, (r1 - r2) / d)))
    return base, phi, d


def _on(c: Point2, r: float, angle: float) -> str:
    return f"{fmt(c[0] + r * math.cos(angle))} {fmt(c[1] + r * math.sin(angle))}"


def capsule_path(c1: Point2, r1: float, c2: Point2, r2: float) -> str:
    """The outline of the hull of two discs (the exact projection of a tapered capsule)."""
    tangents = _tangents(c1, r1, c2, r2)
    if tangents is None:
        return circle_path(c1, r1) if r1 >= r2 else circle_path(c2, r2)
    base, phi, _ = tangents
    large2 = 1 if 2 * phi > math.pi else 0
    large1 = 1 - large2
    return (
        f"M{_on(c1, r1, base + phi)}L{_on(c2, r2, base + phi)}"
        f"A{fmt(r2)} {fmt(r2)} 0 {large2} 0 {_on(c2, r2, base - phi)}"
        f"L{_on(c1, r1, base - phi)}"
        f"A{fmt(r1)} {fmt(r1)} 0 {large1} 0 {_on(c1, r1, base + phi)}Z"
    )


def capsule_outline(c1: Point2, r1: float, c2: Point2, r2: float, open1: bool, open2: bool) -> str:
    """Like :func:`capsule_path`, without the round end at c1 (``open1``) or c2 (``open2``)."""
    tangents = _tangents(c1, r1, c2, r2)
    if tangents is None or not (open1 or open2):
        return capsule_path(c1, r1, c2, r2)
    base, phi, _ = tangents
    large2 = 1 if 2 * phi > math.pi else 0
    large1 = 1 - large2
    side_a = f"{_on(c1, r1, base + phi)}L{_on(c2, r2, base + phi)}"
    side_b = f"{_on(c2, r2, base - phi)}L{_on(c1, r1, base - phi)}"
    arc2 = f"A{fmt(r2)} {fmt(r2)} 0 {large2} 0 {_on(c2, r2, base - phi)}"
    arc1 = f"A{fmt(r1)} {fmt(r1)} 0 {large1} 0 {_on(c1, r1, base + phi)}"
    if open1 and open2:
        return f"M{side_a}M{side_b}"
    if open1:
        return f"M{side_a}{arc2}L{_on(c1, r1, base - phi)}"
    return f"M{side_b}{arc1}L{_on(c2, r2, base + phi)}"


def circle_path(c: Point2, r: float) -> str:
    return (
        f"M{fmt(c[0] - r)} {fmt(c[1])}A{fmt(r)} {fmt(r)} 0 1 0 {fmt(c[0] + r)} {fmt(c[1])}"
        f"A{fmt(r)} {fmt(r)} 0 1 0 {fmt(c[0] - r)} {fmt(c[1])}Z"
    )


def polygon_path(points: list[Point2]) -> str:
    return "M" + "L".join(f"{fmt(x)} {fmt(y)}" for x, y in points) + "Z"


def polyline_path(points: list[Point2]) -> str:
    return "M" + "L".join(f"{fmt(x)} {fmt(y)}" for x, y in points)


# --- drawing ---------------------------------------------------------------------


@dataclass(frozen=True)
class Style:
    highlight: frozenset[str] = frozenset()


def band_strands(scene: Scene, view: View) -> list[Strand]:
    """The band loop cut into the runs in front of and behind the legs."""
    band = scene.props.band
    if band is None:
        return []
    loop = band.points
    a, b = band.left_centre, band.right_centre

    def near(p: Vec) -> bool:
        t = closest_on_segment(p, a, b)
        return dot(sub(p, lerp(a, b, t)), view.toward) > 0

    strands: list[Strand] = []
    run: list[Vec] = [loop[0]]
    flag = near(loop[0])
    for p in loop[1:]:
        now = near(p)
        run.append(p)
        if now != flag:
            strands.append(
                Strand(
                    f"band_{len(strands)}", f"band.{len(strands)}", "band", tuple(run), BAND_WIDTH
                )
            )
            run = [p]
            flag = now
    if len(run) > 1:
        strands.append(
            Strand(f"band_{len(strands)}", f"band.{len(strands)}", "band", tuple(run), BAND_WIDTH)
        )
    return strands


def _near_far(scene: Scene, view: View) -> dict[str, bool]:
    """Whether each sided limb group is the far one (drawn lighter)."""
    j = scene.body.joints
    far: dict[str, bool] = {}
    for limb, joint in (("leg", "hip"), ("arm", "shoulder")):
        left, right = view.depth(j[f"left_{joint}"]), view.depth(j[f"right_{joint}"])
        far[f"left_{limb}"] = left < right - 0.04
        far[f"right_{limb}"] = right < left - 0.04
    return far


def _part_colour(part: str, far: bool) -> str:
    kind = part.split("_", 1)[-1]
    key = {
        "thigh": "leg",
        "shin": "leg",
        "foot": "shoe",
        "instep": "shoe",
        "upper_arm": "arm",
        "forearm": "arm",
        "hand": "hand",
        "head": "head",
        "neck": "neck",
        "nose": "head",
    }.get(kind, "torso")
    near_colour, far_colour = COLOURS[key]
    return far_colour if far else near_colour


class Canvas:
    """Collects SVG elements and the extent of what was drawn."""

    def __init__(self) -> None:
        self.elements: list[str] = []
        self.extent: list[float] = [math.inf, math.inf, -math.inf, -math.inf]

    def grow(self, points: list[Point2], pad: float = 0.0) -> None:
        for x, y in points:
            self.extent[0] = min(self.extent[0], x - pad)
            self.extent[1] = min(self.extent[1], y - pad)
            self.extent[2] = max(self.extent[2], x + pad)
            self.extent[3] = max(self.extent[3], y + pad)

    def add(self, element: str) -> None:
        self.elements.append(element)


def _draw_body_group(
    canvas: Canvas,
    parts: list[Capsule],
    view: View,
    far: bool,
    halo: bool,
    open_joints: list[Vec],
) -> None:
    """Outline every part, then fill every part: one seamless silhouette per limb.

    Capsule ends at ``open_joints`` (where an already drawn piece of the same limb
    joins) get no outline, so the two pieces join without a seam.
    """
    shapes = []
    for part in parts:
        c1, c2 = view.screen(part.a), view.screen(part.b)
        r1, r2 = part.ra * SCALE, part.rb * SCALE
        canvas.grow([c1], r1 + OUTLINE_WIDTH)
        canvas.grow([c2], r2 + OUTLINE_WIDTH)
        open1 = any(math.dist(part.a, j) < 1e-6 for j in open_joints)
        open2 = any(math.dist(part.b, j) < 1e-6 for j in open_joints)
        shapes.append(
            (part, capsule_path(c1, r1, c2, r2), capsule_outline(c1, r1, c2, r2, open1, open2))
        )
    if halo:
        for _, path, _ in shapes:
            canvas.add(
                f'<path d="{path}" fill="{HALO}" stroke="{HALO}" '
                f'stroke-width="{fmt(0.03 * SCALE)}" stroke-linejoin="round"/>'
            )
    for _, _, outline in shapes:
        canvas.add(
            f'<path d="{outline}" fill="none" stroke="{OUTLINE}" '
            f'stroke-width="{fmt(2 * OUTLINE_WIDTH)}" stroke-linejoin="round"/>'
        )
    for part, path, _ in shapes:
        canvas.add(f'<path d="{path}" fill="{_part_colour(part.name, far)}"/>')


def _draw_face(canvas: Canvas, scene: Scene, view: View) -> None:
    """Hair on the back and top of the head and the eyes, so the face direction reads."""
    head = scene.body.joints["head"]
    frame = scene.body.frames["head"]
    radius = HEAD_RADIUS
    forward, up = column(frame, 0), column(frame, 2)
    crown = normalize(sub(up, scale(forward, 0.6)))  # the hair is the half of the head round this
    toward = view.toward
    edge = cross(crown, toward)
    hair: list[Point2] = []
    if length(edge) < 1e-3:
        if dot(crown, toward) > 0:
            hair = [
                view.screen(add(head, _on_circle(radius, (1.0, 0.0, 0.0), view.up, i, 32)))
                for i in range(32)
            ]
    else:
        e = normalize(edge)
        g = normalize(cross(e, crown))
        if dot(g, toward) < 0:
            g = scale(g, -1.0)
        s = normalize(sub(crown, scale(toward, dot(crown, toward))))
        steps = 16
        for i in range(steps + 1):
            hair.append(view.screen(add(head, _on_circle(radius, e, g, i, 2 * steps))))
        for i in range(1, steps):
            hair.append(view.screen(add(head, _on_circle(radius, scale(e, -1.0), s, i, 2 * steps))))
    if hair:
        canvas.add(f'<path d="{polygon_path(hair)}" fill="{HAIR}"/>')
    for side in (1.0, -1.0):
        eye = add(head, mat_vec(frame, (0.085, side * 0.038, 0.025)))
        if dot(sub(eye, head), view.toward) > 0.03:
            x, y = view.screen(eye)
            canvas.add(
                f'<circle cx="{fmt(x)}" cy="{fmt(y)}" r="{fmt(0.012 * SCALE)}" fill="{OUTLINE}"/>'
            )


def _on_circle(radius: float, a: Vec, b: Vec, i: int, count: int) -> Vec:
    """Point ``i`` of ``count`` round a circle spanned by unit vectors ``a`` and ``b``."""
    angle = 2 * math.pi * i / count
    return add(scale(a, radius * math.cos(angle)), scale(b, radius * math.sin(angle)))


def _face_parts(scene: Scene) -> list[Capsule]:
    head = scene.body.joints["head"]
    frame = scene.body.frames["head"]
    return [
        Capsule(
            "nose",
            "head",
            "head",
            add(head, mat_vec(frame, (0.08, 0.0, 0.0))),
            0.02,
            add(head, mat_vec(frame, (0.112, 0.0, -0.018))),
            0.014,
        )
    ]


def _draw_box(canvas: Canvas, box: Box, view: View, colour: str) -> None:
    for normal, corners in box.faces():
        facing = dot(normal, view.toward)
        if facing <= 1e-6:
            continue
        shade = 0.35 if normal[2] > 0.5 else (0.0 if facing > 0.5 else -0.18)
        fill = _mix(colour, "#ffffff", shade) if shade >= 0 else _mix(colour, "#000000", -shade)
        points = [view.screen(c) for c in corners]
        canvas.grow(points, OUTLINE_WIDTH)
        canvas.add(
            f'<path d="{polygon_path(points)}" fill="{fill}" stroke="{OUTLINE}" '
            f'stroke-width="{fmt(OUTLINE_WIDTH * 0.8)}" stroke-linejoin="round"/>'
        )


def _draw_cylinder(canvas: Canvas, cylinder: Cylinder, view: View, colour: str) -> None:
    rim_a, rim_b = cylinder.rim(cylinder.a), cylinder.rim(cylinder.b)
    hull = convex_hull([view.screen(p) for p in rim_a + rim_b])
    canvas.grow(hull, OUTLINE_WIDTH)
    canvas.add(
        f'<path d="{polygon_path(hull)}" fill="{colour}" stroke="{OUTLINE}" '
        f'stroke-width="{fmt(OUTLINE_WIDTH * 0.8)}" stroke-linejoin="round"/>'
    )
    axis = sub(cylinder.b, cylinder.a)
    rim = rim_b if dot(axis, view.toward) > 0 else rim_a  # the end that faces the viewer
    if abs(dot(axis, view.toward)) > 1e-3 * math.sqrt(dot(axis, axis)):
        points = [view.screen(p) for p in rim]
        canvas.add(
            f'<path d="{polygon_path(points)}" fill="{_mix(colour, "#ffffff", 0.35)}" '
            f'stroke="{OUTLINE}" stroke-width="{fmt(OUTLINE_WIDTH * 0.8)}"/>'
        )


def _draw_strand(canvas: Canvas, strand: Strand, view: View) -> None:
    points = [view.screen(p) for p in strand.points]
    canvas.grow(points, BAND_WIDTH * SCALE)
    path = polyline_path(points)
    canvas.add(
        f'<path d="{path}" fill="none" stroke="#ffffff" '
        f'stroke-width="{fmt(BAND_WIDTH * SCALE + 3 * OUTLINE_WIDTH)}" '
        f'stroke-linecap="round" stroke-linejoin="round"/>'
    )
    canvas.add(
        f'<path d="{path}" fill="none" stroke="{BAND_EDGE}" '
        f'stroke-width="{fmt(BAND_WIDTH * SCALE + 1.2 * OUTLINE_WIDTH)}" '
        f'stroke-linecap="round" stroke-linejoin="round"/>'
    )
    canvas.add(
        f'<path d="{path}" fill="none" stroke="{BAND}" stroke-width="{fmt(BAND_WIDTH * SCALE)}" '
        f'stroke-linecap="round" stroke-linejoin="round"/>'
    )


def floor_corners(extent: tuple[float, float, float, float]) -> list[Vec]:
    x0, y0, x1, y1 = extent
    return [(x0, y0, 0.0), (x1, y0, 0.0), (x1, y1, 0.0), (x0, y1, 0.0)]


def draw_scene(
    scene: Scene,
    view: View,
    floor: tuple[float, float, float, float],
    style: Style,
    arrow: tuple[Vec, Vec] | None = None,
) -> Canvas:
    """Draw the floor, the props and the body back to front; the arrow on top."""
    canvas = Canvas()
    if not scene.props.mats:  # an exercise mat stands for the floor
        floor_points = [view.screen(p) for p in floor_corners(floor)]
        canvas.grow(floor_points, OUTLINE_WIDTH)
        canvas.add(
            f'<path d="{polygon_path(floor_points)}" fill="{FLOOR}" stroke="{FLOOR_EDGE}" '
            f'stroke-width="{fmt(OUTLINE_WIDTH)}" stroke-linejoin="round"/>'
        )
    for mat in scene.props.mats:
        points = [view.screen(p) for p in mat]
        canvas.grow(points, OUTLINE_WIDTH)
        canvas.add(
            f'<path d="{polygon_path(points)}" fill="{MAT}" stroke="{_mix(MAT, OUTLINE, 0.5)}" '
            f'stroke-width="{fmt(OUTLINE_WIDTH * 0.6)}" stroke-linejoin="round"/>'
        )
    groups: dict[str, list[Solid]] = {}
    for part in scene.parts:
        groups.setdefault(part.group, []).append(part)
    groups["head"] = [*groups["head"], *_face_parts(scene)]
    for solid in scene.props.solids:
        groups.setdefault(solid.group, []).append(solid)
    for strand in band_strands(scene, view):
        groups[strand.group] = [strand]
    groups = split_crossing_limbs(groups, view)
    far = _near_far(scene, view)
    drawn: set[str] = set()
    for name in depth_order(scene, groups, view):
        members = groups[name]
        limb = base_group(name)
        if limb in BODY_GROUPS:
            capsules = [m for m in members if isinstance(m, Capsule)]
            open_joints = []
            if name != limb and limb in LIMBS and any(base_group(d) == limb for d in drawn):
                side, kind = limb.split("_")
                open_joints.append(
                    scene.body.joints[f"{side}_{'knee' if kind == 'leg' else 'elbow'}"]
                )
            halo = limb in style.highlight
            _draw_body_group(canvas, capsules, view, far.get(limb, False), halo, open_joints)
            if name == "head":
                _draw_face(canvas, scene, view)
            drawn.add(name)
            continue
        for solid in members:
            if isinstance(solid, Box):
                _draw_box(canvas, solid, view, PROP_COLOURS.get(solid.role, PROP_COLOURS["prop"]))
            elif isinstance(solid, Cylinder):
                _draw_cylinder(
                    canvas, solid, view, PROP_COLOURS.get(solid.role, PROP_COLOURS["prop"])
                )
            elif isinstance(solid, Strand):
                _draw_strand(canvas, solid, view)
    if arrow is not None:
        joints = list(scene.body.joints.values())
        centre = (
            sum(j[0] for j in joints) / len(joints),
            sum(j[1] for j in joints) / len(joints),
            sum(j[2] for j in joints) / len(joints),
        )
        _draw_arrow(canvas, view, arrow[0], arrow[1], centre)
    return canvas


def _draw_arrow(canvas: Canvas, view: View, start: Vec, end: Vec, centre: Vec) -> None:
    """A curved arrow beside the moving point, pointing the way it moves.

    Small movements still get an arrow long enough to see; it is set off to the
    side away from the body so it does not hide the limb.
    """
    (x0, y0), (x1, y1) = view.screen(start), view.screen(end)
    dx, dy = x1 - x0, y1 - y0
    size = math.hypot(dx, dy)
    if size < 0.005 * SCALE:
        return
    ux, uy = dx / size, dy / size
    nx, ny = -uy, ux
    cx, cy = view.screen(centre)
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    if (mx - cx) * nx + (my - cy) * ny < 0:
        nx, ny = -nx, -ny
    span = max(size, ARROW_MIN * SCALE) * 0.8
    offset = 0.11 * SCALE
    sx, sy = mx - ux * span / 2 + nx * offset, my - uy * span / 2 + ny * offset
    ex, ey = mx + ux * span / 2 + nx * offset, my + uy * span / 2 + ny * offset
    bow = 0.18 * span
    qx, qy = (sx + ex) / 2 + nx * bow, (sy + ey) / 2 + ny * bow
    head = 0.05 * SCALE
    tx, ty = ex - qx, ey - qy
    tsize = math.hypot(tx, ty)
    tx, ty = tx / tsize, ty / tsize
    base = (ex - tx * head, ey - ty * head)
    left = (base[0] - ty * head * 0.6, base[1] + tx * head * 0.6)
    right = (base[0] + ty * head * 0.6, base[1] - tx * head * 0.6)
    canvas.grow([(sx, sy), (ex, ey), (qx, qy), left, right], 0.02 * SCALE)
    curve = f"M{fmt(sx)} {fmt(sy)}Q{fmt(qx)} {fmt(qy)} {fmt(base[0])} {fmt(base[1])}"
    canvas.add(
        f'<path d="{curve}" fill="none" stroke="#ffffff" stroke-width="{fmt(0.026 * SCALE)}" '
        f'stroke-linecap="round"/>'
    )
    canvas.add(
        f'<path d="{curve}" fill="none" stroke="{ARROW}" stroke-width="{fmt(0.013 * SCALE)}" '
        f'stroke-linecap="round"/>'
    )
    canvas.add(
        f'<path d="{polygon_path([(ex, ey), left, right])}" fill="{ARROW}" stroke="#ffffff" '
        f'stroke-width="{fmt(0.005 * SCALE)}" stroke-linejoin="round"/>'
    )


def wrap(text: str, width: int) -> list[str]:
    """Break ``text`` into lines of at most ``width`` characters, at spaces."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def document(
    canvas: Canvas,
    extent: tuple[float, float, float, float],
    title: str,
    description: str,
    caption: str,
) -> str:
    """The whole SVG: fitted to ``extent`` with margins and a caption underneath."""
    x0, y0, x1, y1 = extent
    width = x1 - x0
    margin = 0.04 * max(width, y1 - y0)
    width += 2 * margin
    font = max(width * 0.05, 0.07 * SCALE)
    lines = wrap(caption, max(12, int((width - 2 * margin) / (font * 0.56))))
    caption_height = font * (0.5 + 1.25 * len(lines))
    height = (y1 - y0) + 2 * margin + caption_height
    dx, dy = margin - x0, margin - y0
    body = "\n".join(canvas.elements)
    baseline = (y1 - y0) + 2 * margin + font * 0.95
    text = "".join(
        f'<tspan x="{fmt(width / 2)}" y="{fmt(baseline + i * font * 1.25)}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {fmt(width)} {fmt(height)}" '
        f'role="img">\n'
        f"<title>{escape(title)}</title>\n"
        f"<desc>{escape(description)}</desc>\n"
        f'<rect width="{fmt(width)}" height="{fmt(height)}" fill="#ffffff"/>\n'
        f'<g transform="translate({fmt(dx)} {fmt(dy)})">\n{body}\n</g>\n'
        f'<text font-family="sans-serif" font-size="{fmt(font)}" fill="{CAPTION}" '
        f'text-anchor="middle">{text}</text>\n'
        f"</svg>\n"
    )
