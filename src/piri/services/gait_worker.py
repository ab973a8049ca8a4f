"""The background analysis of gait checks, so that a page never waits on the pose model.

A web server process starts one worker when a clip is uploaded (or when someone looks at a
check still waiting, after a restart), not at start-up: a server nobody films for uses nothing.
The worker is a separate process by default: the pose model keeps a CPU core busy for the
whole clip, and in its own process it cannot slow the server's threads (the interpreter lock).
It analyses the waiting checks one after another, oldest first, and ends after
``IDLE_SECONDS`` with nothing to do. Several server processes (``--workers N``) may each start
one; the database hands each check to exactly one of them (``store.gait_checks.claim_next``).

Modes (``PIRI_GAIT_WORKER``): ``process`` (the default), ``thread`` (in the server's own
process; tests), ``off`` (checks wait until a worker runs: ``piri gait-worker``).
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
import time
from collections.abc import Callable
from typing import Literal

log = logging.getLogger(__name__)

WorkerMode = Literal["process", "thread", "off"]
WORKER_MODES: tuple[WorkerMode, ...] = ("process", "thread", "off")
IDLE_SECONDS = 30.0
POLL_SECONDS = 1.0


def run_until_idle(
    idle_seconds: float = IDLE_SECONDS,
    poll_seconds: float = POLL_SECONDS,
    step: Callable[[], int | None] | None = None,
) -> int:
    """Analyse waiting checks until none has come for ``idle_seconds``; how many ran."""
    if step is None:
        from piri.services.gait_checks import analyse_next

        step = analyse_next
    done = 0
    idle_since = time.monotonic()
    while True:
        try:
            found = step()
        except Exception:  # a broken database: say so, wait, try again
            log.exception("the gait analysis could not take a check")
            found = None
        if found is not None:
            done += 1
            idle_since = time.monotonic()
            continue
        if time.monotonic() - idle_since >= idle_seconds:
            return done
        time.sleep(poll_seconds)


def _process_main(idle_seconds: float) -> None:
    logging.basicConfig(level=logging.WARNING)
    run_until_idle(idle_seconds)


class GaitWorker:
    """This process's handle on its background analysis: ``wake`` starts it unless it runs."""

    def __init__(self, mode: WorkerMode = "process", idle_seconds: float = IDLE_SECONDS) -> None:
        if mode not in WORKER_MODES:
            raise ValueError(f"gait worker mode must be one of {', '.join(WORKER_MODES)}")
        self.mode = mode
        self.idle_seconds = idle_seconds
        self._lock = threading.Lock()
        self._running: multiprocessing.process.BaseProcess | threading.Thread | None = None

    def wake(self) -> bool:
        """Make sure a worker runs; False in mode ``off``."""
        if self.mode == "off":
            return False
        with self._lock:
            if self._running is not None and self._running.is_alive():
                return True
            if self.mode == "thread":
                self._running = threading.Thread(
                    target=run_until_idle,
                    args=(self.idle_seconds,),
                    name="piri-gait-worker",
                    daemon=True,
                )
            else:
                # spawn, not fork: the server's threads and open connections stay behind
                context = multiprocessing.get_context("spawn")
                self._running = context.Process(
                    target=_process_main,
                    args=(self.idle_seconds,),
                    name="piri-gait-worker",
                    daemon=True,
                )
            self._running.start()
            return True

    def running(self) -> bool:
        with self._lock:
            return self._running is not None and self._running.is_alive()

    def stop(self, timeout: float = 5.0) -> None:
        """End a worker process now (server shutdown); a thread ends on its own when idle."""
        with self._lock:
            running = self._running
        if isinstance(running, multiprocessing.process.BaseProcess) and running.is_alive():
            running.terminate()
            running.join(timeout)
