"""Reading the stock ledger: a product's stock and movements, the adjustment log, stock on
hand by product, low stock. Readers (``stock.view``) returning plain frozen rows.

The paged lists of the Stock, Movements and Adjustment log screens are list definitions of
their own (``stock/lists.py``); these are the small reads around them: the head of a
product's history, and keyset pages for the command line and tests.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import JOIN, fn

from ..catalog.products import load_product, product_id_of
from ..core.db import database
from ..core.money import from_milli
from ..core.operation import Op, reader
from ..models.catalog import Product
from ..models.stock import Location, StockLevel, StockMovement
from ..models.users import User
from .ledger import REASONS, on_hand
from .lists import ADJUST_REASONS
from .locations import get_location


@dataclass(frozen=True, slots=True)
class ProductStock:
    """A product's stock, for the head of its movement history and the adjustment form."""

    product_id: int
    code: str
    name: str
    unit: str
    on_hand: Decimal  # all locations together
    min_stock: Decimal

    @property
    def low(self) -> bool:
        return self.min_stock > 0 and self.on_hand < self.min_stock


@dataclass(frozen=True, slots=True)
class MovementRow:
    id: int
    at: dt.datetime
    product_id: int
    product_code: str
    product_name: str
    location_id: int
    location_code: str
    quantity: Decimal  # signed
    reason: str  # a MovementReason value
    doc_type: str
    doc_id: int | None
    doc_number: str
    user_id: int | None
    username: str  # "" when the operator was deleted
    note: str

    @property
    def reason_text(self) -> str:
        return REASONS.get(self.reason, self.reason)


@dataclass(frozen=True, slots=True)
class StockRow:
    product_id: int
    code: str
    name: str
    unit: str
    location: str  # a location code, or "*" for all locations together
    on_hand: Decimal
    min_stock: Decimal

    @property
    def low(self) -> bool:
        return self.min_stock > 0 and self.on_hand < self.min_stock


@reader("stock.view")
def product_stock(op: Op, product_id: int) -> ProductStock:
    p = load_product(product_id)
    return ProductStock(int(p.id), str(p.code), str(p.name), str(p.unit), on_hand(p.id),
                        Decimal(p.min_stock))


def _movements() -> Any:
    return (
        StockMovement.select(
            StockMovement.id, StockMovement.at, StockMovement.product, Product.code,
            Product.name, StockMovement.location, Location.code, StockMovement.quantity,
            StockMovement.reason, StockMovement.doc_type, StockMovement.doc_id,
            StockMovement.doc_number, StockMovement.user, User.username, StockMovement.note,
        )
        .join(Product, on=(StockMovement.product == Product.id))
        .switch(StockMovement)
        .join(Location, on=(StockMovement.location == Location.id))
        .switch(StockMovement)
        .join(User, JOIN.LEFT_OUTER, on=(StockMovement.user == User.id))
    )


def _movement_rows(query: Any) -> list[MovementRow]:
    """Rows of ``_movements()`` (peewee converts the field columns of ``tuples()``)."""
    out = []
    for (mid, at, pid, code, name, loc_id, loc_code, quantity, reason, doc_type, doc_id,
         doc_number, user_id, username, note) in query.tuples():
        out.append(MovementRow(mid, at, pid, code, name, loc_id, loc_code, quantity,
                               reason, doc_type, doc_id, doc_number, user_id, username or "",
                               note))
    return out


@reader("stock.view")
def movements(
    op: Op,
    product: Any,
    *,
    location: Any = "*",
    before_id: int | None = None,
    limit: int = 200,
) -> list[MovementRow]:
    """A product's movement history, newest first (keyset: pass the last id as ``before_id``)."""
    query = _movements().where(StockMovement.product == product_id_of(product))
    if location != "*":
        query = query.where(StockMovement.location == get_location(location).id)
    if before_id is not None:
        query = query.where(StockMovement.id < before_id)
    return _movement_rows(query.order_by(StockMovement.id.desc()).limit(limit))


@reader("stock.view")
def adjustment_log(
    op: Op,
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    before_id: int | None = None,
    limit: int = 200,
) -> list[MovementRow]:
    """Every manual adjustment and count adjustment with its reason and operator (P6)."""
    query = _movements().where(StockMovement.reason.in_(ADJUST_REASONS))
    if date_from is not None:
        query = query.where(StockMovement.at >= dt.datetime.combine(date_from, dt.time()))
    if date_to is not None:
        query = query.where(
            StockMovement.at < dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time())
        )
    if before_id is not None:
        query = query.where(StockMovement.id < before_id)
    return _movement_rows(query.order_by(StockMovement.id.desc()).limit(limit))


@reader("stock.view")
def stock_list(
    op: Op,
    *,
    location: Any = "*",
    search: str = "",
    below_min: bool = False,
    after_code: str | None = None,
    limit: int = 100,
) -> list[StockRow]:
    """One page of stock on hand per product (at ``location``, or all together), by code.

    Keyset pagination: pass the last row's ``code`` as ``after_code`` for the next page.
    ``below_min`` keeps products under their minimum.
    """
    total = fn.SUM(StockLevel.on_hand)  # raw thousandths: peewee leaves aggregates alone
    query: Any = (
        Product.select(Product.id, Product.code, Product.name, Product.unit, total,
                       Product.min_stock)
        .join(StockLevel, on=(StockLevel.product == Product.id))
        .group_by(Product.id, Product.code, Product.name, Product.unit, Product.min_stock)
        .order_by(Product.code)
        .limit(limit)
    )
    loc_code = "*"
    if location != "*":
        loc = get_location(location)
        loc_code = str(loc.code)
        query = query.where(StockLevel.location == loc.id)
    if search:
        query = query.where(Product.code.startswith(search) | Product.name.contains(search))
    if after_code is not None:
        query = query.where(Product.code > after_code)
    if below_min:
        query = query.where(Product.min_stock > 0).having(total < Product.min_stock)
    return [
        StockRow(pid, code, name, unit, loc_code, from_milli(have), minimum)
        for pid, code, name, unit, have, minimum in query.tuples()
    ]


@reader("stock.view")
def low_stock(op: Op, limit: int = 100) -> list[StockRow]:
    """Active products whose total on hand is below their minimum (P5); a product with a
    minimum and no stock row at all counts as 0 on hand."""
    p = database.param
    sql = f"""
        SELECT p.id, p.code, p.name, p.unit, COALESCE(SUM(s.on_hand), 0), p.min_stock
        FROM product p LEFT JOIN stock_level s ON s.product_id = p.id
        WHERE p.min_stock > 0 AND p.active = {p}
        GROUP BY p.id, p.code, p.name, p.unit, p.min_stock
        HAVING COALESCE(SUM(s.on_hand), 0) < p.min_stock
        ORDER BY p.code
        LIMIT {int(limit)}
    """
    return [
        StockRow(pid, code, name, unit, "*", from_milli(have), from_milli(minimum))
        for pid, code, name, unit, have, minimum in database.execute_sql(sql, (True,)).fetchall()
    ]
