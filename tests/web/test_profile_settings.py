"""The profile form (piri profile's fields and checks) and Settings: export, import, delete."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from piri.domain.diary import DayEntry
from piri.services import check as check_service
from piri.services.diary import diary, log_day
from piri.services.person_data import export_document
from piri.services.program import get_profile, profile_started, update_profile
from tests.check_answers import typical_piriformis
from tests.web.conftest import csrf

GOOD = {
    "painful_side": "right",
    "equipment": ["chair", "mini_band"],
    "minutes_per_day": "25",
    "days_per_week": "5",
    "running_status": "running_with_pain",
    "walks_30_min_pain_free": "yes",
    "goals": "sit through a film\n\nrun 10 km again\n",
}


def post_profile(client: TestClient, **changes: Any) -> Any:
    data = {**GOOD, **changes, "csrf_token": csrf(client)}
    data = {key: value for key, value in data.items() if value is not None}
    return client.post("/profile", data=data, follow_redirects=False)


def main_of(page: str) -> str:
    return page.split('<main id="main"', 1)[1].split("</main>", 1)[0]


# --- profile ---------------------------------------------------------------------------------


def test_the_profile_form_shows_every_field_of_piri_profile(client: TestClient) -> None:
    page = client.get("/profile")
    assert page.status_code == 200
    text = page.text
    assert "step 2 of 3" in text  # onboarding: no profile yet
    assert 'name="onboarding" value="1"' in text
    for name in ("painful_side", "equipment", "running_status", "walks_30_min_pain_free"):
        assert f'id="field-{name}"' in text
    for name in ("minutes_per_day", "days_per_week", "goals"):
        assert f'<label for="field-{name}">' in text
    for equipment in ("chair", "foam_roller", "mini_band", "step", "weights"):
        assert f'id="equipment-{equipment}" name="equipment" value="{equipment}"' in text
    # The defaults are shown as they are stored.
    assert 'value="20"' in text and 'value="4"' in text
    assert 'value="running_with_pain" checked' in text


def test_saving_during_onboarding_leads_to_the_plan(client: TestClient) -> None:
    check_service.remember_result(check_service.run_check(typical_piriformis()))
    response = post_profile(client, onboarding="1")
    assert response.status_code == 303
    assert response.headers["location"] == "/plan"
    profile, _phase, last_check = get_profile()
    assert profile.painful_side == "right"
    assert profile.equipment == frozenset({"chair", "mini_band"})
    assert (profile.minutes_per_day, profile.days_per_week) == (25, 5)
    assert profile.goals == ("sit through a film", "run 10 km again")
    assert profile.walks_30_min_pain_free is True
    assert last_check is not None  # the check result stays
    assert profile_started()
    assert client.get("/", follow_redirects=False).headers["location"] == "/today"


def test_saving_later_stays_on_the_profile_and_says_so(client: TestClient) -> None:
    update_profile(painful_side="left")
    page = client.get("/profile")
    assert "step 2 of 3" not in page.text
    assert 'value="left" checked' in page.text
    response = post_profile(client, equipment=None, running_status="stopped")
    assert response.status_code == 303
    assert response.headers["location"] == "/profile?saved=1"
    assert get_profile()[0].equipment == frozenset()  # none ticked: no equipment
    saved = client.get(response.headers["location"])
    assert "Saved." in saved.text
    assert 'value="stopped" checked' in saved.text


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"minutes_per_day": "abc"},
            "minutes_per_day",
            "“abc” is not a whole number; type 5 to 120",
        ),
        (
            {"minutes_per_day": "200"},
            "minutes_per_day",
            "Minutes a day: expected 5 to 120, got 200",
        ),
        ({"minutes_per_day": ""}, "minutes_per_day", "type a whole number from 5 to 120"),
        ({"days_per_week": "9"}, "days_per_week", "Days a week: expected 1 to 7, got 9"),
        ({"days_per_week": "-1"}, "days_per_week", "“-1” is not a whole number; type 1 to 7"),
        ({"painful_side": "middle"}, "painful_side", "'middle' is not one of left, right, both"),
        ({"equipment": ["chair", "sofa"]}, "equipment", "'sofa' is not one of chair"),
        ({"running_status": None}, "running_status", "choose how your running is going now"),
        ({"running_status": "sprinting"}, "running_status", "'sprinting' is not one of"),
        ({"goals": "\n".join(f"goal {n}" for n in range(6))}, "goals", "at most 5, got 6"),
        ({"goals": "x" * 101}, "goals", "each goal is 1 to 100 characters"),
        ({"walks_30_min_pain_free": "maybe"}, "walks_30_min_pain_free", "choose Yes or No"),
    ],
)
def test_a_wrong_profile_value_is_named_and_everything_typed_is_kept(
    client: TestClient, changes: dict[str, Any], field: str, message: str
) -> None:
    before = get_profile()[0]
    response = post_profile(client, **changes)
    assert response.status_code == 422
    text = html.unescape(response.text)
    assert message in text
    assert f'href="#field-{field}"' in text  # the summary links to the field
    assert get_profile()[0] == before  # nothing saved
    # What was typed stays in the form.
    minutes = changes.get("minutes_per_day", GOOD["minutes_per_day"])
    assert (
        f'id="field-minutes_per_day" name="minutes_per_day" type="text" value="{minutes}"' in text
    )
    assert 'value="chair" checked' in text
    goals = changes.get("goals", GOOD["goals"])
    assert f">{goals}</textarea>" in text or f">{goals.strip()}</textarea>" in text


def test_several_wrong_values_are_named_together(client: TestClient) -> None:
    response = post_profile(client, minutes_per_day="1", days_per_week="0")
    assert response.status_code == 422
    assert "Minutes a day: expected 5 to 120, got 1" in response.text
    assert "Days a week: expected 1 to 7, got 0" in response.text


def test_the_profile_shows_the_phase_and_the_last_check(client: TestClient) -> None:
    check_service.remember_result(check_service.run_check(typical_piriformis()))
    page = client.get("/profile").text
    assert "Program phase" in page and "Settle" in page
    assert "your answers resemble" in page
    assert 'href="/check/result"' in page


# --- settings ----------------------------------------------------------------------------------


def test_settings_shows_the_profile_and_the_data_actions(client: TestClient) -> None:
    update_profile(painful_side="right", equipment=frozenset({"step"}), goals=("run again",))
    page = client.get("/settings")
    assert page.status_code == 200
    main = main_of(page.text)
    assert "A step or a stair" in main and "run again" in main and "Right" in main
    assert 'href="/profile"' in main
    assert 'href="/settings/export"' in main
    assert 'enctype="multipart/form-data"' in main
    assert 'href="/settings/delete"' in main


def test_export_downloads_the_same_document_as_piri_export(client: TestClient) -> None:
    log_day(DayEntry(dt.date.today(), 3, 5))
    update_profile(painful_side="left")
    response = client.get("/settings/export")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    disposition = response.headers["content-disposition"]
    assert disposition == f'attachment; filename="piri-export-{dt.date.today().isoformat()}.json"'
    document = response.json()
    expected = export_document()
    document.pop("exported_at")
    expected.pop("exported_at")
    assert document == expected
    assert document["format"] == "piri-export"
    assert document["diary"][0]["pain_now"] == 3
    assert document["profile"][0]["painful_side"] == "left"


def upload(client: TestClient, content: bytes, name: str = "export.json") -> Any:
    return client.post(
        "/settings/import",
        data={"csrf_token": csrf(client)},
        files={"file": (name, content, "application/json")},
        follow_redirects=False,
    )


def test_import_restores_an_export_into_an_empty_profile(client: TestClient) -> None:
    log_day(DayEntry(dt.date.today() - dt.timedelta(days=1), 2, 4))
    update_profile(painful_side="both", minutes_per_day=30)
    document = export_document()
    assert (
        client.post(
            "/settings/delete", data={"csrf_token": csrf(client), "confirm": "delete"}
        ).status_code
        == 200
    )
    assert diary() == []
    response = upload(client, json.dumps(document).encode())
    assert response.status_code == 303
    assert response.headers["location"] == "/settings?imported=1"
    assert "Restored your export (1 diary day)." in client.get(response.headers["location"]).text
    assert [d.pain_now for d in diary()] == [2]
    assert get_profile()[0].minutes_per_day == 30


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "upload.json: the file is empty."),
        (b"{not json", "upload.json: not valid JSON (line 1: Expecting property name"),
        (b"\xff\xfe\x00", "upload.json: not a text file"),
        (b'{"format": "other"}', 'upload.json: not a Piri export (no "format": "piri-export")'),
        (b'{"format": "piri-export", "version": 9}', "upload.json: export version 9"),
        (
            b'{"format": "piri-export", "version": 1, "diary": [{"day": "2020-01-01"}]}',
            "upload.json: diary entry 1:",
        ),
        (
            b'{"format": "piri-export", "version": 1, "profile": [{"minutes_per_day": 900}]}',
            "upload.json: profile 1: minutes a day: expected 5 to 120, got 900",
        ),
    ],
)
def test_a_wrong_import_file_is_named_and_nothing_changes(
    client: TestClient, content: bytes, message: str
) -> None:
    response = upload(client, content, "upload.json")
    assert response.status_code == 422
    assert message in html.unescape(response.text)
    assert 'href="#field-file"' in response.text
    assert diary() == []


def test_import_without_a_file_or_into_a_profile_with_data_is_refused(
    client: TestClient,
) -> None:
    empty = client.post(
        "/settings/import",
        data={"csrf_token": csrf(client)},
        files={"file": ("", b"", "application/octet-stream")},
    )
    assert empty.status_code == 422
    assert "Choose a Piri export file (.json) to import." in empty.text
    log_day(DayEntry(dt.date.today(), 1, 1))
    full = upload(client, json.dumps(export_document()).encode())
    assert full.status_code == 422
    assert "this profile already holds data" in full.text
    assert len(diary()) == 1


def test_delete_asks_for_a_typed_confirmation_first(client: TestClient) -> None:
    log_day(DayEntry(dt.date.today(), 3, 5))
    page = client.get("/settings/delete")
    assert page.status_code == 200
    assert "cannot be undone" in page.text
    assert 'href="/settings/export"' in page.text  # export first
    assert '<label for="field-confirm">To confirm, type the word delete</label>' in page.text
    for typed in ("", "yes", "delet"):
        refused = client.post(
            "/settings/delete", data={"csrf_token": csrf(client), "confirm": typed}
        )
        assert refused.status_code == 422
        assert "To delete everything, type the word delete in the box" in refused.text
        assert f'name="confirm" type="text" value="{typed}"' in refused.text
        assert len(diary()) == 1


def test_delete_really_deletes_and_says_so(client: TestClient) -> None:
    log_day(DayEntry(dt.date.today(), 3, 5))
    check_service.remember_result(check_service.run_check(typical_piriformis()))
    update_profile(painful_side="right")
    response = client.post(
        "/settings/delete", data={"csrf_token": csrf(client), "confirm": " Delete "}
    )
    assert response.status_code == 200
    assert "Everything Piri stored about you was deleted." in response.text
    assert diary() == []
    assert get_profile()[2] is None
    assert not profile_started()
    assert re.search(r"step 1 of 3", client.get("/").text)  # a first visit again


def test_settings_forms_need_the_csrf_token(client: TestClient) -> None:
    log_day(DayEntry(dt.date.today(), 3, 5))
    assert client.post("/settings/delete", data={"confirm": "delete"}).status_code == 403
    assert client.post("/profile", data=GOOD).status_code == 403
    assert len(diary()) == 1
