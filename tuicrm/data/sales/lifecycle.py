"""An order's life after its lines: confirm, deliver (stock out), receive (stock in), the
counter's complete-sale, quote to sales order, cancel.

``complete_sale`` is the counter's F10: confirm and deliver in ONE transaction; every line's
stock goes out or none does. Status changes are conditional UPDATEs (``WHERE status = ...``)
on an order row the operation locked first, so two sessions cannot both deliver one order.
Stock moves through the ledger's conditional UPDATE (``stock.ledger.move``): no oversell.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...i18n import _
from ..core import clock, numbering
from ..core.errors import ValidationError
from ..core.operation import Op, operation
from ..core.vocab import OrderKind, OrderStatus, shown_word
from ..models.orders import Order, OrderLine
from ..money.orders import post_order
from ..stock import ledger as stock
from .delivery import finish, has_deliveries, move_open
from .editing import lock_order, need_lines, require_editor, transition
from .rows import OrderHeader, Ref, StockResult, id_of, load_header, load_lines
from .rules import EDITORS, stock_permission, title
from .scope import ORDERS

OPEN = (OrderStatus.DRAFT, OrderStatus.CONFIRMED)


def delivered_word(order: OrderHeader) -> str:
    return "received" if order.kind == OrderKind.PURCHASE else "delivered"


def move_stock(op: Op, order: OrderHeader) -> tuple[stock.MoveResult, ...]:
    """Every line's open rest moves (all of it, unless part was delivered already), in
    product order (so two sessions moving the same products lock them in the same order on
    PostgreSQL and never deadlock)."""
    return move_open(op, order)[0]


@operation(("order.sell", "order.purchase"), scoped={"order_id": ORDERS})
def confirm(op: Op, order_id: Ref) -> OrderHeader:
    """A draft sale or purchase becomes confirmed (to be delivered / received later)."""
    order = lock_order(id_of(order_id))
    if order.kind not in (OrderKind.SALE, OrderKind.PURCHASE):
        raise ValidationError(_("a {lower} is not confirmed").format(
                                lower=title(order.kind).lower()))
    require_editor(op, order)
    need_lines(order)
    transition(order, (OrderStatus.DRAFT,), OrderStatus.CONFIRMED)
    op.audit("order", order.id, "confirm", {"status": (order.status, OrderStatus.CONFIRMED)})
    return load_header(order.id)


def require_stock_permission(op: Op, order: OrderHeader) -> None:
    """The one rule on who moves an order's stock (``rules.STOCK_PERMISSION``)."""
    needed = stock_permission(order.kind, order.status)
    if needed is not None:
        op.require(needed)


@operation("order.deliver", scoped={"order_id": ORDERS})
def deliver(op: Op, order_id: Ref, quantities: Mapping[int, Any] | None = None
            ) -> StockResult:
    """Deliver a confirmed sale: every line's open rest goes out, or none does (O3); with
    ``quantities`` (line id -> quantity) only those, and the rest stays open
    (``delivery.py``)."""
    order = lock_order(id_of(order_id))
    if order.kind != OrderKind.SALE:
        raise ValidationError(_("{number} is not a sales order").format(number=order.number))
    if order.status == OrderStatus.DRAFT:
        raise ValidationError(_("{number} is a draft; confirm it first").format(number=order.number))
    if order.status != OrderStatus.CONFIRMED:
        raise ValidationError(_("{number} is {status_word}: nothing to deliver").format(
                                number=order.number,
                                status_word=shown_word(order.status_word)))
    require_stock_permission(op, order)
    moves, complete = move_open(op, order, quantities)
    finish(order, complete, (OrderStatus.CONFIRMED,))
    if complete:
        post_order(op, order)  # the invoice or the supplier's bill, by the party's terms
    fresh = load_header(order.id)
    op.audit("order", order.id, "deliver" if complete else "deliver_part",
             {"status": (order.status, fresh.status),
              "moved": {m.product_code: str(abs(m.quantity)) for m in moves}})
    return StockResult(fresh, moves)


@operation(("order.sell", "order.deliver"), scoped={"order_id": ORDERS})
def complete_sale(op: Op, order_id: Ref) -> StockResult:
    """F10 at the counter: confirm and deliver in ONE transaction.

    If any line is short, ``InsufficientStock`` names the product and the shortfall and nothing
    changes (the order stays a draft, no stock moves). A draft needs ``order.sell``; a
    confirmed order is delivered, so it needs ``order.deliver`` like D on Orders.
    """
    order = lock_order(id_of(order_id))
    if order.kind != OrderKind.SALE:
        raise ValidationError(_("{number} is not a sale").format(number=order.number))
    require_stock_permission(op, order)
    need_lines(order)
    transition(order, OPEN, OrderStatus.DELIVERED)
    moves = move_stock(op, order)  # a partly delivered order: only the open rest
    post_order(op, order)
    op.audit("order", order.id, "complete",
             {"status": (order.status, OrderStatus.DELIVERED), "total": order.total})
    return StockResult(load_header(order.id), moves)


@operation("order.receive", scoped={"order_id": ORDERS})
def receive(op: Op, order_id: Ref, quantities: Mapping[int, Any] | None = None
            ) -> StockResult:
    """Receive a purchase order: every line's open rest comes in (O4); with ``quantities``
    (line id -> quantity) only those, and the rest stays open to receive later."""
    order = lock_order(id_of(order_id))
    if order.kind != OrderKind.PURCHASE:
        raise ValidationError(_("{number} is not a purchase order").format(number=order.number))
    if order.status not in OPEN:
        raise ValidationError(_("{number} is {status_word}: nothing to receive").format(
                                number=order.number,
                                status_word=shown_word(order.status_word)))
    require_stock_permission(op, order)
    need_lines(order)
    moves, complete = move_open(op, order, quantities)
    finish(order, complete, OPEN)
    if complete:
        post_order(op, order)  # the invoice or the supplier's bill, by the party's terms
    fresh = load_header(order.id)
    op.audit("order", order.id, "receive" if complete else "receive_part",
             {"status": (order.status, fresh.status),
              "moved": {m.product_code: str(abs(m.quantity)) for m in moves}})
    return StockResult(fresh, moves)


@operation("order.sell", scoped={"order_id": ORDERS})
def convert_quote(op: Op, order_id: Ref, *, allow_expired: bool = False) -> OrderHeader:
    """Turn an open quote into a draft sales order in one step (O2): same customer, lines,
    prices and discounts; the order's ``source`` is the quote; the quote becomes 'converted'."""
    quote = lock_order(id_of(order_id))
    if quote.kind != OrderKind.QUOTE:
        raise ValidationError(_("{number} is not a quote").format(number=quote.number))
    if quote.status != OrderStatus.DRAFT:
        raise ValidationError(_("quote {number} is {status}").format(
                                number=quote.number,
                                status=shown_word(quote.status)))
    today = clock.today()
    if not allow_expired and quote.valid_until is not None and quote.valid_until < today:
        raise ValidationError(
            {"valid_until": _("quote {number} expired on {valid_until}; extend it first").format(
                              number=quote.number,
                              valid_until=quote.valid_until)}
        )
    lines = load_lines(quote.id)
    need_lines(quote)
    transition(quote, (OrderStatus.DRAFT,), OrderStatus.CONVERTED)
    number = numbering.next_number(OrderKind.SALE, today)
    order = Order.create(
        number=number, kind=OrderKind.SALE, status=OrderStatus.DRAFT, date=today,
        customer=quote.customer_id, salesperson=op.actor.id, location=quote.location_id,
        source=quote.id, subtotal=quote.subtotal, discount=quote.discount, total=quote.total,
        discount_rate=quote.discount_rate, notes=quote.notes,
    )
    for line in lines:
        OrderLine.create(
            order=order.id, line_no=line.line_no, product=line.product_id,
            quantity=line.quantity, unit_price=line.unit_price, discount=line.discount,
            amount=line.amount, discount_rate=line.discount_rate,
        )
    op.audit("order", quote.id, "convert",
             {"status": (OrderStatus.DRAFT, OrderStatus.CONVERTED), "order": number})
    op.audit("order", order.id, "create",
             {"number": number, "kind": OrderKind.SALE, "source": quote.number})
    return load_header(order.id)


def cancel_order(op: Op, order: OrderHeader) -> None:
    """The body of ``cancel`` on a locked order."""
    require_editor(op, order)
    if order.status == OrderStatus.DELIVERED:
        raise ValidationError(_("{number} is already {status_word}; enter a return instead").format(
                                number=order.number,
                                status_word=shown_word(order.status_word)))
    if has_deliveries(order.id):
        raise ValidationError(_("{number} is partly {delivered_word}: deliver or receive the "
                                "rest, or return what came").format(
                                number=order.number,
                                delivered_word=shown_word(delivered_word(order))))
    transition(order, OPEN, OrderStatus.CANCELLED)
    op.audit("order", order.id, "cancel", {"status": (order.status, OrderStatus.CANCELLED)})


@operation(EDITORS, scoped={"order_id": ORDERS})
def cancel(op: Op, order_id: Ref) -> OrderHeader:
    """Cancel a draft or confirmed order (nothing was delivered, so no stock moves)."""
    order = lock_order(id_of(order_id))
    cancel_order(op, order)
    return load_header(order.id)


__all__ = ["cancel", "complete_sale", "confirm", "convert_quote", "deliver",
           "receive"]
