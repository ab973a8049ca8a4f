"""What a person types or sends, read the same way on every surface: whole numbers, numbers
and the days of their own record.

Pure functions, no I/O. Each returns None (or a problem in words) rather than raising, so that
a form can name every wrong field at once and a command can ask again.
"""

from __future__ import annotations

import datetime as dt
import math

# The earliest day a person's own record can be on: a pain diary day, a played session, an
# outcome questionnaire. Piri keeps what happens to a runner now and in the weeks to come;
# nothing before 2000 makes sense for that, and a year like 0001 is a slip of the keyboard
# (for 2001, or a date field left half typed) that would make every week-by-week view
# (progress, load) span two thousand years: about 105,000 weeks in one answer.
EARLIEST_DAY = dt.date(2000, 1, 1)

# More digits than any count Piri takes (minutes in a day, scores, ids). Python's int()
# refuses strings of more than 4300 digits, and the database refuses numbers past 2**63.
MAX_DIGITS = 18


def day_problem(day: dt.date, today: dt.date | None) -> str | None:
    """What is wrong with ``day`` as a day of a person's own record, or None.

    After ``today`` (not checked when it is None), or before :data:`EARLIEST_DAY`. The words
    leave the field's name out: the caller knows it and puts it first, as in
    "date: 0001-01-01 is before 2000-01-01, ...".
    """
    if today is not None and day > today:
        return f"{day.isoformat()} is in the future (today is {today})"
    if day < EARLIEST_DAY:
        return (
            f"{day.isoformat()} is before {EARLIEST_DAY.isoformat()}, the earliest date Piri "
            "keeps a record for"
        )
    return None


def whole_number(text: str, *, signed: bool = False) -> int | None:
    """``text`` as a whole number written with the digits 0-9, or None.

    Spaces around it are allowed, and a leading ``+`` or ``-`` when ``signed`` (so that "-1"
    can be refused by the range check, in its own words). ``str.isdigit`` also takes "²"
    (which ``int`` refuses) and "٣" (which ``int`` reads as 3): a number typed for Piri is
    read from ASCII digits only, and more than :data:`MAX_DIGITS` of them is not a number.
    """
    stripped = text.strip()
    digits = stripped[1:] if signed and stripped[:1] in ("+", "-") else stripped
    if not digits or len(digits) > MAX_DIGITS or not (digits.isascii() and digits.isdigit()):
        return None
    return int(stripped)


def decimal_number(text: str) -> float | None:
    """``text`` as a finite number written in ASCII ("12", "2.5", "-3", "1e3"), or None.

    ``float`` alone takes "٣", "1_0", "inf", "nan" and "1e400" (which it reads as infinity).
    """
    stripped = text.strip()
    if not stripped or len(stripped) > 2 * MAX_DIGITS or not stripped.isascii():
        return None
    if "_" in stripped or any(c.isalpha() and c not in "eE" for c in stripped):
        return None
    try:
        number = float(stripped)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


# Control characters free text keeps: tab and the line breaks a text box sends.
KEPT_CONTROLS = frozenset("\t\n\r")


def text_problem(text: str) -> str | None:
    """What is wrong with ``text`` as free text a person wrote (notes, goals, names), or None.

    A control character other than tab and line breaks is refused: PostgreSQL cannot store
    a NUL byte at all (the database would refuse the whole entry), and the others are
    invisible on every page. The words leave the field's name out, as :func:`day_problem`.
    """
    for character in text:
        if (ord(character) < 0x20 or 0x7F <= ord(character) < 0xA0) and (
            character not in KEPT_CONTROLS
        ):
            return (
                f"holds the control character U+{ord(character):04X}, which cannot be stored; "
                "remove it"
            )
    return None
