"""What sales operations hand out: plain frozen rows with the joins already done (an order with
its customer or supplier code and name; a line with its product's code and name), never
peewee models. Screens, documents and the order entry controller read these and nothing else.

``load_header`` / ``load_lines`` / ``load_line`` are the one place that reads them (one
joined query each); they check nothing: the operations that call them do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from peewee import JOIN

from ...i18n import _
from ..core.errors import NotFound
from ..core.money import fmt_qty
from ..core.vocab import OrderKind, OrderStatus, status_word
from ..models.catalog import Product
from ..models.orders import Order, OrderLine
from ..models.parties import Customer, Supplier
from ..models.users import User
from ..stock.ledger import MoveResult
from .rules import title


class Identified(Protocol):
    """A row with an id (an ``OrderHeader``, a model): operations take it where an id goes."""

    @property
    def id(self) -> int: ...


Ref = int | Identified


def first_row(query: Any) -> Any:
    """The first row of ``query`` as a tuple, or None (peewee types rows as models)."""
    return query.tuples().first()


def all_rows(query: Any) -> list[Any]:
    """Every row of ``query`` as a tuple."""
    return list(query.tuples())


def id_of(ref: Ref) -> int:
    return ref if isinstance(ref, int) else int(ref.id)


def opt_id(ref: Ref | None) -> int | None:
    return None if ref is None else id_of(ref)


@dataclass(frozen=True)
class OrderHeader:
    """An order without its lines, with its customer / supplier and salesperson joined."""

    id: int
    number: str
    kind: OrderKind
    status: OrderStatus
    date: dt.date
    valid_until: dt.date | None
    customer_id: int | None
    customer_code: str
    customer_name: str
    price_level: int  # the customer's (1 for a walk-in or a supplier)
    supplier_id: int | None
    supplier_code: str
    supplier_name: str
    salesperson_id: int | None
    salesperson_name: str
    location_id: int | None
    source_id: int | None
    subtotal: Decimal
    discount: Decimal
    total: Decimal
    notes: str
    version: int
    updated_at: dt.datetime | None
    discount_rate: Decimal | None = None  # the order discount typed as a percentage

    @property
    def title(self) -> str:
        return title(self.kind)

    @property
    def is_draft(self) -> bool:
        return self.status == OrderStatus.DRAFT

    @property
    def status_word(self) -> str:
        """The status as users read it: a delivered purchase is ``received``."""
        return status_word(self.kind, self.status)

    @property
    def party_label(self) -> str:
        return _("Supplier") if self.kind.is_purchase else _("Customer")

    @property
    def party(self) -> str:
        """``"C001 Wang"``, ``"S001 Tea Farm"``, or ``"walk-in"``."""
        if self.customer_id is not None:
            return f"{self.customer_code} {self.customer_name}"
        if self.supplier_id is not None:
            return f"{self.supplier_code} {self.supplier_name}"
        return _("walk-in") if self.kind.is_sales else _("(none)")


@dataclass(frozen=True)
class OrderLineRow:
    """One line of an order with its product."""

    id: int
    order_id: int
    line_no: int
    product_id: int
    product_code: str
    product_name: str
    product_spec: str
    unit: str
    quantity: Decimal
    unit_price: Decimal
    discount: Decimal
    amount: Decimal
    discount_rate: Decimal | None = None  # typed as a percentage: 15.000 = 15% off
    delivered: Decimal = Decimal(0)  # delivered (received) so far

    @property
    def open_quantity(self) -> Decimal:
        """What is still to be delivered (received)."""
        return self.quantity - self.delivered


@dataclass(frozen=True)
class LineChange:
    """What adding to a line did, for the status line: ``P001 +1 -> 3``."""

    order: OrderHeader
    line: OrderLineRow
    added: Decimal
    new_line: bool

    @property
    def status_text(self) -> str:
        return f"{self.line.product_code} +{fmt_qty(self.added)} -> {fmt_qty(self.line.quantity)}"


@dataclass(frozen=True)
class LineEdit:
    """A line after its quantity, price or discount changed, and its order's new totals."""

    order: OrderHeader
    line: OrderLineRow


@dataclass(frozen=True)
class StockResult:
    """An order whose stock moved, and the low-stock warnings that came of it (P5)."""

    order: OrderHeader
    moves: tuple[MoveResult, ...] = ()

    @property
    def low_stock(self) -> list[MoveResult]:
        return [m for m in self.moves if m.low]

    @property
    def warnings(self) -> list[str]:
        return [m.warning for m in self.low_stock]


# --- loading --------------------------------------------------------------------------------

_Salesperson = User.alias()

_HEADER_COLUMNS = (
    Order.id, Order.number, Order.kind, Order.status, Order.date, Order.valid_until,
    Order.customer, Customer.code, Customer.name, Customer.price_level,
    Order.supplier, Supplier.code, Supplier.name,
    Order.salesperson, _Salesperson.full_name, _Salesperson.username,
    Order.location, Order.source, Order.subtotal, Order.discount, Order.total, Order.notes,
    Order.version, Order.updated_at, Order.discount_rate,
)


def header_query() -> Any:
    """Orders with their customer, supplier and salesperson (all LEFT joined)."""
    return (
        Order.select(*_HEADER_COLUMNS)
        .join(Customer, JOIN.LEFT_OUTER, on=(Order.customer == Customer.id))
        .switch(Order)
        .join(Supplier, JOIN.LEFT_OUTER, on=(Order.supplier == Supplier.id))
        .switch(Order)
        .join(_Salesperson, JOIN.LEFT_OUTER, on=(Order.salesperson == _Salesperson.id))
    )


def header_of(row: Sequence[Any]) -> OrderHeader:
    (oid, number, kind, status, date, valid_until, cid, ccode, cname, level, sid, scode, sname,
     uid, full_name, username, loc, source, subtotal, discount, total, notes, version,
     updated_at, discount_rate) = row
    return OrderHeader(
        id=oid, number=number, kind=OrderKind(kind), status=OrderStatus(status), date=date,
        valid_until=valid_until, customer_id=cid, customer_code=ccode or "",
        customer_name=cname or "", price_level=level or 1, supplier_id=sid,
        supplier_code=scode or "", supplier_name=sname or "", salesperson_id=uid,
        salesperson_name=full_name or username or "", location_id=loc, source_id=source,
        subtotal=subtotal, discount=discount, total=total, notes=notes or "",
        version=version, updated_at=updated_at, discount_rate=discount_rate,
    )


def load_header(order_id: int) -> OrderHeader:
    row = first_row(header_query().where(Order.id == order_id))
    if row is None:
        raise NotFound(_("order #{order_id} does not exist").format(order_id=order_id))
    return header_of(row)


_LINE_COLUMNS = (
    OrderLine.id, OrderLine.order, OrderLine.line_no, OrderLine.product, Product.code,
    Product.name, Product.spec, Product.unit, OrderLine.quantity, OrderLine.unit_price,
    OrderLine.discount, OrderLine.amount, OrderLine.discount_rate, OrderLine.delivered,
)


def _line_query() -> Any:
    return OrderLine.select(*_LINE_COLUMNS).join(Product, on=(OrderLine.product == Product.id))


def _line_of(row: Sequence[Any]) -> OrderLineRow:
    return OrderLineRow(*row)


def load_lines(order_id: int) -> list[OrderLineRow]:
    """The lines in entry order."""
    query = _line_query().where(OrderLine.order == order_id).order_by(OrderLine.line_no)
    return [_line_of(row) for row in all_rows(query)]


def load_line(order: OrderHeader, line_id: int) -> OrderLineRow:
    row = first_row(_line_query().where((OrderLine.id == line_id)
                                        & (OrderLine.order == order.id)))
    if row is None:
        raise NotFound(_("line #{line_id} is not on {number} (deleted meanwhile?)").format(
                         line_id=line_id,
                         number=order.number))
    return _line_of(row)
