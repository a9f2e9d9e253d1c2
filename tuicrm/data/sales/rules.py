"""The rules every sales operation shares: which permission each kind of order needs, what a
return refers to, how a line's amount is computed, how typed quantities and amounts are read.

Money is exact (``Decimal``, stored as cents): a line's amount is ``quantity * unit_price -
discount`` rounded half-up to cents; an order's ``subtotal`` is the sum of its lines and
``total = subtotal - discount`` (``tuicrm check`` proves both on any database).
"""

from __future__ import annotations

import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ...i18n import N_, _
from ..core.errors import NotFound, ValidationError
from ..core.money import CENT, parse_money, parse_qty
from ..core.vocab import OrderKind, OrderStatus

KIND_TITLES: dict[OrderKind, str] = {
    OrderKind.QUOTE: N_("Quote"),
    OrderKind.SALE: N_("Sales order"),
    OrderKind.SALE_RETURN: N_("Sales return"),
    OrderKind.PURCHASE: N_("Purchase order"),
    OrderKind.PURCHASE_RETURN: N_("Return to supplier"),
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

#: Which permission moves the stock of an order: one rule for every path (F10 in order entry,
#: D / I on Orders). A draft sale completed at the counter is the clerk handing the goods over
#: (``order.sell``); once a sale is confirmed "to deliver later" its stock goes out by whoever
#: delivers (``order.deliver``), whichever key they press.
STOCK_PERMISSION: dict[tuple[OrderKind, OrderStatus], str] = {
    (OrderKind.SALE, OrderStatus.DRAFT): "order.sell",
    (OrderKind.SALE, OrderStatus.CONFIRMED): "order.deliver",
    (OrderKind.PURCHASE, OrderStatus.DRAFT): "order.receive",
    (OrderKind.PURCHASE, OrderStatus.CONFIRMED): "order.receive",
}


def stock_permission(kind: OrderKind, status: OrderStatus) -> str | None:
    """The permission that completes / delivers / receives an order in ``status`` (None: its
    stock does not move from that status)."""
    return STOCK_PERMISSION.get((kind, status))


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
        raise ValidationError({"kind": _("unknown order kind {value!r}; one of: {kinds}").format(
                                         value=value,
                                         kinds=kinds)}) from None


def title(kind: str) -> str:
    """``"Sales order"`` for ``"sale"``; the raw kind for one this version does not know."""
    try:
        return _(KIND_TITLES[OrderKind(kind)])
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


PERCENT = Decimal(100)


def parse_rate(value: Any, name: str = "discount") -> Decimal | None:
    """A discount typed as a percentage, as the percent off: ``10%`` -> 10; ``9折`` (pay 90%)
    -> 10, ``85折`` or ``8.5折`` -> 15; None when ``value`` is not a percentage (an amount).
    Full-width characters (``１０％``) are read like the ASCII ones."""
    text = unicodedata.normalize("NFKC", str(value or "")).replace(" ", "")
    if not text.endswith(("%", "折")):
        return None
    try:
        number = Decimal(text[:-1])
    except ArithmeticError:
        raise ValidationError({name: _("{text!r} is not a percentage (10% or 9折)").format(text=text)}) from None
    if not number.is_finite():
        raise ValidationError({name: _("{text!r} is not a percentage (10% or 9折)").format(text=text)})
    if text.endswith("折"):  # what is paid: 9折 = 90%, 85折 = 85%, 8.5折 = 85%
        paid = number * 10 if number <= 10 else number
        if not 0 < paid <= PERCENT:
            raise ValidationError({name: _("{text} is not a discount (1折 to 10折)").format(text=text)})
        rate = PERCENT - paid
    else:
        rate = number
    if not 0 <= rate <= PERCENT:
        raise ValidationError({name: _("a percentage off is 0% to 100%")})
    return rate.quantize(Decimal("0.001"))


def percent_of(amount: Decimal, rate: Decimal) -> Decimal:
    """``rate`` percent of ``amount``, half-up to cents."""
    return (amount * rate / PERCENT).quantize(CENT, rounding=ROUND_HALF_UP)


def fmt_rate(rate: Decimal) -> str:
    """``15%``, ``12.5%``."""
    return f"{rate.normalize():f}%"


def parse_discount(value: Any, name: str = "discount") -> Decimal | None:
    """Check a typed discount, an amount or a percentage (see ``parse_rate``); returns the
    percent off, None for an amount."""
    rate = parse_rate(value, name)
    if rate is None:
        parse_amount(value, name)
    return rate


def discount_text(discount: Decimal, rate: Decimal | None) -> str:
    """A discount as it is typed back into its field: ``10%`` or ``6.00``."""
    return fmt_rate(rate) if rate is not None else str(discount)


def parse_amount(value: Any, name: str) -> Decimal:
    """A typed price or discount: 0 or more, to cents; empty is 0."""
    try:
        return parse_money(value, blank=Decimal("0.00"))
    except ValueError as e:
        raise ValidationError({name: str(e)}) from None
