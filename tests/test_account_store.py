"""Accounts, login sessions and API tokens: the tables on SQLite and PostgreSQL, the services.

The services' rules: usernames and passwords, argon2id hashes, tokens stored only as their
SHA-256, sessions that end after 30 days without use (sliding), sign-out, password change,
API tokens, and deleting an account with everything of its person.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from argon2 import PasswordHasher, extract_parameters
from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.exc import IntegrityError

from piri.domain.diary import DayEntry
from piri.services import accounts
from piri.services import diary as diary_service
from piri.services.accounts import AccountError, LoginFailedError, UsernameTakenError
from piri.services.library import NotFoundError
from piri.services.person_data import export_document, forget
from piri.store import accounts as account_store
from piri.store import diary as diary_store
from piri.store.database import migrate, transaction
from piri.store.models import Account, ApiToken, Base, LoginSession
from tests.store_backends import BACKENDS, fresh_engine

NOW = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.UTC)
ACCOUNT_TABLES = ("account", "login_session", "api_token")
PASSWORD = "a long enough password"


# The tables, on both databases


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    with fresh_engine(request.param, tmp_path) as fresh:
        migrate(fresh)
        yield fresh


def test_the_migration_makes_the_account_tables_exactly_as_the_models_say(engine: Engine) -> None:
    assert set(ACCOUNT_TABLES) <= set(inspect(engine).get_table_names())
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_object": only_account_tables, "compare_type": True}
        )
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def only_account_tables(item: object, name: str | None, kind: str, *_: object) -> bool:
    table = getattr(item, "table", item)
    return getattr(table, "name", name) in ACCOUNT_TABLES


def add(session: object, username: str, person: str = "") -> Account:
    from sqlalchemy.orm import Session

    assert isinstance(session, Session)
    return account_store.add_account(
        session, username, "$argon2id$fake", person or f"account:{username.lower()}", NOW
    )


def test_usernames_are_unique_whatever_their_case_in_the_database_itself(engine: Engine) -> None:
    with transaction(engine) as session:
        add(session, "Alice")
    with pytest.raises(IntegrityError), transaction(engine) as session:
        add(session, "ALICE", person="account:other")
    with transaction(engine) as session:
        found = account_store.account_by_username(session, "aLiCe")
        assert found is not None and found.username == "Alice"


def test_forgetting_the_person_deletes_the_account_its_sessions_and_tokens_only(
    engine: Engine,
) -> None:
    with transaction(engine) as session:
        for name in ("ana", "ben"):
            account = add(session, name)
            account_store.add_login_session(session, account, f"{name}-s", NOW, NOW)
            account_store.add_api_token(session, account, "script", f"{name}-t", NOW)
            owner = diary_store.person_id(session, f"account:{name}")
            diary_store.save_day(session, owner, DayEntry(NOW.date(), 3, 4, notes=name))
    with transaction(engine) as session:
        assert diary_store.forget_person(session, "account:ana")
    with transaction(engine) as session:
        assert [a.username for a in session.scalars(select(Account))] == ["ben"]
        assert [s.token_hash for s in session.scalars(select(LoginSession))] == ["ben-s"]
        assert [t.token_hash for t in session.scalars(select(ApiToken))] == ["ben-t"]
        ben = diary_store.person_id(session, "account:ben")
        assert [d.notes for d in diary_store.days(session, ben)] == ["ben"]


def test_one_account_cannot_revoke_or_end_another_accounts_tokens(engine: Engine) -> None:
    with transaction(engine) as session:
        ana, ben = add(session, "ana"), add(session, "ben")
        token = account_store.add_api_token(session, ana, "script", "ana-t", NOW)
        for name in ("ana-1", "ana-2"):
            account_store.add_login_session(session, ana, name, NOW, NOW + dt.timedelta(days=1))
        assert not account_store.revoke_api_token(session, ben, token.id, NOW)
        assert account_store.end_login_sessions(session, ben) == 0
        assert account_store.end_login_sessions(session, ana, keep_hash="ana-2") == 1
    with transaction(engine) as session:
        row = account_store.api_token(session, "ana-t")
        assert row is not None and row.revoked_at is None
        assert account_store.login_session(session, "ana-1") is None
        assert account_store.login_session(session, "ana-2") is not None


def test_times_come_back_in_utc_on_both_databases(engine: Engine) -> None:
    with transaction(engine) as session:
        account = add(session, "ana")
        account_store.add_login_session(session, account, "h", NOW, NOW + dt.timedelta(days=30))
    with transaction(engine) as session:
        row = account_store.login_session(session, "h")
        assert row is not None
        assert account_store.utc(row.expires_at) == NOW + dt.timedelta(days=30)
        assert account_store.end_expired_sessions(session, NOW + dt.timedelta(days=30)) == 1


# The services (SQLite in a fresh PIRI_HOME)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("PIRI_HOME", str(tmp_path))
    monkeypatch.delenv("PIRI_DATABASE_URL", raising=False)
    diary_service.close_engines()
    yield tmp_path
    diary_service.close_engines()


@pytest.fixture
def cheap(home: Path, monkeypatch: pytest.MonkeyPatch) -> PasswordHasher:
    hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(accounts, "_hasher", lambda: hasher)
    return hasher


@pytest.mark.parametrize(
    ("username", "words"),
    [
        ("", "Enter a username"),
        ("   ", "Enter a username"),
        ("ab", "has 2 characters"),
        ("a" * 41, "has 41 characters"),
        ("ana maria", "cannot contain a space"),
        ("ana@home", "cannot contain '@'"),
        ("åsa", "cannot contain 'å'"),
    ],
)
def test_a_wrong_username_is_refused_with_a_message_that_names_the_field_and_the_rule(
    cheap: PasswordHasher, username: str, words: str
) -> None:
    with pytest.raises(AccountError) as raised:
        accounts.sign_up(username, PASSWORD)
    assert raised.value.field == "username"
    assert words in raised.value.message
    assert "username" in raised.value.message and "3 to 40" in raised.value.message


@pytest.mark.parametrize(
    ("password", "words"),
    [
        ("short", "at least 10 characters long (this one has 5)"),
        ("ana.runner", "cannot be the same as the username"),
        ("ANA.RUNNER", "cannot be the same as the username"),
        ("x" * 1001, "at most 1000"),
    ],
)
def test_a_weak_password_is_refused_with_the_rule(
    cheap: PasswordHasher, password: str, words: str
) -> None:
    with pytest.raises(AccountError) as raised:
        accounts.sign_up("ana.runner", password)
    assert raised.value.field == "password"
    assert words in raised.value.message
    assert accounts.find_account("ana.runner") is None


def test_usernames_of_letters_digits_dots_underscores_and_hyphens_are_taken_once(
    cheap: PasswordHasher,
) -> None:
    made = accounts.sign_up(" Ana_Runner-2.0 ", PASSWORD)
    assert made.username == "Ana_Runner-2.0"
    assert made.person.startswith("account:") and made.person != diary_service.LOCAL_PERSON
    with pytest.raises(UsernameTakenError) as raised:
        accounts.sign_up("ana_runner-2.0", "another long password")
    assert raised.value.field == "username" and "is taken" in raised.value.message
    other = accounts.sign_up("ben", PASSWORD)
    assert other.person != made.person


def test_passwords_are_stored_as_argon2id_with_the_librarys_defaults(home: Path) -> None:
    accounts.sign_up("ana", PASSWORD)
    with transaction(diary_service.store()) as session:
        stored = session.scalars(select(Account.password_hash)).one()
    defaults = PasswordHasher()
    parameters = extract_parameters(stored)
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    assert (parameters.time_cost, parameters.memory_cost, parameters.parallelism) == (
        defaults.time_cost,
        defaults.memory_cost,
        defaults.parallelism,
    )


def test_a_hash_made_with_older_settings_is_replaced_at_the_next_login(
    cheap: PasswordHasher, monkeypatch: pytest.MonkeyPatch
) -> None:
    accounts.sign_up("ana", PASSWORD)
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher)  # the defaults again
    accounts.log_in("ana", PASSWORD)
    with transaction(diary_service.store()) as session:
        stored = session.scalars(select(Account.password_hash)).one()
    assert extract_parameters(stored).memory_cost == PasswordHasher().memory_cost
    accounts.log_in("ana", PASSWORD)  # and the new hash still opens the account


def test_a_wrong_password_and_an_unknown_username_fail_with_the_same_message(
    cheap: PasswordHasher,
) -> None:
    accounts.sign_up("ana", PASSWORD)
    messages = set()
    for username, password in [("ana", "wrong password"), ("nobody", PASSWORD), ("", "")]:
        with pytest.raises(LoginFailedError) as raised:
            accounts.log_in(username, password)
        messages.add(str(raised.value))
    assert messages == {accounts.LOGIN_FAILED}
    assert accounts.log_in("ANA", PASSWORD)  # the username in any case


def all_stored_text() -> str:
    with transaction(diary_service.store()) as session:
        rows = []
        for table in ("account", "login_session", "api_token", "person"):
            rows += [repr(tuple(row)) for row in session.execute(text(f"SELECT * FROM {table}"))]
    return "\n".join(rows)


def test_session_and_api_tokens_are_stored_only_as_their_sha256(cheap: PasswordHasher) -> None:
    ana = accounts.sign_up("ana", PASSWORD)
    session_token = accounts.log_in("ana", PASSWORD)
    api = accounts.create_api_token(ana.person, "script")
    stored = all_stored_text()
    for raw in (session_token, api.token):
        assert raw not in stored
        assert hashlib.sha256(raw.encode()).hexdigest() in stored
    assert len(session_token) >= 43  # 32 random bytes, base64
    assert api.token.startswith("piri_") and len(api.token) >= 48


def test_a_session_lasts_thirty_days_after_its_last_use(cheap: PasswordHasher) -> None:
    ana = accounts.sign_up("ana", PASSWORD)
    token = accounts.open_session(ana, now=NOW)
    day = dt.timedelta(days=1)
    used = accounts.session_account(token, now=NOW + 29 * day)
    assert used is not None and used.person == ana.person and used.username == "ana"
    assert accounts.session_account(token, now=NOW + 58 * day) is not None  # slid on use
    assert accounts.session_account(token, now=NOW + 58 * day + 30 * day) is None
    assert accounts.session_account(token, now=NOW + 58 * day) is None  # and is gone
    short = accounts.open_session(ana, days=2, now=NOW)
    assert accounts.session_account(short, days=2, now=NOW + 3 * day) is None
    assert accounts.session_account("made-up", now=NOW) is None


def test_logging_out_ends_one_session_and_everywhere_ends_them_all(cheap: PasswordHasher) -> None:
    ana = accounts.sign_up("ana", PASSWORD)
    phone, laptop, tablet = (accounts.log_in("ana", PASSWORD) for _ in range(3))
    ben = accounts.sign_up("ben", PASSWORD)
    bens = accounts.open_session(ben)
    assert accounts.active_sessions(ana.person) == 3
    assert accounts.log_out(phone)
    assert not accounts.log_out(phone)
    assert accounts.session_account(phone) is None
    assert accounts.session_account(laptop) is not None
    assert accounts.log_out_everywhere(ana.person) == 2
    assert accounts.session_account(tablet) is None
    assert accounts.session_account(bens) is not None


def test_changing_the_password_checks_the_old_one_and_ends_the_other_sessions(
    cheap: PasswordHasher,
) -> None:
    ana = accounts.sign_up("ana", PASSWORD)
    here, elsewhere = accounts.log_in("ana", PASSWORD), accounts.log_in("ana", PASSWORD)
    token = accounts.create_api_token(ana.person, "script")
    with pytest.raises(AccountError) as wrong:
        accounts.change_password(ana.person, "not it at all", "a brand new password")
    assert wrong.value.field == "current_password"
    for new, words in [("short", "at least 10"), ("ANA", "at least 10"), (PASSWORD, "same as")]:
        with pytest.raises(AccountError) as weak:
            accounts.change_password(ana.person, PASSWORD, new)
        assert weak.value.field == "new_password" and words in weak.value.message
    assert accounts.change_password(ana.person, PASSWORD, "a brand new password", here) == 1
    assert accounts.session_account(here) is not None
    assert accounts.session_account(elsewhere) is None
    assert accounts.token_account(token.token) is not None  # tokens are revoked on their own
    with pytest.raises(LoginFailedError):
        accounts.log_in("ana", PASSWORD)
    accounts.log_in("ana", "a brand new password")


def test_api_tokens_are_named_listed_used_and_revoked_by_their_owner_only(
    cheap: PasswordHasher,
) -> None:
    ana, ben = accounts.sign_up("ana", PASSWORD), accounts.sign_up("ben", PASSWORD)
    first = accounts.create_api_token(ana.person, "  garmin   sync ", now=NOW)
    second = accounts.create_api_token(ana.person, "laptop")
    assert first.info.name == "garmin sync" and first.info.last_used is None
    assert [t.name for t in accounts.api_tokens(ana.person)] == ["garmin sync", "laptop"]
    assert accounts.api_tokens(ben.person) == []
    found = accounts.token_account(first.token)
    assert found is not None and found.person == ana.person
    assert accounts.api_tokens(ana.person)[0].last_used is not None
    with pytest.raises(NotFoundError) as not_bens:
        accounts.revoke_api_token(ben.person, first.info.id)
    assert not_bens.value.available == []
    assert accounts.token_account(first.token) is not None
    revoked = accounts.revoke_api_token(ana.person, first.info.id)
    assert revoked.revoked_at is not None and not revoked.active
    assert accounts.token_account(first.token) is None
    assert accounts.token_account(second.token) is not None
    assert accounts.revoke_api_token(ana.person, first.info.id).revoked_at == revoked.revoked_at
    assert accounts.token_account("piri_made-up") is None
    assert accounts.token_account(accounts.open_session(ana)) is None  # a session is no token


@pytest.mark.parametrize(("name", "words"), [("  ", "Give the token a name"), ("x" * 61, "60")])
def test_a_token_needs_a_short_name(cheap: PasswordHasher, name: str, words: str) -> None:
    ana = accounts.sign_up("ana", PASSWORD)
    with pytest.raises(AccountError) as raised:
        accounts.create_api_token(ana.person, name)
    assert raised.value.field == "name" and words in raised.value.message


def test_an_account_holds_a_limited_number_of_tokens_in_use(
    cheap: PasswordHasher, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(accounts, "MAX_ACTIVE_TOKENS", 2)
    ana = accounts.sign_up("ana", PASSWORD)
    first = accounts.create_api_token(ana.person, "one")
    accounts.create_api_token(ana.person, "two")
    with pytest.raises(AccountError, match="already has 2 API tokens"):
        accounts.create_api_token(ana.person, "three")
    accounts.revoke_api_token(ana.person, first.info.id)
    accounts.create_api_token(ana.person, "three")


def test_deleting_an_account_deletes_its_data_and_sessions_and_nobody_elses(
    cheap: PasswordHasher,
) -> None:
    ana, ben = accounts.sign_up("ana", PASSWORD), accounts.sign_up("ben", PASSWORD)
    day = dt.date(2026, 11, 2)
    for who in (ana, ben):
        diary_service.log_day(DayEntry(day, 3, 4, notes=who.username), person=who.person, today=day)
    session = accounts.open_session(ana)
    token = accounts.create_api_token(ana.person, "script").token
    assert accounts.delete_account(ana.person)
    assert not accounts.delete_account(ana.person)
    assert accounts.find_account("ana") is None
    assert accounts.session_account(session) is None and accounts.token_account(token) is None
    with pytest.raises(LoginFailedError):
        accounts.log_in("ana", PASSWORD)
    assert [d.notes for d in diary_service.diary(person=ben.person)] == ["ben"]
    assert export_document(ana.person)["diary"] == []
    assert not accounts.delete_account(diary_service.LOCAL_PERSON)  # the local person has none
    accounts.sign_up("ana", PASSWORD)  # the name is free again, with an empty person


def test_forgetting_a_persons_data_closes_their_account_too(cheap: PasswordHasher) -> None:
    ana = accounts.sign_up("ana", PASSWORD)
    session = accounts.open_session(ana)
    assert forget(ana.person)
    assert accounts.find_account("ana") is None
    assert accounts.session_account(session) is None
