"""Counting into an open count: a scan (``code``, ``N*code``, a carton barcode), a typed
quantity, a recount.

A scan never reads-then-writes in Python: it is one
``UPDATE stock_count_line SET counted = counted + ?, entries = entries + 1`` plus a
``stock_count_entry`` row (who, when, what was scanned), after making sure the count is still
open (``rules.lock_open``: the count's row FOR SHARE on PostgreSQL). Several terminals
counting into the same count at once all add up: SQLite queues the writers, PostgreSQL locks
the line row for the UPDATE only. A typed quantity or a recount replaces what was counted, so
they lock the line row first (FOR UPDATE) to report the change against the right total.

Each line also records the ledger position at its latest count (``counted_position``), so
the variance can tell a sale made before the shelf was counted from one made after it (see
``variance.py``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ...i18n import _
from ..catalog import products
from ..core.db import database, for_update
from ..core.errors import NotFound, ValidationError
from ..core.money import from_milli, parse_qty, to_milli
from ..core.operation import Op, operation
from ..models.catalog import Product
from ..models.counts import StockCountEntry, StockCountLine
from .rows import CountResult
from .rules import COUNT, EntryKind, lock_open

# The newest movement id now: where the ledger stood when a line was counted.
_POSITION = '(SELECT COALESCE(MAX("id"), 0) FROM "stock_movement")'
MAX_CODE = 100


def _expected_at_open(product_id: int, location_id: int, position: int) -> int:
    """On hand (thousandths) at the location as it was when the count opened: on hand now
    less the movements since. One statement, so both parts see the same committed data."""
    p = database.param
    row = database.execute_sql(
        'SELECT COALESCE((SELECT SUM("on_hand") FROM "stock_level" '
        f'WHERE "product_id" = {p} AND "location_id" = {p}), 0) - '
        'COALESCE((SELECT SUM("quantity") FROM "stock_movement" '
        f'WHERE "product_id" = {p} AND "location_id" = {p} AND "id" > {p}), 0)',
        (product_id, location_id, product_id, location_id, position),
    ).fetchone()
    return int(row[0]) if row else 0


def _add(count_id: int, product_id: int, amount: int) -> tuple[int, int, bool] | None:
    """Add ``amount`` (thousandths) to the product's line: (line id, counted, in scope), or
    None when the count has no line for it yet."""
    p = database.param
    row = database.execute_sql(
        f'UPDATE "stock_count_line" SET "counted" = "counted" + {p}, '
        f'"entries" = "entries" + 1, "counted_position" = {_POSITION} '
        f'WHERE "count_id" = {p} AND "product_id" = {p} '
        'RETURNING "id", "counted", "in_scope"',
        (amount, count_id, product_id),
    ).fetchone()
    return None if row is None else (int(row[0]), int(row[1]), bool(row[2]))


def _entry(op: Op, line_id: int, kind: EntryKind, quantity: Decimal, code: str) -> None:
    StockCountEntry.create(line=line_id, kind=kind, quantity=quantity,
                           code=(code or "")[:MAX_CODE], user=op.actor.id)


def _product(product_id: int) -> tuple[str, str]:
    row = (Product.select(Product.code, Product.name).where(Product.id == product_id)
           .tuples().first())
    return (str(row[0]), str(row[1])) if row else ("?", "?")


@operation(COUNT)
def count_scan(op: Op, count_id: int, text: str) -> CountResult:
    """One scan (or a typed code) into an open count: ``code``, ``N*code``; a carton barcode
    counts its pack.

    A product outside the count's scope is added to the count (``CountResult.out_of_scope``
    says so), with the quantity it had when the count opened as its expected quantity. An
    unknown code raises ``NotFound`` and changes nothing; a closed count ``Conflict``.
    """
    n, code = products.parse_scan(text)
    location_id, position = lock_open(count_id)
    found = products.lookup(code)
    if found is None:
        raise NotFound(_("unknown code {code}: no product or barcode has it").format(code=code))
    product, pack = found
    try:
        amount = parse_qty(n * pack)
    except ValueError as e:
        raise ValidationError({"quantity": str(e)}) from None
    milli = to_milli(amount)
    added = _add(count_id, int(product.id), milli)
    new_line = False
    if added is None:  # not in scope: add the line, then count into it
        p = database.param
        inserted = database.execute_sql(
            'INSERT INTO "stock_count_line" ("count_id", "product_id", "in_scope", '
            f'"expected", "counted", "entries") VALUES ({p}, {p}, {p}, {p}, 0, 0) '
            'ON CONFLICT ("count_id", "product_id") DO NOTHING RETURNING "id"',
            (count_id, product.id, False,
             _expected_at_open(int(product.id), location_id, position)),
        ).fetchall()
        new_line = bool(inserted)  # else another terminal added it a moment ago
        added = _add(count_id, int(product.id), milli)
        assert added is not None
    line_id, counted, in_scope = added
    _entry(op, line_id, EntryKind.SCAN, amount, text)
    return CountResult(line_id, int(product.id), str(product.code), str(product.name), amount,
                       from_milli(counted), not in_scope, new_line)


def _locked_line(line_id: int) -> tuple[int, int, int, bool]:
    """(count id, product id, counted, in scope) of a line of an open count.

    Locks as a scan does, the count first (FOR SHARE), then the line (FOR UPDATE): taken in
    the same order as scans and posting take them, so they never deadlock."""
    count_id = (StockCountLine.select(StockCountLine.count)
                .where(StockCountLine.id == line_id).scalar())
    if count_id is None:
        raise NotFound(_("count line #{line_id} does not exist").format(line_id=line_id))
    lock_open(int(count_id))
    row: Any = for_update(
        StockCountLine.select(StockCountLine.product, StockCountLine.counted,
                              StockCountLine.in_scope)
        .where(StockCountLine.id == line_id)
    ).tuples().first()
    return int(count_id), int(row[0]), to_milli(row[1]), bool(row[2])


def _replace(op: Op, line_id: int, amount: Decimal, kind: EntryKind, code: str) -> CountResult:
    """Set a line's counted quantity (``set``) or put it back to never counted (``reset``)."""
    _, product_id, before, in_scope = _locked_line(line_id)
    p = database.param
    if kind == EntryKind.RESET:
        database.execute_sql(
            'UPDATE "stock_count_line" SET "counted" = 0, "entries" = 0, '
            f'"counted_position" = NULL WHERE "id" = {p}', (line_id,))
    else:
        database.execute_sql(
            f'UPDATE "stock_count_line" SET "counted" = {p}, "entries" = "entries" + 1, '
            f'"counted_position" = {_POSITION} WHERE "id" = {p}', (to_milli(amount), line_id))
    _entry(op, line_id, kind, amount, code)
    product_code, name = _product(product_id)
    op.audit("stock_count_line", line_id, "recount" if kind == EntryKind.RESET else "set_counted",
             {"product": product_code, "counted": (from_milli(before), amount)})
    return CountResult(line_id, product_id, product_code, name, amount - from_milli(before),
                       amount, not in_scope, False)


@operation(COUNT)
def set_counted(op: Op, line_id: int, quantity: Decimal | int | str, *,
                code: str = "") -> CountResult:
    """Type the counted quantity of a line (replaces what was counted so far)."""
    try:
        amount = parse_qty(quantity)
    except ValueError as e:
        raise ValidationError({"quantity": str(e)}) from None
    return _replace(op, line_id, amount, EntryKind.SET, code)


@operation(COUNT)
def recount(op: Op, line_id: int) -> CountResult:
    """Put a line back to "never counted" so it can be counted again."""
    return _replace(op, line_id, Decimal("0.000"), EntryKind.RESET, "")
