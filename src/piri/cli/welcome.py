"""What ``piri`` prints when run with no command: where to start."""

from __future__ import annotations

from piri import __version__
from piri.cli.output import print_safety_notice, stdout
from piri.content.loader import DATA_DIR, library
from piri.settings import HOME_VARIABLE, data_dir


def print_welcome() -> None:
    console = stdout()
    console.print(f"[bold]Piri {__version__}[/]: help for runners with a pain in the buttock.\n")
    console.print("Start here:")
    console.print("  piri learn                  what is going on and what to do about it")
    console.print("  piri exercises              the exercise library")
    console.print("  piri exercise show clamshell   one exercise, step by step")
    console.print("  piri session relief         a guided, timed session (also: strength, article)")
    console.print("  piri --help                 every command and option\n")
    print_safety_notice(console)


def print_info() -> int:
    console = stdout()
    content = library()
    console.print(f"Piri {__version__}")
    console.print(f"Data directory: {data_dir()}  (set {HOME_VARIABLE} to change it)")
    console.print(f"Content: {DATA_DIR}")
    console.print(
        f"  {len(content.sections)} knowledge-base sections, {len(content.exercises)} exercises, "
        f"{len(content.routines)} routines"
    )
    return 0
