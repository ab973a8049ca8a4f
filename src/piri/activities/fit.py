"""A fast FIT summary reader: the session and lap summaries, never the per-second records.

A FIT file is a 12- or 14-byte header, a body of messages and a 2-byte CRC; several of those
may follow each other in one file ("chained" FIT files). Each message is either a definition
(it tells the size and layout of the data messages of one local message type, 0-15) or a data
message. This reader parses the headers and every definition itself, and then jumps over each
data message it does not need by its definition's total size, without decoding a field: the
per-second ``record`` messages, which are nearly all of a file, cost one dictionary-free list
look-up each. Only a handful of messages are decoded, each with one precompiled
:class:`struct.Struct` per definition that unpacks just the wanted fields:

- ``file_id`` (0): the file type (an activity is type 4), the maker and the product;
- ``session`` (18): one :class:`~piri.domain.activity.Activity` per session (a multisport file
  has several);
- ``lap`` (19): the laps, given to their session;
- ``activity`` (34): its ``local_timestamp``, for the UTC offset;
- ``sport`` (12): the sport, when a session does not name one;
- ``device_info`` (23): the recording device's product name, when ``file_id`` has none.

One exception for the records: a session says where it started only on some devices, so
``has_gps`` also looks at the records. A record definition without position fields is jumped
over as above; with them, its messages are unpacked (two integers, no dictionary) until one
has a valid position, and from then on jumped over too. So a GPS file pays for its first few
records, and only a file whose records define positions but never hold one pays for them all.
In a multisport file that is a file-wide answer (a pool swim beside an outdoor run says GPS).

What the numbers mean: times in seconds (``moving_seconds`` is FIT's timer time, pauses
excluded), distances in metres, cadence in steps per minute: FIT's running, walking and hiking
cadence counts strides (one foot), so it is doubled, fraction included; the cadence of other
sports (a cyclist's crank rpm, a swimmer's strokes) is not steps and is left out. A heart rate,
cadence or running-dynamics average of 0 is what some apps write without a sensor: ``None``.

Field numbers and scales are those of the FIT SDK profile (checked against fitdecode's copy of
it in ``tests/test_fit_reader.py``). fitdecode itself stays the full decoder for per-second
streams and the oracle of the tests; it is never imported here.

What is tolerated, and what is not:

- Invalid values (0xFF, 0x7FFF, 0xFFFFFFFF, ... and 0 for the ``z`` types) are ``None``.
- CRCs are not checked: computing a CRC-16 in Python costs more than the whole rest of the
  read, and fitdecode's default also only warns about a mismatch. A damaged file is still
  recognised by its structure: a bad header, a message for a local type that was never
  defined, a message that runs past the end of the data.
- A file cut short after its session (and laps) were read keeps what was read; cut short, or
  corrupt, before any session was read, it is a :class:`BrokenFileError` that says where. The
  same holds for anything unreadable after a complete FIT file (trailing bytes that are not a
  FIT header, a damaged second file): the activities read so far are returned.
- A missing 2-byte CRC at the very end is ignored; a header whose data size is 0 (a recording
  that was never finished) is read to the end of the bytes.
- A complete activity file with laps but no session (some apps write none) gets one session
  made of its laps' sums; with neither, it is broken (Piri reads summaries only).
- More than MAX_SUMMARY_MESSAGES decoded messages in one FIT file is refused as corrupt, so a
  hostile file of tiny messages cannot fill the memory.
- A FIT file without a ``file_id`` continues the previous one (Garmin appends files of heart
  rate data to swims that way); a chained file whose ``file_id`` says it is not an activity is
  skipped, and only when no activity is left is :class:`NotAnActivityError` raised.
- A session without a start time takes the first lap's, or its end time minus its elapsed
  time, or as a last resort the file's creation time. A device whose clock was never set
  writes times as seconds since it was switched on (below 0x10000000); they are placed with
  the activity message's local time when it has one (so the "UTC" start is then really local
  time, and the UTC offset is unknown), otherwise the file is broken.
- Timestamps of compressed-timestamp headers are rebuilt from the last timestamp among the
  decoded messages (the skipped records would be more exact; only the activity message's time
  is used, and the UTC offset is rounded to the 15 minutes all time zones are multiples of).
"""

from __future__ import annotations

import datetime as dt
import struct
from dataclasses import dataclass, field

from piri.activities.fit_profile import (
    FILE_TYPES,
    GARMIN_PRODUCTS,
    MANUFACTURERS,
    SPORTS,
    SUB_SPORTS,
)
from piri.domain.activity import Activity, BrokenFileError, Lap, NotAnActivityError

__all__ = ["read_fit"]

_FIT_EPOCH_UNIX = 631_065_600  # FIT times are seconds since 1989-12-31 00:00 UTC
_DATE_MIN = 0x1000_0000  # FIT times below this are seconds since the device was switched on

_HEADER = struct.Struct("<BBHI4s")  # size, protocol, profile, data size, ".FIT" (+ CRC)

MESG_FILE_ID = 0
MESG_SPORT = 12
MESG_SESSION = 18
MESG_LAP = 19
MESG_RECORD = 20
MESG_DEVICE_INFO = 23
MESG_ACTIVITY = 34
FILE_TYPE_ACTIVITY = 4

# The fields decoded, per global message: field number -> (profile name, scale). The value
# used is raw / scale (no field used here has an offset). Verified against the FIT profile.
FIELDS: dict[int, dict[int, tuple[str, int]]] = {
    MESG_FILE_ID: {
        0: ("type", 1),
        1: ("manufacturer", 1),
        2: ("product", 1),
        4: ("time_created", 1),
        8: ("product_name", 1),
    },
    MESG_SPORT: {0: ("sport", 1), 1: ("sub_sport", 1)},
    MESG_SESSION: {
        2: ("start_time", 1),
        3: ("start_position_lat", 1),
        4: ("start_position_long", 1),
        5: ("sport", 1),
        6: ("sub_sport", 1),
        7: ("total_elapsed_time", 1000),  # s
        8: ("total_timer_time", 1000),  # s, pauses excluded
        9: ("total_distance", 100),  # m
        16: ("avg_heart_rate", 1),  # bpm
        17: ("max_heart_rate", 1),  # bpm
        18: ("avg_cadence", 1),  # rpm; strides/min (avg_running_cadence) when running
        22: ("total_ascent", 1),  # m
        25: ("first_lap_index", 1),
        26: ("num_laps", 1),
        89: ("avg_vertical_oscillation", 10),  # mm
        91: ("avg_stance_time", 10),  # ms
        92: ("avg_fractional_cadence", 128),  # rpm
        133: ("avg_stance_time_balance", 100),  # percent
        253: ("timestamp", 1),
    },
    MESG_LAP: {
        2: ("start_time", 1),
        3: ("start_position_lat", 1),
        4: ("start_position_long", 1),
        7: ("total_elapsed_time", 1000),  # s
        8: ("total_timer_time", 1000),  # s
        9: ("total_distance", 100),  # m
        15: ("avg_heart_rate", 1),  # bpm
        17: ("avg_cadence", 1),  # rpm; strides/min when running
        80: ("avg_fractional_cadence", 128),  # rpm
        253: ("timestamp", 1),
    },
    # Records are decoded only until one has a position (then skipped): that is has_gps.
    MESG_RECORD: {0: ("position_lat", 1), 1: ("position_long", 1)},
    MESG_DEVICE_INFO: {
        0: ("device_index", 1),  # 0 is the creator: the device that recorded the file
        2: ("manufacturer", 1),
        4: ("product", 1),
        27: ("product_name", 1),
    },
    MESG_ACTIVITY: {5: ("local_timestamp", 1), 253: ("timestamp", 1)},
}
_SCALES: dict[int, dict[str, int]] = {
    mesg: {name: scale for name, scale in fields.values()} for mesg, fields in FIELDS.items()
}

# FIT base types that hold one number: base type -> (struct code, size, invalid value).
# Any other base type (byte, floats, unknown ones), or a size that is not the base type's
# (an array), leaves the field out, as if it were invalid.
_NUMBER_TYPES: dict[int, tuple[str, int, int]] = {
    0x00: ("B", 1, 0xFF),  # enum
    0x01: ("b", 1, 0x7F),  # sint8
    0x02: ("B", 1, 0xFF),  # uint8
    0x83: ("h", 2, 0x7FFF),  # sint16
    0x84: ("H", 2, 0xFFFF),  # uint16
    0x85: ("i", 4, 0x7FFF_FFFF),  # sint32
    0x86: ("I", 4, 0xFFFF_FFFF),  # uint32
    0x0A: ("B", 1, 0),  # uint8z
    0x8B: ("H", 2, 0),  # uint16z
    0x8C: ("I", 4, 0),  # uint32z
    0x8E: ("q", 8, 0x7FFF_FFFF_FFFF_FFFF),  # sint64
    0x8F: ("Q", 8, 0xFFFF_FFFF_FFFF_FFFF),  # uint64
    0x90: ("Q", 8, 0),  # uint64z
}
_STRING = 0x07

# Sports whose cadence counts strides (one foot): Piri reports steps (both feet), so twice it.
# Other sports' cadence (cycling's crank rpm, swimming's strokes) is not steps: left out.
_FOOT_SPORTS = frozenset({1, 11, 17})  # running, walking, hiking
_FOOT_SUB_SPORTS = frozenset({1, 27, 45})  # treadmill, indoor_walking, indoor_running
# Makers whose product numbers are Garmin's (the profile's garmin_product subfield).
_GARMIN_PRODUCT_MAKERS = frozenset({1, 13, 15, 89})  # garmin, dynastream_oem, dynastream, tacx

Message = dict[str, int | str]


class _Decoder:
    """Unpacks the wanted fields of one definition's data messages with one Struct."""

    __slots__ = ("fields", "global_num", "unpack_from")

    def __init__(self, global_num: int, big_endian: bool, field_defs: bytes) -> None:
        wanted = FIELDS[global_num]
        codes = [">" if big_endian else "<"]
        fields: list[tuple[str, int | None]] = []  # (name, invalid value; None for a string)
        gap = 0
        for i in range(0, len(field_defs) - 2, 3):
            num, size, base = field_defs[i], field_defs[i + 1], field_defs[i + 2]
            name = wanted.get(num, (None, 0))[0]
            number_type = _NUMBER_TYPES.get(base)
            if name is not None and number_type is not None and number_type[1] == size:
                code, invalid = number_type[0], number_type[2]
            elif name is not None and base == _STRING and size > 0:
                code, invalid = f"{size}s", None
            else:
                gap += size
                continue
            if gap:
                codes.append(f"{gap}x")
                gap = 0
            codes.append(code)
            fields.append((name, invalid))
        self.global_num = global_num
        self.fields = tuple(fields)
        self.unpack_from = struct.Struct("".join(codes)).unpack_from

    def decode(self, data: bytes, offset: int) -> Message:
        message: Message = {}
        for (name, invalid), value in zip(self.fields, self.unpack_from(data, offset), strict=True):
            if invalid is None:
                text = value[: value.find(b"\0")] if b"\0" in value else value
                if text:
                    message[name] = text.decode("utf-8", errors="replace")
            elif value != invalid:
                message[name] = value
        return message


_DECODERS: dict[tuple[int, bool, bytes], _Decoder] = {}
_MAX_DECODERS = 4096  # the cache of compiled definitions stays small on hostile input
# Laps, sessions, device infos... per FIT file: thousands at most in a real one. The cap keeps
# a hostile file of tiny summary messages from filling the memory.
MAX_SUMMARY_MESSAGES = 100_000


def _decoder(global_num: int, big_endian: bool, field_defs: bytes) -> _Decoder:
    key = (global_num, big_endian, field_defs)
    decoder = _DECODERS.get(key)
    if decoder is None:
        if len(_DECODERS) >= _MAX_DECODERS:
            _DECODERS.clear()
        decoder = _DECODERS[key] = _Decoder(global_num, big_endian, field_defs)
    return decoder


@dataclass
class _Group:
    """What one FIT file (a ``file_id`` and any following parts without one) holds."""

    file_type: int | None = None
    file_id: Message = field(default_factory=dict)
    creator: Message = field(default_factory=dict)
    sessions: list[Message] = field(default_factory=list)
    laps: list[Message] = field(default_factory=list)
    sports: list[Message] = field(default_factory=list)
    activity: Message = field(default_factory=dict)
    record_position: bool = False  # a record with a position was seen


def read_fit(data: bytes) -> list[Activity]:
    """The summary of every session in the bytes of one (possibly chained) .fit file.

    Raises :class:`NotAnActivityError` for a valid FIT file that is not an activity
    (settings, monitoring, a workout, weight, ...) and :class:`BrokenFileError`, saying what
    is wrong, for one that cannot be read. A file damaged or cut short after its sessions
    were read returns them (see the module's docstring for every tolerance). ``file_sha256``
    and ``origin`` are left for the caller to fill.
    """
    if not isinstance(data, bytes):
        data = bytes(data)
    groups, scan_problem = _scan(data)
    problem = scan_problem
    activities: list[Activity] = []
    other_types: list[int] = []
    for group in groups:
        if group.file_type is not None and group.file_type != FILE_TYPE_ACTIVITY:
            other_types.append(group.file_type)
            continue
        found, why_not = _group_activities(group, complete=scan_problem is None)
        activities.extend(found)
        problem = problem or why_not
    if activities:
        return activities
    if other_types and not any(group.file_type == FILE_TYPE_ACTIVITY for group in groups):
        file_type = other_types[0]
        name = FILE_TYPES.get(file_type, "unknown")
        raise NotAnActivityError(f"a {name} file (file type {file_type}), not an activity")
    if problem:
        raise BrokenFileError(problem)
    if any(group.file_type == FILE_TYPE_ACTIVITY for group in groups):
        raise BrokenFileError(
            "an activity file without a summary (no session or lap message); "
            "Piri reads the summaries only"
        )
    raise NotAnActivityError("a FIT file with no session or lap: not an activity")


def _scan(data: bytes) -> tuple[list[_Group], str | None]:
    """Every FIT file in ``data``, and what stopped the reading early (None if nothing)."""
    size = len(data)
    if size == 0:
        raise BrokenFileError("empty: 0 bytes")
    groups: list[_Group] = []
    group: _Group | None = None
    pos = 0
    while pos < size:
        # The header: 12 bytes, or 14 with a CRC of the first 12 (not checked; see above).
        if size - pos < 12 or data[pos + 8 : pos + 12] != b".FIT":
            if pos == 0:
                if size < 12:
                    raise BrokenFileError(f"bad header: {size} bytes, a FIT header has 12")
                raise BrokenFileError("bad header: not a FIT file (no '.FIT' signature)")
            return groups, f"bytes {pos} to {size} after the FIT data are not a FIT file"
        header_size, _protocol, _profile, data_size, _magic = _HEADER.unpack_from(data, pos)
        if header_size < 12 or header_size == 13:  # 14 and more hold a CRC (as fitdecode)
            where = "" if pos == 0 else f" at byte {pos}"
            reason = f"bad header{where}: size {header_size} (a FIT header has 12 or 14 bytes)"
            if pos == 0:
                raise BrokenFileError(reason)
            return groups, reason
        body = pos + header_size
        if data_size == 0:  # a recording that was never closed: read what is there
            _problem, group, _cut = _scan_body(data, body, size, groups, group)
            return groups, (
                "unfinished: the header's data size is 0 (the recording was never closed) "
                "and no session summary was written"
            )
        end = body + data_size
        limit = min(end, size)
        problem, group, cut = _scan_body(data, body, limit, groups, group)
        if problem:
            return groups, problem
        if limit < end:
            return groups, f"truncated: the data ends at byte {size} of {end + 2}"
        if cut:
            return groups, (
                f"corrupt: the last message runs past the end of the data at byte {end}"
            )
        pos = end + 2  # the file CRC (not checked); a missing one at the very end is ignored
    return groups, None


def _scan_body(
    data: bytes, pos: int, limit: int, groups: list[_Group], group: _Group | None
) -> tuple[str | None, _Group | None, bool]:
    """Reads the messages of one FIT file's body.

    Returns a problem (None if there was none), the current group, and whether the last
    message was cut by ``limit``.
    """
    # Per local message type (0-15): bytes to jump over (header included) for a message not
    # decoded, 0 for one that is decoded, -1 while undefined.
    skips = [-1] * 16
    sizes = [0] * 16  # the size of a decoded message, header included
    decoders: list[_Decoder | None] = [None] * 16
    last_timestamp = 0  # for compressed-timestamp headers
    decoded = 0
    while pos < limit:
        header = data[pos]
        if header < 0x40:  # a data message with a normal header (bits 4-5 are reserved)
            local = header & 0x0F
            skip = skips[local]
            if skip > 0:
                pos += skip
                continue
            time_offset = -1
        elif header & 0x80:  # a data message with a compressed-timestamp header
            local = (header >> 5) & 0x03
            skip = skips[local]
            if skip > 0:
                pos += skip
                continue
            time_offset = header & 0x1F
        else:  # a definition message
            if pos + 6 > limit:
                return None, group, True
            big_endian = data[pos + 2] != 0
            global_num = int.from_bytes(data[pos + 3 : pos + 5], "big" if big_endian else "little")
            fields_start = pos + 6
            fields_end = fields_start + 3 * data[pos + 5]
            if fields_end > limit:
                return None, group, True
            message_size = 1 + sum(data[fields_start + 1 : fields_end : 3])
            next_pos = fields_end
            if header & 0x20:  # developer fields follow
                if fields_end >= limit:
                    return None, group, True
                next_pos = fields_end + 1 + 3 * data[fields_end]
                if next_pos > limit:
                    return None, group, True
                message_size += sum(data[fields_end + 2 : next_pos : 3])
            local = header & 0x0F
            decoder = None
            if global_num in FIELDS:
                decoder = _decoder(global_num, big_endian, data[fields_start:fields_end])
                if global_num == MESG_RECORD and (
                    len(decoder.fields) != 2 or (group is not None and group.record_position)
                ):
                    decoder = None  # records are read for a position only, until one is seen
            decoders[local] = decoder
            if decoder is None:
                skips[local] = message_size
            else:
                skips[local] = 0
                sizes[local] = message_size
            pos = next_pos
            continue

        # A data message: of an undefined local type, or one to decode.
        decoder = decoders[local]
        if skip < 0 or decoder is None:
            return (
                (
                    f"corrupt: the message at byte {pos} uses local message type {local}, "
                    "which was never defined"
                ),
                group,
                False,
            )
        message_end = pos + sizes[local]
        if message_end > limit:
            return None, group, True
        if decoder.global_num == MESG_RECORD:
            lat, long = decoder.unpack_from(data, pos + 1)
            pos = message_end
            if lat != decoder.fields[0][1] and long != decoder.fields[1][1] and (lat or long):
                # GPS it is: from now on, this file's records are jumped over.
                if group is None:
                    group = _Group()
                    groups.append(group)
                group.record_position = True
                for i, other in enumerate(decoders):
                    if other is not None and other.global_num == MESG_RECORD:
                        skips[i] = sizes[i]
                        decoders[i] = None
            continue
        decoded += 1
        if decoded > MAX_SUMMARY_MESSAGES:
            return f"corrupt: more than {MAX_SUMMARY_MESSAGES} summary messages", group, False
        message = decoder.decode(data, pos + 1)
        pos = message_end
        if time_offset >= 0 and "timestamp" not in message:
            timestamp = (last_timestamp & ~0x1F) + time_offset
            if time_offset < (last_timestamp & 0x1F):
                timestamp += 0x20
            message["timestamp"] = timestamp
        stamp = message.get("timestamp")
        if isinstance(stamp, int):
            last_timestamp = stamp
        global_num = decoder.global_num
        if global_num == MESG_FILE_ID:
            group = _Group(file_id=message)
            groups.append(group)
            file_type = message.get("type")
            if isinstance(file_type, int):
                group.file_type = file_type
                if file_type != FILE_TYPE_ACTIVITY:
                    return None, group, False  # not an activity: skip the rest of the body
            continue
        if group is None:
            group = _Group()
            groups.append(group)
        if global_num == MESG_SESSION:
            group.sessions.append(message)
        elif global_num == MESG_LAP:
            group.laps.append(message)
        elif global_num == MESG_ACTIVITY:
            group.activity = message
        elif global_num == MESG_SPORT:
            group.sports.append(message)
        elif global_num == MESG_DEVICE_INFO and message.get("device_index") == 0:
            if not group.creator:
                group.creator = message
            elif "product_name" in message:  # some devices name it in a later message
                group.creator.setdefault("product_name", message["product_name"])
    return None, group, pos > limit


def _group_activities(group: _Group, *, complete: bool) -> tuple[list[Activity], str | None]:
    """One Activity per session of a FIT file, and why a session was left out, if one was.

    A file without a session gets one from its laps, unless it was damaged or cut short
    (then the session may just have been lost).
    """
    sessions = group.sessions or (_session_from_laps(group.laps) if complete else [])
    shift = _clock_shift(group.activity)
    utc_offset = _utc_offset(group.activity, shift)
    device = _device(group.file_id, group.creator)
    activities: list[Activity] = []
    problem = None
    for session, laps in zip(sessions, _assign_laps(sessions, group.laps), strict=True):
        sport_num = _int(session, "sport")
        sub_sport_num = _int(session, "sub_sport")
        if sport_num is None and len(group.sports) == 1:
            sport_num = _int(group.sports[0], "sport")
            sub_sport_num = _int(group.sports[0], "sub_sport")
        foot = sport_num in _FOOT_SPORTS or sub_sport_num in _FOOT_SUB_SPORTS
        session_laps = [lap for lap in (_lap(raw, shift, foot) for raw in laps) if lap]
        elapsed = _value(session, MESG_SESSION, "total_elapsed_time")
        timer = _value(session, MESG_SESSION, "total_timer_time")
        start = _time(_int(session, "start_time"), shift)
        end = _time(_int(session, "timestamp"), shift)
        if start is None and session_laps:
            start = session_laps[0].start
        if start is None and end is not None and elapsed is not None:
            start = end - dt.timedelta(seconds=elapsed)
        if start is None:
            start = _time(_int(group.file_id, "time_created"), shift)
        if start is None:
            problem = "no usable start time: the device's clock was not set"
            continue
        if elapsed is None:
            elapsed = timer
        if elapsed is None and end is not None and end >= start:
            elapsed = (end - start).total_seconds()
        activities.append(
            Activity(
                source="fit",
                sport=SPORTS.get(sport_num, "unknown") if sport_num is not None else "unknown",
                sub_sport=SUB_SPORTS.get(sub_sport_num) if sub_sport_num is not None else None,
                start=start,
                utc_offset_seconds=utc_offset,
                elapsed_seconds=elapsed if elapsed is not None else 0.0,
                moving_seconds=timer,
                distance_m=_value(session, MESG_SESSION, "total_distance"),
                ascent_m=_value(session, MESG_SESSION, "total_ascent"),
                avg_heart_rate=_heart_rate(session, "avg_heart_rate"),
                max_heart_rate=_heart_rate(session, "max_heart_rate"),
                avg_cadence_spm=_steps_per_minute(session, foot),
                avg_stance_time_ms=_value(session, MESG_SESSION, "avg_stance_time") or None,
                stance_time_balance_left_pct=_value(
                    session, MESG_SESSION, "avg_stance_time_balance"
                )
                or None,
                avg_vertical_oscillation_mm=_value(
                    session, MESG_SESSION, "avg_vertical_oscillation"
                )
                or None,
                device=device,
                has_gps=group.record_position
                or _has_position(session)
                or any(_has_position(lap) for lap in laps),
                laps=session_laps,
            )
        )
    return activities, problem


def _session_from_laps(laps: list[Message]) -> list[Message]:
    """A file with laps but no session (some apps write none): the laps' sums, as a session."""
    if not laps:
        return []
    session: Message = {}
    starts = [start for lap in laps if (start := _int(lap, "start_time")) is not None]
    if starts:
        session["start_time"] = min(starts)
    for name in ("total_elapsed_time", "total_timer_time", "total_distance"):
        values = [value for lap in laps if (value := _int(lap, name)) is not None]
        if values:
            session[name] = sum(values)
    return [session]


def _assign_laps(sessions: list[Message], laps: list[Message]) -> list[list[Message]]:
    """Each session's laps: by the sessions' lap indexes when they fit, otherwise by time."""
    if len(sessions) <= 1:
        return [laps] * len(sessions)
    firsts = [_int(session, "first_lap_index") for session in sessions]
    counts = [_int(session, "num_laps") for session in sessions]
    if all(first is not None for first in firsts) and all(n is not None for n in counts):
        ranges = [
            (first or 0, (first or 0) + (n or 0)) for first, n in zip(firsts, counts, strict=True)
        ]
        ordered = sorted(ranges)
        if ordered[-1][1] <= len(laps) and all(
            ordered[i][1] <= ordered[i + 1][0] for i in range(len(ordered) - 1)
        ):
            return [laps[first:stop] for first, stop in ranges]
    # By time: a lap belongs to the last session that started at or before it.
    starts = sorted(
        (start, i)
        for i, session in enumerate(sessions)
        if (start := _int(session, "start_time")) is not None
    )
    assigned: list[list[Message]] = [[] for _ in sessions]
    for lap in laps:
        lap_start = _int(lap, "start_time")
        if lap_start is None or not starts:
            continue
        owner = starts[0][1]
        for start, i in starts:
            if start > lap_start:
                break
            owner = i
        assigned[owner].append(lap)
    return assigned


def _lap(lap: Message, shift: int | None, foot: bool) -> Lap | None:
    elapsed = _value(lap, MESG_LAP, "total_elapsed_time")
    timer = _value(lap, MESG_LAP, "total_timer_time")
    start = _time(_int(lap, "start_time"), shift)
    if start is None:
        end = _time(_int(lap, "timestamp"), shift)
        if end is None or elapsed is None:
            return None
        start = end - dt.timedelta(seconds=elapsed)
    if elapsed is None:
        elapsed = timer
    return Lap(
        start=start,
        elapsed_seconds=elapsed if elapsed is not None else 0.0,
        moving_seconds=timer,
        distance_m=_value(lap, MESG_LAP, "total_distance"),
        avg_heart_rate=_heart_rate(lap, "avg_heart_rate"),
        avg_cadence_spm=_steps_per_minute(lap, foot),
    )


def _int(message: Message, name: str) -> int | None:
    value = message.get(name)
    return value if isinstance(value, int) else None


def _value(message: Message, global_num: int, name: str) -> float | None:
    """A number with its profile scale applied, or None when it is absent or invalid."""
    value = message.get(name)
    if not isinstance(value, int):
        return None
    scale = _SCALES[global_num][name]
    return value / scale if scale != 1 else float(value)


def _heart_rate(message: Message, name: str) -> int | None:
    value = _int(message, name)
    return value or None  # 0 is what some apps write when there was no heart rate sensor


def _steps_per_minute(message: Message, foot: bool) -> float | None:
    """Cadence in steps per minute: FIT's running cadence counts strides (one foot)."""
    strides = _int(message, "avg_cadence")
    if not strides or not foot:
        return None  # 0 (or nothing) is no cadence
    fraction = _int(message, "avg_fractional_cadence") or 0
    return 2 * (strides + fraction / 128)


def _has_position(message: Message) -> bool:
    lat, long = message.get("start_position_lat"), message.get("start_position_long")
    return lat is not None and long is not None and (lat, long) != (0, 0)


def _time(raw: int | None, shift: int | None) -> dt.datetime | None:
    """A FIT time as an aware UTC datetime; None when absent or relative with no anchor."""
    if raw is None:
        return None
    if raw < _DATE_MIN:
        if shift is None:
            return None
        raw += shift
    return dt.datetime.fromtimestamp(raw + _FIT_EPOCH_UNIX, dt.UTC)


def _clock_shift(activity: Message) -> int | None:
    """For a device whose clock was not set: what turns its relative times into dates."""
    local, stamp = _int(activity, "local_timestamp"), _int(activity, "timestamp")
    if local is None or stamp is None or local < _DATE_MIN or stamp >= _DATE_MIN:
        return None
    return local - stamp


def _utc_offset(activity: Message, shift: int | None) -> int | None:
    local, stamp = _int(activity, "local_timestamp"), _int(activity, "timestamp")
    if shift is not None or local is None or stamp is None or min(local, stamp) < _DATE_MIN:
        return None
    offset = round((local - stamp) / 900) * 900  # every time zone is a multiple of 15 min
    return offset if abs(offset) <= 14 * 3600 else None


def _device(file_id: Message, creator: Message) -> str | None:
    """The recording device: its product name, else its maker and (Garmin) product name."""
    for message in (file_id, creator):
        name = message.get("product_name")
        if isinstance(name, str) and name.strip():
            return name.strip()
    for message in (file_id, creator):
        maker = _int(message, "manufacturer")
        if maker is None or maker not in MANUFACTURERS:
            continue
        product = _int(message, "product")
        if maker in _GARMIN_PRODUCT_MAKERS and product:
            return f"{MANUFACTURERS[maker]} {GARMIN_PRODUCTS.get(product, product)}"
        return MANUFACTURERS[maker]  # other makers' product numbers name no model
    return None
