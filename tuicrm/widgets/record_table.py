"""RecordTable: the database-backed list every list screen uses (L1-L7).

Textual's ``DataTable`` holds every row in memory (100k rows: 38 s to first paint, 193 MiB).
``RecordTable`` holds a few pages around the screen (``PageWindow``), read by keyset through a
``PagedQuery`` (~0.5 ms a page at 1M rows), and paints only the lines on screen with the Line
API: memory does not grow with the table. No scrollbar: a row number costs a count (30-200 ms
at 1M rows), so the list moves by keys and says where it is ("row 1,234 of 1,000,000").

The UI thread never waits on the database: every read (pages, a new list, the count and the
row number) runs in a thread worker that posts its result back, applied in the handler. Keys
typed meanwhile queue in the window and apply in order when their rows arrive; the screen shows
where they lead, ``...`` where rows are on their way. ``fetching`` and ``counting`` say whether
anything is on its way (what tests wait on). User text is never markup and never a raw control
character (``cell_text``); widths are display cells. No timers run while idle.

Usage in a screen (the ``PagedQuery`` comes from the data layer, e.g. ``lists.view.open_list``)::

    def compose(self):
        yield RecordTable(open_list(self.user, CUSTOMERS, ListRequest()), id="customers")

    def on_record_table_highlighted(self, event: RecordTable.Highlighted) -> None:
        self.show_details(event.row_id)          # None when the list is empty

    def on_record_table_selected(self, event: RecordTable.Selected) -> None:
        self.open_customer(event.row_id)

    def on_record_table_position_changed(self, event: RecordTable.PositionChanged) -> None:
        self.query_one("#position", Static).update(Text(event.text), layout=False)

    # a search / filter change:  table.set_query(open_list(..., ListRequest(search=...)))
    # after an edit or delete:   table.refresh_data()   (then table.go_to_id(new_id))
    # act on several:            ids = table.target_ids()  (marked rows, else the cursor row)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message

from ..data.lists.columns import Column, Row
from ..data.lists.deferred import DeferredPager
from ..data.lists.paging import PagedQuery
from ..i18n import _, ngettext
from .cell_text import clean_text, fit
from .page_reader import PageReader
from .page_reads import CountResult, Result
from .page_window import PageWindow
from .record_lines import RecordLines
from .table_layout import ColumnLayout


def _fmt_int(n: int) -> str:
    return f"{n:,}"


class TableMessage(Message):
    """A message from a ``RecordTable`` (its ``control``)."""

    def __init__(self, record_table: RecordTable) -> None:
        super().__init__()
        self.record_table = record_table

    @property
    def control(self) -> RecordTable:
        return self.record_table


class RecordTable(RecordLines, can_focus=True):
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
        Binding("space", "toggle_mark", "Mark+next"),
    ]

    SLOW_FETCH: ClassVar[float] = 0.03  # seconds; slower page fetches make pages bigger
    # Seconds the UI waits for a list's very first rows, so that the screen's first frame
    # shows them (at 1M customers: first rows painted ~30 ms sooner); a slower read arrives
    # later like any other.
    FIRST_ROWS_WAIT: ClassVar[float] = 0.05
    # Seconds a broad search's rows rest on screen before they are counted (a newer search
    # stops the count, see ``PageWindow._drop_count``).
    COUNT_REST: ClassVar[float] = 0.4

    # ------------------------------------------------------------------ messages

    class Highlighted(TableMessage):
        """The cursor moved to another record (``row_id`` None: the list is empty)."""

        def __init__(self, record_table: RecordTable, row_id: Any, row: Row | None) -> None:
            super().__init__(record_table)
            self.row_id = row_id
            self.row = row  # the values as listed, to show without another query

    class Selected(TableMessage):
        """Enter (or a double click) on a record."""

        def __init__(self, record_table: RecordTable, row_id: Any, row: Row) -> None:
            super().__init__(record_table)
            self.row_id = row_id
            self.row = row

    class PositionChanged(TableMessage):
        """The cursor's row number or the row count changed (either may be None: unknown)."""

        def __init__(self, record_table: RecordTable, row_number: int | None,
                     total: int | None) -> None:
            super().__init__(record_table)
            self.row_number = row_number
            self.total = total
            self.text = record_table.position_text  # e.g. "row 1,234 of 1,000,000"

    class MarksChanged(TableMessage):
        """Rows were marked or unmarked; ``count`` rows are marked now."""

        def __init__(self, record_table: RecordTable, count: int) -> None:
            super().__init__(record_table)
            self.count = count

    class _Read(Message):
        """A worker's read came back (a result, or the error it raised)."""

        def __init__(self, token: int, result: Result | CountResult | None,
                     error: Exception | None = None) -> None:
            super().__init__()
            self.token, self.result, self.error = token, result, error

    # ------------------------------------------------------------------ construction

    def __init__(
        self,
        paged_query: PagedQuery | None = None,
        *,
        visible_columns: Sequence[str] | None = None,
        fixed_columns: int = 0,
        show_marks: bool = True,
        empty_text: str = "",
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's name
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(PageWindow(self.SLOW_FETCH),
                         ColumnLayout(visible_columns, fixed_columns, show_marks),
                         empty_text or _("No records"),
                         name=name, id=id, classes=classes, disabled=disabled)
        self._last_highlight: tuple[Any, ...] | None = None
        self._last_position: tuple[int | None, int | None] | None = None
        self._marks_seen = 0
        self._wanted_token = 0  # the page read whose result counts (read by the reader thread)
        self._reader = PageReader(self, lambda token: token == self._wanted_token,
                                  self._post_read)
        if paged_query is not None:
            self._window.set_pager(paged_query)

    def on_mount(self) -> None:
        self._act(lambda: self._window.set_page_rows(self.size.height - 1))

    def on_unmount(self) -> None:
        self._reader.stop()

    # ------------------------------------------------------------------ public API

    @property
    def columns(self) -> tuple[Column, ...]:
        pager = self._window.pager
        return pager.columns if pager is not None else ()

    @property
    def visible_columns(self) -> list[str]:
        return self._layout.names(self.columns)

    @property
    def cursor_row(self) -> Row | None:
        return self._window.cursor_row

    @property
    def cursor_row_id(self) -> Any:
        row = self._window.cursor_row
        return None if row is None else row.id

    @property
    def row_number(self) -> int | None:
        """1-based number of the cursor row, when known."""
        return self._window.row_number

    @property
    def total(self) -> int | None:
        """How many rows the list holds (None until counted, in a worker)."""
        return self._window.total

    @property
    def fetching(self) -> bool:
        """Whether rows are on their way or typed keys wait for them (False: what is shown
        is what was asked for). Not Textual's ``loading``, which hides the widget."""
        return self._window.loading

    @property
    def counting(self) -> bool:
        """Whether the row count (or the cursor's row number) is being counted."""
        return self._window.counting

    @property
    def position_text(self) -> str:
        """E.g. ``row 1,234 of 1,000,000``; ``1,000,000 rows`` when the row is unknown yet."""
        total, number = self.total, self.row_number
        if not self._window.items:
            return _("no rows") if total in (None, 0) else _rows(total)
        if number is not None and total is not None:
            return _("row {number} of {total}").format(number=_fmt_int(number),
                                                       total=_fmt_int(total))
        if number is not None:
            return _("row {number}").format(number=_fmt_int(number))
        if total is not None:
            return _rows(total)
        return ""

    @property
    def selected_ids(self) -> list[Any]:
        """The marked rows' ids, in the order they were marked."""
        return list(self._window.marks)

    def target_ids(self) -> list[Any]:
        """What a "do this to the selection" action works on: the marked rows, or else the
        cursor row (empty when the list is empty)."""
        if self._window.marks:
            return list(self._window.marks)
        row = self._window.cursor_row
        return [] if row is None else [row.id]

    def clear_marks(self) -> None:
        if self._window.marks:
            self.set_marks(())

    def set_marks(self, ids: Iterable[Any]) -> None:
        self._act(lambda: self._window.set_marks(ids))
        self.refresh()

    def set_query(self, paged_query: PagedQuery | DeferredPager) -> None:
        """Show ``paged_query``; the cursor stays on the same record if it is still listed
        (else on the record that now takes its place). Read and counted in workers."""
        self._act(lambda: self._window.set_pager(paged_query))

    def refresh_data(self) -> None:
        """Read the rows again (after an edit, a delete or another session's changes)."""
        self._act(self._window.refresh)

    def go_to_id(self, row_id: Any) -> bool:
        """Put the cursor on record ``row_id``. True: it is there now (the row was at hand);
        False: it is looked up in a worker (the cursor stays if the list lacks it)."""
        done: list[bool] = []
        self._act(lambda: done.append(self._window.go_to(row_id)))
        return done[0]

    def set_columns(self, names: Sequence[str]) -> None:
        """Show only these columns, in this order."""
        known = {c.name for c in self.columns}
        unknown = [n for n in names if n not in known] if self.columns else []
        if unknown:
            raise KeyError(f"no column {unknown[0]!r}; columns are {sorted(known)}")
        self._layout.visible = list(names)
        self._layout.hscroll = 0
        self.refresh()

    def sort_by(self, column: str, desc: bool = False) -> None:
        """Order the list by ``column`` (then by id); the cursor stays on its record."""
        pq = self.paged_query
        if pq is None:
            raise RuntimeError("no query to sort")
        if not pq.column(column).sortable:
            raise ValueError(f"column {column!r} cannot be sorted")
        self.set_query(pq.with_sort([(column, desc)]))

    # ------------------------------------------------------------------ actions

    def action_cursor_down(self) -> None:
        self._act(lambda: self._window.move(1))

    def action_cursor_up(self) -> None:
        self._act(lambda: self._window.move(-1))

    def action_page_down(self) -> None:
        self._act(lambda: self._window.move(self._window.page_rows, scroll=True))

    def action_page_up(self) -> None:
        self._act(lambda: self._window.move(-self._window.page_rows, scroll=True))

    def action_first(self) -> None:
        self._act(lambda: self._window.edge(last=False))

    def action_last(self) -> None:
        self._act(lambda: self._window.edge(last=True))

    def action_select(self) -> None:
        self._act(self._window.select)

    def action_toggle_mark(self) -> None:
        self._act(self._window.toggle_mark)

    def action_scroll_columns(self, delta: int) -> None:
        if self._layout.scroll(self._shown_columns, delta, self.size.width):
            self.refresh()

    def _act(self, change: Callable[[], object]) -> None:
        """Change the window, start the reads it wants, repaint what changed, tell the
        screen. Nothing is repainted when nothing shown changed (a key waiting for rows):
        a needless frame would make the one with the rows wait for the next frame slot."""
        window = self._window
        old_look, old_cursor, old_marks = self._look(), window.view()[0], window.marks_version
        change()
        self._pump()
        if window.gen != self._measured_gen and not window.waiting_for_list:
            self._measure()
        look, (cursor, top) = self._look(), window.view()
        if look != old_look:
            self.refresh_changed()
        elif cursor != old_cursor or window.marks_version != old_marks:
            self._refresh_line(old_cursor - top + 1)  # same rows on screen: two lines change
            self._refresh_line(cursor - top + 1)
        self._notify()

    def _notify(self) -> None:
        window = self._window
        if window.marks_version != self._marks_seen:
            self._marks_seen = window.marks_version
            self.post_message(self.MarksChanged(self, len(window.marks)))
        for chosen in window.selected:
            self.post_message(self.Selected(self, chosen.id, chosen))
        window.selected.clear()
        if window.waiting_for_list and not window.items:
            return  # nothing to say until the first rows arrive
        row = window.cursor_row
        ident = (None if row is None else row.id,)
        if ident != self._last_highlight:
            self._last_highlight = ident
            self.post_message(self.Highlighted(self, ident[0], row))
        position = (self.row_number, self.total)
        if position != self._last_position:
            self._last_position = position
            self.post_message(self.PositionChanged(self, *position))

    # ------------------------------------------------------------------ reading (workers)

    def _pump(self) -> None:
        """Start the reads the window wants (``PageReader`` runs them)."""
        if not self.is_attached:
            return  # on_mount starts them
        request = self._window.next_request()
        if request is not None:
            self._wanted_token = request.token
            if self._window.gen == 0 and request.kind == "load":
                # The list's first rows: the screen's first frame should show them.
                first = self._reader.read_first(request, self.FIRST_ROWS_WAIT)
                if first is not None and self._window.apply(first):
                    self._pump()
            else:
                self._reader.read(request)
        count = self._window.next_count()
        if count is None:
            return
        if getattr(count.pager, "broad", False):
            # A search in thousands of names (100-350 ms to count at 1M customers): counted
            # once the typing rests, so that it never competes with the next key's rows.
            self.set_timer(self.COUNT_REST, lambda: self._reader.count(count))
        else:
            self._reader.count(count)

    def _post_read(self, token: int, result: Result | CountResult | None,
                   error: Exception | None) -> None:
        self.post_message(self._Read(token, result, error))

    def on_record_table__read(self, message: _Read) -> None:
        message.stop()
        window, result = self._window, message.result
        if isinstance(result, Result):
            self._act(lambda: window.apply(result))
        elif isinstance(result, CountResult):
            self._act(lambda: window.apply_count(result))
        elif window.failed(message.token):
            self.notify(_("Could not read the list: {error}").format(error=message.error),
                        severity="error", markup=False)
            self._act(lambda: None)

    # ------------------------------------------------------------------ events

    def on_resize(self, event: events.Resize) -> None:
        self._act(lambda: self._window.set_page_rows(self.size.height - 1))
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        pq = self.paged_query
        if offset.y == 0:
            name = self._layout.column_at(self._shown_columns, offset.x, self.size.width)
            if name is not None and pq is not None and pq.column(name).sortable:
                current = self.sort
                desc = current is not None and current[0] == name and not current[1]
                self.sort_by(name, desc)
            return
        coordinate = self._window.view()[1] + offset.y - 1
        if self._window.item_at(coordinate) is not None:
            self._act(lambda: self._window.click(coordinate))
            if event.chain >= 2:
                self.action_select()

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        self._act(lambda: self._window.move(3))

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        self._act(lambda: self._window.move(-3))


__all__ = ["RecordTable", "clean_text", "fit"]


def _rows(total: int) -> str:
    """``1 row``, ``1,234 rows``."""
    return ngettext("{n} row", "{n} rows", total).format(n=_fmt_int(total))
