"""Steps the sales operations share inside their transaction: lock the order, check it may be
changed, save a line, recompute the totals, move the status on, count what can come back.

Concurrency: on PostgreSQL an operation locks the order row (``lock_order``) before it reads
anything of the order, so two sessions scanning into one order queue instead of numbering two
lines alike or losing a total; status changes are conditional UPDATEs on top of that. On
SQLite the IMMEDIATE write transaction already holds the only write lock.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from ...i18n import _
from ..core import db
from ..core.errors import Conflict, ValidationError
from ..core.money import fmt_money, sum_of
from ..core.operation import Op
from ..core.vocab import OrderKind, OrderStatus, shown_word
from ..models.base import now
from ..models.orders import Order, OrderLine
from .rows import OrderHeader, all_rows, first_row, header_of, header_query, load_header
from .rules import EDIT_PERMISSION, RETURN_OF, line_amount, percent_of


def lock_order(order_id: int) -> OrderHeader:
    """The order, its row locked until the transaction ends."""
    query = header_query().where(Order.id == order_id)
    if not db.is_sqlite():
        query = query.for_update(of=Order)
    row = first_row(query)
    if row is None:
        return load_header(order_id)  # raises NotFound
    return header_of(row)


def require_editor(op: Op, order: OrderHeader) -> None:
    """The permission that edits this kind of order (the operation checked one of them)."""
    op.require(EDIT_PERMISSION[order.kind])


def check_draft(order: OrderHeader) -> None:
    if order.status != OrderStatus.DRAFT:
        raise ValidationError(_("{number} is {status_word}; only a draft can be changed").format(
                                number=order.number,
                                status_word=shown_word(order.status_word)))


def editable(op: Op, order_id: int) -> OrderHeader:
    """Lock the order, check the actor may edit its kind and that it is still a draft."""
    order = lock_order(order_id)
    require_editor(op, order)
    check_draft(order)
    return order


class _Keep:
    """The discount rate stays as stored (the default of ``bump`` and ``save_line``)."""


KEEP = _Keep()


def bump(order: OrderHeader, discount: Decimal | None = None,
         rate: Decimal | None | _Keep = KEEP) -> OrderHeader:
    """Recompute subtotal and total from the lines (the order discount, ``discount`` when
    given, capped at the subtotal; a percentage discount - ``rate``, or the stored one - is
    taken of the new subtotal) and bump the version; returns ``order`` as it is now (the
    operation holds its lock, so nothing else changed it)."""
    subtotal = (OrderLine.select(sum_of(OrderLine.amount))
                .where(OrderLine.order == order.id).scalar())
    subtotal = subtotal if subtotal is not None else Decimal("0.00")
    kept: Decimal | None = (
        Order.select(Order.discount_rate).where(Order.id == order.id).scalar()
        if isinstance(rate, _Keep) else rate)
    wanted = order.discount if discount is None else discount
    if kept is not None:
        wanted = percent_of(subtotal, kept)
    off = min(wanted, subtotal) if subtotal >= 0 else Decimal("0.00")
    stamp = now()
    Order.update(
        subtotal=subtotal, discount=off, discount_rate=kept, total=subtotal - off,
        version=Order.version + 1, updated_at=stamp,
    ).where(Order.id == order.id).execute()
    return replace(order, subtotal=subtotal, discount=off, total=subtotal - off,
                   version=order.version + 1, updated_at=stamp, discount_rate=kept)


def save_line(line_id: int, quantity: Decimal, unit_price: Decimal,
              discount: Decimal, rate: Decimal | None | _Keep = KEEP) -> tuple[Decimal, Decimal]:
    """Store a line's quantity, price and discount; returns its new amount and discount. A
    percentage
    discount (``rate``, or the one the line has) is taken of the new quantity x price."""
    gross = line_amount(quantity, unit_price)
    kept: Decimal | None = (
        OrderLine.select(OrderLine.discount_rate).where(OrderLine.id == line_id).scalar()
        if isinstance(rate, _Keep) else rate)
    if kept is not None:
        discount = percent_of(gross, kept)
    if discount > gross:
        raise ValidationError(
            {"discount": _("the discount {discount} is more than the line's {gross}").format(
                           discount=fmt_money(discount),
                           gross=fmt_money(gross))}
        )
    OrderLine.update(
        quantity=quantity, unit_price=unit_price, discount=discount, amount=gross - discount,
        discount_rate=kept,
    ).where(OrderLine.id == line_id).execute()
    return gross - discount, discount


def transition(order: OrderHeader, from_status: tuple[OrderStatus, ...],
               to_status: OrderStatus) -> None:
    """Move ``order`` to ``to_status`` only if it is still in one of ``from_status``."""
    changed = (
        Order.update(status=to_status, version=Order.version + 1, updated_at=now())
        .where((Order.id == order.id) & (Order.status.in_(from_status)))
        .execute()
    )
    if changed != 1:
        current = Order.select(Order.status).where(Order.id == order.id).scalar()
        raise Conflict(_("{number} is {value} now (changed in another session?)").format(
                         number=order.number,
                         value=current or 'deleted'))


def need_lines(order: OrderHeader) -> list[tuple[int, int, Decimal]]:
    """``(line_no, product_id, quantity)`` of every line; a ValidationError if none."""
    query = (OrderLine.select(OrderLine.line_no, OrderLine.product, OrderLine.quantity)
             .where(OrderLine.order == order.id).order_by(OrderLine.line_no))
    lines = [(int(no), int(pid), Decimal(q)) for no, pid, q in all_rows(query)]
    if not lines:
        raise ValidationError(_("{number} has no lines").format(number=order.number))
    return lines


def returnable(source: OrderHeader, product_id: int, exclude_order: int | None) -> Decimal:
    """How much of ``product_id`` can still come back against the delivered ``source``: what
    it holds less what booked returns of it already brought back."""
    sold = (
        OrderLine.select(sum_of(OrderLine.quantity))
        .where((OrderLine.order == source.id) & (OrderLine.product == product_id))
        .scalar()
    ) or Decimal(0)
    returned_q = (
        OrderLine.select(sum_of(OrderLine.quantity))
        .join(Order, on=(OrderLine.order == Order.id))
        .where(
            (Order.source == source.id)
            & (Order.kind == RETURN_OF[OrderKind(source.kind)])
            & (Order.status == OrderStatus.DELIVERED)
            & (OrderLine.product == product_id)
        )
    )
    if exclude_order is not None:
        returned_q = returned_q.where(Order.id != exclude_order)
    returned = returned_q.scalar() or Decimal(0)
    return Decimal(sold - returned)
