"""The fuzz targets: each takes raw bytes and holds a parser to its contract.

The contract is the same everywhere: read the input or refuse it with the parser's own error,
whose message says what is wrong. Any other exception is a crash. The targets are plain
functions (no atheris here) so that the regression tests replay the saved crash inputs with
them (tests/test_fuzz_regressions.py).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from piri.activities.archive import UnsafeArchiveError, find_activity_files
from piri.activities.importer import parse
from piri.domain.activity import BrokenFileError, NotAnActivityError
from piri.domain.answers import AnswerError

REGRESSIONS = Path(__file__).parent / "regressions"


def _activity_file(kind: str) -> Callable[[bytes], None]:
    def target(data: bytes) -> None:
        try:
            found = parse(kind, data)
        except (BrokenFileError, NotAnActivityError) as refused:
            if not str(refused):
                raise AssertionError(f"a {kind} refusal without a reason") from refused
            return
        if not isinstance(found, list):
            raise AssertionError(f"the {kind} reader returned {type(found).__name__}")

    target.__name__ = f"fuzz_{kind}"
    return target


_SCRATCH = Path(tempfile.mkdtemp(prefix="piri-fuzz-"))


def fuzz_archive(data: bytes) -> None:
    """A ZIP as an upload or a command-line path: listed, each entry read or skipped."""
    path = _SCRATCH / f"input-{os.getpid()}.zip"
    path.write_bytes(data)
    try:
        for item in find_activity_files([path]):
            kind, payload = getattr(item, "kind", None), getattr(item, "data", None)
            if isinstance(kind, str) and isinstance(payload, bytes) and payload:
                _activity_file(kind)(payload)
    except UnsafeArchiveError as refused:
        if not str(refused):
            raise AssertionError("an archive refusal without a reason") from refused


def fuzz_answers(data: bytes) -> None:
    """A symptom-check answers document, as the API and ``piri check --answers`` take it."""
    from piri.services.check import run_check

    try:
        document = json.loads(data)
    except (ValueError, RecursionError):
        return  # not JSON: the web and CLI refuse it before the check sees it
    if not isinstance(document, dict):
        return
    try:
        run_check(document)
    except AnswerError as refused:
        if not str(refused):
            raise AssertionError("an answers refusal without a reason") from refused


def fuzz_export(data: bytes) -> None:
    """An export document imported back into an empty profile (its own scratch database)."""
    from piri.services import diary as diary_service
    from piri.services.person_data import PersonDataError, import_document

    try:
        document = json.loads(data)
    except (ValueError, RecursionError):
        return
    home = Path(tempfile.mkdtemp(dir=_SCRATCH))
    os.environ["PIRI_HOME"] = str(home)
    os.environ.pop("PIRI_DATABASE_URL", None)
    try:
        import_document(document, "fuzzed", dt.date(2026, 12, 1), label="fuzz")
    except PersonDataError as refused:
        if not str(refused).startswith("fuzz"):
            raise AssertionError(f"an export refusal that does not say where: {refused}") from None
    finally:
        diary_service.close_engines()
        for file in home.iterdir():
            file.unlink()
        home.rmdir()


TARGETS: dict[str, Callable[[bytes], None]] = {
    "fit": _activity_file("fit"),
    "gpx": _activity_file("gpx"),
    "tcx": _activity_file("tcx"),
    "archive": fuzz_archive,
    "answers": fuzz_answers,
    "export": fuzz_export,
}
