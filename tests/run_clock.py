"""One date for the whole test run, even when the run crosses midnight.

Many tests take ``dt.date.today()`` when their module is imported and later compare it with
what the app says "today" is. A run that starts on 2 December and reaches those tests after
midnight saw the app answer 3 December (CI once failed 35 tests that way). So the run's
clock starts at noon of the day the run began and ticks on from there: every process of the
run (the xdist workers, the servers and commands the tests start, the gait worker, the
browser's pages) is shifted by the same number of seconds, chosen once, so they all agree.

``PIRI_TEST_CLOCK_SHIFT`` carries the shift to the child processes, and the
``sitecustomize`` in ``tests/run_clock_site/`` (put on their ``PYTHONPATH``) applies it
there. Set it to ``0`` to run on the real clock.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

SHIFT_VARIABLE = "PIRI_TEST_CLOCK_SHIFT"
SITE_FOLDER = Path(__file__).parent / "run_clock_site"


def noon_shift(now: dt.datetime) -> float:
    """Seconds from ``now`` (local time) to noon of the same day."""
    return (now.replace(hour=12, minute=0, second=0, microsecond=0) - now).total_seconds()


def run_clock_shift() -> float:
    """The run's shift in seconds (0 before ``start_run_clock`` or when set to run on the real
    clock)."""
    return float(os.environ.get(SHIFT_VARIABLE) or 0)


def start_run_clock() -> float:
    """Choose the run's shift (unless a parent process already did), shift this process's
    clock by it, and hand it and the site folder to every child; the shift in seconds."""
    if SHIFT_VARIABLE not in os.environ:
        os.environ[SHIFT_VARIABLE] = f"{noon_shift(dt.datetime.now()):.3f}"
    paths = os.environ.get("PYTHONPATH", "").split(os.pathsep)
    if str(SITE_FOLDER) not in paths:
        os.environ["PYTHONPATH"] = os.pathsep.join([str(SITE_FOLDER), *filter(None, paths)])
    shift = run_clock_shift()
    if shift:
        import time_machine

        # An xdist worker was started with the folder on its path: its clock already moved.
        if not time_machine.escape_hatch.is_travelling():
            time_machine.travel(time.time() + shift, tick=True).start()
    return shift


def browser_clock_script(shift: float) -> str:
    """JavaScript that shifts a page's ``Date`` by ``shift`` seconds (timers untouched), for
    ``BrowserContext.add_init_script``: the player dates a session by the browser's day."""
    milliseconds = round(shift * 1000)
    return f"""(() => {{
  const RealDate = Date;
  const shift = {milliseconds};
  class ShiftedDate extends RealDate {{
    constructor(...args) {{
      if (args.length === 0) super(RealDate.now() + shift);
      else super(...args);
    }}
    static now() {{ return RealDate.now() + shift; }}
  }}
  globalThis.Date = ShiftedDate;
}})();"""
