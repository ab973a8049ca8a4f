"""Keep MediaPipe's start-up chatter off the runner's terminal.

MediaPipe's C++ side writes a few lines to the process's standard error (file descriptor 2,
below Python) whenever a pose model starts: "Created TensorFlow Lite XNNPACK delegate",
"All log messages before absl::InitializeLog() ...", and warnings about its own graph. None
of them is about the runner's video, no setting of MediaPipe 0.10.21 turns them off
(``GLOG_minloglevel`` and ``TF_CPP_MIN_LOG_LEVEL`` do not), and they land in the middle of
``piri gait``'s report.

``quiet_native_start`` points descriptor 2 at a temporary file while a model starts and
reads its first frame, then puts it back and writes on what was caught, less those known
lines: anything else written meanwhile (a log line of the server, an error of MediaPipe's)
still reaches standard error, a moment late. Models starting in several threads at once
share one redirection.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

# The lines MediaPipe and TensorFlow Lite write when a model starts, which are dropped.
KNOWN_NOISE = re.compile(
    r"^(INFO: Created TensorFlow Lite XNNPACK delegate for CPU\."
    r"|WARNING: All log messages before absl::InitializeLog\(\) is called are written to STDERR"
    # absl's warnings and notes (W, I): "W0000 00:00:1796283297.373288 7612 file.cc:114] ..."
    r"|[WI]\d{4} [\d:.]+ +\d+ [\w.]+\.cc:\d+\] .*)$"
)

_lock = threading.Lock()
_users = 0
_saved_fd: int | None = None
_caught: IO[bytes] | None = None


@contextmanager
def quiet_native_start() -> Iterator[None]:
    """Within this block, MediaPipe's known start-up lines on standard error are dropped."""
    _enter()
    try:
        yield
    finally:
        _leave()


def _enter() -> None:
    global _users, _saved_fd, _caught
    with _lock:
        _users += 1
        if _users > 1:
            return
        sys.stderr.flush()
        _caught = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the last _leave)
        _saved_fd = os.dup(2)
        os.dup2(_caught.fileno(), 2)


def _leave() -> None:
    global _users, _saved_fd, _caught
    with _lock:
        _users -= 1
        if _users > 0 or _saved_fd is None or _caught is None:
            return
        sys.stderr.flush()
        os.dup2(_saved_fd, 2)
        os.close(_saved_fd)
        _caught.seek(0)
        kept = drop_known_noise(_caught.read())
        _caught.close()
        _saved_fd, _caught = None, None
    if kept:
        os.write(2, kept)


def drop_known_noise(written: bytes) -> bytes:
    """``written`` less MediaPipe's known start-up lines."""
    lines = written.decode("utf-8", "replace").splitlines(keepends=True)
    kept = [line for line in lines if not KNOWN_NOISE.match(line.rstrip("\r\n"))]
    return "".join(kept).encode("utf-8")
