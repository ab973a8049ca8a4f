"""Every clinical statement is traceable to the facts brief and written in our own words."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from piri.content.loader import DATA_DIR

# A run of this many words shared with a reference text counts as copied.
COPIED_RUN = 8
NOT_PROSE = {"url", "title", "id", "exercise"}


def _strings(node: Any, key: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, str):
        yield key, node
    elif isinstance(node, dict):
        for child_key, child in node.items():
            yield from _strings(child, child_key)
    elif isinstance(node, list):
        for child in node:
            yield from _strings(child, key)


def _content_files() -> list[Path]:
    return sorted(DATA_DIR.rglob("*.toml"))


def _all_strings() -> Iterator[tuple[Path, str, str]]:
    for path in _content_files():
        with path.open("rb") as handle:
            for key, text in _strings(tomllib.load(handle)):
                yield path, key, text


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _runs(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + COPIED_RUN]) for i in range(len(words) - COPIED_RUN + 1)}


@pytest.mark.shared_data
def test_every_source_url_is_one_the_facts_brief_lists(shared_dir: Path) -> None:
    brief = (shared_dir / "reference" / "clinical-facts.md").read_text(encoding="utf-8")
    urls = [(path, text) for path, key, text in _all_strings() if key == "url"]
    assert len(urls) > 50
    missing = [f"{path.name}: {url}" for path, url in urls if url not in brief]
    assert not missing, "sources not in the facts brief:\n" + "\n".join(missing)


@pytest.mark.shared_data
@pytest.mark.parametrize("reference", ["seed-article.txt", "clinical-facts.md"])
def test_no_content_copies_a_run_of_words_from_the_references(
    shared_dir: Path, reference: str
) -> None:
    source = _runs(_words((shared_dir / "reference" / reference).read_text(encoding="utf-8")))
    copied = []
    for path, key, text in _all_strings():
        if key in NOT_PROSE:
            continue
        shared = _runs(_words(text)) & source
        if shared:
            copied.append(f"{path.name} [{key}]: '{' '.join(sorted(shared)[0])}'")
    assert not copied, f"text copied from {reference}:\n" + "\n".join(copied)


def test_the_copy_check_would_catch_a_copied_sentence() -> None:
    sentence = "Sit on the edge of a chair or bench, feet on the floor."
    assert _runs(_words(sentence)) & _runs(_words("Start: " + sentence))
    assert not _runs(_words("Sit near the front of a firm chair with both feet down.")) & _runs(
        _words(sentence)
    )
