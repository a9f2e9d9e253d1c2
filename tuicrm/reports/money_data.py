"""The money figures behind the takings, expenses and collections reports: one SQL GROUP BY
each over the money documents or the allocations of a period, integer cents out.

- **Takings** (closing the till): receipts from customers (at the counter and on the Receipts
  screen) less refunds paid back to customers, by the document's date, payment method and the
  user who recorded it (the cashier). The amount is what stayed in the till: a cash receipt's
  amount is what was due, the change given is not in it.
- **Expenses**: expense and other-income documents by category and date.
- **Collections**: receipts allocated to customers' invoices, by the allocation's date (the
  day the money was put on the invoice), left out once undone. Attributed to the customer's
  salesperson. Credit notes, write-offs and opening balances settle invoices too, but are no
  money received: they are not collections.

A limited ``owner`` (a user id) keeps takings to the documents that user recorded and
collections to that salesperson's customers (a salesperson sees their own till and customers).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..data.core.db import database
from ..data.core.vocab import DocKind, EntryKind, PayMethod

METHODS = tuple(m.value for m in PayMethod)
# the order a till is counted in: cash first, then card and mobile pay, transfers last
TILL_ORDER = ("cash", "card", "wechat", "alipay", "bank", "other")


def _day(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _period(start: dt.date, end: dt.date) -> tuple[str, str]:
    return start.isoformat(), end.isoformat()


def takings(start: dt.date, end: dt.date, owner: int | None = None
            ) -> list[tuple[dt.date, str, int | None, int, int, int, int]]:
    """(date, method, cashier id, receipts counted, received cents, refunds counted, refunded
    cents) per day, method and cashier from ``start`` to ``end`` (inclusive)."""
    p = database.param
    mine = f" AND created_by_id = {p}" if owner is not None else ""
    rows = database.execute_sql(
        f"SELECT date, method, created_by_id, "
        f"SUM(CASE WHEN kind = '{DocKind.RECEIPT}' THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN kind = '{DocKind.RECEIPT}' THEN amount ELSE 0 END), "
        f"SUM(CASE WHEN kind = '{DocKind.REFUND}' THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN kind = '{DocKind.REFUND}' THEN amount ELSE 0 END) "
        f"FROM money_doc WHERE kind IN ('{DocKind.RECEIPT}', '{DocKind.REFUND}') "
        f"AND date >= {p} AND date <= {p}{mine} GROUP BY date, method, created_by_id",
        (*_period(start, end), *((owner,) if owner is not None else ())))
    return [(_day(d), str(m), None if u is None else int(u), int(rc), int(ra), int(fc),
             int(fa)) for d, m, u, rc, ra, fc, fa in rows]


def expenses(start: dt.date, end: dt.date) -> list[tuple[int | None, dt.date, int, int]]:
    """(category id, date, expense cents, other-income cents) per category and day."""
    p = database.param
    rows = database.execute_sql(
        f"SELECT category_id, date, "
        f"SUM(CASE WHEN kind = '{DocKind.EXPENSE}' THEN amount ELSE 0 END), "
        f"SUM(CASE WHEN kind = '{DocKind.INCOME}' THEN amount ELSE 0 END) "
        f"FROM money_doc WHERE kind IN ('{DocKind.EXPENSE}', '{DocKind.INCOME}') "
        f"AND date >= {p} AND date <= {p} GROUP BY category_id, date", _period(start, end))
    return [(None if c is None else int(c), _day(d), int(e), int(i)) for c, d, e, i in rows]


def categories() -> dict[int, tuple[str, int | None]]:
    """Every money category: id -> (name, parent id)."""
    return {int(i): (str(n), None if parent is None else int(parent)) for i, n, parent in
            database.execute_sql("SELECT id, name, parent_id FROM money_category")}


def collections(start: dt.date, end: dt.date, owner: int | None = None
                ) -> list[tuple[int, int | None, str, int, int]]:
    """(customer id, salesperson id, method, receipts, cents) of the receipts allocated to
    customers' invoices from ``start`` to ``end``, per customer, salesperson and method.

    ``receipts`` counts each receipt once per group: a receipt is one customer's and one
    method's, so the counts add up across customers, salespeople and methods."""
    p = database.param
    mine = f" WHERE c.salesperson_id = {p}" if owner is not None else ""
    # summed per customer and method first, then each customer's salesperson looked up once
    # (200,000 allocations a year: 0.67 s -> 0.43 s)
    rows = database.execute_sql(
        f"SELECT g.cid, c.salesperson_id, g.method, g.n, g.amount FROM ("
        f"SELECT de.customer_id AS cid, d.method AS method, "
        f"COUNT(DISTINCT a.credit_id) AS n, SUM(a.amount) AS amount FROM allocation a "
        f"JOIN ledger_entry de ON de.id = a.debit_id "
        f"JOIN ledger_entry ce ON ce.id = a.credit_id "
        f"JOIN money_doc d ON d.id = ce.doc_id "
        f"WHERE a.undone_on IS NULL AND a.date >= {p} AND a.date <= {p} "
        f"AND de.kind = '{EntryKind.INVOICE}' AND ce.kind = '{EntryKind.RECEIPT}' "
        f"GROUP BY de.customer_id, d.method) g JOIN customer c ON c.id = g.cid{mine}",
        (*_period(start, end), *((owner,) if owner is not None else ())))
    return [(int(c), None if s is None else int(s), str(m), int(n), int(a))
            for c, s, m, n, a in rows]


def users() -> dict[int, tuple[str, str]]:
    """Every user: id -> (username, full name)."""
    return {int(i): (str(u), str(f or "")) for i, u, f in
            database.execute_sql('SELECT id, username, full_name FROM "user"')}


def customers(ids: set[int]) -> dict[int, tuple[str, str]]:
    """id -> (code, name) of the customers ``ids`` (read in chunks: there may be 50,000)."""
    out: dict[int, tuple[str, str]] = {}
    wanted = sorted(ids)
    p = database.param
    for i in range(0, len(wanted), 500):
        chunk = wanted[i:i + 500]
        marks = ", ".join([p] * len(chunk))
        for cid, code, name in database.execute_sql(
                f"SELECT id, code, name FROM customer WHERE id IN ({marks})", chunk):
            out[int(cid)] = (str(code), str(name))
    return out
