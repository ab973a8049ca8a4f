"""Pages: the exercise library, ``/exercises`` (filters) and ``/exercises/{id}``.

Other pages show an exercise with the shared partial ``_exercise_card.html``: build its
data with :func:`exercise_card` and call the macro::

    {% from "_exercise_card.html" import exercise_card %}
    {{ exercise_card(card, level=2) }}

(and add ``static/css/library.css`` in the page's ``head`` block for the picture layout).
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from piri.content.models import Dose, Equipment, Exercise, Phase, Target
from piri.services.library import (
    NO_EQUIPMENT,
    InvalidChoiceError,
    NotFoundError,
    find_exercises,
    get_exercise,
    list_routines,
)
from piri.web.pages.figures import FigureLink, figure_links, layout_of
from piri.web.templating import render

router = APIRouter()

TARGETS: dict[str, str] = {
    Target.NERVE_MOBILITY: "Nerve mobility",
    Target.STRETCH: "Stretch",
    Target.SOFT_TISSUE: "Soft tissue",
    Target.STRENGTH: "Strength",
}
EQUIPMENT: dict[str, str] = {
    Equipment.CHAIR: "Chair",
    Equipment.FOAM_ROLLER: "Foam roller",
    Equipment.MINI_BAND: "Mini band",
    Equipment.STEP: "Step",
    Equipment.WEIGHTS: "Weights",
    NO_EQUIPMENT: "No equipment",
}
PHASES: dict[str, str] = {
    Phase.SETTLE: "Settle",
    Phase.STRENGTHEN: "Strengthen",
    Phase.RETURN_TO_RUN: "Return to running",
}
FILTERS = ("target", "equipment")


@dataclass(frozen=True)
class ExerciseCard:
    """An exercise as the pages show it: its pictures, the dose to do and where to read more."""

    exercise: Exercise
    dose: Dose
    figures: list[FigureLink]
    layout: str  # 'wide' or 'tall': how the pictures sit on a phone

    @property
    def url(self) -> str:
        return f"/exercises/{self.exercise.id}"

    @property
    def thumbnail(self) -> FigureLink:
        """The last position: the one that shows what the exercise does."""
        return self.figures[-1]

    @property
    def targets(self) -> list[str]:
        return [TARGETS[t] for t in self.exercise.targets]

    @property
    def equipment(self) -> str:
        return ", ".join(EQUIPMENT[e] for e in self.exercise.equipment) or "None"


def exercise_card(exercise: Exercise | str, dose: Dose | None = None) -> ExerciseCard:
    """The card of an exercise (by id or model); ``dose`` overrides its usual dose, as a
    routine or the plan may. An unknown id raises NotFoundError."""
    found = get_exercise(exercise) if isinstance(exercise, str) else exercise
    figures = figure_links(found.id)
    return ExerciseCard(
        exercise=found, dose=dose or found.dose, figures=figures, layout=layout_of(figures)
    )


@router.get("/exercises", response_class=HTMLResponse)
def library_page(
    request: Request, target: str | None = None, equipment: str | None = None
) -> HTMLResponse:
    """The library, filtered by what it works on and the equipment at hand.

    An htmx request (the filter form changing) gets only the results; a plain GET gets the
    whole page, so the form works without JavaScript too.
    """
    chosen = {"target": target or None, "equipment": equipment or None}
    errors: dict[str, str] = {}
    for name, value in chosen.items():
        if value is None:
            continue
        try:
            find_exercises(**{name: value})
        except InvalidChoiceError as error:
            errors[name] = f"{error} Showing the exercises without this filter."
    valid = {name: value for name, value in chosen.items() if name not in errors}
    cards = [exercise_card(exercise) for exercise in find_exercises(**valid)]
    fragment = (
        request.headers.get("hx-request") == "true"
        and request.headers.get("hx-history-restore-request") != "true"
    )
    response = render(
        request,
        "exercises/_results.html" if fragment else "exercises/index.html",
        status_code=422 if errors else 200,
        title="Exercises",
        cards=cards,
        chosen=chosen,
        errors=errors,
        filtered=any(valid.values()),
        targets=TARGETS,
        equipment_choices=EQUIPMENT,
    )
    response.headers["Vary"] = "HX-Request"
    return response


@router.get("/exercises/{exercise_id}", response_class=HTMLResponse)
def exercise_page(request: Request, exercise_id: str) -> HTMLResponse:
    """One exercise with every position's picture, like ``piri exercise show``."""
    try:
        card = exercise_card(exercise_id)
    except NotFoundError as error:
        return render(
            request,
            "exercises/not_found.html",
            status_code=404,
            title="No such exercise",
            error=error,
            suggested=[get_exercise(s) for s in error.suggestions],
            cards=[exercise_card(e) for e in find_exercises()],
        )
    exercise = card.exercise
    return render(
        request,
        "exercises/detail.html",
        title=exercise.name,
        card=card,
        exercise=exercise,
        easier=[get_exercise(i) for i in exercise.easier],
        harder=[get_exercise(i) for i in exercise.harder],
        phases=[PHASES[p] for p in exercise.phases],
        routines=[r for r in list_routines() if any(i.exercise == exercise.id for i in r.items)],
    )
