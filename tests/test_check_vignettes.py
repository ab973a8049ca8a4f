"""Clinical vignettes written from the facts brief: every red flag must reach its urgency.

Each file in tests/vignettes holds a runner's answers with the urgency and top
pattern a clinician expects. A missed red flag (a result less urgent than
expected) is a failing test, and so is a wrong top pattern.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from piri.content.check_models import Urgency
from piri.content.loader import load_library
from piri.domain.triage import ACTION_NOW
from piri.services.check import run_check

VIGNETTES = sorted((Path(__file__).parent / "vignettes").glob("*.json"))
RULES = load_library().check_rules


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_there_are_at_least_forty_vignettes() -> None:
    assert len(VIGNETTES) >= 40


@pytest.mark.parametrize("path", VIGNETTES, ids=lambda p: p.stem)
def test_vignette_reaches_its_urgency_and_top_pattern(path: Path) -> None:
    vignette = load(path)
    result = run_check(vignette["answers"])
    expected = Urgency(vignette["expected_urgency"])
    assert result.urgency.rank >= expected.rank, f"missed red flag: got {result.urgency.value}"
    assert result.urgency is expected
    top = result.top_pattern.id if result.top_pattern else "none"
    assert top == vignette["expected_pattern"]


def test_every_red_flag_is_raised_by_some_vignette() -> None:
    raised = {flag.id for path in VIGNETTES for flag in run_check(load(path)["answers"]).red_flags}
    assert sorted({flag.id for flag in RULES.red_flags} - raised) == []


def test_every_pattern_is_the_expected_top_pattern_of_some_vignette() -> None:
    expected = {load(path)["expected_pattern"] for path in VIGNETTES}
    assert sorted({pattern.id for pattern in RULES.patterns} - expected) == []


def test_some_vignette_hides_a_red_flag_in_a_typical_piriformis_story() -> None:
    hidden = [
        path.stem
        for path in VIGNETTES
        if load(path)["expected_pattern"] == "deep-gluteal-syndrome"
        and load(path)["expected_urgency"] in ("emergency", "urgent")
    ]
    assert hidden


# --- wording ----------------------------------------------------------------------------------

YOU_HAVE = re.compile(r"\byou(?:'ve| have| probably have| likely have)\b", re.IGNORECASE)


@pytest.mark.parametrize("path", VIGNETTES, ids=lambda p: p.stem)
def test_no_result_says_you_have_and_care_starts_with_what_to_do_now(path: Path) -> None:
    result = run_check(load(path)["answers"])
    texts = [*result.next_steps, *result.avoid]
    texts += [f.title + " " + f.advice for f in result.red_flags]
    texts += [p.name + " " + p.summary for p in result.patterns]
    texts += [r.reason for p in result.patterns for r in p.reasons_for + p.reasons_against]
    assert not [t for t in texts if YOU_HAVE.search(t)]
    if result.urgency is not Urgency.SELF_CARE:
        assert result.next_steps[0] == ACTION_NOW[result.urgency]


def test_no_rule_text_says_you_have() -> None:
    texts = [f.title + " " + f.advice for f in RULES.red_flags]
    for pattern in RULES.patterns:
        steps = pattern.next_steps
        texts += [pattern.name, pattern.summary, steps.do, steps.see, *steps.avoid]
        texts += [clue.reason for clue in pattern.clues_for + pattern.clues_against]
    assert [t for t in texts if YOU_HAVE.search(t)] == []


def test_the_wording_check_would_catch_a_diagnosis() -> None:
    assert YOU_HAVE.search("You have piriformis syndrome.")
    assert YOU_HAVE.search("you've got a stress fracture")
    assert not YOU_HAVE.search("Your answers resemble piriformis syndrome.")
