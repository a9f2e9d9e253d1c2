"""Goods coming back: a return against a delivered sale (stock back in) or purchase (stock out
to the supplier), and booking it.

Against a source order no product comes back more than it holds, across every return of it:
``add_line`` and ``set_quantity`` check as the lines are entered, and ``complete_return``
checks again inside its transaction with the source order locked, so two returns of one order
booked at once cannot together bring back more than was sold.
"""

from __future__ import annotations

from ...i18n import _
from ..core.errors import ValidationError
from ..core.money import fmt_qty
from ..core.operation import Op, operation
from ..core.vocab import OrderStatus, shown_word
from ..money.orders import post_order
from .drafts import create_draft, number_draft
from .editing import lock_order, need_lines, require_editor, returnable, transition
from .lifecycle import move_stock
from .rows import OrderHeader, Ref, StockResult, id_of, load_header, load_lines
from .rules import RETURN_OF
from .scope import ORDERS

RETURNERS = ("order.return", "order.purchase")


@operation(RETURNERS, scoped={"order_id": ORDERS})
def start_return(op: Op, order_id: Ref) -> OrderHeader:
    """A draft return against a delivered sale (sales return) or purchase (to the supplier)."""
    source = load_header(id_of(order_id))
    kind = RETURN_OF.get(source.kind)
    if kind is None:
        raise ValidationError(_("{number} is a {kind}; only sales and purchases are returned").format(
                                number=source.number,
                                kind=shown_word(source.kind)))
    return number_draft(create_draft(op, kind, source=source, location=source.location_id))


@operation(RETURNERS, scoped={"order_id": ORDERS})
def complete_return(op: Op, order_id: Ref) -> StockResult:
    """Book a return: a sales return brings stock back, a return to supplier takes it out."""
    order = lock_order(id_of(order_id))
    if not order.kind.is_return:
        raise ValidationError(_("{number} is not a return").format(number=order.number))
    require_editor(op, order)
    need_lines(order)
    if order.source_id is not None:
        source = lock_order(order.source_id)  # two returns of one order queue here
        for line in load_lines(order.id):
            left = returnable(source, line.product_id, order.id)
            if line.quantity > left:
                raise ValidationError(
                    {"quantity": _("only {left} of {product_code} {product_name} can still be "
                                   "returned against {number}").format(
                                   left=fmt_qty(left),
                                   product_code=line.product_code,
                                   product_name=line.product_name,
                                   number=source.number)}
                )
    transition(order, (OrderStatus.DRAFT,), OrderStatus.DELIVERED)
    moves = move_stock(op, order)
    post_order(op, order)  # the credit note
    op.audit("order", order.id, "complete_return",
             {"status": (OrderStatus.DRAFT, OrderStatus.DELIVERED), "total": order.total})
    return StockResult(load_header(order.id), moves)
