"""Training load and how it relates to the pain diary, for one person."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from piri.domain.load import LoadReport, analyse_load
from piri.domain.pain_load import PainLoadReport, analyse_pain_load
from piri.services.diary import LOCAL_PERSON, store
from piri.store import activities as activity_store
from piri.store import diary as diary_store
from piri.store.database import transaction


@dataclass(frozen=True)
class LoadView:
    load: LoadReport
    pain: PainLoadReport


def load_and_pain(person: str = LOCAL_PERSON, today: dt.date | None = None) -> LoadView:
    with transaction(store()) as session:
        owner = diary_store.person_id(session, person)
        activities = activity_store.activities(session, owner)
        diary = diary_store.days(session, owner)
    load = analyse_load(activities, [d.day for d in diary], until=today or dt.date.today())
    return LoadView(load, analyse_pain_load(load, diary))
