"""Orders (O2-O5): every quote, sales order, purchase and return, with the list tools (L1-L6).

Opens on the open documents (draft or confirmed); **o** shows all. Enter reopens one in order
entry (a draft to go on scanning; anything else to look at). From the list: **v** turns a quote
into a sales order, **d** delivers a confirmed sale (stock out), **i** receives a purchase
(stock in), **t** starts a return of a delivered sale or purchase, **k** cancels, **p**
prints one of its documents (receipt, invoice, delivery note, contract, purchase order).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from textual.binding import Binding

from ..data.core.errors import TuicrmError
from ..data.core.money import fmt_money, fmt_qty
from ..data.core.permissions import ACTIONS, allowed
from ..data.core.vocab import OrderStatus, shown_word
from ..data.sales import orders
from ..data.sales.lists import ORDERS
from ..data.sales.rows import OrderHeader
from ..data.sales.rules import RETURN_OF, stock_permission
from ..i18n import N_, _
from ..reports.text import cut
from ..widgets.background import run_in_thread
from ..widgets.dialogs import ConfirmDialog
from ..widgets.form import FormField
from ..widgets.saving_form import SavingFormDialog
from .list_screen import ListScreen

T = TypeVar("T")


class OrdersScreen(ListScreen):
    TITLE_TEXT = N_("Orders")
    LIST = ORDERS
    HELP = (
        N_("Quotes, sales orders, purchases and returns, newest first; open ones only until you "
        "press O. Enter reopens one in order entry. V: quote -> sales order; D: deliver a "
        "confirmed sale; I: receive a purchase; T: return goods of a delivered order; "
        "K: cancel; P: print a document of the order (preview, then a printer or a file).")
    )
    BINDINGS = [
        Binding("o", "toggle_open", "Open/all", id="orders.open"),
        Binding("v", "convert", "Quote->order", id="orders.convert"),
        Binding("d", "deliver", "Deliver", id="orders.deliver"),
        Binding("i", "receive", "Receive", id="orders.receive"),
        Binding("t", "return_goods", "Return", id="orders.return"),
        Binding("k", "cancel_order", "Cancel", id="orders.cancel", show=False),
        Binding("p,ctrl+o", "documents", "Documents", id="orders.documents"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.open_only = True

    def list_options(self) -> dict[str, Any]:
        return {"open_only": self.open_only}

    def status_parts(self) -> list[str]:
        parts = super().status_parts()
        return [_("open only (O: all)") if self.open_only else _("all (O: open only)"), *parts]

    def action_toggle_open(self) -> None:
        self.open_only = not self.open_only
        self.reload()

    # -- acting on the selected order ---------------------------------------------------------

    def _current(self) -> OrderHeader | None:
        row_id = self.table.cursor_row_id
        if row_id is None:
            self.notify_error(_("no order selected"))
            return None
        try:
            return orders.get_order(self.user, row_id)
        except TuicrmError as e:
            self.notify_error(str(e))
            return None

    def on_list_selected(self, row_id: Any) -> None:
        if row_id is not None:
            self.open_order(row_id)

    def open_order(self, order_id: int) -> None:
        from .order_entry import OrderEntryScreen

        self.app.push_screen(OrderEntryScreen(order_id), lambda _: self.reload())

    def _run(self, what: str, operation: Callable[[], T], done: Callable[[T], None]) -> None:
        """Run ``operation`` (a write, which may wait on another terminal) off the UI thread;
        then reload the list and call ``done`` with its result, or say why it was refused."""

        def finish(result: T) -> None:
            self.reload()
            done(result)

        run_in_thread(self, operation, finish,
                      lambda e: self.notify_error(f"{what}: {e}"), name="order-action")

    def action_convert(self) -> None:
        if self.refused(orders.convert_quote):
            return
        order, user = self._current(), self.user
        if order is None:
            return
        self._run(_("not converted"), lambda: orders.convert_quote(user, order.id),
                  lambda sale: self.notify(
                      _("Quote {quote} is now sales order {sale}.").format(
                          quote=order.number, sale=sale.number), markup=False))

    def action_documents(self) -> None:
        """Print a document of the order under the cursor (preview, printer or file)."""
        from .print_dialogs import open_documents

        row_id = self.table.cursor_row_id
        if row_id is None:
            self.notify_error(_("no order selected"))
            return
        open_documents(self, int(row_id))

    def action_deliver(self) -> None:
        """D: deliver a confirmed sale, all of it or part of each line. Stock going out cannot
        be undone, so a form asks first, with each line's open quantity filled in."""
        if self.refused(orders.deliver):
            return
        order = self._current()
        if order is not None:
            self._move_form(order, deliver=True)

    def action_receive(self) -> None:
        """I: receive a purchase, all of it or part of each line (the rest stays open)."""
        if self.refused(orders.receive):
            return
        order = self._current()
        if order is not None:
            self._move_form(order, deliver=False)

    def _move_form(self, order: OrderHeader, *, deliver: bool) -> None:
        """The quantities to deliver / receive now, one field per open line."""
        needed = stock_permission(order.kind, order.status)
        if needed is not None and not allowed(self.user, needed):
            self.notify_error(_("Not allowed: you may not {what}.").format(
                what=ACTIONS[needed][0].lower() + ACTIONS[needed][1:]))
            return
        user = self.user
        try:
            lines = [ln for ln in orders.order_lines(user, order.id) if ln.open_quantity > 0]
        except TuicrmError as e:
            self.notify_error(str(e))
            return
        if not lines:
            self.notify_error((_("{number} is {status}: nothing left to deliver.") if deliver
                               else _("{number} is {status}: nothing left to receive.")).format(
                number=order.number, status=order.status_word))
            return
        fields = [FormField(f"line{ln.line_no}", cut(f"{ln.product_code} {ln.product_name}", 18),
                            fmt_qty(ln.open_quantity),
                            placeholder=_("open {n}").format(n=fmt_qty(ln.open_quantity)))
                  for ln in lines]
        by_field = {f"line{ln.line_no}": ln.id for ln in lines}
        title = (_("Deliver {number} to {party} ({total}): the quantity of each line going out "
                   "now; the rest stays open. Stock out cannot be undone.") if deliver else
                 _("Receive {number} from {party} ({total}): the quantity of each line coming "
                   "in now; the rest stays open. Stock in cannot be undone.")).format(
            number=order.number, party=order.party, total=fmt_money(order.total))
        operation = orders.deliver if deliver else orders.receive

        def submit(values: dict[str, str]) -> orders.StockResult:  # in a thread worker
            return operation(user, order.id, {by_field[k]: v for k, v in values.items()})

        form = SavingFormDialog(title, fields, submit=submit,
                                submit_label=_("Deliver") if deliver else _("Receive"))

        def done(values: dict[str, str] | None) -> None:
            result = form.result
            if values is None or not isinstance(result, orders.StockResult):
                return
            self.reload()
            fresh = result.order
            left = fresh.status != OrderStatus.DELIVERED
            if deliver:
                message = (_("{number} partly delivered: the rest stays open.") if left
                           else _("{number} delivered: stock out."))
            else:
                message = (_("{number} partly received: the rest stays open.") if left
                           else _("{number} received: stock in."))
            message = message.format(number=fresh.number)
            self._stock_done(message, result)

        self.app.push_screen(form, done)

    def _stock_done(self, message: str, result: orders.StockResult) -> None:
        self.notify(message, markup=False)
        for warning in result.warnings:
            self.notify(warning, severity="warning", markup=False, timeout=15)

    def action_return_goods(self) -> None:
        """A return of the selected delivered sale or purchase, in order entry (made with the
        first item scanned back)."""
        order = self._current()
        if order is None:
            return
        if order.kind not in RETURN_OF or order.status != OrderStatus.DELIVERED:
            self.notify_error(_("no return: {number} is {status}; only delivered sales and "
                                "purchases come back").format(number=order.number,
                                                              status=shown_word(order.status_word)))
            return
        from .order_entry import OrderEntryScreen

        self.app.push_screen(OrderEntryScreen(return_of=order.id), lambda _: self.reload())

    def action_cancel_order(self) -> None:
        if self.refused(orders.cancel):
            return
        order, user = self._current(), self.user
        if order is None:
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self._run(_("not cancelled"), lambda: orders.cancel(user, order.id),
                          lambda _row: self.notify(
                              _("{number} cancelled.").format(number=order.number), markup=False))

        self.app.push_screen(ConfirmDialog(
            _("Cancel {number} ({total})?").format(number=order.number,
                                                   total=fmt_money(order.total)),
            yes=_("Cancel it"), no=_("Keep")
        ), answer)
