"""ListScreen: the base of every list screen (customers, contacts, suppliers, products, ...).

It gives a subclass the list tools of SPEC L1-L7 for free: a ``RecordTable`` (keyset pages,
instant at a million rows), a quick-search line that filters as you type, a custom filter
(L2), a date range (L3), show / hide / sort columns remembered per user (L4), export of the
list as shown to .xlsx / .csv with a progress bar and cancel (L5), a print preview (L6), the
position text ("row 12 of 1,000,000") and the keys for all of it.

The list itself (columns, query, search, filter columns, date, sort keys, scope) is a
``ListDef`` defined once in the data layer; the screen only keeps what the user chose (a
``ListRequest`` of plain values) and asks ``open_list`` for the pages::

    class SuppliersScreen(ListScreen):
        LIST = parties_lists.SUPPLIERS

        def list_options(self) -> dict[str, Any]:   # the list's own options, if any
            return {}

Hooks: ``compose_left()`` (e.g. a group tree), ``compose_below()`` (e.g. related
information), ``list_options()``, ``on_list_highlighted(row_id)``, ``on_list_selected(row_id)``,
``status_parts()``. Extra screen keys go in the subclass's ``BINDINGS`` (they merge with these).

Searching never blocks typing and has no fixed wait: a key asks for the list again as soon as
the keys already queued are handled (a burst or a paste asks once, for its last text); the
rows are read in workers and a newer search supersedes an older one still being read. Enter
or Down searches at once and moves to the list.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from ..data.core import clock
from ..data.core.errors import TuicrmError
from ..data.lists import prefs
from ..data.lists.columns import Column
from ..data.lists.deferred import DeferredPager
from ..data.lists.filters import CustomFilter
from ..data.lists.paging import PagedQuery
from ..data.lists.view import (
    DateRange,
    ListDef,
    ListRequest,
    check_filter,
    filters_for,
    open_list,
    shown_columns,
)
from ..i18n import N_, _, ngettext
from ..widgets.focus import focus_now
from ..widgets.form import PlainInput
from ..widgets.list_tools import (
    ColumnsChoice,
    ColumnsDialog,
    DateRangeDialog,
    ExportDialog,
    FilterDialog,
    PrintPreviewDialog,
    default_export_path,
    describe_filter,
)
from ..widgets.record_table import RecordTable
from .base import AppScreen


class SearchInput(PlainInput):
    """The quick-search line: Down or Enter go to the list, Esc clears then leaves."""


PREVIEW_FRAME = 6  # cells the print preview's border, padding and scrollbar take


class ListScreen(AppScreen):
    LIST: ClassVar[ListDef]
    PRINT_LIMIT: ClassVar[int] = 2000  # rows in a print preview (export for more)
    EMPTY_TEXT: ClassVar[str] = N_("Nothing here")
    # An empty list while a search or filter is on says how to get the rows back; without
    # one there is nothing to clear (issue 17).
    NOTHING_FOUND: ClassVar[str] = N_("Nothing found (Esc in the search line clears it)")
    NOTHING_FILTERED: ClassVar[str] = N_("Nothing matches (F changes the filter, D the dates)")
    # Focus the list from the start: focusing something else first (say a group tree) and
    # then the list builds the footer's keys twice (~100 ms of the first paint).
    AUTO_FOCUS = "#list"

    BINDINGS = [
        Binding("escape", "back", "Back", id="list.back", show=False),
        # Carried out as the App reads the key (app.py: a letter's binding), so the keys typed
        # after it ("/wang" in one read) are routed to the search line, not to the list.
        Binding("slash,f", "focus_search", "Search", id="list.search"),
        Binding("F", "filter", "Filter", id="list.filter"),
        Binding("D", "date_range", "Dates", id="list.dates", show=False),
        Binding("C", "columns", "Columns", id="list.columns", show=False),
        Binding("x", "export", "Export", id="list.export"),
        Binding("P", "print", "Print", id="list.print", show=False),
        Binding("f5,ctrl+g", "refresh_list", "Refresh", id="list.refresh", show=False),
    ]

    DEFAULT_CSS = """
    ListScreen #main { height: 1fr; }
    ListScreen #right { width: 1fr; }
    ListScreen #searchbar { height: 1; }
    ListScreen #searchbar Label { width: auto; padding: 0 1; }
    ListScreen #search { border: none; height: 1; width: 1fr; padding: 0; }
    ListScreen #status { height: 1; color: $text-muted; padding: 0 1; text-wrap: nowrap;
                         text-overflow: ellipsis; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.search_text = ""
        self.filter: CustomFilter | None = None
        self.dates: DateRange | None = None
        self._search_pending = False
        self._position = ""
        self._marks = 0
        self._visible: list[str] | None = None
        self._sort: tuple[str, bool] = self.LIST.default_sort
        self.ready = False

    def title_text(self) -> str:
        return _(self.TITLE_TEXT or self.LIST.title)

    # -- what a subclass supplies --------------------------------------------------------------

    def list_options(self) -> dict[str, Any]:
        """The list's own options (a customer group, open orders only, ...)."""
        return {}

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
                    yield Label(Text(_("Search")))
                    yield SearchInput(placeholder=_(self.LIST.search_hint), id="search")
                yield RecordTable(id="list", empty_text=_(self.EMPTY_TEXT))
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
        table.set_columns(self.visible_names())
        self._set_pager(pq)
        self.ready = True
        focus_now(table)  # (keys typed ahead wait for the mount: widgets/key_hold.py)

    # -- the list ------------------------------------------------------------------------------

    def request(self) -> ListRequest:
        """What the user chose, as plain values."""
        return ListRequest(search=self.search_text, filter=self.filter, dates=self.dates,
                           sort=self._sort, options=self.list_options())

    def paged_query(self) -> PagedQuery | DeferredPager:
        return open_list(self.user, self.LIST, self.request())

    def columns(self) -> list[Column]:
        """The columns this user may show (cost prices only with ``product.see_cost``)."""
        return shown_columns(self.user, self.LIST)

    def visible_names(self) -> list[str]:
        names = [c.name for c in self.columns()]
        chosen = self._visible or list(self.LIST.default_visible or names)
        return [n for n in chosen if n in names] or names

    def reload(self) -> None:
        """Ask for the list again (search, filter, date range, sort or an option changed)."""
        try:
            pq = self.paged_query()
        except TuicrmError as e:
            self.notify_error(str(e))
            return
        self._set_pager(pq)

    def _set_pager(self, pq: PagedQuery | DeferredPager) -> None:
        if self.search_text.strip():
            self.table.empty_text = _(self.NOTHING_FOUND)
        elif self.filter is not None or self.dates is not None:
            self.table.empty_text = _(self.NOTHING_FILTERED)
        else:
            self.table.empty_text = _(self.EMPTY_TEXT)
        self.table.set_query(pq)
        self._show_status()

    def action_refresh_list(self) -> None:
        self.reload()

    def cursor_value(self, column: str) -> Any:
        """The cursor row's value of ``column`` (shown or internal); None on an empty list."""
        row = self.table.cursor_row
        pq = self.table.paged_query
        if row is None or pq is None:
            return None
        for i, c in enumerate(pq.columns):
            if c.name == column:
                return row.values[i]
        raise KeyError(f"list {self.LIST.name} has no column {column!r}")

    # -- preferences (L4) ----------------------------------------------------------------------

    def _load_prefs(self) -> None:
        saved = prefs.get_pref(self.user, self.LIST.pref_key, {}) or {}
        names = [c.name for c in self.columns()]
        cols = saved.get("columns") if isinstance(saved, dict) else None
        if isinstance(cols, list) and any(c in names for c in cols):
            self._visible = [c for c in cols if c in names]
        sort = saved.get("sort") if isinstance(saved, dict) else None
        if isinstance(sort, list) and len(sort) == 2 and sort[0] in self.LIST.sort_keys:
            self._sort = (str(sort[0]), bool(sort[1]))

    def _save_prefs(self) -> None:
        try:
            prefs.set_pref(self.user, self.LIST.pref_key,
                           {"columns": self.visible_names(), "sort": list(self._sort)})
        except (ValueError, TuicrmError) as e:
            self.notify_error(_("could not remember the columns: {e}").format(e=e))

    # -- quick search (L1) ---------------------------------------------------------------------

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        event.stop()
        # Behind the messages already queued (more keys of a burst), not after a fixed wait
        # (250 ms made every search take 300 ms at a million customers).
        if not self._search_pending:
            self._search_pending = True
            self.call_later(self._apply_search)

    def _apply_search(self) -> None:
        self._search_pending = False
        text = self.query_one("#search", Input).value
        if text == self.search_text:
            return
        self.search_text = text
        self.reload()

    def _search_now(self) -> None:
        self._apply_search()

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._search_now()
        focus_now(self.table)

    def on_key(self, event: events.Key) -> None:
        if isinstance(self.focused, SearchInput):
            if event.key == "down":
                event.stop()
                self._search_now()
                focus_now(self.table)
            elif event.key == "escape":
                event.stop()
                search = self.query_one("#search", Input)
                if search.value:
                    search.value = ""
                    self._search_now()
                else:
                    focus_now(self.table)

    def action_focus_search(self) -> None:
        focus_now(self.query_one("#search", Input))

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
            parts.append(_("search: {text}").format(text=self.search_text.strip()))
            if getattr(self.table.paged_query, "broad", False):  # known once rows came
                parts.append(_("many matches, in the order added: keep typing to narrow"))
        if self.filter is not None:
            parts.append(_("filter: {filter}").format(
                filter=describe_filter(self.filter, self.LIST.filters)))
        if self.dates is not None and self.dates.preset != "all" and self.LIST.date:
            parts.append(self.dates.describe(self.LIST.date.label))
        return parts

    def _show_status(self) -> None:
        if self.is_mounted:
            self.query_one("#status", Static).update(
                Text("  |  ".join(self.status_parts())), layout=False)  # one line: no relayout

    # -- filter and date range (L2, L3) ----------------------------------------------------------

    def action_filter(self) -> None:
        columns = filters_for(self.user, self.LIST)
        if not columns:
            self.notify(_("This list has no custom filter."), markup=False)
            return
        user = self.user

        def check(chosen: CustomFilter) -> None:
            check_filter(user, self.LIST, chosen)

        dialog = FilterDialog(columns, self.filter, check=check)

        def done(values: dict[str, str] | None) -> None:
            if values is None:
                return
            self.filter = dialog.result
            self.reload()

        self.app.push_screen(dialog, done)

    def action_date_range(self) -> None:
        if self.LIST.date is None:
            self.notify(_("This list has no date to choose a range on."), markup=False)
            return
        dialog = DateRangeDialog(self.LIST.date.label, self.dates)

        def done(values: dict[str, str] | None) -> None:
            if values is None:
                return
            chosen = dialog.result
            self.dates = chosen if chosen is not None and chosen.preset != "all" else None
            self.reload()

        self.app.push_screen(dialog, done)

    # -- columns (L4) --------------------------------------------------------------------------

    def action_columns(self) -> None:
        cols = [(c.name, _(c.title) if c.title else c.name) for c in self.columns()]
        sortable = [c.name for c in self.columns() if c.name in self.LIST.sort_keys]
        dialog = ColumnsDialog(cols, self.visible_names(), self._sort, sortable)

        def done(choice: ColumnsChoice | None) -> None:
            if choice is None:
                return
            self.apply_columns(choice.visible, choice.sort)

        self.app.push_screen(dialog, done)

    def apply_columns(self, visible: Sequence[str], sort: tuple[str, bool] | None) -> None:
        """Show ``visible`` columns, sort by ``sort``, and remember both for this user."""
        self._visible = list(visible)
        self.table.set_columns(self.visible_names())
        if sort is not None and sort != self._sort and sort[0] in self.LIST.sort_keys:
            self._sort = (sort[0], bool(sort[1]))
            self.reload()
        self._save_prefs()

    # -- export and print (L5, L6) ---------------------------------------------------------------

    def export(self, path: str, progress: Callable[[int, int | None], None],
               cancel: threading.Event, *, overwrite: bool = False) -> int:
        """Write the list as shown (visible columns in their order, the same rows in the same
        order: search, filter, date range and sort applied) to ``path``."""
        from ..reports.spreadsheet import export_pager

        return export_pager(self.user, self.paged_query(), self.visible_names(), path,
                            progress=progress, cancel=cancel, sheet_title=self.LIST.name,
                            overwrite=overwrite)

    def action_export(self) -> None:
        self.app.push_screen(
            ExportDialog(self.export, default_export_path(self.LIST.name),
                         _("Export the list “{title}” as shown").format(
                             title=_(self.LIST.title)))
        )

    def print_rows(self, limit: int) -> tuple[list[str], list[tuple[Any, ...]], int | None]:
        """Headers and up to ``limit`` rows of the visible columns, and the row count."""
        table = self.table
        pq = table.paged_query
        assert pq is not None
        names = self.visible_names()
        by_name = {c.name: i for i, c in enumerate(pq.columns)}
        idx = [by_name[n] for n in names if n in by_name]
        rows = []
        for r in pq.iterate(batch=min(limit, 1000)):
            rows.append(tuple(_print_value(pq.columns[i], r.values[i]) for i in idx))
            if len(rows) >= limit:
                break
        titles = [pq.columns[i].title or pq.columns[i].name for i in idx]
        return [_(t) for t in titles], rows, table.total

    def action_print(self) -> None:
        from ..reports.text import render_text

        try:
            heads, rows, total = self.print_rows(self.PRINT_LIMIT)
        except TuicrmError as e:
            self.notify_error(str(e))
            return
        # The preview's border, padding and scrollbar take 6 cells: a wider report wraps
        # every row onto two lines (issue 17, the Contacts preview).
        width = max(40, min(self.app.size.width - PREVIEW_FRAME, 132))
        extra = [p for p in self.status_parts()[1:] if not p.endswith("marked")]
        title = f"{self.LIST.title}  {clock.now():%Y-%m-%d %H:%M}"
        if extra:
            title += "  (" + "; ".join(extra) + ")"
        text = render_text(heads, rows, width=width, title=title)
        shown = len(rows)
        if total is not None and total > shown:
            text += "\n" + _("{shown} of {total} rows shown; export (x) for the whole list.").format(
                shown=f"{shown:,}", total=f"{total:,}") + "\n"
        else:
            text += "\n" + ngettext("{n} row", "{n} rows", shown).format(n=f"{shown:,}") + "\n"
        self.app.push_screen(PrintPreviewDialog(
            self.LIST.title, text, default_export_path(self.LIST.name, ".txt")))


def _print_value(col: Column, value: Any) -> Any:
    """Numbers stay numbers (right-aligned); everything else is the list's display text."""
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return value
    return col.text(value)


__all__ = ["ListScreen", "SearchInput"]
