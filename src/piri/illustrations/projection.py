"""The camera: an orthographic view from an azimuth and an elevation."""

from __future__ import annotations

import math
from dataclasses import dataclass

from piri.illustrations.geometry import Vec, cross, dot
from piri.illustrations.pose import Camera

# Drawing units per metre in the SVG.
SCALE = 400.0


@dataclass(frozen=True)
class View:
    """Screen axes of a camera: ``right`` and ``up`` on screen, ``toward`` the viewer."""

    right: Vec
    up: Vec
    toward: Vec

    @classmethod
    def of(cls, camera: Camera) -> View:
        azimuth = math.radians(camera.azimuth)
        elevation = math.radians(camera.elevation)
        toward = (
            math.cos(elevation) * math.cos(azimuth),
            math.cos(elevation) * math.sin(azimuth),
            math.sin(elevation),
        )
        right = (-math.sin(azimuth), math.cos(azimuth), 0.0)
        up = cross(toward, right)
        return cls(right=right, up=up, toward=toward)

    def screen(self, p: Vec) -> tuple[float, float]:
        """SVG coordinates of a world point (y grows downwards)."""
        return (dot(p, self.right) * SCALE, -dot(p, self.up) * SCALE)

    def depth(self, p: Vec) -> float:
        """How near the viewer a point is, in metres (larger is nearer)."""
        return dot(p, self.toward)

    def world(self, sx: float, sy: float, depth: float) -> Vec:
        """The world point at screen position ``(sx, sy)`` and ``depth``."""
        a, b = sx / SCALE, -sy / SCALE
        r, u, t = self.right, self.up, self.toward
        return (
            a * r[0] + b * u[0] + depth * t[0],
            a * r[1] + b * u[1] + depth * t[1],
            a * r[2] + b * u[2] + depth * t[2],
        )
