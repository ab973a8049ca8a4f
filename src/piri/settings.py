"""Where Piri keeps a person's data.

The data directory comes from ``PIRI_HOME`` when it is set, otherwise the
platform's user data directory. Piri never writes to the current directory.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

APP_NAME = "piri"
HOME_VARIABLE = "PIRI_HOME"
DATABASE_VARIABLE = "PIRI_DATABASE_URL"
DATABASE_FILE = "piri.db"


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


def database_url() -> str:
    """``PIRI_DATABASE_URL`` when set (PostgreSQL for a shared server), else SQLite in PIRI_HOME.

    Read from the environment on every call (tests and servers point it elsewhere), but worked
    out once per value: a web request asks for it several times.
    """
    return _database_url(
        os.environ.get(DATABASE_VARIABLE, "").strip(), os.environ.get(HOME_VARIABLE, "").strip()
    )


@lru_cache(maxsize=64)
def _database_url(configured: str, _home: str) -> str:
    if configured:
        return normalise_database_url(configured)
    return f"sqlite:///{data_dir(create=True) / DATABASE_FILE}"


def normalise_database_url(url: str) -> str:
    """Plain ``postgresql://`` URLs use the psycopg 3 driver Piri installs."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
