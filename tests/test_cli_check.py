"""``piri check`` through the real command: from a file, interactively, and over vignettes."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

from piri.content.loader import load_library
from tests.check_answers import typical_piriformis
from tests.conftest import PiriRunner

VIGNETTES = Path(__file__).parent / "vignettes"


def flat(text: str) -> str:
    """Output with Rich's line wrapping undone."""
    return " ".join(text.split())


def write(tmp_path: Path, answers: object, name: str = "answers.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(answers), encoding="utf-8")
    return path


def test_answers_file_gives_a_readable_result(piri: PiriRunner, tmp_path: Path) -> None:
    result = piri("check", "--answers", str(write(tmp_path, typical_piriformis())))
    assert result.returncode == 0, result.stderr
    out = " ".join(result.stdout.split())
    assert "SELF-CARE" in out
    assert "Which patterns your answers resemble" in out
    assert "Piriformis / deep gluteal syndrome" in out
    assert "piri session relief" in out
    assert "When to see a professional" in out


def test_answers_file_as_json_has_urgency_flags_patterns_and_next_steps(
    piri: PiriRunner, tmp_path: Path
) -> None:
    answers = typical_piriformis(fever_or_unwell=True)
    result = piri("check", "--answers", str(write(tmp_path, answers)), "--format", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["urgency"] == "urgent"
    assert document["red_flags"][0]["id"] == "fever-or-unwell"
    assert document["red_flags"][0]["answers"] == {"fever_or_unwell": True}
    assert document["patterns"][0]["id"] == "deep-gluteal-syndrome"
    assert document["patterns"][0]["likelihood"] in ("likely", "possible")
    assert document["patterns"][0]["reasons"]["for"]
    assert document["next_steps"][0] == "Get seen by a doctor today."
    assert document["routine"] is None


def test_a_wrong_answer_type_an_unknown_id_and_a_missing_answer_are_named(
    piri: PiriRunner, tmp_path: Path
) -> None:
    answers = typical_piriformis(age="old")
    answers["tinglng"] = True
    del answers["both_legs"]
    result = piri("check", "--answers", str(write(tmp_path, answers)))
    assert result.returncode == 2
    assert "'age': expected a number, got 'old'" in flat(result.stderr)
    assert "'tinglng': there is no such question; did you mean 'tingling'?" in flat(result.stderr)
    assert "'both_legs': this question needs an answer" in flat(result.stderr)
    assert "Traceback" not in flat(result.stderr)


def test_a_file_that_is_not_json_or_not_there_is_a_clear_error(
    piri: PiriRunner, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{ not json", encoding="utf-8")
    result = piri("check", "--answers", str(broken))
    assert result.returncode == 2
    assert "broken.json: not valid JSON (line 1" in flat(result.stderr)
    missing = piri("check", "--answers", str(tmp_path / "nope.json"))
    assert missing.returncode == 2
    assert "nope.json: no such file" in flat(missing.stderr)
    a_list = piri("check", "--answers", str(write(tmp_path, [1, 2])))
    assert a_list.returncode == 2
    assert "expected a JSON object" in flat(a_list.stderr)


def test_the_questionnaire_prints_as_json_for_other_front_ends(piri: PiriRunner) -> None:
    result = piri("check", "--questions", "--format", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    ids = [q["id"] for q in document["questions"]]
    assert ids == [q.id for q in load_library().questionnaire.questions]
    first = document["questions"][0]
    assert first["part"] == "Safety first" and first["type"] == "yes_no"
    follow_up = next(q for q in document["questions"] if q["id"] == "sitting_minutes")
    assert follow_up["show_if"] == {"question": "provoked_by", "includes": "sitting"}
    assert {t["id"] for t in document["self_tests"]} >= {"seated-slump", "single-leg-stance"}


def test_the_questionnaire_prints_as_text(piri: PiriRunner) -> None:
    result = piri("check", "--questions")
    assert result.returncode == 0, result.stderr
    assert "Safety first" in result.stdout
    assert "saddle_numbness" in result.stdout


def test_two_modes_at_once_or_svg_without_a_self_test_are_refused(
    piri: PiriRunner, tmp_path: Path
) -> None:
    both = piri("check", "--questions", "--evaluate", str(tmp_path))
    assert both.returncode == 2
    assert "use only one of --questions, --evaluate" in flat(both.stderr)
    svg = piri("check", "--svg", str(tmp_path))
    assert svg.returncode == 2
    assert "--svg needs --self-test" in flat(svg.stderr)


def test_a_self_test_shows_its_steps_and_writes_its_pictures(
    piri: PiriRunner, tmp_path: Path
) -> None:
    result = piri("check", "--self-test", "seated-slump", "--svg", str(tmp_path / "pics"))
    assert result.returncode == 0, result.stderr
    assert "Seated slump" in result.stdout
    pictures = sorted((tmp_path / "pics").glob("seated-slump-*.svg"))
    assert len(pictures) >= 2
    unknown = piri("check", "--self-test", "hop")
    assert unknown.returncode == 2
    assert "There is no self-test called 'hop'" in flat(unknown.stderr)


def test_evaluate_prints_the_confusion_table_sensitivity_and_accuracy(piri: PiriRunner) -> None:
    result = piri("check", "--evaluate", str(VIGNETTES))
    assert result.returncode == 0, result.stderr
    out = " ".join(result.stdout.split())
    assert "Urgency: expected (rows) against given (columns)" in out
    assert "Red-flag sensitivity: 100%" in out
    assert "Top-pattern accuracy:" in out


def test_evaluate_names_a_broken_vignette(piri: PiriRunner, tmp_path: Path) -> None:
    write(
        tmp_path,
        {"answers": {}, "expected_urgency": "soonish", "expected_pattern": "none"},
        "bad.json",
    )
    result = piri("check", "--evaluate", str(tmp_path))
    assert result.returncode == 2
    assert "bad.json: expected_urgency 'soonish' is not one of" in flat(result.stderr)
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "no vignette files" in flat(piri("check", "--evaluate", str(empty)).stderr)


def _typed(answers: dict[str, object]) -> str:
    """What a person would type for ``answers``, question by question, in the asked order."""
    from piri.domain.answers import asked_questions

    questionnaire = load_library().questionnaire
    lines = []
    for question in asked_questions(questionnaire, answers):  # type: ignore[arg-type]
        value = answers.get(question.id)
        if value is None:
            lines.append("s")
        elif isinstance(value, bool):
            lines.append("y" if value else "n")
        elif isinstance(value, list):
            ids = question.option_ids()
            lines.append(",".join(str(ids.index(v) + 1) for v in value) or "0")
        elif isinstance(value, str):
            lines.append(str(question.option_ids().index(value) + 1))
        else:
            lines.append(str(value))
    return "\n".join(lines) + "\n"


def test_interactive_check_asks_in_order_and_ends_with_the_result(piri: PiriRunner) -> None:
    result = piri("check", input=_typed(typical_piriformis()))
    assert result.returncode == 0, result.stdout[-2000:]
    out = result.stdout
    assert out.index("Safety first") < out.index("Where it hurts") < out.index("Your result")
    assert "Self-test: Knee towards the opposite shoulder" in out
    assert "Piriformis / deep gluteal syndrome" in out[out.index("Your result") :]


def test_interactive_check_goes_back_refuses_a_skip_and_explains_a_wrong_entry(
    piri: PiriRunner,
) -> None:
    typed = _typed(typical_piriformis(saddle_numbness=True)).split("\n")
    # First answer wrongly, skip a required question, go back and answer again.
    typed = ["maybe", "s", typed[0], "b", *typed]
    result = piri("check", input="\n".join(typed))
    assert result.returncode == 0, result.stdout[-2000:]
    assert "answer y or n" in result.stdout
    assert "This question needs an answer; it cannot be skipped." in result.stdout
    assert "EMERGENCY" in result.stdout[result.stdout.index("Your result") :]
    # The warning is shown the moment the answer is given, before the next question.
    warning = result.stdout.index("do not wait for it")
    assert warning < result.stdout.index("Since the pain began, have you had any new trouble")


def test_interactive_check_stopped_early_keeps_nothing_and_exits_cleanly(
    piri: PiriRunner,
) -> None:
    result = piri("check", input="n\nn\n")
    assert result.returncode == 130
    assert "Check stopped before the end; nothing was kept." in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_ctrl_c_during_the_questions_leaves_cleanly(tmp_path: Path) -> None:
    env = {**os.environ, "PIRI_HOME": str(tmp_path / "home"), "COLUMNS": "100"}
    process = subprocess.Popen(
        [sys.executable, "-m", "piri", "check"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=tmp_path,
    )
    assert process.stdout is not None
    seen = b""
    deadline = time.monotonic() + 30
    while b"y or n" not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 0.1)
        if ready:
            seen += os.read(process.stdout.fileno(), 65536)
    assert b"y or n" in seen, seen
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=20)
    assert process.returncode == 130
    assert "Check stopped before the end; nothing was kept." in (seen + out).decode()
    assert b"Traceback" not in err
