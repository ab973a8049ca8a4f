"""TCX summaries: one :class:`Activity` per ``<Activity>``, with its laps, in one streaming pass.

What is read (a multisport session's activities come out one by one):

- **sport** from ``Sport``: ``Running`` -> ``running``, ``Biking`` -> ``cycling``, ``Other``
  -> ``other`` (TCX has no other words and no sub-sport, so ``sub_sport`` is None).
- **laps** from each ``<Lap StartTime>``: ``TotalTimeSeconds`` is the watch's timer time (it
  stops on pause) and is the lap's ``moving_seconds``; the lap's ``elapsed_seconds`` is the
  longer of that and the time from its start to its last track point; ``DistanceMeters``,
  ``AverageHeartRateBpm``; cadence from the lap's ``AvgRunCadence`` extension or its
  ``Cadence``, falling back to the mean of its track points' ``RunCadence``/``Cadence``.
- **start** is the first lap's start (UTC), **elapsed** runs to the end of the last lap,
  **moving** is the sum of the laps' timer times and **distance** the sum of the laps'
  distances (the largest track-point ``DistanceMeters`` when the laps have none).
  ``utc_offset_seconds`` is known only when the times are written with a non-zero offset.
- **heart rate**: the laps' averages weighted by their timer time and the largest lap maximum
  (the track points' mean and maximum when the laps have none).
- **cadence**: TCX cadence is per foot for running (``RunCadence``, and the ``Cadence`` that
  running exports write), so the stored steps per minute are twice the file's value for
  running, walking and hiking; a bike's cadence (crank revolutions) is not steps and is not
  stored.
- **ascent** from the track points' ``AltitudeMeters`` with the 3 m dead band of
  :class:`piri.activities.xml_input.Ascent`.
- **device** from the activity's ``<Creator><Name>``; **has_gps** is False when no track
  point has a ``<Position>`` (a treadmill or indoor session).

Errors: :class:`NotAnActivityError` for a well-formed TCX without an activity that has a lap
or a timed track point (courses and workouts only); :class:`BrokenFileError` for bytes that
are not XML, not TCX, or broken before any usable activity (lxml's message is in the error).
Hostile XML: see :mod:`piri.activities.xml_input` -- an entity bomb raises BrokenFileError;
an external entity (XXE) is never read and the result holds none of its text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from lxml import etree

from piri.activities.xml_input import (
    FOOT_SPORTS,
    Ascent,
    XmlStream,
    local_name,
    nothing_recorded,
    number,
    release,
    text,
    timestamp,
    utc_offset_seconds,
)
from piri.domain.activity import Activity, BrokenFileError, Lap, NotAnActivityError

_SPORTS = {"running": "running", "biking": "cycling", "other": "other"}


def _value(element: etree._Element) -> float | None:
    """``<HeartRateBpm><Value>142</Value></HeartRateBpm>`` -> 142.0."""
    for child in element:
        if local_name(child.tag) == "Value":
            return number(text(child))
    return None


def _heart_rate(value: float | None) -> int | None:
    return round(value) if value is not None and 0 < value < 255 else None


@dataclass
class _Points:
    """Track-point figures added up over a lap or an activity."""

    hr_sum: int = 0
    hr_count: int = 0
    hr_max: int = 0
    cad_sum: float = 0.0
    cad_count: int = 0
    first: dt.datetime | None = None
    last: dt.datetime | None = None

    def add_time(self, moment: dt.datetime) -> None:
        if self.first is None or moment < self.first:
            self.first = moment
        if self.last is None or moment > self.last:
            self.last = moment

    def add_heart_rate(self, beats: int) -> None:
        self.hr_sum += beats
        self.hr_count += 1
        self.hr_max = max(self.hr_max, beats)

    def add_cadence(self, cadence: float) -> None:
        self.cad_sum += cadence
        self.cad_count += 1

    @property
    def avg_heart_rate(self) -> int | None:
        return round(self.hr_sum / self.hr_count) if self.hr_count else None

    @property
    def avg_cadence(self) -> float | None:
        return self.cad_sum / self.cad_count if self.cad_count else None


@dataclass
class _LapData:
    start: dt.datetime
    start_written: dt.datetime
    timer_s: float | None
    elapsed_s: float
    distance_m: float | None
    avg_hr: int | None
    max_hr: int | None
    cadence: float | None  # as written: per foot for running, rpm for a bike


@dataclass
class _Activity:
    """What one ``<Activity>`` has added up so far."""

    laps: list[_LapData] = field(default_factory=list)
    points: _Points = field(default_factory=_Points)
    lap_points: _Points = field(default_factory=_Points)
    ascent: Ascent = field(default_factory=Ascent)
    max_distance_m: float | None = None
    has_gps: bool = False
    id_time: dt.datetime | None = None
    device: str | None = None
    first_written: dt.datetime | None = None

    def add_point(self, point: etree._Element) -> None:
        moment: dt.datetime | None = None
        for child in point:
            name = local_name(child.tag)
            if name == "Time":
                moment = timestamp(text(child))
            elif name == "Position":
                if not self.has_gps:
                    self.has_gps = _has_position(child)
            elif name == "AltitudeMeters":
                altitude = number(text(child))
                if altitude is not None:
                    self.ascent.add(altitude)
            elif name == "DistanceMeters":
                distance = number(text(child))
                if distance is not None and distance >= 0:
                    self.max_distance_m = max(self.max_distance_m or 0.0, distance)
            elif name == "HeartRateBpm":
                beats = _heart_rate(_value(child))
                if beats is not None:
                    self.points.add_heart_rate(beats)
                    self.lap_points.add_heart_rate(beats)
            elif name == "Cadence":
                self._add_cadence(number(text(child)))
            elif name == "Extensions":
                for element in child.iter():
                    if local_name(element.tag) == "RunCadence":
                        self._add_cadence(number(text(element)))
                        break
        if moment is not None:
            if self.first_written is None:
                self.first_written = moment
            self.points.add_time(moment)
            self.lap_points.add_time(moment)

    def _add_cadence(self, cadence: float | None) -> None:
        if cadence is not None and 0 < cadence < 255:
            self.points.add_cadence(cadence)
            self.lap_points.add_cadence(cadence)

    def add_lap(self, lap: etree._Element) -> None:
        points, self.lap_points = self.lap_points, _Points()
        written = timestamp(lap.get("StartTime")) or points.first
        if written is None:
            return
        start = written.astimezone(dt.UTC)
        timer_s = distance_m = avg_hr = max_hr = cadence = None
        for child in lap:
            name = local_name(child.tag)
            if name == "TotalTimeSeconds":
                timer_s = number(text(child))
            elif name == "DistanceMeters":
                distance_m = number(text(child))
            elif name == "AverageHeartRateBpm":
                avg_hr = _heart_rate(_value(child))
            elif name == "MaximumHeartRateBpm":
                max_hr = _heart_rate(_value(child))
            elif name == "Cadence" and cadence is None:
                cadence = number(text(child))
            elif name == "Extensions":
                for element in child.iter():
                    if local_name(element.tag) == "AvgRunCadence":
                        cadence = number(text(element))
                        break
        if timer_s is not None and timer_s < 0:
            timer_s = None
        if distance_m is not None and distance_m < 0:
            distance_m = None
        if cadence is not None and not 0 < cadence < 255:
            cadence = None
        spanned = (points.last - start).total_seconds() if points.last is not None else 0.0
        self.laps.append(
            _LapData(
                start=start,
                start_written=written,
                timer_s=timer_s,
                elapsed_s=max(timer_s or 0.0, spanned, 0.0),
                distance_m=distance_m,
                avg_hr=avg_hr if avg_hr is not None else points.avg_heart_rate,
                max_hr=max_hr if max_hr is not None else (points.hr_max or None),
                cadence=cadence if cadence is not None else points.avg_cadence,
            )
        )

    def summary(self, sport: str) -> Activity | None:
        laps = sorted(self.laps, key=lambda lap: lap.start)
        start = laps[0].start if laps else self.points.first or self.id_time
        if start is None or (not laps and self.points.first is None):
            return None
        start = start.astimezone(dt.UTC)
        end = max([lap.start + dt.timedelta(seconds=lap.elapsed_s) for lap in laps] or [start])
        if self.points.last is not None:
            end = max(end, self.points.last)
        elapsed = (end - start).total_seconds()
        timers = [lap.timer_s for lap in laps if lap.timer_s is not None]
        moving = min(sum(timers), elapsed) if timers else None
        distances = [lap.distance_m for lap in laps if lap.distance_m is not None]
        distance = sum(distances) if distances else self.max_distance_m
        foot = sport in FOOT_SPORTS

        def steps(cadence: float | None) -> float | None:
            return round(2 * cadence, 1) if foot and cadence is not None else None

        written = laps[0].start_written if laps else self.first_written
        max_hrs = [lap.max_hr for lap in laps if lap.max_hr is not None]
        return Activity(
            source="tcx",
            sport=sport,
            sub_sport=None,
            start=start,
            utc_offset_seconds=utc_offset_seconds(written),
            elapsed_seconds=elapsed,
            moving_seconds=moving,
            distance_m=round(distance, 1) if distance is not None else None,
            ascent_m=self.ascent.metres,
            avg_heart_rate=_weighted_heart_rate(laps) or self.points.avg_heart_rate,
            max_heart_rate=max(max_hrs) if max_hrs else (self.points.hr_max or None),
            avg_cadence_spm=steps(_weighted_cadence(laps) or self.points.avg_cadence),
            device=self.device,
            has_gps=self.has_gps,
            laps=[
                Lap(
                    start=lap.start,
                    elapsed_seconds=lap.elapsed_s,
                    moving_seconds=lap.timer_s,
                    distance_m=lap.distance_m,
                    avg_heart_rate=lap.avg_hr,
                    avg_cadence_spm=steps(lap.cadence),
                )
                for lap in laps
            ],
        )


def _has_position(position: etree._Element) -> bool:
    latitude = longitude = None
    for child in position:
        name = local_name(child.tag)
        if name == "LatitudeDegrees":
            latitude = number(text(child))
        elif name == "LongitudeDegrees":
            longitude = number(text(child))
    return (
        latitude is not None
        and longitude is not None
        and -90 <= latitude <= 90
        and -180 <= longitude <= 180
    )


def _weights(laps: list[_LapData]) -> list[float]:
    return [lap.timer_s if lap.timer_s else lap.elapsed_s for lap in laps]


def _weighted_heart_rate(laps: list[_LapData]) -> int | None:
    pairs = [(w, lap.avg_hr) for w, lap in zip(_weights(laps), laps, strict=True) if lap.avg_hr]
    total = sum(w for w, _ in pairs)
    if not pairs:
        return None
    if total <= 0:
        return round(sum(v for _, v in pairs) / len(pairs))
    return round(sum(w * v for w, v in pairs) / total)


def _weighted_cadence(laps: list[_LapData]) -> float | None:
    pairs = [(w, lap.cadence) for w, lap in zip(_weights(laps), laps, strict=True) if lap.cadence]
    total = sum(w for w, _ in pairs)
    if not pairs:
        return None
    if total <= 0:
        return sum(v for _, v in pairs) / len(pairs)
    return sum(w * v for w, v in pairs) / total


def read_tcx(data: bytes) -> list[Activity]:
    """The activities in one TCX file's bytes, with their laps (see the module doc)."""
    stream = XmlStream(
        data, ("Trackpoint", "Lap", "Id", "Creator", "Activity", "Course", "Workout")
    )
    activities: list[Activity] = []
    current = _Activity()
    empty = courses = workouts = 0
    for name, element in stream:
        if name == "Trackpoint":
            current.add_point(element)
            release(element)
        elif name == "Lap":
            if _parent_name(element) == "Activity":
                current.add_lap(element)
            release(element)
        elif name == "Id":
            if _parent_name(element) == "Activity":
                current.id_time = timestamp(text(element))
        elif name == "Creator":
            if _parent_name(element) == "Activity":
                for child in element:
                    if local_name(child.tag) == "Name":
                        current.device = (text(child) or "")[:200] or None
        elif name == "Activity":
            sport = _SPORTS.get((element.get("Sport") or "").strip().lower(), "unknown")
            activity = current.summary(sport)
            if activity is None:
                empty += 1
            else:
                activities.append(activity)
            current = _Activity()
            release(element)
        elif name in ("Course", "Workout"):  # their track points and laps are not a record
            courses += name == "Course"
            workouts += name == "Workout"
            current = _Activity()
            release(element)
    if stream.root_name != "TrainingCenterDatabase":
        if stream.root_name is None or stream.is_broken:
            raise stream.broken("TCX")
        raise BrokenFileError(
            f"not a TCX file: its root element is <{stream.root_name}>, "
            "not <TrainingCenterDatabase>"
        )
    if not activities:
        if stream.is_broken:
            raise stream.broken("TCX")
        raise NotAnActivityError(_nothing_recorded(empty, courses, workouts))
    return activities


def _parent_name(element: etree._Element) -> str:
    parent = element.getparent()
    return local_name(parent.tag) if parent is not None else ""


def _nothing_recorded(empty: int, courses: int, workouts: int) -> str:
    held = [
        (empty, "activity(ies) without a lap or a timed track point"),
        (courses, "course(s)"),
        (workouts, "workout(s)"),
    ]
    return nothing_recorded("TCX", held, "no activity, course or workout")
