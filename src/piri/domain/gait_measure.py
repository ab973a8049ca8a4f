"""A measured figure with its uncertainty, and the legs it belongs to."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

# The standard error of a median is about 1.2533 times that of a mean (normal data).
MEDIAN_SE_FACTOR = math.sqrt(math.pi / 2)


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"

    @property
    def other(self) -> Side:
        return Side.RIGHT if self is Side.LEFT else Side.LEFT


@dataclass(frozen=True)
class Measure:
    """A median over strides, how far off it may be, and the spread it came from."""

    value: float
    uncertainty: float  # the reading error (pixels) plus the median's standard error
    spread: float  # standard deviation across strides
    count: int  # strides (or samples) behind the median


def median_measure(values: Sequence[float], reading_error: float) -> Measure:
    """The median of per-stride values; its uncertainty adds the error of reading one value
    from the pixels to the standard error of the median across strides."""
    spread = statistics.stdev(values) if len(values) > 1 else 0.0
    standard_error = MEDIAN_SE_FACTOR * spread / math.sqrt(len(values))
    return Measure(
        value=statistics.median(values),
        uncertainty=reading_error + standard_error,
        spread=spread,
        count=len(values),
    )
