"""``piri gait``: the gait check of a phone video, and its filming guide."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.text import Text

from piri.cli.output import EXIT_BAD_INPUT, stderr, stdout
from piri.domain.filming_guide import FILMING_GUIDE, FILMING_GUIDE_SUMMARY

if TYPE_CHECKING:
    from piri.services.gait import GaitResult

# Without the video extra the check cannot run at all: not a wrong input, a missing part.
EXIT_EXTRA_MISSING = 1


def print_guide(output: str) -> int:
    from piri.services.gait import filming_guide_as_json

    if output == "json":
        print(json.dumps(filming_guide_as_json(), indent=2, ensure_ascii=False))
        return 0
    console = stdout()
    _print_guide(console)
    return 0


def _print_guide(console: Console) -> None:
    console.print("[bold]How to film for the gait check[/]")
    for number, step in enumerate(FILMING_GUIDE, start=1):
        cited = "; ".join(source.title for source in step.sources) or "Piri's own rule"
        console.print(f"  {number}. {escape(step.text)}")
        console.print(f"     [dim]Source: {escape(cited)}[/]")
    console.print()


def run_gait(
    video: Path, *, view: str | None, output: str, frames: Path | None, fps: float | None
) -> int:
    from piri.services.gait import (
        GaitExtraMissingError,
        GaitInputError,
        check_gait,
        result_as_json,
    )

    try:
        result = check_gait(video, view=view, fps=fps, frames_dir=frames)
    except GaitExtraMissingError as error:
        stderr().print(f"[bold red]Error:[/] {escape(str(error))}")
        return EXIT_EXTRA_MISSING
    except GaitInputError as error:
        stderr().print(f"[bold red]Error:[/] {escape(str(error))}")
        return EXIT_BAD_INPUT
    code = EXIT_BAD_INPUT if result.refused else 0
    if output == "json":
        print(json.dumps(result_as_json(result), indent=2, ensure_ascii=False))
        return code
    _print_result(stdout(), result)
    return code


def _print_result(console: Console, result: GaitResult) -> None:
    from piri.services.gait import exercise_name

    report = result.report
    if report.film_again:
        console.print(f"[bold red]Please film again.[/] {FILMING_GUIDE_SUMMARY}", soft_wrap=True)
        console.print(f"[bold]{escape(str(result.path))}[/]: Piri cannot measure this clip:")
        for reason in report.reasons:
            console.print(f"  • {escape(reason)}")
        console.print("The whole guide: piri gait --guide")
        console.print()
    video = result.video
    chosen = {
        "given": "as you said",
        "detected": "detected from the clip",
        "unclear": "could not be detected; side tried",
    }[result.view_source]
    console.rule(f"[bold]Gait check: {result.view.value} view ({chosen})")
    console.print(
        f"{escape(result.path.name)}: {video.width}×{video.height}, {video.fps:.0f} frames a second"
        + (" (slow motion)" if video.slow_motion else "")
        + (f", {video.duration_s:.1f} s" if video.duration_s is not None else "")
        + f", a person in {result.frames_with_person:.0%} of the frames."
    )
    console.print()
    if report.warnings:
        console.print("[bold yellow]What limits this clip[/]")
        for warning in report.warnings:
            console.print(f"  • {escape(warning)}")
        console.print()
    for figure in report.figures:
        digits = 2 if figure.unit == "leg lengths" else 1
        unit = figure.unit if figure.unit == "°" else f" {figure.unit}"
        console.print(
            f"[bold]{escape(figure.label)}:[/] {figure.value:.{digits}f} ± "
            f"{figure.uncertainty:.{digits}f}{unit}"
        )
        console.print(f"  {escape(figure.says)}")
        if figure.typical is not None:
            low = "" if figure.typical.low is None else f"{figure.typical.low:g}"
            high = "" if figure.typical.high is None else f"{figure.typical.high:g}"
            span = (
                f"{low} to {high}" if low and high else f"under {high}" if high else f"over {low}"
            )
            console.print(
                f"  [dim]Typical: {span} {figure.typical.unit}. {escape(figure.typical.note)}[/]"
            )
            _print_sources(console, [s.title for s in figure.typical.sources])
        if figure.evidence is not None and figure.evidence.text not in figure.says:
            console.print(f"  [dim]{escape(figure.evidence.text)}[/]")
            _print_sources(console, [s.title for s in figure.evidence.sources])
        console.print()
    if report.advice:
        console.print("[bold]What you could try[/]")
        for advice in report.advice:
            console.print(f"  • {escape(advice.text)}")
            if advice.metronome_bpm:
                slow, fast = advice.metronome_bpm
                console.print(f"    Metronome: {slow} beats a minute, later up to {fast}.")
            if advice.exercise_ids:
                names = ", ".join(
                    f"{exercise_name(i)} (piri exercise show {i})" for i in advice.exercise_ids
                )
                console.print(f"    Exercises: {escape(names)}")
            _print_sources(console, [s.title for s in advice.sources], indent="    ")
        console.print()
    if result.key_frames:
        console.print(f"[bold]Key frames written ({len(result.key_frames)}):[/]")
        for frame in result.key_frames:
            console.print(f"  {escape(str(frame.path))}  {escape(frame.label)}")
        console.print()
    for missing in result.key_frames_missing:
        console.print(f"[dim]{escape(missing)}[/]")
    body = Text(report.see_a_professional + "\n")
    body.append(f"More: piri learn {report.see_a_professional_page}", style="dim")
    console.print(Panel(body, title="When to see a professional", title_align="left"))


def _print_sources(console: Console, titles: list[str], indent: str = "  ") -> None:
    if titles:
        console.print(f"{indent}[dim]Sources: {escape('; '.join(titles))}[/]")


def run_worker(once: bool) -> int:
    from piri.services.gait_worker import run_until_idle

    console = stderr()
    console.print(
        "Analysing uploaded gait clips" + (" that wait now." if once else "; Ctrl-C stops.")
    )
    try:
        done = run_until_idle(idle_seconds=0 if once else float("inf"))
    except KeyboardInterrupt:
        return 0
    console.print(f"Analysed {done} clip{'' if done == 1 else 's'}.")
    return 0
