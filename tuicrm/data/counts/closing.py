"""Closing a count: posting it (the stock becomes what was counted) or cancelling it, and the
consistency check of posted counts (``tuicrm check``).

Either starts with one conditional ``UPDATE stock_count SET status = ... WHERE status =
'open'``: of two managers posting at once exactly one wins (the other gets ``Conflict``), and
on PostgreSQL the UPDATE waits for the scans under way (they hold the row FOR SHARE) while
scans after it see the new status and are refused.

Posting computes each adjustment from the on-hand *at posting time*, inside the posting
transaction, with the stock rows of the count's products locked (FOR UPDATE, in product order
as every stock writer takes them): the stock becomes the counted quantity plus what moved
after that line was counted, so sales during the count are respected. Each change is an
ordinary stock movement (reason ``count``, document = the count's number) through the ledger's
``move``, and it always equals the variance shown. Never-counted products in scope either stay
as they are or become zero (the count's ``zero_uncounted`` choice, which the poster may change).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from peewee import fn

from ...i18n import _
from ..check import check
from ..core import clock
from ..core.db import database, for_update
from ..core.errors import Conflict
from ..core.money import fmt_qty, from_milli, to_milli
from ..core.operation import Op, operation
from ..core.vocab import CountStatus, MovementReason, shown_word
from ..models.catalog import Product
from ..models.counts import StockCount, StockCountLine
from ..models.stock import StockLevel, StockMovement
from ..stock import ledger as stock
from .reading import count_row
from .rows import CountRow, PostResult
from .rules import DOC_TYPE, MANAGE, load_count

MAX_REASON = 200
ZERO = Decimal("0.000")


def _close_open(op: Op, count: int | str, status: CountStatus) -> tuple[int, str, int, bool]:
    """Move an open count to ``status`` (see the module docstring); ``Conflict`` when it is no
    longer open. Returns (id, number, location id, the saved ``zero_uncounted``)."""
    p = database.param
    sc = load_count(count)
    row = database.execute_sql(
        f'UPDATE "stock_count" SET "status" = {p}, "closed_by_id" = {p}, "closed_at" = {p} '
        f'WHERE "id" = {p} AND "status" = {p} RETURNING "zero_uncounted"',
        (str(status), op.actor.id, clock.now(), sc.id, str(CountStatus.OPEN)),
    ).fetchone()
    if row is None:
        current = load_count(int(sc.id))
        said = (_("stock count {number} is {status}: it cannot be posted")
                if status == CountStatus.POSTED
                else _("stock count {number} is {status}: it cannot be cancelled"))
        raise Conflict(said.format(number=sc.number, status=shown_word(current.status)))
    return int(sc.id), str(sc.number), int(sc.location_id), bool(row[0])


@operation(MANAGE)
def post_count(op: Op, count: int | str, *, zero_uncounted: bool | None = None) -> PostResult:
    """Post a count (id or number): set each counted product's stock at the location to what
    was counted, as ``count`` movements with the count's number; the count becomes read-only.
    ``zero_uncounted`` overrides the count's choice for never-counted lines."""
    count_id, number, location_id, saved_zero = _close_open(op, count, CountStatus.POSTED)
    zero = saved_zero if zero_uncounted is None else bool(zero_uncounted)
    if zero != saved_zero:
        StockCount.update(zero_uncounted=zero).where(StockCount.id == count_id).execute()
    in_count = StockCountLine.select(StockCountLine.product).where(
        StockCountLine.count == count_id)
    levels = {
        int(pid): on_hand for pid, on_hand in for_update(
            StockLevel.select(StockLevel.product, StockLevel.on_hand)
            .where((StockLevel.location == location_id) & StockLevel.product.in_(in_count))
            .order_by(StockLevel.product)
        ).tuples()
    }
    m = StockMovement.alias("m")
    after = (  # movements after the line was counted: applied on top of the count
        m.select(fn.COALESCE(fn.SUM(m.quantity), 0))
        .where((m.product == StockCountLine.product) & (m.location == location_id)
               & (m.id > StockCountLine.counted_position))
    )
    lines: list[Any] = list(
        StockCountLine.select(StockCountLine.id, StockCountLine.product, StockCountLine.counted,
                              StockCountLine.entries, Product.cost, after)
        .join(Product, on=(StockCountLine.product == Product.id))
        .where(StockCountLine.count == count_id)
        .order_by(StockCountLine.product)
        .tuples()
    )
    moves = 0
    value = Decimal("0.00")
    updates = []
    for lid, pid, counted, entries, cost, after_milli in lines:
        on_hand = levels.get(int(pid), ZERO)
        if entries > 0:
            target = counted + from_milli(int(after_milli or 0))
            if target < 0:  # sold after counting more than was counted
                target = min(ZERO, on_hand)
        elif zero:
            target = ZERO
        else:
            updates.append((to_milli(on_hand), 0, lid))
            continue
        delta = target - on_hand
        book = counted - delta if entries > 0 else on_hand  # the book the count met
        if delta != 0:
            stock.move(op.actor, int(pid), location_id, delta, MovementReason.COUNT,
                       doc_type=DOC_TYPE, doc_id=count_id, doc_number=number,
                       note=f"count {number}: stock set to {fmt_qty(target)}")
            moves += 1
            value += (delta * cost).quantize(Decimal("0.01"))
        updates.append((to_milli(book), to_milli(delta), lid))
    p = database.param
    database.cursor().executemany(
        f'UPDATE "stock_count_line" SET "book" = {p}, "adjustment" = {p} WHERE "id" = {p}',
        updates,
    )
    op.audit("stock_count", count_id, "post",
             {"number": number, "movements": moves, "lines": len(lines),
              "zero_uncounted": zero, "value": value})
    return PostResult(number, moves, len(lines), value)


@operation(MANAGE)
def cancel_count(op: Op, count: int | str, reason: str = "") -> CountRow:
    """Cancel an open count (id or number): nothing is moved; it stays listed as cancelled."""
    reason = (reason or "").strip()[:MAX_REASON]
    count_id, number, _, _ = _close_open(op, count, CountStatus.CANCELLED)
    op.audit("stock_count", count_id, "cancel", {"number": number, "reason": reason})
    return count_row(op.actor, count_id)


# --- consistency check (tuicrm check) ------------------------------------------------------


@check("stock_counts", "posted counts = their count movements")
def posted_counts(limit: int) -> Iterator[str]:
    """Each posted count's lines say what it moved; the ledger must hold exactly that, and a
    count that is not posted must have moved nothing."""
    p = database.param
    sql = f"""
        SELECT c.number, c.status, p.code, COALESCE(l.adjustment, 0), COALESCE(m.moved, 0)
        FROM stock_count c
        JOIN stock_count_line l ON l.count_id = c.id
        JOIN product p ON p.id = l.product_id
        LEFT JOIN (
            SELECT doc_id, product_id, SUM(quantity) AS moved FROM stock_movement
            WHERE doc_type = {p} GROUP BY doc_id, product_id
        ) m ON m.doc_id = c.id AND m.product_id = l.product_id
        WHERE COALESCE(l.adjustment, 0) <> COALESCE(m.moved, 0)
           OR (c.status = {p} AND l.adjustment IS NULL)
        ORDER BY c.number, p.code
        LIMIT {int(limit)}
    """
    params = (DOC_TYPE, str(CountStatus.POSTED))
    for number, status, code, adjustment, moved in database.execute_sql(sql, params).fetchall():
        yield _("stock count {number} ({status}) product {code}: recorded adjustment "
                "{adjustment} but its movements add up to {moved}").format(
            number=number, status=shown_word(status), code=code,
            adjustment=fmt_qty(from_milli(adjustment)), moved=fmt_qty(from_milli(moved)))

