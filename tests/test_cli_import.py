"""``piri import``, ``piri runs`` and ``piri load`` through the real command, on written files."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from piri.activities.fit import read_fit
from tests import fit_files, xml_activity_files
from tests.conftest import PiriRunner


def flat(text: str) -> str:
    return " ".join(text.split())


def the_same_run_as_gpx(fit: bytes) -> bytes:
    run = read_fit(fit)[0]
    assert run.distance_m is not None
    points = xml_activity_files.run_north(
        run.start, seconds=int(run.elapsed_seconds), speed=run.distance_m / run.elapsed_seconds
    )
    return xml_activity_files.gpx([xml_activity_files.Track([points], type="running")])


def write_history(folder: Path) -> None:
    run = fit_files.run_file()
    (folder / "watch").mkdir(parents=True)
    (folder / "watch" / "run.fit").write_bytes(run)
    another_day = xml_activity_files.run_north(seconds=1800, speed=3.0)
    (folder / "watch" / "saturday.gpx").write_bytes(
        xml_activity_files.gpx([xml_activity_files.Track([another_day], type="running")])
    )
    (folder / "strava-copy.gpx").write_bytes(the_same_run_as_gpx(run))
    (folder / "settings.fit").write_bytes(fit_files.settings_file())
    (folder / "cut.fit").write_bytes(run[: len(run) // 3])
    (folder / "empty.tcx").write_bytes(b"")


def test_import_reports_imported_duplicates_skipped_and_failed(
    piri: PiriRunner, tmp_path: Path
) -> None:
    write_history(tmp_path / "history")
    result = piri("import", str(tmp_path / "history"), "--format", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    outcomes = {Path(f["origin"]).name: f for f in document["files"]}
    # The same run as a FIT and as a GPX: whichever comes first is kept, the other is a duplicate.
    assert {outcomes["run.fit"]["outcome"], outcomes["strava-copy.gpx"]["outcome"]} == {
        "imported",
        "duplicate",
    }
    assert outcomes["saturday.gpx"]["outcome"] == "imported"
    assert outcomes["settings.fit"]["outcome"] == "skipped"
    assert "not an activity" in outcomes["settings.fit"]["detail"]
    assert outcomes["cut.fit"]["outcome"] == "failed"
    assert outcomes["empty.tcx"]["outcome"] == "failed"
    assert "empty" in outcomes["empty.tcx"]["detail"]
    assert document["imported"] == 2

    again = json.loads(piri("import", str(tmp_path / "history"), "--format", "json").stdout)
    assert again["imported"] == 0
    assert again["duplicates"] == 3


def test_a_garmin_export_with_nested_zips_is_imported(piri: PiriRunner, tmp_path: Path) -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("1_ACTIVITY.fit", fit_files.run_file())
        archive.writestr("2_SETTINGS.fit", fit_files.settings_file())
    outer = tmp_path / "garmin.zip"
    with zipfile.ZipFile(outer, "w") as archive:
        archive.writestr("DI_CONNECT/DI-Connect-Uploaded-Files/Part1.zip", inner.getvalue())
    result = piri("import", str(outer))
    assert result.returncode == 0, result.stderr
    assert "1 activities imported" in flat(result.stdout)
    runs = json.loads(piri("runs", "--format", "json").stdout)
    assert len(runs) == 1
    assert runs[0]["sport"] == "running"
    assert runs[0]["origin"].endswith("Part1.zip:1_ACTIVITY.fit")
    assert len(runs[0]["laps"]) == 3


def test_runs_and_load_show_what_was_imported(piri: PiriRunner, tmp_path: Path) -> None:
    write_history(tmp_path / "history")
    piri("import", str(tmp_path / "history"))
    table = piri("runs")
    assert table.returncode == 0
    assert "Activities (2)" in table.stdout
    assert json.loads(piri("runs", "--since", "2030-01-01", "--format", "json").stdout) == []
    load = piri("load", "--weeks", "4", "--format", "json")
    assert load.returncode == 0, load.stderr
    document = json.loads(load.stdout)
    assert len(document["weeks"]) == 4
    assert "disputed" in document["acwr_criticism"]


def test_wrong_inputs_are_named(piri: PiriRunner, tmp_path: Path) -> None:
    missing = piri("import", str(tmp_path / "nowhere"))
    assert missing.returncode == 0
    assert "no such file or folder" in flat(missing.stdout)
    bad_date = piri("runs", "--since", "yesterday-ish")
    assert bad_date.returncode == 2
    assert "'yesterday-ish' is not a date" in flat(bad_date.stderr)
    assert piri("load", "--weeks", "0").returncode == 2


@pytest.mark.shared_data
def test_every_shared_sample_is_imported_or_given_a_reason(
    shared_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from piri.services import diary as diary_service
    from piri.services.imports import import_paths

    monkeypatch.setenv("PIRI_HOME", str(tmp_path))
    diary_service.close_engines()
    try:
        report = import_paths([shared_dir / "data" / "activities"], workers=2)
    finally:
        diary_service.close_engines()
    files = [f for f in report.files if not f.origin.endswith("SOURCES.md")]
    assert len(files) > 150
    assert report.imported > 100
    for item in files:
        assert item.outcome in ("imported", "duplicate", "skipped", "failed"), item
        if item.outcome in ("skipped", "failed"):
            assert item.detail, item.origin


def test_rating_a_run_feeds_the_session_load(piri: PiriRunner, tmp_path: Path) -> None:
    write_history(tmp_path / "history")
    piri("import", str(tmp_path / "history"))
    runs = json.loads(piri("runs", "--format", "json").stdout)
    day = (runs[0]["local_start"] or runs[0]["start"])[:10]
    rated = piri("rate", day, "6")
    assert rated.returncode == 0, rated.stderr
    assert f"Rated the run of {day}" in rated.stdout
    for other in runs[1:]:  # a week's session load counts only when every run is rated
        assert piri("rate", (other["local_start"] or other["start"])[:10], "4").returncode == 0
    weeks = json.loads(piri("load", "--weeks", "520", "--format", "json").stdout)["weeks"]
    assert any(week["srpe_load"] for week in weeks)
    for args, message in (
        (("rate", day, "11"), "effort: expected 0 (rest) to 10 (maximal), got 11"),
        (("rate", "2001-01-01", "5"), "no run on 2001-01-01"),
        (("rate", day, "5", "--which", "3"), "--which: expected 1 to 1, got 3"),
        (("rate", "soon", "5"), "'soon' is not a date"),
    ):
        result = piri(*args)
        assert result.returncode == 2, args
        assert message in flat(result.stderr), (args, result.stderr)


def test_a_strava_export_names_the_sport_of_files_that_do_not(
    piri: PiriRunner, tmp_path: Path
) -> None:
    points = xml_activity_files.run_north(seconds=1200, speed=3.0)
    untyped = xml_activity_files.gpx([xml_activity_files.Track([points], type=None)])
    export = tmp_path / "export_123.zip"
    with zipfile.ZipFile(export, "w") as archive:
        archive.writestr(
            "activities.csv", "Activity ID,Activity Type,Filename\n9,Run,activities/9.gpx\n"
        )
        archive.writestr("activities/9.gpx", untyped)
    assert piri("import", str(export)).returncode == 0
    runs = json.loads(piri("runs", "--format", "json").stdout)
    assert [r["sport"] for r in runs] == ["running"]
