"""GPX summaries: one :class:`Activity` per recorded track, read in one streaming pass.

What is read from each ``<trk>`` that has timed points (segments are kept apart: no distance,
moving time or climb is counted across the gap between two ``<trkseg>``):

- **sport** from the track's ``<type>``: Garmin Connect's words (``running``,
  ``trail_running``, ``road_biking`` ...), the short ones other apps write (``run``, ``ride``,
  ``hike`` ...), and Strava's numeric codes where a sample file confirmed them (1 ride,
  9 run, 16 swim, 17 virtual ride); anything else is ``unknown``.
- **start** is the earliest point time (UTC; a time without a zone is taken as UTC) and
  **elapsed** the latest minus the earliest. ``utc_offset_seconds`` is known only when the
  times are written with a non-zero offset.
- **distance**: the haversine distance between consecutive points of each segment, summed.
- **moving time**: the time between consecutive points of a segment counts as moving when the
  gap is at most ``MAX_GAP_S`` (30 s; a longer gap is a pause or lost signal) and the speed
  over it is at least ``MIN_SPEED_M_S`` (0.5 m/s; slower is standing still, or GPS drift).
  A point whose time goes backwards (some apps interleave points) adds no time.
- **ascent** from ``<ele>`` with the 3 m dead band of :class:`piri.activities.xml_input.Ascent`.
- **heart rate and cadence** from the point extensions (Garmin's ``TrackPointExtension``
  ``hr``/``cad`` under any prefix, and the ``gpxdata:hr``/``gpxdata:cadence`` and bare
  ``cadence`` that Movescount and Strava write): the mean of the non-zero values and the
  maximum heart rate. GPX cadence is per foot, so for running, walking and hiking the stored
  steps per minute are twice the file's value; other sports' cadence is not stored.
- **device**: the ``creator`` of the file (the app or watch that wrote it).

GPX has no laps, so ``laps`` is always empty, and ``has_gps`` is always True.

Errors: :class:`NotAnActivityError` for a well-formed GPX without a track with at least two
timed points (only waypoints, a route, a planned track without times, metadata only);
:class:`BrokenFileError` for bytes that are not XML, not GPX, or broken before any usable
track (lxml's message is in the error). A file damaged after some usable tracks (cut off by a
failed download) gives the tracks read before the damage. Hostile XML: see
:mod:`piri.activities.xml_input` -- an entity bomb raises BrokenFileError (libxml2's
amplification limit stops it); an external entity (XXE) is never read, its reference is left
unexpanded, so the result holds none of its text.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from lxml import etree

from piri.activities.xml_input import (
    FOOT_SPORTS,
    Ascent,
    XmlStream,
    haversine_m,
    local_name,
    nothing_recorded,
    number,
    release,
    text,
    timestamp,
    utc_offset_seconds,
)
from piri.domain.activity import Activity, BrokenFileError, NotAnActivityError

MAX_GAP_S = 30.0
MIN_SPEED_M_S = 0.5

_HEART_RATE = frozenset({"hr", "heartrate"})
_CADENCE = frozenset({"cad", "cadence", "runcadence"})

# Normalised (lower case, letters and digits only) <type> -> (sport, sub_sport).
_SPORTS: dict[str, tuple[str, str | None]] = {
    "running": ("running", None),
    "run": ("running", None),
    "9": ("running", None),  # Strava
    "streetrunning": ("running", "street"),
    "trailrunning": ("running", "trail"),
    "trailrun": ("running", "trail"),
    "trackrunning": ("running", "track"),
    "treadmillrunning": ("running", "treadmill"),
    "treadmill": ("running", "treadmill"),
    "indoorrunning": ("running", "indoor_running"),
    "virtualrun": ("running", "virtual_activity"),
    "cycling": ("cycling", None),
    "biking": ("cycling", None),
    "bike": ("cycling", None),
    "ride": ("cycling", None),
    "1": ("cycling", None),  # Strava
    "roadbiking": ("cycling", "road"),
    "roadcycling": ("cycling", "road"),
    "mountainbiking": ("cycling", "mountain"),
    "mountainbikeride": ("cycling", "mountain"),
    "gravelcycling": ("cycling", "gravel_cycling"),
    "gravelride": ("cycling", "gravel_cycling"),
    "indoorcycling": ("cycling", "indoor_cycling"),
    "virtualride": ("cycling", "virtual_activity"),
    "17": ("cycling", "virtual_activity"),  # Strava
    "ebikeride": ("cycling", "e_bike_fitness"),
    "walking": ("walking", None),
    "walk": ("walking", None),
    "hiking": ("hiking", None),
    "hike": ("hiking", None),
    "swimming": ("swimming", None),
    "swim": ("swimming", None),
    "16": ("swimming", None),  # Strava
    "openwaterswimming": ("swimming", "open_water"),
    "lapswimming": ("swimming", "lap_swimming"),
    "crosscountryskiing": ("cross_country_skiing", None),
    "nordicski": ("cross_country_skiing", None),
    "backcountryskiing": ("cross_country_skiing", "backcountry"),
    "alpineskiing": ("alpine_skiing", None),
    "alpineski": ("alpine_skiing", None),
    "rowing": ("rowing", None),
    "kayaking": ("kayaking", None),
    "strengthtraining": ("training", "strength_training"),
}
_NOT_ALNUM = re.compile(r"[^a-z0-9]")


def sport_of(value: str | None) -> tuple[str, str | None]:
    """A GPX ``<type>`` as (sport, sub_sport); ("unknown", None) when it says nothing known."""
    if not value:
        return "unknown", None
    return _SPORTS.get(_NOT_ALNUM.sub("", value.lower()), ("unknown", None))


@dataclass
class _Track:
    """What one ``<trk>`` has added up so far."""

    first: dt.datetime | None = None
    last: dt.datetime | None = None
    first_written: dt.datetime | None = None  # the first time as written (for its offset)
    timed_points: int = 0
    distance_m: float = 0.0
    moving_s: float = 0.0
    ascent: Ascent = field(default_factory=Ascent)
    hr_sum: int = 0
    hr_count: int = 0
    hr_max: int = 0
    cad_sum: float = 0.0
    cad_count: int = 0
    # the previous point of the current segment
    prev_lat: float | None = None
    prev_lon: float | None = None
    prev_time: float | None = None

    def new_segment(self) -> None:
        self.prev_lat = self.prev_lon = self.prev_time = None
        self.ascent.restart()

    def add_point(self, point: etree._Element) -> None:
        lat = number(point.get("lat"))
        lon = number(point.get("lon"))
        if lat is not None and lon is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
            lat = lon = None
        moment: dt.datetime | None = None
        for child in point:
            name = _POINT_PARTS.get(child.tag) if isinstance(child.tag, str) else None
            if name is None:
                name = _point_part(child.tag)
            if name == "time":
                moment = timestamp(child.text)
            elif name == "ele":
                elevation = number(child.text)
                if elevation is not None:
                    self.ascent.add(elevation)
            elif name == "extensions":
                self._add_extensions(child)

        step_m = 0.0
        if lat is not None and lon is not None:
            if self.prev_lat is not None and self.prev_lon is not None:
                step_m = haversine_m(self.prev_lat, self.prev_lon, lat, lon)
                self.distance_m += step_m
            self.prev_lat, self.prev_lon = lat, lon
        if moment is None:
            return
        self.timed_points += 1
        if self.first is None or self.last is None:
            self.first_written = self.first = self.last = moment
        elif moment < self.first:
            self.first = moment
        elif moment > self.last:
            self.last = moment
        seconds = moment.timestamp()
        if self.prev_time is not None:
            gap = seconds - self.prev_time
            if gap <= 0:  # a point out of order (some apps interleave them) adds no time
                return
            if gap <= MAX_GAP_S and step_m / gap >= MIN_SPEED_M_S:
                self.moving_s += gap
        self.prev_time = seconds

    def _add_extensions(self, extensions: etree._Element) -> None:
        heart_rate: float | None = None
        cadence: float | None = None
        for element in extensions.iterdescendants():
            tag = element.tag
            kind = _EXTENSION_PARTS.get(tag) if isinstance(tag, str) else ""
            if kind is None:
                kind = _extension_part(tag)
            if kind == "hr":
                if heart_rate is None:
                    heart_rate = number(element.text)
            elif kind == "cad" and cadence is None:
                cadence = number(element.text)
        if heart_rate is not None and 0 < heart_rate < 255:
            beats = round(heart_rate)
            self.hr_sum += beats
            self.hr_count += 1
            self.hr_max = max(self.hr_max, beats)
        if cadence is not None and 0 < cadence < 255:
            self.cad_sum += cadence
            self.cad_count += 1


# Full tag (with its namespace or prefix) -> what it is, filled as tags are met: a file uses a
# handful of tags a million times, and a dictionary look-up is the cheapest way to match them.
_POINT_PARTS: dict[str, str] = {}
_EXTENSION_PARTS: dict[str, str] = {}
_KNOWN_TAGS = 1_000  # a hostile file with endless tag names cannot grow the caches past this


def _point_part(tag: object) -> str:
    name = local_name(tag)
    if isinstance(tag, str) and len(_POINT_PARTS) < _KNOWN_TAGS:
        _POINT_PARTS[tag] = name
    return name


def _extension_part(tag: object) -> str:
    name = local_name(tag).lower()
    kind = "hr" if name in _HEART_RATE else "cad" if name in _CADENCE else ""
    if isinstance(tag, str) and len(_EXTENSION_PARTS) < _KNOWN_TAGS:
        _EXTENSION_PARTS[tag] = kind
    return kind


def read_gpx(data: bytes) -> list[Activity]:
    """The recorded tracks in one GPX file's bytes, one Activity each (see the module doc)."""
    stream = XmlStream(data, ("trkpt", "trkseg", "trk", "type", "wpt", "rte", "gpx"))
    activities: list[Activity] = []
    creator: str | None = None
    track = _Track()
    track_type: str | None = None
    waypoints = routes = tracks = 0
    for name, element in stream:
        if name == "trkpt":
            track.add_point(element)
            release(element)
        elif name == "trkseg":
            track.new_segment()
            release(element)
        elif name == "type":
            parent = element.getparent()
            if parent is not None and local_name(parent.tag) == "trk":
                track_type = text(element)
        elif name == "trk":
            tracks += 1
            activity = _summary(track, track_type)
            if activity is not None:
                activities.append(activity)
            track, track_type = _Track(), None
            release(element)
        elif name == "wpt":
            waypoints += 1
            release(element)
        elif name == "rte":
            routes += 1
            release(element)
        elif name == "gpx" and element.getparent() is None:
            creator = (element.get("creator") or "").strip() or None
    if stream.root_name != "gpx":
        if stream.root_name is None or stream.is_broken:
            raise stream.broken("GPX")
        raise _wrong_root(stream.root_name)
    if not activities:
        if stream.is_broken:
            raise stream.broken("GPX")
        raise NotAnActivityError(_nothing_recorded(tracks, routes, waypoints))
    if creator is None:
        return activities
    return [_with_device(activity, creator) for activity in activities]


def _wrong_root(root: str) -> BrokenFileError:
    return BrokenFileError(f"not a GPX file: its root element is <{root}>, not <gpx>")


def _summary(track: _Track, track_type: str | None) -> Activity | None:
    if track.timed_points < 2 or track.first is None or track.last is None:
        return None
    sport, sub_sport = sport_of(track_type)
    elapsed = (track.last - track.first).total_seconds()
    cadence: float | None = None
    if track.cad_count and sport in FOOT_SPORTS:
        cadence = round(2 * track.cad_sum / track.cad_count, 1)
    return Activity(
        source="gpx",
        sport=sport,
        sub_sport=sub_sport,
        start=track.first.astimezone(dt.UTC),
        utc_offset_seconds=utc_offset_seconds(track.first_written),
        elapsed_seconds=elapsed,
        moving_seconds=round(min(track.moving_s, elapsed), 3),
        distance_m=round(track.distance_m, 1),
        ascent_m=track.ascent.metres,
        avg_heart_rate=round(track.hr_sum / track.hr_count) if track.hr_count else None,
        max_heart_rate=track.hr_max or None,
        avg_cadence_spm=cadence,
        has_gps=True,
        laps=[],
    )


def _with_device(activity: Activity, creator: str) -> Activity:
    return replace(activity, device=creator[:200])


def _nothing_recorded(tracks: int, routes: int, waypoints: int) -> str:
    held = [
        (tracks, "track(s) without two timed points (a planned track, not a record)"),
        (routes, "route(s)"),
        (waypoints, "waypoint(s)"),
    ]
    return nothing_recorded("GPX", held, "no track, route or waypoint")
