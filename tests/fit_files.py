"""A small FIT writer, so that the FIT reader's tests build their own files.

It writes what the FIT protocol defines: a 12- or 14-byte header, definition messages (any
local type, either byte order, developer fields), data messages with normal or
compressed-timestamp headers, and the CRC. Field numbers and scales are written out here from
the FIT profile independently of ``piri.activities.fit``, so the tests do not just read back
the reader's own tables; ``test_fit_reader`` also has fitdecode decode these files.

Low level: :class:`FitWriter` (``define``, ``data``, ``message``, ``build``). High level: the
message helpers (``file_id``, ``session``, ``lap``, ``records``, ...) take SI units and
datetimes, and :func:`run_file` writes a whole run the way a watch does.
"""

from __future__ import annotations

import datetime as dt
import struct
from collections.abc import Sequence
from dataclasses import dataclass, field

# Base types: number -> (struct code, size, invalid value).
ENUM, SINT8, UINT8, STRING, UINT8Z, BYTE = 0x00, 0x01, 0x02, 0x07, 0x0A, 0x0D
SINT16, UINT16, SINT32, UINT32, UINT16Z, UINT32Z = 0x83, 0x84, 0x85, 0x86, 0x8B, 0x8C
BASE_TYPES: dict[int, tuple[str, int, int]] = {
    ENUM: ("B", 1, 0xFF),
    SINT8: ("b", 1, 0x7F),
    UINT8: ("B", 1, 0xFF),
    UINT8Z: ("B", 1, 0),
    BYTE: ("B", 1, 0xFF),
    SINT16: ("h", 2, 0x7FFF),
    UINT16: ("H", 2, 0xFFFF),
    SINT32: ("i", 4, 0x7FFFFFFF),
    UINT32: ("I", 4, 0xFFFFFFFF),
    UINT16Z: ("H", 2, 0),
    UINT32Z: ("I", 4, 0),
}

# Global message numbers and file types of the FIT profile.
FILE_ID, SPORT, SESSION, LAP, RECORD, EVENT, DEVICE_INFO, ACTIVITY = 0, 12, 18, 19, 20, 21, 23, 34
HR, FIELD_DESCRIPTION, DEVELOPER_DATA_ID = 132, 206, 207
FILE_ACTIVITY, FILE_SETTINGS, FILE_WORKOUT, FILE_WEIGHT, FILE_MONITORING_A = 4, 2, 5, 9, 15

FIT_EPOCH = dt.datetime(1989, 12, 31, tzinfo=dt.UTC)

Value = int | str | None
FieldDef = tuple[int, int] | tuple[int, int, int]  # (number, base type[, size])


def fit_time(moment: dt.datetime) -> int:
    """Seconds since the FIT epoch (1989-12-31 00:00 UTC)."""
    return int((moment - FIT_EPOCH).total_seconds())


_CRC_TABLE = (
    0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
    0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
)  # fmt: skip


def crc16(data: bytes, crc: int = 0) -> int:
    """The FIT CRC-16, as the FIT protocol document gives it."""
    for byte in data:
        tmp = _CRC_TABLE[crc & 0xF]
        crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ _CRC_TABLE[byte & 0xF]
        tmp = _CRC_TABLE[crc & 0xF]
        crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ _CRC_TABLE[(byte >> 4) & 0xF]
    return crc


@dataclass
class _Definition:
    fields: list[tuple[int, int, int]]  # number, base type, size
    big_endian: bool
    dev_size: int


@dataclass
class FitWriter:
    """Builds one FIT file: ``define`` a local type, then write ``data`` messages of it."""

    big_endian: bool = False  # the byte order of the definitions written by default
    body: bytearray = field(default_factory=bytearray)
    _definitions: dict[int, _Definition] = field(default_factory=dict)

    def define(
        self,
        local: int,
        global_num: int,
        fields: Sequence[FieldDef],
        *,
        dev_fields: Sequence[tuple[int, int, int]] = (),  # (number, size, developer index)
        big_endian: bool | None = None,
    ) -> None:
        big = self.big_endian if big_endian is None else big_endian
        sized = [
            (f[0], f[1], f[2] if len(f) == 3 else BASE_TYPES[f[1]][1])  # type: ignore[misc]
            for f in fields
        ]
        header = 0x40 | (0x20 if dev_fields else 0) | local
        out = bytearray([header, 0, 1 if big else 0])
        out += struct.pack(">H" if big else "<H", global_num)
        out.append(len(sized))
        for number, base, size in sized:
            out += bytes([number, size, base])
        if dev_fields:
            out.append(len(dev_fields))
            for number, size, index in dev_fields:
                out += bytes([number, size, index])
        self.body += out
        self._definitions[local] = _Definition(sized, big, sum(d[1] for d in dev_fields))

    def data(
        self,
        local: int,
        values: Sequence[Value],
        *,
        time_offset: int | None = None,  # a compressed-timestamp header (local type 0-3)
        dev_data: bytes | None = None,
    ) -> None:
        definition = self._definitions[local]
        if time_offset is None:
            out = bytearray([local])
        else:
            assert local < 4 and 0 <= time_offset < 32
            out = bytearray([0x80 | (local << 5) | time_offset])
        endian = ">" if definition.big_endian else "<"
        for (_number, base, size), value in zip(definition.fields, values, strict=True):
            out += encode(base, size, value, endian)
        out += dev_data if dev_data is not None else b"\xff" * definition.dev_size
        self.body += out

    def message(
        self, local: int, global_num: int, fields: dict[int, tuple[int, Value]], **kwargs: int
    ) -> None:
        """Defines ``local`` with exactly these fields and writes one message of them."""
        self.define(local, global_num, [(number, base) for number, (base, _) in fields.items()])
        self.data(local, [value for _base, value in fields.values()], **kwargs)

    def raw(self, data: bytes) -> None:
        self.body += data

    def build(
        self,
        *,
        header_size: int = 14,
        data_size: int | None = None,
        protocol: int = 0x20,
        profile: int = 2132,
    ) -> bytes:
        """Header, body and CRC; ``data_size`` overrides the real size (to write a bad one)."""
        size = len(self.body) if data_size is None else data_size
        header = struct.pack("<BBHI4s", header_size, protocol, profile, size, b".FIT")
        if header_size == 14:
            header += struct.pack("<H", crc16(header))
        content = header + bytes(self.body)
        return content + struct.pack("<H", crc16(content))


def encode(base: int, size: int, value: Value, endian: str = "<") -> bytes:
    if base == STRING:
        text = (value if isinstance(value, str) else "").encode()
        return text[:size].ljust(size, b"\0")
    code, base_size, invalid = BASE_TYPES[base]
    count = size // base_size
    number = invalid if value is None else value
    assert isinstance(number, int)
    return struct.pack(f"{endian}{count}{code}", *([number] * count))


# --- messages, in SI units (the scales are the FIT profile's) ---------------------------


def _scaled(value: float | None, scale: int) -> int | None:
    return None if value is None else round(value * scale)


def _time(moment: dt.datetime | None) -> int | None:
    return None if moment is None else fit_time(moment)


def file_id(
    w: FitWriter,
    file_type: int | None = FILE_ACTIVITY,
    *,
    manufacturer: int = 1,  # garmin
    product: int = 2691,  # fr935
    time_created: dt.datetime | None = None,
    product_name: str | None = None,
    local: int = 0,
) -> None:
    fields: dict[int, tuple[int, Value]] = {
        0: (ENUM, file_type),
        1: (UINT16, manufacturer),
        2: (UINT16, product),
        3: (UINT32Z, 3_963_475_978),
        4: (UINT32, _time(time_created)),
    }
    if product_name is not None:
        w.define(local, FILE_ID, [*[(n, b) for n, (b, _) in fields.items()], (8, STRING, 20)])
        w.data(local, [v for _b, v in fields.values()] + [product_name])
    else:
        w.message(local, FILE_ID, fields)


def device_info(
    w: FitWriter, *, device_index: int = 0, product_name: str | None = None, local: int = 3
) -> None:
    w.define(local, DEVICE_INFO, [(253, UINT32), (0, UINT8), (2, UINT16), (4, UINT16)])
    w.data(local, [None, device_index, 1, 2691])
    if product_name is not None:
        w.define(local, DEVICE_INFO, [(0, UINT8), (27, STRING, 16)])
        w.data(local, [device_index, product_name])


@dataclass
class Summary:
    """What a session or a lap says, in SI units; None is written as FIT's invalid value."""

    start: dt.datetime | None
    elapsed_s: float | None
    timer_s: float | None = None
    distance_m: float | None = None
    avg_hr: int | None = None
    max_hr: int | None = None
    cadence: int | None = None  # as FIT has it: strides/min when running
    fractional_cadence: float | None = None  # 0-1, in 1/128
    ascent_m: int | None = None
    sport: int | None = 1  # running
    sub_sport: int | None = 0  # generic
    lat: int | None = None  # semicircles
    long: int | None = None
    stance_time_ms: float | None = None
    stance_balance_pct: float | None = None
    vertical_oscillation_mm: float | None = None
    first_lap_index: int | None = None
    num_laps: int | None = None
    timestamp: dt.datetime | None = None  # the end; from start and elapsed when None

    def end(self) -> dt.datetime | None:
        if self.timestamp is not None or self.start is None or self.elapsed_s is None:
            return self.timestamp
        return self.start + dt.timedelta(seconds=self.elapsed_s)


def session(w: FitWriter, s: Summary, *, local: int = 4, time_offset: int | None = None) -> None:
    fields: dict[int, tuple[int, Value]] = {
        253: (UINT32, None if time_offset is not None else _time(s.end())),
        0: (ENUM, 8),  # event: session
        1: (ENUM, 1),  # event_type: stop
        2: (UINT32, _time(s.start)),
        3: (SINT32, s.lat),
        4: (SINT32, s.long),
        5: (ENUM, s.sport),
        6: (ENUM, s.sub_sport),
        7: (UINT32, _scaled(s.elapsed_s, 1000)),
        8: (UINT32, _scaled(s.timer_s, 1000)),
        9: (UINT32, _scaled(s.distance_m, 100)),
        11: (UINT16, 321),  # total_calories: a field the reader does not need
        16: (UINT8, s.avg_hr),
        17: (UINT8, s.max_hr),
        18: (UINT8, s.cadence),
        22: (UINT16, s.ascent_m),
        25: (UINT16, s.first_lap_index),
        26: (UINT16, s.num_laps),
        89: (UINT16, _scaled(s.vertical_oscillation_mm, 10)),
        91: (UINT16, _scaled(s.stance_time_ms, 10)),
        92: (UINT8, _scaled(s.fractional_cadence, 128)),
        133: (UINT16, _scaled(s.stance_balance_pct, 100)),
    }
    if time_offset is not None:
        del fields[253]
    w.message(
        local, SESSION, fields, **({} if time_offset is None else {"time_offset": time_offset})
    )


def lap(w: FitWriter, s: Summary, *, local: int = 5) -> None:
    w.message(
        local,
        LAP,
        {
            253: (UINT32, _time(s.end())),
            2: (UINT32, _time(s.start)),
            3: (SINT32, s.lat),
            4: (SINT32, s.long),
            7: (UINT32, _scaled(s.elapsed_s, 1000)),
            8: (UINT32, _scaled(s.timer_s, 1000)),
            9: (UINT32, _scaled(s.distance_m, 100)),
            15: (UINT8, s.avg_hr),
            17: (UINT8, s.cadence),
            80: (UINT8, _scaled(s.fractional_cadence, 128)),
        },
    )


def activity(
    w: FitWriter,
    end: dt.datetime,
    utc_offset_s: int | None,
    *,
    local: int = 6,
    time_offset: int | None = None,
) -> None:
    local_time = None if utc_offset_s is None else fit_time(end) + utc_offset_s
    fields: dict[int, tuple[int, Value]] = {
        0: (UINT32, None),  # total_timer_time
        1: (UINT16, 1),  # num_sessions
        2: (ENUM, 0),  # type: manual
        5: (UINT32, local_time),
    }
    if time_offset is None:
        fields = {253: (UINT32, fit_time(end)), **fields}
        w.message(local, ACTIVITY, fields)
    else:
        w.message(local, ACTIVITY, fields, time_offset=time_offset)


def records(
    w: FitWriter,
    start: dt.datetime,
    seconds: int,
    *,
    gps: bool = True,
    local: int = 1,
    compressed: bool = False,
    dev_fields: bool = False,
    no_fix: bool = False,
) -> None:
    """One record a second: position (when ``gps``), distance, heart rate, cadence.

    ``no_fix``: the position fields are there but invalid (a GPS device indoors).

    ``compressed``: a first record with a full timestamp, then compressed-timestamp headers
    (records defined without the timestamp field) on local type ``local`` (0-3).
    """
    base: list[FieldDef] = [(5, UINT32), (3, UINT8), (4, UINT8)]  # distance, hr, cadence
    if gps:
        base = [(0, SINT32), (1, SINT32), *base]
    dev: list[tuple[int, int, int]] = [(0, 2, 0)] if dev_fields else []
    if dev_fields:  # declare developer field 0 of developer 0: a uint16 "power"
        w.message(local, DEVELOPER_DATA_ID, {3: (UINT8, 0)})
        w.define(local, FIELD_DESCRIPTION, [(0, UINT8), (1, UINT8), (2, UINT8), (3, STRING, 6)])
        w.data(local, [0, 0, UINT16, "power"])
    stamp = fit_time(start)
    w.define(local, RECORD, [(253, UINT32), *base], dev_fields=dev)
    if compressed:
        w.data(local, [stamp, *_record_values(0, gps, no_fix)])
        w.define(local, RECORD, base, dev_fields=dev)
        for second in range(1, seconds):
            values = _record_values(second, gps, no_fix)
            w.data(local, values, time_offset=(stamp + second) & 0x1F)
    else:
        for second in range(seconds):
            w.data(local, [stamp + second, *_record_values(second, gps, no_fix)])


def _record_values(second: int, gps: bool, no_fix: bool) -> list[Value]:
    values: list[Value] = [second * 300, 140 + second % 20, 85]
    if gps and no_fix:
        values = [None, None, *values]
    elif gps:
        values = [600_000_000 + second * 100, 100_000_000 + second * 50, *values]
    return values


START = dt.datetime(2024, 5, 1, 6, 30, tzinfo=dt.UTC)


def run_laps(start: dt.datetime = START, *, gps: bool = True) -> list[Summary]:
    """Three laps: 1 km easy, 1 km fast, 1 km easy."""
    laps = []
    moment = start
    for number, (seconds, hr, cadence) in enumerate(
        ((360, 140, 84), (240, 170, 92), (370, 150, 83))
    ):
        laps.append(
            Summary(
                start=moment,
                elapsed_s=seconds + 1.0,  # FIT times are whole seconds
                timer_s=float(seconds),
                distance_m=1000.0 + number,
                avg_hr=hr,
                cadence=cadence,
                fractional_cadence=0.5,
                lat=600_000_000 if gps else None,
                long=100_000_000 if gps else None,
            )
        )
        moment += dt.timedelta(seconds=seconds + 1)
    return laps


def run_session(start: dt.datetime = START, *, gps: bool = True, sub_sport: int = 0) -> Summary:
    return Summary(
        start=start,
        elapsed_s=973.0,
        timer_s=970.0,
        distance_m=3003.0,
        avg_hr=152,
        max_hr=181,
        cadence=86,
        fractional_cadence=0.25,
        ascent_m=42,
        sub_sport=sub_sport,
        lat=600_000_000 if gps else None,
        long=100_000_000 if gps else None,
        stance_time_ms=251.3,
        stance_balance_pct=49.6,
        vertical_oscillation_mm=88.4,
        first_lap_index=0,
        num_laps=3,
    )


def run_file(
    *,
    gps: bool = True,
    sub_sport: int = 0,
    big_endian: bool = False,
    compressed: bool = False,
    dev_fields: bool = False,
    header_size: int = 14,
    utc_offset_s: int | None = 7200,
    seconds: int = 300,
) -> bytes:
    """A run the way a watch writes it: ids, records, laps, then the session and activity."""
    w = FitWriter(big_endian=big_endian)
    file_id(w, time_created=START)
    device_info(w)
    records(w, START, seconds, gps=gps, compressed=compressed, dev_fields=dev_fields)
    for summary in run_laps(gps=gps):
        lap(w, summary)
    s = run_session(gps=gps, sub_sport=sub_sport)
    session(w, s)
    end = s.end()
    assert end is not None
    activity(w, end, utc_offset_s)
    return w.build(header_size=header_size)


def settings_file(file_type: int = FILE_SETTINGS) -> bytes:
    """A valid FIT file that is not an activity (settings, by default)."""
    w = FitWriter()
    file_id(w, file_type, time_created=START)
    w.message(1, 3, {2: (UINT8, 30), 4: (UINT16, 700)})  # user_profile: age, weight
    return w.build()
