"""A clinician's caseload: every runner they follow, summarised, in a fixed number of queries.

The links and what each runner shares are read fresh on every call (``care.open_caseload``
or ``care.open_record``, which also write the audit log). Then each table the summaries need
is read once for all the runners together (``person_id IN (...)`` within the window the
rules look at), never once per runner, so a caseload of 50 costs the same queries as one of
2. A table is read only for the runners who share it. The summaries themselves are pure
(:mod:`piri.domain.caseload`).

Summaries are kept in this process until the runner's data changes: the data versions of
all the runners (``piri.store.versions``) are read in one query, and only the runners whose
version (or the day, or what they share) changed are read and summarised again. Links and
access are never kept.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from piri.content.models import Phase
from piri.domain.activity import Activity
from piri.domain.care import SHARE_LABELS, Access, Share
from piri.domain.caseload import (
    DIARY_WINDOW_DAYS,
    LOAD_WINDOW_DAYS,
    SESSION_WINDOW_DAYS,
    RunnerRecord,
    RunnerSummary,
    SessionDay,
    caseload_order,
    summarise,
)
from piri.domain.diary import DayEntry
from piri.domain.program import RunnerProfile
from piri.domain.trends import WeeklySeries
from piri.domain.trends import summary as progress_summary
from piri.services import care
from piri.services.diary import store
from piri.services.memo import LastUsed
from piri.services.progress import Progress, ProgressDetail, progress_detail
from piri.store.database import transaction
from piri.store.diary import DAY_COLUMNS
from piri.store.models import ActivityRow, DiaryEntry, OutcomeScore, Person, Profile, SessionRecord

# The activity columns the load flags need: everything of the summary but the laps (which
# only the speed-session rule reads, and the caseload does not flag speed sessions).
_ACTIVITY_FIELDS = [f.name for f in fields(Activity) if f.name != "laps"]
_ACTIVITY_COLUMNS = [getattr(ActivityRow, name) for name in _ACTIVITY_FIELDS]


@dataclass(frozen=True)
class CaseloadLine:
    """One runner of the caseload, as the clinician may see them."""

    username: str
    runner: str  # the person name the services know the runner by
    link_id: int
    access: Access
    summary: RunnerSummary


@dataclass(frozen=True)
class _Runner:
    runner: str
    runner_id: int
    username: str
    link_id: int
    access: Access
    data_version: str | None = None  # when read with the link; else _lines reads it


class Caseload(list[CaseloadLine]):
    """The caseload's lines, with ``key``: everything they were made from (the runners, their
    data versions, shares and links, the day). Equal keys mean equal caseloads, so the web
    layer may keep what it made of one (the JSON, the page's list) under its key."""

    key: tuple[Any, ...]


def caseload(clinician: str, today: dt.date | None = None) -> Caseload:
    """Every runner ``clinician`` follows, the most urgent first (then by username)."""
    day = today or dt.date.today()
    members = care.open_caseload(clinician)
    runners = [
        _Runner(m.runner, m.runner_id, m.username, m.link_id, m.access, m.data_version)
        for m in members
    ]
    # The whole sorted caseload is kept too, under everything it was made from: the same
    # runners with the same data versions, shares and links on the same day give the same one.
    key = (day, tuple((r.runner_id, r.data_version, r.access.shares, r.link_id) for r in runners))
    whole = _kept_caseloads.get(key)
    if whole is not None:
        return whole
    lines = _lines(runners, day)
    ordered = Caseload(
        sorted(lines, key=lambda line: (caseload_order(line.summary), line.username.lower()))
    )
    ordered.key = key
    _kept_caseloads.put(key, ordered)
    return ordered


def runner_summary(clinician: str, username: str, today: dt.date | None = None) -> CaseloadLine:
    """The caseload line of one runner; refused (``NoAccessError``) without an open link."""
    day = today or dt.date.today()
    record = care.open_record(clinician, username, None, "read", "summary")
    with transaction(store()) as session:
        runner_id = session.scalar(select(Person.id).where(Person.name == record.runner))
    if runner_id is None:  # the runner was deleted between the two statements
        raise care.NoAccessError
    runner = _Runner(record.runner, runner_id, record.username, record.link_id, record.access)
    return _lines([runner], day)[0]


# Summaries kept: (runner id, data version, day, shares) -> summary. Enough for a clinic's
# caseloads in one process; the oldest go first.
_kept: LastUsed[tuple[int, str, dt.date, tuple[Share, ...]], RunnerSummary] = LastUsed(5000)
# Whole caseloads, as caseload() explains; a few per clinician in use.
_kept_caseloads: LastUsed[tuple[Any, ...], Caseload] = LastUsed(200)


def forget_kept() -> None:
    _kept.clear()
    _kept_caseloads.clear()


def _lines(runners: Sequence[_Runner], today: dt.date) -> list[CaseloadLine]:
    if not runners:
        return []
    with transaction(store()) as session:
        versions: dict[int, str] = {
            r.runner_id: r.data_version for r in runners if r.data_version is not None
        }
        unknown = [r.runner_id for r in runners if r.data_version is None]
        if unknown:
            versions.update(
                session.execute(
                    select(Person.id, Person.data_version).where(Person.id.in_(unknown))
                ).all()
            )
        keys = {
            r.runner_id: (r.runner_id, versions.get(r.runner_id, ""), today, r.access.shares)
            for r in runners
        }
        found = {r.runner_id: _kept.get(keys[r.runner_id]) for r in runners}
        missing = [r for r in runners if found[r.runner_id] is None]
        records = read_records(session, missing, today)
    for runner in missing:
        summary = summarise(records[runner.runner_id], runner.access, today)
        found[runner.runner_id] = summary
        _kept.put(keys[runner.runner_id], summary)
    out = []
    for r in runners:
        line = found[r.runner_id]
        assert line is not None
        out.append(CaseloadLine(r.username, r.runner, r.link_id, r.access, line))
    return out


def _sharing(runners: Sequence[_Runner], share: Share) -> list[int]:
    return [r.runner_id for r in runners if r.access.allows(share)]


def read_records(
    session: Session, runners: Sequence[_Runner], today: dt.date
) -> dict[int, RunnerRecord]:
    """Each runner's record for the caseload, by runner id: at most six queries in all."""
    ids = [r.runner_id for r in runners]
    if not ids:
        return {}
    profiles = _profiles(session, ids)
    diary_ids = _sharing(runners, Share.DIARY)
    runs_ids = _sharing(runners, Share.RUNS)
    # the load flags read the diary's days as recorded days, so the diary is read for both
    diary = _diary(session, sorted({*diary_ids, *runs_ids}), today)
    session_ids = _sharing(runners, Share.SESSIONS)
    sessions, first_sessions = _sessions(session, session_ids, today)
    scores = _scores(session, diary_ids)
    activities = _activities(session, runs_ids, today)
    default = RunnerProfile()
    out = {}
    for runner in runners:
        key = runner.runner_id
        phase, days, since, check = profiles.get(
            key, (Phase.SETTLE.value, default.days_per_week, None, None)
        )
        out[key] = RunnerRecord(
            phase=phase,
            days_per_week=days,
            phase_since=since,
            last_check=check,
            diary=diary.get(key, []),
            sessions=sessions.get(key, []),
            first_session=first_sessions.get(key),
            scores=scores.get(key, []),
            activities=activities.get(key, []),
        )
    return out


def _profiles(session: Session, ids: list[int]) -> dict[int, tuple[str, int, dt.date | None, Any]]:
    rows = session.execute(
        select(
            Profile.person_id,
            Profile.phase,
            Profile.days_per_week,
            Profile.phase_since,
            Profile.last_check,
        ).where(Profile.person_id.in_(ids))
    )
    return {owner: (phase, days, since, check) for owner, phase, days, since, check in rows}


def _diary(session: Session, ids: list[int], today: dt.date) -> dict[int, list[DayEntry]]:
    out: dict[int, list[DayEntry]] = defaultdict(list)
    if not ids:
        return out
    since = today - dt.timedelta(days=DIARY_WINDOW_DAYS - 1)
    rows = session.execute(
        select(DiaryEntry.person_id, *DAY_COLUMNS)
        .where(DiaryEntry.person_id.in_(ids), DiaryEntry.day >= since, DiaryEntry.day <= today)
        .order_by(DiaryEntry.person_id, DiaryEntry.day)
    )
    for row in rows:
        out[row[0]].append(DayEntry(*row[1:]))
    return out


def _sessions(
    session: Session, ids: list[int], today: dt.date
) -> tuple[dict[int, list[SessionDay]], dict[int, dt.date]]:
    out: dict[int, list[SessionDay]] = defaultdict(list)
    if not ids:
        return out, {}
    since = today - dt.timedelta(days=SESSION_WINDOW_DAYS - 1)
    rows = session.execute(
        select(
            SessionRecord.person_id,
            SessionRecord.day,
            SessionRecord.pain_during,
            SessionRecord.pain_after,
        )
        .where(
            SessionRecord.person_id.in_(ids),
            SessionRecord.day >= since,
            SessionRecord.day <= today,
        )
        .order_by(SessionRecord.person_id, SessionRecord.day)
    )
    for owner, day, during, after in rows:
        out[owner].append(SessionDay(day, during, after))
    firsts = session.execute(
        select(SessionRecord.person_id, func.min(SessionRecord.day))
        .where(SessionRecord.person_id.in_(ids))
        .group_by(SessionRecord.person_id)
    )
    return out, {owner: first for owner, first in firsts}


def _scores(session: Session, ids: list[int]) -> dict[int, list[tuple[dt.date, str, float]]]:
    out: dict[int, list[tuple[dt.date, str, float]]] = defaultdict(list)
    if not ids:
        return out
    rows = session.execute(
        select(
            OutcomeScore.person_id, OutcomeScore.day, OutcomeScore.instrument, OutcomeScore.score
        )
        .where(OutcomeScore.person_id.in_(ids))
        .order_by(OutcomeScore.person_id, OutcomeScore.day, OutcomeScore.id)
    )
    for owner, day, instrument, score in rows:
        out[owner].append((day, instrument, float(score)))
    return out


def _activities(session: Session, ids: list[int], today: dt.date) -> dict[int, list[Activity]]:
    out: dict[int, list[Activity]] = defaultdict(list)
    if not ids:
        return out
    # a day's margin each side: the local day of a run can differ from its UTC day
    since = dt.datetime.combine(
        today - dt.timedelta(days=LOAD_WINDOW_DAYS), dt.time(), tzinfo=dt.UTC
    )
    until = dt.datetime.combine(today + dt.timedelta(days=2), dt.time(), tzinfo=dt.UTC)
    rows = session.execute(
        select(ActivityRow.person_id, *_ACTIVITY_COLUMNS)
        .where(
            ActivityRow.person_id.in_(ids),
            ActivityRow.start >= since,
            ActivityRow.start < until,
        )
        .order_by(ActivityRow.person_id, ActivityRow.start)
    )
    for owner, *values in rows:
        found = dict(zip(_ACTIVITY_FIELDS, values, strict=True))
        start = found["start"]
        if start.tzinfo is None:  # SQLite gives back naive datetimes; they were stored as UTC
            found["start"] = start.replace(tzinfo=dt.UTC)
        out[owner].append(Activity(**found))
    return out


# --- one runner's progress, as the clinician may see it ------------------------------------------


@dataclass(frozen=True)
class SharedProgress:
    """The runner's own progress (``piri.services.progress``) with what is not shared blanked:
    a chart of a part that is not shared is drawn from nothing, never from zeros."""

    record: care.OpenRecord
    detail: ProgressDetail
    diary: bool
    sessions: bool
    runs: bool

    @property
    def not_shared(self) -> list[str]:
        return [
            SHARE_LABELS[share]
            for share, shared in (
                (Share.DIARY, self.diary),
                (Share.SESSIONS, self.sessions),
                (Share.RUNS, self.runs),
            )
            if not shared
        ]


def shared_progress(clinician: str, username: str, today: dt.date | None = None) -> SharedProgress:
    """The runner's progress for ``clinician``: checked and written to the runner's audit log
    on every call (``care.open_record``), so a withdrawal is refused at once."""
    record = care.open_record(clinician, username, None, "read", "progress")
    detail = progress_detail(person=record.runner, today=today)
    diary = record.access.allows(Share.DIARY)
    sessions = record.access.allows(Share.SESSIONS)
    runs = record.access.allows(Share.RUNS)
    return SharedProgress(record, _blanked(detail, diary, sessions, runs), diary, sessions, runs)


def _empty(series: WeeklySeries) -> WeeklySeries:
    return WeeklySeries(series.name, series.weeks, [None] * len(series.weeks))


def _blanked(detail: ProgressDetail, diary: bool, sessions: bool, runs: bool) -> ProgressDetail:
    worst, sitting, done = detail.progress.series
    scores = detail.progress.scores
    pain_now, sessions_done = detail.pain_now, detail.sessions_done
    if not diary:
        worst, sitting, pain_now, scores = _empty(worst), _empty(sitting), _empty(pain_now), []
    if not sessions:
        done = _empty(done)
        sessions_done = WeeklySeries(sessions_done.name, [], [])
    running = detail.running_km if runs else WeeklySeries(detail.running_km.name, [], [])
    found = Progress([worst, sitting, done], scores, progress_summary(worst, sitting, scores))
    return ProgressDetail(found, pain_now, sessions_done, detail.days_planned, running)
