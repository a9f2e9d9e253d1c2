"""An order's life after its lines: confirm, deliver (stock out), receive (stock in), the
counter's complete-sale, quote to sales order, cancel.

``complete_sale`` is the counter's F10: confirm and deliver in ONE transaction; every line's
stock goes out or none does. Status changes are conditional UPDATEs (``WHERE status = ...``)
on an order row the operation locked first, so two sessions cannot both deliver one order.
Stock moves through the ledger's conditional UPDATE (``stock.ledger.move``): no oversell.
"""

from __future__ import annotations

from ..core import clock, numbering
from ..core.errors import ValidationError
from ..core.operation import Op, operation
from ..core.vocab import MovementReason, OrderKind, OrderStatus
from ..models.orders import Order, OrderLine
from ..money.orders import post_order
from ..stock import ledger as stock
from .editing import lock_order, need_lines, require_editor, transition
from .rows import OrderHeader, Ref, StockResult, id_of, load_header, load_lines
from .rules import EDITORS, KIND_TITLES
from .scope import ORDERS

OPEN = (OrderStatus.DRAFT, OrderStatus.CONFIRMED)


def move_stock(op: Op, order: OrderHeader) -> tuple[stock.MoveResult, ...]:
    """Every line's stock movement, in product order (so two sessions moving the same products
    lock them in the same order on PostgreSQL and never deadlock)."""
    sign = order.kind.stock_sign
    reason = MovementReason(order.kind.value)
    results = []
    for _line_no, product_id, quantity in sorted(need_lines(order), key=lambda r: (r[1], r[0])):
        results.append(stock.move(
            op, product_id, order.location_id, sign * quantity, reason,
            doc_type="order", doc_id=order.id, doc_number=order.number,
        ))
    return tuple(results)


@operation(("order.sell", "order.purchase"), scoped={"order_id": ORDERS})
def confirm(op: Op, order_id: Ref) -> OrderHeader:
    """A draft sale or purchase becomes confirmed (to be delivered / received later)."""
    order = lock_order(id_of(order_id))
    if order.kind not in (OrderKind.SALE, OrderKind.PURCHASE):
        raise ValidationError(f"a {KIND_TITLES[order.kind].lower()} is not confirmed")
    require_editor(op, order)
    need_lines(order)
    transition(order, (OrderStatus.DRAFT,), OrderStatus.CONFIRMED)
    op.audit("order", order.id, "confirm", {"status": (order.status, OrderStatus.CONFIRMED)})
    return load_header(order.id)


@operation("order.deliver", scoped={"order_id": ORDERS})
def deliver(op: Op, order_id: Ref) -> StockResult:
    """Deliver a confirmed sale: every line's stock goes out, or none does (O3)."""
    order = lock_order(id_of(order_id))
    if order.kind != OrderKind.SALE:
        raise ValidationError(f"{order.number} is not a sales order")
    if order.status == OrderStatus.DRAFT:
        raise ValidationError(f"{order.number} is a draft; confirm it first")
    transition(order, (OrderStatus.CONFIRMED,), OrderStatus.DELIVERED)
    moves = move_stock(op, order)
    post_order(op, order)  # the invoice, due by the customer's payment terms
    op.audit("order", order.id, "deliver", {"status": (order.status, OrderStatus.DELIVERED)})
    return StockResult(load_header(order.id), moves)


@operation("order.sell", scoped={"order_id": ORDERS})
def complete_sale(op: Op, order_id: Ref) -> StockResult:
    """F10 at the counter: confirm and deliver in ONE transaction.

    If any line is short, ``InsufficientStock`` names the product and the shortfall and nothing
    changes (the order stays a draft, no stock moves).
    """
    order = lock_order(id_of(order_id))
    if order.kind != OrderKind.SALE:
        raise ValidationError(f"{order.number} is not a sale")
    need_lines(order)
    transition(order, OPEN, OrderStatus.DELIVERED)
    moves = move_stock(op, order)
    post_order(op, order)
    op.audit("order", order.id, "complete",
             {"status": (order.status, OrderStatus.DELIVERED), "total": order.total})
    return StockResult(load_header(order.id), moves)


@operation("order.receive", scoped={"order_id": ORDERS})
def receive(op: Op, order_id: Ref) -> StockResult:
    """Receive a purchase order: every line's stock comes in (O4). Whole orders only."""
    order = lock_order(id_of(order_id))
    if order.kind != OrderKind.PURCHASE:
        raise ValidationError(f"{order.number} is not a purchase order")
    need_lines(order)
    transition(order, OPEN, OrderStatus.DELIVERED)
    moves = move_stock(op, order)
    post_order(op, order)  # the supplier's bill
    op.audit("order", order.id, "receive", {"status": (order.status, OrderStatus.DELIVERED)})
    return StockResult(load_header(order.id), moves)


@operation("order.sell", scoped={"order_id": ORDERS})
def convert_quote(op: Op, order_id: Ref, *, allow_expired: bool = False) -> OrderHeader:
    """Turn an open quote into a draft sales order in one step (O2): same customer, lines,
    prices and discounts; the order's ``source`` is the quote; the quote becomes 'converted'."""
    quote = lock_order(id_of(order_id))
    if quote.kind != OrderKind.QUOTE:
        raise ValidationError(f"{quote.number} is not a quote")
    if quote.status != OrderStatus.DRAFT:
        raise ValidationError(f"quote {quote.number} is {quote.status}")
    today = clock.today()
    if not allow_expired and quote.valid_until is not None and quote.valid_until < today:
        raise ValidationError(
            {"valid_until": f"quote {quote.number} expired on {quote.valid_until}; "
                            "extend it first"}
        )
    lines = load_lines(quote.id)
    need_lines(quote)
    transition(quote, (OrderStatus.DRAFT,), OrderStatus.CONVERTED)
    number = numbering.next_number(OrderKind.SALE, today)
    order = Order.create(
        number=number, kind=OrderKind.SALE, status=OrderStatus.DRAFT, date=today,
        customer=quote.customer_id, salesperson=op.actor.id, location=quote.location_id,
        source=quote.id, subtotal=quote.subtotal, discount=quote.discount, total=quote.total,
        notes=quote.notes,
    )
    for line in lines:
        OrderLine.create(
            order=order.id, line_no=line.line_no, product=line.product_id,
            quantity=line.quantity, unit_price=line.unit_price, discount=line.discount,
            amount=line.amount,
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
        raise ValidationError(f"{order.number} is already delivered; enter a return instead")
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
