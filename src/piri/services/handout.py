"""The printable program: everything on the pages of ``piri handout`` and /plan/handout.pdf.

One typed value (:class:`Handout`) gathered from the service layer: the phase, this week's
days, each exercise of the week with its pictures, steps and dose, the pain rules in plain
words (built from the constants of :mod:`piri.domain.progression`), the red flags, when to
see a professional, and every source, numbered once. :mod:`piri.handout.render` turns it into
HTML and PDF; the surfaces only call :func:`handout_for` and the renderer.

While the latest symptom check holds the exercise sessions (urgent or emergency), the handout
holds no exercises at all: page one says to get care first, then the red flags.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from piri.content.check_models import RedFlag, Urgency
from piri.content.loader import library
from piri.content.models import Dose, Exercise, Phase, Sides, Source
from piri.domain.progression import (
    GOOD_SESSIONS_TO_PROGRESS,
    MORNING_RISE_STEP_BACK,
    PAIN_ACCEPTABLE_MAX,
    PAIN_SAFE_MAX,
    REPS_MAX,
    REPS_MIN,
    REPS_STEP,
    SETS_MAX,
)
from piri.domain.triage import ACTION_NOW, NOT_A_DIAGNOSIS
from piri.services.diary import LOCAL_PERSON, store
from piri.services.figures import figure_pictures
from piri.services.library import NotFoundError
from piri.services.memo import kept
from piri.services.program import exercise_on_hold, profile_started, this_week

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Weeks of tick boxes in the schedule: a month on the fridge before printing a new copy.
TICK_WEEKS = 4
# The row of pictures of one exercise fits this width (cm, inside the A4 margins), and no
# picture is taller than this.
PICTURE_ROW_CM = 16.5
PICTURE_GAP_CM = 0.4  # the .picture margin in handout.css, rounded up
PICTURE_MAX_HEIGHT_CM = 2.4
MAX_PICTURES = 3
# A narrow drawing's caption gets at least this width (3 pictures of it still fit the row).
PICTURE_MIN_BOX_CM = 4.4

NO_PLAN_YET = (
    "There is no plan to print yet: Piri builds it from your profile. Set your painful side, "
    "equipment and time first, with 'piri profile --side left' (or right, both) or on the "
    "Profile page, then print it."
)
GET_CARE_FIRST = (
    "Get care first. Your latest symptom check found a warning sign, so this printout holds "
    "no exercises: they wait until a professional has seen you."
)
PLAN_WAITS = (
    "Your plan waits for the professional: print a new copy once a professional has seen you "
    "and said you may exercise (tell Piri so on the Today page, or with "
    "'piri check --seen-by-professional')."
)
REST_DAY = "On a rest day, nerve glides are fine"
REPRINT = (
    "Your doses change after each morning check-in: print a new copy when Piri says a dose "
    "went up or down."
)

# Where the pain rules come from: the sources beside the constants in domain/progression.py.
PAIN_MONITORING = Source.model_validate(
    {
        "title": "BIM Physio, The pain monitoring model (after Silbernagel KG et al., AJSM 2007)",
        "url": "https://bim.physio/the-pain-monitoring-model/",
    }
)
SMALLEST_CHANGE = Source.model_validate(
    {
        "title": "Childs JD et al. Responsiveness of the numeric pain rating scale. Spine 2005",
        "url": "https://pubmed.ncbi.nlm.nih.gov/15928561/",
    }
)
STRENGTH_DOSE = Source.model_validate(
    {
        "title": "ACSM position stand on resistance training (summary)",
        "url": "https://exercise.trekeducation.org/2017/07/31/resistance-training/",
    }
)
TWO_FOR_TWO = Source.model_validate(
    {
        "title": "The 2-for-2 rule for progressing load (after Baechle & Earle, NSCA)",
        "url": "https://athleticperformancetc.wordpress.com/tag/2-for-2-rule/",
    }
)


class NoPlanYetError(LookupError):
    """The person has no profile yet, so there is no program to print."""

    def __init__(self) -> None:
        super().__init__(NO_PLAN_YET)


@dataclass(frozen=True)
class SourceRef:
    number: int
    title: str
    url: str


@dataclass
class SourceIndex:
    """Numbers every source once, in the order the pages first cite it."""

    by_url: dict[str, SourceRef] = field(default_factory=dict)

    def cite(self, sources: Iterable[Source]) -> tuple[int, ...]:
        numbers = []
        for source in sources:
            url = str(source.url)
            if url not in self.by_url:
                self.by_url[url] = SourceRef(len(self.by_url) + 1, source.title, url)
            number = self.by_url[url].number
            if number not in numbers:
                numbers.append(number)
        return tuple(numbers)

    def listed(self) -> tuple[SourceRef, ...]:
        return tuple(self.by_url.values())


@dataclass(frozen=True)
class Picture:
    """One position of an exercise, as inline SVG (no file, no address: nothing to fetch)."""

    number: int
    label: str
    alt: str
    svg: str
    width_cm: float  # the drawing
    height_cm: float
    box_cm: float  # the drawing and its caption: never so narrow that the caption runs long


@dataclass(frozen=True)
class HandoutExercise:
    id: str
    name: str
    purpose: str
    pictures: tuple[Picture, ...]
    starting_position: str
    steps: tuple[str, ...]
    cues: tuple[str, ...]
    dose: str  # in words: "2 sets of 8 reps each side, rest 30 s"
    dose_short: str  # for the schedule: "2 × 8 each side"
    dose_note: str | None
    side_note: str | None  # which side first, or only, from the runner's painful side
    cautions: tuple[str, ...]  # when to stop or skip it
    days: tuple[str, ...]  # the weekdays it is on
    sources: tuple[int, ...]


@dataclass(frozen=True)
class ScheduledItem:
    exercise_id: str
    name: str
    dose_short: str


@dataclass(frozen=True)
class ScheduleDay:
    weekday: str
    items: tuple[ScheduledItem, ...]
    minutes: float

    @property
    def rest_day(self) -> bool:
        return not self.items


@dataclass(frozen=True)
class PainZone:
    scores: str  # "0 to 3"
    word: str  # "safe"
    meaning: str


@dataclass(frozen=True)
class PainRules:
    during: tuple[PainZone, ...]  # during and right after the exercises
    next_morning: tuple[str, ...]
    going_up: tuple[str, ...]
    sources: tuple[int, ...]


@dataclass(frozen=True)
class WarningSign:
    title: str
    advice: str
    sources: tuple[int, ...]


@dataclass(frozen=True)
class Professional:
    """When to see a professional: the notice every page of advice in Piri ends with."""

    emergency: str
    same_day: str
    soon: str
    sources: tuple[int, ...]


@dataclass(frozen=True)
class Hold:
    """The latest symptom check holds the exercises until a professional has seen the runner."""

    action: str
    what_it_means: str
    signs: tuple[str, ...]
    checked_on: dt.date | None


@dataclass(frozen=True)
class PhaseSummary:
    number: int
    count: int
    name: str
    purpose: str
    includes: tuple[str, ...]
    moves_on_when: str
    since: dt.date
    sources: tuple[int, ...]


# --- Back to running: the lead fills this from services/return_to_run.py -----------------------


@dataclass(frozen=True)
class RunPlanCriterion:
    name: str
    why: str
    met: bool | None  # None: Piri cannot tell
    sources: tuple[int, ...]


@dataclass(frozen=True)
class RunPlanStep:
    label: str  # "Step 1"
    session: str  # "Run 1 min, walk 2 min, 5 times, on flat ground"
    minutes: int
    current: bool
    sources: tuple[int, ...]


@dataclass(frozen=True)
class RunPlan:
    """The "Back to running" section; the template renders it when the handout has one."""

    intro: str
    criteria: tuple[RunPlanCriterion, ...]
    steps: tuple[RunPlanStep, ...]
    rules: tuple[str, ...]  # when to move on, repeat or step back, in plain words
    build: str  # what comes after the last step
    sources: tuple[int, ...]


@dataclass(frozen=True)
class Handout:
    printed_on: dt.date
    for_whom: str  # "Left side · 20 minutes a day, 4 days a week · a mini band"
    phase: PhaseSummary
    hold: Hold | None
    days: tuple[ScheduleDay, ...]  # empty while a hold lasts
    tick_weeks: int
    exercises: tuple[HandoutExercise, ...]  # empty while a hold lasts
    pain_rules: PainRules | None  # None while a hold lasts
    emergency_signs: tuple[WarningSign, ...]
    urgent_signs: tuple[WarningSign, ...]
    professional: Professional
    not_a_diagnosis: str
    reprint: str
    sources: tuple[SourceRef, ...]
    run_plan: RunPlan | None = None

    @property
    def plan_waits(self) -> str:
        return PLAN_WAITS

    @property
    def emergency_action(self) -> str:
        return ACTION_NOW[Urgency.EMERGENCY]

    @property
    def urgent_action(self) -> str:
        return ACTION_NOW[Urgency.URGENT]

    @property
    def rest_day_text(self) -> str:
        return REST_DAY

    @property
    def warning_sources(self) -> tuple[int, ...]:
        """The sources of every warning sign on the pages, each once, in order."""
        signs = (*self.emergency_signs, *self.urgent_signs)
        return tuple(dict.fromkeys(n for sign in signs for n in sign.sources))


def handout_for(person: str = LOCAL_PERSON, today: dt.date | None = None) -> Handout:
    """The printable program of ``person`` as it stands ``today``.

    Raises NoPlanYetError before the person has a profile.
    """
    today = today or dt.date.today()
    if not profile_started(person):
        raise NoPlanYetError()
    content = library()
    week = this_week(person, today)
    reminder = exercise_on_hold(person)
    hold = (
        None
        if reminder is None
        else Hold(reminder.action, reminder.what_it_means, reminder.signs, reminder.checked_on)
    )
    cited = SourceIndex()  # numbered in the order the pages cite them
    order = [p.id for p in content.program.phases]
    phase = PhaseSummary(
        number=order.index(week.phase.id) + 1,
        count=len(order),
        name=week.phase.name,
        purpose=week.phase.purpose,
        includes=tuple(week.phase.includes),
        moves_on_when=week.phase.moves_on_when,
        since=week.since,
        sources=cited.cite(week.phase.sources) if hold is None else (),  # not printed then
    )
    days: tuple[ScheduleDay, ...] = ()
    exercises: tuple[HandoutExercise, ...] = ()
    pain_rules = None if hold is not None else pain_rules_in_words(cited)
    flags = content.check_rules.red_flags
    emergency = warning_signs(flags, Urgency.EMERGENCY, cited)  # cited in the order printed
    urgent = warning_signs(flags, Urgency.URGENT, cited)
    if hold is None:
        side = week.profile.painful_side
        doses: dict[str, Dose] = {}
        on_days: dict[str, list[str]] = {}
        schedule = []
        for day in week.days:
            items = []
            for exercise_id, dose in day.items:
                doses.setdefault(exercise_id, dose)
                on_days.setdefault(exercise_id, []).append(WEEKDAYS[day.weekday])
                items.append(
                    ScheduledItem(
                        exercise_id, content.exercises[exercise_id].name, dose_short(dose)
                    )
                )
            schedule.append(ScheduleDay(WEEKDAYS[day.weekday], tuple(items), day.minutes))
        days = tuple(schedule)
        exercises = tuple(
            handout_exercise(content.exercises[e], dose, on_days[e], side, cited)
            for e, dose in doses.items()
        )
    # Printed after the exercises and before "when to see a professional": cited in that order.
    run_plan = (
        back_to_running(person, today, cited)
        if hold is None and week.phase.id is Phase.RETURN_TO_RUN
        else None
    )
    safety = content.safety
    professional = Professional(
        safety.emergency, safety.same_day, safety.soon, cited.cite(safety.sources)
    )
    return Handout(
        printed_on=today,
        for_whom=for_whom(
            week.profile.painful_side,
            week.profile.minutes_per_day,
            week.profile.days_per_week,
            week.profile.equipment,
        ),
        phase=phase,
        hold=hold,
        days=days,
        tick_weeks=TICK_WEEKS,
        exercises=exercises,
        pain_rules=pain_rules,
        emergency_signs=emergency,
        urgent_signs=urgent,
        professional=professional,
        not_a_diagnosis=NOT_A_DIAGNOSIS,
        reprint=REPRINT,
        sources=cited.listed(),
        run_plan=run_plan,
    )


def for_whom(side: str | None, minutes: int, days_per_week: int, equipment: Iterable[str]) -> str:
    parts = []
    if side in ("left", "right"):
        parts.append(f"Painful side: {side}")
    elif side == "both":
        parts.append("Painful side: both")
    parts.append(
        f"{minutes} minutes a day, {days_per_week} day{'s' if days_per_week != 1 else ''} a week"
    )
    held = sorted(item.replace("_", " ") for item in equipment)
    parts.append("Equipment: " + (", ".join(held) if held else "none"))
    return " · ".join(parts)


def dose_words(dose: Dose) -> str:
    """The dose of one session in words, without how many days a week (the schedule says)."""
    return dose.describe().split("; ")[0]


def dose_short(dose: Dose) -> str:
    """The dose in a few characters, for the schedule: '2 × 8 each side', '3 × 30 s'."""
    if dose.duration_seconds is not None:
        work = f"{dose.sets} × {dose.duration_seconds} s"
    elif dose.hold_seconds is not None:
        work = f"{dose.sets} × {dose.reps} × {dose.hold_seconds} s holds"
    else:
        work = f"{dose.sets} × {dose.reps}"
    side = {Sides.EACH: " each side", Sides.PAINFUL: " painful side"}.get(dose.sides, "")
    return work + side


def side_note(dose: Dose, painful_side: str | None) -> str | None:
    if painful_side not in ("left", "right"):
        return None
    if dose.sides is Sides.PAINFUL:
        return f"Only on your {painful_side} side."
    if dose.sides is Sides.EACH:
        return f"Start with your {painful_side} side."
    return None


def pictures_of(exercise_id: str) -> tuple[Picture, ...]:
    """Up to three positions side by side: one row as wide as the page, none too tall."""
    try:
        drawn = figure_pictures(exercise_id)[:MAX_PICTURES]
    except NotFoundError:
        return ()
    if not drawn:
        return ()
    ratios = [p.width / p.height for p in drawn]
    room = PICTURE_ROW_CM - PICTURE_GAP_CM * (len(drawn) - 1)
    height = min(PICTURE_MAX_HEIGHT_CM, room / sum(ratios))
    return tuple(
        Picture(
            p.number,
            p.label,
            p.alt,
            p.svg,
            round(height * ratio, 2),
            round(height, 2),
            round(max(height * ratio, PICTURE_MIN_BOX_CM), 2),
        )
        for p, ratio in zip(drawn, ratios, strict=True)
    )


def handout_exercise(
    exercise: Exercise,
    dose: Dose,
    weekdays: Sequence[str],
    painful_side: str | None,
    cited: SourceIndex,
) -> HandoutExercise:
    return HandoutExercise(
        id=exercise.id,
        name=exercise.name,
        purpose=exercise.purpose,
        pictures=pictures_of(exercise.id),
        starting_position=exercise.starting_position,
        steps=tuple(exercise.steps),
        cues=tuple(exercise.cues[:1]),
        dose=dose_words(dose),
        dose_short=dose_short(dose),
        dose_note=dose.note,
        side_note=side_note(dose, painful_side),
        cautions=tuple(exercise.avoid_if),
        days=tuple(weekdays),
        sources=cited.cite(exercise.sources),
    )


def pain_rules_in_words(cited: SourceIndex) -> PainRules:
    """How much pain is fine, from the thresholds the program itself decides by."""
    return PainRules(
        during=(
            PainZone(
                f"0 to {PAIN_SAFE_MAX}",
                "safe",
                "Carry on. When it stays here and settles by the next morning, the dose can go up.",
            ),
            PainZone(
                f"{PAIN_SAFE_MAX + 1} to {PAIN_ACCEPTABLE_MAX}",
                "acceptable",
                "Finish, but keep the same dose next time.",
            ),
            PainZone(
                f"above {PAIN_ACCEPTABLE_MAX}",
                "too much",
                "Stop that exercise. Next time it steps back: fewer sets or reps, or an "
                "easier version.",
            ),
        ),
        next_morning=(
            "The next morning your pain should be back to your usual morning level.",
            "A little above your usual (1 point): keep the same dose.",
            f"{MORNING_RISE_STEP_BACK} points or more above your usual: step back next time.",
        ),
        going_up=(
            f"A dose goes up only after {GOOD_SESSIONS_TO_PROGRESS} good sessions in a row: "
            f"every set done, pain at {PAIN_SAFE_MAX} or less, and back to usual the next "
            "morning.",
            f"First the repetitions, {REPS_STEP} at a time from {REPS_MIN} to {REPS_MAX}; then "
            f"a set more, up to {SETS_MAX}; then the harder version.",
        ),
        sources=cited.cite([PAIN_MONITORING, SMALLEST_CHANGE, STRENGTH_DOSE, TWO_FOR_TWO]),
    )


def warning_signs(
    flags: Iterable[RedFlag], urgency: Urgency, cited: SourceIndex
) -> tuple[WarningSign, ...]:
    action = ACTION_NOW[urgency]
    return tuple(
        WarningSign(flag.title, flag.advice.removeprefix(action).strip(), cited.cite(flag.sources))
        for flag in flags
        if flag.urgency is urgency
    )


def printable_pdf(person: str = LOCAL_PERSON, today: dt.date | None = None) -> tuple[bytes, int]:
    """The program as PDF bytes and its page count, kept until the person's data changes
    (or the day does: the date is printed on every page). Raises NoPlanYetError."""
    day = today or dt.date.today()
    return kept(store(), person, "handout_pdf", day, lambda: _printable_pdf(person, day))


def _printable_pdf(person: str, day: dt.date) -> tuple[bytes, int]:
    from piri.handout.render import render_pdf_pages  # WeasyPrint loads only when printing

    return render_pdf_pages(handout_for(person, day))


def back_to_running(person: str, today: dt.date, cited: SourceIndex) -> RunPlan:
    """The walk-run plan as it stands: the start criteria until the first run, every step with
    the current one marked, the rules after each run, and the build after the plan."""
    from piri.domain.return_to_run import SESSIONS_PER_STEP, step_name
    from piri.services.return_to_run import run_plan

    view = run_plan(person, today)
    plan = view.plan
    criteria: tuple[RunPlanCriterion, ...] = ()
    if not view.started:
        criteria = tuple(
            RunPlanCriterion(c.name, result.detail, result.met, cited.cite(c.sources))
            for c, result in zip(plan.criteria, view.criteria, strict=True)
        )
    current = view.state.step_index if not view.state.finished else None
    steps = tuple(
        RunPlanStep(
            label=f"Step {number}",
            session=step_name(step)[0].upper() + step_name(step)[1:],
            minutes=step.minutes,
            current=current == number - 1,
            sources=cited.cite(step.sources),
        )
        for number, step in enumerate(plan.steps, start=1)
    )
    intro = (
        "Three runs a week on days that are not back to back, growing by time and never by "
        f"pace. Each step is done {SESSIONS_PER_STEP} times within the rules below before the "
        "next; tick a box for each run."
    )
    if view.paused:
        intro = f"{view.paused} {intro}"
    elif view.state.finished:
        intro = "The walk-run plan is done. " + intro
    return RunPlan(
        intro=intro,
        criteria=criteria,
        steps=steps,
        rules=tuple(view.rules),
        build=plan.build.purpose,
        sources=tuple(
            dict.fromkeys(
                [
                    *(n for c in criteria for n in c.sources),
                    *(n for step in steps for n in step.sources),
                    *cited.cite(plan.build.sources),
                ]
            )
        ),
    )
