"""``piri score lefs|psfs``: outcome questionnaires, asked or given as options."""

from __future__ import annotations

import json
import sys

from piri.cli.output import EXIT_BAD_INPUT, stderr, stdout
from piri.content.loader import library
from piri.domain.outcomes import LEFS_MCID, PSFS_MID_SMALL, ScoreError
from piri.domain.values import whole_number
from piri.services.scores import INSTRUMENTS, Scored, parse_psfs_activity, record_lefs, record_psfs

EXIT_STOPPED = 130


def run_score(instrument: str, answers: str | None, activities: list[str], output: str) -> int:
    if instrument not in INSTRUMENTS:
        return _error(f"'{instrument}' is not a questionnaire Piri scores; use lefs or psfs")
    try:
        if instrument == "lefs":
            items = _lefs_items(answers)
            if items is None:
                return EXIT_STOPPED
            scored = record_lefs(items)
        else:
            parsed = [parse_psfs_activity(a) for a in activities] or _ask_psfs()
            if parsed is None:
                return EXIT_STOPPED
            scored = record_psfs(parsed)
    except ScoreError as error:
        return _error(error)
    _print(scored, output)
    return 0


def _error(message: object) -> int:
    stderr().print(f"[bold red]Error:[/] {message}")
    return EXIT_BAD_INPUT


def _lefs_items(answers: str | None) -> list[int] | None:
    if answers is not None:
        numbers = [whole_number(p, signed=True) for p in answers.split(",")]
        if any(n is None for n in numbers):
            raise ScoreError(
                f"LEFS answers: give 20 whole numbers 0-4 separated by commas, got '{answers}'"
            )
        return [n for n in numbers if n is not None]
    if not sys.stdin.isatty():
        raise ScoreError("give --answers with 20 numbers 0-4, or run it in a terminal to be asked")
    lefs = library().lefs
    console = stdout()
    console.print(f"[bold]{lefs.name}[/]\n{lefs.question}")
    for score, label in enumerate(lefs.answers):
        console.print(f"  {score} = {label}")
    items = []
    try:
        for number, item in enumerate(lefs.items, start=1):
            while True:
                typed = console.input(f"{number:2}. {item}: ").strip()
                if typed in {"0", "1", "2", "3", "4"}:
                    items.append(int(typed))
                    break
                console.print("[yellow]Type 0, 1, 2, 3 or 4.[/]")
    except (EOFError, KeyboardInterrupt):
        console.print("\nNothing was saved.")
        return None
    return items


def _ask_psfs() -> list[tuple[str, int]] | None:
    if not sys.stdin.isatty():
        raise ScoreError("give one to five --activity 'name=rating', or run it in a terminal")
    console = stdout()
    console.print(
        "[bold]Patient-Specific Functional Scale[/]\nName up to 5 activities you find hard "
        "because of the pain, and rate each from 0 (cannot do it) to 10 (as before). "
        "Enter an empty name to finish."
    )
    found: list[tuple[str, int]] = []
    try:
        while len(found) < 5:
            name = console.input(f"Activity {len(found) + 1}: ").strip()
            if not name:
                break
            while True:
                rating = whole_number(console.input("  Rating 0-10: "))
                if rating is not None and 0 <= rating <= 10:
                    found.append((name, rating))
                    break
                console.print("[yellow]Type a whole number from 0 to 10.[/]")
    except (EOFError, KeyboardInterrupt):
        console.print("\nNothing was saved.")
        return None
    return found


def _print(scored: Scored, output: str) -> None:
    top = "80" if scored.instrument == "lefs" else "10"
    if output == "json":
        document = {
            "instrument": scored.instrument,
            "day": scored.day.isoformat(),
            "score": scored.score,
            "previous": {"day": scored.previous[0].isoformat(), "score": scored.previous[1]}
            if scored.previous
            else None,
            "change": {
                "difference": scored.change.difference,
                "meaningful": scored.change.meaningful,
                "size": scored.change.size,
            }
            if scored.change
            else None,
        }
        print(json.dumps(document, indent=2))
        return
    console = stdout()
    console.print(
        f"{scored.instrument.upper()} score: [bold]{scored.score:g}[/] out of {top} "
        "(higher is better)."
    )
    if scored.previous is None or scored.change is None:
        console.print("This is your first one; the next will show the change.")
        return
    day, before = scored.previous
    difference = scored.change.difference
    direction = "up" if difference > 0 else "down" if difference < 0 else "no change"
    threshold = f"{LEFS_MCID} points" if scored.instrument == "lefs" else f"{PSFS_MID_SMALL} points"
    amount = f" {abs(difference):g} points" if difference else ""
    console.print(
        f"{direction.capitalize()}{amount} since {day.isoformat()} ({before:g}): "
        f"{scored.change.size} ({threshold} or more matters)."
    )
