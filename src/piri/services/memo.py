"""Answers computed from one person's data, kept in memory until that data changes.

The key holds the person's data version (:mod:`piri.store.versions`), read with one small
query on every call, so a change made anywhere (this process, another worker, the CLI) is
seen on the very next request. Kept values are shared between callers: treat them as read
only. The cache is bounded (least recently used goes first).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import Engine

from piri.store.versions import data_version

T = TypeVar("T")

MAX_KEPT = 256  # answers in all; a few per person in use is plenty

_kept: OrderedDict[tuple[Hashable, ...], Any] = OrderedDict()
_lock = threading.Lock()


def kept(
    engine: Engine, person: str, what: str, arguments: Hashable, compute: Callable[[], T]
) -> T:
    """``compute()``, or the answer it gave for the same person, data version and arguments.

    The version is read before computing, so a change that lands meanwhile makes the kept
    answer newer than its key, never older: the next call sees the new version and computes.
    """
    version = data_version(engine, person)
    if version is None:  # nobody of that name yet: nothing to key on
        return compute()
    key = (engine.url.render_as_string(hide_password=True), person, version, what, arguments)
    with _lock:
        if key in _kept:
            _kept.move_to_end(key)
            found: T = _kept[key]
            return found
    value = compute()
    with _lock:
        _kept[key] = value
        while len(_kept) > MAX_KEPT:
            _kept.popitem(last=False)
    return value


def forget_all() -> None:
    """Empty the cache (tests; nothing else needs it)."""
    with _lock:
        _kept.clear()
