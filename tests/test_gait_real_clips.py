"""The gait check end to end on the real clips of ``../shared/data/video`` (see its
SOURCES.md): video, pose (MediaPipe), analysis and report. Skipped, with the reason, when the
clips or MediaPipe are not here. Each clip's pose is found once per test module.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from piri.domain.gait_pose import PosePoint, PoseSeries
from piri.domain.gait_quality import IssueCode, QualityIssue
from piri.domain.gait_rear import analyse_rear
from piri.domain.gait_report import rear_report, side_report
from piri.domain.gait_side import analyse_side
from piri.domain.gait_stretch import stretch_cadence

HAS_MEDIAPIPE = importlib.util.find_spec("mediapipe") is not None
TREADMILL = "zzzhushi_male_side_treadmill_run"
SPORTS2D = "sports2d_demo.mp4"
BALANCING = ("pose2sim_balancing_cam02_front.mp4", "pose2sim_balancing_cam03_rear.mp4")
# The walking woman in the Sports2D demo: about 98 steps/min by a count of heel strikes
# (SOURCES.md); "about" is taken as within 3%.
WALKER_STEPS_PER_MIN = 98.0
# She walks along the lawn, below this image row; the man doing jumping jacks stands on the
# box above it, and MediaPipe follows him first when given the whole frame.
WALKER_TOP_ROW = 430

pytestmark = pytest.mark.shared_data


@pytest.fixture(scope="module")
def clips() -> Path:
    from tests.conftest import SHARED_DIR

    folder = SHARED_DIR / "data" / "video"
    if not (folder / f"{TREADMILL}.mp4").is_file():
        pytest.skip(f"skipped: {folder} is not here (it is in CI); set PIRI_SHARED_DIR")
    if not HAS_MEDIAPIPE:
        pytest.skip("skipped: mediapipe is not importable (the video extra)")
    return folder


@pytest.fixture(scope="module")
def poses(clips: Path) -> dict[str, PoseSeries]:
    """Each clip's pose, found once: the treadmill at 30 and 15 frames/s, the others at 30."""
    from piri.activities.pose import estimate_pose

    found = {
        "treadmill": estimate_pose(clips / f"{TREADMILL}.mp4").series,
        "treadmill_half": estimate_pose(clips / f"{TREADMILL}.mp4", every=2).series,
        "sports2d": estimate_pose(clips / SPORTS2D).series,
        "walker": _lower_part_pose(clips / SPORTS2D, WALKER_TOP_ROW),
    }
    for name in BALANCING:
        found[name] = estimate_pose(clips / name).series
    return found


def _lower_part_pose(path: Path, top_row: int) -> PoseSeries:
    """The pose in the frame below ``top_row`` only, in the whole frame's pixels."""
    from piri.activities.pose import PoseModel, pose_series
    from piri.activities.video import open_video

    with open_video(path) as video, PoseModel() as model:

        def points(image: object) -> dict[str, PosePoint] | None:
            found = model.points(image[top_row:])  # type: ignore[index]
            if found is None:
                return None
            return {k: PosePoint(p.x, p.y + top_row, p.visibility) for k, p in found.items()}

        info = video.info
        return pose_series(video.frames(), info.fps, info.width, info.height, points)


def _codes(issues: tuple[QualityIssue, ...]) -> set[IssueCode]:
    return {issue.code for issue in issues}


@pytest.mark.parametrize("which", ["treadmill", "treadmill_half"])
def test_the_treadmill_cadence_is_within_2_percent_of_its_measured_value(
    clips: Path, poses: dict[str, PoseSeries], which: str
) -> None:
    truth = json.loads((clips / f"{TREADMILL}.groundtruth.json").read_text())["cadence_spm"]
    analysis = analyse_side(poses[which])
    assert not analysis.film_again, [i.message for i in analysis.issues]
    cadence = analysis.cadence
    assert cadence is not None and cadence.steps_per_min is not None
    assert cadence.steps_per_min == pytest.approx(truth["value"], rel=0.02)
    assert cadence.by_legs == pytest.approx(truth["value"], rel=0.02)
    assert cadence.by_pelvis == pytest.approx(truth["value"], rel=0.02)
    assert analysis.facing is not None and analysis.facing.value == "left"
    assert [leg.side.value for leg in analysis.legs] == ["left", "right"]
    report = side_report(analysis)
    assert not report.film_again
    assert report.figures[0].key == "cadence"
    assert IssueCode.SEVERAL_PEOPLE not in _codes(analysis.issues)


def test_the_treadmill_clip_is_refused_as_a_rear_view(poses: dict[str, PoseSeries]) -> None:
    analysis = analyse_rear(poses["treadmill"])
    assert IssueCode.WRONG_VIEW in _codes(analysis.issues) and analysis.film_again


def test_the_sports2d_demo_is_flagged_for_several_people_and_refused(
    poses: dict[str, PoseSeries],
) -> None:
    analysis = analyse_side(poses["sports2d"])
    codes = _codes(analysis.issues)
    assert IssueCode.SEVERAL_PEOPLE in codes and IssueCode.TOO_SHORT in codes
    report = side_report(analysis)
    assert report.film_again and report.figures == ()
    assert any("people" in warning for warning in report.warnings)


def test_the_walking_woman_in_the_sports2d_demo_walks_about_98_steps_a_minute(
    poses: dict[str, PoseSeries],
) -> None:
    """Her legs give the cadence; the clip (about 5 s of her) is still refused as a whole:
    too short for per-stride figures, and her pelvis bounce gives no rhythm to confirm it."""
    measured = stretch_cadence(poses["walker"])
    assert measured.stretch.start_s < 2.5 and measured.stretch.end_s > 6.5
    assert measured.cadence.by_legs == pytest.approx(WALKER_STEPS_PER_MIN, rel=0.03)
    analysis = analyse_side(poses["walker"])
    assert analysis.film_again and IssueCode.TOO_SHORT in _codes(analysis.issues)


@pytest.mark.parametrize("name", BALANCING)
def test_the_balancing_clips_are_refused_as_too_short(
    poses: dict[str, PoseSeries], name: str
) -> None:
    for analysis in (analyse_side(poses[name]), analyse_rear(poses[name])):
        assert analysis.film_again
        assert IssueCode.TOO_SHORT in _codes(analysis.issues)
    assert stretch_cadence(poses[name]).cadence.steps_per_min is None
    assert rear_report(analyse_rear(poses[name])).film_again


def test_the_pose_model_tells_the_balancing_man_from_behind_from_him_from_the_front(
    poses: dict[str, PoseSeries],
) -> None:
    """The evidence behind FRONT_SHARE: seen from behind, the model names his left hip and
    shoulder on the image's left; from the front, mostly on its right."""
    from piri.domain.gait_rear import FRONT_SHARE, UNSURE_FACING_SHARE, facing_camera_share
    from piri.domain.gait_tracks import build_tracks

    front, behind = (facing_camera_share(build_tracks(poses[name])) for name in BALANCING)
    assert front >= FRONT_SHARE, front
    assert behind < UNSURE_FACING_SHARE, behind
