"""The symptom check as the CLI, web app and API use it: files in, results out."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from piri.content.check_models import Questionnaire, SelfTest, Urgency
from piri.content.loader import library
from piri.content.models import Source
from piri.domain.answers import AnswerError, Answers, check_value, validate_answers
from piri.domain.evaluation import NO_PATTERN, Evaluation, VignetteOutcome
from piri.domain.exercise_hold import CHECKED_ON
from piri.domain.triage import CheckResult, RaisedFlag, check, raised_flags
from piri.services.diary import LOCAL_PERSON


class InputFileError(ValueError):
    """A file given on the command line that cannot be used; the message names it and why."""


def questionnaire() -> Questionnaire:
    return library().questionnaire


def questionnaire_as_json() -> dict[str, Any]:
    """The questionnaire itself, for other front ends (the web app, a clinician's form)."""
    return questionnaire().model_dump(mode="json", exclude_none=True)


def get_self_test(test_id: str) -> SelfTest:
    from piri.services.library import NotFoundError

    test = questionnaire().self_test(test_id)
    if test is None:
        raise NotFoundError("self-test", test_id, (t.id for t in questionnaire().self_tests))
    return test


def run_check(raw_answers: Mapping[str, Any]) -> CheckResult:
    """Validate answers and evaluate them; raises AnswerError naming every bad answer."""
    answers = validate_answers(questionnaire(), raw_answers)
    return check(answers, library().check_rules)


def urgent_flags_so_far(answers: Answers) -> list[RaisedFlag]:
    """Warning signs that cannot wait for the end of the questionnaire (urgent or emergency)."""
    return [
        flag
        for flag in raised_flags(answers, library().check_rules)
        if flag.urgency in (Urgency.URGENT, Urgency.EMERGENCY)
    ]


def result_as_json(result: CheckResult) -> dict[str, Any]:
    top = result.top_pattern
    return {
        "urgency": result.urgency.value,
        "red_flags": [
            {
                "id": flag.id,
                "urgency": flag.urgency.value,
                "title": flag.title,
                "advice": flag.advice,
                "answers": flag.answers,
            }
            for flag in result.red_flags
        ],
        "top_pattern": top.id if top else None,
        "patterns": [
            {
                "id": p.id,
                "name": p.name,
                "likelihood": p.likelihood.value,
                "score": p.score,
                "reasons": {
                    "for": [asdict(r) for r in p.reasons_for],
                    "against": [asdict(r) for r in p.reasons_against],
                },
                "learn_more": p.learn_more,
            }
            for p in result.patterns
        ],
        "next_steps": result.next_steps,
        "routine": result.routine,
        "phase": result.phase,
        "avoid": result.avoid,
    }


def read_answers_file(path: Path) -> dict[str, Any]:
    """A JSON object of {question_id: answer}; anything else is an InputFileError."""
    data = _read_json(path)
    if not isinstance(data, dict):
        raise InputFileError(f"{path}: expected a JSON object of {{question_id: answer}}")
    return data


def _read_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputFileError(f"{path}: is a folder, not a file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputFileError(f"{path}: cannot be read ({error})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InputFileError(
            f"{path}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None
    except ValueError:  # valid JSON, but a number of more digits than Python reads (4300)
        raise InputFileError(f"{path}: holds a number too long to be an answer") from None


def evaluate_vignettes(directory: Path) -> Evaluation:
    """Run every ``*.json`` vignette in ``directory``; a broken vignette names its file."""
    if not directory.is_dir():
        raise InputFileError(f"{directory}: no such folder")
    files = sorted(directory.glob("*.json"))
    if not files:
        raise InputFileError(f"{directory}: no vignette files (*.json) in this folder")
    outcomes = [_run_vignette(path) for path in files]
    return Evaluation(outcomes)


def _run_vignette(path: Path) -> VignetteOutcome:
    data = _read_json(path)
    if not isinstance(data, dict):
        raise InputFileError(f"{path}: expected a JSON object")
    missing = [k for k in ("answers", "expected_urgency", "expected_pattern") if k not in data]
    if missing:
        raise InputFileError(f"{path}: missing {', '.join(missing)}")
    try:
        expected_urgency = Urgency(data["expected_urgency"])
    except ValueError:
        choices = ", ".join(u.value for u in Urgency)
        raise InputFileError(
            f"{path}: expected_urgency {data['expected_urgency']!r} is not one of {choices}"
        ) from None
    patterns = [p.id for p in library().check_rules.patterns] + [NO_PATTERN]
    if data["expected_pattern"] not in patterns:
        raise InputFileError(
            f"{path}: expected_pattern {data['expected_pattern']!r} is not one of "
            + ", ".join(patterns)
        )
    if not isinstance(data["answers"], dict):
        raise InputFileError(f"{path}: 'answers' must be a JSON object")
    try:
        result = run_check(data["answers"])
    except AnswerError as error:
        raise InputFileError(f"{path}: {'; '.join(error.problems)}") from None
    top = result.top_pattern
    return VignetteOutcome(
        name=path.stem,
        expected_urgency=expected_urgency,
        got_urgency=result.urgency,
        expected_pattern=data["expected_pattern"],
        got_pattern=top.id if top else NO_PATTERN,
    )


def remember_result(result: CheckResult, person: str = LOCAL_PERSON) -> dict[str, Any]:
    """Keep the latest result on the person's profile, where the program can see it."""
    from piri.services.program import save_check_result

    document = {**result_as_json(result), CHECKED_ON: dt.date.today().isoformat()}
    save_check_result(document, person=person)
    return document


def check_answers_so_far(raw_answers: Mapping[str, Any]) -> Answers:
    """Answers to part of the questionnaire (a form on its way), each checked by its question.

    Raises AnswerError for an unknown question or a wrong value; missing answers are fine.
    """
    problems = []
    answers: Answers = {}
    for question_id, value in raw_answers.items():
        question = questionnaire().question(question_id)
        if question is None:
            problems.append(f"'{question_id}': there is no such question")
            continue
        try:
            answers[question_id] = check_value(question, value)
        except ValueError as error:
            problems.append(f"'{question_id}': {error}")
    if problems:
        raise AnswerError(problems)
    return answers


def stop_at_warning(answers: Answers) -> CheckResult:
    """The result of a check ended early because a warning sign cannot wait.

    Only while an urgent or emergency flag is raised: the result is then that urgency, with
    what to do now and no exercises, whatever the questions not yet answered would say.
    """
    if not urgent_flags_so_far(answers):
        raise AnswerError(["the check can end early only when an urgent warning sign is raised"])
    return check(answers, library().check_rules)


@dataclass(frozen=True)
class RuleInfo:
    """What a red flag or pattern of a result rests on: its summary (patterns) and sources."""

    summary: str | None
    sources: list[Source]


def rule_info(rule_ids: Iterable[str]) -> dict[str, RuleInfo]:
    """The summary and sources of each red flag or pattern named in a result."""
    rules = library().check_rules
    known = {flag.id: RuleInfo(None, list(flag.sources)) for flag in rules.red_flags}
    known |= {p.id: RuleInfo(p.summary, list(p.sources)) for p in rules.patterns}
    return {rule_id: known[rule_id] for rule_id in rule_ids if rule_id in known}
