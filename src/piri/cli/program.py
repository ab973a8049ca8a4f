"""``piri profile``, ``piri plan`` and ``piri today``: the personal program in the terminal.

The latest symptom check comes first: after an urgent or emergency result ``piri today``
shows the hold and plays nothing (exit 4), and ``piri plan`` shows it above the plan.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import asdict
from typing import Any

from rich.console import Console
from rich.table import Table

from piri.cli.output import EXIT_BAD_INPUT, print_safety_notice, stderr, stdout
from piri.content.loader import library
from piri.content.models import Phase
from piri.domain.program import DayPlan, RunnerProfile
from piri.domain.values import whole_number
from piri.services.program import (
    ExerciseDone,
    NothingToScoreError,
    ProfileError,
    Week,
    check_reminder_for,
    exercise_on_hold,
    get_profile,
    record_morning,
    record_session,
    reminder_as_json,
    this_week,
    today_plan,
    update_profile,
)

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
EXIT_INTERRUPTED = 130
BEFORE_A_PLAN_SESSION = (
    "Work to a light pull or moderate effort, never into sharp pain. Stop an exercise if pain "
    "runs down the leg or goes above 5 out of 10; the plan adjusts to what you report."
)


def _error(message: object) -> int:
    stderr().print(f"[bold red]Error:[/] {message}")
    return EXIT_BAD_INPUT


# --- profile ---------------------------------------------------------------------------------


def run_profile(changes: dict[str, Any], output: str) -> int:
    try:
        if changes:
            update_profile(**changes)
        profile, phase, last_check = get_profile()
    except ProfileError as error:
        return _error(error)
    if output == "json":
        document = {**asdict(profile), "equipment": sorted(profile.equipment)}
        document.update(phase=phase.value, last_check=last_check)
        print(json.dumps(document, indent=2))
        return 0
    console = stdout()
    table = Table(title="Your profile" + (" (updated)" if changes else ""), title_justify="left")
    table.add_column("Setting", style="bold")
    table.add_column("Value")
    table.add_row("Painful side", profile.painful_side or "not set (--side)")
    table.add_row("Equipment", ", ".join(sorted(profile.equipment)) or "none (--equipment)")
    table.add_row("Minutes a day", str(profile.minutes_per_day))
    table.add_row("Days a week", str(profile.days_per_week))
    table.add_row("Running", profile.running_status.replace("_", " "))
    table.add_row("Walks 30 min without pain", "yes" if profile.walks_30_min_pain_free else "no")
    table.add_row("Goals", "; ".join(profile.goals) or "none yet (--goal)")
    table.add_row("Program phase", phase.value.replace("_", " "))
    if last_check:
        table.add_row(
            "Last symptom check", f"{last_check.get('urgency')}, {last_check.get('top_pattern')}"
        )
    console.print(table)
    return 0


# --- plan ------------------------------------------------------------------------------------


PLAN_WAITS = (
    "Your plan waits for the professional: its sessions start again once a professional has "
    "seen you and said you may exercise."
)


def run_plan(output: str) -> int:
    from piri.cli.check import print_check_reminder

    reminder = check_reminder_for()
    week = this_week()
    if output == "json":
        document = {"check_reminder": reminder_as_json(reminder), **week_as_json(week)}
        print(json.dumps(document, indent=2))
        return 0
    console = stdout()
    if reminder is not None:
        print_check_reminder(console, reminder)
        if reminder.holds_exercise:
            console.print(f"[bold red]{PLAN_WAITS}[/]\n")
    phase = week.phase
    console.rule(f"[bold]Phase: {phase.name}[/] (since {week.since:%d %B %Y})")
    console.print(phase.purpose)
    for item in phase.includes:
        console.print(f"  - {item}")
    console.print(f"[dim]Moves on when: {phase.moves_on_when}[/]\n")
    _print_week(console, week)
    if week.slots:
        console.print("\n[bold]Strength work and where it goes next[/]")
        for slot in week.slots:
            dose = slot.dose
            nxt = f" → next: {_name(dose.harder)}" if dose.harder else ""
            console.print(f"  {_name(dose.exercise)}: {dose.sets} × {dose.reps}{nxt}")
    console.print()
    print_safety_notice(console)
    return 0


def _print_week(console: Console, week: Week) -> None:
    table = Table(title="This week", title_justify="left", show_lines=True)
    table.add_column("Day", style="bold")
    table.add_column("Session")
    table.add_column("Minutes", justify="right")
    for day in week.days:
        if day.rest_day:
            table.add_row(WEEKDAYS[day.weekday], "[dim]rest (nerve glides are fine daily)[/]", "")
            continue
        items = "\n".join(
            f"{_name(e)}: {_dose_words(d.sets, d.reps, d.hold_seconds, d.duration_seconds)}"
            for e, d in day.items
        )
        table.add_row(WEEKDAYS[day.weekday], items, f"{day.minutes:g}")
    console.print(table)


def _dose_words(sets: int, reps: int | None, hold: int | None, duration: int | None) -> str:
    if duration:
        return f"{sets} × {duration} s"
    if hold:
        return f"{sets} × {reps} × {hold} s holds"
    return f"{sets} × {reps}"


def week_as_json(week: Week) -> dict[str, Any]:
    return {
        "phase": week.phase.id.value,
        "phase_since": week.since.isoformat(),
        "moves_on_when": week.phase.moves_on_when,
        "days": [
            {
                "weekday": WEEKDAYS[day.weekday],
                "minutes": day.minutes,
                "exercises": [
                    {"exercise": e, "dose": dose.model_dump(mode="json")} for e, dose in day.items
                ],
            }
            for day in week.days
        ],
        "strength": [
            {
                "exercise": s.dose.exercise,
                "sets": s.dose.sets,
                "reps": s.dose.reps,
                "harder": s.dose.harder,
                "easier": s.dose.easier,
            }
            for s in week.slots
        ],
    }


def _name(exercise_id: str | None) -> str:
    return library().exercises[exercise_id].name if exercise_id else ""


# --- today -----------------------------------------------------------------------------------


def run_today(
    *,
    pace: float,
    notes: str = "",
    pain_during: int | None,
    pain_after: int | None,
    morning: int | None,
    usual: int | None,
    output: str,
) -> int:
    if morning is not None:
        return _run_morning(morning, usual, output)  # a session already done is still scored
    hold = exercise_on_hold()
    if hold is not None:
        from piri.cli.check import print_hold

        return print_hold(hold)
    week, day = today_plan()
    if day.rest_day:
        stdout().print(
            "Today is a rest day in your plan. Nerve glides are fine; see the week with "
            "'piri plan'."
        )
        return 0
    done, interrupted = _play(week, day, pace)
    if pain_during is None and sys.stdin.isatty():
        pain_during = _ask_pain("Pain during the exercises (0-10)")
    if pain_after is None and sys.stdin.isatty():
        pain_after = _ask_pain("Pain right now, after them (0-10)")
    try:
        record_session(dt.date.today(), week.phase.id, done, pain_during, pain_after, notes=notes)
    except ProfileError as error:
        return _error(error)
    console = stdout()
    console.print(
        "Saved. Tomorrow morning, record how it feels with: piri today --morning N "
        "(N = your pain on waking, 0-10). The doses change only after that."
    )
    return EXIT_INTERRUPTED if interrupted else 0


def _play(week: Week, day: DayPlan, pace: float) -> tuple[list[ExerciseDone], bool]:
    from piri.cli.session_player import play_in_terminal
    from piri.domain.session import PlannedExercise, plan_session

    exercises = library().exercises
    side = week.profile.painful_side if week.profile.painful_side in ("left", "right") else None
    planned = [PlannedExercise(exercises[e], dose) for e, dose in day.items]
    plan = plan_session(f"{week.phase.id.value}-day", f"Today: {week.phase.name}", planned, side)
    summary, interrupted = play_in_terminal(plan, BEFORE_A_PLAN_SESSION, pace)
    doses = dict(day.items)
    done = [
        ExerciseDone(
            e.exercise_id, e.work_done, e.work_planned, e.status.value, doses[e.exercise_id].reps
        )
        for e in summary.exercises
    ]
    return done, interrupted


def _ask_pain(prompt: str) -> int | None:
    console = stdout()
    while True:
        try:
            typed = console.input(f"{prompt}, or Enter to skip: ").strip()
        except (EOFError, KeyboardInterrupt):
            return None
        if not typed:
            return None
        pain = whole_number(typed)
        if pain is not None and 0 <= pain <= 10:
            return pain
        console.print("[yellow]Type a whole number from 0 to 10.[/]")


def _run_morning(morning: int, usual: int | None, output: str) -> int:
    try:
        result = record_morning(morning, usual)
    except NothingToScoreError as error:
        return _error(error)
    except ValueError as error:
        return _error(error)
    if output == "json":
        document = {
            "session_day": result.session_day.isoformat(),
            "decisions": result.decisions,
            "phase": result.phase.phase.value,
            "phase_changed": result.phase.changed,
            "phase_reason": result.phase.why,
        }
        print(json.dumps(document, indent=2))
        return 0
    console = stdout()
    console.print(f"[bold]After the session of {result.session_day:%A %d %B}[/]")
    for decision in result.decisions:
        console.print(f"  - {decision}")
    console.print(f"\n{result.phase.why}")
    return 0


def profile_from_options(**options: Any) -> dict[str, Any]:
    """Only the options that were given, under the profile's field names."""
    names = {
        "side": "painful_side",
        "equipment": "equipment",
        "minutes": "minutes_per_day",
        "days": "days_per_week",
        "running": "running_status",
        "goal": "goals",
        "walks_30_min": "walks_30_min_pain_free",
    }
    changes: dict[str, Any] = {}
    for option, value in options.items():
        if value is None or value == []:
            continue
        if option == "equipment":
            value = [] if value == "none" else [v.strip() for v in value.split(",") if v.strip()]
        changes[names[option]] = value
    return changes


__all__ = ["Phase", "RunnerProfile", "profile_from_options", "run_plan", "run_profile", "run_today"]
