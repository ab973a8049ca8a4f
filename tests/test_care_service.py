"""The care team's consent and audit (piri.services.care), on a fresh SQLite database.

Four people throughout: Ana (runner), Bea (Ana's physiotherapist), Cal (a clinician Ana never
invited) and Dan (a second runner, Bea's too in some tests)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from argon2 import PasswordHasher
from sqlalchemy import Engine, inspect, select

from piri.domain.care import (
    CODE_LENGTH,
    CodeError,
    Share,
    ShareError,
    new_code,
    normal_code,
    parse_shares,
)
from piri.services import accounts, care
from piri.services import diary as diary_service
from piri.services.care import CareError, NoAccessError, NotAClinicianError
from piri.store.database import migrate, transaction
from piri.store.models import Base, CareInvitation, Person
from piri.store.versions import data_version
from tests.store_backends import BACKENDS, fresh_engine
from tests.test_care_plan import database

CARE_TABLES = (
    "care_link",
    "care_invitation",
    "audit_entry",
    "care_note",
    "care_plan",
    "care_template",
)


@pytest.fixture(params=BACKENDS)
def people(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[dict[str, str]]:
    """SQLite, and PostgreSQL in a private schema when PIRI_TEST_POSTGRES_URL is set (the
    caseload's links and audit entries go through autocommitting statements there)."""
    with database(request.param) as url:
        monkeypatch.setenv("PIRI_HOME", str(tmp_path))
        if url is None:
            monkeypatch.delenv("PIRI_DATABASE_URL", raising=False)
        else:
            monkeypatch.setenv("PIRI_DATABASE_URL", url)
        cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
        monkeypatch.setattr(accounts, "_hasher", lambda: cheap)
        diary_service.close_engines()
        found = {
            name: accounts.sign_up(name, "correct horse battery").person
            for name in ("ana", "bea", "cal", "dan")
        }
        care.set_clinician(found["bea"], True)
        care.set_clinician(found["cal"], True)
        yield found
        diary_service.close_engines()


def link_ana_to_bea(people: dict[str, str], shares: list[str] | None = None) -> care.LinkInfo:
    invitation = care.invite_clinician(people["ana"], shares)
    assert invitation.code is not None
    return care.accept_invitation(people["bea"], invitation.code)


# --- the rules ---------------------------------------------------------------------------------


def test_codes_are_grouped_unambiguous_and_read_back_however_typed() -> None:
    code = new_code()
    assert len(code.replace("-", "")) == CODE_LENGTH and code.count("-") == 2
    assert not set(code) & set("0O1IL")
    assert normal_code(" " + code.lower().replace("-", " ") + " ") == code
    with pytest.raises(CodeError, match="has no 'O'"):
        normal_code("ABCD-EFGH-JO")
    with pytest.raises(CodeError, match="10 letters and digits, not 4"):
        normal_code("ABCD")
    with pytest.raises(CodeError, match="enter the invitation code"):
        normal_code("  ")


def test_shares_are_checked_and_put_in_their_fixed_order() -> None:
    assert parse_shares(["runs", "DIARY", "runs"]) == (Share.DIARY, Share.RUNS)
    with pytest.raises(ShareError, match="'heart' is not something"):
        parse_shares(["heart"])
    with pytest.raises(ShareError, match="at least one"):
        parse_shares([])


# --- consent -----------------------------------------------------------------------------------


def test_a_runner_invites_a_clinician_who_then_sees_only_what_was_shared(
    people: dict[str, str],
) -> None:
    link = link_ana_to_bea(people, ["diary", "runs"])
    assert (link.runner, link.clinician, link.shares) == ("ana", "bea", (Share.DIARY, Share.RUNS))
    record = care.open_record(people["bea"], "ana", Share.DIARY, "read", "diary")
    assert record.runner == people["ana"] and record.username == "ana"
    with pytest.raises(NoAccessError):
        care.open_record(people["bea"], "ana", Share.CHECKS, "read", "check results")
    assert [r.runner for r in care.my_runners(people["bea"])] == ["ana"]


def test_a_clinician_invites_a_runner_who_chooses_what_to_share(people: dict[str, str]) -> None:
    invitation = care.invite_runner(people["bea"])
    assert invitation.code is not None and invitation.made_as == "clinician"
    link = care.accept_invitation(people["dan"], invitation.code.lower(), ["sessions"])
    assert (link.runner, link.clinician, link.shares) == ("dan", "bea", (Share.SESSIONS,))


def test_a_code_works_once_and_not_for_its_maker_nor_after_a_week(
    people: dict[str, str],
) -> None:
    invitation = care.invite_clinician(people["ana"])
    assert invitation.code is not None
    with pytest.raises(CareError, match="your own invitation code"):
        care.accept_invitation(people["ana"], invitation.code)
    care.accept_invitation(people["bea"], invitation.code)
    with pytest.raises(CareError, match="has been used"):
        care.accept_invitation(people["cal"], invitation.code)
    old = care.invite_clinician(people["ana"])
    assert old.code is not None
    with transaction(diary_service.store()) as session:
        for row in session.scalars(select(CareInvitation).where(CareInvitation.used_at.is_(None))):
            row.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    with pytest.raises(CareError, match="expired") as refused:
        care.accept_invitation(people["cal"], old.code)
    assert refused.value.field == "code"
    with pytest.raises(CareError, match="not known here"):
        care.accept_invitation(people["cal"], new_code())


def test_only_a_clinician_can_take_a_runners_code_or_make_one_for_runners(
    people: dict[str, str],
) -> None:
    invitation = care.invite_clinician(people["ana"])
    assert invitation.code is not None
    with pytest.raises(NotAClinicianError):
        care.accept_invitation(people["dan"], invitation.code)
    with pytest.raises(NotAClinicianError):
        care.invite_runner(people["dan"])
    with pytest.raises(NotAClinicianError):
        care.open_caseload(people["dan"])


def test_withdrawal_is_refused_on_the_very_next_request_and_kept_in_the_team_list(
    people: dict[str, str],
) -> None:
    link = link_ana_to_bea(people)
    care.open_record(people["bea"], "ana", Share.RUNS, "read", "runs")
    care.withdraw(people["ana"], link.id)
    with pytest.raises(NoAccessError):
        care.open_record(people["bea"], "ana", None, "read", "overview")
    assert care.open_caseload(people["bea"]) == []
    team = care.care_team(people["ana"])
    assert [(t.clinician, t.open) for t in team] == [("bea", False)]
    with pytest.raises(CareError, match="already withdrawn"):
        care.withdraw(people["ana"], link.id)


def test_narrowing_what_is_shared_applies_at_once(people: dict[str, str]) -> None:
    link = link_ana_to_bea(people)
    care.change_shares(people["ana"], link.id, ["checks"])
    with pytest.raises(NoAccessError):
        care.open_record(people["bea"], "ana", Share.DIARY, "read", "diary")
    care.open_record(people["bea"], "ana", Share.CHECKS, "read", "check results")
    with pytest.raises(CareError, match="at least one"):
        care.change_shares(people["ana"], link.id, [])


def test_nobody_else_can_withdraw_or_change_a_link(people: dict[str, str]) -> None:
    link = link_ana_to_bea(people)
    with pytest.raises(CareError, match="no care-team member"):
        care.withdraw(people["dan"], link.id)
    with pytest.raises(CareError, match="no care-team member"):
        care.change_shares(people["bea"], link.id, ["diary"])


def test_a_clinician_never_invited_gets_the_same_answer_as_for_a_made_up_name(
    people: dict[str, str],
) -> None:
    link_ana_to_bea(people)
    for username in ("ana", "nobody-here"):
        with pytest.raises(NoAccessError) as refused:
            care.open_record(people["cal"], username, None, "read", "overview")
        assert str(refused.value) == str(NoAccessError())


def test_accepting_again_updates_the_open_link_instead_of_doubling_it(
    people: dict[str, str],
) -> None:
    first = link_ana_to_bea(people, ["diary"])
    second = link_ana_to_bea(people, ["runs"])
    assert first.id == second.id and second.shares == (Share.RUNS,)
    assert len(care.care_team(people["ana"])) == 1


# --- the audit log -----------------------------------------------------------------------------


def test_every_read_and_change_is_in_the_runners_audit_log_newest_first(
    people: dict[str, str],
) -> None:
    link_ana_to_bea(people)
    care.open_record(people["bea"], "ana", Share.DIARY, "read", "diary")
    care.open_record(people["bea"], "ana", Share.SESSIONS, "change", "plan", "published")
    care.open_caseload(people["bea"])
    log = care.audit_log(people["ana"])
    assert [(e.actor, e.action, e.what) for e in log] == [
        ("bea", "read", "caseload"),
        ("bea", "change", "plan"),
        ("bea", "read", "diary"),
    ]
    assert care.audit_log(people["dan"]) == []


def test_refused_requests_write_nothing(people: dict[str, str]) -> None:
    link_ana_to_bea(people, ["diary"])
    with pytest.raises(NoAccessError):
        care.open_record(people["bea"], "ana", Share.RUNS, "read", "runs")
    with pytest.raises(NoAccessError):
        care.open_record(people["cal"], "ana", None, "read", "overview")
    assert care.audit_log(people["ana"]) == []


def test_the_audit_log_and_links_leave_the_runners_data_version_alone(
    people: dict[str, str],
) -> None:
    """Writing the audit log on every read must not throw away what is kept for the runner."""
    engine = diary_service.store()
    before = data_version(engine, people["ana"])
    others = {name: data_version(engine, person) for name, person in people.items()}
    link = link_ana_to_bea(people)
    care.open_record(people["bea"], "ana", Share.DIARY, "read", "diary")
    care.open_caseload(people["bea"])
    care.withdraw(people["ana"], link.id)
    assert data_version(engine, people["ana"]) == before
    assert {name: data_version(engine, p) for name, p in people.items()} == others


def test_the_audit_log_keeps_the_clinicians_name_after_their_account_is_deleted(
    people: dict[str, str],
) -> None:
    link_ana_to_bea(people)
    care.open_record(people["bea"], "ana", Share.DIARY, "read", "diary")
    accounts.delete_account(people["bea"])
    assert [(e.actor, e.what) for e in care.audit_log(people["ana"])] == [("bea", "diary")]
    assert care.care_team(people["ana"]) == []  # the link went with the clinician
    with transaction(diary_service.store()) as session:
        assert session.scalar(select(Person.id).where(Person.name == people["bea"])) is None


def test_the_care_team_needs_an_account(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIRI_HOME", str(tmp_path))
    diary_service.close_engines()
    with pytest.raises(CareError, match="single-person mode"):
        care.invite_clinician("me")
    diary_service.close_engines()


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_migration_makes_the_care_tables_the_models_describe(
    backend: str, tmp_path: Path
) -> None:
    def ours(item: object, name: str | None, kind: str, *_: object) -> bool:
        table = getattr(item, "table", item)
        return getattr(table, "name", name) in (*CARE_TABLES, "account")

    engine: Engine
    with fresh_engine(backend, tmp_path) as engine:
        migrate(engine)
        assert set(CARE_TABLES) <= set(inspect(engine).get_table_names())
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"include_object": ours, "compare_type": True}
            )
            assert compare_metadata(context, Base.metadata) == []
