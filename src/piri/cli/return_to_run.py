"""``piri run-plan``: the walk-run plan back to running, a run and how it went, the next morning."""

from __future__ import annotations

import datetime as dt
import json

from rich.console import Console
from rich.table import Table

from piri.cli.output import EXIT_BAD_INPUT, print_safety_notice, stderr, stdout
from piri.domain.return_to_run import SESSIONS_PER_STEP, step_instructions
from piri.services.program import check_reminder_for
from piri.services.return_to_run import (
    NothingWaitingError,
    NotReadyError,
    ReturnToRunError,
    RunPlanView,
    add_next_morning,
    judged_as_json,
    log_run,
    run_plan,
    verdict_label,
    view_as_json,
)

VERDICT_STYLE = {
    "counts": "green",
    "repeat": "yellow",
    "step_back": "red",
    "waiting": "cyan",
}


def run_status(output: str, today: dt.date | None = None) -> int:
    view = run_plan(today=today)
    if output == "json":
        print(json.dumps(view_as_json(view), indent=2))
        return 0
    console = stdout()
    reminder = check_reminder_for()
    if reminder is not None and (reminder.holds_exercise or reminder.stops_running):
        from piri.cli.check import print_check_reminder

        print_check_reminder(console, reminder)
    console.rule("[bold]Back to running: the walk-run plan[/]")
    if view.paused:
        console.print(f"[bold yellow]{view.paused}[/]\n")
    if not view.started:
        _print_criteria(console, view)
    if view.step is not None:
        _print_step(console, view)
    elif view.build is not None:
        _print_build(console, view)
    _print_rules(console, view)
    _print_history(console, view)
    console.print()
    print_safety_notice(console)
    return 0


def _print_criteria(console: Console, view: RunPlanView) -> None:
    console.print("[bold]Before the first run[/]")
    for criterion in view.criteria:
        mark = "[green]✓[/]" if criterion.met else "[red]✗[/]"
        console.print(f"  {mark} {criterion.name}: {criterion.detail}")
    if view.ready:
        console.print("[green]All met: you can start with the first step.[/]\n")
    else:
        console.print(
            "[yellow]Not yet: keep up the program; the plan starts when every one is met.[/]\n"
        )


def _print_step(console: Console, view: RunPlanView) -> None:
    step = view.step
    assert step is not None
    total = len(view.plan.steps)
    done = view.state.sessions_at_step
    if view.started:
        console.print(
            f"[bold]Step {view.step_number} of {total}[/] ({done} of "
            f"{SESSIONS_PER_STEP} runs within the rules so far)"
        )
    else:
        console.print(f"[bold]The first of {total} steps[/]")
    for line in step_instructions(step):
        console.print(f"  - {line}")
    if view.next_days and view.can_log and view.paused is None:
        days = ", ".join(f"{d:%a %d %b}" for d in view.next_days[:3])
        console.print(f"Next run days: {days} (never two days in a row).")
    offer = view.imported_offer
    if offer is not None:
        console.print(
            f"[cyan]Your watch run of {offer.day:%a %d %b} ({offer.minutes:.0f} min) looks like "
            f"this step. Add how it felt: piri run-plan log --date {offer.day} "
            "--pain-during N --pain-after N --activity auto[/]"
        )
    waiting = view.state.waiting
    if waiting is not None:
        console.print(
            f"[cyan]The run of {waiting.report.day:%a %d %b} waits for the next morning's "
            "pain: piri run-plan morning N[/]"
        )
    console.print()


def _print_build(console: Console, view: RunPlanView) -> None:
    build = view.build
    assert build is not None
    console.print("[bold]The walk-run plan is done: the build back to your usual running[/]")
    console.print(build.purpose)
    if build.usual_minutes is None:
        console.print(
            "[dim]Piri has no runs from before the plan, so it does not know your usual week: "
            "import your watch history (piri import) to set where the build ends.[/]"
        )
    table = Table(title="The weeks ahead", title_justify="left")
    table.add_column("Week", justify="right")
    table.add_column("From")
    table.add_column("Minutes", justify="right")
    table.add_column("Longest run", justify="right")
    for week in build.weeks[:8]:
        mark = " (lighter)" if week.lighter else ""
        here = " ←" if build.this_week is not None and week.number == build.this_week.number else ""
        table.add_row(
            f"{week.number}{here}",
            f"{week.start:%d %b}",
            f"{week.target_minutes}{mark}",
            f"{week.longest_run_minutes} min",
        )
    console.print(table)
    if build.this_week is not None:
        console.print(
            f"This week so far: {build.minutes_this_week:.0f} of "
            f"{build.this_week.target_minutes} minutes."
        )
    if build.back_to_usual:
        console.print("[green]You are back to your usual weekly running.[/]")
    for flag in view.long_run_flags[-3:]:
        console.print(f"[yellow]{flag.message}[/]")
    console.print()


def _print_rules(console: Console, view: RunPlanView) -> None:
    console.print("[bold]After each run[/]")
    for rule in view.rules:
        console.print(f"  - {rule}")


def _print_history(console: Console, view: RunPlanView) -> None:
    runs = view.state.history[-6:]
    if not runs:
        return
    table = Table(title="Your last runs", title_justify="left", show_lines=True)
    table.add_column("Date")
    table.add_column("Step", justify="right")
    table.add_column("Pain during / after / next morning")
    table.add_column("Verdict")
    for run in runs:
        report = run.report
        morning = "-" if report.next_morning is None else str(report.next_morning)
        style = VERDICT_STYLE[run.verdict.value]
        step = "build" if run.build else str(run.step_index + 1)
        table.add_row(
            f"{report.day:%a %d %b}",
            step,
            f"{report.pain_during} / {report.pain_after} / {morning}",
            f"[{style}]{verdict_label(run.verdict)}[/]\n{run.reason}",
        )
    console.print(table)


def run_log(
    day: dt.date | None,
    pain_during: int,
    pain_after: int,
    built: bool,
    limp: bool,
    cut_short: bool,
    next_morning: int | None,
    usual: int | None,
    activity: str | None,
    notes: str,
    output: str,
) -> int:
    when = day or dt.date.today()
    try:
        judged = log_run(
            when,
            pain_during,
            pain_after,
            pain_built=built,
            limp=limp,
            finished=not cut_short,
            next_morning=next_morning,
            usual_morning=usual,
            activity=activity,
            notes=notes,
        )
    except (ReturnToRunError, NotReadyError) as error:
        stderr().print(f"[bold red]Error:[/] {error}")
        return EXIT_BAD_INPUT
    view = run_plan()
    if output == "json":
        print(json.dumps(judged_as_json(judged, view.plan), indent=2))
        return 0
    console = stdout()
    style = VERDICT_STYLE[judged.verdict.value]
    console.print(f"Kept your run of {when:%A %d %B}.")
    console.print(f"[{style}]{judged.reason}[/]")
    if judged.verdict.value == "waiting":
        console.print("Tomorrow morning: piri run-plan morning N (your pain on waking, 0-10).")
    return 0


def run_morning(pain: int, usual: int | None, output: str) -> int:
    try:
        judged = add_next_morning(pain, usual)
    except (ReturnToRunError, NothingWaitingError) as error:
        stderr().print(f"[bold red]Error:[/] {error}")
        return EXIT_BAD_INPUT
    if output == "json":
        print(json.dumps(judged_as_json(judged, run_plan().plan), indent=2))
        return 0
    style = VERDICT_STYLE[judged.verdict.value]
    stdout().print(f"[{style}]{judged.reason}[/]")
    return 0
