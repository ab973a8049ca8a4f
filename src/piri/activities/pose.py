"""Body landmarks from a video: MediaPipe Pose (BlazePose "full") on every frame.

Needs the ``video`` extra: ``pip install 'piri[video]'`` (in a checkout: ``make .venv/.synced``).
MediaPipe is imported only when a model is made. It runs offline: ``model_complexity=1`` uses
the two models inside the wheel (``pose_detection.tflite`` and ``pose_landmark_full.tflite``);
the other complexities download theirs at run time, which fails without a network, so they
are not offered.

The legacy ``mediapipe.solutions.pose`` API is used, not the Tasks API: the Tasks
``PoseLandmarker`` needs a ``pose_landmarker_*.task`` bundle, which the wheel does not ship.

Not LiteRT. The two models could run bare with Google's ``ai-edge-litert`` (it works with
numpy below 2 too). ``benchmarks/litert_models.py`` measured what that could save at most (3
December 2026, two runs): the landmark model alone costs 16-18 ms of CPU per call and the
detector 11-12, against 23-24 ms per frame for MediaPipe's whole call, which also crops and
turns the person's region out of the 720×1280 frame, runs the detector only when it has lost
the person, and smooths the landmarks. Piri would have to write all of that again (anchors and
non-maximum suppression for the detector, the region from the last landmarks, the
smoothing filter) and show that it gives MediaPipe's landmarks, for at most about a fifth
less CPU. Its one real gain would be leaving MediaPipe's pins (numpy below 2, Python 3.12
or older) behind.

One person. MediaPipe Pose tracks a single person: it detects one, then follows it from frame
to frame and only detects again when it loses it. It cannot say that a second person is in
view. What can be seen is the tracked person *jumping*: the hips moving further in one frame
than a runner can, or the body's size changing at once, which is what happens when the
tracker lets go of one person and picks up another. ``piri.domain.gait_jumps.track_jumps``
finds those frames; the caller reports them ("several people in view?").

Two models at once. The model is most of the cost (about 24 ms of CPU per 720×1280 frame on
the 2-core machine, against 3 ms to decode a frame and 2 ms to turn it into RGB), and
MediaPipe lets go of Python's lock while it runs, so a clip long enough (``MIN_FRAMES_PER_MODEL``
frames a model) is cut in two parts, each read from the file by its own decoder and its own
model in its own thread, and the frames are joined in order. Each model detects the person
afresh at its part's first frame; on the treadmill clip the frames, their times and the
cadence are one model's (within 0.5%, ``tests/test_video_pose.py``). A later part must
decode the frames before its own (a phone clip may have one keyframe in 8 s), so the first
part is given more frames (``part_starts``). Measured with ``make bench-gait`` (3 December
2026): 41-46 frames/s for MediaPipe's pose call alone, 63-69 for the whole pipeline with two
models (150-157%, 2.1-2.3x real time), 79-92% of two models run side by side on frames
decoded beforehand.

With one model, decoding runs in the same thread as the model by default: decoding ahead in a
second thread (``prefetch``) measured no faster on the 2-core machine (6.8 and 8.0 s serial
against 7.6 and 8.2 s threaded for the treadmill clip's 360 frames, with more CPU: the threads
hand the interpreter back and forth).
"""

from __future__ import annotations

import math
import os
import queue
import threading
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from contextlib import ExitStack, closing, nullcontext
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar, cast

from piri.activities.native_log import quiet_native_start
from piri.activities.video import (
    INSTALL_HINT,
    Frame,
    Video,
    VideoExtraMissingError,
    VideoInfo,
    open_video,
)
from piri.domain.gait_jumps import TrackJump, track_jumps
from piri.domain.gait_pose import PoseFrame, PosePoint, PoseSeries

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

# Called with the frames done so far and the number expected (None: not known).
Progress = Callable[[int, int | None], None]
# Pose models run at once on parts of one clip, one per core up to this many (see the module's
# note), each on at least MIN_FRAMES_PER_MODEL frames: a model's start (about 0.3 s) and its
# fresh detection are not worth it on less. With several, progress is said this often.
MAX_MODELS = 2
MIN_FRAMES_PER_MODEL = 90
PROGRESS_EVERY_S = 0.2
# A later part decodes the frames before its own to reach them (a phone clip may have one
# keyframe in 8 s): each such frame costs about this share of a frame run through the model
# (3.6 of 30 ms on the treadmill clip), so the earlier parts are given more frames.
SKIPPED_FRAME_COST = 0.12

# BlazePose's 33 landmarks, in the model's order, lower-cased (mediapipe's PoseLandmark names).
LANDMARK_NAMES: tuple[str, ...] = (
    "nose",
    "left_eye_inner",
    "left_eye",
    "left_eye_outer",
    "right_eye_inner",
    "right_eye",
    "right_eye_outer",
    "left_ear",
    "right_ear",
    "mouth_left",
    "mouth_right",
    "left_shoulder",
    "right_shoulder",
    "left_elbow",
    "right_elbow",
    "left_wrist",
    "right_wrist",
    "left_pinky",
    "right_pinky",
    "left_index",
    "right_index",
    "left_thumb",
    "right_thumb",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
    "left_heel",
    "right_heel",
    "left_foot_index",
    "right_foot_index",
)
# MediaPipe's own defaults.
MIN_DETECTION_CONFIDENCE = 0.5
MIN_TRACKING_CONFIDENCE = 0.5
# Frames decoded ahead of the model (each 720×1280 RGB frame is 2.8 MB).
PREFETCH_FRAMES = 8


class PoseExtraMissingError(VideoExtraMissingError):
    """MediaPipe (the ``video`` extra) is not installed or not importable here."""


@dataclass(frozen=True)
class PoseRun:
    """What the pose step found in one video, and how long it took."""

    video: VideoInfo
    series: PoseSeries
    jumps: tuple[TrackJump, ...]
    seconds: float  # wall-clock time of decoding and pose together

    @property
    def frames_per_second(self) -> float:
        return len(self.series.frames) / self.seconds if self.seconds > 0 else math.inf

    @property
    def share_with_person(self) -> float:
        frames = self.series.frames
        return sum(f.points is not None for f in frames) / len(frames) if frames else 0.0


def _load_mediapipe_pose() -> Any:
    try:
        from mediapipe.python.solutions import pose as mp_pose
    except ImportError as error:
        raise PoseExtraMissingError(
            f"The gait check's pose model (MediaPipe) is not installed or does not work on this "
            f"Python (it needs 3.12 or older): {INSTALL_HINT}"
        ) from error
    return mp_pose


class PoseModel:
    """MediaPipe Pose in video mode (tracking across frames). Frames must be fed in order."""

    def __init__(
        self,
        min_detection_confidence: float = MIN_DETECTION_CONFIDENCE,
        min_tracking_confidence: float = MIN_TRACKING_CONFIDENCE,
    ) -> None:
        mp_pose = _load_mediapipe_pose()
        # From here to the first frame read (which starts the model's interpreters, some of
        # it in MediaPipe's own threads), MediaPipe's start-up lines are kept off stderr.
        self._starting: ExitStack | None = ExitStack()
        self._starting.enter_context(quiet_native_start())
        try:
            self._pose = mp_pose.Pose(
                static_image_mode=False,
                model_complexity=1,
                smooth_landmarks=True,
                enable_segmentation=False,
                min_detection_confidence=min_detection_confidence,
                min_tracking_confidence=min_tracking_confidence,
            )
        except BaseException:
            self._started()
            raise

    def _started(self) -> None:
        if self._starting is not None:
            self._starting.close()
            self._starting = None

    def landmarks(self, image: NDArray[np.uint8]) -> Any:
        """MediaPipe's own result for one RGB frame: ``pose_landmarks`` or None."""
        image.flags.writeable = False  # MediaPipe then reads the array without a copy
        try:
            return self._pose.process(image).pose_landmarks
        finally:
            self._started()

    def points(self, image: NDArray[np.uint8]) -> dict[str, PosePoint] | None:
        """The 33 landmarks in pixels of ``image``, or None when no person is found."""
        height, width = image.shape[:2]
        return to_points(self.landmarks(image), width, height)

    def close(self) -> None:
        try:
            self._pose.close()
        finally:
            self._started()

    def __enter__(self) -> PoseModel:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def to_points(landmarks: Any, width: int, height: int) -> dict[str, PosePoint] | None:
    """MediaPipe's normalized landmarks as pixels (normalized × width, × height)."""
    if landmarks is None:
        return None
    return {
        name: PosePoint(x=mark.x * width, y=mark.y * height, visibility=mark.visibility)
        for name, mark in zip(LANDMARK_NAMES, landmarks.landmark, strict=True)
    }


def pose_series(
    frames: Iterable[Frame],
    fps: float,
    width: int,
    height: int,
    points_of: Callable[[NDArray[np.uint8]], Mapping[str, PosePoint] | None],
) -> PoseSeries:
    """A PoseSeries from frames and a pose function (the model's ``points``, or a stand-in)."""
    return PoseSeries(
        frames=tuple(PoseFrame(f.time_s, points_of(f.image)) for f in frames),
        fps=fps,
        width=width,
        height=height,
    )


def estimate_pose(
    path: Path | str,
    fps: float | None = None,
    every: int = 1,
    model: PoseModel | None = None,
    prefetch: bool = False,
    progress: Progress | None = None,
    models: int | None = None,
) -> PoseRun:
    """Decode ``path`` and find the pose in every ``every``-th frame.

    ``fps`` overrides the capture frame rate the file gives (a slow-motion file exported at
    30 frames/s). The series' rate is the capture rate divided by ``every``. Raises
    VideoError for a file that is not a usable video and PoseExtraMissingError without
    MediaPipe. ``prefetch`` decodes in a background thread (see the module's note).
    ``progress`` is called with the frames done and the number expected (None when the file
    does not say its length): after each frame, or with several models five times a second.

    ``models`` pose models run at once, each on its own part of the clip in its own thread
    (see the module's note); None is one per core, up to ``MAX_MODELS``, when the clip is
    long enough and says its length, else one. A given ``model`` is always used alone.
    """
    started = time.perf_counter()
    with open_video(path, fps=fps) as video:
        info = video.info
        parts = _parts(info, models) if model is None and not prefetch else 1
        if parts == 1:
            series = _serial_series(video, every, model, prefetch, progress)
        else:
            series = _parallel_series(video, fps, every, parts, progress)
    seconds = time.perf_counter() - started
    return PoseRun(info, series, track_jumps(series), seconds)


def _parts(info: VideoInfo, models: int | None) -> int:
    total = expected_frames(info)
    if total is None or total < MIN_FRAMES_PER_MODEL * 2:
        return 1
    wanted = models if models is not None else min(MAX_MODELS, os.cpu_count() or 1)
    return max(1, min(wanted, total // MIN_FRAMES_PER_MODEL))


def _serial_series(
    video: Video,
    every: int,
    model: PoseModel | None,
    prefetch: bool,
    progress: Progress | None,
) -> PoseSeries:
    info = video.info
    pose = model or PoseModel()
    try:
        decoded = video.frames(every=every)
        # closing(): the decoding (thread) stops before the file closes, on an error too.
        with closing(prefetched(decoded) if prefetch else decoded) as frames:
            counted = frames if progress is None else _counted(frames, info, every, progress)
            rate = info.fps / every
            return pose_series(counted, rate, info.width, info.height, pose.points)
    finally:
        if model is None:
            pose.close()


def _parallel_series(
    video: Video,
    fps: float | None,
    every: int,
    parts: int,
    progress: Progress | None,
) -> PoseSeries:
    """The clip cut into ``parts`` runs of frames, each read by its own pose model in its own
    thread (each model detects the person afresh at its first frame, then tracks), joined in
    order: the first from ``video``, the others from the same file opened again. The last
    part reads to the file's end, whatever its length said."""
    info = video.info
    total = expected_frames(info)
    assert total is not None
    bounds: list[int | None] = [*part_starts(total, parts), None]
    done = [0] * parts
    cancel = threading.Event()

    def part(k: int) -> list[PoseFrame]:
        found: list[PoseFrame] = []
        opened = nullcontext(video) if k == 0 else open_video(video.path, fps=fps)
        with opened as reader, PoseModel() as pose:
            start, stop = bounds[k], bounds[k + 1]
            assert start is not None
            for frame in reader.frames(every=every, start=start, stop=stop):
                if cancel.is_set():
                    break
                found.append(PoseFrame(frame.time_s, pose.points(frame.image)))
                done[k] += 1
        return found

    expected = expected_frames(info, every)
    with ThreadPoolExecutor(parts, thread_name_prefix="piri-pose") as pool:
        futures = [pool.submit(part, k) for k in range(parts)]
        try:
            while not all(future.done() for future in futures):
                wait(futures, timeout=PROGRESS_EVERY_S, return_when=FIRST_EXCEPTION)
                if any(f.done() and f.exception() is not None for f in futures):
                    break
                if progress is not None:
                    progress(sum(done), expected)
            frames = [frame for future in futures for frame in future.result()]
        except BaseException:
            cancel.set()  # the other parts stop at their next frame
            raise
    if progress is not None:
        progress(len(frames), expected)
    return PoseSeries(tuple(frames), info.fps / every, info.width, info.height)


def part_starts(total: int, parts: int, skipped_cost: float = SKIPPED_FRAME_COST) -> list[int]:
    """The first frame of each of ``parts`` parts of ``total`` frames, cut so that each part
    costs the same when a part also decodes, at ``skipped_cost``, every frame before it:
    part k ends where ``cost + (1 - skipped_cost) * its start`` frames have gone."""
    # Ends c(k+1) = C + (1 - s) c(k) from c(0) = 0, with C chosen so that the last is total.
    keep = 1 - skipped_cost
    cost = total / sum(keep**k for k in range(parts))
    starts = [0.0]
    for _ in range(parts - 1):
        starts.append(cost + keep * starts[-1])
    return [round(start) for start in starts]


def expected_frames(info: VideoInfo, every: int = 1) -> int | None:
    """How many frames a run over the whole clip should see, from what the container says."""
    if info.frame_count:
        total = info.frame_count
    elif info.duration_s:
        total = round(info.duration_s * info.fps)
    else:
        return None
    return max(1, -(-total // every))


def _counted(
    frames: Iterable[Frame], info: VideoInfo, every: int, progress: Progress
) -> Iterator[Frame]:
    expected = expected_frames(info, every)
    for done, frame in enumerate(frames, start=1):
        yield frame
        progress(done, expected)


T = TypeVar("T")
_DONE = object()


def prefetched(items: Iterator[T], depth: int = PREFETCH_FRAMES) -> Generator[T, None, None]:
    """``items``, produced in a background thread up to ``depth`` ahead. An error in the
    producer is raised here, at the item where it happened; leaving early stops the thread."""
    slots: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                while not stop.is_set():
                    try:
                        slots.put(item, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            outcome: object = _DONE
        except BaseException as error:
            outcome = _Failure(error)
        while not stop.is_set():
            try:
                slots.put(outcome, timeout=0.1)
                return
            except queue.Full:
                continue

    worker = threading.Thread(target=produce, name="piri-video-decode", daemon=True)
    worker.start()
    try:
        while True:
            item = slots.get()
            if item is _DONE:
                return
            if isinstance(item, _Failure):
                raise item.error
            yield cast(T, item)
    finally:
        stop.set()
        worker.join(timeout=5)


@dataclass(frozen=True)
class _Failure:
    error: BaseException
