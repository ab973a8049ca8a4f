"""Pain and load together: flares at the edge of a change that matters, the event windows,
the pattern rule, and the wording with no, one and many flares."""

from __future__ import annotations

import datetime as dt

import pytest

from piri.domain.activity import Activity
from piri.domain.diary import DayEntry
from piri.domain.load import LoadReport, analyse_load
from piri.domain.pain_load import (
    NOT_PROOF,
    LoadEvent,
    analyse_pain_load,
    compared_pairs,
    event_days,
    flare_change,
    flare_text,
    is_pattern,
)

MONDAY = dt.date(2026, 1, 5)
START = dt.datetime(2026, 1, 5, 7, 0, tzinfo=dt.UTC)


def day(n: int) -> dt.date:
    return MONDAY + dt.timedelta(days=n)


def run(n: int, km: float, *, ascent: float | None = None, pace: float = 360.0) -> Activity:
    return Activity(
        source="fit",
        sport="running",
        sub_sport=None,
        start=START + dt.timedelta(days=n),
        utc_offset_seconds=0,
        elapsed_seconds=km * pace,
        moving_seconds=km * pace,
        distance_m=km * 1000,
        ascent_m=ascent,
        file_sha256=f"run-{n}",
    )


def diary(worst: dict[int, int], days: range) -> list[DayEntry]:
    return [DayEntry(day(n), worst.get(n, 2), worst.get(n, 2)) for n in days]


# Five weeks: 5 km every other day, with spikes (+60%, +37.5%, +36%) on days 10, 20 and 30
# and hilly runs on days 2, 16 and 26. Pain 2 every day, 5 on days 5, 11, 21 and 31.
SPIKES = {10: 8.0, 20: 11.0, 30: 15.0}
HILLS = {2, 16, 26}
FLARES = {5: 5, 11: 5, 21: 5, 31: 5}


def five_weeks() -> LoadReport:
    acts = [
        run(n, SPIKES.get(n, 5.0), ascent=150.0 if n in HILLS else 20.0) for n in range(0, 35, 2)
    ]
    return analyse_load(acts, recorded_days=[day(n) for n in range(35)])


# --- flares ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "flare"),
    [
        (3, 5, True),  # exactly 2 points
        (7, 9, True),
        (6, 7, False),  # 1 point, 17%
        (4, 5, False),  # 1 point, 25%: under 30%
        (3, 4, True),  # 1 point, 33%: at least 30%
        (5, 3, False),  # better, not a flare
        (4, 4, False),
    ],
)
def test_a_flare_is_a_rise_in_worst_pain_that_matters(before: int, after: int, flare: bool) -> None:
    assert (flare_change(before, after) is not None) is flare


def test_days_are_compared_with_an_entry_at_most_two_days_before() -> None:
    entries = [DayEntry(day(n), 2, 2) for n in (0, 1, 3, 6, 7)]
    pairs = compared_pairs(entries, day(0), day(10))
    assert [(a.day, b.day) for a, b in pairs] == [
        (day(0), day(1)),
        (day(1), day(3)),
        (day(6), day(7)),
    ]
    assert [b.day for _, b in compared_pairs(entries, day(2), day(6))] == [day(3)]


def test_the_runs_before_each_flare_are_those_of_that_day_and_the_two_before() -> None:
    load = five_weeks()
    report = analyse_pain_load(load, diary(FLARES, range(35)))
    assert [f.day for f in report.flares] == [day(5), day(11), day(21), day(31)]
    eleventh = report.flares[1]
    assert [r.day for r in eleventh.runs] == [day(10)]
    assert eleventh.events == {LoadEvent.SPIKE}
    assert eleventh.before == 2 and eleventh.after == 5 and eleventh.previous_day == day(10)
    fifth = report.flares[0]
    assert [r.day for r in fifth.runs] == [day(4)] and fifth.events == frozenset()
    assert flare_text(eleventh) == (
        "16 January 2026: worst pain 2 to 5 (against 15 January 2026). "
        "Runs: 15 January 2026, 8.0 km, +60% against the 30-day longest (5.0 km), "
        "2 m climb per km."
    )


def test_a_flare_three_days_after_a_spike_is_not_after_it() -> None:
    load = five_weeks()
    report = analyse_pain_load(load, diary({13: 5}, range(35)))
    (flare,) = report.flares
    assert LoadEvent.SPIKE not in flare.events
    assert flare_text(flare).endswith(
        "Runs: 17 January 2026, 5.0 km, -38% against the 30-day longest (8.0 km), 4 m climb per km."
    )


def test_flares_before_the_first_run_are_not_counted() -> None:
    load = analyse_load([run(10, 5), run(12, 5)])
    entries = [DayEntry(day(n), 2 if n != 5 else 6, 2 if n != 5 else 6) for n in range(14)]
    report = analyse_pain_load(load, entries)
    assert report.flares == [] and report.compared_days == 3  # days 10 to 12


# --- events and the pattern rule ---------------------------------------------------------------


def test_event_days_of_each_kind() -> None:
    kinds = event_days(five_weeks())
    assert kinds[LoadEvent.SPIKE] == {day(10), day(20), day(30)}
    assert kinds[LoadEvent.HILL] == {day(2), day(16), day(26)}
    assert kinds[LoadEvent.JUMP] == {day(20), day(30)}  # weeks of 26 km and 30 km
    assert kinds[LoadEvent.SPEED] == set()


def test_a_pattern_needs_two_flares_and_twice_the_rate_of_other_days() -> None:
    assert is_pattern(2, 10, 1, 10)  # 20% against 10%: exactly twice
    assert not is_pattern(2, 10, 2, 19)  # 20% against 10.5%
    assert not is_pattern(1, 2, 0, 30)  # one flare is not a pattern
    assert is_pattern(2, 6, 0, 30)
    assert not is_pattern(2, 6, 0, 0)  # nothing to compare with


def test_counts_and_rates_after_each_kind_of_event() -> None:
    report = analyse_pain_load(five_weeks(), diary(FLARES, range(35)))
    stats = {s.kind: s for s in report.stats}
    spike = stats[LoadEvent.SPIKE]
    assert (spike.events, spike.flares_after, spike.days_after) == (3, 3, 9)
    assert (spike.flares_other, spike.other_days) == (1, 25)
    assert spike.rate_after == pytest.approx(1 / 3) and spike.pattern
    hill = stats[LoadEvent.HILL]
    assert (hill.flares_after, hill.days_after, hill.pattern) == (0, 9, False)
    speed = stats[LoadEvent.SPEED]
    assert speed.days_after == 0 and speed.rate_after is None and not speed.pattern


# --- words ---------------------------------------------------------------------------------------


def test_many_flares_give_findings_and_advice_only_where_the_data_points() -> None:
    report = analyse_pain_load(five_weeks(), diary(FLARES, range(35)))
    assert report.enough_data and report.weeks_of_runs == 5
    assert report.findings[0] == (
        "Your worst pain rose by a change that matters on 4 of the 34 days Piri could compare."
    )
    assert report.findings[1] == (
        "3 of your 4 flares came within 2 days of a run more than 30% longer than your longest "
        "run of the previous 30 days. Pain rose on 3 of the 9 days within 2 days of a run more "
        "than 10% longer than your longest run of the previous 30 days (33%), against 1 of 25 "
        "other days (4%). That is a pattern, not proof."
    )
    assert (
        "Hilly runs: pain rose on 0 of the 9 days within 2 days of one (0%), against 4 of 25 "
        "other days (16%); no clear pattern."
    ) in report.findings
    assert all(NOT_PROOF in line for line in report.findings if "flares came" in line)
    kinds = [a.kind for a in report.advice]
    assert kinds == [LoadEvent.SPIKE, LoadEvent.JUMP, None]
    assert report.advice[0].text.endswith("(now 15.0 km, so no more than 16.5 km).")
    assert all(a.sources for a in report.advice)


def test_flares_without_a_pattern_say_so() -> None:
    report = analyse_pain_load(five_weeks(), diary({5: 5, 7: 5, 15: 5}, range(35)))
    assert report.enough_data
    assert not any(s.pattern for s in report.stats)
    assert report.findings[-1] == (
        "Your flares do not line up with one kind of run more than with other days."
    )
    assert [a.kind for a in report.advice] == [None]


def test_no_flares() -> None:
    report = analyse_pain_load(five_weeks(), diary({}, range(35)))
    assert report.findings == [
        "Your worst pain did not rise by a change that matters (2 points, or 30%) on any of "
        "the 34 days Piri could compare, so there is nothing to link to your runs."
    ]
    assert report.advice == []


def test_one_flare_is_too_few_to_guess() -> None:
    report = analyse_pain_load(five_weeks(), diary({11: 5}, range(35)))
    assert not report.enough_data and report.advice == []
    assert report.findings == [
        "Your worst pain rose by a change that matters once, on 16 January 2026, in the 34 "
        "days Piri could compare.",
        "With 1 flare that is too little to link your pain to your runs (Piri needs at least 3 "
        "flares and runs in 4 weeks), so it will not guess. Keep the diary and keep importing "
        "your runs.",
    ]


def test_many_flares_in_too_few_weeks_are_too_little_too() -> None:
    load = analyse_load([run(n, 5) for n in range(0, 14, 2)], recorded_days=[day(13)])
    report = analyse_pain_load(load, diary({3: 5, 7: 5, 11: 5}, range(14)))
    assert len(report.flares) == 3 and report.weeks_of_runs == 2
    assert report.findings[1].startswith("With runs in 2 weeks that is too little")
    two = analyse_pain_load(load, diary({3: 5, 7: 5}, range(14)))
    assert two.findings[1].startswith("With 2 flares and runs in 2 weeks that is too little")


def test_no_diary_and_no_runs() -> None:
    assert analyse_pain_load(five_weeks(), []).findings[0].startswith("Keep the pain diary")
    empty = analyse_pain_load(analyse_load([]), diary({}, range(5)))
    assert empty.findings == ["Import your runs to see how your pain follows your training."]


def test_the_spike_advice_without_a_recent_run_gives_the_rule_only() -> None:
    acts = [run(n, 5) for n in range(0, 28, 2)] + [run(9, 8), run(17, 11), run(25, 15)]
    load = analyse_load(acts, until=day(70), assume_rest_when_no_record=True)
    report = analyse_pain_load(load, diary({10: 5, 18: 5, 26: 5}, range(71)))
    spike = [a for a in report.advice if a.kind is LoadEvent.SPIKE]
    assert spike and spike[0].text == (
        "Shorten your long run: keep every run within 10% of your longest run of the previous "
        "30 days."
    )
