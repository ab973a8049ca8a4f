"""How fast Piri's FIT summary reader is, beside fitdecode's full decode of the same files.

Reads every file in ``../shared/data/activities/fit`` (or ``$PIRI_SHARED_DIR``) from memory:
``read_fit`` over the whole set repeated until at least 2,000 reads, fitdecode over the set
once (it decodes every record, so one pass already takes half a minute). Both see the same
mix of files, so files/s and MB/s compare directly; broken files count as read (both stop
with an error). Prints files/s and MB/s for each and the ratio; the target is 100x.

Run: .venv/bin/python benchmarks/fit_reader_speed.py [--reads N] [--fitdecode-passes N]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import fitdecode

from piri.activities.fit import read_fit

TARGET_RATIO = 100
SHARED_DIR = Path(os.environ.get("PIRI_SHARED_DIR", Path(__file__).resolve().parents[2] / "shared"))


def piri_summary(data: bytes) -> None:
    with contextlib.suppress(Exception):  # broken and non-activity files are in the mix
        read_fit(data)


def fitdecode_full(data: bytes) -> None:
    """fitdecode as its users run it: iterate every frame, every field decoded."""
    with contextlib.suppress(Exception), fitdecode.FitReader(data) as reader:
        for _frame in reader:
            pass


def measure(
    read: Callable[[bytes], None], files: list[bytes], passes: int
) -> tuple[float, int, int]:
    """Seconds, reads and bytes for ``passes`` passes over ``files``."""
    start = time.perf_counter()
    for _ in range(passes):
        for data in files:
            read(data)
    return time.perf_counter() - start, passes * len(files), passes * sum(map(len, files))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reads", type=int, default=2000, help="read_fit reads, at least")
    parser.add_argument("--fitdecode-passes", type=int, default=1)
    args = parser.parse_args()

    folder = SHARED_DIR / "data" / "activities" / "fit"
    paths = sorted(folder.glob("*.fit"))
    if not paths:
        raise SystemExit(f"no FIT files in {folder} (set PIRI_SHARED_DIR)")
    files = [path.read_bytes() for path in paths]
    size = sum(map(len, files))
    print(f"{len(files)} FIT files, {size / 1e6:.1f} MB, from {folder}")

    warnings.simplefilter("ignore")  # fitdecode warns about CRC mismatches in broken files
    piri_passes = -(-args.reads // len(files))  # whole passes, so both see the same mix
    piri_summary(files[0])  # import and warm-up outside the timing
    rows = [
        ("piri read_fit (summaries)", *measure(piri_summary, files, piri_passes)),
        ("fitdecode (full decode)", *measure(fitdecode_full, files, args.fitdecode_passes)),
    ]
    print(f"{'reader':<28}{'reads':>8}{'seconds':>10}{'files/s':>12}{'MB/s':>10}")
    for name, seconds, reads, nbytes in rows:
        print(
            f"{name:<28}{reads:>8}{seconds:>10.2f}{reads / seconds:>12.1f}"
            f"{nbytes / 1e6 / seconds:>10.2f}"
        )
    ratio = (rows[0][3] / rows[0][1]) / (rows[1][3] / rows[1][1])  # MB/s over MB/s
    verdict = "meets" if ratio >= TARGET_RATIO else "MISSES"
    print(f"read_fit is {ratio:.0f}x fitdecode's speed ({verdict} the {TARGET_RATIO}x target)")


if __name__ == "__main__":
    main()
