"""Signal tools for short landmark series: gap filling, smoothing, the period of a repeating
signal and its peaks. Plain Python: a 30-second clip at 60 fps is 1,800 samples.
"""

from __future__ import annotations

import itertools
import math
import operator
from collections.abc import Sequence
from dataclasses import dataclass

# A period is trusted when the signal's normalised autocorrelation at that lag reaches this
# (derived: a clean gait signal gives 0.8-0.95, noise alone gives under 0.2).
MIN_PERIODICITY = 0.4
# Of the autocorrelation peaks in the search range, the shortest lag whose peak reaches this
# share of the highest one is the period, so a stride is never taken for a step (derived).
SHORTEST_PEAK_SHARE = 0.8


def fill_gaps(values: Sequence[float | None]) -> list[float] | None:
    """Missing samples filled by straight lines between their neighbours (the ends held).

    None when there is no sample at all.
    """
    known = [i for i, v in enumerate(values) if v is not None]
    if not known:
        return None
    out: list[float] = [0.0] * len(values)
    first, last = known[0], known[-1]
    for i in range(first + 1):
        out[i] = _value(values[first])
    for i in range(last, len(values)):
        out[i] = _value(values[last])
    for a, b in itertools.pairwise(known):
        va, vb = _value(values[a]), _value(values[b])
        for i in range(a, b + 1):
            out[i] = va + (vb - va) * (i - a) / (b - a)
    return out


def _value(v: float | None) -> float:
    assert v is not None
    return v


def moving_average(values: Sequence[float], window: int) -> list[float]:
    """Centred moving average over ``window`` samples (shrinking at the ends)."""
    n = len(values)
    half = max(window, 1) // 2
    sums = [0.0]
    for v in values:
        sums.append(sums[-1] + v)
    out = []
    for i in range(n):
        lo, hi = max(0, i - half), min(n, i + half + 1)
        out.append((sums[hi] - sums[lo]) / (hi - lo))
    return out


def high_pass(values: Sequence[float], window: int) -> list[float]:
    """The signal minus its slow drift (a moving average over ``window`` samples)."""
    return [v - m for v, m in zip(values, moving_average(values, window), strict=True)]


def autocorrelation(values: Sequence[float], lag: int, energy: float | None = None) -> float:
    """Normalised autocorrelation of a zero-mean signal at an integer lag (1 at lag 0);
    ``energy`` (the mean square) may be passed in when many lags are wanted."""
    n = len(values)
    if lag >= n - 1:
        return 0.0
    if energy is None:
        energy = sum(v * v for v in values) / n
    if energy == 0.0:
        return 0.0
    product: float = sum(map(operator.mul, values[: n - lag], values[lag:]))
    return product / (n - lag) / energy


@dataclass(frozen=True)
class Period:
    samples: float  # the period in samples, to a fraction of a sample
    periodicity: float  # the autocorrelation at the coarse period: 1 perfectly regular


def dominant_period(values: Sequence[float], min_lag: int, max_lag: int) -> Period | None:
    """The period of a repeating, zero-mean signal, searched between ``min_lag`` and
    ``max_lag`` samples; None when nothing in that range repeats.

    The shortest strong autocorrelation peak gives the period to about a sample; the peaks at
    its multiples, far along the clip, then refine it (an error of one sample at lag 16 × T is
    a 16th of a sample in T).
    """
    n = len(values)
    max_lag = min(max_lag, n // 2)
    if min_lag < 2 or max_lag <= min_lag + 1:
        return None
    energy = sum(v * v for v in values) / n
    acf = {lag: autocorrelation(values, lag, energy) for lag in range(min_lag - 1, max_lag + 2)}
    peaks = [
        lag
        for lag in range(min_lag, max_lag + 1)
        if acf[lag] > 0 and acf[lag] >= acf[lag - 1] and acf[lag] > acf[lag + 1]
    ]
    if not peaks:
        return None
    best = max(acf[lag] for lag in peaks)
    if best < MIN_PERIODICITY:
        return None
    coarse = next(lag for lag in peaks if acf[lag] >= SHORTEST_PEAK_SHARE * best)
    period = coarse + _parabola_offset(acf[coarse - 1], acf[coarse], acf[coarse + 1])
    multiple = 2
    while multiple * period < n / 2:
        period = _refine(values, period, multiple, energy)
        multiple *= 2
    return Period(samples=period, periodicity=acf[coarse])


def _refine(values: Sequence[float], period: float, multiple: int, energy: float) -> float:
    centre = round(multiple * period)
    lags = range(centre - 2, centre + 3)
    acf = {lag: autocorrelation(values, lag, energy) for lag in range(centre - 3, centre + 4)}
    top = max(lags, key=lambda lag: acf[lag])
    return (top + _parabola_offset(acf[top - 1], acf[top], acf[top + 1])) / multiple


def _parabola_offset(before: float, at: float, after: float) -> float:
    """Where the top of a parabola through three equally spaced samples lies, -0.5..0.5."""
    denominator = before - 2 * at + after
    if denominator >= 0:
        return 0.0
    return max(-0.5, min(0.5, 0.5 * (before - after) / denominator))


def peaks(values: Sequence[float], min_distance: int) -> list[int]:
    """Indices of local maxima at least ``min_distance`` apart (the higher one kept)."""
    candidates = [
        i
        for i in range(1, len(values) - 1)
        if values[i] >= values[i - 1] and values[i] > values[i + 1]
    ]
    chosen: list[int] = []
    for i in sorted(candidates, key=lambda i: values[i], reverse=True):
        if all(abs(i - j) >= min_distance for j in chosen):
            chosen.append(i)
    return sorted(chosen)


def odd_window(samples: float) -> int:
    """The nearest odd window length of at least 1."""
    w = max(1, round(samples))
    return w if w % 2 == 1 else w + 1


def degrees_atan2(y: float, x: float) -> float:
    return math.degrees(math.atan2(y, x))
