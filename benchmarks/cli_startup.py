"""How long ``piri --help`` takes to start, beside reference commands.

The issue asks that ``piri --help`` starts in well under half a second. This
prints the median and best wall-clock time of several runs of each command,
next to a bare Python start-up and a minimal Typer app (the floor any Typer
CLI pays), so the figure can be read against what is achievable.

Run: make bench    (or .venv/bin/python benchmarks/cli_startup.py)
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

RUNS = 15
TARGET_SECONDS = 0.5

COMMANDS: list[tuple[str, list[str]]] = [
    ("python -c pass (floor)", [sys.executable, "-c", "pass"]),
    (
        "minimal typer app --help",
        [
            sys.executable,
            "-c",
            "import typer\napp = typer.Typer()\n@app.command()\ndef hi() -> None: ...\napp()",
            "--help",
        ],
    ),
    ("piri --help", [sys.executable, "-m", "piri", "--help"]),
    (
        "piri exercises --format json",
        [sys.executable, "-m", "piri", "exercises", "--format", "json"],
    ),
]


def time_command(argv: list[str]) -> list[float]:
    subprocess.run(argv, capture_output=True, check=True)  # warm the file cache
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(argv, capture_output=True, check=True)
        timings.append(time.perf_counter() - start)
    return timings


def main() -> int:
    print(f"{'command':<32} {'median':>9} {'best':>9}   ({RUNS} runs each)")
    help_median = 0.0
    for label, argv in COMMANDS:
        timings = time_command(argv)
        median = statistics.median(timings)
        if label == "piri --help":
            help_median = median
        print(f"{label:<32} {median * 1000:>7.0f}ms {min(timings) * 1000:>7.0f}ms")
    verdict = "meets" if help_median < TARGET_SECONDS else "MISSES"
    print(f"\npiri --help {verdict} the {TARGET_SECONDS * 1000:.0f} ms target.")
    return 0 if help_median < TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
