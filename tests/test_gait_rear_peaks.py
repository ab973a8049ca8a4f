"""The rear view's moments of peak pelvic drop (for the key frames and the chart over time):
on synthetic runners whose drop peaks at mid-stance of each leg, at known times, also with
noise, dropped frames and swapped labels; and the key frames and timeline built from them."""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from piri.domain.gait_measure import Side
from piri.domain.gait_pose import PoseSeries
from piri.domain.gait_rear import RearAnalysis, analyse_rear
from piri.services.gait import key_frame_plan, timelines_of
from tests.gait_synthetic import Runner, series

REAR = Runner(view="rear", drop_left=7.0, drop_right=3.0)
# One frame at 30 fps is 0.024 of a stride at 170 steps/min. A stance's drop is a flat-topped
# hump, so with pixel noise its highest frame wanders: typically within a frame, any one
# within four.
PHASE_TOLERANCE = 0.05
NOISY_PHASE_TOLERANCE = 0.1


def mid_stance_phase(runner: Runner, side: Side) -> float:
    """Where in its stride each leg's drop peaks (tests/gait_synthetic.py: a sine over the
    stance, the right leg half a stride after the left)."""
    return runner.duty / 2 + (0.0 if side is Side.LEFT else 0.5)


def phase_error(runner: Runner, time_s: float, side: Side) -> float:
    stride_hz = runner.cadence / 120
    off = (time_s * stride_hz - mid_stance_phase(runner, side)) % 1.0
    return min(off, 1.0 - off)


@pytest.mark.parametrize(
    "runner",
    [
        REAR,
        REAR.but(noise_px=1.0, fps=30.0),
        REAR.but(drop_share=0.05, swap_share=0.15),
        REAR.but(swap_all=True),
    ],
    ids=["clean", "noise-30fps", "drops-and-swaps", "labels-swapped"],
)
def test_each_stance_peaks_at_mid_stance_with_its_drop(runner: Runner) -> None:
    analysis = analyse_rear(series(runner))
    assert not analysis.film_again
    for leg in analysis.legs:
        assert len(leg.peaks) == leg.stances
        errors = [phase_error(runner, t, leg.side) for t, _ in leg.peaks]
        assert statistics.median(errors) < PHASE_TOLERANCE, (leg.side, errors)
        noisy = runner.noise_px > 0 or runner.drop_share > 0
        assert max(errors) < (NOISY_PHASE_TOLERANCE if noisy else PHASE_TOLERANCE), errors
        # the median the report gives is the median of these peaks
        assert statistics.median(d for _, d in leg.peaks) == pytest.approx(
            leg.pelvic_drop_deg.value
        )
    left, right = analysis.leg(Side.LEFT), analysis.leg(Side.RIGHT)
    assert left is not None and right is not None
    assert statistics.median(d for _, d in left.peaks) == pytest.approx(7.0, abs=1.0)
    assert statistics.median(d for _, d in right.peaks) == pytest.approx(3.0, abs=1.0)


def rear_analysis() -> tuple[PoseSeries, RearAnalysis]:
    found = series(REAR)
    return found, analyse_rear(found)


def test_the_key_frames_are_the_peaks_of_each_leg(tmp_path: Path) -> None:
    found, analysis = rear_analysis()
    wanted, missing = key_frame_plan(found, analysis)
    assert missing == []
    peaks = [w for w in wanted if w.kind == "peak_pelvic_drop"]
    assert len(peaks) == sum(leg.stances for leg in analysis.legs)
    first = next(w for w in peaks if w.leg is Side.LEFT)
    assert first.name == "peak-drop-left-01.png"
    assert first.label.startswith("Peak pelvic drop, left leg in stance, ")
    assert (first.label.endswith("°") and "7." in first.label) or "6." in first.label
    moment = found.frames[first.index].time_s
    assert phase_error(REAR, moment, Side.LEFT) < PHASE_TOLERANCE


def test_the_timeline_holds_every_stance_in_time_order() -> None:
    _found, analysis = rear_analysis()
    [timeline] = timelines_of(analysis)
    assert timeline.key == "pelvic_drop" and timeline.unit == "°"
    times = [p.time_s for p in timeline.points]
    assert times == sorted(times)
    assert len(times) == sum(leg.stances for leg in analysis.legs)
    by_leg = {side: [p.value for p in timeline.points if p.leg is side] for side in Side}
    assert statistics.median(by_leg[Side.LEFT]) == pytest.approx(7.0, abs=1.0)
    assert statistics.median(by_leg[Side.RIGHT]) == pytest.approx(3.0, abs=1.0)
