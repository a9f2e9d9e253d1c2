"""A PagedQuery stand-in over a Python list, for the page window's tests (no database)."""

from __future__ import annotations

import bisect
import threading
from collections.abc import Iterable, Sequence
from typing import Any

from tuicrm.data.lists.columns import Column, Row

COLUMNS = (Column("name", None, "Name"), Column("n", None, "N", align="right"))


class FakePager:
    """Rows ``(id, key=(name, id), values=(name, id))`` in key order. ``calls`` records every
    read; ``gate``, when set, makes every read wait until it is released (a slow database)."""

    def __init__(self, names: Sequence[str], *, desc: bool = False,
                 gate: threading.Event | None = None) -> None:
        rows = [Row(i, (name, i), (name, i)) for i, name in enumerate(names, 1)]
        rows.sort(key=lambda r: r.key, reverse=desc)
        self.rows = rows
        self.desc = desc
        self.columns = COLUMNS
        self.sort = (("name", desc),)
        self.calls: list[tuple[str, Any]] = []
        self.gate = gate
        self.started = threading.Event()  # a read has begun (and may be waiting on the gate)

    def _read(self, what: str, arg: Any) -> None:
        self.calls.append((what, arg))
        self.started.set()
        if self.gate is not None:
            assert self.gate.wait(10), "the gate was never opened"

    def _index(self, key: Sequence[Any]) -> int:
        """Index of the first row at or after ``key`` in display order."""
        keys = [r.key for r in self.rows]
        if self.desc:
            return next((i for i, k in enumerate(keys) if k <= tuple(key)), len(keys))
        return bisect.bisect_left(keys, tuple(key))

    def first(self, n: int) -> list[Row]:
        self._read("first", n)
        return self.rows[:n]

    def last(self, n: int) -> list[Row]:
        self._read("last", n)
        return self.rows[-n:] if n else []

    def after(self, key: Sequence[Any], n: int) -> list[Row]:
        self._read("after", key)
        i = self._index(key)
        if i < len(self.rows) and self.rows[i].key == tuple(key):
            i += 1
        return self.rows[i:i + n]

    def before(self, key: Sequence[Any], n: int) -> list[Row]:
        self._read("before", key)
        i = self._index(key)
        return self.rows[max(0, i - n):i]

    def around(self, key: Sequence[Any], n_before: int, n_after: int):
        self._read("around", key)
        i = self._index(key)
        return self.rows[max(0, i - n_before):i], self.rows[i:i + n_after + 1]

    def get(self, row_id: Any) -> Row | None:
        self._read("get", row_id)
        return next((r for r in self.rows if r.id == row_id), None)

    def existing_ids(self, ids: Iterable[Any]) -> set[Any]:
        self._read("existing_ids", None)
        have = {r.id for r in self.rows}
        return {i for i in ids if i in have}

    def count(self) -> int:
        self._read("count", None)
        return len(self.rows)

    def position(self, key: Sequence[Any]) -> int:
        self._read("position", key)
        return self._index(key)

    def delete(self, row_id: Any) -> None:
        self.rows = [r for r in self.rows if r.id != row_id]


def names(n: int) -> list[str]:
    return [f"name {i:05d}" for i in range(1, n + 1)]
