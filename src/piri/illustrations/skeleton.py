"""Forward kinematics: joint angles to 3D body geometry with fixed adult proportions.

The body is a chain of rigid bones hanging from the pelvis: a pose only turns
joints, so no pose can stretch or shrink a bone. Proportions are those of an
adult about 1.72 m tall. Each body part is a tapered capsule (two spheres and
the surface between them), which is also exactly how it is drawn.

Local axes of every body frame, in the anatomical position: ``x`` forward,
``y`` to the body's left, ``z`` up.
"""

from __future__ import annotations

from dataclasses import dataclass

from piri.illustrations.geometry import (
    Mat,
    Vec,
    add,
    chain,
    column,
    distance,
    from_columns,
    mat_vec,
    rot_x,
    rot_y,
    rot_z,
)
from piri.illustrations.pose import Orientation, Position

# Bone lengths (metres). Tests check they never change between positions.
THIGH = 0.43  # hip joint to knee joint
SHIN = 0.43  # knee joint to ankle joint
UPPER_ARM = 0.30  # shoulder joint to elbow
FOREARM = 0.25  # elbow to wrist
HAND = 0.13  # wrist to the end of the drawn hand
HIP_HALF_WIDTH = 0.09  # pelvis midpoint to each hip joint
SHOULDER_HALF_WIDTH = 0.18
LOWER_SPINE = 0.19  # lumbar point to thoracic point
UPPER_SPINE = 0.21  # thoracic point to neck base
NECK = 0.09
ANKLE_HEIGHT = 0.075  # ankle joint above the sole
HEAD_RADIUS = 0.105

# Where the trunk starts, in the pelvis frame.
LUMBAR_OFFSET: Vec = (-0.02, 0.0, 0.10)

_BASE: dict[Orientation, Mat] = {
    Orientation.UPRIGHT: from_columns((1, 0, 0), (0, 1, 0), (0, 0, 1)),
    Orientation.LYING_ON_BACK: from_columns((0, 0, 1), (0, -1, 0), (1, 0, 0)),
    Orientation.LYING_ON_FRONT: from_columns((0, 0, -1), (0, 1, 0), (1, 0, 0)),
    Orientation.LYING_ON_RIGHT_SIDE: from_columns((0, 1, 0), (0, 0, 1), (1, 0, 0)),
    Orientation.LYING_ON_LEFT_SIDE: from_columns((0, -1, 0), (0, 0, -1), (1, 0, 0)),
}

SIDES = ("left", "right")


@dataclass(frozen=True)
class Sphere:
    centre: Vec
    radius: float


@dataclass(frozen=True)
class Segment:
    """A tapered capsule: sphere ``start`` swept to sphere ``end``."""

    name: str
    group: str
    start: Vec
    start_radius: float
    end: Vec
    end_radius: float


@dataclass(frozen=True)
class Body:
    """A posed body in world coordinates."""

    joints: dict[str, Vec]
    frames: dict[str, Mat]
    segments: tuple[Segment, ...]
    points: dict[str, tuple[Sphere, ...]]

    def segment(self, name: str) -> Segment:
        return next(s for s in self.segments if s.name == name)

    def bones(self) -> dict[str, float]:
        """The length of every rigid bone, for checks."""
        j = self.joints
        lengths = {
            "lower_spine": distance(j["lumbar"], j["thoracic"]),
            "upper_spine": distance(j["thoracic"], j["neck_base"]),
            "neck": distance(j["neck_base"], j["skull_base"]),
            "hip_width": distance(j["left_hip"], j["right_hip"]),
            "shoulder_width": distance(j["left_shoulder"], j["right_shoulder"]),
        }
        for side in SIDES:
            lengths[f"{side}_thigh"] = distance(j[f"{side}_hip"], j[f"{side}_knee"])
            lengths[f"{side}_shin"] = distance(j[f"{side}_knee"], j[f"{side}_ankle"])
            lengths[f"{side}_upper_arm"] = distance(j[f"{side}_shoulder"], j[f"{side}_elbow"])
            lengths[f"{side}_forearm"] = distance(j[f"{side}_elbow"], j[f"{side}_wrist"])
            lengths[f"{side}_foot"] = distance(j[f"{side}_heel"], j[f"{side}_toe_tip"])
        return lengths

    def all_spheres(self) -> list[tuple[str, Sphere]]:
        """Spheres covering every body part (ends and middle of each segment)."""
        spheres: list[tuple[str, Sphere]] = []
        for s in self.segments:
            for t in (0.0, 0.25, 0.5, 0.75, 1.0):
                centre = (
                    s.start[0] + (s.end[0] - s.start[0]) * t,
                    s.start[1] + (s.end[1] - s.start[1]) * t,
                    s.start[2] + (s.end[2] - s.start[2]) * t,
                )
                radius = s.start_radius + (s.end_radius - s.start_radius) * t
                spheres.append((s.name, Sphere(centre, radius)))
        return spheres


def pelvis_frame(position: Position) -> Mat:
    p = position.pelvis
    return chain(
        rot_z(position.heading),
        _BASE[position.orientation],
        rot_z(p.rotation),
        rot_x(p.side_tilt),
        rot_y(p.tilt),
    )


def pose_body(position: Position) -> Body:
    """Place every joint and body part of ``position`` in the world."""
    joints: dict[str, Vec] = {}
    frames: dict[str, Mat] = {}
    segments: list[Segment] = []
    points: dict[str, tuple[Sphere, ...]] = {}

    def at(origin: Vec, frame: Mat, local: tuple[float, float, float]) -> Vec:
        return add(origin, mat_vec(frame, local))

    origin: Vec = (position.pelvis.x, position.pelvis.y, position.pelvis.z)
    pelvis = pelvis_frame(position)
    frames["pelvis"] = pelvis
    joints["pelvis"] = origin

    # Trunk: flexion, side bend and rotation shared by the lower and upper spine.
    trunk = position.trunk
    half = chain(rot_y(trunk.flexion / 2), rot_x(-trunk.side_bend / 2), rot_z(trunk.rotation / 2))
    lower = chain(pelvis, half)
    upper = chain(lower, half)
    lumbar = at(origin, pelvis, LUMBAR_OFFSET)
    thoracic = at(lumbar, lower, (0.0, 0.0, LOWER_SPINE))
    neck_base = at(thoracic, upper, (0.0, 0.0, UPPER_SPINE))
    neck = position.neck
    head_frame = chain(upper, rot_y(neck.flexion), rot_x(-neck.side_bend), rot_z(neck.rotation))
    skull_base = at(neck_base, head_frame, (0.01, 0.0, NECK))
    head = at(skull_base, head_frame, (0.02, 0.0, 0.085))
    frames.update(lower_trunk=lower, upper_trunk=upper, head=head_frame)
    joints.update(
        lumbar=lumbar, thoracic=thoracic, neck_base=neck_base, skull_base=skull_base, head=head
    )

    # The torso: a rounded box, as four tapered capsules along its edges from
    # level to level (hips, waist, chest, shoulders) plus the shoulder line.
    levels = [
        # centre, half depth, half width, corner radius
        (at(origin, pelvis, (-0.015, 0.0, -0.005)), pelvis, 0.11, 0.17, 0.09),
        (at(lumbar, lower, (0.0, 0.0, 0.07)), lower, 0.1, 0.145, 0.085),
        (at(thoracic, upper, (-0.005, 0.0, 0.1)), upper, 0.115, 0.165, 0.095),
        (at(neck_base, upper, (-0.02, 0.0, -0.05)), upper, 0.08, 0.17, 0.07),
    ]
    for name, low, high in (("pelvis", 0, 1), ("waist", 1, 2), ("chest", 2, 3)):
        for corner, fx, ly in (("fl", 1, 1), ("fr", 1, -1), ("bl", -1, 1), ("br", -1, -1)):
            ends = []
            for centre, frame, depth, width, radius in (levels[low], levels[high]):
                local = (fx * (depth - radius), ly * (width - radius), 0.0)
                ends.append((add(centre, mat_vec(frame, local)), radius))
            (a, ra), (b, rb) = ends
            segments.append(Segment(f"{name}_{corner}", "torso", a, ra, b, rb))
    segments.append(
        Segment(
            "shoulders",
            "torso",
            at(neck_base, upper, (-0.02, 0.125, -0.045)),
            0.075,
            at(neck_base, upper, (-0.02, -0.125, -0.045)),
            0.075,
        )
    )

    segments.append(Segment("neck", "head", neck_base, 0.05, skull_base, 0.047))
    segments.append(Segment("head", "head", head, HEAD_RADIUS, head, HEAD_RADIUS))

    points["head"] = (Sphere(head, HEAD_RADIUS),)
    points["upper_back"] = (Sphere(at(thoracic, upper, (-0.09, 0.0, 0.08)), 0.04),)
    points["sacrum"] = (Sphere(at(origin, pelvis, (-0.09, 0.0, 0.03)), 0.04),)
    points["pelvis"] = (Sphere(at(origin, pelvis, (-0.03, 0.0, -0.04)), 0.06),)

    for side in SIDES:
        s = 1.0 if side == "left" else -1.0
        hip_angles = position.left_hip if side == "left" else position.right_hip
        knee_angles = position.left_knee if side == "left" else position.right_knee
        ankle_angles = position.left_ankle if side == "left" else position.right_ankle
        hip = at(origin, pelvis, (0.0, s * HIP_HALF_WIDTH, 0.0))
        thigh = chain(
            pelvis,
            rot_y(-hip_angles.flexion),
            rot_x(s * hip_angles.abduction),
            rot_z(s * hip_angles.rotation),
        )
        knee = at(hip, thigh, (0.0, 0.0, -THIGH))
        shin = chain(thigh, rot_y(knee_angles.flexion))
        ankle = at(knee, shin, (0.0, 0.0, -SHIN))
        foot = chain(shin, rot_y(-ankle_angles.dorsiflexion))
        heel = at(ankle, foot, (-0.05, 0.0, -0.045))
        toe_tip = at(ankle, foot, (0.15, 0.0, -0.05))
        instep = at(ankle, foot, (0.115, 0.0, -0.035))
        leg = f"{side}_leg"
        segments.append(Segment(f"{side}_thigh", leg, hip, 0.082, knee, 0.056))
        segments.append(Segment(f"{side}_shin", leg, knee, 0.056, ankle, 0.036))
        segments.append(Segment(f"{side}_foot", leg, heel, 0.03, toe_tip, 0.025))
        segments.append(Segment(f"{side}_instep", leg, ankle, 0.036, instep, 0.03))
        joints.update(
            {
                f"{side}_hip": hip,
                f"{side}_knee": knee,
                f"{side}_ankle": ankle,
                f"{side}_heel": heel,
                f"{side}_toe_tip": toe_tip,
            }
        )
        frames.update({f"{side}_thigh": thigh, f"{side}_shin": shin, f"{side}_foot": foot})
        points[f"{side}_buttock"] = (Sphere(at(origin, pelvis, (-0.06, s * 0.07, -0.035)), 0.06),)
        points[f"{side}_hip"] = (Sphere(at(origin, pelvis, (-0.01, s * 0.13, 0.0)), 0.06),)
        points[f"{side}_knee"] = (Sphere(knee, 0.056),)
        points[f"{side}_ankle"] = (Sphere(ankle, 0.036),)
        heel_sphere = Sphere(heel, 0.03)
        toes_sphere = Sphere(at(ankle, foot, (0.13, 0.0, -0.05)), 0.025)
        points[f"{side}_heel"] = (heel_sphere,)
        points[f"{side}_toes"] = (toes_sphere,)
        points[f"{side}_foot"] = (heel_sphere, toes_sphere)

        shoulder_angles = position.left_shoulder if side == "left" else position.right_shoulder
        elbow_angles = position.left_elbow if side == "left" else position.right_elbow
        wrist_angles = position.left_wrist if side == "left" else position.right_wrist
        shoulder = at(neck_base, upper, (-0.01, s * SHOULDER_HALF_WIDTH, -0.035))
        arm = chain(
            upper,
            rot_y(-shoulder_angles.flexion),
            rot_x(s * shoulder_angles.abduction),
            rot_z(s * shoulder_angles.rotation),
        )
        elbow = at(shoulder, arm, (0.0, 0.0, -UPPER_ARM))
        forearm = chain(arm, rot_y(-elbow_angles.flexion))
        wrist = at(elbow, forearm, (0.0, 0.0, -FOREARM))
        hand = chain(forearm, rot_y(wrist_angles.extension))
        hand_end = at(wrist, hand, (0.0, 0.0, -HAND))
        limb = f"{side}_arm"
        segments.append(Segment(f"{side}_upper_arm", limb, shoulder, 0.05, elbow, 0.04))
        segments.append(Segment(f"{side}_forearm", limb, elbow, 0.04, wrist, 0.03))
        segments.append(Segment(f"{side}_hand", limb, wrist, 0.032, hand_end, 0.036))
        joints.update(
            {
                f"{side}_shoulder": shoulder,
                f"{side}_elbow": elbow,
                f"{side}_wrist": wrist,
                f"{side}_hand": hand_end,
            }
        )
        frames.update({f"{side}_arm": arm, f"{side}_forearm": forearm, f"{side}_hand": hand})
        points[f"{side}_shoulder"] = (Sphere(at(shoulder, upper, (0.0, s * 0.02, 0.0)), 0.06),)
        points[f"{side}_elbow"] = (Sphere(elbow, 0.04),)
        points[f"{side}_forearm"] = (Sphere(at(elbow, forearm, (0.0, 0.0, -FOREARM / 2)), 0.036),)
        points[f"{side}_hand"] = (Sphere(at(wrist, hand, (0.0, 0.0, -0.07)), 0.034),)

    return Body(joints=joints, frames=frames, segments=tuple(segments), points=points)


def body_axis(body: Body, frame: str, axis: int) -> Vec:
    """A unit axis (0 = x forward, 1 = y left, 2 = z up) of a body frame, in the world."""
    return column(body.frames[frame], axis)
