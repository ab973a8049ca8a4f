"""A synthetic runner for the gait tests: BlazePose-style landmarks with a known cadence,
overstride, shank angle, trunk lean and pelvic drop, seen from the side or from behind, with
optional pixel noise, dropped frames, left/right label swaps and a tilted camera.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, replace

from piri.domain.gait_pose import PoseFrame, PosePoint, PoseSeries

XY = tuple[float, float]
LEG_PARTS = ("hip", "knee", "ankle", "heel", "foot_index")


@dataclass(frozen=True)
class Runner:
    cadence: float = 170.0  # steps/min
    fps: float = 60.0
    seconds: float = 15.0
    view: str = "side"  # or "rear"
    facing: int = 1  # side view: +1 faces the right edge of the frame, -1 the left
    leg_px: float = 400.0  # hip-to-ankle distance at mid-stance
    overstride: float = 0.12  # ankle ahead of the pelvis at foot strike, in leg lengths
    shank_deg: float = 8.0  # shank from vertical at foot strike
    trunk_lean_deg: float = 6.0
    duty: float = 0.35  # share of a stride each foot is on the ground
    bounce_px: float = 12.0
    bounce_cadence: float | None = None  # a pelvis bouncing at another rate (a broken clip)
    hip_width_px: float = 100.0  # rear view
    drop_left: float = 6.0  # rear view: pelvic drop (degrees) while standing on the left leg
    drop_right: float = 3.0
    valgus_left_px: float = 10.0  # rear view: knee inward of the hip-ankle line at its middle
    valgus_right_px: float = 4.0
    camera_roll_deg: float = 0.0
    noise_px: float = 0.0
    drop_share: float = 0.0  # share of frames with no person
    swap_share: float = 0.0  # share of frames whose left/right leg labels are swapped
    swap_all: bool = False
    # rear view: filmed from the front instead, the runner coming towards the camera: the
    # person's left is on the image's right, for every paired point (what the pose model gives)
    towards_camera: bool = False
    seed: int = 1

    def but(self, **changes: object) -> Runner:
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def valgus_left_deg(self) -> float:
        return 2 * math.degrees(math.atan2(self.valgus_left_px, self.leg_px / 2))

    @property
    def valgus_right_deg(self) -> float:
        return 2 * math.degrees(math.atan2(self.valgus_right_px, self.leg_px / 2))


WIDTH, HEIGHT = 1280, 960
CX, BASE_Y = 640.0, 300.0


def series(runner: Runner) -> PoseSeries:
    rng = random.Random(runner.seed)
    count = round(runner.seconds * runner.fps)
    swapped = _swapped_frames(runner, count, rng)
    frames = []
    for i in range(count):
        t = i / runner.fps
        if rng.random() < runner.drop_share:
            frames.append(PoseFrame(t, None))
            continue
        points = _side(runner, t) if runner.view == "side" else _rear(runner, t)
        if runner.camera_roll_deg:
            points = {k: _rotate(p, runner.camera_roll_deg) for k, p in points.items()}
        if swapped[i]:
            points = _swap(points)
        if runner.towards_camera:
            points = _mirror_labels(points)
        frames.append(
            PoseFrame(
                t,
                {
                    name: PosePoint(
                        x + rng.gauss(0, runner.noise_px),
                        y + rng.gauss(0, runner.noise_px),
                        0.1 if runner.view == "rear" and name in ("nose",) else 0.95,
                    )
                    for name, (x, y) in points.items()
                },
            )
        )
    return PoseSeries(tuple(frames), runner.fps, WIDTH, HEIGHT)


def _swapped_frames(runner: Runner, count: int, rng: random.Random) -> list[bool]:
    if runner.swap_all:
        return [True] * count
    swapped = [False] * count
    i = 0
    while i < count:  # swaps come in short runs of 2 to 8 frames
        if rng.random() < runner.swap_share / 5:
            run = rng.randint(2, 8)
            for j in range(i, min(count, i + run)):
                swapped[j] = True
            i += run + 1
        else:
            i += 1
    return swapped


def _mirror_labels(points: dict[str, XY]) -> dict[str, XY]:
    """Every left_ point named right_ and the other way round."""
    out = {}
    for name, point in points.items():
        if name.startswith("left_"):
            name = "right_" + name[len("left_") :]
        elif name.startswith("right_"):
            name = "left_" + name[len("right_") :]
        out[name] = point
    return out


def _swap(points: dict[str, XY]) -> dict[str, XY]:
    out = dict(points)
    for part in LEG_PARTS:
        out[f"left_{part}"], out[f"right_{part}"] = points[f"right_{part}"], points[f"left_{part}"]
    return out


def _rotate(p: XY, degrees: float) -> XY:
    a = math.radians(degrees)
    cy = HEIGHT / 2
    dx, dy = p[0] - CX, p[1] - cy
    return (CX + dx * math.cos(a) - dy * math.sin(a), cy + dx * math.sin(a) + dy * math.cos(a))


def _phases(runner: Runner, t: float) -> tuple[float, float]:
    stride_hz = runner.cadence / 120
    left = (t * stride_hz) % 1.0
    return left, (left + 0.5) % 1.0


def _hip_y(runner: Runner, t: float) -> float:
    rate = runner.bounce_cadence or runner.cadence
    phase = (t * rate / 60) % 1.0  # one bounce per step; lowest at mid-stance
    return BASE_Y + runner.bounce_px * math.cos(2 * math.pi * (phase - runner.duty))


def _foot_lift(runner: Runner, phase: float) -> float:
    if phase < runner.duty:
        return 0.0
    swing = (phase - runner.duty) / (1 - runner.duty)
    return 0.3 * runner.leg_px * math.sin(math.pi * swing)


def _side(runner: Runner, t: float) -> dict[str, XY]:
    f, leg = runner.facing, runner.leg_px
    hip = (CX, _hip_y(runner, t))
    ground = BASE_Y + runner.bounce_px + leg
    reach = runner.overstride * leg  # ahead at strike, as far behind at toe-off
    points: dict[str, XY] = {}
    for side, phase in zip(("left", "right"), _phases(runner, t), strict=True):
        if phase < runner.duty:
            ahead = reach - 2 * reach * phase / runner.duty
        else:
            swing = (phase - runner.duty) / (1 - runner.duty)
            ahead = -reach + 2 * reach * (1 - math.cos(math.pi * swing)) / 2
        ankle = (hip[0] + f * ahead, ground - _foot_lift(runner, phase))
        shank = math.radians(runner.shank_deg * math.cos(2 * math.pi * phase))
        knee = (ankle[0] - f * 0.5 * leg * math.sin(shank), ankle[1] - 0.5 * leg * math.cos(shank))
        offset = 3.0 if side == "left" else -3.0
        points[f"{side}_hip"] = (hip[0] + offset, hip[1])
        points[f"{side}_knee"] = knee
        points[f"{side}_ankle"] = ankle
        points[f"{side}_heel"] = (ankle[0] - f * 0.05 * leg, ankle[1] + 0.03 * leg)
        points[f"{side}_foot_index"] = (ankle[0] + f * 0.12 * leg, ankle[1] + 0.04 * leg)
    lean = math.radians(runner.trunk_lean_deg)
    trunk = 0.75 * leg
    shoulder = (hip[0] + f * trunk * math.sin(lean), hip[1] - trunk * math.cos(lean))
    points["left_shoulder"] = (shoulder[0] + 3, shoulder[1])
    points["right_shoulder"] = (shoulder[0] - 3, shoulder[1])
    ear = (shoulder[0], shoulder[1] - 0.3 * leg)
    points["left_ear"] = (ear[0] + 2, ear[1])
    points["right_ear"] = (ear[0] - 2, ear[1])
    points["nose"] = (ear[0] + f * 0.06 * leg, ear[1] + 0.02 * leg)
    return points


def _rear(runner: Runner, t: float) -> dict[str, XY]:
    leg, half = runner.leg_px, runner.hip_width_px / 2
    mid_y = _hip_y(runner, t)
    left_phase, right_phase = _phases(runner, t)
    tilt = 0.0  # positive: the right hip lower
    if left_phase < runner.duty:
        tilt = runner.drop_left * math.sin(math.pi * left_phase / runner.duty)
    elif right_phase < runner.duty:
        tilt = -runner.drop_right * math.sin(math.pi * right_phase / runner.duty)
    rise = half * math.tan(math.radians(tilt))
    ground = BASE_Y + runner.bounce_px + leg
    points: dict[str, XY] = {}
    for side, phase, sign, valgus in (
        ("left", left_phase, -1, runner.valgus_left_px),
        ("right", right_phase, 1, runner.valgus_right_px),
    ):
        hip = (CX + sign * half, mid_y + sign * rise)
        ankle = (hip[0], ground - _foot_lift(runner, phase))
        knee = ((hip[0] + ankle[0]) / 2 - sign * valgus, (hip[1] + ankle[1]) / 2)
        points[f"{side}_hip"] = hip
        points[f"{side}_knee"] = knee
        points[f"{side}_ankle"] = ankle
        points[f"{side}_heel"] = (ankle[0], ankle[1] + 0.03 * leg)
        points[f"{side}_foot_index"] = (ankle[0] + sign * 0.02 * leg, ankle[1] + 0.02 * leg)
        points[f"{side}_shoulder"] = (CX + sign * 1.6 * half, mid_y - 0.75 * leg)
        points[f"{side}_ear"] = (CX + sign * 0.4 * half, mid_y - 1.05 * leg)
    points["nose"] = (CX, mid_y - 1.0 * leg)
    return points
