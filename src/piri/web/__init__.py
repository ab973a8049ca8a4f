"""The web surfaces: the JSON API (``web.api``) and, later, the pages; thin over the services."""

from __future__ import annotations

import sys

from starlette.convertors import IntegerConvertor, register_url_convertor

# int() reads at most this many digits (Python's limit; 0 means no limit).
_INT_DIGITS = sys.get_int_max_str_digits() or 100_000


class WholeNumberConvertor(IntegerConvertor):
    """``{name:int}`` in a route: no more digits than ``int()`` reads, so that a longer
    number is an address that does not exist (404) rather than a crash (Starlette's own
    matches any run of digits and then calls ``int()``, which refuses more than 4300). A
    number that fits but is past anything stored is for the route to answer (404)."""

    regex = f"[0-9]{{1,{_INT_DIGITS}}}"


# Registered before any router of piri.web is built (each compiles its paths when declared).
register_url_convertor("int", WholeNumberConvertor())
