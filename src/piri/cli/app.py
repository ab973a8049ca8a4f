"""The ``piri`` command.

Only Typer is imported at start-up; each command imports what it needs when
it runs, so ``piri --help`` stays fast.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

app = typer.Typer(
    name="piri",
    help=(
        "Piri helps runners with a pain in the buttock (piriformis syndrome and look-alikes): "
        "learn what is going on, do the right exercises, and get back to running.\n\n"
        "Piri is education, not a diagnosis. Sudden numbness between the legs, new bladder or "
        "bowel trouble, or weakness in both legs needs emergency care now."
    ),
    no_args_is_help=False,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

# More server processes than this only queue on the one database.
MAX_WORKERS = 16


def _run(command: Callable[[], int]) -> NoReturn:
    """Run a command body; broken content files end in a clear message, not a traceback."""
    from piri.content.loader import ContentError

    try:
        code = command()
    except ContentError as error:
        from piri.cli.output import print_broken_content

        code = print_broken_content(error)
    raise typer.Exit(code)


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


class ShowFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


class SideChoice(StrEnum):
    LEFT = "left"
    RIGHT = "right"


@app.callback(invoke_without_command=True)
def welcome(context: typer.Context) -> None:
    """Show where to start when ``piri`` is run on its own."""
    if context.invoked_subcommand is None:
        from piri.cli.welcome import print_welcome

        print_welcome()


@app.command()
def learn(
    section: Annotated[
        str | None, typer.Argument(help="A section id; leave out to list the sections.")
    ] = None,
) -> None:
    """Read the knowledge base: what is going on and what to do about it."""
    from piri.cli.learn import run_learn

    _run(lambda: run_learn(section))


@app.command()
def exercises(
    target: Annotated[
        str | None,
        typer.Option(help="nerve_mobility, stretch, soft_tissue or strength."),
    ] = None,
    equipment: Annotated[
        str | None,
        typer.Option(
            help="Only exercises that use this: chair, foam_roller, mini_band, step, "
            "weights; or none for those that need no equipment."
        ),
    ] = None,
    output: Annotated[OutputFormat, typer.Option("--format", help="table or json.")] = (
        OutputFormat.TABLE
    ),
) -> None:
    """List the exercise library."""
    from piri.cli.exercises import run_list

    _run(lambda: run_list(target=target, equipment=equipment, output=output.value))


exercise_app = typer.Typer(help="One exercise in detail.", no_args_is_help=True)
app.add_typer(exercise_app, name="exercise")


@exercise_app.command("show")
def exercise_show(
    exercise_id: Annotated[str, typer.Argument(metavar="ID", help="The exercise id.")],
    output: Annotated[ShowFormat, typer.Option("--format", help="text or json.")] = (
        ShowFormat.TEXT
    ),
    svg: Annotated[
        Path | None,
        typer.Option(help="Write one SVG picture per position into this directory."),
    ] = None,
) -> None:
    """Show one exercise: steps, cues, dose, and its pictures."""
    from piri.cli.exercises import run_show

    _run(lambda: run_show(exercise_id, output=output.value, svg_dir=svg))


def _check_pace(pace: float) -> float:
    if pace < 0:
        raise typer.BadParameter(f"{pace:g} is not a pace: use 0 or more (1 is real time).")
    return pace


@app.command()
def session(
    routine: Annotated[
        str | None,
        typer.Argument(help="relief, strength or article; leave out to list the routines."),
    ] = None,
    pace: Annotated[
        float,
        typer.Option(
            callback=_check_pace,
            help="Speed factor for every timer: 0.5 is twice as fast, 0 instant.",
        ),
    ] = 1.0,
    side: Annotated[
        SideChoice | None,
        typer.Option(help="Your painful side, for exercises done on that side only."),
    ] = None,
) -> None:
    """Be talked through a timed exercise session."""
    from piri.cli.session_player import run_session_command

    _run(lambda: run_session_command(routine, pace=pace, side=side.value if side else None))


@app.command()
def check(
    answers: Annotated[
        Path | None,
        typer.Option(help="A JSON file of {question_id: answer}; without it the check asks."),
    ] = None,
    output: Annotated[ShowFormat, typer.Option("--format", help="text or json.")] = (
        ShowFormat.TEXT
    ),
    questions: Annotated[
        bool, typer.Option("--questions", help="Print the questionnaire itself.")
    ] = False,
    evaluate: Annotated[
        Path | None,
        typer.Option(help="Run a folder of vignette files and print how the check does."),
    ] = None,
    self_test: Annotated[
        str | None, typer.Option(help="Show one self-test's instructions.")
    ] = None,
    svg: Annotated[
        Path | None,
        typer.Option(help="With --self-test: write its pictures into this directory."),
    ] = None,
    seen_by_professional: Annotated[
        bool,
        typer.Option(
            "--seen-by-professional",
            help="A professional has seen you since your latest check (and, after an urgent "
            "result, said you may exercise): the hold on your sessions, or the reminder, ends.",
        ),
    ] = False,
) -> None:
    """The symptom check: warning signs first, then which buttock-pain pattern fits."""
    chosen = [
        name
        for name, value in (
            ("--answers", answers),
            ("--questions", questions),
            ("--evaluate", evaluate),
            ("--self-test", self_test),
            ("--seen-by-professional", seen_by_professional),
        )
        if value
    ]
    if len(chosen) > 1:
        raise typer.BadParameter(f"use only one of {', '.join(chosen)}")
    if svg is not None and self_test is None:
        raise typer.BadParameter("--svg needs --self-test ID", param_hint="--svg")
    from piri.cli import check as commands

    if answers is not None:
        _run(lambda: commands.run_from_file(answers, output.value))
    if questions:
        _run(lambda: commands.print_questions(output.value))
    if evaluate is not None:
        _run(lambda: commands.run_evaluation(evaluate))
    if self_test is not None:
        _run(lambda: commands.print_self_test(self_test, svg))
    if seen_by_professional:
        _run(commands.run_seen_by_professional)
    _run(commands.run_interactive)


@app.command()
def log(
    pain_now: Annotated[
        int | None, typer.Option(help="Pain right now, 0 (none) to 10 (worst).")
    ] = None,
    worst: Annotated[int | None, typer.Option(help="The worst pain today, 0 to 10.")] = None,
    sitting: Annotated[int | None, typer.Option(help="Pain when sitting, 0 to 10.")] = None,
    sitting_minutes: Annotated[
        int | None, typer.Option(help="Minutes of sitting before the pain starts.")
    ] = None,
    running: Annotated[
        int | None, typer.Option(help="Pain when running, 0 to 10 (leave out on a rest day).")
    ] = None,
    tingling: Annotated[bool, typer.Option(help="Tingling in the leg today.")] = False,
    notes: Annotated[str, typer.Option(help="Anything worth remembering.")] = "",
    date: Annotated[
        str | None, typer.Option(help="YYYY-MM-DD, today or yesterday (default today).")
    ] = None,
    output: Annotated[ShowFormat, typer.Option("--format", help="text or json.")] = (
        ShowFormat.TEXT
    ),
) -> None:
    """Write today's pain diary (the same day twice updates it); asks when run without scores."""
    from piri.cli.log import ask_entry, parse_day, run_log
    from piri.domain.diary import DayEntry, DiaryError

    try:
        day = parse_day(date)
    except DiaryError as error:
        raise typer.BadParameter(str(error), param_hint="--date") from None
    if pain_now is None or worst is None:
        _run(lambda: ask_entry(day, output.value))
    entry = DayEntry(day, pain_now, worst, sitting, sitting_minutes, running, tingling, notes)
    _run(lambda: run_log(entry, output.value))


@app.command()
def profile(
    side: Annotated[str | None, typer.Option(help="Painful side: left, right or both.")] = None,
    equipment: Annotated[
        str | None,
        typer.Option(
            help="What you have, comma-separated: chair, foam_roller, mini_band, step, "
            "weights; or none."
        ),
    ] = None,
    minutes: Annotated[int | None, typer.Option(help="Minutes a day for exercises.")] = None,
    days: Annotated[int | None, typer.Option(help="Days a week for exercises (1-7).")] = None,
    running: Annotated[
        str | None,
        typer.Option(help="running_normally, running_with_pain or stopped."),
    ] = None,
    goal: Annotated[
        list[str] | None,
        typer.Option(help="A goal, e.g. 'sit through a film'; repeat for up to 5 (replaces them)."),
    ] = None,
    walks_30_min: Annotated[
        bool | None,
        typer.Option(
            "--walks-30-min/--no-walks-30-min", help="You can walk 30 minutes without pain."
        ),
    ] = None,
    output: Annotated[ShowFormat, typer.Option("--format", help="text or json.")] = (
        ShowFormat.TEXT
    ),
) -> None:
    """Show your profile, or change it with the options."""
    from piri.cli.program import profile_from_options, run_profile

    changes = profile_from_options(
        side=side,
        equipment=equipment,
        minutes=minutes,
        days=days,
        running=running,
        goal=goal,
        walks_30_min=walks_30_min,
    )
    _run(lambda: run_profile(changes, output.value))


@app.command()
def plan(
    output: Annotated[ShowFormat, typer.Option("--format", help="text or json.")] = (
        ShowFormat.TEXT
    ),
) -> None:
    """Your program: the phase you are in and this week's sessions."""
    from piri.cli.program import run_plan

    _run(lambda: run_plan(output.value))


@app.command()
def handout(
    file: Annotated[Path, typer.Argument(help="Where to write it, e.g. piri-program.pdf.")],
    html: Annotated[
        bool, typer.Option("--html", help="Write the pages as one HTML file instead.")
    ] = False,
) -> None:
    """Print your program: a few A4 pages (PDF) of your phase, exercises, week and warning signs."""
    from piri.cli.handout import run_handout

    _run(lambda: run_handout(file, as_html=html))


@app.command()
def today(
    pace: Annotated[
        float,
        typer.Option(callback=_check_pace, help="Timer speed: 0.5 twice as fast, 0 instant."),
    ] = 1.0,
    pain_during: Annotated[
        int | None, typer.Option(min=0, max=10, help="Pain during the exercises, 0-10.")
    ] = None,
    pain_after: Annotated[
        int | None, typer.Option(min=0, max=10, help="Pain right after them, 0-10.")
    ] = None,
    morning: Annotated[
        int | None,
        typer.Option(min=0, max=10, help="The next morning: your pain on waking, 0-10."),
    ] = None,
    usual: Annotated[
        int | None,
        typer.Option(min=0, max=10, help="With --morning: your usual morning pain, 0-10."),
    ] = None,
    notes: Annotated[str, typer.Option(help="Anything worth remembering about the session.")] = "",
    output: Annotated[ShowFormat, typer.Option("--format", help="text or json.")] = (
        ShowFormat.TEXT
    ),
) -> None:
    """Today's session from your plan, then the pain scores that adjust it."""
    from piri.cli.program import run_today

    _run(
        lambda: run_today(
            pace=pace,
            notes=notes,
            pain_during=pain_during,
            pain_after=pain_after,
            morning=morning,
            usual=usual,
            output=output.value,
        )
    )


@app.command()
def score(
    questionnaire: Annotated[str, typer.Argument(help="lefs or psfs.")],
    answers: Annotated[
        str | None, typer.Option(help="LEFS: the 20 answers, 0-4 each, comma-separated.")
    ] = None,
    activity: Annotated[
        list[str] | None,
        typer.Option(help="PSFS: 'activity=rating' (0-10); repeat for up to 5."),
    ] = None,
    output: Annotated[ShowFormat, typer.Option("--format", help="text or json.")] = (
        ShowFormat.TEXT
    ),
) -> None:
    """Score an outcome questionnaire and see the change that matters."""
    from piri.cli.scores import run_score

    _run(lambda: run_score(questionnaire, answers, activity or [], output.value))


@app.command("progress")
def progress_command(
    output: Annotated[ShowFormat, typer.Option("--format", help="text or json.")] = (
        ShowFormat.TEXT
    ),
) -> None:
    """Your pain, sitting, sessions and scores, week by week, and what has really changed."""
    from piri.cli.progress_view import run_progress

    _run(lambda: run_progress(output.value))


@app.command("import")
def import_command(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Files (.fit, .gpx, .tcx, also .gz), folders, or Strava/Garmin export ZIPs."
        ),
    ],
    output: Annotated[ShowFormat, typer.Option("--format", help="text or json.")] = (
        ShowFormat.TEXT
    ),
) -> None:
    """Import your activities: watch files, folders, Strava and Garmin exports."""
    from piri.cli.imports import run_import

    _run(lambda: run_import(paths, output.value))


@app.command("runs")
def runs_command(
    since: Annotated[
        str | None, typer.Option(help="Only activities from this date (YYYY-MM-DD).")
    ] = None,
    output: Annotated[ShowFormat, typer.Option("--format", help="text or json.")] = (
        ShowFormat.TEXT
    ),
) -> None:
    """List your imported activities."""
    import datetime as dt

    from piri.cli.imports import run_runs

    try:
        day = dt.date.fromisoformat(since) if since else None
    except ValueError:
        raise typer.BadParameter(f"'{since}' is not a date; use YYYY-MM-DD") from None
    _run(lambda: run_runs(day, output.value))


@app.command("load")
def load_command(
    weeks: Annotated[int, typer.Option(min=1, max=520, help="How many weeks to show.")] = 8,
    output: Annotated[ShowFormat, typer.Option("--format", help="text or json.")] = (
        ShowFormat.TEXT
    ),
) -> None:
    """Your training load week by week, its warning signs, and how the pain followed it."""
    from piri.cli.load_view import run_load

    _run(lambda: run_load(weeks, output.value))


class ViewChoice(StrEnum):
    SIDE = "side"
    REAR = "rear"


def _check_fps(fps: float | None) -> float | None:
    if fps is not None and not 0 < fps <= 2000:
        raise typer.BadParameter(f"{fps:g} is not a frame rate: use more than 0, up to 2000.")
    return fps


@app.command()
def gait(
    video: Annotated[
        Path | None,
        typer.Argument(metavar="VIDEO", help="A phone video of you running (side or rear view)."),
    ] = None,
    view: Annotated[
        ViewChoice | None,
        typer.Option(help="side or rear; left out, Piri tells from the clip and says which."),
    ] = None,
    output: Annotated[ShowFormat, typer.Option("--format", help="text or json.")] = (
        ShowFormat.TEXT
    ),
    frames: Annotated[
        Path | None,
        typer.Option(
            help="Write annotated key frames (each foot strike) as PNG into this directory."
        ),
    ] = None,
    fps: Annotated[
        float | None,
        typer.Option(
            callback=_check_fps,
            help="The frame rate the clip was filmed at, when the file does not say (a slow "
            "motion clip saved at 30 frames a second).",
        ),
    ] = None,
    guide: Annotated[
        bool, typer.Option("--guide", help="Print how to film a clip for the gait check.")
    ] = False,
) -> None:
    """The gait check: cadence, overstride and pelvic drop from a phone video, each with how
    sure it is. Needs the video extra (pip install 'piri[video]'). Exit status 2 when the
    file cannot be used or the clip must be filmed again, 1 without the video extra."""
    from piri.cli import gait as commands

    if guide:
        if video is not None:
            raise typer.BadParameter("--guide takes no VIDEO", param_hint="--guide")
        _run(lambda: commands.print_guide(output.value))
    if video is None:
        raise typer.BadParameter("give a VIDEO, or --guide for how to film one")
    _run(
        lambda: commands.run_gait(
            video,
            view=view.value if view else None,
            output=output.value,
            frames=frames,
            fps=fps,
        )
    )


@app.command("gait-worker")
def gait_worker(
    once: Annotated[
        bool, typer.Option("--once", help="Analyse what waits now, then stop.")
    ] = False,
) -> None:
    """Analyse the gait clips uploaded to the web app, oldest first, for a server started
    with PIRI_GAIT_WORKER=off (the web app otherwise starts its own worker). Runs until
    stopped (Ctrl-C), or with --once until nothing waits."""
    from piri.cli import gait as commands

    _run(lambda: commands.run_worker(once))


@app.command()
def rate(
    date: Annotated[str, typer.Argument(help="The day of the run, YYYY-MM-DD.")],
    effort: Annotated[int, typer.Argument(help="How hard it felt: 0 (rest) to 10 (maximal).")],
    which: Annotated[
        int | None, typer.Option(help="Which run of the day, when there were several.")
    ] = None,
) -> None:
    """Rate how hard a run felt (session RPE), for the session-load figures."""
    import datetime as dt

    from piri.cli.output import EXIT_BAD_INPUT, stderr, stdout
    from piri.services.load import RatingError, rate_run

    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        raise typer.BadParameter(f"'{date}' is not a date; use YYYY-MM-DD") from None

    def command() -> int:
        try:
            run = rate_run(day, effort, which)
        except RatingError as error:
            stderr().print(f"[bold red]Error:[/] {error}")
            return EXIT_BAD_INPUT
        stdout().print(f"Rated the run of {day.isoformat()} ({run}) at {effort}/10.")
        return 0

    _run(command)


@app.command()
def export(
    file: Annotated[Path, typer.Argument(help="Where to write the JSON document.")],
) -> None:
    """Write everything Piri stores about you to one JSON file."""
    from piri.cli.person_data import run_export

    _run(lambda: run_export(file))


@app.command("calendar")
def calendar_command(
    file: Annotated[
        Path, typer.Argument(help="Where to write the calendar (.ics); '-' writes it to stdout.")
    ],
    weeks: Annotated[int, typer.Option(min=1, max=12, help="How many weeks from today, 1-12.")] = 4,
    exercise_time: Annotated[
        str | None, typer.Option(help="Time of day of the exercise sessions (HH:MM; 18:00).")
    ] = None,
    run_time: Annotated[
        str | None, typer.Option(help="Time of day of the runs (HH:MM; 07:00).")
    ] = None,
) -> None:
    """Your sessions and runs as a calendar file, each with a reminder; export again to update."""
    from piri.cli.calendar import run_calendar

    _run(lambda: run_calendar(file, weeks, exercise_time, run_time))


@app.command("import-data")
def import_data(
    file: Annotated[Path, typer.Argument(help="A file written by 'piri export'.")],
) -> None:
    """Restore a 'piri export' file into an empty profile."""
    from piri.cli.person_data import run_import

    _run(lambda: run_import(file))


@app.command()
def backup(
    file: Annotated[Path, typer.Argument(help="The new file to write the copy to.")],
) -> None:
    """Copy the whole database to FILE, consistently, even while Piri runs."""
    from piri.cli.backup import run_backup

    _run(lambda: run_backup(file))


@app.command()
def restore(
    file: Annotated[Path, typer.Argument(help="A file written by 'piri backup'.")],
    yes: Annotated[
        bool, typer.Option("--yes", help="Confirm: replace what is stored now.")
    ] = False,
) -> None:
    """Put a backup back in place of the database (the current one is kept beside it)."""
    from piri.cli.backup import run_restore

    _run(lambda: run_restore(file, yes))


@app.command()
def forget(
    yes: Annotated[bool, typer.Option("--yes", help="Confirm: delete everything.")] = False,
) -> None:
    """Delete everything Piri stores about you."""
    from piri.cli.person_data import run_forget

    _run(lambda: run_forget(yes))


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    multi_user: Annotated[
        bool | None,
        typer.Option(
            "--multi-user/--single-person",
            help="Accounts with sign-up and login (also PIRI_MULTI_USER=1); "
            "the default is one person, no login, on this computer only.",
            show_default=False,
        ),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=MAX_WORKERS,
            help="Server processes answering at once; one per CPU core uses them all.",
        ),
    ] = 1,
) -> None:
    """Start the web app (pages and the /api/v1 JSON API) and print its address."""
    import uvicorn

    from piri.services.diary import store
    from piri.web.app import create_app, warm_up
    from piri.web.config import WORKER_CONFIG_VARIABLE, ConfigError, for_workers, server_config

    try:
        config = server_config(host, port, multi_user)
    except ConfigError as problem:
        typer.echo(f"Error: {problem}", err=True)
        raise typer.Exit(2) from None
    mode = "multi-user (sign-up and login)" if config.multi_user else "single person, no login"
    typer.echo(f"Piri is running at {config.address}  ({mode}; Ctrl-C stops it)")
    typer.echo(f"API: {config.address}api/v1/docs")
    if workers == 1:
        app = create_app(config)
        warm_up()
        uvicorn.run(app, host=host, port=port, log_level="warning")
        return
    typer.echo(f"{workers} worker processes")
    store()  # migrated here once, before the workers would each try at the same moment
    os.environ[WORKER_CONFIG_VARIABLE] = for_workers(config)
    uvicorn.run(
        "piri.web.app:worker_app",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level="warning",
    )


run_plan_app = typer.Typer(
    help="Back to running: the walk-run plan, each run and how it went, the next morning.",
    invoke_without_command=True,
)
app.add_typer(run_plan_app, name="run-plan")


@run_plan_app.callback()
def run_plan_status(
    context: typer.Context,
    output: Annotated[ShowFormat, typer.Option("--format", help="text or json.")] = (
        ShowFormat.TEXT
    ),
) -> None:
    """Where the walk-run plan stands: the start criteria, the step to do, the next days."""
    if context.invoked_subcommand is None:
        from piri.cli.return_to_run import run_status

        _run(lambda: run_status(output.value))


@run_plan_app.command("log")
def run_plan_log(
    pain_during: Annotated[
        int, typer.Option(min=0, max=10, help="The highest pain during the run, 0-10.")
    ],
    pain_after: Annotated[int, typer.Option(min=0, max=10, help="Pain right after it, 0-10.")],
    built: Annotated[bool, typer.Option("--built", help="The pain built up during the run.")] = (
        False
    ),
    limp: Annotated[
        bool, typer.Option("--limp", help="You limped or ran differently because of it.")
    ] = False,
    cut_short: Annotated[
        bool, typer.Option("--cut-short", help="You stopped before the end of the session.")
    ] = False,
    next_morning: Annotated[
        int | None,
        typer.Option(min=0, max=10, help="The next morning's pain on waking, if known, 0-10."),
    ] = None,
    usual: Annotated[
        int | None, typer.Option(min=0, max=10, help="Your usual morning pain, 0-10.")
    ] = None,
    activity: Annotated[
        str | None,
        typer.Option(
            help="'auto' to link the imported watch run of that day that fits the step, "
            "or an activity key from 'piri runs --format json'."
        ),
    ] = None,
    notes: Annotated[str, typer.Option(help="Anything worth remembering about the run.")] = "",
    date: Annotated[
        str | None, typer.Option(help="YYYY-MM-DD, today or yesterday (default today).")
    ] = None,
    output: Annotated[ShowFormat, typer.Option("--format", help="text or json.")] = (
        ShowFormat.TEXT
    ),
) -> None:
    """Keep how a run of the plan went (the same day again replaces it), and see its verdict."""
    from piri.cli.log import parse_day
    from piri.cli.return_to_run import run_log
    from piri.domain.diary import DiaryError

    try:
        day = parse_day(date)
    except DiaryError as error:
        raise typer.BadParameter(str(error), param_hint="--date") from None
    _run(
        lambda: run_log(
            day,
            pain_during,
            pain_after,
            built,
            limp,
            cut_short,
            next_morning,
            usual,
            activity,
            notes,
            output.value,
        )
    )


@run_plan_app.command("morning")
def run_plan_morning(
    pain: Annotated[
        int, typer.Argument(min=0, max=10, help="Your pain on waking, the morning after a run.")
    ],
    usual: Annotated[
        int | None, typer.Option(min=0, max=10, help="Your usual morning pain, 0-10.")
    ] = None,
    output: Annotated[ShowFormat, typer.Option("--format", help="text or json.")] = (
        ShowFormat.TEXT
    ),
) -> None:
    """The next-morning pain after the last run of the plan: it decides whether the run counts."""
    from piri.cli.return_to_run import run_morning

    _run(lambda: run_morning(pain, usual, output.value))


@app.command()
def info() -> None:
    """Show the version, where Piri keeps your data, and what content is loaded."""
    from piri.cli.welcome import print_info

    _run(print_info)


def main() -> None:
    app()
