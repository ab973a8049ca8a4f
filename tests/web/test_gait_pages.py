"""The gait check in the web app: the upload (page and API), its refusals, the check page
while the analysis runs and once it is done, the key frames, the clip kept or deleted, and a
clinician's view with consent.

The analysis here is Piri's own (``check_gait``, the domain's analysis and report, the key
frames drawn on the clip's frames, JPEG), over a synthetic runner's landmarks with a known
cadence of 170 steps/min (tests/gait_synthetic.py): only the pose model is stood in for, so
the test needs no recorded video. ``test_a_clip_with_nobody_in_it`` runs the real pose model
on a clip of noise; tests/web/test_gait_real_clip.py runs the treadmill clip when
``../shared`` is here.
"""

from __future__ import annotations

import importlib.util
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from piri.services import gait as gait_service
from piri.services import gait_checks
from piri.services.diary import close_engines
from piri.web.app import create_app
from piri.web.config import WebConfig
from tests.gait_synthetic import Runner, series
from tests.test_cli_gait import write_clip
from tests.web.accounts_fixtures import cheap_hashing, multi_user_app
from tests.web.conftest import csrf

__all__ = ["cheap_hashing", "multi_user_app"]  # fixtures used by name

HAS_AV = importlib.util.find_spec("av") is not None
HAS_MEDIAPIPE = importlib.util.find_spec("mediapipe") is not None
pytestmark = pytest.mark.skipif(not HAS_AV, reason="skipped: the video extra (PyAV) is missing")
RUNNER = Runner(cadence=170.0, fps=30.0, seconds=12.0)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "home"
    monkeypatch.setenv("PIRI_HOME", str(folder))
    monkeypatch.delenv("PIRI_DATABASE_URL", raising=False)
    yield folder
    close_engines()


def app_client(mode: str) -> TestClient:
    found = TestClient(create_app(WebConfig(gait_worker=mode)), base_url="http://127.0.0.1:8000")
    found.get("/static/css/piri.css")
    return found


@pytest.fixture
def client(home: Path) -> Iterator[TestClient]:
    """Analyses run only when the test says (``analyse_next``): no worker."""
    with app_client("off") as found:
        yield found


@pytest.fixture
def synthetic_pose(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pose step gives the synthetic runner's landmarks for the clip's own frames."""
    from piri.activities.pose import PoseRun
    from piri.activities.video import open_video

    def pose(path: Path, fps: float | None, progress: Any = None) -> PoseRun:
        with open_video(path, fps=fps) as video:
            info = video.info
        found = series(RUNNER)
        if progress is not None:
            progress(len(found.frames) // 2, len(found.frames))
        return PoseRun(info, found, (), 0.5)

    monkeypatch.setattr(gait_service, "_pose", pose)
    monkeypatch.setattr(gait_checks, "PROGRESS_EVERY_S", 0.0)


def clip(tmp_path: Path, name: str = "treadmill.mp4") -> bytes:
    """A clip with as many frames as the synthetic runner has (noise: the pose is stood in)."""
    frames = round(RUNNER.seconds * RUNNER.fps)
    return write_clip(tmp_path / name, frames, rate=round(RUNNER.fps), size=(160, 120)).read_bytes()


def upload(client: TestClient, data: bytes, name: str = "run.mp4", **form: str) -> Any:
    return client.post(
        "/gait",
        data={"csrf_token": csrf(client), **form},
        files={"video": (name, data, "video/mp4")},
        follow_redirects=False,
    )


def test_the_page_shows_the_filming_guide_the_form_and_no_checks_yet(client: TestClient) -> None:
    page = client.get("/gait")
    assert page.status_code == 200
    text = page.text
    assert "Before you film" in text and "phone level at hip height" in text
    assert 'name="video"' in text and 'name="view"' in text and 'name="keep_video"' in text
    assert "No checks yet" in text
    assert 'href="/gait" aria-current="page"' in text  # in the runs area's own links


def test_a_file_that_is_not_a_video_is_refused_on_the_form_naming_it(
    client: TestClient, home: Path
) -> None:
    answer = upload(client, b"this is a shopping list", "notes.mp4")
    assert answer.status_code == 422
    assert "notes.mp4: not a video" in answer.text and 'aria-invalid="true"' in answer.text
    assert "No checks yet" in answer.text
    assert list((home / "gait-videos").iterdir()) == []  # the upload's copy is gone


def test_no_file_and_a_wrong_view_are_named(client: TestClient, tmp_path: Path) -> None:
    empty = client.post("/gait", data={"csrf_token": csrf(client)}, files={})
    assert empty.status_code == 422 and "video: choose a clip" in empty.text
    wrong = upload(client, clip(tmp_path), view="above")
    assert wrong.status_code == 422 and "&#39;above&#39; is not a view" in wrong.text
    api = client.post(
        "/api/v1/gait/checks",
        headers={"X-CSRF-Token": csrf(client)},
        files={"video": ("x.mp4", b"nope", "video/mp4")},
    )
    assert api.status_code == 422
    assert api.json()["field"] == "video" and api.json()["message"].startswith("x.mp4: not a video")


def test_an_upload_becomes_a_check_whose_page_follows_the_analysis_to_the_report(
    client: TestClient, tmp_path: Path, home: Path, synthetic_pose: None
) -> None:
    answer = upload(client, clip(tmp_path), "morning run.mp4", view="side")
    assert answer.status_code == 303
    location = answer.headers["location"]
    assert re.fullmatch(r"/gait/\d+", location)
    waiting = client.get(location)
    assert "Analysing the clip" in waiting.text and "<progress" in waiting.text
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in waiting.text
    assert f'data-check-url="/api/v1{location.replace("/gait", "/gait/checks")}"' in waiting.text
    state = client.get(f"/api/v1/gait/checks/{location.rsplit('/', 1)[1]}").json()
    assert state["status"] == "queued" and state["report"] is None
    assert state["frames_expected"] == round(RUNNER.seconds * RUNNER.fps)

    assert gait_checks.analyse_next() is not None
    done = client.get(location)
    text = done.text
    assert "What Piri measured" in text and "Cadence" in text
    cadence = re.search(r"class=\"gait-value\">([\d.]+) steps/min", text)
    assert cadence is not None and abs(float(cadence.group(1)) - 170) <= 3
    assert "Sources:" in text and "What a video cannot tell you" in text
    assert "Key frames" in text and "Foot strike, left leg" in text
    assert "Cadence, stride by stride" in text  # the figure over the clip's time
    assert "The clip was deleted after the analysis" in text
    assert list((home / "gait-videos").iterdir()) == []
    frame = client.get(f"{location}/frames/1")
    assert frame.status_code == 200 and frame.headers["content-type"] == "image/jpeg"
    listed = client.get("/gait").text
    assert "morning run.mp4" in listed and "Done" in listed and "Cadence:" in listed

    document = client.get(f"/api/v1/gait/checks/{location.rsplit('/', 1)[1]}").json()
    assert document["status"] == "done" and document["percent"] == 100
    report = document["report"]
    assert report["file"] == "morning run.mp4" and report["view"] == "side"
    assert report["key_frames"][0]["url"].startswith("/api/v1/gait/checks/")
    assert len([f for f in report["key_frames"] if f["kind"] == "foot_strike"]) == 6  # 3 a leg
    points = report["timelines"][0]["points"]
    assert len(points) > 10 and all(abs(p["value"] - 170) < 12 for p in points)


def test_the_script_upload_gets_the_checks_address(
    client: TestClient, tmp_path: Path, synthetic_pose: None
) -> None:
    answer = client.post(
        "/gait",
        headers={"HX-Request": "true", "X-CSRF-Token": csrf(client)},
        files={"video": ("run.mp4", clip(tmp_path), "video/mp4")},
    )
    assert answer.status_code == 204
    assert re.fullmatch(r"/gait/\d+", answer.headers["x-piri-location"])


def test_a_kept_clip_can_be_downloaded_then_deleted_and_a_check_deleted(
    client: TestClient, tmp_path: Path, home: Path, synthetic_pose: None
) -> None:
    data = clip(tmp_path)
    location = upload(client, data, "run.mp4", keep_video="1").headers["location"]
    gait_checks.analyse_next()
    page = client.get(location).text
    assert "You chose to keep the clip" in page
    video = client.get(f"{location}/video")
    assert video.status_code == 200 and video.content == data
    assert 'filename="run.mp4"' in video.headers["content-disposition"]
    token = csrf(client)
    gone = client.post(
        f"{location}/video/delete", data={"csrf_token": token}, follow_redirects=False
    )
    assert gone.status_code == 303
    assert "The clip was deleted" in client.get(gone.headers["location"]).text
    assert client.get(f"{location}/video").status_code == 404
    assert list((home / "gait-videos").iterdir()) == []
    deleted = client.post(f"{location}/delete", data={"csrf_token": token}, follow_redirects=False)
    assert deleted.headers["location"] == "/gait?deleted=1"
    assert client.get(location).status_code == 404
    assert client.get(f"{location}/frames/1").status_code == 404
    assert "No checks yet" in client.get("/gait").text


def test_unknown_checks_and_frames_are_not_found(client: TestClient) -> None:
    assert client.get("/gait/99").status_code == 404
    assert client.get("/api/v1/gait/checks/99").json()["code"] == "not_found"
    assert client.get("/api/v1/gait/checks/99/frames/1").status_code == 404
    assert (
        client.delete("/api/v1/gait/checks/99", headers={"X-CSRF-Token": csrf(client)}).status_code
        == 404
    )
    assert client.get("/api/v1/gait/checks/0").status_code == 422


@pytest.mark.skipif(not HAS_MEDIAPIPE, reason="skipped: mediapipe is not importable")
def test_a_clip_with_nobody_in_it_is_analysed_in_the_background_and_says_film_again(
    home: Path, tmp_path: Path
) -> None:
    """The real pose model, in the app's own worker thread."""
    data = write_clip(tmp_path / "empty.mp4", 45, size=(96, 72)).read_bytes()
    with app_client("thread") as client:
        answer = client.post(
            "/api/v1/gait/checks",
            headers={"X-CSRF-Token": csrf(client)},
            files={"video": ("empty.mp4", data, "video/mp4")},
        )
        assert answer.status_code == 202
        url = answer.json()["url"]
        assert answer.headers["location"] == url
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            state = client.get(url).json()
            if state["status"] not in ("queued", "running"):
                break
            time.sleep(0.2)
        assert state["status"] == "done", state
        report = state["report"]
        assert report["film_again"] is True and report["figures"] == []
        assert any("person" in r["message"].lower() for r in report["reasons"]), report["reasons"]
        page = client.get(url.replace("/api/v1/gait/checks", "/gait")).text
        assert "Please film again" in page and "How to film:" in page


def test_a_clip_over_the_size_limit_and_too_many_uploads_are_refused_before_reading(
    home: Path,
) -> None:
    config = WebConfig(gait_worker="off", max_upload_bytes=4096, uploads_per_window=1)
    with TestClient(create_app(config), base_url="http://127.0.0.1:8000") as client:
        client.get("/static/css/piri.css")
        headers = {"X-CSRF-Token": csrf(client)}
        big = client.post(
            "/api/v1/gait/checks", headers=headers, files={"video": ("big.mp4", b"x" * 9000)}
        )
        assert big.status_code == 413
        assert big.json()["field"] == "video"
        assert big.json()["message"].startswith("video: the clip (")
        assert "Film 20 to 30 s" in big.json()["message"]
        page = client.post(
            "/gait",
            data={"csrf_token": csrf(client)},
            files={"video": ("big.mp4", b"x" * 9000)},
        )
        assert page.status_code == 429  # the second upload in the window of one
        assert "Retry-After" in page.headers and "Before you film" in page.text


def test_a_clinician_with_consent_sees_the_runners_checks_and_frames(
    multi_user_app: Any, tmp_path: Path, synthetic_pose: None
) -> None:
    from piri.services import care
    from tests.web.accounts_fixtures import new_client, sign_up_and_login

    ana, bea = new_client(multi_user_app, "192.0.2.1"), new_client(multi_user_app, "192.0.2.2")
    ana_person, bea_person = sign_up_and_login(ana, "ana"), sign_up_and_login(bea, "bea")
    location = upload(ana, clip(tmp_path), "ana run.mp4").headers["location"]
    gait_checks.analyse_next()
    check_id = location.rsplit("/", 1)[1]
    care.set_clinician(bea_person, True)
    shared = f"/clinic/runners/ana/gait/{check_id}"
    assert bea.get("/clinic/runners/ana/gait").status_code == 404  # no link yet
    code = care.invite_clinician(ana_person, ["diary", "runs"]).code
    assert code is not None
    link = care.accept_invitation(bea_person, code)

    assert 'href="/clinic/runners/ana/gait"' in bea.get("/clinic/runners/ana").text
    listed = bea.get("/clinic/runners/ana/gait")
    assert listed.status_code == 200 and "ana run.mp4" in listed.text
    assert f'href="{shared}"' in listed.text
    page = bea.get(shared).text
    assert "What Piri measured" in page and f'src="{shared}/frames/1"' in page
    assert "Delete this check" not in page and "/video" not in page  # the runner's own
    frame = bea.get(f"{shared}/frames/1")
    assert frame.status_code == 200 and frame.headers["content-type"] == "image/jpeg"
    assert bea.get(f"/gait/{check_id}").status_code == 404  # not under her own checks
    assert {e.what for e in care.audit_log(ana_person)} >= {"gait checks", "gait check"}

    care.change_shares(ana_person, link.id, ["diary"])  # runs no longer shared
    assert 'href="/clinic/runners/ana/gait"' not in bea.get("/clinic/runners/ana").text
    for path in ("/clinic/runners/ana/gait", shared, f"{shared}/frames/1"):
        assert bea.get(path).status_code == 404, path
