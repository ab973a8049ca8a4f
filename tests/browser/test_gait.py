"""Browser journeys through the gait check, at both viewports: the filming guide, a clip that
is not a video refused on the form, a clip uploaded with the progress bar, the check page
following the background analysis (the server's own worker process and the real pose model)
to its report; with the treadmill clip (../shared) the figures, key frames and the cadence
chart drawn. axe-core on every screen.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Visit
from tests.browser.test_runs import drawn
from tests.test_cli_gait import write_clip

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("mediapipe") is None,
    reason="skipped: mediapipe is not importable (the video extra)",
)
TREADMILL = "zzzhushi_male_side_treadmill_run.mp4"
# The first analysis starts a worker process that loads the pose model: allow for a slow CI.
ANALYSIS_MS = 180_000


def test_a_clip_of_nobody_is_uploaded_analysed_and_asked_again(
    visit: Visit, tmp_path: Path
) -> None:
    page = visit.page
    visit.go("/gait")
    expect(page.get_by_role("heading", name="Before you film")).to_be_visible()
    visit.check_accessibility()

    wrong = tmp_path / "shopping.mp4"
    wrong.write_text("milk, eggs, bread")
    page.set_input_files("#field-video", str(wrong))
    page.get_by_role("button", name="Upload and analyse").click()
    alert = page.locator("#gait-upload-errors .error-summary")
    expect(alert).to_contain_text("shopping.mp4: not a video")
    expect(alert).to_be_focused()
    assert page.url.endswith("/gait")  # the same page: nothing was stored
    visit.check_accessibility()

    clip = write_clip(tmp_path / "empty room.mp4", 90, size=(320, 240))
    page.evaluate(
        """() => { window.barSeen = [];
        const bar = document.getElementById('upload-bar');
        new MutationObserver(() => window.barSeen.push(bar.value))
            .observe(bar, {attributes: true, childList: true}); }"""
    )
    page.set_input_files("#field-video", str(clip))
    page.get_by_role("button", name="Upload and analyse").click()
    page.wait_for_url("**/gait/*")
    expect(page.get_by_role("heading", name="Please film again")).to_be_visible(timeout=ANALYSIS_MS)
    expect(page.get_by_text("How to film:")).to_be_visible()
    expect(page.get_by_role("heading", name="What a video cannot tell you")).to_be_visible()
    visit.check_accessibility()
    visit.screenshot("film-again")
    visit.go("/gait")
    expect(page.get_by_role("cell", name="empty room.mp4")).to_be_visible()
    expect(page.get_by_role("cell", name="Please film again")).to_be_visible()


def test_the_treadmill_clip_gives_figures_key_frames_and_the_cadence_chart(
    visit: Visit, shared_dir: Path
) -> None:
    page = visit.page
    visit.go("/gait")
    page.set_input_files("#field-video", str(shared_dir / "data" / "video" / TREADMILL))
    page.get_by_label("The side (cadence, foot landing, lean)").check()
    page.get_by_role("button", name="Upload and analyse").click()
    page.wait_for_url("**/gait/*")
    expect(page.locator("#analysis-bar")).to_be_visible()
    expect(page.get_by_role("heading", name="What Piri measured")).to_be_visible(
        timeout=ANALYSIS_MS
    )
    cadence = page.locator(".gait-figure", has=page.get_by_role("heading", name="Cadence"))
    value = cadence.locator(".gait-value").inner_text()
    steps = float(value.split()[0])
    assert abs(steps - 168.9) / 168.9 < 0.02, value
    drawn(visit, "timeline-1")
    frames = page.locator(".gait-frames img")
    assert frames.count() == 6
    frames.first.scroll_into_view_if_needed()
    expect(frames.first).to_have_js_property("complete", True)
    assert frames.first.evaluate("img => img.naturalWidth") > 100
    visit.check_accessibility()
    visit.screenshot("report")
    page.get_by_role("button", name="Delete this check").click()
    expect(page.get_by_text("The check was deleted")).to_be_visible()
