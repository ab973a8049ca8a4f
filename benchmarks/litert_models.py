"""The two BlazePose models in MediaPipe's wheel, run bare with Google's LiteRT runtime.

Issue 10 asks whether running ``pose_detection.tflite`` and ``pose_landmark_full.tflite``
with LiteRT (``ai-edge-litert``) and Piri's own pre- and post-processing would be a cleaner
way to the same weights. This measures what such a pipeline could save at most: the CPU time
of one call of each bare model (XNNPACK, one thread, random input), printed beside the CPU
time of MediaPipe's whole pose call per frame on the treadmill clip (its graph crops and
rotates the region of the person out of the 720×1280 frame, runs the landmark model, runs
the detector only when it has lost the person, and smooths the landmarks).

LiteRT is not one of Piri's dependencies, so run this in a scratch environment that has both:

    uv venv /tmp/litert && VIRTUAL_ENV=/tmp/litert uv pip install ai-edge-litert "numpy<2" \
        mediapipe==0.10.21 av && /tmp/litert/bin/python benchmarks/litert_models.py
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from pathlib import Path

ROUNDS = 100
TREADMILL = (
    Path(__file__).resolve().parents[1]
    / ".."
    / "shared"
    / "data"
    / "video"
    / "zzzhushi_male_side_treadmill_run.mp4"
)


def bare_model_cpu_ms(model: Path, rounds: int) -> tuple[list[int], float]:
    """The model's input shape and its CPU milliseconds per call (after five warm-up calls)."""
    import numpy as np
    from ai_edge_litert.interpreter import Interpreter

    interpreter = Interpreter(model_path=str(model), num_threads=1)
    interpreter.allocate_tensors()
    given = interpreter.get_input_details()[0]
    image = np.random.default_rng(1).random(given["shape"], dtype=np.float32)
    for _ in range(5):
        interpreter.set_tensor(given["index"], image)
        interpreter.invoke()
    started = time.process_time()
    for _ in range(rounds):
        interpreter.set_tensor(given["index"], image)
        interpreter.invoke()
    return given["shape"].tolist(), (time.process_time() - started) / rounds * 1000


def mediapipe_cpu_ms(clip: Path) -> tuple[str, float]:
    """MediaPipe's pose call alone over the clip's frames: the frame size, and its CPU
    milliseconds per frame."""
    from piri.activities.pose import PoseModel
    from piri.activities.video import open_video

    with open_video(clip) as video:
        images = [frame.image for frame in video.frames()]
    height, width = images[0].shape[:2]
    with PoseModel() as model:
        started = time.process_time()
        for image in images:
            model.landmarks(image)
        return f"{width}×{height} frame", (time.process_time() - started) / len(images) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--clip", type=Path, default=TREADMILL)
    options = parser.parse_args()
    if importlib.util.find_spec("ai_edge_litert") is None:
        print("ai-edge-litert is not installed here: see this script's note for how to run it.")
        return 2
    spec = importlib.util.find_spec("mediapipe")
    if spec is None or spec.origin is None:
        print("mediapipe is not installed here: it holds the two models.")
        return 2
    modules = Path(spec.origin).parent / "modules"
    rows = []
    for name in ("pose_landmark/pose_landmark_full.tflite", "pose_detection/pose_detection.tflite"):
        shape, cpu_ms = bare_model_cpu_ms(modules / name, options.rounds)
        rows.append((f"LiteRT, {Path(name).name} alone", f"{shape}", cpu_ms))
    if options.clip.is_file():
        size, cpu_ms = mediapipe_cpu_ms(options.clip)
        rows.append(("MediaPipe's pose call, per frame", size, cpu_ms))
    else:
        print(f"{options.clip} is not here: MediaPipe's row is left out.")
    print(f"{'what':<44}{'input':>20}{'CPU ms/call':>13}")
    print("-" * 77)
    for what, given, cpu_ms in rows:
        print(f"{what:<44}{given:>20}{cpu_ms:>13.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
