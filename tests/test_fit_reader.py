"""The FIT summary reader: written files of every shape, and every shared sample against fitdecode.

The files are written by ``tests/fit_files.py``; fitdecode (the full decoder) is the oracle:
it decodes the written files too, and every real sample in ``../shared/data/activities/fit``.
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import fitdecode
import pytest
from fitdecode import profile as fit_profile_oracle
from fitdecode.utils import compute_crc

from piri.activities import fit_profile
from piri.activities.fit import FIELDS, read_fit
from piri.domain.activity import Activity, BrokenFileError, NotAnActivityError
from tests import fit_files as ff
from tests.fit_files import START, FitWriter, Summary

UTC = dt.UTC


def one(data: bytes) -> Activity:
    activities = read_fit(data)
    assert len(activities) == 1
    return activities[0]


# --- a run, as a watch writes it --------------------------------------------------------


def test_a_run_with_laps_reads_every_summary_field() -> None:
    run = one(ff.run_file())

    assert run.source == "fit"
    assert (run.sport, run.sub_sport) == ("running", "generic")
    assert run.is_run
    assert run.start == START and run.start.tzinfo is not None
    assert run.utc_offset_seconds == 7200
    assert run.local_start == dt.datetime(2024, 5, 1, 8, 30)
    assert run.elapsed_seconds == 973.0
    assert run.moving_seconds == 970.0
    assert run.distance_m == 3003.0
    assert run.ascent_m == 42.0
    assert (run.avg_heart_rate, run.max_heart_rate) == (152, 181)
    assert run.avg_cadence_spm == 2 * (86 + 32 / 128)  # strides + fraction, times two feet
    assert run.avg_stance_time_ms == pytest.approx(251.3)
    assert run.stance_time_balance_left_pct == pytest.approx(49.6)
    assert run.avg_vertical_oscillation_mm == pytest.approx(88.4)
    assert run.device == "garmin fr935"
    assert run.has_gps
    assert (run.file_sha256, run.origin) == ("", "")  # the caller's to fill

    assert [lap.distance_m for lap in run.laps] == [1000.0, 1001.0, 1002.0]
    assert [lap.moving_seconds for lap in run.laps] == [360.0, 240.0, 370.0]
    assert [lap.elapsed_seconds for lap in run.laps] == [361.0, 241.0, 371.0]
    assert [lap.avg_heart_rate for lap in run.laps] == [140, 170, 150]
    assert [lap.avg_cadence_spm for lap in run.laps] == [169.0, 185.0, 167.0]
    assert run.laps[0].start == START
    assert run.laps[1].start == START + dt.timedelta(seconds=361)
    assert run.laps[1].pace_s_per_km == pytest.approx(240 / 1.001)  # the fast kilometre


def test_fitdecode_reads_the_written_run_as_the_reader_does() -> None:
    """The writer is right (fitdecode checks its CRCs) and the reader agrees with fitdecode."""
    data = ff.run_file()
    with fitdecode.FitReader(data, check_crc=fitdecode.CrcCheck.RAISE) as reader:
        frames = [f for f in reader if f.frame_type == fitdecode.FIT_FRAME_DATA]
    session = next(f for f in frames if f.name == "session")
    run = one(data)
    assert run.start == session.get_value("start_time")
    assert run.distance_m == session.get_value("total_distance")
    assert run.moving_seconds == session.get_value("total_timer_time")
    assert run.elapsed_seconds == session.get_value("total_elapsed_time")
    assert run.avg_stance_time_ms == pytest.approx(session.get_value("avg_stance_time"))
    assert run.stance_time_balance_left_pct == pytest.approx(
        session.get_value("avg_stance_time_balance")
    )
    assert run.avg_vertical_oscillation_mm == pytest.approx(
        session.get_value("avg_vertical_oscillation")
    )
    cadence = session.get_value("avg_cadence") + session.get_value("avg_fractional_cadence")
    assert run.avg_cadence_spm == 2 * cadence
    assert len(run.laps) == sum(f.name == "lap" for f in frames)


def test_a_treadmill_run_without_gps_is_an_activity() -> None:
    run = one(ff.run_file(gps=False, sub_sport=1))
    assert (run.sport, run.sub_sport) == ("running", "treadmill")
    assert not run.has_gps
    assert run.distance_m == 3003.0
    assert len(run.laps) == 3


def test_gps_is_seen_in_the_records_when_the_session_has_no_start_position() -> None:
    w = FitWriter()
    ff.file_id(w)
    ff.records(w, START, 60, gps=True)
    ff.session(w, Summary(start=START, elapsed_s=60.0, distance_m=200.0))  # no position
    assert one(w.build()).has_gps
    w = FitWriter()
    ff.file_id(w)
    ff.records(w, START, 60, gps=False)
    ff.session(w, Summary(start=START, elapsed_s=60.0, distance_m=200.0, sub_sport=45))
    indoor = one(w.build())
    assert not indoor.has_gps
    assert indoor.sub_sport == "indoor_running"


def test_records_with_position_fields_but_no_fix_are_no_gps() -> None:
    w = FitWriter()
    ff.file_id(w)
    ff.records(w, START, 60, gps=True, no_fix=True)
    ff.session(w, Summary(start=START, elapsed_s=60.0, distance_m=200.0))
    assert not one(w.build()).has_gps


@pytest.mark.parametrize(
    "variant",
    [
        {"big_endian": True},
        {"compressed": True},
        {"dev_fields": True},
        {"header_size": 12},
        {"big_endian": True, "compressed": True, "dev_fields": True},
    ],
    ids=lambda v: "+".join(v),
)
def test_byte_order_compressed_timestamps_developer_fields_and_short_headers(
    variant: dict[str, Any],
) -> None:
    assert read_fit(ff.run_file(**variant)) == read_fit(ff.run_file())


def test_compressed_timestamp_headers_on_the_decoded_messages() -> None:
    """A session and an activity message with compressed-timestamp headers (no timestamp
    field): the activity's time comes from the last full timestamp, for the UTC offset."""
    s = ff.run_session()
    end = s.end()
    assert end is not None
    w = FitWriter()
    ff.file_id(w)
    ff.records(w, START, 30, compressed=True, local=2)
    ff.lap(w, Summary(start=START, elapsed_s=973.0, timestamp=end), local=1)  # full time
    ff.session(w, s, local=0, time_offset=(ff.fit_time(end) + 1) & 0x1F)
    ff.activity(w, end + dt.timedelta(seconds=1), -5 * 3600, local=3, time_offset=0)
    run = one(w.build())
    assert run.start == START
    assert run.utc_offset_seconds == -5 * 3600


def test_utc_offset_is_rounded_to_a_quarter_hour_and_absent_when_not_written() -> None:
    assert one(ff.run_file(utc_offset_s=5 * 3600 + 45 * 60 + 2)).utc_offset_seconds == 20700
    run = one(ff.run_file(utc_offset_s=None))
    assert run.utc_offset_seconds is None
    assert run.local_start is None


def test_invalid_values_are_none() -> None:
    w = FitWriter()
    ff.file_id(w, manufacturer=0xFFFF)
    ff.session(w, Summary(start=START, elapsed_s=None, timer_s=None, sport=None, sub_sport=None))
    run = one(w.build())
    assert run.sport == "unknown"
    assert run.sub_sport is None
    assert run.elapsed_seconds == 0.0  # nothing says how long
    assert run.moving_seconds is None
    assert run.distance_m is None
    assert run.avg_heart_rate is None and run.avg_cadence_spm is None
    assert run.ascent_m is None and run.avg_stance_time_ms is None
    assert run.device is None
    assert not run.has_gps
    assert run.laps == []


def test_zero_heart_rate_and_cadence_mean_no_sensor() -> None:
    w = FitWriter()
    ff.file_id(w)
    ff.session(w, Summary(start=START, elapsed_s=600.0, avg_hr=0, max_hr=0, cadence=0))
    run = one(w.build())
    assert (run.avg_heart_rate, run.max_heart_rate, run.avg_cadence_spm) == (None, None, None)


@pytest.mark.parametrize(
    ("sport", "sub_sport", "name", "cadence"),
    [
        (1, 3, ("running", "trail"), 170.0),
        (11, 0, ("walking", "generic"), 170.0),
        (17, 0, ("hiking", "generic"), 170.0),
        (4, 1, ("fitness_equipment", "treadmill"), 170.0),
        (2, 58, ("cycling", "virtual_activity"), None),  # crank rpm: not steps
        (5, 17, ("swimming", "lap_swimming"), None),  # strokes: not steps
        (250, 250, ("unknown", None), None),  # numbers the profile does not name
    ],
)
def test_sports_by_name_and_cadence_in_steps_only_on_foot(
    sport: int, sub_sport: int, name: tuple[str, str | None], cadence: float | None
) -> None:
    w = FitWriter()
    ff.file_id(w)
    ff.session(
        w, Summary(start=START, elapsed_s=60.0, sport=sport, sub_sport=sub_sport, cadence=85)
    )
    run = one(w.build())
    assert (run.sport, run.sub_sport) == name
    assert run.avg_cadence_spm == cadence


def test_the_sport_message_names_the_sport_when_the_session_does_not() -> None:
    w = FitWriter()
    ff.file_id(w)
    w.message(1, ff.SPORT, {0: (ff.ENUM, 1), 1: (ff.ENUM, 4)})
    ff.session(w, Summary(start=START, elapsed_s=60.0, sport=None, sub_sport=None))
    assert (one(w.build()).sport, one(w.build()).sub_sport) == ("running", "track")


def test_the_device_name() -> None:
    w = FitWriter()
    ff.file_id(w, product_name="Bryton Active App")
    ff.session(w, Summary(start=START, elapsed_s=60.0))
    assert one(w.build()).device == "Bryton Active App"

    w = FitWriter()
    ff.file_id(w, manufacturer=23, product=34)  # suunto: its product numbers name no model
    ff.device_info(w, product_name="Suunto 9 Baro")
    ff.session(w, Summary(start=START, elapsed_s=60.0))
    assert one(w.build()).device == "Suunto 9 Baro"

    w = FitWriter()
    ff.file_id(w, manufacturer=23, product=34)
    ff.session(w, Summary(start=START, elapsed_s=60.0))
    assert one(w.build()).device == "suunto"

    w = FitWriter()
    ff.file_id(w, manufacturer=1, product=65000)  # a Garmin newer than the profile
    ff.session(w, Summary(start=START, elapsed_s=60.0))
    assert one(w.build()).device == "garmin 65000"


# --- start times when the session has none ----------------------------------------------


def test_a_session_without_start_takes_the_first_lap_then_its_end_then_the_file_creation() -> None:
    lap_start = START + dt.timedelta(seconds=5)
    w = FitWriter()
    ff.file_id(w, time_created=START + dt.timedelta(hours=1))
    ff.lap(w, Summary(start=lap_start, elapsed_s=100.0))
    ff.session(w, Summary(start=None, elapsed_s=100.0, timestamp=START + dt.timedelta(hours=2)))
    assert one(w.build()).start == lap_start

    w = FitWriter()
    ff.file_id(w, time_created=START + dt.timedelta(hours=1))
    ff.session(w, Summary(start=None, elapsed_s=100.0, timestamp=START + dt.timedelta(hours=2)))
    assert one(w.build()).start == START + dt.timedelta(hours=2, seconds=-100)

    w = FitWriter()
    ff.file_id(w, time_created=START + dt.timedelta(hours=1))
    ff.session(w, Summary(start=None, elapsed_s=100.0))
    assert one(w.build()).start == START + dt.timedelta(hours=1)


def test_a_clock_that_was_never_set_is_placed_by_the_local_time() -> None:
    """Times below 0x10000000 count seconds since the device was switched on."""
    switched_on = 1000
    w = FitWriter()
    ff.file_id(w)
    w.message(
        1, ff.SESSION, {2: (ff.UINT32, switched_on + 60), 7: (ff.UINT32, 600_000), 5: (ff.ENUM, 1)}
    )
    local_end = ff.fit_time(dt.datetime(2012, 2, 13, 12, 0, tzinfo=UTC))
    w.message(2, ff.ACTIVITY, {253: (ff.UINT32, switched_on + 660), 5: (ff.UINT32, local_end)})
    run = one(w.build())
    assert run.start == dt.datetime(2012, 2, 13, 11, 50, tzinfo=UTC)  # local time, really
    assert run.utc_offset_seconds is None

    w = FitWriter()
    ff.file_id(w)
    w.message(1, ff.SESSION, {2: (ff.UINT32, switched_on), 7: (ff.UINT32, 600_000)})
    with pytest.raises(BrokenFileError, match="no usable start time"):
        read_fit(w.build())


# --- multisport, and laps without a session ---------------------------------------------


def _triathlon(*, indexed: bool) -> bytes:
    w = FitWriter()
    ff.file_id(w)
    legs = [(5, 600.0, 2), (3, 60.0, 1), (2, 1800.0, 2), (1, 1200.0, 3)]  # sport, s, laps
    sessions, moment, lap_index = [], START, 0
    for sport, seconds, laps in legs:
        for number in range(laps):
            ff.lap(w, Summary(start=moment, elapsed_s=seconds / laps, distance_m=100.0 + number))
            moment += dt.timedelta(seconds=seconds / laps)
        start = moment - dt.timedelta(seconds=seconds)
        sessions.append(
            Summary(
                start=start,
                elapsed_s=seconds,
                sport=sport,
                first_lap_index=lap_index if indexed else None,
                num_laps=laps if indexed else None,
            )
        )
        lap_index += laps
    for s in sessions:
        ff.session(w, s)
    return w.build()


@pytest.mark.parametrize("indexed", [True, False], ids=["by-lap-index", "by-time"])
def test_a_multisport_file_is_one_activity_per_session_with_its_own_laps(indexed: bool) -> None:
    legs = read_fit(_triathlon(indexed=indexed))
    assert [leg.sport for leg in legs] == ["swimming", "transition", "cycling", "running"]
    assert [len(leg.laps) for leg in legs] == [2, 1, 2, 3]
    for leg in legs:
        assert leg.laps[0].start == leg.start


def test_laps_without_a_session_are_summed_into_one_activity() -> None:
    w = FitWriter()
    ff.file_id(w)
    w.message(1, ff.SPORT, {0: (ff.ENUM, 1), 1: (ff.ENUM, 0)})
    for summary in ff.run_laps():
        ff.lap(w, summary)
    run = one(w.build())
    assert run.sport == "running"
    assert run.start == START
    assert run.distance_m == 3003.0
    assert run.elapsed_seconds == 973.0
    assert len(run.laps) == 3


def test_an_activity_file_without_session_or_lap_is_broken() -> None:
    w = FitWriter()
    ff.file_id(w)
    ff.records(w, START, 10)
    with pytest.raises(BrokenFileError, match="no session or lap"):
        read_fit(w.build())


def test_a_file_of_no_given_type_without_session_or_lap_is_not_an_activity() -> None:
    w = FitWriter()
    ff.file_id(w, None)
    ff.records(w, START, 10)
    with pytest.raises(NotAnActivityError, match="no session or lap"):
        read_fit(w.build())


def test_a_flood_of_tiny_summary_messages_is_refused() -> None:
    w = FitWriter()
    ff.file_id(w)
    w.define(5, ff.LAP, [])  # a lap of no fields: one byte a message
    w.raw(b"\x05" * 100_001)
    with pytest.raises(BrokenFileError, match="more than 100000 summary messages"):
        read_fit(w.build())


# --- files that are not activities -------------------------------------------------------


@pytest.mark.parametrize(
    ("file_type", "name"),
    [(2, "settings"), (5, "workout"), (9, "weight"), (15, "monitoring_a"), (32, "monitoring_b")],
)
def test_valid_files_that_are_not_activities(file_type: int, name: str) -> None:
    with pytest.raises(NotAnActivityError, match=rf"a {name} file \(file type {file_type}\)"):
        read_fit(ff.settings_file(file_type))


# --- broken files -----------------------------------------------------------------------


def test_zero_bytes() -> None:
    with pytest.raises(BrokenFileError, match="empty: 0 bytes"):
        read_fit(b"")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x0e\x10", "bad header: 2 bytes"),
        (b"<?xml version='1.0'?><gpx></gpx>", r"bad header: not a FIT file \(no '.FIT'"),
        (b"\x0e\x10\x54\x08\x00\x00\x00\x00.FTT\x00\x00", "bad header: not a FIT file"),
        (b"\x08\x10\x54\x08\x00\x00\x00\x00.FIT\x00\x00", "bad header: size 8"),
        (b"\x0d\x10\x54\x08\x00\x00\x00\x00.FIT\x00\x00", "bad header: size 13"),
    ],
)
def test_bad_headers(data: bytes, reason: str) -> None:
    with pytest.raises(BrokenFileError, match=reason):
        read_fit(data)


def test_a_file_cut_before_its_session_is_broken_and_says_where() -> None:
    data = ff.run_file()
    for cut in (14, 15, 100, len(data) // 2, len(data) - 200):
        with pytest.raises(BrokenFileError) as error:
            read_fit(data[:cut])
        assert str(error.value) == f"truncated: the data ends at byte {cut} of {len(data)}"


def test_a_file_cut_after_its_session_keeps_what_was_read() -> None:
    data = ff.run_file()
    whole = one(data)
    for cut in (len(data) - 1, len(data) - 2, len(data) - 10):  # in the CRC, the activity
        run = one(data[:cut])
        assert run.distance_m == whole.distance_m
        assert len(run.laps) == 3


def test_a_message_of_a_local_type_never_defined_is_corrupt() -> None:
    w = FitWriter()
    ff.file_id(w)
    w.raw(b"\x07" + bytes(10))  # a data message of local type 7
    ff.session(w, ff.run_session())
    with pytest.raises(BrokenFileError, match=r"byte 4[0-9] uses local message type 7, which"):
        read_fit(w.build())


def test_a_message_that_runs_past_the_declared_data_is_corrupt() -> None:
    w = FitWriter()
    ff.file_id(w)
    data = w.build()
    body = len(w.body)
    w.raw(b"\x00")  # a file_id message's header, its fields beyond the declared size
    w.raw(bytes(15))
    longer = w.build(data_size=body + 4)
    assert len(data) < len(longer)
    with pytest.raises(BrokenFileError, match="runs past the end of the data"):
        read_fit(longer)


def test_an_unfinished_recording_with_data_size_0() -> None:
    w = FitWriter()
    ff.file_id(w)
    ff.records(w, START, 20)
    with pytest.raises(BrokenFileError, match="unfinished: the header's data size is 0"):
        read_fit(w.build(data_size=0)[:-2])
    w = FitWriter()
    ff.file_id(w)
    ff.session(w, ff.run_session())
    assert one(w.build(data_size=0)[:-2]).distance_m == 3003.0


# --- chained FIT files --------------------------------------------------------------------


def test_chained_files_are_each_read() -> None:
    run = ff.run_file()
    treadmill = ff.run_file(gps=False, sub_sport=1)
    assert [a.sub_sport for a in read_fit(run + treadmill)] == ["generic", "treadmill"]
    assert [a.has_gps for a in read_fit(run + treadmill)] == [True, False]
    assert len(read_fit(ff.settings_file() + run)) == 1
    assert len(read_fit(run + ff.settings_file())) == 1
    with pytest.raises(NotAnActivityError, match="settings"):
        read_fit(ff.settings_file() + ff.settings_file(ff.FILE_WORKOUT))


def test_a_chained_file_without_file_id_continues_the_previous_one() -> None:
    """Garmin appends FIT files of heart rate data (no file_id) to swims."""
    w = FitWriter()
    w.message(0, ff.HR, {253: (ff.UINT32, ff.fit_time(START)), 6: (ff.UINT8, 140)})
    chained = ff.run_file() + w.build() + w.build()
    assert read_fit(chained) == read_fit(ff.run_file())


def test_what_follows_a_complete_file_does_not_lose_it() -> None:
    run = ff.run_file()
    assert len(read_fit(run + b"\0" * 100)) == 1  # padding
    assert len(read_fit(run + ff.settings_file()[:20])) == 1  # a damaged second file
    assert len(read_fit(run + ff.run_file()[:-300])) == 1  # a second run, cut short
    with pytest.raises(NotAnActivityError, match="settings"):
        read_fit(ff.settings_file() + b"junk" * 5)
    w = FitWriter()
    ff.file_id(w)
    ff.records(w, START, 10)
    no_session = w.build()
    at, end = len(no_session), len(no_session) + 20
    with pytest.raises(BrokenFileError, match=f"bytes {at} to {end} after the FIT data are not a"):
        read_fit(no_session + b"junk" * 5)


# --- the tables, checked against fitdecode's copy of the FIT profile ---------------------


def test_every_field_number_and_scale_is_the_profiles() -> None:
    for global_num, fields in FIELDS.items():
        message = fit_profile_oracle.MESSAGE_TYPES[global_num]
        for number, (name, scale) in fields.items():
            profile_field = message.fields[number]
            assert profile_field.name == name, (message.name, number)
            assert (profile_field.scale or 1) == scale, (message.name, name)
            assert not profile_field.offset, (message.name, name)


@pytest.mark.parametrize(
    ("table", "profile_type"),
    [
        (fit_profile.FILE_TYPES, "file"),
        (fit_profile.SPORTS, "sport"),
        (fit_profile.SUB_SPORTS, "sub_sport"),
        (fit_profile.MANUFACTURERS, "manufacturer"),
        (fit_profile.GARMIN_PRODUCTS, "garmin_product"),
    ],
)
def test_the_names_are_the_profiles(table: dict[int, str], profile_type: str) -> None:
    assert table == fit_profile_oracle.FIELD_TYPES[profile_type].enum


def test_the_test_writers_crc_is_fits() -> None:
    data = ff.run_file()
    assert ff.crc16(data[:-2]) == compute_crc(data[:-2])
    assert ff.crc16(data) == 0  # a file with its CRC checks to 0


# --- every shared sample, against fitdecode's full decode --------------------------------

SHARED_FIT = Path("data/activities/fit")


def _shared_fit_files() -> list[str]:
    from tests.conftest import SHARED_DIR

    folder = SHARED_DIR / SHARED_FIT
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else ["(absent)"]


# Files where Piri keeps activities while fitdecode stops with an error, and why each is right.
KEPT_WHERE_FITDECODE_FAILS = {
    # A complete activity (its CRC matches), then a chained settings file whose header is
    # damaged: fitdecode stops at the bad header; Piri keeps the complete activity before it.
    "fitparse__activity-settings-corruptheader.fit": "not a FIT file",
    # Cut short after the session and lap, before the activity message: Piri keeps the session.
    "fitparse__activity-unexpected-eof.fit": "expected 1 bytes, got 0",
    # Strava's Android app writes the session and lap first; a message of a local type that
    # was never defined comes later (and the file is 19 bytes shorter than its header says):
    # Piri keeps the session it read before the damage.
    "fitparse__strava-android-app-201.10-b1218918.fit": "local message 11 not defined",
}

FOOT_SPORTS = {"running", "walking", "hiking"}
FOOT_SUB_SPORTS = {"treadmill", "indoor_walking", "indoor_running"}


@dataclass
class _Oracle:
    """What fitdecode decodes, grouped like Piri: a file_id starts a FIT file."""

    groups: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None


def _fitdecode(data: bytes) -> _Oracle:
    oracle = _Oracle()
    group: dict[str, Any] | None = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # CRC mismatches only warn, as fitdecode's default
        try:
            with fitdecode.FitReader(data) as reader:
                for frame in reader:
                    if frame.frame_type != fitdecode.FIT_FRAME_DATA:
                        continue
                    if frame.name == "file_id" or group is None:
                        group = {"type": None, "sessions": [], "laps": [], "sports": []}
                        oracle.groups.append(group)
                    if frame.name == "file_id":
                        group["type"] = frame.get_value("type", fallback=None)
                    elif frame.name in ("session", "lap", "sport"):
                        group[frame.name + "s"].append(frame)
        except Exception as error:  # every fitdecode error: the oracle failed
            oracle.error = f"{type(error).__name__}: {error}"
    return oracle


def _value(frame: Any, name: str) -> Any:
    return frame.get_value(name, fallback=None)


@pytest.mark.shared_data
@pytest.mark.parametrize("name", _shared_fit_files())
def test_every_shared_fit_file_against_fitdecode(shared_dir: Path, name: str) -> None:
    data = (shared_dir / SHARED_FIT / name).read_bytes()
    oracle = _fitdecode(data)
    activity_groups = [g for g in oracle.groups if g["type"] in ("activity", None)]
    expected_sessions = [s for g in activity_groups for s in g["sessions"]]

    try:
        activities = read_fit(data)
    except NotAnActivityError:
        assert oracle.error is None and not expected_sessions
        return
    except BrokenFileError as error:
        assert str(error), "a broken file says what is wrong"
        assert oracle.error is not None, f"Piri: {error}; fitdecode read it whole"
        return

    if oracle.error is not None:
        assert name in KEPT_WHERE_FITDECODE_FAILS, f"fitdecode failed: {oracle.error}"
        assert KEPT_WHERE_FITDECODE_FAILS[name] in oracle.error
    else:
        assert name not in KEPT_WHERE_FITDECODE_FAILS
    assert len(activities) == len(expected_sessions)

    laps_read = 0
    for group in activity_groups:
        sessions = group["sessions"]
        for session in sessions:
            ours = activities.pop(0)
            sport = _value(session, "sport")
            sub_sport = _value(session, "sub_sport")
            if sport is None and len(group["sports"]) == 1:
                sport = _value(group["sports"][0], "sport")
                sub_sport = _value(group["sports"][0], "sub_sport")
            assert ours.sport == (sport if isinstance(sport, str) else "unknown")
            assert ours.sub_sport == (sub_sport if isinstance(sub_sport, str) else None)

            start = _value(session, "start_time")
            if isinstance(start, dt.datetime):
                assert ours.start == start
            else:  # no start, or a clock never set: Piri's fallbacks (see the reader)
                assert ours.start.tzinfo is not None

            _same(ours.distance_m, _value(session, "total_distance"))
            _same(ours.moving_seconds, _value(session, "total_timer_time"))
            if _value(session, "total_elapsed_time") is not None:
                _same(ours.elapsed_seconds, _value(session, "total_elapsed_time"))
            assert ours.avg_heart_rate == (_value(session, "avg_heart_rate") or None)
            assert ours.max_heart_rate == (_value(session, "max_heart_rate") or None)

            strides = _value(session, "avg_cadence")
            if strides and (sport in FOOT_SPORTS or sub_sport in FOOT_SUB_SPORTS):
                fraction = _value(session, "avg_fractional_cadence") or 0
                _same(ours.avg_cadence_spm, 2 * (strides + fraction))
            else:
                assert ours.avg_cadence_spm is None

            if len(sessions) == 1:  # (a lap with neither start nor duration is left out)
                assert len(ours.laps) == len(
                    [
                        lap
                        for lap in group["laps"]
                        if _value(lap, "start_time")
                        or _value(lap, "total_elapsed_time") is not None
                    ]
                )
            elif _value(session, "num_laps") is not None:
                assert len(ours.laps) == _value(session, "num_laps")
            laps_read += len(ours.laps)
    assert laps_read == sum(
        1
        for g in activity_groups
        for lap in g["laps"]
        if _value(lap, "start_time") or _value(lap, "total_elapsed_time") is not None
    )


def _same(ours: float | None, theirs: Any) -> None:
    if theirs is None:
        assert ours is None
    else:
        assert ours is not None and math.isclose(ours, theirs, rel_tol=1e-9), (ours, theirs)
