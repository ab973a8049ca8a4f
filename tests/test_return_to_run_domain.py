"""The walk-run plan's pure rules: when it may start, the gates after each run, where the plan
stands after a run of reports, the run days, matching an imported run, the build after the plan
and the single-run spike flag; and the plan's content itself."""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
import shutil
from pathlib import Path

import pytest

from piri.content.loader import DATA_DIR, ContentError, library, load_library
from piri.content.return_to_run_models import ReturnToRunPlan, StartCriterion, Surface
from piri.domain.diary import DayEntry
from piri.domain.load import SpikeBand
from piri.domain.return_to_run import (
    BUILD_LIGHTER_EVERY,
    BUILD_LIGHTER_PCT,
    BUILD_ROUND_MINUTES,
    BUILD_WEEKLY_RISE_PCT,
    CALM_MIN_DAYS,
    CALM_WINDOW_DAYS,
    CALM_WORST_PAIN,
    MATCH_TOLERANCE_PCT,
    MORNING_RISE_BACK,
    RUN_PAIN_MAX,
    RUN_WEEKDAYS,
    RUNS_PER_WEEK,
    SESSIONS_PER_STEP,
    STRENGTH_CALM_DAYS,
    ReadinessFacts,
    ReturnToRunError,
    RunCandidate,
    RunReport,
    Verdict,
    all_met,
    build_weeks,
    judge_run,
    long_run_flags,
    match_run,
    replay,
    run_days,
    start_criteria,
    step_instructions,
    step_name,
    usual_weekly_minutes,
)

TODAY = dt.date(2026, 3, 2)  # a Monday
MONDAY = dt.date(2026, 1, 5)
TUESDAY, WEDNESDAY, THURSDAY = (MONDAY + dt.timedelta(days=n) for n in (1, 2, 3))
SATURDAY = MONDAY + dt.timedelta(days=5)


def plan() -> ReturnToRunPlan:
    return library().return_to_run


def run(
    day: dt.date = TUESDAY,
    during: int = 2,
    after: int = 2,
    built: bool = False,
    limp: bool = False,
    finished: bool = True,
    morning: int | None = 1,
    usual: int | None = 1,
) -> RunReport:
    return RunReport(day, during, after, built, limp, finished, morning, usual)


# --- judge_run: every gate at its boundary ---------------------------------------------------


def test_the_constants_are_the_ones_the_facts_brief_gives() -> None:
    # 6.1/6.3: mild pain, ideally 3/10 or less; 6.2: each phase at least twice, 3 a week.
    assert RUN_PAIN_MAX == 3
    assert SESSIONS_PER_STEP == 2
    assert RUNS_PER_WEEK == 3 == len(RUN_WEEKDAYS)
    assert MORNING_RISE_BACK == 2
    assert BUILD_WEEKLY_RISE_PCT == 10 and BUILD_LIGHTER_EVERY == 4


def test_a_run_within_every_rule_counts() -> None:
    verdict, reason = judge_run(run(during=0, after=0, morning=0, usual=0))
    assert verdict is Verdict.COUNTS
    assert f"{RUN_PAIN_MAX}/10 or less" in reason and "no worse than usual" in reason


@pytest.mark.parametrize("field", ["during", "after"])
def test_pain_exactly_at_the_limit_counts_and_one_more_steps_back(field: str) -> None:
    at_limit = run(**{field: RUN_PAIN_MAX})  # type: ignore[arg-type]
    assert judge_run(at_limit)[0] is Verdict.COUNTS
    verdict, reason = judge_run(run(**{field: RUN_PAIN_MAX + 1}))  # type: ignore[arg-type]
    assert verdict is Verdict.STEP_BACK
    when = "during" if field == "during" else "right after"
    assert reason == (
        f"the pain {when} the run reached {RUN_PAIN_MAX + 1}/10, above {RUN_PAIN_MAX}/10"
    )


def test_pain_that_builds_steps_back_even_when_it_stays_low() -> None:
    verdict, reason = judge_run(run(during=1, after=1, built=True))
    assert verdict is Verdict.STEP_BACK
    assert "built up" in reason


def test_a_limp_steps_back_even_without_pain() -> None:
    verdict, reason = judge_run(run(during=0, after=0, limp=True, morning=0, usual=0))
    assert verdict is Verdict.STEP_BACK
    assert "limp" in reason


@pytest.mark.parametrize(
    ("morning", "usual", "expected"),
    [
        (2, 2, Verdict.COUNTS),  # no rise
        (1, 2, Verdict.COUNTS),  # better than usual
        (3, 2, Verdict.REPEAT),  # a rise of 1
        (2 + MORNING_RISE_BACK, 2, Verdict.STEP_BACK),
        (2 + MORNING_RISE_BACK + 3, 2, Verdict.STEP_BACK),
    ],
)
def test_the_next_morning_against_the_usual_morning(
    morning: int, usual: int, expected: Verdict
) -> None:
    verdict, reason = judge_run(run(morning=morning, usual=usual))
    assert verdict is expected
    if expected is Verdict.REPEAT:
        assert "1 point above your usual" in reason
    if expected is Verdict.STEP_BACK:
        assert f"{morning - usual} points above your usual {usual}/10" in reason


def test_without_a_usual_morning_the_next_morning_is_held_to_the_pain_limit() -> None:
    assert judge_run(run(morning=RUN_PAIN_MAX, usual=None))[0] is Verdict.COUNTS
    verdict, reason = judge_run(run(morning=RUN_PAIN_MAX + 1, usual=None))
    assert verdict is Verdict.STEP_BACK
    assert f"{RUN_PAIN_MAX + 1}/10, above {RUN_PAIN_MAX}/10" in reason


def test_no_next_morning_yet_waits_and_once_final_is_repeated() -> None:
    verdict, reason = judge_run(run(morning=None))
    assert verdict is Verdict.WAITING
    assert "tomorrow morning" in reason
    verdict, reason = judge_run(run(morning=None), final=True)
    assert verdict is Verdict.REPEAT
    assert "no next-morning pain" in reason


def test_a_session_cut_short_is_repeated() -> None:
    verdict, reason = judge_run(run(finished=False))
    assert verdict is Verdict.REPEAT
    assert "cut short" in reason
    # ...unless it also broke a rule that steps back.
    assert judge_run(run(finished=False, during=RUN_PAIN_MAX + 1))[0] is Verdict.STEP_BACK
    assert judge_run(run(finished=False, morning=1 + MORNING_RISE_BACK))[0] is Verdict.STEP_BACK


@pytest.mark.parametrize(
    ("field", "label"),
    [
        ("pain_during", "pain during"),
        ("pain_after", "pain after"),
        ("next_morning", "next morning"),
        ("usual_morning", "usual morning"),
    ],
)
@pytest.mark.parametrize("value", [11, -1, True, 2.5, "3"])
def test_an_impossible_score_names_its_field(field: str, label: str, value: object) -> None:
    scores: dict[str, object] = {
        "pain_during": 1,
        "pain_after": 1,
        "next_morning": 1,
        "usual_morning": 1,
    }
    scores[field] = value
    with pytest.raises(ReturnToRunError, match=rf"^{label}: expected a whole number 0 to 10"):
        RunReport(TUESDAY, pain_built=False, limp=False, **scores)  # type: ignore[arg-type]


def test_the_edges_of_the_scale_are_accepted() -> None:
    RunReport(TUESDAY, 0, 10, False, False, True, 0, 10)
    RunReport(TUESDAY, 10, 0, False, False, True, None, None)


# --- replay: where the plan stands -------------------------------------------------------------

OK: dict[str, int | None] = {"during": 2, "after": 2, "morning": 1, "usual": 1}
RISE_1: dict[str, int | None] = {"during": 2, "after": 2, "morning": 2, "usual": 1}
FLARE: dict[str, int | None] = {"during": RUN_PAIN_MAX + 2, "after": 2, "morning": 1, "usual": 1}


def runs(*kinds: dict[str, int | None]) -> list[RunReport]:
    """One report every other day from TUESDAY, each of the given kind."""
    return [
        run(day=TUESDAY + dt.timedelta(days=2 * n), **kind)  # type: ignore[arg-type]
        for n, kind in enumerate(kinds)
    ]


def test_no_runs_is_the_first_step() -> None:
    state = replay(plan(), [])
    assert (state.step_index, state.sessions_at_step, state.finished_on) == (0, 0, None)
    assert state.history == [] and state.waiting is None


def test_two_counted_runs_move_to_the_next_step() -> None:
    steps = plan().steps
    one = replay(plan(), runs(OK))
    assert (one.step_index, one.sessions_at_step) == (0, 1)
    assert one.history[0].reason.startswith("Counted:")
    assert step_name(steps[0]) in one.history[0].reason  # once more at the same step
    two = replay(plan(), runs(OK, OK))
    assert (two.step_index, two.sessions_at_step) == (1, 0)
    assert [j.step_index for j in two.history] == [0, 0]
    assert [j.verdict for j in two.history] == [Verdict.COUNTS, Verdict.COUNTS]
    assert step_name(steps[1]) in two.history[1].reason
    assert "on to run 2 min, walk 8 min, 3 times" in two.history[1].reason


def test_a_repeat_between_two_counted_runs_does_not_reset_the_count() -> None:
    state = replay(plan(), runs(OK, RISE_1, OK))
    assert [j.verdict for j in state.history] == [Verdict.COUNTS, Verdict.REPEAT, Verdict.COUNTS]
    assert (state.step_index, state.sessions_at_step) == (1, 0)
    repeat = state.history[1].reason
    assert repeat.startswith("Repeat") and step_name(plan().steps[0]) in repeat


def test_a_step_back_goes_to_the_previous_step_with_the_count_at_zero() -> None:
    # Steps 1 and 2 passed, one counted at step 3, then a flare: back to step 2, from zero.
    state = replay(plan(), runs(OK, OK, OK, OK, OK, FLARE))
    assert (state.step_index, state.sessions_at_step) == (1, 0)
    last = state.history[-1]
    assert last.step_index == 2 and last.verdict is Verdict.STEP_BACK
    assert last.reason == (
        f"Back a step, to {step_name(plan().steps[1])}: the pain during the run reached "
        f"{RUN_PAIN_MAX + 2}/10, above {RUN_PAIN_MAX}/10."
    )
    # One counted run after it is not enough to move on again: the count started at zero.
    again = replay(plan(), runs(OK, OK, OK, OK, OK, FLARE, OK))
    assert (again.step_index, again.sessions_at_step) == (1, 1)


def test_a_step_back_at_the_first_step_stays_there() -> None:
    state = replay(plan(), runs(OK, FLARE))
    assert (state.step_index, state.sessions_at_step) == (0, 0)
    assert state.history[-1].reason.startswith("Stay at the first step")


def test_the_latest_run_without_a_next_morning_waits_and_an_earlier_one_does_not_count() -> None:
    waiting: dict[str, int | None] = {"during": 1, "after": 1, "morning": None, "usual": 1}
    state = replay(plan(), runs(OK, waiting))
    assert state.waiting is state.history[-1]
    assert (state.step_index, state.sessions_at_step) == (0, 1)
    later = replay(plan(), runs(OK, waiting, OK))
    assert [j.verdict for j in later.history] == [Verdict.COUNTS, Verdict.REPEAT, Verdict.COUNTS]
    assert later.waiting is None and later.step_index == 1


def test_the_reports_are_replayed_in_date_order() -> None:
    reports = runs(OK, OK, FLARE)
    assert replay(plan(), list(reversed(reports))) == replay(plan(), reports)


def test_finishing_every_step_sets_the_day_and_a_step_back_in_the_build_returns_to_the_last() -> (
    None
):
    steps = plan().steps
    whole = runs(*[OK] * (SESSIONS_PER_STEP * len(steps)))
    state = replay(plan(), whole)
    assert state.finished and state.finished_on == whole[-1].day
    assert state.step_index == len(steps)
    assert "walk-run plan is done" in state.history[-1].reason
    assert "build" in state.history[-1].reason
    # Each step was the step of exactly two runs, in order.
    assert [j.step_index for j in state.history] == [i // 2 for i in range(2 * len(steps))]
    building = replay(plan(), runs(*[OK] * (2 * len(steps)), OK, OK))
    assert building.finished and [j.build for j in building.history[-2:]] == [True, True]
    assert building.history[-1].reason.startswith("Within the rules")
    back = replay(plan(), runs(*[OK] * (2 * len(steps)), OK, FLARE))
    assert back.finished_on is None
    assert (back.step_index, back.sessions_at_step) == (len(steps) - 1, 0)
    assert back.history[-1].build
    assert back.history[-1].reason.startswith(f"Back to {step_name(steps[-1])}:")
    # Two more at the last step finish the plan again, on the later day.
    again = replay(plan(), runs(*[OK] * (2 * len(steps)), OK, FLARE, OK, OK))
    assert again.finished_on == again.history[-1].report.day


def _sentences(text: str) -> int:
    return len(re.findall(r"[.!?](\s|$)", text))


def test_every_reason_is_one_sentence_and_names_what_comes_next() -> None:
    steps = plan().steps
    kinds = [OK, RISE_1, OK, FLARE, OK, OK, OK, OK]
    limp = {"during": 0, "after": 0, "morning": 0, "usual": 0, "limp": True}
    state = replay(plan(), runs(*kinds, limp, OK))  # type: ignore[arg-type]
    for judged in state.history:
        assert _sentences(judged.reason) == 1, judged.reason
        assert judged.reason[0].isupper() and judged.reason.endswith(".")
        if judged.verdict is not Verdict.WAITING:
            assert any(step_name(s) in judged.reason for s in steps), judged.reason
    whole = replay(plan(), runs(*[OK] * (2 * len(steps)), FLARE, RISE_1))
    for judged in whole.history:
        assert _sentences(judged.reason) == 1, judged.reason


# --- start criteria -----------------------------------------------------------------------------


def ready_facts(**changes: object) -> ReadinessFacts:
    values: dict[str, object] = {
        "walks_30_minutes_pain_free": True,
        "diary": [
            DayEntry(TODAY - dt.timedelta(days=n), 1, CALM_WORST_PAIN) for n in range(CALM_MIN_DAYS)
        ],
        "in_return_to_run_phase": True,
        "strength_step_back_days": [],
        "open_warning": None,
    }
    values.update(changes)
    return ReadinessFacts(**values)  # type: ignore[arg-type]


def criterion(facts: ReadinessFacts, criterion_id: str) -> tuple[bool, str]:
    results = start_criteria(plan(), facts, TODAY)
    found = next(c for c in results if c.id == criterion_id)
    return found.met, found.detail


def test_a_ready_runner_meets_every_criterion_in_the_contents_order() -> None:
    results = start_criteria(plan(), ready_facts(), TODAY)
    assert [c.id for c in results] == [c.id for c in plan().criteria]
    assert [c.name for c in results] == [c.name for c in plan().criteria]
    assert all_met(results)
    assert all(c.detail.endswith(".") for c in results)


def test_walking_30_minutes_comes_from_the_profile() -> None:
    met, detail = criterion(ready_facts(walks_30_minutes_pain_free=False), "walks-30-minutes")
    assert not met and "30 minutes" in detail
    assert not all_met(start_criteria(plan(), ready_facts(walks_30_minutes_pain_free=False), TODAY))


def test_the_diary_needs_enough_calm_days_in_the_window() -> None:
    assert criterion(ready_facts(), "daily-life-calm") == (
        True,
        f"Your worst pain in the last week was {CALM_WORST_PAIN}/10 at most.",
    )
    calm = [DayEntry(TODAY - dt.timedelta(days=n), 1, 2) for n in range(CALM_MIN_DAYS)]
    met, detail = criterion(ready_facts(diary=calm[:-1]), "daily-life-calm")
    assert not met
    assert detail == f"{CALM_MIN_DAYS - 1} diary days in the last week; Piri needs at least 3."
    assert criterion(ready_facts(diary=[]), "daily-life-calm")[1].startswith("No diary day")
    one = criterion(ready_facts(diary=calm[:1]), "daily-life-calm")[1]
    assert one.startswith("One diary day")


def test_one_day_above_the_calm_limit_is_not_met() -> None:
    days = [DayEntry(TODAY - dt.timedelta(days=n), 1, 1) for n in range(CALM_MIN_DAYS + 2)]
    days[2] = DayEntry(days[2].day, 1, CALM_WORST_PAIN + 1)
    met, detail = criterion(ready_facts(diary=days), "daily-life-calm")
    assert not met
    assert f"reached {CALM_WORST_PAIN + 1}/10" in detail


def test_diary_days_older_than_the_window_or_after_today_are_ignored() -> None:
    edge = TODAY - dt.timedelta(days=CALM_WINDOW_DAYS - 1)  # the oldest day that counts
    older = TODAY - dt.timedelta(days=CALM_WINDOW_DAYS)
    days = [
        DayEntry(older, 9, 9),  # a bad day just outside the week
        DayEntry(edge, 1, 2),
        DayEntry(TODAY - dt.timedelta(days=1), 1, 2),
        DayEntry(TODAY, 1, 2),
        DayEntry(TODAY + dt.timedelta(days=1), 9, 9),
    ]
    assert criterion(ready_facts(diary=days), "daily-life-calm")[0]
    # Without the edge day only two days are in the window.
    assert not criterion(ready_facts(diary=[d for d in days if d.day != edge]), "daily-life-calm")[
        0
    ]


def test_a_strength_step_back_in_the_last_two_weeks_is_not_met() -> None:
    recent = TODAY - dt.timedelta(days=STRENGTH_CALM_DAYS - 1)
    met, detail = criterion(ready_facts(strength_step_back_days=[recent]), "strength-milestones")
    assert not met and recent.isoformat() in detail
    long_ago = TODAY - dt.timedelta(days=STRENGTH_CALM_DAYS)
    met, _ = criterion(ready_facts(strength_step_back_days=[long_ago]), "strength-milestones")
    assert met


def test_the_strength_criterion_needs_the_return_to_running_phase() -> None:
    met, detail = criterion(ready_facts(in_return_to_run_phase=False), "strength-milestones")
    assert not met and "return-to-running phase" in detail


def test_an_open_warning_is_not_met_and_says_what_it_asks() -> None:
    warning = "Get seen by a doctor today. Stop running until a professional has seen you."
    assert criterion(ready_facts(open_warning=warning), "no-open-warning-sign") == (False, warning)
    assert criterion(ready_facts(), "no-open-warning-sign")[0]


def test_a_criterion_in_the_content_without_a_rule_is_refused() -> None:
    extra = StartCriterion.model_validate(
        {
            "id": "can-hop",
            "name": "Twenty hops",
            "why": "Hopping is running's landing on one leg.",
            "sources": plan().criteria[0].model_dump(mode="json")["sources"],
        }
    )
    changed = plan().model_copy(update={"criteria": [*plan().criteria, extra]})
    with pytest.raises(KeyError, match="can-hop"):
        start_criteria(changed, ready_facts(), TODAY)


# --- run days -----------------------------------------------------------------------------------


def test_three_runs_a_week_on_the_plans_weekdays() -> None:
    days = run_days(MONDAY, MONDAY + dt.timedelta(days=13), None)
    assert days == [MONDAY + dt.timedelta(days=n) for n in (1, 3, 5, 8, 10, 12)]
    assert {d.weekday() for d in days} == set(RUN_WEEKDAYS)


def test_a_run_on_another_day_moves_the_next_planned_one_on() -> None:
    # A run on Wednesday: not Thursday, the day after; Saturday instead.
    assert run_days(THURSDAY, SATURDAY + dt.timedelta(days=3), WEDNESDAY) == [
        SATURDAY,
        SATURDAY + dt.timedelta(days=3),
    ]


@pytest.mark.parametrize("weekday", range(7))
def test_run_days_are_never_back_to_back_after_a_run_on_any_day(weekday: int) -> None:
    last = MONDAY + dt.timedelta(days=weekday)  # a run today, whatever the day
    days = run_days(last, last + dt.timedelta(weeks=6), last)
    chain = [last, *days]
    assert all((b - a).days >= 2 for a, b in itertools.pairwise(chain))
    assert all(d.weekday() in RUN_WEEKDAYS for d in days)
    assert len(days) >= 3 * 6 - 1  # still three a week
    assert run_days(MONDAY, MONDAY + dt.timedelta(weeks=6), None)[0] == TUESDAY


def test_a_single_day_range_and_a_run_logged_today() -> None:
    assert run_days(TUESDAY, TUESDAY, None) == [TUESDAY]
    assert run_days(MONDAY, MONDAY, None) == []
    assert run_days(TUESDAY, THURSDAY, TUESDAY) == [THURSDAY]  # today's run is done
    assert run_days(TUESDAY, TUESDAY - dt.timedelta(days=1), None) == []


# --- matching an imported run ------------------------------------------------------------------


def candidate(minutes: float, day: dt.date = TUESDAY, key: str = "") -> RunCandidate:
    return RunCandidate(key or f"run-{minutes}", day, minutes)


def test_an_imported_run_within_the_tolerance_matches_and_just_outside_does_not() -> None:
    planned = 30
    edge = planned * MATCH_TOLERANCE_PCT / 100  # 7.5 minutes
    for minutes in (planned - edge, planned + edge, planned):
        assert match_run(TUESDAY, planned, [candidate(minutes)]) == candidate(minutes)
    for minutes in (planned - edge - 0.1, planned + edge + 0.1, 45.0):
        assert match_run(TUESDAY, planned, [candidate(minutes)]) is None


def test_the_closest_of_two_and_never_one_of_another_day() -> None:
    found = match_run(TUESDAY, 30, [candidate(26), candidate(32.5), candidate(30, THURSDAY)])
    assert found == candidate(32.5)
    assert match_run(TUESDAY, 30, [candidate(30, WEDNESDAY)]) is None
    assert match_run(TUESDAY, 30, []) is None


# --- the build after the plan ------------------------------------------------------------------


def _rounded(minutes: float) -> int:
    return int(minutes // BUILD_ROUND_MINUTES * BUILD_ROUND_MINUTES)


def test_the_build_starts_from_three_last_steps_and_rises_about_ten_percent() -> None:
    finished = dt.date(2026, 3, 7)  # a Saturday
    weeks = build_weeks(finished, 30, None, 8)
    assert [w.number for w in weeks] == list(range(1, 9))
    assert [w.start for w in weeks] == [
        dt.date(2026, 3, 9) + dt.timedelta(weeks=n) for n in range(8)
    ]
    assert all(w.start.weekday() == 0 for w in weeks)
    assert weeks[0].target_minutes == 3 * 30
    assert [w.lighter for w in weeks] == [n % BUILD_LIGHTER_EVERY == 0 for n in range(1, 9)]
    # Week 2: 99 -> 95; week 3: 108.9 -> 105; week 4 is 80% of week 3; week 5 goes on from
    # week 3: 119.8 -> 115, held to 114 = three runs of its longest-run cap of 38 minutes.
    assert [w.target_minutes for w in weeks[:4]] == [
        90,
        _rounded(90 * 1.1),
        _rounded(90 * 1.1**2),
        _rounded(90 * 1.1**2 * BUILD_LIGHTER_PCT / 100),
    ]
    assert [w.target_minutes for w in weeks[:5]] == [90, 95, 105, 85, 114]
    assert all(
        w.target_minutes % BUILD_ROUND_MINUTES == 0
        or w.target_minutes == RUNS_PER_WEEK * w.longest_run_minutes
        for w in weeks
    )
    heavy = [w.target_minutes for w in weeks if not w.lighter]
    assert heavy == sorted(heavy) and len(set(heavy)) == len(heavy)
    assert weeks[3].target_minutes < weeks[2].target_minutes
    assert weeks[7].target_minutes < weeks[6].target_minutes


def test_a_plan_finished_on_a_monday_builds_from_the_next_monday() -> None:
    assert build_weeks(MONDAY, 30, None, 1)[0].start == MONDAY + dt.timedelta(weeks=1)
    assert build_weeks(MONDAY - dt.timedelta(days=1), 30, None, 1)[0].start == MONDAY


def test_the_build_stops_at_the_usual_weekly_running() -> None:
    weeks = build_weeks(dt.date(2026, 3, 7), 30, 112.0, 10)
    targets = [w.target_minutes for w in weeks]
    assert max(targets) == 110  # 112 rounded down
    assert targets[4:7] == [110, 110, 110]
    assert weeks[7].lighter and targets[7] == _rounded(112 * BUILD_LIGHTER_PCT / 100)
    assert build_weeks(dt.date(2026, 3, 7), 30, 60.0, 1)[0].target_minutes == 60


def test_no_planned_build_run_is_more_than_ten_percent_longer_than_the_longest_before() -> None:
    """A runner who runs every week's longest run three times is never flagged by the plan's
    own single-run rule."""
    finished = dt.date(2026, 3, 7)
    weeks = build_weeks(finished, 30, None, 12)
    plan_runs = [(finished - dt.timedelta(days=2 * n), 30.0) for n in range(6)]
    at_cap = list(plan_runs)
    as_planned = list(plan_runs)
    for week in weeks:
        for weekday in RUN_WEEKDAYS:
            day = week.start + dt.timedelta(days=weekday)
            at_cap.append((day, float(week.longest_run_minutes)))
            planned = min(week.longest_run_minutes, math.ceil(week.target_minutes / RUNS_PER_WEEK))
            as_planned.append((day, float(planned)))
    assert long_run_flags(at_cap, weeks[0].start) == []
    assert long_run_flags(as_planned, weeks[0].start) == []
    # The longest runs still grow: from the last step's 30 minutes to 50 in twelve weeks.
    assert [w.longest_run_minutes for w in weeks[:3]] == [30, 32, 35]
    assert weeks[-2].longest_run_minutes > 50


def test_usual_weekly_minutes_is_the_best_four_week_average_before_the_plan() -> None:
    before = dt.date(2026, 3, 4)  # a Wednesday; its week starts on 2026-03-02
    monday = dt.date(2026, 3, 2)
    runs_before = [
        (monday - dt.timedelta(weeks=w, days=-1), 40.0) for w in range(1, 27)
    ]  # 40 min every week
    runs_before += [(monday - dt.timedelta(weeks=w, days=-3), 80.0) for w in (10, 11, 12, 13)]
    assert usual_weekly_minutes(runs_before, before) == pytest.approx(120.0)
    assert usual_weekly_minutes([], before) is None
    # Runs after `before`, in its own week, or more than 26 weeks before it are ignored.
    ignored = [
        (before + dt.timedelta(days=1), 300.0),
        (monday, 300.0),
        (monday - dt.timedelta(weeks=27), 300.0),
    ]
    assert usual_weekly_minutes(ignored, before) is None
    assert usual_weekly_minutes([*runs_before, *ignored], before) == pytest.approx(120.0)
    one = [(monday - dt.timedelta(weeks=26), 100.0)]  # the oldest week that counts
    assert usual_weekly_minutes(one, before) == pytest.approx(25.0)


# --- the single-run spike flag -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "band"),
    [
        (33.0, None),  # exactly 10% longer: not flagged
        (33.1, SpikeBand.OVER_10),
        (39.0, SpikeBand.OVER_10),  # exactly 30%
        (39.1, SpikeBand.OVER_30),
        (60.0, SpikeBand.OVER_30),  # exactly 100%
        (60.1, SpikeBand.OVER_100),
    ],
)
def test_a_run_longer_than_the_longest_of_the_last_30_days(
    minutes: float, band: SpikeBand | None
) -> None:
    since = dt.date(2026, 4, 1)
    history = [(since - dt.timedelta(days=10), 30.0), (since - dt.timedelta(days=5), 20.0)]
    flags = long_run_flags([*history, (since, minutes)], since)
    if band is None:
        assert flags == []
        return
    assert [(f.day, f.minutes, f.longest_before, f.band) for f in flags] == [
        (since, minutes, 30.0, band)
    ]
    assert "2026-04-01" in flags[0].message and "10%" in flags[0].message


def test_the_spike_window_is_30_days() -> None:
    since = dt.date(2026, 4, 1)
    inside = [(since - dt.timedelta(days=30), 40.0), (since, 40.0)]
    assert long_run_flags(inside, since) == []
    outside = [(since - dt.timedelta(days=31), 40.0), (since - dt.timedelta(days=3), 20.0)]
    flags = long_run_flags([*outside, (since, 40.0)], since)
    assert [(f.longest_before, f.band) for f in flags] == [(20.0, SpikeBand.OVER_30)]
    # With no run at all in the 30 days before, there is nothing to compare with.
    assert long_run_flags([(since - dt.timedelta(days=31), 10.0), (since, 40.0)], since) == []


def test_runs_before_since_are_not_flagged_but_count_as_the_longest() -> None:
    since = dt.date(2026, 4, 1)
    runs_ = [
        (since - dt.timedelta(days=6), 10.0),
        (since - dt.timedelta(days=4), 30.0),  # a spike, but before `since`
        (since + dt.timedelta(days=2), 33.0),
        (since + dt.timedelta(days=4), 37.0),
    ]
    flags = long_run_flags(runs_, since)
    assert [(f.day, f.band) for f in flags] == [(since + dt.timedelta(days=4), SpikeBand.OVER_10)]


# --- the content --------------------------------------------------------------------------------


def test_running_minutes_never_go_down_and_hills_and_strides_come_last() -> None:
    steps = plan().steps
    running = [s.running_minutes for s in steps]
    assert running == sorted(running)
    assert running[0] == 3 and running[-1] == 30
    extra = [s.surface is Surface.GENTLE_HILLS or s.strides > 0 for s in steps]
    first_extra = extra.index(True)
    assert extra == [False] * first_extra + [True] * (len(steps) - first_extra)
    assert steps[first_extra - 1].running_minutes == 30  # hills only after 30 minutes flat
    assert steps[-1].strides > 0  # speed last
    assert all(s.minutes == 30 for s in steps)
    assert len(steps) * SESSIONS_PER_STEP == 24  # 8 weeks at three a week


def test_every_step_has_instructions_and_a_name_without_pace() -> None:
    for step in plan().steps:
        lines = step_instructions(step)
        assert lines and all(line.endswith(".") for line in lines)
        assert "never by pace" in lines[-1]
    assert step_name(plan().steps[0]) == "run 1 min, walk 9 min, 3 times"
    assert step_name(plan().steps[-2]) == "30 minutes of easy running on gentle hills"
    assert step_name(plan().steps[-1]) == "30 minutes of easy running with 4 relaxed strides"


@pytest.mark.shared_data
def test_every_step_criterion_and_the_build_cite_urls_of_the_facts_brief(shared_dir: Path) -> None:
    brief = (shared_dir / "reference" / "clinical-facts.md").read_text(encoding="utf-8")
    cited = [
        *((c.id, c.sources) for c in plan().criteria),
        *((s.id, s.sources) for s in plan().steps),
        ("build", plan().build.sources),
    ]
    for item, sources in cited:
        assert sources, item
        for source in sources:
            assert str(source.url) in brief, f"{item}: {source.url}"


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    path = copy / "return_to_run.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return copy


def test_a_broken_step_names_the_file_the_step_and_the_field(tmp_path: Path) -> None:
    copy = _broken(tmp_path, "run_minutes = 5\n", "run_minutes = 0\n")
    with pytest.raises(ContentError) as caught:
        load_library(copy)
    message = str(caught.value)
    assert "return_to_run.toml" in message
    assert "item 'run-5-walk-5', field 'steps[run-5-walk-5].run_minutes'" in message


def test_an_unknown_field_in_a_criterion_is_named(tmp_path: Path) -> None:
    copy = _broken(tmp_path, 'id = "daily-life-calm"\n', 'id = "daily-life-calm"\npace = 5\n')
    with pytest.raises(ContentError) as caught:
        load_library(copy)
    assert "return_to_run.toml" in str(caught.value)
    assert "field 'criteria[daily-life-calm].pace'" in str(caught.value)


def test_steps_whose_running_goes_down_or_hills_before_flat_are_refused(tmp_path: Path) -> None:
    copy = _broken(tmp_path, "run_minutes = 3\n", "run_minutes = 9\n")
    with pytest.raises(ContentError, match="running minutes may never go down"):
        load_library(copy)
    hills = _broken(tmp_path / "h", 'id = "run-2-walk-8"\n', 'id = "run-2-walk-8"\nstrides = 2\n')
    with pytest.raises(ContentError, match="hills and strides come last"):
        load_library(hills)


def test_a_step_without_sources_is_refused(tmp_path: Path) -> None:
    copy = _broken(
        tmp_path,
        'surface = "gentle_hills"\nsources = [',
        'surface = "gentle_hills"\nsources = []\nold_sources = [',
    )
    with pytest.raises(ContentError) as caught:
        load_library(copy)
    assert "field 'steps[run-30-gentle-hills].sources'" in str(caught.value)
