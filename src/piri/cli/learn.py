"""``piri learn``: the knowledge base in the terminal."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from piri.cli.output import print_not_found, print_safety_notice, stdout
from piri.content.models import KnowledgeSection
from piri.services.library import NotFoundError, get_section, list_sections


def run_learn(section_id: str | None) -> int:
    console = stdout()
    if section_id is None:
        _print_contents(console, list_sections())
        return 0
    try:
        section = get_section(section_id)
    except NotFoundError as error:
        return print_not_found(error)
    _print_section(console, section)
    return 0


def _print_contents(console: Console, sections: list[KnowledgeSection]) -> None:
    table = Table(title="Piri's knowledge base", title_justify="left", show_lines=False)
    table.add_column("Section", style="bold", no_wrap=True)
    table.add_column("What it covers")
    for section in sections:
        table.add_row(section.id, f"{section.title}: {section.summary}")
    console.print(table)
    console.print("Read one with: piri learn SECTION   (for example: piri learn what-is-it)\n")
    print_safety_notice(console)


def _print_section(console: Console, section: KnowledgeSection) -> None:
    console.rule(f"[bold]{section.title}")
    console.print(f"[italic]{section.summary}[/]\n")
    for block in section.blocks:
        if block.heading:
            console.print(f"[bold]{block.heading}[/]")
        console.print(block.text)
        if block.evidence_note:
            console.print(f"[yellow]How sure we are: {block.evidence_note}[/]")
        sources = "; ".join(source.title for source in block.sources)
        console.print(f"[dim]Sources: {sources}[/]\n")
    print_safety_notice(console)
