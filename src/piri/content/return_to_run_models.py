"""Typed models for the walk-run plan: start criteria, steps and the build after it."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Self

from pydantic import Field, model_validator

from piri.content.models import ContentModel, Slug, Sources, Text


class Surface(StrEnum):
    FLAT = "flat"
    GENTLE_HILLS = "gentle_hills"


class StartCriterion(ContentModel):
    id: Slug
    name: Text
    why: Text
    sources: Sources


class WalkRunStep(ContentModel):
    """One step: ``cycles`` rounds of easy running then walking, and optional strides."""

    id: Slug
    run_minutes: Annotated[int, Field(ge=1, le=60)]
    walk_minutes: Annotated[int, Field(ge=0, le=30)]
    cycles: Annotated[int, Field(ge=1, le=10)]
    surface: Surface
    strides: Annotated[int, Field(ge=0, le=10)] = 0  # relaxed quicker strides of about 20 s
    sources: Sources

    @property
    def minutes(self) -> int:
        return (self.run_minutes + self.walk_minutes) * self.cycles

    @property
    def running_minutes(self) -> int:
        return self.run_minutes * self.cycles

    @property
    def continuous(self) -> bool:
        return self.walk_minutes == 0


class Build(ContentModel):
    purpose: Text
    sources: Sources


class ReturnToRunPlan(ContentModel):
    criteria: Annotated[list[StartCriterion], Field(min_length=1)]
    steps: Annotated[list[WalkRunStep], Field(min_length=2)]
    build: Build

    @model_validator(mode="after")
    def _steps_build_up(self) -> Self:
        ids = [step.id for step in self.steps]
        if len(set(ids)) != len(ids):
            raise ValueError("steps: every step needs its own id")
        running = [step.running_minutes for step in self.steps]
        if running != sorted(running):
            raise ValueError("steps: running minutes may never go down from one step to the next")
        hills = [step.surface is Surface.GENTLE_HILLS or step.strides > 0 for step in self.steps]
        if hills != sorted(hills):
            raise ValueError("steps: hills and strides come last, after the flat steps")
        criteria = [c.id for c in self.criteria]
        if len(set(criteria)) != len(criteria):
            raise ValueError("criteria: every criterion needs its own id")
        return self

    def index_of(self, step_id: str) -> int:
        return next(i for i, step in enumerate(self.steps) if step.id == step_id)
