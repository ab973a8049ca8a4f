"""Training load from a runner's own runs: daily and weekly sums, single-run spikes, the weekly
change, the acute:chronic workload ratio in both forms, monotony and strain, speed and hill runs.

Pure code: activities (and the days the runner logged anything at all) in, plain dataclasses
out. Distances are in metres and times in seconds, as in ``Activity``; only runs
(``Activity.is_run``) count as load. Every threshold is a named constant next to its source
(title and URL as in the facts brief, section 7) or marked "derived" (the team's own rule).

Days without any record are *missing*, never zero load: a day counts as recorded when it has
an activity of any sport or a diary entry (a diary entry on a day without a run is how a logged
rest day shows). Each ratio says what share of its window was recorded and is marked
unreliable below ``MIN_COVERAGE``.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from piri.domain.activity import Activity

# --- Sources, as in the facts brief (section 7) ----------------------------------------------

SOURCE_FRANDSEN_2025 = (
    'Frandsen JSB et al., "How much running is too much? Identifying high-risk running '
    'sessions in a 5200-person cohort study", BJSM 2025;59:1203-10: '
    "http://47.251.13.51:8081/40623829 ; BJSM blog: "
    "https://blogs.bmj.com/bjsm/2025/10/06/how-much-running-is-too-much-a-new-take-on-injury-risk-for-runners"
)
SOURCE_BUIST_2008 = "Buist I et al., AJSM 2008;36:33-9: https://pubmed.ncbi.nlm.nih.gov/17940147/"
SOURCE_NIELSEN_2014 = (
    "Nielsen RO et al., JOSPT 2014: "
    "https://vbn.aau.dk/da/publications/excessive-progression-in-weekly-running-distance-and-risk-of-runn"
)
SOURCE_WINDT_GABBETT_2019 = (
    'Windt J & Gabbett TJ, "Is it all for naught? What does mathematical coupling mean for '
    'ACWRs?", BJSM 2019: https://bjsm.bmj.com/content/53/16/988?'
    "ijkey=4bf6a435bec772c5bbdc5284b4cc8a3c4a5a1426&keytype2=tf_ipsecsha"
)
SOURCE_WILLIAMS_2017 = (
    "Williams S et al., BJSM 2017;51:209 (letter): https://bjsm.bmj.com/content/51/3/209?"
    "ijkey=4feeecb38bdc9a86b91b4cb4082a7e02f50551ed&keytype2=tf_ipsecsha"
)
SOURCE_GABBETT_2016 = (
    'Gabbett TJ, "The training-injury prevention paradox", BJSM 2016;50:273-80: '
    "https://www.scribd.com/document/718655142/Gabbett-2016"
)
SOURCE_IMPELLIZZERI_2020 = (
    "Impellizzeri FM et al., Sports Med 2020 (scribd): "
    "https://www.scribd.com/document/535371355/10-1007-s40279-020-01378-6"
)
SOURCE_FOSTER_2001 = (
    "Foster C et al., JSCR 2001;15:109-15 (ScholarGate reference): "
    "https://scholargate.app/en/sports-science/session-rpe"
)
SOURCE_SCHACHE_2011 = (
    'Schache AG et al., "Effect of running speed on lower limb joint kinetics", '
    "MSSE 2011;43:1260-71: https://doczz.net/doc/5296123/effect_of_running_speed_on_lower_limb_join"
)
SOURCE_UPHILL = (
    "Level vs uphill running musculoskeletal model study: "
    "https://discovery.researcher.life/article/muscle-activities-of-the-lower-limb-during-level-and-uphill-running/769a02714d533662a2a1b197ba966c52"
)

# --- Single-run spikes -------------------------------------------------------------------------

# Each run is compared with the longest run of the previous 30 days; the risk bands are
# more than 10% to 30% longer, more than 30% to 100% longer, and more than 100% longer
# (hazard rate ratios 1.64, 1.52 and 2.28). A run exactly 10% longer is in no band; exactly 30%
# is in the first, exactly 100% in the second. Frandsen JSB et al., "How much running is too
# much? Identifying high-risk running sessions in a 5200-person cohort study", BJSM 2025
# (http://47.251.13.51:8081/40623829 ;
# https://blogs.bmj.com/bjsm/2025/10/06/how-much-running-is-too-much-a-new-take-on-injury-risk-for-runners)
SPIKE_WINDOW_DAYS = 30
SPIKE_LOW_PCT = 10
SPIKE_MID_PCT = 30
SPIKE_HIGH_PCT = 100


class SpikeBand(StrEnum):
    OVER_10 = "over_10"  # more than 10% and up to 30% longer
    OVER_30 = "over_30"  # more than 30% and up to 100% longer
    OVER_100 = "over_100"  # more than 100% longer


SPIKE_BAND_LABELS = {
    SpikeBand.OVER_10: "more than 10% to 30% longer than the longest run of the previous 30 days",
    SpikeBand.OVER_30: "more than 30% to 100% longer than the longest run of the previous 30 days",
    SpikeBand.OVER_100: "more than twice as long as the longest run of the previous 30 days",
}
# Hazard rate ratio (95% CI) of injury for each band against runs no longer than the 30-day
# longest; Frandsen et al. 2025 (above).
SPIKE_HAZARD_RATIOS = {
    SpikeBand.OVER_10: (1.64, 1.31, 2.05),
    SpikeBand.OVER_30: (1.52, 1.16, 2.00),
    SpikeBand.OVER_100: (2.28, 1.50, 3.48),
}

# --- Weekly change and the 10% rule ------------------------------------------------------------

# The "10% rule" (add no more than 10% a week) is a popular heuristic with weak evidence: in an
# RCT of 532 novices a 10%-rule plan did not reduce injuries (20.8% vs 20.3%); Buist I et al.,
# AJSM 2008 (https://pubmed.ncbi.nlm.nih.gov/17940147/). Progression of more than 30% over two
# weeks was borderline linked to distance-related injuries, gluteus medius among them (HR 1.59,
# 95% CI 0.96-2.66); Nielsen RO et al., JOSPT 2014
# (https://vbn.aau.dk/da/publications/excessive-progression-in-weekly-running-distance-and-risk-of-runn)
TEN_PERCENT_RULE_PCT = 10
TEN_PERCENT_RULE_NOTE = (
    "The 10% rule (add no more than 10% a week) is a popular rule of thumb, not a proven one: "
    "in a trial of 532 new runners a plan built on it did not prevent injuries (20.8% against "
    "20.3%). Jumps of more than 30% were more clearly linked to overuse injuries, including "
    "gluteal ones, and a single run much longer than your recent longest matters more than the "
    "weekly total."
)
TEN_PERCENT_RULE_SOURCES = (SOURCE_BUIST_2008, SOURCE_NIELSEN_2014, SOURCE_FRANDSEN_2025)

# --- Acute:chronic workload ratio ---------------------------------------------------------------

# Acute load = the last 7 days, chronic load = the last 28 days (both as mean daily load, so the
# ratio equals the 7-day total over the average week of the 28 days). Coupled: the chronic
# window includes the acute week; uncoupled: it leaves the acute week out (here, days 8 to 28).
# Windt J & Gabbett TJ, "Is it all for naught? What does mathematical coupling mean for ACWRs?",
# BJSM 2019 (https://bjsm.bmj.com/content/53/16/988?ijkey=4bf6a435bec772c5bbdc5284b4cc8a3c4a5a1426&keytype2=tf_ipsecsha)
ACUTE_DAYS = 7
CHRONIC_DAYS = 28

# EWMA: today = lambda x load + (1 - lambda) x yesterday, lambda = 2 / (N + 1), N = 7 and 28.
# Williams S et al., BJSM 2017;51:209 (https://bjsm.bmj.com/content/51/3/209?ijkey=4feeecb38bdc9a86b91b4cb4082a7e02f50551ed&keytype2=tf_ipsecsha);
# R package "ACWR" (https://r-packages.io/packages/ACWR).
# Derived: the averages start on the first day with 28 days of history, seeded with that day's
# rolling averages (no cold start from zero); a missing day leaves them unchanged.
EWMA_ACUTE_N = 7
EWMA_CHRONIC_N = 28

# Derived: a window is trusted when at least 75% of its days are recorded (6 of 7, 21 of 28).
# With fewer, a missing day may be a rest day or a forgotten watch, and that moves the ratio by
# more than the width of the claimed "sweet spot".
MIN_COVERAGE = 0.75

# The zones as claimed: "sweet spot" 0.8-1.3, "danger zone" 1.5 or above, below 0.8
# under-prepared. Gabbett TJ, "The training-injury prevention paradox", BJSM 2016
# (https://www.scribd.com/document/718655142/Gabbett-2016). Contested: see ACWR_CRITICISM.
ACWR_SWEET_SPOT_LOW = 0.8
ACWR_SWEET_SPOT_HIGH = 1.3
ACWR_DANGER = 1.5

# [CONFLICT] facts brief 7.2: Windt & Gabbett 2019, Impellizzeri et al. 2020, Coyne et al. 2019,
# Frandsen et al. 2025 (URLs in ACWR_CRITICISM_SOURCES).
ACWR_CRITICISM = (
    "The acute:chronic ratio is disputed. Putting this week inside the 28-day average builds in "
    "a false link between the two (r about 0.5); dividing by made-up chronic loads predicted "
    "injuries about as well as the real ratio, and neither did better than chance, so some "
    "researchers say it is time to drop it (others found the coupled and uncoupled forms "
    "differ only trivially). In 5,205 runners a higher ratio went with fewer injuries, not "
    "more. Read it as a description of your recent load, not as an injury prediction."
)
ACWR_CRITICISM_SOURCES = (
    SOURCE_WINDT_GABBETT_2019,
    SOURCE_IMPELLIZZERI_2020,
    "Coyne JO et al., IJSPP 2019: https://ro.ecu.edu.au/ecuworkspost2013/7321/",
    SOURCE_FRANDSEN_2025,
)

# --- Session RPE, monotony and strain -----------------------------------------------------------

# Session load = session RPE (CR-10, 0-10) x duration in minutes, in arbitrary units (60 min at
# RPE 7 = 420 AU). Foster C et al., JSCR 2001;15:109-15
# (https://scholargate.app/en/sports-science/session-rpe). Derived: the duration is the moving
# time when the file has it, otherwise the elapsed time.
RPE_MAX = 10
# Monotony = mean daily load of the week / its standard deviation; strain = weekly load x
# monotony (Foster 1998, as cited with Foster et al. 2001 above). [UNCERTAIN in the facts
# brief: formulas not verified in the retrieved text.] Derived: the population standard
# deviation of the recorded days of the week; with no variation (SD 0) monotony has no finite
# value and is reported as None with a note.

# --- Speed and hills (facts brief 7.5) -----------------------------------------------------------

# Faster running and uphill running load the hip extensors and hamstrings more: Schache AG et
# al., "Effect of running speed on lower limb joint kinetics", MSSE 2011
# (https://doczz.net/doc/5296123/effect_of_running_speed_on_lower_limb_join); level vs uphill
# running musculoskeletal model study
# (https://discovery.researcher.life/article/muscle-activities-of-the-lower-limb-during-level-and-uphill-running/769a02714d533662a2a1b197ba966c52).
# The rules that recognise them are derived:
# - usual pace: the median average pace of the runner's runs in the previous 28 days, once
#   there are at least 3 of them;
USUAL_PACE_DAYS = 28
USUAL_PACE_MIN_RUNS = 3
# - a lap "at speed" is at least 10% faster than usual (its pace at most 90% of the usual
#   pace, in seconds per km) and lasts at least 30 s (shorter laps, such as the leftover metres
#   at the end of a run, give unreliable paces);
SPEED_PACE_PCT = 90
SPEED_LAP_MIN_SECONDS = 30
# - a run is a speed session when its laps at speed add up to at least 2 minutes, or when the
#   whole run's average pace is itself at least 10% faster than usual;
SPEED_SESSION_MIN_SECONDS = 120
# - a week with 2 or more speed sessions is flagged;
MANY_SPEED_SESSIONS = 2
# - a run is hilly when it climbs more than 20 m per km (a flat road run climbs well under
#   10 m/km; 20 m/km means about 4% uphill on the climbs of an up-and-down course).
HILL_ASCENT_M_PER_KM = 20


class LoadError(ValueError):
    """An input the load analysis cannot use; the message names it."""


# --- Data --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spike:
    reference_m: float  # the longest run of the previous 30 days
    excess_pct: float  # how much longer this run was, in percent (negative: shorter)
    band: SpikeBand | None  # None: not more than 10% longer


@dataclass(frozen=True)
class RunLoad:
    """One run with everything the load analysis derives from it."""

    activity: Activity
    key: str  # the key its RPE is looked up by
    day: dt.date  # local date when the file gives the offset, else the UTC date
    distance_m: float | None
    seconds: float  # moving time when known, else elapsed
    usual_pace_s_per_km: float | None  # None: fewer than 3 runs in the previous 28 days
    speed_seconds: float | None  # time in laps at speed; None when the usual pace is unknown
    speed_session: bool
    spike: Spike | None  # None: no distance, or no run in the previous 30 days to compare with
    ascent_per_km: float | None
    hilly: bool
    rpe: float | None
    srpe_load: float | None  # rpe x minutes (AU)


@dataclass(frozen=True)
class DayLoad:
    day: dt.date
    recorded: bool  # any activity or diary entry that day; False: missing, not zero
    runs: int
    distance_m: float
    seconds: float
    longest_m: float
    speed_seconds: float
    speed_sessions: int
    srpe_load: float | None  # None: not recorded, or a run that day has no RPE


@dataclass(frozen=True)
class Monotony:
    days: int  # recorded days the figures are computed over
    mean: float | None  # mean daily load
    sd: float | None
    monotony: float | None  # None: fewer than 2 days, no load, or no variation (see note)
    strain: float | None  # weekly load x monotony
    reliable: bool  # at least MIN_COVERAGE of the 7 days recorded
    note: str  # "" or why a figure is missing


@dataclass(frozen=True)
class WeekLoad:
    monday: dt.date
    complete: bool  # False: the week runs past the last day analysed
    days_recorded: int
    runs: int
    distance_m: float
    seconds: float
    longest_m: float
    speed_seconds: float
    speed_sessions: int
    many_speed_sessions: bool  # at least MANY_SPEED_SESSIONS
    spikes: int  # runs in a spike band
    hilly_runs: int
    srpe_load: float | None  # None: a run without RPE this week, or no RPE at all
    # Distance against the week before; None when that was 0, or while this week is not over
    # (a week three days in is not a drop). A jump past 10% counts as soon as it happens.
    change_pct: float | None
    over_ten_percent: bool  # change_pct > TEN_PERCENT_RULE_PCT
    jump_day: dt.date | None  # the day the week's distance passed 110% of the week before
    distance_monotony: Monotony
    srpe_monotony: Monotony | None  # None when no run has an RPE


@dataclass(frozen=True)
class Acwr:
    """The acute:chronic ratio on one day, in both forms, with the coverage of its windows."""

    day: dt.date
    metric: str  # "distance" (metres a day) or "srpe" (AU a day)
    history_days: int  # days since the first record, this day included
    acute_coverage: float  # share of the last 7 days recorded (0-1)
    chronic_coverage: float  # share of the last 28 days recorded
    acute: float | None  # mean daily load over the recorded days of the last 7
    chronic: float | None  # the same over the last 28 (coupled)
    ratio: float | None  # rolling, coupled
    ratio_uncoupled: float | None  # chronic = days 8 to 28
    ratio_missing_as_rest: float | None  # rolling, coupled, if every missing day was a rest day
    ewma_acute: float | None
    ewma_chronic: float | None
    ewma_ratio: float | None
    ewma_ratio_missing_as_rest: float | None
    reliable: bool
    reason: str  # "" when reliable, else why not


@dataclass(frozen=True)
class LoadReport:
    first: dt.date | None  # the first recorded day
    last: dt.date | None  # the last day analysed
    runs: list[RunLoad] = field(default_factory=list)
    days: list[DayLoad] = field(default_factory=list)
    weeks: list[WeekLoad] = field(default_factory=list)
    distance_acwr: list[Acwr] = field(default_factory=list)
    srpe_acwr: list[Acwr] = field(default_factory=list)  # empty when no run has an RPE

    @property
    def latest_distance_acwr(self) -> Acwr | None:
        return self.distance_acwr[-1] if self.distance_acwr else None

    @property
    def latest_srpe_acwr(self) -> Acwr | None:
        return self.srpe_acwr[-1] if self.srpe_acwr else None


# --- Single rules ----------------------------------------------------------------------------


def run_day(activity: Activity) -> dt.date:
    """The day a run belongs to: its local date when the file gives the offset, else UTC."""
    local = activity.local_start
    return local.date() if local is not None else activity.start.date()


def activity_key(activity: Activity) -> str:
    """The default key for RPE look-ups: the file's hash, or the start time when it has none."""
    return activity.file_sha256 or activity.start.isoformat()


def run_seconds(activity: Activity) -> float:
    return activity.moving_seconds or activity.elapsed_seconds


def spike_band(distance_m: float, reference_m: float) -> SpikeBand | None:
    """Frandsen et al. 2025 band of a run against the longest run of the previous 30 days."""
    if reference_m <= 0:
        raise LoadError("spike: the reference distance must be above 0")
    # Compared as distance x 100 against reference x (100 + edge), so that round numbers sit
    # exactly on the edges (11 km against 10 km is 10%, not 10.000000000000009%).
    if distance_m * 100 > reference_m * (100 + SPIKE_HIGH_PCT):
        return SpikeBand.OVER_100
    if distance_m * 100 > reference_m * (100 + SPIKE_MID_PCT):
        return SpikeBand.OVER_30
    if distance_m * 100 > reference_m * (100 + SPIKE_LOW_PCT):
        return SpikeBand.OVER_10
    return None


def spike_limit_m(reference_m: float) -> float:
    """The longest a run can be and stay out of every spike band."""
    return reference_m * (100 + SPIKE_LOW_PCT) / 100


def at_speed(pace_s_per_km: float, usual_pace_s_per_km: float) -> bool:
    """At least 10% faster than usual: a pace of at most 90% of the usual seconds per km."""
    return pace_s_per_km * 100 <= usual_pace_s_per_km * SPEED_PACE_PCT


def is_hilly(ascent_m: float | None, distance_m: float | None) -> bool:
    """More than HILL_ASCENT_M_PER_KM metres of climb per km."""
    if ascent_m is None or not distance_m:
        return False
    return ascent_m * 1000 > HILL_ASCENT_M_PER_KM * distance_m


def weekly_change_pct(this_week_m: float, last_week_m: float) -> float | None:
    """The change in weekly distance in percent; None when last week was 0."""
    if last_week_m <= 0:
        return None
    return (this_week_m - last_week_m) / last_week_m * 100


def over_ten_percent(this_week_m: float, last_week_m: float) -> bool:
    """More than the 10% rule allows (exactly 10% is within it)."""
    return last_week_m > 0 and this_week_m * 100 > last_week_m * (100 + TEN_PERCENT_RULE_PCT)


def ewma_lambda(n: int) -> float:
    return 2 / (n + 1)


def ewma(values: Sequence[float | None], n: int, seed: float) -> list[float]:
    """Exponentially weighted moving average, starting from ``seed``; None leaves it as it was."""
    decay = ewma_lambda(n)
    current, out = seed, []
    for value in values:
        if value is not None:
            current = decay * value + (1 - decay) * current
        out.append(current)
    return out


def monotony(daily_loads: Sequence[float], window_days: int = 7) -> Monotony:
    """Foster's monotony (mean / SD) and strain (weekly load x monotony) of a week's days.

    ``daily_loads`` holds the recorded days only; missing days are left out, not zero.
    """
    days = len(daily_loads)
    reliable = days >= MIN_COVERAGE * window_days
    if days < 2:
        return Monotony(days, None, None, None, None, False, "fewer than 2 recorded days")
    mean = statistics.fmean(daily_loads)
    sd = statistics.pstdev(daily_loads)
    total = sum(daily_loads)
    if mean == 0:
        return Monotony(days, 0.0, 0.0, None, 0.0, reliable, "no load this week")
    if sd == 0:
        return Monotony(
            days,
            mean,
            0.0,
            None,
            None,
            reliable,
            "the same load every day: with no variation monotony has no finite value",
        )
    value = mean / sd
    return Monotony(days, mean, sd, value, total * value, reliable, "")


def acwr_zone(ratio: float) -> str:
    """The zone as claimed by Gabbett 2016; show it only with ACWR_CRITICISM."""
    if ratio < ACWR_SWEET_SPOT_LOW:
        return "below 0.8 (claimed: under-prepared)"
    if ratio <= ACWR_SWEET_SPOT_HIGH:
        return "0.8 to 1.3 (claimed: the sweet spot)"
    if ratio < ACWR_DANGER:
        return "above 1.3"
    return "1.5 or above (claimed: the danger zone)"


# --- Runs --------------------------------------------------------------------------------------


def describe_runs(
    activities: Iterable[Activity],
    rpe: Mapping[str, float] | None = None,
    key: Callable[[Activity], str] = activity_key,
) -> list[RunLoad]:
    """Every run, oldest first, with its spike, usual pace, speed, hills and session-RPE load.

    ``rpe`` maps ``key(activity)`` to the runner's effort for that run, 0-10.
    """
    ratings = dict(rpe or {})
    for name, value in ratings.items():
        if isinstance(value, bool) or not 0 <= value <= RPE_MAX:
            raise LoadError(f"rpe for {name}: expected 0 to {RPE_MAX}, got {value!r}")
    runs = sorted((a for a in activities if a.is_run), key=lambda a: a.start)
    spike_window = dt.timedelta(days=SPIKE_WINDOW_DAYS)
    pace_window = dt.timedelta(days=USUAL_PACE_DAYS)
    out: list[RunLoad] = []
    spike_from = pace_from = 0
    for index, run in enumerate(runs):
        while runs[spike_from].start < run.start - spike_window:
            spike_from += 1
        while runs[pace_from].start < run.start - pace_window:
            pace_from += 1
        before = [r for r in runs[spike_from:index] if r.start < run.start]
        distances = [r.distance_m for r in before if r.distance_m]
        spike = None
        if run.distance_m and distances:
            reference = max(distances)
            excess = (run.distance_m - reference) / reference * 100
            spike = Spike(reference, excess, spike_band(run.distance_m, reference))
        paces = [
            p
            for r in runs[pace_from:index]
            if r.start < run.start and (p := r.pace_s_per_km) is not None
        ]
        usual = statistics.median(paces) if len(paces) >= USUAL_PACE_MIN_RUNS else None
        speed_seconds: float | None = None
        speed_session = False
        if usual is not None:
            speed_seconds = 0.0
            for lap in run.laps:
                lap_seconds = lap.moving_seconds or lap.elapsed_seconds
                pace = lap.pace_s_per_km
                if (
                    lap_seconds >= SPEED_LAP_MIN_SECONDS
                    and pace is not None
                    and at_speed(pace, usual)
                ):
                    speed_seconds += lap_seconds
            run_pace = run.pace_s_per_km
            speed_session = speed_seconds >= SPEED_SESSION_MIN_SECONDS or (
                run_pace is not None and at_speed(run_pace, usual)
            )
        seconds = run_seconds(run)
        name = key(run)
        effort = ratings.get(name)
        ascent_per_km = (
            run.ascent_m / (run.distance_m / 1000)
            if run.ascent_m is not None and run.distance_m
            else None
        )
        out.append(
            RunLoad(
                activity=run,
                key=name,
                day=run_day(run),
                distance_m=run.distance_m,
                seconds=seconds,
                usual_pace_s_per_km=usual,
                speed_seconds=speed_seconds,
                speed_session=speed_session,
                spike=spike,
                ascent_per_km=ascent_per_km,
                hilly=is_hilly(run.ascent_m, run.distance_m),
                rpe=effort,
                srpe_load=None if effort is None else effort * seconds / 60,
            )
        )
    return out


# --- Days and weeks ----------------------------------------------------------------------------


def _days_between(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def daily_loads(
    runs: Sequence[RunLoad], recorded: Iterable[dt.date], first: dt.date, last: dt.date
) -> list[DayLoad]:
    """One row per day from ``first`` to ``last``; ``recorded`` are the days with any record."""
    known = set(recorded) | {r.day for r in runs}
    by_day: dict[dt.date, list[RunLoad]] = {}
    for run in runs:
        by_day.setdefault(run.day, []).append(run)
    rows = []
    for day in _days_between(first, last):
        mine = by_day.get(day, [])
        is_recorded = day in known
        loads = [r.srpe_load for r in mine]
        srpe: float | None = None
        if is_recorded and all(load is not None for load in loads):
            srpe = sum(load for load in loads if load is not None)
        rows.append(
            DayLoad(
                day=day,
                recorded=is_recorded,
                runs=len(mine),
                distance_m=sum(r.distance_m or 0.0 for r in mine),
                seconds=sum(r.seconds for r in mine),
                longest_m=max((r.distance_m or 0.0 for r in mine), default=0.0),
                speed_seconds=sum(r.speed_seconds or 0.0 for r in mine),
                speed_sessions=sum(1 for r in mine if r.speed_session),
                srpe_load=srpe,
            )
        )
    return rows


def weekly_loads(
    days: Sequence[DayLoad], runs: Sequence[RunLoad], *, with_srpe: bool | None = None
) -> list[WeekLoad]:
    """Monday-to-Sunday weeks of the daily rows, with the change against the week before."""
    if not days:
        return []
    if with_srpe is None:
        with_srpe = any(r.rpe is not None for r in runs)
    last = days[-1].day
    weeks: dict[dt.date, list[DayLoad]] = {}
    for row in days:
        weeks.setdefault(row.day - dt.timedelta(days=row.day.weekday()), []).append(row)
    runs_by_week: dict[dt.date, list[RunLoad]] = {}
    for run in runs:
        runs_by_week.setdefault(run.day - dt.timedelta(days=run.day.weekday()), []).append(run)
    out: list[WeekLoad] = []
    previous_m: float | None = None
    for monday, rows in weeks.items():
        mine = runs_by_week.get(monday, [])
        recorded = [r for r in rows if r.recorded]
        distance = sum(r.distance_m for r in rows)
        complete = monday + dt.timedelta(days=6) <= last
        change = over = None
        jump: dt.date | None = None
        if previous_m is not None:
            change = weekly_change_pct(distance, previous_m) if complete else None
            over = over_ten_percent(distance, previous_m)
            running = 0.0
            for row in rows:
                running += row.distance_m
                if row.runs and over_ten_percent(running, previous_m):
                    jump = row.day
                    break
        srpe_rows = [r.srpe_load for r in recorded]
        srpe_total: float | None = None
        srpe_mono: Monotony | None = None
        if with_srpe:
            if all(v is not None for v in srpe_rows):
                srpe_total = sum(v for v in srpe_rows if v is not None)
            srpe_mono = monotony([v for v in srpe_rows if v is not None])
        speed_sessions = sum(r.speed_sessions for r in rows)
        out.append(
            WeekLoad(
                monday=monday,
                complete=complete,
                days_recorded=len(recorded),
                runs=sum(r.runs for r in rows),
                distance_m=distance,
                seconds=sum(r.seconds for r in rows),
                longest_m=max((r.longest_m for r in rows), default=0.0),
                speed_seconds=sum(r.speed_seconds for r in rows),
                speed_sessions=speed_sessions,
                many_speed_sessions=speed_sessions >= MANY_SPEED_SESSIONS,
                spikes=sum(1 for r in mine if r.spike is not None and r.spike.band is not None),
                hilly_runs=sum(1 for r in mine if r.hilly),
                srpe_load=srpe_total,
                change_pct=None if change is None else round(change, 1),
                over_ten_percent=bool(over),
                jump_day=jump,
                distance_monotony=monotony([r.distance_m for r in recorded]),
                srpe_monotony=srpe_mono,
            )
        )
        previous_m = distance
    return out


# --- Acute:chronic ratio -----------------------------------------------------------------------


def _mean(values: Sequence[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.fmean(known) if known else None


def _ratio(acute: float | None, chronic: float | None) -> float | None:
    if acute is None or not chronic:
        return None
    return acute / chronic


def acwr_series(days: Sequence[DayLoad], metric: str = "distance") -> list[Acwr]:
    """The ratio on every day, rolling (coupled, uncoupled) and EWMA, with coverage.

    ``metric`` is "distance" (metres) or "srpe" (session-RPE load; a day with an unrated run
    counts as missing). Missing days are left out of the means, not counted as zero; the
    ``*_missing_as_rest`` ratios show what the figure would be if every missing day was rest.
    """
    if metric == "distance":
        values: list[float | None] = [d.distance_m if d.recorded else None for d in days]
    elif metric == "srpe":
        values = [d.srpe_load for d in days]
    else:
        raise LoadError(f"metric: expected 'distance' or 'srpe', got {metric!r}")
    acute_decay, chronic_decay = ewma_lambda(EWMA_ACUTE_N), ewma_lambda(EWMA_CHRONIC_N)
    out: list[Acwr] = []
    # EWMA with missing days left out (e_) and with missing days as rest (r_)
    e_acute: float | None = None
    e_chronic: float | None = None
    r_acute: float | None = None
    r_chronic: float | None = None
    for i, row in enumerate(days):
        acute_window = values[max(0, i - ACUTE_DAYS + 1) : i + 1]
        chronic_window = values[max(0, i - CHRONIC_DAYS + 1) : i + 1]
        earlier_window = values[max(0, i - CHRONIC_DAYS + 1) : max(0, i - ACUTE_DAYS + 1)]
        acute, chronic = _mean(acute_window), _mean(chronic_window)
        acute_known = sum(1 for v in acute_window if v is not None)
        chronic_known = sum(1 for v in chronic_window if v is not None)
        acute_rest = sum(v for v in acute_window if v is not None) / ACUTE_DAYS
        chronic_rest = sum(v for v in chronic_window if v is not None) / CHRONIC_DAYS
        history = i + 1
        value = values[i]
        if e_acute is None or e_chronic is None or r_acute is None or r_chronic is None:
            if history >= CHRONIC_DAYS and acute is not None and chronic is not None:
                e_acute, e_chronic, r_acute, r_chronic = acute, chronic, acute_rest, chronic_rest
        else:
            if value is not None:
                e_acute = acute_decay * value + (1 - acute_decay) * e_acute
                e_chronic = chronic_decay * value + (1 - chronic_decay) * e_chronic
            rest_value = value or 0.0
            r_acute = acute_decay * rest_value + (1 - acute_decay) * r_acute
            r_chronic = chronic_decay * rest_value + (1 - chronic_decay) * r_chronic
        acute_coverage = acute_known / ACUTE_DAYS
        chronic_coverage = chronic_known / CHRONIC_DAYS
        reasons = []
        if history < CHRONIC_DAYS:
            reasons.append(f"only {history} days of history; the ratio needs {CHRONIC_DAYS}")
        if acute_coverage < MIN_COVERAGE:
            reasons.append(f"only {acute_known} of the last {ACUTE_DAYS} days recorded")
        if chronic_coverage < MIN_COVERAGE:
            reasons.append(f"only {chronic_known} of the last {CHRONIC_DAYS} days recorded")
        if not chronic:
            reasons.append(f"no load in the last {CHRONIC_DAYS} days")
        out.append(
            Acwr(
                day=row.day,
                metric=metric,
                history_days=history,
                acute_coverage=acute_coverage,
                chronic_coverage=chronic_coverage,
                acute=acute,
                chronic=chronic,
                ratio=_ratio(acute, chronic),
                ratio_uncoupled=_ratio(acute, _mean(earlier_window)),
                ratio_missing_as_rest=_ratio(acute_rest, chronic_rest),
                ewma_acute=e_acute,
                ewma_chronic=e_chronic,
                ewma_ratio=_ratio(e_acute, e_chronic),
                ewma_ratio_missing_as_rest=_ratio(r_acute, r_chronic),
                reliable=not reasons,
                reason="; ".join(reasons),
            )
        )
    return out


# --- Everything --------------------------------------------------------------------------------


def analyse_load(
    activities: Iterable[Activity],
    recorded_days: Iterable[dt.date] = (),
    rpe: Mapping[str, float] | None = None,
    key: Callable[[Activity], str] = activity_key,
    until: dt.date | None = None,
    assume_rest_when_no_record: bool = False,
) -> LoadReport:
    """The whole load analysis of a runner's activities.

    ``recorded_days``: the days with a diary entry (a logged rest day is a diary entry on a day
    without a run). Any activity, of any sport, also marks its day as recorded. ``until``: the
    last day to analyse (normally today; the last record when None).
    ``assume_rest_when_no_record``: for a runner who says every run is recorded, every day
    from the first record on counts as recorded (a day without a run is then a rest day).
    """
    everything = list(activities)
    days_with_records = set(recorded_days) | {run_day(a) for a in everything}
    if until is not None:
        days_with_records = {d for d in days_with_records if d <= until}
    if not days_with_records:
        return LoadReport(None, None)
    first = min(days_with_records)
    last = until if until is not None else max(days_with_records)
    runs = [r for r in describe_runs(everything, rpe, key) if r.day <= last]
    if assume_rest_when_no_record:
        days_with_records = set(_days_between(first, last))
    days = daily_loads(runs, days_with_records, first, last)
    with_srpe = any(r.rpe is not None for r in runs)
    return LoadReport(
        first=first,
        last=last,
        runs=runs,
        days=days,
        weeks=weekly_loads(days, runs, with_srpe=with_srpe),
        distance_acwr=acwr_series(days, "distance"),
        srpe_acwr=acwr_series(days, "srpe") if with_srpe else [],
    )
