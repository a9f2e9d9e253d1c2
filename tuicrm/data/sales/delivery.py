"""Delivering a sale and receiving a purchase, wholly or in parts (issue 17).

Each line remembers how much of it has gone out (sales) or come in (purchases) so far
(``order_line.delivered``). Delivering or receiving moves what is asked of each line - by
default everything still open - through the stock ledger, adds it to the line, and the order
becomes ``delivered`` once every line is complete; until then it stays confirmed (a draft
purchase that is partly received becomes confirmed), and the open rest can be delivered or
received later. Every line's stock moves or none does (one transaction), in product order, so
two sessions moving the same products never deadlock on PostgreSQL.

``tuicrm check`` proves ``order_deliveries``: what each order's lines say was delivered equals
the stock movements booked under the order.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ...i18n import _
from ..core.errors import ValidationError
from ..core.money import fmt_qty
from ..core.operation import Op
from ..core.vocab import MovementReason, OrderStatus
from ..models.base import now
from ..models.orders import Order, OrderLine
from ..stock import ledger as stock
from .editing import transition
from .rows import OrderHeader, all_rows
from .rules import parse_quantity


def _open_lines(order: OrderHeader) -> list[tuple[int, int, int, str, Decimal, Decimal]]:
    """``(line id, line no, product id, product code, quantity, delivered)`` of every line."""
    from ..models.catalog import Product

    query = (OrderLine.select(OrderLine.id, OrderLine.line_no, OrderLine.product, Product.code,
                              OrderLine.quantity, OrderLine.delivered)
             .join(Product, on=(OrderLine.product == Product.id))
             .where(OrderLine.order == order.id).order_by(OrderLine.line_no))
    return [(int(i), int(n), int(p), str(c), Decimal(q), Decimal(d))
            for i, n, p, c, q, d in all_rows(query)]


def _wanted(lines: list[tuple[int, int, int, str, Decimal, Decimal]],
            quantities: Mapping[int, Any] | None) -> dict[int, Decimal]:
    """line id -> what to move now: everything open, or ``quantities`` (by line id) checked
    against what each line still has open."""
    if quantities is None:
        return {lid: q - d for lid, _, _, _, q, d in lines if q > d}
    by_id = {line[0]: line for line in lines}
    errors: dict[str, str] = {}
    wanted: dict[int, Decimal] = {}
    for lid, typed in quantities.items():
        line = by_id.get(int(lid))
        if line is None:
            raise ValidationError(_("line #{lid} is not on this order").format(lid=lid))
        if typed in (None, "", 0) or str(typed).strip() in ("", "0"):
            continue
        amount = parse_quantity(typed)
        left = line[4] - line[5]
        if amount > left:
            errors[f"line{line[1]}"] = (_("{value}: only {left} still open (asked {amount})").format(
                                          value=line[3],
                                          left=fmt_qty(left),
                                          amount=fmt_qty(amount)))
        wanted[line[0]] = amount
    if errors:
        raise ValidationError(errors)
    if not wanted:
        raise ValidationError(_("nothing to move: give a quantity for at least one line"))
    return wanted


def move_open(op: Op, order: OrderHeader, quantities: Mapping[int, Any] | None = None
              ) -> tuple[tuple[stock.MoveResult, ...], bool]:
    """Move ``quantities`` (line id -> quantity; None: every line's open rest) of a locked
    order through the ledger and record them on the lines; returns the movements and whether
    the order is now complete. The caller sets the order's status (``finish``)."""
    lines = _open_lines(order)
    if not lines:
        raise ValidationError(_("{number} has no lines").format(number=order.number))
    wanted = _wanted(lines, quantities)
    sign = order.kind.stock_sign
    reason = MovementReason(order.kind.value)
    results = []
    for lid, _no, product_id, _code, _q, delivered in sorted(lines, key=lambda r: (r[2], r[1])):
        amount = wanted.get(lid)
        if not amount:
            continue
        results.append(stock.move(op, product_id, order.location_id, sign * amount, reason,
                                  doc_type="order", doc_id=order.id, doc_number=order.number))
        OrderLine.update(delivered=delivered + amount).where(OrderLine.id == lid).execute()
    complete = all(d + wanted.get(lid, Decimal(0)) >= q for lid, _, _, _, q, d in lines)
    return tuple(results), complete


def finish(order: OrderHeader, complete: bool, from_status: tuple[OrderStatus, ...]) -> None:
    """The order's status after ``move_open``: delivered when complete; otherwise confirmed
    (a draft that is partly received becomes confirmed; its version moves on either way)."""
    if complete:
        transition(order, from_status, OrderStatus.DELIVERED)
    elif order.status == OrderStatus.DRAFT:
        transition(order, (OrderStatus.DRAFT,), OrderStatus.CONFIRMED)
    else:
        Order.update(version=Order.version + 1, updated_at=now()).where(
            Order.id == order.id).execute()


def has_deliveries(order_id: int) -> bool:
    """Whether any of the order's lines has been (partly) delivered or received."""
    return bool(OrderLine.select().where((OrderLine.order == order_id)
                                         & (OrderLine.delivered > 0)).exists())
