"""Stock reports (R3): on hand and its value at cost, products below their minimum, and the
movement history of one product.

On hand *today* is the stock level table (kept equal to the sum of the movements, proven by
``tuicrm check``); on hand *as of* an earlier day is that less every movement after the end of
that day. Value at cost = quantity x the product's cost price now (rounded to cents per row);
the value columns need ``product.see_cost``.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ...data.core import clock
from ...data.core.db import database
from ...data.core.errors import ValidationError
from ...data.core.formats import fmt_date
from ...data.core.money import CENT, fmt_qty, from_cents, from_milli
from ...data.stock.lists import reason_shown
from ...i18n import N_, _
from ..engine import AS_OF, FROM, TO, TOP, Column, Param, RunContext, Table, by_param, report
from ..sales_data import hint, tree_paths

SEE_COST = "product.see_cost"
PRODUCT = Param("product", "text", N_("Product"), "", help=N_("product code"), required=True)


def _value(milli: int, cost_cents: int) -> Decimal:
    return (Decimal(milli * cost_cents) / 100000).quantize(CENT, rounding=ROUND_HALF_UP)


def _levels(as_of: dt.date, by_location: bool) -> dict[tuple[int, int], int]:
    """On hand in thousandths per (product, location or 0) at the end of ``as_of``."""
    loc = "location_id" if by_location else "0"
    group = "product_id, location_id" if by_location else "product_id"
    levels = {(p, l_): int(q) for p, l_, q in database.execute_sql(
        f"SELECT product_id, {loc}, SUM(on_hand) FROM stock_level GROUP BY {group}")}
    if as_of < clock.today():
        after = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time())
        rows = database.execute_sql(
            f"SELECT product_id, {loc}, SUM(quantity) FROM stock_movement"
            f"{hint('stock_movement_report')} WHERE at >= "
            f"{database.param} GROUP BY {group}", (after.isoformat(sep=" "),))
        for p, l_, q in rows:
            levels[(p, l_)] = levels.get((p, l_), 0) - int(q)
    return levels


def _products() -> dict[int, tuple[Any, ...]]:
    return {r[0]: r[1:] for r in database.execute_sql(
        "SELECT id, code, name, unit, category_id, cost, min_stock, active FROM product")}


@report("stock", N_("Stock on hand"), params=(AS_OF, by_param(("product", "location",
        "category"), "product", (N_("Product"), N_("Location"), N_("Category"))), TOP), permission="stock.view",
        description=N_("On hand and its value at cost, per product, location or category"))
def stock_on_hand(ctx: RunContext) -> Table:
    as_of, key = ctx.params["as-of"], ctx.params["by"]
    if as_of > clock.today():
        raise ValidationError({"as-of": _("stock is known up to today, not {day}").format(
            day=as_of)})
    ctx.progress(0, 2)
    levels = _levels(as_of, key == "location")
    products = _products()
    ctx.progress(1, 2)
    sums: dict[Any, list[int]] = {}
    for (pid, loc), milli in levels.items():
        if milli == 0 or pid not in products:
            continue
        code, name, unit, category, cost, _min, _active = products[pid]
        k = {"product": pid, "location": loc, "category": category}[key]
        s = sums.setdefault(k, [0, 0])
        s[0] += milli
        s[1] += milli * int(cost)
    value = Column("value", _("Value at cost"), "money", "sum", needs=SEE_COST)
    rows: list[tuple[Any, ...]] = []
    if key == "product":
        cols: tuple[Column, ...] = (
            Column("code", _("Code")), Column("product", _("Product")),
            Column("unit", _("Unit")), Column("on_hand", _("On hand"), "qty", "sum"),
            Column("cost", _("Cost"), "money", needs=SEE_COST), value)
        for pid, (milli, _v) in sums.items():
            code, name, unit, _c, cost, _m, _a = products[pid]
            rows.append((code, name, unit, from_milli(milli), from_cents(cost),
                         _value(milli, int(cost))))
        rows.sort(key=lambda r: str(r[0]))
    else:
        names: dict[Any, str]
        if key == "location":
            names = {r[0]: f"{r[1]} {r[2]}" for r in database.execute_sql(
                "SELECT id, code, name FROM location")}
        else:
            names = tree_paths("product_category")
        cols = (Column(key, _("Location") if key == "location" else _("Category")),
                Column("on_hand", _("On hand"), "qty", "sum"), value)
        for k, (milli, cost_milli) in sums.items():
            rows.append((names.get(k, _("(no category)")), from_milli(milli),
                         (Decimal(cost_milli) / 100000).quantize(CENT, rounding=ROUND_HALF_UP)))
        rows.sort(key=lambda r: str(r[0]))
    ctx.progress(2, 2)
    return Table(cols, rows, subtitle=ctx.period_text(), rank_by="value", chart="value",
                 notes=(_("Value at the products' current cost prices."),))


@report("stock-below-minimum", N_("Stock below minimum"), params=(TOP,),
        permission="stock.view",
        description=N_("Active products whose stock (all locations) is below their minimum"))
def below_minimum(ctx: RunContext) -> Table:
    products = _products()
    on_hand: dict[int, int] = {}
    for (pid, _l), milli in _levels(clock.today(), False).items():
        on_hand[pid] = on_hand.get(pid, 0) + milli
    rows = []
    for pid, (code, name, unit, _c, _cost, min_stock, active) in products.items():
        have = on_hand.get(pid, 0)
        if active and min_stock > 0 and have < min_stock:
            rows.append((code, name, unit, from_milli(have), from_milli(min_stock),
                         from_milli(min_stock - have)))
    rows.sort(key=lambda r: str(r[0]))
    cols = (Column("code", _("Code")), Column("product", _("Product")), Column("unit", _("Unit")),
            Column("on_hand", _("On hand"), "qty"), Column("minimum", _("Minimum"), "qty"),
            Column("short", _("Short"), "qty", "sum"))
    return Table(cols, rows, subtitle=_("as of {day}").format(day=fmt_date(clock.today())),
                 rank_by="short")


@report("stock-movements", N_("Stock movements of a product"), params=(PRODUCT, FROM, TO),
        permission="stock.view",
        description=N_("Every movement of one product in a period with the running balance"))
def movements(ctx: RunContext) -> Table:
    code = ctx.params["product"]
    found = database.execute_sql(f"SELECT id, name FROM product WHERE code = {database.param}",
                                 (code,)).fetchone()
    if found is None:
        raise ValidationError({"product": _("no product with the code {code!r}").format(
            code=code)})
    pid, name = found
    start = dt.datetime.combine(ctx.params["from"], dt.time()).isoformat(sep=" ")
    end = dt.datetime.combine(ctx.params["to"] + dt.timedelta(days=1), dt.time()).isoformat(
        sep=" ")
    p = database.param
    (before,) = database.execute_sql(
        f"SELECT COALESCE(SUM(quantity), 0) FROM stock_movement WHERE product_id = {p} "
        f"AND at < {p}", (pid, start)).fetchone()
    rows: list[tuple[Any, ...]] = []
    balance = int(before)
    cursor = database.execute_sql(
        f'SELECT m.at, m.reason, m.doc_number, l.code, m.quantity, u.username, m.note '
        f'FROM stock_movement m JOIN location l ON l.id = m.location_id '
        f'LEFT JOIN "user" u ON u.id = m.user_id WHERE m.product_id = {p} AND m.at >= {p} '
        f'AND m.at < {p} ORDER BY m.at, m.id', (pid, start, end))
    for at, reason, doc, loc, qty, user, note in cursor:
        balance += int(qty)
        when = at if isinstance(at, dt.datetime) else dt.datetime.fromisoformat(str(at))
        rows.append((when.strftime("%Y-%m-%d %H:%M"), reason_shown(reason), doc, loc,
                     from_milli(qty) if qty > 0 else None,
                     from_milli(-qty) if qty < 0 else None, from_milli(balance), user or "",
                     note))
    cols = (Column("at", _("Time")), Column("reason", _("Reason")),
            Column("document", _("Document")), Column("location", _("Location")),
            Column("in", _("In"), "qty", "sum"), Column("out", _("Out"), "qty", "sum"),
            Column("balance", _("Balance"), "qty"), Column("user", _("User")),
            Column("note", _("Note")))
    return Table(cols, rows, subtitle=f"{code} {name} - {ctx.period_text()}",
                 notes=(_("Opening balance {qty}, closing balance {end}.").format(
                     qty=fmt_qty(from_milli(before)), end=fmt_qty(from_milli(balance))),))
