"""Back to running: when the walk-run plan may start, how each run is judged, where the plan
stands, which days come next, and the build back to the usual weekly running after it.

Pure logic on plain data. The steps are content (``content/data/return_to_run.toml``); the
thresholds are named constants beside their sources (facts brief sections 5.1, 6.1-6.3 and
7.3); "derived" marks the team's own reading of them.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from piri.content.return_to_run_models import ReturnToRunPlan, Surface, WalkRunStep
from piri.domain.diary import DayEntry
from piri.domain.load import (
    SPIKE_BAND_LABELS,
    SPIKE_LOW_PCT,
    SPIKE_WINDOW_DAYS,
    SpikeBand,
    spike_band,
)
from piri.domain.progression import MORNING_RISE_STEP_BACK, PAIN_SAFE_MAX

# Pain during and right after a run stays mild: "ideally 3/10 or less" and never building
# (UW Health programme, Dynamic PT summary: https://dynamic-pt.com/get-back-to-running-safely);
# over about 3/10 means going back a step (SEMC: https://www.semc.org/return-running).
RUN_PAIN_MAX = PAIN_SAFE_MAX
# The next morning no worse than usual. A rise of 2 points is beyond the scale's error
# (MDC 2, Childs 2005, see domain/progression.py) and steps back; a rise of 1 is within it,
# so the run is repeated rather than counted (derived).
MORNING_RISE_BACK = MORNING_RISE_STEP_BACK
# Each step at least twice before the next (Trials 2023 protocol, table 1:
# https://trialsjournal.biomedcentral.com/articles/10.1186/s13063-023-07502-x/tables/1).
SESSIONS_PER_STEP = 2
# Three sessions a week on days that are not back to back (UW Health programme; Trials 2023:
# at least one rest day between runs). Tuesday, Thursday and Saturday by default (derived).
RUNS_PER_WEEK = 3
RUN_WEEKDAYS = (1, 3, 5)
MIN_DAYS_BETWEEN_RUNS = 2
# An imported run counts for a planned walk-run when it lasted within 25% of the plan: watches
# are started late and stopped late (derived).
MATCH_TOLERANCE_PCT = 25
# Start criteria: the last week of diary days each at 3/10 or less at worst, with at least three
# days written (derived from the UW criterion "pain mild, ideally 3/10 or less"); no step back in
# the strength work of the last two weeks (derived).
CALM_WINDOW_DAYS = 7
CALM_MIN_DAYS = 3
CALM_WORST_PAIN = PAIN_SAFE_MAX
STRENGTH_CALM_DAYS = 14
# After the plan: about 10% more a week, a lighter week every 4th week (ARC Running:
# https://www.arc-running.com/run-walk-progression/ ; Medscape FNSF follow-up:
# https://emedicine.medscape.com/article/86808-followup). The lighter week is 20% under the
# week before it (derived). No single run more than 10% longer than the longest of the last
# 30 days (Frandsen et al. 2025, see domain/load.py).
BUILD_WEEKLY_RISE_PCT = 10
BUILD_LIGHTER_EVERY = 4
BUILD_LIGHTER_PCT = 80
BUILD_ROUND_MINUTES = 5
# Weeks wholly inside the 30 days before any run of a week: the three before it.
SPIKE_SAFE_WEEKS = 3
# The usual weekly running before the pain: the best 4-week average of the 26 weeks before the
# plan started, from imported runs (derived).
USUAL_VOLUME_WEEKS = 26
USUAL_VOLUME_AVERAGE_WEEKS = 4
PAIN_RANGE = range(0, 11)
# A report's fields as the API and the export name them.
REPORT_FIELDS = {
    "pain_during": "pain_during",
    "pain_after": "pain_after",
    "next_morning": "pain_next_morning",
    "usual_morning": "usual_morning_pain",
}


class ReturnToRunError(ValueError):
    """A run report that cannot be true; the message names the field, ``field`` gives it as
    the API names it (``pain_during``, ``day``)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


# --- start criteria --------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadinessFacts:
    """What the start criteria look at, gathered by the service layer."""

    walks_30_minutes_pain_free: bool
    diary: Sequence[DayEntry]
    in_return_to_run_phase: bool
    strength_step_back_days: Sequence[dt.date]  # days a strength session stepped a dose back
    open_warning: str | None  # the open hold or reminder of the latest check, in a sentence


@dataclass(frozen=True)
class CriterionResult:
    id: str
    name: str
    met: bool
    detail: str  # what Piri sees, in one sentence


def start_criteria(
    plan: ReturnToRunPlan, facts: ReadinessFacts, today: dt.date
) -> list[CriterionResult]:
    """Each start criterion of the plan, met or not, with what Piri sees."""
    checks = {
        "walks-30-minutes": _walking(facts),
        "daily-life-calm": _daily_life(facts, today),
        "strength-milestones": _strength(facts, today),
        "no-open-warning-sign": _warning(facts),
    }
    results = []
    for criterion in plan.criteria:
        if criterion.id not in checks:
            raise KeyError(f"start criterion '{criterion.id}' has no rule in domain/return_to_run")
        met, detail = checks[criterion.id]
        results.append(CriterionResult(criterion.id, criterion.name, met, detail))
    return results


def _walking(facts: ReadinessFacts) -> tuple[bool, str]:
    if facts.walks_30_minutes_pain_free:
        return True, "Your profile says you walk 30 minutes without pain."
    return False, "Your profile does not say yet that you walk 30 minutes without pain."


def _daily_life(facts: ReadinessFacts, today: dt.date) -> tuple[bool, str]:
    recent = [d for d in facts.diary if 0 <= (today - d.day).days < CALM_WINDOW_DAYS]
    if len(recent) < CALM_MIN_DAYS:
        count = len(recent)
        written = {0: "No diary day", 1: "One diary day"}.get(count, f"{count} diary days")
        return False, f"{written} in the last week; Piri needs at least {CALM_MIN_DAYS}."
    worst = max(d.worst_pain for d in recent)
    if worst > CALM_WORST_PAIN:
        return False, (
            f"Your worst pain reached {worst}/10 in the last week; it should stay at "
            f"{CALM_WORST_PAIN}/10 or less."
        )
    return True, f"Your worst pain in the last week was {worst}/10 at most."


def _strength(facts: ReadinessFacts, today: dt.date) -> tuple[bool, str]:
    if not facts.in_return_to_run_phase:
        return False, "The program has not reached the return-to-running phase yet."
    recent = [
        d for d in facts.strength_step_back_days if 0 <= (today - d).days < STRENGTH_CALM_DAYS
    ]
    if recent:
        return False, (
            f"A strength dose stepped back on {max(recent).isoformat()}; the last two weeks "
            "should pass without one."
        )
    return True, "The strength phase is done and no dose stepped back in the last two weeks."


def _warning(facts: ReadinessFacts) -> tuple[bool, str]:
    if facts.open_warning is None:
        return True, "Your latest symptom check asks for nothing first."
    return False, facts.open_warning


def all_met(criteria: Sequence[CriterionResult]) -> bool:
    return all(c.met for c in criteria)


# --- one run ---------------------------------------------------------------------------------


class Verdict(StrEnum):
    COUNTS = "counts"  # within the rules: one of the sessions the step needs
    REPEAT = "repeat"  # do this step again; the run does not count
    STEP_BACK = "step_back"  # back to the step before
    WAITING = "waiting"  # the next-morning pain is not known yet


@dataclass(frozen=True)
class RunReport:
    """How one walk-run went, from the runner (and the diary for the next morning)."""

    day: dt.date
    pain_during: int  # the highest during the run, 0-10
    pain_after: int  # right after, 0-10
    pain_built: bool  # the pain rose as the run went on
    limp: bool  # a limp or a changed stride, during or after
    finished: bool = True  # the whole session as planned
    next_morning: int | None = None  # 0-10, the morning after
    usual_morning: int | None = None  # 0-10, the runner's ordinary morning pain

    def __post_init__(self) -> None:
        for name in ("pain_during", "pain_after", "next_morning", "usual_morning"):
            value = getattr(self, name)
            if value is None and name in ("next_morning", "usual_morning"):
                continue
            if isinstance(value, bool) or not isinstance(value, int) or value not in PAIN_RANGE:
                label = name.replace("_", " ")
                raise ReturnToRunError(
                    REPORT_FIELDS[name], f"{label}: expected a whole number 0 to 10, got {value!r}"
                )


def judge_run(report: RunReport, final: bool = False) -> tuple[Verdict, str]:
    """The verdict on one run and its reason in one sentence. ``final``: no next-morning pain
    will come any more (a later run was logged), so a missing one counts against it."""
    if report.limp:
        return Verdict.STEP_BACK, "a limp or a changed stride means the step was too much"
    if report.pain_built:
        return Verdict.STEP_BACK, "the pain built up as the run went on"
    worst = max(report.pain_during, report.pain_after)
    if worst > RUN_PAIN_MAX:
        when = "during" if report.pain_during >= report.pain_after else "right after"
        return Verdict.STEP_BACK, (
            f"the pain {when} the run reached {worst}/10, above {RUN_PAIN_MAX}/10"
        )
    if report.next_morning is not None:
        if report.usual_morning is not None:
            rise = report.next_morning - report.usual_morning
            if rise >= MORNING_RISE_BACK:
                return Verdict.STEP_BACK, (
                    f"the next morning the pain was {rise} points above your usual "
                    f"{report.usual_morning}/10"
                )
            if rise > 0:
                return Verdict.REPEAT, (
                    "the next morning the pain was 1 point above your usual, so this step "
                    "is repeated before it counts"
                )
        elif report.next_morning > RUN_PAIN_MAX:
            return Verdict.STEP_BACK, (
                f"the next morning the pain was {report.next_morning}/10, above {RUN_PAIN_MAX}/10"
            )
    elif not final:
        return Verdict.WAITING, "it counts once tomorrow morning's pain is no worse than usual"
    else:
        return Verdict.REPEAT, "no next-morning pain was given, so the run does not count"
    if not report.finished:
        return Verdict.REPEAT, "the session was cut short, so the step is done again"
    return Verdict.COUNTS, (
        f"the pain stayed at {RUN_PAIN_MAX}/10 or less, did not build, and the next morning "
        "was no worse than usual"
    )


# --- where the plan stands --------------------------------------------------------------------


@dataclass(frozen=True)
class JudgedRun:
    report: RunReport
    step_index: int  # the step the run was for
    verdict: Verdict
    reason: str  # why, in one sentence, with what happens next
    build: bool = False  # a run of the build after the plan


@dataclass(frozen=True)
class PlanState:
    step_index: int  # the step to do next (len(steps) once the plan is done)
    sessions_at_step: int  # counted sessions at that step so far
    finished_on: dt.date | None  # the day the last step was passed, while it stands
    history: list[JudgedRun] = field(default_factory=list)

    @property
    def waiting(self) -> JudgedRun | None:
        last = self.history[-1] if self.history else None
        return last if last is not None and last.verdict is Verdict.WAITING else None

    @property
    def finished(self) -> bool:
        return self.finished_on is not None


def replay(plan: ReturnToRunPlan, reports: Sequence[RunReport]) -> PlanState:
    """Walk through the runs in order and find the step to do next.

    A counted run adds one session at its step; two move on. A repeat changes nothing. A step
    back returns to the step before with its count at zero. Once the last step is passed the
    runs belong to the build; a step back there returns to the last step of the plan.
    """
    steps = plan.steps
    index, count, finished_on = 0, 0, None
    history: list[JudgedRun] = []
    ordered = sorted(reports, key=lambda r: r.day)
    for number, report in enumerate(ordered):
        final = number < len(ordered) - 1
        verdict, why = judge_run(report, final)
        building = finished_on is not None
        step = min(index, len(steps) - 1)
        # Each reason is one sentence that names what comes next.
        if verdict is Verdict.COUNTS and not building:
            count += 1
            if count >= SESSIONS_PER_STEP:
                index, count = index + 1, 0
                if index == len(steps):
                    finished_on = report.day
                    reason = f"Counted: {why}; the walk-run plan is done, so on to the build."
                else:
                    reason = f"Counted: {why}; two done, so on to {step_name(steps[index])}."
            else:
                reason = f"Counted: {why}; {step_name(steps[index])} once more, then the next."
        elif verdict is Verdict.COUNTS:
            reason = f"Within the rules: {why}."
        elif verdict is Verdict.REPEAT and building:
            reason = f"Keep the build where it is for now: {why}."
        elif verdict is Verdict.REPEAT:
            reason = f"Repeat {step_name(steps[step])}: {why}."
        elif verdict is Verdict.STEP_BACK:
            if building:
                index, count, finished_on = len(steps) - 1, 0, None
                reason = f"Back to {step_name(steps[index])}: {why}."
            elif index > 0:
                index, count = index - 1, 0
                reason = f"Back a step, to {step_name(steps[index])}: {why}."
            else:
                count = 0
                reason = f"Stay at the first step and rest a day or two: {why}."
        else:
            reason = f"Waiting: {why}."
        history.append(JudgedRun(report, step, verdict, _sentence(reason), building))
    return PlanState(index, count, finished_on, history)


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:]


def step_name(step: WalkRunStep) -> str:
    """ "run 3 min, walk 7 min, 3 times", "30 minutes of easy running on gentle hills"."""
    if step.continuous:
        text = f"{step.run_minutes} minutes of easy running"
    else:
        text = f"run {step.run_minutes} min, walk {step.walk_minutes} min, {step.cycles} times"
    if step.surface is Surface.GENTLE_HILLS:
        text += " on gentle hills"
    if step.strides:
        text += f" with {step.strides} relaxed strides"
    return text


def step_instructions(step: WalkRunStep) -> list[str]:
    """The step in plain words, as a runner reads it before going out."""
    lines = []
    if step.continuous:
        lines.append(f"Run easily for {step.run_minutes} minutes without stopping.")
    else:
        lines.append(
            f"Run easily for {step.run_minutes} min, then walk briskly for "
            f"{step.walk_minutes} min; do that {step.cycles} times ({step.minutes} minutes)."
        )
    if step.surface is Surface.FLAT:
        lines.append("Flat ground or a treadmill; no hills yet.")
    else:
        lines.append("Choose a route with gentle slopes, up and down; keep the effort easy.")
    if step.strides:
        lines.append(
            f"In the last 10 minutes, {step.strides} relaxed quicker strides of about "
            "20 seconds, walking back between them."
        )
    lines.append(
        "Easy means you could talk in full sentences; go by time, never by pace. Stop if the "
        f"pain goes above {RUN_PAIN_MAX}/10, builds, or makes you limp."
    )
    return lines


# --- the days ---------------------------------------------------------------------------------


def run_days(
    start: dt.date,
    end: dt.date,
    last_run: dt.date | None,
    weekdays: Sequence[int] = RUN_WEEKDAYS,
) -> list[dt.date]:
    """The planned run days from ``start`` to ``end``: the plan's weekdays, never the day after
    a run (a run on another day moves the next one on)."""
    days = []
    previous = last_run
    day = start
    while day <= end:
        if day.weekday() in weekdays and (
            previous is None or (day - previous).days >= MIN_DAYS_BETWEEN_RUNS
        ):
            days.append(day)
            previous = day
        day += dt.timedelta(days=1)
    return days


@dataclass(frozen=True)
class RunCandidate:
    """An imported run Piri could match to a planned day."""

    key: str
    day: dt.date
    minutes: float


def match_run(
    day: dt.date, planned_minutes: int, candidates: Sequence[RunCandidate]
) -> RunCandidate | None:
    """The imported run of ``day`` whose duration is within the tolerance of the plan; the
    closest one when there are several."""
    fitting = [
        c
        for c in candidates
        if c.day == day
        and abs(c.minutes - planned_minutes) * 100 <= planned_minutes * MATCH_TOLERANCE_PCT
    ]
    return min(fitting, key=lambda c: abs(c.minutes - planned_minutes), default=None)


# --- the build after the plan ----------------------------------------------------------------


@dataclass(frozen=True)
class BuildWeek:
    number: int  # 1 = the first week after the plan
    start: dt.date  # its Monday
    target_minutes: int
    lighter: bool
    longest_run_minutes: int  # the cap on any one run that week


def usual_weekly_minutes(runs: Sequence[tuple[dt.date, float]], before: dt.date) -> float | None:
    """The usual weekly running before the pain, from (day, minutes) of imported runs: the best
    4-week average of the 26 weeks before ``before``; None without runs there."""
    monday = before - dt.timedelta(days=before.weekday())
    weeks = [monday - dt.timedelta(weeks=n) for n in range(USUAL_VOLUME_WEEKS, 0, -1)]
    totals = {w: 0.0 for w in weeks}
    for day, minutes in runs:
        week = day - dt.timedelta(days=day.weekday())
        if week in totals:
            totals[week] += minutes
    values = [totals[w] for w in weeks]
    if not any(values):
        return None
    span = USUAL_VOLUME_AVERAGE_WEEKS
    return max(sum(values[i : i + span]) / span for i in range(len(values) - span + 1))


def build_weeks(
    finished_on: dt.date,
    last_step_minutes: int,
    usual_minutes: float | None,
    weeks: int,
) -> list[BuildWeek]:
    """The weekly minutes after the plan: from three sessions of the last step, about 10% more
    each week, every 4th week 20% lighter, up to the usual weekly running when it is known;
    never more than three runs within the week's longest-run cap can hold."""
    start = finished_on - dt.timedelta(days=finished_on.weekday()) + dt.timedelta(weeks=1)
    base = float(last_step_minutes * RUNS_PER_WEEK)
    result: list[BuildWeek] = []
    # The longest run of the weeks before, the plan's last step first: no week's longest run may
    # be more than 10% longer than any of the last SPIKE_SAFE_WEEKS weeks' (all of them within
    # the spike rule's 30 days), or the plan itself would break the single-run rule.
    longest = [last_step_minutes] * SPIKE_SAFE_WEEKS
    for number in range(1, weeks + 1):
        lighter = number % BUILD_LIGHTER_EVERY == 0
        # A lighter week eases off without losing ground: the week after it goes on from the
        # week before it.
        if number > 1 and not lighter:
            base *= 1 + BUILD_WEEKLY_RISE_PCT / 100
        if usual_minutes is not None:
            base = min(base, usual_minutes)
        target = base * BUILD_LIGHTER_PCT / 100 if lighter else base
        rounded = int(BUILD_ROUND_MINUTES * math.floor(target / BUILD_ROUND_MINUTES))
        spike_safe = max(longest[-SPIKE_SAFE_WEEKS:]) * (100 + SPIKE_LOW_PCT) // 100
        cap = min(max(last_step_minutes, math.ceil(rounded / RUNS_PER_WEEK)), spike_safe)
        # Three runs within the cap are all the week can hold without a spike.
        rounded = min(rounded, RUNS_PER_WEEK * cap)
        longest.append(cap)
        result.append(
            BuildWeek(number, start + dt.timedelta(weeks=number - 1), rounded, lighter, cap)
        )
    return result


def reached_usual(week: BuildWeek, usual_minutes: float | None) -> bool:
    return usual_minutes is not None and week.target_minutes >= (
        BUILD_ROUND_MINUTES * math.floor(usual_minutes / BUILD_ROUND_MINUTES)
    )


@dataclass(frozen=True)
class LongRunFlag:
    day: dt.date
    minutes: float
    longest_before: float
    band: SpikeBand
    message: str


def long_run_flags(runs: Sequence[tuple[dt.date, float]], since: dt.date) -> list[LongRunFlag]:
    """Runs from ``since`` on more than 10% longer (in minutes) than the longest run of the 30
    days before them: the single-run spike rule of Frandsen et al. 2025."""
    ordered = sorted(runs)
    flags = []
    for day, minutes in ordered:
        if day < since:
            continue
        window = [m for d, m in ordered if 0 < (day - d).days <= SPIKE_WINDOW_DAYS]
        if not window:
            continue
        longest = max(window)
        band = spike_band(minutes, longest)
        if band is not None:
            flags.append(
                LongRunFlag(
                    day,
                    minutes,
                    longest,
                    band,
                    f"The run on {day.isoformat()} ({minutes:.0f} min) was "
                    f"{SPIKE_BAND_LABELS[band]} ({longest:.0f} min): keep each run within "
                    "10% of your longest of the last 30 days.",
                )
            )
    return flags
