"""The rules every sales operation shares: which permission each kind of order needs, what a
return refers to, how a line's amount is computed, how typed quantities and amounts are read.

Money is exact (``Decimal``, stored as cents): a line's amount is ``quantity * unit_price -
discount`` rounded half-up to cents; an order's ``subtotal`` is the sum of its lines and
``total = subtotal - discount`` (``tuicrm check`` proves both on any database).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..core.errors import NotFound, ValidationError
from ..core.money import CENT, parse_money, parse_qty
from ..core.vocab import OrderKind

KIND_TITLES: dict[OrderKind, str] = {
    OrderKind.QUOTE: "Quote",
    OrderKind.SALE: "Sales order",
    OrderKind.SALE_RETURN: "Sales return",
    OrderKind.PURCHASE: "Purchase order",
    OrderKind.PURCHASE_RETURN: "Return to supplier",
}

# Which permission enters, edits and cancels a document of each kind.
EDIT_PERMISSION: dict[OrderKind, str] = {
    OrderKind.QUOTE: "order.sell",
    OrderKind.SALE: "order.sell",
    OrderKind.SALE_RETURN: "order.return",
    OrderKind.PURCHASE: "order.purchase",
    OrderKind.PURCHASE_RETURN: "order.purchase",
}
#: Any one of these may edit some kind of order (the exact one is checked on the order).
EDITORS = ("order.sell", "order.return", "order.purchase")
#: Any one of these may read orders (within the actor's order scope).
READERS = ("order.sell", "order.return", "order.purchase", "order.deliver", "order.receive")

#: The kind of a return against a delivered document of each kind.
RETURN_OF: dict[OrderKind, OrderKind] = {
    OrderKind.SALE: OrderKind.SALE_RETURN,
    OrderKind.PURCHASE: OrderKind.PURCHASE_RETURN,
}



class UnknownCode(NotFound):
    """A scanned or typed code that no product has (order entry offers to create one)."""

    def __init__(self, code: str) -> None:
        super().__init__(f"unknown code {code}")
        self.code = code


def order_kind(value: str) -> OrderKind:
    """``value`` as an ``OrderKind``; a ``ValidationError`` naming the kinds otherwise."""
    try:
        return OrderKind(value)
    except ValueError:
        kinds = ", ".join(k.value for k in OrderKind)
        raise ValidationError({"kind": f"unknown order kind {value!r}; one of: {kinds}"}) from None


def title(kind: str) -> str:
    """``"Sales order"`` for ``"sale"``; the raw kind for one this version does not know."""
    try:
        return KIND_TITLES[OrderKind(kind)]
    except ValueError:
        return kind


def line_amount(quantity: Decimal, unit_price: Decimal, discount: Decimal = Decimal(0)) -> Decimal:
    """``quantity * unit_price - discount``, half-up to cents (the rule ``tuicrm check`` uses)."""
    gross = (Decimal(quantity) * Decimal(unit_price)).quantize(CENT, rounding=ROUND_HALF_UP)
    return gross - Decimal(discount)


def default_price(kind: OrderKind, cost: Decimal, prices: tuple[Decimal, ...],
                  price_level: int | None) -> Decimal:
    """The unit price a new line gets: purchases at cost; sales at the customer's price level
    (``prices`` = price1..price4; price1, the retail price, when that level has no price or
    there is no customer)."""
    if kind.is_purchase:
        return cost
    level = price_level if price_level in (1, 2, 3, 4) else 1
    price = prices[level - 1]
    return price if price > 0 or level == 1 else prices[0]


def parse_quantity(value: Any) -> Decimal:
    """A typed quantity: more than 0, to thousandths."""
    try:
        return parse_qty(value, zero=False)
    except ValueError as e:
        raise ValidationError({"quantity": str(e)}) from None


def parse_amount(value: Any, name: str) -> Decimal:
    """A typed price or discount: 0 or more, to cents; empty is 0."""
    try:
        return parse_money(value, blank=Decimal("0.00"))
    except ValueError as e:
        raise ValidationError({name: str(e)}) from None
