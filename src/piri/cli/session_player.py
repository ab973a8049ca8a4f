"""``piri session ROUTINE``: a guided, timed session in the terminal.

The plan (which steps, how long) comes from the service layer; this module
only keeps time, reads keys and tells the display what is happening.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from rich.console import Console
from rich.table import Table

from piri.cli.keys import KeyReader, key_reader
from piri.cli.output import print_invalid_choice, print_not_found, stdout
from piri.cli.session_display import LiveDisplay, PlainDisplay, SessionDisplay
from piri.domain.session import SessionLog, SessionPlan, SessionSummary, StepOutcome
from piri.services.library import InvalidChoiceError, NotFoundError, get_routine, list_routines
from piri.services.sessions import plan_routine

# How often the countdown is redrawn and keys are looked at.
TICK_SECONDS = 0.1
# A timer this close to zero is finished (floating-point sums never land on 0 exactly).
DONE_WITHIN_SECONDS = 0.001
EXIT_INTERRUPTED = 130  # the shell's convention for Ctrl-C


class Action(Enum):
    PAUSE = "pause"
    SKIP_STEP = "skip step"
    NEXT_EXERCISE = "next exercise"
    QUIT = "quit"


KEY_ACTIONS = {
    "p": Action.PAUSE,
    " ": Action.PAUSE,
    "s": Action.SKIP_STEP,
    "n": Action.NEXT_EXERCISE,
    "q": Action.QUIT,
}


@dataclass
class Player:
    """Walks through a plan's steps, one timer each, and logs what happened.

    ``pace`` scales every timer (0.5 runs twice as fast, 0 runs instantly).
    ``clock`` is injectable so tests can run a session in simulated time.
    """

    display: SessionDisplay
    keys: KeyReader
    pace: float = 1.0
    clock: Callable[[], float] = time.monotonic
    interrupted: bool = field(default=False, init=False)

    def play(self, plan: SessionPlan) -> SessionLog:
        log = SessionLog(plan)
        number = 0
        current_exercise = -1
        try:
            while number < len(plan.steps):
                step = plan.steps[number]
                if step.exercise_index != current_exercise:
                    current_exercise = step.exercise_index
                    self.display.start_exercise(plan, current_exercise)
                outcome, spent, action = self._run_step(plan, number)
                log.record(number, outcome, spent)
                self.display.end_step(plan, number, outcome)
                if action is Action.QUIT:
                    log.stopped_at = number
                    break
                number += 1
                if action is Action.NEXT_EXERCISE:
                    while (
                        number < len(plan.steps)
                        and plan.steps[number].exercise_index == current_exercise
                    ):
                        log.record(number, StepOutcome.SKIPPED, 0.0)
                        number += 1
        except KeyboardInterrupt:
            self.interrupted = True
            log.stopped_at = number
        return log

    def _run_step(self, plan: SessionPlan, number: int) -> tuple[StepOutcome, float, Action | None]:
        """Count one step down; return how it ended, the time spent on it, and any action."""
        duration = plan.steps[number].seconds * self.pace
        remaining = duration
        spent = 0.0
        paused = False
        self.display.start_step(plan, number, duration)
        last = self.clock()
        while remaining > DONE_WITHIN_SECONDS:
            key = self.keys.read(TICK_SECONDS if paused else min(TICK_SECONDS, remaining))
            now = self.clock()
            if not paused:
                passed = min(now - last, remaining)
                remaining -= passed
                spent += passed
            last = now
            action = KEY_ACTIONS.get(key or "")
            if action is Action.PAUSE:
                paused = not paused
            elif action is not None:
                return StepOutcome.SKIPPED, spent, action
            self.display.tick(plan, number, remaining, duration, paused)
        return StepOutcome.DONE, spent, None


def run_session_command(routine_id: str | None, *, pace: float, side: str | None) -> int:
    from piri.services.program import exercise_on_hold

    hold = exercise_on_hold()
    if hold is not None:  # before anything else, as on the web: every session waits
        from piri.cli.check import print_hold

        return print_hold(hold)
    if routine_id is None:
        print_routines(stdout())
        return 0
    try:
        routine = get_routine(routine_id)
        plan = plan_routine(routine_id, painful_side=side)
    except NotFoundError as error:
        return print_not_found(error)
    except InvalidChoiceError as error:
        return print_invalid_choice(error)
    _summary, interrupted = play_in_terminal(plan, routine.before_you_start, pace)
    return EXIT_INTERRUPTED if interrupted else 0


def play_in_terminal(
    plan: SessionPlan, before_you_start: str, pace: float
) -> tuple[SessionSummary, bool]:
    """Run ``plan`` with the live display in a terminal, plain lines otherwise.

    Returns the summary and whether the runner pressed Ctrl-C.
    """
    console = stdout()
    with key_reader() as keys:
        interactive = sys.stdin.isatty()
        display: SessionDisplay = (
            LiveDisplay(console, keys=interactive, pace=pace)
            if console.is_terminal
            else PlainDisplay(console, keys=interactive)
        )
        player = Player(display=display, keys=keys, pace=pace)
        display.begin(plan, before_you_start)
        summary = player.play(plan).summary()
        display.finish(summary)
    return summary, player.interrupted


def print_routines(console: Console) -> None:
    table = Table(title="Guided sessions", title_justify="left")
    table.add_column("Routine", style="bold", no_wrap=True)
    table.add_column("What it is")
    table.add_column("Exercises", justify="right")
    for routine in list_routines():
        table.add_row(routine.id, f"{routine.name}: {routine.description}", str(len(routine.items)))
    console.print(table)
    console.print("Start one with: piri session ROUTINE [--side left|right] [--pace 0.5]")
