"""The test run's clock (tests/run_clock.py): one date from start to end, in every process."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

from tests.run_clock import noon_shift, run_clock_shift


def test_the_shift_is_to_noon_of_the_same_day() -> None:
    assert noon_shift(dt.datetime(2026, 12, 2, 23, 50)) == -(11 * 3600 + 50 * 60)
    assert noon_shift(dt.datetime(2026, 12, 3, 0, 10)) == 11 * 3600 + 50 * 60
    assert noon_shift(dt.datetime(2026, 12, 3, 12, 0)) == 0


def test_a_process_the_tests_start_keeps_the_runs_clock() -> None:
    child = subprocess.run(
        [sys.executable, "-c", "import datetime; print(datetime.datetime.now().isoformat())"],
        env=dict(os.environ),
        capture_output=True,
        text=True,
        check=True,
    )
    theirs = dt.datetime.fromisoformat(child.stdout.strip())
    assert abs((theirs - dt.datetime.now()).total_seconds()) < 30, (theirs, os.environ)
    if run_clock_shift():
        assert dt.datetime.now().date() == theirs.date()
        assert dt.datetime.now().hour >= 12, "the run's clock started at noon"
