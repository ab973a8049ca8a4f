"""Prescribing (piri.domain.care_plan, piri.services.care_plan, piri.services.care_notes).

Pure rules first (doses checked against each exercise's dose model, templates from the
content, the change in words), then the services on a fresh SQLite database with four people:
Ana (runner), Bea (Ana's physiotherapist), Cal (a clinician Ana never invited), Dan (a second
runner)."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import create_engine, select, text

from piri.content.loader import library
from piri.content.models import Phase
from piri.domain.care_plan import (
    PlanError,
    PlanItem,
    Progression,
    change_sentence,
    check_item,
    check_items,
    content_templates,
    dose_of,
    plan_changes,
    routine_template,
)
from piri.services import accounts, care
from piri.services import care_notes as notes
from piri.services import care_plan as plans
from piri.services import diary as diary_service
from piri.services import program as coach
from piri.services.care import CareError, NoAccessError, NotAClinicianError
from piri.services.care_notes import NoteNotFoundError
from piri.settings import normalise_database_url
from piri.store.database import transaction
from piri.store.models import CarePlanRow
from tests.store_backends import BACKENDS, POSTGRES_VARIABLE

MONDAY = dt.date(2026, 1, 5)
EXERCISES = library().exercises
NAMES = {e.id: e.name for e in EXERCISES.values()}


# --- doses ----------------------------------------------------------------------------------------


def test_an_item_takes_the_fields_its_exercise_is_counted_by() -> None:
    assert check_item(0, EXERCISES, "clamshell", 3, 12) == PlanItem("clamshell", 3, 12)
    held = check_item(1, EXERCISES, "supine-piriformis-stretch", 1, 3, 45, " hold gently ")
    assert held == PlanItem("supine-piriformis-stretch", 1, 3, 45, "hold gently")
    timed = check_item(2, EXERCISES, "side-plank", 3, None, 25)
    assert dose_of(EXERCISES["side-plank"], timed).duration_seconds == 25


@pytest.mark.parametrize(
    ("exercise", "sets", "reps", "hold", "field", "words"),
    [
        ("clamshell", 11, 10, None, "items.0.sets", "at most 10, got 11"),
        ("clamshell", 3, 0, None, "items.0.reps", "at least 1, got 0"),
        ("clamshell", 3, None, None, "items.0.reps", "how many reps"),
        ("clamshell", 3, 10, 5, "items.0.hold_seconds", "without holds"),
        ("clamshell", "3", 10, None, "items.0.sets", "a whole number"),
        ("side-plank", 3, 10, 20, "items.0.reps", "done for a time"),
        ("side-plank", 3, None, 2, "items.0.hold_seconds", "at least 5, got 2"),
        ("seated-piriformis-stretch", 1, 2, None, "items.0.hold_seconds", "each hold"),
        ("seated-piriformis-stretch", 1, 2, 301, "items.0.hold_seconds", "at most 300, got 301"),
        ("no-such-thing", 1, 2, None, "items.0.exercise", "no exercise"),
    ],
)
def test_a_dose_outside_the_exercise_s_model_names_the_field(
    exercise: str, sets: object, reps: object, hold: object, field: str, words: str
) -> None:
    with pytest.raises(PlanError, match=words) as refused:
        check_item(0, EXERCISES, exercise, sets, reps, hold)
    assert refused.value.field == field


def test_a_plan_needs_an_exercise_each_once_and_notes_that_can_be_stored() -> None:
    with pytest.raises(PlanError, match="at least one") as empty:
        check_items(EXERCISES, [])
    assert empty.value.field == "items"
    twice = [{"exercise": "clamshell", "sets": 2, "reps": 10}] * 2
    with pytest.raises(PlanError, match="twice") as doubled:
        check_items(EXERCISES, twice)
    assert doubled.value.field == "items.1.exercise"
    with pytest.raises(PlanError, match="at most 500") as long_note:
        check_item(0, EXERCISES, "clamshell", 2, 10, None, "x" * 501)
    assert long_note.value.field == "items.0.notes"
    with pytest.raises(PlanError, match="control character"):
        check_item(0, EXERCISES, "clamshell", 2, 10, None, "a\x00b")


# --- templates ------------------------------------------------------------------------------------


def test_the_article_s_six_come_first_with_the_content_s_doses() -> None:
    content = library()
    found = content_templates(content.routines, content.program, content.exercises)
    article = found[0]
    assert article.key == "routine:article"
    assert [i.exercise for i in article.items] == [
        "sciatic-nerve-floss",
        "figure-four-foam-roll",
        "dynamic-hamstring-stretch",
        "ninety-ninety-external-rotation",
        "clamshell",
        "monster-walk",
    ]
    clam = next(i for i in article.items if i.exercise == "clamshell")
    assert (clam.sets, clam.reps, clam.hold_seconds) == (3, 10, None)
    roll = next(i for i in article.items if i.exercise == "figure-four-foam-roll")
    assert (roll.reps, roll.hold_seconds) == (None, 45)  # timed: its seconds a set
    keys = [t.key for t in found]
    assert {"phase:settle", "phase:strengthen", "routine:relief"} <= set(keys)
    # Every template is a valid plan as it stands.
    for template in found:
        check_items(EXERCISES, [i.as_json() for i in template.items])


def test_a_phase_template_adds_the_first_rung_of_each_ladder_at_the_starting_dose() -> None:
    content = library()
    strengthen = next(
        t
        for t in content_templates(content.routines, content.program, content.exercises)
        if t.key == f"phase:{Phase.STRENGTHEN.value}"
    )
    clam = next(i for i in strengthen.items if i.exercise == "clamshell")
    assert (clam.sets, clam.reps) == (2, 8)  # START_SETS x START_REPS (ACSM novices)


# --- what changed ---------------------------------------------------------------------------------


def test_the_change_says_what_was_added_changed_and_removed() -> None:
    before = [PlanItem("clamshell", 2, 12), PlanItem("glute-bridge", 3, 10)]
    after = [PlanItem("side-plank", 3, None, 20), PlanItem("clamshell", 3, 12, None, "slowly")]
    changes = plan_changes(before, after, NAMES, "automatic", "manual")
    assert changes == [
        "added Side plank 3×20 s",
        "Clamshell with mini band dose 2×12 → 3×12",
        "new note on Clamshell with mini band",
        "removed Glute bridge",
        "doses now move only when your care team changes them",
    ]
    sentence = change_sentence("bea", dt.date(2026, 12, 2), changes[:1], first=False)
    assert (
        sentence == "bea, of your care team, changed your plan on 2 Dec: added Side plank 3×20 s."
    )
    same = plan_changes(before, before, NAMES, "manual", "manual")
    assert same == []
    assert "with no change" in change_sentence("bea", dt.date(2026, 12, 2), same, first=False)
    ended = change_sentence("bea", dt.date(2026, 12, 3), [], first=False, ended=True)
    assert "back on Piri's own program" in ended


def test_a_routine_template_round_trips_through_its_json() -> None:
    template = routine_template(library().routines["relief"], EXERCISES)
    raw = [i.as_json() for i in template.items]
    assert check_items(EXERCISES, raw) == list(template.items)


# --- the services ---------------------------------------------------------------------------------


@contextmanager
def database(backend: str) -> Iterator[str | None]:
    """None for SQLite in PIRI_HOME; for PostgreSQL the address of a private schema, dropped
    after (skipped without PIRI_TEST_POSTGRES_URL)."""
    if backend == "sqlite":
        yield None
        return
    url = os.environ.get(POSTGRES_VARIABLE, "").strip()
    if not url:
        pytest.skip(f"skipped on PostgreSQL: set {POSTGRES_VARIABLE} (.ci/run sets it)")
    schema = f"piri_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(normalise_database_url(url))
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{url}?options=-csearch_path%3D{schema}"
    finally:
        diary_service.close_engines()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def people(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[dict[str, str]]:
    with database(request.param) as url:
        yield from _people(tmp_path, monkeypatch, url)


def _people(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, url: str | None
) -> Iterator[dict[str, str]]:
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
    invitation = care.invite_clinician(found["ana"])
    assert invitation.code is not None
    care.accept_invitation(found["bea"], invitation.code)
    coach.update_profile(found["ana"], today=MONDAY, days_per_week=3, equipment=["mini_band"])
    yield found
    diary_service.close_engines()


PLAN = [
    {"exercise": "clamshell", "sets": 2, "reps": 10, "notes": "slow on the way down"},
    {"exercise": "supine-piriformis-stretch", "sets": 1, "reps": 2, "hold_seconds": 30},
]


def _train(person: str, day: dt.date, during: int, after: int, morning: int) -> list[str]:
    week, today = coach.today_plan(person, day)
    done = [coach.ExerciseDone(e, d.sets, d.sets, "done", d.reps) for e, d in today.items]
    coach.record_session(day, week.phase.id, done, during, after, person=person)
    result = coach.record_morning(morning, 1, person=person, today=day + dt.timedelta(days=1))
    return result.decisions


def test_a_published_plan_is_the_runner_s_week_on_their_own_training_days(
    people: dict[str, str],
) -> None:
    own = coach.this_week(people["ana"], MONDAY)
    published = plans.publish(people["bea"], "ana", PLAN, "manual", "routine:strength")
    assert published.author == "bea" and published.progression is Progression.MANUAL
    week = coach.this_week(people["ana"], MONDAY)
    assert week.prescribed is not None and week.prescribed.author == "bea"
    assert [d.rest_day for d in week.days] == [d.rest_day for d in own.days]
    monday = week.days[0]
    assert [e for e, _d in monday.items] == ["clamshell", "supine-piriformis-stretch"]
    clam = monday.items[0][1]
    assert (clam.sets, clam.reps, clam.note) == (2, 10, "slow on the way down")
    in_force = plans.care_plan_of(people["ana"])
    assert in_force is not None and in_force.author == "bea"
    # The runner was told, once, until dismissed.
    told = plans.plan_announcements(people["ana"])
    assert len(told) == 1 and told[0].text.startswith("bea, of your care team, set your plan")
    assert "Clamshell with mini band 2×10" in told[0].text
    assert notes.unread_notes(people["ana"]) == []  # an announcement is not a typed note
    notes.mark_read(people["ana"], told[0].id)
    assert plans.plan_announcements(people["ana"]) == []


def test_a_new_publication_says_what_changed_from_the_one_before(
    people: dict[str, str],
) -> None:
    plans.publish(people["bea"], "ana", PLAN, "automatic")
    changed = [{**PLAN[0], "sets": 3}, {"exercise": "glute-bridge", "sets": 2, "reps": 10}]
    view = plans.publish(people["bea"], "ana", changed, "automatic")
    assert view.changes == (
        "Clamshell with mini band dose 2×10 → 3×10",
        "added Glute bridge 2×10",
        "removed Lying piriformis stretch: knee towards the opposite shoulder",
    )
    newest = plans.plan_announcements(people["ana"])[0]
    assert (
        "changed your plan" in newest.text
        and "Clamshell with mini band dose 2×10 → 3×10" in newest.text
    )


def test_automatic_progression_steps_a_dose_back_after_a_painful_session(
    people: dict[str, str],
) -> None:
    plans.publish(people["bea"], "ana", [{**PLAN[0], "sets": 3}], "automatic")
    decisions = _train(people["ana"], MONDAY, 7, 7, 4)
    assert any(
        d.startswith("Clamshell with mini band: Stepping back (3 to 2 sets)") for d in decisions
    )
    clam = coach.this_week(people["ana"], MONDAY + dt.timedelta(days=2)).days[2].items[0][1]
    assert clam.sets == 2


def test_manual_progression_keeps_the_dose_and_still_advises_the_step_back(
    people: dict[str, str],
) -> None:
    plans.publish(people["bea"], "ana", [{**PLAN[0], "sets": 3}], "manual")
    decisions = _train(people["ana"], MONDAY, 7, 7, 4)
    assert decisions[0].startswith(
        "Clamshell with mini band: Stepping back is advised (3 to 2 sets)"
    )
    assert "tell bea" in decisions[0]
    clam = coach.this_week(people["ana"], MONDAY + dt.timedelta(days=2)).days[2].items[0][1]
    assert clam.sets == 3


def test_manual_progression_never_raises_a_dose_on_easy_sessions(
    people: dict[str, str],
) -> None:
    plans.publish(people["bea"], "ana", [PLAN[0]], "manual")
    day = MONDAY
    for _ in range(4):
        decisions = _train(people["ana"], day, 1, 1, 1)
        assert all("Moving up" not in d for d in decisions)
        day += dt.timedelta(days=2)
    clam = coach.this_week(people["ana"], day).days[day.weekday()].items
    assert all(dose.reps == 10 and dose.sets == 2 for _e, dose in clam)


def test_ending_the_plan_is_back_to_piri_s_own_program(people: dict[str, str]) -> None:
    own = coach.this_week(people["ana"], MONDAY)
    plans.publish(people["bea"], "ana", PLAN, "manual")
    plans.end_plan(people["bea"], "ana")
    week = coach.this_week(people["ana"], MONDAY)
    assert week.prescribed is None and week.days == own.days
    assert plans.care_plan_of(people["ana"]) is None
    assert "ended your plan" in plans.plan_announcements(people["ana"])[0].text
    with pytest.raises(CareError, match="no plan"):
        plans.end_plan(people["bea"], "ana")


def test_only_a_linked_clinician_sharing_sessions_may_prescribe(people: dict[str, str]) -> None:
    with pytest.raises(NoAccessError):
        plans.publish(people["cal"], "ana", PLAN, "manual")
    with pytest.raises(NoAccessError):
        plans.builder(people["bea"], "dan")
    with pytest.raises(NotAClinicianError):
        plans.builder(people["dan"], "ana")
    link = care.care_team(people["ana"])[0]
    care.change_shares(people["ana"], link.id, ["diary"])
    with pytest.raises(NoAccessError):
        plans.publish(people["bea"], "ana", PLAN, "manual")
    notes.write_note(people["bea"], "ana", "Any share lets me write to you.")
    care.withdraw(people["ana"], link.id)
    with pytest.raises(NoAccessError):
        notes.write_note(people["bea"], "ana", "Still there?")


def test_publishing_and_reading_the_builder_are_on_the_runner_s_audit_log(
    people: dict[str, str],
) -> None:
    plans.builder(people["bea"], "ana")
    plans.publish(people["bea"], "ana", PLAN, "manual")
    entries = [(e.action, e.what) for e in care.audit_log(people["ana"])]
    assert entries[:2] == [("change", "plan"), ("read", "plan")]


def test_a_bad_dose_is_refused_with_its_field_and_nothing_is_published(
    people: dict[str, str],
) -> None:
    with pytest.raises(CareError) as refused:
        plans.publish(people["bea"], "ana", [{**PLAN[0], "reps": 0}], "manual")
    assert refused.value.field == "items.0.reps"
    with pytest.raises(CareError) as wrong:
        plans.publish(people["bea"], "ana", PLAN, "sometimes")
    assert wrong.value.field == "progression"
    assert plans.care_plan_of(people["ana"]) is None


def test_templates_are_the_clinician_s_own_with_names_unique_to_them(
    people: dict[str, str],
) -> None:
    saved = plans.save_template(people["bea"], "  Early   glutes ", PLAN)
    assert saved.name == "Early glutes" and saved.key.startswith("mine:")
    with pytest.raises(CareError, match="already have a template") as taken:
        plans.save_template(people["bea"], "early GLUTES", PLAN)
    assert taken.value.field == "name"
    plans.save_template(people["cal"], "Early glutes", PLAN)  # another clinician's own
    with pytest.raises(CareError) as unnamed:
        plans.save_template(people["bea"], "  ", PLAN)
    assert unnamed.value.field == "name"
    builder = plans.builder(people["bea"], "ana")
    assert builder.templates[0].key == "routine:article"
    assert builder.templates[-1].name == "Early glutes"
    template_id = int(saved.key.split(":")[1])
    with pytest.raises(CareError, match="no template"):
        plans.delete_template(people["cal"], template_id)
    plans.delete_template(people["bea"], template_id)
    assert plans.my_templates(people["bea"]) == []
    with pytest.raises(NotAClinicianError):
        plans.save_template(people["ana"], "Mine", PLAN)


def test_notes_show_newest_first_until_read_and_only_the_runner_marks_them(
    people: dict[str, str],
) -> None:
    first = notes.write_note(people["bea"], "ana", "Well done this week.")
    second = notes.write_note(people["bea"], "ana", "  Try the bridge slower.  ")
    assert [n.text for n in notes.unread_notes(people["ana"])] == [
        "Try the bridge slower.",
        "Well done this week.",
    ]
    assert notes.unread_notes(people["ana"])[0].author == "bea"
    with pytest.raises(NoteNotFoundError):
        notes.mark_read(people["dan"], first.id)
    notes.mark_read(people["ana"], second.id)
    assert [n.id for n in notes.unread_notes(people["ana"])] == [first.id]
    with pytest.raises(CareError) as empty:
        notes.write_note(people["bea"], "ana", "   ")
    assert empty.value.field == "text"
    with pytest.raises(CareError, match="at most 2000") as long:
        notes.write_note(people["bea"], "ana", "x" * 2001)
    assert long.value.field == "text"
    with pytest.raises(NoAccessError):
        notes.write_note(people["cal"], "ana", "Hello")


def test_a_single_person_has_no_care_plan_and_no_cards(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PIRI_HOME", str(tmp_path))
    diary_service.close_engines()
    coach.update_profile(today=MONDAY)
    assert coach.this_week(today=MONDAY).prescribed is None
    assert plans.care_plan_of(diary_service.LOCAL_PERSON) is None
    assert plans.plan_announcements(diary_service.LOCAL_PERSON) == []
    assert notes.unread_notes(diary_service.LOCAL_PERSON) == []
    diary_service.close_engines()


def test_a_stored_plan_naming_an_exercise_gone_from_the_library_still_gives_a_week(
    people: dict[str, str],
) -> None:
    plans.publish(people["bea"], "ana", PLAN, "automatic")
    with transaction(diary_service.store()) as session:
        row = session.scalars(select(CarePlanRow)).one()
        row.items = [*row.items, {"exercise": "retired-exercise", "sets": 1, "reps": 5}]
    week = coach.this_week(people["ana"], MONDAY)
    assert [e for e, _d in week.days[0].items] == ["clamshell", "supine-piriformis-stretch"]
    in_force = plans.care_plan_of(people["ana"])
    assert in_force is not None and in_force.items[-1].exercise == "retired-exercise"


def test_the_runner_s_export_keeps_their_plans_and_notes_and_they_import_back(
    people: dict[str, str],
) -> None:
    from piri.services import person_data

    plans.publish(people["bea"], "ana", PLAN, "manual", "routine:strength")
    notes.write_note(people["bea"], "ana", "Well done this week.")
    document = person_data.export_document(people["ana"])
    (plan,) = document["care_plans"]
    assert plan["author_name"] == "bea" and plan["progression"] == "manual"
    assert [item["exercise"] for item in plan["items"]] == [
        "clamshell",
        "supine-piriformis-stretch",
    ]
    assert "author_id" not in plan and "person_id" not in plan  # ids of this database only
    texts = [note["text"] for note in document["care_notes"]]
    assert "Well done this week." in texts  # beside the plan's announcement
    assert all("runner_id" not in note for note in document["care_notes"])
    # Dan's empty profile takes it back whole: the plan is his week, the note his to read.
    person_data.import_document(document, people["dan"], today=MONDAY)
    again = plans.care_plan_of(people["dan"])
    assert again is not None and again.author == "bea"
    assert [n.text for n in notes.unread_notes(people["dan"])] == ["Well done this week."]
    assert person_data.export_document(people["dan"])["care_plans"] == document["care_plans"]
