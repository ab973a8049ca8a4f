"""``run_score`` in-process: options, the questions asked in a terminal, and the errors."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console

from piri.cli.scores import run_score
from piri.services import diary as diary_service
from piri.services.scores import score_history


class Terminal(io.StringIO):
    """Standard input that says it is a terminal, with the given lines typed in advance."""

    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("PIRI_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("PIRI_DATABASE_URL", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    diary_service.close_engines()
    yield tmp_path / "home"
    diary_service.close_engines()


def typed(monkeypatch: pytest.MonkeyPatch, *lines: str) -> None:
    monkeypatch.setattr("sys.stdin", Terminal("".join(f"{line}\n" for line in lines)))


def flat(text: str) -> str:
    return " ".join(text.split())


def test_lefs_from_answers_prints_the_score_then_the_change_in_plain_words(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run_score("lefs", ",".join(["2"] * 20), [], "text") == 0
    first = flat(capsys.readouterr().out)
    assert "LEFS score: 40 out of 80" in first
    assert "This is your first one" in first
    assert run_score("lefs", ",".join(["2"] * 9 + ["3"] * 11), [], "text") == 0
    second = flat(capsys.readouterr().out)
    assert "LEFS score: 51 out of 80" in second
    assert "Up 11 points since" in second
    assert "(40): a real change (9 points or more matters)" in second


def test_lefs_json_is_one_document(capsys: pytest.CaptureFixture[str]) -> None:
    run_score("lefs", ",".join(["4"] * 20), [], "json")
    capsys.readouterr()
    assert run_score("lefs", ",".join(["4"] * 12 + ["3"] * 8), [], "json") == 0
    document = json.loads(capsys.readouterr().out)
    assert document["instrument"] == "lefs"
    assert document["score"] == 72
    assert document["previous"]["score"] == 80
    assert document["change"] == {"difference": -8, "meaningful": False, "size": "no real change"}


def test_psfs_from_activities(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_score("psfs", None, ["sitting through a film=3", "run 5 km=0"], "text") == 0
    assert "PSFS score: 1.5 out of 10" in flat(capsys.readouterr().out)
    assert run_score("psfs", None, ["sitting through a film=6", "run 5 km=2"], "text") == 0
    out = flat(capsys.readouterr().out)
    assert "Up 2.5 points since" in out
    assert "a medium change (1.3 points or more matters)" in out


@pytest.mark.parametrize(
    ("instrument", "answers", "activities", "message"),
    [
        ("koos", None, [], "'koos' is not a questionnaire Piri scores"),
        ("lefs", "4,4,4", [], "the LEFS has 20 items; got 3 answers"),
        ("lefs", ",".join(["4"] * 19 + ["7"]), [], "LEFS item 20: expected a whole number"),
        ("lefs", "a,b", [], "give 20 whole numbers 0-4 separated by commas"),
        ("psfs", None, ["run=11"], "the rating must be 0 to 10"),
        ("psfs", None, ["run"], "write it as 'activity=rating'"),
        ("psfs", None, [f"thing {n}=3" for n in range(6)], "got 6"),
    ],
)
def test_a_wrong_input_is_named_on_stderr_with_status_2_and_nothing_is_saved(
    capsys: pytest.CaptureFixture[str],
    instrument: str,
    answers: str | None,
    activities: list[str],
    message: str,
) -> None:
    assert run_score(instrument, answers, activities, "text") == 2
    captured = capsys.readouterr()
    assert "Error:" in captured.err
    assert message in flat(captured.err)
    assert captured.out == ""
    assert score_history() == []


def test_lefs_in_a_terminal_asks_each_item_and_re_asks_a_wrong_answer(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    typed(monkeypatch, "9", "four", "", *(["3"] * 20))
    assert run_score("lefs", None, [], "text") == 0
    out = capsys.readouterr().out
    assert out.count("Type 0, 1, 2, 3 or 4.") == 3
    assert "20. roll over in bed" in out
    assert "LEFS score: 60 out of 80" in flat(out)
    assert [score for _, _, score in score_history()] == [60.0]


def test_lefs_in_a_terminal_never_asks_anyone_to_hop(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    typed(monkeypatch, *(["4"] * 20))
    run_score("lefs", None, [], "text")
    hop = next(line for line in capsys.readouterr().out.splitlines() if "hop" in line)
    assert "if you have not tried, answer from what you expect" in hop
    assert "do not test it now" in hop


def test_leaving_a_lefs_half_way_saves_nothing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    typed(monkeypatch, "4", "3", "2")  # then the input ends (Ctrl-D)
    assert run_score("lefs", None, [], "text") == 130
    assert "Nothing was saved." in capsys.readouterr().out
    assert score_history() == []


def test_ctrl_c_during_a_psfs_saves_nothing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = iter(["sit through a film", "3"])

    def ask(self: Console, prompt: str = "", **_: object) -> str:
        try:
            return next(answers)
        except StopIteration:
            raise KeyboardInterrupt from None

    typed(monkeypatch)
    monkeypatch.setattr(Console, "input", ask)
    assert run_score("psfs", None, [], "text") == 130
    assert "Nothing was saved." in capsys.readouterr().out
    assert score_history() == []


def test_psfs_in_a_terminal_takes_activities_until_an_empty_name(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    typed(monkeypatch, "sit through a film", "12", "4", "run 5 km", "1", "")
    assert run_score("psfs", None, [], "json") == 0
    out = capsys.readouterr().out
    assert "Type a whole number from 0 to 10." in out
    document = json.loads(out[out.index("{") :])
    assert document["score"] == 2.5
