"""Orders of every kind: quotes, sales, sales returns, purchases, returns to suppliers.

Each function is one business operation: one write transaction, its own permission check,
an audit row. Money is exact (``Decimal``, stored as cents): a line's amount is
``quantity * unit_price - discount`` rounded half-up to cents; an order's ``subtotal`` is the
sum of its lines and ``total = subtotal - discount``.

Life cycles (``status``)::

    quote            draft -> converted (a sales order made from it) | cancelled
    sale             draft -> confirmed -> delivered (stock out)      | cancelled
    purchase         draft -> confirmed -> delivered (received: stock in) | cancelled
    sale_return      draft -> delivered (stock back in)               | cancelled
    purchase_return  draft -> delivered (stock out to the supplier)   | cancelled

``complete_sale`` is the counter's F10: confirm and deliver in ONE transaction; every line's
stock goes out or none does. Status changes are conditional UPDATEs (``WHERE status = ...``),
so two sessions cannot both deliver the same order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..catalog import products
from ..core import audit, clock, numbering
from ..core.actor import Actor
from ..core.db import write
from ..core.errors import Conflict, NotFound, ValidationError
from ..core.money import CENT, fmt_money, fmt_qty, money, qty, sum_of
from ..core.permissions import allowed, require
from ..models import Customer, Location, Order, OrderLine, Product, Supplier, User, now
from ..stock import ledger as stock

KINDS = ("quote", "sale", "sale_return", "purchase", "purchase_return")

# Which permission enters / edits / cancels a document of each kind.
_EDIT_PERMISSION = {
    "quote": "order.sell",
    "sale": "order.sell",
    "sale_return": "order.return",
    "purchase": "order.purchase",
    "purchase_return": "order.purchase",
}
# Stock direction when the order is delivered / received / completed.
_STOCK_SIGN = {"sale": -1, "sale_return": 1, "purchase": 1, "purchase_return": -1}
_RETURN_OF = {"sale": "sale_return", "purchase": "purchase_return"}
_CUSTOMER_KINDS = ("quote", "sale", "sale_return")
_RETURN_KINDS = ("sale_return", "purchase_return")

KIND_TITLES = {
    "quote": "Quote",
    "sale": "Sales order",
    "sale_return": "Sales return",
    "purchase": "Purchase order",
    "purchase_return": "Return to supplier",
}


@dataclass(frozen=True)
class LineChange:
    """What adding to a line did, for the status line: ``+1 -> 3``."""

    order: Order
    line: OrderLine
    added: Decimal
    new_line: bool

    @property
    def status_text(self) -> str:
        return f"{self.line.product.code} +{fmt_qty(self.added)} -> {fmt_qty(self.line.quantity)}"


@dataclass
class StockResult:
    """An order whose stock moved, and the low-stock warnings that came of it (P5)."""

    order: Order
    moves: list[stock.MoveResult] = field(default_factory=list)

    @property
    def low_stock(self) -> list[stock.MoveResult]:
        return [m for m in self.moves if m.low]

    @property
    def warnings(self) -> list[str]:
        return [m.warning for m in self.low_stock]


# --- reading --------------------------------------------------------------------------------


def get_order(order: Order | int) -> Order:
    oid = order.id if isinstance(order, Order) else order
    found = Order.get_or_none(Order.id == oid)
    if found is None:
        raise NotFound(f"order #{oid} does not exist")
    return found


def find_order(number: str) -> Order:
    found = Order.get_or_none(Order.number == (number or "").strip())
    if found is None:
        raise NotFound(f"there is no order {number}")
    return found


def order_lines(order: Order | int) -> list[OrderLine]:
    """The lines in entry order, each with its product loaded."""
    oid = order.id if isinstance(order, Order) else order
    return list(
        OrderLine.select(OrderLine, Product)
        .join(Product)
        .where(OrderLine.order == oid)
        .order_by(OrderLine.line_no)
    )


def list_orders(
    *,
    kind: str | None = None,
    status: str | None = None,
    customer_id: int | None = None,
    supplier_id: int | None = None,
    before_id: int | None = None,
    limit: int = 100,
) -> list[Order]:
    """Newest first, one page (keyset: pass the last id as ``before_id``)."""
    query = Order.select()
    if kind:
        query = query.where(Order.kind == kind)
    if status:
        query = query.where(Order.status == status)
    if customer_id is not None:
        query = query.where(Order.customer == customer_id)
    if supplier_id is not None:
        query = query.where(Order.supplier == supplier_id)
    if before_id is not None:
        query = query.where(Order.id < before_id)
    return list(query.order_by(Order.id.desc()).limit(limit))


def line_amount(quantity: Decimal, unit_price: Decimal, discount: Decimal = Decimal(0)) -> Decimal:
    """``quantity * unit_price - discount``, half-up to cents (the rule ``tuicrm check`` uses)."""
    gross = (Decimal(quantity) * Decimal(unit_price)).quantize(CENT, rounding=ROUND_HALF_UP)
    return gross - Decimal(discount)


def default_price(product: Product, kind: str, customer: Customer | None) -> Decimal:
    """The unit price a new line gets: purchases at cost; sales at the customer's price level
    (price1..price4; price1, the retail price, when that level has no price or no customer)."""
    if kind in ("purchase", "purchase_return"):
        return product.cost
    level = customer.price_level if customer is not None else 1
    if level not in (1, 2, 3, 4):
        level = 1
    price = getattr(product, f"price{level}")
    return price if price > 0 or level == 1 else product.price1


# --- helpers --------------------------------------------------------------------------------


def _require_kind(actor: Actor, kind: str) -> None:
    require(actor, _EDIT_PERMISSION[kind])


def _fresh(order: Order | int) -> Order:
    return get_order(order)


def _editable(order: Order) -> None:
    if order.status != "draft":
        raise ValidationError(
            f"{order.number} is {order.status}; only a draft can be changed"
        )


def _bump(order: Order) -> None:
    """Recompute subtotal/total from the lines and bump the version (inside the txn)."""
    subtotal = OrderLine.select(sum_of(OrderLine.amount)).where(OrderLine.order == order.id).scalar()
    subtotal = subtotal if subtotal is not None else Decimal("0.00")
    discount = min(order.discount, subtotal) if subtotal >= 0 else Decimal("0.00")
    Order.update(
        subtotal=subtotal,
        discount=discount,
        total=subtotal - discount,
        version=Order.version + 1,
        updated_at=now(),
    ).where(Order.id == order.id).execute()


def _transition(order: Order, from_status: tuple[str, ...], to_status: str) -> None:
    """Move ``order`` to ``to_status`` only if it is still in one of ``from_status``."""
    changed = (
        Order.update(status=to_status, version=Order.version + 1, updated_at=now())
        .where((Order.id == order.id) & (Order.status.in_(from_status)))
        .execute()
    )
    if changed != 1:
        current = Order.get_or_none(Order.id == order.id)
        state = current.status if current else "deleted"
        raise Conflict(f"{order.number} is {state} now (changed in another session?)")


def _parse_qty(value: Any) -> Decimal:
    try:
        amount = qty(value)
    except ValueError as e:
        raise ValidationError({"quantity": str(e)}) from None
    if amount <= 0:
        raise ValidationError({"quantity": "the quantity must be more than 0"})
    if amount >= Decimal("1e9"):
        raise ValidationError({"quantity": "the quantity is too large"})
    return amount


def _parse_money(value: Any, name: str) -> Decimal:
    try:
        amount = money(value if value not in (None, "") else 0)
    except ValueError as e:
        raise ValidationError({name: str(e)}) from None
    if amount < 0:
        raise ValidationError({name: "cannot be negative"})
    if amount >= Decimal("1e12"):
        raise ValidationError({name: "too large"})
    return amount


def _get_line(order: Order, line_id: int) -> OrderLine:
    line = (
        OrderLine.select(OrderLine, Product)
        .join(Product)
        .where((OrderLine.id == line_id) & (OrderLine.order == order.id))
        .first()
    )
    if line is None:
        raise NotFound(f"line #{line_id} is not on {order.number} (deleted meanwhile?)")
    return line


def _save_line(line: OrderLine, quantity: Decimal, unit_price: Decimal, discount: Decimal) -> None:
    gross = line_amount(quantity, unit_price)
    if discount > gross:
        raise ValidationError(
            {"discount": f"the discount {fmt_money(discount)} is more than the line's "
                         f"{fmt_money(gross)}"}
        )
    OrderLine.update(
        quantity=quantity, unit_price=unit_price, discount=discount,
        amount=gross - discount,
    ).where(OrderLine.id == line.id).execute()


def _returnable(source: Order, product_id: int, exclude_order: int | None) -> Decimal:
    """How much of ``product_id`` can still be returned against ``source``."""
    sold = (
        OrderLine.select(sum_of(OrderLine.quantity))
        .where((OrderLine.order == source.id) & (OrderLine.product == product_id))
        .scalar()
    ) or Decimal(0)
    returned_q = (
        OrderLine.select(sum_of(OrderLine.quantity))
        .join(Order)
        .where(
            (Order.source == source.id)
            & (Order.kind == _RETURN_OF[source.kind])
            & (Order.status == "delivered")
            & (OrderLine.product == product_id)
        )
    )
    if exclude_order is not None:
        returned_q = returned_q.where(Order.id != exclude_order)
    returned = returned_q.scalar() or Decimal(0)
    return sold - returned


# --- creating and editing drafts ------------------------------------------------------------


def new_order(
    actor: User,
    kind: str,
    *,
    customer: Customer | int | None = None,
    supplier: Supplier | int | None = None,
    date: dt.date | None = None,
    valid_until: dt.date | None = None,
    location: Location | int | str | None = None,
    source: Order | int | None = None,
    notes: str = "",
) -> Order:
    """A new draft with the next document number of its kind (taken in the same transaction).

    A sale without a customer is a walk-in (counter) sale. Purchases need a supplier. A sales
    return needs its ``source`` (the delivered sale); a purchase return may have one.
    """
    if kind not in KINDS:
        raise ValidationError({"kind": f"unknown order kind {kind!r}; one of: {', '.join(KINDS)}"})
    _require_kind(actor, kind)
    errors: dict[str, str] = {}
    date = date or clock.today()
    cid = customer.id if isinstance(customer, Customer) else customer
    sid = supplier.id if isinstance(supplier, Supplier) else supplier
    src = get_order(source) if source is not None else None
    if src is not None:
        if _RETURN_OF.get(src.kind) != kind:
            errors["source"] = f"a {KIND_TITLES[kind].lower()} cannot refer to {src.number}"
        elif src.status != "delivered":
            errors["source"] = f"{src.number} is {src.status}; only delivered goods come back"
        else:
            cid = cid if cid is not None else src.customer_id
            sid = sid if sid is not None else src.supplier_id
    if kind == "sale_return" and src is None:
        errors["source"] = "a sales return refers to the sale it comes from"
    if kind in _CUSTOMER_KINDS:
        if sid is not None:
            errors["supplier"] = "sales documents have a customer, not a supplier"
        if kind == "quote" and cid is None:
            errors["customer"] = "a quote is made out to a customer"
        if cid is not None and not Customer.select().where(Customer.id == cid).exists():
            errors["customer"] = f"customer #{cid} does not exist"
    else:
        if cid is not None:
            errors["customer"] = "purchase documents have a supplier, not a customer"
        if sid is None:
            errors["supplier"] = "choose the supplier"
        elif not Supplier.select().where(Supplier.id == sid).exists():
            errors["supplier"] = f"supplier #{sid} does not exist"
    if kind == "quote":
        if valid_until is None:
            valid_until = date + dt.timedelta(days=30)
        if valid_until < date:
            errors["valid_until"] = "a quote cannot expire before its date"
    elif valid_until is not None:
        errors["valid_until"] = "only quotes have a validity date"
    if errors:
        raise ValidationError(errors)
    loc = stock.get_location(location)
    with write():
        number = numbering.next_number(kind, date)
        order = Order.create(
            number=number, kind=kind, status="draft", date=date, valid_until=valid_until,
            customer=cid, supplier=sid, salesperson=actor.id, location=loc.id,
            source=src.id if src else None, notes=(notes or "").strip(),
        )
        audit.record(actor, "order", order.id, "create",
                     {"number": number, "kind": kind, "customer": cid, "supplier": sid,
                      "source": src.id if src else None})
    return get_order(order.id)


def add_line(
    actor: User,
    order: Order | int,
    product: Product | int,
    quantity: Any = 1,
    *,
    unit_price: Any = None,
) -> LineChange:
    """Add ``quantity`` of ``product``; a product already on the order adds to its line.

    The unit price comes from the customer's price level (purchases: cost) unless
    ``unit_price`` is given, which needs ``order.edit_price`` when it differs.
    """
    amount = _parse_qty(quantity)
    with write():
        current = _fresh(order)
        _require_kind(actor, current.kind)
        _editable(current)
        prod = stock._product(product)
        if not prod.active:
            raise ValidationError({"product": f"{prod.code} {prod.name} is inactive"})
        line = (
            OrderLine.select(OrderLine, Product).join(Product)
            .where((OrderLine.order == current.id) & (OrderLine.product == prod.id))
            .order_by(OrderLine.line_no).first()
        )
        if current.source_id is not None and current.kind in _RETURN_KINDS:
            source = get_order(current.source_id)
            left = _returnable(source, prod.id, current.id)
            already = line.quantity if line is not None else Decimal(0)
            if already + amount > left:
                raise ValidationError(
                    {"quantity": f"only {fmt_qty(left)} of {prod.code} {prod.name} can be "
                                 f"returned against {source.number}"}
                )
        if line is not None:
            price = line.unit_price
            if unit_price is not None and _parse_money(unit_price, "unit_price") != price:
                require(actor, "order.edit_price")
                price = _parse_money(unit_price, "unit_price")
            _save_line(line, line.quantity + amount, price, line.discount)
            new_line = False
            line_id = line.id
        else:
            if current.source_id is not None and current.kind in _RETURN_KINDS:
                source_line = (
                    OrderLine.select().where(
                        (OrderLine.order == current.source_id) & (OrderLine.product == prod.id)
                    ).first()
                )
                price = source_line.unit_price if source_line else Decimal(0)
            else:
                customer = current.customer if current.customer_id else None
                price = default_price(prod, current.kind, customer)
            if unit_price is not None and _parse_money(unit_price, "unit_price") != price:
                require(actor, "order.edit_price")
                price = _parse_money(unit_price, "unit_price")
            last = (
                OrderLine.select(OrderLine.line_no).where(OrderLine.order == current.id)
                .order_by(OrderLine.line_no.desc()).scalar()
            ) or 0
            gross = line_amount(amount, price)
            created = OrderLine.create(
                order=current.id, line_no=last + 1, product=prod.id, quantity=amount,
                unit_price=price, discount=0, amount=gross,
            )
            new_line = True
            line_id = created.id
        _bump(current)
        audit.record(actor, "order", current.id, "add_line",
                     {"product": prod.code, "quantity": amount})
    fresh = get_order(current.id)
    return LineChange(fresh, _get_line(fresh, line_id), amount, new_line)


def add_scan(actor: User, order: Order | int, text: str) -> LineChange:
    """A scanned or typed code (``N*code`` allowed): find the product, add N x pack quantity.

    An unknown code raises ``NotFound`` naming the code; nothing changes.
    """
    count, code = products.parse_scan(text)
    found = products.lookup(code)
    if found is None:
        raise NotFound(f"unknown code {code}")
    product, pack = found
    return add_line(actor, order, product, count * pack)


def set_quantity(actor: User, order: Order | int, line_id: int, quantity: Any) -> OrderLine:
    amount = _parse_qty(quantity)
    with write():
        current = _fresh(order)
        _require_kind(actor, current.kind)
        _editable(current)
        line = _get_line(current, line_id)
        if current.source_id is not None and current.kind in _RETURN_KINDS:
            source = get_order(current.source_id)
            left = _returnable(source, line.product_id, current.id)
            if amount > left:
                raise ValidationError(
                    {"quantity": f"only {fmt_qty(left)} of {line.product.code} can be returned "
                                 f"against {source.number}"}
                )
        _save_line(line, amount, line.unit_price, line.discount)
        _bump(current)
        audit.record(actor, "order", current.id, "set_quantity",
                     {"line": line.line_no, "quantity": (line.quantity, amount)})
    return _get_line(current, line_id)


def set_price(actor: User, order: Order | int, line_id: int, unit_price: Any) -> OrderLine:
    require(actor, "order.edit_price")
    price = _parse_money(unit_price, "unit_price")
    with write():
        current = _fresh(order)
        _require_kind(actor, current.kind)
        _editable(current)
        line = _get_line(current, line_id)
        _save_line(line, line.quantity, price, line.discount)
        _bump(current)
        audit.record(actor, "order", current.id, "set_price",
                     {"line": line.line_no, "unit_price": (line.unit_price, price)})
    return _get_line(current, line_id)


def set_line_discount(actor: User, order: Order | int, line_id: int, discount: Any) -> OrderLine:
    """An amount off one line (not more than the line's quantity x price)."""
    off = _parse_money(discount, "discount")
    with write():
        current = _fresh(order)
        _require_kind(actor, current.kind)
        _editable(current)
        line = _get_line(current, line_id)
        _save_line(line, line.quantity, line.unit_price, off)
        _bump(current)
        audit.record(actor, "order", current.id, "set_line_discount",
                     {"line": line.line_no, "discount": (line.discount, off)})
    return _get_line(current, line_id)


def set_order_discount(actor: User, order: Order | int, discount: Any) -> Order:
    """An amount off the whole order (not more than its subtotal)."""
    off = _parse_money(discount, "discount")
    with write():
        current = _fresh(order)
        _require_kind(actor, current.kind)
        _editable(current)
        if off > current.subtotal:
            raise ValidationError(
                {"discount": f"the discount {fmt_money(off)} is more than the subtotal "
                             f"{fmt_money(current.subtotal)}"}
            )
        old = current.discount
        Order.update(discount=off).where(Order.id == current.id).execute()
        current.discount = off
        _bump(current)
        audit.record(actor, "order", current.id, "set_discount", {"discount": (old, off)})
    return get_order(current.id)


def delete_line(actor: User, order: Order | int, line_id: int) -> Order:
    with write():
        current = _fresh(order)
        _require_kind(actor, current.kind)
        _editable(current)
        line = _get_line(current, line_id)
        OrderLine.delete().where(OrderLine.id == line.id).execute()
        _bump(current)
        audit.record(actor, "order", current.id, "delete_line",
                     {"line": line.line_no, "product": line.product.code,
                      "quantity": line.quantity})
    return get_order(current.id)


def set_customer(actor: User, order: Order | int, customer: Customer | int | None) -> Order:
    """Change a draft's customer; lines are repriced at the new customer's price level."""
    cid = customer.id if isinstance(customer, Customer) else customer
    with write():
        current = _fresh(order)
        _require_kind(actor, current.kind)
        _editable(current)
        if current.kind not in ("quote", "sale"):
            raise ValidationError({"customer": f"the customer of a {current.kind} is fixed"})
        new = None
        if cid is not None:
            new = Customer.get_or_none(Customer.id == cid)
            if new is None:
                raise ValidationError({"customer": f"customer #{cid} does not exist"})
        elif current.kind == "quote":
            raise ValidationError({"customer": "a quote is made out to a customer"})
        Order.update(customer=cid).where(Order.id == current.id).execute()
        for line in order_lines(current):
            price = default_price(line.product, current.kind, new)
            if price != line.unit_price:
                discount = min(line.discount, line_amount(line.quantity, price))
                _save_line(line, line.quantity, price, discount)
        _bump(current)
        audit.record(actor, "order", current.id, "set_customer",
                     {"customer": (current.customer_id, cid)})
    return get_order(current.id)


def set_valid_until(actor: User, order: Order | int, valid_until: dt.date) -> Order:
    with write():
        current = _fresh(order)
        _require_kind(actor, current.kind)
        _editable(current)
        if current.kind != "quote":
            raise ValidationError({"valid_until": "only quotes have a validity date"})
        if valid_until < current.date:
            raise ValidationError({"valid_until": "a quote cannot expire before its date"})
        Order.update(valid_until=valid_until).where(Order.id == current.id).execute()
        _bump(current)
        audit.record(actor, "order", current.id, "set_valid_until",
                     {"valid_until": (current.valid_until, valid_until)})
    return get_order(current.id)


# --- state changes --------------------------------------------------------------------------


def _needs_lines(order: Order) -> list[OrderLine]:
    lines = order_lines(order)
    if not lines:
        raise ValidationError(f"{order.number} has no lines")
    return lines


def _move_stock(actor: User, order: Order, lines: list[OrderLine]) -> list[stock.MoveResult]:
    """Every line's stock movement, in product order (so two sessions moving the same products
    lock them in the same order on PostgreSQL and never deadlock)."""
    sign = _STOCK_SIGN[order.kind]
    results = []
    for line in sorted(lines, key=lambda ln: (ln.product_id, ln.line_no)):
        results.append(
            stock.move(
                actor, line.product_id, order.location_id, sign * line.quantity, order.kind,
                doc_type="order", doc_id=order.id, doc_number=order.number,
            )
        )
    return results


def confirm(actor: User, order: Order | int) -> Order:
    """A draft sale or purchase becomes confirmed (to be delivered / received later)."""
    current = _fresh(order)
    if current.kind not in ("sale", "purchase"):
        raise ValidationError(f"a {KIND_TITLES[current.kind].lower()} is not confirmed")
    _require_kind(actor, current.kind)
    with write():
        current = _fresh(order)
        _needs_lines(current)
        _transition(current, ("draft",), "confirmed")
        audit.record(actor, "order", current.id, "confirm", {"status": ("draft", "confirmed")})
    return get_order(current.id)


def deliver(actor: User, order: Order | int) -> StockResult:
    """Deliver a confirmed sale: every line's stock goes out, or none does (O3)."""
    require(actor, "order.deliver")
    with write():
        current = _fresh(order)
        if current.kind != "sale":
            raise ValidationError(f"{current.number} is not a sales order")
        if current.status == "draft":
            raise ValidationError(f"{current.number} is a draft; confirm it first")
        _transition(current, ("confirmed",), "delivered")
        moves = _move_stock(actor, current, _needs_lines(current))
        audit.record(actor, "order", current.id, "deliver",
                     {"status": ("confirmed", "delivered")})
    return StockResult(get_order(current.id), moves)


def complete_sale(actor: User, order: Order | int) -> StockResult:
    """F10 at the counter: confirm and deliver in ONE transaction.

    If any line is short, ``InsufficientStock`` names the product and the shortfall and nothing
    changes (the order stays a draft, no stock moves).
    """
    require(actor, "order.sell")
    with write():
        current = _fresh(order)
        if current.kind != "sale":
            raise ValidationError(f"{current.number} is not a sale")
        lines = _needs_lines(current)
        before = current.status
        _transition(current, ("draft", "confirmed"), "delivered")
        moves = _move_stock(actor, current, lines)
        audit.record(actor, "order", current.id, "complete",
                     {"status": (before, "delivered"), "total": current.total})
    return StockResult(get_order(current.id), moves)


def receive(actor: User, order: Order | int) -> StockResult:
    """Receive a purchase order: every line's stock comes in (O4). Whole orders only."""
    require(actor, "order.receive")
    with write():
        current = _fresh(order)
        if current.kind != "purchase":
            raise ValidationError(f"{current.number} is not a purchase order")
        lines = _needs_lines(current)
        before = current.status
        _transition(current, ("draft", "confirmed"), "delivered")
        moves = _move_stock(actor, current, lines)
        audit.record(actor, "order", current.id, "receive", {"status": (before, "delivered")})
    return StockResult(get_order(current.id), moves)


def new_return(actor: User, source: Order | int) -> Order:
    """A draft return against a delivered sale (sales return) or purchase (to the supplier)."""
    src = get_order(source)
    if src.kind not in _RETURN_OF:
        raise ValidationError(f"{src.number} is a {src.kind}; only sales and purchases are returned")
    return new_order(actor, _RETURN_OF[src.kind], source=src, location=src.location_id)


def complete_return(actor: User, order: Order | int) -> StockResult:
    """Book a return: a sales return brings stock back, a return to supplier takes it out.

    Against a source order, no product comes back more than was sold (checked again here,
    inside the transaction, across every return of that order).
    """
    with write():
        current = _fresh(order)
        if current.kind not in ("sale_return", "purchase_return"):
            raise ValidationError(f"{current.number} is not a return")
        _require_kind(actor, current.kind)
        lines = _needs_lines(current)
        if current.source_id is not None:
            source = get_order(current.source_id)
            # Touch the source row: on PostgreSQL two returns of one order now queue.
            Order.update(version=Order.version + 1).where(Order.id == source.id).execute()
            for line in lines:
                left = _returnable(source, line.product_id, current.id)
                if line.quantity > left:
                    raise ValidationError(
                        {"quantity": f"only {fmt_qty(left)} of {line.product.code} "
                                     f"{line.product.name} can still be returned against "
                                     f"{source.number}"}
                    )
        _transition(current, ("draft",), "delivered")
        moves = _move_stock(actor, current, lines)
        audit.record(actor, "order", current.id, "complete_return",
                     {"status": ("draft", "delivered"), "total": current.total})
    return StockResult(get_order(current.id), moves)


def convert_quote(actor: User, quote: Order | int, *, allow_expired: bool = False) -> Order:
    """Turn an open quote into a draft sales order in one step (O2): same customer, lines,
    prices and discounts; the order's ``source`` is the quote; the quote becomes 'converted'."""
    require(actor, "order.sell")
    with write():
        current = _fresh(quote)
        if current.kind != "quote":
            raise ValidationError(f"{current.number} is not a quote")
        if current.status != "draft":
            raise ValidationError(f"quote {current.number} is {current.status}")
        if (not allow_expired and current.valid_until is not None
                and current.valid_until < clock.today()):
            raise ValidationError(
                {"valid_until": f"quote {current.number} expired on {current.valid_until}; "
                                "extend it first"}
            )
        lines = _needs_lines(current)
        _transition(current, ("draft",), "converted")
        today = clock.today()
        number = numbering.next_number("sale", today)
        order = Order.create(
            number=number, kind="sale", status="draft", date=today,
            customer=current.customer_id, salesperson=actor.id, location=current.location_id,
            source=current.id, subtotal=current.subtotal, discount=current.discount,
            total=current.total, notes=current.notes,
        )
        for line in lines:
            OrderLine.create(
                order=order.id, line_no=line.line_no, product=line.product_id,
                quantity=line.quantity, unit_price=line.unit_price, discount=line.discount,
                amount=line.amount,
            )
        audit.record(actor, "order", current.id, "convert",
                     {"status": ("draft", "converted"), "order": number})
        audit.record(actor, "order", order.id, "create",
                     {"number": number, "kind": "sale", "source": current.number})
    return get_order(order.id)


def cancel(actor: User, order: Order | int) -> Order:
    """Cancel a draft or confirmed order (nothing was delivered, so no stock moves)."""
    with write():
        current = _fresh(order)
        _require_kind(actor, current.kind)
        if current.status == "delivered":
            raise ValidationError(
                f"{current.number} is already delivered; enter a return instead"
            )
        before = current.status
        _transition(current, ("draft", "confirmed"), "cancelled")
        audit.record(actor, "order", current.id, "cancel", {"status": (before, "cancelled")})
    return get_order(current.id)


def may_edit_price(user: User | None) -> bool:
    return allowed(user, "order.edit_price")


def sale_to_quote(actor: User, sale: Order | int, valid_until: dt.date) -> Order:
    """A draft sale becomes a quote in one step: the same lines, prices and discounts on a new
    quote, the draft cancelled; all or nothing."""
    with write():
        sale = get_order(sale if isinstance(sale, int) else sale.id)
        if sale.kind != "sale" or sale.status != "draft":
            raise ValidationError("only a draft sale can become a quote")
        quote = new_order(actor, "quote", customer=sale.customer_id, valid_until=valid_until)
        for line in order_lines(sale):
            change = add_line(actor, quote, line.product_id, line.quantity,
                              unit_price=line.unit_price)
            if line.discount:
                set_line_discount(actor, quote, change.line.id, line.discount)
        if sale.discount:
            set_order_discount(actor, quote, sale.discount)
        cancel(actor, sale)
    return get_order(quote.id)
