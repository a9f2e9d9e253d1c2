"""What a list must read next, and the keys typed faster than its rows arrive (no Textual).

``RecordTable`` shows a list of any length through a ``PagedQuery`` (keyset pages of plain
``Row``s). ``PageWindow`` is its state without the widget: the rows at hand and the cursor
(``RowWindow``), the marks, the row count, and a queue of keys. Nothing here reads the
database: ``next_request()`` says what to read, a thread runs ``Request.run()``
(``page_reads``), and ``apply(result)`` takes the rows in. Tests drive it with a fake pager.

Keys are steps in a queue, applied in order: a move whose rows are at hand applies at once;
one that needs rows waits, with every step behind it, until they arrive (the screen meanwhile
shows where the queued moves lead, ``...`` where rows are missing). A jump to an end or a new
list replaces the moves queued just before it. Reading the same list again (after an edit)
blocks no key: keys apply to the rows at hand, and the fresh rows keep the cursor on the
record it is on when they land. Each request carries a token; only the result of the request
the window wants now is applied, so a late or superseded read is ignored.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from .page_reads import (
    MIN_PAGE,
    CountRequest,
    CountResult,
    Pager,
    Request,
    Result,
    same_sort,
)
from .row_window import RowWindow
from .window_steps import Edge, Load, Mark, Move, Select, Step

if TYPE_CHECKING:  # the columns module imports peewee: types only
    from ..data.lists.columns import Row

MAX_PAGE = 1000  # rows per read at most, when many queued keys need rows far away


class PageWindow(RowWindow):
    """The rows around the cursor of one list, and the keys waiting for rows (see the module
    docstring). Every mutator applies what it can at once; then ``next_request()`` and
    ``next_count()`` say what to read."""

    def __init__(self, slow_fetch: float = 0.03) -> None:
        super().__init__()
        self.slow_fetch = slow_fetch  # seconds; slower reads make pages bigger
        self.boost = 1  # page size multiplier, raised while reads are slow
        self.pager: Pager | None = None  # the list asked for last (its sort and columns)
        self.rows_pager: Pager | None = None  # the list the rows at hand came from
        self.selected: list[Row] = []  # rows Enter was pressed on, for the widget to announce
        self._queue: deque[Step] = deque()
        self._refresh: Load | None = None  # the shown list, to read again (blocks no key)
        self._tokens = itertools.count(1)
        self._inflight: Request | None = None
        self._handed_out = False
        self._count: CountRequest | None = None
        self._recount = False
        self._recount_gen = 0  # counts of older rows than this do not hold (an edit since)
        self._halted = False  # a read failed: ask for nothing until the next step
        self._count_halted = False  # a count failed: no count until the next list

    @property
    def chunk(self) -> int:
        return max(MIN_PAGE, 2 * self.page_rows) * self.boost

    @property
    def cap(self) -> int:
        return 6 * self.chunk

    @property
    def loading(self) -> bool:
        """Whether rows are on their way or keys wait for them."""
        return bool(self._queue) or self._inflight is not None or self._refresh is not None

    @property
    def counting(self) -> bool:
        return self._count is not None

    @property
    def waiting_for_list(self) -> bool:
        """Whether a new list is asked for and has not arrived (its rows are not at hand)."""
        return any(isinstance(s, Load) for s in self._queue)

    def missing(self, coordinate: int) -> bool:
        """Whether a row that is on its way (or may be) belongs there: shown as ``...``."""
        if not self.items:
            return self.waiting_for_list and coordinate == self.top
        return self.beyond(coordinate)

    def view(self) -> tuple[int, int]:
        """(cursor, top) as the screen shows them: where the queued moves lead, as if the
        rows they need were at hand (the list's known ends still stop them)."""
        cursor, top = self.cursor, self.top
        for step in self._queue:
            if not isinstance(step, Move) or not self.items:
                break
            cursor, top = self.moved(cursor, top, step.delta, step.scroll)
        return cursor, top

    # .......................................................................... steps

    def set_pager(self, pager: Pager) -> None:
        if pager is self.rows_pager and not self.waiting_for_list:
            self._reread(Load(pager))  # the list shown: read it again
            return
        self.pager = pager
        self._refresh = None  # the new list is read fresh
        self._drop_count()
        self._push_load(Load(pager))

    def refresh(self) -> None:
        """Read the list again (after an edit); a list still on its way is read fresh."""
        if self.pager is not None and self.waiting_for_list:
            self._push_load(Load(self.pager, refresh=True))
        elif self.pager is not None:
            self._reread(Load(self.pager, refresh=True))

    def _reread(self, load: Load) -> None:
        # A newer wish to read again replaces an older one (whose read may predate an edit).
        if self._refresh is not None:
            load.refresh = load.refresh or self._refresh.refresh
        self._refresh = load
        self._sync()

    def go_to(self, row_id: Any) -> bool:
        """Put the cursor on ``row_id`` and read the rows around it again (a caller goes to
        a record it has just changed): True if the cursor is there at once (the row is at
        hand), False if it is looked up (nothing changes if the list does not hold it)."""
        if self.pager is None:
            return False
        here = [i for i, item in enumerate(self.items) if item.row.id == row_id]
        if here and not self._queue:  # at hand: there at once, on the same screen line
            self.top += self.first + here[0] - self.cursor
            self.cursor = self.first + here[0]
            self.settle()
            self._reread(Load(self.pager))
            return True
        reread, self._refresh = self._refresh, None
        self._push_load(Load(self.pager, target_id=row_id, missing_ok=True, recount=False,
                             refresh=reread is not None and reread.refresh))
        return False

    def move(self, delta: int, scroll: bool = False) -> None:
        last = self._queue[-1] if self._queue else None
        if isinstance(last, Move) and last.scroll == scroll and (last.delta > 0) == (delta > 0):
            # Moves one way add up (each stops only at an end of the list, as the sum does):
            # a thousand PgDn typed ahead stay one step, not a queue to walk on every key.
            self._queue[-1] = Move(last.delta + delta, scroll)
            self._drain()
            self._sync()
            return
        self._push(Move(delta, scroll))

    def edge(self, last: bool) -> None:
        # An end is absolute: the moves typed just before it no longer matter.
        while self._queue and isinstance(self._queue[-1], Move | Edge):
            self._queue.pop()
        self._push(Edge(last))

    def toggle_mark(self) -> None:
        self._push(Mark())
        self._push(Move(1))

    def select(self) -> None:
        self._push(Select())

    def click(self, coordinate: int) -> None:
        """Move to the row shown at ``coordinate``."""
        self._push(Move(coordinate - self.view()[0]))

    def set_page_rows(self, rows: int) -> None:
        self.page_rows = max(1, rows)
        self.settle()
        self._sync()

    def set_marks(self, ids: Iterable[Any]) -> None:
        self.marks = dict.fromkeys(ids)
        self.marks_version += 1

    def _push(self, step: Step) -> None:
        self._halted = False
        self._queue.append(step)
        self._drain()
        self._sync()

    def _push_load(self, load: Load) -> None:
        # A new list decides where the cursor goes: moves queued before it are dropped, and
        # a list still on its way is merged into it (keeping a record to go to).
        while self._queue and isinstance(self._queue[-1], Move | Edge | Load):
            old = self._queue.pop()
            if isinstance(old, Load):
                load.refresh = load.refresh or (old.refresh and old.pager is load.pager)
                load.recount = load.recount or old.recount
                if load.target_id is None and old.target_id is not None:
                    load.target_id, load.missing_ok = old.target_id, old.missing_ok
        self._push(load)

    def _drain(self) -> None:
        """Apply the queued steps that need no rows from the database, in order."""
        while self._queue:
            step = self._queue[0]
            if isinstance(step, Load):
                return
            if isinstance(step, Edge):
                if not (self.at_end if step.last else self.at_start):
                    return
                self.cursor = self.end - 1 if step.last else self.first
            elif isinstance(step, Move):
                if not self.reaches(step.delta):
                    self._move_partly(step)
                    return
                if self.items:
                    self.cursor, self.top = self.moved(self.cursor, self.top, step.delta,
                                                       step.scroll)
            elif isinstance(step, Mark):
                self.flip_mark()
            elif (row := self.cursor_row) is not None:
                self.selected.append(row)
            self._queue.popleft()
            self.settle()

    def _move_partly(self, move: Move) -> None:
        """Go as far as the rows at hand let ``move`` go (the list goes on beyond them, so
        nothing stops it there); the rest waits for rows."""
        if not self.items:
            return
        done = (self.end - 1 if move.delta > 0 else self.first) - self.cursor
        if done and (done > 0) == (move.delta > 0):
            self.cursor, self.top = self.moved(self.cursor, self.top, done, move.scroll)
            self._queue[0] = Move(move.delta - done, move.scroll)
            self.settle()

    # .......................................................................... requests

    def _needed(self) -> Request | None:
        """The read wanted now: for the first queued step (after ``_drain`` it waits for
        rows), else the list again, else to fill the screen or read ahead of the cursor."""
        if self._halted or self.pager is None:
            return None
        head = self._queue[0] if self._queue else None
        if isinstance(head, Load):
            if head.request is None:
                head.request = self._load_request(head)
            return head.request
        if self._refresh is not None and head is None:  # keys waiting for rows come first
            if self._refresh.request is None:
                self._refresh.request = self._load_request(self._refresh)
            return self._refresh.request
        pager = self.rows_pager
        if pager is None or not self.items:
            return None
        if isinstance(head, Edge):
            return Request("last" if head.last else "first", pager, n=self.chunk)
        if isinstance(head, Move):  # it waits for rows: read enough for all of it at once
            forward, target = head.delta > 0, self.cursor + head.delta
            far = target - self.end + 1 if forward else self.first - target
            n = max(self.chunk, min(far + self.page_rows, MAX_PAGE))
            return self._page(pager, forward, n)
        cursor, top = self.view()
        margin = 2 * self.page_rows
        if not self.at_end and top + self.page_rows + margin > self.end:
            return self._page(pager, True, self.chunk)
        if not self.at_start and top - margin < self.first:
            return self._page(pager, False, self.chunk)
        return None

    def _page(self, pager: Pager, forward: bool, n: int) -> Request:
        edge = self.items[-1] if forward else self.items[0]
        return Request("after" if forward else "before", pager, key=tuple(edge.row.key), n=n)

    def _load_request(self, load: Load) -> Request:
        """The cursor stays on its record (or goes to ``target_id``); if the new list lacks
        it, near where it was (same order), else at the top."""
        row = self.cursor_row
        here = None if row is None else row.id
        fallback = None
        if (row is not None and self.rows_pager is not None
                and same_sort(self.rows_pager.sort, load.pager.sort)):
            fallback = tuple(row.key)
        # "Change nothing if it is not listed" only makes sense for the list already shown.
        missing_ok = load.missing_ok and not load.refresh and load.pager is self.rows_pager
        explicit = load.target_id is not None
        return Request("load", load.pager, target_id=load.target_id if explicit else here,
                       alt_id=here if explicit else None, fallback_key=fallback,
                       refresh=load.refresh, missing_ok=missing_ok,
                       marks=tuple(self.marks) if load.recount else (), n=self.chunk,
                       token=next(self._tokens))

    def _sync(self) -> None:
        """Make the request in flight the one wanted now (a changed wish makes it stale)."""
        need = self._needed()
        if need is None:
            self._inflight = None
        elif self._inflight is None or need != self._inflight or (
                need.token and need.token != self._inflight.token):
            self._inflight = need if need.token else replace(need, token=next(self._tokens))
            self._handed_out = False

    def next_request(self) -> Request | None:
        """The read to start now (None: nothing new to read)."""
        if self._inflight is None or self._handed_out:
            return None
        self._handed_out = True
        return self._inflight

    def _drop_count(self) -> None:
        """A new list: the count of the old one is given up (it stops reading)."""
        if self._count is not None:
            self._count.stop.set()
            self._count = None

    def next_count(self) -> CountRequest | None:
        """A count (and/or position) to start now, if the row count or number is unknown.
        One at a time (counts for lists typed past would fill the worker threads that page
        reads need); a new list stops the count of the old one (``_drop_count``)."""
        pager = self.rows_pager
        if pager is None or self.waiting_for_list or self._count_halted or self._count:
            return None
        want_total = self.total is None or self._recount
        want_position = self.base is None and bool(self.items) and not (
            self.at_end and want_total)
        if not (want_total or want_position):
            return None
        key = tuple(self.items[0].row.key) if want_position else None
        self._count = CountRequest(pager, self.gen, want_total, key, self.first,
                                   token=next(self._tokens))
        return self._count

    # .......................................................................... results

    def apply(self, result: Result) -> bool:
        """Take a read's rows in; False if the result is stale (nothing changes)."""
        request = result.request
        if self._inflight is None or request.token != self._inflight.token:
            return False
        self._inflight = None
        # What a page of the usual size took (a read for many queued keys is bigger).
        self._adjust_boost(result.elapsed * min(1.0, self.chunk / max(1, request.n)))
        if request.kind == "after":
            self.extend(result.items, result.at_end)
        elif request.kind == "before":
            self.prepend(result.items, result.at_start)
        elif self._refresh is not None and request is self._refresh.request:
            if not self._take_reread(result, self._refresh):
                self._sync()  # the cursor went far meanwhile: read again around it
                return True
            self._refresh = None
        else:
            step = self._queue.popleft()
            if result.found:
                self._take_list(result, step if isinstance(step, Load) else None,
                                result.cursor)
        self.settle()
        self._drain()
        cursor, top = self.view()
        self.trim(self.cap, min(self.cursor, self.top, cursor, top),
                  max(self.cursor + 1, cursor + 1, max(self.top, top) + self.page_rows))
        self._sync()
        return True

    def _take_reread(self, result: Result, load: Load) -> bool:
        """The shown list read again: the cursor stays on the record it is on now. False if
        that record is not among the rows read (asked again around it)."""
        row, cursor = self.cursor_row, result.cursor
        if row is not None and row.id != result.request.target_id:
            ids = [item.row.id for item in result.items]
            if row.id not in ids:
                load.request = None
                return False
            cursor = ids.index(row.id)
        self._take_list(result, load, cursor)
        return True

    def _take_list(self, result: Result, load: Load | None, cursor: int) -> None:
        """A new window of rows: a new list (``load``) or a jump to an end of this one."""
        kind = result.request.kind
        screen_y = {"first": 0, "last": self.page_rows - 1}.get(kind, self.cursor - self.top)
        new_list = load is not None and result.pager is not self.rows_pager and not load.refresh
        if load is not None and load.pager is self.pager:
            self.pager = result.pager  # a refreshed search holds its new matches
        self.rows_pager = result.pager
        self.replace(result.items, result.at_start, result.at_end, cursor, max(0, screen_y))
        if load is not None and load.recount:
            self._recount, self._count_halted, self._recount_gen = True, False, self.gen
            if new_list:
                self.total = None
        if result.kept_marks is not None:
            self.drop_marks(set(result.request.marks) - result.kept_marks)

    def _adjust_boost(self, elapsed: float) -> None:
        # A sort no index serves reads and sorts the whole table whatever the LIMIT: read
        # bigger pages so that it happens less often. A fast read means it was a hiccup.
        if elapsed > self.slow_fetch and self.boost < 16:
            self.boost *= 4
        elif elapsed < self.slow_fetch / 3 and self.boost > 1:
            self.boost //= 4

    def apply_count(self, result: CountResult) -> bool:
        """Take a count in, as far as it still holds for the rows at hand."""
        request = result.request
        if self._count is None or request.token != self._count.token:
            return False
        self._count = None
        if (result.total is not None and request.pager is self.rows_pager
                and request.gen >= self._recount_gen):
            self.total = result.total
            self._recount = False
        if result.position is not None and request.gen == self.gen:
            self.base = result.position - request.coordinate
        self.settle()
        return True

    def failed(self, token: int) -> bool:
        """A read failed: drop the keys waiting for it and ask for nothing more until the next
        key or list (so a lost database is not asked again and again)."""
        if self._inflight is not None and token == self._inflight.token:
            self._inflight = self._refresh = None
            self._queue.clear()
            self._halted = True
            return True
        if self._count is not None and token == self._count.token:
            self._count = None
            self._count_halted = True
            return True
        return False


__all__ = ["PageWindow"]
