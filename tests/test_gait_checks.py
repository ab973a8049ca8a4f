"""Gait checks as the web app keeps them (piri.services.gait_checks, piri.store.gait_checks):
the upload's refusals, the queue, the claim, progress, a dead analysis taken up again, the clip
deleted unless kept, deletion during the analysis, and a clinician's consent.

The pose model is replaced by a stand-in result here where a test is about the queue and not
the figures (``check_gait`` monkeypatched); tests/web/test_gait_pages.py runs the real pipeline.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib.util
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher

from piri.domain.gait_quality import View
from piri.domain.gait_report import GaitReport
from piri.services import accounts, care, gait_checks
from piri.services import diary as diary_service
from piri.services.care import NoAccessError
from piri.services.gait import GaitInputError, GaitResult, KeyFrame
from piri.services.gait_checks import (
    GaitCheckNotFoundError,
    GaitUploadError,
    analyse_next,
    delete_gait_check,
    delete_video,
    gait_check,
    shared_gait_checks,
    submit_check,
    video_folder,
)
from piri.services.gait_checks import (
    gait_checks as list_checks,
)
from piri.services.gait_worker import GaitWorker, run_until_idle
from piri.store import gait_checks as gait_store
from piri.store.database import transaction
from tests.test_cli_gait import write_clip

HAS_AV = importlib.util.find_spec("av") is not None
needs_av = pytest.mark.skipif(not HAS_AV, reason="skipped: the video extra (PyAV) is missing")
NOW = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "home"
    monkeypatch.setenv("PIRI_HOME", str(folder))
    monkeypatch.delenv("PIRI_DATABASE_URL", raising=False)
    diary_service.close_engines()
    yield folder
    diary_service.close_engines()


def upload_copy(tmp_path: Path, name: str = "run.mp4", frames: int = 60) -> Path:
    """A fresh copy of a small clip (submit_check moves what it is given)."""
    folder = tmp_path / "uploads"
    folder.mkdir(exist_ok=True)
    return write_clip(folder / name, frames)


def stand_in_result(path: Path, frames_dir: Path | None) -> GaitResult:
    """What check_gait returns for a clip, without the pose model: one key frame."""
    from PIL import Image

    frames: tuple[KeyFrame, ...] = ()
    if frames_dir is not None:
        target = frames_dir / "pose-check.png"
        Image.new("RGB", (1280, 720), (40, 90, 40)).save(target)
        frames = (KeyFrame(target, "pose_check", None, 1.0, "Tracked pose, 1.00 s"),)
    video = type("Info", (), {})()
    for name, value in {
        "width": 64,
        "height": 48,
        "fps": 30.0,
        "playback_fps": 30.0,
        "slow_motion": False,
        "duration_s": 2.0,
    }.items():
        setattr(video, name, value)
    return GaitResult(
        path=path,
        view=View.SIDE,
        view_source="given",
        video=video,  # type: ignore[arg-type]
        frames_with_person=1.0,
        jumps=(),
        painful_side=None,
        report=GaitReport(
            view=View.SIDE, film_again=False, reasons=(), warnings=(), figures=(), advice=()
        ),
        problems=(),
        key_frames=frames,
    )


@pytest.fixture
def stand_in(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """check_gait replaced: records its calls, calls progress twice, returns a result."""
    calls: list[dict[str, Any]] = []

    def fake(path: Path, **options: Any) -> GaitResult:
        calls.append({"path": path, "exists": Path(path).is_file(), **options})
        progress = options.get("progress")
        if progress is not None:
            progress(1, 60)
            progress(60, 60)
        return stand_in_result(Path(path), options.get("frames_dir"))

    monkeypatch.setattr(gait_checks, "check_gait", fake)
    monkeypatch.setattr(gait_checks, "PROGRESS_EVERY_S", 0.0)
    return calls


# --- The upload's refusals ----------------------------------------------------------------------


@needs_av
def test_a_file_that_is_not_a_video_is_refused_by_its_name_and_nothing_is_kept(
    home: Path, tmp_path: Path
) -> None:
    fake = tmp_path / "holiday.mp4"
    fake.write_text("not a video at all")
    with pytest.raises(GaitUploadError) as refused:
        submit_check(fake, "holiday.mp4")
    assert refused.value.field == "video"
    assert str(refused.value).startswith("holiday.mp4: not a video")
    assert str(tmp_path) not in str(refused.value)  # never a server path
    assert not fake.exists()
    assert list_checks() == []
    assert not list(video_folder().glob("*")) if video_folder().exists() else True


@needs_av
def test_a_clip_under_a_second_and_one_over_the_longest_are_refused(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(GaitUploadError, match=r"^short\.mp4: the video is too short"):
        submit_check(_short(tmp_path), "short.mp4")
    monkeypatch.setattr(gait_checks, "MAX_CLIP_SECONDS", 1.5)
    with pytest.raises(GaitUploadError, match=r"^long\.mp4: the clip is 2 s long; .* up to 2 s"):
        submit_check(upload_copy(tmp_path), "long.mp4")
    assert list_checks() == []


def _short(tmp_path: Path) -> Path:
    return write_clip(tmp_path / "short.mp4", 12, rate=30)


@pytest.mark.parametrize(
    ("view", "fps", "field", "words"),
    [
        ("top", None, "view", "'top' is not a view"),
        (None, "fast", "fps", "'fast' is not a number"),
        (None, "0", "fps", "is not a phone's capture rate"),
        (None, "nan", "fps", "is not a phone's capture rate"),
        (None, "5000", "fps", "is not a phone's capture rate"),
    ],
)
def test_a_wrong_view_or_frame_rate_names_its_field(
    home: Path, tmp_path: Path, view: str | None, fps: str | None, field: str, words: str
) -> None:
    source = tmp_path / "clip.mp4"
    source.write_bytes(b"whatever")
    with pytest.raises(GaitUploadError) as refused:
        submit_check(source, "clip.mp4", view=view, fps=fps)
    assert refused.value.field == field
    assert words in str(refused.value)


# --- The queue ----------------------------------------------------------------------------------


@needs_av
def test_a_check_is_queued_analysed_with_progress_and_its_clip_deleted(
    home: Path, tmp_path: Path, stand_in: list[dict[str, Any]]
) -> None:
    check_id = submit_check(upload_copy(tmp_path), "morning run.mp4", view="side", fps="60")
    queued = gait_check(check_id)
    assert queued.status == "queued" and queued.pending and queued.percent is None
    assert queued.frames_expected == 60 and queued.video_stored and not queued.keep_video
    stored = list(video_folder().iterdir())
    assert len(stored) == 1 and stored[0].suffix == ".mp4"

    assert analyse_next() == check_id
    call = stand_in[0]
    assert call["exists"] and call["view"] == "side" and call["fps"] == 60.0
    assert call["frames_per_leg"] == gait_checks.KEY_FRAMES_PER_LEG
    done = gait_check(check_id)
    assert done.status == "done" and done.percent == 100 and done.frames_done == 60
    assert done.result is not None and done.result["file"] == "morning run.mp4"
    assert str(tmp_path) not in repr(done.result)  # no server path in the stored report
    assert [f.kind for f in done.frames] == ["pose_check"]
    media, image = gait_checks.key_frame(check_id, 1)
    assert media == "image/jpeg" and image[:3] == b"\xff\xd8\xff"
    assert not done.video_stored and list(video_folder().iterdir()) == []
    assert analyse_next() is None  # nothing else waits


@needs_av
def test_a_kept_clip_stays_until_the_runner_deletes_it(
    home: Path, tmp_path: Path, stand_in: list[dict[str, Any]]
) -> None:
    check_id = submit_check(upload_copy(tmp_path), "run.mov", keep_video=True)
    analyse_next()
    kept = gait_check(check_id)
    assert kept.keep_video and kept.video_stored
    path, name = gait_checks.kept_video(check_id)
    assert path.is_file() and path.suffix == ".mov" and name == "run.mov"
    assert delete_video(check_id) is True
    assert not path.exists()
    after = gait_check(check_id)
    assert not after.video_stored and after.status == "done" and after.result is not None
    assert delete_video(check_id) is False
    with pytest.raises(GaitCheckNotFoundError):
        gait_checks.kept_video(check_id)


@needs_av
def test_an_unusable_clip_fails_with_its_reason_naming_the_file(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(path: Path, **_options: Any) -> GaitResult:
        raise GaitInputError(f"{path}: the video is damaged after frame 12: broken.")

    monkeypatch.setattr(gait_checks, "check_gait", refuse)
    check_id = submit_check(upload_copy(tmp_path), "track.mp4")
    analyse_next()
    failed = gait_check(check_id)
    assert failed.status == "failed" and not failed.pending
    assert failed.error == "track.mp4: the video is damaged after frame 12: broken."
    assert not failed.video_stored and list(video_folder().iterdir()) == []


@needs_av
def test_an_unexpected_error_fails_the_check_and_the_worker_goes_on(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(path: Path, **_options: Any) -> GaitResult:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(gait_checks, "check_gait", explode)
    first = submit_check(upload_copy(tmp_path, "a.mp4"), "a.mp4")
    second = submit_check(upload_copy(tmp_path, "b.mp4"), "b.mp4")
    assert run_until_idle(idle_seconds=0, poll_seconds=0) == 2
    for check_id, name in ((first, "a.mp4"), (second, "b.mp4")):
        failed = gait_check(check_id)
        assert failed.status == "failed"
        assert failed.error is not None and failed.error.startswith(f"{name}: the analysis failed")
        assert "ZeroDivisionError" in failed.error


@needs_av
def test_a_check_deleted_during_its_analysis_stops_it_and_leaves_nothing(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def deleting(path: Path, **options: Any) -> GaitResult:
        delete_gait_check(check_id)
        options["progress"](1, 60)  # the next progress write finds the check gone
        raise AssertionError("the analysis went on after its check was deleted")

    monkeypatch.setattr(gait_checks, "check_gait", deleting)
    monkeypatch.setattr(gait_checks, "PROGRESS_EVERY_S", 0.0)
    check_id = submit_check(upload_copy(tmp_path), "run.mp4")
    assert analyse_next() == check_id
    assert list_checks() == [] and list(video_folder().iterdir()) == []
    with pytest.raises(GaitCheckNotFoundError):
        gait_check(check_id)


@needs_av
def test_two_workers_never_take_the_same_check(home: Path, tmp_path: Path) -> None:
    check_id = submit_check(upload_copy(tmp_path), "run.mp4")
    engine = diary_service.store()
    with transaction(engine) as first, transaction(engine) as second:
        taken = gait_store.claim_next(first, NOW, NOW - gait_checks.STALE_AFTER, 2)
        assert taken is not None and taken.id == check_id and taken.filename == "run.mp4"
    with transaction(engine) as second:
        assert gait_store.claim_next(second, NOW, NOW - gait_checks.STALE_AFTER, 2) is None


@needs_av
def test_an_analysis_that_died_is_taken_up_again_then_failed_after_its_tries(
    home: Path, tmp_path: Path
) -> None:
    check_id = submit_check(upload_copy(tmp_path), "run.mp4")
    engine = diary_service.store()
    stale = gait_checks.STALE_AFTER
    with transaction(engine) as session:
        assert gait_store.claim_next(session, NOW, NOW - stale, 2) is not None
    later = NOW + stale / 2  # still moving: nobody takes it
    with transaction(engine) as session:
        assert gait_store.claim_next(session, later, later - stale, 2) is None
    much_later = NOW + stale * 2  # silent for too long: taken up again, its second try
    with transaction(engine) as session:
        again = gait_store.claim_next(session, much_later, much_later - stale, 2)
        assert again is not None and again.attempts == 2
    end = much_later + stale * 2
    with transaction(engine) as session:
        assert gait_store.fail_abandoned(session, end - stale, 2) == [check_id]
        assert gait_store.claim_next(session, end, end - stale, 2) is None
    failed = gait_check(check_id)
    assert failed.status == "failed" and failed.error is not None
    assert "stopped before it finished, 2 times" in failed.error


def test_the_worker_thread_runs_until_idle_and_off_does_nothing() -> None:
    assert GaitWorker("off").wake() is False
    with pytest.raises(ValueError, match="one of process, thread, off"):
        GaitWorker("fast")  # type: ignore[arg-type]
    seen: list[int] = []

    def step() -> int | None:
        seen.append(1)
        return 1 if len(seen) < 3 else None

    assert run_until_idle(idle_seconds=0, poll_seconds=0, step=step) == 2


# --- A clinician ------------------------------------------------------------------------------


@pytest.fixture
def people(home: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(accounts, "_hasher", lambda: cheap)
    found = {
        name: accounts.sign_up(name, "correct horse battery").person for name in ("ana", "bea")
    }
    care.set_clinician(found["bea"], True)
    return found


@needs_av
def test_a_clinician_sees_the_checks_only_while_the_runner_shares_runs(
    people: dict[str, str], tmp_path: Path, stand_in: list[dict[str, Any]]
) -> None:
    check_id = submit_check(upload_copy(tmp_path), "run.mp4", person=people["ana"])
    analyse_next()
    with pytest.raises(NoAccessError):
        shared_gait_checks(people["bea"], "ana")
    invitation = care.invite_clinician(people["ana"], ["diary"])
    assert invitation.code is not None
    link = care.accept_invitation(people["bea"], invitation.code)
    with pytest.raises(NoAccessError):  # the diary only: no runs, no gait checks
        shared_gait_checks(people["bea"], "ana")
    care.change_shares(people["ana"], link.id, ["diary", "runs"])
    seen = shared_gait_checks(people["bea"], "ana")
    assert seen.runner == "ana" and [c.id for c in seen.checks] == [check_id]
    log = care.audit_log(people["ana"])
    assert log[0].what == "gait checks" and log[0].actor == "bea"
    care.withdraw(people["ana"], link.id)
    with pytest.raises(NoAccessError):
        gait_checks.shared_gait_check(people["bea"], "ana", check_id)
    assert list_checks(people["bea"]) == []  # the clinician's own list is theirs only


def test_the_stand_in_result_is_a_real_result() -> None:
    # the stand-in must keep up with GaitResult's fields, or the tests above test nothing
    names = {f.name for f in dataclasses.fields(GaitResult)}
    assert {"report", "key_frames", "view", "timelines"} <= names


# --- A person's data: export, import, delete --------------------------------------------------


@needs_av
def test_checks_go_into_the_export_and_back_and_forgetting_deletes_the_kept_clips(
    home: Path, tmp_path: Path, stand_in: list[dict[str, Any]]
) -> None:
    from piri.services import person_data

    check_id = submit_check(upload_copy(tmp_path), "run.mp4", keep_video=True)
    analyse_next()
    clip, _name = gait_checks.kept_video(check_id)
    document = person_data.export_document()
    [exported] = document["gait_checks"]
    assert exported["filename"] == "run.mp4" and exported["status"] == "done"
    assert "video_file" not in exported and exported["result"]["file"] == "run.mp4"

    assert person_data.forget() is True
    assert not clip.exists()  # the kept clip went with the person
    assert list_checks() == []

    person_data.import_document(document)
    [back] = list_checks()
    assert back.filename == "run.mp4" and back.result == exported["result"]
    assert not back.video_stored  # the clip is not in the export
