"""GPX and TCX summaries: the figures, the damaged and hostile files, and the shared samples."""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
import sys
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import gpxpy
import pytest

from piri.activities.gpx import read_gpx, sport_of
from piri.activities.tcx import read_tcx
from piri.domain.activity import Activity, BrokenFileError, NotAnActivityError
from tests.xml_activity_files import (
    METRES_PER_DEGREE,
    START,
    Point,
    TcxActivity,
    TcxLap,
    Track,
    gpx,
    run_north,
    tcx,
)

# -- GPX ---------------------------------------------------------------------------------------


def a_run_with_a_stop_and_two_segments() -> Track:
    """3,100 m in 1,145 s, 1,000 of them moving, climbing 20 m; the figures are worked out here.

    Segment 1: 600 s at 3 m/s, 60 s standing still, 300 s at 3 m/s (2,700 m, 900 s moving).
    Segment 2 starts 1 km further east (no distance across segments): 100 s at 3 m/s, then a
    45 s gap in the recording over 100 m (distance counts, time does not: gap > 30 s).
    """
    first = run_north(seconds=600, speed=3, hr=140, cad=84)
    stopped_at = first[-1]
    stop = [later(stopped_at, seconds) for seconds in range(1, 61)]
    again = run_north(
        START + dt.timedelta(seconds=660), seconds=300, speed=3, lat=stopped_at.lat or 0
    )
    again = [dataclasses.replace(p, hr=160, cad=86) for p in again]
    segment_1 = first + stop + again[1:]
    # the climb: 100 m for the first 200 points, then 110 m, then 120 m, with 1 m of noise
    segment_1 = [
        dataclasses.replace(p, ele=100 + 10 * min(i // 200, 2) + (i % 2))
        for i, p in enumerate(segment_1)
    ]
    start_2 = START + dt.timedelta(seconds=1000)
    segment_2 = run_north(start_2, seconds=100, speed=3, lon=6.0127, hr=170, cad=88, ele=120)
    segment_2.append(later(segment_2[-1], 45, north_m=100))
    return Track([segment_1, segment_2], type="running")


def later(point: Point, seconds: float, north_m: float = 0) -> Point:
    """The same point ``seconds`` later, ``north_m`` further north."""
    assert point.time is not None and point.lat is not None
    return dataclasses.replace(
        point,
        time=point.time + dt.timedelta(seconds=seconds),
        lat=point.lat + north_m / METRES_PER_DEGREE,
    )


def test_a_gpx_run_with_heart_rate_and_cadence() -> None:
    track = a_run_with_a_stop_and_two_segments()
    [run] = read_gpx(gpx([track], creator="Garmin Connect"))
    points = [p for segment in track.segments for p in segment]
    assert run.source == "gpx"
    assert run.sport == "running" and run.sub_sport is None and run.is_run
    assert run.start == START and run.start.tzinfo is not None
    assert run.utc_offset_seconds is None  # times written in UTC say nothing of the local time
    assert run.elapsed_seconds == 1145
    assert run.moving_seconds == pytest.approx(1000)
    assert run.distance_m == pytest.approx(3100, abs=1)
    assert run.ascent_m == pytest.approx(20)
    heart_rates = [p.hr for p in points if p.hr]
    assert run.avg_heart_rate == round(sum(heart_rates) / len(heart_rates))
    assert run.max_heart_rate == 170
    cadences = [p.cad for p in points if p.cad]
    assert run.avg_cadence_spm == pytest.approx(2 * sum(cadences) / len(cadences), abs=0.05)
    assert run.device == "Garmin Connect"
    assert run.has_gps is True
    assert run.laps == []
    assert run.pace_s_per_km == pytest.approx(1000 / 3.1)


def test_one_activity_per_track_and_a_local_offset_when_the_times_carry_one() -> None:
    ride = Track([run_north(seconds=60, speed=8)], type="17")
    local = gpx([ride]).replace(b"Z</time>", b"</time>")  # no zone at all: taken as UTC
    [read] = read_gpx(local)
    assert read.start == START and read.sport == "cycling" and read.sub_sport == "virtual_activity"
    assert read.avg_cadence_spm is None and read.avg_heart_rate is None and read.ascent_m is None

    two = gpx([Track([run_north(seconds=60, speed=3)], type="9"), ride])
    assert [a.sport for a in read_gpx(two)] == ["running", "cycling"]

    paris = gpx([Track([run_north(seconds=60, speed=3)])]).replace(b"Z</time>", b"+02:00</time>")
    [read] = read_gpx(paris)
    assert read.utc_offset_seconds == 7200
    assert read.start == START - dt.timedelta(hours=2)
    assert read.sport == "unknown"


@pytest.mark.parametrize(
    ("written", "sport", "sub_sport"),
    [
        ("running", "running", None),
        ("Run", "running", None),
        ("9", "running", None),
        ("trail_running", "running", "trail"),
        ("treadmill_running", "running", "treadmill"),
        ("road_biking", "cycling", "road"),
        ("Ride", "cycling", None),
        ("1", "cycling", None),
        ("hiking", "hiking", None),
        ("16", "swimming", None),
        ("example type", "unknown", None),
        (None, "unknown", None),
    ],
)
def test_gpx_sport_words(written: str | None, sport: str, sub_sport: str | None) -> None:
    assert sport_of(written) == (sport, sub_sport)


def test_an_undeclared_namespace_prefix_is_read_in_recover_mode() -> None:
    """Strava writes ``gpxdata:`` without declaring it; gpxpy refuses such a file."""
    track = Track([run_north(seconds=120, speed=3, hr=150, cad=85)], type="9")
    data = gpx([track], prefix="gpxdata", declare_prefix=False)
    with pytest.raises(gpxpy.gpx.GPXXMLSyntaxException):
        gpxpy.parse(data.decode())
    [run] = read_gpx(data)
    assert run.sport == "running"
    assert run.distance_m == pytest.approx(360, abs=0.5)
    assert run.avg_heart_rate == 150 and run.avg_cadence_spm == 170


UNTIMED = [dataclasses.replace(p, time=None) for p in run_north(seconds=9, speed=3)]


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        (gpx(waypoints=3), "3 waypoint(s)"),
        (gpx(routes=1, waypoints=1), "1 route(s), 1 waypoint(s)"),
        (gpx(), "no track, route or waypoint"),
        (gpx([Track([UNTIMED])]), "1 track(s) without two timed points"),
        (gpx([Track([run_north(seconds=0, speed=3)])]), "without two timed points"),
    ],
)
def test_a_gpx_without_a_recorded_track_is_not_an_activity(document: bytes, reason: str) -> None:
    with pytest.raises(NotAnActivityError, match="without a recorded activity") as raised:
        read_gpx(document)
    assert reason in str(raised.value)


def test_a_truncated_gpx_gives_what_was_read_before_the_cut() -> None:
    data = gpx([Track([run_north(seconds=600, speed=3)], type="running")])
    [whole] = read_gpx(data)
    [cut] = read_gpx(data[: len(data) // 2])
    assert cut.start == whole.start
    assert whole.distance_m is not None and cut.distance_m is not None
    assert 0.4 * whole.distance_m < cut.distance_m < 0.6 * whole.distance_m


def test_a_gpx_cut_before_any_point_is_broken_with_the_parser_message() -> None:
    data = gpx([Track([run_north(seconds=600, speed=3)])])
    with pytest.raises(BrokenFileError, match=r"broken GPX file.*line \d+"):
        read_gpx(data[: data.index(b"<trkpt") + 20])


@pytest.mark.parametrize("reader", [read_gpx, read_tcx])
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"this is not XML at all\n", r"not an XML (GPX|TCX) file: .*line 1"),
        (bytes(range(256)) * 4, "not an XML"),
        (b"<html><body><p>Page not found</p></body></html>", "root element is <html>"),
    ],
)
def test_bytes_that_are_not_the_format_are_broken(
    reader: object, data: bytes, message: str
) -> None:
    assert callable(reader)
    with pytest.raises(BrokenFileError, match=message):
        reader(data)


def test_the_other_format_is_refused_by_name() -> None:
    with pytest.raises(BrokenFileError, match="root element is <TrainingCenterDatabase>"):
        read_gpx(tcx([]))
    with pytest.raises(BrokenFileError, match="root element is <gpx>"):
        read_tcx(gpx())


# -- hostile XML -------------------------------------------------------------------------------

LAUGHS = "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
BILLION_LAUGHS = f'<!DOCTYPE gpx [<!ENTITY lol0 "lol">{LAUGHS}]>'
QUADRATIC = '<!DOCTYPE gpx [<!ENTITY big "' + "x" * 100_000 + '">]>'


def entity_in_type_and_name(document: bytes, entity: str) -> bytes:
    return document.replace(b"<type>running</type>", f"<type>&{entity};</type>".encode()).replace(
        b"<name>Morning Run</name>", f"<name>{('&' + entity + ';') * 1000}</name>".encode()
    )


@pytest.mark.parametrize(("doctype", "entity"), [(BILLION_LAUGHS, "lol9"), (QUADRATIC, "big")])
def test_an_entity_bomb_is_never_expanded(doctype: str, entity: str) -> None:
    """With libxml2 2.11+ the bomb is refused (BrokenFileError naming the amplification limit);
    either way no entity is expanded, and it finishes at once."""
    document = gpx([Track([run_north(seconds=60, speed=3)], type="running")], doctype=doctype)
    began = time.perf_counter()
    try:
        found = read_gpx(entity_in_type_and_name(document, entity))
    except BrokenFileError as error:
        assert "lol" not in str(error) and "xxxx" not in str(error)
    else:
        assert [a.sport for a in found] == ["unknown"]  # the <type> held only the entity
        assert "lollol" not in repr(found) and "xxxx" not in repr(found)
    assert time.perf_counter() - began < 2


def test_the_billion_laughs_is_refused_as_broken_here() -> None:
    document = gpx(
        [Track([run_north(seconds=60, speed=3)], type="running")], doctype=BILLION_LAUGHS
    )
    with pytest.raises(BrokenFileError, match=r"(?i)amplification"):
        read_gpx(entity_in_type_and_name(document, "lol9"))


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text("SECRET-7f3a running\n")
    (tmp_path / "evil.dtd").write_text('<!ENTITY leak "SECRET-7f3a running">\n')
    return path


def external_entities(secret: Path) -> list[str]:
    return [
        f'<!DOCTYPE gpx [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>',
        f'<!DOCTYPE gpx [<!ENTITY % dtd SYSTEM "{secret.with_name("evil.dtd").as_uri()}"> %dtd;'
        '<!ENTITY xxe "&leak;">]>',
        f'<!DOCTYPE gpx SYSTEM "{secret.with_name("evil.dtd").as_uri()}">',
        '<!DOCTYPE gpx [<!ENTITY xxe SYSTEM "http://127.0.0.1:9/secret">]>',
    ]


def test_an_external_entity_is_never_read_in_a_gpx(secret: Path) -> None:
    """XXE: the reference stays unexpanded, the file is not opened, the run is still read."""
    for doctype in external_entities(secret):
        document = gpx([Track([run_north(seconds=60, speed=3)], type="running")], doctype=doctype)
        began = time.perf_counter()
        [run] = read_gpx(entity_in_type_and_name(document, "xxe"))
        assert time.perf_counter() - began < 2
        assert "SECRET" not in repr(run)
        assert run.sport == "unknown"  # the <type> held only the entity, which was not read
        assert run.distance_m == pytest.approx(180, abs=0.5)


def test_an_external_entity_is_never_read_in_a_tcx(secret: Path) -> None:
    lap = TcxLap(START, 60, 180, run_north(seconds=60, speed=3))
    for doctype in external_entities(secret):
        document = tcx([TcxActivity("Running", [lap], device="&xxe;")], doctype=doctype)
        [run] = read_tcx(document.replace(b'"Running"', b'"Running"'))
        assert "SECRET" not in repr(run)
        assert run.device is None and run.sport == "running"


# -- TCX ---------------------------------------------------------------------------------------


def three_laps(*, positions: bool = True) -> list[TcxLap]:
    """1 km easy, 1 km fast, 1 km easy, with a 30 s stop (timer paused) before the last."""
    laps = []
    start = START
    for i, (seconds, hr, strides) in enumerate([(360, 140, 82), (240, 170, 90), (360, 150, 84)]):
        points = run_north(start, seconds=seconds, speed=1000 / seconds, hr=hr + 5, cad=strides)
        if not positions:
            points = [dataclasses.replace(p, lat=None, lon=None) for p in points]
        laps.append(TcxLap(start, seconds, 1000.0, points, hr, hr + 10, None, strides))
        start += dt.timedelta(seconds=seconds + (30 if i == 1 else 0))
    return laps


def test_a_tcx_run_with_laps() -> None:
    [run] = read_tcx(tcx([TcxActivity("Running", three_laps())]))
    assert run.source == "tcx" and run.sport == "running" and run.sub_sport is None
    assert run.start == START
    assert run.elapsed_seconds == 360 + 240 + 30 + 360
    assert run.moving_seconds == 960
    assert run.distance_m == 3000
    assert run.avg_heart_rate == round((360 * 140 + 240 * 170 + 360 * 150) / 960)
    assert run.max_heart_rate == 180
    assert run.avg_cadence_spm == pytest.approx(
        2 * (360 * 82 + 240 * 90 + 360 * 84) / 960, abs=0.05
    )
    assert run.device == "Forerunner 965"
    assert run.has_gps is True
    assert [lap.distance_m for lap in run.laps] == [1000, 1000, 1000]
    assert [lap.moving_seconds for lap in run.laps] == [360, 240, 360]
    assert [lap.avg_heart_rate for lap in run.laps] == [140, 170, 150]
    assert [lap.avg_cadence_spm for lap in run.laps] == [164, 180, 168]
    assert run.laps[1].start == START + dt.timedelta(seconds=360)
    assert [round(lap.pace_s_per_km or 0) for lap in run.laps] == [360, 240, 360]


def test_a_tcx_treadmill_run_without_positions() -> None:
    [run] = read_tcx(tcx([TcxActivity("Running", three_laps(positions=False))]))
    assert run.has_gps is False
    assert run.sport == "running"
    assert run.distance_m == 3000 and len(run.laps) == 3


def test_tcx_figures_fall_back_to_the_track_points() -> None:
    """Laps with no heart rate, cadence or distance: the track points' figures are used."""
    laps = [
        dataclasses.replace(lap, avg_hr=None, max_hr=None, run_cadence=None, distance_m=None)
        for lap in three_laps()
    ]
    [run] = read_tcx(tcx([TcxActivity("Running", laps, device=None)]))
    assert run.avg_heart_rate is not None and 145 < run.avg_heart_rate < 175
    assert run.max_heart_rate == 175
    assert run.avg_cadence_spm is not None and 164 < run.avg_cadence_spm < 180
    assert run.laps[1].avg_heart_rate == 175 and run.laps[1].avg_cadence_spm == 180
    assert run.distance_m is None and run.device is None


def test_a_tcx_bike_ride_is_cycling_and_its_cadence_is_not_steps() -> None:
    points = run_north(seconds=3600, speed=8.33, every=10, ele=300)
    lap = TcxLap(START, 3600, 30_000.0, points, avg_hr=135, max_hr=160, cadence=88)
    [ride] = read_tcx(tcx([TcxActivity("Biking", [lap], device="Edge 540")]))
    assert ride.sport == "cycling" and not ride.is_run
    assert ride.avg_cadence_spm is None and ride.laps[0].avg_cadence_spm is None
    assert ride.distance_m == 30_000 and ride.moving_seconds == 3600
    assert ride.avg_heart_rate == 135 and ride.max_heart_rate == 160
    assert ride.device == "Edge 540" and ride.ascent_m == 0


def test_a_multisport_tcx_gives_each_activity_and_courses_are_not_activities() -> None:
    run = TcxActivity("Running", three_laps())
    ride = TcxActivity("Biking", [TcxLap(START + dt.timedelta(hours=2), 600, 5000.0)])
    other = TcxActivity("Other", [TcxLap(START + dt.timedelta(hours=3), 600, 1000.0)])
    found = read_tcx(tcx([run, ride, other], courses=2))
    assert [a.sport for a in found] == ["running", "cycling", "other"]
    assert found[1].has_gps is False and found[1].distance_m == 5000
    with pytest.raises(NotAnActivityError, match="2 course"):
        read_tcx(tcx([], courses=2))
    with pytest.raises(NotAnActivityError, match="1 activity"):
        read_tcx(tcx([TcxActivity("Running", [])]))


def test_a_truncated_tcx() -> None:
    data = tcx([TcxActivity("Running", three_laps())])
    [cut] = read_tcx(data[: int(len(data) * 0.6)])
    assert cut.start == START and 1 <= len(cut.laps) < 3
    with pytest.raises(BrokenFileError, match="broken TCX file"):
        read_tcx(data[:300])


# -- memory ------------------------------------------------------------------------------------

MEMORY_PROBE = """
import resource, sys
sys.path[:0] = {paths!r}
from tests.xml_activity_files import Track, gpx, run_north
data = gpx([Track([run_north(seconds=200_000, speed=3, hr=150, cad=85, ele=100)], type="run")])
from piri.activities.gpx import read_gpx
read_gpx(data[:100_000])
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
[run] = read_gpx(data)
grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(len(data), grown, run.distance_m)
"""


def test_memory_stays_flat_on_a_big_gpx() -> None:
    """200,000 points (about 30 MB): a kept tree would take hundreds of MB; released, a few."""
    root = Path(__file__).resolve().parents[1]
    code = MEMORY_PROBE.format(paths=[str(root), str(root / "src")])
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    size, grown_kb, distance = result.stdout.split()
    assert int(size) > 25_000_000
    assert int(grown_kb) < 20_000, f"peak memory grew by {int(grown_kb) // 1024} MB"
    assert float(distance) == pytest.approx(600_000, rel=1e-6)


# -- the shared sample files -------------------------------------------------------------------


def plausible(activity: Activity) -> None:
    assert activity.start.utcoffset() == dt.timedelta(0)
    assert activity.elapsed_seconds >= 0
    if activity.moving_seconds is not None:
        assert activity.moving_seconds <= activity.elapsed_seconds + 1
    assert activity.distance_m is None or activity.distance_m >= 0
    assert activity.sport and activity.sport == activity.sport.lower()


def read_or_reason(path: Path) -> list[Activity] | str:
    reader = read_gpx if path.parent.name == "gpx" else read_tcx
    try:
        found = reader(path.read_bytes())
    except (NotAnActivityError, BrokenFileError) as error:
        assert str(error), f"{path.name}: an error without a reason"
        return f"{type(error).__name__}: {error}"
    assert found, f"{path.name}: no activity and no reason"
    for activity in found:
        plausible(activity)
    return found


def gpxpy_tracks(path: Path) -> list[tuple[dt.datetime, float]] | str:
    """(start, 2-D length) of each track gpxpy finds with two timed points, or its error."""
    try:
        parsed = gpxpy.parse(path.read_text(encoding="utf-8-sig"))
    except Exception as error:
        return f"{type(error).__name__}: {error}"
    tracks = []
    for track in parsed.tracks:
        times = [p.time for s in track.segments for p in s.points if p.time is not None]
        if len(times) >= 2:
            first = min(times)
            first = first if first.tzinfo else first.replace(tzinfo=dt.UTC)
            tracks.append((first.astimezone(dt.UTC), track.length_2d()))
    return tracks


@pytest.mark.shared_data
def test_every_shared_gpx_and_tcx_file_reads_or_says_why(shared_dir: Path) -> None:
    """Every sample reads, or raises one of the two errors with a reason; GPX tracks match
    gpxpy's start and (within 2%) distance, and the files gpxpy refuses are listed."""
    folder = shared_dir / "data" / "activities"
    paths = sorted((folder / "gpx").iterdir()) + sorted((folder / "tcx").iterdir())
    assert paths, f"no GPX or TCX files in {folder}"
    outcomes = {path: read_or_reason(path) for path in paths}
    compared = 0
    only_piri: list[str] = []
    for path, outcome in outcomes.items():
        if path.parent.name == "tcx":
            if not isinstance(outcome, str):
                compared += check_tcx_laps(path, outcome)
            continue
        oracle = gpxpy_tracks(path)
        if isinstance(oracle, str):
            if not isinstance(outcome, str):
                only_piri.append(f"{path.name} ({oracle[:80]})")
            continue
        if isinstance(outcome, str):
            assert not oracle, f"{path.name}: gpxpy reads {len(oracle)} track(s); {outcome}"
            continue
        assert len(outcome) == len(oracle), path.name
        for activity, (start, length) in zip(outcome, oracle, strict=True):
            assert activity.start == start, path.name
            assert activity.distance_m == pytest.approx(length, rel=0.02, abs=1), path.name
            compared += 1
    print(f"\n{compared} activities compared; read by Piri, refused by gpxpy: {only_piri}")
    assert compared > 30


def check_tcx_laps(path: Path, found: list[Activity]) -> int:
    """Lap counts and lap distances against a plain ElementTree reading of the same file."""
    namespace = "{http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2}"
    # the shared samples are trusted files; one has blank space before its XML declaration
    tree = ElementTree.ElementTree(ElementTree.fromstring(path.read_bytes().lstrip()))
    written = [
        a for a in tree.iter(f"{namespace}Activity") if a.find(f"{namespace}Lap") is not None
    ]
    assert len(found) == len(written), path.name
    for activity, element in zip(found, written, strict=True):
        laps = element.findall(f"{namespace}Lap")
        assert len(activity.laps) == len(laps), path.name
        distance = sum(float(lap.findtext(f"{namespace}DistanceMeters") or 0) for lap in laps)
        assert activity.distance_m == pytest.approx(distance, abs=0.1), path.name
    return len(found)


@pytest.mark.shared_data
def test_the_strava_gpx_that_gpxpy_refuses_is_read(shared_dir: Path) -> None:
    path = shared_dir / "data" / "activities" / "gpx" / "sportslib__6037744996.gpx"
    if not path.exists():
        pytest.skip(f"skipped: {path.name} is not among the shared samples")
    with pytest.raises(gpxpy.gpx.GPXXMLSyntaxException, match="prefix gpxdata"):
        gpxpy.parse(path.read_text(encoding="utf-8-sig"))
    [run] = read_gpx(path.read_bytes())
    assert run.sport == "running" and run.start == dt.datetime(
        2020, 12, 25, 20, 40, 26, tzinfo=dt.UTC
    )
    assert run.distance_m is not None and 5000 < run.distance_m < 5200
    assert run.avg_cadence_spm is not None and 120 < run.avg_cadence_spm < 200
