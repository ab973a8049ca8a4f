"""``piri session`` through the real command: piped, and in a pseudo-terminal with keys."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from piri.content.loader import load_library
from tests.conftest import PiriRunner

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\r")


@pytest.mark.parametrize("routine", ["relief", "strength", "article"])
def test_every_routine_runs_straight_through_when_piped(piri: PiriRunner, routine: str) -> None:
    content = load_library()
    result = piri("session", routine, "--pace", "0")
    assert result.returncode == 0, result.stderr
    out = " ".join(result.stdout.split())
    for item in content.routines[routine].items:
        assert content.exercises[item.exercise].name in out
    count = len(content.routines[routine].items)
    assert f"Session complete: {count} of {count} exercises done" in out
    assert "Before you start:" in out
    assert "When to see a professional" in out
    assert "Keys:" not in out  # nothing to press when standard input is not a terminal


def test_the_article_session_follows_the_articles_order(piri: PiriRunner) -> None:
    result = piri("session", "article", "--pace", "0")
    assert result.returncode == 0, result.stderr
    order = [
        "sciatic-nerve-floss",
        "figure-four-foam-roll",
        "dynamic-hamstring-stretch",
        "ninety-ninety-external-rotation",
        "clamshell",
        "monster-walk",
    ]
    names = [load_library().exercises[i].name for i in order]
    positions = [result.stdout.index(f"] {name}") for name in names]
    assert positions == sorted(positions)


def test_the_clamshell_counts_reps_switches_sides_and_rests(piri: PiriRunner) -> None:
    result = piri("session", "article", "--pace", "0", "--side", "right")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    start = out.index("] Clamshell")
    clamshell = out[start : out.index("[6/6]", start)]
    assert clamshell.count("Set 1 of 3 · right side: 10 slow reps on the right side.") == 1
    assert clamshell.count("Set 3 of 3 · left side: 10 slow reps on the left side.") == 1
    assert clamshell.count("Switch sides: now the left side.") == 3
    assert clamshell.count("Rest:") == 2


def test_side_sets_the_side_of_a_painful_side_only_exercise(piri: PiriRunner) -> None:
    result = piri("session", "article", "--pace", "0", "--side", "left")
    assert result.returncode == 0, result.stderr
    floss = result.stdout[: result.stdout.index("[2/6]")]
    assert "on the left side" in floss
    assert "right side" not in floss


def test_without_a_side_the_painful_side_only_exercise_says_your_painful_side(
    piri: PiriRunner,
) -> None:
    result = piri("session", "article", "--pace", "0")
    floss = result.stdout[: result.stdout.index("[2/6]")]
    assert "on your painful side" in floss


def test_pace_slows_or_speeds_the_timers(piri: PiriRunner) -> None:
    started = time.monotonic()
    result = piri("session", "relief", "--pace", "0.002")
    assert result.returncode == 0, result.stderr
    # A full relief session is well over ten minutes at pace 1: here about 2 s.
    assert time.monotonic() - started < 20


def test_an_unknown_routine_lists_the_routines(piri: PiriRunner) -> None:
    result = piri("session", "releif", "--pace", "0")
    assert result.returncode == 2
    assert "Did you mean relief" in result.stderr
    assert "strength" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_a_wrong_side_or_pace_is_refused(piri: PiriRunner) -> None:
    side = piri("session", "relief", "--side", "both")
    assert side.returncode == 2
    assert "both" in side.stderr
    pace = piri("session", "relief", "--pace", "-1")
    assert pace.returncode == 2
    assert "-1" in pace.stderr


def _run_in_terminal(
    tmp_path: Path, args: list[str], keys: list[tuple[str, str]], timeout: float = 40
) -> tuple[int, str]:
    """Run piri in a pseudo-terminal; each time ``wait_for`` appears, type ``key``."""
    controller, terminal = pty.openpty()
    env = {**os.environ, "PIRI_HOME": str(tmp_path / "home"), "COLUMNS": "100", "TERM": "xterm"}
    process = subprocess.Popen(
        [sys.executable, "-m", "piri", *args],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env=env,
        cwd=tmp_path,
        close_fds=True,
    )
    os.close(terminal)
    output = b""
    pending = list(keys)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([controller], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            output += chunk
        text = ANSI.sub("", output.decode("utf-8", errors="replace"))
        if pending and pending[0][0] in text:
            os.write(controller, pending.pop(0)[1].encode())
        if process.poll() is not None and not ready:
            break
    process.wait(timeout=10)
    os.close(controller)
    return process.returncode, ANSI.sub("", output.decode("utf-8", errors="replace"))


def test_keys_in_a_terminal_skip_an_exercise_and_quit(tmp_path: Path) -> None:
    content = load_library()
    first, second = (content.exercises[i.exercise] for i in content.routines["relief"].items[:2])
    code, out = _run_in_terminal(
        tmp_path,
        ["session", "relief", "--pace", "0.05"],
        keys=[("Keys:", "n"), (f"] {second.name}", "q")],
    )
    assert code == 0, out
    assert "p or space: pause" in out
    assert "Session stopped early: 0 of 4 exercises done" in " ".join(out.split())
    summary = out[out.index("Session summary") :]
    # Table cells are separated by a border character, so allow it between name and status.
    assert re.search(re.escape(first.name) + r"\W+skipped", summary)
    assert re.search(re.escape(second.name[:20]) + r".*\W+stopped", summary)
    assert "not reached" in summary
    assert "Traceback" not in out


def test_session_without_a_routine_lists_the_routines(piri: PiriRunner) -> None:
    result = piri("session")
    assert result.returncode == 0, result.stderr
    for routine in load_library().routines.values():
        assert routine.id in result.stdout
    assert "piri session ROUTINE" in result.stdout
