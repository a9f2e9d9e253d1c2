"""The variance of a count: what was counted against what the books said when it was counted.

The business keeps selling during a count. The variance of a line is

    counted - (expected + the product's movements at the location after the count opened
               and up to when the line was last counted)

so a sale made *before* the shelf was counted is not a loss, and a sale made *after* it is
not a gain either. (Comparing with every movement since opening, as a first design had it,
turns "counted 10, then 3 sold" into a +3 variance and posting would leave 3 phantom units.)
Posting (``closing.py``) moves exactly this variance. A posted count shows what it moved.

Only readers who may see expected quantities get any of it (``rules.can_see_expected``).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from peewee import fn

from ...i18n import _
from ..core.errors import PermissionDenied
from ..core.money import from_milli
from ..core.operation import Op, reader
from ..models.catalog import Product
from ..models.counts import StockCount, StockCountLine
from ..models.stock import StockMovement
from .rows import Summary, VarianceLine
from .rules import DOC_TYPE, VIEW, can_see_expected, load_count, recount_threshold


def moved_since_opening() -> Any:
    """SUM (raw thousandths) of a line's product movements at the count's location after the
    count opened and up to the line's latest count (all of them for a never-counted line),
    less the count's own posted movements: a sub-query correlated with ``StockCountLine``
    and ``StockCount`` in the outer query."""
    m = StockMovement.alias("m")
    return (
        m.select(fn.COALESCE(fn.SUM(m.quantity), 0))
        .where((m.product == StockCountLine.product) & (m.location == StockCount.location)
               & (m.id > StockCount.ledger_position)
               & (StockCountLine.counted_position.is_null()
                  | (m.id <= StockCountLine.counted_position))
               & ~((m.doc_type == DOC_TYPE) & (m.doc_id == StockCount.id)))
    )


def refuse_blind(number: str) -> PermissionDenied:
    return PermissionDenied(_("{number} is a blind count: expected quantities and variances are "
                              "shown to managers only").format(number=number))


@reader(VIEW)
def variance(op: Op, count: int | str) -> list[VarianceLine]:
    """Every line with its variance, by product code. Refused to counters in a blind count."""
    sc = load_count(count)
    if not can_see_expected(op.actor, sc.mode):
        raise refuse_blind(sc.number)
    query: Any = (
        StockCountLine.select(StockCountLine.id, Product.id, Product.code, Product.name,
                              Product.unit, Product.cost, StockCountLine.in_scope,
                              StockCountLine.expected, moved_since_opening(),
                              StockCountLine.counted, StockCountLine.entries,
                              StockCountLine.adjustment, StockCountLine.book)
        .join(Product, on=(StockCountLine.product == Product.id))
        .switch(StockCountLine)
        .join(StockCount, on=(StockCountLine.count == StockCount.id))
        .where(StockCountLine.count == sc.id)
        .order_by(Product.code)
        .tuples()
    )
    out = []
    for (lid, pid, code, name, unit, cost, in_scope, expected, moved_milli, counted, entries,
         adjustment, book) in query:
        moved = from_milli(int(moved_milli or 0))  # a sub-query: raw thousandths
        if book is not None:  # posted: the book quantity at posting is what counts
            moved = book - expected
        out.append(VarianceLine(int(lid), int(pid), code, name, unit, cost, bool(in_scope),
                                expected, moved, counted, int(entries), adjustment))
    return out


def summary(lines: Iterable[VarianceLine], zero_uncounted: bool,
            limit: Decimal | None = None) -> Summary:
    """Totals of a variance; ``limit`` is the recount threshold (the setting by default)."""
    rows = list(lines)
    limit = recount_threshold() if limit is None else limit
    return Summary(
        lines=len(rows),
        counted=sum(1 for v in rows if v.counted_at_all),
        uncounted=sum(1 for v in rows if not v.counted_at_all),
        out_of_scope=sum(1 for v in rows if not v.in_scope),
        flagged=sum(1 for v in rows if v.flagged(limit)),
        value=sum((v.value(zero_uncounted) for v in rows), Decimal("0.00")),
        limit=limit,
    )


@reader(VIEW)
def variance_summary(op: Op, count: int | str) -> Summary:
    """The totals of a count's variance as it stands (uncounted lines as the count says)."""
    sc = load_count(count)
    return summary(variance(op.actor, int(sc.id)), bool(sc.zero_uncounted))
