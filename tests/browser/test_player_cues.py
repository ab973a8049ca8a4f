"""The session player's cues: spoken words, beeps and the screen kept awake, at both viewports.

Headless Chromium has no voice, no speakers and no screen to keep on, so the page gets
stand-ins for speechSynthesis, AudioContext and navigator.wakeLock that record what the
player asked of them; everything else is the real player.
"""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import Visit
from tests.browser.test_session import make_profile, skip_until

STAND_INS = """
window.__cues = {spoken: [], beeps: [], wake: []};
Object.defineProperty(window, "speechSynthesis", {
  configurable: true,
  value: {speak: (u) => window.__cues.spoken.push(u.text), cancel() {}, getVoices: () => []},
});
window.SpeechSynthesisUtterance = function (text) { this.text = text; };
window.AudioContext = class {
  constructor() { this.state = "running"; this.currentTime = 0; this.destination = {}; }
  resume() { return Promise.resolve(); }
  createGain() {
    return {gain: {setValueAtTime() {}, exponentialRampToValueAtTime() {}}, connect() {}};
  }
  createOscillator() {
    const oscillator = {frequency: {value: 0}, connect() {}, stop() {},
      start() { window.__cues.beeps.push(oscillator.frequency.value); }};
    return oscillator;
  }
};
class Sentinel extends EventTarget {
  async release() {
    window.__cues.wake.push("release");
    this.dispatchEvent(new Event("release"));
  }
}
Object.defineProperty(navigator, "wakeLock", {
  configurable: true,
  value: {
    request: async (type) => {
      window.__cues.wake.push("request " + type);
      return new Sentinel();
    },
  },
});
"""


def cues(page: Any) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = page.evaluate("() => window.__cues")
    return found


def test_the_player_speaks_beeps_and_keeps_the_screen_awake_only_while_running(
    visit: Visit,
) -> None:
    make_profile(visit.server)  # painful side: left
    page = visit.page
    page.add_init_script(STAND_INS)
    visit.go("/session/relief")
    assert cues(page) == {"spoken": [], "beeps": [], "wake": []}  # nothing before Start

    page.get_by_role("button", name="Start session").click()
    page.wait_for_function("() => window.__cues.wake.length > 0")
    first = page.locator("#exercise-name").inner_text()
    started = cues(page)
    assert started["wake"] == ["request screen"]
    assert started["beeps"][0] == 880  # the click's own beep, which unlocks audio
    assert started["spoken"][0] == f"{first}. Get ready on the left side."

    page.get_by_role("button", name="Pause", exact=True).click()
    paused = cues(page)
    assert paused["wake"] == ["request screen", "release"]  # a paused screen may sleep
    assert paused["spoken"][-1] == "Paused"

    skip_until(page, "Switch sides")
    assert cues(page)["spoken"][-1] == "Switch sides: now the right side."
    assert 660 in cues(page)["beeps"]  # the switch has its own tone

    # Muted: the steps still change, with no sound and no words.
    page.get_by_role("button", name="Mute").click()
    assert page.get_by_role("button", name="Mute").get_attribute("aria-pressed") == "true"
    before = cues(page)
    page.get_by_role("button", name="Skip", exact=True).click()
    after = cues(page)
    assert (after["spoken"], after["beeps"]) == (before["spoken"], before["beeps"])
    page.get_by_role("button", name="Mute").click()

    page.get_by_role("button", name="Resume").click()
    page.wait_for_function("() => window.__cues.wake.length === 3")
    assert cues(page)["wake"][-1] == "request screen"
    page.get_by_role("button", name="Stop", exact=True).click()  # asks first, and pauses
    page.get_by_role("button", name="Stop now").click()
    page.get_by_role("heading", level=2, name="Session stopped early").wait_for()
    ended = cues(page)
    assert ended["wake"] == ["request screen", "release", "request screen", "release"]
    assert ended["spoken"][-1] == "Session stopped early. How was the pain?"
    visit.check_accessibility()
