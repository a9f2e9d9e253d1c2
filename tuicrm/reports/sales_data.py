"""The sales figures behind the sales reports: one SQL GROUP BY over the order lines of a
period, returning integer tuples (R1).

What counts as sold: lines of **delivered sales** (counter sales and delivered orders) less
lines of **booked sales returns**, by the order's date. Drafts, quotes, confirmed orders not yet
delivered and cancelled orders are not sales. Amounts are the lines' amounts (after line
discounts); an order-level discount is not spread over lines (it cannot be, exactly, by
product), so it is reported separately (``order_discounts``). Cost is quantity x the product's
cost price as recorded now (order lines keep no cost of their own). Sums are exact integers
(cents, thousandths of a unit; cost in cents x thousandths, rounded to cents once per row).

Periods (day, week, month, quarter, year) are grouped by day in SQL and folded into periods
here (at most a few hundred days), which is exact and reads the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..data.core.db import commit_stamp, database, is_sqlite
from ..data.core.money import from_cents
from ..data.core.vocab import OrderKind, OrderStatus

PARTY_KEYS = ("customer", "product", "salesperson")
TREE_KEYS = ("category", "group")
PERIOD_KEYS = ("day", "week", "month", "quarter", "year")
KEYS = ("customer", "product", "category", "salesperson", "group", "region", *PERIOD_KEYS)

_SIGNED = f"CASE WHEN o.kind = '{OrderKind.SALE}' THEN {{x}} ELSE -({{x}}) END"

# key -> (expression grouped on, extra joins)
_GROUPS: dict[str, tuple[str, str]] = {
    "customer": ("o.customer_id", ""),
    "product": ("ol.product_id", ""),
    "category": ("p.category_id", ""),
    "salesperson": ("o.salesperson_id", ""),
    "day": ("o.date", ""),
}
# key -> (label query joined to the grouped rows g(k, ...))
_LABELS = {
    "customer": ("customer", "code", "name"),
    "product": ("product", "code", "name"),
    "salesperson": ('"user"', "username", "full_name"),
}


def half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half away from zero, in integers (fast, exact)."""
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    if numerator >= 0:
        return (2 * numerator + denominator) // (2 * denominator)
    return -((denominator - 2 * numerator) // (2 * denominator))


def percent_of(numerator: int, denominator: int) -> Decimal | None:
    """100 * numerator / denominator to one decimal place (half up), from integers."""
    if not denominator:
        return None
    return Decimal(half_up(numerator * 1000, denominator)).scaleb(-1)


@dataclass(frozen=True, slots=True)
class Figures:
    """One group's sums in integers: thousandths of a unit, cents, and cost as cents x
    thousandths (exact; rounded to cents once, when a row's cost is shown)."""

    qty_milli: int
    amount_cents: int
    cost_raw: int

    @property
    def cost_cents(self) -> int:
        return half_up(self.cost_raw, 1000)

    @property
    def quantity(self) -> Decimal:
        return Decimal(self.qty_milli).scaleb(-3)

    @property
    def amount(self) -> Decimal:
        return Decimal(self.amount_cents).scaleb(-2)

    @property
    def cost(self) -> Decimal:
        return Decimal(self.cost_cents).scaleb(-2)

    @property
    def margin_cents(self) -> int:
        return self.amount_cents - self.cost_cents

    @property
    def margin(self) -> Decimal:
        return Decimal(self.margin_cents).scaleb(-2)

    def __add__(self, other: Figures) -> Figures:
        return Figures(self.qty_milli + other.qty_milli, self.amount_cents + other.amount_cents,
                       self.cost_raw + other.cost_raw)


ZERO = Figures(0, 0, 0)


def figures_of(qty: Any, amount: Any, cost: Any) -> Figures:
    """Figures from the raw sums (None when no rows: zero)."""
    return Figures(int(qty or 0), int(amount or 0), int(cost or 0))


def hint(index: str) -> str:
    """`` INDEXED BY index`` on SQLite: its planner, without statistics, prefers the rowid or
    an index that saves a sort over a small covering index that saves reading wide rows
    (measured: 2x slower). PostgreSQL plans these joins well by itself."""
    return f' INDEXED BY "{index}"' if is_sqlite() else ""


# Groupings summed per product first: a product's cost is one price, so the cost of a group
# is sum(quantity) x cost per product, looked up once per product (20,000) instead of once per
# order line (1M; measured 1.0 s -> 0.6 s for sales by product over a year).
_BY_PRODUCT = {"product": "", "category": "p.category_id"}


def _by_product_sql(key: str, with_cost: bool) -> str:
    p = database.param
    inner = (
        f"SELECT ol.product_id AS pid, SUM({_SIGNED.format(x='ol.quantity')}) AS q, "
        f"SUM({_SIGNED.format(x='ol.amount')}) AS a "
        f'FROM "order" o JOIN order_line ol ON ol.order_id = o.id '
        f"WHERE o.kind IN ('{OrderKind.SALE}', '{OrderKind.SALE_RETURN}') "
        f"AND o.status = '{OrderStatus.DELIVERED}' AND o.date >= {p} AND o.date <= {p} "
        f"GROUP BY ol.product_id")
    cost = "g.q * p.cost" if with_cost else "0"
    join = "JOIN product p ON p.id = g.pid" if (with_cost or key == "category") else ""
    if key == "product":
        return f"SELECT g.pid AS k, g.q AS q, g.a AS a, {cost} AS c FROM ({inner}) g {join}"
    expr = _BY_PRODUCT[key]
    return (f"SELECT {expr} AS k, SUM(g.q) AS q, SUM(g.a) AS a, SUM({cost}) AS c "
            f"FROM ({inner}) g {join} GROUP BY {expr}")


def sales_sql(key: str, with_cost: bool = True) -> str:
    """The GROUP BY for ``key`` (``day`` for every period), placeholders for from and to."""
    if key in _BY_PRODUCT:
        return _by_product_sql(key, with_cost)
    if key in ("group", "region"):
        # summed per customer first, then each customer's group or region looked up once
        # (45,000 lookups instead of one per order line: 0.95 s -> 0.7 s over a year)
        expr = "c.group_id" if key == "group" else "c.region"
        return (f"SELECT {expr} AS k, SUM(g.q) AS q, SUM(g.a) AS a, SUM(g.c) AS c "
                f"FROM ({sales_sql('customer', with_cost)}) g "
                f"LEFT JOIN customer c ON c.id = g.k GROUP BY {expr}")
    expr, joins = _GROUPS["day" if key in PERIOD_KEYS else key]
    p = database.param
    cost = (f"SUM({_SIGNED.format(x='ol.quantity * p.cost')})" if with_cost else "0")
    product_join = f"JOIN product p{hint('product_report')} ON p.id = ol.product_id " if (
        with_cost or key == "category") else ""
    return (
        f"SELECT {expr} AS k, SUM({_SIGNED.format(x='ol.quantity')}) AS q, "
        f"SUM({_SIGNED.format(x='ol.amount')}) AS a, {cost} AS c "
        f'FROM "order" o JOIN order_line ol ON ol.order_id = o.id {product_join}{joins} '
        f"WHERE o.kind IN ('{OrderKind.SALE}', '{OrderKind.SALE_RETURN}') "
        f"AND o.status = '{OrderStatus.DELIVERED}' AND o.date >= {p} AND o.date <= {p} "
        f"GROUP BY {expr}"
    )


def labelled_sql(key: str, with_cost: bool = True) -> str:
    """``sales_sql`` with the code and name of a customer, product or user joined."""
    sql = sales_sql(key, with_cost)
    label = _LABELS.get(key)
    if label is None:
        return sql
    table, code, name = label
    return (f"SELECT g.k, t.{code}, t.{name}, g.q, g.a, g.c FROM ({sql}) g "
            f"LEFT JOIN {table} t ON t.id = g.k")


def party_rows(key: str, start: dt.date, end: dt.date,
               with_cost: bool = True) -> list[tuple[Any, ...]]:
    """Sales by customer or product as (key, code, name, quantity in thousandths, amount in
    cents, cost in cents), the cost rounded half away from zero as ``half_up`` does: in SQL on
    SQLite (at 45,000 customers the same integer arithmetic in Python was a tenth of the
    report's time), in Python on PostgreSQL (its sums are Decimals). In key order, none first
    (as SQLite groups them)."""
    params = (start.isoformat(), end.isoformat())
    labelled = labelled_sql(key, with_cost)
    if not is_sqlite():
        rows = [(k, code, name, int(q), int(a), half_up(int(c), 1000))
                for k, code, name, q, a, c in database.execute_sql(labelled, params)]
        rows.sort(key=lambda r: (r[0] is not None, r[0] or 0))
        return rows
    # SQLite divides integers truncating, which is the floor for the positive numerators here
    sql = (f"SELECT k, code, name, q, a, CASE WHEN c >= 0 THEN (c + 500) / 1000 "
           f"ELSE -((500 - c) / 1000) END FROM ({labelled})")
    return list(database.execute_sql(sql, params).fetchall())


def _day(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


# -- the day sums shared by reports run one after another ------------------------------------
# Sales by day, week, month, quarter and year (and their comparisons, and staff performance by
# salesperson) run the same GROUP BY over the same days. Small results (periods, salespeople,
# categories, groups, regions: at most CACHE_ROWS rows) are kept for the process and used
# again only while the database is exactly as it was (``db.commit_stamp``: any commit, by
# any process; each report of the Reports screen runs on a worker's own connection).
# PostgreSQL has no such cheap signal: no cache.
CACHE_ROWS = 5_000
CACHE_ENTRIES = 8
_lock = threading.Lock()
_kept: OrderedDict[tuple[Any, ...], list[tuple[Any, ...]]] = OrderedDict()
_kept_stamp: tuple[Any, ...] | None = None


def clear_cache() -> None:
    global _kept_stamp
    with _lock:
        _kept.clear()
        _kept_stamp = None


def _cache() -> OrderedDict[tuple[Any, ...], list[tuple[Any, ...]]] | None:
    """The kept results for the database as it is now (None: off). Call under ``_lock``."""
    global _kept_stamp
    if not is_sqlite():
        return None
    stamp = commit_stamp()
    if stamp is None:
        return None
    if stamp != _kept_stamp:
        _kept.clear()
        _kept_stamp = stamp
    return _kept


def grouped_raw(key: str, start: dt.date, end: dt.date,
                with_cost: bool = True) -> list[tuple[Any, ...]]:
    """The rows of ``labelled_sql`` as the driver returns them: (key, [code, name,] quantity,
    amount, cost) with raw sums (None or a PostgreSQL Decimal possible). A new list each
    time (the caller may sort it)."""
    if key not in KEYS:
        raise ValueError(f"unknown sales grouping {key!r}")
    sql = labelled_sql(key, with_cost)
    params = (start.isoformat(), end.isoformat())
    with _lock:
        cache = _cache()
        before = _kept_stamp
        if cache is not None and (sql, params) in cache:
            cache.move_to_end((sql, params))
            return list(cache[(sql, params)])
    rows = list(database.execute_sql(sql, params).fetchall())
    if cache is not None and len(rows) <= CACHE_ROWS:
        with _lock:
            # Kept only if nothing was committed since ``before``: then the rows are of it.
            if _cache() is not None and _kept_stamp == before:
                cache[(sql, params)] = rows
                while len(cache) > CACHE_ENTRIES:
                    cache.popitem(last=False)
        return list(rows)
    return rows


def grouped(key: str, start: dt.date, end: dt.date,
            with_cost: bool = True) -> list[tuple[Any, str, str, Figures]]:
    """Sales from ``start`` to ``end`` (inclusive) grouped by ``key``: (key value, code,
    name, figures) per group, in no particular order. Periods come back per day."""
    label = _LABELS.get(key)
    out: list[tuple[Any, str, str, Figures]] = []
    for row in grouped_raw(key, start, end, with_cost):
        if label is not None:
            k, code_v, name_v, q, a, c = row
        else:
            k, q, a, c = row
            code_v, name_v = "", ""
        if key in PERIOD_KEYS:
            k = _day(k)
        out.append((k, code_v or "", name_v or "", figures_of(q, a, c)))
    return out


def order_discounts(start: dt.date, end: dt.date) -> Decimal:
    """Order-level discounts of the delivered sales less those of booked returns."""
    p = database.param
    (total,) = database.execute_sql(
        f"SELECT COALESCE(SUM({_SIGNED.format(x='o.discount')}), 0) FROM \"order\" o"
        f"{hint('order_discounted')} WHERE o.discount <> 0 "
        f"AND o.kind IN ('{OrderKind.SALE}', '{OrderKind.SALE_RETURN}') "
        f"AND o.status = '{OrderStatus.DELIVERED}' AND o.date >= {p} AND o.date <= {p}",
        (start.isoformat(), end.isoformat())).fetchone()
    return from_cents(int(total))


def tree_paths(table: str) -> dict[int, str]:
    """Every node of a tree table (product_category, customer_group) as "Parent / Child"."""
    rows = database.execute_sql(f"SELECT id, name, parent_id FROM {table}").fetchall()
    nodes = {r[0]: (r[1], r[2]) for r in rows}
    paths: dict[int, str] = {}

    def path(node: int, depth: int = 0) -> str:
        if node in paths:
            return paths[node]
        name, parent = nodes[node]
        text: str = str(name) if parent is None or parent not in nodes or depth > 20 else (
            path(parent, depth + 1) + " / " + str(name))
        paths[node] = text
        return text

    for node in nodes:
        path(node)
    return paths


# -- periods ----------------------------------------------------------------------------------


def period_start(key: str, day: dt.date) -> dt.date:
    if key == "day":
        return day
    if key == "week":
        return day - dt.timedelta(days=day.weekday())
    if key == "month":
        return day.replace(day=1)
    if key == "quarter":
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return day.replace(month=1, day=1)


def period_label(key: str, start: dt.date) -> str:
    if key == "day":
        return start.isoformat()
    if key == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if key == "month":
        return f"{start:%Y-%m}"
    if key == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return str(start.year)


def _next(key: str, start: dt.date) -> dt.date:
    if key == "day":
        return start + dt.timedelta(days=1)
    if key == "week":
        return start + dt.timedelta(days=7)
    months = {"month": 1, "quarter": 3, "year": 12}[key]
    m = start.month - 1 + months
    return start.replace(year=start.year + m // 12, month=m % 12 + 1, day=1)


def periods(key: str, start: dt.date, end: dt.date) -> list[dt.date]:
    """The first day of every ``key`` period that touches start..end, oldest first."""
    out, at = [], period_start(key, start)
    while at <= end:
        out.append(at)
        at = _next(key, at)
    return out


def fold_periods(key: str, start: dt.date, end: dt.date,
                 days: Sequence[tuple[Any, str, str, Figures]]) -> list[tuple[str, Figures]]:
    """Daily figures summed into every period from start to end (empty ones as zero)."""
    sums = {p: ZERO for p in periods(key, start, end)}
    for day, _code, _name, figures in days:
        p = period_start(key, day)
        sums[p] = sums.get(p, ZERO) + figures
    return [(period_label(key, p), f) for p, f in sorted(sums.items())]


def shift_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def comparison_period(start: dt.date, end: dt.date, how: str) -> tuple[dt.date, dt.date]:
    """The period ``start..end`` is compared with: ``last-year`` (the same days a year
    before) or ``previous`` (whole months before whole months, else the same number of days
    just before)."""
    if how == "last-year":
        return shift_years(start, -1), shift_years(end, -1)
    whole_months = start.day == 1 and (end + dt.timedelta(days=1)).day == 1
    if whole_months:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        m = start.year * 12 + start.month - 1 - months
        first = dt.date(m // 12, m % 12 + 1, 1)
        return first, start - dt.timedelta(days=1)
    length = (end - start).days + 1
    return start - dt.timedelta(days=length), start - dt.timedelta(days=1)
