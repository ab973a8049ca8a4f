"""The outcome questionnaire pages over HTTP: the LEFS from its content file, the PSFS with
the runner's own activities, both scored, stored and compared with the last one."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pytest
from fastapi.testclient import TestClient

from piri.domain.outcomes import LEFS_MCID
from piri.services import scores as score_service
from tests.web.conftest import csrf

LEFS = score_service.lefs_questionnaire()


def lefs_form(client: TestClient, answers: Sequence[int | None]) -> dict[str, str]:
    form = {"csrf_token": csrf(client)}
    for number, answer in enumerate(answers, start=1):
        if answer is not None:
            form[f"item_{number}"] = str(answer)
    return form


def psfs_form(client: TestClient, *activities: tuple[str, str]) -> dict[str, str]:
    form = {"csrf_token": csrf(client)}
    for number, (name, rating) in enumerate(activities, start=1):
        form[f"activity_{number}"] = name
        form[f"rating_{number}"] = rating
    return form


def summary(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<li><a href="#field-([a-z_0-9]+)">([^<]*)</a></li>', html)


def checked(html: str, name: str) -> str | None:
    found = re.search(rf'name="{name}" value="([^"]*)" checked', html)
    return found.group(1) if found else None


def test_scores_page_without_any_yet(client: TestClient) -> None:
    page = client.get("/scores")
    assert page.status_code == 200
    assert "<h1>Outcome questionnaires</h1>" in page.text
    assert 'href="/scores/lefs"' in page.text and 'href="/scores/psfs"' in page.text
    assert page.text.count("None yet.") == 2
    assert f"A change of {LEFS_MCID} points or more is a real one." in page.text
    assert "1.3 points is small, 2.3 medium and 2.7 large" in page.text
    # The change that matters shows where it comes from.
    for source in LEFS.sources:
        assert str(source.url) in page.text
    assert score_service.PSFS_CHANGE_SOURCE[1] in page.text


def test_lefs_form_renders_every_item_with_the_scales_labels(client: TestClient) -> None:
    page = client.get("/scores/lefs")
    assert page.status_code == 200
    assert page.text.count('<fieldset class="lefs-item"') == len(LEFS.items) == 20
    assert LEFS.question in page.text
    for number, item in enumerate(LEFS.items, start=1):
        legend = f"<legend>{number}. {item[:1].upper()}{item[1:]}</legend>"
        assert legend in page.text, item
        for score in range(5):
            assert f'id="item_{number}-{score}" name="item_{number}" value="{score}"' in page.text
    for label in LEFS.answers:
        assert page.text.count(f"<span>{label}</span>") == 20
    assert str(LEFS.sources[0].url) in page.text
    assert f'name="csrf_token" value="{csrf(client)}"' in page.text


def test_a_first_lefs_is_scored_and_stored(client: TestClient) -> None:
    client.get("/scores/lefs")
    answers = [4, 3, 2, 1, 0] * 4
    response = client.post("/scores/lefs", data=lefs_form(client, answers), follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/scores?saved=lefs#result"
    page = client.get("/scores?saved=lefs")
    assert "Saved: your LEFS today" in page.text
    assert '<p class="score-big">40 <span class="small">out of 80' in page.text
    assert "The first one; the next will show the change." in page.text
    records = score_service.score_records()
    assert [(r.instrument, r.score, r.answers) for r in records] == [
        ("lefs", 40.0, {"items": answers})
    ]


def test_a_second_lefs_is_compared_with_the_change_that_matters(client: TestClient) -> None:
    score_service.record_lefs([2] * 20)
    client.get("/scores/lefs")
    page = client.post("/scores/lefs", data=lefs_form(client, [3] * 10 + [2] * 10))
    assert page.status_code == 200
    assert "Up 10 points since" in page.text
    assert f"(40): a real change ({LEFS_MCID} points or more matters)." in page.text
    assert 'class="notice ok"' in page.text
    page = client.post("/scores/lefs", data=lefs_form(client, [3] * 5 + [2] * 15))
    assert "Down 5 points since" in page.text and "(50): no real change" in page.text


def test_an_unanswered_lefs_names_every_missing_item_and_keeps_the_answers(
    client: TestClient,
) -> None:
    client.get("/scores/lefs")
    answers: list[int | None] = [1] * 20
    answers[4] = answers[19] = None
    page = client.post("/scores/lefs", data=lefs_form(client, answers))
    assert page.status_code == 422
    assert summary(page.text) == [
        ("item_5", "Item 5 (put on your shoes or socks): choose one of the five answers."),
        ("item_20", "Item 20 (roll over in bed): choose one of the five answers."),
    ]
    assert 'id="field-item_5"' in page.text
    assert all(checked(page.text, f"item_{n}") == "1" for n in range(1, 20) if n != 5)
    assert checked(page.text, "item_5") is None
    assert score_service.score_records() == []


def test_an_empty_lefs_names_all_twenty(client: TestClient) -> None:
    client.get("/scores/lefs")
    page = client.post("/scores/lefs", data=lefs_form(client, [None] * 20))
    assert page.status_code == 422
    assert [field for field, _ in summary(page.text)] == [f"item_{n}" for n in range(1, 21)]


@pytest.mark.parametrize("wrong", ["5", "-1", "two"])
def test_an_answer_off_the_scale_is_named(client: TestClient, wrong: str) -> None:
    client.get("/scores/lefs")
    form = lefs_form(client, [2] * 20)
    form["item_3"] = wrong
    page = client.post("/scores/lefs", data=form)
    assert page.status_code == 422
    assert summary(page.text) == [
        (
            "item_3",
            f"Item 3 (get into or out of the bath): &#39;{wrong}&#39; is not an answer; "
            "choose 0 to 4.",
        )
    ]
    assert checked(page.text, "item_4") == "2"


def test_psfs_form_has_five_activities_rated_0_to_10(client: TestClient) -> None:
    page = client.get("/scores/psfs")
    assert page.status_code == 200
    for n in range(1, 6):
        assert f'id="field-activity_{n}"' in page.text
        assert all(f'id="rating_{n}-{r}"' in page.text for r in range(11))
    assert "Last time" not in page.text
    assert f'name="csrf_token" value="{csrf(client)}"' in page.text
    assert score_service.PSFS_CHANGE_SOURCE[1] in page.text


def test_a_psfs_is_scored_as_the_mean_and_compared(client: TestClient) -> None:
    client.get("/scores/psfs")
    response = client.post(
        "/scores/psfs",
        data=psfs_form(client, ("sit through a film", "3"), ("run 5 km", "4")),
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/scores?saved=psfs#result"
    first = client.get("/scores?saved=psfs")
    assert '<p class="score-big">3.5 <span class="small">out of 10' in first.text
    # Next time the same activities are offered to rate again.
    again = client.get("/scores/psfs")
    assert 'value="sit through a film"' in again.text and 'value="run 5 km"' in again.text
    assert "Last time (" in again.text and "your score was 3.5" in again.text
    second = client.post(
        "/scores/psfs", data=psfs_form(client, ("sit through a film", "6"), ("run 5 km", "6"))
    )
    assert "Up 2.5 points since" in second.text
    assert "(3.5): a medium change (1.3 points or more matters)." in second.text
    records = score_service.score_records(instrument="psfs")
    assert records[-1].answers == {
        "activities": [
            {"activity": "sit through a film", "rating": 6},
            {"activity": "run 5 km", "rating": 6},
        ]
    }


PSFS_WRONG = [
    pytest.param(
        [("", "")],
        [
            (
                "activity_1",
                "Activity 1: name at least one activity the pain makes hard, and rate it.",
            )
        ],
        id="nothing",
    ),
    pytest.param(
        [("run 5 km", "4"), ("", "7")],
        [("activity_2", "Activity 2: name the activity you rated 7.")],
        id="rating without a name",
    ),
    pytest.param(
        [("run 5 km", "")],
        [("rating_1", "Activity 1 (run 5 km): choose a rating from 0 to 10.")],
        id="name without a rating",
    ),
    pytest.param(
        [("run 5 km", "11")],
        [("rating_1", "Activity 1: &#39;11&#39; is not a rating; choose 0 to 10.")],
        id="rating off the scale",
    ),
    pytest.param(
        [("x" * 201, "3")],
        [("activity_1", "Activity 1: keep the name under 200 characters.")],
        id="name too long",
    ),
]


@pytest.mark.parametrize(("activities", "problems"), PSFS_WRONG)
def test_wrong_psfs_names_the_activity_and_keeps_what_was_typed(
    client: TestClient, activities: list[tuple[str, str]], problems: list[tuple[str, str]]
) -> None:
    client.get("/scores/psfs")
    page = client.post("/scores/psfs", data=psfs_form(client, *activities))
    assert page.status_code == 422
    assert summary(page.text) == problems
    for number, (name, rating) in enumerate(activities, start=1):
        assert f'name="activity_{number}" type="text" value="{name}"' in page.text
        if rating.isdigit() and int(rating) <= 10:
            assert checked(page.text, f"rating_{number}") == rating
    assert score_service.score_records() == []


def test_history_lists_both_questionnaires_newest_first(client: TestClient) -> None:
    score_service.record_lefs([1] * 20)
    score_service.record_lefs([3] * 20)
    score_service.record_psfs([("drive to work", 5)])
    page = client.get("/scores")
    lefs_part, psfs_part = page.text.split('id="history-psfs"')
    scores = re.findall(r"<td>([\d.]+) / (\d+)</td>", lefs_part)
    assert scores == [("60", "80"), ("20", "80")]
    assert "Up 40 points since" in lefs_part
    assert re.findall(r"<td>([\d.]+) / (\d+)</td>", psfs_part) == [("5", "10")]
    assert "Saved:" not in page.text  # no result card unless one was just saved
