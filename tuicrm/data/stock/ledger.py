"""The stock ledger: ``move()`` (the only way stock changes), manual adjustments, opening
stock, on hand.

``move`` changes on-hand with ONE conditional UPDATE::

    UPDATE stock_level SET on_hand = on_hand + :q
    WHERE product_id = :p AND location_id = :l
      AND (on_hand + :q >= 0 OR :q >= 0 OR <negative stock allowed>)

checks that a row came back, and inserts the movement in the same write transaction. The
database decides whether the stock is there at the moment it changes it, so two counters can
never both sell the last unit (measured: reading on-hand in Python and saving oversells and
loses updates, even inside a transaction; see FIELD-NOTES.md), and on PostgreSQL the UPDATE's
row lock is the only lock taken. A refused decrement raises ``InsufficientStock`` naming the
product and the shortfall, and the transaction rolls back. On hand always equals the sum of
the movements; ``tuicrm check`` proves it.

Which is what:

- **operations** (an ``Actor``, a permission, their own transaction and audit row):
  ``adjust`` and ``set_opening`` (``stock.adjust``);
- **building blocks** for operations that already run and hold the transaction (delivering
  an order, posting a count): ``move`` (no permission check of its own: the calling
  operation checked its own, e.g. ``order.deliver``; it takes that operation's ``Op`` or its
  actor) and ``on_hand``. Called on their own, they open a transaction of their own.

Locations are in ``locations.py``, the readers for screens (history, adjustment log, stock
list) in ``history.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ...i18n import N_, _
from ..catalog.products import load_product, product_id_of
from ..core import numbering, settings
from ..core.actor import Actor
from ..core.db import database, write
from ..core.errors import InsufficientStock, ValidationError
from ..core.money import fmt_qty, from_milli, parse_qty, to_milli
from ..core.operation import Op, operation
from ..core.vocab import MovementReason
from ..models.stock import StockMovement
from .locations import default_location as default_location
from .locations import get_location as get_location

REASONS: dict[str, str] = {
    MovementReason.SALE: N_("Sale"),
    MovementReason.SALE_RETURN: N_("Sales return"),
    MovementReason.PURCHASE: N_("Purchase received"),
    MovementReason.PURCHASE_RETURN: N_("Return to supplier"),
    MovementReason.COUNT: N_("Stock count"),
    MovementReason.ADJUST: N_("Manual adjustment"),
    MovementReason.OPENING: N_("Opening stock"),
}

MAX_NOTE = 200


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
        return _("low stock: {code} {name} has {quantity} left (minimum {minimum})").format(
            code=self.product_code, name=self.product_name,
            quantity=fmt_qty(self.total_on_hand), minimum=fmt_qty(self.min_stock))


def _product(product: Any) -> Any:
    """The ``Product`` model for an id or a row (kept for the sales operations; the public
    name is ``catalog.products.load_product``)."""
    return load_product(product)


def _actor(who: Actor | Op) -> Actor:
    return who.actor if isinstance(who, Op) else who


def _on_hand_milli(product_id: int, location_id: int | None = None) -> int:
    p = database.param
    sql = f'SELECT COALESCE(SUM("on_hand"), 0) FROM "stock_level" WHERE "product_id" = {p}'
    params: tuple[int, ...] = (product_id,)
    if location_id is not None:
        sql += f' AND "location_id" = {p}'
        params += (location_id,)
    row = database.execute_sql(sql, params).fetchone()
    return int(row[0]) if row else 0


def on_hand(product: Any, location: Any = "*") -> Decimal:
    """On hand of a product (id or row) at ``location`` (default ``"*"``: all locations
    together; None: the default location)."""
    pid = product_id_of(product)
    loc_id = None if location == "*" else int(get_location(location).id)
    return from_milli(_on_hand_milli(pid, loc_id))


def move(
    who: Actor | Op,
    product: Any,
    location: Any,
    quantity: Decimal | int | str,
    reason: MovementReason | str,
    *,
    doc_type: str = "",
    doc_id: int | None = None,
    doc_number: str = "",
    note: str = "",
) -> MoveResult:
    """Change the stock of ``product`` at ``location`` by the signed ``quantity``.

    The building block of every stock-changing operation (see the module docstring): ``who``
    is the calling operation's ``Op`` or actor, recorded as the movement's operator. A
    decrement below zero raises ``InsufficientStock`` unless the setting
    ``stock.allow_negative`` or the product's ``allow_negative`` allows it; nothing is
    changed then.
    """
    try:
        why = MovementReason(reason)
    except ValueError:
        raise ValidationError({"reason": _("unknown stock movement reason {reason!r}").format(
                                           reason=reason)}) from None
    q = to_milli(quantity)
    if q == 0:
        raise ValidationError({"quantity": _("a stock movement needs a quantity other than 0")})
    actor = _actor(who)
    loc = get_location(location)
    p = database.param
    with write():
        prod = load_product(product)  # read inside the transaction: the current flags
        allow = bool(prod.allow_negative) or settings.value(settings.ALLOW_NEGATIVE_STOCK)
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
            (q, prod.id, loc.id, q, q, allow),
        ).fetchall()
        if len(rows) != 1:
            have = from_milli(_on_hand_milli(prod.id, loc.id))
            need = from_milli(-q)
            raise InsufficientStock(
                # The numbers first: a status line too narrow for the whole message
                # shortens the name at the end, never the quantities (issue 17).
                f"not enough stock at {loc.code}: {fmt_qty(need)} needed, {fmt_qty(have)} "
                f"{prod.unit} on hand, short by {fmt_qty(need - have)} of {prod.code} "
                f"{prod.name}"
            )
        after = from_milli(rows[0][0])
        movement = StockMovement.create(
            product=prod.id,
            location=loc.id,
            quantity=from_milli(q),
            reason=why,
            doc_type=doc_type,
            doc_id=doc_id,
            doc_number=doc_number,
            user=actor.id,
            note=(note or "")[:MAX_NOTE],
        )
        total = from_milli(_on_hand_milli(prod.id))
    min_stock = Decimal(prod.min_stock)
    return MoveResult(
        movement_id=int(movement.id),
        product_id=int(prod.id),
        product_code=str(prod.code),
        product_name=str(prod.name),
        location_id=int(loc.id),
        quantity=from_milli(q),
        on_hand=after,
        total_on_hand=total,
        min_stock=min_stock,
        low=min_stock > 0 and total < min_stock,
    )


@operation("stock.adjust")
def adjust(
    op: Op,
    product: Any,
    quantity: Decimal | int | str,
    note: str,
    *,
    location: Any = None,
) -> MoveResult:
    """A manual stock adjustment (P6): ``quantity`` signed, ``note`` (the reason) required.

    Gets an ``ADJ-...`` document number so the adjustment log can cite it.
    """
    note = (note or "").strip()
    errors = {}
    if not note:
        errors["note"] = _("say why the stock is adjusted (damaged, found, ...)")
    elif len(note) > MAX_NOTE:
        errors["note"] = _("at most {MAX_NOTE} characters").format(MAX_NOTE=MAX_NOTE)
    try:
        amount = parse_qty(quantity, negative=True)
    except ValueError as e:
        errors["quantity"] = str(e)
        amount = Decimal(0)
    if not errors.get("quantity") and amount == 0:
        errors["quantity"] = _("an adjustment needs a quantity other than 0")
    if errors:
        raise ValidationError(errors)
    number = numbering.next_number("adjust")
    result = move(op, product, location, amount, MovementReason.ADJUST, doc_type="adjust",
                  doc_number=number, note=note)
    op.audit("stock_movement", result.movement_id, "adjust",
             {"product": result.product_code, "quantity": amount, "note": note,
              "number": number})
    return result


@operation("stock.adjust")
def set_opening(
    op: Op, product: Any, quantity: Decimal | int | str, *, location: Any = None,
) -> MoveResult:
    """Opening stock of a product (set-up and imports)."""
    result = move(op, product, location, quantity, MovementReason.OPENING,
                  note="opening stock")
    op.audit("stock_movement", result.movement_id, "opening",
             {"product": result.product_code, "quantity": result.quantity})
    return result
