"""The return-to-running plan as every surface uses it: where it stands, a run and how it went,
the next-morning pain, and the runs planned ahead (for the calendar and the handout)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from piri.content.loader import library
from piri.content.models import Phase
from piri.content.return_to_run_models import ReturnToRunPlan, WalkRunStep
from piri.domain.activity import Activity
from piri.domain.diary import DayEntry
from piri.domain.exercise_hold import check_reminder
from piri.domain.load import activity_key, run_day
from piri.domain.return_to_run import (
    RUN_PAIN_MAX,
    RUNS_PER_WEEK,
    SESSIONS_PER_STEP,
    BuildWeek,
    CriterionResult,
    JudgedRun,
    LongRunFlag,
    PlanState,
    ReadinessFacts,
    RunCandidate,
    RunReport,
    Verdict,
    all_met,
    build_weeks,
    long_run_flags,
    match_run,
    reached_usual,
    replay,
    run_days,
    start_criteria,
    step_instructions,
    step_name,
    usual_weekly_minutes,
)
from piri.domain.return_to_run import ReturnToRunError as ReturnToRunError  # for the surfaces
from piri.domain.values import day_problem, text_problem
from piri.services.diary import LOCAL_PERSON, store
from piri.services.memo import kept
from piri.store import activities as activity_store
from piri.store import diary as diary_store
from piri.store import program as program_store
from piri.store import return_to_run as run_store
from piri.store.database import transaction
from piri.store.models import WalkRunRecord

# How far back an unreported imported run is offered for a planned day, and how far ahead the
# next run days are shown.
OFFER_IMPORTED_DAYS = 14
NEXT_DAYS_AHEAD = 14
BUILD_WEEKS_SHOWN = 12
NOTES_MAX = 1000


class NotReadyError(ValueError):
    """The walk-run plan cannot start yet; the message lists the criteria not met."""


class NothingWaitingError(LookupError):
    """No run is waiting for its next-morning pain."""


@dataclass(frozen=True)
class PlannedRun:
    """A run the plan asks for on a day: for the calendar, the handout and the pages."""

    day: dt.date
    title: str  # e.g. "Walk-run, step 3 of 12"
    minutes: int  # planned duration
    details: list[str]  # plain-word lines: the intervals, the surface, the pain rule


@dataclass(frozen=True)
class ImportedOffer:
    """An imported run on a planned day that is not reported yet: add the pain scores."""

    key: str
    day: dt.date
    minutes: float


@dataclass(frozen=True)
class BuildView:
    weeks: list[BuildWeek]  # from the first week after the plan
    this_week: BuildWeek | None
    minutes_this_week: float
    usual_minutes: float | None  # None: Piri has no runs from before the plan
    back_to_usual: bool
    purpose: str


@dataclass(frozen=True)
class RunPlanView:
    """Where the return-to-running plan stands for one person on one day."""

    today: dt.date
    plan: ReturnToRunPlan
    criteria: list[CriterionResult]
    started: bool
    paused: str | None  # why the plan waits, when it does
    state: PlanState
    step: WalkRunStep | None  # the step to do next; None once the plan is done
    next_days: list[dt.date]
    imported_offer: ImportedOffer | None
    build: BuildView | None
    long_run_flags: list[LongRunFlag] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return all_met(self.criteria)

    @property
    def can_log(self) -> bool:
        return self.started or self.ready

    @property
    def step_number(self) -> int:
        return min(self.state.step_index, len(self.plan.steps) - 1) + 1

    @property
    def last_run(self) -> JudgedRun | None:
        return self.state.history[-1] if self.state.history else None

    @property
    def rules(self) -> list[str]:
        return run_rules()


def run_rules() -> list[str]:
    """The gates after each run, in plain words (facts brief 6.1 and 6.3)."""
    return [
        f"During the run and right after it, the pain stays at {RUN_PAIN_MAX}/10 or less.",
        "The pain does not build up as the run goes on.",
        "No limp and no change in how you run.",
        "The next morning the pain is no worse than your usual morning.",
        f"Each step is done {SESSIONS_PER_STEP} times within these rules before the next; "
        "a run that breaks one is repeated or the plan goes back a step.",
    ]


# --- reading ---------------------------------------------------------------------------------


def run_plan(person: str = LOCAL_PERSON, today: dt.date | None = None) -> RunPlanView:
    day = today or dt.date.today()
    return kept(store(), person, "run_plan", day, lambda: _run_plan(person, day))


def _run_plan(person: str, today: dt.date) -> RunPlanView:
    with transaction(store()) as session:
        owner = diary_store.person_id(session, person)
        return _view(session, owner, today)


def _view(session: Session, owner: int, today: dt.date) -> RunPlanView:
    plan = library().return_to_run
    profile, phase, _since, last_check = program_store.load_profile(session, owner)
    reminder = check_reminder(last_check)
    diary = diary_store.days(session, owner)
    facts = ReadinessFacts(
        walks_30_minutes_pain_free=profile.walks_30_min_pain_free,
        diary=diary,
        in_return_to_run_phase=phase is Phase.RETURN_TO_RUN,
        strength_step_back_days=[
            s.day for s in program_store.session_outcomes(session, owner) if s.stepped_back
        ],
        open_warning=None if reminder is None else f"{reminder.action} {reminder.what_it_means}",
    )
    criteria = start_criteria(plan, facts, today)
    records = run_store.walk_runs(session, owner)
    state = replay(plan, [_report(r, diary) for r in records])
    started = bool(records)
    paused = _paused(started, phase, facts.open_warning)
    step = None if state.finished else plan.steps[min(state.step_index, len(plan.steps) - 1)]
    last_day = records[-1].day if records else None
    runs = [a for a in activity_store.activities(session, owner) if a.is_run]
    next_days: list[dt.date] = []
    open_for_runs = paused is None and (started or all_met(criteria))
    if open_for_runs:
        next_days = run_days(today, today + dt.timedelta(days=NEXT_DAYS_AHEAD), last_day)
    offer = None
    if step is not None and open_for_runs:
        offer = _imported_offer(runs, records, step, last_day, today)
    build = None
    flags: list[LongRunFlag] = []
    if state.finished_on is not None:
        first_day = records[0].day
        build = _build(plan, state.finished_on, runs, records, first_day, today)
        flags = long_run_flags(_minutes_by_day(runs, records), state.finished_on)
    return RunPlanView(
        today, plan, criteria, started, paused, state, step, next_days, offer, build, flags
    )


def _paused(started: bool, phase: Phase, open_warning: str | None) -> str | None:
    """Once started, the plan waits only for an open warning sign or a flare that sent the
    program back; the pain gates after each run handle the rest."""
    if not started:
        return None
    if open_warning is not None:
        return f"The plan waits for your latest symptom check: {open_warning}"
    if phase is not Phase.RETURN_TO_RUN:
        return (
            "The plan waits: the program went back to an earlier phase after a flare. It picks "
            "up where you left it once the program is back in the return-to-running phase."
        )
    return None


def _report(record: WalkRunRecord, diary: list[DayEntry]) -> RunReport:
    """The stored run with the diary filling in the mornings the runner did not give: the
    next day's pain on waking for the next morning, the run day's for the usual."""
    by_day = {entry.day: entry for entry in diary}
    next_morning = record.pain_next_morning
    if next_morning is None:
        after = by_day.get(record.day + dt.timedelta(days=1))
        next_morning = after.pain_now if after is not None else None
    usual = record.usual_morning_pain
    if usual is None:
        before = [e for e in diary if e.day <= record.day]
        usual = before[-1].pain_now if before else None
    return RunReport(
        day=record.day,
        pain_during=record.pain_during,
        pain_after=record.pain_after,
        pain_built=record.pain_built,
        limp=record.limp,
        finished=record.finished,
        next_morning=next_morning,
        usual_morning=usual,
    )


def _run_minutes(activity: Activity) -> float:
    """A walk-run's whole time counts, walking included: the elapsed time."""
    return activity.elapsed_seconds / 60


def _imported_offer(
    runs: list[Activity],
    records: list[WalkRunRecord],
    step: WalkRunStep,
    last_day: dt.date | None,
    today: dt.date,
) -> ImportedOffer | None:
    """The latest imported run on a planned day since the last report that fits the step."""
    earliest = today - dt.timedelta(days=OFFER_IMPORTED_DAYS)
    start = max(earliest, last_day + dt.timedelta(days=1)) if last_day else earliest
    used = {r.activity_key for r in records if r.activity_key}
    reported = {r.day for r in records}
    candidates = [
        RunCandidate(activity_key(a), run_day(a), _run_minutes(a))
        for a in runs
        if activity_key(a) not in used and start <= run_day(a) <= today
    ]
    planned = run_days(start, today, last_day)
    for day in reversed(planned):
        if day in reported:
            continue
        match = match_run(day, step.minutes, candidates)
        if match is not None:
            return ImportedOffer(match.key, match.day, match.minutes)
    return None


def _minutes_by_day(
    runs: list[Activity], records: list[WalkRunRecord]
) -> list[tuple[dt.date, float]]:
    """Every run as (day, minutes): the imported ones, and the reported ones with no file."""
    linked = {activity_key(a) for a in runs}
    found = [(run_day(a), _run_minutes(a)) for a in runs]
    found += [
        (r.day, float(r.planned_minutes))
        for r in records
        if r.activity_key is None or r.activity_key not in linked
    ]
    return sorted(found)


def _build(
    plan: ReturnToRunPlan,
    finished_on: dt.date,
    runs: list[Activity],
    records: list[WalkRunRecord],
    first_day: dt.date,
    today: dt.date,
) -> BuildView:
    usual = usual_weekly_minutes([(run_day(a), _run_minutes(a)) for a in runs], first_day)
    weeks = build_weeks(finished_on, plan.steps[-1].minutes, usual, BUILD_WEEKS_SHOWN)
    this_week = next((w for w in weeks if w.start <= today < w.start + dt.timedelta(weeks=1)), None)
    minutes = 0.0
    if this_week is not None:
        end = this_week.start + dt.timedelta(weeks=1)
        minutes = sum(m for d, m in _minutes_by_day(runs, records) if this_week.start <= d < end)
    back = this_week is not None and reached_usual(this_week, usual)
    return BuildView(weeks, this_week, minutes, usual, back, plan.build.purpose)


# --- planned runs --------------------------------------------------------------------------


def planned_runs(
    person: str = LOCAL_PERSON, start: dt.date | None = None, end: dt.date | None = None
) -> list[PlannedRun]:
    """The runs planned from ``start`` to ``end`` (inclusive); none while the plan cannot start
    or waits. Future steps are not known yet (they follow each run's pain), so every run of the
    walk-run plan shows the current step."""
    first = start or dt.date.today()
    last = end or first + dt.timedelta(weeks=4)
    view = run_plan(person, first)
    if view.paused is not None or not view.can_log:
        return []
    days = run_days(first, last, view.state.history[-1].report.day if view.started else None)
    total = len(view.plan.steps)
    if view.step is not None:
        title = f"Walk-run, step {view.step_number} of {total}"
        details = [
            step_name(view.step).capitalize() + ".",
            *step_instructions(view.step),
            "The step may change after each run: Piri moves on after two runs within the rules "
            "and goes back after one that breaks them.",
        ]
        return [PlannedRun(day, title, view.step.minutes, details) for day in days]
    if view.build is None:
        return []
    planned = []
    for day in days:
        week = _build_week_of(view.build, day)
        minutes = _build_run_minutes(week)
        lighter = " (a lighter week)" if week.lighter else ""
        planned.append(
            PlannedRun(
                day,
                f"Easy run, build week {week.number}{lighter}",
                minutes,
                [
                    f"About {minutes} minutes of easy running; {week.target_minutes} minutes "
                    "this week in all.",
                    f"No single run longer than {week.longest_run_minutes} minutes this week.",
                    f"Stop if the pain goes above {RUN_PAIN_MAX}/10, builds, or makes you limp.",
                ],
            )
        )
    return planned


def _build_week_of(build: BuildView, day: dt.date) -> BuildWeek:
    """The build week ``day`` falls in; the last one shown after them."""
    return next(
        (w for w in build.weeks if w.start <= day < w.start + dt.timedelta(weeks=1)),
        build.weeks[-1],
    )


def _build_run_minutes(week: BuildWeek) -> int:
    """One run of a build week: a third of the week (rounded up), within the week's longest
    run, so that three of them make the week and each builds on the runs before it."""
    return min(week.longest_run_minutes, max(1, math.ceil(week.target_minutes / RUNS_PER_WEEK)))


# --- writing ---------------------------------------------------------------------------------


def log_run(
    day: dt.date,
    pain_during: int,
    pain_after: int,
    pain_built: bool = False,
    limp: bool = False,
    finished: bool = True,
    next_morning: int | None = None,
    usual_morning: int | None = None,
    activity: str | None = None,
    notes: str = "",
    person: str = LOCAL_PERSON,
    today: dt.date | None = None,
) -> JudgedRun:
    """Keep how a run of the plan went (one a day: the same day again replaces it) and return
    its verdict. ``activity``: the key of the imported run it was, "auto" to match one."""
    today = today or dt.date.today()
    problem = day_problem(day, today)
    if problem is not None:
        raise ReturnToRunError("day", f"date: {problem}")
    RunReport(day, pain_during, pain_after, pain_built, limp, finished, next_morning, usual_morning)
    if len(notes) > NOTES_MAX:
        raise ReturnToRunError("notes", f"notes: at most {NOTES_MAX} characters, got {len(notes)}")
    note_problem = text_problem(notes)
    if note_problem is not None:
        raise ReturnToRunError("notes", f"notes: {note_problem}")
    with transaction(store()) as session:
        owner = diary_store.person_id(session, person)
        view = _view(session, owner, today)
        if not view.can_log:
            unmet = [f"{c.name} ({c.detail})" for c in view.criteria if not c.met]
            raise NotReadyError(
                "The walk-run plan cannot start yet: " + "; ".join(unmet) + ". See 'piri run-plan'."
            )
        step = _step_for(view, day)
        key = _activity_for(session, owner, day, step, activity)
        record = WalkRunRecord(
            day=day,
            step=step.id if step is not None else "build",
            planned_minutes=step.minutes if step is not None else 0,
            pain_during=pain_during,
            pain_after=pain_after,
            pain_built=pain_built,
            limp=limp,
            finished=finished,
            pain_next_morning=next_morning,
            usual_morning_pain=usual_morning,
            activity_key=key,
            notes=notes.strip(),
        )
        if step is None and key is not None:
            record.planned_minutes = round(_minutes_of(session, owner, key) or 0)
        elif step is None and view.build is not None:
            # A build run without a watch file counts as the run the plan asked for that day
            # (it counted as 0 minutes towards the week and the longest-run check).
            record.planned_minutes = _build_run_minutes(_build_week_of(view.build, day))
        run_store.save_walk_run(session, owner, record)
        after = _view(session, owner, today)
    return next(j for j in after.state.history if j.report.day == day)


def _step_for(view: RunPlanView, day: dt.date) -> WalkRunStep | None:
    """The step a run on ``day`` was for: the one the plan stood at before it."""
    earlier = [j for j in view.state.history if j.report.day < day]
    if not earlier:
        return view.plan.steps[0]
    if any(j.report.day > day for j in view.state.history):
        index = next(j for j in view.state.history if j.report.day > day).step_index
        return view.plan.steps[index]
    return view.step


def _activity_for(
    session: Session, owner: int, day: dt.date, step: WalkRunStep | None, wanted: str | None
) -> str | None:
    if wanted is None:
        return None
    runs = activity_store.runs_on(session, owner, day)
    if wanted != "auto":
        if not any(activity_key(a) == wanted for _id, a in runs):
            raise ReturnToRunError(
                "activity", f"activity: no imported run '{wanted[:20]}' on {day}"
            )
        return wanted
    candidates = [RunCandidate(activity_key(a), day, _run_minutes(a)) for _id, a in runs]
    if step is None:
        return candidates[-1].key if candidates else None
    match = match_run(day, step.minutes, candidates)
    return match.key if match is not None else None


def _minutes_of(session: Session, owner: int, key: str) -> float | None:
    for activity in activity_store.activities(session, owner):
        if activity_key(activity) == key:
            return _run_minutes(activity)
    return None


def add_next_morning(
    pain: int,
    usual: int | None = None,
    person: str = LOCAL_PERSON,
    today: dt.date | None = None,
) -> JudgedRun:
    """The next-morning pain of the latest run waiting for it; returns its verdict now."""
    today = today or dt.date.today()
    RunReport(today, 0, 0, False, False, True, pain, usual)  # checks both scores
    with transaction(store()) as session:
        owner = diary_store.person_id(session, person)
        view = _view(session, owner, today)
        waiting = view.state.waiting
        if waiting is None:
            raise NothingWaitingError(
                "no run of the plan is waiting for its next-morning pain; log a run first "
                "('piri run-plan log')"
            )
        record = run_store.walk_run_on(session, owner, waiting.report.day)
        assert record is not None
        record.pain_next_morning = pain
        if usual is not None:
            record.usual_morning_pain = usual
        session.flush()
        after = _view(session, owner, today)
    return next(j for j in after.state.history if j.report.day == waiting.report.day)


def verdict_label(verdict: Verdict) -> str:
    return {
        Verdict.COUNTS: "counted",
        Verdict.REPEAT: "repeat",
        Verdict.STEP_BACK: "step back",
        Verdict.WAITING: "waiting for the next morning",
    }[verdict]


# --- as JSON ------------------------------------------------------------------------------


def judged_as_json(run: JudgedRun, plan: ReturnToRunPlan) -> dict[str, Any]:
    report = run.report
    return {
        "date": report.day.isoformat(),
        "step": plan.steps[run.step_index].id,
        "step_number": run.step_index + 1,
        "build": run.build,
        "pain_during": report.pain_during,
        "pain_after": report.pain_after,
        "pain_built": report.pain_built,
        "limp": report.limp,
        "finished": report.finished,
        "pain_next_morning": report.next_morning,
        "usual_morning_pain": report.usual_morning,
        "verdict": run.verdict.value,
        "reason": run.reason,
    }


def step_as_json(step: WalkRunStep, number: int) -> dict[str, Any]:
    return {
        "id": step.id,
        "number": number,
        "name": step_name(step),
        "run_minutes": step.run_minutes,
        "walk_minutes": step.walk_minutes,
        "cycles": step.cycles,
        "minutes": step.minutes,
        "surface": step.surface.value,
        "strides": step.strides,
        "instructions": step_instructions(step),
        "sources": [{"title": s.title, "url": str(s.url)} for s in step.sources],
    }


def view_as_json(view: RunPlanView) -> dict[str, Any]:
    """The plan as JSON: the API's ``/api/v1/return-to-run`` and ``piri run-plan --format
    json`` give this document."""
    plan = view.plan
    build = view.build
    offer = view.imported_offer
    return {
        "date": view.today.isoformat(),
        "ready": view.ready,
        "started": view.started,
        "paused": view.paused,
        "finished_on": (
            view.state.finished_on.isoformat() if view.state.finished_on is not None else None
        ),
        "criteria": [
            {"id": c.id, "name": c.name, "met": c.met, "detail": c.detail} for c in view.criteria
        ],
        "step": step_as_json(view.step, view.step_number) if view.step is not None else None,
        "steps_total": len(plan.steps),
        "sessions_at_step": view.state.sessions_at_step,
        "sessions_per_step": SESSIONS_PER_STEP,
        "next_days": [day.isoformat() for day in view.next_days],
        "imported_offer": (
            None
            if offer is None
            else {"activity": offer.key, "date": offer.day.isoformat(), "minutes": offer.minutes}
        ),
        "rules": view.rules,
        "runs": [judged_as_json(run, plan) for run in view.state.history],
        "build": (
            None
            if build is None
            else {
                "purpose": build.purpose,
                "usual_weekly_minutes": build.usual_minutes,
                "back_to_usual": build.back_to_usual,
                "minutes_this_week": round(build.minutes_this_week, 1),
                "this_week": build.this_week.number if build.this_week else None,
                "weeks": [
                    {
                        "number": w.number,
                        "start": w.start.isoformat(),
                        "target_minutes": w.target_minutes,
                        "lighter": w.lighter,
                        "longest_run_minutes": w.longest_run_minutes,
                    }
                    for w in build.weeks
                ],
            }
        ),
        "long_run_flags": [
            {
                "date": f.day.isoformat(),
                "minutes": round(f.minutes, 1),
                "longest_before": round(f.longest_before, 1),
                "band": f.band.value,
                "message": f.message,
            }
            for f in view.long_run_flags
        ],
        "sources": plan_sources(plan),
    }


def plan_sources(plan: ReturnToRunPlan) -> list[dict[str, str]]:
    """The sources of the start criteria and the build, each once."""
    found: dict[str, str] = {}
    for source in [*(s for c in plan.criteria for s in c.sources), *plan.build.sources]:
        found.setdefault(str(source.url), source.title)
    return [{"title": title, "url": url} for url, title in found.items()]
