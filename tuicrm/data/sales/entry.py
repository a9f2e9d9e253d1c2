"""Order entry without a screen: the state of the order being entered and what each of the
user's actions does to it. No Textual here: tests drive it with plain calls, and the screen
(``screens/order_entry.py``) only passes the user's actions on and draws the ``EntryView``
each of them returns.

State: the kind of order, the order (None until its first line: the draft and its first line
are made in ONE transaction by ``start_order``, so a refused first scan leaves nothing), its
lines, the selected line, the customer or supplier chosen, a quote's validity, the status line;
it lives in ``entry_state.EntryState`` with the texts the screen shows of it. What the F2 and
F4 pickers and the F6 product form look up is ``entry_dialogs.EntryDialogs``; both are bases
of ``OrderEntry``, whose own methods here are the user's actions.
Scan routing: ``N*code`` adds N; a repeat scan by any of the product's barcodes adds to its
line; an unknown code is a warning (and a bell), never an error that stops the next scan.
The keys' meaning per kind (F8 quote, F9 confirm, F10 complete) is ``entry_rules.KIND_RULES``.

Not thread-safe: the screen calls it from one writer thread, in the order the user acted.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec

from ...i18n import _
from ..core import settings
from ..core.errors import InsufficientStock, TuicrmError, ValidationError
from ..core.formats import fmt_amount, fmt_date
from ..core.money import fmt_money, fmt_qty
from ..core.vocab import OrderKind, OrderStatus, shown_word
from ..money import entry_money
from . import counter_products, orders
from .entry_dialogs import EntryDialogs
from .entry_rules import KIND_RULES, EntryView, Finished, Level, LineField
from .entry_state import EntryState
from .reading import Party
from .rows import LineChange, LineEdit, OrderHeader, OrderLineRow
from .rules import RETURN_OF, UnknownCode, fmt_rate, order_kind

P = ParamSpec("P")


def _action(
    method: Callable[Concatenate[OrderEntry, P], None],
) -> Callable[Concatenate[OrderEntry, P], EntryView]:
    """A user action: starts with a clean outcome, turns a refusal into the status line (and a
    bell), and returns what the screen shows next."""

    @functools.wraps(method)
    def run(self: OrderEntry, /, *args: P.args, **kwargs: P.kwargs) -> EntryView:
        self._bell, self._notes, self._finished, self._approval = False, [], None, ""
        try:
            method(self, *args, **kwargs)
        except InsufficientStock as e:
            self._fail(_("not completed, nothing changed: {error}").format(error=e))
        except TuicrmError as e:
            self._fail(str(e))
        return self.view()

    return run


class OrderEntry(EntryState, EntryDialogs):
    """One operator's order entry (see the module docstring)."""

    # -- opening ------------------------------------------------------------------------------

    def _show(self, order: OrderHeader, lines: list[OrderLineRow]) -> None:
        self._reset(order.kind)
        self.order, self.lines, self.valid_until = order, lines, order.valid_until
        if order.customer_id is not None:
            self.customer = Party(order.customer_id, order.customer_code, order.customer_name)
        if order.supplier_id is not None:
            self.supplier = Party(order.supplier_id, order.supplier_code, order.supplier_name)
        self.selected_id = lines[0].id if lines else None

    @_action
    def open(self, order_id: int) -> None:
        """Show an order of any kind and status (only drafts can be changed)."""
        document = orders.order_document(self.actor, order_id)
        self._show(document.order, list(document.lines))
        if document.order.is_draft:
            self._set_status(_("{number} opened: scan to add").format(
                number=document.order.number))
        else:
            self._set_status(_("{number} is {status}: it can no longer be changed").format(
                number=document.order.number, status=shown_word(document.order.status_word)),
                Level.WARN)

    @_action
    def open_return(self, source_id: int) -> None:
        """A new return of the delivered order ``source_id``, made with its first line."""
        source = orders.get_order(self.actor, source_id)
        kind = RETURN_OF.get(source.kind)
        if kind is None or source.status != OrderStatus.DELIVERED:
            raise ValidationError(_("{number} is {status}: only delivered sales and purchases "
                                    "are returned").format(
                                        number=source.number,
                                        status=shown_word(source.status_word)))
        self._reset(kind)
        self.source = source
        if source.customer_id is not None:
            self.customer = Party(source.customer_id, source.customer_code, source.customer_name)
        if source.supplier_id is not None:
            self.supplier = Party(source.supplier_id, source.supplier_code, source.supplier_name)
        self._set_status(self._new_text())

    @_action
    def new(self, kind: OrderKind | str | None = None) -> None:
        """Start a new order (of the screen's kind unless told)."""
        self._reset(order_kind(kind) if kind else self.home_kind)

    # -- scanning -----------------------------------------------------------------------------

    @_action
    def scan(self, text: str) -> None:
        """A scan or a typed code (``N*code``): adds to the order (making it if need be)."""
        try:
            if self.order is None:
                change = orders.start_order(self.actor, self.kind, text, **self._new_order())
            else:
                change = orders.add_scan(self.actor, self.order.id, text)
        except UnknownCode as e:
            self.unknown_code, self.unknown_scan = e.code, text
            self._fail(_("{error}: not added (F6: create a product with this code or link it "
                         "to one)").format(error=e), Level.WARN)
            return
        self._changed(change)

    @_action
    def add_product(self, product_id: int, quantity: Any = 1) -> None:
        """A product picked by name (F4)."""
        if self.order is None:
            change = orders.start_order(self.actor, self.kind, product_id=product_id,
                                        quantity=quantity, **self._new_order())
        else:
            change = orders.add_line(self.actor, self.order.id, product_id, quantity)
        self._changed(change)

    def _new_order(self) -> dict[str, Any]:
        return {
            "customer_id": self.customer.id if self.customer and not self.source else None,
            "supplier_id": self.supplier.id if self.supplier and not self.source else None,
            "valid_until": self.valid_until if self.kind == OrderKind.QUOTE else None,
            "source_id": self.source.id if self.source else None,
        }

    def _changed(self, change: LineChange) -> None:
        self.order = change.order
        self.source = None
        self._put_line(change.line)
        self.selected_id = self.changed_id = change.line.id
        self._set_status(change.status_text)

    def _put_line(self, line: OrderLineRow) -> None:
        for index, old in enumerate(self.lines):
            if old.id == line.id:
                self.lines[index] = line
                return
        self.lines.append(line)

    # -- the lines ----------------------------------------------------------------------------

    @_action
    def select(self, line_id: int | None) -> None:
        self.selected_id = line_id

    @_action
    def edit_line(self, line_id: int, field: LineField | str, text: str) -> None:
        """Set the quantity, price or discount of a line from what was typed."""
        if self.order is None:
            raise ValidationError(_("no line to change: scan a product first"))
        field = LineField(field)
        operation = {LineField.QUANTITY: orders.set_quantity, LineField.PRICE: orders.set_price,
                     LineField.DISCOUNT: orders.set_line_discount}[field]
        edit: LineEdit = operation(self.actor, self.order.id, line_id, text.strip())
        self.order = edit.order
        self._put_line(edit.line)
        line = edit.line
        what = {LineField.QUANTITY: _("quantity {quantity}").format(
                    quantity=fmt_qty(line.quantity)),
                LineField.PRICE: _("price {price}").format(price=fmt_money(line.unit_price)),
                LineField.DISCOUNT: _("discount {discount}").format(
                    discount=fmt_money(line.discount)) + (
                    f" ({fmt_rate(line.discount_rate)})" if line.discount_rate else "")}[field]
        self._set_status(_("{code}: {what}, amount {amount}").format(
            code=line.product_code, what=what, amount=fmt_amount(line.amount)))

    @_action
    def delete_line(self, line_id: int) -> None:
        if self.order is None:
            raise ValidationError(_("no line to delete"))
        line = next((ln for ln in self.lines if ln.id == line_id), None)
        self.order = orders.delete_line(self.actor, self.order.id, line_id)
        self.lines = [ln for ln in self.lines if ln.id != line_id]
        if self.changed_id == line_id:
            self.changed_id = None
        if self.selected_id == line_id:
            self.selected_id = self.lines[-1].id if self.lines else None
        name = f"{line.product_code} {line.product_name}" if line else f"#{line_id}"
        self._set_status(_("line {name} deleted").format(name=name))

    @_action
    def set_order_discount(self, text: str) -> None:
        if self.order is None:
            raise ValidationError(_("no order yet: scan a product first"))
        self.order = orders.set_order_discount(self.actor, self.order.id, text.strip())
        rate = self.order.discount_rate
        self._set_status(_("order discount {discount}").format(
            discount=fmt_amount(self.order.discount)) + (f" ({fmt_rate(rate)})" if rate else ""))

    # -- customer / supplier ------------------------------------------------------------------

    @_action
    def choose_customer(self, customer_id: int | None) -> None:
        """The sale's or quote's customer (None: walk-in); a draft's lines are repriced."""
        if self.kind.is_purchase or self.rules.party_fixed:
            raise ValidationError(_("the customer of a return is the one of its sale"))
        if self.order is not None:
            self.order = orders.set_customer(self.actor, self.order.id, customer_id)
            self.lines = orders.order_lines(self.actor, self.order.id)
        self.customer = (orders.customer_party(self.actor, customer_id)
                         if customer_id is not None else None)
        self._set_status(self._party_text())

    @_action
    def choose_supplier(self, supplier_id: int) -> None:
        if self.kind.is_sales or self.rules.party_fixed:
            raise ValidationError(_("the supplier of a return is the one of its purchase"))
        if self.order is not None:
            raise ValidationError(_("the supplier of an order is fixed once it has lines"))
        self.supplier = orders.supplier_party(self.actor, supplier_id)
        self._set_status(_("{party}: scan to add").format(party=self._party_text()))

    @_action
    def link_code(self, product_id: int) -> None:
        """F6, then F4: the last unknown code becomes a barcode of ``product_id`` and the
        scan that was refused is added."""
        code, scan = self.unknown_code, self.unknown_scan or self.unknown_code
        if not code or not scan:
            raise ValidationError(_("no unknown code was scanned"))
        counter_products.link_code(self.actor, product_id, code)
        self.unknown_code = self.unknown_scan = None
        if self.order is None:
            change = orders.start_order(self.actor, self.kind, scan, **self._new_order())
        else:
            change = orders.add_scan(self.actor, self.order.id, scan)
        self._changed(change)
        self._set_status(_("{code} is now a barcode of {product}; {change}").format(
            code=code, product=f"{change.line.product_code} {change.line.product_name}",
            change=change.status_text))

    # -- keeping, confirming, completing ------------------------------------------------------

    def _finish(self, message: str, **details: Any) -> None:
        assert self.order is not None
        self._finished = Finished(self.order, message, **details)
        self._notes.extend(self._finished.warnings)
        self._reset(self.home_kind if self.home_kind != OrderKind.QUOTE else OrderKind.SALE)
        self._set_status(message)

    @_action
    def keep_draft(self) -> None:
        """F7 (and Ctrl+N): the draft stays as it is (every line is saved already); a new
        order starts."""
        if self.order is None:
            self._reset(self.home_kind)
            self._set_status(_("nothing to save yet: scan a product"))
            return
        order = self.order
        if not order.is_draft:
            self._reset(self.home_kind)
            self._set_status(_("{number} is {status}; a new order starts").format(
                number=order.number, status=shown_word(order.status_word)))
            return
        self._finish(_("{title} {number} kept as a draft (total {total}); reopen it from "
                       "Orders").format(title=order.title, number=order.number,
                                        total=fmt_amount(order.total)))

    @_action
    def save_as_quote(self, valid_until: dt.date) -> None:
        """F8: a draft sale becomes a quote (one transaction); a quote gets a new validity
        date; with no order yet, the next scan starts a quote."""
        refusal = self.view().quote_refusal()
        if refusal:
            raise ValidationError(refusal)
        if self.order is None:
            self.kind, self.valid_until = OrderKind.QUOTE, valid_until
            self._set_status(_("New quote valid until {date}: scan to add").format(
                date=fmt_date(valid_until)))
            return
        if self.order.kind == OrderKind.QUOTE:
            self.order = orders.set_valid_until(self.actor, self.order.id, valid_until)
        else:
            self.order = orders.sale_to_quote(self.actor, self.order.id, valid_until)
        self._finish(_("Quote {number} saved, valid until {date} (total {total})").format(
            number=self.order.number, date=fmt_date(self.order.valid_until),
            total=fmt_amount(self.order.total)))

    @_action
    def confirm(self) -> None:
        """F9: a sale or purchase is confirmed, to deliver or receive later from Orders."""
        later = self.rules.confirm
        if self.order is None or later is None:
            raise ValidationError(_("F9 confirms a sale or purchase order with lines"))
        self.order = orders.confirm(self.actor, self.order.id)
        self._finish(_("{number} confirmed: {later} later from Orders").format(
            number=self.order.number, later=_(later)))

    @_action
    def complete(self) -> None:
        """F10, by kind: a sale is completed (stock out, receipt), a quote becomes a sales
        order, a purchase is received, a return is booked."""
        if self.order is None:
            raise ValidationError(_("nothing to complete: scan a product first"))
        kind = self.order.kind
        if kind == OrderKind.QUOTE:
            sale = orders.convert_quote(self.actor, self.order.id)
            self._show(sale, orders.order_lines(self.actor, sale.id))
            self._set_status(_("Quote turned into sales order {number}: F10 to complete").format(
                number=sale.number))
            return
        if kind == OrderKind.SALE:
            result = orders.complete_sale(self.actor, self.order.id)
            self.order = result.order
            self._finish(_("Sale {number} completed, total {total}").format(
                             number=result.order.number, total=fmt_amount(result.order.total)),
                         warnings=tuple(result.warnings),
                         document=orders.order_document(self.actor, result.order.id),
                         receipt_width=settings.value(settings.RECEIPT_WIDTH))
            return
        if kind == OrderKind.PURCHASE:
            result = orders.receive(self.actor, self.order.id)
        else:
            result = orders.complete_return(self.actor, self.order.id)
        self.order = result.order
        self._finish(f"{result.order.number} {_(KIND_RULES[kind].completed)}",
                     warnings=tuple(result.warnings))

    @_action
    def pay(self, tenders: list[Any], supervisor: tuple[str, str] | None = None) -> None:
        """F10 on a sale, with how it was paid (``money.counter.Tender``s; the rest on the
        customer's account). Over a blocking credit limit, ``view().approval`` says why and
        the screen asks a supervisor, whose name and password come back in ``supervisor``."""
        if self.order is None or self.order.kind != OrderKind.SALE:
            raise ValidationError(_("F10 takes payment for a sale with lines"))
        outcome = entry_money.pay(self.actor, self.order.id, tenders, supervisor)
        if outcome.approval:
            self._approval = outcome.approval
            self._fail(outcome.approval, Level.WARN)
            return
        paid = outcome.paid
        assert paid is not None
        self.order = paid.sale.order
        self._finish(entry_money.paid_message(paid), warnings=paid.warnings,
                     document=orders.order_document(self.actor, paid.sale.order.id),
                     receipt_width=settings.value(settings.RECEIPT_WIDTH))
