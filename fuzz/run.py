"""Bounded coverage-guided fuzzing (atheris, libFuzzer) of every parser of outside data.

Each target (fuzz/targets.py) runs in its own process for ``--seconds``, starting from seeds
made the way the test helpers make valid files (a FIT run, GPX and TCX tracks, a Strava-style
ZIP, the clinical vignettes' answers, an export). libFuzzer stops a target at the first input
that raises an exception outside the parser's contract, runs longer than 10 s (a hang) or
grows past 1 GB (unbounded memory); that input is saved under fuzz/regressions/<target>/,
where tests/test_fuzz_regressions.py replays it on every test run.

Prints, per target, the inputs run, their rate and the crashes found, and writes the same to
fuzz/last-run.json (docs/reliability.md is made from it by scripts/reliability_report.py).

Run: make fuzz   (or .venv/bin/python fuzz/run.py [--seconds 120] [--targets fit,gpx])
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REGRESSIONS = ROOT / "fuzz" / "regressions"
LAST_RUN = ROOT / "fuzz" / "last-run.json"
TARGET_NAMES = ("fit", "gpx", "tcx", "archive", "answers", "export")


def seeds(target: str) -> list[bytes]:
    """Valid inputs to start from (the fuzzer mutates them), built by the test helpers."""
    sys.path.insert(0, str(ROOT))
    import datetime as dt

    from tests.fit_files import run_file, settings_file
    from tests.xml_activity_files import TcxActivity, TcxLap, Track, gpx, run_north, tcx

    start = dt.datetime(2025, 3, 4, 7, 0, tzinfo=dt.UTC)
    points = run_north(start, seconds=60, speed=3.0, hr=150, cad=88, ele=400.0)
    fit = run_file(seconds=60)
    gpx_file = gpx([Track([points], type="running")])
    tcx_file = tcx([TcxActivity("Running", [TcxLap(start, 60, 180, points, 150, 160, None, 88)])])
    if target == "fit":
        return [fit, run_file(seconds=30, big_endian=True, compressed=True), settings_file()]
    if target == "gpx":
        return [gpx_file]
    if target == "tcx":
        return [tcx_file]
    if target == "archive":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(
                "activities.csv", "Activity ID,Activity Type,Filename\n1,Run,a/1.fit\n"
            )
            archive.writestr("a/1.fit", fit)
            archive.writestr("a/2.gpx", gpx_file)
        return [buffer.getvalue()]
    if target == "answers":
        vignettes = sorted((ROOT / "tests" / "vignettes").glob("*.json"))[:20]
        return [json.dumps(json.loads(path.read_text())["answers"]).encode() for path in vignettes]
    if target == "export":
        day = {"day": "2026-11-20", "pain_now": 2, "worst_pain": 4}
        return [json.dumps({"format": "piri-export", "version": 1, "diary": [day]}).encode()]
    raise SystemExit(f"no target called {target!r}: use {', '.join(TARGET_NAMES)}")


def run_one(target: str, seconds: int, corpus: Path, artifacts: Path) -> None:
    """Inside the worker process: fuzz ``target`` until the time is up or it crashes."""
    import atheris

    with atheris.instrument_imports(include=["piri"]):
        from fuzz.targets import TARGETS

        chosen = TARGETS[target]
    atheris.Setup(
        [
            sys.argv[0],
            f"-max_total_time={seconds}",
            f"-artifact_prefix={artifacts}/",
            "-timeout=10",
            "-rss_limit_mb=1024",
            "-malloc_limit_mb=1024",
            "-print_final_stats=1",
            str(corpus),
        ],
        chosen,
    )
    atheris.Fuzz()


def fuzz(target: str, seconds: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix=f"piri-fuzz-{target}-") as folder:
        corpus, artifacts = Path(folder) / "corpus", Path(folder) / "artifacts"
        corpus.mkdir()
        artifacts.mkdir()
        for number, seed in enumerate(seeds(target)):
            (corpus / f"seed-{number}").write_bytes(seed)
        began = time.monotonic()
        done = subprocess.run(
            [
                sys.executable,
                str(Path(__file__)),
                "--one",
                target,
                "--seconds",
                str(seconds),
                "--corpus",
                str(corpus),
                "--artifacts",
                str(artifacts),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=seconds + 300,
            check=False,
        )
        took = time.monotonic() - began
        runs = re.findall(r"stat::number_of_executed_units:\s*(\d+)", done.stderr)
        found = sorted(artifacts.iterdir())
        kept = []
        for artifact in found:
            digest = hashlib.sha1(artifact.read_bytes()).hexdigest()[:16]
            kind = artifact.name.split("-", 1)[0]  # crash, timeout, oom, leak
            destination = REGRESSIONS / target / f"{kind}-{digest}"
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(artifact, destination)
            kept.append(str(destination.relative_to(ROOT)))
        if done.returncode != 0 and not found:
            tail = "\n".join(done.stderr.splitlines()[-15:])
            raise SystemExit(f"the {target} fuzzer failed without a saved input:\n{tail}")
        return {
            "target": target,
            "inputs": int(runs[-1]) if runs else 0,
            "seconds": round(took, 1),
            "crashes": len(found),
            "saved": kept,
            "seeds": len(seeds(target)),
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=120, help="per target (default 120)")
    parser.add_argument("--targets", default=",".join(TARGET_NAMES))
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--artifacts", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.one:
        sys.path.insert(0, str(ROOT))
        run_one(options.one, options.seconds, options.corpus, options.artifacts)
        return 0
    results = []
    print(f"{'target':10} {'inputs':>10} {'per s':>8} {'crashes':>8}  saved")
    for target in options.targets.split(","):
        result = fuzz(target.strip(), options.seconds)
        results.append(result)
        rate = result["inputs"] / max(result["seconds"], 0.1)  # type: ignore[operator]
        print(
            f"{target:10} {result['inputs']:>10} {rate:>8.0f} {result['crashes']:>8}  "
            + (", ".join(result["saved"]) or "-")  # type: ignore[arg-type]
        )
    # A run of some targets replaces those targets' figures and keeps the others'.
    earlier = json.loads(LAST_RUN.read_text())["targets"] if LAST_RUN.exists() else []
    ran = {result["target"] for result in results}
    kept = [found for found in earlier if found["target"] not in ran]
    merged = sorted(
        [*kept, *results],
        key=lambda found: (
            TARGET_NAMES.index(str(found["target"]))
            if found["target"] in TARGET_NAMES
            else len(TARGET_NAMES)
        ),
    )
    for found in results:
        found["when"] = time.strftime("%Y-%m-%d")
        found["seconds_asked"] = options.seconds
    LAST_RUN.write_text(json.dumps({"targets": merged}, indent=2) + "\n")
    return 1 if any(r["crashes"] for r in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
