"""Making and changing draft orders: a new draft (alone, or with its first line in the same
transaction), its customer, its validity date, its discount; a draft sale made into a quote.

Life cycles (``status``), moved on by ``lifecycle`` and ``returns``::

    quote            draft -> converted (a sales order made from it) | cancelled
    sale             draft -> confirmed -> delivered (stock out)      | cancelled
    purchase         draft -> confirmed -> delivered (received: stock in) | cancelled
    sale_return      draft -> delivered (stock back in)               | cancelled
    purchase_return  draft -> delivered (stock out to the supplier)   | cancelled

A draft is numbered in the transaction that saves it, so a refused first line
(``start_order``) leaves neither a draft nor a used number behind. The number is taken last,
just before the commit: the number sequence of a kind is one row that a transaction taking a
number keeps locked until it commits (PostgreSQL), so taking it first made every other counter
wait for the whole first scan (8 sellers: slower than 1).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import replace
from decimal import Decimal
from typing import Any

from ...i18n import _
from ..core import clock, numbering
from ..core.errors import ValidationError
from ..core.money import fmt_money
from ..core.operation import Op, operation
from ..core.vocab import OrderKind, OrderStatus, shown_word
from ..models.orders import Order, OrderLine
from ..models.parties import Customer, Supplier
from ..parties.scope import CUSTOMERS
from ..stock.locations import get_location
from . import lines
from .editing import bump, editable, save_line
from .lifecycle import cancel_order
from .rows import LineChange, OrderHeader, Ref, first_row, id_of, load_header, load_lines, opt_id
from .rules import (
    EDIT_PERMISSION,
    EDITORS,
    RETURN_OF,
    line_amount,
    order_kind,
    parse_rate,
    title,
)
from .scope import ORDERS


def _check_parties(kind: OrderKind, cid: int | None, sid: int | None,
                   errors: dict[str, str]) -> None:
    if kind.is_sales:
        if sid is not None:
            errors["supplier"] = _("sales documents have a customer, not a supplier")
        if kind == OrderKind.QUOTE and cid is None:
            errors["customer"] = _("a quote is made out to a customer")
        if cid is not None and not Customer.select().where(Customer.id == cid).exists():
            errors["customer"] = _("customer #{cid} does not exist").format(cid=cid)
        return
    if cid is not None:
        errors["customer"] = _("purchase documents have a supplier, not a customer")
    if sid is None:
        errors["supplier"] = _("choose the supplier")
    elif not Supplier.select().where(Supplier.id == sid).exists():
        errors["supplier"] = _("supplier #{sid} does not exist").format(sid=sid)


def create_draft(
    op: Op,
    kind: OrderKind,
    *,
    customer_id: int | None = None,
    supplier_id: int | None = None,
    date: dt.date | None = None,
    valid_until: dt.date | None = None,
    location: int | str | None = None,
    source: OrderHeader | None = None,
    notes: str = "",
) -> OrderHeader:
    """The body of ``new_order`` (inside the caller's transaction). The draft's number is a
    placeholder that nobody else can see: the caller ends its transaction with
    ``number_draft``."""
    op.require(EDIT_PERMISSION[kind])
    errors: dict[str, str] = {}
    date = date or clock.today()
    cid, sid = customer_id, supplier_id
    if source is not None:
        if RETURN_OF.get(source.kind) != kind:
            errors["source"] = _("a {lower} cannot refer to {number}").format(
                                 lower=title(kind).lower(),
                                 number=source.number)
        elif source.status != OrderStatus.DELIVERED:
            errors["source"] = _("{number} is {status}; only delivered goods come back").format(
                                 number=source.number,
                                 status=shown_word(source.status))
        else:
            cid = cid if cid is not None else source.customer_id
            sid = sid if sid is not None else source.supplier_id
    if kind == OrderKind.SALE_RETURN and source is None:
        errors["source"] = _("a sales return refers to the sale it comes from")
    _check_parties(kind, cid, sid, errors)
    if kind == OrderKind.QUOTE:
        if valid_until is None:
            valid_until = date + dt.timedelta(days=30)
        if valid_until < date:
            errors["valid_until"] = _("a quote cannot expire before its date")
    elif valid_until is not None:
        errors["valid_until"] = _("only quotes have a validity date")
    if errors:
        raise ValidationError(errors)
    location_id = get_location(location).id
    order = Order.create(
        number=f"~{uuid.uuid4().hex}", kind=kind, status=OrderStatus.DRAFT, date=date, valid_until=valid_until,
        customer=cid, supplier=sid, salesperson=op.actor.id, location=location_id,
        source=source.id if source else None, notes=(notes or "").strip(),
    )
    op.audit("order", order.id, "create",
             {"kind": kind, "customer": cid, "supplier": sid,
              "source": source.id if source else None})
    return load_header(order.id)


def number_draft(order: OrderHeader) -> OrderHeader:
    """Give a draft made by ``create_draft`` its document number: the last write of its
    transaction (see the module docstring)."""
    number = numbering.next_number(order.kind, order.date)
    Order.update(number=number).where(Order.id == order.id).execute()
    return replace(order, number=number)


@operation(EDITORS, scoped={"customer_id": CUSTOMERS, "source_id": ORDERS})
def new_order(
    op: Op,
    kind: str,
    *,
    customer_id: Ref | None = None,
    supplier_id: Ref | None = None,
    date: dt.date | None = None,
    valid_until: dt.date | None = None,
    location: int | str | None = None,
    source_id: Ref | None = None,
    notes: str = "",
) -> OrderHeader:
    """A new draft with the next document number of its kind (taken in the same transaction).

    A sale without a customer is a walk-in (counter) sale. Purchases need a supplier. A sales
    return needs its source (the delivered sale); a purchase return may have one.
    """
    source = load_header(id_of(source_id)) if source_id is not None else None
    return number_draft(create_draft(
        op, order_kind(kind), customer_id=opt_id(customer_id), supplier_id=opt_id(supplier_id),
        date=date, valid_until=valid_until, location=location, source=source, notes=notes))


@operation(EDITORS, scoped={"customer_id": CUSTOMERS, "source_id": ORDERS})
def start_order(
    op: Op,
    kind: str,
    scan: str | None = None,
    *,
    product_id: Ref | None = None,
    quantity: Any = 1,
    customer_id: Ref | None = None,
    supplier_id: Ref | None = None,
    valid_until: dt.date | None = None,
    source_id: Ref | None = None,
) -> LineChange:
    """A new draft and its first line in ONE transaction: the first scan (``scan``, ``N*code``
    allowed) or product picked (``product_id``, ``quantity``) of an order; a return names its
    ``source_id``. If that line is refused (unknown code, inactive product, more than can come
    back, no permission, ...) nothing is left behind: no draft, no number used."""
    source = load_header(id_of(source_id)) if source_id is not None else None
    order = create_draft(op, order_kind(kind), customer_id=opt_id(customer_id),
                         supplier_id=opt_id(supplier_id), valid_until=valid_until,
                         source=source, location=source.location_id if source else None)
    if scan is not None:
        change = lines.add_scanned(op, order, scan)
    elif product_id is None:
        raise ValidationError({"product": _("scan or choose a product")})
    else:
        change = lines.add_product(op, order, id_of(product_id), lines.parse_quantity(quantity))
    return replace(change, order=number_draft(change.order))


@operation(EDITORS, scoped={"order_id": ORDERS})
def set_order_discount(op: Op, order_id: Ref, discount: Any) -> OrderHeader:
    """An amount off the whole order (not more than its subtotal), or a percentage (``5%``,
    ``95折``) of the subtotal that follows later changes of the lines."""
    rate = parse_rate(discount)
    off = lines.parse_amount(discount, "discount") if rate is None else Decimal("0.00")
    order = editable(op, id_of(order_id))
    if off > order.subtotal:
        raise ValidationError(
            {"discount": _("the discount {off} is more than the subtotal {subtotal}").format(
                           off=fmt_money(off),
                           subtotal=fmt_money(order.subtotal))}
        )
    fresh = bump(order, discount=off, rate=rate)
    op.audit("order", order.id, "set_discount", {"discount": (order.discount, fresh.discount),
                                                 **({"rate": str(rate)} if rate else {})})
    return fresh


@operation("order.sell", scoped={"order_id": ORDERS, "customer_id": CUSTOMERS})
def set_customer(op: Op, order_id: Ref, customer_id: Ref | None) -> OrderHeader:
    """Change a draft sale's or quote's customer (None: a walk-in sale); the lines are repriced
    at the new customer's price level."""
    order = editable(op, id_of(order_id))
    cid = opt_id(customer_id)
    if order.kind not in (OrderKind.QUOTE, OrderKind.SALE):
        raise ValidationError({"customer": _("the customer of a {kind} is fixed").format(
                                             kind=shown_word(order.kind))})
    level = 1
    if cid is not None:
        row = first_row(Customer.select(Customer.price_level).where(Customer.id == cid))
        if row is None:
            raise ValidationError({"customer": _("customer #{cid} does not exist").format(cid=cid)})
        level = row[0] or 1
    elif order.kind == OrderKind.QUOTE:
        raise ValidationError({"customer": _("a quote is made out to a customer")})
    Order.update(customer=cid).where(Order.id == order.id).execute()
    for line in load_lines(order.id):
        price = lines.price_for(order.kind, line.product_id, level)
        if price != line.unit_price:
            discount = min(line.discount, line_amount(line.quantity, price))
            save_line(line.id, line.quantity, price, discount)
    bump(order)
    op.audit("order", order.id, "set_customer", {"customer": (order.customer_id, cid)})
    return load_header(order.id)


@operation("order.sell", scoped={"order_id": ORDERS})
def set_valid_until(op: Op, order_id: Ref, valid_until: dt.date) -> OrderHeader:
    order = editable(op, id_of(order_id))
    if order.kind != OrderKind.QUOTE:
        raise ValidationError({"valid_until": _("only quotes have a validity date")})
    if valid_until < order.date:
        raise ValidationError({"valid_until": _("a quote cannot expire before its date")})
    Order.update(valid_until=valid_until).where(Order.id == order.id).execute()
    bump(order)
    op.audit("order", order.id, "set_valid_until", {"valid_until": (order.valid_until,
                                                                      valid_until)})
    return load_header(order.id)


@operation("order.sell", scoped={"order_id": ORDERS})
def sale_to_quote(op: Op, order_id: Ref, valid_until: dt.date) -> OrderHeader:
    """A draft sale becomes a quote in one step, all or nothing. Quotes and sales number in
    their own series: when the draft's SO number is still the newest one (a sale just started
    at the counter) it goes back to the series and the draft itself becomes the quote, so no
    cancelled SO appears; otherwise the lines are copied to a new quote and the draft is
    cancelled (its number stays accounted for)."""
    sale = editable(op, id_of(order_id))
    if sale.kind != OrderKind.SALE:
        raise ValidationError(_("only a draft sale can become a quote"))
    if sale.customer_id is None:
        raise ValidationError({"customer": _("a quote is made out to a customer: choose one")})
    if valid_until < sale.date:
        raise ValidationError({"valid_until": _("a quote cannot expire before its date")})
    op.require(EDIT_PERMISSION[OrderKind.QUOTE])
    if numbering.give_back(OrderKind.SALE, sale.number):
        Order.update(kind=OrderKind.QUOTE, valid_until=valid_until,
                     number=f"~{uuid.uuid4().hex}").where(Order.id == sale.id).execute()
        quote = number_draft(load_header(sale.id))
        op.audit("order", sale.id, "update", {"kind": (OrderKind.SALE, OrderKind.QUOTE),
                                              "number": (sale.number, quote.number)})
        return quote
    quote = create_draft(op, OrderKind.QUOTE, customer_id=sale.customer_id,
                         valid_until=valid_until, location=sale.location_id)
    for line in load_lines(sale.id):
        OrderLine.create(order=quote.id, line_no=line.line_no, product=line.product_id,
                         quantity=line.quantity, unit_price=line.unit_price,
                         discount=line.discount, amount=line.amount,
                         discount_rate=line.discount_rate)
    bump(quote, discount=sale.discount, rate=sale.discount_rate)
    cancel_order(op, sale)
    op.audit("order", quote.id, "copy", {"from": sale.number, "lines": "all"})
    return number_draft(load_header(quote.id))
