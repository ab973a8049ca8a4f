"""Write the command-line reference (docs/cli.md) from ``piri --help`` and every command's help.

Walks the Click command tree behind the Typer app ``piri.cli.app:app`` and prints each
command's help as ``piri COMMAND --help`` shows it at a 100-column terminal, colours stripped,
so that the file only changes when a command, an option or a help text does.

Run: .venv/bin/python scripts/cli_reference.py docs/cli.md   (no argument: print it)
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

COLUMNS = 100
# Click wraps help at the terminal's width, at most 80 columns, less 2: what a terminal of
# COLUMNS shows. (Its test runner would otherwise force 80.)
HELP_WIDTH = max(min(COLUMNS, 80) - 2, 50)
COMMAND = "python scripts/cli_reference.py docs/cli.md"
ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")


def root_command() -> Any:
    import typer

    from piri.cli.app import app

    return typer.main.get_command(app)


def commands(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """(words after ``piri``, command) for the command and every subcommand, depth first.

    Typer carries its own copy of Click, so groups are told apart by ``list_commands``.
    """
    yield path, command
    if hasattr(command, "list_commands"):
        context = command.make_context("piri", [], resilient_parsing=True)
        for name in command.list_commands(context):
            child = command.get_command(context, name)
            if child is not None and not child.hidden:
                yield from commands(child, (*path, name))


def help_text(path: tuple[str, ...]) -> str:
    """What ``piri PATH --help`` prints at a 100-column terminal, without colours."""
    from typer.testing import CliRunner

    from piri.cli.app import app

    environment = {"COLUMNS": str(COLUMNS), "NO_COLOR": "1", "TERM": "dumb", "FORCE_COLOR": None}
    result = CliRunner().invoke(
        app, [*path, "--help"], prog_name="piri", env=environment, terminal_width=HELP_WIDTH
    )
    if result.exit_code != 0:
        raise RuntimeError(f"piri {' '.join(path)} --help failed: {result.output}")
    text = ANSI.sub("", result.output)
    return "\n".join(line.rstrip() for line in text.splitlines()).strip("\n")


def markdown() -> str:
    """The whole reference, one section per command."""
    found = list(commands(root_command()))
    lines = [
        "# Piri command-line reference",
        "",
        f"Generated from `piri --help` and each command's `--help` by `{COMMAND}`;",
        "do not edit by hand. What the commands are for: [the user guide](index.md).",
        "",
        "Commands:",
        "",
    ]
    for path, command in found[1:]:
        full = " ".join(("piri", *path))
        summary = command.get_short_help_str(limit=90)
        lines.append(f"- [`{full}`](#{anchor(full)}): {summary}")
    for path, _command in found:
        full = " ".join(("piri", *path))
        lines += ["", f"## `{full}`", "", "```text", help_text(path), "```"]
    lines += [
        "",
        "## When to see a professional",
        "",
        "Piri is education, not a diagnosis. Numbness between the legs, new trouble with the",
        "bladder or bowel, or weakness in both legs needs an emergency department now; the",
        "[guide](index.md#when-to-see-a-professional) lists the other warning signs.",
    ]
    return "\n".join(lines) + "\n"


def anchor(heading: str) -> str:
    """The id GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def main(argv: list[str]) -> int:
    text = markdown()
    if argv:
        Path(argv[0]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
