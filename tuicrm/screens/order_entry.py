"""Order entry (O1-O8): one screen for sales, quotes, purchases and returns, built for scanning.

The screen is a view. What the order is and what each key does belong to the controller
(``data.sales.entry.OrderEntry``: scan routing, the kind-to-operation rules, the status line);
the screen passes the user's actions to it and draws the ``EntryView`` each one returns.

The UI thread never waits on the database: every action runs on this screen's writer thread
(``WriteQueue``), strictly in the order the user acted, while the screen goes on echoing keys
and taking scans; a write that waits more than a second on another terminal's lock says so on
the status line. A scan is handled whatever has focus (``ScanScreenMixin``: a scanner burst
never lands in the quantity, price or discount field); an unknown code is a warning and the
bell, never a dialog, and F6 offers to create a product with that code.

Tab is a scanner terminator here (``PRIORITY_TAB = False``: the app's priority Tab would move
the focus before a short scan's Tab reached the code field); a person's Tab still moves to the
next field through this screen's own binding.

Keys: F2 customer (supplier), F3 quantity of the selected line, F4 find a product by name,
F5 order discount, F6 create a product from the last unknown code, F7 keep as draft (new
order), F8 save as quote, F9 confirm (deliver / receive later), F10 complete, Ctrl+D delete
line, Up/Down select a line, Ctrl+N new order.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Input, Label, Static

from ..data.core import clock
from ..data.core.money import fmt_money, fmt_qty
from ..data.core.vocab import OrderKind
from ..data.sales.entry import OrderEntry
from ..data.sales.entry_rules import EntryView, Finished, Level, LineField
from ..data.sales.rows import OrderHeader, OrderLineRow
from ..reports import documents
from ..widgets.form import PlainInput
from ..widgets.order_lines import LineRow, OrderLinesView
from ..widgets.scan import ScanInput, Scanned, ScanScreenMixin
from ..widgets.write_queue import WriteQueue
from .base import AppScreen
from .order_dialogs import (
    WALK_IN,
    PickDialog,
    ReceiptDialog,
    discount_form,
    product_form,
    quote_form,
)

EDIT_FIELDS = ("qty", "price", "disc")
FILL_DELAY = 0.15  # seconds after the last scan before the line fields show the new line
DRAW_EVERY = 0.1  # while writes queue up, redraw at most this often (the last one always)
WAITING = "waiting for another terminal ..."


def _row(line: OrderLineRow) -> LineRow:
    return LineRow(
        line.id, line.product_code, line.product_name, fmt_qty(line.quantity),
        fmt_money(line.unit_price), fmt_money(line.discount) if line.discount else "",
        fmt_money(line.amount),
    )


class EditInput(PlainInput):
    """A line field (quantity, price, discount): focusing it selects the value, so typed
    digits replace it - never append to it."""


class OrderEntryScreen(ScanScreenMixin, AppScreen):
    KIND: ClassVar[OrderKind] = OrderKind.SALE
    TITLE_TEXT = "Order entry"
    PRIORITY_TAB = False
    HELP = (
        "Scan or type a product code and Enter (3*code for three). F2 picks the customer "
        "(none: walk-in), F4 finds a product by name. Up/Down select a line; F3 edits its "
        "quantity, Tab the price and discount (Enter applies). F10 completes the sale "
        "(stock out, receipt); F7 keeps it as a draft, F8 makes it a quote, F9 confirms it "
        "for delivery later. Scans always go to the order, whatever field has focus."
    )

    DEFAULT_CSS = """
    OrderEntryScreen #header { height: 1; padding: 0 1; text-style: bold; }
    OrderEntryScreen .bar { height: 1; }
    OrderEntryScreen .bar Label { width: auto; padding: 0 1; }
    OrderEntryScreen #code { border: none; height: 1; padding: 0; width: 1fr; }
    OrderEntryScreen EditInput { border: none; height: 1; padding: 0; width: 12; }
    OrderEntryScreen #lines { height: 1fr; }
    OrderEntryScreen #totals { height: 1; padding: 0 1; text-align: right; text-style: bold; }
    OrderEntryScreen #status { height: 1; padding: 0 1; }
    OrderEntryScreen #status.-warn { color: $warning; text-style: bold; }
    OrderEntryScreen #status.-error { color: $error; text-style: bold; }
    """

    BINDINGS = [
        Binding("escape", "back", "Back", id="entry.back"),
        Binding("f2", "party", "Customer", id="entry.party"),
        Binding("f3", "edit_qty", "Qty", id="entry.qty", show=False),
        Binding("f4", "find_product", "Find", id="entry.find"),
        Binding("f5", "order_discount", "Discount", id="entry.discount", show=False),
        Binding("f6", "create_product", "New product", id="entry.new_product", show=False),
        Binding("f7,ctrl+s", "save_draft", "Draft", id="entry.draft", priority=True),
        Binding("f8", "save_quote", "Quote", id="entry.quote", show=False),
        Binding("f9", "confirm", "Confirm", id="entry.confirm", show=False),
        Binding("f10", "complete", "Complete", id="entry.complete"),
        Binding("ctrl+d", "delete_line", "Delete line", id="entry.delete", priority=True,
                show=False),
        Binding("ctrl+n", "new_order", "New", id="entry.new", show=False),
        Binding("up", "cursor(-1)", show=False),
        Binding("down", "cursor(1)", show=False),
        Binding("pageup", "cursor(-10)", show=False),
        Binding("pagedown", "cursor(10)", show=False),
        Binding("tab", "next_field", show=False),
        Binding("shift+tab", "previous_field", show=False),
    ]

    def __init__(self, order_id: int | None = None, *, kind: OrderKind | str | None = None,
                 return_of: int | None = None) -> None:
        super().__init__()
        self._start_kind = OrderKind(kind) if kind else self.KIND
        self._open_id = order_id
        self._return_of = return_of
        self.entry: OrderEntry | None = None
        self.view: EntryView | None = None  # what is on screen
        self._edit_line_id: int | None = None
        self._rows: dict[int, tuple[OrderLineRow, LineRow]] = {}
        self._fill_timer: Timer | None = None
        self._drawn_at = 0.0
        self._waiting = False

    # -- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        yield Static("", id="header", markup=False)
        with Horizontal(classes="bar"):
            yield Label("Code")
            yield ScanInput(id="code", placeholder="scan or type a code, Enter (3*code: 3)")
        yield OrderLinesView(id="lines")
        with Horizontal(classes="bar", id="editbar"):
            yield Label("Qty")
            yield EditInput(id="qty")
            yield Label("Price")
            yield EditInput(id="price")
            yield Label("Disc")
            yield EditInput(id="disc")
        yield Static("", id="totals", markup=False)
        yield Static("", id="status", markup=False)
        yield WriteQueue(id="writer", on_wait=self._show_waiting, on_error=self._write_failed)
        yield from self.compose_footer()

    @property
    def lines(self) -> OrderLinesView:
        return self.query_one("#lines", OrderLinesView)

    @property
    def writer(self) -> WriteQueue:
        return self.query_one("#writer", WriteQueue)

    @property
    def order(self) -> OrderHeader | None:
        """The order on screen (None before its first line)."""
        return self.view.order if self.view else None

    @property
    def kind(self) -> OrderKind:
        return self.view.kind if self.view else self._start_kind

    @property
    def idle(self) -> bool:
        """Every action the user took is written and drawn."""
        return self.writer.idle

    def on_mount(self) -> None:
        self.entry = entry = OrderEntry(self.user, self._start_kind)
        self._draw(entry.view())
        if self._open_id is not None:
            self.send(lambda: entry.open(self._open_id or 0))
        elif self._return_of is not None:
            self.send(lambda: entry.open_return(self._return_of or 0))
        self.query_one("#code").focus()

    # -- talking to the controller ------------------------------------------------------------

    def send(self, action: Callable[[], EntryView],
             then: Callable[[EntryView], None] | None = None) -> None:
        """Run ``action`` (a call on the controller) on the writer thread after every action
        before it; draw what it returns."""

        def done(view: EntryView) -> None:
            self._shown(view)
            if then is not None:
                then(view)

        self.writer.submit(action, done)

    def _shown(self, view: EntryView) -> None:
        if view.bell:
            self.app.bell()
        for note in view.notes:
            self.notify(note, severity="warning", markup=False, timeout=15)
        if view.finished is not None:
            self._offer_receipt(view.finished)
        now = time.monotonic()
        if self.writer.pending <= 1 or now - self._drawn_at >= DRAW_EVERY:
            self._draw(view)  # the last result of a queue is always drawn

    def _show_waiting(self, waiting: bool) -> None:
        self._waiting = waiting
        if waiting:
            self._status(WAITING, Level.WARN)
        elif self.view is not None:
            self._status(self.view.status, self.view.level)

    def _write_failed(self, error: BaseException) -> None:
        self.app.bell()
        self._status(f"not saved: {type(error).__name__}: {error}", Level.ERROR)

    # -- drawing ------------------------------------------------------------------------------

    def _draw(self, view: EntryView) -> None:
        self.view = view
        self._drawn_at = time.monotonic()
        self.query_one("#header", Static).update(Text(view.header))
        self.query_one("#totals", Static).update(Text(view.totals))
        rows = []
        cache: dict[int, tuple[OrderLineRow, LineRow]] = {}
        for line in view.lines:
            seen = self._rows.get(line.id)
            row = seen[1] if seen is not None and seen[0] is line else _row(line)
            cache[line.id] = (line, row)
            rows.append(row)
        self._rows = cache
        self.lines.show(rows, view.selected_id, view.changed_id)
        if not self._waiting:
            self._status(view.status, view.level)
        if not self._editing():
            # The line fields follow the selection a moment after the last scan of a burst
            # (three fewer repaints per scan: less latency, fewer bytes over SSH).
            if self._fill_timer is not None:
                self._fill_timer.stop()
            self._fill_timer = self.set_timer(FILL_DELAY, self._fill_if_idle)

    def _status(self, message: str, level: Level = Level.INFO) -> None:
        widget = self.query_one("#status", Static)
        widget.update(Text(message))
        widget.set_class(level == Level.WARN, "-warn")
        widget.set_class(level == Level.ERROR, "-error")

    def _error(self, message: str) -> None:
        """A refusal the screen knows of without asking the controller."""
        self.app.bell()
        self._status(message, Level.ERROR)

    # -- scanning -----------------------------------------------------------------------------

    def on_scanned(self, event: Scanned) -> None:
        event.stop()
        self.add_code(event.code)

    def add_code(self, text: str) -> None:
        entry = self._entry
        self.send(lambda: entry.scan(text))

    @property
    def _entry(self) -> OrderEntry:
        assert self.entry is not None, "the controller is made on mount"
        return self.entry

    # -- the selected line and its fields -----------------------------------------------------

    def _editing(self) -> bool:
        focused = self.focused
        return focused is not None and focused.id in EDIT_FIELDS

    def _fill_if_idle(self) -> None:
        self._fill_timer = None
        if not self._editing():
            self._fill_edit()

    def _fill_edit(self, line_id: int | None = None) -> None:
        """The line fields show ``line_id`` (default: the selected line)."""
        if line_id is None:
            row = self.lines.selected
            line_id = row.line_id if row else None
            self._edit_line_id = line_id
        line = self.view.line(line_id) if self.view else None
        self.query_one("#qty", Input).value = fmt_qty(line.quantity) if line else ""
        self.query_one("#price", Input).value = str(line.unit_price) if line else ""
        self.query_one("#disc", Input).value = str(line.discount) if line else ""

    def action_cursor(self, delta: int) -> None:
        self.lines.move_cursor(delta)  # at once, whatever is being written
        self._fill_edit()
        row = self.lines.selected
        if row is not None:
            entry, line_id = self._entry, row.line_id
            self.writer.submit(lambda: entry.select(line_id))

    def action_next_field(self) -> None:
        self.focus_next()

    def action_previous_field(self) -> None:
        self.focus_previous()

    def action_edit_qty(self) -> None:
        if self.lines.selected is None:
            self._error("no line to change: scan a product first")
            return
        self._fill_edit()
        self.query_one("#qty").focus()

    @on(Input.Submitted, "EditInput")
    def _edit_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        line_id = self._edit_line_id
        if line_id is None:
            self._error("no line to change")
            return
        entry, field, value = self._entry, LineField(event.input.id or ""), event.value
        self.send(lambda: entry.edit_line(line_id, field, value),
                  lambda _: self._fill_edit(line_id))
        self.query_one("#code").focus()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        field = getattr(event.widget, "id", None)
        if field not in EDIT_FIELDS:
            return
        row = self.lines.selected
        if row is not None and row.line_id != self._edit_line_id:
            self._fill_edit()
        line = self.view.line(self._edit_line_id) if self.view else None
        if line is not None and not self._waiting:
            what = {"qty": "Quantity", "price": "Price", "disc": "Discount"}[field]
            self._status(f"{what} of {line.product_code}: type it, Enter applies, Esc leaves "
                         "it as it was")

    def action_delete_line(self) -> None:
        row = self.lines.selected
        if row is None:
            self._error("no line to delete")
            return
        entry, line_id = self._entry, row.line_id
        self.send(lambda: entry.delete_line(line_id))

    def action_order_discount(self) -> None:
        if self.order is None:
            self._error("no order yet: scan a product first")
            return
        form = discount_form(self.order.discount)
        entry = self._entry

        def done(values: dict[str, str] | None) -> None:
            if values is not None:
                text = str(form.result)
                self.send(lambda: entry.set_order_discount(text))

        self.app.push_screen(form, done)

    # -- customer / supplier and products -----------------------------------------------------

    def action_party(self) -> None:
        view, entry = self.view, self._entry
        if view is None:
            return
        if view.rules.party_fixed:
            self._error(f"the {view.rules.party.lower()} of a return is the one of its order")
        elif view.rules.party == "Supplier":
            if view.order is not None:
                self._error("the supplier of an order is fixed once it has lines")
                return
            self.app.push_screen(PickDialog("Supplier: code or name", entry.supplier_choices),
                                 self._supplier_chosen)
        else:
            fixed = [("(walk-in customer)", WALK_IN)] if view.rules.walk_in else []
            self.app.push_screen(PickDialog("Customer: code, name or phone",
                                            entry.customer_choices, fixed=fixed),
                                 self._customer_chosen)

    def _customer_chosen(self, value: int | None) -> None:
        self.query_one("#code").focus()
        if value is not None:
            entry, customer_id = self._entry, None if value == WALK_IN else value
            self.send(lambda: entry.choose_customer(customer_id))

    def _supplier_chosen(self, value: int | None) -> None:
        self.query_one("#code").focus()
        if value is not None:
            entry = self._entry
            self.send(lambda: entry.choose_supplier(value))

    def action_find_product(self) -> None:
        entry = self._entry

        def chosen(value: int | None) -> None:
            self.query_one("#code").focus()
            if value is not None:
                self.send(lambda: entry.add_product(value, 1))

        self.app.push_screen(PickDialog("Find a product: code or name", entry.product_choices),
                             chosen)

    def action_create_product(self) -> None:
        view, entry = self.view, self._entry
        code = view.unknown_code if view else None
        if not code:
            self._error("no unknown code was scanned")
            return
        scan = view.unknown_scan if view and view.unknown_scan else code
        form = product_form(code, entry.may_see_cost(), entry.create_product)

        def done(values: dict[str, str] | None) -> None:
            self.query_one("#code").focus()
            if values is not None:
                self.add_code(scan)

        self.app.push_screen(form, done)

    # -- keeping, confirming, completing ------------------------------------------------------

    def _after_pending(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` after every scan already read is handed to the controller.

        A key binding runs at once, but scans read before it may still be queued: at the code
        field (which hands them on to this screen) and on this screen. Going through both
        queues puts ``callback`` behind them (F10 straight after a burst sells every item);
        the writer queue then keeps that order."""
        code = self.query_one("#code")
        code.call_later(lambda: self.call_later(callback))

    def _after_scans(self, action: Callable[[OrderEntry], EntryView]) -> None:
        entry = self._entry
        self._after_pending(lambda: self.send(lambda: action(entry)))

    def action_save_draft(self) -> None:
        self._after_scans(OrderEntry.keep_draft)

    def action_new_order(self) -> None:
        self._after_scans(OrderEntry.keep_draft)

    def action_confirm(self) -> None:
        self._after_scans(OrderEntry.confirm)

    def action_complete(self) -> None:
        self._after_scans(OrderEntry.complete)

    def action_save_quote(self) -> None:
        self._after_pending(self._ask_quote)

    def _ask_quote(self) -> None:
        self.writer.after_writes(self._quote_dialog)  # the refusal needs the latest view

    def _quote_dialog(self) -> None:
        view, entry = self.view, self._entry
        if view is None:
            return
        refusal = view.quote_refusal()
        if refusal:
            self._error(refusal)
            return
        form = quote_form(view.default_valid_until(clock.today()))

        def done(values: dict[str, str] | None) -> None:
            if values is not None:
                valid_until = form.result
                self.send(lambda: entry.save_as_quote(valid_until))

        self.app.push_screen(form, done)

    def _offer_receipt(self, finished: Finished) -> None:
        if finished.document is None:
            return
        text = documents.receipt_text(finished.document, finished.receipt_width)
        dialog = ReceiptDialog(text, f"receipt-{finished.order.number}.txt",
                               notes=[finished.message, *finished.warnings])
        self.app.push_screen(dialog, self._back_to_code)

    def _back_to_code(self, _: object = None) -> None:
        self.query_one("#code").focus()

    def action_back(self) -> None:
        if self._editing():
            self._fill_edit()
            self.query_one("#code").focus()
            if not self._waiting:
                self._status("line left as it was: scan or type a code")
            return
        self._after_pending(lambda: self.writer.after_writes(self._leave))

    def _leave(self) -> None:
        order = self.order
        if order is not None and order.is_draft and self.view and self.view.has_lines:
            self.notify(f"{order.number} kept as a draft; reopen it from Orders", markup=False)
        super().action_back()


class PurchaseEntryScreen(OrderEntryScreen):
    """The same entry for purchase orders to suppliers: F2 picks the supplier, F10 receives."""

    KIND = OrderKind.PURCHASE
    TITLE_TEXT = "Purchase (receiving)"
    HELP = (
        "F2 picks the supplier first; then scan or type codes (3*code for three). F10 "
        "receives the goods (stock in); F9 confirms the order to receive later from Orders; "
        "F7 keeps it as a draft."
    )
