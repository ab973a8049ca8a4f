"""Path parameters that name a stored row (a token, a care link, a template, a note).

Ids are whole numbers from 1 up to the largest the database holds (SQLite's INTEGER,
PostgreSQL's BIGINT): a larger one used to reach the database and fail there with a 500.
Outside that range the answer is 422 ``invalid_input`` naming the parameter, as for any
other value the API cannot take.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path

MAX_DATABASE_INTEGER = 2**63 - 1


def row_id(what: str) -> Any:
    """The ``Path`` of a parameter naming one ``what`` (its description says so)."""
    return Path(ge=1, le=MAX_DATABASE_INTEGER, description=f"The {what}'s id.")


TokenId = Annotated[int, row_id("API token")]
LinkId = Annotated[int, row_id("care-team link")]
TemplateId = Annotated[int, row_id("template")]
NoteId = Annotated[int, row_id("note")]
