"""Outcome scores and the change that matters, at the published boundaries."""

from __future__ import annotations

import pytest

from piri.domain.outcomes import (
    LEFS_MCID,
    Direction,
    ScoreError,
    lefs_change,
    pain_change,
    psfs_change,
    score_lefs,
    score_psfs,
)


def test_lefs_adds_twenty_items_scored_zero_to_four() -> None:
    assert score_lefs([4] * 20) == 80
    assert score_lefs([0] * 20) == 0
    assert score_lefs([2] * 10 + [3] * 10) == 50


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ([4] * 19, "the LEFS has 20 items; got 19"),
        ([4] * 19 + [5], "LEFS item 20: expected a whole number from 0 to 4, got 5"),
        ([4] * 19 + [-1], "LEFS item 20"),
        ([True] + [4] * 19, "LEFS item 1"),
    ],
)
def test_lefs_refuses_a_wrong_form(items: list[int], message: str) -> None:
    with pytest.raises(ScoreError, match=message):
        score_lefs(items)


@pytest.mark.parametrize(
    ("before", "after", "meaningful", "direction"),
    [
        (50, 50 + LEFS_MCID, True, Direction.BETTER),
        (50, 50 + LEFS_MCID - 1, False, Direction.BETTER),
        (60, 60 - LEFS_MCID, True, Direction.WORSE),
        (60, 60, False, Direction.SAME),
    ],
)
def test_a_lefs_change_of_nine_points_is_real(
    before: int, after: int, meaningful: bool, direction: Direction
) -> None:
    change = lefs_change(before, after)
    assert (change.meaningful, change.direction) == (meaningful, direction)


def test_psfs_is_the_mean_of_up_to_five_activities() -> None:
    assert score_psfs([2, 4, 6]) == 4.0
    assert score_psfs([7]) == 7.0
    with pytest.raises(ScoreError, match="1 to 5 activities; got 6"):
        score_psfs([5] * 6)
    with pytest.raises(ScoreError, match="1 to 5 activities; got 0"):
        score_psfs([])
    with pytest.raises(ScoreError, match="activity 2: expected a rating from 0 to 10, got 11"):
        score_psfs([5, 11])


@pytest.mark.parametrize(
    ("gain", "size", "meaningful"),
    [
        (1.2, "no real change", False),
        (1.3, "a small change", True),
        (2.3, "a medium change", True),
        (2.7, "a large change", True),
    ],
)
def test_psfs_change_sizes(gain: float, size: str, meaningful: bool) -> None:
    change = psfs_change(3.0, 3.0 + gain)
    assert (change.size, change.meaningful) == (size, meaningful)


@pytest.mark.parametrize(
    ("before", "after", "meaningful", "direction"),
    [
        (6, 4, True, Direction.BETTER),  # 2 points
        (8, 7, False, Direction.BETTER),  # 1 point, 12.5%
        (3, 2, True, Direction.BETTER),  # 1 point but 33%
        (10, 8, True, Direction.BETTER),
        (4, 5, False, Direction.WORSE),  # 1 point, 25%
        (3, 5, True, Direction.WORSE),
        (0, 0, False, Direction.SAME),
    ],
)
def test_a_pain_change_matters_at_two_points_or_thirty_percent(
    before: int, after: int, meaningful: bool, direction: Direction
) -> None:
    change = pain_change(before, after)
    assert (change.meaningful, change.direction) == (meaningful, direction)


def test_scores_outside_their_scale_are_refused() -> None:
    with pytest.raises(ScoreError, match="a pain score runs from 0 to 10; got 11"):
        pain_change(11, 3)
    with pytest.raises(ScoreError, match="a LEFS score runs from 0 to 80; got 81"):
        lefs_change(81, 3)
