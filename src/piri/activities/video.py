"""Reading a phone video for the gait check: upright RGB frames with their capture times.

Needs the ``video`` extra (PyAV and NumPy): ``pip install 'piri[video]'``; in a checkout,
``make .venv/.synced`` installs it. Nothing here is imported until a video is opened, so the
rest of Piri works without the extra.

Frame rate. What matters for cadence is the rate the camera *captured* at, not the rate a
player shows the file at. A phone's slow-motion file is often stored to play at 30 frames/s
while it was filmed at 120 or 240: Android writes the real rate in the metadata
``com.android.capture.fps``; some editors write another ``...capture.fps`` key. iPhones
usually keep the real timestamps (the file itself runs at 120 or 240 frames/s, the slowing
down is an edit list), so the stream's rate is already right. When the file does not say
(an app exported the slow motion at 30 frames/s), the caller passes ``fps``. Capture times are
the frames' own timestamps (``pts × time_base``) from the first frame, scaled by playback
rate / capture rate.

Rotation. A phone filming upright usually stores landscape pixels and a display matrix (or an
old ``rotate`` tag) saying to turn them; frames are turned here so the person stands upright.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Generator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    import av.video.frame
    import av.video.stream
    import numpy as np
    from av.container import InputContainer
    from numpy.typing import NDArray

INSTALL_HINT = (
    "pip install 'piri[video]' (in a Piri checkout: make .venv/.synced, or uv sync --extra video)"
)
# Shorter than this cannot hold one running stride (about 0.7 s) with a margin (derived).
MIN_DURATION_S = 1.0
MIN_FRAMES = 10
# Capture rates a phone or camera can really have; outside, the metadata is taken as wrong.
MAX_CAPTURE_FPS = 2000.0
CAPTURE_FPS_KEY = "com.android.capture.fps"


class VideoError(ValueError):
    """The file cannot be used as a video, with the reason in words for the runner."""


class VideoExtraMissingError(ImportError):
    """The ``video`` extra is not installed."""


@dataclass(frozen=True)
class VideoInfo:
    path: Path
    width: int  # of the upright frames, pixels
    height: int
    fps: float  # capture frame rate
    playback_fps: float  # the rate the file is stored to play at
    rotation: int  # degrees counter-clockwise the stored pixels are turned by to stand upright
    duration_s: float | None  # capture seconds, when the container says
    frame_count: int | None  # when the container says
    codec: str

    @property
    def slow_motion(self) -> bool:
        return self.fps > self.playback_fps * 1.05


@dataclass(frozen=True)
class Frame:
    index: int  # in the file, from 0
    time_s: float  # capture time from the first frame
    image: NDArray[np.uint8]  # height × width × 3, RGB, upright


def require_video_extra() -> None:
    """Raise VideoExtraMissingError, saying how to install it, unless PyAV and NumPy import."""
    try:
        import av  # noqa: F401
        import numpy  # noqa: F401  (to_ndarray needs it)
    except ImportError as error:
        raise VideoExtraMissingError(
            f"Reading videos needs the video extra, which is not installed: {INSTALL_HINT}"
        ) from error


def _metadata_capture_fps(*dictionaries: dict[str, str]) -> float | None:
    """The capture rate a phone wrote in the metadata, if any."""
    for dictionary in dictionaries:
        for key, value in dictionary.items():
            if key == CAPTURE_FPS_KEY or key.lower().endswith("capture.fps"):
                try:
                    rate = float(value)
                except ValueError:
                    continue
                if math.isfinite(rate) and 0 < rate <= MAX_CAPTURE_FPS:
                    return rate
    return None


def _rotate_tag(metadata: dict[str, str]) -> int:
    """The old ``rotate`` tag, clockwise degrees, as a counter-clockwise turn."""
    try:
        return -int(metadata.get("rotate", "0"))
    except ValueError:
        return 0


def quarter_turns(rotation: float) -> int:
    """A display rotation (degrees counter-clockwise) as quarter turns for ``numpy.rot90``."""
    return round(rotation / 90) % 4


def upright(image: NDArray[np.uint8], rotation: float) -> NDArray[np.uint8]:
    """The stored pixels turned as the display matrix says (quarter turns only)."""
    import numpy as np

    turns = quarter_turns(rotation)
    if turns == 0:
        return image
    return np.ascontiguousarray(np.rot90(image, k=turns))


class Video:
    """An open video file. Use as a context manager; ``frames()`` reads it once."""

    def __init__(self, path: Path | str, fps: float | None = None) -> None:
        self.path = Path(path)
        if fps is not None and not (math.isfinite(fps) and 0 < fps <= MAX_CAPTURE_FPS):
            raise VideoError(f"{self.path.name}: {fps} is not a usable frame rate.")
        require_video_extra()
        import av

        if not self.path.is_file():
            raise VideoError(f"{self.path}: there is no such file.")
        try:
            self._container: InputContainer = av.open(str(self.path), mode="r")
        except av.error.FFmpegError as error:
            raise VideoError(
                f"{self.path.name}: not a video (or a damaged one): {_reason(error)}."
            ) from error
        try:
            self._stream = self._video_stream()
            self._decoder = self._container.decode(self._stream)
            self._first = self._peek()
            self.info = self._describe(fps)
        except BaseException:
            self._container.close()
            raise

    def _video_stream(self) -> av.video.stream.VideoStream:
        streams = self._container.streams.video
        if not streams:
            raise VideoError(f"{self.path.name}: this file has no video in it (no video stream).")
        stream: av.video.stream.VideoStream = streams[0]
        context = stream.codec_context
        if not context.width or not context.height:
            raise VideoError(f"{self.path.name}: the video stream has no picture size.")
        # Slice threads: the least CPU per frame here (0.75 s for the 360 treadmill frames
        # against 0.87 s for AUTO and 1.23 s for one thread), the rest is left to the model.
        stream.thread_type = "SLICE"
        return stream

    def _peek(self) -> av.video.frame.VideoFrame:
        """The first frame, decoded now: it proves the file readable and carries the display
        matrix (the rotation) that the stream does not expose."""
        try:
            first: av.video.frame.VideoFrame = next(self._decoder)
        except StopIteration:
            raise VideoError(
                f"{self.path.name}: the video holds no frames that can be read."
            ) from None
        except Exception as error:  # FFmpeg's errors
            raise VideoError(
                f"{self.path.name}: the video cannot be read: {_reason(error)}."
            ) from error
        return first

    def _describe(self, fps: float | None) -> VideoInfo:
        stream = self._stream
        rate = stream.average_rate or stream.guessed_rate or stream.base_rate
        playback = float(rate) if rate else None
        capture = fps or _metadata_capture_fps(
            dict(stream.metadata), dict(self._container.metadata)
        )
        if capture is None and playback is None:
            raise VideoError(
                f"{self.path.name}: the file does not say its frame rate; give it (--fps)."
            )
        capture = capture or playback
        assert capture is not None
        playback = playback or capture
        self._time_scale = playback / capture  # playback seconds to capture seconds
        self._rotation = self._first.rotation or _rotate_tag(dict(stream.metadata))
        width, height = self._first.width, self._first.height
        if quarter_turns(self._rotation) % 2:
            width, height = height, width
        duration = self._duration_s()
        frames = stream.frames or None
        info = VideoInfo(
            path=self.path,
            width=width,
            height=height,
            fps=capture,
            playback_fps=playback,
            rotation=self._rotation,
            duration_s=duration,
            frame_count=frames,
            codec=stream.codec_context.name,
        )
        if duration is not None and duration < MIN_DURATION_S:
            raise VideoError(_too_short(self.path, duration))
        return info

    def _duration_s(self) -> float | None:
        stream = self._stream
        if stream.duration is not None and stream.time_base is not None:
            seconds = float(stream.duration * stream.time_base)
        elif self._container.duration is not None:
            seconds = self._container.duration / 1_000_000  # AV_TIME_BASE
        else:
            return None
        return seconds * self._time_scale

    def frames(
        self, every: int = 1, start: int = 0, stop: int | None = None
    ) -> Generator[Frame, None, None]:
        """Every ``every``-th frame, upright RGB, with its capture time. Raises VideoError if
        the file turns out unreadable or, once read, shorter than the minimum.

        ``start`` and ``stop`` keep only the frames from index ``start`` up to, not including,
        ``stop`` (a part of the clip, for a second pose model): the frames before are decoded
        (their timestamps count) but not turned into RGB; the length check is left to a read
        that reaches the end."""
        if every < 1:
            raise ValueError("every must be 1 or more")
        stream = self._stream
        time_base = stream.time_base or Fraction(1, 1)
        first_pts: int | None = None
        count = 0
        last_time = 0.0
        try:
            for index, frame in enumerate(itertools.chain([self._first], self._decoder)):
                if first_pts is None and frame.pts is not None:
                    first_pts = frame.pts
                if frame.pts is not None and first_pts is not None:
                    time_s = float((frame.pts - first_pts) * time_base) * self._time_scale
                else:
                    time_s = index / self.info.fps
                if stop is not None and index >= stop:
                    return
                count += 1
                last_time = time_s
                if index % every or index < start:
                    continue
                yield Frame(index=index, time_s=time_s, image=self._rgb(frame))
        except VideoError:
            raise
        except Exception as error:  # FFmpeg's errors, and a decoder giving up
            raise VideoError(
                f"{self.path.name}: the video is damaged after frame {count}: {_reason(error)}."
            ) from error
        duration = last_time + 1.0 / self.info.fps
        if count < MIN_FRAMES or duration < MIN_DURATION_S:
            raise VideoError(_too_short(self.path, duration, count))

    def _rgb(self, frame: av.video.frame.VideoFrame) -> NDArray[np.uint8]:
        image = cast("NDArray[np.uint8]", frame.to_ndarray(format="rgb24"))
        return upright(image, frame.rotation or self._rotation)

    def close(self) -> None:
        self._container.close()

    def __enter__(self) -> Video:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def open_video(path: Path | str, fps: float | None = None) -> Video:
    """Open ``path`` as a video; ``fps`` overrides the capture frame rate the file gives."""
    return Video(path, fps=fps)


def _too_short(path: Path, seconds: float, frames: int | None = None) -> str:
    counted = f" ({frames} frames)" if frames is not None else ""
    return (
        f"{path.name}: the video is too short: {seconds:.1f} s{counted}; the gait check needs "
        f"at least {MIN_DURATION_S:.0f} s (20 to 30 s of steady running is best)."
    )


def _reason(error: BaseException) -> str:
    text = getattr(error, "strerror", None) or str(error)
    return str(text).rstrip(".")
