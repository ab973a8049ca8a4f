"""``piri check``: the symptom check in the terminal, from a file, or over a set of vignettes;
and the hold or reminder its latest result puts before every exercise session."""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from piri.cli.output import (
    EXIT_BAD_INPUT,
    EXIT_ON_HOLD,
    print_not_found,
    print_safety_notice,
    stderr,
    stdout,
)
from piri.content.check_models import AnswerValue, Likelihood, Question, QuestionType, Urgency
from piri.domain.answers import AnswerError, Answers, asked_questions, parse_typed_answer
from piri.domain.evaluation import Evaluation
from piri.domain.exercise_hold import CheckReminder
from piri.domain.triage import CheckResult, RaisedFlag
from piri.services.check import (
    InputFileError,
    evaluate_vignettes,
    questionnaire,
    questionnaire_as_json,
    read_answers_file,
    remember_result,
    result_as_json,
    run_check,
    urgent_flags_so_far,
)
from piri.services.library import NotFoundError

EXIT_STOPPED = 130  # as a shell reports a program ended by Ctrl-C
SAY_SEEN = (
    "When a professional has seen you since this check and said you may exercise:\n"
    "  piri check --seen-by-professional"
)

URGENCY_STYLE = {
    Urgency.EMERGENCY: ("EMERGENCY", "bold white on red"),
    Urgency.URGENT: ("SAME DAY", "bold black on yellow"),
    Urgency.SOON: ("WITHIN DAYS", "bold"),
    Urgency.SELF_CARE: ("SELF-CARE", "bold green"),
}


# --- from a file ---------------------------------------------------------------------------------


def run_from_file(path: Path, output: str) -> int:
    try:
        result = run_check(read_answers_file(path))
    except InputFileError as error:
        stderr().print(f"[bold red]Error:[/] {error}")
        return EXIT_BAD_INPUT
    except AnswerError as error:
        console = stderr()
        console.print(f"[bold red]Error:[/] the answers in {path} do not fit the questionnaire:")
        for problem in error.problems:
            console.print(f"  - {problem}")
        console.print("See every question with: piri check --questions --format json")
        return EXIT_BAD_INPUT
    remember_result(result)
    if output == "json":
        print(json.dumps(result_as_json(result), indent=2, ensure_ascii=False))
    else:
        print_result(stdout(), result)
    return 0


def print_questions(output: str) -> int:
    if output == "json":
        print(json.dumps(questionnaire_as_json(), indent=2, ensure_ascii=False))
        return 0
    console = stdout()
    part = ""
    for question in questionnaire().questions:
        if question.part != part:
            part = question.part
            console.print(f"\n[bold]{part}[/]")
        optional = "" if question.required else " (optional)"
        console.print(f"  {question.id}{optional}: {question.text}")
        if question.options:
            console.print(f"    [dim]{question.type.value}: {', '.join(question.option_ids())}[/]")
        else:
            console.print(f"    [dim]{_type_hint(question)}[/]")
    return 0


def print_self_test(test_id: str, svg_dir: Path | None) -> int:
    from piri.services.check import get_self_test
    from piri.services.figures import FigureWriteError, write_self_test_figures

    try:
        test = get_self_test(test_id)
    except NotFoundError as error:
        return print_not_found(error)
    console = stdout()
    _print_self_test_steps(console, test_id)
    if svg_dir is not None:
        try:
            written = write_self_test_figures(test.id, svg_dir)
        except FigureWriteError as error:
            stderr().print(f"[bold red]Error:[/] {error}")
            return EXIT_BAD_INPUT
        console.print("[bold]Pictures written:[/]")
        for path in written:
            console.print(f"  {path}")
    return 0


def run_evaluation(directory: Path) -> int:
    try:
        evaluation = evaluate_vignettes(directory)
    except InputFileError as error:
        stderr().print(f"[bold red]Error:[/] {error}")
        return EXIT_BAD_INPUT
    print_evaluation(stdout(), evaluation)
    return 0


# --- interactive ---------------------------------------------------------------------------------

HOW_TO_ANSWER = (
    "Type your answer and press Enter. b goes back one question, s skips an optional one, "
    "Ctrl-C leaves (nothing is kept)."
)


def run_interactive() -> int:
    console = stdout()
    console.print("[bold]Piri's symptom check[/]")
    console.print(
        "Safety questions come first. The result is education, not a diagnosis: it says which "
        "patterns your answers resemble and what to do next."
    )
    console.print(f"[dim]{HOW_TO_ANSWER}[/]")
    try:
        answers = _ask_all(console)
    except (KeyboardInterrupt, EOFError):
        console.print("\nCheck stopped before the end; nothing was kept.")
        return EXIT_STOPPED
    result = run_check(answers)
    remember_result(result)
    print_result(console, result)
    return 0


def _ask_all(console: Console) -> Answers:
    """Ask every question that applies, in order, with going back and skipping."""
    answers: Answers = {}
    history: list[str] = []  # ids of the questions answered or skipped, in order
    shown_part = ""
    shown_tests: set[str] = set()
    warned: set[str] = set()
    while True:
        pending = [q for q in asked_questions(questionnaire(), answers) if q.id not in history]
        if not pending:
            return {qid: answers[qid] for qid in history if qid in answers}
        question = pending[0]
        if question.part != shown_part:
            shown_part = question.part
            console.rule(f"[bold]{shown_part}")
        if question.self_test and question.self_test not in shown_tests:
            shown_tests.add(question.self_test)
            _print_self_test_steps(console, question.self_test)
        reply = _ask(console, question)
        if reply == "back":
            if history:
                answers.pop(history.pop(), None)
            else:
                console.print("[dim]This is the first question.[/]")
            continue
        if reply != "skip":
            answers[question.id] = reply
        history.append(question.id)
        for flag in urgent_flags_so_far(answers):
            if flag.id not in warned:
                warned.add(flag.id)
                _print_warning_now(console, flag)


def _print_warning_now(console: Console, flag: RaisedFlag) -> None:
    """A warning sign is shown the moment it is answered, not after thirty more questions."""
    label, style = URGENCY_STYLE[flag.urgency]
    body = f"{flag.title}\n{flag.advice}\nYou can finish the check, but do not wait for it."
    console.print(Panel(body, title=f"[{style}] {label} [/]", border_style="red"))


def _ask(console: Console, question: Question) -> AnswerValue | str:
    console.print(f"\n[bold]{question.text}[/]")
    if question.help:
        console.print(f"[dim]{question.help}[/]")
    for number, option in enumerate(question.options, start=1):
        console.print(f"  {number}. {option.label}")
    while True:
        typed = console.input(f"[cyan]{_type_hint(question)}[/] > ").strip()
        if typed.lower() == "b":
            return "back"
        if typed.lower() == "s":
            if question.required:
                console.print("[yellow]This question needs an answer; it cannot be skipped.[/]")
                continue
            return "skip"
        try:
            return parse_typed_answer(question, typed)
        except ValueError as error:
            console.print(f"[yellow]{error}[/]")


def _type_hint(question: Question) -> str:
    kind = question.type
    if kind is QuestionType.YES_NO:
        return "y or n"
    if kind is QuestionType.CHOICE:
        return f"a number from 1 to {len(question.options)}"
    if kind in (QuestionType.MULTI_CHOICE, QuestionType.BODY_LOCATION):
        return "numbers such as 1,3 (0 for none)"
    if kind is QuestionType.PAIN_SCALE:
        return "0 to 10"
    unit = f" {question.unit}" if question.unit else ""
    return f"a number from {question.minimum:g} to {question.maximum:g}{unit}"


def _print_self_test_steps(console: Console, test_id: str) -> None:
    test = questionnaire().self_test(test_id)
    if test is None:
        return
    console.print(f"\n[bold]Self-test: {test.name}[/] (optional)")
    console.print(test.purpose)
    for number, step in enumerate(test.steps, start=1):
        console.print(f"  {number}. {step}")
    console.print(f"[yellow]{test.stop_if}[/]")
    console.print(f"[dim]Pictures: piri check --self-test {test.id} --svg DIR[/]")


# --- the result ----------------------------------------------------------------------------------


def print_result(console: Console, result: CheckResult) -> None:
    label, style = URGENCY_STYLE[result.urgency]
    console.rule("[bold]Your result")
    console.print(f"[{style}] {label} [/]")
    console.print("\n[bold]What to do now[/]")
    for number, step in enumerate(result.next_steps, start=1):
        console.print(f"  {number}. {step}")
    if result.red_flags:
        console.print("\n[bold]Warning signs in your answers[/]")
        for flag in result.red_flags:
            raised_by = ", ".join(f"{q} = {_answer_text(v)}" for q, v in flag.answers.items())
            console.print(f"  - {flag.title} [dim](from: {raised_by})[/]")
    console.print("\n[bold]Which patterns your answers resemble[/]")
    table = Table(show_lines=False)
    table.add_column("Pattern")
    table.add_column("Fit")
    table.add_column("For")
    table.add_column("Against")
    for pattern in result.patterns:
        if pattern.likelihood is Likelihood.UNLIKELY and not pattern.reasons_for:
            continue
        table.add_row(
            pattern.name,
            pattern.likelihood.value,
            "; ".join(r.reason for r in pattern.reasons_for) or "-",
            "; ".join(r.reason for r in pattern.reasons_against) or "-",
        )
    console.print(table)
    if result.avoid:
        console.print("[bold]Avoid for now[/]")
        for item in result.avoid:
            console.print(f"  - {item}")
    if result.routine:
        console.print(f"\nA guided session that fits: [bold]piri session {result.routine}[/]")
    if result.phase:
        console.print(f"The program phase to start in: [bold]{result.phase}[/]")
    top = result.top_pattern
    if top and top.learn_more:
        console.print(f"Read more: piri learn {top.learn_more}")
    console.print()
    print_safety_notice(console)


def _answer_text(value: AnswerValue) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(value) or "none"
    return str(value)


# --- the hold on the sessions, or the reminder ----------------------------------------------


def print_check_reminder(console: Console, reminder: CheckReminder) -> None:
    """The latest check's hold (a red panel) or reminder, before anything else is shown."""
    label, style = URGENCY_STYLE[reminder.urgency]
    body = Text()
    body.append(reminder.action + "\n", style="bold")
    when = f"of {reminder.checked_on:%A %d %B %Y}" if reminder.checked_on else "(the latest)"
    if reminder.signs:
        body.append(f"Your symptom check {when} found:\n")
        for sign in reminder.signs:
            body.append(f"  - {sign}\n")
    else:
        body.append(f"Your symptom check {when} says to see a professional.\n")
    body.append(reminder.what_it_means + "\n", style="bold")
    body.append("Take the check again if something has changed: piri check\n", style="dim")
    if reminder.holds_exercise:
        body.append(SAY_SEEN, style="dim")
    else:
        body.append(
            "When you have seen a professional about it:\n  piri check --seen-by-professional",
            style="dim",
        )
    title = "Exercise sessions wait for a professional" if reminder.holds_exercise else "Reminder"
    console.print(
        Panel(
            body,
            title=f"[{style}] {label} [/] {title}",
            title_align="left",
            border_style="red" if reminder.holds_exercise else "yellow",
        )
    )


def print_hold(reminder: CheckReminder) -> int:
    """What 'piri today' and 'piri session' do while a hold lasts: show it, play nothing."""
    print_check_reminder(stdout(), reminder)
    return EXIT_ON_HOLD


def run_seen_by_professional() -> int:
    """``piri check --seen-by-professional``: end the hold or the reminder, and say which."""
    from piri.services.program import NothingToClearError, record_seen_by_professional

    try:
        cleared = record_seen_by_professional()
    except NothingToClearError as error:
        stderr().print(f"[bold red]Error:[/] {error}")
        return EXIT_BAD_INPUT
    check = "your symptom check"
    if cleared.checked_on:
        check += f" of {cleared.checked_on:%A %d %B %Y}"
    label, _style = URGENCY_STYLE[cleared.urgency]
    console = stdout()
    console.print(f"Saved: a professional has seen you since {check} ({label.lower()}).")
    console.print(f"It asked: {cleared.action}")
    if cleared.signs:
        console.print("Because of: " + "; ".join(cleared.signs) + ".")
    if cleared.holds_exercise:
        console.print("Your exercise sessions are offered again: piri today")
    console.print(
        "If a warning sign comes back, or something new starts, take the check again: piri check"
    )
    return 0


# --- evaluation ----------------------------------------------------------------------------------


def print_evaluation(console: Console, evaluation: Evaluation) -> None:
    table = Table(title="Urgency: expected (rows) against given (columns)", title_justify="left")
    table.add_column("expected")
    for urgency in Urgency:
        table.add_column(urgency.value, justify="right")
    for expected, row in evaluation.confusion().items():
        table.add_row(expected.value, *(str(row[got]) for got in Urgency))
    console.print(table)
    cases = len(evaluation.outcomes)
    flagged = evaluation.red_flag_cases
    console.print(f"Vignettes: {cases}")
    console.print(
        f"Red-flag sensitivity: {_percent(evaluation.red_flag_sensitivity)} "
        f"({sum(not o.under_triaged for o in flagged)} of {len(flagged)} vignettes that need "
        "care reached at least their urgency)"
    )
    console.print(f"Urgency exactly right: {_percent(evaluation.urgency_accuracy)}")
    console.print(f"Top-pattern accuracy: {_percent(evaluation.pattern_accuracy)}")
    if evaluation.misses:
        console.print("\n[bold]Vignettes that did not match[/]")
        for miss in evaluation.misses:
            console.print(
                f"  {miss.name}: expected {miss.expected_urgency.value} / {miss.expected_pattern}, "
                f"got {miss.got_urgency.value} / {miss.got_pattern}"
                + ("  [bold red]UNDER-TRIAGED[/]" if miss.under_triaged else "")
            )


def _percent(share: float | None) -> str:
    return "n/a" if share is None else f"{share:.0%}"
