"""Database URLs for storage tests: SQLite always, PostgreSQL when PIRI_TEST_POSTGRES_URL is set."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text

from piri.settings import normalise_database_url
from piri.store.database import make_engine

POSTGRES_VARIABLE = "PIRI_TEST_POSTGRES_URL"
BACKENDS = ["sqlite", "postgresql"]


@contextmanager
def fresh_engine(backend: str, tmp_path: Path) -> Iterator[Engine]:
    """An empty database of the given kind; PostgreSQL gets a private schema, dropped after."""
    if backend == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'piri.db'}")
        yield engine
        engine.dispose()
        return
    url = os.environ.get(POSTGRES_VARIABLE, "").strip()
    if not url:
        import pytest

        pytest.skip(f"skipped on PostgreSQL: set {POSTGRES_VARIABLE} (.ci/run sets it)")
    schema = f"piri_test_{uuid.uuid4().hex[:12]}"
    admin = make_engine(normalise_database_url(url))
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    from sqlalchemy import create_engine

    engine = create_engine(
        normalise_database_url(url), connect_args={"options": f"-csearch_path={schema}"}
    )
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
