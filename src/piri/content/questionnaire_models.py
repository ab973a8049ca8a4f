"""Typed models for outcome questionnaires scored from items on one answer scale."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from piri.content.models import ContentModel, Slug, Sources, Text


class ScaleQuestionnaire(ContentModel):
    """An outcome questionnaire of items that share one answer scale (e.g. the LEFS)."""

    id: Slug
    name: Text
    question: Text
    answers: Annotated[list[Text], Field(min_length=2)]  # labels from lowest to highest score
    items: Annotated[list[Text], Field(min_length=1)]
    sources: Sources
