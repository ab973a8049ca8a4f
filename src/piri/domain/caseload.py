"""One runner on a clinician's caseload: the summary and the alerts, from plain data.

The clinician sees, for each runner, only what that runner shares (``Access.allows``); a part
that is not shared is :data:`NOT_SHARED`, never an empty zero, and the alerts that would need
it are listed as not checked. Pure: the caller reads the data (for all runners at once) and
gives each runner's part here with the day it counts as today.

Every threshold is the existing program's, cited where it is defined; the windows marked
"derived" are the team's own reading.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any, Final

from piri.content.check_models import Urgency
from piri.domain.activity import Activity
from piri.domain.care import SHARE_LABELS, Access, Share
from piri.domain.diary import DayEntry
from piri.domain.exercise_hold import check_reminder
from piri.domain.load import (
    CHRONIC_DAYS,
    SPIKE_BAND_LABELS,
    SPIKE_WINDOW_DAYS,
    acwr_series,
    acwr_zone,
    daily_loads,
    describe_runs,
    run_day,
)
from piri.domain.outcomes import Change, lefs_change, pain_change, psfs_change
from piri.domain.pain_load import compared_pairs, flare_change
from piri.domain.program import training_weekdays
from piri.domain.progression import PAIN_ACCEPTABLE_MAX

# Derived: the pain trend compares the mean worst pain of the last 7 diary days with the 7
# before, and needs at least 3 entries in each week to say anything (fewer says too little).
TREND_DAYS = 7
TREND_MIN_ENTRIES = 3
# Derived: a pain flare, a session's pain or a load spike is news for a week.
RECENT_DAYS = 7
# Derived: three planned sessions in a row not done (the "three missed sessions").
MISSED_IN_A_ROW = 3
# How far back the caller must read each table for these rules to see what they need: the
# spike of the last week needs the 30 days of runs before it, and the acute:chronic ratio the
# last 28 recorded days (piri.domain.load); three missed sessions at one a week need 3 weeks.
LOAD_WINDOW_DAYS = RECENT_DAYS + max(SPIKE_WINDOW_DAYS, CHRONIC_DAYS)
DIARY_WINDOW_DAYS = max(2 * TREND_DAYS, LOAD_WINDOW_DAYS)
SESSION_WINDOW_DAYS = 7 * MISSED_IN_A_ROW + 7


class NotShared:
    """A part of the record the runner does not share with this clinician."""

    shared = False  # what a template asks: ``part.shared is sameas false``
    _instance: NotShared | None = None

    def __new__(cls) -> NotShared:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NOT_SHARED"


NOT_SHARED: Final = NotShared()


class AlertLevel(IntEnum):
    """How soon the clinician should look; lower sorts first."""

    URGENT = 0  # a warning sign that needs care today or now
    SOON = 1  # a warning sign that needs an appointment within days, or a pain flare
    WATCH = 2  # worth a word at the next contact


class AlertKind(IntEnum):
    """Within a level, the order the issue gives them in."""

    RED_FLAG = 0
    PAIN_FLARE = 1
    SESSION_PAIN = 2
    MISSED_SESSIONS = 3


ALERT_NAMES = {
    AlertKind.RED_FLAG: "red_flag",
    AlertKind.PAIN_FLARE: "pain_flare",
    AlertKind.SESSION_PAIN: "session_pain",
    AlertKind.MISSED_SESSIONS: "missed_sessions",
}
# The share each alert needs: without it, the alert is not checked (and the page says so).
ALERT_SHARES = {
    AlertKind.RED_FLAG: Share.CHECKS,
    AlertKind.PAIN_FLARE: Share.DIARY,
    AlertKind.SESSION_PAIN: Share.SESSIONS,
    AlertKind.MISSED_SESSIONS: Share.SESSIONS,
}


@dataclass(frozen=True)
class Alert:
    kind: AlertKind
    level: AlertLevel
    day: dt.date | None  # when it happened, when known
    text: str  # one sentence for the clinician

    @property
    def sort_key(self) -> tuple[int, int, int]:
        """Most urgent first; within a level, the issue's order; then the newest first."""
        return (self.level, self.kind, -(self.day.toordinal() if self.day else 0))


@dataclass(frozen=True)
class SessionDay:
    """What a caseload needs of one exercise session."""

    day: dt.date
    pain_during: int | None
    pain_after: int | None


@dataclass(frozen=True)
class RunnerRecord:
    """The parts of one runner's record the caseload reads, each within its window."""

    phase: str
    days_per_week: int
    phase_since: dt.date | None
    last_check: Mapping[str, Any] | None
    diary: Sequence[DayEntry] = ()  # the last DIARY_WINDOW_DAYS
    sessions: Sequence[SessionDay] = ()  # the last SESSION_WINDOW_DAYS
    first_session: dt.date | None = None  # the first session ever
    scores: Sequence[tuple[dt.date, str, float]] = ()  # every score, oldest first
    activities: Sequence[Activity] = ()  # the last LOAD_WINDOW_DAYS


@dataclass(frozen=True)
class Adherence:
    done: int  # sessions done this week (Monday to today)
    planned: int  # training days in the week's plan
    planned_so_far: int  # of those, the days up to today

    @property
    def text(self) -> str:
        return (
            f"{self.done} of {self.planned} sessions this week "
            f"({self.planned_so_far} planned so far)"
        )


@dataclass(frozen=True)
class PainTrend:
    this_week: float | None  # mean worst pain of the last 7 days
    week_before: float | None  # of the 7 days before
    entries: tuple[int, int]  # diary entries in each
    change: Change | None  # None: too few entries to compare

    @property
    def text(self) -> str:
        if self.change is None:
            return (
                f"Too few diary days to compare ({self.entries[0]} this week, "
                f"{self.entries[1]} the week before; {TREND_MIN_ENTRIES} each are needed)."
            )
        words = {"better": "better", "worse": "worse", "same": "about the same"}
        return (
            f"Worst pain {self.change.after:.1f} this week against {self.change.before:.1f} "
            f"the week before: {words[self.change.direction.value]}, {self.change.size}."
        )


@dataclass(frozen=True)
class OutcomeScore:
    instrument: str  # "lefs" or "psfs"
    day: dt.date
    score: float
    change: Change | None  # against the score before it; None for a first score

    @property
    def text(self) -> str:
        name = self.instrument.upper()
        if self.change is None:
            return f"{name} {self.score:g} on {self.day.isoformat()} (the first one)."
        difference = f"{self.change.difference:+g}"
        verdict = "reaches" if self.change.meaningful else "does not reach"
        return (
            f"{name} {self.score:g} on {self.day.isoformat()} ({difference} since "
            f"{self.change.before:g}): {verdict} the change that matters."
        )


@dataclass(frozen=True)
class LoadFlags:
    spikes: tuple[tuple[dt.date, str], ...]  # runs of the last week in a spike band, and it
    ratio: float | None  # the acute:chronic distance ratio today (rolling, coupled)
    ratio_reliable: bool
    ratio_zone: str  # the zone as claimed (Gabbett 2016); "" without a ratio
    runs_this_week: int

    @property
    def text(self) -> str:
        parts = [f"{self.runs_this_week} run{'s' if self.runs_this_week != 1 else ''} this week"]
        if self.spikes:
            parts.append(f"{len(self.spikes)} spike{'s' if len(self.spikes) != 1 else ''}")
        if self.ratio is not None:
            trust = "" if self.ratio_reliable else ", too few recorded days to trust"
            parts.append(f"acute:chronic {self.ratio:.2f} ({self.ratio_zone}{trust})")
        return "; ".join(parts) + "."


@dataclass(frozen=True)
class RunnerSummary:
    phase: str
    adherence: Adherence | NotShared
    pain_trend: PainTrend | NotShared | None  # None: no diary entries in two weeks
    outcomes: list[OutcomeScore] | NotShared
    load: LoadFlags | NotShared | None  # None: no runs in the window
    alerts: list[Alert] = field(default_factory=list)
    not_checked: list[str] = field(default_factory=list)  # alerts the shares do not allow

    @property
    def top_level(self) -> AlertLevel | None:
        return self.alerts[0].level if self.alerts else None


def summarise(record: RunnerRecord, access: Access, today: dt.date) -> RunnerSummary:
    """The caseload line of one runner, with only what ``access`` allows."""
    sessions = access.allows(Share.SESSIONS)
    diary = access.allows(Share.DIARY)
    runs = access.allows(Share.RUNS)
    alerts: list[Alert] = []
    if access.allows(Share.CHECKS):
        alerts += red_flag_alerts(record.last_check)
    if diary:
        alerts += flare_alerts(record.diary, today)
    if sessions:
        alerts += session_pain_alerts(record.sessions, today)
        alerts += missed_session_alerts(record, today)
    not_checked = sorted(
        {SHARE_LABELS[share] for share in ALERT_SHARES.values() if not access.allows(share)}
    )
    return RunnerSummary(
        phase=record.phase,
        adherence=adherence_this_week(record, today) if sessions else NOT_SHARED,
        pain_trend=pain_trend(record.diary, today) if diary else NOT_SHARED,
        outcomes=latest_outcomes(record.scores) if diary else NOT_SHARED,
        load=load_flags(record.activities, record.diary, today) if runs else NOT_SHARED,
        alerts=sort_alerts(alerts),
        not_checked=not_checked,
    )


def sort_alerts(alerts: Sequence[Alert]) -> list[Alert]:
    return sorted(alerts, key=lambda alert: alert.sort_key)


def caseload_order(summary: RunnerSummary) -> tuple[int, int, int]:
    """Runners with the most urgent alert first, then those with more alerts."""
    if not summary.alerts:
        return (len(AlertLevel), 0, 0)
    top = summary.alerts[0]
    return (top.level, top.kind, -len(summary.alerts))


# --- adherence -----------------------------------------------------------------------------------


def week_monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def adherence_this_week(record: RunnerRecord, today: dt.date) -> Adherence:
    """Sessions done since Monday against the training days of the plan's week
    (``piri.domain.program.TRAINING_DAYS``, from the profile's days a week)."""
    monday = week_monday(today)
    weekdays = training_weekdays(record.days_per_week)
    done = sum(1 for s in record.sessions if monday <= s.day <= today)
    so_far = sum(1 for weekday in weekdays if weekday <= today.weekday())
    return Adherence(done, len(weekdays), so_far)


# --- pain ----------------------------------------------------------------------------------------


def _mean(values: Sequence[int]) -> float | None:
    return sum(values) / len(values) if values else None


def pain_trend(diary: Sequence[DayEntry], today: dt.date) -> PainTrend | None:
    """The mean worst pain of the last 7 days against the 7 before; the change is read as
    ``pain_change`` reads it (2 points or 30% is a real change: Childs 2005, Ostelo 2008, in
    ``piri.domain.outcomes``)."""
    start = today - dt.timedelta(days=TREND_DAYS - 1)
    before_start = start - dt.timedelta(days=TREND_DAYS)
    recent = [e.worst_pain for e in diary if start <= e.day <= today]
    earlier = [e.worst_pain for e in diary if before_start <= e.day < start]
    if not recent and not earlier:
        return None
    after, before = _mean(recent), _mean(earlier)
    change = None
    if len(recent) >= TREND_MIN_ENTRIES and len(earlier) >= TREND_MIN_ENTRIES:
        assert after is not None and before is not None
        change = pain_change(round(before, 1), round(after, 1))
    return PainTrend(after, before, (len(recent), len(earlier)), change)


def flare_alerts(diary: Sequence[DayEntry], today: dt.date) -> list[Alert]:
    """The latest flare of the last week: worst pain up by a change that matters against the
    diary entry at most 2 days before (``piri.domain.pain_load``'s definition)."""
    since = today - dt.timedelta(days=RECENT_DAYS - 1)
    flares = [
        (previous, entry)
        for previous, entry in compared_pairs(diary, since, today)
        if flare_change(previous.worst_pain, entry.worst_pain) is not None
    ]
    if not flares:
        return []
    previous, entry = flares[-1]
    more = f" ({len(flares)} flares this week)" if len(flares) > 1 else ""
    return [
        Alert(
            AlertKind.PAIN_FLARE,
            AlertLevel.SOON,
            entry.day,
            f"Pain flare on {entry.day.isoformat()}: worst pain {entry.worst_pain}/10, up from "
            f"{previous.worst_pain}/10 on {previous.day.isoformat()}{more}.",
        )
    ]


def session_pain_alerts(sessions: Sequence[SessionDay], today: dt.date) -> list[Alert]:
    """Sessions of the last week whose pain during or right after went above the
    pain-monitoring model's acceptable 5/10 (``piri.domain.progression.PAIN_ACCEPTABLE_MAX``,
    Silbernagel 2007), the newest first."""
    since = today - dt.timedelta(days=RECENT_DAYS - 1)
    found = []
    for s in sessions:
        worst = max((p for p in (s.pain_during, s.pain_after) if p is not None), default=None)
        if worst is not None and worst > PAIN_ACCEPTABLE_MAX and since <= s.day <= today:
            found.append((s.day, worst))
    if not found:
        return []
    day, worst = max(found)
    more = f" ({len(found)} such sessions this week)" if len(found) > 1 else ""
    return [
        Alert(
            AlertKind.SESSION_PAIN,
            AlertLevel.WATCH,
            day,
            f"Session on {day.isoformat()} with pain {worst}/10, above the "
            f"{PAIN_ACCEPTABLE_MAX}/10 the pain rules accept{more}.",
        )
    ]


# --- sessions missed -----------------------------------------------------------------------------


def planned_days(days_per_week: int, first: dt.date, last: dt.date) -> list[dt.date]:
    """The plan's training days from ``first`` to ``last``, both included."""
    weekdays = set(training_weekdays(days_per_week))
    count = (last - first).days + 1
    days = (first + dt.timedelta(days=n) for n in range(max(0, count)))
    return [day for day in days if day.weekday() in weekdays]


def missed_session_alerts(record: RunnerRecord, today: dt.date) -> list[Alert]:
    """The last three planned training days before today each passed without a session.

    A planned day counts as done when a session falls on it or before the next planned day
    (Monday's session done on Tuesday is not missed). Days before the program started (the
    first session, or the day the phase began) are not counted."""
    starts = [day for day in (record.first_session, record.phase_since) if day is not None]
    if not starts:
        return []
    start = max(min(starts), today - dt.timedelta(days=SESSION_WINDOW_DAYS - 1))
    planned = planned_days(record.days_per_week, start, today - dt.timedelta(days=1))
    if len(planned) < MISSED_IN_A_ROW:
        return []
    done = sorted(s.day for s in record.sessions)
    slots = list(zip(planned, [*planned[1:], today], strict=True))[-MISSED_IN_A_ROW:]
    for first, upto in slots:
        if any(first <= day < upto for day in done):
            return []
    return [
        Alert(
            AlertKind.MISSED_SESSIONS,
            AlertLevel.WATCH,
            slots[-1][0],
            f"The last {MISSED_IN_A_ROW} planned sessions were not done (since "
            f"{slots[0][0].isoformat()}).",
        )
    ]


# --- warning signs -------------------------------------------------------------------------------


def red_flag_alerts(last_check: Mapping[str, Any] | None) -> list[Alert]:
    """The latest symptom check's warning signs while they stand: until a newer check no
    longer finds them or the runner says a professional has seen them
    (``piri.domain.exercise_hold.check_reminder``, the check's own rule)."""
    reminder = check_reminder(last_check)
    if reminder is None:
        return []
    urgent = reminder.urgency in (Urgency.EMERGENCY, Urgency.URGENT)
    signs = "; ".join(reminder.signs) or "a warning sign"
    when = f" on {reminder.checked_on.isoformat()}" if reminder.checked_on else ""
    return [
        Alert(
            AlertKind.RED_FLAG,
            AlertLevel.URGENT if urgent else AlertLevel.SOON,
            reminder.checked_on,
            f"Symptom check{when} raised a warning sign ({reminder.urgency.value}): {signs}. "
            "Not yet seen by a professional, as far as Piri knows.",
        )
    ]


# --- outcomes ------------------------------------------------------------------------------------


def latest_outcomes(scores: Sequence[tuple[dt.date, str, float]]) -> list[OutcomeScore]:
    """The last LEFS and PSFS, each against the one before with the change that matters
    (LEFS 9 points, Binkley 1999; PSFS 1.3, Abbott 2014: ``piri.domain.outcomes``)."""
    out = []
    for instrument, compare in (("lefs", _lefs), ("psfs", psfs_change)):
        mine = sorted((s for s in scores if s[1] == instrument), key=lambda s: s[0])
        if not mine:
            continue
        day, _name, score = mine[-1]
        change = compare(mine[-2][2], score) if len(mine) > 1 else None
        out.append(OutcomeScore(instrument, day, score, change))
    return out


def _lefs(before: float, after: float) -> Change:
    return lefs_change(round(before), round(after))


# --- load ----------------------------------------------------------------------------------------


def load_flags(
    activities: Sequence[Activity], diary: Sequence[DayEntry], today: dt.date
) -> LoadFlags | None:
    """Single-run spikes of the last week (Frandsen 2025) and today's acute:chronic distance
    ratio (with its reliability), as ``piri.domain.load.analyse_load`` computes them over the
    window read; the ratio is disputed, so the page shows it with that criticism."""
    if not any(a.is_run for a in activities):
        return None
    # analyse_load's first steps, without its weekly figures (monotony and strain, which the
    # caseload does not show and which cost most of its time)
    recorded = {d.day for d in diary if d.day <= today} | {run_day(a) for a in activities}
    runs = [r for r in describe_runs(activities) if r.day <= today]
    first = min(recorded | {today})
    days = daily_loads(runs, recorded, first, today)
    # today's rolling ratio reads only the last 28 days
    ratios = acwr_series(days[-CHRONIC_DAYS:], "distance")
    since = today - dt.timedelta(days=RECENT_DAYS - 1)
    recent = [r for r in runs if since <= r.day <= today]
    spikes = tuple(
        (r.day, SPIKE_BAND_LABELS[r.spike.band])
        for r in recent
        if r.spike is not None and r.spike.band is not None
    )
    latest = ratios[-1] if ratios else None
    ratio = latest.ratio if latest is not None and latest.day == today else None
    return LoadFlags(
        spikes=spikes,
        ratio=ratio,
        ratio_reliable=bool(latest and latest.reliable and ratio is not None),
        ratio_zone=acwr_zone(ratio) if ratio is not None else "",
        runs_this_week=len(recent),
    )
