"""The runner's answers to the symptom check: which questions are asked, and what counts as valid.

Pure logic on the questionnaire model: no files, no terminal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from piri.content.check_models import (
    AnswerValue,
    Condition,
    Question,
    Questionnaire,
    QuestionType,
    SelfTest,
)
from piri.domain.values import decimal_number, whole_number

Answers = dict[str, AnswerValue]

YES_WORDS = {"y", "yes", "true"}
NO_WORDS = {"n", "no", "false"}


class AnswerError(ValueError):
    """Answers that do not fit the questionnaire; lists every problem, each naming its question."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


# --- conditions ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    """Whether a condition holds, and the answers that made it hold."""

    holds: bool
    because: tuple[tuple[str, AnswerValue], ...] = ()


def evaluate(condition: Condition, answers: Mapping[str, AnswerValue]) -> Match:
    """Test ``condition`` on ``answers``; an unanswered question never matches a test on it."""
    if condition.question is not None:
        if condition.question not in answers:
            return Match(False)
        value = answers[condition.question]
        if _test(condition, value):
            return Match(True, ((condition.question, value),))
        return Match(False)
    children = [evaluate(child, answers) for child in condition.children()]
    if condition.all is not None:
        if all(child.holds for child in children):
            return Match(True, _joined(children))
        return Match(False)
    if condition.any is not None:
        held = [child for child in children if child.holds]
        return Match(True, _joined(held)) if held else Match(False)
    # none: holds when no child holds; the reasons are the answers that were looked at.
    if any(child.holds for child in children):
        return Match(False)
    looked_at = tuple((q, answers[q]) for q in sorted(condition.questions()) if q in answers)
    return Match(True, looked_at)


def _joined(matches: list[Match]) -> tuple[tuple[str, AnswerValue], ...]:
    seen: dict[str, AnswerValue] = {}
    for match in matches:
        for question, value in match.because:
            seen.setdefault(question, value)
    return tuple(seen.items())


def _test(condition: Condition, value: AnswerValue) -> bool:
    chosen = value if isinstance(value, list) else [value]
    if condition.equals is not None:
        if isinstance(condition.equals, bool) or isinstance(value, bool):
            return value is condition.equals  # true is not 1
        return value == condition.equals
    if condition.includes is not None:
        return condition.includes in chosen
    if condition.includes_any is not None:
        return any(option in chosen for option in condition.includes_any)
    if not _is_number(value):
        return False
    number = float(value)  # type: ignore[arg-type]
    if condition.at_least is not None and number < condition.at_least:
        return False
    return not (condition.at_most is not None and number > condition.at_most)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


# --- which questions are asked ---------------------------------------------------------------


def is_offered(test: SelfTest, answers: Mapping[str, AnswerValue]) -> bool:
    """A self-test is never offered while its ``not_offered_when`` holds."""
    return test.not_offered_when is None or not evaluate(test.not_offered_when, answers).holds


def is_asked(question: Question, questionnaire: Questionnaire, answers: Answers) -> bool:
    if question.show_if is not None and not evaluate(question.show_if, answers).holds:
        return False
    if question.self_test is not None:
        test = questionnaire.self_test(question.self_test)
        return test is not None and is_offered(test, answers)
    return True


def asked_questions(questionnaire: Questionnaire, answers: Answers) -> list[Question]:
    """The questions asked, in order, given the answers so far."""
    return [q for q in questionnaire.questions if is_asked(q, questionnaire, answers)]


# --- validation -----------------------------------------------------------------------------


def validate_answers(questionnaire: Questionnaire, raw: Mapping[str, Any]) -> Answers:
    """Check a whole set of answers (e.g. from a JSON file) and return them typed.

    Raises :class:`AnswerError` naming every unknown question, wrongly typed
    answer and missing required answer. Answers to questions that the other
    answers make irrelevant (a follow-up whose condition does not hold) are
    dropped, as a form would drop them.
    """
    problems: list[str] = []
    answers: Answers = {}
    for question_id, value in raw.items():
        question = questionnaire.question(question_id)
        if question is None:
            problems.append(
                f"'{question_id}': there is no such question{_suggest(question_id, questionnaire)}"
            )
            continue
        try:
            answers[question_id] = check_value(question, value)
        except ValueError as error:
            problems.append(f"'{question_id}': {error}")
    asked = asked_questions(questionnaire, answers)
    for question in asked:
        if (
            question.required
            and question.id not in answers
            and not _problem_for(question.id, problems)
        ):
            problems.append(f"'{question.id}': this question needs an answer ({question.text})")
    if problems:
        raise AnswerError(problems)
    asked_ids = {q.id for q in asked}
    return {qid: value for qid, value in answers.items() if qid in asked_ids}


def _problem_for(question_id: str, problems: list[str]) -> bool:
    return any(problem.startswith(f"'{question_id}'") for problem in problems)


def _suggest(question_id: str, questionnaire: Questionnaire) -> str:
    import difflib

    ids = [q.id for q in questionnaire.questions]
    close = difflib.get_close_matches(question_id, ids, n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def check_value(question: Question, value: Any) -> AnswerValue:
    """One answer, checked against its question's type; the error says what was expected."""
    kind = question.type
    if kind is QuestionType.YES_NO:
        if not isinstance(value, bool):
            raise ValueError(f"expected true or false, got {value!r}")
        return value
    if kind is QuestionType.CHOICE:
        if not isinstance(value, str) or value not in question.option_ids():
            raise ValueError(f"expected one of {_options(question)}, got {value!r}")
        return value
    if kind in (QuestionType.MULTI_CHOICE, QuestionType.BODY_LOCATION):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError(f"expected a list of options from {_options(question)}, got {value!r}")
        unknown = [v for v in value if v not in question.option_ids()]
        if unknown:
            raise ValueError(f"{unknown} not among the options {_options(question)}")
        return list(dict.fromkeys(value))
    if kind is QuestionType.PAIN_SCALE:
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 10:
            raise ValueError(f"expected a whole number from 0 to 10, got {value!r}")
        return value
    # NUMBER
    if not _is_number(value):
        raise ValueError(f"expected a number, got {value!r}")
    low, high = question.minimum, question.maximum
    assert low is not None and high is not None  # checked when the questionnaire loads
    if not low <= value <= high:
        unit = f" {question.unit}" if question.unit else ""
        raise ValueError(f"expected a number from {low:g} to {high:g}{unit}, got {value!r}")
    return value  # type: ignore[no-any-return]


def _options(question: Question) -> str:
    return ", ".join(question.option_ids())


# --- typed answers in a terminal ---------------------------------------------------------------


def parse_typed_answer(question: Question, text: str) -> AnswerValue:
    """Turn what someone typed into an answer: 'y'/'n', an option number, '1,3', a number."""
    typed = text.strip().lower()
    kind = question.type
    if kind is QuestionType.YES_NO:
        if typed in YES_WORDS:
            return True
        if typed in NO_WORDS:
            return False
        raise ValueError("answer y or n")
    if kind is QuestionType.CHOICE:
        return question.option_ids()[_option_number(question, typed) - 1]
    if kind in (QuestionType.MULTI_CHOICE, QuestionType.BODY_LOCATION):
        if typed in ("0", "none"):
            return []
        parts = [p for p in typed.replace(" ", ",").split(",") if p]
        if not parts:
            raise ValueError("type the numbers of your choices, such as 1,3, or 0 for none")
        ids = question.option_ids()
        return list(dict.fromkeys(ids[_option_number(question, p) - 1] for p in parts))
    number = decimal_number(typed)
    if number is None:
        raise ValueError(f"'{text.strip()}' is not a number")
    value: AnswerValue = int(number) if number.is_integer() else number
    return check_value(question, value)


def _option_number(question: Question, typed: str) -> int:
    count = len(question.options)
    number = whole_number(typed)
    if number is None or not 1 <= number <= count:
        raise ValueError(f"type a number from 1 to {count}")
    return number
