"""Shift this process's clock as the test run that started it did (see tests/run_clock.py).

Python imports ``sitecustomize`` at start-up from its path; the test run puts this folder on
the ``PYTHONPATH`` of the processes it starts.
"""

import os
import time

_shift = float(os.environ.get("PIRI_TEST_CLOCK_SHIFT") or 0)
if _shift:
    import time_machine

    time_machine.travel(time.time() + _shift, tick=True).start()
