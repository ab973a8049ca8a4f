"""JSON API: progress (being built for issue 6)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["progress"])
