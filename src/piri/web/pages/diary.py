"""Pages: the pain diary, one day's entry (today unless a missed day) and the days before.

The form takes exactly what ``piri log`` takes. Saving a day that already has an entry
updates it and says so. Wrong input comes back with status 422, a message naming each
field that is wrong (the domain's own words from ``check_entry``) and everything typed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from piri.domain.diary import MINUTES_IN_A_DAY, DayEntry
from piri.domain.values import EARLIEST_DAY, whole_number
from piri.services import diary as diary_service
from piri.web.identity import page_person
from piri.web.templating import render

router = APIRouter()

PAGE_SIZE = 14  # two weeks of days at a time
MOST_SHOWN = 5000
NOTES_MAX = 2000
SCORE_MAX = 10

# The form's fields in the order they appear (the names of DayEntry's attributes).
FIELDS = (
    "day",
    "pain_now",
    "worst_pain",
    "sitting_pain",
    "sitting_minutes_before_pain",
    "running_pain",
    "tingling",
    "notes",
)
LABELS = {
    "day": "Date",
    "pain_now": "Pain right now",
    "worst_pain": "Worst pain today",
    "sitting_pain": "Pain when sitting",
    "sitting_minutes_before_pain": "Minutes of sitting before the pain starts",
    "running_pain": "Pain when running",
    "tingling": "Tingling in the leg",
    "notes": "Notes",
}
REQUIRED_SCORES = ("pain_now", "worst_pain")
OPTIONAL_SCORES = ("sitting_pain", "running_pain")


def long_date(day: dt.date) -> str:
    """Monday 3 March 2025, as ``piri log`` says it."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def short_date(day: dt.date, today: dt.date) -> tuple[str, str]:
    """('Mon', '3 Mar'), with the year when it is not this year."""
    text = f"{day.day} {day:%b}"
    return f"{day:%a}", text if day.year == today.year else f"{text} {day.year}"


def parse_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def entry_values(entry: DayEntry) -> dict[str, str]:
    """An entry as the form shows it (every value a string, empty when not given)."""

    def text(value: int | None) -> str:
        return "" if value is None else str(value)

    return {
        "day": entry.day.isoformat(),
        "pain_now": str(entry.pain_now),
        "worst_pain": str(entry.worst_pain),
        "sitting_pain": text(entry.sitting_pain),
        "sitting_minutes_before_pain": text(entry.sitting_minutes_before_pain),
        "running_pain": text(entry.running_pain),
        "tingling": "yes" if entry.tingling else "no",
        "notes": entry.notes,
    }


def _whole(text: str) -> int | None:
    # Signed, so that "-1" is refused by the domain's range check, in its words.
    return whole_number(text, signed=True)


def parse_entry(form: dict[str, str], today: dt.date) -> tuple[DayEntry | None, dict[str, str]]:
    """The entry typed in a form, or the problems with it by field (in the form's order)."""
    errors: dict[str, str] = {}
    day = today
    if form["day"].strip():
        parsed = parse_date(form["day"])
        if parsed is None:
            errors["day"] = (
                f"Date: '{form['day']}' is not a date; pick one or type it as YYYY-MM-DD."
            )
        else:
            day = parsed
    numbers: dict[str, int | None] = {}
    for name in (*REQUIRED_SCORES, *OPTIONAL_SCORES):
        text = form[name].strip()
        if not text:
            if name in REQUIRED_SCORES:
                errors[name] = f"{LABELS[name]}: choose a number from 0 to {SCORE_MAX}."
            numbers[name] = None
            continue
        numbers[name] = _whole(text)
        if numbers[name] is None:
            errors[name] = (
                f"{LABELS[name]}: '{text}' is not a whole number; choose 0 to {SCORE_MAX}."
            )
    minutes_text = form["sitting_minutes_before_pain"].strip()
    minutes = _whole(minutes_text) if minutes_text else None
    if minutes_text and minutes is None:
        errors["sitting_minutes_before_pain"] = (
            f"{LABELS['sitting_minutes_before_pain']}: '{minutes_text}' is not a whole number "
            f"of minutes; type 0 to {MINUTES_IN_A_DAY}, or leave it empty."
        )
    tingling = form["tingling"].strip().lower()
    if tingling not in ("", "yes", "no"):
        errors["tingling"] = f"{LABELS['tingling']}: answer yes or no, not '{tingling}'."
    # Check the rest with the domain's rules, standing in passing values for wrong fields.
    pain_now = numbers["pain_now"] if "pain_now" not in errors else 0
    worst = numbers["worst_pain"] if "worst_pain" not in errors else SCORE_MAX
    entry = DayEntry(
        day=day,
        pain_now=pain_now if pain_now is not None else 0,
        worst_pain=worst if worst is not None else SCORE_MAX,
        sitting_pain=numbers["sitting_pain"] if "sitting_pain" not in errors else None,
        sitting_minutes_before_pain=minutes,
        running_pain=numbers["running_pain"] if "running_pain" not in errors else None,
        tingling=tingling == "yes",
        notes=form["notes"].strip(),
    )
    for name, message in diary_service.entry_problems(entry, today).items():
        if name in FIELDS and name not in errors:
            # The domain names the field in its words ("sitting minutes: ..."); use the label.
            errors[name] = f"{LABELS[name]}: {message.split(': ', 1)[-1]}."
    ordered = {name: errors[name] for name in FIELDS if name in errors}
    return (None if ordered else entry), ordered


def form_values(form: FormData) -> dict[str, str]:
    values = {}
    for name in FIELDS:
        value = form.get(name)
        values[name] = value if isinstance(value, str) else ""
    return values


def _rows(entries: list[DayEntry], today: dt.date) -> list[dict[str, Any]]:
    return [
        {
            "entry": entry,
            "short": short_date(entry.day, today),
            "long": long_date(entry.day),
            "iso": entry.day.isoformat(),
        }
        for entry in entries
    ]


def _shown(text: str | None) -> int:
    value = _whole(text or "")
    return PAGE_SIZE if value is None else max(1, min(value, MOST_SHOWN))


def _page(
    request: Request,
    person: str,
    values: dict[str, str],
    errors: dict[str, str],
    *,
    status_code: int = 200,
    shown: int = PAGE_SIZE,
    message: str | None = None,
) -> Response:
    today = dt.date.today()
    entries = list(reversed(diary_service.diary(person)))
    day = parse_date(values["day"]) if values["day"] else today
    existing = day is not None and any(entry.day == day for entry in entries)
    if day is None or errors.get("day"):
        heading = "Your entry"
    elif existing:
        heading = "Today's entry" if day == today else f"Your entry for {long_date(day)}"
    else:
        heading = "How is it today?" if day == today else f"Your entry for {long_date(day)}"
    return render(
        request,
        "diary/index.html",
        status_code=status_code,
        title="Diary" if not errors else "Check your diary entry",
        values=values,
        errors=errors,
        labels=LABELS,
        today=today,
        earliest=EARLIEST_DAY,
        form_heading=heading,
        form_day=day if day is not None and not errors.get("day") else None,
        form_day_long=long_date(day) if day is not None else "",
        existing=existing,
        message=message,
        rows=_rows(entries[:shown], today),
        total=len(entries),
        shown=min(shown, len(entries)),
        page_size=PAGE_SIZE,
        minutes_max=MINUTES_IN_A_DAY,
        notes_max=NOTES_MAX,
    )


@router.get("/diary")
def diary_page(
    request: Request,
    day: str | None = None,
    shown: str | None = None,
    saved: str | None = None,
    updated: str | None = None,
    deleted: str | None = None,
    person: str = Depends(page_person),
) -> Response:
    """Today's entry (or the day asked for, to edit it or fill in a missed one) and the list."""
    today = dt.date.today()
    wanted = parse_date(day) if day else None
    if wanted is None or not EARLIEST_DAY <= wanted <= today:
        wanted = today
    entry = diary_service.diary_entry(wanted, person=person)
    values = entry_values(entry) if entry else {name: "" for name in FIELDS}
    values["day"] = wanted.isoformat()
    message = None
    saved_day = parse_date(saved) if saved else None
    if saved_day is not None:
        stored = diary_service.diary_entry(saved_day, person=person)
        if stored is not None:
            what = "Updated" if updated == "1" else "Saved"
            message = (
                f"{what} your entry for {long_date(saved_day)}: pain now "
                f"{stored.pain_now}/10, worst {stored.worst_pain}/10."
            )
    deleted_day = parse_date(deleted) if deleted else None
    if deleted_day is not None and diary_service.diary_entry(deleted_day, person=person) is None:
        message = f"Deleted your entry for {long_date(deleted_day)}."
    return _page(request, person, values, {}, shown=_shown(shown), message=message)


@router.post("/diary")
async def save_entry(request: Request, person: str = Depends(page_person)) -> Response:
    """Save one day: a new entry, or an update of that day's entry; 422 with the problems."""
    values = form_values(await request.form())
    entry, errors = parse_entry(values, dt.date.today())
    if entry is None:
        return _page(request, person, values, errors, status_code=422)
    replaced = diary_service.log_day(entry, person=person)
    query = urlencode({"saved": entry.day.isoformat(), "updated": int(replaced)})
    return RedirectResponse(f"/diary?{query}#saved", status_code=303)


@router.post("/diary/{day}/delete")
def delete_entry(day: str, person: str = Depends(page_person)) -> Response:
    """Delete one day's entry (the edit form offers it, after asking)."""
    wanted = parse_date(day)
    if wanted is None:
        return RedirectResponse("/diary", status_code=303)
    diary_service.forget_day(wanted, person=person)
    return RedirectResponse(f"/diary?{urlencode({'deleted': wanted.isoformat()})}", 303)


@router.get("/diary/entries")
def older_entries(
    request: Request,
    offset: str | None = None,
    person: str = Depends(page_person),
) -> Response:
    """The next rows of the table (htmx "Show older"); a full page without htmx."""
    start = _shown(offset)
    if request.headers.get("hx-request") != "true":
        return RedirectResponse(f"/diary?shown={start + PAGE_SIZE}", status_code=303)
    today = dt.date.today()
    entries = list(reversed(diary_service.diary(person)))
    return render(
        request,
        "diary/_rows.html",
        rows=_rows(entries[start : start + PAGE_SIZE], today),
        total=len(entries),
        shown=min(start + PAGE_SIZE, len(entries)),
        page_size=PAGE_SIZE,
    )
