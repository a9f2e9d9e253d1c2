"""Results of big reads kept for a while: counts a screen shows at every open.

At a million customers a list's "row 1 of 500,455" and the group tree's counts are each a
scan of an index (20-300 ms); with 20 counter sessions on one server opening their lists all
day, those scans were a third of the machine. A ``Kept`` holds such results for ``max_age``
seconds and forgets them all as soon as this process commits a write (or opens a database),
so a user's own changes show at once and another session's within ``max_age``.

Only counts of at least ``KEEP_FROM`` rows are kept: a small list is counted every time (it is
cheap), so nothing small is ever shown stale, and whether a result is kept never depends on
how busy the machine was.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from . import db

T = TypeVar("T")

KEEP_FROM = 10_000  # rows: a count below this is cheap to take again


class Kept(Generic[T]):
    def __init__(self, max_age: float = 60.0, entries: int = 64) -> None:
        self.max_age = max_age
        self.entries = entries
        self._held: OrderedDict[Hashable, tuple[float, int, T]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> T | None:
        """The value kept for ``key`` if still good, else None."""
        with self._lock:
            held = self._held.get(key)
            if held is None:
                return None
            at, changes, value = held
            if changes != db.local_changes() or time.monotonic() - at >= self.max_age:
                del self._held[key]
                return None
            self._held.move_to_end(key)
            return value

    def read(self, key: Hashable, compute: Callable[[], T], rows: Callable[[T], int]) -> T:
        """The value kept for ``key``, else ``compute()``: kept when ``rows(value)`` (how many
        rows it counted) is at least ``KEEP_FROM``."""
        found = self.get(key)
        if found is not None:
            return found
        changes = db.local_changes()  # before the read: a commit during it voids the value
        value = compute()
        if rows(value) >= KEEP_FROM:
            self.put(key, value, changes)
        return value

    def put(self, key: Hashable, value: T, changes: int) -> None:
        """Keep ``value``, read when ``db.local_changes()`` was ``changes`` (taken before the
        read: a write committed during it makes the value void)."""
        with self._lock:
            self._held[key] = (time.monotonic(), changes, value)
            self._held.move_to_end(key)
            while len(self._held) > self.entries:
                self._held.popitem(last=False)
