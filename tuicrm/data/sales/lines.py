"""The lines of a draft: add by product or by scan (a product already on the order adds to its
line, whichever of its barcodes was scanned; ``N*code`` adds N; a carton code its pack
quantity), change a line's quantity, price or discount, delete it.

Every operation locks the order first (``editing.editable``) and recomputes the order's totals
before it commits, so the order always equals the sum of its lines.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..catalog import products
from ..core.errors import NotFound, ValidationError
from ..core.money import fmt_qty
from ..core.operation import Op, operation
from ..models.catalog import Product
from ..models.orders import OrderLine
from .editing import bump, editable, returnable, save_line
from .rows import (
    LineChange,
    LineEdit,
    OrderHeader,
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
)
from .scope import ORDERS

__all__ = [
    "add_line", "add_scan", "delete_line", "parse_amount", "parse_quantity", "set_line_discount",
    "set_price", "set_quantity",
]


def price_for(kind: Any, product_id: int, price_level: int) -> Decimal:
    """The default unit price of ``product_id`` on an order of ``kind`` (see
    ``rules.default_price``)."""
    row = first_row(Product.select(Product.cost, Product.price1, Product.price2,
                                   Product.price3, Product.price4)
                    .where(Product.id == product_id))
    if row is None:
        raise NotFound(f"product #{product_id} does not exist")
    cost, *prices = row
    return default_price(kind, cost, tuple(prices), price_level)


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
            {"quantity": f"only {fmt_qty(left)} of {code} can be returned against "
                         f"{source.number}"}
        )


def add_product(op: Op, order: OrderHeader, product_id: int, amount: Decimal,
                unit_price: Any = None) -> LineChange:
    """The body of ``add_line`` on a locked, editable ``order``."""
    product = first_row(Product.select(Product.code, Product.name, Product.active)
                        .where(Product.id == product_id))
    if product is None:
        raise NotFound(f"product #{product_id} does not exist")
    code, name, active = product
    if not active:
        raise ValidationError({"product": f"{code} {name} is inactive"})
    line = first_row(
        OrderLine.select(OrderLine.id, OrderLine.quantity, OrderLine.unit_price,
                         OrderLine.discount)
        .where((OrderLine.order == order.id) & (OrderLine.product == product_id))
        .order_by(OrderLine.line_no)
    )
    already = line[1] if line is not None else Decimal(0)
    _check_returnable(order, product_id, f"{code} {name}", already + amount)
    if line is not None:
        line_id, quantity, price, discount = line
    else:
        price = (_source_price(order, product_id) if order.kind.is_return and order.source_id
                 else price_for(order.kind, product_id, order.price_level))
    if unit_price is not None:
        wanted = parse_amount(unit_price, "unit_price")
        if wanted != price:
            op.require("order.edit_price")
            price = wanted
    if line is not None:
        save_line(line_id, quantity + amount, price, discount)
    else:
        last = (OrderLine.select(OrderLine.line_no).where(OrderLine.order == order.id)
                .order_by(OrderLine.line_no.desc()).scalar()) or 0
        line_id = OrderLine.create(
            order=order.id, line_no=last + 1, product=product_id, quantity=amount,
            unit_price=price, discount=0, amount=line_amount(amount, price),
        ).id
    bump(order)
    op.audit("order", order.id, "add_line", {"product": code, "quantity": amount})
    fresh = load_header(order.id)
    return LineChange(fresh, load_line(fresh, line_id), amount, line is None)


def add_scanned(op: Op, order: OrderHeader, text: str) -> LineChange:
    """The body of ``add_scan`` on a locked, editable ``order``."""
    count, code = products.parse_scan(text)
    found = products.lookup(code)
    if found is None:
        raise UnknownCode(code)
    product, pack = found
    return add_product(op, order, int(product.id), parse_quantity(count * pack))


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
    save_line(line.id, amount, line.unit_price, line.discount)
    bump(order)
    op.audit("order", order.id, "set_quantity",
             {"line": line.line_no, "quantity": (line.quantity, amount)})
    fresh = load_header(order.id)
    return LineEdit(fresh, load_line(fresh, line_id))


@operation("order.edit_price", scoped={"order_id": ORDERS})
def set_price(op: Op, order_id: Ref, line_id: int, unit_price: Any) -> LineEdit:
    price = parse_amount(unit_price, "unit_price")
    order = editable(op, id_of(order_id))
    line = load_line(order, line_id)
    save_line(line.id, line.quantity, price, line.discount)
    bump(order)
    op.audit("order", order.id, "set_price",
             {"line": line.line_no, "unit_price": (line.unit_price, price)})
    fresh = load_header(order.id)
    return LineEdit(fresh, load_line(fresh, line_id))


@operation(EDITORS, scoped={"order_id": ORDERS})
def set_line_discount(op: Op, order_id: Ref, line_id: int, discount: Any) -> LineEdit:
    """An amount off one line (not more than the line's quantity x price)."""
    off = parse_amount(discount, "discount")
    order = editable(op, id_of(order_id))
    line = load_line(order, line_id)
    save_line(line.id, line.quantity, line.unit_price, off)
    bump(order)
    op.audit("order", order.id, "set_line_discount",
             {"line": line.line_no, "discount": (line.discount, off)})
    fresh = load_header(order.id)
    return LineEdit(fresh, load_line(fresh, line_id))


@operation(EDITORS, scoped={"order_id": ORDERS})
def delete_line(op: Op, order_id: Ref, line_id: int) -> OrderHeader:
    order = editable(op, id_of(order_id))
    line = load_line(order, line_id)
    OrderLine.delete().where(OrderLine.id == line.id).execute()
    bump(order)
    op.audit("order", order.id, "delete_line",
             {"line": line.line_no, "product": line.product_code, "quantity": line.quantity})
    return load_header(order.id)
