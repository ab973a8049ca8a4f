"""The care team on the web: the clinician role (account page, API), the runner's /care page
(codes both ways, what is shared, withdrawing after a confirm step, the audit log) and its
JSON twin, with wrong input named by its field, and single-person mode explaining itself."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from piri.domain.care import SHARE_LABELS, Share
from piri.services import care as care_service
from tests.web.accounts_fixtures import (
    cheap_hashing,
    csrf_of,
    multi_user_app,
    new_client,
    sign_up_and_login,
)

__all__ = ["cheap_hashing", "multi_user_app"]  # fixtures used by name

CODE = re.compile(r'id="new-code-value"[^>]*value="([A-Z0-9-]+)"')


@dataclass
class Person:
    username: str
    person: str
    client: TestClient

    def form(self, path: str, data: dict[str, str | list[str]] | None = None) -> httpx.Response:
        return self.client.post(path, data={**(data or {}), "csrf_token": csrf_of(self.client)})

    def api(self, method: str, path: str, body: object | None = None) -> httpx.Response:
        return self.client.request(
            method, "/api/v1" + path, json=body, headers={"X-CSRF-Token": csrf_of(self.client)}
        )


@pytest.fixture
def people(multi_user_app: FastAPI) -> Iterator[dict[str, Person]]:
    found = {}
    for name in ("ana", "bea", "cal"):
        client = new_client(multi_user_app)
        found[name] = Person(name, sign_up_and_login(client, name), client)
    yield found
    for person in found.values():
        person.client.close()


def code_in(page: str) -> str:
    match = CODE.search(page)
    assert match, "no new code shown on the page"
    return match.group(1)


def turn_on_clinician(person: Person) -> None:
    response = person.form("/account/clinician", {"clinician": "yes"})
    assert response.status_code == 303


def test_the_account_page_turns_the_clinician_role_on_and_off(people: dict[str, Person]) -> None:
    bea = people["bea"]
    page = bea.client.get("/account").text
    assert "I look after runners (physiotherapist or coach)" in page
    assert 'href="/clinic"' not in page
    turn_on_clinician(bea)
    assert care_service.is_clinician(bea.person)
    page = bea.client.get("/account").text
    assert re.search(r'id="field-clinician"[^>]*checked', page)
    assert '<a href="/clinic"' in page  # the navigation's Clinic entry, for clinicians only
    assert bea.form("/account/clinician", {}).status_code == 303
    assert not care_service.is_clinician(bea.person)


def test_the_role_api_reads_and_sets_it(people: dict[str, Person]) -> None:
    bea = people["bea"]
    assert bea.api("GET", "/care/role").json() == {"clinician": False}
    answer = bea.api("PUT", "/care/role", {"clinician": True})
    assert answer.json() == {"clinician": True}
    wrong = bea.api("PUT", "/care/role", {"clinician": "maybe"})
    assert wrong.status_code == 422
    assert wrong.json()["field"] == "clinician"


def test_every_page_has_the_care_team_entry_in_multi_user_mode(people: dict[str, Person]) -> None:
    page = people["ana"].client.get("/today").text
    assert '<a href="/care"' in page
    assert '<a href="/clinic"' not in page


def test_a_runner_makes_a_code_shown_once_with_every_share_ticked(
    people: dict[str, Person],
) -> None:
    ana = people["ana"]
    page = ana.client.get("/care").text
    for share in Share:
        assert SHARE_LABELS[share] in page
        assert re.search(rf'id="invite-share-{share.value}"[^>]*checked', page)
    response = ana.form("/care/invitations", {"made_as": "runner", "shares": ["diary", "runs"]})
    assert response.status_code == 201
    text = response.text
    code = code_in(text)
    assert "shown only this once" in text and "It works once, until" in text
    assert "they see your\n    pain diary and questionnaires, runs and training load." in text
    again = ana.client.get("/care").text
    assert code not in again
    assert "Codes not used yet" in again


def test_a_clinician_enters_the_runners_code_and_the_runner_sees_them(
    people: dict[str, Person],
) -> None:
    ana, bea = people["ana"], people["bea"]
    code = code_in(ana.form("/care/invitations", {"made_as": "runner", "shares": ["diary"]}).text)
    refused = bea.form("/care/accept", {"as": "runner", "code": code})
    assert refused.status_code == 403
    assert "turn on" in refused.text
    assert code in refused.text  # what was typed is kept
    turn_on_clinician(bea)
    accepted = bea.form("/care/accept", {"as": "clinician", "code": code.lower()})
    assert accepted.status_code == 303
    page = ana.client.get("/care").text
    assert '<h3 id="member-' in page and ">bea</h3>" in page
    assert "Sees pain diary and questionnaires, since" in page
    assert "ana" in bea.client.get("/care").text  # "sharing with you now"


def test_a_runner_enters_a_clinicians_code_choosing_what_to_share(
    people: dict[str, Person],
) -> None:
    ana, bea = people["ana"], people["bea"]
    turn_on_clinician(bea)
    made = bea.form("/care/invitations", {"made_as": "clinician"})
    code = code_in(made.text)
    assert "they choose what to share" in made.text
    nothing = ana.form("/care/accept", {"as": "runner", "code": code})
    assert nothing.status_code == 422
    assert 'id="error-accept_shares"' in nothing.text
    response = ana.form("/care/accept", {"as": "runner", "code": code, "shares": ["checks"]})
    assert response.status_code == 303
    [link] = care_service.care_team(ana.person)
    assert link.clinician == "bea" and link.shares == (Share.CHECKS,)


def test_a_wrong_code_is_named_on_its_field_and_kept(people: dict[str, Person]) -> None:
    response = people["ana"].form("/care/accept", {"as": "runner", "code": "ABCD-0000"})
    assert response.status_code == 422
    text = response.text
    assert 'id="error-accept_code"' in text and "An invitation code has no" in text
    assert 'value="ABCD-0000"' in text


def test_a_runner_narrows_then_withdraws_after_a_confirm_step(
    people: dict[str, Person],
) -> None:
    ana, bea = people["ana"], people["bea"]
    turn_on_clinician(bea)
    code = care_service.invite_clinician(ana.person).code
    assert code
    link = care_service.accept_invitation(bea.person, code)
    empty = ana.form(f"/care/team/{link.id}/shares", {})
    assert empty.status_code == 422
    assert f'id="error-link{link.id}_shares"' in empty.text
    narrowed = ana.form(f"/care/team/{link.id}/shares", {"shares": ["sessions"]})
    assert narrowed.status_code == 303
    assert care_service.care_team(ana.person)[0].shares == (Share.SESSIONS,)
    confirm = ana.client.get(f"/care/team/{link.id}/withdraw")
    assert confirm.status_code == 200
    assert "refused from their very next page" in confirm.text
    assert care_service.care_team(ana.person)[0].open  # asking is not doing
    done = ana.form(f"/care/team/{link.id}/withdraw")
    assert done.status_code == 303
    page = ana.client.get("/care").text
    assert "Access that ended" in page and "Nobody sees your record" in page
    assert ana.client.get(f"/care/team/{link.id}/withdraw").status_code == 422


def test_nobody_else_can_change_or_withdraw_a_runners_link(people: dict[str, Person]) -> None:
    ana, bea, cal = people["ana"], people["bea"], people["cal"]
    turn_on_clinician(bea)
    code = care_service.invite_clinician(ana.person).code
    assert code
    link = care_service.accept_invitation(bea.person, code)
    for someone in (bea, cal):
        assert someone.form(f"/care/team/{link.id}/withdraw").status_code == 422
        assert someone.api("DELETE", f"/care/team/{link.id}").status_code == 422
        patch = someone.api("PATCH", f"/care/team/{link.id}", {"shares": ["diary"]})
        assert patch.json()["field"] == "link"
    assert care_service.care_team(ana.person)[0].open
    assert care_service.care_team(ana.person)[0].shares == tuple(Share)


def test_the_audit_log_lists_reads_newest_first_and_pages(people: dict[str, Person]) -> None:
    ana, bea = people["ana"], people["bea"]
    turn_on_clinician(bea)
    code = care_service.invite_clinician(ana.person).code
    assert code
    care_service.accept_invitation(bea.person, code)
    assert "No clinician has read or changed anything" in ana.client.get("/care").text
    for number in range(55):
        care_service.open_record(bea.person, "ana", Share.DIARY, "read", f"diary {number}")
    care_service.open_record(bea.person, "ana", None, "change", "note", "a new note")
    page = ana.client.get("/care").text
    audit = page[page.index('id="audit"') :]
    assert audit.index("a new note") < audit.index("diary 54") < audit.index("diary 10")
    assert "changed" in audit and "diary 4<" not in audit and "Older entries" in audit
    older = ana.client.get("/care?audit=2").text
    assert "diary 4<" in older and "Newer entries" in older
    entries = ana.api("GET", "/care/audit?limit=3").json()["entries"]
    assert [e["what"] for e in entries] == ["note", "diary 54", "diary 53"]
    assert entries[0] | {"at": None} == {
        "at": None,
        "actor": "bea",
        "action": "change",
        "what": "note",
        "detail": "a new note",
    }
    assert ana.client.get("/care?audit=0").status_code == 422


def test_the_api_makes_codes_links_and_changes_them(people: dict[str, Person]) -> None:
    ana, bea = people["ana"], people["bea"]
    bea.api("PUT", "/care/role", {"clinician": True})
    made = ana.api("POST", "/care/invitations", {"made_as": "runner", "shares": ["runs"]})
    assert made.status_code == 201
    invitation = made.json()
    assert invitation["shares"] == ["runs"] and invitation["code"]
    accepted = bea.api("POST", "/care/accept", {"code": invitation["code"]})
    assert accepted.status_code == 201
    link = accepted.json()
    assert (link["runner"], link["clinician"], link["open"]) == ("ana", "bea", True)
    team = ana.api("GET", "/care/team").json()
    assert [member["clinician"] for member in team["team"]] == ["bea"]
    assert team["clinician"] is False and team["runners"] == []
    assert bea.api("GET", "/care/team").json()["runners"][0]["runner"] == "ana"
    patched = ana.api("PATCH", f"/care/team/{link['id']}", {"shares": ["diary", "checks"]})
    assert patched.json()["shares"] == ["diary", "checks"]
    gone = ana.api("DELETE", f"/care/team/{link['id']}")
    assert gone.status_code == 200 and gone.json()["open"] is False


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"made_as": "runner", "shares": ["x-rays"]}, "shares"),
        ({"made_as": "runner", "shares": []}, "shares"),
        ({"made_as": "coach"}, "made_as"),
        ({"made_as": "clinician", "shares": ["diary"]}, "shares"),
    ],
)
def test_the_api_names_the_field_of_a_bad_invitation(
    people: dict[str, Person], body: dict[str, object], field: str
) -> None:
    answer = people["ana"].api("POST", "/care/invitations", body)
    assert answer.status_code == 422
    assert answer.json()["field"] == field


def test_a_runner_cannot_make_a_code_for_a_runner(people: dict[str, Person]) -> None:
    answer = people["ana"].api("POST", "/care/invitations", {"made_as": "clinician"})
    assert answer.status_code == 403
    assert answer.json()["code"] == "not_a_clinician"


def test_a_bad_code_in_the_api_names_the_code_field(people: dict[str, Person]) -> None:
    answer = people["ana"].api("POST", "/care/accept", {"code": "AAAA-BBBB-CC"})
    assert answer.status_code == 422
    assert answer.json() | {"message": None} == {
        "code": "invalid_care_request",
        "field": "code",
        "message": None,
    }


def test_single_person_mode_explains_the_care_team_needs_a_shared_server(
    client: TestClient,
) -> None:
    page = client.get("/care")
    assert page.status_code == 200
    assert "needs a shared server" in page.text and "--multi-user" in page.text
    assert '<a href="/care"' not in client.get("/today").text
    answer = client.get("/api/v1/care/team")
    assert answer.status_code == 404 and answer.json()["code"] == "no_accounts"
    assert "piri serve --multi-user" in answer.json()["message"]
