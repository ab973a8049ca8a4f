"""Training load: every rule at its boundaries (spike bands, speed laps, hills, the 10% rule,
coverage, EWMA by hand, monotony with no variation)."""

from __future__ import annotations

import datetime as dt

import pytest

from piri.domain.activity import Activity, Lap
from piri.domain.load import (
    ACWR_CRITICISM,
    MIN_COVERAGE,
    TEN_PERCENT_RULE_NOTE,
    DayLoad,
    LoadError,
    SpikeBand,
    acwr_series,
    acwr_zone,
    analyse_load,
    at_speed,
    daily_loads,
    describe_runs,
    ewma,
    ewma_lambda,
    is_hilly,
    monotony,
    over_ten_percent,
    run_day,
    spike_band,
    spike_limit_m,
    weekly_change_pct,
    weekly_loads,
)

MONDAY = dt.date(2026, 1, 5)
START = dt.datetime(2026, 1, 5, 7, 0, tzinfo=dt.UTC)


def run(
    day: int,
    km: float,
    *,
    pace: float = 360.0,
    laps: list[Lap] | None = None,
    ascent: float | None = None,
    sport: str = "running",
    sha: str = "",
    hour: int = 0,
) -> Activity:
    start = START + dt.timedelta(days=day, hours=hour)
    return Activity(
        source="fit",
        sport=sport,
        sub_sport=None,
        start=start,
        utc_offset_seconds=0,
        elapsed_seconds=km * pace + 30,
        moving_seconds=km * pace,
        distance_m=km * 1000,
        ascent_m=ascent,
        laps=laps or [],
        file_sha256=sha or f"run-{day}-{hour}",
    )


def lap(seconds: float, metres: float) -> Lap:
    return Lap(start=START, elapsed_seconds=seconds, moving_seconds=seconds, distance_m=metres)


def day(n: int) -> dt.date:
    return MONDAY + dt.timedelta(days=n)


# --- spikes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("distance", "band"),
    [
        (9_000, None),
        (11_000, None),  # exactly 10% longer: in no band
        (11_001, SpikeBand.OVER_10),
        (13_000, SpikeBand.OVER_10),  # exactly 30%: still the first band
        (13_001, SpikeBand.OVER_30),
        (20_000, SpikeBand.OVER_30),  # exactly 100%: still the second band
        (20_001, SpikeBand.OVER_100),
    ],
)
def test_spike_bands_follow_frandsen_edges_exactly(distance: float, band: SpikeBand | None) -> None:
    assert spike_band(distance, 10_000) is band


def test_spike_edges_hold_for_awkward_distances_too() -> None:
    assert spike_band(8_030, 7_300) is None
    assert spike_band(8_030.01, 7_300) is SpikeBand.OVER_10
    assert spike_limit_m(7_300) == pytest.approx(8_030)
    with pytest.raises(LoadError):
        spike_band(5_000, 0)


def test_a_run_is_compared_with_the_longest_run_of_the_previous_30_days() -> None:
    runs = describe_runs([run(0, 10), run(10, 8), run(30, 13.5), run(61, 14)])
    assert runs[0].spike is None  # nothing to compare with
    assert runs[1].spike is not None and runs[1].spike.band is None
    assert runs[1].spike.excess_pct == pytest.approx(-20)
    third = runs[2].spike  # day 0 is exactly 30 days before: still in the window
    assert third is not None and third.reference_m == 10_000
    assert third.band is SpikeBand.OVER_30 and third.excess_pct == pytest.approx(35)
    # day 61: the 13.5 km of day 30 is 31 days back, outside the window
    assert runs[3].spike is None


def test_other_sports_are_not_runs() -> None:
    runs = describe_runs([run(0, 10), run(1, 40, sport="cycling")])
    assert [r.distance_m for r in runs] == [10_000]


# --- speed ------------------------------------------------------------------------------------


def test_a_lap_at_speed_is_at_least_ten_percent_faster_than_usual() -> None:
    assert at_speed(324, 360)  # exactly 90% of the usual pace
    assert not at_speed(325, 360)


def usual_runs() -> list[Activity]:
    return [run(0, 10), run(1, 10, pace=350), run(2, 10, pace=370)]  # median 360 s/km


def test_speed_laps_count_time_from_laps_faster_than_the_usual_pace() -> None:
    laps = [lap(81, 250), lap(325, 1000), lap(29, 200), lap(360, 1000)]  # 29 s: too short
    runs = describe_runs([*usual_runs(), run(3, 3.1, laps=laps)])
    last = runs[-1]
    assert last.usual_pace_s_per_km == 360
    assert last.speed_seconds == 81  # the 324 s/km lap only
    assert not last.speed_session  # under two minutes at speed


def test_a_speed_session_needs_two_minutes_at_speed_or_a_fast_average() -> None:
    reps = [lap(60, 250), lap(60, 250)]  # 2 x 1 min at 240 s/km
    short_reps = [lap(60, 250), lap(59.9, 250)]
    runs = describe_runs([*usual_runs(), run(3, 8, laps=reps), run(3, 8, laps=short_reps, hour=5)])
    assert runs[3].speed_session and runs[3].speed_seconds == 120
    assert not runs[4].speed_session
    tempo = describe_runs([*usual_runs(), run(3, 8, pace=324), run(3, 8, pace=325, hour=3)])
    assert tempo[3].speed_session and not tempo[4].speed_session


def test_without_three_runs_in_28_days_speed_is_unknown() -> None:
    runs = describe_runs([run(0, 10), run(1, 10), run(2, 5, pace=200)])
    assert runs[2].usual_pace_s_per_km is None
    assert runs[2].speed_seconds is None and not runs[2].speed_session
    late = describe_runs([*usual_runs(), run(31, 5, pace=200)])  # day 2 is 29 days back
    assert late[-1].usual_pace_s_per_km is None


# --- hills, RPE, days -------------------------------------------------------------------------


def test_a_hilly_run_climbs_more_than_20_m_per_km() -> None:
    assert not is_hilly(200, 10_000)
    assert is_hilly(200.5, 10_000)
    assert not is_hilly(None, 10_000) and not is_hilly(50, None)
    runs = describe_runs([run(0, 10, ascent=250)])
    assert runs[0].hilly and runs[0].ascent_per_km == pytest.approx(25)


def test_session_rpe_load_is_effort_times_minutes() -> None:
    runs = describe_runs([run(0, 10, pace=360), run(1, 5)], rpe={"run-0-0": 7})
    assert runs[0].srpe_load == pytest.approx(420)  # 60 minutes at 7
    assert runs[1].rpe is None and runs[1].srpe_load is None
    custom = describe_runs([run(0, 10)], rpe={"a": 5}, key=lambda a: "a")
    assert custom[0].srpe_load == pytest.approx(300)
    for wrong in (-1, 10.5, True):
        with pytest.raises(LoadError):
            describe_runs([run(0, 10)], rpe={"run-0-0": wrong})


def test_a_run_belongs_to_its_local_day() -> None:
    late = Activity(
        "fit", "running", None, dt.datetime(2026, 1, 5, 23, 30, tzinfo=dt.UTC), 3600, 600, 600,
        2000,
    )  # fmt: skip
    assert run_day(late) == dt.date(2026, 1, 6)
    unknown = Activity(
        "gpx", "running", None, dt.datetime(2026, 1, 5, 23, 30, tzinfo=dt.UTC), None, 600, 600,
        2000,
    )  # fmt: skip
    assert run_day(unknown) == dt.date(2026, 1, 5)


def test_days_without_any_record_are_missing_not_zero() -> None:
    report = analyse_load(
        [run(0, 10), run(1, 20, sport="cycling"), run(3, 12)], recorded_days=[day(2)]
    )
    rows = {r.day: r for r in report.days}
    assert rows[day(1)].recorded and rows[day(1)].distance_m == 0  # a bike ride is a record
    assert rows[day(2)].recorded and rows[day(2)].runs == 0  # a logged rest day
    assert report.last == day(3)
    gap = analyse_load([run(0, 10), run(3, 12)])
    assert [r.recorded for r in gap.days] == [True, False, False, True]
    assume = analyse_load([run(0, 10), run(3, 12)], assume_rest_when_no_record=True)
    assert all(r.recorded for r in assume.days)
    assert analyse_load([]).days == []


def test_until_cuts_the_analysis_and_pads_to_that_day() -> None:
    report = analyse_load([run(0, 10), run(9, 12)], until=day(5))
    assert report.last == day(5) and len(report.days) == 6
    assert [r.day for r in report.runs] == [day(0)]


# --- weeks and the 10% rule ---------------------------------------------------------------------


def test_weekly_change_and_the_ten_percent_rule_at_its_edge() -> None:
    assert weekly_change_pct(22_000, 20_000) == pytest.approx(10)
    assert not over_ten_percent(22_000, 20_000)  # exactly 10% is within the rule
    assert over_ten_percent(22_001, 20_000)
    assert weekly_change_pct(5_000, 0) is None and not over_ten_percent(5_000, 0)
    assert "not a proven one" in TEN_PERCENT_RULE_NOTE


def test_weeks_sum_the_days_and_find_the_day_of_the_jump() -> None:
    acts = [run(0, 10), run(2, 10), run(7, 12), run(9, 10.5), run(11, 5)]
    weeks = analyse_load(acts, until=day(13)).weeks
    first, second = weeks
    assert first.monday == MONDAY and first.distance_m == 20_000 and first.runs == 2
    assert first.change_pct is None and first.jump_day is None
    assert second.distance_m == 27_500 and second.change_pct == 37.5
    assert second.over_ten_percent
    assert second.jump_day == day(9)  # 12 km, then 22.5 km passes 22 km on day 9
    assert second.longest_m == 12_000 and second.complete
    exact = analyse_load([run(0, 10), run(7, 11)], until=day(13)).weeks
    assert not exact[1].over_ten_percent and exact[1].jump_day is None
    partial = analyse_load([run(0, 10), run(7, 12)]).weeks
    assert not partial[1].complete


def test_a_week_not_over_yet_has_no_change_but_its_jump_counts_at_once() -> None:
    so_far = analyse_load([run(0, 10), run(8, 3)], until=day(9)).weeks[1]
    assert not so_far.complete and so_far.change_pct is None and not so_far.over_ten_percent
    jumped = analyse_load([run(0, 10), run(7, 8), run(8, 4)], until=day(9)).weeks[1]
    assert jumped.change_pct is None
    assert jumped.over_ten_percent and jumped.jump_day == day(8)  # 12 km by Tuesday


def test_weeks_with_two_speed_sessions_are_flagged() -> None:
    acts = [*usual_runs(), run(3, 8, pace=320), run(4, 8), run(5, 8, pace=320)]
    week = analyse_load(acts).weeks[0]
    assert week.speed_sessions == 2 and week.many_speed_sessions
    one = analyse_load([*usual_runs(), run(3, 8, pace=320), run(4, 8)]).weeks[0]
    assert one.speed_sessions == 1 and not one.many_speed_sessions


def test_weekly_srpe_is_known_only_when_every_run_is_rated() -> None:
    acts = [run(0, 10), run(2, 5)]
    rated = analyse_load(acts, rpe={"run-0-0": 5, "run-2-0": 4}, recorded_days=[day(1)])
    assert rated.weeks[0].srpe_load == pytest.approx(300 + 120)
    assert rated.days[1].srpe_load == 0  # a logged rest day
    half = analyse_load(acts, rpe={"run-0-0": 5})
    assert half.weeks[0].srpe_load is None and half.srpe_acwr
    assert analyse_load(acts).weeks[0].srpe_monotony is None
    assert analyse_load(acts).srpe_acwr == []


# --- monotony and strain ----------------------------------------------------------------------


def test_monotony_and_strain_per_foster() -> None:
    result = monotony([2.0, 4.0])
    assert result.mean == 3 and result.sd == 1
    assert result.monotony == 3 and result.strain == 18
    assert not result.reliable  # 2 of 7 days
    assert monotony([1.0, 2.0, 3.0, 4.0, 5.0, 6.0]).reliable  # 6 of 7
    assert not monotony([1.0, 2.0, 3.0, 4.0, 5.0]).reliable  # 5 of 7


def test_monotony_with_no_variation_has_no_finite_value() -> None:
    same = monotony([5.0] * 7)
    assert same.sd == 0 and same.monotony is None and same.strain is None
    assert "no variation" in same.note
    rest = monotony([0.0] * 7)
    assert rest.monotony is None and rest.strain == 0 and rest.note == "no load this week"
    few = monotony([3.0])
    assert few.monotony is None and few.note == "fewer than 2 recorded days"


# --- the acute:chronic ratio ------------------------------------------------------------------


def test_ewma_against_a_hand_computed_series() -> None:
    assert ewma_lambda(7) == 0.25
    assert ewma_lambda(28) == pytest.approx(2 / 29)
    assert ewma([4, 0, 8], 7, seed=0) == [1.0, 0.75, 2.5625]
    assert ewma([4, None, 8], 7, seed=0) == [1.0, 1.0, 2.75]  # a missing day changes nothing
    chronic = ewma([29.0], 28, seed=0)
    assert chronic[0] == pytest.approx(2.0)


def rows(values: list[float | None]) -> list[DayLoad]:
    return [
        DayLoad(day(i), v is not None, 1 if v else 0, v or 0.0, 0.0, v or 0.0, 0.0, 0, None)
        for i, v in enumerate(values)
    ]


def test_a_steady_load_gives_a_ratio_of_one_from_day_28() -> None:
    series = acwr_series(rows([1000.0] * 30))
    assert not series[26].reliable and "27 days of history" in series[26].reason
    assert series[26].ewma_ratio is None
    day28 = series[27]
    assert day28.reliable and day28.reason == ""
    assert day28.ratio == 1 and day28.ratio_uncoupled == 1 and day28.ewma_ratio == 1
    assert series[29].ewma_ratio == pytest.approx(1)


def test_the_ewma_ratio_in_the_series_matches_the_hand_computation() -> None:
    series = acwr_series(rows([1000.0] * 28 + [5000.0, None]))
    spike = series[28]
    assert spike.ewma_acute == pytest.approx(0.25 * 5000 + 0.75 * 1000)  # 2000
    assert spike.ewma_chronic == pytest.approx(37000 / 29)
    assert spike.ewma_ratio == pytest.approx(2000 * 29 / 37000)
    # rolling: acute = (6 x 1000 + 5000) / 7, chronic = (27 x 1000 + 5000) / 28
    assert spike.ratio == pytest.approx((11000 / 7) / (32000 / 28))
    missing = series[29]
    assert missing.ewma_ratio == spike.ewma_ratio  # a missing day is not a zero
    assert missing.ewma_ratio_missing_as_rest is not None
    assert missing.ewma_ratio_missing_as_rest < missing.ewma_ratio


def test_coverage_below_the_threshold_makes_the_ratio_unreliable() -> None:
    assert MIN_COVERAGE == 0.75
    # 21 of the 28 days recorded (exactly 75%), 6 of the last 7
    values: list[float | None] = [1000.0] * 28
    for i in (0, 1, 2, 3, 4, 5, 22):
        values[i] = None
    enough = acwr_series(rows(values))[-1]
    assert enough.chronic_coverage == 0.75 and enough.acute_coverage == pytest.approx(6 / 7)
    assert enough.reliable
    values[6] = None  # 20 of 28
    thin = acwr_series(rows(values))[-1]
    assert not thin.reliable and thin.reason == "only 20 of the last 28 days recorded"
    values[6] = 1000.0
    values[23] = None  # 5 of the last 7
    acute_thin = acwr_series(rows(values))[-1]
    assert not acute_thin.reliable
    assert (
        acute_thin.reason
        == "only 5 of the last 7 days recorded; only 20 of the last 28 days recorded"
    )


def test_missing_days_are_left_out_of_the_means_not_counted_as_zero() -> None:
    values: list[float | None] = [2000.0, None] * 14
    last = acwr_series(rows(values))[-1]
    assert last.acute == 2000 and last.chronic == 2000 and last.ratio == 1
    assert last.ratio_missing_as_rest == pytest.approx((6000 / 7) / (28000 / 28))
    assert not last.reliable


def test_no_chronic_load_gives_no_ratio() -> None:
    last = acwr_series(rows([0.0] * 28))[-1]
    assert last.ratio is None and last.ewma_ratio is None
    assert last.reason == "no load in the last 28 days"
    with pytest.raises(LoadError):
        acwr_series(rows([1.0]), "pace")


def test_the_zones_come_with_their_criticism() -> None:
    assert acwr_zone(0.79).startswith("below 0.8")
    assert acwr_zone(0.8).startswith("0.8 to 1.3") and acwr_zone(1.3).startswith("0.8 to 1.3")
    assert acwr_zone(1.49) == "above 1.3"
    assert acwr_zone(1.5).startswith("1.5 or above")
    assert "disputed" in ACWR_CRITICISM


def test_the_srpe_ratio_treats_unrated_run_days_as_missing() -> None:
    acts = [run(i, 5) for i in range(28)]
    rpe = {f"run-{i}-0": 4.0 for i in range(28) if i != 27}
    report = analyse_load(acts, rpe=rpe)
    assert report.latest_distance_acwr is not None and report.latest_distance_acwr.reliable
    srpe = report.latest_srpe_acwr
    assert srpe is not None and srpe.acute_coverage == pytest.approx(6 / 7)
    assert srpe.ratio == pytest.approx(1)


def test_daily_rows_sum_several_runs_a_day() -> None:
    runs = describe_runs([run(0, 5), run(0, 8, hour=9)])
    (row,) = daily_loads(runs, [], day(0), day(0))
    assert row.runs == 2 and row.distance_m == 13_000 and row.longest_m == 8_000
    assert weekly_loads([row], runs)[0].distance_m == 13_000
