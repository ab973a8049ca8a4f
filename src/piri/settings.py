"""Where Piri keeps a person's data.

The data directory comes from ``PIRI_HOME`` when it is set, otherwise the
platform's user data directory. Piri never writes to the current directory.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "piri"
HOME_VARIABLE = "PIRI_HOME"


def data_dir(create: bool = False) -> Path:
    """The directory that holds everything Piri stores for this person."""
    configured = os.environ.get(HOME_VARIABLE, "").strip()
    if configured:
        path = Path(configured).expanduser().resolve()
    else:
        import platformdirs  # imported here: only needed when no PIRI_HOME is set

        path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    if create:
        path.mkdir(parents=True, exist_ok=True)
    return path
