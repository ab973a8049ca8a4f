"""Typed models for the symptom check: the questionnaire, the self-tests and the rules.

The rules are data: a red flag or a pattern says *when* it applies as a
:class:`Condition` on the answers, and carries the sources it rests on.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Self

from pydantic import Field, StringConstraints, model_validator

from piri.content.models import ContentModel, Phase, Slug, Sources, Text

# Question and option ids are the keys of a JSON answers file, so snake_case.
QuestionId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
AnswerValue = bool | int | float | str | list[str]


class Urgency(StrEnum):
    """How soon to see a professional, least urgent first."""

    SELF_CARE = "self_care"
    SOON = "soon"  # book an appointment within days
    URGENT = "urgent"  # get seen the same day
    EMERGENCY = "emergency"  # go to an emergency department now

    @property
    def rank(self) -> int:
        return list(Urgency).index(self)


class Likelihood(StrEnum):
    LIKELY = "likely"
    POSSIBLE = "possible"
    UNLIKELY = "unlikely"


class QuestionType(StrEnum):
    YES_NO = "yes_no"
    CHOICE = "choice"  # exactly one option
    MULTI_CHOICE = "multi_choice"  # any number of options, none included
    NUMBER = "number"
    BODY_LOCATION = "body_location"  # any number of body areas, drawn as a body map
    PAIN_SCALE = "pain_scale"  # a whole number from 0 (no pain) to 10 (worst imaginable)


class Condition(ContentModel):
    """A test on the answers.

    Either a test on one question (``question`` with one of ``equals``,
    ``includes``, ``includes_any``, or ``at_least``/``at_most``), or a
    combination: ``all``, ``any``, ``none``. An unanswered question never
    matches a test on it.
    """

    question: QuestionId | None = None
    equals: bool | int | float | str | None = None
    includes: str | None = None
    includes_any: list[str] | None = None
    at_least: float | None = None
    at_most: float | None = None
    all: list[Condition] | None = None
    any: list[Condition] | None = None
    none: list[Condition] | None = None

    @model_validator(mode="after")
    def _one_kind_of_test(self) -> Self:
        combos = [name for name in ("all", "any", "none") if getattr(self, name) is not None]
        tests = [
            name
            for name in ("equals", "includes", "includes_any", "at_least", "at_most")
            if getattr(self, name) is not None
        ]
        if self.question is None:
            if len(combos) != 1 or tests:
                raise ValueError(
                    "a condition needs either 'question' with one test, "
                    "or exactly one of 'all', 'any', 'none'"
                )
            return self
        if combos:
            raise ValueError("a condition on a question cannot also have 'all', 'any' or 'none'")
        if not tests:
            raise ValueError(
                f"the condition on '{self.question}' needs a test: "
                "'equals', 'includes', 'includes_any', 'at_least' or 'at_most'"
            )
        if len(tests) > 1 and set(tests) != {"at_least", "at_most"}:
            raise ValueError(f"the condition on '{self.question}' has more than one test: {tests}")
        return self

    def questions(self) -> set[str]:
        """Every question id this condition looks at."""
        if self.question is not None:
            return {self.question}
        found: set[str] = set()
        for child in self.children():
            found |= child.questions()
        return found

    def children(self) -> list[Condition]:
        return [*(self.all or []), *(self.any or []), *(self.none or [])]


class Option(ContentModel):
    id: QuestionId
    label: Text


class Question(ContentModel):
    id: QuestionId
    # The part of the questionnaire it belongs to; the order of the file is the order asked.
    part: Text
    text: Text
    help: Text | None = None
    type: QuestionType
    options: list[Option] = Field(default_factory=list)
    minimum: float | None = None
    maximum: float | None = None
    unit: Text | None = None
    required: bool = True
    # Asked only when this holds; a question without it is always asked.
    show_if: Condition | None = None
    # The guided self-test this question records the result of.
    self_test: Slug | None = None

    @model_validator(mode="after")
    def _options_fit_the_type(self) -> Self:
        listed = self.type in (
            QuestionType.CHOICE,
            QuestionType.MULTI_CHOICE,
            QuestionType.BODY_LOCATION,
        )
        if listed and len(self.options) < 2:
            raise ValueError(f"a {self.type.value} question needs at least two options")
        if not listed and self.options:
            raise ValueError(f"a {self.type.value} question takes no options")
        ids = [option.id for option in self.options]
        if len(set(ids)) != len(ids):
            raise ValueError(f"option ids repeat: {ids}")
        if self.type is QuestionType.NUMBER and (self.minimum is None or self.maximum is None):
            raise ValueError("a number question needs 'minimum' and 'maximum'")
        return self

    def option_ids(self) -> list[str]:
        return [option.id for option in self.options]


class SelfTest(ContentModel):
    """A movement a person can safely try at home that may reproduce their pain."""

    id: Slug
    name: Text
    purpose: Text
    steps: Annotated[list[Text], Field(min_length=2)]
    stop_if: Text  # its picture is the figure file with the same id
    # Never offered while this holds (e.g. no hopping before bone stress is screened out).
    not_offered_when: Condition | None = None
    sources: Sources


class Questionnaire(ContentModel):
    questions: Annotated[list[Question], Field(min_length=1)]
    self_tests: list[SelfTest] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references_resolve(self) -> Self:
        seen: dict[str, Question] = {}
        tests = {test.id for test in self.self_tests}
        for question in self.questions:
            if question.id in seen:
                raise ValueError(f"question id '{question.id}' is used twice")
            if question.show_if is not None:
                _check_condition(question.show_if, seen, f"question '{question.id}' show_if")
            if question.self_test is not None and question.self_test not in tests:
                raise ValueError(
                    f"question '{question.id}': no self-test with id '{question.self_test}'"
                )
            seen[question.id] = question
        for test in self.self_tests:
            if test.not_offered_when is not None:
                _check_condition(test.not_offered_when, seen, f"self-test '{test.id}'")
        return self

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def self_test(self, test_id: str) -> SelfTest | None:
        return next((t for t in self.self_tests if t.id == test_id), None)


def _check_condition(condition: Condition, questions: dict[str, Question], where: str) -> None:
    """A condition may only look at questions asked before, with values they can take."""
    if condition.question is None:
        for child in condition.children():
            _check_condition(child, questions, where)
        return
    question = questions.get(condition.question)
    if question is None:
        raise ValueError(f"{where}: no earlier question with id '{condition.question}'")
    values = [condition.includes, *(condition.includes_any or [])]
    if isinstance(condition.equals, str):
        values.append(condition.equals)
    for value in values:
        if value is not None and value not in question.option_ids():
            raise ValueError(
                f"{where}: '{value}' is not an option of '{question.id}' "
                f"(options: {', '.join(question.option_ids())})"
            )


class RedFlag(ContentModel):
    """A warning sign: when it holds, the result is at least ``urgency``."""

    id: Slug
    urgency: Urgency
    title: Text  # what the sign is, in a few words
    advice: Text  # what to do now; starts with the action
    when: Condition
    sources: Sources

    @model_validator(mode="after")
    def _not_self_care(self) -> Self:
        if self.urgency is Urgency.SELF_CARE:
            raise ValueError("a red flag needs an urgency above self_care")
        return self


class Clue(ContentModel):
    """One answer pattern that speaks for or against a pain pattern."""

    when: Condition
    weight: Annotated[int, Field(ge=1, le=5)]
    reason: Text


class NextSteps(ContentModel):
    do: Text  # the first thing to do
    routine: Slug | None = None  # the guided session that fits, if any
    phase: Phase | None = None  # the program phase to start in
    avoid: list[Text] = Field(default_factory=list)
    see: Text  # whom to see and when


class Pattern(ContentModel):
    """A buttock-pain pattern, scored by the clues that fit and those that do not."""

    id: Slug
    name: Text
    summary: Text
    clues_for: Annotated[list[Clue], Field(min_length=1)]
    clues_against: list[Clue] = Field(default_factory=list)
    likely_from: int
    possible_from: int
    next_steps: NextSteps
    learn_more: Slug | None = None  # a knowledge-base section
    # When the pattern fits (likely or possible), the result is at least this urgent.
    urgency_if_it_fits: Urgency | None = None
    sources: Sources

    @model_validator(mode="after")
    def _bands_in_order(self) -> Self:
        if not 0 < self.possible_from < self.likely_from:
            raise ValueError("need 0 < possible_from < likely_from")
        return self


class CheckRules(ContentModel):
    red_flags: Annotated[list[RedFlag], Field(min_length=1)]
    # In order of priority: when two patterns score the same, the earlier one is named first.
    patterns: Annotated[list[Pattern], Field(min_length=1)]

    def conditions(self) -> list[tuple[str, Condition]]:
        """Every condition in the rules, with where it is (for cross-checks)."""
        found = [(f"red flag '{flag.id}'", flag.when) for flag in self.red_flags]
        for pattern in self.patterns:
            for index, clue in enumerate(pattern.clues_for, start=1):
                found.append((f"pattern '{pattern.id}' clues_for[{index}]", clue.when))
            for index, clue in enumerate(pattern.clues_against, start=1):
                found.append((f"pattern '{pattern.id}' clues_against[{index}]", clue.when))
        return found


def check_rule_conditions(rules: CheckRules, questionnaire: Questionnaire) -> list[str]:
    """Problems with conditions that name unknown questions or options."""
    questions = {q.id: q for q in questionnaire.questions}
    problems = []
    for where, condition in rules.conditions():
        try:
            _check_condition(condition, questions, where)
        except ValueError as error:
            problems.append(str(error).replace("no earlier question", "no question"))
    return problems
