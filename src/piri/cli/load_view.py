"""``piri load``: the weekly load table, the warning flags, and how the pain followed the load."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from rich.table import Table

from piri.cli.output import stdout
from piri.domain.load import ACWR_CRITICISM, SPIKE_BAND_LABELS, TEN_PERCENT_RULE_NOTE
from piri.domain.pain_load import flare_text
from piri.services.load import LoadView, load_and_pain


def run_load(weeks: int, output: str) -> int:
    view = load_and_pain()
    if output == "json":
        print(json.dumps(load_as_json(view, weeks), indent=2, default=str))
        return 0
    console = stdout()
    if not view.load.runs:
        console.print("No runs yet. Import your activities with: piri import PATH")
        return 0
    table = Table(title=f"The last {weeks} weeks", title_justify="left")
    for column in ("Week of", "Runs", "km", "Longest", "Change", "Speed", "Spikes", "Monotony"):
        table.add_column(column, justify="left" if column == "Week of" else "right")
    for week in view.load.weeks[-weeks:]:
        change = f"{week.change_pct:+.0f}%" if week.change_pct is not None else "-"
        if week.over_ten_percent:
            change = f"[yellow]{change}[/]"
        mono = week.distance_monotony.monotony
        table.add_row(
            week.monday.isoformat() + ("" if week.complete else " (so far)"),
            str(week.runs),
            f"{week.distance_m / 1000:.1f}",
            f"{week.longest_m / 1000:.1f}",
            change,
            str(week.speed_sessions) + (" [yellow]![/]" if week.many_speed_sessions else ""),
            str(week.spikes),
            f"{mono:.1f}" if mono is not None else "-",
        )
    console.print(table)
    latest = view.load.latest_distance_acwr
    if latest is not None:
        if latest.ratio is not None and latest.reliable:
            ewma = f", exponentially weighted {latest.ewma_ratio:.2f}" if latest.ewma_ratio else ""
            console.print(f"Acute:chronic distance ratio today: {latest.ratio:.2f}{ewma}.")
        else:
            console.print(f"Acute:chronic ratio not shown: {latest.reason}.")
        console.print(f"[dim]{ACWR_CRITICISM}[/]")
    console.print(f"[dim]{TEN_PERCENT_RULE_NOTE}[/]")
    spikes = [r for r in view.load.runs[-20:] if r.spike and r.spike.band]
    if spikes:
        console.print("\n[bold]Recent long-run spikes[/]")
        for run in spikes[-5:]:
            assert run.spike is not None and run.spike.band is not None
            console.print(f"  {run.day}: {SPIKE_BAND_LABELS[run.spike.band]}")
    console.print("\n[bold]Pain and load[/]")
    for flare in view.pain.flares[-5:]:
        console.print(f"  {flare_text(flare)}")
    for line in view.pain.findings:
        console.print(line)
    for advice in view.pain.advice:
        console.print(f"  - {advice.text}")
    return 0


def load_as_json(view: LoadView, weeks: int) -> dict[str, Any]:
    load = view.load
    latest = load.latest_distance_acwr
    return {
        "weeks": [_week(w) for w in load.weeks[-weeks:]],
        "acwr": asdict(latest) if latest else None,
        "acwr_criticism": ACWR_CRITICISM,
        "ten_percent_rule": TEN_PERCENT_RULE_NOTE,
        "spikes": [
            {"day": r.day, "band": r.spike.band, "excess_pct": r.spike.excess_pct}
            for r in load.runs
            if r.spike is not None and r.spike.band is not None
        ],
        "flares": [flare_text(f) for f in view.pain.flares],
        "enough_data": view.pain.enough_data,
        "findings": view.pain.findings,
        "advice": [a.text for a in view.pain.advice],
    }


def _week(week: Any) -> dict[str, Any]:
    document = asdict(week)
    document.pop("distance_monotony", None)
    document.pop("srpe_monotony", None)
    document["monotony"] = week.distance_monotony.monotony
    document["strain"] = week.distance_monotony.strain
    return document
