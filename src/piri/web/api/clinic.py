"""JSON API: a clinician's caseload and one runner's progress (multi-user mode, clinicians).

Every call reads the care links fresh and writes the runner's audit log (through
``piri.services.caseload``, which goes through ``piri.services.care``): a withdrawal is
refused on the very next call (404 ``no_access``), a person without the clinician role gets
403 ``not_a_clinician``. A part the runner does not share is ``{"shared": false}`` (or null
in the progress series), never an empty zero.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from fastapi import APIRouter, Depends, Response
from fastapi.encoders import jsonable_encoder

from piri.domain.caseload import (
    ALERT_NAMES,
    Adherence,
    Alert,
    LoadFlags,
    NotShared,
    OutcomeScore,
    PainTrend,
)
from piri.domain.outcomes import Change
from piri.domain.trends import WeeklySeries
from piri.services.caseload import (
    Caseload,
    CaseloadLine,
    SharedProgress,
    caseload,
    runner_summary,
)
from piri.services.caseload import shared_progress as read_shared_progress
from piri.services.diary import store
from piri.services.memo import LastUsed, kept
from piri.web.api.clinic_plan import CLINICIANS, NO_ACCOUNTS
from piri.web.api.progress import ProgressView, progress_view
from piri.web.identity import api_person

router = APIRouter(tags=["clinic"])

NOT_SHARED_JSON: dict[str, Any] = {"shared": False}


def _change(change: Change | None) -> dict[str, Any] | None:
    if change is None:
        return None
    return {
        "before": change.before,
        "after": change.after,
        "direction": change.direction.value,
        "meaningful": change.meaningful,
        "size": change.size,
    }


def _adherence(found: Adherence | NotShared) -> dict[str, Any]:
    if isinstance(found, NotShared):
        return NOT_SHARED_JSON
    return {
        "shared": True,
        "done": found.done,
        "planned": found.planned,
        "planned_so_far": found.planned_so_far,
        "text": found.text,
    }


def _pain(found: PainTrend | NotShared | None) -> dict[str, Any]:
    if isinstance(found, NotShared):
        return NOT_SHARED_JSON
    if found is None:
        return {"shared": True, "text": "No diary entries in the last two weeks."}
    return {
        "shared": True,
        "this_week": None if found.this_week is None else round(found.this_week, 1),
        "week_before": None if found.week_before is None else round(found.week_before, 1),
        "entries": list(found.entries),
        "change": _change(found.change),
        "text": found.text,
    }


def _outcomes(found: list[OutcomeScore] | NotShared) -> dict[str, Any]:
    if isinstance(found, NotShared):
        return NOT_SHARED_JSON
    return {
        "shared": True,
        "scores": [
            {
                "instrument": score.instrument,
                "day": score.day.isoformat(),
                "score": score.score,
                "change": _change(score.change),
                "text": score.text,
            }
            for score in found
        ],
    }


def _load(found: LoadFlags | NotShared | None) -> dict[str, Any]:
    if isinstance(found, NotShared):
        return NOT_SHARED_JSON
    if found is None:
        return {"shared": True, "text": "No runs in the last weeks."}
    return {
        "shared": True,
        "runs_this_week": found.runs_this_week,
        "spikes": [{"day": day.isoformat(), "band": band} for day, band in found.spikes],
        "acute_chronic_ratio": None if found.ratio is None else round(found.ratio, 2),
        "ratio_reliable": found.ratio_reliable,
        "ratio_zone": found.ratio_zone or None,
        "text": found.text,
    }


def _alert(alert: Alert) -> dict[str, Any]:
    return {
        "kind": ALERT_NAMES[alert.kind],
        "level": alert.level.name.lower(),
        "day": alert.day.isoformat() if alert.day else None,
        "text": alert.text,
    }


def line_json(line: CaseloadLine) -> dict[str, Any]:
    """One runner of the caseload, as the caseload and the one-runner endpoints give it."""
    summary = line.summary
    return {
        "username": line.username,
        "shares": [share.value for share in line.access.shares],
        "phase": summary.phase,
        "adherence": _adherence(summary.adherence),
        "pain_trend": _pain(summary.pain_trend),
        "outcomes": _outcomes(summary.outcomes),
        "load": _load(summary.load),
        "alerts": [_alert(alert) for alert in summary.alerts],
        "alerts_not_checked": summary.not_checked,
        "progress": f"/api/v1/clinic/runners/{line.username}/progress",
    }


# A runner of the caseload: any open link will do (what it shares decides what shows).
FOLLOWED = {
    **CLINICIANS,
    404: {"description": f"`no_access`: no open link to that runner; {NO_ACCOUNTS}."},
}


@router.get("/clinic/caseload", response_model=None, responses=CLINICIANS)
def caseload_api(person: str = Depends(api_person)) -> Response:
    """Every runner you follow, the most urgent alert first: phase, adherence this week, pain
    trend, the last LEFS and PSFS with whether the change matters, load flags and alerts.
    Only what each runner shares; each read is written to that runner's audit log."""
    lines = caseload(person)
    return Response(caseload_body(lines), media_type="application/json")


# The encoded answer of each caseload, kept under its key (piri.services.caseload.Caseload):
# turning fifty runners into JSON cost more than the rest of the request.
_bodies: LastUsed[tuple[Any, ...], bytes] = LastUsed(200)


def caseload_body(lines: Caseload) -> bytes:
    found = _bodies.get(lines.key)
    if found is not None:
        return found
    document = {
        "runners": [line_json(line) for line in lines],
        "empty": None
        if lines
        else "No runner follows you yet: give a runner an invitation code from /care.",
    }
    body = json.dumps(jsonable_encoder(document), ensure_ascii=False).encode()
    _bodies.put(lines.key, body)
    return body


@router.get("/clinic/runners/{username}", responses=FOLLOWED)
def runner_api(username: str, person: str = Depends(api_person)) -> dict[str, Any]:
    """The caseload summary of one runner (404 ``no_access`` without an open link)."""
    return line_json(runner_summary(person, username))


def _series(series: WeeklySeries, shared: bool) -> dict[str, Any] | None:
    if not shared:
        return None
    return {
        "name": series.name,
        "weeks": [w.isoformat() for w in series.weeks],
        "values": series.values,
    }


@router.get("/clinic/runners/{username}/progress", responses=FOLLOWED)
def runner_progress_api(username: str, person: str = Depends(api_person)) -> dict[str, Any]:
    """The runner's ``/api/v1/progress``, with what the runner does not share as null (and
    named in ``not_shared``)."""
    found = read_shared_progress(person, username)
    detail = found.detail
    worst, sitting, done = detail.progress.series
    return {
        "username": found.record.username,
        "series": [
            _series(worst, found.diary),
            _series(sitting, found.diary),
            _series(done, found.sessions),
        ],
        "pain_now": _series(detail.pain_now, found.diary),
        "sessions_done": _series(detail.sessions_done, found.sessions),
        "days_planned": detail.days_planned if found.sessions else None,
        "running_km": _series(detail.running_km, found.runs),
        "scores": [
            {"day": day.isoformat(), "instrument": name, "score": score}
            for day, name, score in detail.progress.scores
        ]
        if found.diary
        else None,
        "summary": detail.progress.summary,
        "not_shared": found.not_shared,
    }


# --- the charts, for the page ---------------------------------------------------------------------

# Which share each of the Progress page's charts draws from (piri.web.api.progress).
CHART_SHARES = {
    "pain": "diary",
    "sitting": "diary",
    "lefs": "diary",
    "psfs": "diary",
    "sessions": "sessions",
    "running": "runs",
}


def shared_view(found: SharedProgress, period: str) -> ProgressView:
    """The runner's charts as the clinician may see them, kept until the runner's data
    changes (keyed by what is shared, so a narrower share never sees a wider view). The
    charts' own links point at the runner's pages, so they are dropped, and a chart of a part
    not shared says so."""
    shared = {"diary": found.diary, "sessions": found.sessions, "runs": found.runs}
    key = (period, dt.date.today(), tuple(sorted(k for k, v in shared.items() if v)))

    def build() -> ProgressView:
        view = progress_view(found.detail, period)
        for chart in view.charts:
            chart.link = None
            if not shared[CHART_SHARES[chart.id]]:
                chart.spec, chart.summary, chart.rows = None, [], []
                chart.empty = "Not shared with you."
            elif chart.spec is None:
                chart.empty = "Nothing recorded yet."
        return view

    return kept(store(), found.record.runner, "clinic_progress_view", key, build)
