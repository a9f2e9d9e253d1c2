"""Order entry (O1-O8): one screen for sales, quotes, purchases and returns, built for scanning.

A scan is handled whatever has focus (``ScanScreenMixin``: a scanner burst never lands in the
quantity, price or discount field) and goes to ``orders.add_scan``: ``N*code`` adds N, a repeat
scan by any of the product's barcodes adds to its line, a carton code adds its pack quantity.
The changed line is marked and selected, the status line says ``P001 +1 -> 3``. An unknown code
is a warning and the bell, never a dialog: the next scan works at once, and F6 offers to create
a product with that code.

The order is created (and numbered) with its first line, so opening the screen costs nothing.
Every line is saved as it is entered: the draft survives a lost SSH connection.

Tab is a scanner terminator here (``PRIORITY_TAB = False``: the app's priority Tab would move
the focus before a short scan's Tab reached the code field); a person's Tab still moves to the
next field through this screen's own binding.

Keys: F2 customer (supplier), F3 quantity of the selected line, F4 find a product by name,
F5 order discount, F6 create a product from the last unknown code, F7 save draft (new order),
F8 save as quote, F9 confirm (deliver / receive later), F10 complete, Ctrl+D delete line,
Up/Down select a line, Ctrl+N new order.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Input, Label, Static

from ..data.catalog import product_edit, products
from ..data.core import clock, settings
from ..data.core.errors import InsufficientStock, NotFound, TuicrmError
from ..data.core.money import fmt_money, fmt_qty
from ..data.models import Customer, Order, OrderLine, Supplier
from ..data.parties import lists as party_lists
from ..data.parties.search import search_customers
from ..data.sales import orders
from ..reports import documents
from ..widgets.form import FormDialog, FormField, PlainInput
from ..widgets.order_lines import LineRow, OrderLinesView
from ..widgets.scan import ScanInput, Scanned, ScanScreenMixin
from .base import AppScreen
from .order_dialogs import WALK_IN, PickDialog, ReceiptDialog

RECEIPT_WIDTHS = (32, 42, 48)
EDIT_FIELDS = ("qty", "price", "disc")
FILL_DELAY = 0.15  # seconds after the last scan before the line fields show the new line


def receipt_width() -> int:
    """Setting ``receipt.width`` (32, 42 or 48 columns); 42 when unset or odd."""
    width = settings.get_int("receipt.width")
    return width if width in RECEIPT_WIDTHS else 42


def _row(line: OrderLine) -> LineRow:
    return LineRow(
        line.id, line.product.code, line.product.name, fmt_qty(line.quantity),
        fmt_money(line.unit_price), fmt_money(line.discount) if line.discount else "",
        fmt_money(line.amount),
    )


class EditInput(PlainInput):
    """A line field (quantity, price, discount): focusing it selects the value, so typed
    digits replace it - never append to it."""


class OrderEntryScreen(ScanScreenMixin, AppScreen):
    KIND: ClassVar[str] = "sale"
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

    def __init__(self, order_id: int | None = None, *, kind: str | None = None) -> None:
        super().__init__()
        self.kind = kind or self.KIND
        self.order: Order | None = None
        self.customer_id: int | None = None
        self.supplier_id: int | None = None
        self.valid_until: dt.date | None = None
        self.unknown_code: str | None = None
        self.unknown_scan: str | None = None
        self._open_id = order_id
        self._edit_line_id: int | None = None
        self._raw: dict[int, tuple[Decimal, Decimal, Decimal]] = {}
        self._fill_timer: Timer | None = None

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
        yield from self.compose_footer()

    @property
    def lines(self) -> OrderLinesView:
        return self.query_one("#lines", OrderLinesView)

    def on_mount(self) -> None:
        if self._open_id is not None:
            try:
                self.load(orders.get_order(self._open_id))
            except TuicrmError as e:
                self.notify_error(str(e))
        else:
            self._start_new()
        self.query_one("#code").focus()

    # -- state --------------------------------------------------------------------------------

    def load(self, order: Order) -> None:
        """Show ``order`` (any kind and status; the operations refuse changes to non-drafts)."""
        self.order = order
        self.kind = order.kind
        self.customer_id = order.customer_id
        self.supplier_id = order.supplier_id
        self.valid_until = order.valid_until
        rows = []
        self._raw = {}
        for line in orders.order_lines(order):
            rows.append(_row(line))
            self._raw[line.id] = (line.quantity, line.unit_price, line.discount)
        self.lines.set_rows(rows)
        self._show_header()
        self._show_totals()
        self._fill_edit()
        if order.status != "draft":
            self.status(f"{order.number} is {order.status}: it can no longer be changed", "warn")
        else:
            self.status(f"{order.number} opened: scan to add")

    def _start_new(self, kind: str | None = None) -> None:
        self.order = None
        self.kind = kind or self.KIND
        self.customer_id = None
        self.supplier_id = None
        self.valid_until = None
        self._raw = {}
        self.lines.set_rows([])
        self._show_header()
        self._show_totals()
        self._fill_edit()
        party = "supplier (F2 first)" if self.is_purchase else "customer (F2) or walk-in"
        self.status(f"New {orders.KIND_TITLES[self.kind].lower()}: {party}; scan to add")

    @property
    def is_purchase(self) -> bool:
        return self.kind in ("purchase", "purchase_return")

    def _party_name(self) -> str:
        if self.is_purchase:
            sup = Supplier.get_or_none(Supplier.id == self.supplier_id) if self.supplier_id else None
            return f"Supplier: {sup.code} {sup.name}" if sup else "Supplier: (F2 to choose)"
        cust = Customer.get_or_none(Customer.id == self.customer_id) if self.customer_id else None
        return f"Customer: {cust.code} {cust.name}" if cust else "Customer: walk-in"

    def _show_header(self) -> None:
        title = orders.KIND_TITLES[self.kind]
        if self.order is not None:
            doc = f"{title} {self.order.number} [{self.order.status}]"
        else:
            doc = f"{title} (new)"
        if self.kind == "quote" and self.valid_until:
            doc += f" valid until {self.valid_until.isoformat()}"
        self.query_one("#header", Static).update(Text(f"{doc}  {self._party_name()}"))

    def _show_totals(self) -> None:
        order = self.order
        count = len(self.lines.rows)
        if order is None:
            text = "Lines 0   TOTAL 0.00"
        else:
            text = f"Lines {count}   Subtotal {fmt_money(order.subtotal)}"
            if order.discount:
                text += f"   Discount {fmt_money(order.discount)}"
            text += f"   TOTAL {fmt_money(order.total)}"
        self.query_one("#totals", Static).update(Text(text))

    def status(self, message: str, level: str = "") -> None:
        widget = self.query_one("#status", Static)
        widget.update(Text(message))
        widget.set_class(level == "warn", "-warn")
        widget.set_class(level == "error", "-error")

    def error(self, message: str) -> None:
        self.app.bell()
        self.status(message, "error")

    def _ensure_order(self) -> Order:
        if self.order is None:
            self.order = orders.new_order(
                self.user, self.kind, customer=self.customer_id, supplier=self.supplier_id,
                valid_until=self.valid_until,
            )
            self._show_header()
        return self.order

    def _apply_change(self, change: orders.LineChange) -> None:
        self.order = change.order
        line = change.line
        self._raw[line.id] = (line.quantity, line.unit_price, line.discount)
        self.lines.upsert(_row(line))
        if change.new_line and len(self.lines.rows) == 1:
            self._show_header()
        self._show_totals()
        self.status(change.status_text)
        if not self._editing():
            # The line fields follow the selection a moment after the last scan of a burst
            # (three fewer repaints per scan: less latency, fewer bytes over SSH).
            if self._fill_timer is not None:
                self._fill_timer.stop()
            self._fill_timer = self.set_timer(FILL_DELAY, self._fill_if_idle)

    # -- scanning -----------------------------------------------------------------------------

    def on_scanned(self, event: Scanned) -> None:
        event.stop()
        self.add_code(event.code)

    def add_code(self, text: str) -> None:
        try:
            _, code = products.parse_scan(text)
        except TuicrmError as e:
            self.error(str(e))
            return
        try:
            if self.order is None and products.lookup(code) is None:
                raise NotFound(f"unknown code {code}")
            change = orders.add_scan(self.user, self._ensure_order(), text)
        except NotFound as e:
            self.unknown_code, self.unknown_scan = code, text
            self.app.bell()
            self.status(f"{e}: not added (F6: create a product with this code)", "warn")
            return
        except TuicrmError as e:
            self.error(str(e))
            return
        self._apply_change(change)

    # -- the selected line and its fields -----------------------------------------------------

    def _editing(self) -> bool:
        focused = self.focused
        return focused is not None and focused.id in EDIT_FIELDS

    def _fill_if_idle(self) -> None:
        self._fill_timer = None
        if not self._editing():
            self._fill_edit()

    def _fill_edit(self) -> None:
        row = self.lines.selected
        self._edit_line_id = row.line_id if row else None
        values = self._raw.get(row.line_id) if row else None
        qty, price, disc = values if values else ("", "", "")
        self.query_one("#qty", Input).value = fmt_qty(qty) if values else ""
        self.query_one("#price", Input).value = str(price) if values else ""
        self.query_one("#disc", Input).value = str(disc) if values else ""

    def action_cursor(self, delta: int) -> None:
        self.lines.move_cursor(delta)
        self._fill_edit()

    def action_next_field(self) -> None:
        self.focus_next()

    def action_previous_field(self) -> None:
        self.focus_previous()

    def action_edit_qty(self) -> None:
        if self.lines.selected is None:
            self.error("no line to change: scan a product first")
            return
        self._fill_edit()
        self.query_one("#qty").focus()

    @on(Input.Submitted, "EditInput")
    def _edit_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        line_id = self._edit_line_id
        if self.order is None or line_id is None:
            self.error("no line to change")
            return
        field = event.input.id
        operation = {"qty": orders.set_quantity, "price": orders.set_price,
                     "disc": orders.set_line_discount}[field]
        try:
            line = operation(self.user, self.order, line_id, event.value.strip())
            self.order = orders.get_order(self.order.id)
        except TuicrmError as e:
            self.error(str(e))
            self._fill_edit_for(line_id)
            return
        self._raw[line.id] = (line.quantity, line.unit_price, line.discount)
        self.lines.upsert(_row(line), mark=False)
        self._show_totals()
        self._fill_edit()
        what = {"qty": f"quantity {fmt_qty(line.quantity)}",
                "price": f"price {fmt_money(line.unit_price)}",
                "disc": f"discount {fmt_money(line.discount)}"}[field]
        self.status(f"{line.product.code}: {what}, amount {fmt_money(line.amount)}")
        self.query_one("#code").focus()

    def _fill_edit_for(self, line_id: int) -> None:
        values = self._raw.get(line_id)
        if values is not None:
            self.query_one("#qty", Input).value = fmt_qty(values[0])
            self.query_one("#price", Input).value = str(values[1])
            self.query_one("#disc", Input).value = str(values[2])

    def on_descendant_focus(self, event) -> None:  # noqa: ANN001 - a Textual event
        if getattr(event.widget, "id", None) not in EDIT_FIELDS:
            return
        row = self.lines.selected
        if row is not None and row.line_id != self._edit_line_id:
            self._fill_edit()

    def action_delete_line(self) -> None:
        row = self.lines.selected
        if self.order is None or row is None:
            self.error("no line to delete")
            return
        try:
            self.order = orders.delete_line(self.user, self.order, row.line_id)
        except TuicrmError as e:
            self.error(str(e))
            return
        self._raw.pop(row.line_id, None)
        self.lines.remove(row.line_id)
        self._show_totals()
        self._fill_edit()
        self.status(f"line {row.code} {row.name} deleted")

    def action_order_discount(self) -> None:
        if self.order is None:
            self.error("no order yet: scan a product first")
            return
        order = self.order

        def submit(values: dict[str, str]) -> Order:
            return orders.set_order_discount(self.user, order, values["discount"].strip())

        form = FormDialog("Discount on the whole order (an amount)",
                          [FormField("discount", "Discount", str(order.discount))],
                          submit=submit, submit_label="Apply")

        def done(values: dict[str, str] | None) -> None:
            if values is not None and isinstance(form.result, Order):
                self.order = form.result
                self._show_totals()
                self.status(f"order discount {fmt_money(form.result.discount)}")

        self.app.push_screen(form, done)

    # -- customer / supplier and products ---------------------------------------------------------

    def action_party(self) -> None:
        if self.is_purchase:
            self._pick_supplier()
        else:
            self._pick_customer()

    def _pick_customer(self) -> None:
        if self.kind == "sale_return":
            self.error("the customer of a return is the one of its sale")
            return
        user = self.user

        def search(text: str) -> list[tuple[str, int]]:
            return [(f"{c.code}  {c.name}  {c.phone or c.mobile}", c.id)
                    for c in search_customers(user, text, 20)]

        fixed = [("(walk-in customer)", WALK_IN)] if self.kind == "sale" else []
        self.app.push_screen(PickDialog("Customer: code, name or phone", search, fixed=fixed),
                             self._customer_chosen)

    def _customer_chosen(self, value: int | None) -> None:
        if value is None:
            return
        cid = None if value == WALK_IN else value
        if self.order is not None:
            try:
                self.order = orders.set_customer(self.user, self.order, cid)
            except TuicrmError as e:
                self.error(str(e))
                return
            self.load(self.order)
        self.customer_id = cid
        self._show_header()
        self.status(self._party_name())
        self.query_one("#code").focus()

    def _pick_supplier(self) -> None:
        if self.order is not None:
            self.error("the supplier of an order is fixed once it has lines")
            return
        user = self.user

        def search(text: str) -> list[tuple[str, int]]:
            return [(f"{s.code}  {s.name}  {s.phone}", s.id)
                    for s in party_lists.pick_suppliers(user, text)]

        def chosen(value: int | None) -> None:
            if value is None:
                return
            self.supplier_id = value
            self._show_header()
            self.status(self._party_name() + ": scan to add")
            self.query_one("#code").focus()

        self.app.push_screen(PickDialog("Supplier: code or name", search), chosen)

    def action_find_product(self) -> None:
        def search(text: str) -> list[tuple[str, int]]:
            return [(f"{p.code}  {p.name}  {p.spec}  {fmt_money(p.price1)}", p.id)
                    for p in products.search_products(self.user, text, limit=20)]

        def chosen(value: int | None) -> None:
            self.query_one("#code").focus()
            if value is None:
                return
            try:
                change = orders.add_line(self.user, self._ensure_order(), value, 1)
            except TuicrmError as e:
                self.error(str(e))
                return
            self._apply_change(change)

        self.app.push_screen(PickDialog("Find a product: code or name", search), chosen)

    def action_create_product(self) -> None:
        code = self.unknown_code
        if not code:
            self.error("no unknown code was scanned")
            return
        scan = self.unknown_scan or code
        fields = [
            FormField("name", "Name", ""),
            FormField("code", "Product code", code),
            FormField("barcodes", "Barcode", code),
            FormField("price1", "Retail price", ""),
        ]
        if products.can_see_cost(self.user):
            fields.append(FormField("cost", "Cost", ""))
        user = self.user

        def create(values: dict[str, str]):
            extra = {k: values[k] for k in ("price1", "cost") if values.get(k, "").strip()}
            return product_edit.create_with_barcodes(
                user, values["barcodes"], code=values["code"], name=values["name"], **extra
            )

        form = FormDialog(f"New product for code {code}", fields, submit=create,
                          submit_label="Create")

        def done(values: dict[str, str] | None) -> None:
            self.query_one("#code").focus()
            if values is None:
                return
            self.unknown_code = self.unknown_scan = None
            self.add_code(scan)

        self.app.push_screen(form, done)

    # -- saving and completing ----------------------------------------------------------------

    def _after_pending(self, callback) -> None:  # noqa: ANN001 - a method
        """Run ``callback`` after every scan already read is on the order.

        A key binding runs at once, but scans read before it may still be queued: at the code
        field (which hands them on to this screen) and on this screen. Going through both
        queues puts ``callback`` behind them (F10 straight after a burst sells every item)."""
        code = self.query_one("#code")
        code.call_later(lambda: self.call_later(callback))

    def _finished(self, message: str, *, warnings: list[str] | None = None) -> None:
        for warning in warnings or []:
            self.notify(warning, severity="warning", markup=False, timeout=15)
        self._start_new(self.KIND if self.kind != "quote" else "sale")
        self.status(message)

    def action_save_draft(self) -> None:
        self._after_pending(self._save_draft)

    def _save_draft(self) -> None:
        if self.order is None:
            self.status("nothing to save yet: scan a product")
            return
        order = self.order
        self._finished(f"{orders.KIND_TITLES[order.kind]} {order.number} kept as a draft "
                       f"(total {fmt_money(order.total)}); reopen it from Orders")

    def action_save_quote(self) -> None:
        self._after_pending(self._save_quote)

    def _save_quote(self) -> None:
        if self.kind not in ("sale", "quote"):
            self.error("only a sale can become a quote")
            return
        if self.customer_id is None:
            self.error("a quote is made out to a customer: F2 first")
            return
        default = self.valid_until or clock.today() + dt.timedelta(days=30)

        def submit(values: dict[str, str]) -> dt.date:
            from ..data.core.errors import ValidationError

            try:
                date = dt.date.fromisoformat(values["valid_until"].strip())
            except ValueError:
                raise ValidationError({"valid_until": "a date as YYYY-MM-DD"}) from None
            self._make_quote(date)
            return date

        form = FormDialog("Save as a quote", [FormField("valid_until", "Valid until",
                                                        default.isoformat())],
                          submit=submit, submit_label="Save quote")
        self.app.push_screen(form, lambda values: self._quote_saved(form, values))

    def _make_quote(self, valid_until: dt.date) -> None:
        """Runs inside the form: a ValidationError shows next to the date."""
        if self.order is None:
            self.kind, self.valid_until = "quote", valid_until
            return
        if self.order.kind == "quote":
            self.order = orders.set_valid_until(self.user, self.order, valid_until)
            self.valid_until = valid_until
            return
        # A sale draft becomes a quote (one transaction in the operation).
        quote = orders.sale_to_quote(self.user, self.order, valid_until)
        self.order = orders.get_order(quote.id)

    def _quote_saved(self, form: FormDialog, values: dict[str, str] | None) -> None:
        if values is None:
            return
        if self.order is None:
            self._show_header()
            self.status(f"New quote valid until {self.valid_until}: scan to add")
            return
        order = self.order
        self._finished(f"Quote {order.number} saved, valid until {order.valid_until} "
                       f"(total {fmt_money(order.total)})")

    def action_confirm(self) -> None:
        self._after_pending(self._confirm)

    def _confirm(self) -> None:
        if self.order is None or self.kind not in ("sale", "purchase"):
            self.error("F9 confirms a sale or purchase order with lines")
            return
        try:
            order = orders.confirm(self.user, self.order)
        except TuicrmError as e:
            self.error(str(e))
            return
        later = "receive it" if self.kind == "purchase" else "deliver it"
        self._finished(f"{order.number} confirmed: {later} later from Orders")

    def action_complete(self) -> None:
        self._after_pending(self._complete)

    def _complete(self) -> None:
        if self.order is None:
            self.error("nothing to complete: scan a product first")
            return
        kind = self.kind
        try:
            if kind == "quote":
                sale = orders.convert_quote(self.user, self.order)
                self.load(sale)
                self.status(f"Quote turned into sales order {sale.number}: F10 to complete")
                return
            if kind == "sale":
                result = orders.complete_sale(self.user, self.order)
            elif kind == "purchase":
                result = orders.receive(self.user, self.order)
            else:
                result = orders.complete_return(self.user, self.order)
        except InsufficientStock as e:
            self.error(f"not completed, nothing changed: {e}")
            return
        except TuicrmError as e:
            self.error(str(e))
            return
        order = result.order
        if kind == "sale":
            self._offer_receipt(order, result.warnings)
            return
        verb = {"purchase": "received: stock in", "sale_return": "booked: stock back in",
                "purchase_return": "booked: stock out to the supplier"}[kind]
        self._finished(f"{order.number} {verb}", warnings=result.warnings)

    def _offer_receipt(self, order: Order, warnings: list[str]) -> None:
        message = f"Sale {order.number} completed, total {fmt_money(order.total)}"
        try:
            text = documents.receipt_text(order, receipt_width())
        except TuicrmError as e:
            self._finished(f"{message} (no receipt: {e})", warnings=warnings)
            return
        dialog = ReceiptDialog(text, f"receipt-{order.number}.txt",
                               notes=[message, *warnings])
        self._finished(message, warnings=warnings)
        self.app.push_screen(dialog, lambda _: self.query_one("#code").focus())

    def action_new_order(self) -> None:
        self._after_pending(self._new_order)

    def _new_order(self) -> None:
        if self.order is not None:
            self._save_draft()
        else:
            self._start_new()

    def action_back(self) -> None:
        if self._editing():
            self._fill_edit()
            self.query_one("#code").focus()
            return
        if self.order is not None and self.order.status == "draft" and self.lines.rows:
            self.notify(f"{self.order.number} kept as a draft; reopen it from Orders",
                        markup=False)
        super().action_back()


class PurchaseEntryScreen(OrderEntryScreen):
    """The same entry for purchase orders to suppliers: F2 picks the supplier, F10 receives."""

    KIND = "purchase"
    TITLE_TEXT = "Purchase (receiving)"
    HELP = (
        "F2 picks the supplier first; then scan or type codes (3*code for three). F10 "
        "receives the goods (stock in); F9 confirms the order to receive later from Orders; "
        "F7 keeps it as a draft."
    )
