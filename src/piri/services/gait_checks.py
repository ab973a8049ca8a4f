"""Gait checks as the web app keeps them: a clip uploaded, analysed later, its report kept.

``submit_check`` takes the uploaded file: it opens it at once (so "not a video", "too short"
and "too long" are said while the runner waits, naming their file), moves it into the data
directory's video folder and queues the check. ``analyse_next`` is one step of the background
analysis (``piri.services.gait_worker`` runs it): it takes the oldest queued check, runs the
same ``check_gait`` as ``piri gait``, writes its progress as it goes, and stores the report
and a few annotated key frames (JPEG). The clip is deleted after the analysis unless the
runner chose to keep it; the runner can delete it, or the whole check, at any time.

A clinician sees a runner's checks with the runner's consent to share runs
(:data:`piri.domain.care.Share.RUNS`), and every look is in the runner's audit log.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import math
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from piri.domain.care import Share
from piri.domain.gait_program import CadenceCue, cadence_cue
from piri.services.care import open_record
from piri.services.diary import LOCAL_PERSON, store
from piri.services.gait import (
    INSTALL_ADVICE,
    GaitExtraMissingError,
    GaitInputError,
    GaitResult,
    check_gait,
    result_as_json,
)
from piri.settings import data_dir
from piri.store import diary as diary_store
from piri.store import gait_checks as gait_store
from piri.store.accounts import utc
from piri.store.database import transaction
from piri.store.models import GaitCheckRow

log = logging.getLogger(__name__)

VIDEO_FOLDER = "gait-videos"
VIEWS = ("side", "rear")
# Longer clips are refused at upload: the guide asks for 20 to 30 s, and two minutes of 60 fps
# video takes the pose model about three minutes on a 2-core machine.
MAX_CLIP_SECONDS = 120.0
LOWEST_FPS = 10.0
HIGHEST_FPS = 1000.0
# Key frames kept per kind and leg (foot strikes, peak drops), spread over the clip.
KEY_FRAMES_PER_LEG = 3
FRAME_LONG_SIDE_PX = 960
FRAME_JPEG_QUALITY = 85
# An analysis writes its progress at least this often; one silent for STALE_AFTER has died
# (the server stopped, the process was killed) and is taken up again, MAX_ATTEMPTS in all.
PROGRESS_EVERY_S = 0.5
STALE_AFTER = dt.timedelta(minutes=2)
MAX_ATTEMPTS = 2
CHECKS_SHOWN = 100


class GaitUploadError(ValueError):
    """An upload that cannot become a gait check; ``field`` names the form field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class GaitCheckNotFoundError(LookupError):
    """No such check for this person (or it was deleted)."""


@dataclass(frozen=True)
class KeyFrameInfo:
    position: int
    kind: str
    leg: str | None
    time_s: float
    label: str


@dataclass(frozen=True)
class GaitCheckInfo:
    id: int
    created_at: dt.datetime
    status: str  # queued, running, done, failed
    filename: str
    size_bytes: int
    view_asked: str | None
    view: str | None
    keep_video: bool
    video_stored: bool
    frames_done: int
    frames_expected: int | None
    finished_at: dt.datetime | None
    film_again: bool | None
    result: dict[str, Any] | None
    error: str | None
    frames: tuple[KeyFrameInfo, ...] = field(default=())

    @property
    def pending(self) -> bool:
        return self.status in (gait_store.QUEUED, gait_store.RUNNING)

    @property
    def percent(self) -> int | None:
        """How far the analysis is, 0-100; None before it starts or when the length is unknown."""
        if self.status == gait_store.DONE:
            return 100
        if self.status != gait_store.RUNNING or not self.frames_expected:
            return None
        return min(99, math.floor(100 * self.frames_done / self.frames_expected))

    def figure(self, key: str) -> dict[str, Any] | None:
        for found in (self.result or {}).get("figures", []):
            if found.get("key") == key:
                return dict(found)
        return None


def video_folder(create: bool = False) -> Path:
    folder = data_dir(create=create) / VIDEO_FOLDER
    if create:
        folder.mkdir(parents=True, exist_ok=True)
    return folder


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# --- Upload -----------------------------------------------------------------------------------


def parse_view(value: str | None) -> str | None:
    """ "side", "rear", or None (empty, "detect": Piri finds the view)."""
    text = (value or "").strip().lower()
    if text in ("", "detect", "auto"):
        return None
    if text not in VIEWS:
        raise GaitUploadError(
            "view", f"view: '{value}' is not a view; choose side, rear, or let Piri detect it."
        )
    return text


def parse_fps(value: str | float | None) -> float | None:
    """The capture frame rate of a slow-motion clip that does not say it; None: the file's."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        rate = float(value)
    except ValueError:
        raise GaitUploadError(
            "fps", f"fps: '{value}' is not a number of frames per second (for example 240)."
        ) from None
    if not math.isfinite(rate) or not LOWEST_FPS <= rate <= HIGHEST_FPS:
        raise GaitUploadError(
            "fps",
            f"fps: {value} frames per second is not a phone's capture rate; give one from "
            f"{LOWEST_FPS:.0f} to {HIGHEST_FPS:.0f}, or leave it empty to use the file's.",
        )
    return rate


def _renamed(message: str, disk: Path, filename: str) -> str:
    """A message about the copy on disk, naming the runner's file instead (never a server
    path)."""
    return message.replace(str(disk), filename).replace(disk.name, filename)


def submit_check(
    source: Path,
    filename: str,
    person: str = LOCAL_PERSON,
    view: str | None = None,
    fps: str | float | None = None,
    keep_video: bool = False,
) -> int:
    """Queue a gait check of the clip at ``source`` (the upload's copy; moved, not copied).

    Raises GaitUploadError (naming the field and the file) for a clip Piri cannot use, and
    GaitExtraMissingError without the video extra; the copy is removed then."""
    try:
        chosen = parse_view(view)
        rate = parse_fps(fps)
        expected = _opened(source, filename, rate)
        size = source.stat().st_size
        folder = video_folder(create=True)
        stored = f"{uuid.uuid4().hex}{_suffix(filename)}"
        shutil.move(source, folder / stored)
    except BaseException:
        source.unlink(missing_ok=True)
        raise
    try:
        with transaction(store()) as session:
            owner = diary_store.person_id(session, person)
            return gait_store.add_check(
                session,
                owner,
                filename=filename,
                size_bytes=size,
                view_asked=chosen,
                fps_given=rate,
                keep_video=keep_video,
                video_file=stored,
                frames_expected=expected,
                now=_now(),
            )
    except BaseException:
        (folder / stored).unlink(missing_ok=True)
        raise


def _suffix(filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    return suffix if suffix[1:].isalnum() and len(suffix) <= 6 else ".video"


def _opened(source: Path, filename: str, fps: float | None) -> int | None:
    """Open the clip to refuse what cannot be analysed now; the frames it should have."""
    from piri.activities.pose import expected_frames
    from piri.activities.video import VideoError, VideoExtraMissingError, open_video

    try:
        with open_video(source, fps=fps) as video:
            info = video.info
    except VideoExtraMissingError as error:
        raise GaitExtraMissingError(INSTALL_ADVICE) from error
    except VideoError as error:
        raise GaitUploadError("video", _renamed(str(error), source, filename)) from error
    if info.duration_s is not None and info.duration_s > MAX_CLIP_SECONDS:
        raise GaitUploadError(
            "video",
            f"{filename}: the clip is {info.duration_s:.0f} s long; Piri analyses clips of up to "
            f"{MAX_CLIP_SECONDS:.0f} s. Trim it to 20 to 30 s of steady running, or film again.",
        )
    return expected_frames(info)


# --- The analysis (one step of the background worker) -----------------------------------------


class _DeletedError(Exception):
    """The runner deleted the check while it was being analysed."""


def analyse_next(clock: Callable[[], dt.datetime] = _now) -> int | None:
    """Analyse the oldest waiting check; its id, or None when nothing waits."""
    engine = store()
    now = clock()
    with transaction(engine) as session:
        gait_store.fail_abandoned(session, now - STALE_AFTER, MAX_ATTEMPTS)
        claimed = gait_store.claim_next(session, now, now - STALE_AFTER, MAX_ATTEMPTS)
    if claimed is None:
        return None
    path = video_folder() / claimed.video_file if claimed.video_file else None
    keep: bool | None = None  # what the row says once the analysis has ended
    try:
        if path is None or not path.is_file():
            keep = _fail(
                claimed.id, "The uploaded clip is no longer on the server: upload it again."
            )
            return claimed.id
        with tempfile.TemporaryDirectory(prefix="piri-gait-") as frames_dir:
            outcome = _checked(claimed, path, Path(frames_dir))
            if isinstance(outcome, str):
                keep = _fail(claimed.id, outcome)
                return claimed.id
            document = stored_document(outcome, claimed.filename)
            frames = [_jpeg(frame) for frame in outcome.key_frames]
        with transaction(engine) as session:
            keep = gait_store.finish(
                session,
                claimed.id,
                result=document,
                view=outcome.view.value,
                film_again=outcome.refused,
                frames=frames,
                now=clock(),
            )
    except _DeletedError:
        keep = None
    except Exception as error:
        log.exception("gait check %s failed", claimed.id)
        keep = _fail(claimed.id, _unexpected(claimed.filename, error))
    finally:
        if path is not None and not keep:
            path.unlink(missing_ok=True)
    return claimed.id


def _unexpected(filename: str, error: BaseException) -> str:
    return (
        f"{filename}: the analysis failed unexpectedly ({type(error).__name__}). Try the clip "
        "again; if it fails again, film a new one."
    )


def _checked(claimed: gait_store.Claimed, path: Path, frames_dir: Path) -> GaitResult | str:
    """The result, or why there is none (a clip that turned out unusable, naming the file)."""
    engine = store()
    last = 0.0

    def progress(done: int, expected: int | None) -> None:
        nonlocal last
        moment = time.monotonic()
        if moment - last < PROGRESS_EVERY_S:
            return
        last = moment
        if not gait_store.write_progress(engine, claimed.id, done, expected, _now()):
            raise _DeletedError

    try:
        return check_gait(
            path,
            view=claimed.view_asked,
            fps=claimed.fps_given,
            frames_dir=frames_dir,
            person=claimed.person,
            progress=progress,
            frames_per_leg=KEY_FRAMES_PER_LEG,
        )
    except GaitInputError as error:
        return _renamed(str(error), path, claimed.filename)
    except GaitExtraMissingError as error:
        return str(error)


def _fail(check_id: int, message: str) -> bool | None:
    with transaction(store()) as session:
        return gait_store.fail(session, check_id, message, _now())


def stored_document(result: GaitResult, filename: str) -> dict[str, Any]:
    """The report as ``piri gait --format json`` gives it, naming the runner's file, without
    server paths (the key frames are kept in the database and numbered instead)."""
    document = result_as_json(result)
    document["file"] = filename
    document["key_frames"] = [
        {k: v for k, v in frame.items() if k != "path"} for frame in document["key_frames"]
    ]
    return document


def _jpeg(frame: Any) -> gait_store.NewFrame:
    from PIL import Image

    with Image.open(frame.path) as picture:
        picture.thumbnail((FRAME_LONG_SIDE_PX, FRAME_LONG_SIDE_PX))
        out = io.BytesIO()
        picture.convert("RGB").save(out, format="JPEG", quality=FRAME_JPEG_QUALITY)
    return gait_store.NewFrame(
        kind=frame.kind,
        leg=frame.leg.value if frame.leg else None,
        time_s=frame.time_s,
        label=frame.label,
        media_type="image/jpeg",
        image=out.getvalue(),
    )


# --- Reading, deleting ------------------------------------------------------------------------


def _info(row: GaitCheckRow, frames: tuple[KeyFrameInfo, ...] = ()) -> GaitCheckInfo:
    return GaitCheckInfo(
        id=row.id,
        created_at=utc(row.created_at),
        status=row.status,
        filename=row.filename,
        size_bytes=row.size_bytes,
        view_asked=row.view_asked,
        view=row.view,
        keep_video=row.keep_video,
        video_stored=row.video_file is not None,
        frames_done=row.frames_done,
        frames_expected=row.frames_expected,
        finished_at=utc(row.finished_at) if row.finished_at else None,
        film_again=row.film_again,
        result=row.result,
        error=row.error,
        frames=frames,
    )


def gait_checks(person: str = LOCAL_PERSON, limit: int = CHECKS_SHOWN) -> list[GaitCheckInfo]:
    """The person's checks, newest first."""
    with transaction(store()) as session:
        owner = diary_store.person_id(session, person)
        return [_info(row) for row in gait_store.checks_of(session, owner, limit)]


def gait_check(check_id: int, person: str = LOCAL_PERSON) -> GaitCheckInfo:
    with transaction(store()) as session:
        owner = diary_store.person_id(session, person)
        row = gait_store.check_of(session, owner, check_id)
        if row is None:
            raise GaitCheckNotFoundError(check_id)
        frames = tuple(KeyFrameInfo(*f) for f in gait_store.frames_of(session, row.id))
        return _info(row, frames)


def key_frame(check_id: int, position: int, person: str = LOCAL_PERSON) -> tuple[str, bytes]:
    """(media type, image bytes) of one key frame of the person's check."""
    with transaction(store()) as session:
        owner = diary_store.person_id(session, person)
        row = gait_store.check_of(session, owner, check_id)
        found = None if row is None else gait_store.frame_image(session, row.id, position)
        if found is None:
            raise GaitCheckNotFoundError(check_id)
        return found


def kept_video(check_id: int, person: str = LOCAL_PERSON) -> tuple[Path, str]:
    """The stored clip of the person's check and the name it was uploaded as."""
    with transaction(store()) as session:
        owner = diary_store.person_id(session, person)
        row = gait_store.check_of(session, owner, check_id)
        if row is None or row.video_file is None:
            raise GaitCheckNotFoundError(check_id)
        path = video_folder() / row.video_file
        if not path.is_file():
            raise GaitCheckNotFoundError(check_id)
        return path, row.filename


def delete_video(check_id: int, person: str = LOCAL_PERSON) -> bool:
    """Delete the stored clip and keep the report; False when there was no clip any more.
    During the analysis the clip is only marked not kept: the analysis removes it when it
    ends."""
    with transaction(store()) as session:
        owner = diary_store.person_id(session, person)
        row = gait_store.check_of(session, owner, check_id)
        if row is None:
            raise GaitCheckNotFoundError(check_id)
        name = row.video_file
        row.keep_video = False
        pending = row.status in (gait_store.QUEUED, gait_store.RUNNING)
        if not pending:
            row.video_file = None
    if name is None:
        return False
    if not pending:
        (video_folder() / name).unlink(missing_ok=True)
    return True


def delete_gait_check(check_id: int, person: str = LOCAL_PERSON) -> None:
    """Delete the check, its report, its key frames and its clip."""
    with transaction(store()) as session:
        owner = diary_store.person_id(session, person)
        row = gait_store.delete_check(session, owner, check_id)
        if row is None:
            raise GaitCheckNotFoundError(check_id)
        name = row.video_file
    if name:
        (video_folder() / name).unlink(missing_ok=True)


def cadence_cue_for(person: str = LOCAL_PERSON) -> CadenceCue | None:
    """The cadence the newest side-view check advises for the runs of the plan, if any."""
    with transaction(store()) as session:
        owner = diary_store.person_id(session, person)
        return cadence_cue(gait_store.finished_reports(session, owner))


def cadence_cue_json(cue: CadenceCue | None) -> dict[str, Any] | None:
    if cue is None:
        return None
    return {
        "check_id": cue.check_id,
        "checked": cue.checked,
        "steps_per_min": [cue.low, cue.high],
        "text": cue.text,
        "sources": [{"title": title, "url": url} for title, url in cue.sources],
    }


# --- A clinician's view -----------------------------------------------------------------------


@dataclass(frozen=True)
class SharedChecks:
    runner: str  # the runner's username
    checks: list[GaitCheckInfo]


def shared_gait_checks(clinician: str, runner_username: str) -> SharedChecks:
    """The runner's checks for a clinician the runner shares runs with (audited)."""
    record = open_record(clinician, runner_username, Share.RUNS, "read", "gait checks")
    return SharedChecks(record.username, gait_checks(record.runner))


def shared_gait_check(clinician: str, runner_username: str, check_id: int) -> SharedChecks:
    record = open_record(
        clinician, runner_username, Share.RUNS, "read", "gait check", f"check {check_id}"
    )
    return SharedChecks(record.username, [gait_check(check_id, record.runner)])


def shared_key_frame(
    clinician: str, runner_username: str, check_id: int, position: int
) -> tuple[str, bytes]:
    record = open_record(
        clinician,
        runner_username,
        Share.RUNS,
        "read",
        "gait key frame",
        f"check {check_id}, frame {position}",
    )
    return key_frame(check_id, position, record.runner)
