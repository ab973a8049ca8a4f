"""Finding activity files in folders and ZIP archives, without trusting the archives.

Archives are streamed: nothing is extracted to disk, entry names are only ever used as
labels (never as file paths), and every archive is checked for entry count, sizes and
compression ratio before anything is read from it. Every refusal says why.
"""

from __future__ import annotations

import csv
import gzip
import io
import lzma
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

# Safe defaults; the importer takes others from settings.
MAX_ENTRIES = 200_000  # a ten-year Garmin export holds a few thousand files
MAX_ENTRY_BYTES = 256 * 1024 * 1024  # one activity file, uncompressed
MAX_TOTAL_BYTES = 50 * 1024 * 1024 * 1024  # one archive, uncompressed
MAX_RATIO = 200  # uncompressed / compressed; real FIT, GPX and TCX files stay far below
# A nested ZIP is read into memory up to this size (seeking in a deflated stream is slow);
# a bigger one is read as a stream.
NESTED_ZIP_IN_MEMORY = 64 * 1024 * 1024
MAX_NESTING = 3

ACTIVITY_SUFFIXES = (".fit", ".gpx", ".tcx")
STRAVA_INDEX = "activities.csv"
STRAVA_INDEX_MAX_BYTES = 64 * 1024 * 1024
COMPRESSED_SUFFIX = ".gz"


# What reading a damaged archive can raise besides BadZipFile: a corrupt deflate stream
# (zlib.error), a flipped compression-method byte (NotImplementedError: "compression method not
# supported"), a flipped encryption bit (RuntimeError: "password required"), truncation
# (EOFError, OSError), a broken LZMA entry, and a name flagged UTF-8 that is not (ValueError:
# UnicodeDecodeError, from ZipFile itself). Found by tests/test_parser_properties.py and
# fuzz/run.py; the inputs are kept in fuzz/regressions/archive/.
DAMAGED_ARCHIVE = (
    ValueError,
    zipfile.BadZipFile,
    OSError,
    EOFError,
    zlib.error,
    lzma.LZMAError,
    NotImplementedError,
    RuntimeError,
)


class UnsafeArchiveError(Exception):
    """An archive (or an entry in it) that Piri refuses to read; the message says why."""


@dataclass(frozen=True)
class Limits:
    max_entries: int = MAX_ENTRIES
    max_entry_bytes: int = MAX_ENTRY_BYTES
    max_total_bytes: int = MAX_TOTAL_BYTES
    max_ratio: float = MAX_RATIO


@dataclass(frozen=True)
class Found:
    """One file to import: where it came from, its format, and its (uncompressed) bytes."""

    origin: str  # "runs/2024-05-01.fit" or "export.zip:activities/123.fit.gz"
    kind: str  # "fit", "gpx" or "tcx"
    data: bytes
    sport_hint: str | None = None  # the sport a Strava export's activities.csv names for it


@dataclass(frozen=True)
class Skipped:
    origin: str
    reason: str


def activity_kind(name: str) -> str | None:
    """'fit', 'gpx' or 'tcx' for an activity file name (plain or .gz), else None."""
    lower = name.lower()
    if lower.endswith(COMPRESSED_SUFFIX):
        lower = lower[: -len(COMPRESSED_SUFFIX)]
    for suffix in ACTIVITY_SUFFIXES:
        if lower.endswith(suffix):
            return suffix[1:]
    return None


def find_activity_files(paths: list[Path], limits: Limits = Limits()) -> Iterator[Found | Skipped]:
    """Every activity file under ``paths`` (files, folders searched recursively, ZIPs)."""
    for path in paths:
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                yield from _from_file(child, limits)
        elif path.is_file():
            yield from _from_file(path, limits)
        else:
            yield Skipped(str(path), "no such file or folder")


def _from_file(path: Path, limits: Limits) -> Iterator[Found | Skipped]:
    if path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as archive:
                yield from _from_zip(archive, str(path), limits, depth=1)
        except DAMAGED_ARCHIVE as error:
            yield Skipped(str(path), f"not a readable ZIP archive ({error})")
        except UnsafeArchiveError as error:
            yield Skipped(str(path), f"refused: {error}")
        return
    kind = activity_kind(path.name)
    if kind is None:
        yield Skipped(str(path), "not an activity file (.fit, .gpx or .tcx, optionally .gz)")
        return
    size = path.stat().st_size
    if size > limits.max_entry_bytes:
        yield Skipped(str(path), f"larger than the {limits.max_entry_bytes} byte limit")
        return
    try:
        data = path.read_bytes()
        yield Found(str(path), kind, _gunzip(data, path.name, limits))
    except UnsafeArchiveError as error:
        yield Skipped(str(path), f"refused: {error}")
    except OSError as error:
        yield Skipped(str(path), f"cannot be read ({error.strerror})")


def check_archive(archive: zipfile.ZipFile, label: str, limits: Limits) -> None:
    """Refuse an archive whose directory promises too many entries, too many bytes or bombs."""
    entries = archive.infolist()
    if len(entries) > limits.max_entries:
        raise UnsafeArchiveError(
            f"{label} holds {len(entries)} entries, more than the limit of {limits.max_entries}"
        )
    total = sum(info.file_size for info in entries)
    if total > limits.max_total_bytes:
        raise UnsafeArchiveError(
            f"{label} would unpack to {total} bytes, "
            f"more than the limit of {limits.max_total_bytes}"
        )
    for info in entries:
        ratio = info.file_size / info.compress_size if info.compress_size else 0.0
        if ratio > limits.max_ratio:
            raise UnsafeArchiveError(
                f"{label}: entry '{info.filename}' expands {ratio:.0f} times, "
                f"more than the limit of {limits.max_ratio:g} (a ZIP bomb?)"
            )


def strava_sports(archive: zipfile.ZipFile) -> dict[str, str]:
    """File name -> 'Activity Type' from a Strava bulk export's activities.csv (if it has one)."""
    try:
        info = archive.getinfo(STRAVA_INDEX)
    except KeyError:
        return {}
    if info.file_size > STRAVA_INDEX_MAX_BYTES:
        return {}
    try:
        raw = _read_capped(archive, info, STRAVA_INDEX_MAX_BYTES)
    except DAMAGED_ARCHIVE:  # a damaged index only loses the sport names it would give
        return {}
    text = raw.decode("utf-8", errors="replace")
    sports: dict[str, str] = {}
    try:
        for row in csv.DictReader(io.StringIO(text)):
            name, sport = row.get("Filename"), row.get("Activity Type")
            if isinstance(name, str) and isinstance(sport, str) and name and sport:
                sports[name.strip()] = sport.strip()
    except csv.Error:  # a damaged index (a NUL byte, say): keep the names read before it
        pass
    return sports


def _from_zip(
    archive: zipfile.ZipFile, label: str, limits: Limits, depth: int
) -> Iterator[Found | Skipped]:
    check_archive(archive, label, limits)
    sports = strava_sports(archive)
    for info in archive.infolist():
        if not info.filename or info.is_dir():  # a nameless entry breaks ZipInfo.is_dir
            continue
        name = PurePosixPath(info.filename).name  # a label only, never a path on disk
        origin = f"{label}:{info.filename}"
        if name.lower().endswith(".zip"):
            if depth >= MAX_NESTING:
                yield Skipped(origin, f"ZIP nested more than {MAX_NESTING} deep")
                continue
            yield from _nested_zip(archive, info, origin, limits, depth)
            continue
        kind = activity_kind(name)
        if kind is None:
            continue  # Strava and Garmin exports hold many other files; not worth listing
        if info.file_size > limits.max_entry_bytes:
            yield Skipped(origin, f"larger than the {limits.max_entry_bytes} byte limit")
            continue
        try:
            data = _read_capped(archive, info, limits.max_entry_bytes)
            hint = sports.get(info.filename)
            yield Found(origin, kind, _gunzip(data, name, limits), hint)
        except UnsafeArchiveError as error:
            yield Skipped(origin, f"refused: {error}")
        except DAMAGED_ARCHIVE as error:
            yield Skipped(origin, f"cannot be read from the archive ({error})")


def _nested_zip(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, origin: str, limits: Limits, depth: int
) -> Iterator[Found | Skipped]:
    try:
        if info.file_size <= NESTED_ZIP_IN_MEMORY:
            stream: IO[bytes] = io.BytesIO(_read_capped(archive, info, NESTED_ZIP_IN_MEMORY))
        else:
            stream = archive.open(info)
        with zipfile.ZipFile(stream) as inner:
            yield from _from_zip(inner, origin, limits, depth + 1)
    except UnsafeArchiveError as error:
        yield Skipped(origin, f"refused: {error}")
    except DAMAGED_ARCHIVE as error:
        yield Skipped(origin, f"not a readable ZIP archive ({error})")


def _read_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes:
    """Read an entry, never trusting the size its header claims."""
    with archive.open(info) as entry:
        data = entry.read(cap + 1)
    if len(data) > cap:
        raise UnsafeArchiveError(f"'{info.filename}' is larger than the {cap} byte limit")
    return data


def _gunzip(data: bytes, name: str, limits: Limits) -> bytes:
    if not name.lower().endswith(COMPRESSED_SUFFIX):
        return data
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            out = stream.read(limits.max_entry_bytes + 1)
    except (OSError, EOFError, zlib.error) as error:
        raise UnsafeArchiveError(f"'{name}' is not a valid gzip file ({error})") from None
    if len(out) > limits.max_entry_bytes:
        raise UnsafeArchiveError(f"'{name}' unpacks to more than {limits.max_entry_bytes} bytes")
    if data and len(out) / len(data) > limits.max_ratio:
        raise UnsafeArchiveError(
            f"'{name}' expands {len(out) / len(data):.0f} times, more than the limit of "
            f"{limits.max_ratio:g} (a gzip bomb?)"
        )
    return out
