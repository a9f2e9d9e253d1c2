"""RecordTable: the database-backed list every list screen uses (L1-L7).

Textual's ``DataTable`` holds every row in memory (100k rows: 38 s to first paint, 193 MiB).
``RecordTable`` holds a small window of rows around the viewport, read page by page through
``tuicrm.data.lists.paging.PagedQuery`` (keyset pagination, ~0.5 ms a page at 1M rows), and paints
only the lines on screen with the Line API. Memory does not grow with the table.

Why no scrollbar: with keyset paging there is no cheap "row number N" (OFFSET costs 23-36 ms in
the middle of 1M rows and a count costs 30-200 ms), so the list moves by keys (arrows,
PgUp/PgDn, Home/End, the mouse wheel) and shows where it is in the ``position`` text
("row 1,234 of 1,000,000"); the row count is taken in a thread worker.

User text is never parsed as markup: cells become ``Segment``s of plain text, and control
characters (escape sequences, bidi overrides, newlines) are replaced before display. Widths use
display cells (``rich.cells``), so Chinese text aligns and is cut with an ellipsis. No timers
run while idle.

Usage in a screen::

    from peewee import JOIN
    from tuicrm.data.models import Customer, CustomerGroup
    from tuicrm.data.lists.paging import Column, PagedQuery
    from tuicrm.widgets.record_table import RecordTable

    COLUMNS = [
        Column("code", Customer.code, "Code", width=10),
        Column("name", Customer.name, "Name", max_width=30),
        Column("group", CustomerGroup.name, "Group"),
        Column("credit", Customer.credit_limit, "Credit limit"),
    ]

    def compose(self):
        query = Customer.select().join(CustomerGroup, JOIN.LEFT_OUTER)
        yield RecordTable(PagedQuery(query, COLUMNS, sort=[("name", False)]), id="customers")
        yield Static(id="position")

    def on_record_table_highlighted(self, event: RecordTable.Highlighted) -> None:
        self.show_details(event.row_id)          # None when the list is empty

    def on_record_table_selected(self, event: RecordTable.Selected) -> None:
        self.open_customer(event.row_id)

    def on_record_table_position_changed(self, event: RecordTable.PositionChanged) -> None:
        self.query_one("#position", Static).update(Text(event.text))

    # after a search / filter change:  table.set_query(table.paged_query.with_query(new_query))
    # after an edit or delete:         table.refresh_data()
    # delete several:                  ids = table.target_ids()  (marked rows, else the cursor row)
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from rich.cells import cell_len, split_text
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from ..data.core.db import worker_connection
from ..data.lists.paging import Column, PagedQuery, Row

ELLIPSIS = "…"
MARK = "*"
SORT_ASC = "▲"
SORT_DESC = "▼"
CELL_GAP = 1  # cells between columns
_KEEP_CHARS = 400  # a cell never needs more characters than this (max_width is cells)

# C0/C1 controls (ESC starts terminal escape sequences), zero-width and bidi controls that can
# reorder or hide text on a terminal, BOM, interlinear annotation, lone surrogates.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff]"
)
_AS_SPACE = {"\t", "\n", "\r", "\u2028", "\u2029"}


def clean_text(text: str) -> str:
    """Make a value safe to paint: controls become ``?`` (tabs and line breaks a space).

    Long values are cut to what a cell can show first, so a 10,000-character note costs no
    more than a short one.
    """
    if len(text) > _KEEP_CHARS:
        text = text[:_KEEP_CHARS] + ELLIPSIS
    if text.isprintable():
        return text
    return _UNSAFE.sub(lambda m: " " if m.group() in _AS_SPACE else "?", text)


def fit(text: str, width: int, align: str = "left") -> str:
    """``text`` in exactly ``width`` cells: padded by ``align``, or cut with an ellipsis."""
    if width <= 0:
        return ""
    size = cell_len(text)
    if size > width:
        head, _ = split_text(text, width - 1)  # a split wide character becomes a space
        return head + ELLIPSIS
    gap = width - size
    if not gap:
        return text
    if align == "right":
        return " " * gap + text
    if align == "center":
        return " " * (gap // 2) + text + " " * (gap - gap // 2)
    return text + " " * gap


def _same_sort(a: Sequence[tuple[Any, bool]], b: Sequence[tuple[Any, bool]]) -> bool:
    """Whether two sort specs are the same. Not ``a == b``: a peewee field's ``==`` builds an
    expression (always true), so a column name would "equal" ``Customer.id``."""
    if len(a) != len(b):
        return False
    for (x, dx), (y, dy) in zip(a, b, strict=True):
        if dx != dy or isinstance(x, str) != isinstance(y, str):
            return False
        if (x != y) if isinstance(x, str) else (x is not y):
            return False
    return True


def _fmt_int(n: int) -> str:
    return f"{n:,}"


class _Item:
    """A cached row and the display text of each of its cells."""

    __slots__ = ("row", "texts")

    def __init__(self, row: Row, texts: tuple[str, ...]) -> None:
        self.row = row
        self.texts = texts


class RecordTable(Widget, can_focus=True):
    """A list over a ``PagedQuery`` that only ever holds a few pages of it.

    Keys: Up/Down, PgUp/PgDn, Home/End (and Ctrl+Home/End), Left/Right scroll the columns,
    Enter posts ``Selected``, Space marks the row (and moves down). Mouse: click a row to move
    there, double-click to select, click a header to sort by it, wheel to move.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home,ctrl+home", "first", "First", show=False),
        Binding("end,ctrl+end", "last", "Last", show=False),
        Binding("left", "scroll_columns(-1)", "Columns left", show=False),
        Binding("right", "scroll_columns(1)", "Columns right", show=False),
        Binding("enter", "select", "Open"),
        Binding("space", "toggle_mark", "Mark"),
    ]

    SLOW_FETCH: ClassVar[float] = 0.03  # seconds; slower page fetches make pages bigger

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "record-table--header",
        "record-table--cursor",
        "record-table--marked",
        "record-table--empty",
    }

    DEFAULT_CSS = """
    RecordTable {
        height: 1fr;
        background: $surface;
        color: $foreground;
        & > .record-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .record-table--header {
            background: ansi_blue;
            color: ansi_bright_white;
        }
        & > .record-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .record-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        &:ansi:focus > .record-table--cursor {
            text-style: reverse;
        }
        & > .record-table--marked {
            color: $accent;
            text-style: bold;
        }
        & > .record-table--empty {
            color: $text-muted;
            text-style: italic;
        }
    }
    """

    # ------------------------------------------------------------------ messages

    class Highlighted(Message):
        """The cursor moved to another record (``row_id`` None: the list is empty)."""

        def __init__(self, record_table: RecordTable, row_id: Any, row: Row | None) -> None:
            super().__init__()
            self.record_table = record_table
            self.row_id = row_id
            self.row = row  # the values as listed, to show without another query

        @property
        def control(self) -> RecordTable:
            return self.record_table

    class Selected(Message):
        """Enter (or a double click) on a record."""

        def __init__(self, record_table: RecordTable, row_id: Any, row: Row) -> None:
            super().__init__()
            self.record_table = record_table
            self.row_id = row_id
            self.row = row

        @property
        def control(self) -> RecordTable:
            return self.record_table

    class PositionChanged(Message):
        """The cursor's row number or the row count changed (either may be None: unknown)."""

        def __init__(
            self, record_table: RecordTable, row_number: int | None, total: int | None
        ) -> None:
            super().__init__()
            self.record_table = record_table
            self.row_number = row_number
            self.total = total
            self.text = record_table.position_text  # e.g. "row 1,234 of 1,000,000"

        @property
        def control(self) -> RecordTable:
            return self.record_table

    class MarksChanged(Message):
        """Rows were marked or unmarked; ``count`` rows are marked now."""

        def __init__(self, record_table: RecordTable, count: int) -> None:
            super().__init__()
            self.record_table = record_table
            self.count = count

        @property
        def control(self) -> RecordTable:
            return self.record_table

    class _Counted(Message):
        def __init__(self, token: int, total: int, anchor: int, position: int | None) -> None:
            super().__init__()
            self.token = token
            self.total = total
            self.anchor = anchor
            self.position = position

    # ------------------------------------------------------------------ construction

    def __init__(
        self,
        paged_query: PagedQuery | None = None,
        *,
        visible_columns: Sequence[str] | None = None,
        fixed_columns: int = 0,
        show_marks: bool = True,
        empty_text: str = "No records",
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's name
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._pq: PagedQuery | None = None
        self._boost = 1  # page size multiplier, raised while fetches are slow
        self._items: list[_Item] = []
        self._at_start = True
        self._at_end = True
        self._top = 0  # index in _items of the first row on screen
        self._cursor = 0  # index in _items of the cursor row
        # Row numbers: _anchor_pos is the absolute index of the row that was _items[0] when the
        # window was loaded; _rel0 is how far _items[0] has moved from it since.
        self._anchor_pos: int | None = 0
        self._rel0 = 0
        self._window_gen = 0
        self._count_token = 0
        self._count_ms: float | None = None
        self.total: int | None = None
        self._marks: dict[Any, None] = {}
        self._visible: list[str] | None = list(visible_columns) if visible_columns else None
        self._widths: dict[str, int] = {}
        self._layout_memo: list[tuple[int, int, int]] | None = None
        self._line_styles: dict[tuple[str, ...], Style] = {}
        self._fixed = max(0, fixed_columns)
        self._hscroll = 0
        self._show_marks = show_marks
        self.empty_text = empty_text
        self._last_highlight: tuple[Any, ...] | None = None
        self._last_position: tuple[int | None, int | None] | None = None
        self._pending_query = paged_query
        self._ready = False

    def on_mount(self) -> None:
        self._ready = True
        if self._pending_query is not None:
            pq, self._pending_query = self._pending_query, None
            self.set_query(pq)

    # ------------------------------------------------------------------ public API

    @property
    def show_marks(self) -> bool:
        """Whether the mark column (for multi-select with Space) is shown."""
        return self._show_marks

    @show_marks.setter
    def show_marks(self, value: bool) -> None:
        self._show_marks = bool(value)
        self._layout_memo = None
        self.refresh()

    @property
    def paged_query(self) -> PagedQuery | None:
        return self._pq

    @property
    def columns(self) -> tuple[Column, ...]:
        return self._pq.columns if self._pq else ()

    @property
    def visible_columns(self) -> list[str]:
        names = [c.name for c in self.columns]
        if self._visible is None:
            return names
        return [n for n in self._visible if n in names]

    @property
    def cursor_row(self) -> Row | None:
        return self._items[self._cursor].row if self._items else None

    @property
    def cursor_row_id(self) -> Any:
        return self._items[self._cursor].row.id if self._items else None

    @property
    def row_number(self) -> int | None:
        """1-based number of the cursor row, when known."""
        if not self._items or self._anchor_pos is None:
            return None
        return self._anchor_pos + self._rel0 + self._cursor + 1

    @property
    def position_text(self) -> str:
        """E.g. ``row 1,234 of 1,000,000``; ``1,000,000 rows`` when the row is unknown yet."""
        total, number = self.total, self.row_number
        if not self._items:
            return "no rows" if total in (None, 0) else f"{_fmt_int(total)} rows"
        if number is not None and total is not None:
            return f"row {_fmt_int(number)} of {_fmt_int(total)}"
        if number is not None:
            return f"row {_fmt_int(number)}"
        if total is not None:
            return f"{_fmt_int(total)} rows"
        return ""

    @property
    def selected_ids(self) -> list[Any]:
        """The marked rows' ids, in the order they were marked."""
        return list(self._marks)

    def target_ids(self) -> list[Any]:
        """What a "do this to the selection" action works on: the marked rows, or else the
        cursor row (empty when the list is empty)."""
        if self._marks:
            return list(self._marks)
        return [] if not self._items else [self.cursor_row_id]

    def clear_marks(self) -> None:
        if self._marks:
            self._marks.clear()
            self.post_message(self.MarksChanged(self, 0))
            self.refresh()

    def set_marks(self, ids: Iterable[Any]) -> None:
        self._marks = dict.fromkeys(ids)
        self.post_message(self.MarksChanged(self, len(self._marks)))
        self.refresh()

    def set_query(self, paged_query: PagedQuery) -> None:
        """Show ``paged_query``; the cursor stays on the same record if it is still listed
        (else on the record that now takes its place). Recounts in a worker."""
        if not self._ready:
            self._pending_query = paged_query
            return
        old = self._pq
        old_id = self.cursor_row_id
        old_key = self.cursor_row.key if self._items else None
        screen_y = self._cursor - self._top
        self._pq = paged_query
        self._boost = 1
        if old is None or [c.name for c in old.columns] != [c.name for c in paged_query.columns]:
            self._widths.clear()
            self._hscroll = 0
        if paged_query is not old:
            self.total = None  # a refresh of the same query shows the old count until recounted
        if self._marks:
            kept = paged_query.existing_ids(self._marks)
            if len(kept) != len(self._marks):
                self._marks = {i: None for i in self._marks if i in kept}
                self.post_message(self.MarksChanged(self, len(self._marks)))
        if old_id is None:
            self._load_first()
        else:
            row = paged_query.get(old_id)
            if row is not None:
                self._load_around(row.key, row.id, screen_y)
            elif old is not None and _same_sort(old.sort, paged_query.sort) and old_key is not None:
                self._load_around(old_key, None, screen_y)
            else:
                self._load_first()
        self._measure_widths()
        self._start_count()
        self._changed(full=True)

    def refresh_data(self) -> None:
        """Read the rows again (after an edit, a delete or another session's changes)."""
        if self._pq is not None:
            # A query that holds a snapshot (a search's match ids) reads it again.
            refreshed = getattr(self._pq, "refreshed", None)
            self.set_query(refreshed() if refreshed is not None else self._pq)

    def go_to_id(self, row_id: Any) -> bool:
        """Put the cursor on record ``row_id``; False if the query does not list it."""
        if self._pq is None:
            return False
        row = self._pq.get(row_id)
        if row is None:
            return False
        self._load_around(row.key, row.id, self._cursor - self._top)
        self._start_count(only_position=True)
        self._changed(full=True)
        return True

    def set_columns(self, names: Sequence[str]) -> None:
        """Show only these columns, in this order."""
        known = {c.name for c in self.columns}
        unknown = [n for n in names if n not in known] if self._pq else []
        if unknown:
            raise KeyError(f"no column {unknown[0]!r}; columns are {sorted(known)}")
        self._visible = list(names)
        self._hscroll = 0
        self._measure_widths()
        self._changed(full=True)

    def sort_by(self, column: str, desc: bool = False) -> None:
        """Order the list by ``column`` (then by id); the cursor stays on its record."""
        if self._pq is None:
            raise RuntimeError("no query to sort")
        col = self._pq.column(column)
        if not col.sortable:
            raise ValueError(f"column {column!r} cannot be sorted")
        self.set_query(self._pq.with_sort([(column, desc)]))

    @property
    def sort(self) -> tuple[str, bool] | None:
        """The first sort column and whether it is descending."""
        if self._pq is None or not self._pq.sort_columns:
            return None
        return self._pq.sort_columns[0]

    # ------------------------------------------------------------------ window handling

    @property
    def _page_rows(self) -> int:
        return max(1, self.size.height - 1)

    @property
    def _chunk(self) -> int:
        return max(50, 2 * self._page_rows) * self._boost

    def _timed(self, fetch, *args):  # noqa: ANN001, ANN202 - a PagedQuery method
        """Run a page fetch; when fetches are slow (a sort no index serves: the engine reads
        and sorts the whole table whatever the LIMIT), fetch bigger pages so that it happens
        less often."""
        t0 = time.perf_counter()
        result = fetch(*args)
        elapsed = time.perf_counter() - t0
        if elapsed > self.SLOW_FETCH and self._boost < 16:
            self._boost *= 4
        elif elapsed < self.SLOW_FETCH / 3 and self._boost > 1:
            self._boost //= 4  # it was a passing hiccup (another process busy), not the sort
        return result

    @property
    def _cap(self) -> int:
        return 6 * self._chunk

    def _item(self, row: Row) -> _Item:
        cols = self._pq.columns  # type: ignore[union-attr]
        return _Item(
            row, tuple(clean_text(c.text(v)) for c, v in zip(cols, row.values, strict=True))
        )

    def _set_window(
        self,
        rows: list[Row],
        *,
        at_start: bool,
        at_end: bool,
        cursor: int,
        top: int,
        anchor_pos: int | None,
    ) -> None:
        self._items = [self._item(r) for r in rows]
        self._at_start = at_start
        self._at_end = at_end
        self._window_gen += 1
        self._rel0 = 0
        self._anchor_pos = anchor_pos
        self._cursor = max(0, min(cursor, len(self._items) - 1))
        self._top = top
        self._settle()

    def _load_first(self) -> None:
        n = self._chunk
        rows = self._timed(self._pq.first, n)  # type: ignore[union-attr]
        self._set_window(rows, at_start=True, at_end=len(rows) < n, cursor=0, top=0, anchor_pos=0)

    def _load_last(self) -> None:
        n = self._chunk
        rows = self._timed(self._pq.last, n)  # type: ignore[union-attr]
        at_start = len(rows) < n
        anchor = 0 if at_start else (None if self.total is None else self.total - len(rows))
        self._set_window(
            rows,
            at_start=at_start,
            at_end=True,
            cursor=len(rows) - 1,
            top=len(rows) - self._page_rows,
            anchor_pos=anchor,
        )

    def _load_around(self, key: tuple, row_id: Any, screen_y: int) -> None:
        n = self._chunk
        before, after = self._timed(self._pq.around, key, n, n)  # type: ignore[union-attr]
        cursor = len(before)
        if after and row_id is not None and after[0].id != row_id:
            cursor = next((i for i, r in enumerate(after) if r.id == row_id), 0) + len(before)
        at_start = len(before) < n
        self._set_window(
            before + after,
            at_start=at_start,
            at_end=len(after) < n + 1,
            cursor=cursor,
            top=cursor - max(0, screen_y),
            anchor_pos=0 if at_start else None,
        )

    def _fetch_after(self) -> int:
        """Append a page after the window; returns how many rows came."""
        if self._at_end or not self._items:
            return 0
        n = self._chunk
        rows = self._timed(self._pq.after, self._items[-1].row.key, n)  # type: ignore[union-attr]
        self._items.extend(self._item(r) for r in rows)
        self._at_end = len(rows) < n
        over = len(self._items) - self._cap
        if over > 0:
            drop = min(over, self._top, self._cursor)
            if drop > 0:
                del self._items[:drop]
                self._top -= drop
                self._cursor -= drop
                self._rel0 += drop
                self._at_start = False
        return len(rows)

    def _fetch_before(self) -> int:
        """Prepend a page before the window; returns how many rows came."""
        if self._at_start or not self._items:
            return 0
        n = self._chunk
        rows = self._timed(self._pq.before, self._items[0].row.key, n)  # type: ignore[union-attr]
        self._items[:0] = [self._item(r) for r in rows]
        k = len(rows)
        self._top += k
        self._cursor += k
        self._rel0 -= k
        self._at_start = k < n
        over = len(self._items) - self._cap
        if over > 0:
            keep = max(self._top + self._page_rows, self._cursor + 1)
            drop = min(over, len(self._items) - keep)
            if drop > 0:
                del self._items[len(self._items) - drop :]
                self._at_end = False
        return k

    def _settle(self) -> None:
        """Keep the cursor on screen, the screen full, and the row-number anchor known."""
        if not self._items:
            self._cursor = self._top = 0
            return
        page = self._page_rows
        self._cursor = max(0, min(self._cursor, len(self._items) - 1))
        if self._cursor < self._top:
            self._top = self._cursor
        elif self._cursor >= self._top + page:
            self._top = self._cursor - page + 1
        # Fill the screen below; at the end, pull the view up so no blank rows show.
        while self._top + page > len(self._items) and self._fetch_after():
            pass
        if self._top + page > len(self._items):
            self._top = len(self._items) - page
        while self._top < 0 and self._fetch_before():
            pass
        self._top = max(0, self._top)
        if self._at_start:
            self._anchor_pos = -self._rel0
        elif self._at_end and self.total is not None:
            self._anchor_pos = self.total - len(self._items) - self._rel0

    def _move(self, delta: int, *, scroll: bool = False) -> None:
        """Move the cursor by ``delta`` rows (``scroll``: move the view along, as PgDn)."""
        if not self._items:
            return
        # Fetches may drop rows from the front or add some there: count from the anchor.
        goal = self._rel0 + self._cursor + delta
        while goal - self._rel0 >= len(self._items) and self._fetch_after():
            pass
        while goal - self._rel0 < 0 and self._fetch_before():
            pass
        target = max(0, min(goal - self._rel0, len(self._items) - 1))
        moved = target - self._cursor
        self._cursor = target
        if scroll:
            self._top += moved
        self._settle()

    # ------------------------------------------------------------------ actions

    def action_cursor_down(self) -> None:
        self._act(lambda: self._move(1))

    def action_cursor_up(self) -> None:
        self._act(lambda: self._move(-1))

    def action_page_down(self) -> None:
        self._act(lambda: self._move(self._page_rows, scroll=True))

    def action_page_up(self) -> None:
        self._act(lambda: self._move(-self._page_rows, scroll=True))

    def action_first(self) -> None:
        def go() -> None:
            if self._at_start:
                self._cursor = 0
                self._settle()
            elif self._pq is not None:
                self._load_first()

        self._act(go)

    def action_last(self) -> None:
        def go() -> None:
            if self._at_end:
                self._cursor = len(self._items) - 1
                self._settle()
            elif self._pq is not None:
                self._load_last()

        self._act(go)

    def action_select(self) -> None:
        row = self.cursor_row
        if row is not None:
            self.post_message(self.Selected(self, row.id, row))

    def action_toggle_mark(self) -> None:
        row = self.cursor_row
        if row is None:
            return
        if row.id in self._marks:
            del self._marks[row.id]
        else:
            self._marks[row.id] = None
        self.post_message(self.MarksChanged(self, len(self._marks)))
        self._refresh_row(self._cursor)
        self.action_cursor_down()

    def action_scroll_columns(self, delta: int) -> None:
        scrollable = len(self.visible_columns) - min(self._fixed, len(self.visible_columns))
        new = max(0, min(self._hscroll + delta, max(0, scrollable - 1)))
        if delta > 0 and self._all_columns_fit_from(self._hscroll):
            return
        if new != self._hscroll:
            self._hscroll = new
            self._layout_memo = None
            self.refresh()

    def _act(self, change) -> None:  # noqa: ANN001 - a no-argument callable
        old_top, old_cursor, old_gen, old_rel0 = (
            self._top,
            self._cursor,
            self._window_gen,
            self._rel0,
        )
        change()
        # Trims and prepends shift indexes: the old rows now sit ``shift`` places earlier.
        shift = self._rel0 - old_rel0
        if old_gen == self._window_gen and old_top - shift == self._top:
            # Same rows on screen: repaint only the old and the new cursor lines.
            self._refresh_row(old_cursor - shift)
            self._refresh_row(self._cursor)
            self._changed(full=False)
        else:
            self._changed(full=True)

    # ------------------------------------------------------------------ notifications

    def _changed(self, *, full: bool) -> None:
        if full:
            self.refresh()
        row = self.cursor_row
        ident = (None if row is None else row.id,)
        if ident != self._last_highlight:
            self._last_highlight = ident
            self.post_message(self.Highlighted(self, None if row is None else row.id, row))
        position = (self.row_number, self.total)
        if position != self._last_position:
            self._last_position = position
            self.post_message(self.PositionChanged(self, *position))

    def _refresh_row(self, index: int) -> None:
        y = index - self._top + 1
        if 1 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    # ------------------------------------------------------------------ counting (worker)

    def _start_count(self, *, only_position: bool = False) -> None:
        if self._pq is None:
            return
        need_position = self._anchor_pos is None and bool(self._items)
        if only_position and not need_position:
            return
        self._count_token += 1
        anchor_key = self._items[0].row.key if need_position else None
        anchor = self._window_gen
        pq, token = self._pq, self._count_token
        known_total = self.total if only_position else None

        def work() -> None:
            with worker_connection(pq.database):
                t0 = time.perf_counter()
                total = known_total if known_total is not None else pq.count()
                self._count_ms = (time.perf_counter() - t0) * 1000
                position = pq.position(anchor_key) if anchor_key is not None else None
            self.post_message(self._Counted(token, total, anchor, position))

        self.run_worker(
            work, thread=True, exclusive=True, group="record-table-count", exit_on_error=False
        )

    def on_record_table__counted(self, message: _Counted) -> None:
        message.stop()
        if message.token != self._count_token:
            return  # a newer query or window superseded this count
        self.total = message.total
        if message.position is not None and message.anchor == self._window_gen:
            self._anchor_pos = message.position
        self._settle()
        self._changed(full=False)

    # ------------------------------------------------------------------ events

    def on_resize(self, event: events.Resize) -> None:
        self._layout_memo = None
        self._settle()
        self.refresh()

    def on_focus(self) -> None:
        self._line_styles.clear()
        self._refresh_row(self._cursor)

    def on_blur(self) -> None:
        self._line_styles.clear()
        self._refresh_row(self._cursor)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        if hasattr(self, "_line_styles"):  # also called while Widget.__init__ runs
            self._line_styles.clear()

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            name = self._column_at(offset.x)
            if name is not None and self._pq is not None and self._pq.column(name).sortable:
                current = self.sort
                desc = current is not None and current[0] == name and not current[1]
                self.sort_by(name, desc)
            return
        index = self._top + offset.y - 1
        if 0 <= index < len(self._items):
            self._act(lambda: self._move(index - self._cursor))
            if event.chain >= 2:
                self.action_select()

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        self._act(lambda: self._move(3))

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        self._act(lambda: self._move(-3))

    # ------------------------------------------------------------------ layout

    def _measure_widths(self) -> None:
        """Fix each auto-width column's width from its title and the rows in the window."""
        self._layout_memo = None
        for col in self.columns:
            if col.name in self._widths:
                continue
            if col.width is not None:
                self._widths[col.name] = max(1, col.width)
                continue
            index = self.columns.index(col)
            widest = max((cell_len(it.texts[index]) for it in self._items), default=0)
            title = cell_len(col.title or "") + (2 if col.sortable else 0)  # room for " ▲"
            self._widths[col.name] = max(col.min_width, min(col.max_width, max(widest, title)))

    def _layout(self) -> list[tuple[int, int, int]]:
        """(column index, x, width) of each column on screen (kept until columns, widths,
        column scrolling or the size change)."""
        if self._layout_memo is None:
            self._layout_memo = self._compute_layout()
        return self._layout_memo

    def _compute_layout(self) -> list[tuple[int, int, int]]:
        if self._pq is None:
            return []
        index = {c.name: i for i, c in enumerate(self.columns)}
        names = self.visible_columns
        fixed, rest = names[: self._fixed], names[self._fixed :]
        shown = fixed + rest[self._hscroll :]
        x = len(MARK) + CELL_GAP if self.show_marks else 0
        width = self.size.width
        out = []
        for name in shown:
            if x >= width:
                break
            w = self._widths.get(name) or 1
            w = min(w, width - x)
            out.append((index[name], x, w))
            x += w + CELL_GAP
        return out

    def _all_columns_fit_from(self, hscroll: int) -> bool:
        names = self.visible_columns
        rest = names[self._fixed :][hscroll:]
        used = (len(MARK) + CELL_GAP if self.show_marks else 0) + sum(
            (self._widths.get(n) or 1) + CELL_GAP for n in names[: self._fixed] + rest
        )
        return used - CELL_GAP <= self.size.width

    def _column_at(self, x: int) -> str | None:
        for index, cx, w in self._layout():
            if cx <= x < cx + w:
                return self.columns[index].name
        return None

    # ------------------------------------------------------------------ painting

    def _line_style(self, *components: str) -> Style:
        """The widget's style plus these component classes' (cached until styles change:
        computing ``rich_style`` walks the ancestors and costs more than painting a line)."""
        style = self._line_styles.get(components)
        if style is None:
            style = self.rich_style
            for name in components:
                style = style + self.get_component_rich_style(name)
            self._line_styles[components] = style
        return style

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y == 0:
            return self._header_strip(width, self._line_style("record-table--header"))
        index = self._top + y - 1
        if not self._items:
            if y == 1 and self._pq is not None:
                text = fit(" " + clean_text(self.empty_text), width)
                return Strip([Segment(text, self._line_style("record-table--empty"))], width)
            return Strip.blank(width, self._line_style())
        if index >= len(self._items):
            return Strip.blank(width, self._line_style())
        item = self._items[index]
        marked = item.row.id in self._marks
        if index == self._cursor:
            if marked:
                style = self._line_style("record-table--marked", "record-table--cursor")
            else:
                style = self._line_style("record-table--cursor")
        else:
            style = self._line_style("record-table--marked") if marked else self._line_style()
        return self._cells_strip(width, style, item.texts, MARK if marked else " ")

    def _cells_strip(self, width: int, style: Style, texts: Sequence[str], mark: str) -> Strip:
        columns = self.columns
        parts: list[str] = []
        x = 0
        if self.show_marks:
            parts.append(fit(mark, len(MARK)) + " " * CELL_GAP)
            x = len(MARK) + CELL_GAP
        for index, cx, w in self._layout():
            if cx > x:
                parts.append(" " * (cx - x))
            parts.append(fit(texts[index], w, columns[index].align or "left"))
            x = cx + w
        if x < width:
            parts.append(" " * (width - x))
        return Strip([Segment("".join(parts), style)], width)

    def _header_strip(self, width: int, style: Style) -> Strip:
        sort = self.sort
        titles = []
        for col in self.columns:
            title = clean_text(col.title or "")
            if sort and sort[0] == col.name:
                arrow = SORT_DESC if sort[1] else SORT_ASC
                w = self._widths.get(col.name) or 1
                room = max(0, w - 2)
                title = (fit(title, room).rstrip() + " " + arrow) if room else arrow
            titles.append(title)
        return self._cells_strip(width, style, titles, " ")


__all__ = ["RecordTable", "clean_text", "fit"]
