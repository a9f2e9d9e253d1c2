"""Consistency checks of a whole database (``tuicrm check``).

Each check is a function registered with ``@check(name, title)``; it receives the most
problems it should report and yields one message per problem, naming the record (product
code, order number, ...) and both numbers that disagree. The checks are SQL group-bys, so they
stay in seconds on a million order lines. Adding a check is adding one decorated function.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..i18n import _
from .catalog.barcodes import normalize
from .core import db as dbmod
from .core.db import database
from .core.money import fmt_money, fmt_qty, from_cents, from_milli

DEFAULT_LIMIT = 100  # problems listed per check; the rest are counted in one line


@dataclass(frozen=True)
class Problem:
    check: str  # the check's name, e.g. "stock_levels"
    message: str  # names the record and the numbers that disagree

    def __str__(self) -> str:
        return f"{self.check}: {self.message}"


CheckFunc = Callable[[int], Iterable[str]]


@dataclass(frozen=True)
class Check:
    name: str
    title: str
    func: CheckFunc
    sqlite_only: bool = False
    quick_func: CheckFunc | None = None  # a faster, shallower variant for run_checks(quick=True)


CHECKS: dict[str, Check] = {}


def check(
    name: str, title: str, *, sqlite_only: bool = False, quick: CheckFunc | None = None
) -> Callable[[CheckFunc], CheckFunc]:
    """Register a check: ``func(limit)`` yields a message per problem (at most ``limit``).

    ``quick`` is an optional faster variant that ``run_checks(quick=True)`` uses instead.
    """

    def register(func: CheckFunc) -> CheckFunc:
        if name in CHECKS:
            raise ValueError(f"check {name!r} is registered twice")
        CHECKS[name] = Check(name, title, func, sqlite_only, quick)
        return func

    return register


def run_checks(
    names: Iterable[str] | None = None,
    *,
    limit: int = DEFAULT_LIMIT,
    progress: Callable[[str, int, int], None] | None = None,
    quick: bool = False,
) -> list[Problem]:
    """Run the registered checks (or only ``names``) on the open database; [] means healthy.

    ``quick`` runs the faster variant of the checks that have one: SQLite's file check then
    skips proving that every index matches its table (most of the time at a million order
    lines); every other check is the same.

    A check that cannot run at all (a missing table, a dead connection) is reported as a
    problem of that check rather than raised, so the other checks still run.
    """
    _load_checks()
    selected = list(CHECKS.values()) if names is None else [CHECKS[n] for n in names]
    if not dbmod.is_sqlite():
        selected = [c for c in selected if not c.sqlite_only]
    problems: list[Problem] = []
    for i, chk in enumerate(selected):
        if progress is not None:
            progress(chk.title, i, len(selected))
        count = 0
        try:
            func = chk.quick_func if quick and chk.quick_func is not None else chk.func
            for message in func(limit + 1):
                count += 1
                if count > limit:
                    problems.append(Problem(chk.name, _(
                        "more problems of this kind not listed (first {limit})"
                    ).format(limit=limit)))
                    break
                problems.append(Problem(chk.name, message))
        except Exception as e:  # noqa: BLE001 - report, then go on with the other checks
            problems.append(
                Problem(chk.name, _("the check could not run: {error}").format(error=e)))
    if progress is not None:
        progress("done", len(selected), len(selected))
    return problems


def _rows(sql: str, params: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield from database.execute_sql(sql, params).fetchall()


def _q(milli: int) -> str:
    return fmt_qty(from_milli(milli))


def _m(cents: int) -> str:
    return fmt_money(from_cents(cents))


# --- storage --------------------------------------------------------------------------------


def _file_check(pragma: str, limit: int) -> Iterator[str]:
    for (text,) in _rows(f"PRAGMA {pragma}({int(limit)})"):
        if text != "ok":
            yield _("database file: {text}").format(text=text)


def _quick_integrity(limit: int) -> Iterator[str]:
    """Pages, records, NOT NULL: without comparing every index with its table."""
    return _file_check("quick_check", limit)


@check("integrity", "SQLite file integrity", sqlite_only=True, quick=_quick_integrity)
def integrity(limit: int) -> Iterator[str]:
    return _file_check("integrity_check", limit)


@check("foreign_keys", "references between records", sqlite_only=True)
def foreign_keys(limit: int) -> Iterator[str]:
    # PostgreSQL enforces foreign keys itself; SQLite only while foreign_keys=ON, so rows
    # written by another tool (or with the pragma off) may point nowhere.
    columns: dict[tuple[str, int], str] = {}
    for n, (table, rowid, parent, fkid) in enumerate(_rows("PRAGMA foreign_key_check")):
        if n >= limit:
            break
        if (table, fkid) not in columns:
            for row in _rows(f'PRAGMA foreign_key_list("{table}")'):
                columns[(table, row[0])] = row[3]
        column = columns.get((table, fkid), "?")
        value = None
        if column != "?" and rowid is not None:
            found = database.execute_sql(
                f'SELECT "{column}" FROM "{table}" WHERE rowid = ?', (rowid,)
            ).fetchone()
            value = found[0] if found else None
        yield _('{table} #{rowid}: {column} = {value} refers to a missing "{parent}" row').format(
            table=table, rowid=rowid, column=column, value=value, parent=parent)


# --- stock ledger ---------------------------------------------------------------------------


@check("stock_levels", "stock on hand = sum of movements")
def stock_levels(limit: int) -> Iterator[str]:
    # One pass over the movements for both questions (is each level the sum of its
    # movements; do movements exist without a level row): a UNION ALL grouped once.
    sql = f"""
        SELECT p.code, l.code, x.on_hand, x.moved, x.levels, x.n
        FROM (
            SELECT product_id, location_id, SUM(on_hand) AS on_hand, SUM(moved) AS moved,
                   SUM(is_level) AS levels, SUM(is_movement) AS n
            FROM (
                SELECT product_id, location_id, on_hand, 0 AS moved, 1 AS is_level,
                       0 AS is_movement
                FROM stock_level
                UNION ALL
                SELECT product_id, location_id, 0, quantity, 0, 1 FROM stock_movement
            ) u
            GROUP BY product_id, location_id
            HAVING SUM(on_hand) <> SUM(moved) OR SUM(is_level) <> 1
        ) x
        LEFT JOIN product p ON p.id = x.product_id
        LEFT JOIN location l ON l.id = x.location_id
        ORDER BY p.code, l.code
        LIMIT {int(limit)}
    """
    for code, loc, on_hand, moved, levels, n in _rows(sql):
        if levels == 0:
            yield _("product {code} at {location}: {n} movements adding up to {moved} but no "
                    "stock level row").format(code=code, location=loc, n=n, moved=_q(moved))
        elif levels > 1:
            yield _("product {code} at {location}: {levels} stock level rows instead of one"
                    ).format(code=code, location=loc, levels=levels)
        else:
            yield _("product {code} at {location}: on hand is {on_hand} but its {n} movements "
                    "add up to {moved}").format(code=code, location=loc, on_hand=_q(on_hand),
                                                n=n, moved=_q(moved))


@check("negative_stock", "no negative stock where it is not allowed")
def negative_stock(limit: int) -> Iterator[str]:
    allowed = _rows(f'SELECT value FROM setting WHERE "key" = {database.param}',
                    ("stock.allow_negative",))
    if any(str(v).strip().lower() in {"1", "true", "yes", "on"} for (v,) in allowed):
        return
    sql = f"""
        SELECT p.code, l.code, s.on_hand
        FROM stock_level s
        JOIN product p ON p.id = s.product_id
        JOIN location l ON l.id = s.location_id
        WHERE s.on_hand < 0 AND p.allow_negative = {database.param}
        ORDER BY p.code, l.code
        LIMIT {int(limit)}
    """
    for code, loc, on_hand in _rows(sql, (False,)):
        yield _("product {code} at {location}: on hand is {on_hand}, below zero").format(
            code=code, location=loc, on_hand=_q(on_hand))


# --- money ----------------------------------------------------------------------------------


@check("order_totals", "order subtotal = its lines, total = subtotal - discount")
def order_totals(limit: int) -> Iterator[str]:
    sql = f"""
        SELECT o.number, o.subtotal, COALESCE(t.total, 0), o.discount, o.total
        FROM "order" o
        LEFT JOIN (
            SELECT order_id, SUM(amount) AS total FROM order_line GROUP BY order_id
        ) t ON t.order_id = o.id
        WHERE o.subtotal <> COALESCE(t.total, 0) OR o.total <> o.subtotal - o.discount
        ORDER BY o.number
        LIMIT {int(limit)}
    """
    for number, subtotal, lines, discount, total in _rows(sql):
        if subtotal != lines:
            yield _("order {number}: subtotal is {subtotal} but its lines add up to {lines}"
                    ).format(number=number, subtotal=_m(subtotal), lines=_m(lines))
        if total != subtotal - discount:
            yield _("order {number}: total is {total} but subtotal {subtotal} - discount "
                    "{discount} = {expected}").format(
                number=number, total=_m(total), subtotal=_m(subtotal), discount=_m(discount),
                expected=_m(subtotal - discount))


# round(quantity * unit_price) to cents, half away from zero like Decimal's ROUND_HALF_UP;
# quantity is in thousandths and unit_price in cents, so the product is in 1/1000 cent.
_ROUNDED_GROSS = """
    CASE WHEN l.quantity * l.unit_price >= 0
         THEN (l.quantity * l.unit_price + 500) / 1000
         ELSE -((-(l.quantity * l.unit_price) + 500) / 1000) END
"""


@check("line_amounts", "line amount = quantity x unit price - discount")
def line_amounts(limit: int) -> Iterator[str]:
    sql = f"""
        SELECT o.number, l.line_no, p.code, l.quantity, l.unit_price, l.discount, l.amount,
               {_ROUNDED_GROSS} - l.discount
        FROM order_line l
        JOIN "order" o ON o.id = l.order_id
        JOIN product p ON p.id = l.product_id
        WHERE l.amount <> {_ROUNDED_GROSS} - l.discount
        ORDER BY o.number, l.line_no
        LIMIT {int(limit)}
    """
    for number, line_no, code, quantity, price, discount, amount, expected in _rows(sql):
        yield _("order {number} line {line} ({code}): amount is {amount} but "
                "{quantity} x {price} - {discount} = {expected}").format(
            number=number, line=line_no, code=code, amount=_m(amount), quantity=_q(quantity),
            price=_m(price), discount=_m(discount), expected=_m(expected))


@check("order_deliveries", "what order lines say was delivered / received = their stock moves")
def order_deliveries(limit: int) -> Iterator[str]:
    p = database.param
    sql = f"""
        SELECT o.number, pr.code, d.delivered, COALESCE(m.moved, 0)
        FROM (SELECT order_id, product_id, SUM(delivered) AS delivered FROM order_line
              GROUP BY order_id, product_id) d
        JOIN "order" o ON o.id = d.order_id
        JOIN product pr ON pr.id = d.product_id
        LEFT JOIN (SELECT doc_id, product_id, SUM(quantity) AS moved FROM stock_movement
                   WHERE doc_type = {p} GROUP BY doc_id, product_id) m
               ON m.doc_id = d.order_id AND m.product_id = d.product_id
        WHERE o.kind IN ({p}, {p}, {p}, {p})
          AND d.delivered * (CASE WHEN o.kind IN ({p}, {p}) THEN -1 ELSE 1 END)
              <> COALESCE(m.moved, 0)
        ORDER BY o.number, pr.code
        LIMIT {int(limit)}
    """
    params = ("order", "sale", "sale_return", "purchase", "purchase_return", "sale",
              "purchase_return")
    for number, code, delivered, moved in _rows(sql, params):
        yield _("order {number} product {code}: its lines say {delivered} delivered or "
                "received but its stock movements add up to {moved}").format(
            number=number, code=code, delivered=_q(delivered), moved=_q(moved))


# --- catalogue ------------------------------------------------------------------------------


@check("barcodes", "barcodes are stored in their normal form")
def barcodes(limit: int) -> Iterator[str]:
    found = 0
    cursor = database.execute_sql(
        "SELECT p.code, b.code, b.raw FROM barcode b JOIN product p ON p.id = b.product_id"
    )
    while found < limit:
        rows = cursor.fetchmany(5000)
        if not rows:
            break
        for product, code, raw in rows:
            if normalize(raw) != code:
                found += 1
                yield _("product {product}: barcode {raw} is stored as {stored}, not "
                        "{normal}; it will not be found by a scan").format(
                    product=product, raw=repr(raw), stored=repr(code),
                    normal=repr(normalize(raw)))
                if found >= limit:
                    break


# Checks that live beside their operations register themselves when imported; run_checks
# imports them first, so ``tuicrm check`` runs them even though nothing else imported them.
CHECK_MODULES = ("tuicrm.data.counts.closing", "tuicrm.data.service.checks",
                 "tuicrm.data.money.checks", "tuicrm.data.transfer.checks")


def _load_checks() -> None:
    import importlib

    for name in CHECK_MODULES:
        importlib.import_module(name)
