"""The exercise pictures: figure files load, every position draws, poses are physically right."""

from __future__ import annotations

import hashlib
import itertools
import math
import os
import re
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

import cairosvg
import pytest

from piri.content.loader import ContentError, load_library
from piri.illustrations import (
    FIGURES_DIR,
    RenderedPosition,
    check_figure,
    load_figure,
    render_exercise,
    render_figure,
)
from piri.illustrations.contacts import contact_gaps
from piri.illustrations.depth import depth_order
from piri.illustrations.geometry import distance
from piri.illustrations.pose import Camera, FigureFile, MiniBand, Position
from piri.illustrations.projection import View
from piri.illustrations.props import band_loop
from piri.illustrations.scene import build_scene
from piri.illustrations.shapes import Cylinder, Solid
from piri.illustrations.skeleton import FOREARM, SHIN, THIGH, UPPER_ARM, pose_body

SVG = "{http://www.w3.org/2000/svg}"
FIGURE_IDS = sorted(path.stem for path in FIGURES_DIR.glob("*.toml"))


@cache
def rendered(exercise_id: str) -> tuple[RenderedPosition, ...]:
    return tuple(render_exercise(exercise_id, name=f"Exercise {exercise_id}"))


def test_every_exercise_and_self_test_has_a_figure_and_every_figure_belongs_to_one() -> None:
    content = load_library()
    pictured = set(content.exercises) | {test.id for test in content.questionnaire.self_tests}
    assert sorted(pictured - set(FIGURE_IDS)) == [], "exercises or self-tests without a picture"
    assert sorted(set(FIGURE_IDS) - pictured) == [], "figure files for nothing in the library"


# --- every figure file ------------------------------------------------------------


@pytest.mark.parametrize("exercise_id", FIGURE_IDS)
def test_figure_file_loads_with_distinct_positions(exercise_id: str) -> None:
    figure = load_figure(exercise_id)
    assert figure.exercise == exercise_id
    ids = [p.id for p in figure.positions]
    assert len(ids) >= 2
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("exercise_id", FIGURE_IDS)
def test_one_svg_per_position_in_file_order(exercise_id: str) -> None:
    figure = load_figure(exercise_id)
    pictures = rendered(exercise_id)
    assert [p.id for p in pictures] == [p.id for p in figure.positions]
    assert [p.label for p in pictures] == [p.label for p in figure.positions]
    for picture in pictures:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", picture.id)


@pytest.mark.parametrize("exercise_id", FIGURE_IDS)
def test_svg_is_self_contained_fitted_and_titled(exercise_id: str) -> None:
    for picture in rendered(exercise_id):
        root = ET.fromstring(picture.svg)
        assert root.tag == f"{SVG}svg"
        x, y, width, height = (float(v) for v in root.attrib["viewBox"].split())
        assert (x, y) == (0.0, 0.0)
        assert width > 100 and height > 100
        assert "width" not in root.attrib  # scales to whatever width it is given
        title = root.find(f"{SVG}title")
        desc = root.find(f"{SVG}desc")
        assert title is not None and title.text is not None
        assert f"Exercise {exercise_id}" in title.text and picture.label in title.text
        assert desc is not None and desc.text
        caption = " ".join(t.text or "" for t in root.iter(f"{SVG}tspan"))
        assert caption == picture.label
        for element in root.iter():
            assert not any("href" in key for key in element.attrib), element.tag
        assert "url(" not in picture.svg and "@import" not in picture.svg
        assert 'font-family="sans-serif"' in picture.svg
        # Everything drawn lies inside the view box, above the caption.
        group = root.find(f"{SVG}g")
        assert group is not None
        shift = re.fullmatch(r"translate\((\S+) (\S+)\)", group.attrib["transform"])
        assert shift is not None
        dx, dy = float(shift[1]), float(shift[2])
        points = [
            (float(px) + dx, float(py) + dy)
            for d in re.findall(r' d="([^"]+)"', picture.svg)
            for px, py in re.findall(r"[ML](-?\d+\.\d) (-?\d+\.\d)", d)
        ]
        assert len(points) > 50, "nothing drawn"
        caption_top = min(float(t.attrib["y"]) for t in root.iter(f"{SVG}tspan"))
        assert all(0 <= px <= width and 0 <= py < caption_top for px, py in points)


@pytest.mark.parametrize("exercise_id", FIGURE_IDS)
def test_svg_rasterises_at_phone_width(exercise_id: str) -> None:
    for picture in rendered(exercise_id):
        png = cairosvg.svg2png(bytestring=picture.svg.encode(), output_width=320)
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", png[16:24])
        assert width == 320 and height > 100


@pytest.mark.parametrize("exercise_id", FIGURE_IDS)
def test_positions_of_one_exercise_look_different(exercise_id: str) -> None:
    svgs = [picture.svg for picture in rendered(exercise_id)]
    words = r"<title>.*?</title>|<desc>.*?</desc>|<text .*?</text>"
    drawings = [re.search(r"<g .*?</g>", re.sub(words, "", svg), flags=re.S) for svg in svgs]
    assert all(drawings)
    assert len({d[0] for d in drawings if d}) == len(svgs)


@pytest.mark.parametrize("exercise_id", FIGURE_IDS)
def test_bones_keep_their_length_in_every_position(exercise_id: str) -> None:
    figure = load_figure(exercise_id)
    first = pose_body(figure.positions[0]).bones()
    assert first["left_thigh"] == pytest.approx(THIGH)
    assert first["right_shin"] == pytest.approx(SHIN)
    assert first["left_upper_arm"] == pytest.approx(UPPER_ARM)
    assert first["right_forearm"] == pytest.approx(FOREARM)
    for position in figure.positions[1:]:
        assert pose_body(position).bones() == pytest.approx(first, abs=1e-9)


@pytest.mark.parametrize("exercise_id", FIGURE_IDS)
def test_every_stated_contact_holds_and_nothing_sinks(exercise_id: str) -> None:
    figure = load_figure(exercise_id)
    assert all(position.contacts for position in figure.positions), "state what each touches"
    assert check_figure(figure) == []


# --- the four reference exercises: the pose says what the exercise needs ----------


def _body(exercise_id: str, position_id: str) -> dict[str, tuple[float, float, float]]:
    figure = load_figure(exercise_id)
    position = next(p for p in figure.positions if p.id == position_id)
    return pose_body(position).joints


def _angle_between_thighs(joints: dict[str, tuple[float, float, float]]) -> float:
    def direction(side: str) -> tuple[float, float, float]:
        hip, knee = joints[f"{side}_hip"], joints[f"{side}_knee"]
        return (knee[0] - hip[0], knee[1] - hip[1], knee[2] - hip[2])

    a, b = direction("left"), direction("right")
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    return math.degrees(math.acos(dot / (math.hypot(*a) * math.hypot(*b))))


def test_clamshell_opens_the_top_knee_with_the_feet_together() -> None:
    start, opened = _body("clamshell", "start"), _body("clamshell", "open")
    assert opened["left_knee"][2] > start["left_knee"][2] + 0.15  # the top knee lifts
    assert _angle_between_thighs(start) < 12
    assert 38 <= _angle_between_thighs(opened) <= 50
    assert distance(opened["left_heel"], opened["right_heel"]) < 0.08
    assert start["pelvis"] == opened["pelvis"]  # the pelvis does not roll back


def test_floss_bends_then_straightens_the_left_knee() -> None:
    bend, straight = (
        _body("sciatic-nerve-floss", "bend"),
        _body("sciatic-nerve-floss", "straighten"),
    )
    assert bend["left_ankle"][0] < bend["left_knee"][0] - 0.25  # foot drawn back under
    assert straight["left_ankle"][0] > straight["left_knee"][0] + 0.35  # leg out in front
    assert straight["left_ankle"][2] < straight["left_hip"][2]  # at seat height or lower
    figure = load_figure("sciatic-nerve-floss")
    by_id = {p.id: p for p in figure.positions}
    assert by_id["straighten"].left_ankle.dorsiflexion > 10  # toes pulled up
    assert by_id["straighten"].neck.flexion > 30  # chin to chest
    assert by_id["bend"].neck.flexion < -20  # looking up


def test_figure_four_rests_the_right_ankle_on_the_left_knee() -> None:
    for position in ("back", "forward"):
        joints = _body("figure-four-foam-roll", position)
        assert distance(joints["right_ankle"], joints["left_knee"]) < 0.15
        assert joints["right_ankle"][2] > joints["left_knee"][2]  # on top, not under
    back, forward = (
        _body("figure-four-foam-roll", "back"),
        _body("figure-four-foam-roll", "forward"),
    )
    assert forward["pelvis"][0] - back["pelvis"][0] > 0.05


def _band_length(exercise_id: str, position_id: str) -> float:
    figure = load_figure(exercise_id)
    position = next(p for p in figure.positions if p.id == position_id)
    scene = build_scene(figure, position)
    band = scene.props.band
    assert band is not None
    return sum(distance(a, b) for a, b in itertools.pairwise(band.points))


@pytest.mark.parametrize(
    ("exercise_id", "rest", "work"),
    [
        ("clamshell", "start", "open"),
        ("monster-walk", "stance", "step"),
    ],
)
def test_band_stretches_when_the_knees_separate(exercise_id: str, rest: str, work: str) -> None:
    assert _band_length(exercise_id, work) > _band_length(exercise_id, rest) * 1.1


# --- kinematics and camera conventions ----------------------------------------------


def test_joints_bend_the_anatomical_way() -> None:
    bent = Position.model_validate(
        {
            "id": "p",
            "label": "p",
            "left_knee": {"flexion": 90},
            "right_hip": {"flexion": 90},
            "left_elbow": {"flexion": 90},
            "right_ankle": {"dorsiflexion": 30},
            "right_shoulder": {"abduction": 90},
        }
    )
    j = pose_body(bent).joints
    assert j["left_ankle"][0] < j["left_knee"][0] - 0.4  # the knee bends the shin backwards
    assert j["right_knee"][0] > j["right_hip"][0] + 0.4  # hip flexion lifts the thigh forward
    assert j["left_wrist"][0] > j["left_elbow"][0] + 0.2  # the elbow bends the forearm forwards
    assert j["right_toe_tip"][2] > j["right_heel"][2] + 0.05  # dorsiflexion lifts the toes
    assert j["right_elbow"][1] < j["right_shoulder"][1] - 0.25  # right arm out to the right


def test_lying_on_the_right_side_faces_left_of_the_scene() -> None:
    lying = Position.model_validate(
        {"id": "p", "label": "p", "orientation": "lying_on_right_side", "pelvis": {"z": 0.19}}
    )
    j = pose_body(lying).joints
    assert j["head"][0] > j["pelvis"][0] + 0.5  # head towards +x
    assert j["left_hip"][2] > j["right_hip"][2] + 0.15  # left side up


def test_camera_azimuth_and_elevation() -> None:
    front = View.of(Camera(azimuth=0, elevation=0))
    assert front.screen((0.0, 1.0, 0.0))[0] > 0  # the figure's left is on the right
    assert front.screen((0.0, 0.0, 1.0))[1] < 0  # up is up
    left_side = View.of(Camera(azimuth=90, elevation=0))
    assert left_side.depth((0.0, 1.0, 0.0)) > 0  # the left side is nearest
    above = View.of(Camera(azimuth=0, elevation=90))
    assert above.depth((0.0, 0.0, 1.0)) > above.depth((0.0, 0.0, 0.0))


def test_the_near_leg_is_drawn_over_the_body_and_the_far_leg_under_it() -> None:
    figure = load_figure("sciatic-nerve-floss")
    scene = build_scene(figure, figure.positions[1])
    view = View.of(Camera(azimuth=90, elevation=8))
    groups: dict[str, list[Solid]] = {}
    for part in scene.parts:
        groups.setdefault(part.group, []).append(part)
    order = depth_order(scene, groups, view)
    assert order.index("right_leg") < order.index("torso") < order.index("left_leg")


# --- the contact check catches wrong poses -------------------------------------------


def _with_pelvis_height(exercise_id: str, dz: float) -> FigureFile:
    raw = load_figure(exercise_id).model_dump(mode="json")
    for position in raw["positions"]:
        position["pelvis"]["z"] += dz
    return FigureFile.model_validate(raw)


def test_a_floating_body_breaks_its_floor_contacts() -> None:
    problems = check_figure(_with_pelvis_height("monster-walk", 0.10))
    assert any("left_foot:floor" in p and "10.0 cm apart" in p for p in problems)


def test_a_body_below_the_floor_is_reported() -> None:
    problems = check_figure(_with_pelvis_height("monster-walk", -0.10))
    assert any("below the floor" in p for p in problems)


def test_contact_gap_is_signed() -> None:
    figure = _with_pelvis_height("monster-walk", 0.05)
    gaps = contact_gaps(build_scene(figure, figure.positions[0]))
    foot = next(g for g in gaps if g.contact == "left_foot:floor")
    assert foot.gap == pytest.approx(0.05, abs=0.002)
    assert not foot.holds or abs(foot.gap) <= 0.04


def test_band_loop_wraps_both_legs() -> None:
    figure = load_figure("monster-walk")
    body = pose_body(figure.positions[0])
    band = figure.props[0]
    assert isinstance(band, MiniBand)
    loop = band_loop(body, band.at).points
    left_knee, right_knee = body.joints["left_knee"], body.joints["right_knee"]
    assert min(distance(p, left_knee) for p in loop) < 0.15
    assert min(distance(p, right_knee) for p in loop) < 0.15
    assert loop[0] == loop[-1]


# --- broken and missing files ---------------------------------------------------------


def _write_variant(tmp_path: Path, old: str, new: str, name: str = "clamshell") -> Path:
    text = (FIGURES_DIR / "clamshell.toml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / f"{name}.toml"
    path.write_text(text.replace(old, new, 1).replace('"clamshell"', f'"{name}"', 1), "utf-8")
    return path


def test_an_angle_out_of_range_names_file_position_and_field(tmp_path: Path) -> None:
    path = _write_variant(
        tmp_path, "[positions.left_knee]\nflexion = 90", "[positions.left_knee]\nflexion = 200"
    )
    with pytest.raises(ContentError) as caught:
        load_figure("clamshell", tmp_path)
    message = str(caught.value)
    assert caught.value.path == path
    assert str(path) in message
    assert "item 'start'" in message
    assert "left_knee.flexion" in message


def test_an_unknown_field_is_an_error(tmp_path: Path) -> None:
    _write_variant(tmp_path, "[positions.left_knee]\n", "[positions.left_knee]\ncolour = 1\n")
    with pytest.raises(ContentError, match=r"left_knee\.colour"):
        load_figure("clamshell", tmp_path)


def test_an_unknown_contact_name_is_an_error(tmp_path: Path) -> None:
    _write_variant(tmp_path, '"right_hip:floor"', '"right_hip:sofa"')
    with pytest.raises(ContentError, match=r"contacts\[1\].*'sofa' is not a surface"):
        load_figure("clamshell", tmp_path)


def test_a_contact_with_a_missing_prop_is_an_error(tmp_path: Path) -> None:
    _write_variant(tmp_path, '"right_hip:floor"', '"right_hip:chair_seat"')
    with pytest.raises(ContentError, match="needs a prop"):
        load_figure("clamshell", tmp_path)


def test_one_position_is_not_enough(tmp_path: Path) -> None:
    text = (FIGURES_DIR / "clamshell.toml").read_text(encoding="utf-8")
    (tmp_path / "clamshell.toml").write_text(text.split('[[positions]]\nid = "open"')[0], "utf-8")
    with pytest.raises(ContentError, match="positions"):
        load_figure("clamshell", tmp_path)


def test_position_ids_must_be_distinct(tmp_path: Path) -> None:
    _write_variant(tmp_path, 'id = "open"', 'id = "start"')
    with pytest.raises(ContentError, match="'start' is used twice"):
        load_figure("clamshell", tmp_path)


def test_the_exercise_id_must_match_the_file_name(tmp_path: Path) -> None:
    text = (FIGURES_DIR / "clamshell.toml").read_text(encoding="utf-8")
    (tmp_path / "other.toml").write_text(text, "utf-8")
    with pytest.raises(ContentError, match="must match the file name"):
        load_figure("other", tmp_path)


def test_an_exercise_without_a_figure_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ContentError) as caught:
        render_exercise("no-such-exercise", directory=tmp_path)
    assert "no-such-exercise.toml" in str(caught.value)
    assert "no figure file" in str(caught.value)


EVERY_PROP = """
exercise = "every-prop"
highlight = ["right_arm"]
camera = { azimuth = 50, elevation = 15 }
props = [
    { kind = "step", x = 0.25 },
    { kind = "dumbbell", hand = "right" },
    { kind = "wall", x = -0.5 },
    { kind = "mini_band" },
    { kind = "mat", x = 1.5 },
    { kind = "chair", x = 1.5, y = 1.0 },
    { kind = "foam_roller", x = 1.5, y = -1.0 },
]

[[positions]]
id = "up"
label = "On the step, band round the ankles"
band = "ankles"
contacts = ["left_foot:step", "right_foot:step"]
pelvis = { x = 0.1, z = 1.135 }
right_elbow = { flexion = 10 }

[[positions]]
id = "curl"
label = "Curl"
contacts = ["left_foot:step", "right_foot:step"]
pelvis = { x = 0.1, z = 1.135 }
right_elbow = { flexion = 120 }
"""


def test_every_prop_kind_draws(tmp_path: Path) -> None:
    (tmp_path / "every-prop.toml").write_text(EVERY_PROP, "utf-8")
    figure = load_figure("every-prop", tmp_path)
    assert check_figure(figure) == []
    pictures = render_figure(figure)
    for picture in pictures:
        png = cairosvg.svg2png(bytestring=picture.svg.encode(), output_width=320)
        assert png[:4] == b"\x89PNG"
    scene = build_scene(figure, figure.positions[0])
    assert set(scene.props.surfaces) == {
        "step",
        "wall",
        "mat",
        "chair_seat",
        "chair_back",
        "foam_roller",
    }
    assert scene.props.band is not None
    ankle = scene.body.joints["left_ankle"]
    assert min(distance(p, ankle) for p in scene.props.band.points) < 0.12  # round the ankles
    weights = [s for s in scene.props.solids if isinstance(s, Cylinder) and s.role == "weight"]
    hand = scene.body.joints["right_wrist"]
    assert len(weights) == 3  # a handle and two plates, in the right hand
    assert all(distance(s.a, hand) < 0.2 for s in weights)


# --- determinism and start-up cost ----------------------------------------------------

_DIGEST = (
    "import hashlib; from piri.illustrations import render_exercise as r; "
    "print(hashlib.sha256(''.join(p.svg for i in ('clamshell', 'figure-four-foam-roll') "
    "for p in r(i)).encode()).hexdigest())"
)


def test_output_is_deterministic_within_a_process() -> None:
    figure = load_figure("figure-four-foam-roll")
    first = [p.svg for p in render_figure(figure, name="X")]
    second = [p.svg for p in render_figure(load_figure("figure-four-foam-roll"), name="X")]
    assert first == second


def test_output_is_deterministic_across_processes() -> None:
    digests = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run(
            [sys.executable, "-c", _DIGEST], env=env, capture_output=True, text=True, check=True
        )
        digests.add(result.stdout.strip())
    expected = hashlib.sha256(
        "".join(
            p.svg for i in ("clamshell", "figure-four-foam-roll") for p in render_exercise(i)
        ).encode()
    ).hexdigest()
    assert digests == {expected}


def test_the_cli_does_not_import_the_drawing_code() -> None:
    code = "import sys, piri.cli.app; print('piri.illustrations' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
