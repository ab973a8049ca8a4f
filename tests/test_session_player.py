"""The terminal session player's timers and keys, in simulated time."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from piri.cli.session_player import Player
from piri.domain.session import (
    ExerciseStatus,
    SessionPlan,
    SessionSummary,
    StepKind,
    StepOutcome,
    plan_session,
)
from tests.test_session_plan import exercise


@dataclass
class FakeClock:
    now: float = 0.0

    def __call__(self) -> float:
        return self.now


@dataclass
class ScriptedKeys:
    """Keys pressed at given simulated times; waiting advances the clock."""

    clock: FakeClock
    presses: list[tuple[float, str]]

    def read(self, timeout: float) -> str | None:
        if self.presses and self.presses[0][0] <= self.clock.now + timeout:
            at, key = self.presses.pop(0)
            self.clock.now = max(self.clock.now, at)
            return key
        self.clock.now += timeout
        return None


@dataclass
class RecordingDisplay:
    events: list[tuple[str, int]] = field(default_factory=list)
    paused_ticks: int = 0
    durations: list[float] = field(default_factory=list)

    def begin(self, plan: SessionPlan, before_you_start: str) -> None:
        self.events.append(("begin", 0))

    def start_exercise(self, plan: SessionPlan, index: int) -> None:
        self.events.append(("exercise", index))

    def start_step(self, plan: SessionPlan, number: int, duration: float) -> None:
        self.durations.append(duration)

    def tick(
        self, plan: SessionPlan, number: int, remaining: float, duration: float, paused: bool
    ) -> None:
        self.paused_ticks += paused

    def end_step(self, plan: SessionPlan, number: int, outcome: StepOutcome) -> None:
        self.events.append((str(outcome), number))

    def finish(self, summary: SessionSummary) -> None:
        self.events.append(("finish", 0))


def two_exercise_plan() -> SessionPlan:
    return plan_session(
        "r",
        "Routine",
        [
            exercise("bridge", sets=2, reps=5, rep_seconds=2, rest_seconds=20, sides="none"),
            exercise("walk", sets=1, duration_seconds=60, sides="none"),
        ],
    )


def test_without_keys_every_step_runs_its_full_time() -> None:
    plan = two_exercise_plan()
    clock = FakeClock()
    player = Player(display=RecordingDisplay(), keys=ScriptedKeys(clock, []), clock=clock)
    log = player.play(plan)
    assert clock.now == pytest.approx(plan.total_seconds)
    summary = log.summary()
    assert summary.finished
    assert all(e.status is ExerciseStatus.DONE for e in summary.exercises)
    assert summary.elapsed_seconds == pytest.approx(plan.total_seconds)


def test_pace_scales_every_timer() -> None:
    plan = two_exercise_plan()
    clock = FakeClock()
    display = RecordingDisplay()
    Player(display=display, keys=ScriptedKeys(clock, []), pace=0.5, clock=clock).play(plan)
    assert clock.now == pytest.approx(plan.total_seconds / 2)
    assert display.durations == [step.seconds / 2 for step in plan.steps]


def test_pace_zero_runs_instantly_without_waiting_for_keys() -> None:
    plan = two_exercise_plan()

    class NoWaiting:
        def read(self, timeout: float) -> str | None:
            raise AssertionError("a pace of 0 must not wait")

    log = Player(display=RecordingDisplay(), keys=NoWaiting(), pace=0).play(plan)
    assert log.summary().done_count == 2


def test_pause_stops_the_countdown_until_pressed_again() -> None:
    plan = two_exercise_plan()
    clock = FakeClock()
    display = RecordingDisplay()
    keys = ScriptedKeys(clock, [(3.0, "p"), (33.0, " ")])  # paused for 30 s in get-ready
    log = Player(display=display, keys=keys, clock=clock).play(plan)
    assert clock.now == pytest.approx(plan.total_seconds + 30)
    assert display.paused_ticks > 0
    # Paused time is not counted as time spent.
    assert log.summary().elapsed_seconds == pytest.approx(plan.total_seconds)


def test_s_skips_only_the_current_step() -> None:
    plan = two_exercise_plan()
    clock = FakeClock()
    # 10 s get ready + 10 s set 1, then skip the 20 s rest after 1 s.
    keys = ScriptedKeys(clock, [(21.0, "s")])
    log = Player(display=RecordingDisplay(), keys=keys, clock=clock).play(plan)
    rest = next(n for n, s in enumerate(plan.steps) if s.kind is StepKind.REST)
    assert log.outcomes[rest] == (StepOutcome.SKIPPED, pytest.approx(1.0))
    assert clock.now == pytest.approx(plan.total_seconds - 19)
    assert all(e.status is ExerciseStatus.DONE for e in log.summary().exercises)


def test_n_skips_the_rest_of_the_exercise() -> None:
    plan = two_exercise_plan()
    clock = FakeClock()
    keys = ScriptedKeys(clock, [(12.0, "n")])  # during set 1 of the bridge
    display = RecordingDisplay()
    log = Player(display=display, keys=keys, clock=clock).play(plan)
    summary = log.summary()
    assert [e.status for e in summary.exercises] == [ExerciseStatus.SKIPPED, ExerciseStatus.DONE]
    assert ("exercise", 1) in display.events
    assert clock.now == pytest.approx(12 + plan.steps_of(1)[0].seconds + 60)


def test_q_quits_and_the_summary_says_it_stopped_early() -> None:
    plan = two_exercise_plan()
    clock = FakeClock()
    keys = ScriptedKeys(clock, [(5.0, "q")])
    log = Player(display=RecordingDisplay(), keys=keys, clock=clock).play(plan)
    summary = log.summary()
    assert not summary.finished
    assert [e.status for e in summary.exercises] == [
        ExerciseStatus.STOPPED,
        ExerciseStatus.NOT_REACHED,
    ]
    assert clock.now == pytest.approx(5.0)


def test_ctrl_c_ends_the_session_with_a_summary_not_a_traceback() -> None:
    plan = two_exercise_plan()

    class CtrlC:
        def read(self, timeout: float) -> str | None:
            raise KeyboardInterrupt

    player = Player(display=RecordingDisplay(), keys=CtrlC())
    log = player.play(plan)
    assert player.interrupted
    assert not log.summary().finished


def test_other_keys_are_ignored() -> None:
    plan = two_exercise_plan()
    clock = FakeClock()
    keys = ScriptedKeys(clock, [(1.0, "x"), (2.0, "\n"), (3.0, "")])
    log = Player(display=RecordingDisplay(), keys=keys, clock=clock).play(plan)
    assert log.summary().done_count == 2
    assert clock.now == pytest.approx(plan.total_seconds)
