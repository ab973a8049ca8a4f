"""Shared printing for the CLI: consoles, errors and the safety notice."""

from __future__ import annotations

from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from piri.content.loader import ContentError, library
from piri.services.library import InvalidChoiceError, NotFoundError

# Exit codes: 2 for a wrong input (as Typer uses for bad options), 3 for broken content,
# 4 when the latest symptom check holds the exercise sessions until a professional has looked.
EXIT_BAD_INPUT = 2
EXIT_BROKEN_CONTENT = 3
EXIT_ON_HOLD = 4


def stdout() -> Console:
    return Console(highlight=False)


def stderr() -> Console:
    return Console(stderr=True, highlight=False)


def print_not_found(error: NotFoundError) -> int:
    console = stderr()
    console.print(f"[bold red]Error:[/] {error}")
    console.print(f"The {error.kind}s are: {', '.join(error.available)}")
    return EXIT_BAD_INPUT


def print_invalid_choice(error: InvalidChoiceError) -> int:
    stderr().print(f"[bold red]Error:[/] {error}")
    return EXIT_BAD_INPUT


def print_broken_content(error: ContentError) -> int:
    message = Text("Piri's content is broken: ", style="bold red")
    message.append(str(error), style="default")
    stderr().print(message)
    return EXIT_BROKEN_CONTENT


def print_safety_notice(console: Console) -> None:
    """The 'when to see a professional' box that ends every page of advice."""
    notice = library().safety
    body = Text()
    body.append("Emergency: ", style="bold red")
    body.append(notice.emergency + "\n")
    body.append("Same day: ", style="bold yellow")
    body.append(notice.same_day + "\n")
    body.append("Within days: ", style="bold")
    body.append(notice.soon + "\n")
    body.append(
        "Piri is education, not a diagnosis. More: piri learn when-to-see-a-professional",
        style="dim",
    )
    console.print(Panel(body, title="When to see a professional", title_align="left"))
