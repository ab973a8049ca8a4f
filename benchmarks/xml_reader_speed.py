"""How fast Piri's GPX reader summarises the shared GPX samples, beside gpxpy.

Both read the same files from memory, in the same run, each file in turn until at least
``MIN_READS`` reads are done (whole passes over the files); the best of ``ROUNDS`` timings is
kept (one round by default: gpxpy needs about a minute for 500 reads). gpxpy is timed as its
users call it: ``gpxpy.parse`` of the decoded text, then ``length_2d`` and
``get_time_bounds`` (what a summary needs); the files gpxpy refuses are timed too, up to its
exception. Files/s counts reads, MB/s the bytes read, and "ok" the files that gave a result
(Piri: one or more activities; gpxpy: a parsed document, which includes the waypoint-only and
metadata-only samples that Piri reports as holding no activity).

Run: .venv/bin/python benchmarks/xml_reader_speed.py [FOLDER]
(FOLDER defaults to ../shared/data/activities/gpx beside the repository, or $PIRI_SHARED_DIR.)
"""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import gpxpy

from piri.activities.gpx import read_gpx
from piri.domain.activity import BrokenFileError, NotAnActivityError

MIN_READS = 500
ROUNDS = 1
SHARED = Path(os.environ.get("PIRI_SHARED_DIR", Path(__file__).resolve().parents[2] / "shared"))


def piri(data: bytes) -> bool:
    try:
        read_gpx(data)
    except (NotAnActivityError, BrokenFileError):
        return False
    return True


def with_gpxpy(data: bytes) -> bool:
    try:
        parsed = gpxpy.parse(data.decode("utf-8-sig"))
    except Exception:
        return False
    parsed.length_2d()
    parsed.get_time_bounds()
    return True


def timed(reader: Callable[[bytes], bool], files: list[bytes]) -> tuple[float, int, int]:
    """(best seconds, reads, files that gave a result) over whole passes of the files."""
    passes = math.ceil(MIN_READS / len(files))
    ok = sum(reader(data) for data in files)  # warm up, and count what it reads
    best = math.inf
    for _ in range(ROUNDS):
        began = time.perf_counter()
        for _ in range(passes):
            for data in files:
                reader(data)
        best = min(best, time.perf_counter() - began)
    return best, passes * len(files), ok


def main() -> int:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else SHARED / "data" / "activities" / "gpx"
    paths = sorted(p for p in folder.glob("*") if p.is_file())
    if not paths:
        print(f"no files in {folder}")
        return 1
    files = [p.read_bytes() for p in paths]
    size = sum(len(data) for data in files)
    print(f"{len(files)} GPX files, {size / 1e6:.1f} MB, from {folder}")
    print(f"{'reader':<26} {'reads':>6} {'files/s':>9} {'MB/s':>8} {'ok':>9}")
    results: dict[str, float] = {}
    for label, reader in [("piri read_gpx", piri), ("gpxpy.parse + summary", with_gpxpy)]:
        seconds, reads, ok = timed(reader, files)
        megabytes = size * reads / len(files) / 1e6
        results[label] = seconds
        print(
            f"{label:<26} {reads:>6} {reads / seconds:>9.1f} {megabytes / seconds:>8.1f}"
            f" {ok:>4}/{len(files)}"
        )
    ratio = results["gpxpy.parse + summary"] / results["piri read_gpx"]
    print(f"\nPiri reads these files {ratio:.1f} times as fast as gpxpy (best of {ROUNDS} runs).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
