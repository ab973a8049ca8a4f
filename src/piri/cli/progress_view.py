"""``piri progress``: trends of pain, sitting, sessions and outcome scores."""

from __future__ import annotations

import json

from rich.table import Table

from piri.cli.output import stdout
from piri.domain.trends import sparkline
from piri.services.progress import progress

TOPS = {"Worst pain (0-10)": 10.0, "Sessions done (% of planned)": 100.0}


def run_progress(output: str) -> int:
    found = progress()
    if output == "json":
        document = {
            "series": [
                {
                    "name": s.name,
                    "weeks": [w.isoformat() for w in s.weeks],
                    "values": s.values,
                }
                for s in found.series
            ],
            "scores": [
                {"day": day.isoformat(), "instrument": name, "score": score}
                for day, name, score in found.scores
            ],
            "summary": found.summary,
        }
        print(json.dumps(document, indent=2))
        return 0
    console = stdout()
    table = Table(title="Week by week", title_justify="left")
    table.add_column("Measure", style="bold")
    table.add_column("Trend")
    table.add_column("First week", justify="right")
    table.add_column("Latest", justify="right")
    for series in found.series:
        present = [v for v in series.values if v is not None]
        table.add_row(
            series.name,
            sparkline(series.values, TOPS.get(series.name)),
            f"{present[0]:g}" if present else "-",
            f"{present[-1]:g}" if present else "-",
        )
    console.print(table)
    for day, name, score in found.scores:
        console.print(f"  {day.isoformat()}  {name.upper()}: {score:g}")
    console.print()
    for line in found.summary:
        console.print(line)
    return 0
