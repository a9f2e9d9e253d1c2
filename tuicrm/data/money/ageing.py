"""Receivables and payables ageing as of any date (SPEC M2, R2), as plain rows and totals.

Each open invoice or bill falls in a bucket by how many days past its due date it is on the
``as_of`` date (buckets from the setting ``money.ageing_buckets``, 30,60,90 by default: 0-30,
31-60, 61-90, over 90); not yet due is its own column; money not yet allocated is "on
account" and reduces the balance. balance = not due + buckets - on account.

One SQL group-by. As of today it reads each entry's kept ``open``; as of a past date it takes
the allocations in force on that date (made by then, not undone by then) instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..core import clock, settings
from ..core import db as dbmod
from ..core.actor import Actor
from ..core.db import database
from ..core.money import from_cents
from ..core.operation import Op, reader
from ..core.vocab import Side
from ..parties.scope import sees_all_customers


@dataclass(frozen=True)
class AgeingRow:
    party_id: int
    code: str
    name: str
    balance: Decimal
    not_due: Decimal
    buckets: tuple[Decimal, ...]  # one per bucket title
    on_account: Decimal


@dataclass(frozen=True)
class Ageing:
    side: Side
    as_of: dt.date
    bucket_titles: tuple[str, ...]  # "0-30", "31-60", "61-90", "over 90"
    rows: tuple[AgeingRow, ...]  # by party code
    totals: AgeingRow  # party_id 0

    def columns(self) -> list[str]:
        """Stable lower-case headers for files: customer/supplier, name, balance, ..."""
        return [self.side.value, "name", "balance", "not_due",
                *("days_" + t.replace(" ", "_").replace("-", "_") for t in self.bucket_titles),
                "on_account"]

    def plain_rows(self) -> list[list[Any]]:
        return [[r.code, r.name, r.balance, r.not_due, *r.buckets, r.on_account]
                for r in self.rows]


def bucket_titles(limits: Sequence[int]) -> tuple[str, ...]:
    titles, low = [], 0
    for high in limits:
        titles.append(f"{low}-{high}")
        low = high + 1
    titles.append(f"over {limits[-1]}")
    return tuple(titles)


def _d(day: dt.date) -> Any:
    """A date as a query parameter: ISO text on SQLite (how peewee stores DateField)."""
    return day.isoformat() if dbmod.is_sqlite() else day


def _open_source(side: Side, as_of: dt.date, party_id: int | None = None
                 ) -> tuple[str, list[Any]]:
    """A subquery of (party_id, amount, open, due) as of the date: each entry's kept open
    amount, plus the allocations made after the date (they were not made yet), less those
    undone after it (they were still in force). Only recent allocations are read, through
    the indexes on their dates; the open entries through the partial index of 0012."""
    p = database.param
    party = "customer_id" if side == Side.CUSTOMER else "supplier_id"
    later = f"""
        SELECT id, SUM(amount) AS back FROM (
            SELECT debit_id AS id, amount FROM allocation
            WHERE undone_on IS NULL AND date > {p}
            UNION ALL SELECT credit_id, amount FROM allocation
            WHERE undone_on IS NULL AND date > {p}
            UNION ALL SELECT debit_id, -amount FROM allocation
            WHERE undone_on > {p} AND date <= {p}
            UNION ALL SELECT credit_id, -amount FROM allocation
            WHERE undone_on > {p} AND date <= {p}
        ) a GROUP BY id
    """
    columns = (f"e.{party} AS party_id, e.amount, e.open + COALESCE(a.back, 0) AS o, "
               "COALESCE(e.due_date, e.date) AS due")
    only = f" AND e.{party} = {p}" if party_id is not None else ""
    sql = f"""
        SELECT {columns} FROM ledger_entry e LEFT JOIN ({later}) a ON a.id = e.id
        WHERE e.side = {p} AND e.open <> 0 AND e.date <= {p}{only}
        UNION ALL
        SELECT {columns} FROM ({later}) a JOIN ledger_entry e ON e.id = a.id
        WHERE e.side = {p} AND e.open = 0 AND e.date <= {p}{only}
    """
    day = _d(as_of)
    one = [day] * 6
    only_party = [party_id] if party_id is not None else []
    return sql, [*one, side.value, day, *only_party, *one, side.value, day, *only_party]


def _worked_out_source(side: Side, as_of: dt.date) -> tuple[str, list[Any]]:
    """The same as ``_open_source`` from nothing but the entries and every allocation (slow:
    it reads them all), to prove the two agree."""
    p = database.param
    party = "customer_id" if side == Side.CUSTOMER else "supplier_id"
    sql = f"""
        SELECT e.{party} AS party_id, e.amount,
               (CASE WHEN e.amount < 0 THEN -e.amount ELSE e.amount END)
                 - COALESCE(u.used, 0) AS o,
               COALESCE(e.due_date, e.date) AS due
        FROM ledger_entry e
        LEFT JOIN (
            SELECT id, SUM(amount) AS used FROM (
                SELECT debit_id AS id, amount FROM allocation
                WHERE date <= {p} AND (undone_on IS NULL OR undone_on > {p})
                UNION ALL
                SELECT credit_id AS id, amount FROM allocation
                WHERE date <= {p} AND (undone_on IS NULL OR undone_on > {p})
            ) a GROUP BY id
        ) u ON u.id = e.id
        WHERE e.side = {p} AND e.date <= {p}
    """
    return sql, [_d(as_of)] * 4 + [side.value, _d(as_of)]


def ageing_rows(actor: Actor | None, side: Side, as_of: dt.date, limits: Sequence[int],
                *, from_allocations: bool = False, party_id: int | None = None) -> Ageing:
    """The body of ``ageing`` (``actor`` None: every party, for checks and tests;
    ``from_allocations``: work every open amount out from all the allocations instead, to
    prove both ways agree; ``party_id``: that party only, for its statement)."""
    p = database.param
    if from_allocations:
        source, params = _worked_out_source(side, as_of)
    else:
        source, params = _open_source(side, as_of, party_id)
    # days overdue = as_of - due; not due: due after as_of; bucket [low, high] <=> due in
    # [as_of - high, as_of - low]; over the last: due before as_of - last.
    cases = [f"SUM(CASE WHEN x.amount > 0 AND x.due > {p} THEN x.o ELSE 0 END)"]
    params_cases: list[Any] = [_d(as_of)]
    low = 0
    for high in limits:
        cases.append(f"SUM(CASE WHEN x.amount > 0 AND x.due <= {p} AND x.due >= {p} "
                     "THEN x.o ELSE 0 END)")
        params_cases += [_d(as_of - dt.timedelta(days=low)), _d(as_of - dt.timedelta(days=high))]
        low = high + 1
    cases.append(f"SUM(CASE WHEN x.amount > 0 AND x.due < {p} THEN x.o ELSE 0 END)")
    params_cases.append(_d(as_of - dt.timedelta(days=limits[-1])))
    party_table = side.value
    scope, scope_params = "", []
    if side == Side.CUSTOMER and actor is not None and not sees_all_customers(actor):
        scope, scope_params = f"WHERE t.salesperson_id = {p}", [actor.id]
    # Grouped by party first (the ledger alone), then named: joining every entry to its
    # party before grouping was most of the time at 200k invoices.
    sql = f"""
        SELECT t.id, t.code, t.name, g.*
        FROM (
            SELECT x.party_id,
                   SUM(CASE WHEN x.amount > 0 THEN x.o ELSE -x.o END),
                   {", ".join(cases)},
                   SUM(CASE WHEN x.amount < 0 THEN x.o ELSE 0 END)
            FROM ({source}) x
            GROUP BY x.party_id
            HAVING SUM(CASE WHEN x.o <> 0 THEN 1 ELSE 0 END) > 0
        ) g
        JOIN "{party_table}" t ON t.id = g.party_id
        {scope}
        ORDER BY t.code
    """
    raw = database.execute_sql(sql, [*params_cases, *params, *scope_params]).fetchall()
    rows = []
    n = len(limits) + 1
    sums = [0] * (n + 3)
    for pid, code, name, _party, balance, not_due, *rest in raw:
        buckets, on_account = rest[:n], rest[n]
        values = [int(balance or 0), int(not_due or 0), *(int(b or 0) for b in buckets),
                  int(on_account or 0)]
        sums = [a + b for a, b in zip(sums, values, strict=True)]
        rows.append(AgeingRow(int(pid), str(code), str(name), from_cents(values[0]),
                              from_cents(values[1]),
                              tuple(from_cents(v) for v in values[2:-1]),
                              from_cents(values[-1])))
    totals = AgeingRow(0, "", "total", from_cents(sums[0]), from_cents(sums[1]),
                       tuple(from_cents(v) for v in sums[2:-1]), from_cents(sums[-1]))
    return Ageing(side, as_of, bucket_titles(limits), tuple(rows), totals)


@reader("money.view")
def ageing(op: Op, side: Side | str = Side.CUSTOMER, as_of: dt.date | None = None,
           buckets: Sequence[int] | None = None) -> Ageing:
    """Receivables (``side="customer"``) or payables (``"supplier"``) ageing as of a date
    (today by default), by due date; a salesperson sees their own customers."""
    limits = tuple(buckets) if buckets else settings.value(settings.AGEING_BUCKETS)
    return ageing_rows(op.actor, Side(side), as_of or clock.today(), limits)
