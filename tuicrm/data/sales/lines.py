"""The lines of a draft: add by product or by scan (a product already on the order adds to its
line, whichever of its barcodes was scanned; ``N*code`` adds N; a carton code its pack
quantity), change a line's quantity, price or discount, delete it.

Every operation locks the order first (``editing.editable``) and recomputes the order's totals
before it commits, so the order always equals the sum of its lines.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from ...i18n import _
from ..catalog import products
from ..core.errors import NotFound, ValidationError
from ..core.money import fmt_qty
from ..core.operation import Op, operation
from ..core.vocab import OrderKind
from ..models.catalog import Product
from ..models.orders import OrderLine
from .editing import bump, editable, returnable, save_line
from .rows import (
    LineChange,
    LineEdit,
    OrderHeader,
    OrderLineRow,
    Ref,
    first_row,
    id_of,
    load_header,
    load_line,
)
from .rules import (
    EDITORS,
    UnknownCode,
    default_price,
    line_amount,
    parse_amount,
    parse_quantity,
    parse_rate,
)
from .scope import ORDERS

__all__ = [
    "add_line", "add_scan", "delete_line", "parse_amount", "parse_quantity", "set_line_discount",
    "set_price", "set_quantity",
]


@dataclass(frozen=True)
class _Product:
    """What adding a product to an order needs to know of it."""

    id: int
    code: str
    name: str
    spec: str
    unit: str
    active: bool
    cost: Decimal
    prices: tuple[Decimal, Decimal, Decimal, Decimal]  # price1..price4

    @classmethod
    def of(cls, product: Any) -> _Product:
        """From a ``Product`` model (what ``catalog.products.lookup`` found)."""
        return cls(int(product.id), product.code, product.name, product.spec, product.unit,
                   bool(product.active), product.cost,
                   (product.price1, product.price2, product.price3, product.price4))

    @classmethod
    def load(cls, product_id: int) -> _Product:
        row = first_row(Product.select(
            Product.id, Product.code, Product.name, Product.spec, Product.unit,
            Product.active, Product.cost, Product.price1, Product.price2, Product.price3,
            Product.price4,
        ).where(Product.id == product_id))
        if row is None:
            raise NotFound(_("product #{product_id} does not exist").format(product_id=product_id))
        pid, code, name, spec, unit, active, cost, *prices = row
        return cls(pid, code, name, spec, unit, bool(active), cost,
                   (prices[0], prices[1], prices[2], prices[3]))


def price_for(kind: OrderKind, product_id: int, price_level: int) -> Decimal:
    """The default unit price of ``product_id`` on an order of ``kind`` (see
    ``rules.default_price``)."""
    product = _Product.load(product_id)
    return default_price(kind, product.cost, product.prices, price_level)


def _source_price(order: OrderHeader, product_id: int) -> Decimal:
    """A returned product comes back at the price it went out at."""
    price = (OrderLine.select(OrderLine.unit_price)
             .where((OrderLine.order == order.source_id) & (OrderLine.product == product_id))
             .order_by(OrderLine.line_no).scalar())
    return price if price is not None else Decimal(0)


def _check_returnable(order: OrderHeader, product_id: int, code: str, quantity: Decimal) -> None:
    if order.source_id is None or not order.kind.is_return:
        return
    source = load_header(order.source_id)
    left = returnable(source, product_id, order.id)
    if quantity > left:
        raise ValidationError(
            {"quantity": _("only {left} of {code} can be returned against {number}").format(
                           left=fmt_qty(left),
                           code=code,
                           number=source.number)}
        )


def add_product(op: Op, order: OrderHeader, product: _Product | int, amount: Decimal,
                unit_price: Any = None) -> LineChange:
    """The body of ``add_line`` on a locked, editable ``order``. The new line and totals are
    built from what the transaction wrote (a scan reads nothing back)."""
    item = product if isinstance(product, _Product) else _Product.load(product)
    if not item.active:
        raise ValidationError({"product": _("{code} {name} is inactive").format(
                                            code=item.code,
                                            name=item.name)})
    line = first_row(
        OrderLine.select(OrderLine.id, OrderLine.line_no, OrderLine.quantity,
                         OrderLine.unit_price, OrderLine.discount)
        .where((OrderLine.order == order.id) & (OrderLine.product == item.id))
        .order_by(OrderLine.line_no)
    )
    already = line[2] if line is not None else Decimal(0)
    _check_returnable(order, item.id, f"{item.code} {item.name}", already + amount)
    if line is not None:
        line_id, line_no, _quantity, price, discount = line
    else:
        discount = Decimal("0.00")
        price = (_source_price(order, item.id) if order.kind.is_return and order.source_id
                 else default_price(order.kind, item.cost, item.prices, order.price_level))
    if unit_price is not None:
        wanted = parse_amount(unit_price, "unit_price")
        if wanted != price:
            op.require("order.edit_price")
            price = wanted
    quantity = already + amount
    if line is not None:
        line_amount_now, discount = save_line(line_id, quantity, price, discount)
    else:
        line_no = (OrderLine.select(OrderLine.line_no).where(OrderLine.order == order.id)
                   .order_by(OrderLine.line_no.desc()).scalar() or 0) + 1
        line_amount_now = line_amount(quantity, price)
        line_id = OrderLine.create(
            order=order.id, line_no=line_no, product=item.id, quantity=quantity,
            unit_price=price, discount=discount, amount=line_amount_now,
        ).id
    fresh = bump(order)
    op.audit("order", order.id, "add_line", {"product": item.code, "quantity": amount})
    row = OrderLineRow(int(line_id), order.id, int(line_no), item.id, item.code, item.name,
                       item.spec, item.unit, quantity, price, discount, line_amount_now)
    return LineChange(fresh, row, amount, line is None)


def add_scanned(op: Op, order: OrderHeader, text: str) -> LineChange:
    """The body of ``add_scan`` on a locked, editable ``order``."""
    count, code = products.parse_scan(text)
    found = products.lookup(code)
    if found is None:
        raise UnknownCode(code)
    product, pack = found
    return add_product(op, order, _Product.of(product), parse_quantity(count * pack))


@operation(EDITORS, scoped={"order_id": ORDERS})
def add_line(op: Op, order_id: Ref, product_id: Ref, quantity: Any = 1, *,
             unit_price: Any = None) -> LineChange:
    """Add ``quantity`` of ``product_id``; a product already on the order adds to its line.

    The unit price comes from the customer's price level (purchases: cost; returns: the price
    it went out at) unless ``unit_price`` is given, which needs ``order.edit_price`` when it
    differs.
    """
    amount = parse_quantity(quantity)
    order = editable(op, id_of(order_id))
    return add_product(op, order, id_of(product_id), amount, unit_price)


@operation(EDITORS, scoped={"order_id": ORDERS})
def add_scan(op: Op, order_id: Ref, text: str) -> LineChange:
    """A scanned or typed code (``N*code`` allowed): find the product, add N x pack quantity.

    An unknown code raises ``NotFound`` naming the code; nothing changes.
    """
    order = editable(op, id_of(order_id))
    return add_scanned(op, order, text)


@operation(EDITORS, scoped={"order_id": ORDERS})
def set_quantity(op: Op, order_id: Ref, line_id: int, quantity: Any) -> LineEdit:
    amount = parse_quantity(quantity)
    order = editable(op, id_of(order_id))
    line = load_line(order, line_id)
    _check_returnable(order, line.product_id, line.product_code, amount)
    total, off = save_line(line.id, amount, line.unit_price, line.discount)
    fresh = bump(order)
    op.audit("order", order.id, "set_quantity",
             {"line": line.line_no, "quantity": (line.quantity, amount)})
    return LineEdit(fresh, replace(line, quantity=amount, amount=total, discount=off))


@operation("order.edit_price", scoped={"order_id": ORDERS})
def set_price(op: Op, order_id: Ref, line_id: int, unit_price: Any) -> LineEdit:
    price = parse_amount(unit_price, "unit_price")
    order = editable(op, id_of(order_id))
    line = load_line(order, line_id)
    total, off = save_line(line.id, line.quantity, price, line.discount)
    fresh = bump(order)
    op.audit("order", order.id, "set_price",
             {"line": line.line_no, "unit_price": (line.unit_price, price)})
    return LineEdit(fresh, replace(line, unit_price=price, amount=total, discount=off))


@operation(EDITORS, scoped={"order_id": ORDERS})
def set_line_discount(op: Op, order_id: Ref, line_id: int, discount: Any) -> LineEdit:
    """An amount off one line (not more than the line's quantity x price), or a percentage
    (``10%``, ``9折``) that follows later changes of quantity and price."""
    rate = parse_rate(discount)
    off = parse_amount(discount, "discount") if rate is None else Decimal("0.00")
    order = editable(op, id_of(order_id))
    line = load_line(order, line_id)
    total, off = save_line(line.id, line.quantity, line.unit_price, off, rate)
    fresh = bump(order)
    op.audit("order", order.id, "set_line_discount",
             {"line": line.line_no, "discount": (line.discount, off),
              **({"rate": str(rate)} if rate is not None else {})})
    return LineEdit(fresh, replace(line, discount=off, amount=total, discount_rate=rate))


@operation(EDITORS, scoped={"order_id": ORDERS})
def delete_line(op: Op, order_id: Ref, line_id: int) -> OrderHeader:
    order = editable(op, id_of(order_id))
    line = load_line(order, line_id)
    OrderLine.delete().where(OrderLine.id == line.id).execute()
    fresh = bump(order)
    op.audit("order", order.id, "delete_line",
             {"line": line.line_no, "product": line.product_code, "quantity": line.quantity})
    return fresh
