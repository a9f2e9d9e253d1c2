"""Reading orders: one order (by id or number), its lines, the whole document
for printing, a page of orders, the customer or supplier to put on an order. Every reader keeps
to the actor's order scope (``sales.scope``) and returns plain rows (``sales.rows``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...i18n import _
from ..core.errors import NotFound
from ..core.operation import Op, reader
from ..models.orders import Order
from ..models.parties import Customer, Supplier
from ..parties.scope import CUSTOMERS
from .rows import (
    OrderHeader,
    OrderLineRow,
    Ref,
    all_rows,
    first_row,
    header_of,
    header_query,
    id_of,
    load_header,
)
from .rows import load_lines as _load_lines
from .rules import READERS
from .scope import ORDERS, order_scope_where


@dataclass(frozen=True)
class OrderDocument:
    """An order with its lines and what a printed document says about its customer or
    supplier (address, phone, tax number)."""

    order: OrderHeader
    lines: tuple[OrderLineRow, ...]
    party_details: tuple[str, ...]


@dataclass(frozen=True)
class Party:
    """A customer or supplier as an order shows it."""

    id: int
    code: str
    name: str

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}"


def _scoped(op: Op, query: Any) -> Any:
    where = order_scope_where(op.actor)
    return query if where is None else query.where(where)


@reader(READERS, scoped={"order_id": ORDERS})
def get_order(op: Op, order_id: Ref) -> OrderHeader:
    return load_header(id_of(order_id))


@reader(READERS)
def find_order(op: Op, number: str) -> OrderHeader:
    """The order numbered ``number`` (``NotFound`` also when it is not the actor's)."""
    query = _scoped(op, header_query().where(Order.number == (number or "").strip()))
    found = first_row(query)
    if found is None:
        raise NotFound(_("there is no order {number}").format(number=number))
    return header_of(found)


@reader(READERS, scoped={"order_id": ORDERS})
def order_lines(op: Op, order_id: Ref) -> list[OrderLineRow]:
    """The lines in entry order, each with its product's code, name and unit."""
    return _load_lines(id_of(order_id))


def _party_details(order: OrderHeader) -> tuple[str, ...]:
    if order.customer_id is not None:
        row = first_row(Customer.select(Customer.address, Customer.phone, Customer.mobile,
                               Customer.tax_number)
               .where(Customer.id == order.customer_id))
        if row is None:
            return ()
        address, phone, mobile, tax = row
        phone = phone or mobile
    elif order.supplier_id is not None:
        row = first_row(Supplier.select(Supplier.address, Supplier.phone, Supplier.tax_number)
               .where(Supplier.id == order.supplier_id))
        if row is None:
            return ()
        address, phone, tax = row
    else:
        return ()
    return tuple(x for x in (address, phone, f"Tax no. {tax}" if tax else "") if x)


@reader(READERS, scoped={"customer_id": CUSTOMERS})
def customer_party(op: Op, customer_id: int) -> Party:
    """A customer to put on an order (within the actor's customers)."""
    row = first_row(Customer.select(Customer.id, Customer.code, Customer.name)
                    .where(Customer.id == customer_id))
    if row is None:
        raise NotFound(_("customer #{customer_id} does not exist").format(customer_id=customer_id))
    return Party(*row)


@reader(("order.purchase",))
def supplier_party(op: Op, supplier_id: int) -> Party:
    row = first_row(Supplier.select(Supplier.id, Supplier.code, Supplier.name)
                    .where(Supplier.id == supplier_id))
    if row is None:
        raise NotFound(_("supplier #{supplier_id} does not exist").format(supplier_id=supplier_id))
    return Party(*row)


@reader(READERS, scoped={"order_id": ORDERS})
def order_document(op: Op, order_id: Ref) -> OrderDocument:
    """Everything a receipt, invoice or delivery note prints, read in one go."""
    order = load_header(id_of(order_id))
    return OrderDocument(order, tuple(_load_lines(order.id)), _party_details(order))


@reader(READERS, scoped={"customer_id": CUSTOMERS})
def list_orders(
    op: Op,
    *,
    kind: str | None = None,
    status: str | None = None,
    customer_id: int | None = None,
    supplier_id: int | None = None,
    before_id: int | None = None,
    limit: int = 100,
) -> list[OrderHeader]:
    """Newest first, one page (keyset: pass the last id as ``before_id``)."""
    query = header_query()
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
    query = _scoped(op, query)
    rows = all_rows(query.order_by(Order.id.desc()).limit(limit))
    return [header_of(row) for row in rows]
