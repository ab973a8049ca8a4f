"""Finding activity files in folders and ZIPs, and refusing hostile archives with a reason."""

from __future__ import annotations

import gzip
import io
import zipfile
from pathlib import Path

import pytest

from piri.activities.archive import (
    Found,
    Limits,
    Skipped,
    activity_kind,
    find_activity_files,
)


def zip_bytes(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def found(results: list[Found | Skipped]) -> dict[str, Found]:
    return {r.origin: r for r in results if isinstance(r, Found)}


def skipped(results: list[Found | Skipped]) -> dict[str, str]:
    return {r.origin: r.reason for r in results if isinstance(r, Skipped)}


def test_kinds_by_name() -> None:
    assert activity_kind("Run.FIT") == "fit"
    assert activity_kind("a.gpx.gz") == "gpx"
    assert activity_kind("x.tcx") == "tcx"
    assert activity_kind("activities.csv") is None


def test_a_folder_is_searched_recursively_and_gz_files_are_unpacked(tmp_path: Path) -> None:
    (tmp_path / "2024" / "may").mkdir(parents=True)
    (tmp_path / "2024" / "may" / "run.fit").write_bytes(b"FIT1")
    (tmp_path / "ride.gpx.gz").write_bytes(gzip.compress(b"<gpx/>"))
    (tmp_path / "notes.txt").write_text("hello")
    results = list(find_activity_files([tmp_path]))
    files = found(results)
    assert {Path(o).name for o in files} == {"run.fit", "ride.gpx.gz"}
    assert next(f for f in files.values() if f.kind == "gpx").data == b"<gpx/>"
    assert "notes.txt" in " ".join(skipped(results))


def test_a_strava_export_yields_the_files_in_activities(tmp_path: Path) -> None:
    archive = tmp_path / "export_12345.zip"
    archive.write_bytes(
        zip_bytes(
            {
                "activities.csv": b"Activity ID,Activity Type,Filename\n1,Run,activities/1.fit.gz",
                "activities/1.fit.gz": gzip.compress(b"FITDATA"),
                "activities/2.gpx": b"<gpx/>",
                "media/photo.jpg": b"\xff\xd8",
            }
        )
    )
    files = found(list(find_activity_files([archive])))
    assert sorted(o.split(":", 1)[1] for o in files) == ["activities/1.fit.gz", "activities/2.gpx"]
    assert files[f"{archive}:activities/1.fit.gz"].data == b"FITDATA"


def test_a_garmin_export_with_zips_inside_zips_is_read_without_extracting(tmp_path: Path) -> None:
    inner_stored = zip_bytes({"123_ACTIVITY.fit": b"A", "456_ACTIVITY.fit": b"B"})
    inner_deflated = zip_bytes({"789_ACTIVITY.fit": b"C"})
    archive = tmp_path / "garmin.zip"
    archive.write_bytes(
        zip_bytes(
            {
                "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip": inner_stored,
                "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part2.zip": inner_deflated,
                "DI_CONNECT/DI-Connect-Fitness/summary.json": b"{}",
            },
            zipfile.ZIP_STORED,
        )
    )
    before = sorted(p.name for p in tmp_path.iterdir())
    files = found(list(find_activity_files([archive])))
    assert sorted(f.data for f in files.values()) == [b"A", b"B", b"C"]
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written to disk


def test_a_zip_bomb_is_refused_before_it_is_read(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.zip"
    bomb.write_bytes(zip_bytes({"huge.fit": b"\0" * 20_000_000}))
    reasons = skipped(list(find_activity_files([bomb])))
    assert "a ZIP bomb?" in reasons[str(bomb)]


def test_an_archive_with_too_many_entries_is_refused(tmp_path: Path) -> None:
    many = tmp_path / "many.zip"
    many.write_bytes(zip_bytes({f"{n}.fit": b"x" for n in range(30)}))
    reasons = skipped(list(find_activity_files([many], Limits(max_entries=10))))
    assert "holds 30 entries, more than the limit of 10" in reasons[str(many)]


def test_a_path_traversal_entry_is_only_a_label(tmp_path: Path) -> None:
    archive = tmp_path / "evil.zip"
    archive.write_bytes(zip_bytes({"../../outside.fit": b"EVIL", "/etc/passwd.gpx": b"<gpx/>"}))
    results = list(find_activity_files([archive]))
    assert len(found(results)) == 2
    assert not (tmp_path.parent / "outside.fit").exists()
    assert not Path("/etc/passwd.gpx").exists()


def test_a_gzip_bomb_and_a_broken_gzip_are_refused(tmp_path: Path) -> None:
    (tmp_path / "bomb.fit.gz").write_bytes(gzip.compress(b"\0" * 10_000_000))
    (tmp_path / "broken.gpx.gz").write_bytes(b"not gzip at all")
    reasons = skipped(list(find_activity_files([tmp_path])))
    assert "a gzip bomb?" in reasons[str(tmp_path / "bomb.fit.gz")]
    assert "not a valid gzip file" in reasons[str(tmp_path / "broken.gpx.gz")]


def test_a_broken_zip_and_a_missing_path_are_reported(tmp_path: Path) -> None:
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 nope")
    results = list(find_activity_files([tmp_path / "broken.zip", tmp_path / "missing.fit"]))
    reasons = skipped(results)
    assert "not a readable ZIP archive" in reasons[str(tmp_path / "broken.zip")]
    assert reasons[str(tmp_path / "missing.fit")] == "no such file or folder"


def test_transitions_of_a_multisport_file_are_not_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt

    from piri.activities import importer
    from piri.domain.activity import Activity

    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

    def leg(sport: str) -> Activity:
        return Activity("fit", sport, None, start, None, 60.0, 60.0, 100.0)

    legs = [leg("running"), leg("transition"), leg("cycling")]
    monkeypatch.setattr(importer, "parse", lambda kind, data: legs)
    result = importer.parse_one(("tri.fit", "fit", b"x", None))
    assert [a.sport for a in result.activities] == ["running", "cycling"]
