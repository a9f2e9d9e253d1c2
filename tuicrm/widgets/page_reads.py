"""What a list's worker thread reads: one page, a new window of rows, or the row count.

``PageWindow`` decides what to read and hands out a ``Request``; the widget runs
``Request.run()`` in a thread worker (the only code here that waits on the database) and posts
the ``Result`` back to the UI thread, where the window applies it. The display text of every
cell is made in the thread too, so the UI thread only places it. No Textual, no SQL here: a
``Pager`` is ``tuicrm.data.lists.paging.PagedQuery`` (or a fake over a list in tests).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, Protocol

from .cell_text import row_texts

if TYPE_CHECKING:  # the columns module imports peewee: types only
    from ..data.lists.columns import Column, Row

MIN_PAGE = 50  # rows per fetch at least (two screens at 80x24 and then some)

# A page after / before the rows at hand, the list's first / last rows, or a new window
# around a record (a new list, the list read again, a record to go to).
ReadKind = Literal["after", "before", "first", "last", "load"]


class Pager(Protocol):
    """What the window reads: ``tuicrm.data.lists.paging.PagedQuery`` (or a fake in tests)."""

    columns: tuple[Column, ...]
    sort: tuple[tuple[Any, bool], ...]

    def first(self, n: int) -> list[Row]: ...
    def last(self, n: int) -> list[Row]: ...
    def after(self, key: Sequence[Any], n: int) -> list[Row]: ...
    def before(self, key: Sequence[Any], n: int) -> list[Row]: ...
    def around(self, key: Sequence[Any], n_before: int, n_after: int) -> tuple[
        list[Row], list[Row]]: ...
    def get(self, row_id: Any) -> Row | None: ...
    def existing_ids(self, ids: Iterable[Any]) -> set[Any]: ...
    def count(self) -> int: ...
    def position(self, key: Sequence[Any]) -> int: ...


def same_sort(a: Sequence[tuple[Any, bool]], b: Sequence[tuple[Any, bool]]) -> bool:
    """Whether two sort specs are the same. Not ``a == b``: an expression's ``==`` may build
    an expression (always true), so a column name would "equal" some field."""
    if len(a) != len(b):
        return False
    for (x, dx), (y, dy) in zip(a, b, strict=True):
        if dx != dy or isinstance(x, str) != isinstance(y, str):
            return False
        if (x != y) if isinstance(x, str) else (x is not y):
            return False
    return True


class Item(NamedTuple):
    """A row at hand and the display text of its cells."""

    row: Row
    texts: tuple[str, ...]


@dataclass(frozen=True)
class Request:
    """One read for a worker thread: a page next to the rows at hand, or a whole new window
    ("first", "last" or "load"). Two requests are the same if they ask for the same rows."""

    kind: ReadKind
    pager: Pager
    key: tuple[Any, ...] | None = None
    target_id: Any = None
    alt_id: Any = None  # the record to stay on if the target is not listed
    fallback_key: tuple[Any, ...] | None = None
    refresh: bool = False
    missing_ok: bool = False
    marks: tuple[Any, ...] = ()
    n: int = field(default=MIN_PAGE, compare=False)
    token: int = field(default=0, compare=False)

    def run(self) -> Result:
        """Read the rows (in a worker thread: this is the only place that waits)."""
        start = time.perf_counter()
        pager, n = self.pager, self.n
        fallback_key = self.fallback_key
        resolve = getattr(pager, "resolved", None)
        if resolve is not None:  # a deferred list (a search) is worked out here, off the UI
            pager = resolve()
            if not same_sort(pager.sort, self.pager.sort):
                fallback_key = None  # a key of the old order means nothing in this one
        elif self.refresh:  # a query that holds a snapshot (a search's matches) reads again
            refreshed = getattr(pager, "refreshed", None)
            pager = refreshed() if refreshed is not None else pager
        kept = frozenset(pager.existing_ids(self.marks)) if self.marks else None
        before: list[Row] = []
        after: list[Row] = []
        cursor = 0
        at_start = at_end = True
        if self.kind == "after":
            after = pager.after(self.key or (), n)
            at_start, at_end = False, len(after) < n
        elif self.kind == "before":
            before = pager.before(self.key or (), n)
            at_start, at_end = len(before) < n, False
        elif self.kind == "last":
            after = pager.last(n)
            at_start, cursor = len(after) < n, len(after) - 1
        else:
            row = None if self.target_id is None else pager.get(self.target_id)
            if row is None and self.missing_ok:
                return Result(self, pager, [], True, True, 0, False, kept,
                              time.perf_counter() - start)
            if row is None and self.alt_id is not None:
                row = pager.get(self.alt_id)
            key = row.key if row is not None else fallback_key
            if key is not None:
                before, after = pager.around(key, n, n)
                at_start, at_end = len(before) < n, len(after) < n + 1
                cursor = len(before)
                if row is not None:  # the row itself, if it did not come first
                    ids = [r.id for r in after]
                    cursor += ids.index(row.id) if row.id in ids else 0
            else:
                after = pager.first(n)
                at_end = len(after) < n
        columns = pager.columns
        return Result(
            self, pager, [Item(r, row_texts(columns, r)) for r in before + after], at_start,
            at_end, max(0, cursor), True, kept, time.perf_counter() - start,
        )


@dataclass(frozen=True)
class Result:
    """The rows a ``Request`` read, made ready to show (what the UI thread applies)."""

    request: Request
    pager: Pager  # the pager the rows came from (a refreshed one after a refresh)
    items: list[Item]  # in list order
    at_start: bool
    at_end: bool
    cursor: int  # index in ``items`` of the row to put the cursor on (new windows)
    found: bool  # go to: whether the list holds the record
    kept_marks: frozenset[Any] | None  # which of the request's marks the list still holds
    elapsed: float


@dataclass(frozen=True)
class CountRequest:
    """The row count and/or where the window sits in the list (costs like a count)."""

    pager: Pager
    gen: int
    total: bool
    key: tuple[Any, ...] | None = field(default=None, compare=False)
    coordinate: int = field(default=0, compare=False)
    token: int = field(default=0, compare=False)
    # Set when the list is gone (a newer search): the count gives up (``db.interruptible``).
    stop: threading.Event = field(default_factory=threading.Event, compare=False)

    def run(self) -> CountResult:
        total = self.pager.count() if self.total else None
        position = None if self.key is None else self.pager.position(self.key)
        return CountResult(self, total, position)


class CountResult(NamedTuple):
    request: CountRequest
    total: int | None  # None: not asked for
    position: int | None  # rows before the request's key (None: not asked for)


__all__ = ["MIN_PAGE", "CountRequest", "CountResult", "Item", "Pager", "ReadKind", "Request",
           "Result", "same_sort"]
