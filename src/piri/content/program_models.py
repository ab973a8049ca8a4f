"""Typed models for the phased program: phases and strength stages with their ladders."""

from __future__ import annotations

from typing import Annotated, Self

from pydantic import Field, model_validator

from piri.content.models import ContentModel, Phase, Slug, Sources, Text


class ProgramPhase(ContentModel):
    id: Phase
    name: Text
    purpose: Text
    includes: Annotated[list[Text], Field(min_length=1)]
    moves_on_when: Text
    exercises: Annotated[list[Slug], Field(min_length=1)]  # gentle work every session, in order
    sources: Sources


class StrengthStage(ContentModel):
    id: Slug
    name: Text
    from_week: Annotated[int, Field(ge=1)]  # week of the strengthen phase it joins in
    ladders: Annotated[list[Annotated[list[Slug], Field(min_length=1)]], Field(min_length=1)]
    sources: Sources


class Program(ContentModel):
    phases: Annotated[list[ProgramPhase], Field(min_length=3)]
    stages: Annotated[list[StrengthStage], Field(min_length=1)]

    @model_validator(mode="after")
    def _phases_in_order(self) -> Self:
        if [p.id for p in self.phases] != list(Phase):
            raise ValueError(f"phases must be {[p.value for p in Phase]}, in that order")
        weeks = [stage.from_week for stage in self.stages]
        if weeks != sorted(weeks):
            raise ValueError("stages must be in order of from_week")
        return self

    def phase(self, phase: Phase) -> ProgramPhase:
        return next(p for p in self.phases if p.id is phase)

    def exercise_ids(self) -> set[str]:
        ids = {e for phase in self.phases for e in phase.exercises}
        return ids | {e for stage in self.stages for ladder in stage.ladders for e in ladder}
