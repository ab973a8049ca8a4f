"""``piri gait`` through the real command: the filming guide, bad input, the missing extra,
and (when ``../shared/data/video`` is here and MediaPipe imports) the treadmill clip end to
end in text and JSON, with annotated key frames.

The analysis behind the figures is tested in tests/test_gait_*.py; here only what the command
promises: a report or a named refusal, the exit status, the document's shape, real PNGs.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from tests.conftest import PiriRunner

HAS_AV = importlib.util.find_spec("av") is not None and importlib.util.find_spec("numpy")
HAS_MEDIAPIPE = importlib.util.find_spec("mediapipe") is not None
needs_av = pytest.mark.skipif(not HAS_AV, reason="skipped: the video extra (PyAV) is missing")
needs_mediapipe = pytest.mark.skipif(
    not HAS_MEDIAPIPE, reason="skipped: mediapipe is not importable (the video extra)"
)
TREADMILL = "zzzhushi_male_side_treadmill_run.mp4"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
DOCUMENT_KEYS = {
    "file",
    "view",
    "view_source",
    "video",
    "analysed_s",
    "painful_side",
    "film_again",
    "reasons",
    "warnings",
    "figures",
    "advice",
    "key_frames",
    "key_frames_missing",
    "filming_guide",
    "see_a_professional",
    "timelines",
}
# A pose model's run over the real clip takes about 10 s here; leave room on a loaded machine.
POSE_TIMEOUT_S = 300


def write_clip(path: Path, frames: int, rate: int = 30, size: tuple[int, int] = (64, 48)) -> Path:
    """A small MPEG-4 clip of noise: a video, but with nobody in it."""
    import av
    import numpy as np

    rng = np.random.default_rng(5)
    with av.open(str(path), mode="w") as container:
        stream = container.add_stream("mpeg4", rate=rate)
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        for _ in range(frames):
            image = rng.integers(0, 255, (size[1], size[0], 3), dtype=np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE, f"{path.name} is not a PNG"
    assert data[12:16] == b"IHDR"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_the_guide_says_how_to_film(piri: PiriRunner) -> None:
    result = piri("gait", "--guide")
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())
    for words in ("treadmill", "warm-up", "20 to 30 seconds", "hip height", "tripod", "60 frames"):
        assert words in text
    assert "Souza" in text, "the guide names its source"


def test_the_guide_as_json(piri: PiriRunner) -> None:
    result = piri("gait", "--guide", "--format", "json")
    assert result.returncode == 0, result.stderr
    guide = json.loads(result.stdout)
    assert guide["summary"]
    keys = [step["key"] for step in guide["steps"]]
    assert {"warm_up", "two_views", "level_tripod", "frame_rate", "one_person"} <= set(keys)
    assert any(step["sources"] for step in guide["steps"])


def test_no_video_and_no_guide_is_a_usage_error(piri: PiriRunner) -> None:
    result = piri("gait")
    assert result.returncode == 2
    assert "VIDEO" in result.stderr


def test_a_missing_file_is_named(piri: PiriRunner, tmp_path: Path) -> None:
    missing = tmp_path / "nothing-here.mp4"
    result = piri("gait", str(missing))
    assert result.returncode == 2, result.stdout
    message = " ".join(result.stderr.split())
    assert "nothing-here.mp4" in message and "no such file" in message
    assert "Traceback" not in result.stderr


@needs_av
def test_a_text_file_named_mp4_is_not_a_video(piri: PiriRunner, tmp_path: Path) -> None:
    fake = tmp_path / "holiday.mp4"
    fake.write_text("these are not the frames you are looking for\n", encoding="utf-8")
    result = piri("gait", str(fake))
    assert result.returncode == 2, result.stdout
    message = " ".join(result.stderr.split())
    assert "holiday.mp4" in message and "not a video" in message
    assert "Traceback" not in result.stderr


@needs_av
def test_a_too_short_clip_is_refused_with_its_length(piri: PiriRunner, tmp_path: Path) -> None:
    clip = write_clip(tmp_path / "blink.mp4", frames=15)  # half a second
    result = piri("gait", str(clip), "--format", "json")
    assert result.returncode == 2, result.stdout
    message = " ".join(result.stderr.split())
    assert "blink.mp4" in message and "too short" in message


def test_a_wrong_view_or_frame_rate_is_a_usage_error(piri: PiriRunner, tmp_path: Path) -> None:
    clip = tmp_path / "clip.mp4"
    assert piri("gait", str(clip), "--view", "front").returncode == 2
    result = piri("gait", str(clip), "--fps", "0")
    assert result.returncode == 2
    assert "frame rate" in result.stderr


def test_without_the_video_extra_it_says_how_to_install_it(
    piri: PiriRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "blocked"
    (blocked / "av").mkdir(parents=True)
    (blocked / "av" / "__init__.py").write_text(
        'raise ImportError("PyAV hidden by the test")\n', encoding="utf-8"
    )
    monkeypatch.setenv("PYTHONPATH", str(blocked))
    clip = tmp_path / "run.mp4"
    clip.write_bytes(b"\x00" * 64)
    result = piri("gait", str(clip))
    assert result.returncode == 1, result.stdout + result.stderr
    message = " ".join(result.stderr.split())
    assert "pip install 'piri[video]'" in message and "make" in message
    assert "Traceback" not in result.stderr
    assert piri("gait", "--guide").returncode == 0, "the guide needs no extra"


@needs_av
@needs_mediapipe
def test_a_clip_with_nobody_in_it_is_refused_with_the_guide_first(
    piri: PiriRunner, tmp_path: Path
) -> None:
    clip = write_clip(tmp_path / "empty-room.mp4", frames=60)  # 2 s of noise
    frames = tmp_path / "frames"
    result = piri("gait", str(clip), "--frames", str(frames), timeout=POSE_TIMEOUT_S)
    assert result.returncode == 2, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Please film again."), lines[:3]
    text = " ".join(result.stdout.split())
    assert "tripod" in lines[0] and "No person was found" in text
    assert "When to see a professional" in text
    document = json.loads(piri("gait", str(clip), "--format", "json").stdout)
    assert document["film_again"] is True
    codes = {reason["code"] for reason in document["reasons"]}
    assert {"person_missing", "too_short"} <= codes
    assert document["figures"] == [] and document["filming_guide"]["steps"]
    # Nobody to annotate: the frame written shows that no pose was found.
    assert [p.name for p in frames.iterdir()] == ["pose-check.png"]
    assert png_size(frames / "pose-check.png") == (64, 48)


@pytest.fixture
def treadmill(shared_dir: Path) -> Path:
    clip = shared_dir / "data" / "video" / TREADMILL
    if not clip.is_file():
        pytest.skip(f"skipped: {clip} is not here")
    if not (HAS_AV and HAS_MEDIAPIPE):
        pytest.skip("skipped: the video extra (PyAV and mediapipe) is not importable")
    return clip


def test_the_treadmill_clip_in_text(piri: PiriRunner, treadmill: Path) -> None:
    result = piri("gait", str(treadmill), "--view", "side", timeout=POSE_TIMEOUT_S)
    assert result.returncode in (0, 2), result.stderr
    text = " ".join(result.stdout.split())
    assert "Gait check: side view (as you said)" in text
    assert "When to see a professional" in text
    assert "you have" not in text.lower()
    if result.returncode == 2:  # the analysis refused it: the reasons come with the guide
        assert result.stdout.startswith("Please film again.")
        return
    assert "Cadence:" in text and "±" in text and "steps/min" in text
    assert "Typical: 160 to 210 steps/min" in text and "Sources:" in text


def test_the_treadmill_clip_as_json_with_key_frames(
    piri: PiriRunner, treadmill: Path, tmp_path: Path
) -> None:
    frames = tmp_path / "key frames"
    result = piri(
        "gait", str(treadmill), "--format", "json", "--frames", str(frames), timeout=POSE_TIMEOUT_S
    )
    assert result.returncode in (0, 2), result.stderr
    document = json.loads(result.stdout)
    assert set(document) == DOCUMENT_KEYS
    assert document["view"] in ("side", "rear")
    assert document["view_source"] in ("detected", "unclear")
    assert document["video"]["width"] == 720 and document["video"]["height"] == 1280
    assert document["video"]["frames_with_person"] > 0.9
    assert document["film_again"] is (result.returncode == 2)
    assert document["see_a_professional"]["text"]
    if document["film_again"]:
        assert document["reasons"] and all(r["code"] and r["message"] for r in document["reasons"])
        assert document["figures"] == [] and document["filming_guide"] is not None
    else:
        figures = {figure["key"]: figure for figure in document["figures"]}
        cadence = figures["cadence"]
        assert cadence["unit"] == "steps/min" and cadence["uncertainty"] >= 0
        assert cadence["typical"]["sources"] and cadence["verdict"]
        for figure in document["figures"]:
            assert isinstance(figure["value"], float) and figure["says"]
            assert figure["typical"] or figure["evidence"], f"{figure['key']} has no source"
    written = document["key_frames"]
    assert written, "some frame could always be written"
    for frame in written:
        path = Path(frame["path"])
        assert path.parent == frames and path.is_file()
        assert png_size(path) == (720, 1280)
        assert frame["label"] and frame["time_s"] >= 0
    assert sorted(p.name for p in frames.iterdir()) == sorted(Path(f["path"]).name for f in written)
    if document["view"] == "side" and not document["film_again"]:
        strikes = [f for f in written if f["kind"] == "foot_strike"]
        assert {f["leg"] for f in strikes} == {"left", "right"}
        assert len(strikes) >= 20  # 12 s at about 84 strides a minute per leg
