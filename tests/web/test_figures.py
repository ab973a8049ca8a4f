"""The pictures over HTTP: every position of every exercise and self-test, caching, errors."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from fastapi.testclient import TestClient

import piri.illustrations
from piri import __version__
from piri.content.loader import library
from piri.illustrations import FIGURES_DIR, load_figure, render_exercise
from piri.services import figures as figure_service
from piri.services.check import questionnaire
from piri.web.pages.figures import CACHE_UNVERSIONED, CACHE_VERSIONED

SVG = "{http://www.w3.org/2000/svg}"


def every_figure() -> list[str]:
    return [*library().exercises, *(test.id for test in questionnaire().self_tests)]


def test_every_figure_file_belongs_to_an_exercise_or_a_self_test() -> None:
    files = {path.stem for path in FIGURES_DIR.glob("*.toml")}
    assert files == set(every_figure())
    assert set(figure_service.figure_names()) == files


@pytest.mark.parametrize("figure_id", every_figure())
def test_every_position_of_every_figure_is_served_as_svg(
    client: TestClient, figure_id: str
) -> None:
    positions = load_figure(figure_id).positions
    listed = client.get(f"/api/v1/figures/{figure_id}").json()
    assert [p["caption"] for p in listed] == [p.label for p in positions]
    for number, position in enumerate(positions, start=1):
        response = client.get(f"/figures/{figure_id}/{number}.svg")
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("image/svg+xml")
        root = ET.fromstring(response.text)
        assert root.tag == f"{SVG}svg"
        title = root.find(f"{SVG}title")
        assert title is not None and title.text and position.label in title.text
        # The drawing itself: many shapes, and the caption left to the page's text.
        assert len(root.findall(f".//{SVG}path")) > 10
        assert root.find(f"{SVG}text") is None
        width, height = (float(v) for v in root.attrib["viewBox"].split()[2:])
        assert width > 100 and height > 100


def test_the_served_picture_is_the_drawing_without_its_caption(client: TestClient) -> None:
    drawn = render_exercise("step-down", name="Step-down")[0].svg
    served = client.get("/figures/step-down/1.svg").text
    assert "<text" in drawn and "<text" not in served
    drawn_box = ET.fromstring(drawn).attrib["viewBox"].split()
    served_box = ET.fromstring(served).attrib["viewBox"].split()
    assert served_box[2] == drawn_box[2]  # same width
    assert 0.75 * float(drawn_box[3]) < float(served_box[3]) < float(drawn_box[3])
    assert ET.fromstring(served).find(f"{SVG}rect").attrib["height"] == served_box[3]  # type: ignore[union-attr]
    # What is not the renderer's caption is left alone.
    assert figure_service.without_caption("<svg/>") == "<svg/>"


def test_a_picture_is_cached_long_with_the_version_and_revalidated_by_etag(
    client: TestClient,
) -> None:
    versioned = client.get(f"/figures/clamshell/1.svg?v={__version__}")
    assert versioned.headers["cache-control"] == CACHE_VERSIONED
    assert "max-age=31536000" in CACHE_VERSIONED
    plain = client.get("/figures/clamshell/1.svg")
    assert plain.headers["cache-control"] == CACHE_UNVERSIONED
    old = client.get("/figures/clamshell/1.svg?v=0.0.0-old")
    assert old.headers["cache-control"] == CACHE_UNVERSIONED
    etag = plain.headers["etag"]
    assert etag == versioned.headers["etag"]
    assert etag != client.get("/figures/clamshell/2.svg").headers["etag"]

    again = client.get("/figures/clamshell/1.svg", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    weak = client.get("/figures/clamshell/1.svg", headers={"If-None-Match": f'"x", W/{etag}'})
    assert weak.status_code == 304
    stale = client.get("/figures/clamshell/1.svg", headers={"If-None-Match": '"other"'})
    assert stale.status_code == 200 and stale.text.startswith("<svg")


def test_each_figure_is_drawn_once_per_process(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn: list[str] = []
    real = piri.illustrations.render_figure

    def counting(figure: piri.illustrations.FigureFile, name: str | None = None) -> object:
        drawn.append(figure.exercise)
        return real(figure, name=name)

    figure_service._drawn.cache_clear()
    monkeypatch.setattr(piri.illustrations, "render_figure", counting)
    try:
        for path in ("1", "2", "1", "3"):
            client.get(f"/figures/hip-hike/{path}.svg")
        client.get("/api/v1/exercises/hip-hike/figures")
        client.get("/exercises/hip-hike")
        assert drawn == ["hip-hike"]
    finally:
        figure_service._drawn.cache_clear()


def test_an_unknown_figure_is_a_404_that_names_those_that_exist(client: TestClient) -> None:
    response = client.get("/figures/clamshel/1.svg")
    assert response.status_code == 404
    assert "There is no figure called &#39;clamshel&#39;" in response.text
    assert 'href="/figures/clamshell/1.svg"' in response.text  # did you mean
    assert "seated-slump" in response.text  # what exists, self-tests too


@pytest.mark.parametrize("number", ["0", "3", "x", "-1", "1.5", "%20"])
def test_an_unknown_position_is_a_404_that_names_the_positions(
    client: TestClient, number: str
) -> None:
    response = client.get(f"/figures/clamshell/{number}.svg")
    assert response.status_code == 404
    assert "has positions 1 to 2" in response.text
    assert 'href="/figures/clamshell/1.svg"' in response.text
    assert 'href="/figures/clamshell/2.svg"' in response.text


def test_a_picture_in_another_format_is_not_found(client: TestClient) -> None:
    assert client.get("/figures/clamshell/1.png").status_code == 404
    assert client.get("/figures/clamshell").status_code == 404


def test_the_figures_api_lists_positions_with_address_caption_and_alt(
    client: TestClient,
) -> None:
    found = client.get("/api/v1/exercises/clamshell/figures")
    assert found.status_code == 200
    positions = found.json()
    assert [p["position"] for p in positions] == [1, 2]
    first = positions[0]
    assert set(first) == {"position", "id", "caption", "alt", "url", "width", "height"}
    assert first["id"] == "start"
    assert first["caption"] == "Start: knees together"
    assert first["alt"] == "Clamshell with mini band, position 1 of 2: Start: knees together"
    assert first["url"] == f"/figures/clamshell/1.svg?v={__version__}"
    assert client.get(first["url"]).status_code == 200

    test = client.get("/api/v1/figures/seated-slump").json()
    assert len(test) == 3 and test[0]["alt"].startswith("Seated slump, position 1 of 3")


def test_the_figures_api_answers_unknown_ids_with_a_code(client: TestClient) -> None:
    response = client.get("/api/v1/exercises/clamshel/figures")
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "not_found"
    assert body["suggestions"] == ["clamshell"]
    assert "clamshell" in body["available"]
    # A self-test's picture is a figure but not an exercise.
    exercise = client.get("/api/v1/exercises/seated-slump/figures")
    assert exercise.status_code == 404 and exercise.json()["code"] == "not_found"
    figure = client.get("/api/v1/figures/nothing")
    assert figure.status_code == 404
    assert figure.json()["message"] == "There is no figure called 'nothing'."
