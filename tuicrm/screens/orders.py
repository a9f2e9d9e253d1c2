"""Orders (O2-O5): every quote, sales order, purchase and return, with the list tools (L1-L6).

Opens on the open documents (draft or confirmed); **o** shows all. Enter reopens one in order
entry (a draft to go on scanning; anything else to look at). From the list: **v** turns a quote
into a sales order, **d** delivers a confirmed sale (stock out), **i** receives a purchase
(stock in), **t** starts a return of a delivered sale or purchase, **k** cancels.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from textual.binding import Binding

from ..data.core.errors import TuicrmError
from ..data.core.money import fmt_money
from ..data.core.permissions import ACTIONS, allowed
from ..data.core.vocab import OrderStatus
from ..data.sales import orders
from ..data.sales.lists import ORDERS
from ..data.sales.rows import OrderHeader
from ..data.sales.rules import RETURN_OF, stock_permission
from ..i18n import _
from ..widgets.background import run_in_thread
from ..widgets.dialogs import ConfirmDialog
from .list_screen import ListScreen

T = TypeVar("T")


class OrdersScreen(ListScreen):
    TITLE_TEXT = "Orders"
    LIST = ORDERS
    HELP = (
        "Quotes, sales orders, purchases and returns, newest first; open ones only until you "
        "press O. Enter reopens one in order entry. V: quote -> sales order; D: deliver a "
        "confirmed sale; I: receive a purchase; T: return goods of a delivered order; "
        "K: cancel."
    )
    BINDINGS = [
        Binding("o", "toggle_open", "Open/all", id="orders.open"),
        Binding("v", "convert", "Quote->order", id="orders.convert"),
        Binding("d", "deliver", "Deliver", id="orders.deliver"),
        Binding("i", "receive", "Receive", id="orders.receive"),
        Binding("t", "return_goods", "Return", id="orders.return"),
        Binding("k", "cancel_order", "Cancel", id="orders.cancel", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.open_only = True

    def list_options(self) -> dict[str, Any]:
        return {"open_only": self.open_only}

    def status_parts(self) -> list[str]:
        parts = super().status_parts()
        return ["open only (O: all)" if self.open_only else "all (O: open only)", *parts]

    def action_toggle_open(self) -> None:
        self.open_only = not self.open_only
        self.reload()

    # -- acting on the selected order ---------------------------------------------------------

    def _current(self) -> OrderHeader | None:
        row_id = self.table.cursor_row_id
        if row_id is None:
            self.notify_error("no order selected")
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
        self._run("not converted", lambda: orders.convert_quote(user, order.id),
                  lambda sale: self.notify(
                      f"Quote {order.number} is now sales order {sale.number}.", markup=False))

    def action_deliver(self) -> None:
        """D: deliver a confirmed sale - stock goes out, which cannot be undone, so it asks."""
        if self.refused(orders.deliver):
            return
        order, user = self._current(), self.user
        if order is None:
            return
        self._ask_stock(order, _("Deliver {number} to {party} ({total})? Its stock goes out; "
                                 "this cannot be undone (a return takes goods back)."),
                        _("Deliver"), _("not delivered"), lambda: orders.deliver(user, order.id),
                        _("{number} delivered: stock out."))

    def action_receive(self) -> None:
        """I: receive a purchase - stock comes in, which cannot be undone, so it asks."""
        if self.refused(orders.receive):
            return
        order, user = self._current(), self.user
        if order is None:
            return
        self._ask_stock(order, _("Receive {number} from {party} ({total})? Its stock comes "
                                 "in; this cannot be undone (a return to the supplier takes "
                                 "it out)."),
                        _("Receive"), _("not received"), lambda: orders.receive(user, order.id),
                        _("{number} received: stock in."))

    def _ask_stock(self, order: OrderHeader, question: str, yes: str, failed: str,
                   operation: Callable[[], orders.StockResult], done: str) -> None:
        """Ask before an irreversible stock change; then run it off the UI thread."""
        needed = stock_permission(order.kind, order.status)
        if needed is not None and not allowed(self.user, needed):
            self.notify_error(_("Not allowed: you may not {what}.").format(
                what=ACTIONS[needed][0].lower() + ACTIONS[needed][1:]))
            return
        text = question.format(number=order.number, party=order.party,
                               total=fmt_money(order.total))

        def answer(sure: bool | None) -> None:
            if sure:
                self._run(failed, operation, lambda result: self._stock_done(
                    done.format(number=order.number), result))

        self.app.push_screen(ConfirmDialog(text, yes=yes, no=_("Not now")), answer)

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
            self.notify_error(f"no return: {order.number} is a {order.status_word} {order.kind}; "
                              "only delivered sales and purchases come back")
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
                self._run("not cancelled", lambda: orders.cancel(user, order.id),
                          lambda _: self.notify(f"{order.number} cancelled.", markup=False))

        self.app.push_screen(ConfirmDialog(
            f"Cancel {order.number} ({fmt_money(order.total)})?", yes="Cancel it", no="Keep"
        ), answer)
