"""Cadence (steps per minute) by two independent methods that must agree.

(a) The legs: a signal that repeats once per stride (two steps), from the feet.
(b) The pelvis: the hip mid-point's vertical bounce, which repeats once per step.
Each period comes from the autocorrelation over the whole clip, so noise and a few dropped
frames barely move it. When the two disagree, the clip is not trusted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from piri.domain.gait_quality import IssueCode, QualityIssue
from piri.domain.gait_signal import dominant_period, fill_gaps, high_pass

# The two methods must agree within 3% (derived: each is good to well under 1% on a steady
# clip; a real disagreement is a factor, such as a stride taken for a step, not a few %).
AGREEMENT_PCT = 3.0
# Cadences searched: walking to sprinting (derived).
MIN_STEPS_PER_MIN = 60.0
MAX_STEPS_PER_MIN = 240.0
# Slow drift (a runner passing across the frame, breathing) removed before the period search:
# a 2-second moving average keeps everything faster than about 0.5 Hz (derived).
DRIFT_WINDOW_S = 2.0


@dataclass(frozen=True)
class Cadence:
    steps_per_min: float | None  # None when the methods failed or disagree
    uncertainty: float | None  # steps/min
    by_legs: float | None
    by_pelvis: float | None
    issue: QualityIssue | None  # why there is no cadence, if there is none


def step_rate(
    stride_signal: Sequence[float | None], bounce_signal: Sequence[float | None], fps: float
) -> Cadence:
    """Cadence from a once-per-stride leg signal and the once-per-step pelvis bounce."""
    by_legs = _rate(stride_signal, fps, steps_per_period=2)
    by_pelvis = _rate(bounce_signal, fps, steps_per_period=1)
    if by_legs is None or by_pelvis is None:
        which = "the legs" if by_legs is None else "the pelvis"
        issue = QualityIssue(
            IssueCode.NO_RHYTHM,
            f"No steady running rhythm was found in {which}. Please film again: 20 to 30 s of "
            "steady running, the whole body in view.",
            blocking=True,
        )
        return Cadence(None, None, by_legs, by_pelvis, issue)
    difference = abs(by_legs - by_pelvis)
    mean = (by_legs + by_pelvis) / 2
    if difference > AGREEMENT_PCT / 100 * mean:
        issue = QualityIssue(
            IssueCode.CADENCE_DISAGREES,
            f"The legs give {by_legs:.0f} steps a minute and the bounce of the pelvis "
            f"{by_pelvis:.0f}; they should agree within {AGREEMENT_PCT:.0f}%. Please film "
            "again: steady running, the phone still, one person in view.",
            blocking=True,
        )
        return Cadence(None, None, by_legs, by_pelvis, issue)
    return Cadence(mean, max(difference / 2, 0.5), by_legs, by_pelvis, None)


def _rate(signal: Sequence[float | None], fps: float, steps_per_period: int) -> float | None:
    filled = fill_gaps(signal)
    if filled is None:
        return None
    centred = high_pass(filled, round(DRIFT_WINDOW_S * fps))
    seconds_per_step = (60 / MAX_STEPS_PER_MIN, 60 / MIN_STEPS_PER_MIN)
    min_lag = max(2, int(seconds_per_step[0] * steps_per_period * fps))
    max_lag = round(seconds_per_step[1] * steps_per_period * fps) + 1
    period = dominant_period(centred, min_lag, max_lag)
    if period is None:
        return None
    return 60 * fps * steps_per_period / period.samples
