"""MediaPipe's start-up lines are kept off standard error, and nothing else is lost."""

from __future__ import annotations

import importlib.util
import os
import threading

import pytest

from piri.activities.native_log import drop_known_noise, quiet_native_start

NOISE = (
    b"INFO: Created TensorFlow Lite XNNPACK delegate for CPU.\n"
    b"WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n"
    b"W0000 00:00:1796283297.373288    7612 inference_feedback_manager.cc:114] Feedback "
    b"manager requires a model with a single signature inference.\n"
    b"I0000 00:00:1796283297.5   7613 gl_context.cc:357] GL version: 3.2\n"
)


def test_the_known_lines_are_dropped_and_the_rest_kept() -> None:
    other = b"E0000 00:00:1.0  7612 calculator_graph.cc:887] a real MediaPipe error\n"
    kept = b'INFO:     127.0.0.1:5000 - "GET /gait HTTP/1.1" 200 OK\n'
    assert drop_known_noise(NOISE + kept + other) == kept + other
    assert drop_known_noise(b"") == b""


def test_what_is_written_below_python_meanwhile_still_reaches_stderr(
    capfd: pytest.CaptureFixture[str],
) -> None:
    with quiet_native_start():
        os.write(2, NOISE)
        os.write(2, b"a line of the server's\n")
    os.write(2, b"after\n")
    assert capfd.readouterr().err == "a line of the server's\nafter\n"


def test_models_starting_in_two_threads_share_one_redirection(
    capfd: pytest.CaptureFixture[str],
) -> None:
    inside = threading.Barrier(2)

    def start(name: str) -> None:
        with quiet_native_start():
            inside.wait()
            os.write(2, NOISE + f"{name} started\n".encode())
            inside.wait()

    threads = [threading.Thread(target=start, args=(name,)) for name in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    err = capfd.readouterr().err
    assert sorted(err.splitlines()) == ["one started", "two started"]
    with quiet_native_start():
        pass
    os.write(2, b"stderr is back\n")
    assert capfd.readouterr().err == "stderr is back\n"


@pytest.mark.skipif(
    importlib.util.find_spec("mediapipe") is None, reason="skipped: needs the video extra"
)
def test_a_pose_model_starts_and_reads_a_frame_without_a_word_on_stderr(
    capfd: pytest.CaptureFixture[str],
) -> None:
    import numpy as np

    from piri.activities.pose import PoseModel

    with PoseModel() as model:
        for _ in range(3):
            assert model.points(np.zeros((128, 96, 3), np.uint8)) is None
    assert capfd.readouterr().err == ""
