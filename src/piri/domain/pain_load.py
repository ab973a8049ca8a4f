"""Pain and load together: the flares in the pain diary, the runs before each, how often pain
rose after each kind of load event compared with other days, and what that suggests.

Pure code: a ``LoadReport`` (from ``piri.domain.load``) and the diary in, plain dataclasses
out. Nothing here claims causation: a pattern in one runner's data is a pattern, not proof.
Every threshold is a named constant, marked "derived" (the team's rule) or with its source.

Definitions (derived):
- A diary day is *compared* when the previous diary entry is at most ``FLARE_MAX_GAP_DAYS``
  days earlier, and it falls between the first imported run and the last day analysed.
- A *flare* is a compared day whose worst pain rose, against that previous entry, by a change
  that matters (``pain_change``: 2 points or 30% of the score before; facts brief 5.3). The
  previous entry, not a 3-day mean: the pain-monitoring model reads the response a day later
  (facts brief 5.1), and a mean would hide a rise that follows a quiet day.
- A day is *after* an event when the event fell on that day or up to ``EVENT_WINDOW_DAYS``
  days before it (the day itself counts: a day's worst pain can follow that day's run).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from piri.domain.diary import DayEntry
from piri.domain.load import (
    HILL_ASCENT_M_PER_KM,
    SOURCE_FRANDSEN_2025,
    SOURCE_NIELSEN_2014,
    SOURCE_SCHACHE_2011,
    SOURCE_UPHILL,
    SPIKE_HIGH_PCT,
    SPIKE_LOW_PCT,
    SPIKE_MID_PCT,
    SPIKE_WINDOW_DAYS,
    TEN_PERCENT_RULE_PCT,
    LoadReport,
    RunLoad,
    spike_limit_m,
)
from piri.domain.outcomes import Change, Direction, pain_change

# Derived: a rise is only read against an entry at most 2 days earlier; against one from a week
# before it says little about what happened in between.
FLARE_MAX_GAP_DAYS = 2
# Derived from issue 5 ("how often pain rose in the next two days"): an event counts for the
# day it happened and the 2 days after.
EVENT_WINDOW_DAYS = 2
# Derived: below 3 flares or 4 weeks with runs, Piri says there is too little data rather than
# guess.
MIN_FLARES = 3
MIN_WEEKS_OF_RUNS = 4
# Derived: a kind of event is called a pattern when at least 2 flares came within 2 days of one
# and pain rose at least twice as often on the days after one as on the other compared days.
PATTERN_MIN_FLARES = 2
PATTERN_RATE_FACTOR = 2

NOT_PROOF = "That is a pattern, not proof."

SOURCE_PAIN_MONITORING = (
    "BIM Physio (after RunningPhysio/Tom Goom): https://bim.physio/the-pain-monitoring-model/"
)
SOURCE_RETURN_TO_RUN = (
    "Lever return-to-run: https://levermovement.com/blogs/journal/lever-return-to-run-plan"
)


class LoadEvent(StrEnum):
    SPIKE = "spike"  # a run more than 10% longer than the longest of the previous 30 days
    SPEED = "speed"  # a speed session (piri.domain.load's derived rule)
    HILL = "hill"  # a hilly run (more than HILL_ASCENT_M_PER_KM m of climb per km)
    JUMP = "weekly_jump"  # the day the week's distance passed 110% of the week before


EVENT_PHRASES = {
    LoadEvent.SPIKE: (
        f"a run more than {SPIKE_LOW_PCT}% longer than your longest run of the previous "
        f"{SPIKE_WINDOW_DAYS} days"
    ),
    LoadEvent.SPEED: "a speed session",
    LoadEvent.HILL: f"a hilly run (more than {HILL_ASCENT_M_PER_KM} m of climb per km)",
    LoadEvent.JUMP: f"a week-on-week jump in distance of more than {TEN_PERCENT_RULE_PCT}%",
}
EVENT_LABELS = {
    LoadEvent.SPIKE: f"Runs more than {SPIKE_LOW_PCT}% longer than your 30-day longest",
    LoadEvent.SPEED: "Speed sessions",
    LoadEvent.HILL: "Hilly runs",
    LoadEvent.JUMP: f"Weekly jumps of more than {TEN_PERCENT_RULE_PCT}%",
}


@dataclass(frozen=True)
class Flare:
    day: dt.date
    previous_day: dt.date  # the diary entry it is compared with
    before: int  # worst pain then
    after: int  # worst pain on the flare day
    change: Change
    runs: list[RunLoad]  # runs on the flare day and the EVENT_WINDOW_DAYS days before
    events: frozenset[LoadEvent]  # the kinds of event among them


@dataclass(frozen=True)
class EventStats:
    kind: LoadEvent
    events: int  # days with at least one such event
    flares_after: int  # flares within EVENT_WINDOW_DAYS of one
    days_after: int  # compared days within EVENT_WINDOW_DAYS of one
    other_days: int  # the other compared days
    flares_other: int  # flares among those
    pattern: bool

    @property
    def rate_after(self) -> float | None:
        return self.flares_after / self.days_after if self.days_after else None

    @property
    def rate_other(self) -> float | None:
        return self.flares_other / self.other_days if self.other_days else None


@dataclass(frozen=True)
class Advice:
    kind: LoadEvent | None  # None: general advice from the flares themselves
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class PainLoadReport:
    compared_days: int
    flares: list[Flare]
    weeks_of_runs: int
    enough_data: bool  # at least MIN_FLARES flares and MIN_WEEKS_OF_RUNS weeks with runs
    stats: list[EventStats] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    advice: list[Advice] = field(default_factory=list)


def flare_change(before: int, after: int) -> Change | None:
    """The change when worst pain rose by a change that matters, else None."""
    change = pain_change(before, after)
    return change if change.meaningful and change.direction is Direction.WORSE else None


def compared_pairs(
    diary: Sequence[DayEntry], first: dt.date, last: dt.date
) -> list[tuple[DayEntry, DayEntry]]:
    """(previous entry, entry) for every diary day from ``first`` to ``last`` that has an
    entry at most FLARE_MAX_GAP_DAYS days before it."""
    entries = sorted(diary, key=lambda e: e.day)
    pairs = []
    for previous, entry in itertools.pairwise(entries):
        gap = (entry.day - previous.day).days
        if 0 < gap <= FLARE_MAX_GAP_DAYS and first <= entry.day <= last:
            pairs.append((previous, entry))
    return pairs


def event_days(load: LoadReport) -> dict[LoadEvent, set[dt.date]]:
    """The days each kind of load event happened."""
    days: dict[LoadEvent, set[dt.date]] = {kind: set() for kind in LoadEvent}
    for run in load.runs:
        if run.spike is not None and run.spike.band is not None:
            days[LoadEvent.SPIKE].add(run.day)
        if run.speed_session:
            days[LoadEvent.SPEED].add(run.day)
        if run.hilly:
            days[LoadEvent.HILL].add(run.day)
    for week in load.weeks:
        if week.jump_day is not None:
            days[LoadEvent.JUMP].add(week.jump_day)
    return days


def _window(day: dt.date) -> set[dt.date]:
    return {day - dt.timedelta(days=i) for i in range(EVENT_WINDOW_DAYS + 1)}


def is_pattern(flares_after: int, days_after: int, flares_other: int, other_days: int) -> bool:
    """At least PATTERN_MIN_FLARES flares after the events, and a rate after them at least
    PATTERN_RATE_FACTOR times the rate on the other compared days."""
    if flares_after < PATTERN_MIN_FLARES or not days_after or not other_days:
        return False
    # rate after >= factor x rate on other days, in whole numbers
    return flares_after * other_days >= PATTERN_RATE_FACTOR * flares_other * days_after


def analyse_pain_load(load: LoadReport, diary: Sequence[DayEntry]) -> PainLoadReport:
    """Flares, the runs before them, event statistics, findings and advice."""
    weeks_of_runs = len({r.day - dt.timedelta(days=r.day.weekday()) for r in load.runs})
    if not load.runs or load.last is None:
        return PainLoadReport(
            0,
            [],
            0,
            False,
            findings=["Import your runs to see how your pain follows your training."],
        )
    pairs = compared_pairs(diary, load.runs[0].day, load.last)
    kinds = event_days(load)
    flares = []
    for previous, entry in pairs:
        change = flare_change(previous.worst_pain, entry.worst_pain)
        if change is None:
            continue
        window = _window(entry.day)
        flares.append(
            Flare(
                day=entry.day,
                previous_day=previous.day,
                before=previous.worst_pain,
                after=entry.worst_pain,
                change=change,
                runs=[r for r in load.runs if r.day in window],
                events=frozenset(k for k, days in kinds.items() if days & window),
            )
        )
    flare_days = {f.day for f in flares}
    stats = []
    for kind, days in kinds.items():
        after = [e.day for _, e in pairs if days & _window(e.day)]
        other = [e.day for _, e in pairs if not days & _window(e.day)]
        flares_after = sum(1 for d in after if d in flare_days)
        flares_other = sum(1 for d in other if d in flare_days)
        stats.append(
            EventStats(
                kind=kind,
                events=len(days),
                flares_after=flares_after,
                days_after=len(after),
                other_days=len(other),
                flares_other=flares_other,
                pattern=is_pattern(flares_after, len(after), flares_other, len(other)),
            )
        )
    enough = len(flares) >= MIN_FLARES and weeks_of_runs >= MIN_WEEKS_OF_RUNS
    report = PainLoadReport(len(pairs), flares, weeks_of_runs, enough, stats)
    return replace(
        report,
        findings=_findings(report),
        advice=_advice(report, load) if enough else [],
    )


# --- Words -------------------------------------------------------------------------------------


def _date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _pct(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _spike_phrase(flares: Sequence[Flare]) -> str:
    """The largest spike edge that every flare after a spike had a run beyond."""
    largest = []
    for flare in flares:
        excesses = [
            r.spike.excess_pct
            for r in flare.runs
            if r.spike is not None and r.spike.band is not None
        ]
        if excesses:
            largest.append(max(excesses))
    lowest = min(largest, default=0.0)
    if lowest > SPIKE_HIGH_PCT:
        return (
            "a run more than twice as long as your longest run of the previous "
            f"{SPIKE_WINDOW_DAYS} days"
        )
    if lowest > SPIKE_MID_PCT:
        return (
            f"a run more than {SPIKE_MID_PCT}% longer than your longest run of the previous "
            f"{SPIKE_WINDOW_DAYS} days"
        )
    return EVENT_PHRASES[LoadEvent.SPIKE]


def _findings(report: PainLoadReport) -> list[str]:
    compared, flares = report.compared_days, report.flares
    if not compared:
        return [
            "Keep the pain diary every day, or every other day: Piri finds flares by comparing "
            "each day's worst pain with the entry before it."
        ]
    if not flares:
        return [
            "Your worst pain did not rise by a change that matters (2 points, or 30%) on any of "
            f"the {compared} days Piri could compare, so there is nothing to link to your runs."
        ]
    if len(flares) == 1:
        lines = [
            f"Your worst pain rose by a change that matters once, on {_date(flares[0].day)}, "
            f"in the {compared} days Piri could compare."
        ]
    else:
        lines = [
            f"Your worst pain rose by a change that matters on {len(flares)} of the "
            f"{compared} days Piri could compare."
        ]
    if not report.enough_data:
        have = []
        if len(flares) < MIN_FLARES:
            have.append(_plural(len(flares), "flare"))
        if report.weeks_of_runs < MIN_WEEKS_OF_RUNS:
            have.append(f"runs in {_plural(report.weeks_of_runs, 'week')}")
        lines.append(
            f"With {' and '.join(have)} that is too little to link your pain to your runs "
            f"(Piri needs at least {MIN_FLARES} flares and runs in {MIN_WEEKS_OF_RUNS} weeks), "
            "so it will not guess. Keep the diary and keep importing your runs."
        )
        return lines
    for stat in report.stats:
        if not stat.days_after:
            continue
        after = [f for f in flares if stat.kind in f.events]
        phrase = EVENT_PHRASES[stat.kind]
        if stat.kind is LoadEvent.SPIKE and stat.pattern:
            phrase = _spike_phrase(after)
        # "one" is the event just named; a narrower spike phrase names the wider rule again
        one = "one" if phrase == EVENT_PHRASES[stat.kind] else EVENT_PHRASES[stat.kind]
        rates = (
            f"{stat.flares_after} of the {stat.days_after} days within {EVENT_WINDOW_DAYS} "
            f"days of {one} ({_pct(stat.flares_after, stat.days_after)})"
        )
        other = (
            f"{stat.flares_other} of {stat.other_days} other days "
            f"({_pct(stat.flares_other, stat.other_days)})"
            if stat.other_days
            else "no other days to compare with"
        )
        if stat.pattern:
            lines.append(
                f"{len(after)} of your {len(flares)} flares came within {EVENT_WINDOW_DAYS} days "
                f"of {phrase}. Pain rose on {rates}, against {other}. {NOT_PROOF}"
            )
        else:
            lines.append(
                f"{EVENT_LABELS[stat.kind]}: pain rose on {rates}, against {other}; "
                "no clear pattern."
            )
    if not any(s.pattern for s in report.stats):
        lines.append("Your flares do not line up with one kind of run more than with other days.")
    return lines


def _advice(report: PainLoadReport, load: LoadReport) -> list[Advice]:
    advice = []
    patterns = {s.kind for s in report.stats if s.pattern}
    if LoadEvent.SPIKE in patterns:
        advice.append(Advice(LoadEvent.SPIKE, _spike_advice(load), (SOURCE_FRANDSEN_2025,)))
    if LoadEvent.SPEED in patterns:
        advice.append(
            Advice(
                LoadEvent.SPEED,
                "Slow down: keep your runs easy for now, and bring speed work back only when "
                "easy running no longer makes the pain worse the next day.",
                (SOURCE_SCHACHE_2011, SOURCE_RETURN_TO_RUN),
            )
        )
    if LoadEvent.HILL in patterns:
        advice.append(
            Advice(
                LoadEvent.HILL,
                "Choose flatter routes for now, and bring hills back only when easy running on "
                "the flat no longer makes the pain worse the next day.",
                (SOURCE_UPHILL, SOURCE_RETURN_TO_RUN),
            )
        )
    if LoadEvent.JUMP in patterns:
        advice.append(
            Advice(
                LoadEvent.JUMP,
                "Build up more gently: keep each week's distance close to the week before, and "
                "take a lighter week when the pain rises.",
                (SOURCE_NIELSEN_2014,),
            )
        )
    advice.append(
        Advice(
            None,
            "When your pain is worse the next day, shorten or slow down your next run, or take "
            "a day or two off, until it settles: a rise the next day is the sign to reduce the "
            "load.",
            (SOURCE_PAIN_MONITORING,),
        )
    )
    return advice


def _spike_advice(load: LoadReport) -> str:
    recent: list[float] = []
    if load.last is not None:
        since = load.last - dt.timedelta(days=SPIKE_WINDOW_DAYS - 1)
        recent = [r.distance_m for r in load.runs if r.day >= since and r.distance_m]
    if not recent:
        return (
            f"Shorten your long run: keep every run within {SPIKE_LOW_PCT}% of your longest run "
            f"of the previous {SPIKE_WINDOW_DAYS} days."
        )
    longest = max(recent)
    return (
        f"Shorten your long run: keep every run within {SPIKE_LOW_PCT}% of your longest run of "
        f"the previous {SPIKE_WINDOW_DAYS} days (now {longest / 1000:.1f} km, so no more than "
        f"{spike_limit_m(longest) / 1000:.1f} km)."
    )


def flare_text(flare: Flare) -> str:
    """One flare and the runs before it, in one line."""
    head = (
        f"{_date(flare.day)}: worst pain {flare.before} to {flare.after} "
        f"(against {_date(flare.previous_day)})."
    )
    if not flare.runs:
        return f"{head} No runs that day or in the {EVENT_WINDOW_DAYS} days before."
    parts = []
    for run in flare.runs:
        words = [_date(run.day)]
        words.append(f"{run.distance_m / 1000:.1f} km" if run.distance_m else "distance unknown")
        if run.spike is not None:
            words.append(
                f"{run.spike.excess_pct:+.0f}% against the {SPIKE_WINDOW_DAYS}-day longest "
                f"({run.spike.reference_m / 1000:.1f} km)"
            )
        if run.speed_seconds:
            words.append(f"{run.speed_seconds / 60:.0f} min at speed")
        if run.speed_session:
            words.append("a speed session")
        if run.ascent_per_km is not None:
            words.append(
                f"{run.ascent_per_km:.0f} m climb per km" + (" (hilly)" if run.hilly else "")
            )
        parts.append(", ".join(words))
    return f"{head} Runs: " + "; ".join(parts) + "."
