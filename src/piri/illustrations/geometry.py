"""Small 3D vector and rotation helpers (plain Python, no dependencies).

Vectors are ``(x, y, z)`` tuples in metres; matrices are three row tuples.
Angles at the public edge of the package are degrees.
"""

from __future__ import annotations

import math

Vec = tuple[float, float, float]
Mat = tuple[Vec, Vec, Vec]

ORIGIN: Vec = (0.0, 0.0, 0.0)
IDENTITY: Mat = ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))


def add(a: Vec, b: Vec) -> Vec:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


def sub(a: Vec, b: Vec) -> Vec:
    return (a[0] - b[0], a[1] - b[1], a[2] - b[2])


def scale(a: Vec, k: float) -> Vec:
    return (a[0] * k, a[1] * k, a[2] * k)


def dot(a: Vec, b: Vec) -> float:
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def cross(a: Vec, b: Vec) -> Vec:
    return (
        a[1] * b[2] - a[2] * b[1],
        a[2] * b[0] - a[0] * b[2],
        a[0] * b[1] - a[1] * b[0],
    )


def length(a: Vec) -> float:
    return math.sqrt(dot(a, a))


def distance(a: Vec, b: Vec) -> float:
    return length(sub(a, b))


def normalize(a: Vec) -> Vec:
    size = length(a)
    if size < 1e-12:
        return (0.0, 0.0, 0.0)
    return scale(a, 1.0 / size)


def lerp(a: Vec, b: Vec, t: float) -> Vec:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t)


def mat_vec(m: Mat, v: Vec) -> Vec:
    return (dot(m[0], v), dot(m[1], v), dot(m[2], v))


def mat_mul(a: Mat, b: Mat) -> Mat:
    cols = ((b[0][0], b[1][0], b[2][0]), (b[0][1], b[1][1], b[2][1]), (b[0][2], b[1][2], b[2][2]))
    return (
        (dot(a[0], cols[0]), dot(a[0], cols[1]), dot(a[0], cols[2])),
        (dot(a[1], cols[0]), dot(a[1], cols[1]), dot(a[1], cols[2])),
        (dot(a[2], cols[0]), dot(a[2], cols[1]), dot(a[2], cols[2])),
    )


def from_columns(x: Vec, y: Vec, z: Vec) -> Mat:
    """The matrix whose columns are ``x``, ``y`` and ``z``."""
    return ((x[0], y[0], z[0]), (x[1], y[1], z[1]), (x[2], y[2], z[2]))


def column(m: Mat, index: int) -> Vec:
    return (m[0][index], m[1][index], m[2][index])


def rot_x(degrees: float) -> Mat:
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return ((1.0, 0.0, 0.0), (0.0, c, -s), (0.0, s, c))


def rot_y(degrees: float) -> Mat:
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return ((c, 0.0, s), (0.0, 1.0, 0.0), (-s, 0.0, c))


def rot_z(degrees: float) -> Mat:
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return ((c, -s, 0.0), (s, c, 0.0), (0.0, 0.0, 1.0))


def chain(*matrices: Mat) -> Mat:
    """``m1 @ m2 @ ...``: the first matrix is the outermost (parent) rotation."""
    result = IDENTITY
    for m in matrices:
        result = mat_mul(result, m)
    return result


def closest_on_segment(p: Vec, a: Vec, b: Vec) -> float:
    """The parameter ``t`` in [0, 1] of the point of segment ``ab`` closest to ``p``."""
    ab = sub(b, a)
    denominator = dot(ab, ab)
    if denominator < 1e-12:
        return 0.0
    return min(1.0, max(0.0, dot(sub(p, a), ab) / denominator))
