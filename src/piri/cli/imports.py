"""``piri import`` and ``piri runs``."""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from piri.cli.output import stdout
from piri.domain.activity import Activity
from piri.services.imports import (
    DUPLICATE,
    FAILED,
    IMPORTED,
    SKIPPED,
    ImportReport,
    import_paths,
    runs,
)

MB = 1024 * 1024


def run_import(paths: list[Path], output: str) -> int:
    console = stdout()
    started = time.monotonic()
    if output == "json" or not console.is_terminal:
        report = import_paths(paths)
    else:
        with Progress(
            TextColumn("[bold]Importing"),
            BarColumn(),
            TextColumn("{task.fields[status]}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as bar:
            task = bar.add_task("import", total=None, status="")

            def show(report: ImportReport) -> None:
                seconds = max(time.monotonic() - started, 1e-6)
                bar.update(
                    task,
                    status=f"{len(report.files)} files · {report.imported} activities · "
                    f"{report.bytes_read / MB / seconds:.1f} MB/s",
                )

            report = import_paths(paths, on_progress=show)
    seconds = time.monotonic() - started
    if output == "json":
        document = {
            "imported": report.imported,
            "duplicates": report.duplicates,
            "files": [asdict(f) for f in report.files],
            "seconds": round(seconds, 2),
        }
        print(json.dumps(document, indent=2))
        return 0
    _print_summary(report, seconds)
    return 0


def _print_summary(report: ImportReport, seconds: float) -> None:
    console = stdout()
    console.print(
        f"[bold]{report.imported}[/] activities imported, {report.duplicates} already there, "
        f"from {len(report.files)} files in {seconds:.1f} s "
        f"({report.bytes_read / MB / max(seconds, 1e-6):.1f} MB/s)."
    )
    for outcome, title in ((SKIPPED, "Skipped"), (FAILED, "Failed")):
        problems = [f for f in report.files if f.outcome == outcome]
        if problems:
            console.print(f"\n[bold]{title} ({len(problems)})[/]")
            for item in problems[:50]:
                console.print(f"  {item.origin}: {item.detail}")
            if len(problems) > 50:
                console.print(f"  ... and {len(problems) - 50} more (see --format json)")
    if report.count(IMPORTED) == 0 and report.count(DUPLICATE) == 0:
        console.print("\nNo activities found. Piri reads .fit, .gpx and .tcx files (also .gz),")
        console.print("folders, Strava bulk exports and Garmin account exports (ZIP).")


def run_runs(since: dt.date | None, output: str) -> int:
    found = runs(since=since)
    if output == "json":
        print(json.dumps([activity_as_json(a) for a in found], indent=2))
        return 0
    console = stdout()
    table = Table(title=f"Activities ({len(found)})", title_justify="left")
    for column in ("Date", "Sport", "Distance", "Time", "Pace", "HR", "Cadence", "Laps"):
        table.add_column(column, justify="right" if column not in ("Date", "Sport") else "left")
    for activity in found:
        when = activity.local_start or activity.start
        table.add_row(
            when.strftime("%Y-%m-%d %H:%M"),
            activity.sport_label,
            f"{activity.distance_m / 1000:.2f} km" if activity.distance_m else "-",
            _clock(activity.moving_seconds or activity.elapsed_seconds),
            _pace(activity.pace_s_per_km) if activity.is_run else "-",
            str(activity.avg_heart_rate or "-"),
            f"{activity.avg_cadence_spm:.0f}" if activity.avg_cadence_spm else "-",
            str(len(activity.laps)),
        )
    console.print(table)
    return 0


def activity_as_json(activity: Activity) -> dict[str, Any]:
    document = asdict(activity)
    document["start"] = activity.start.isoformat()
    local = activity.local_start
    document["local_start"] = local.isoformat() if local else None
    for lap in document["laps"]:
        lap["start"] = lap["start"].isoformat()
    document["pace_s_per_km"] = activity.pace_s_per_km
    return document


def _clock(seconds: float) -> str:
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def _pace(seconds_per_km: float | None) -> str:
    if not seconds_per_km:
        return "-"
    whole = round(seconds_per_km)
    return f"{whole // 60}:{whole % 60:02d}/km"
