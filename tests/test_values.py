"""What a person types, read the same way everywhere: whole numbers from ASCII digits only,
finite numbers, a person's days between the earliest and today, storable free text."""

from __future__ import annotations

import datetime as dt

import pytest

from piri.domain.values import (
    EARLIEST_DAY,
    MAX_DIGITS,
    day_problem,
    decimal_number,
    text_problem,
    whole_number,
)

TODAY = dt.date(2026, 11, 25)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", 0),
        ("7", 7),
        (" 12 ", 12),
        ("007", 7),
        ("9" * MAX_DIGITS, int("9" * MAX_DIGITS)),
        ("99999999999999999999999", None),  # more digits than any count
        ("9" * 10_000, None),  # int() refuses more than 4300 digits
        ("²", None),  # str.isdigit takes it; int() refuses it
        ("٣", None),  # int() reads it as 3: only ASCII digits are read
        ("1²", None),
        ("-1", None),  # unsigned unless asked
        ("+1", None),
        ("-0", None),
        ("1.0", None),
        ("1e3", None),
        ("1_000", None),
        ("", None),
        (" ", None),
        ("\x00", None),
        ("x" * 10_000, None),
    ],
)
def test_whole_number_reads_only_ascii_digits(text: str, expected: int | None) -> None:
    assert whole_number(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("-1", -1), ("+3", 3), ("-0", 0), (" -12 ", -12), ("-", None), ("--1", None), ("-²", None)],
)
def test_a_signed_whole_number_takes_a_sign(text: str, expected: int | None) -> None:
    assert whole_number(text, signed=True) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12.0),
        ("2.5", 2.5),
        ("-3", -3.0),
        ("1e3", 1000.0),
        (" 0.5 ", 0.5),
        ("1e400", None),  # float() reads it as infinity
        ("inf", None),
        ("nan", None),
        ("٣", None),  # float() reads it as 3
        ("1_0", None),  # float() reads it as 10
        ("2,5", None),  # a page that takes a decimal comma replaces it first
        ("", None),
        ("\x00", None),
        ("9" * 10_000, None),
    ],
)
def test_decimal_number_is_finite_and_ascii(text: str, expected: float | None) -> None:
    assert decimal_number(text) == expected


def test_a_day_is_between_the_earliest_and_today() -> None:
    assert day_problem(TODAY, TODAY) is None
    assert day_problem(EARLIEST_DAY, TODAY) is None
    assert day_problem(TODAY + dt.timedelta(days=1), TODAY) == (
        "2026-11-26 is in the future (today is 2026-11-25)"
    )
    assert day_problem(dt.date(1, 1, 1), TODAY) == (
        "0001-01-01 is before 2000-01-01, the earliest date Piri keeps a record for"
    )
    # Without a today, only the earliest day is checked.
    assert day_problem(dt.date(2999, 1, 1), None) is None
    assert day_problem(dt.date(1999, 12, 31), None) is not None


@pytest.mark.parametrize("text", ["", "plain", "two\nlines\r\n", "a\ttab", "é ² ٣ 😀"])
def test_text_that_can_be_stored(text: str) -> None:
    assert text_problem(text) is None


@pytest.mark.parametrize(
    ("text", "code"), [("a\x00b", "U+0000"), ("\x1b[31m", "U+001B"), ("\x7f", "U+007F")]
)
def test_control_characters_are_named(text: str, code: str) -> None:
    problem = text_problem(text)
    assert problem is not None and code in problem
