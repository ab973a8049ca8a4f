"""The JSON API under /api/v1: one module per capability, each with its own router."""

from __future__ import annotations

from fastapi import APIRouter

from piri.web.api import check, library

ROUTERS: list[APIRouter] = [library.router, check.router]
