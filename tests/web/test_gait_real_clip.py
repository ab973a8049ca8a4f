"""The treadmill clip (../shared/data/video) through the web app, as a runner uploads it: the
API takes it, the app's background worker runs the real pose model, and the report's cadence
is within 2% of the 168.9 steps/min counted by hand (its groundtruth file), with key frames and
the cadence stride by stride. Skipped, and said, without ../shared or the video extra."""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from piri.services.diary import close_engines
from piri.web.app import create_app
from piri.web.config import WebConfig
from tests.web.conftest import csrf

HAS_MEDIAPIPE = importlib.util.find_spec("mediapipe") is not None
pytestmark = pytest.mark.skipif(
    not HAS_MEDIAPIPE, reason="skipped: mediapipe is not importable (the video extra)"
)
TREADMILL = "zzzhushi_male_side_treadmill_run.mp4"
MEASURED_CADENCE = 168.9
ANALYSIS_TIMEOUT_S = 300  # about 15 s here; room for a loaded machine


@pytest.fixture
def client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("PIRI_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("PIRI_DATABASE_URL", raising=False)
    app = create_app(WebConfig(gait_worker="thread"))
    with TestClient(app, base_url="http://127.0.0.1:8000") as found:
        found.get("/static/css/piri.css")
        yield found
    close_engines()


def test_the_treadmill_clip_uploaded_gives_its_cadence(
    client: TestClient, shared_dir: Path
) -> None:
    clip = shared_dir / "data" / "video" / TREADMILL
    with clip.open("rb") as data:
        answer = client.post(
            "/api/v1/gait/checks",
            headers={"X-CSRF-Token": csrf(client)},
            data={"view": "side"},
            files={"video": (TREADMILL, data, "video/mp4")},
        )
    assert answer.status_code == 202, answer.text
    url = answer.json()["url"]
    seen_progress = set()
    deadline = time.monotonic() + ANALYSIS_TIMEOUT_S
    while time.monotonic() < deadline:
        state = client.get(url).json()
        if state["status"] == "running" and state["percent"] is not None:
            seen_progress.add(state["percent"])
        if state["status"] not in ("queued", "running"):
            break
        time.sleep(0.25)
    assert state["status"] == "done", state
    report = state["report"]
    cadence = next(f for f in report["figures"] if f["key"] == "cadence")
    assert abs(cadence["value"] - MEASURED_CADENCE) / MEASURED_CADENCE < 0.02, cadence
    assert len(seen_progress) >= 2, seen_progress  # the bar moved while the page waited
    strikes = [f for f in report["key_frames"] if f["kind"] == "foot_strike"]
    assert {f["leg"] for f in strikes} == {"left", "right"}
    frame = client.get(strikes[0]["url"])
    assert frame.status_code == 200 and frame.content[:3] == b"\xff\xd8\xff"
    [timeline] = report["timelines"]
    values = [p["value"] for p in timeline["points"]]
    assert len(values) >= 10 and all(150 < v < 190 for v in values), values
    assert not state["video_stored"]  # deleted after the analysis
