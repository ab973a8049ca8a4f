"""How a guided session looks in the terminal.

:class:`LiveDisplay` redraws one panel with a countdown bar while a terminal is
watching; :class:`PlainDisplay` prints a line per step, for pipes and logs.
Both only show what the player tells them; neither keeps time.
"""

from __future__ import annotations

import math
from typing import Protocol

from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.panel import Panel
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from piri.cli.output import print_safety_notice
from piri.domain.session import (
    ExerciseStatus,
    SessionPlan,
    SessionStep,
    SessionSummary,
    StepKind,
    StepOutcome,
)

KEYS_HELP = "p or space: pause · s: skip this step · n: next exercise · q: quit"


class SessionDisplay(Protocol):
    def begin(self, plan: SessionPlan, before_you_start: str) -> None: ...
    def start_exercise(self, plan: SessionPlan, index: int) -> None: ...
    def start_step(self, plan: SessionPlan, number: int, duration: float) -> None: ...
    def tick(
        self, plan: SessionPlan, number: int, remaining: float, duration: float, paused: bool
    ) -> None: ...
    def end_step(self, plan: SessionPlan, number: int, outcome: StepOutcome) -> None: ...
    def finish(self, summary: SessionSummary) -> None: ...


def clock_text(seconds: float) -> str:
    """'0:07', '1:30', '12:00' (rounded up, so a countdown shows 0:00 only at the end)."""
    whole = max(0, math.ceil(seconds - 1e-9))
    return f"{whole // 60}:{whole % 60:02d}"


def minutes_text(seconds: float) -> str:
    minutes = round(seconds / 60)
    return "under a minute" if minutes < 1 else f"about {minutes} min"


def step_label(step: SessionStep) -> str:
    """What kind of moment this is: 'Set 2 of 3 · left side', 'Rest', 'Get ready'."""
    if step.kind is StepKind.GET_READY:
        return "Get ready"
    if step.kind is StepKind.REST:
        return "Rest"
    if step.kind is StepKind.SWITCH_SIDES:
        return "Switch sides"
    if step.kind is StepKind.RELAX:
        return "Relax"
    parts = [f"Set {step.set_number} of {step.sets}"]
    if step.side:
        parts.append(f"{step.side} side")
    if step.kind is StepKind.HOLD:
        parts.append(f"hold {step.rep_number} of {step.reps}")
    return " · ".join(parts)


def rep_now(step: SessionStep, duration: float, remaining: float) -> int | None:
    """Which rep of a counted set is under way, from how much of the set has passed."""
    if step.kind is not StepKind.REPS or step.reps is None:
        return None
    if duration <= 0:
        return step.reps
    done_fraction = (duration - remaining) / duration
    return min(step.reps, int(done_fraction * step.reps) + 1)


def _begin_lines(console: Console, plan: SessionPlan, before_you_start: str, keys: bool) -> None:
    console.rule(f"[bold]{plan.routine_name}")
    count = len(plan.exercises)
    side = f" · painful side: {plan.painful_side}" if plan.painful_side else ""
    console.print(
        f"{count} exercise{'s' if count != 1 else ''}, "
        f"{minutes_text(plan.total_seconds)} at normal pace{side}."
    )
    console.print(f"[bold]Before you start:[/] {before_you_start}")
    if keys:
        console.print(f"[dim]Keys: {KEYS_HELP}[/]")
    console.print()


def _summary_table(summary: SessionSummary) -> Table:
    table = Table(title="Session summary", title_justify="left")
    table.add_column("Exercise")
    table.add_column("Status")
    table.add_column("Sets done", justify="right")
    table.add_column("Active time", justify="right")
    for item in summary.exercises:
        style = {ExerciseStatus.DONE: "green", ExerciseStatus.PARTLY_DONE: "yellow"}.get(
            item.status, "dim"
        )
        table.add_row(
            item.name,
            Text(str(item.status), style=style),
            f"{item.work_done} of {item.work_planned}",
            clock_text(item.active_seconds),
        )
    return table


def _finish_lines(console: Console, summary: SessionSummary) -> None:
    console.print()
    console.print(_summary_table(summary))
    total = len(summary.exercises)
    ending = "Session complete" if summary.finished else "Session stopped early"
    console.print(
        f"{ending}: {summary.done_count} of {total} exercises done in "
        f"{clock_text(summary.elapsed_seconds)}."
    )
    console.print(
        "Tomorrow morning, notice whether the pain is worse than usual: if it is, do less "
        "next time.\n"
    )
    print_safety_notice(console)


class PlainDisplay:
    """A line per step: for output that is not a terminal."""

    def __init__(self, console: Console, keys: bool) -> None:
        self.console = console
        self.keys = keys
        self._paused = False

    def begin(self, plan: SessionPlan, before_you_start: str) -> None:
        _begin_lines(self.console, plan, before_you_start, self.keys)

    def start_exercise(self, plan: SessionPlan, index: int) -> None:
        planned = plan.exercises[index]
        exercise = planned.exercise
        self.console.print(f"[bold][{index + 1}/{len(plan.exercises)}] {exercise.name}[/]")
        self.console.print(f"  Dose: {planned.dose.describe()}")
        for number, text in enumerate(exercise.steps, start=1):
            self.console.print(f"    {number}. {text}")

    def start_step(self, plan: SessionPlan, number: int, duration: float) -> None:
        step = plan.steps[number]
        self._paused = False
        self.console.print(f"  {step_label(step)}: {step.text}")

    def tick(
        self, plan: SessionPlan, number: int, remaining: float, duration: float, paused: bool
    ) -> None:
        if paused != self._paused:
            self._paused = paused
            self.console.print("  Paused: press p or space to go on." if paused else "  Going on.")

    def end_step(self, plan: SessionPlan, number: int, outcome: StepOutcome) -> None:
        if outcome is StepOutcome.SKIPPED:
            self.console.print("    (skipped)")

    def finish(self, summary: SessionSummary) -> None:
        _finish_lines(self.console, summary)


class LiveDisplay:
    """One panel, redrawn every tick, with a countdown bar: for a terminal."""

    def __init__(self, console: Console, keys: bool, pace: float) -> None:
        self.console = console
        self.keys = keys
        self.pace = pace
        self.live = Live(console=console, auto_refresh=False, transient=True)

    def begin(self, plan: SessionPlan, before_you_start: str) -> None:
        _begin_lines(self.console, plan, before_you_start, self.keys)
        self.live.start()

    def start_exercise(self, plan: SessionPlan, index: int) -> None:
        pass  # the panel shows the exercise; a line is printed when it ends

    def start_step(self, plan: SessionPlan, number: int, duration: float) -> None:
        self.tick(plan, number, duration, duration, paused=False)

    def tick(
        self, plan: SessionPlan, number: int, remaining: float, duration: float, paused: bool
    ) -> None:
        self.live.update(self._panel(plan, number, remaining, duration, paused), refresh=True)

    def end_step(self, plan: SessionPlan, number: int, outcome: StepOutcome) -> None:
        step = plan.steps[number]
        if outcome is StepOutcome.SKIPPED:
            self.console.print(f"- {step.exercise_name}: {step_label(step)} skipped")
            return
        if step.kind.is_work:
            self.console.bell()
        next_step = plan.steps[number + 1] if number + 1 < len(plan.steps) else None
        if next_step is None or next_step.exercise_index != step.exercise_index:
            self.console.print(f"✓ {step.exercise_name}")

    def finish(self, summary: SessionSummary) -> None:
        self.live.stop()
        _finish_lines(self.console, summary)

    def _panel(
        self, plan: SessionPlan, number: int, remaining: float, duration: float, paused: bool
    ) -> Panel:
        step = plan.steps[number]
        planned = plan.exercises[step.exercise_index]
        parts: list[RenderableType] = [
            Text(step_label(step), style="bold cyan"),
            Text(step.text),
        ]
        if step.kind is StepKind.GET_READY:
            steps = Text()
            for index, text in enumerate(planned.exercise.steps, start=1):
                steps.append(f"{index}. {text}\n")
            parts.append(steps)
        elif step.kind.is_work and planned.exercise.cues:
            parts.append(Text(f"Cue: {planned.exercise.cues[0]}", style="italic"))
        rep = rep_now(step, duration, remaining)
        if rep is not None:
            parts.append(Text(f"Rep {rep} of {step.reps}", style="bold"))
        bar = Table.grid(padding=(0, 1))
        bar.add_row(
            ProgressBar(total=max(duration, 1e-9), completed=duration - remaining, width=40),
            Text(f"{clock_text(remaining)} left", style="bold"),
        )
        parts.append(bar)
        left = remaining + self.pace * sum(s.seconds for s in plan.steps[number + 1 :])
        parts.append(
            Text(f"Step {number + 1} of {len(plan.steps)} · {minutes_text(left)} left", "dim")
        )
        if paused:
            parts.append(Text("PAUSED: press p or space to go on", style="bold yellow"))
        elif self.keys:
            parts.append(Text(KEYS_HELP, style="dim"))
        title = f"[{step.exercise_index + 1}/{len(plan.exercises)}] {step.exercise_name}"
        return Panel(Group(*parts), title=title, title_align="left")
