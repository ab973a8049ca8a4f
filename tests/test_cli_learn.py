"""``piri learn`` through the real command."""

from __future__ import annotations

from piri.content.loader import load_library
from tests.conftest import PiriRunner


def test_learn_lists_every_section_with_how_to_read_one(piri: PiriRunner) -> None:
    result = piri("learn")
    assert result.returncode == 0, result.stderr
    for section in load_library().sections:
        assert section.id in result.stdout
    assert "piri learn SECTION" in result.stdout
    assert "When to see a professional" in result.stdout


def test_learn_section_prints_its_text_sources_and_the_safety_notice(piri: PiriRunner) -> None:
    section = load_library().section("symptoms")
    assert section is not None
    result = piri("learn", "symptoms")
    assert result.returncode == 0, result.stderr
    flat = " ".join(result.stdout.split())
    assert section.title in flat
    assert " ".join(section.blocks[0].text.split()[:6]) in flat
    assert "Sources:" in result.stdout
    assert "Emergency:" in result.stdout


def test_every_section_ends_with_when_to_see_a_professional(piri: PiriRunner) -> None:
    for section in load_library().sections:
        result = piri("learn", section.id)
        assert result.returncode == 0, result.stderr
        assert "When to see a professional" in result.stdout, section.id


def test_an_unknown_section_suggests_the_close_one_and_exits_non_zero(piri: PiriRunner) -> None:
    result = piri("learn", "symptom")
    assert result.returncode == 2
    assert "Did you mean symptoms" in result.stderr
    assert "what-is-it" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_a_block_with_weak_evidence_says_so_beside_its_text(piri: PiriRunner) -> None:
    section = load_library().section("causes")
    assert section is not None
    noted = [block for block in section.blocks if block.evidence_note]
    assert noted, "the causes section has blocks resting on disputed evidence"
    flat = " ".join(piri("learn", "causes").stdout.split())
    for block in noted:
        assert f"How sure we are: {block.evidence_note}" in flat
