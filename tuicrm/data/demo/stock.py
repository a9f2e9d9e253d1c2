"""The demo's stock ledger: an opening balance per product, a movement for every delivered
document line, and stock levels that are the sum of the movements (``tuicrm check`` proves it).

The opening stock is chosen after the year of documents is made: enough that no product ever
went below zero, and for about one product in eight, a level below its minimum (something to
reorder on the Today screen).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from ..core.vocab import MovementReason, OrderKind, OrderStatus
from .bulk import Row, stamp
from .catalog import Catalog
from .context import BuildContext
from .orders import OrderWriter

MOVEMENT_COLUMNS = ("at", "product_id", "location_id", "quantity", "reason", "doc_type",
                    "doc_id", "doc_number", "user_id", "note")
# Delivered, these kinds move stock, with the kind as the reason (MovementReason spells them
# alike); the first ones take stock out.
MOVING_KINDS = tuple(kind for kind in OrderKind if kind.stock_sign)
OUTGOING_KINDS = tuple(kind for kind in OrderKind if kind.stock_sign < 0)


def _sql_texts(values: tuple[StrEnum, ...]) -> str:
    """``'sale', 'purchase_return'``: our own words as SQL literals (the statement's text is
    what it always was, so SQLite plans it, and numbers the movements, as before)."""
    return ", ".join(f"'{value.value}'" for value in values)


def write_stock(ctx: BuildContext, catalog: Catalog, orders: OrderWriter, *,
                location_id: int, admin_id: int) -> None:
    """Opening stock so that no product ever goes below zero, the movements of every
    delivered document, and on hand = the sum of the movements."""
    rnd, sql, summary = ctx.rnd, ctx.sql, ctx.summary
    ctx.progress("stock", 0, len(catalog.product_ids))
    opening_at = stamp(ctx.start - dt.timedelta(days=1), 8 * 3600)
    opening_reason = MovementReason.OPENING.value
    movements: list[Row] = []
    levels: list[Row] = []
    for i, pid in enumerate(catalog.product_ids):
        min_stock = catalog.min_stock[i]
        unit = 1 if catalog.weighed[i] else 1000
        if rnd() < 0.12:  # a product to reorder: below its minimum
            target = int(rnd() * (min_stock // unit)) * unit
        else:
            target = (min_stock // unit + int(rnd() * 3 * min_stock // unit)) * unit
        opening = max(-orders.lowest[i], target - orders.balance[i])
        if opening:
            movements.append((opening_at, pid, location_id, opening, opening_reason, "",
                              None, "", admin_id, "demo opening stock"))
        on_hand = opening + orders.balance[i]
        levels.append((pid, location_id, on_hand))
        summary.below_min_stock += on_hand < min_stock
    summary.stock_movements = len(movements) + orders.moved_lines
    summary.stock_levels = len(levels)
    w = ctx.writer
    w.run(ctx.indexes.drop, "stock_movement")
    ctx.insert("stock_movement", MOVEMENT_COLUMNS, movements)
    if summary.orders:
        # In order-line order, which is date order: movement ids follow time (SQLite).
        w.run(sql.execute, f"""
                INSERT INTO stock_movement ({", ".join(MOVEMENT_COLUMNS)})
                SELECT o.updated_at, l.product_id, o.location_id,
                       CASE WHEN o.kind IN ({_sql_texts(OUTGOING_KINDS)}) THEN -l.quantity
                            ELSE l.quantity END,
                       o.kind, 'order', o.id, o.number, o.salesperson_id, ''
                FROM order_line l JOIN "order" o ON o.id = l.order_id
                WHERE l.order_id >= {sql.p} AND o.status = '{OrderStatus.DELIVERED.value}'
                  AND o.kind IN ({_sql_texts(MOVING_KINDS)})
                """, (orders.first_id,))
        w.run(sql.execute, f"""
                UPDATE order_line SET delivered = quantity
                WHERE order_id >= {sql.p} AND order_id IN (
                    SELECT id FROM "order" WHERE status = '{OrderStatus.DELIVERED.value}'
                      AND kind IN ({_sql_texts(MOVING_KINDS)}))
                """, (orders.first_id,))
    # The levels were summed alongside the documents; run_checks() proves they agree.
    w.run(ctx.indexes.drop, "stock_level")
    ctx.insert("stock_level", ("product_id", "location_id", "on_hand"), levels)
    for table in ("order", "order_line", "stock_movement", "stock_level"):
        w.run(ctx.indexes.restore, table)
