"""The stock ledger: locations, ``move()`` (the only way stock changes), adjustments, queries.

``move`` changes on-hand with ONE conditional UPDATE::

    UPDATE stock_level SET on_hand = on_hand + :q
    WHERE product_id = :p AND location_id = :l
      AND (on_hand + :q >= 0 OR :q >= 0 OR <negative stock allowed>)

checks that a row came back, and inserts the movement in the same write transaction. The
database decides whether the stock is there at the moment it changes it, so two counters can
never both sell the last unit (measured: reading on-hand in Python and saving oversells and
loses updates, even inside a transaction; see FIELD-NOTES.md). A refused decrement raises
``InsufficientStock`` naming the product and the shortfall, and the transaction rolls back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from peewee import JOIN

from ..core import audit, numbering, settings
from ..core.actor import Actor
from ..core.db import database, write
from ..core.errors import InsufficientStock, NotFound, ValidationError
from ..core.money import fmt_qty, from_milli, qty, sum_of, to_milli
from ..core.permissions import require
from ..models import Location, Product, StockLevel, StockMovement, User

REASONS = {
    "sale": "Sale",
    "sale_return": "Sales return",
    "purchase": "Purchase received",
    "purchase_return": "Return to supplier",
    "count": "Stock count",
    "adjust": "Manual adjustment",
    "opening": "Opening stock",
    "transfer": "Transfer",
}

DEFAULT_LOCATION_CODE = "MAIN"


@dataclass(frozen=True)
class MoveResult:
    """What a movement did: the new on-hand here, and whether the product is now low."""

    movement_id: int
    product_id: int
    product_code: str
    product_name: str
    location_id: int
    quantity: Decimal  # signed
    on_hand: Decimal  # at this location, after the movement
    total_on_hand: Decimal  # all locations, after the movement
    min_stock: Decimal
    low: bool  # total on hand below the product's minimum (P5); only when min_stock > 0

    @property
    def warning(self) -> str:
        """A one-line low-stock warning for the status line, or ''."""
        if not self.low:
            return ""
        return (
            f"low stock: {self.product_code} {self.product_name} has "
            f"{fmt_qty(self.total_on_hand)} left (minimum {fmt_qty(self.min_stock)})"
        )


# --- locations ------------------------------------------------------------------------------


def default_location() -> Location:
    """The default warehouse, created (as MAIN) the first time it is needed."""
    loc = Location.select().where(Location.is_default == True).order_by(Location.id).first()  # noqa: E712
    if loc is not None:
        return loc
    loc = Location.get_or_none(Location.code == DEFAULT_LOCATION_CODE)
    if loc is not None:
        return loc
    with write():
        p = database.param
        database.execute_sql(
            f'INSERT INTO "location" ("code", "name", "is_default") VALUES ({p}, {p}, {p}) '
            'ON CONFLICT ("code") DO NOTHING',
            (DEFAULT_LOCATION_CODE, "Main warehouse", True),
        )
    return Location.get(Location.code == DEFAULT_LOCATION_CODE)


def get_location(location: Location | int | str | None) -> Location:
    """A location by object, id or code; None is the default location."""
    if location is None:
        return default_location()
    if isinstance(location, Location):
        return location
    if isinstance(location, int):
        loc = Location.get_or_none(Location.id == location)
    else:
        loc = Location.get_or_none(Location.code == str(location).strip())
    if loc is None:
        raise NotFound(f"location {location} does not exist")
    return loc


def list_locations() -> list[Location]:
    return list(Location.select().order_by(Location.code))


def create_location(actor: Actor, code: str, name: str) -> Location:
    require(actor, "stock.adjust")
    code = (code or "").strip()
    name = (name or "").strip()
    errors = {}
    if not code:
        errors["code"] = "a location needs a code"
    if not name:
        errors["name"] = "a location needs a name"
    if errors:
        raise ValidationError(errors)
    with write():
        if Location.select().where(Location.code == code).exists():
            raise ValidationError({"code": f"location {code} already exists"})
        has_default = Location.select().where(Location.is_default == True).exists()  # noqa: E712
        loc = Location.create(code=code, name=name, is_default=not has_default)
        audit.record(actor, "location", loc.id, "create", {"code": code, "name": name})
    return loc


# --- the movement ---------------------------------------------------------------------------


def _product(product: Product | int) -> Product:
    pid = product.id if isinstance(product, Product) else product
    found = Product.get_or_none(Product.id == pid)
    if found is None:
        raise NotFound(f"product #{pid} does not exist")
    return found


def move(
    actor: Actor,
    product: Product | int,
    location: Location | int | str | None,
    quantity: Decimal | int | str,
    reason: str,
    *,
    doc_type: str = "",
    doc_id: int | None = None,
    doc_number: str = "",
    note: str = "",
) -> MoveResult:
    """Change the stock of ``product`` at ``location`` by the signed ``quantity``.

    The building block of every stock-changing operation: it does not check permissions (the
    operation calling it does) and joins the caller's transaction if there is one. A decrement
    below zero raises ``InsufficientStock`` unless the setting ``stock.allow_negative`` or the
    product's ``allow_negative`` allows it; nothing is changed then.
    """
    if reason not in REASONS:
        raise ValidationError({"reason": f"unknown stock movement reason {reason!r}"})
    q = to_milli(quantity)
    if q == 0:
        raise ValidationError({"quantity": "a stock movement needs a quantity other than 0"})
    loc = get_location(location)
    p = database.param
    with write():
        prod = _product(product)  # read inside the transaction: the current flags
        allow = prod.allow_negative or settings.get_bool("stock.allow_negative")
        database.execute_sql(
            f'INSERT INTO "stock_level" ("product_id", "location_id", "on_hand") '
            f"VALUES ({p}, {p}, 0) "
            'ON CONFLICT ("product_id", "location_id") DO NOTHING',
            (prod.id, loc.id),
        )
        # The check and the change are one statement (see the module docstring).
        rows = database.execute_sql(
            f'UPDATE "stock_level" SET "on_hand" = "on_hand" + {p} '
            f'WHERE "product_id" = {p} AND "location_id" = {p} '
            f'AND ("on_hand" + {p} >= 0 OR {p} >= 0 OR {p}) '
            'RETURNING "on_hand"',
            (q, prod.id, loc.id, q, q, bool(allow)),
        ).fetchall()
        if len(rows) != 1:
            have = database.execute_sql(
                f'SELECT "on_hand" FROM "stock_level" WHERE "product_id" = {p} '
                f'AND "location_id" = {p}',
                (prod.id, loc.id),
            ).fetchone()
            on_hand = from_milli(have[0] if have else 0)
            need = from_milli(-q)
            raise InsufficientStock(
                f"not enough stock of {prod.code} {prod.name} at {loc.code}: "
                f"{fmt_qty(on_hand)} {prod.unit} on hand, {fmt_qty(need)} needed, "
                f"short by {fmt_qty(need - on_hand)}"
            )
        after = from_milli(rows[0][0])
        movement = StockMovement.create(
            product=prod.id,
            location=loc.id,
            quantity=from_milli(q),
            reason=reason,
            doc_type=doc_type,
            doc_id=doc_id,
            doc_number=doc_number,
            user=actor.id,
            note=(note or "")[:200],
        )
        total = (
            StockLevel.select(sum_of(StockLevel.on_hand))
            .where(StockLevel.product == prod.id)
            .scalar()
        )
    total = total if total is not None else after
    low = prod.min_stock > 0 and total < prod.min_stock
    return MoveResult(
        movement_id=movement.id,
        product_id=prod.id,
        product_code=prod.code,
        product_name=prod.name,
        location_id=loc.id,
        quantity=from_milli(q),
        on_hand=after,
        total_on_hand=total,
        min_stock=prod.min_stock,
        low=bool(low),
    )


def adjust(
    actor: User,
    product: Product | int,
    quantity: Decimal | int | str,
    note: str,
    *,
    location: Location | int | str | None = None,
) -> MoveResult:
    """A manual stock adjustment (P6): ``quantity`` signed, ``note`` (the reason) required.

    Gets an ``ADJ-...`` document number so the adjustment log can cite it.
    """
    require(actor, "stock.adjust")
    note = (note or "").strip()
    errors = {}
    if not note:
        errors["note"] = "say why the stock is adjusted (damaged, found, ...)"
    try:
        amount = qty(quantity)
    except ValueError as e:
        errors["quantity"] = str(e)
        amount = Decimal(0)
    if not errors.get("quantity") and amount == 0:
        errors["quantity"] = "an adjustment needs a quantity other than 0"
    if errors:
        raise ValidationError(errors)
    with write():
        number = numbering.next_number("adjust")
        result = move(actor, product, location, amount, "adjust", doc_type="adjust",
                      doc_number=number, note=note)
        audit.record(actor, "stock_movement", result.movement_id, "adjust",
                     {"product": result.product_code, "quantity": amount, "note": note,
                      "number": number})
    return result


def set_opening(actor: Actor, product: Product | int, quantity, *, location=None) -> MoveResult:
    """Opening stock of a product (set-up and imports)."""
    require(actor, "stock.adjust")
    with write():
        result = move(actor, product, location, quantity, "opening", note="opening stock")
        audit.record(actor, "stock_movement", result.movement_id, "opening",
                     {"product": result.product_code, "quantity": result.quantity})
    return result


# --- queries --------------------------------------------------------------------------------


def on_hand(product: Product | int, location: Location | int | str | None = "*") -> Decimal:
    """On hand of a product at ``location`` (default: all locations together)."""
    pid = product.id if isinstance(product, Product) else product
    query = StockLevel.select(sum_of(StockLevel.on_hand)).where(StockLevel.product == pid)
    if location != "*":
        query = query.where(StockLevel.location == get_location(location).id)
    value = query.scalar()
    return value if value is not None else Decimal("0.000")


@dataclass(frozen=True)
class StockRow:
    product_id: int
    code: str
    name: str
    unit: str
    location: str
    on_hand: Decimal
    min_stock: Decimal

    @property
    def low(self) -> bool:
        return self.min_stock > 0 and self.on_hand < self.min_stock


def stock_list(
    *,
    location: Location | int | str | None = "*",
    search: str = "",
    below_min: bool = False,
    after_code: str | None = None,
    limit: int = 100,
) -> list[StockRow]:
    """One page of stock on hand per product (and location), by product code.

    Keyset pagination: pass the last row's ``code`` as ``after_code`` for the next page.
    ``location="*"`` totals all locations; ``below_min`` keeps products under their minimum.
    """
    total = sum_of(StockLevel.on_hand)
    query = (
        Product.select(Product.id, Product.code, Product.name, Product.unit, Product.min_stock,
                       total.alias("qty"))
        .join(StockLevel, on=(StockLevel.product == Product.id))
        .group_by(Product.id, Product.code, Product.name, Product.unit, Product.min_stock)
        .order_by(Product.code)
        .limit(limit)
    )
    loc_code = "*"
    if location != "*":
        loc = get_location(location)
        loc_code = loc.code
        query = query.where(StockLevel.location == loc.id)
    if search:
        query = query.where(Product.code.startswith(search) | Product.name.contains(search))
    if after_code is not None:
        query = query.where(Product.code > after_code)
    if below_min:
        query = query.where(Product.min_stock > 0).having(total < Product.min_stock)
    rows = []
    for p in query:
        rows.append(StockRow(p.id, p.code, p.name, p.unit, loc_code, p.qty, p.min_stock))
    return rows


def low_stock(limit: int = 100) -> list[StockRow]:
    """Active products whose total on hand is below their minimum (Today panel, P5).

    Products with a minimum but no stock row at all count as 0 on hand.
    """
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


def movements(
    product: Product | int,
    *,
    location: Location | int | str | None = "*",
    before_id: int | None = None,
    limit: int = 200,
) -> list[StockMovement]:
    """A product's movement history, newest first (keyset: pass the last id as ``before_id``)."""
    pid = product.id if isinstance(product, Product) else product
    query = StockMovement.select().where(StockMovement.product == pid)
    if location != "*":
        query = query.where(StockMovement.location == get_location(location).id)
    if before_id is not None:
        query = query.where(StockMovement.id < before_id)
    return list(query.order_by(StockMovement.id.desc()).limit(limit))


def adjustment_log(
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    before_id: int | None = None,
    limit: int = 200,
) -> list[StockMovement]:
    """Every manual adjustment and count adjustment with its reason and operator (P6)."""
    query = (
        StockMovement.select(StockMovement, Product, User)
        .join(Product)
        .switch(StockMovement)
        .join(User, JOIN.LEFT_OUTER)
        .where(StockMovement.reason.in_(("adjust", "count")))
    )
    if date_from is not None:
        query = query.where(StockMovement.at >= dt.datetime.combine(date_from, dt.time()))
    if date_to is not None:
        query = query.where(
            StockMovement.at < dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time())
        )
    if before_id is not None:
        query = query.where(StockMovement.id < before_id)
    return list(query.order_by(StockMovement.id.desc()).limit(limit))
