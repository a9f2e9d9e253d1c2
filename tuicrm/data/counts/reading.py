"""Reading counts: a count's header, the open and recent ones, its lines and a line's history,
each as plain rows for the actor who asks (expected quantities only where ``rules`` allows)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from peewee import JOIN, fn

from ..core.actor import Actor
from ..core.operation import Op, reader
from ..core.permissions import allowed
from ..core.vocab import CountMode, CountStatus
from ..models.catalog import Product
from ..models.counts import StockCount, StockCountEntry, StockCountLine
from ..models.stock import Location
from ..models.users import User
from ..stock.locations import list_locations
from .rows import CountEntryRow, CountLine, CountRow
from .rules import (
    COUNT,
    MANAGE,
    VIEW,
    CountScope,
    EntryKind,
    can_see_expected,
    count_where,
    load_count,
)

RECENT = 50  # counts offered by the count picker


def _header_query() -> Any:
    """Every count with its location, who opened and closed it and its progress: one query
    (the line counts are correlated sub-queries on the count's own index)."""
    opened, closed = User.alias("opened"), User.alias("closed")
    line = StockCountLine.alias("l")
    lines = line.select(fn.COUNT(line.id)).where(line.count == StockCount.id)
    done = line.select(fn.COUNT(line.id)).where((line.count == StockCount.id) & (line.entries > 0))
    return (
        StockCount.select(
            StockCount.id, StockCount.number, StockCount.status, StockCount.mode,
            StockCount.scope, StockCount.scope_label, StockCount.location, Location.code,
            Location.name, StockCount.zero_uncounted, StockCount.note, StockCount.ledger_position,
            StockCount.opened_at, opened.username, StockCount.closed_at, closed.username,
            lines, done,
        )
        .join(Location, on=(StockCount.location == Location.id))
        .switch(StockCount)
        .join(opened, JOIN.LEFT_OUTER, on=(StockCount.opened_by == opened.id))
        .switch(StockCount)
        .join(closed, JOIN.LEFT_OUTER, on=(StockCount.closed_by == closed.id))
    )


def count_rows(actor: Actor, where: Any, order: Iterable[Any] = (), limit: int | None = None
               ) -> list[CountRow]:
    """Building block: the counts matching ``where`` as ``actor`` reads them."""
    manages = allowed(actor, MANAGE)
    counter = manages or allowed(actor, COUNT)
    query: Any = _header_query().where(where).order_by(*order)
    if limit is not None:
        query = query.limit(limit)
    out = []
    for (cid, number, status, mode, scope, label, loc_id, loc_code, loc_name, zero, note,
         position, opened_at, opened_by, closed_at, closed_by, lines, done) in query.tuples():
        out.append(CountRow(
            id=cid, number=number, status=CountStatus(status), mode=CountMode(mode),
            scope=CountScope(scope), scope_label=label, location_id=loc_id,
            location_code=loc_code, location_name=loc_name, zero_uncounted=bool(zero),
            note=note, ledger_position=int(position), opened_at=opened_at,
            opened_by=opened_by or "", closed_at=closed_at, closed_by=closed_by or "",
            lines=int(lines), counted_lines=int(done),
            sees_expected=manages or (counter and mode == CountMode.GUIDED),
            manages=manages,
        ))
    return out


def count_row(actor: Actor, count: int | str) -> CountRow:
    """Building block: one count's header (``NotFound`` for an unknown id or number)."""
    rows = count_rows(actor, count_where(count))
    if not rows:
        load_count(count)  # raises NotFound with the usual message
    return rows[0]


@reader(VIEW)
def get_count(op: Op, count: int | str) -> CountRow:
    """A count by id or number."""
    return count_row(op.actor, count)


@reader(VIEW)
def open_counts(op: Op) -> list[CountRow]:
    """The open counts, oldest first (Today's alert, the command line)."""
    return count_rows(op.actor, StockCount.status == CountStatus.OPEN, [StockCount.id])


@reader(VIEW)
def recent_counts(op: Op, limit: int = RECENT) -> list[CountRow]:
    """Every open count (newest first), then the latest posted and cancelled ones, ``limit``
    in all."""
    is_open = StockCount.status == CountStatus.OPEN
    rows = count_rows(op.actor, is_open, [StockCount.id.desc()], limit)
    rest = max(0, limit - len(rows))
    if rest:
        rows += count_rows(op.actor, ~is_open, [StockCount.id.desc()], rest)
    return rows


@reader(VIEW)
def successor(op: Op, count: int | str) -> CountRow | None:
    """The count a terminal left on ``count`` should follow once it is posted or cancelled:
    the newest open count at the same location opened after it (None while ``count`` is
    still open, or when none was opened)."""
    old = count_row(op.actor, count)
    if old.is_open:
        return None
    rows = count_rows(op.actor, (StockCount.status == CountStatus.OPEN)
                      & (StockCount.location == old.location_id) & (StockCount.id > old.id),
                      [StockCount.id.desc()], 1)
    return rows[0] if rows else None


@reader(VIEW)
def count_lines(op: Op, count: int | str, *, in_scope_only: bool = False) -> list[CountLine]:
    """Every line of a count by product code (the count sheet); ``expected`` only for an
    actor who may see it."""
    sc = load_count(count)
    shows = can_see_expected(op.actor, sc.mode)
    query: Any = (
        StockCountLine.select(StockCountLine.id, Product.id, Product.code, Product.name,
                              Product.unit, StockCountLine.in_scope, StockCountLine.counted,
                              StockCountLine.entries, StockCountLine.expected)
        .join(Product, on=(StockCountLine.product == Product.id))
        .where(StockCountLine.count == sc.id)
        .order_by(Product.code)
    )
    if in_scope_only:
        query = query.where(StockCountLine.in_scope == True)  # noqa: E712 - SQL
    return [
        CountLine(id=lid, product_id=pid, code=code, name=name, unit=unit,
                  in_scope=bool(in_scope), counted=counted, entries=int(entries),
                  expected=expected if shows else None)
        for lid, pid, code, name, unit, in_scope, counted, entries, expected in query.tuples()
    ]


@reader(VIEW)
def line_history(op: Op, line_id: int, limit: int = 100) -> list[CountEntryRow]:
    """A line's count history, newest first (who scanned or typed what, when)."""
    query: Any = (
        StockCountEntry.select(StockCountEntry.id, StockCountEntry.kind,
                               StockCountEntry.quantity, StockCountEntry.code, User.username,
                               StockCountEntry.at)
        .join(User, JOIN.LEFT_OUTER, on=(StockCountEntry.user == User.id))
        .where(StockCountEntry.line == line_id)
        .order_by(StockCountEntry.id.desc())
        .limit(limit)
    )
    return [CountEntryRow(int(eid), EntryKind(kind), quantity, code, username or "", at)
            for eid, kind, quantity, code, username, at in query.tuples()]


@reader(MANAGE)
def count_locations(op: Op) -> list[tuple[str, str]]:
    """``(code, name)`` of every stock location, by code: where a count may be opened."""
    return [(loc.code, loc.name) for loc in list_locations(op.actor)]
