"""Figures the reliability tests hand to ``scripts/reliability_report.py``.

A test that tries hard to break something (a kill at a random point, writers racing each other,
schemathesis cases) calls :func:`record` with what it did and what held. When the environment
variable ``PIRI_RELIABILITY_LOG`` names a file, each call appends one JSON line to it; the
report script sets it, runs those tests, and turns the lines into ``docs/reliability.md``.
Without the variable (a plain ``make test``) ``record`` does nothing.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

LOG_VARIABLE = "PIRI_RELIABILITY_LOG"
_lock = threading.Lock()


def record(check: str, **figures: Any) -> None:
    """Write one line of figures for ``check`` (a short name, e.g. ``"kill the server"``)."""
    path = os.environ.get(LOG_VARIABLE)
    if not path:
        return
    line = json.dumps({"check": check, **figures}, sort_keys=True, default=str)
    with _lock, Path(path).open("a", encoding="utf-8") as log:
        log.write(line + "\n")
