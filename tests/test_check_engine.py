"""The symptom check's engine: conditions, answer validation, red flags, patterns, next steps."""

from __future__ import annotations

import pytest

from piri.content.check_models import Condition, Likelihood, Urgency
from piri.content.loader import load_library
from piri.domain.answers import (
    AnswerError,
    asked_questions,
    evaluate,
    parse_typed_answer,
    validate_answers,
)
from piri.domain.triage import ACTION_NOW, CheckResult, check
from tests.check_answers import typical_piriformis

CONTENT = load_library()
QUESTIONNAIRE = CONTENT.questionnaire
RULES = CONTENT.check_rules


def run(**changes: object) -> CheckResult:
    return check(validate_answers(QUESTIONNAIRE, typical_piriformis(**changes)), RULES)


# --- conditions -------------------------------------------------------------------------------


def cond(**fields: object) -> Condition:
    return Condition.model_validate(fields)


def test_a_test_on_an_unanswered_question_never_matches() -> None:
    assert not evaluate(cond(question="age", at_least=10), {}).holds
    assert not evaluate(cond(question="tingling", equals=False), {}).holds


def test_all_any_and_none_combine_and_name_the_answers_that_matched() -> None:
    answers = {"age": 60, "tingling": True, "pain_location": ["groin", "outer_hip"]}
    both = cond(all=[{"question": "age", "at_least": 50}, {"question": "tingling", "equals": True}])
    assert evaluate(both, answers).because == (("age", 60), ("tingling", True))
    either = cond(
        any=[
            {"question": "age", "at_most": 20},
            {"question": "pain_location", "includes": "groin"},
        ]
    )
    assert evaluate(either, answers).because == (("pain_location", ["groin", "outer_hip"]),)
    neither = cond(none=[{"question": "tingling", "equals": False}])
    assert evaluate(neither, answers).holds
    assert not evaluate(cond(none=[{"question": "age", "at_least": 50}]), answers).holds


def test_true_is_not_the_number_one() -> None:
    assert not evaluate(cond(question="age", equals=1), {"age": True}).holds
    assert not evaluate(cond(question="tingling", equals=True), {"tingling": 1}).holds


def test_a_condition_with_two_tests_or_none_is_refused() -> None:
    with pytest.raises(ValueError, match="more than one test"):
        cond(question="age", equals=3, includes="x")
    with pytest.raises(ValueError, match="needs a test"):
        cond(question="age")
    with pytest.raises(ValueError, match="either 'question'"):
        cond(all=[], any=[])


# --- answers ----------------------------------------------------------------------------------


def test_every_problem_in_a_set_of_answers_is_named() -> None:
    raw = typical_piriformis(age="thirty", course="bad", pain_location="deep_buttock")
    raw["agee"] = 30
    del raw["saddle_numbness"]
    with pytest.raises(AnswerError) as caught:
        validate_answers(QUESTIONNAIRE, raw)
    problems = "\n".join(caught.value.problems)
    assert "'age': expected a number" in problems
    assert "'course': expected one of better, same, worse, got 'bad'" in problems
    assert "'pain_location': expected a list of options" in problems
    assert "'agee': there is no such question; did you mean 'age'?" in problems
    assert "'saddle_numbness': this question needs an answer" in problems


def test_numbers_out_of_range_and_pain_above_ten_are_refused() -> None:
    with pytest.raises(AnswerError, match=r"'age': expected a number from 10 to 100 years"):
        validate_answers(QUESTIONNAIRE, typical_piriformis(age=140))
    with pytest.raises(AnswerError, match=r"'worst_pain': expected a whole number from 0 to 10"):
        validate_answers(QUESTIONNAIRE, typical_piriformis(worst_pain=11))


def test_a_follow_up_is_asked_only_when_it_matters_and_dropped_when_it_does_not() -> None:
    sitting = typical_piriformis()
    assert "sitting_minutes" in {q.id for q in asked_questions(QUESTIONNAIRE, sitting)}
    not_sitting = typical_piriformis(provoked_by=["running"])
    assert "sitting_minutes" not in {q.id for q in asked_questions(QUESTIONNAIRE, not_sitting)}
    assert "sitting_minutes" not in validate_answers(QUESTIONNAIRE, not_sitting)


def test_the_single_leg_stance_test_is_not_offered_when_bone_stress_is_possible() -> None:
    asked = {q.id for q in asked_questions(QUESTIONNAIRE, typical_piriformis())}
    assert "test_single_leg_stance" in asked
    for risky in (
        {"pain_standing_on_one_leg": True},
        {"pain_when_walking": True},
        {"pain_location": ["groin"]},
    ):
        answers = typical_piriformis(**risky)
        assert "test_single_leg_stance" not in {
            q.id for q in asked_questions(QUESTIONNAIRE, answers)
        }, risky


def test_no_self_test_asks_anyone_to_hop() -> None:
    for test in QUESTIONNAIRE.self_tests:
        assert "hop" not in " ".join(test.steps).lower(), test.id


def test_typed_answers_become_typed_values() -> None:
    q = QUESTIONNAIRE.question
    assert parse_typed_answer(q("tingling"), "Y") is True  # type: ignore[arg-type]
    assert parse_typed_answer(q("course"), "3") == "worse"  # type: ignore[arg-type]
    assert parse_typed_answer(q("pain_location"), "1, 6") == [  # type: ignore[arg-type]
        "deep_buttock",
        "groin",
    ]
    assert parse_typed_answer(q("provoked_by"), "0") == []  # type: ignore[arg-type]
    assert parse_typed_answer(q("age"), "42") == 42  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="from 1 to 3"):
        parse_typed_answer(q("course"), "7")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="is not a number"):
        parse_typed_answer(q("age"), "forty")  # type: ignore[arg-type]


@pytest.mark.parametrize("typed", ["²", "٣", "9" * 10_000, "\x00"])
def test_a_typed_option_number_is_read_from_ascii_digits_only(typed: str) -> None:
    # str.isdigit takes '²' (int() refused it with its own message) and '٣' (read as 3).
    question = QUESTIONNAIRE.question("course")
    assert question is not None
    with pytest.raises(ValueError, match=r"^type a number from 1 to 3$"):
        parse_typed_answer(question, typed)


@pytest.mark.parametrize("typed", ["²", "٣", "1e400", "nan", "inf", "1_0", "9" * 10_000])
def test_a_typed_number_is_finite_and_ascii(typed: str) -> None:
    question = QUESTIONNAIRE.question("age")
    assert question is not None
    with pytest.raises(ValueError, match="is not a number"):
        parse_typed_answer(question, typed)


# --- red flags and patterns ---------------------------------------------------------------------


def test_a_typical_story_is_self_care_with_the_relief_routine() -> None:
    result = run()
    assert result.urgency is Urgency.SELF_CARE
    assert result.top_pattern.id == "deep-gluteal-syndrome"
    assert result.routine == "relief"
    assert result.phase == "settle"
    assert not result.red_flags


def test_a_red_flag_hidden_in_a_typical_story_still_wins_and_names_its_answer() -> None:
    result = run(saddle_numbness=True)
    assert result.urgency is Urgency.EMERGENCY
    flag = result.red_flags[0]
    assert flag.id == "saddle-numbness"
    assert flag.answers == {"saddle_numbness": True}
    assert result.next_steps[0] == ACTION_NOW[Urgency.EMERGENCY]


@pytest.mark.parametrize(
    ("changes", "urgency"),
    [
        ({"leg_weakness": "worse_over_hours"}, Urgency.EMERGENCY),
        ({"leg_weakness": "worse_over_days"}, Urgency.URGENT),
        ({"fever_or_unwell": True}, Urgency.URGENT),
        ({"pain_location": ["groin"], "pain_at_night": True}, Urgency.URGENT),
        ({"cancer_history": True}, Urgency.SOON),
        ({"age": 55, "weeks_since_start": 2}, Urgency.SOON),
        ({"age": 55, "weeks_since_start": 40, "course": "better"}, Urgency.SELF_CARE),
        ({"weeks_since_start": 8, "course": "same"}, Urgency.SOON),
        ({"weeks_since_start": 8, "course": "better"}, Urgency.SELF_CARE),
    ],
)
def test_each_answer_sets_its_urgency(changes: dict[str, object], urgency: Urgency) -> None:
    assert run(**changes).urgency is urgency


def test_the_most_urgent_flag_decides_and_all_are_listed() -> None:
    result = run(cancer_history=True, fever_or_unwell=True, both_legs=True)
    assert result.urgency is Urgency.EMERGENCY
    assert [f.urgency for f in result.red_flags] == [
        Urgency.EMERGENCY,
        Urgency.URGENT,
        Urgency.SOON,
    ]


def test_an_urgent_or_emergency_result_never_offers_exercises() -> None:
    for changes in ({"both_legs": True}, {"fever_or_unwell": True}):
        result = run(**changes)
        assert result.routine is None
        assert result.phase is None
        assert "session" not in " ".join(result.next_steps)


def test_a_fitting_bone_stress_pattern_makes_it_soon_and_stops_running() -> None:
    result = run(
        recent_jump_in_training=True,
        pain_when_walking=True,
        pain_at_night=True,
        provoked_by=["running", "walking"],
        tingling=False,
        previous_bone_stress_injury="elsewhere",
    )
    assert result.urgency.rank >= Urgency.SOON.rank
    assert result.routine is None
    assert any("Stop running" in step for step in result.next_steps)


def test_clues_against_lower_a_pattern_and_are_listed() -> None:
    result = run(back_pain_with_it=True, provoked_by=["sitting", "cough_sneeze"])
    dgs = next(p for p in result.patterns if p.id == "deep-gluteal-syndrome")
    assert {r.reason for r in dgs.reasons_against} >= {
        "the low back hurts too",
        "coughing or sneezing makes it worse",
    }
    assert dgs.likelihood is not Likelihood.LIKELY


def test_no_pattern_fits_when_nothing_points_anywhere() -> None:
    result = run(
        pain_location=["low_back"],
        provoked_by=[],
        leg_symptoms_reach="none",
        tingling=False,
    )
    assert result.top_pattern is None
    assert result.urgency is Urgency.SELF_CARE
