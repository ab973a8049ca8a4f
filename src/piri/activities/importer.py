"""Reading activity files in parallel: bytes in, Activity summaries (or reasons) out.

No database here: the import service stores what this yields. Files are parsed on every
core in worker processes, in bounded batches so memory stays flat however big the input.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from itertools import islice

from piri.activities.archive import Found, Skipped
from piri.domain.activity import Activity, BrokenFileError, NotAnActivityError

# Files handed to the workers at a time: enough to keep every core busy, few enough that
# only a small slice of a big export is ever in memory.
BATCH = 64
# Below this many files a process pool costs more than it saves.
PARALLEL_FROM = 16


@dataclass(frozen=True)
class FileResult:
    origin: str
    size: int
    activities: list[Activity] = field(default_factory=list)
    skipped: str | None = None  # a valid file that is not an activity, and why
    failed: str | None = None  # a broken file, and what is wrong


def parse(kind: str, data: bytes) -> list[Activity]:
    """The activities in one file's bytes; raises NotAnActivityError or BrokenFileError."""
    if not data:
        raise BrokenFileError("the file is empty (0 bytes)")
    reader = _reader(kind)
    return reader(data)


def _reader(kind: str) -> Callable[[bytes], list[Activity]]:
    if kind == "fit":
        from piri.activities.fit import read_fit

        return read_fit
    if kind == "gpx":
        from piri.activities.gpx import read_gpx

        return read_gpx
    if kind == "tcx":
        from piri.activities.tcx import read_tcx

        return read_tcx
    raise ValueError(f"no reader for '{kind}' files")


# Strava's activity types, as named in its activities.csv, in Piri's sport names.
STRAVA_SPORTS = {
    "Run": "running",
    "Trail Run": "running",
    "Virtual Run": "running",
    "Ride": "cycling",
    "Virtual Ride": "cycling",
    "Walk": "walking",
    "Hike": "hiking",
    "Swim": "swimming",
}


def parse_one(item: tuple[str, str, bytes, str | None]) -> FileResult:
    """Parse one file in a worker; never raises, the outcome says what happened."""
    origin, kind, data, sport_hint = item
    try:
        found = parse(kind, data)
    except NotAnActivityError as error:
        return FileResult(origin, len(data), skipped=str(error))
    except BrokenFileError as error:
        return FileResult(origin, len(data), failed=str(error))
    except Exception as error:  # a reader bug must not stop a batch of thousands
        reason = f"could not be read ({type(error).__name__}: {error})"
        return FileResult(origin, len(data), failed=reason)
    digest = hashlib.sha256(data).hexdigest()
    # A multisport file's transitions (changing shoes between legs) are not activities.
    kept = [a for a in found if a.sport != "transition"]
    stamped = [replace(a, file_sha256=digest, origin=origin) for a in kept]
    if sport_hint is not None:  # a file that does not say its sport gets the export's word
        named = STRAVA_SPORTS.get(sport_hint, sport_hint.lower().replace(" ", "_"))
        stamped = [replace(a, sport=named) if a.sport == "unknown" else a for a in stamped]
    if not stamped:
        return FileResult(origin, len(data), skipped="the file holds no activity")
    return FileResult(origin, len(data), activities=stamped)


def read_all(items: Iterable[Found | Skipped], workers: int | None = None) -> Iterator[FileResult]:
    """Parse every found file, in parallel when there are many; skipped ones pass through."""
    stream = iter(items)
    first = list(islice(stream, PARALLEL_FROM))
    if len(first) < PARALLEL_FROM:
        for item in first:
            yield _handle(item)
        return
    count = workers or os.cpu_count() or 1
    with ProcessPoolExecutor(max_workers=count) as pool:
        rest = _chain(first, stream)
        while batch := list(islice(rest, BATCH)):
            yield from _run_batch(batch, pool)


def _chain(
    first: list[Found | Skipped], stream: Iterator[Found | Skipped]
) -> Iterator[Found | Skipped]:
    yield from first
    yield from stream


def _run_batch(batch: list[Found | Skipped], pool: Executor) -> Iterator[FileResult]:
    to_parse = [(f.origin, f.kind, f.data, f.sport_hint) for f in batch if isinstance(f, Found)]
    parsed = iter(pool.map(parse_one, to_parse, chunksize=4))
    for item in batch:
        yield _skip(item) if isinstance(item, Skipped) else next(parsed)


def _handle(item: Found | Skipped) -> FileResult:
    if isinstance(item, Skipped):
        return _skip(item)
    return parse_one((item.origin, item.kind, item.data, item.sport_hint))


def _skip(item: Skipped) -> FileResult:
    return FileResult(item.origin, 0, skipped=item.reason)
