"""Everything stored about a person, as one JSON document: export, import, forget."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from piri import __version__
from piri.domain.diary import DayEntry, DiaryError, check_entry
from piri.services.diary import LOCAL_PERSON, store
from piri.store import diary as diary_store
from piri.store import person_rows
from piri.store.database import transaction

EXPORT_FORMAT = "piri-export"
EXPORT_VERSION = 1


class PersonDataError(ValueError):
    """An export file that cannot be imported, or an import that would overwrite data."""


class ProfileNotEmptyError(PersonDataError):
    """An import into a profile that already holds data (nothing was changed)."""


def export_document(person: str = LOCAL_PERSON) -> dict[str, Any]:
    with transaction(store()) as session:
        owner = diary_store.person_id(session, person)
        days = diary_store.days(session, owner)
        others = {
            key: person_rows.rows_of(session, owner, model)
            for key, model in person_rows.TABLES.items()
        }
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_by": f"piri {__version__}",
        "exported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "diary": [{**asdict(day), "day": day.day.isoformat()} for day in days],
        **others,
    }


def write_export(path: Path, person: str = LOCAL_PERSON) -> int:
    """Write the export to ``path``; returns how many diary days it holds."""
    document = export_document(person)
    try:
        path.write_text(json.dumps(document, indent=2, ensure_ascii=False), encoding="utf-8")
    except OSError as error:
        raise PersonDataError(f"{path}: cannot write ({error.strerror})") from None
    return len(document["diary"])


def import_file(path: Path, person: str = LOCAL_PERSON, today: dt.date | None = None) -> int:
    """Restore an export into an empty profile; nothing is written unless all of it is valid."""
    return import_document(_read_json(path), person, today, label=str(path))


def import_document(
    document: Any,
    person: str = LOCAL_PERSON,
    today: dt.date | None = None,
    label: str = "the export",
) -> int:
    """Restore an export already read (an upload, an API body); errors start with ``label``."""
    days, others = _parse_export(document, label, today or dt.date.today())
    try:
        with transaction(store()) as session:
            owner = diary_store.person_id(session, person)
            if diary_store.days(session, owner) or person_rows.holds_anything(session, owner):
                raise ProfileNotEmptyError(
                    "this profile already holds data; import only restores into an empty one "
                    "(run 'piri export' to keep a copy, then 'piri forget --yes')"
                )
            for day in days:
                diary_store.save_day(session, owner, day)
            for key, model in person_rows.TABLES.items():
                person_rows.add_rows(session, owner, model, others.get(key, []))
    except (ValueError, TypeError) as error:
        if isinstance(error, PersonDataError):
            raise
        raise PersonDataError(f"{label}: {error}") from None
    except SQLAlchemyError as error:
        reason = str(error.orig) if hasattr(error, "orig") else str(error)
        raise PersonDataError(
            f"{label}: the database refused it ({reason.splitlines()[0]})"
        ) from None
    return len(days)


def forget(person: str = LOCAL_PERSON) -> bool:
    """Delete everything of the person's, their kept gait clips on disk too."""
    from piri.services.gait_checks import video_folder
    from piri.store.gait_checks import video_files_of

    with transaction(store()) as session:
        clips = video_files_of(session, person)
        forgotten = diary_store.forget_person(session, person)
    for name in clips:
        (video_folder() / name).unlink(missing_ok=True)
    return forgotten


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PersonDataError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise PersonDataError(f"{path}: cannot be read ({error})") from None
    except json.JSONDecodeError as error:
        raise PersonDataError(
            f"{path}: not valid JSON (line {error.lineno}: {error.msg})"
        ) from None
    except ValueError:  # valid JSON, but a number of more digits than Python reads (4300)
        raise PersonDataError(f"{path}: holds a number too long to read") from None


def _parse_export(
    document: Any, label: str, today: dt.date
) -> tuple[list[DayEntry], dict[str, Any]]:
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        raise PersonDataError(f'{label}: not a Piri export (no "format": "{EXPORT_FORMAT}")')
    version = document.get("version")
    if isinstance(version, bool) or version != EXPORT_VERSION:  # JSON's true is not 1
        raise PersonDataError(
            f"{label}: export version {document.get('version')!r}; this Piri reads version "
            f"{EXPORT_VERSION}"
        )
    diary = document.get("diary", [])
    if not isinstance(diary, list):
        raise PersonDataError(f"{label}: 'diary' must be a list")
    days = []
    for number, raw in enumerate(diary, start=1):
        try:
            entry = DayEntry(**{**raw, "day": dt.date.fromisoformat(raw["day"])})
            days.append(check_entry(entry, today))
        except (TypeError, KeyError, ValueError, DiaryError) as error:
            raise PersonDataError(f"{label}: diary entry {number}: {error}") from None
    others = {}
    for key in person_rows.TABLES:
        rows = document.get(key, [])
        if not isinstance(rows, list):
            raise PersonDataError(f"{label}: '{key}' must be a list")
        others[key] = rows
    _check_profiles(label, others["profile"])
    return days, others


def _check_profiles(label: str, rows: list[Any]) -> None:
    """A profile is checked by the same rules as 'piri profile' before it is restored."""
    from piri.services.program import ProfileError, check_profile_changes

    fields = ("painful_side", "equipment", "minutes_per_day", "days_per_week", "running_status")
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise PersonDataError(f"{label}: profile {number}: expected an object")
        try:
            check_profile_changes({k: row[k] for k in fields if k in row})
        except ProfileError as error:
            raise PersonDataError(f"{label}: profile {number}: {error}") from None
        except TypeError:
            raise PersonDataError(
                f"{label}: profile {number}: a value has the wrong type ({', '.join(fields)})"
            ) from None
