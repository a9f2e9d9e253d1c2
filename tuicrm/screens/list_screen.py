"""ListScreen: the base of every list screen (customers, contacts, suppliers, products, ...).

It gives a subclass the list tools of SPEC L1-L7 for free: a ``RecordTable`` (keyset pages,
instant at a million rows), a quick-search line that filters as you type, a custom filter
(L2), a date range (L3), show / hide / sort columns remembered per user (L4), export to
.xlsx / .csv with a progress bar and cancel (L5), a print preview (L6), the position text
("row 12 of 1,000,000") and the keys for all of it.

A subclass supplies::

    class SuppliersScreen(ListScreen):
        TITLE_TEXT = "Suppliers"
        PREF_KEY = "list.suppliers"          # UserPref key for columns and sort
        EXPORT_NAME = "suppliers"            # default export / print file name
        COLUMNS = [Column("code", Supplier.code, "Code", width=10), ...]
        DEFAULT_VISIBLE = ["code", "name", "phone"]   # None: all columns
        DEFAULT_SORT = ("name", False)       # (column name, descending)
        FILTER_COLUMNS = filters.SUPPLIER_COLUMNS     # {} : no custom filter (F)
        DATE_COLUMN = Supplier.created_at    # None: no date range (D)
        DATE_LABEL = "Created"

        def make_query(self, actor, search):  # -> peewee ModelSelect (unordered)
            return customers.supplier_query(actor) ... narrowed by ``search``

        # optional: the export of what the list shows (default: the visible columns)
        def export(self, path, progress, cancel) -> int: ...

The screen adds the filter and date range to the query itself (``.where(self.extra_where())``)
and keeps the table's sort. Extra screen keys go in the subclass's ``BINDINGS`` (they merge
with these). Hooks: ``compose_left()`` (e.g. a group tree), ``compose_below()`` (e.g. related
information), ``on_list_highlighted(row_id)``, ``on_list_selected(row_id)``.

Searching never blocks typing: the query is rebuilt ``SEARCH_DELAY`` seconds after the last
key (a new key restarts the wait, so the latest text wins); Enter or Down searches at once and
moves to the list.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, ClassVar

import peewee
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Input, Label, Static

from ..data.core import clock
from ..data.core.errors import TuicrmError
from ..data.core.money import MoneyField, QuantityField
from ..data.lists import prefs
from ..data.lists.filters import FilterColumn
from ..data.lists.paging import Column, PagedQuery
from ..data.models import User
from ..widgets.form import PlainInput
from ..widgets.list_tools import (
    ColumnsChoice,
    ColumnsDialog,
    DateChoice,
    DateRangeDialog,
    ExportDialog,
    FilterChoice,
    FilterDialog,
    PrintPreviewDialog,
    default_export_path,
)
from ..widgets.record_table import RecordTable
from .base import AppScreen


def export_kind(expr: Any) -> str:
    """The export cell kind of a column expression (money, int, date, ...)."""
    node = expr.unwrap() if isinstance(expr, peewee.Node) else expr
    if isinstance(node, MoneyField):
        return "money"
    if isinstance(node, QuantityField):
        return "number"
    if isinstance(node, peewee.DateTimeField):
        return "datetime"
    if isinstance(node, peewee.DateField):
        return "date"
    if isinstance(node, peewee.BooleanField):
        return "bool"
    if isinstance(node, peewee.IntegerField) and not isinstance(node, peewee.ForeignKeyField):
        return "int"
    return "text"


class SearchInput(PlainInput):
    """The quick-search line: Down or Enter go to the list, Esc clears then leaves."""


class ListScreen(AppScreen):
    PREF_KEY: ClassVar[str] = ""
    EXPORT_NAME: ClassVar[str] = "list"
    COLUMNS: ClassVar[Sequence[Column]] = ()
    DEFAULT_VISIBLE: ClassVar[Sequence[str] | None] = None
    DEFAULT_SORT: ClassVar[tuple[str, bool]] = ("name", False)
    FILTER_COLUMNS: ClassVar[dict[str, FilterColumn]] = {}
    DATE_COLUMN: ClassVar[Any] = None
    DATE_LABEL: ClassVar[str] = "Created"
    SEARCH_PLACEHOLDER: ClassVar[str] = "type to search (/)"
    SEARCH_DELAY: ClassVar[float] = 0.25
    PRINT_LIMIT: ClassVar[int] = 2000  # rows in a print preview (export for more)
    EMPTY_TEXT: ClassVar[str] = "Nothing here (Esc in the search line clears it)"
    # Focus the list from the start: focusing something else first (say a group tree) and
    # then the list builds the footer's keys twice (~100 ms of the first paint).
    AUTO_FOCUS = "#list"

    BINDINGS = [
        Binding("escape", "back", "Back", id="list.back", show=False),
        Binding("slash,f", "focus_search", "Search", id="list.search"),
        Binding("F", "filter", "Filter", id="list.filter"),
        Binding("D", "date_range", "Dates", id="list.dates", show=False),
        Binding("C", "columns", "Columns", id="list.columns", show=False),
        Binding("x", "export", "Export", id="list.export"),
        Binding("P", "print", "Print", id="list.print", show=False),
        Binding("f5", "refresh_list", "Refresh", id="list.refresh", show=False),
    ]

    DEFAULT_CSS = """
    ListScreen #main { height: 1fr; }
    ListScreen #right { width: 1fr; }
    ListScreen #searchbar { height: 1; }
    ListScreen #searchbar Label { width: auto; padding: 0 1; }
    ListScreen #search { border: none; height: 1; width: 1fr; padding: 0; }
    ListScreen #status { height: 1; color: $text-muted; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.search_text = ""
        self.filter_choice: FilterChoice | None = None
        self.date_choice: DateChoice | None = None
        self._search_timer: Timer | None = None
        self._position = ""
        self._marks = 0
        self._visible: list[str] | None = None
        self._sort: tuple[str, bool] = self.DEFAULT_SORT
        self.ready = False
        self._broad = False
        self._table_sort: tuple[str, bool] | None = None

    # -- what a subclass supplies --------------------------------------------------------------

    def make_query(self, actor: User, search: str) -> peewee.ModelSelect:
        raise NotImplementedError

    def columns(self) -> Sequence[Column]:
        return self.COLUMNS

    def export(self, path: str, progress: Callable[[int, int | None], None],
               cancel: threading.Event) -> int:
        """Write what the list shows (visible columns, filters applied) to ``path``."""
        from ..reports.export import ExportColumn, export_rows

        table = self.table
        pq = table.paged_query
        assert pq is not None
        names = table.visible_columns
        idx = [i for i, c in enumerate(pq.columns) if c.name in names]
        idx.sort(key=lambda i: names.index(pq.columns[i].name))
        cols = [ExportColumn(pq.columns[i].name, export_kind(pq.columns[i].expr)) for i in idx]
        rows = (tuple(r.values[i] for i in idx) for r in pq.iterate())
        return export_rows(path, cols, rows, progress=progress, cancel=cancel,
                           total=table.total, sheet_title=self.EXPORT_NAME)

    def compose_left(self) -> ComposeResult:
        yield from ()

    def compose_below(self) -> ComposeResult:
        yield from ()

    def on_list_highlighted(self, row_id: Any) -> None:
        """The cursor moved to ``row_id`` (None: the list is empty)."""

    def on_list_selected(self, row_id: Any) -> None:
        """Enter on ``row_id``."""

    # -- layout --------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        with Horizontal(id="main"):
            yield from self.compose_left()
            with Vertical(id="right"):
                with Horizontal(id="searchbar"):
                    yield Label(Text("Search"))
                    yield SearchInput(placeholder=self.SEARCH_PLACEHOLDER, id="search")
                yield RecordTable(id="list", empty_text=self.EMPTY_TEXT)
                yield Static("", id="status", markup=False)
                yield from self.compose_below()
        yield from self.compose_footer()

    @property
    def table(self) -> RecordTable:
        return self.query_one("#list", RecordTable)

    def on_mount(self) -> None:
        self._load_prefs()
        try:
            pq = self.paged_query()
        except TuicrmError as e:
            self.notify_error(str(e))
            self.app.call_later(self.tuicrm.go_back)
            return
        table = self.table
        if self._visible:
            table._visible = list(self._visible)
        table.set_query(pq)
        self.ready = True
        table.focus()
        self._show_status()

    # -- query -------------------------------------------------------------------------------

    def extra_where(self) -> Any:
        """The filter and date range as one WHERE (None: neither)."""
        parts = [c.where for c in (self.filter_choice, self.date_choice)
                 if c is not None and c.where is not None]
        if not parts:
            return None
        cond = parts[0]
        for p in parts[1:]:
            cond = cond & p
        return cond

    def current_query(self) -> peewee.ModelSelect:
        q = self.make_query(self.user, self.search_text)
        where = self.extra_where()
        return q.where(where) if where is not None else q

    def paged_query(self) -> PagedQuery:
        cols = list(self.columns())
        names = {c.name for c in cols}
        sort = self._sort if self._sort and self._sort[0] in names else self.DEFAULT_SORT
        return PagedQuery(self.current_query(), cols, sort=[sort])

    def reload(self) -> None:
        """Rebuild the query (search, filter, date range or a subclass's choice changed)."""
        try:
            pq = self.paged_query()
        except TuicrmError as e:
            self.notify_error(str(e))
            return
        table_sort = self.table.sort
        if table_sort:
            self._table_sort = table_sort  # the user's column order, for after a broad search
        order = self.search_order()
        self._broad = order is not None
        if order is not None:
            pq = pq.with_sort(order)
        elif sort := table_sort or self._table_sort:
            pq = pq.with_sort([sort])
        self.table.set_query(pq)
        self._show_status()

    def search_order(self) -> list[tuple[Any, bool]] | None:
        """The order for the current search when sorting its matches by the list's column
        would cost too much (e.g. ``[(Model.id, False)]`` for a term in most rows); None
        keeps the list's order. Every match stays listed either way."""
        return None

    def action_refresh_list(self) -> None:
        self.reload()

    # -- preferences (L4) ----------------------------------------------------------------------

    def _load_prefs(self) -> None:
        if not self.PREF_KEY:
            self._visible = list(self.DEFAULT_VISIBLE) if self.DEFAULT_VISIBLE else None
            return
        saved = prefs.get_pref(self.user, self.PREF_KEY, {}) or {}
        names = [c.name for c in self.columns()]
        cols = saved.get("columns") if isinstance(saved, dict) else None
        if isinstance(cols, list) and any(c in names for c in cols):
            self._visible = [c for c in cols if c in names]
        else:
            self._visible = list(self.DEFAULT_VISIBLE) if self.DEFAULT_VISIBLE else None
        sort = saved.get("sort") if isinstance(saved, dict) else None
        if isinstance(sort, list) and len(sort) == 2 and sort[0] in names:
            self._sort = (str(sort[0]), bool(sort[1]))

    def _save_prefs(self) -> None:
        if not self.PREF_KEY:
            return
        table = self.table
        sort = table.sort or self._sort
        try:
            prefs.set_pref(self.user, self.PREF_KEY,
                           {"columns": table.visible_columns, "sort": [sort[0], sort[1]]})
        except (ValueError, TuicrmError) as e:
            self.notify_error(f"could not remember the columns: {e}")

    # -- quick search (L1) ---------------------------------------------------------------------

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(self.SEARCH_DELAY, self._apply_search)

    def _apply_search(self) -> None:
        self._search_timer = None
        text = self.query_one("#search", Input).value
        if text == self.search_text:
            return
        self.search_text = text
        self.reload()

    def _search_now(self) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        self._apply_search()

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._search_now()
        self.table.focus()

    def on_key(self, event) -> None:  # noqa: ANN001
        if isinstance(self.focused, SearchInput):
            if event.key == "down":
                event.stop()
                self._search_now()
                self.table.focus()
            elif event.key == "escape":
                event.stop()
                search = self.query_one("#search", Input)
                if search.value:
                    search.value = ""
                    self._search_now()
                else:
                    self.table.focus()

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    # -- list messages -------------------------------------------------------------------------

    @on(RecordTable.Highlighted, "#list")
    def _highlighted(self, event: RecordTable.Highlighted) -> None:
        self.on_list_highlighted(event.row_id)

    @on(RecordTable.Selected, "#list")
    def _selected(self, event: RecordTable.Selected) -> None:
        self.on_list_selected(event.row_id)

    @on(RecordTable.PositionChanged, "#list")
    def _position_changed(self, event: RecordTable.PositionChanged) -> None:
        self._position = event.text
        self._show_status()

    @on(RecordTable.MarksChanged, "#list")
    def _marks_changed(self, event: RecordTable.MarksChanged) -> None:
        self._marks = event.count
        self._show_status()

    def status_parts(self) -> list[str]:
        parts = [self._position or "..."]
        if self._marks:
            parts.append(f"{self._marks} marked")
        if self.search_text.strip():
            parts.append(f"search: {self.search_text.strip()}")
            if self._broad:
                parts.append("many matches, in the order added: keep typing to narrow")
        if self.filter_choice and self.filter_choice.filter:
            parts.append("filter: " + self.filter_choice.describe(self.FILTER_COLUMNS))
        if self.date_choice and self.date_choice.preset != "all":
            parts.append(self.date_choice.describe(self.DATE_LABEL))
        return parts

    def _show_status(self) -> None:
        if self.is_mounted:
            self.query_one("#status", Static).update(Text("  |  ".join(self.status_parts())))

    # -- filter and date range (L2, L3) ----------------------------------------------------------

    def action_filter(self) -> None:
        if not self.FILTER_COLUMNS:
            self.notify("This list has no custom filter.", markup=False)
            return
        current = self.filter_choice.filter if self.filter_choice else None
        dialog = FilterDialog(self.FILTER_COLUMNS, current)

        def done(values: dict[str, str] | None) -> None:
            if values is None:
                return
            choice = dialog.result
            self.filter_choice = choice if choice and choice.filter is not None else None
            self.reload()

        self.app.push_screen(dialog, done)

    def action_date_range(self) -> None:
        if self.DATE_COLUMN is None:
            self.notify("This list has no date to choose a range on.", markup=False)
            return
        dialog = DateRangeDialog(self.DATE_COLUMN, self.DATE_LABEL, self.date_choice)

        def done(values: dict[str, str] | None) -> None:
            if values is None:
                return
            choice = dialog.result
            self.date_choice = choice if choice and choice.preset != "all" else None
            self.reload()

        self.app.push_screen(dialog, done)

    # -- columns (L4) --------------------------------------------------------------------------

    def action_columns(self) -> None:
        table = self.table
        cols = [(c.name, c.title or c.name) for c in self.columns()]
        sortable = [c.name for c in self.columns() if c.sortable]
        dialog = ColumnsDialog(cols, table.visible_columns, table.sort or self._sort, sortable)

        def done(choice: ColumnsChoice | None) -> None:
            if choice is None:
                return
            self.apply_columns(choice.visible, choice.sort)

        self.app.push_screen(dialog, done)

    def apply_columns(self, visible: Sequence[str], sort: tuple[str, bool] | None) -> None:
        """Show ``visible`` columns, sort by ``sort``, and remember both for this user."""
        table = self.table
        table.set_columns(list(visible))
        self._visible = list(visible)
        if sort is not None and sort != table.sort:
            try:
                table.sort_by(sort[0], sort[1])
            except (ValueError, KeyError) as e:
                self.notify_error(str(e))
            else:
                self._sort = sort
        self._save_prefs()

    # -- export and print (L5, L6) ---------------------------------------------------------------

    def action_export(self) -> None:
        self.app.push_screen(
            ExportDialog(self.export, default_export_path(self.EXPORT_NAME),
                         f"Export the {self.TITLE_TEXT.lower() or 'list'} as shown")
        )

    def print_rows(self, limit: int) -> tuple[list[str], list[tuple], int | None]:
        """Headers and up to ``limit`` rows of the visible columns, and the row count."""
        table = self.table
        pq = table.paged_query
        assert pq is not None
        names = table.visible_columns
        by_name = {c.name: i for i, c in enumerate(pq.columns)}
        idx = [by_name[n] for n in names]
        rows = []
        for r in pq.iterate(batch=min(limit, 1000)):
            rows.append(tuple(_print_value(pq.columns[i], r.values[i]) for i in idx))
            if len(rows) >= limit:
                break
        return [pq.columns[i].title or pq.columns[i].name for i in idx], rows, table.total

    def action_print(self) -> None:
        from ..reports.text import render_text

        try:
            heads, rows, total = self.print_rows(self.PRINT_LIMIT)
        except TuicrmError as e:
            self.notify_error(str(e))
            return
        width = max(40, min(self.app.size.width - 4, 132))
        extra = [p for p in self.status_parts()[1:] if not p.endswith("marked")]
        title = f"{self.TITLE_TEXT}  {clock.now():%Y-%m-%d %H:%M}"
        if extra:
            title += "  (" + "; ".join(extra) + ")"
        text = render_text(heads, rows, width=width, title=title)
        shown = len(rows)
        if total is not None and total > shown:
            text += f"\n{shown:,} of {total:,} rows shown; export (x) for the whole list.\n"
        else:
            text += f"\n{shown:,} rows\n"
        self.app.push_screen(PrintPreviewDialog(
            self.TITLE_TEXT or "List", text, default_export_path(self.EXPORT_NAME, ".txt")))


def _print_value(col: Column, value: Any) -> Any:
    """Numbers stay numbers (right-aligned); everything else is the list's display text."""
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return value
    return col.text(value)


__all__ = ["ListScreen", "SearchInput", "export_kind"]
