"""Writers of GPX and TCX documents for tests, so that reader tests need no sample files.

The points run due north at a chosen speed: along a meridian the haversine distance is exact,
so a test knows the distance a reader must find (``METRES_PER_DEGREE`` per degree of latitude).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

EARTH_RADIUS_M = 6_371_008.8
METRES_PER_DEGREE = 2 * math.pi * EARTH_RADIUS_M / 360
START = dt.datetime(2024, 5, 4, 7, 30, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Point:
    lat: float | None
    lon: float | None
    time: dt.datetime | None
    ele: float | None = None
    hr: int | None = None
    cad: int | None = None


def run_north(
    start: dt.datetime = START,
    *,
    seconds: int,
    speed: float,
    lat: float = 45.0,
    lon: float = 6.0,
    every: float = 1.0,
    ele: float | None = None,
    hr: int | None = None,
    cad: int | None = None,
) -> list[Point]:
    """``seconds / every + 1`` points from (lat, lon) northwards at ``speed`` m/s."""
    count = round(seconds / every)
    step = speed * every / METRES_PER_DEGREE
    return [
        Point(
            lat + i * step,
            lon,
            start + dt.timedelta(seconds=i * every),
            ele,
            hr,
            cad,
        )
        for i in range(count + 1)
    ]


def iso(moment: dt.datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


GPX_HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<gpx version="1.1" creator={creator} xmlns="http://www.topografix.com/GPX/1/1"'
    '{declare} xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
)
GPXTPX = ' xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1"'


@dataclass
class Track:
    segments: list[list[Point]]
    type: str | None = None
    name: str | None = "Morning Run"


def gpx(
    tracks: Sequence[Track] = (),
    *,
    creator: str = "Piri tests",
    waypoints: int = 0,
    routes: int = 0,
    prefix: str = "gpxtpx",
    declare_prefix: bool = True,
    doctype: str = "",
) -> bytes:
    """A GPX 1.1 document; extension values use ``prefix`` (declared only when asked)."""
    declare = GPXTPX.replace("gpxtpx", prefix) if declare_prefix else ""
    parts = [GPX_HEADER.format(creator=quoteattr(creator), declare=declare)]
    if doctype:
        parts.insert(0, parts.pop(0).replace("?>\n", f"?>\n{doctype}\n", 1))
    parts.append(f"<metadata><time>{iso(START)}</time></metadata>\n")
    for i in range(waypoints):
        parts.append(f'<wpt lat="45.{i}" lon="6.0"><name>WP{i}</name></wpt>\n')
    for _ in range(routes):
        parts.append('<rte><rtept lat="45.0" lon="6.0"/><rtept lat="45.1" lon="6.1"/></rte>\n')
    for track in tracks:
        parts.append("<trk>")
        if track.name is not None:
            parts.append(f"<name>{escape(track.name)}</name>")
        if track.type is not None:
            parts.append(f"<type>{track.type}</type>")
        for segment in track.segments:
            parts.append("<trkseg>\n")
            parts.extend(_trkpt(point, prefix) for point in segment)
            parts.append("</trkseg>\n")
        parts.append("</trk>\n")
    parts.append("</gpx>\n")
    return "".join(parts).encode()


def _trkpt(point: Point, prefix: str) -> str:
    out = [f'<trkpt lat="{point.lat:.7f}" lon="{point.lon:.7f}">']
    if point.ele is not None:
        out.append(f"<ele>{point.ele:.1f}</ele>")
    if point.time is not None:
        out.append(f"<time>{iso(point.time)}</time>")
    if point.hr is not None or point.cad is not None:
        out.append(f"<extensions><{prefix}:TrackPointExtension>")
        if point.hr is not None:
            out.append(f"<{prefix}:hr>{point.hr}</{prefix}:hr>")
        if point.cad is not None:
            out.append(f"<{prefix}:cad>{point.cad}</{prefix}:cad>")
        out.append(f"</{prefix}:TrackPointExtension></extensions>")
    out.append("</trkpt>\n")
    return "".join(out)


@dataclass
class TcxLap:
    start: dt.datetime
    seconds: float
    distance_m: float | None
    points: list[Point] = field(default_factory=list)
    avg_hr: int | None = None
    max_hr: int | None = None
    cadence: int | None = None  # <Cadence> (rpm on a bike)
    run_cadence: int | None = None  # <Extensions><LX><AvgRunCadence> (strides per minute)


@dataclass
class TcxActivity:
    sport: str
    laps: list[TcxLap]
    device: str | None = "Forerunner 965"


TCX_HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"'
    ' xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2"'
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
)


def tcx(activities: Sequence[TcxActivity] = (), *, courses: int = 0, doctype: str = "") -> bytes:
    """A TCX v2 document with the activities, their laps and track points."""
    header = TCX_HEADER
    if doctype:
        header = header.replace("?>\n", f"?>\n{doctype}\n", 1)
    parts = [header, "<Activities>\n"]
    for activity in activities:
        parts.append(f'<Activity Sport="{activity.sport}">\n')
        first = activity.laps[0].start if activity.laps else START
        parts.append(f"<Id>{iso(first)}</Id>\n")
        parts.extend(_lap(lap) for lap in activity.laps)
        if activity.device is not None:
            parts.append(
                f'<Creator xsi:type="Device_t"><Name>{activity.device}</Name>'
                "<UnitId>1</UnitId><ProductID>4315</ProductID></Creator>\n"
            )
        parts.append("</Activity>\n")
    parts.append("</Activities>\n")
    if courses:
        parts.append("<Courses>\n")
        for i in range(courses):
            parts.append(
                f"<Course><Name>Course {i}</Name><Lap><TotalTimeSeconds>600</TotalTimeSeconds>"
                "<DistanceMeters>2000</DistanceMeters></Lap><Track>"
                + "".join(_trackpoint(p) for p in run_north(seconds=10, speed=3))
                + "</Track></Course>\n"
            )
        parts.append("</Courses>\n")
    parts.append("<Author><Name>Garmin Connect API</Name></Author>\n</TrainingCenterDatabase>\n")
    return "".join(parts).encode()


def _lap(lap: TcxLap) -> str:
    out = [f'<Lap StartTime="{iso(lap.start)}">']
    out.append(f"<TotalTimeSeconds>{lap.seconds}</TotalTimeSeconds>")
    if lap.distance_m is not None:
        out.append(f"<DistanceMeters>{lap.distance_m}</DistanceMeters>")
    if lap.avg_hr is not None:
        out.append(f"<AverageHeartRateBpm><Value>{lap.avg_hr}</Value></AverageHeartRateBpm>")
    if lap.max_hr is not None:
        out.append(f"<MaximumHeartRateBpm><Value>{lap.max_hr}</Value></MaximumHeartRateBpm>")
    out.append("<Intensity>Active</Intensity>")
    if lap.cadence is not None:
        out.append(f"<Cadence>{lap.cadence}</Cadence>")
    out.append("<TriggerMethod>Manual</TriggerMethod>")
    if lap.points:
        out.append("<Track>")
        out.extend(_trackpoint(point) for point in lap.points)
        out.append("</Track>")
    if lap.run_cadence is not None:
        out.append(
            f"<Extensions><ns3:LX><ns3:AvgRunCadence>{lap.run_cadence}"
            "</ns3:AvgRunCadence></ns3:LX></Extensions>"
        )
    out.append("</Lap>\n")
    return "".join(out)


def _trackpoint(point: Point) -> str:
    out = ["<Trackpoint>"]
    if point.time is not None:
        out.append(f"<Time>{iso(point.time)}</Time>")
    if point.lat is not None and point.lon is not None:
        out.append(
            f"<Position><LatitudeDegrees>{point.lat:.7f}</LatitudeDegrees>"
            f"<LongitudeDegrees>{point.lon:.7f}</LongitudeDegrees></Position>"
        )
    if point.ele is not None:
        out.append(f"<AltitudeMeters>{point.ele:.1f}</AltitudeMeters>")
    if point.hr is not None:
        out.append(f"<HeartRateBpm><Value>{point.hr}</Value></HeartRateBpm>")
    if point.cad is not None:
        out.append(
            f"<Extensions><ns3:TPX><ns3:RunCadence>{point.cad}</ns3:RunCadence>"
            "</ns3:TPX></Extensions>"
        )
    out.append("</Trackpoint>\n")
    return "".join(out)
