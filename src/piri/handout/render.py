"""The printable program as HTML (one self-contained document) and as PDF (WeasyPrint).

Nothing is fetched while rendering: the stylesheet is inlined, the pictures are inline SVG,
and WeasyPrint gets a URL fetcher that refuses every address (a fetch stops the rendering
with :class:`FetchRefusedError`, so a page that tried to fetch anything never prints).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from piri.services.handout import Handout

TEMPLATES = Path(__file__).parent / "templates"


class FetchRefusedError(RuntimeError):
    """Rendering tried to fetch an address; the printable program never fetches anything."""


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _date(day: Any) -> str:
    return f"{day.day} {day:%B %Y}"


def render_html(handout: Handout) -> str:
    """The whole program as one HTML document, its stylesheet inlined."""
    environment = _environment()
    css = (TEMPLATES / "handout.css").read_text(encoding="utf-8")
    template = environment.get_template("handout.html")
    return template.render(
        handout=handout,
        run_plan=handout.run_plan,
        css=css,
        printed=_date(handout.printed_on),
        date=_date,
    )


def render_pdf(handout: Handout) -> bytes:
    """The program as an A4 PDF."""
    return render_pdf_pages(handout)[0]


def render_pdf_pages(handout: Handout) -> tuple[bytes, int]:
    """The PDF and how many pages it has."""
    return pdf_from_html(render_html(handout))


def pdf_from_html(html: str) -> tuple[bytes, int]:
    """Lay out ``html`` with WeasyPrint, refusing every fetch; the PDF and its page count."""
    from weasyprint import HTML  # type: ignore[import-untyped]  # loads only when printing
    from weasyprint.urls import FatalURLFetchingError  # type: ignore[import-untyped]

    try:
        document = HTML(string=html, url_fetcher=refusing_fetcher()).render()
        pdf: bytes = document.write_pdf()
    except FatalURLFetchingError as error:
        raise FetchRefusedError(str(error)) from error
    return pdf, len(document.pages)


def refusing_fetcher() -> Any:
    """A WeasyPrint URL fetcher that refuses every address and stops the rendering."""
    from weasyprint.urls import URLFetcher

    class RefusingFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            raise FetchRefusedError(f"the printable program fetches nothing, not {url[:80]}")

    return RefusingFetcher(fail_on_errors=True)
