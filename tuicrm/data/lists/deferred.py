"""DeferredPager: a list whose query is worked out by the first read, in the reading thread.

Some lists must read the database before they know their own query: a customer search first
looks at its matches (how many, which ids; ``parties.search.analyse``, 1-25 ms at a million
customers) to choose between sorting them as asked and listing a broad search by id. Done
while the list is opened, that read ran on the UI thread at every typed character, ahead of
the key echo and of the next key. ``DeferredPager`` holds the recipe instead (``build``) and
the columns and sort the screen asked for; the first read calls ``resolved()`` (in the list's
reader thread) and every read after that goes to the real ``PagedQuery``. A search typed
past before its turn to be read is never built at all.

``resolved()`` may come back with another sort than the one asked for (a broad search, by
id): readers take the resolved pager's ``sort`` and ``columns`` from then on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from .columns import Column, Row
from .paging import PagedQuery, SortSpec

Build = Callable[[Sequence[Column], SortSpec], PagedQuery]


class DeferredPager:
    """A ``PagedQuery`` built on first use (see the module docstring)."""

    def __init__(self, build: Build, columns: Sequence[Column], sort: SortSpec) -> None:
        self._build = build
        self.columns: tuple[Column, ...] = tuple(columns)
        self.sort: tuple[tuple[Any, bool], ...] = tuple((s, bool(d)) for s, d in sort)
        self._by_name = {c.name: c for c in self.columns}
        self._lock = threading.Lock()
        self._pager: PagedQuery | None = None

    @property
    def broad(self) -> bool:
        """As the built pager says (False until it is built: nothing is read to know)."""
        return bool(self._pager is not None and self._pager.broad)

    @property
    def sort_columns(self) -> list[tuple[str, bool]]:
        return [(s, d) for s, d in self.sort if isinstance(s, str)]

    def column(self, name: str) -> Column:
        try:
            return self._by_name[name]
        except KeyError:
            raise KeyError(f"no column {name!r}; columns are {list(self._by_name)}") from None

    def resolved(self) -> PagedQuery:
        """The real pager, built (reading the database) the first time it is asked for."""
        with self._lock:
            if self._pager is None:
                self._pager = self._build(self.columns, self.sort)
            return self._pager

    def with_sort(self, sort: SortSpec) -> DeferredPager:
        return DeferredPager(self._build, self.columns, sort)

    def with_columns(self, columns: Sequence[Column]) -> DeferredPager:
        return DeferredPager(self._build, columns, self.sort)

    # The reads: each on the built pager.

    def first(self, n: int) -> list[Row]:
        return self.resolved().first(n)

    def last(self, n: int) -> list[Row]:
        return self.resolved().last(n)

    def after(self, key: Sequence[Any], n: int) -> list[Row]:
        return self.resolved().after(key, n)

    def before(self, key: Sequence[Any], n: int) -> list[Row]:
        return self.resolved().before(key, n)

    def around(self, key: Sequence[Any], n_before: int,
               n_after: int) -> tuple[list[Row], list[Row]]:
        return self.resolved().around(key, n_before, n_after)

    def get(self, row_id: Any) -> Row | None:
        return self.resolved().get(row_id)

    def existing_ids(self, ids: Iterable[Any]) -> set[Any]:
        return self.resolved().existing_ids(ids)

    def count(self) -> int:
        return self.resolved().count()

    def position(self, key: Sequence[Any]) -> int:
        return self.resolved().position(key)

    def iterate(self, batch: int = 1000) -> Iterator[Row]:
        return self.resolved().iterate(batch)


__all__ = ["DeferredPager"]
