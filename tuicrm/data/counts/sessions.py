"""Stock counts (stocktaking, SPEC P4): open, count by scanning, variance, post, cancel.

A count session counts one location. Opening it records, for every product in its scope, the
quantity on hand (``expected``) and the ledger position (the newest stock movement id), in one
write transaction, so the two agree.

Counting never reads-then-writes in Python: each scan is one
``UPDATE stock_count_line SET counted = counted + ?, entries = entries + 1`` inside a write
transaction that first makes sure the session is still open, plus a ``stock_count_entry`` row
(who, when, what was scanned). Several terminals counting into the same session at once all
add up (SQLite serialises the writers; on PostgreSQL the UPDATE locks the line row and the
session row is read ``FOR SHARE``, so a post waits for running scans and scans after a post are
refused).

The business keeps selling during a count. Each line also records the ledger position at
its latest count entry (``counted_position``). The variance of a line is

    counted - (expected + the product's movements at the location after the count opened
               and up to when the line was last counted)

so a sale made *before* the shelf was counted is not a loss, and a sale made *after* it is
not a gain either. (Comparing with every movement since opening, as a first design had it,
turns "counted 10, then 3 sold" into a +3 variance and posting would leave 3 phantom units.)
Posting computes each adjustment from the on-hand *at posting time*, inside the posting
transaction: the stock becomes the counted quantity plus what moved after that line was
counted, so sales during the count are respected; each change is an ordinary movement (reason
``count``, document = the count's number) through ``stock.move``, and it always equals the
variance shown. Never-counted products in scope either stay as they are or become zero (the
count's ``zero_uncounted`` choice, which the poster may change).

Permissions: ``count.manage`` opens, posts and cancels; ``count.count`` counts. In a *blind*
count only ``count.manage`` may see expected quantities and variances (``can_see_expected``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from peewee import JOIN, Case, fn

from ..catalog import products
from ..catalog.categories import product_categories
from ..check import check
from ..core import audit, numbering, settings
from ..core.actor import Actor
from ..core.db import database, is_sqlite, write
from ..core.errors import Conflict, NotFound, ValidationError
from ..core.money import fmt_qty, from_milli, qty, to_milli
from ..core.permissions import allowed, require
from ..models import (
    Location,
    Product,
    StockCount,
    StockCountEntry,
    StockCountLine,
    StockLevel,
    StockMovement,
    User,
    now,
)
from ..stock import ledger as stock

SCOPES = {
    "all": "All active products",
    "location": "Products stocked at the location",
    "category": "A category with its sub-categories",
    "products": "A list of products",
}
MODES = {"blind": "Blind (counters do not see expected quantities)",
         "guided": "Guided (expected quantities shown)"}
STATUSES = {"open": "open", "posted": "posted", "cancelled": "cancelled"}
THRESHOLD_SETTING = "count.recount_threshold"
DEFAULT_THRESHOLD = Decimal("5")


# --- reading ---------------------------------------------------------------------------------


def get_count(count: StockCount | int | str) -> StockCount:
    """A count by object, id or number."""
    if isinstance(count, StockCount):
        count = count.id
    if isinstance(count, int):
        found = StockCount.get_or_none(StockCount.id == count)
    else:
        found = StockCount.get_or_none(StockCount.number == str(count).strip())
    if found is None:
        raise NotFound(f"stock count {count} does not exist")
    return found


def open_counts() -> list[StockCount]:
    return list(StockCount.select().where(StockCount.status == "open").order_by(StockCount.id))


def recent_counts(limit: int = 50) -> list[StockCount]:
    """Open counts first, then the latest posted and cancelled ones."""
    rows = list(StockCount.select().order_by(StockCount.id.desc()).limit(limit))
    return sorted(rows, key=lambda c: (c.status != "open", -c.id))


def can_see_expected(user: User | None, count: StockCount) -> bool:
    """Guided counts show expected quantities to counters; blind ones only to managers."""
    if allowed(user, "count.manage"):
        return True
    return count.mode == "guided" and allowed(user, "count.count")


def require_view(user: User | None) -> None:
    """Counters and managers see counts (None: the command line, run by the server's owner)."""
    if user is not None and not allowed(user, "count.manage"):
        require(user, "count.count")


def describe(count: StockCount) -> str:
    loc = Location.get_by_id(count.location_id)
    return (f"{count.number} {count.status} · {count.mode} · {count.scope_label or count.scope}"
            f" · at {loc.code}")


def threshold() -> Decimal:
    """Lines whose variance is larger than this (units) are flagged for recount."""
    text = settings.get(THRESHOLD_SETTING).strip()
    if not text:
        return DEFAULT_THRESHOLD
    try:
        return abs(qty(text))
    except ValueError:
        return DEFAULT_THRESHOLD


# --- opening ---------------------------------------------------------------------------------


def _scope_products(scope: str, location: Location, value) -> tuple[list[int], str, int | None]:
    """(product ids, a label, the category id) for a scope."""
    base = Product.select(Product.id).where(Product.active == True)  # noqa: E712
    if scope == "all":
        return [p for (p,) in base.tuples()], "all products", None
    if scope == "location":
        query = (Product.select(Product.id)
                 .join(StockLevel, on=(StockLevel.product == Product.id))
                 .where((StockLevel.location == location.id)
                        & ((Product.active == True) | (StockLevel.on_hand != 0))))  # noqa: E712
        return [p for (p,) in query.tuples()], f"products at {location.code}", None
    if scope == "category":
        node = None
        if isinstance(value, int):
            node = product_categories.get(value)
        elif value:
            node = product_categories.find(str(value).strip())
        if node is None:
            raise ValidationError({"scope_value": f"no product category {value!r}"})
        ids = product_categories.descendants(node.id)
        query = base.where(Product.category.in_(ids))
        return [p for (p,) in query.tuples()], f"category {node.name}", node.id
    if scope == "products":
        items = value if isinstance(value, list | tuple) else str(value or "").replace(
            ";", " ").replace(",", " ").split()
        ids: list[int] = []
        unknown = []
        for item in items:
            if isinstance(item, int):
                ids.append(item)
                continue
            found = products.lookup(str(item))
            if found is None:
                unknown.append(str(item))
            else:
                ids.append(found[0].id)
        if unknown:
            raise ValidationError({"scope_value": f"unknown product code {', '.join(unknown)}"})
        ids = list(dict.fromkeys(ids))
        if not ids:
            raise ValidationError({"scope_value": "name at least one product (codes or barcodes)"})
        return ids, f"{len(ids)} product(s)", None
    raise ValidationError({"scope": f"scope is one of: {', '.join(SCOPES)}"})


def open_count(
    actor: Actor,
    *,
    scope: str = "all",
    scope_value=None,
    mode: str = "blind",
    location: Location | int | str | None = None,
    zero_uncounted: bool = False,
    note: str = "",
) -> StockCount:
    """Open a count session: one line per product in scope with its expected quantity."""
    require(actor, "count.manage")
    if mode not in MODES:
        raise ValidationError({"mode": f"mode is one of: {', '.join(MODES)}"})
    if scope not in SCOPES:
        raise ValidationError({"scope": f"scope is one of: {', '.join(SCOPES)}"})
    loc = stock.get_location(location)
    if scope == "location" and scope_value not in (None, ""):
        loc = stock.get_location(scope_value)
    with write():
        ids, label, category_id = _scope_products(scope, loc, scope_value)
        if not ids:
            raise ValidationError({"scope": f"no products in scope ({label})"})
        position = StockMovement.select(fn.MAX(StockMovement.id)).scalar() or 0
        count = StockCount.create(
            number=numbering.next_number("count"), status="open", mode=mode, scope=scope,
            scope_label=label[:200], location=loc.id, category=category_id,
            zero_uncounted=bool(zero_uncounted), ledger_position=position,
            note=(note or "").strip()[:200], opened_by=actor.id,
        )
        levels = dict(
            StockLevel.select(StockLevel.product, StockLevel.on_hand)
            .where(StockLevel.location == loc.id).tuples()
        )
        p = database.param
        database.cursor().executemany(
            'INSERT INTO "stock_count_line" ("count_id", "product_id", "in_scope", "expected", '
            f'"counted", "entries") VALUES ({p}, {p}, {p}, {p}, 0, 0)',
            [(count.id, pid, True, to_milli(levels.get(pid, 0))) for pid in ids],
        )
        audit.record(actor, "stock_count", count.id, "open",
                     {"number": count.number, "scope": label, "mode": mode,
                      "location": loc.code, "products": len(ids), "position": position})
    return count


# --- counting --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CountResult:
    """What one scan or typed quantity did to a line."""

    line_id: int
    product_id: int
    product_code: str
    product_name: str
    added: Decimal  # the change of the counted quantity
    counted: Decimal  # the line's counted total after it (all terminals together)
    out_of_scope: bool  # the product was not in the count's scope
    new_line: bool  # this scan added the (out-of-scope) product to the count

    @property
    def status(self) -> str:
        """``+1 -> 3`` for the status line."""
        sign = "+" if self.added >= 0 else ""
        return f"{self.product_code}: {sign}{fmt_qty(self.added)} -> {fmt_qty(self.counted)}"

    @property
    def warning(self) -> str:
        if not self.out_of_scope:
            return ""
        return (f"{self.product_code} {self.product_name} is not in this count's scope"
                + (": added to the count" if self.new_line else ""))


_POSITION = '(SELECT COALESCE(MAX("id"), 0) FROM "stock_movement")'


def _lock_open(count_id: int) -> StockCount:
    """Inside a write transaction: the count, refused unless open. On PostgreSQL the row is
    read FOR SHARE: a post (which updates it) waits for running scans, and vice versa."""
    p = database.param
    lock = "" if is_sqlite() else " FOR SHARE"
    row = database.execute_sql(
        f'SELECT "status", "number" FROM "stock_count" WHERE "id" = {p}{lock}', (count_id,)
    ).fetchone()
    if row is None:
        raise NotFound(f"stock count #{count_id} does not exist")
    if row[0] != "open":
        raise Conflict(f"stock count {row[1]} is {row[0]}: it can no longer be changed")
    return StockCount.get_by_id(count_id)


def _expected_at_open(count: StockCount, product_id: int) -> int:
    """On hand (thousandths) at the count's location as it was when the count opened."""
    p = database.param
    now_ = database.execute_sql(
        f'SELECT COALESCE(SUM("on_hand"), 0) FROM "stock_level" WHERE "product_id" = {p} '
        f'AND "location_id" = {p}', (product_id, count.location_id)).fetchone()[0]
    since = database.execute_sql(
        f'SELECT COALESCE(SUM("quantity"), 0) FROM "stock_movement" WHERE "product_id" = {p} '
        f'AND "location_id" = {p} AND "id" > {p}',
        (product_id, count.location_id, count.ledger_position)).fetchone()[0]
    return int(now_) - int(since)


def _entry(actor: Actor, line_id: int, kind: str, quantity: Decimal, code: str) -> None:
    StockCountEntry.create(line=line_id, kind=kind, quantity=quantity, code=(code or "")[:100],
                           user=actor.id)


def _result(line_id: int, product: Product, added: Decimal, counted_milli: int,
            in_scope: bool, new_line: bool) -> CountResult:
    return CountResult(line_id, product.id, product.code, product.name, added,
                       from_milli(counted_milli), not in_scope, new_line)


def count_scan(actor: Actor, count: StockCount | int, text: str) -> CountResult:
    """One scan (or a typed code): ``code``, ``N*code``; a carton barcode counts its pack.

    Adds to the product's counted quantity with one atomic UPDATE; a product outside the
    scope is added to the count (``CountResult.out_of_scope`` says so). An unknown code raises
    ``NotFound`` and changes nothing.
    """
    require(actor, "count.count")
    n, code = products.parse_scan(text)
    found = products.lookup(code)
    if found is None:
        raise NotFound(f"unknown code {code}: no product or barcode has it")
    product, pack = found
    amount = qty(n * pack)
    count_id = count.id if isinstance(count, StockCount) else int(count)
    p = database.param
    with write():
        sc = _lock_open(count_id)
        inserted = database.execute_sql(
            'INSERT INTO "stock_count_line" ("count_id", "product_id", "in_scope", "expected", '
            f'"counted", "entries") VALUES ({p}, {p}, {p}, {p}, 0, 0) '
            'ON CONFLICT ("count_id", "product_id") DO NOTHING RETURNING "id"',
            (count_id, product.id, False, _expected_at_open(sc, product.id)),
        ).fetchall()
        rows = database.execute_sql(
            f'UPDATE "stock_count_line" SET "counted" = "counted" + {p}, '
            f'"entries" = "entries" + 1, "counted_position" = {_POSITION} '
            f'WHERE "count_id" = {p} AND "product_id" = {p} '
            'RETURNING "id", "counted", "in_scope"',
            (to_milli(amount), count_id, product.id),
        ).fetchall()
        line_id, counted, in_scope = rows[0]
        _entry(actor, line_id, "scan", amount, text)
    return _result(line_id, product, amount, counted, bool(in_scope), bool(inserted))


def _line(line_id: int) -> StockCountLine:
    line = StockCountLine.get_or_none(StockCountLine.id == line_id)
    if line is None:
        raise NotFound(f"count line #{line_id} does not exist")
    return line


def set_counted(actor: Actor, line_id: int, quantity, *, code: str = "") -> CountResult:
    """Type the counted quantity of a line (replaces what was counted so far)."""
    require(actor, "count.count")
    try:
        amount = qty(quantity)
    except ValueError as e:
        raise ValidationError({"quantity": str(e)}) from None
    if amount < 0:
        raise ValidationError({"quantity": "a counted quantity cannot be negative"})
    line = _line(line_id)
    p = database.param
    with write():
        _lock_open(line.count_id)
        before = database.execute_sql(
            f'SELECT "counted" FROM "stock_count_line" WHERE "id" = {p}', (line_id,)
        ).fetchone()[0]
        database.execute_sql(
            f'UPDATE "stock_count_line" SET "counted" = {p}, "entries" = "entries" + 1, '
            f'"counted_position" = {_POSITION} WHERE "id" = {p}', (to_milli(amount), line_id))
        _entry(actor, line_id, "set", amount, code)
    product = Product.get_by_id(line.product_id)
    return _result(line_id, product, amount - from_milli(before), to_milli(amount),
                   line.in_scope, False)


def recount(actor: Actor, line_id: int) -> CountResult:
    """Reset a line to "never counted" so it can be counted again."""
    require(actor, "count.count")
    line = _line(line_id)
    p = database.param
    with write():
        _lock_open(line.count_id)
        before = database.execute_sql(
            f'SELECT "counted" FROM "stock_count_line" WHERE "id" = {p}', (line_id,)
        ).fetchone()[0]
        database.execute_sql(
            'UPDATE "stock_count_line" SET "counted" = 0, "entries" = 0, '
            f'"counted_position" = NULL WHERE "id" = {p}',
            (line_id,))
        _entry(actor, line_id, "reset", Decimal(0), "")
    product = Product.get_by_id(line.product_id)
    return _result(line_id, product, -from_milli(before), 0, line.in_scope, False)


# --- variance --------------------------------------------------------------------------------


@dataclass(frozen=True)
class VarianceLine:
    line_id: int
    product_id: int
    code: str
    name: str
    unit: str
    cost: Decimal
    in_scope: bool
    expected: Decimal  # at opening
    moved: Decimal  # net movements since opening (sales, purchases, returns, ...)
    counted: Decimal
    entries: int
    adjustment: Decimal | None  # posted counts: what was moved

    @property
    def counted_at_all(self) -> bool:
        return self.entries > 0

    @property
    def book(self) -> Decimal:
        """What the ledger said when the line was counted (now, if never counted): expected +
        the movements since opening up to then."""
        return self.expected + self.moved

    @property
    def variance(self) -> Decimal | None:
        """counted - book; None for a never-counted line that stays as it is."""
        if self.adjustment is not None:
            return self.adjustment
        if not self.counted_at_all:
            return None
        return self.counted - self.book

    def variance_if(self, zero_uncounted: bool) -> Decimal:
        if self.adjustment is not None:
            return self.adjustment
        if not self.counted_at_all:
            return -self.book if zero_uncounted else Decimal("0.000")
        return self.counted - self.book

    def value(self, zero_uncounted: bool) -> Decimal:
        return (self.variance_if(zero_uncounted) * self.cost).quantize(Decimal("0.01"))

    def flagged(self, limit: Decimal) -> bool:
        v = self.variance
        return v is not None and self.adjustment is None and abs(v) > limit


def _moved_since(count: StockCount):
    """SUM of a line's product movements at the location after the count opened and up to
    the line's latest count entry (all of them for a never-counted line), not counting the
    count's own posted movements: a correlated sub-query."""
    m = StockMovement.alias("m")
    return (
        m.select(fn.COALESCE(fn.SUM(m.quantity), 0))
        .where((m.product == StockCountLine.product) & (m.location == count.location_id)
               & (m.id > count.ledger_position)
               & (StockCountLine.counted_position.is_null()
                  | (m.id <= StockCountLine.counted_position))
               & ~((m.doc_type == "count") & (m.doc_id == count.id)))
    )


def line_query(actor: Actor, count: StockCount | int):
    """The lines of a count (a peewee query for lists): product, counted, expected, moved."""
    require_view(actor)
    sc = get_count(count)
    moved = _moved_since(sc)
    return (
        StockCountLine.select(StockCountLine, Product, moved.alias("moved"))
        .join(Product, on=(StockCountLine.product == Product.id))
        .where(StockCountLine.count == sc.id)
    )


def list_expressions(count: StockCount) -> dict[str, object]:
    """Column expressions for a list of ``line_query`` (raw thousandths, NULL when there is
    nothing to show): ``counted`` (NULL: never counted), ``book`` (what the count is compared
    with) and ``variance``."""
    counted = StockCountLine.entries > 0
    shown = Case(None, [(counted, StockCountLine.counted)], None)  # blank: never counted
    if count.status == "posted":
        return {"counted": shown, "book": StockCountLine.book,
                "variance": StockCountLine.adjustment}
    book = StockCountLine.expected + _moved_since(count)
    return {
        "counted": shown,
        "book": book,
        "variance": Case(None, [(counted, StockCountLine.counted - book)], None),
    }


def variance(actor: Actor, count: StockCount | int) -> list[VarianceLine]:
    """Every line with its variance, by product code. Refused to counters in a blind count."""
    sc = get_count(count)
    if not can_see_expected(actor, sc):
        require(actor, "count.manage")
    moved = _moved_since(sc)
    query = (
        StockCountLine.select(StockCountLine.id, Product.id, Product.code, Product.name,
                              Product.unit, Product.cost, StockCountLine.in_scope,
                              StockCountLine.expected, moved, StockCountLine.counted,
                              StockCountLine.entries, StockCountLine.adjustment,
                              StockCountLine.book)
        .join(Product, on=(StockCountLine.product == Product.id))
        .where(StockCountLine.count == sc.id)
        .order_by(Product.code)
        .tuples()
    )
    out = []
    for (lid, pid, code, name, unit, cost, in_scope, expected, moved_milli, counted, entries,
         adjustment, book) in query:
        moved_q = from_milli(int(moved_milli or 0))  # a sub-query: raw thousandths
        if book is not None:  # posted: the book quantity at posting is what counts
            moved_q = book - expected
        out.append(VarianceLine(lid, pid, code, name, unit, cost, bool(in_scope), expected,
                                moved_q, counted, entries, adjustment))
    return out


@dataclass(frozen=True)
class Summary:
    lines: int
    counted: int
    uncounted: int
    out_of_scope: int
    flagged: int
    value: Decimal  # net variance at cost


def summary(lines: Iterable[VarianceLine], zero_uncounted: bool) -> Summary:
    lines = list(lines)
    limit = threshold()
    return Summary(
        lines=len(lines),
        counted=sum(1 for v in lines if v.counted_at_all),
        uncounted=sum(1 for v in lines if not v.counted_at_all),
        out_of_scope=sum(1 for v in lines if not v.in_scope),
        flagged=sum(1 for v in lines if v.flagged(limit)),
        value=sum((v.value(zero_uncounted) for v in lines), Decimal("0.00")),
    )


def progress(count: StockCount | int) -> tuple[int, int]:
    """(lines counted, lines) of a count: fine for counters in blind counts too."""
    sc = get_count(count)
    total = StockCountLine.select().where(StockCountLine.count == sc.id).count()
    done = (StockCountLine.select()
            .where((StockCountLine.count == sc.id) & (StockCountLine.entries > 0)).count())
    return done, total


# --- posting and cancelling -------------------------------------------------------------------


@dataclass(frozen=True)
class PostResult:
    number: str
    movements: int
    lines: int
    value: Decimal


def _close_open(actor: Actor, sc: StockCount, status: str) -> bool:
    """Move an open count to ``status`` (one UPDATE, so it also takes the session's lock);
    ``Conflict`` if it is no longer open. Returns the count's saved ``zero_uncounted``."""
    p = database.param
    rows = database.execute_sql(
        f'UPDATE "stock_count" SET "status" = {p}, "closed_by_id" = {p}, "closed_at" = {p} '
        f'WHERE "id" = {p} AND "status" = {p} RETURNING "zero_uncounted"',
        (status, actor.id, now(), sc.id, "open"),
    ).fetchall()
    if not rows:
        current = get_count(sc.id)
        raise Conflict(f"stock count {sc.number} is {current.status}: it cannot be {status}")
    return bool(rows[0][0])


def post_count(actor: Actor, count: StockCount | int, *,
               zero_uncounted: bool | None = None) -> PostResult:
    """Post a count: set each counted product's stock at the location to what was counted.

    One transaction. The adjustment of each line is computed from on-hand *now* (sales during
    the count are respected) and written as a movement with reason ``count`` and the count's
    number as its document. The session becomes ``posted`` (read-only). Refused unless the
    actor may ``count.manage``.
    """
    require(actor, "count.manage")
    sc = get_count(count)
    p = database.param
    with write():
        # Taking the session first locks it: scans still running finish before, later ones
        # are refused (see _lock_open).
        saved_zero = _close_open(actor, sc, "posted")
        zero = saved_zero if zero_uncounted is None else bool(zero_uncounted)
        if zero_uncounted is not None:
            StockCount.update(zero_uncounted=zero).where(StockCount.id == sc.id).execute()
        m = StockMovement.alias("m")
        after = (  # movements after the line was counted: applied on top of the count
            m.select(fn.COALESCE(fn.SUM(m.quantity), 0))
            .where((m.product == StockCountLine.product) & (m.location == sc.location_id)
                   & (m.id > StockCountLine.counted_position))
        )
        lines = list(
            StockCountLine.select(StockCountLine.id, StockCountLine.product,
                                  StockCountLine.counted, StockCountLine.entries, Product.cost,
                                  after)
            .join(Product, on=(StockCountLine.product == Product.id))
            .where(StockCountLine.count == sc.id)
            .order_by(Product.code)
            .tuples()
        )
        levels = dict(
            StockLevel.select(StockLevel.product, StockLevel.on_hand)
            .where(StockLevel.location == sc.location_id).tuples()
        )
        moves = 0
        value = Decimal("0.00")
        updates = []
        for lid, pid, counted, entries, cost, after_milli in lines:
            on_hand = levels.get(pid, Decimal("0.000"))
            if entries > 0:
                target = counted + from_milli(int(after_milli or 0))
                if target < 0:  # sold after counting more than was counted
                    target = min(Decimal("0.000"), on_hand)
            elif zero:
                target = Decimal("0.000")
            else:
                updates.append((to_milli(on_hand), 0, lid))
                continue
            delta = target - on_hand
            book = counted - delta if entries > 0 else on_hand  # the book the count met
            if delta != 0:
                stock.move(actor, pid, sc.location_id, delta, "count", doc_type="count",
                           doc_id=sc.id, doc_number=sc.number,
                           note=f"count {sc.number}: stock set to {fmt_qty(target)}")
                moves += 1
                value += (delta * cost).quantize(Decimal("0.01"))
            updates.append((to_milli(book), to_milli(delta), lid))
        database.cursor().executemany(
            f'UPDATE "stock_count_line" SET "book" = {p}, "adjustment" = {p} WHERE "id" = {p}',
            updates,
        )
        audit.record(actor, "stock_count", sc.id, "post",
                     {"number": sc.number, "movements": moves, "lines": len(lines),
                      "zero_uncounted": zero, "value": value})
    return PostResult(sc.number, moves, len(lines), value)


def cancel_count(actor: Actor, count: StockCount | int, reason: str = "") -> StockCount:
    """Cancel an open count: nothing is moved; it stays listed as cancelled."""
    require(actor, "count.manage")
    sc = get_count(count)
    with write():
        _close_open(actor, sc, "cancelled")
        audit.record(actor, "stock_count", sc.id, "cancel",
                     {"number": sc.number, "reason": (reason or "").strip()})
    return get_count(sc.id)


def entries_of(line_id: int, limit: int = 100) -> list[StockCountEntry]:
    """A line's count history, newest first (who scanned or typed what, when)."""
    return list(
        StockCountEntry.select(StockCountEntry, User)
        .join(User, JOIN.LEFT_OUTER, on=(StockCountEntry.user == User.id))
        .where(StockCountEntry.line == line_id)
        .order_by(StockCountEntry.id.desc())
        .limit(limit)
    )


def open_since(count: StockCount) -> dt.timedelta:
    return now() - count.opened_at


# --- consistency check (tuicrm check) ------------------------------------------------------


@check("stock_counts", "posted counts = their count movements")
def posted_counts(limit: int) -> Iterator[str]:
    """Each posted count's lines say what it moved; the ledger must hold exactly that, and a
    count that is not posted must have moved nothing."""
    sql = f"""
        SELECT c.number, c.status, p.code, COALESCE(l.adjustment, 0), COALESCE(m.moved, 0)
        FROM stock_count c
        JOIN stock_count_line l ON l.count_id = c.id
        JOIN product p ON p.id = l.product_id
        LEFT JOIN (
            SELECT doc_id, product_id, SUM(quantity) AS moved FROM stock_movement
            WHERE doc_type = 'count' GROUP BY doc_id, product_id
        ) m ON m.doc_id = c.id AND m.product_id = l.product_id
        WHERE COALESCE(l.adjustment, 0) <> COALESCE(m.moved, 0)
           OR (c.status = 'posted' AND l.adjustment IS NULL)
        ORDER BY c.number, p.code
        LIMIT {int(limit)}
    """
    for number, status, code, adjustment, moved in database.execute_sql(sql).fetchall():
        yield (f"stock count {number} ({status}) product {code}: recorded adjustment "
               f"{fmt_qty(from_milli(adjustment))} but its movements add up to "
               f"{fmt_qty(from_milli(moved))}")
