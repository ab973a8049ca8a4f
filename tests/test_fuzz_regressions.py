"""Every input that once crashed a parser under the fuzzer (fuzz/run.py saves them in
fuzz/regressions/<target>/) is replayed through the same target's contract on every test run:
it must now be read or refused with the parser's own error."""

from __future__ import annotations

from pathlib import Path

import pytest
from fuzz.targets import REGRESSIONS, TARGETS

SAVED = sorted(path for path in REGRESSIONS.glob("*/*") if path.is_file())


def test_the_saved_inputs_belong_to_known_targets() -> None:
    assert SAVED, "the fuzzers' findings are kept in fuzz/regressions/<target>/"
    assert {path.parent.name for path in SAVED} <= set(TARGETS)


@pytest.mark.parametrize("path", SAVED, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_a_once_crashing_input_is_now_read_or_refused(path: Path) -> None:
    TARGETS[path.parent.name](path.read_bytes())
