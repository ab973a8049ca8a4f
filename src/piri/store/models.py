"""The tables. Every row that belongs to a person carries ``person_id``."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Person(Base):
    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    # A new random token whenever any of the person's data changes (piri.store.versions).
    data_version: Mapped[str] = mapped_column(String(32), default=lambda: uuid.uuid4().hex)
    # Deleting a person deletes their rows, in the database and in the session alike.
    diary: Mapped[list[DiaryEntry]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    profile: Mapped[Profile | None] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    sessions: Mapped[list[SessionRecord]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    prescriptions: Mapped[list[PrescriptionRow]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    scores: Mapped[list[OutcomeScore]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    activities: Mapped[list[ActivityRow]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )


class DiaryEntry(Base):
    """One day of the pain diary; a second entry for the same day updates it."""

    __tablename__ = "diary_entry"
    __table_args__ = (
        UniqueConstraint("person_id", "day", name="one_diary_entry_a_day"),
        CheckConstraint("pain_now BETWEEN 0 AND 10", name="pain_now_0_10"),
        CheckConstraint("worst_pain BETWEEN 0 AND 10", name="worst_pain_0_10"),
        CheckConstraint("sitting_pain BETWEEN 0 AND 10", name="sitting_pain_0_10"),
        CheckConstraint("running_pain BETWEEN 0 AND 10", name="running_pain_0_10"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    day: Mapped[dt.date] = mapped_column(Date)
    pain_now: Mapped[int] = mapped_column(Integer)
    worst_pain: Mapped[int] = mapped_column(Integer)
    sitting_pain: Mapped[int | None] = mapped_column(Integer)
    sitting_minutes_before_pain: Mapped[int | None] = mapped_column(Integer)
    running_pain: Mapped[int | None] = mapped_column(Integer)
    tingling: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(Text, default="")


class Profile(Base):
    """What the program is built from; one per person."""

    __tablename__ = "profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), unique=True)
    painful_side: Mapped[str | None] = mapped_column(String(10))
    equipment: Mapped[list[str]] = mapped_column(JSON, default=list)
    minutes_per_day: Mapped[int] = mapped_column(Integer, default=20)
    days_per_week: Mapped[int] = mapped_column(Integer, default=4)
    running_status: Mapped[str] = mapped_column(String(20), default="running_with_pain")
    goals: Mapped[list[str]] = mapped_column(JSON, default=list)
    walks_30_min_pain_free: Mapped[bool] = mapped_column(Boolean, default=False)
    phase: Mapped[str] = mapped_column(String(20), default="settle")
    phase_since: Mapped[dt.date | None] = mapped_column(Date)
    last_check: Mapped[dict[str, object] | None] = mapped_column(JSON)


class SessionRecord(Base):
    """One session as it happened: what was done and how the pain answered."""

    __tablename__ = "session_record"
    __table_args__ = (
        CheckConstraint("pain_during BETWEEN 0 AND 10", name="pain_during_0_10"),
        CheckConstraint("pain_after BETWEEN 0 AND 10", name="pain_after_0_10"),
        CheckConstraint("pain_next_morning BETWEEN 0 AND 10", name="pain_next_morning_0_10"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    day: Mapped[dt.date] = mapped_column(Date)
    routine: Mapped[str] = mapped_column(String(50))
    phase: Mapped[str] = mapped_column(String(20))
    # [{"exercise": id, "sets_done": n, "sets_planned": n, "reps": n, "status": "..."}]
    exercises: Mapped[list[dict[str, object]]] = mapped_column(JSON, default=list)
    completed: Mapped[bool] = mapped_column(Boolean, default=False)
    pain_during: Mapped[int | None] = mapped_column(Integer)
    pain_after: Mapped[int | None] = mapped_column(Integer)
    pain_next_morning: Mapped[int | None] = mapped_column(Integer)
    usual_morning_pain: Mapped[int | None] = mapped_column(Integer)
    decisions: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")


class PrescriptionRow(Base):
    """The current dose of one strength exercise for one person."""

    __tablename__ = "prescription"
    __table_args__ = (UniqueConstraint("person_id", "slot", name="one_dose_per_slot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    slot: Mapped[str] = mapped_column(
        String(50)
    )  # the exercise line, named after its first exercise
    exercise: Mapped[str] = mapped_column(String(50))
    sets: Mapped[int] = mapped_column(Integer)
    reps: Mapped[int] = mapped_column(Integer)
    good_sessions: Mapped[int] = mapped_column(Integer, default=0)


class OutcomeScore(Base):
    """A scored outcome questionnaire (LEFS, PSFS) on a day."""

    __tablename__ = "outcome_score"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    day: Mapped[dt.date] = mapped_column(Date)
    instrument: Mapped[str] = mapped_column(String(10))
    score: Mapped[float] = mapped_column()
    answers: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)


class ActivityRow(Base):
    """One imported activity's summary (see piri.domain.activity.Activity)."""

    __tablename__ = "activity"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    start: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    utc_offset_seconds: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(10))
    sport: Mapped[str] = mapped_column(String(40))
    sub_sport: Mapped[str | None] = mapped_column(String(40))
    elapsed_seconds: Mapped[float] = mapped_column()
    moving_seconds: Mapped[float | None] = mapped_column()
    distance_m: Mapped[float | None] = mapped_column()
    ascent_m: Mapped[float | None] = mapped_column()
    avg_heart_rate: Mapped[int | None] = mapped_column(Integer)
    max_heart_rate: Mapped[int | None] = mapped_column(Integer)
    avg_cadence_spm: Mapped[float | None] = mapped_column()
    avg_stance_time_ms: Mapped[float | None] = mapped_column()
    stance_time_balance_left_pct: Mapped[float | None] = mapped_column()
    avg_vertical_oscillation_mm: Mapped[float | None] = mapped_column()
    device: Mapped[str | None] = mapped_column(String(100))
    has_gps: Mapped[bool] = mapped_column(Boolean)
    laps: Mapped[list[dict[str, object]]] = mapped_column(JSON, default=list)
    file_sha256: Mapped[str] = mapped_column(String(64), index=True)
    origin: Mapped[str] = mapped_column(Text)
    rpe: Mapped[int | None] = mapped_column(Integer)  # effort 0-10, when the runner rated it


class WalkRunRecord(Base):
    """One run of the return-to-running plan as the runner reported it (one a day).

    The verdicts are not stored: they follow from these reports and the plan's steps, in order
    (``piri.domain.return_to_run.replay``).
    """

    __tablename__ = "walk_run"
    __table_args__ = (
        UniqueConstraint("person_id", "day", name="one_walk_run_a_day"),
        CheckConstraint("pain_during BETWEEN 0 AND 10", name="walk_run_pain_during_0_10"),
        CheckConstraint("pain_after BETWEEN 0 AND 10", name="walk_run_pain_after_0_10"),
        CheckConstraint(
            "pain_next_morning BETWEEN 0 AND 10", name="walk_run_pain_next_morning_0_10"
        ),
        CheckConstraint("usual_morning_pain BETWEEN 0 AND 10", name="walk_run_usual_0_10"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    day: Mapped[dt.date] = mapped_column(Date)
    step: Mapped[str] = mapped_column(String(40))  # the step id the run was planned as
    planned_minutes: Mapped[int] = mapped_column(Integer)
    pain_during: Mapped[int] = mapped_column(Integer)
    pain_after: Mapped[int] = mapped_column(Integer)
    pain_built: Mapped[bool] = mapped_column(Boolean, default=False)
    limp: Mapped[bool] = mapped_column(Boolean, default=False)
    finished: Mapped[bool] = mapped_column(Boolean, default=True)
    pain_next_morning: Mapped[int | None] = mapped_column(Integer)
    usual_morning_pain: Mapped[int | None] = mapped_column(Integer)
    # The imported activity it was matched to: its file hash (or start time), which survives
    # an export and import, unlike a row id.
    activity_key: Mapped[str | None] = mapped_column(String(64))
    notes: Mapped[str] = mapped_column(Text, default="")


class Account(Base):
    """A sign-in on a shared (multi-user) server, linked to the person whose data it opens.

    Deleting the person deletes the account (and so its sessions and tokens) with them.
    """

    __tablename__ = "account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40))  # as the person typed it
    # The username in lower case: usernames are unique whatever their case.
    username_key: Mapped[str] = mapped_column(String(40), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))  # argon2id, PHC string format
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    # Also looks after other runners (physiotherapist, coach): may accept their invitations.
    is_clinician: Mapped[bool] = mapped_column(Boolean, default=False)
    person: Mapped[Person] = relationship()
    login_sessions: Mapped[list[LoginSession]] = relationship(
        back_populates="account", cascade="all, delete-orphan", passive_deletes=True
    )
    api_tokens: Mapped[list[ApiToken]] = relationship(
        back_populates="account", cascade="all, delete-orphan", passive_deletes=True
    )


class LoginSession(Base):
    """A browser signed in to an account. Only the SHA-256 of its random token is kept."""

    __tablename__ = "login_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_seen: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    account: Mapped[Account] = relationship(back_populates="login_sessions")


class ApiToken(Base):
    """A named token for scripts ('Authorization: Bearer ...'); only its SHA-256 is kept."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_used: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    account: Mapped[Account] = relationship(back_populates="api_tokens")


class CalendarFeed(Base):
    """A person's published calendar feed (multi-user mode): the address a calendar app
    subscribes to carries a random token, of which only the SHA-256 is kept. One per person;
    resetting it replaces the token, turning it off deletes the row. Never exported (it is a
    secret), deleted with the person."""

    __tablename__ = "calendar_feed"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class CalendarEntry(Base):
    """What the last calendar export wrote for one entry (a day's session or run), so that
    the next export gives a changed entry a higher SEQUENCE and a dropped one a cancellation
    (piri.domain.calendar_plan.reconcile). Derived from the plan: not exported, deleted with
    the person."""

    __tablename__ = "calendar_entry"
    __table_args__ = (UniqueConstraint("person_id", "key", name="one_calendar_entry_per_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(40))  # "2025-03-04-exercise", "hold"
    day: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(200))
    minutes: Mapped[int] = mapped_column(Integer)
    fingerprint: Mapped[str] = mapped_column(String(64))
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    modified_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)


# --- the care team (multi-user mode) ------------------------------------------------------------
# A runner's consent and a clinician's work in the runner's record. These tables name the
# runner as ``runner_id`` (not ``person_id``) where a row is about access rather than health
# data: writing the audit log on every read must not give the runner a new data version (which
# would throw away every answer kept for them). The clinician's published plan is the runner's
# health data, so it carries ``person_id``.


class CareLink(Base):
    """A runner's consent for one clinician: what is shared, since when, and when it ended.

    Withdrawn links are kept (with ``withdrawn_at``) so the runner's audit log still says who
    had access when. At most one open link per runner and clinician (kept by the service)."""

    __tablename__ = "care_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    runner_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    clinician_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    shares: Mapped[list[str]] = mapped_column(JSON, default=list)  # piri.domain.care.SHARES
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class CareInvitation(Base):
    """A one-use code that links a runner and a clinician: made by one, entered by the other.
    Only the SHA-256 of the code is kept; it expires after a week."""

    __tablename__ = "care_invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    made_by_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    made_as: Mapped[str] = mapped_column(String(10))  # "runner" or "clinician"
    # What the runner chose to share, when the runner made the code.
    shares: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class AuditEntry(Base):
    """One read or change a clinician made in a runner's record, for the runner to read.

    The actor's username is copied so the entry still says who it was after that account is
    deleted; the runner's entries go with the runner."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    runner_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    actor_name: Mapped[str] = mapped_column(String(40))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    action: Mapped[str] = mapped_column(String(10))  # "read" or "change"
    what: Mapped[str] = mapped_column(String(60))  # "progress", "plan", "note", ...
    detail: Mapped[str] = mapped_column(Text, default="")


class CareNote(Base):
    """A note from a clinician to a runner, shown on the runner's Today page until read."""

    __tablename__ = "care_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    runner_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    author_name: Mapped[str] = mapped_column(String(40))
    written_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    text: Mapped[str] = mapped_column(Text)
    read_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class CarePlanRow(Base):
    """A program a clinician published for a runner. Each publication is a new row (the
    runner sees what changed from the one before); the newest one not ended is in force."""

    __tablename__ = "care_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    author_name: Mapped[str] = mapped_column(String(40))
    published_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    progression: Mapped[str] = mapped_column(String(10))  # "automatic" or "manual"
    source: Mapped[str] = mapped_column(String(80), default="")  # the template it began from
    # [{"exercise", "sets", "reps", "hold_seconds", "notes"}], in session order
    items: Mapped[list[dict[str, object]]] = mapped_column(JSON, default=list)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class CareTemplate(Base):
    """A clinician's own starting point for plans: a named list of exercises and doses."""

    __tablename__ = "care_template"
    __table_args__ = (UniqueConstraint("owner_id", "name", name="one_template_name_per_owner"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    items: Mapped[list[dict[str, object]]] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class GaitCheckRow(Base):
    """One gait check: a clip uploaded from the web app, its analysis' state and its report.

    ``status`` goes queued -> running -> done (``result`` holds the report) or failed
    (``error`` says why). A running check's ``updated_at`` moves on with every progress write:
    one that stopped moving belongs to an analysis that died, and is taken up again."""

    __tablename__ = "gait_check"
    __table_args__ = (
        CheckConstraint(
            "status IN ('queued', 'running', 'done', 'failed')", name="gait_check_status"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(10), index=True)
    filename: Mapped[str] = mapped_column(String(200))  # as the runner's device named it
    size_bytes: Mapped[int] = mapped_column(Integer)
    view_asked: Mapped[str | None] = mapped_column(String(10))  # side, rear, None: detect
    fps_given: Mapped[float | None] = mapped_column(Float)  # the capture rate, when given
    keep_video: Mapped[bool] = mapped_column(Boolean, default=False)
    # The stored clip, relative to the data directory's video folder; None once deleted.
    video_file: Mapped[str | None] = mapped_column(String(200))
    frames_done: Mapped[int] = mapped_column(Integer, default=0)
    frames_expected: Mapped[int | None] = mapped_column(Integer)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    view: Mapped[str | None] = mapped_column(String(10))  # the view analysed
    film_again: Mapped[bool | None] = mapped_column(Boolean)
    result: Mapped[dict[str, object] | None] = mapped_column(JSON)  # services.gait's document
    error: Mapped[str | None] = mapped_column(Text)


class GaitFrameRow(Base):
    """An annotated key frame of a gait check (a foot strike, a peak pelvic drop), as JPEG."""

    __tablename__ = "gait_frame"

    id: Mapped[int] = mapped_column(primary_key=True)
    check_id: Mapped[int] = mapped_column(
        ForeignKey("gait_check.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)  # order on the result page, from 1
    kind: Mapped[str] = mapped_column(String(20))
    leg: Mapped[str | None] = mapped_column(String(10))
    time_s: Mapped[float] = mapped_column(Float)
    label: Mapped[str] = mapped_column(Text)
    media_type: Mapped[str] = mapped_column(String(30))
    image: Mapped[bytes] = mapped_column(LargeBinary)
