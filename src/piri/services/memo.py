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
from typing import Any, Generic, TypeVar, cast

from sqlalchemy import Engine

from piri.store.versions import data_version

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class LastUsed(Generic[K, V]):
    """A bounded map, safe across threads, that forgets the least recently used entry first:
    what every cache of answers here is built on."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._found: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def find(self, key: K) -> tuple[bool, V | None]:
        """(True, the value) when ``key`` is kept (its value may be None), else (False, None)."""
        with self._lock:
            if key not in self._found:
                return False, None
            self._found.move_to_end(key)
            return True, self._found[key]

    def get(self, key: K) -> V | None:
        return self.find(key)[1]

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._found[key] = value
            self._found.move_to_end(key)
            while len(self._found) > self.size:
                self._found.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._found.clear()

    def __len__(self) -> int:
        return len(self._found)


MAX_KEPT = 256  # answers in all; a few per person in use is plenty

_kept: LastUsed[tuple[Hashable, ...], Any] = LastUsed(MAX_KEPT)


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
    known, found = _kept.find(key)
    if known:  # a kept None (no reminder, say) is an answer too
        return cast(T, found)
    value = compute()
    _kept.put(key, value)
    return value


def forget_all() -> None:
    """Empty the cache (tests; nothing else needs it)."""
    _kept.clear()
