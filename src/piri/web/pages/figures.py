"""The exercise and self-test pictures: ``/figures/{figure_id}/{n}.svg``.

Every position is drawn once per process (:func:`piri.services.figures.figure_pictures`).
The pictures only change with a release, so pages link them with the version in the URL
(:func:`figure_url`) and such a response may be cached for a year; without the version (or
with an old one) it is cached for a day and revalidated by its ETag.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache

from fastapi import APIRouter, Request
from fastapi.responses import Response

from piri import __version__
from piri.services.figures import (
    Picture,
    PositionNotFoundError,
    figure_names,
    figure_picture,
    figure_pictures,
)
from piri.services.library import NotFoundError
from piri.web.templating import error_page

router = APIRouter()

SVG_TYPE = "image/svg+xml"
CACHE_VERSIONED = "public, max-age=31536000, immutable"
CACHE_UNVERSIONED = "public, max-age=86400"


def figure_url(figure_id: str, number: int) -> str:
    """The address of one position's picture, with the release in it for long caching."""
    return f"/figures/{figure_id}/{number}.svg?v={__version__}"


@dataclass(frozen=True)
class FigureLink:
    """What a page needs to show one position: its address, alt text, caption and size."""

    url: str
    alt: str
    label: str
    number: int
    count: int
    width: int
    height: int

    @property
    def wide(self) -> bool:
        """Landscape or square: drawn across the whole width on a phone."""
        return self.width >= 0.9 * self.height


def figure_links(figure_id: str) -> list[FigureLink]:
    """Every position of a figure as links for a page (raises NotFoundError when unknown)."""
    return [_link(picture) for picture in figure_pictures(figure_id)]


def layout_of(links: list[FigureLink]) -> str:
    """'wide' when every picture is landscape or square, else 'tall' (two to a row)."""
    return "wide" if links and all(link.wide for link in links) else "tall"


def _link(picture: Picture) -> FigureLink:
    # The intrinsic size is scaled to a width of 480 px; pages size pictures by CSS.
    scale = 480 / picture.width if picture.width else 1.0
    return FigureLink(
        url=figure_url(picture.figure_id, picture.number),
        alt=picture.alt,
        label=picture.label,
        number=picture.number,
        count=picture.count,
        width=480,
        height=max(1, round(picture.height * scale)),
    )


@cache
def _etag(figure_id: str, number: int) -> str:
    svg = figure_picture(figure_id, number).svg
    return '"' + hashlib.sha256(f"{__version__}\n{svg}".encode()).hexdigest()[:32] + '"'


@router.get("/figures/{figure_id}/{number}.svg", name="figure")
def figure(request: Request, figure_id: str, number: str) -> Response:
    """One position of an exercise's or a self-test's figure as SVG."""
    try:
        picture = figure_picture(figure_id, number)
    except PositionNotFoundError as error:
        return error_page(
            request,
            404,
            "No such picture",
            str(error),
            suggestions=[f"{n}.svg" for n in error.available],
            link_prefix=f"/figures/{figure_id}/",
        )
    except NotFoundError as error:
        return error_page(
            request,
            404,
            "No such picture",
            f"{error} Pictures exist for: {', '.join(figure_names())}.",
            suggestions=[f"{s}/1.svg" for s in error.suggestions],
            link_prefix="/figures/",
        )
    etag = _etag(figure_id, picture.number)
    versioned = request.query_params.get("v") == __version__
    headers = {
        "ETag": etag,
        "Cache-Control": CACHE_VERSIONED if versioned else CACHE_UNVERSIONED,
    }
    if etag in _etags(request.headers.get("if-none-match", "")):
        return Response(status_code=304, headers=headers)
    return Response(picture.svg, media_type=SVG_TYPE, headers=headers)


def _etags(header: str) -> set[str]:
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}
