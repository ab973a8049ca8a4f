"""One activity's summary, as every importer produces it and the load analysis reads it.

Plain data: the file formats live in ``piri.activities``; the numbers here are in SI units
(metres, seconds, metres per second) so that nothing downstream converts twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Lap:
    start: dt.datetime  # UTC
    elapsed_seconds: float
    moving_seconds: float | None
    distance_m: float | None
    avg_heart_rate: int | None = None
    avg_cadence_spm: float | None = None  # steps per minute (both feet)

    @property
    def pace_s_per_km(self) -> float | None:
        seconds = self.moving_seconds or self.elapsed_seconds
        if not self.distance_m or not seconds:
            return None
        return seconds / (self.distance_m / 1000)


@dataclass(frozen=True)
class Activity:
    source: str  # "fit", "gpx", "tcx" (and the archive it came from, in ``origin``)
    sport: str  # "running", "cycling", ... lower case; "unknown" when the file does not say
    sub_sport: str | None  # "treadmill", "trail", "track", "indoor_running", ...
    start: dt.datetime  # UTC, timezone-aware
    utc_offset_seconds: int | None  # local time = start + offset, when the file says
    elapsed_seconds: float
    moving_seconds: float | None
    distance_m: float | None
    ascent_m: float | None = None
    avg_heart_rate: int | None = None
    max_heart_rate: int | None = None
    avg_cadence_spm: float | None = None  # steps per minute (both feet)
    avg_stance_time_ms: float | None = None
    stance_time_balance_left_pct: float | None = None
    avg_vertical_oscillation_mm: float | None = None
    device: str | None = None
    has_gps: bool = True
    laps: list[Lap] = field(default_factory=list)
    file_sha256: str = ""
    origin: str = ""  # where it came from, e.g. "export.zip:activities/123.fit.gz"

    @property
    def local_start(self) -> dt.datetime | None:
        if self.utc_offset_seconds is None:
            return None
        return (self.start + dt.timedelta(seconds=self.utc_offset_seconds)).replace(tzinfo=None)

    @property
    def pace_s_per_km(self) -> float | None:
        seconds = self.moving_seconds or self.elapsed_seconds
        if not self.distance_m or not seconds:
            return None
        return seconds / (self.distance_m / 1000)

    @property
    def is_run(self) -> bool:
        return self.sport == "running"

    @property
    def sport_label(self) -> str:
        """ "running", "running (treadmill)": the sub-sport only when it says something."""
        name = self.sport.replace("_", " ")
        if self.sub_sport and self.sub_sport != "generic":
            return f"{name} ({self.sub_sport.replace('_', ' ')})"
        return name


class NotAnActivityError(Exception):
    """A valid file that holds no activity (settings, monitoring, a workout, weight)."""


class BrokenFileError(Exception):
    """A corrupt or truncated file; the message says what is wrong."""
