"""Import speed and memory, side by side with the FIT and GPX libraries runners' tools use.

1. A corpus of at least 2,000 activity files built from the shared samples
   (../shared/data/activities, repeated), imported by Piri into a fresh database
   (parse, dedupe, store); then, on the same files in the same run, the summary
   extraction of fitdecode and fitparse (decoding every message, as their users
   do) and gpxpy for the GPX files.
2. A synthetic ten-year Garmin account export: 5,000 distinct one-hour FIT runs
   with per-second records, in ZIPs inside a ZIP, imported by Piri.

Every phase runs in its own process, so its peak memory (max RSS, worker
processes included) is its own. Targets from issue 5: Piri's full import at least
100 times faster than fitdecode's parse alone; 5,000 FIT files in under 30 s on
this 2-core machine; peak memory under 300 MB.

Run: .venv/bin/python benchmarks/bench_import.py [--quick] [--garmin-only]
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("PIRI_SHARED_DIR", ROOT.parent / "shared")) / "data" / "activities"
CORPUS_FILES = 2_000
GARMIN_FILES = 5_000


def peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


# --- phases, each run in a fresh process -------------------------------------------------------


def phase_piri(paths: list[str], home: str) -> dict[str, float]:
    os.environ["PIRI_HOME"] = home
    from piri.services.imports import import_paths

    started = time.perf_counter()
    report = import_paths([Path(p) for p in paths])
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "files": len(report.files),
        "bytes": report.bytes_read,
        "imported": report.imported,
        "duplicates": report.duplicates,
        "peak_mb": peak_mb(),
    }


def phase_fitdecode(files: list[str]) -> dict[str, float]:
    import fitdecode

    started, size, sessions = time.perf_counter(), 0, 0
    for name in files:
        data = Path(name).read_bytes()
        size += len(data)
        try:
            with fitdecode.FitReader(
                io.BytesIO(data), check_crc=fitdecode.CrcCheck.DISABLED
            ) as fit:
                for frame in fit:
                    if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "session":
                        frame.get_value("total_distance", fallback=None)
                        sessions += 1
        except Exception:
            pass
    return {
        "seconds": time.perf_counter() - started,
        "files": len(files),
        "bytes": size,
        "sessions": sessions,
        "peak_mb": peak_mb(),
    }


def phase_fitparse(files: list[str]) -> dict[str, float]:
    import fitparse

    started, size, sessions = time.perf_counter(), 0, 0
    for name in files:
        data = Path(name).read_bytes()
        size += len(data)
        try:
            fit = fitparse.FitFile(io.BytesIO(data), check_crc=False)
            for message in fit.get_messages():  # decodes every message, as its users do
                if message.name == "session":
                    message.get_value("total_distance")
                    sessions += 1
        except Exception:
            pass
    return {
        "seconds": time.perf_counter() - started,
        "files": len(files),
        "bytes": size,
        "sessions": sessions,
        "peak_mb": peak_mb(),
    }


def phase_gpxpy(files: list[str]) -> dict[str, float]:
    import gpxpy

    started, size = time.perf_counter(), 0
    for name in files:
        data = Path(name).read_bytes()
        size += len(data)
        try:
            gpx = gpxpy.parse(data.decode("utf-8", errors="replace"))
            gpx.length_2d()
            gpx.get_time_bounds()
        except Exception:
            pass
    return {
        "seconds": time.perf_counter() - started,
        "files": len(files),
        "bytes": size,
        "peak_mb": peak_mb(),
    }


def phase_piri_gpx(files: list[str]) -> dict[str, float]:
    from piri.activities.importer import parse_one

    started, size = time.perf_counter(), 0
    for name in files:
        data = Path(name).read_bytes()
        size += len(data)
        parse_one((name, "gpx", data, None))
    return {
        "seconds": time.perf_counter() - started,
        "files": len(files),
        "bytes": size,
        "peak_mb": peak_mb(),
    }


PHASES = {
    "piri": phase_piri,
    "fitdecode": phase_fitdecode,
    "fitparse": phase_fitparse,
    "gpxpy": phase_gpxpy,
    "piri-gpx": phase_piri_gpx,
}


def run_phase(name: str, *args: object) -> dict[str, float]:
    script = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); "
        "from benchmarks.bench_import import PHASES; "
        "print(json.dumps(PHASES[sys.argv[2]](*json.loads(sys.argv[3]))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(ROOT), name, json.dumps(args)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


# --- corpora -----------------------------------------------------------------------------------


def shared_corpus(folder: Path, count: int) -> tuple[list[str], list[str]]:
    """Copies of the shared FIT and GPX samples until there are ``count`` files."""
    samples = sorted(SHARED.glob("fit/*.fit")) + sorted(SHARED.glob("gpx/*.gpx"))
    fits, gpxs = [], []
    for index in range(count):
        sample = samples[index % len(samples)]
        target = folder / sample.suffix[1:] / f"{index:05d}{sample.suffix}"
        target.parent.mkdir(exist_ok=True)
        target.write_bytes(sample.read_bytes())
        (fits if sample.suffix == ".fit" else gpxs).append(str(target))
    return fits, gpxs


def garmin_export(path: Path, count: int, seconds: int) -> int:
    """A Garmin-style export: ZIPs of distinct FIT runs inside one ZIP; returns its size."""
    sys.path.insert(0, str(ROOT))
    from tests import fit_files as f

    start = dt.datetime(2016, 1, 1, 6, 0, tzinfo=dt.UTC)
    parts: list[bytes] = []
    per_part = 1000
    for first in range(0, count, per_part):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as part:
            for number in range(first, min(first + per_part, count)):
                when = start + dt.timedelta(days=number * 0.73)
                w = f.FitWriter()
                f.file_id(w, time_created=when)
                f.device_info(w)
                f.records(w, when, seconds, gps=True, compressed=False, dev_fields=False)
                for summary in f.run_laps(when):
                    f.lap(w, summary)
                session = f.run_session(when)
                f.session(w, session)
                end = session.end()
                assert end is not None
                f.activity(w, end, 3600)
                part.writestr(f"{number}_ACTIVITY.fit", w.build())
        parts.append(buffer.getvalue())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as outer:
        for index, data in enumerate(parts):
            outer.writestr(f"DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_{index}.zip", data)
    return path.stat().st_size


# --- report ------------------------------------------------------------------------------------


def line(name: str, result: dict[str, float]) -> str:
    seconds = max(result["seconds"], 1e-9)
    return (
        f"{name:<34}{result['files'] / seconds:>10.0f} files/s"
        f"{result['bytes'] / 1e6 / seconds:>9.1f} MB/s{result['seconds']:>9.2f} s"
        f"{result['peak_mb']:>9.0f} MB peak"
    )


def main() -> None:
    quick = "--quick" in sys.argv
    garmin_only = "--garmin-only" in sys.argv  # only the ten-year Garmin export
    if not SHARED.is_dir() and not garmin_only:
        sys.exit(f"{SHARED} is not here: the benchmark builds its corpus from the shared samples")
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        if not garmin_only:
            shared_files(folder, quick)
        garmin_phase(folder, quick)


def shared_files(folder: Path, quick: bool) -> None:
    """Piri, fitdecode, fitparse and gpxpy on the same corpus of the shared samples."""
    corpus = folder / "corpus"
    corpus.mkdir()
    fits, gpxs = shared_corpus(corpus, 500 if quick else CORPUS_FILES)
    print(f"Corpus: {len(fits)} FIT and {len(gpxs)} GPX files from the shared samples\n")
    piri = run_phase("piri", [str(corpus / "fit")], str(folder / "home1"))
    # fitdecode and fitparse decode every message: a share of the same files gives their rate.
    fitdecode = run_phase("fitdecode", fits[: max(100, len(fits) // 4)])
    fitparse = run_phase("fitparse", fits[: max(50, len(fits) // 10)])
    gpxpy_result = run_phase("gpxpy", gpxs)
    piri_gpx = run_phase("piri-gpx", gpxs)
    print(line("Piri import of the FIT files", piri))
    print(line("fitdecode parse only (a quarter)", fitdecode))
    print(line("fitparse parse only (FIT, a tenth)", fitparse))
    print(line("Piri GPX parse only", piri_gpx))
    print(line("gpxpy parse only (GPX)", gpxpy_result))
    piri_fit_rate = piri["bytes"] / piri["seconds"]
    ratio_fitdecode = piri_fit_rate / (fitdecode["bytes"] / fitdecode["seconds"])
    ratio_fitparse = piri_fit_rate / (fitparse["bytes"] / fitparse["seconds"])
    ratio_gpx = (piri_gpx["bytes"] / piri_gpx["seconds"]) / (
        gpxpy_result["bytes"] / gpxpy_result["seconds"]
    )
    print(
        f"\nPiri's full import, MB/s against parse only: {ratio_fitdecode:.0f}x fitdecode, "
        f"{ratio_fitparse:.0f}x fitparse (target: 100x fitdecode)"
    )
    print(f"Piri's GPX reading against gpxpy: {ratio_gpx:.1f}x")
    print(
        f"({piri['imported']:.0f} stored, {piri['duplicates']:.0f} duplicates of the "
        "repeated samples)\n"
    )


def garmin_phase(folder: Path, quick: bool) -> None:
    """A synthetic ten-year Garmin account export: ZIPs of FIT runs inside a ZIP."""
    count = 1000 if quick else GARMIN_FILES
    export = folder / "garmin.zip"
    size = garmin_export(export, count, seconds=600 if quick else 3600)
    garmin = run_phase("piri", [str(export)], str(folder / "home2"))
    print(f"Garmin export: {count} distinct FIT runs, {size / 1e6:.0f} MB zipped")
    print(line("Piri import of the Garmin export", garmin))
    verdict = "meets" if garmin["seconds"] < 30 and count == GARMIN_FILES else "see"
    print(
        f"{garmin['imported']:.0f} imported in {garmin['seconds']:.1f} s: {verdict} the "
        "30 s target; peak memory target 300 MB"
    )


if __name__ == "__main__":
    main()
