"""Opening a count: one line per product in its scope with the quantity on hand (``expected``)
and the ledger position (the newest stock movement id), in one write transaction, so the two
agree. Lines are made in product code order, the order the screen lists them in.

They must agree exactly: the variance counts every movement after the position as "moved
during the count". On PostgreSQL a movement written by another session can hold a smaller id
than one already committed and commit later; were the count opened in between, that movement
would be in neither the expected quantity nor the movements since. So opening first takes
``stock_level`` in SHARE mode: it waits for every stock movement under way and holds new
ones off until the count's lines are written (a fraction of a second; sales then go on).
SQLite's IMMEDIATE transaction already excludes every other writer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from peewee import fn

from ...i18n import _
from ..catalog import products
from ..catalog.categories import product_categories
from ..core import numbering
from ..core.db import database, is_sqlite
from ..core.errors import ValidationError
from ..core.money import to_milli
from ..core.operation import Op, operation
from ..core.vocab import CountMode, CountStatus
from ..models.catalog import Product
from ..models.counts import StockCount
from ..models.stock import StockLevel, StockMovement
from ..stock import ledger as stock
from .reading import count_row
from .rows import CountRow
from .rules import MANAGE, MODES, SCOPES, CountScope

MAX_NOTE = 200
ScopeValue = str | int | Sequence[str | int] | None


def _scope_products(scope: CountScope, location_id: int, location_code: str,
                    value: ScopeValue) -> tuple[list[int], str, int | None]:
    """(product ids by product code, a label, the category id) for a scope."""
    active = Product.active == True  # noqa: E712 - SQL
    base: Any = Product.select(Product.id).where(active).order_by(Product.code)
    if scope == CountScope.ALL:
        return [int(p) for (p,) in base.tuples()], "all products", None
    if scope == CountScope.LOCATION:
        query: Any = (Product.select(Product.id)
                 .join(StockLevel, on=(StockLevel.product == Product.id))
                 .where((StockLevel.location == location_id)
                        & (active | (StockLevel.on_hand != 0)))
                 .order_by(Product.code))
        return [int(p) for (p,) in query.tuples()], f"products at {location_code}", None
    if scope == CountScope.CATEGORY:
        node: Any = None
        if isinstance(value, int):
            node = product_categories.get(value)
        elif isinstance(value, str) and value.strip():
            node = product_categories.find(value.strip())
        if node is None:
            raise ValidationError({"scope_value": _("no product category {value!r}").format(
                                                    value=value)})
        ids = product_categories.descendants(node.id)
        in_category: Any = base.where(Product.category.in_(ids))
        return [int(p) for (p,) in in_category.tuples()], f"category {node.name}", int(node.id)
    return _listed_products(value)


def _listed_products(value: ScopeValue) -> tuple[list[int], str, None]:
    """The ``products`` scope: ids, or codes and barcodes separated by spaces, commas or
    semicolons."""
    items: Sequence[str | int]
    if isinstance(value, str) or value is None:
        items = str(value or "").replace(";", " ").replace(",", " ").split()
    elif isinstance(value, int):
        items = [value]
    else:
        items = value
    ids: list[int] = []
    unknown: list[str] = []
    for item in items:
        if isinstance(item, int):
            ids.append(item)
            continue
        found = products.lookup(str(item))
        if found is None:
            unknown.append(str(item))
        else:
            ids.append(int(found[0].id))
    if unknown:
        raise ValidationError({"scope_value": _("unknown product code {join}").format(
                                                join=', '.join(unknown))})
    ids = list(dict.fromkeys(ids))
    if not ids:
        raise ValidationError({"scope_value": _("name at least one product (codes or barcodes)")})
    by_code: Any = (Product.select(Product.id).where(Product.id.in_(ids))
                    .order_by(Product.code).tuples())
    listed = [int(p) for (p,) in by_code]  # (an id of no product is not counted)
    return listed, f"{len(listed)} product(s)", None


def _choice(kind: str, value: str, allowed: Sequence[str]) -> str:
    if value not in allowed:
        raise ValidationError({kind: _("{kind} is one of: {join}").format(
                                       kind=kind,
                                       join=', '.join(allowed))})
    return value


@operation(MANAGE)
def open_count(
    op: Op,
    *,
    scope: str = CountScope.ALL,
    scope_value: ScopeValue = None,
    mode: str = CountMode.BLIND,
    location: int | str | None = None,
    zero_uncounted: bool = False,
    note: str = "",
) -> CountRow:
    """Open a count session at ``location`` (id or code; None: the default one): one line
    per product in scope with its expected quantity. ``scope_value``: the category (id or
    path) or the products (ids, or codes and barcodes); the ``location`` scope takes the
    location's code here too."""
    how = CountMode(_choice("mode", str(mode), list(MODES)))
    what = CountScope(_choice("scope", str(scope), list(SCOPES)))
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise ValidationError({"note": _("at most {MAX_NOTE} characters").format(MAX_NOTE=MAX_NOTE)})
    if what == CountScope.LOCATION and scope_value not in (None, ""):
        location = scope_value if isinstance(scope_value, int | str) else location
    if not is_sqlite():  # see the module docstring
        database.execute_sql('LOCK TABLE "stock_level" IN SHARE MODE')
    loc = stock.get_location(location)
    ids, label, category_id = _scope_products(what, int(loc.id), str(loc.code), scope_value)
    if not ids:
        raise ValidationError({"scope": _("no products in scope ({label})").format(label=label)})
    position = int(StockMovement.select(fn.MAX(StockMovement.id)).scalar() or 0)
    count = StockCount.create(
        number=numbering.next_number("count"), status=CountStatus.OPEN, mode=how, scope=what,
        scope_label=label[:200], location=loc.id, category=category_id,
        zero_uncounted=bool(zero_uncounted), ledger_position=position, note=note,
        opened_by=op.actor.id,
    )
    on_hand: Any = (StockLevel.select(StockLevel.product, StockLevel.on_hand)
                    .where(StockLevel.location == loc.id).tuples())
    levels: dict[int, Any] = dict(on_hand)
    p = database.param
    database.cursor().executemany(
        'INSERT INTO "stock_count_line" ("count_id", "product_id", "in_scope", "expected", '
        f'"counted", "entries") VALUES ({p}, {p}, {p}, {p}, 0, 0)',
        [(count.id, pid, True, to_milli(levels.get(pid, 0))) for pid in ids],
    )
    op.audit("stock_count", count.id, "open",
             {"number": count.number, "scope": label, "mode": how, "location": loc.code,
              "products": len(ids), "position": position})
    return count_row(op.actor, int(count.id))
