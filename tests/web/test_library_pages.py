"""The knowledge base and exercise library pages, and their JSON API, over HTTP."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from piri.content.loader import library
from piri.content.models import Equipment, Exercise, Target
from piri.illustrations import load_figure
from piri.services.library import find_exercises, list_routines, list_sections
from piri.web.app import create_app
from piri.web.config import WebConfig
from piri.web.pages.exercises import exercise_card
from piri.web.templating import templates

SECTIONS = [section.id for section in list_sections()]
EXERCISES = sorted(library().exercises)


def text_of(page: str) -> str:
    """The page's text with tags removed and entities decoded, spaces collapsed."""
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))
    return re.sub(r" ([?.,;])(?=\s|$)", r"\1", text)


def main_of(page: str) -> str:
    return page[page.index("<main") : page.index("</main>")]


# --- the knowledge base ---------------------------------------------------------------


def test_learn_lists_every_section_in_reading_order(client: TestClient) -> None:
    response = client.get("/learn")
    assert response.status_code == 200
    links = re.findall(r'<a class="section-link" href="/learn/([a-z-]+)">', response.text)
    assert links == SECTIONS
    for section in list_sections():
        assert html.escape(section.summary) in response.text
    assert response.text.count("<h1") == 1


@pytest.mark.parametrize("section_id", SECTIONS)
def test_a_section_shows_every_paragraph_its_evidence_and_sources(
    client: TestClient, section_id: str
) -> None:
    response = client.get(f"/learn/{section_id}")
    assert response.status_code == 200
    page = main_of(response.text)
    text = text_of(page)
    section = library().section(section_id)
    assert section is not None
    assert f"<h1>{html.escape(section.title)}</h1>" in page
    for block in section.blocks:
        assert block.text in text
        if block.heading:
            assert f">{html.escape(block.heading)}</h2>" in page
        if block.evidence_note:
            assert f"How sure we are: {block.evidence_note}" in text
        for source in block.sources:
            assert f'href="{html.escape(str(source.url))}"' in page
    notes = sum(1 for block in section.blocks if block.evidence_note)
    assert text.count("How sure we are:") == notes


def test_sections_link_to_the_previous_and_the_next(client: TestClient) -> None:
    for index, section_id in enumerate(SECTIONS):
        page = client.get(f"/learn/{section_id}").text
        previous = re.search(r'rel="prev" href="/learn/([a-z-]+)"', page)
        following = re.search(r'rel="next" href="/learn/([a-z-]+)"', page)
        assert (previous[1] if previous else None) == (SECTIONS[index - 1] if index else None)
        expected_next = SECTIONS[index + 1] if index + 1 < len(SECTIONS) else None
        assert (following[1] if following else None) == expected_next
        assert f"section {index + 1} of {len(SECTIONS)}" in page
    last = client.get(f"/learn/{SECTIONS[-1]}").text
    assert 'href="/learn">All sections</a>' in last


def test_an_unknown_section_is_a_404_with_did_you_mean_and_every_section(
    client: TestClient,
) -> None:
    response = client.get("/learn/anatomi")
    assert response.status_code == 404
    text = text_of(main_of(response.text))
    assert "There is no section called “anatomi”." in text
    assert "Did you mean The anatomy: the piriformis and the sciatic nerve?" in text
    assert 'href="/learn/anatomy"' in response.text
    for section_id in SECTIONS:
        assert f'href="/learn/{section_id}"' in response.text
    # Nothing close: no suggestion, still the whole list.
    far = client.get("/learn/zzzz")
    assert far.status_code == 404 and "Did you mean" not in far.text
    assert all(f'href="/learn/{s}"' in far.text for s in SECTIONS)


# --- the exercise library ----------------------------------------------------------------


def listed(page: str) -> list[str]:
    return re.findall(r'<h3 class="exercise-name"><a href="/exercises/([a-z0-9-]+)">', page)


def test_the_library_lists_every_exercise_with_picture_target_equipment_and_dose(
    client: TestClient,
) -> None:
    response = client.get("/exercises")
    assert response.status_code == 200
    page = response.text
    assert listed(page) == [e.id for e in find_exercises()]
    assert page.count('class="thumb"') == len(EXERCISES)
    items = page.split('<li class="exercise-item">')[1:]
    for item, exercise in zip(items, find_exercises(), strict=True):
        last = len(load_figure(exercise.id).positions)
        assert f'src="/figures/{exercise.id}/{last}.svg?v=' in item
        assert re.search(r'alt="[^"]+, position \d of \d: [^"]+"', item)
        assert html.escape(exercise.dose.describe()) in item
        assert "Equipment:" in item and 'class="tag"' in item
    assert "18 exercises." in text_of(page)
    assert 'hx-get="/exercises"' in page and 'hx-push-url="true"' in page
    assert 'method="get" action="/exercises"' in page  # works without JavaScript too


@pytest.mark.parametrize("target", [t.value for t in Target])
def test_filter_by_target(client: TestClient, target: str) -> None:
    response = client.get("/exercises", params={"target": target})
    assert response.status_code == 200
    assert listed(response.text) == [e.id for e in find_exercises(target=target)]
    assert f'<option value="{target}" selected>' in response.text


@pytest.mark.parametrize("equipment", [*(e.value for e in Equipment), "none"])
def test_filter_by_equipment(client: TestClient, equipment: str) -> None:
    response = client.get("/exercises", params={"equipment": equipment})
    assert response.status_code == 200
    assert listed(response.text) == [e.id for e in find_exercises(equipment=equipment)]
    assert f'<option value="{equipment}" selected>' in response.text


def test_both_filters_and_empty_choices(client: TestClient) -> None:
    both = client.get("/exercises", params={"target": "strength", "equipment": "mini_band"})
    assert listed(both.text) == ["clamshell", "lateral-band-walk", "monster-walk"]
    assert "3 exercises match these filters." in text_of(both.text)
    # The form's "Anything" and "Any" send empty values: no filter.
    empty = client.get("/exercises", params={"target": "", "equipment": ""})
    assert empty.status_code == 200 and len(listed(empty.text)) == len(EXERCISES)
    none = client.get("/exercises", params={"target": "soft_tissue", "equipment": "chair"})
    assert none.status_code == 200
    assert listed(none.text) == []
    assert "No exercise matches these filters." in none.text


def test_htmx_gets_only_the_results_and_the_count(client: TestClient) -> None:
    response = client.get(
        "/exercises", params={"equipment": "mini_band"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "<html" not in response.text and "<h1" not in response.text
    assert '<span id="exercise-count" hx-swap-oob="innerHTML">3 exercises match' in response.text
    assert listed(response.text) == ["clamshell", "lateral-band-walk", "monster-walk"]
    assert response.headers["vary"] == "HX-Request"
    # A history restore after the cache is gone needs the whole page.
    restore = client.get(
        "/exercises",
        params={"equipment": "mini_band"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in restore.text


@pytest.mark.parametrize(
    ("params", "field", "wrong"),
    [
        ({"target": "legs"}, "target", "legs"),
        ({"equipment": "kettlebell"}, "equipment", "kettlebell"),
        ({"equipment": "mini band", "target": "strength"}, "equipment", "mini band"),
    ],
)
def test_a_wrong_filter_says_what_is_allowed_and_shows_the_rest(
    client: TestClient, params: dict[str, str], field: str, wrong: str
) -> None:
    response = client.get("/exercises", params=params)
    assert response.status_code == 422
    text = text_of(response.text)
    assert f"'{wrong}' is not a valid {field}; choose one of:" in text
    assert 'id="error-summary"' in response.text
    assert f'id="field-{field}" name="{field}" aria-invalid="true"' in response.text
    valid = {k: v for k, v in params.items() if k != field}
    assert listed(response.text) == [e.id for e in find_exercises(**valid)]
    # htmx too: a message, not a crash.
    fragment = client.get("/exercises", params=params, headers={"HX-Request": "true"})
    assert fragment.status_code == 422 and 'role="alert"' in fragment.text


def test_a_wrong_filter_names_every_choice(client: TestClient) -> None:
    text = text_of(client.get("/exercises", params={"equipment": "rope"}).text)
    for choice in [*(e.value for e in Equipment), "none"]:
        assert choice in text


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_an_exercise_shows_everything_the_cli_shows_and_every_picture(
    client: TestClient, exercise_id: str
) -> None:
    response = client.get(f"/exercises/{exercise_id}")
    assert response.status_code == 200
    page = main_of(response.text)
    text = text_of(page)
    exercise: Exercise = library().exercises[exercise_id]
    assert f"<h1>{html.escape(exercise.name)}</h1>" in page
    positions = load_figure(exercise_id).positions
    pictures = re.findall(r'<img src="(/figures/[^"]+)" alt="([^"]+)"', page)
    assert [src.split("?")[0] for src, _ in pictures] == [
        f"/figures/{exercise_id}/{n}.svg" for n in range(1, len(positions) + 1)
    ]
    for (src, alt), position in zip(pictures, positions, strict=True):
        assert html.unescape(alt).startswith(f"{exercise.name}, position ")
        assert position.label in html.unescape(alt)
        assert client.get(html.unescape(src)).status_code == 200
    assert page.count("<figcaption>") == len(positions)
    for words in [
        exercise.purpose,
        exercise.starting_position,
        *exercise.steps,
        *exercise.cues,
        *exercise.common_mistakes,
        *exercise.avoid_if,
        *exercise.muscles,
        exercise.dose.describe(),
    ]:
        assert words in text, words
    if exercise.evidence_note:
        assert f"How sure we are: {exercise.evidence_note}" in text
    for other in exercise.easier + exercise.harder:
        assert f'href="/exercises/{other}"' in page
    if exercise.harder:
        assert "<h3>Harder</h3>" in page
    for source in exercise.sources:
        assert f'href="{html.escape(str(source.url))}"' in page
    assert "When not to do it" in text


def test_an_unknown_exercise_is_a_404_with_suggestions_and_the_library(
    client: TestClient,
) -> None:
    response = client.get("/exercises/clamshel")
    assert response.status_code == 404
    text = text_of(main_of(response.text))
    assert "There is no exercise called “clamshel”." in text
    assert "Did you mean Clamshell with mini band?" in text
    assert listed(response.text) == [e.id for e in find_exercises()]


def test_the_library_is_public_content_in_multi_user_mode(home: object) -> None:
    """No person's data is on these pages, so they need no account (and never ask for one)."""
    config = WebConfig(multi_user=True, secret_key="x" * 40, secret_key_configured=True)
    with TestClient(create_app(config), base_url="http://127.0.0.1:8000") as anonymous:
        for path in ("/learn", "/learn/anatomy", "/exercises", "/exercises/clamshell"):
            assert anonymous.get(path).status_code == 200, path
        assert anonymous.get("/figures/clamshell/1.svg").status_code == 200


# --- the shared exercise card ------------------------------------------------------------


@pytest.fixture
def card_template() -> Iterator[object]:
    yield templates().env.from_string(
        '{% from "_exercise_card.html" import exercise_card %}{{ exercise_card(card, level=3) }}'
    )


def test_the_exercise_card_shows_pictures_steps_and_the_dose_it_is_given(
    card_template: object,
) -> None:
    exercise = library().exercises["glute-bridge"]
    # A routine or the plan may give another dose than the exercise's usual one.
    routine_dose = exercise.dose.model_copy(update={"sets": 1 if exercise.dose.sets != 1 else 2})
    card = exercise_card("glute-bridge", dose=routine_dose)
    rendered = card_template.render(card=card)  # type: ignore[attr-defined]
    assert f'<h3 id="card-glute-bridge">{exercise.name}</h3>' in rendered
    assert "<h4>Steps</h4>" in rendered
    assert rendered.count("<img ") == len(load_figure("glute-bridge").positions)
    assert html.escape(routine_dose.describe()) in rendered
    assert routine_dose.describe() != exercise.dose.describe()
    for step in exercise.steps:
        assert html.escape(step) in rendered
    assert 'href="/exercises/glute-bridge"' in rendered
    assert exercise_card(exercise).dose == exercise.dose


# --- the JSON API ----------------------------------------------------------------------


def test_api_sections_and_exercises(client: TestClient) -> None:
    assert [s["id"] for s in client.get("/api/v1/sections").json()] == SECTIONS
    section = client.get("/api/v1/sections/anatomy").json()
    assert section["blocks"][0]["sources"][0]["url"].startswith("http")
    unknown = client.get("/api/v1/sections/anatomi")
    assert unknown.status_code == 404
    assert unknown.json()["code"] == "not_found" and unknown.json()["suggestions"] == ["anatomy"]
    bands = client.get("/api/v1/exercises", params={"equipment": "mini_band"}).json()
    assert [e["id"] for e in bands] == ["clamshell", "lateral-band-walk", "monster-walk"]
    wrong = client.get("/api/v1/exercises", params={"equipment": "rope"})
    assert wrong.status_code == 422
    assert wrong.json()["code"] == "invalid_choice" and wrong.json()["field"] == "equipment"
    assert "mini_band" in wrong.json()["choices"]


def test_api_routines(client: TestClient) -> None:
    response = client.get("/api/v1/routines")
    assert response.status_code == 200
    routines = response.json()
    assert [r["id"] for r in routines] == [r.id for r in list_routines()]
    relief = client.get("/api/v1/routines/relief").json()
    assert relief == routines[[r["id"] for r in routines].index("relief")]
    assert {"id", "name", "description", "before_you_start", "items", "sources"} <= set(relief)
    first = relief["items"][0]
    exercise = library().exercises[first["exercise"]]
    assert first["name"] == exercise.name
    assert first["dose"]["summary"] == exercise.dose.describe()
    assert first["dose_from_routine"] is False
    unknown = client.get("/api/v1/routines/releif")
    assert unknown.status_code == 404
    body = unknown.json()
    assert body["code"] == "not_found"
    assert body["suggestions"] == ["relief"]
    assert body["available"] == sorted(r.id for r in list_routines())


def test_the_openapi_document_lists_the_library_endpoints(client: TestClient) -> None:
    paths = set(client.get("/api/v1/openapi.json").json()["paths"])
    assert {
        "/api/v1/routines",
        "/api/v1/routines/{routine_id}",
        "/api/v1/exercises/{exercise_id}/figures",
        "/api/v1/figures/{figure_id}",
    } <= paths
    assert not any(path.startswith("/figures") for path in paths)
