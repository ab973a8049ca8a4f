"""Pages: the symptom check, one question at a time, and its result.

The questions come from the same questionnaire as ``piri check --questions`` and are walked
as the terminal walks them (:mod:`piri.cli.check`): only the questions the answers so far
make relevant, optional ones can be skipped, Back undoes the last answer, and a warning sign
that cannot wait is shown the moment it is answered. The answers so far travel in the form
(a hidden JSON field), so nothing is stored until the end. Every step is a plain POST that
works without JavaScript; htmx swaps only the question card when it is there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from piri import __version__
from piri.content.check_models import AnswerValue, Likelihood, Question, QuestionType, SelfTest
from piri.content.loader import library
from piri.content.models import Phase
from piri.domain.answers import AnswerError, Answers, asked_questions, check_value
from piri.domain.triage import RaisedFlag
from piri.domain.values import decimal_number, whole_number
from piri.services import check as check_service
from piri.services.figures import Picture, figure_pictures
from piri.services.program import get_profile
from piri.web.identity import page_person
from piri.web.pages.home import URGENT, onboarding
from piri.web.templating import error_page, render

router = APIRouter()

NONE_OF_THESE = "_none"
URGENCY_LABELS = {
    "emergency": "Emergency",
    "urgent": "Get seen today",
    "soon": "Within days",
    "self_care": "Self-care",
}
LIKELIHOOD_LABELS = {"likely": "Likely", "possible": "Possible", "unlikely": "Unlikely"}
LOST_STATE = (
    "Your answers so far could not be read (the page may be too old), so the check starts "
    "again from the first question."
)


class StateError(ValueError):
    """The hidden answers field was changed or is from an older questionnaire."""


@dataclass
class Progress:
    """The walk through the questionnaire so far: answers, and the questions passed in order."""

    answers: Answers = field(default_factory=dict)
    history: list[str] = field(default_factory=list)  # answered or skipped, in order
    warned: list[str] = field(default_factory=list)  # warning signs already shown

    def as_json(self) -> str:
        return json.dumps(
            {"answers": self.answers, "history": self.history, "warned": self.warned},
            separators=(",", ":"),
        )

    def pending(self) -> list[Question]:
        asked = asked_questions(check_service.questionnaire(), self.answers)
        return [q for q in asked if q.id not in self.history]

    def final_answers(self) -> Answers:
        return {qid: self.answers[qid] for qid in self.history if qid in self.answers}


def read_progress(text: str | None) -> Progress:
    if not text:
        return Progress()
    try:
        data = json.loads(text)
    except ValueError:  # not JSON, or a number longer than int() reads
        raise StateError("not JSON") from None
    if not isinstance(data, dict):
        raise StateError("not an object")
    answers, history, warned = data.get("answers", {}), data.get("history", []), data.get("warned")
    if not isinstance(answers, dict) or not isinstance(history, list):
        raise StateError("wrong shape")
    if not all(isinstance(q, str) for q in history) or len(set(history)) != len(history):
        raise StateError("wrong history")
    if not set(answers) <= set(history):
        raise StateError("answers outside the history")
    questionnaire = check_service.questionnaire()
    if any(questionnaire.question(q) is None for q in history):
        raise StateError("unknown question")
    try:
        checked = check_service.check_answers_so_far(answers)
    except AnswerError:
        raise StateError("wrong answers") from None
    warned_ids = [w for w in warned or [] if isinstance(w, str)]
    return Progress(answers=checked, history=list(history), warned=warned_ids)


# --- the pages -------------------------------------------------------------------------------


@router.get("/check")
def start(request: Request, person: str = Depends(page_person)) -> Response:
    progress = Progress()
    return _question_page(request, person, progress, progress.pending()[0])


@router.post("/check")
async def answer(request: Request, person: str = Depends(page_person)) -> Response:
    form = await request.form()
    action = _text(form, "action") or "next"
    try:
        progress = read_progress(_text(form, "state"))
    except StateError:
        progress = Progress()
        return _question_page(
            request, person, progress, progress.pending()[0], notice=LOST_STATE, status=422
        )
    pending = progress.pending()
    if action == "back":
        return _back(request, person, progress)
    if action == "finish":
        if check_service.urgent_flags_so_far(progress.answers):
            result = check_service.stop_at_warning(progress.final_answers())
            check_service.remember_result(result, person)
            return _to_result(request)
        action = "next"
    if not pending:
        return _finish(request, person, progress)
    question = pending[0]
    if _text(form, "question") != question.id:
        # An old page (a second tab, the browser's back): show where the answers really are.
        return _question_page(request, person, progress, question)
    if action == "skip":
        if question.required:
            message = "This question needs an answer; it cannot be skipped."
            return _question_page(
                request, person, progress, question, {"answer": message}, _kept(form), 422
            )
    else:
        try:
            value = parse_answer(question, form)
        except ValueError as error:
            return _question_page(
                request, person, progress, question, {"answer": str(error)}, _kept(form), 422
            )
        if value is not None:
            progress.answers[question.id] = value
    progress.history.append(question.id)
    new_flags = [
        flag
        for flag in check_service.urgent_flags_so_far(progress.answers)
        if flag.id not in progress.warned
    ]
    progress.warned.extend(flag.id for flag in new_flags)
    pending = progress.pending()
    if not pending:
        return _finish(request, person, progress)
    return _question_page(request, person, progress, pending[0], new_flags=new_flags)


@router.get("/check/result")
def result_page(request: Request, person: str = Depends(page_person)) -> Response:
    _profile, _phase, last_check = get_profile(person)
    if not isinstance(last_check, dict):
        return render(request, "check/no_result.html", title="No check result yet")
    state = onboarding(person)
    urgent = last_check.get("urgency") in URGENT
    return render(
        request,
        "check/result.html",
        title="Your check result" if not urgent else "Get help now",
        result=last_check,
        urgent=urgent,
        view=result_view(last_check),
        state=state,
    )


def _back(request: Request, person: str, progress: Progress) -> Response:
    if not progress.history:
        return _question_page(request, person, progress, progress.pending()[0])
    question_id = progress.history.pop()
    previous = progress.answers.pop(question_id, None)
    question = check_service.questionnaire().question(question_id)
    assert question is not None  # read_progress checked every id
    progress.warned = [
        w
        for w in progress.warned
        if w in _flag_ids(check_service.urgent_flags_so_far(progress.answers))
    ]
    return _question_page(request, person, progress, question, value=form_value(question, previous))


def _finish(request: Request, person: str, progress: Progress) -> Response:
    try:
        result = check_service.run_check(progress.final_answers())
    except AnswerError as error:
        # Cannot happen when every answer went through parse_answer; say what is wrong if it does.
        return error_page(
            request,
            422,
            "Those answers do not fit",
            " ".join(error.problems),
        )
    check_service.remember_result(result, person)
    return _to_result(request)


def _to_result(request: Request) -> Response:
    if request.headers.get("hx-request") == "true":
        return Response(status_code=200, headers={"HX-Redirect": "/check/result"})
    return RedirectResponse("/check/result", status_code=303)


def _question_page(
    request: Request,
    person: str,
    progress: Progress,
    question: Question,
    errors: dict[str, str] | None = None,
    value: Any = None,
    status: int = 200,
    new_flags: list[RaisedFlag] | None = None,
    notice: str | None = None,
) -> Response:
    pending = progress.pending()
    position = len(progress.history) + 1
    total = len(progress.history) + max(len(pending), 1)
    flags = check_service.urgent_flags_so_far(progress.answers)
    new_ids = _flag_ids(new_flags or [])
    test = (
        check_service.questionnaire().self_test(question.self_test) if question.self_test else None
    )
    is_htmx = request.headers.get("hx-request") == "true"
    context = {
        "question": question,
        "progress": progress,
        "state_json": progress.as_json(),
        "position": position,
        "total": total,
        "errors": errors or {},
        "value": value,
        "flags": flags,
        "new_flag_ids": new_ids,
        "self_test": test,
        "figures": _figures(test) if test else [],
        "version": __version__,
        "notice": notice,
        "onboarding": onboarding(person) if position == 1 else None,
        "none_of_these": NONE_OF_THESE,
        "hint": answer_hint(question),
    }
    template = "check/_card.html" if is_htmx else "check/question.html"
    return render(request, template, status, title="Symptom check", **context)


def _figures(test: SelfTest) -> list[Picture]:
    try:
        return list(figure_pictures(test.id))
    except (LookupError, ValueError, OSError):
        return []


def _flag_ids(flags: list[RaisedFlag]) -> set[str]:
    return {flag.id for flag in flags}


def _text(form: FormData, name: str) -> str | None:
    value = form.get(name)
    return value if isinstance(value, str) else None


def _kept(form: FormData) -> Any:
    """What was sent for the answer, to show again next to the message."""
    values = [v for v in form.getlist("answer") if isinstance(v, str)]
    if len(values) > 1:
        return values
    return values[0] if values else None


# --- answers from the form -------------------------------------------------------------------


def answer_hint(question: Question) -> str:
    kind = question.type
    if kind is QuestionType.NUMBER:
        assert question.minimum is not None and question.maximum is not None
        unit = f" {question.unit}" if question.unit else ""
        return f"A number from {question.minimum:g} to {question.maximum:g}{unit}."
    if kind in (QuestionType.MULTI_CHOICE, QuestionType.BODY_LOCATION):
        return "Choose all that apply, or “None of these”."
    return ""


def parse_answer(question: Question, form: FormData) -> AnswerValue | None:
    """The answer sent for ``question``; None when an optional one was left empty.

    Raises ValueError with a message that says what is wrong and what is allowed.
    """
    values = [v.strip() for v in form.getlist("answer") if isinstance(v, str) and v.strip()]
    kind = question.type
    if not values:
        if not question.required:
            return None
        return _missing(question)
    if kind is QuestionType.YES_NO:
        if values[0] not in ("yes", "no"):
            raise ValueError("Choose Yes or No.")
        return values[0] == "yes"
    if kind is QuestionType.CHOICE:
        if values[0] not in question.option_ids():
            raise ValueError("Choose one of the answers listed.")
        return values[0]
    if kind in (QuestionType.MULTI_CHOICE, QuestionType.BODY_LOCATION):
        if NONE_OF_THESE in values:
            if len(values) > 1:
                raise ValueError(
                    "You chose “None of these” and other answers: choose one or the other."
                )
            return []
        try:
            return check_value(question, values)
        except ValueError:
            raise ValueError("Choose among the answers listed.") from None
    if kind is QuestionType.PAIN_SCALE:
        pain = whole_number(values[0])
        if pain is None or not 0 <= pain <= 10:
            raise ValueError("Choose a number from 0 to 10.")
        return pain
    return _number(question, values[0])


def _missing(question: Question) -> AnswerValue:
    kind = question.type
    if kind is QuestionType.YES_NO:
        raise ValueError("This question needs an answer: choose Yes or No.")
    if kind is QuestionType.CHOICE:
        raise ValueError("This question needs an answer: choose one of the answers.")
    if kind in (QuestionType.MULTI_CHOICE, QuestionType.BODY_LOCATION):
        raise ValueError("This question needs an answer: choose at least one, or “None of these”.")
    if kind is QuestionType.PAIN_SCALE:
        raise ValueError("This question needs an answer: choose a number from 0 to 10.")
    raise ValueError(f"This question needs an answer: type {_range(question)}.")


def _number(question: Question, typed: str) -> AnswerValue:
    number = decimal_number(typed.replace(",", "."))  # a decimal comma, as many people type it
    if number is None:
        raise ValueError(f"“{_short(typed)}” is not a number: type {_range(question)}.")
    value: AnswerValue = int(number) if number.is_integer() else number
    try:
        return check_value(question, value)
    except ValueError:
        raise ValueError(
            f"{typed} is outside what this question takes: type {_range(question)}."
        ) from None


def _short(typed: str) -> str:
    """What was typed, cut short when it is too long to repeat in a message."""
    return typed if len(typed) <= 40 else typed[:40] + "…"


def _range(question: Question) -> str:
    unit = f" {question.unit}" if question.unit else ""
    assert question.minimum is not None and question.maximum is not None
    return f"a number from {question.minimum:g} to {question.maximum:g}{unit}"


def form_value(question: Question, answer: AnswerValue | None) -> Any:
    """A stored answer as the form shows it (to go back to a question with its answer)."""
    if answer is None:
        return None
    if isinstance(answer, bool):
        return "yes" if answer else "no"
    if isinstance(answer, list):
        return answer or [NONE_OF_THESE]
    if isinstance(answer, float):
        return f"{answer:g}"
    return str(answer)


# --- the result as a page shows it -----------------------------------------------------------


@dataclass(frozen=True)
class AnswerShown:
    question: str
    answer: str


@dataclass(frozen=True)
class FlagShown:
    id: str
    urgency: str
    title: str
    advice: str
    because: list[AnswerShown]
    sources: list[Any]


@dataclass(frozen=True)
class ReasonShown:
    reason: str
    because: list[AnswerShown]


@dataclass(frozen=True)
class PatternShown:
    id: str
    name: str
    likelihood: str
    summary: str | None
    reasons_for: list[ReasonShown]
    reasons_against: list[ReasonShown]
    learn_more: str | None
    sources: list[Any]


@dataclass(frozen=True)
class ResultView:
    urgency_label: str
    flags: list[FlagShown]
    patterns: list[PatternShown]  # those the answers resemble at all
    others: list[str]  # names of the patterns that did not fit
    routine: tuple[str, str] | None  # (id, name)
    phase: tuple[str, str] | None


def result_view(result: dict[str, Any]) -> ResultView:
    """The stored result (``result_as_json``) with question texts, option labels and sources."""
    flags = [f for f in result.get("red_flags", []) if isinstance(f, dict)]
    patterns = [p for p in result.get("patterns", []) if isinstance(p, dict)]
    info = check_service.rule_info([str(x.get("id")) for x in [*flags, *patterns]])
    shown_flags = [
        FlagShown(
            id=str(flag.get("id")),
            urgency=str(flag.get("urgency")),
            title=str(flag.get("title", "")),
            advice=str(flag.get("advice", "")),
            because=describe_answers(flag.get("answers", {})),
            sources=info[flag["id"]].sources if flag.get("id") in info else [],
        )
        for flag in flags
    ]
    shown, others = [], []
    for pattern in patterns:
        reasons = pattern.get("reasons", {})
        reasons_for = [_reason(r) for r in reasons.get("for", [])]
        if pattern.get("likelihood") == Likelihood.UNLIKELY.value and not reasons_for:
            others.append(str(pattern.get("name", "")))
            continue
        rule = info.get(str(pattern.get("id")))
        shown.append(
            PatternShown(
                id=str(pattern.get("id")),
                name=str(pattern.get("name", "")),
                likelihood=LIKELIHOOD_LABELS.get(str(pattern.get("likelihood")), "?"),
                summary=rule.summary if rule else None,
                reasons_for=reasons_for,
                reasons_against=[_reason(r) for r in reasons.get("against", [])],
                learn_more=pattern.get("learn_more"),
                sources=rule.sources if rule else [],
            )
        )
    return ResultView(
        urgency_label=URGENCY_LABELS.get(str(result.get("urgency")), str(result.get("urgency"))),
        flags=shown_flags,
        patterns=shown,
        others=others,
        routine=_routine(result.get("routine")),
        phase=_phase(result.get("phase")),
    )


def _reason(raw: Any) -> ReasonShown:
    if not isinstance(raw, dict):
        return ReasonShown(str(raw), [])
    return ReasonShown(str(raw.get("reason", "")), describe_answers(raw.get("answers", {})))


def _routine(routine_id: Any) -> tuple[str, str] | None:
    if not isinstance(routine_id, str):
        return None
    routine = library().routines.get(routine_id)
    return (routine_id, routine.name if routine else routine_id)


def _phase(phase_id: Any) -> tuple[str, str] | None:
    if not isinstance(phase_id, str):
        return None
    try:
        return (phase_id, library().program.phase(Phase(phase_id)).name)
    except (ValueError, LookupError):
        return (phase_id, phase_id.replace("_", " "))


def describe_answers(answers: Any) -> list[AnswerShown]:
    """{question_id: answer} as the questions and answers a person saw."""
    if not isinstance(answers, dict):
        return []
    questionnaire = check_service.questionnaire()
    shown = []
    for question_id, value in answers.items():
        question = questionnaire.question(question_id)
        if question is None:
            shown.append(AnswerShown(question_id, str(value)))
            continue
        shown.append(AnswerShown(question.text, answer_text(question, value)))
    return shown


def answer_text(question: Question, value: Any) -> str:
    labels = {option.id: option.label for option in question.options}
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(labels.get(v, str(v)) for v in value) or "None of these"
    if isinstance(value, str):
        return labels.get(value, value)
    unit = f" {question.unit}" if question.unit else ""
    if question.type is QuestionType.PAIN_SCALE:
        return f"{value} out of 10"
    return f"{value:g}{unit}" if isinstance(value, float) else f"{value}{unit}"
