"""The gait check's video reader and pose step (issue 10).

The core tests write their own small videos with PyAV; the real-clip tests use
``../shared/data/video`` and say they were skipped when it is absent. Without the ``video``
extra (PyAV, NumPy, MediaPipe) the tests that need it are skipped with the reason.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import pytest

from piri.activities import video as video_module
from piri.activities.pose import (
    LANDMARK_NAMES,
    PoseExtraMissingError,
    PoseModel,
    PoseRun,
    estimate_pose,
    part_starts,
    prefetched,
    to_points,
)
from piri.activities.video import VideoError, open_video, quarter_turns
from piri.domain.gait_jumps import track_jumps
from piri.domain.gait_pose import PoseFrame, PosePoint, PoseSeries

HAS_AV = importlib.util.find_spec("av") is not None and importlib.util.find_spec("numpy")
HAS_MEDIAPIPE = importlib.util.find_spec("mediapipe") is not None
needs_av = pytest.mark.skipif(not HAS_AV, reason="skipped: the video extra (PyAV) is missing")
needs_mediapipe = pytest.mark.skipif(
    not HAS_MEDIAPIPE, reason="skipped: mediapipe is not importable (the video extra)"
)
TREADMILL = "zzzhushi_male_side_treadmill_run.mp4"


def write_video(
    path: Path,
    frames: int,
    rate: int = 30,
    size: tuple[int, int] = (64, 48),
    metadata: dict[str, str] | None = None,
    noise: bool = True,
) -> Path:
    """A small MPEG-4 clip of noise (or flat grey), ``size`` = (width, height), with a square
    whose brightness changes from frame to frame."""
    import av
    import numpy as np

    rng = np.random.default_rng(3)
    # use_metadata_tags: write any key as the phones do (mdta), not only the standard ones.
    with av.open(str(path), mode="w", options={"movflags": "use_metadata_tags"}) as container:
        for key, value in (metadata or {}).items():
            container.metadata[key] = value
        stream = container.add_stream("mpeg4", rate=rate)
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        for index in range(frames):
            shape = (size[1], size[0], 3)
            image = (
                rng.integers(0, 255, shape, dtype=np.uint8)
                if noise
                else np.full(shape, 128, np.uint8)
            )
            image[: size[1] // 2, : size[0] // 2] = (index * 8) % 256
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


@needs_av
def test_a_small_clip_opens_with_its_rate_size_and_capture_times(tmp_path: Path) -> None:
    clip = write_video(tmp_path / "clip.mp4", frames=45, rate=30, size=(64, 48))
    with open_video(clip) as video:
        assert (video.info.width, video.info.height) == (64, 48)
        assert video.info.fps == pytest.approx(30)
        assert not video.info.slow_motion
        frames = list(video.frames())
    assert len(frames) == 45
    assert frames[0].image.shape == (48, 64, 3) and str(frames[0].image.dtype) == "uint8"
    assert [f.index for f in frames] == list(range(45))
    assert frames[0].time_s == 0.0
    assert frames[-1].time_s == pytest.approx(44 / 30)


@needs_av
def test_every_other_frame_keeps_the_capture_times(tmp_path: Path) -> None:
    clip = write_video(tmp_path / "clip.mp4", frames=40)
    with open_video(clip) as video:
        frames = list(video.frames(every=2))
    assert [f.index for f in frames] == list(range(0, 40, 2))
    assert frames[1].time_s == pytest.approx(2 / 30)


@needs_av
def test_a_slow_motion_file_is_timed_at_its_capture_rate(tmp_path: Path) -> None:
    # Stored to play at 30 frames/s, filmed at 240 (as an Android phone writes it).
    clip = write_video(
        tmp_path / "slowmo.mp4", frames=300, metadata={"com.android.capture.fps": "240.000000"}
    )
    with open_video(clip) as video:
        if video.info.fps == pytest.approx(30):
            pytest.skip("skipped: this FFmpeg build does not write the capture-rate tag")
        assert video.info.fps == pytest.approx(240)
        assert video.info.playback_fps == pytest.approx(30)
        assert video.info.slow_motion
        frames = list(video.frames())
    assert frames[1].time_s == pytest.approx(1 / 240)
    assert frames[-1].time_s == pytest.approx(299 / 240)


@needs_av
def test_the_fps_override_wins_when_the_file_does_not_say(tmp_path: Path) -> None:
    clip = write_video(tmp_path / "exported.mp4", frames=150, rate=30)
    with open_video(clip, fps=120) as video:
        assert video.info.fps == 120 and video.info.playback_fps == pytest.approx(30)
        frames = list(video.frames())
    assert frames[1].time_s == pytest.approx(1 / 120)


def test_capture_rate_metadata_is_read_and_nonsense_ignored() -> None:
    read = video_module._metadata_capture_fps
    assert read({"com.android.capture.fps": "240.000000"}) == 240
    assert read({}, {"com.example.capture.fps": "119.88"}) == pytest.approx(119.88)
    assert read({"com.android.capture.fps": "fast"}) is None
    assert read({"com.android.capture.fps": "0"}) is None
    assert read({"encoder": "Lavf"}) is None


@needs_av
def test_rotation_turns_the_frames_upright() -> None:
    import numpy as np

    stored = np.zeros((2, 3, 3), dtype=np.uint8)  # landscape: 2 high, 3 wide
    stored[0, 0] = 255  # top left
    # A phone held upright stores landscape pixels and a display matrix of -90 (turn the
    # picture 90 degrees clockwise): the top left ends at the top right.
    turned = video_module.upright(stored, -90)
    assert turned.shape == (3, 2, 3)
    assert turned[0, 1, 0] == 255
    assert video_module.upright(stored, 0) is stored
    assert video_module.upright(stored, 180)[1, 2, 0] == 255
    assert quarter_turns(90) == 1 and quarter_turns(-90) == 3 and quarter_turns(270) == 3
    assert video_module._rotate_tag({"rotate": "90"}) == -90


@needs_av
def test_a_text_file_is_refused_as_not_a_video(tmp_path: Path) -> None:
    notes = tmp_path / "notes.mp4"
    notes.write_text("Ran 5 km, right buttock sore after 3.\n" * 50, encoding="utf-8")
    with pytest.raises(VideoError, match=r"notes\.mp4: not a video"):
        open_video(notes)


@needs_av
def test_audio_only_is_refused_as_having_no_video_stream(tmp_path: Path) -> None:
    import av
    import numpy as np

    sound = tmp_path / "sound.m4a"
    with av.open(str(sound), mode="w") as container:
        stream = container.add_stream("aac", rate=8000)
        samples = np.zeros((1, 1024), dtype=np.float32)
        for _ in range(8):
            frame = av.AudioFrame.from_ndarray(samples, format="fltp", layout="mono")
            frame.sample_rate = 8000
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    with pytest.raises(VideoError, match=r"sound\.m4a: this file has no video"):
        open_video(sound)


@needs_av
def test_a_missing_file_and_a_damaged_one_are_named(tmp_path: Path) -> None:
    with pytest.raises(VideoError, match="no such file"):
        open_video(tmp_path / "gone.mp4")
    whole = write_video(tmp_path / "whole.mp4", frames=40).read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(whole[: len(whole) // 3])
    with pytest.raises(VideoError, match=r"cut\.mp4"), open_video(cut) as video:
        list(video.frames())


@needs_av
def test_a_clip_under_a_second_is_too_short(tmp_path: Path) -> None:
    clip = write_video(tmp_path / "blink.mp4", frames=12, rate=30)
    too_short = r"blink\.mp4: the video is too short: 0\.4 s"
    with pytest.raises(VideoError, match=too_short), open_video(clip) as video:
        list(video.frames())


@needs_av
def test_a_nonsense_fps_override_is_refused(tmp_path: Path) -> None:
    clip = write_video(tmp_path / "clip.mp4", frames=40)
    for fps in (0.0, -30.0, float("nan"), 1e6):
        with pytest.raises(VideoError, match="not a usable frame rate"):
            open_video(clip, fps=fps)


def test_without_the_extra_the_error_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import builtins

    real_import = builtins.__import__

    def no_av(name: str, *args: object, **kwargs: object) -> object:
        if name == "av" or name.startswith("av."):
            raise ImportError("No module named 'av'")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_av)
    with pytest.raises(video_module.VideoExtraMissingError, match=r"pip install 'piri\[video\]'"):
        open_video("anything.mp4")


@pytest.mark.shared_data
@needs_av
def test_the_treadmill_clip_opens_at_30_fps_portrait(shared_dir: Path) -> None:
    with open_video(shared_dir / "data" / "video" / TREADMILL) as video:
        info = video.info
        frames = list(video.frames(every=30))
    assert (info.width, info.height) == (720, 1280)
    assert info.fps == pytest.approx(30) and info.duration_s == pytest.approx(12, abs=0.1)
    assert len(frames) == 12
    assert frames[0].image.shape == (1280, 720, 3)
    assert frames[1].time_s == pytest.approx(1.0)


# The pose step --------------------------------------------------------------------------


def _body(hip_x: float, torso: float = 100.0, t: float = 0.0) -> PoseFrame:
    points = {
        "left_hip": PosePoint(hip_x - 10, 500, 1.0),
        "right_hip": PosePoint(hip_x + 10, 500, 1.0),
        "left_shoulder": PosePoint(hip_x - 10, 500 - torso, 1.0),
        "right_shoulder": PosePoint(hip_x + 10, 500 - torso, 1.0),
    }
    return PoseFrame(t, points)


def test_a_tracked_person_jumping_across_the_frame_is_flagged() -> None:
    steady = [_body(300 + 3 * i, t=i / 30) for i in range(10)]
    series = PoseSeries(
        (*steady, _body(900, t=10 / 30), _body(903, torso=40, t=11 / 30)), 30.0, 1280, 720
    )
    jumps = track_jumps(series)
    assert [round(j.time_s * 30) for j in jumps] == [10, 11]
    assert jumps[0].torso_lengths > 5 and jumps[1].size_factor == pytest.approx(2.5)
    assert track_jumps(PoseSeries(tuple(steady), 30.0, 1280, 720)) == ()


def test_frames_without_a_person_do_not_count_as_jumps_but_a_long_gap_allows_more() -> None:
    frames = (_body(300, t=0.0), PoseFrame(1 / 30, None), _body(340, t=2.0))
    assert track_jumps(PoseSeries(frames, 30.0, 1280, 720)) == ()


def test_landmarks_become_pixels_with_the_33_blazepose_names() -> None:
    class Mark:
        def __init__(self, i: int) -> None:
            self.x, self.y, self.visibility = i / 100, 0.5, 0.9

    class Marks:
        landmark = tuple(Mark(i) for i in range(33))

    points = to_points(Marks(), width=720, height=1280)
    assert points is not None and len(points) == 33
    assert points["left_hip"] == PosePoint(x=23 / 100 * 720, y=640.0, visibility=0.9)
    assert "right_foot_index" in points and to_points(None, 720, 1280) is None


def test_prefetching_keeps_order_and_raises_the_producers_error() -> None:
    assert list(prefetched(iter(range(50)), depth=3)) == list(range(50))

    def failing() -> Iterator[int]:
        yield 1
        raise VideoError("clip.mp4: damaged")

    got = []
    with pytest.raises(VideoError, match="damaged"):
        for item in prefetched(failing()):
            got.append(item)
    assert got == [1]
    early = prefetched(iter(range(1000)), depth=2)
    assert next(early) == 0
    early.close()  # the thread stops


@needs_mediapipe
def test_the_names_are_mediapipes_own() -> None:
    from mediapipe.python.solutions import pose as mp_pose

    assert tuple(mark.name.lower() for mark in mp_pose.PoseLandmark) == LANDMARK_NAMES


@needs_mediapipe
def test_an_empty_scene_has_no_person_and_the_series_keeps_times_and_size(
    tmp_path: Path,
) -> None:
    clip = write_video(tmp_path / "empty.mp4", frames=32, rate=30, size=(96, 128), noise=False)
    run = estimate_pose(clip)
    assert (run.series.width, run.series.height, run.series.fps) == (96, 128, 30)
    assert len(run.series.frames) == 32
    assert run.series.frames[3].time_s == pytest.approx(0.1)
    assert all(frame.points is None for frame in run.series.frames)
    assert run.share_with_person == 0.0 and run.jumps == ()


@needs_mediapipe
def test_decoding_in_a_thread_gives_the_same_series(tmp_path: Path) -> None:
    clip = write_video(tmp_path / "empty.mp4", frames=32, size=(96, 128), noise=False)
    assert estimate_pose(clip, prefetch=True).series == estimate_pose(clip).series


def test_without_mediapipe_the_error_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import builtins

    real_import = builtins.__import__

    def no_mediapipe(name: str, *args: object, **kwargs: object) -> object:
        if name == "mediapipe" or name.startswith("mediapipe."):
            raise ImportError("No module named 'mediapipe'")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_mediapipe)
    with pytest.raises(PoseExtraMissingError, match=r"pip install 'piri\[video\]'"):
        PoseModel()


@pytest.fixture(scope="module")
def treadmill_runs() -> dict[int, PoseRun]:
    """The treadmill clip's pose at its own 30 frames/s and at every other frame (15)."""
    from tests.conftest import SHARED_DIR

    clip = SHARED_DIR / "data" / "video" / TREADMILL
    if not clip.is_file():
        pytest.skip(f"skipped: {clip} is not here (it is in CI); set PIRI_SHARED_DIR")
    if not HAS_MEDIAPIPE:
        pytest.skip("skipped: mediapipe is not importable (the video extra)")
    return {every: estimate_pose(clip, every=every) for every in (1, 2)}


@pytest.mark.shared_data
def test_the_treadmill_clip_has_a_pose_in_nearly_every_frame(
    treadmill_runs: dict[int, PoseRun],
) -> None:
    run = treadmill_runs[1]
    series = run.series
    assert (series.width, series.height, series.fps) == (720, 1280, 30)
    assert len(series.frames) == 360
    assert run.share_with_person >= 0.98
    assert run.jumps == ()
    seen = [f for f in series.frames if f.points is not None]
    hips = [f.points["left_hip"] for f in seen if f.points is not None]
    assert all(0 <= p.x <= 720 and 0 <= p.y <= 1280 for p in hips)
    ankles = [f.points["left_ankle"] for f in seen if f.points is not None]
    assert sum(a.y for a in ankles) / len(ankles) > sum(h.y for h in hips) / len(hips)


@pytest.mark.shared_data
def test_the_treadmill_clip_at_half_its_frame_rate_still_has_a_pose(
    treadmill_runs: dict[int, PoseRun],
) -> None:
    run = treadmill_runs[2]
    assert run.series.fps == 15 and len(run.series.frames) == 180
    assert run.series.frames[1].time_s == pytest.approx(2 / 30)
    assert run.share_with_person >= 0.98 and run.jumps == ()


# --- Several pose models on parts of one clip -------------------------------------------------


@needs_av
def test_a_part_of_the_clip_keeps_the_whole_clips_indexes_and_times(tmp_path: Path) -> None:
    clip = write_video(tmp_path / "clip.mp4", frames=40)
    with open_video(clip) as video:
        whole = [(f.index, f.time_s) for f in video.frames()]
    with open_video(clip) as video:
        part = [(f.index, f.time_s) for f in video.frames(start=10, stop=25)]
    assert part == whole[10:25]
    with open_video(clip) as video:  # the last part reads on to the end
        assert [f.index for f in video.frames(every=2, start=31)] == [32, 34, 36, 38]


@needs_mediapipe
def test_two_models_on_two_halves_give_the_one_models_frames_and_times(tmp_path: Path) -> None:
    from piri.activities.pose import MIN_FRAMES_PER_MODEL

    frames = 2 * MIN_FRAMES_PER_MODEL + 10
    clip = write_video(tmp_path / "empty.mp4", frames=frames, size=(96, 128), noise=False)
    seen: list[tuple[int, int | None]] = []
    both = estimate_pose(clip, models=2, progress=lambda done, total: seen.append((done, total)))
    one = estimate_pose(clip, models=1)
    assert both.series == one.series  # nobody in view: the same None in every frame
    assert [f.time_s for f in both.series.frames] == [f.time_s for f in one.series.frames]
    assert len(both.series.frames) == frames
    assert seen[-1] == (frames, frames)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


@needs_mediapipe
def test_a_short_clip_and_a_given_model_use_one_model(tmp_path: Path) -> None:
    from piri.activities.pose import MIN_FRAMES_PER_MODEL, _parts

    clip = write_video(tmp_path / "short.mp4", frames=2 * MIN_FRAMES_PER_MODEL - 1)
    with open_video(clip) as video:
        assert _parts(video.info, None) == 1
        assert _parts(video.info, 1) == 1


@needs_av
def test_an_error_in_one_part_stops_the_other_and_is_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from piri.activities import pose as pose_module
    from piri.activities.pose import MIN_FRAMES_PER_MODEL

    calls: list[str] = []
    lock = threading.Lock()

    class Failing:
        """A stand-in model that breaks at the 250th frame read, whichever part reads it."""

        def __enter__(self) -> Failing:
            return self

        def __exit__(self, *_exc: object) -> None:
            return None

        def points(self, _image: object) -> None:
            with lock:
                calls.append(threading.current_thread().name)
                if len(calls) == 250:  # both parts have run by then
                    raise RuntimeError("the model broke")

    monkeypatch.setattr(pose_module, "PoseModel", Failing)
    clip = write_video(tmp_path / "clip.mp4", frames=4 * MIN_FRAMES_PER_MODEL)
    with pytest.raises(RuntimeError, match="the model broke"):
        estimate_pose(clip, models=2)
    assert len({name for name in calls}) == 2  # both parts ran
    assert len(calls) < 4 * MIN_FRAMES_PER_MODEL  # and stopped early


@pytest.fixture(scope="module")
def treadmill_by_models() -> dict[int, PoseRun]:
    from tests.conftest import SHARED_DIR

    clip = SHARED_DIR / "data" / "video" / TREADMILL
    if not clip.is_file():
        pytest.skip(f"skipped: {clip} is not here (it is in CI)")
    return {models: estimate_pose(clip, models=models) for models in (1, 2)}


@needs_mediapipe
def test_the_treadmill_clip_with_two_models_keeps_its_frames_and_cadence(
    treadmill_by_models: dict[int, PoseRun],
) -> None:
    from piri.domain.gait_side import analyse_side

    one, two = treadmill_by_models[1].series, treadmill_by_models[2].series
    assert [f.time_s for f in one.frames] == [f.time_s for f in two.frames]
    assert sum(f.points is not None for f in two.frames) >= 0.98 * len(two.frames)
    cadences = []
    for found in (one, two):
        cadence = analyse_side(found).cadence
        assert cadence is not None and cadence.steps_per_min is not None
        cadences.append(cadence.steps_per_min)
    assert cadences[1] == pytest.approx(168.9, rel=0.02)
    assert cadences[1] == pytest.approx(cadences[0], rel=0.005)


@pytest.mark.parametrize("parts", [1, 2, 3])
def test_parts_cost_the_same_when_a_later_part_decodes_the_frames_before_it(parts: int) -> None:
    starts = part_starts(360, parts, skipped_cost=0.12)
    assert starts[0] == 0 and starts == sorted(starts) and len(starts) == parts
    ends = [*starts[1:], 360]
    costs = [0.12 * start + (end - start) for start, end in zip(starts, ends, strict=True)]
    assert max(costs) - min(costs) <= 1.5, costs
    if parts > 1:
        assert ends[0] - starts[0] > ends[-1] - starts[-1], "the first part is the longest"
    assert part_starts(360, parts, skipped_cost=0) == [round(k * 360 / parts) for k in range(parts)]
