"""Typed models for Piri's clinical content.

Every clinical statement carries ``sources``: the title and address of the
publication it rests on, so a reader can check it.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, StringConstraints, model_validator

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

# Words a menu, footer or byline of a scraped web page leaves behind. Content
# that contains them was copied from the damaged seed article, not written.
SCRAPE_NOISE = re.compile(
    r"Health & Injuries|CA Notice at Collection|Running Shoes - Gear|Nutrition - Weight Loss"
    r"|All About 75 Hard|Running in the Cold",
)


class ContentModel(BaseModel):
    """Base for content: unknown fields are errors, so a typo never passes silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(ContentModel):
    title: Text
    url: HttpUrl


Sources = Annotated[list[Source], Field(min_length=1)]


class Target(StrEnum):
    """What an exercise works on."""

    NERVE_MOBILITY = "nerve_mobility"
    STRETCH = "stretch"
    SOFT_TISSUE = "soft_tissue"
    STRENGTH = "strength"


class Equipment(StrEnum):
    """What a runner may have at home."""

    CHAIR = "chair"
    FOAM_ROLLER = "foam_roller"
    MINI_BAND = "mini_band"
    STEP = "step"
    WEIGHTS = "weights"


class Phase(StrEnum):
    """The program phases an exercise belongs to."""

    SETTLE = "settle"
    STRENGTHEN = "strengthen"
    RETURN_TO_RUN = "return_to_run"


class Sides(StrEnum):
    """Which side an exercise is done on."""

    EACH = "each"  # all sets on one side, then all sets on the other
    PAINFUL = "painful"  # only the painful side (e.g. nerve glides)
    NONE = "none"  # both legs work together, or they alternate within a set


class Dose(ContentModel):
    """How much of an exercise to do.

    Either repetitions (each optionally held for ``hold_seconds``) or one
    continuous ``duration_seconds`` per set.
    """

    sets: Annotated[int, Field(ge=1, le=10)]
    reps: Annotated[int, Field(ge=1, le=50)] | None = None
    hold_seconds: Annotated[int, Field(ge=1, le=300)] | None = None
    duration_seconds: Annotated[int, Field(ge=5, le=600)] | None = None
    rep_seconds: Annotated[float, Field(gt=0, le=30)] = 3.0
    rest_seconds: Annotated[int, Field(ge=0, le=300)] = 30
    sides: Sides
    days_per_week: Annotated[int, Field(ge=1, le=7)]
    times_per_day: Annotated[int, Field(ge=1, le=6)] = 1
    note: Text | None = None

    @model_validator(mode="after")
    def _reps_or_duration(self) -> Self:
        if (self.reps is None) == (self.duration_seconds is None):
            raise ValueError("give either 'reps' or 'duration_seconds', not both and not neither")
        if self.hold_seconds is not None and self.reps is None:
            raise ValueError("'hold_seconds' needs 'reps' (how many holds)")
        return self

    def describe(self) -> str:
        """The dose in a few words, e.g. '3 sets of 10 reps each side, rest 30 s'."""
        if self.reps is not None:
            work = f"{self.reps} rep{'s' if self.reps != 1 else ''}"
            if self.hold_seconds:
                work = (
                    f"{self.hold_seconds} s hold"
                    if self.reps == 1
                    else f"{self.reps} × {self.hold_seconds} s holds"
                )
        else:
            work = f"{self.duration_seconds} s"
        sets = f"{self.sets} set{'s' if self.sets != 1 else ''} of {work}"
        side = {Sides.EACH: " each side", Sides.PAINFUL: " on the painful side"}.get(self.sides, "")
        rest = f", rest {self.rest_seconds} s" if self.rest_seconds else ""
        often = f"; {self.days_per_week} day{'s' if self.days_per_week != 1 else ''} a week"
        if self.times_per_day > 1:
            often += f", {self.times_per_day} times a day"
        return f"{sets}{side}{rest}{often}"


class Exercise(ContentModel):
    id: Slug
    name: Text
    purpose: Text
    targets: Annotated[list[Target], Field(min_length=1)]
    muscles: list[Text] = []
    equipment: list[Equipment] = []
    phases: Annotated[list[Phase], Field(min_length=1)]
    starting_position: Text
    steps: Annotated[list[Text], Field(min_length=2)]
    cues: Annotated[list[Text], Field(min_length=1)]
    common_mistakes: Annotated[list[Text], Field(min_length=1)]
    dose: Dose
    easier: list[Slug] = []
    harder: list[Slug] = []
    avoid_if: Annotated[list[Text], Field(min_length=1)]
    # How strong the evidence is, in plain words, where the sources are thin or disagree.
    evidence_note: Text | None = None
    sources: Sources

    @model_validator(mode="after")
    def _no_scraped_noise(self) -> Self:
        texts = [self.purpose, self.starting_position, *self.steps, *self.cues]
        for text in [*texts, *self.common_mistakes, *self.avoid_if]:
            if SCRAPE_NOISE.search(text):
                raise ValueError(f"contains web-page menu text: {text!r}")
        if len(set(self.steps)) != len(self.steps):
            raise ValueError("a step is repeated")
        return self


class KnowledgeBlock(ContentModel):
    """One paragraph of the knowledge base and the sources it rests on."""

    heading: Text | None = None
    text: Text
    # Said beside the text when its sources are weak or disagree ("[UNCERTAIN]"/"[CONFLICT]").
    evidence_note: Text | None = None
    sources: Sources

    @model_validator(mode="after")
    def _no_scraped_noise(self) -> Self:
        if SCRAPE_NOISE.search(self.text):
            raise ValueError(f"contains web-page menu text: {self.text!r}")
        return self


class KnowledgeSection(ContentModel):
    id: Slug
    order: Annotated[int, Field(ge=1)]
    title: Text
    summary: Text
    blocks: Annotated[list[KnowledgeBlock], Field(min_length=1)]


class RoutineItem(ContentModel):
    exercise: Slug
    dose: Dose | None = None  # overrides the exercise's default dose in this routine


class Routine(ContentModel):
    id: Slug
    name: Text
    description: Text
    # Said before the first exercise: how hard to work and when to stop.
    before_you_start: Text
    items: Annotated[list[RoutineItem], Field(min_length=1)]
    sources: Sources


class RoutineFile(ContentModel):
    routines: Annotated[list[Routine], Field(min_length=1)]


class SafetyNotice(ContentModel):
    """When to get help, in three levels of urgency; shown with every page of advice."""

    emergency: Text
    same_day: Text
    soon: Text
    sources: Sources
