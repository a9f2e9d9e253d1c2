"""Stock count (SPEC P4): count by scanning into an open count, see the variance, post.

The screen shows one count session: a line with its number, status, mode, scope and
progress, the scan field, the lines (product, counted, and - for managers or in a guided
count - book and variance), a status line and the footer. Scans are captured whatever has
focus (``ScanScreenMixin``), also while the typed-quantity dialog is open; each one is one
``counts.count_scan`` (an atomic add), and the line that changed is highlighted with
``T-1: +1 -> 3`` in the status line. An unknown code rings the bell and says so; the next scan
works at once. The list refreshes every few seconds so counts from other terminals show up.

Keys (F-keys, so they work while the scan field has the focus): F2 typed quantity for the
highlighted line, F3 recount (reset) it, F4 variance view (managers, or any counter in a
guided count), F5 choose another count, F6 open a new count, F7 post, F8 cancel the count,
F9 count sheet / variance report to a file. Up/Down/PgUp/PgDn move in the list.
"""

from __future__ import annotations

from decimal import Decimal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..data.core import permissions
from ..data.core.errors import NotFound, PermissionDenied, TuicrmError
from ..data.core.money import fmt_qty, from_milli
from ..data.counts import sessions as counts
from ..data.lists.paging import Column, PagedQuery
from ..data.models import Product, StockCount, StockCountLine
from ..data.stock import ledger as stock
from ..data.stock import locations as stock_locations
from ..widgets.dialogs import ConfirmDialog
from ..widgets.form import FormDialog, FormField
from ..widgets.record_table import RecordTable
from ..widgets.scan import ScanInput, Scanned, ScanScreenMixin
from .base import AppScreen

REFRESH_SECONDS = 3.0


def _milli(value: object) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value
    return from_milli(int(value))  # type: ignore[arg-type]


def _qty_text(value: object) -> str:
    q = _milli(value)
    return "" if q is None else fmt_qty(q)


class ScanFormDialog(ScanScreenMixin, FormDialog):
    """A form over the count screen: scans still go to the count, never into a field."""

    def __init__(self, owner: StockCountScreen, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.owner = owner

    def on_scanned(self, event: Scanned) -> None:
        event.stop()
        self.owner.handle_scan(event.code)


class CountPicker(ModalScreen[int | None]):
    """Choose a count: open ones first, then the latest posted and cancelled ones."""

    DEFAULT_CSS = """
    CountPicker { align: center middle; }
    CountPicker > Vertical { width: 76; max-width: 100%; height: auto; max-height: 20;
        border: solid $primary; background: $surface; }
    CountPicker OptionList { height: auto; max-height: 16; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="countpicker.cancel")]

    def __init__(self, items: list[StockCount]) -> None:
        super().__init__()
        self.items = items

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Choose a stock count (Enter; Esc: cancel)"))
            yield OptionList(*[
                Option(Text(f"{c.number}  {c.status:<9} {c.mode:<6} {c.scope_label}  "
                            f"{c.opened_at:%Y-%m-%d}"), id=str(c.id))
                for c in self.items
            ])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_cancel(self) -> None:
        self.dismiss(None)


class StockCountScreen(ScanScreenMixin, AppScreen):
    TITLE_TEXT = "Stock count"
    PRIORITY_TAB = False  # Tab may end a scan (some scanners send it)
    HELP = (
        "Count stock by scanning. Each scan adds 1 to the product's counted quantity "
        "(N*code adds N; a carton barcode adds its pack). Several terminals can count into "
        "the same count at once. F2 types the counted quantity of the highlighted line, F3 "
        "recounts it (back to not counted). A product outside the count's scope is added with "
        "a warning. In a blind count counters never see expected quantities; managers see the "
        "variance with F4: counted against the stock book at the time the line was counted, "
        "so sales made during the count are neither a loss nor a gain. Lines marked ! differ "
        "by more than the recount threshold (setting count.recount_threshold). F7 posts the "
        "count (managers): the stock becomes what was counted, as count movements with the "
        "count's number. F6 opens a count, F8 cancels it, F5 shows another count, F9 writes "
        "the count sheet or the variance report (.txt, .xlsx or .csv)."
    )
    BINDINGS = [
        Binding("escape", "back", "Back", id="count.back"),
        Binding("f2", "quantity", "Qty", id="count.quantity"),
        Binding("f3", "recount", "Recount", id="count.recount"),
        Binding("f4", "variance", "Var", id="count.variance"),
        Binding("f5", "choose", "Counts", id="count.choose", show=False),  # 80 columns
        Binding("f6", "open_count", "Open", id="count.open"),
        Binding("f7", "post", "Post", id="count.post"),
        Binding("f8", "cancel_count", "Cancel", id="count.cancel"),
        Binding("f9", "report", "Report", id="count.report"),
        Binding("up", "move(-1)", show=False, id="count.up"),
        Binding("down", "move(1)", show=False, id="count.down"),
        Binding("pageup", "page(-1)", show=False, id="count.pageup"),
        Binding("pagedown", "page(1)", show=False, id="count.pagedown"),
    ]
    DEFAULT_CSS = """
    StockCountScreen #info { height: 1; padding: 0 1; text-style: bold; }
    StockCountScreen #scan { height: 1; border: none; padding: 0 1; }
    StockCountScreen RecordTable { height: 1fr; }
    StockCountScreen #status { height: 1; padding: 0 1; }
    """

    def __init__(self, count_id: int | None = None) -> None:
        super().__init__()
        self.count_id = count_id
        self.show_variance = False
        self.last_status = ""

    # -- layout -------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        yield Static("", id="info", markup=False)
        yield ScanInput(id="scan", placeholder="Scan or type a code (N*code)")
        yield RecordTable(id="lines", show_marks=False, empty_text="No stock count open")
        yield Static("", id="status", markup=False)
        yield from self.compose_footer()

    @property
    def table(self) -> RecordTable:
        return self.query_one(RecordTable)

    @property
    def count(self) -> StockCount | None:
        if self.count_id is None:
            return None
        return StockCount.get_or_none(StockCount.id == self.count_id)

    def on_mount(self) -> None:
        try:
            counts.require_view(self.user)
        except PermissionDenied as e:
            self.notify_error(str(e))
            self.app.call_later(self.tuicrm.go_back)
            return
        if self.count_id is None:
            recent = counts.recent_counts(1)
            self.count_id = recent[0].id if recent else None
        self.show_count()
        self.query_one("#scan", ScanInput).focus()
        self.set_interval(REFRESH_SECONDS, self._tick)

    def _columns(self, sc: StockCount) -> list[Column]:
        exprs = counts.list_expressions(sc)
        cols = [
            Column("code", Product.code, "Code", min_width=6, max_width=14),
            Column("name", Product.name, "Name", min_width=14, max_width=30),
            Column("counted", exprs["counted"], "Counted", min_width=7, format=_qty_text,
                   convert=lambda v: v, align="right", nullable=True),
            Column("entries", StockCountLine.entries, "Scans", min_width=5),
        ]
        if self.show_variance and counts.can_see_expected(self.user, sc):
            limit = counts.threshold()

            def variance_text(value: object) -> str:
                q = _milli(value)
                if q is None:
                    return ""
                text = fmt_qty(q)
                text = text if text.startswith("-") or q == 0 else "+" + text
                return text + (" !" if abs(q) > limit and sc.status == "open" else "")

            cols += [
                Column("book", exprs["book"], "Book", min_width=6, format=_qty_text,
                       convert=lambda v: v, align="right", nullable=True),
                Column("variance", exprs["variance"], "Variance", min_width=8,
                       format=variance_text, convert=lambda v: v, align="right",
                       nullable=True),
            ]
        elif sc.mode == "guided" and counts.can_see_expected(self.user, sc):
            cols.append(Column("expected", StockCountLine.expected, "Expected", min_width=8,
                               format=_qty_text))
        cols.append(Column("scope", StockCountLine.in_scope, "", width=5,
                           format=lambda v: "" if v else "extra"))
        return cols

    def show_count(self) -> None:
        """(Re)build the list for the current count."""
        sc = self.count
        if sc is None:
            self.query_one("#info", Static).update(
                Text("No stock count yet. F6 opens one (managers)."))
            return
        query = counts.line_query(self.user, sc)
        self.table.set_query(PagedQuery(query, self._columns(sc), sort=[("code", False)]))
        self.update_info(sc)

    def update_info(self, sc: StockCount | None = None) -> None:
        sc = sc or self.count
        if sc is None:
            return
        done, total = counts.progress(sc)
        status = sc.status.upper() if sc.status != "open" else "open"
        loc = stock.get_location(sc.location_id).code
        self.query_one("#info", Static).update(Text(
            f"{sc.number} {status} · {sc.mode} · {sc.scope_label} at {loc} · "
            f"{done}/{total} counted"))

    def set_status(self, text: str, warning: bool = False) -> None:
        self.last_status = text
        self.query_one("#status", Static).update(
            Text(text, style="bold yellow" if warning else ""))

    def _tick(self) -> None:
        if self.app.screen is not self or self.count_id is None:
            return
        self.table.refresh_data()
        self.update_info()

    def refresh_data(self) -> None:
        self.table.refresh_data()
        self.update_info()

    # -- scanning -----------------------------------------------------------------------------
    def on_scanned(self, event: Scanned) -> None:
        event.stop()
        self.handle_scan(event.code)

    def handle_scan(self, code: str) -> None:
        if self.count_id is None:
            self.app.bell()
            self.set_status(f"{code}: no stock count is open (F6 opens one)", warning=True)
            return
        try:
            result = counts.count_scan(self.user, self.count_id, code)
        except NotFound as e:
            self.app.bell()
            self.set_status(str(e), warning=True)
            self.notify(str(e), severity="warning", markup=False, timeout=4)
            return
        except TuicrmError as e:
            self.set_status(str(e), warning=True)
            self.notify_error(str(e))
            return
        self.table.refresh_data()
        self.table.go_to_id(result.line_id)
        self.update_info()
        if result.out_of_scope:
            self.app.bell()
            self.set_status(f"{result.status}   ({result.warning})", warning=True)
            if result.new_line:
                self.notify(result.warning, severity="warning", markup=False, timeout=5)
        else:
            self.set_status(f"{result.status}  {result.product_name}")

    # -- actions ------------------------------------------------------------------------------
    def action_move(self, delta: int) -> None:
        (self.table.action_cursor_down if delta > 0 else self.table.action_cursor_up)()

    def action_page(self, delta: int) -> None:
        (self.table.action_page_down if delta > 0 else self.table.action_page_up)()

    def _current_line(self) -> StockCountLine | None:
        row_id = self.table.cursor_row_id
        if row_id is None:
            self.app.bell()
            self.set_status("No line chosen: scan a product or move to a line first.", True)
            return None
        return StockCountLine.get_or_none(StockCountLine.id == row_id)

    def action_quantity(self) -> None:
        line = self._current_line()
        if line is None:
            return
        product = Product.get_by_id(line.product_id)
        form = ScanFormDialog(
            self, f"Counted quantity of {product.code} {product.name} ({product.unit}); "
            "replaces what was counted so far",
            [FormField("quantity", "Counted", placeholder="e.g. 12")],
            submit=lambda v: counts.set_counted(self.user, line.id, v["quantity"],
                                                code="typed"),
            submit_label="Set")

        def done(values: dict[str, str] | None) -> None:
            if values is None:
                return
            result = form.result
            self.refresh_data()
            self.table.go_to_id(result.line_id)
            self.set_status(result.status)

        self.app.push_screen(form, done)

    def action_recount(self) -> None:
        line = self._current_line()
        if line is None:
            return
        product = Product.get_by_id(line.product_id)

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            try:
                result = counts.recount(self.user, line.id)
            except TuicrmError as e:
                self.notify_error(str(e))
                return
            self.refresh_data()
            self.set_status(f"{product.code}: recount, back to not counted "
                            f"(was {fmt_qty(-result.added)})")

        self.app.push_screen(ConfirmDialog(
            f"Recount {product.code} {product.name}? What was counted so far "
            f"({fmt_qty(line.counted)}) is set back to not counted.", yes="Recount"), answer)

    def action_variance(self) -> None:
        sc = self.count
        if sc is None:
            return
        if not counts.can_see_expected(self.user, sc):
            self.notify_error("This is a blind count: expected quantities and variances are "
                              "shown to managers only.")
            return
        self.show_variance = not self.show_variance
        self.show_count()
        if self.show_variance:
            s = counts.summary(counts.variance(self.user, sc), sc.zero_uncounted)
            self.set_status(f"Variance: {s.counted}/{s.lines} counted, {s.flagged} to recount "
                            f"(!), net value at cost {s.value:,}")

    def action_choose(self) -> None:
        items = counts.recent_counts()
        if not items:
            self.set_status("No stock counts yet. F6 opens one.", True)
            return

        def chosen(count_id: int | None) -> None:
            if count_id:
                self.count_id = count_id
                self.show_variance = False
                self.show_count()

        self.app.push_screen(CountPicker(items), chosen)

    def action_open_count(self) -> None:
        try:
            permissions.require(self.user, "count.manage")
        except PermissionDenied as e:
            self.notify_error(str(e))
            return
        locations = [(f"{loc.code} {loc.name}", loc.code)
                     for loc in stock_locations.list_locations(self.user)]
        fields = [
            FormField("scope", "Scope", "all", kind="choice",
                      choices=[(label, key) for key, label in counts.SCOPES.items()]),
            FormField("value", "Category / codes", placeholder="category path, or product "
                      "codes separated by spaces"),
            FormField("mode", "Mode", "blind", kind="choice",
                      choices=[(label, key) for key, label in counts.MODES.items()]),
            FormField("uncounted", "Not counted", "stay", kind="choice",
                      choices=[("stay as they are", "stay"), ("become zero", "zero")]),
        ]
        if locations:
            fields.insert(1, FormField("location", "Location", locations[0][1],
                                       kind="choice", choices=locations))

        def submit(v: dict[str, str]) -> StockCount:
            return counts.open_count(
                self.user, scope=v["scope"] or "all",
                scope_value=v["value"] or (v.get("location") if v["scope"] == "location"
                                           else None),
                mode=v["mode"] or "blind", location=v.get("location") or None,
                zero_uncounted=v["uncounted"] == "zero")

        form = ScanFormDialog(self, "Open a stock count", fields, submit=submit,
                              submit_label="Open")

        def done(values: dict[str, str] | None) -> None:
            if values is None:
                return
            self.count_id = form.result.id
            self.show_variance = False
            self.show_count()
            self.set_status(f"Opened {form.result.number}: start scanning.")

        self.app.push_screen(form, done)

    def action_post(self) -> None:
        sc = self.count
        if sc is None:
            return
        try:
            permissions.require(self.user, "count.manage")  # post_count checks it too
        except PermissionDenied as e:
            self.notify_error(str(e))
            self.set_status(str(e), warning=True)
            return
        if sc.status != "open":
            self.notify_error(f"{sc.number} is {sc.status}: it cannot be posted.")
            return
        s = counts.summary(counts.variance(self.user, sc), sc.zero_uncounted)
        form = ScanFormDialog(
            self, f"Post {sc.number}: {s.counted} of {s.lines} lines counted, {s.flagged} over "
            f"the recount threshold, net variance at cost {s.value:,}. The stock becomes what "
            "was counted; the count becomes read-only.",
            [FormField("uncounted", "Not counted", "zero" if sc.zero_uncounted else "stay",
                       kind="choice", choices=[(f"stay as they are ({s.uncounted})", "stay"),
                                               (f"become zero ({s.uncounted})", "zero")])],
            submit=lambda v: counts.post_count(self.user, sc.id,
                                               zero_uncounted=v["uncounted"] == "zero"),
            submit_label="Post")

        def done(values: dict[str, str] | None) -> None:
            if values is None:
                return
            r = form.result
            self.show_count()
            self.set_status(f"Posted {r.number}: {r.movements} stock movement(s), value "
                            f"{r.value:,}.")
            self.notify(f"Posted {r.number}.", markup=False)

        self.app.push_screen(form, done)

    def action_cancel_count(self) -> None:
        sc = self.count
        if sc is None:
            return
        try:
            permissions.require(self.user, "count.manage")
        except PermissionDenied as e:
            self.notify_error(str(e))
            return

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            try:
                counts.cancel_count(self.user, sc.id)
            except TuicrmError as e:
                self.notify_error(str(e))
                return
            self.show_count()
            self.set_status(f"{sc.number} cancelled: no stock was changed.")

        self.app.push_screen(ConfirmDialog(
            f"Cancel stock count {sc.number}? Nothing is posted; it stays listed as "
            "cancelled.", yes="Cancel the count", no="Keep it"), answer)

    def action_report(self) -> None:
        sc = self.count
        if sc is None:
            return
        from ..reports import count_reports

        fields = [
            FormField("what", "Report", "sheet", kind="choice",
                      choices=[("Count sheet", "sheet"), ("Variance report", "variance")]),
            FormField("file", "File", f"{sc.number}.txt",
                      placeholder=".txt, .xlsx or .csv"),
        ]
        form = ScanFormDialog(
            self, f"Count sheet or variance report of {sc.number}", fields,
            submit=lambda v: count_reports.save_report(self.user, sc.id, v["what"] or "sheet",
                                                       v["file"]),
            submit_label="Write")

        def done(values: dict[str, str] | None) -> None:
            if values is not None:
                self.set_status(f"Wrote {values['file']}.")

        self.app.push_screen(form, done)
