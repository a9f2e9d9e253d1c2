"""The sales sums kept between reports (periods, salespeople) are used again only while the
database is as it was: a write on this connection or a commit by another process (another
terminal) makes the next report read afresh."""

from __future__ import annotations

import datetime as dt
import sqlite3

from tuicrm.data.demo.builder import build_demo
from tuicrm.data.models import Product
from tuicrm.reports import sales_data
from tuicrm.reports.engine import run_report

TODAY = dt.date(2026, 6, 15)
YEAR = {"from": dt.date(2025, 6, 16), "to": TODAY}


def _cost(admin, by):
    result = run_report(admin, "sales", {**YEAR, "by": by})
    return result.totals[result.index("cost")]


def test_cached_sums_follow_every_write(db, admin):
    build_demo(customers=20, products=10, orders=200, seed=2, today=TODAY)
    sales_data.clear_cache()
    first = _cost(admin, "month")
    assert _cost(admin, "quarter") == first  # the same day sums, folded otherwise
    assert _cost(admin, "month") == first
    # a write on this connection
    Product.update(cost=Product.cost + 1).execute()
    second = _cost(admin, "month")
    assert second > first
    # a commit by another connection (another terminal, another process)
    other = sqlite3.connect(db)
    with other:
        other.execute("UPDATE product SET cost = cost + 100")
    other.close()
    third = _cost(admin, "year")
    assert third > second
    # the figures are the uncached ones
    sales_data.clear_cache()
    assert _cost(admin, "year") == third


def test_sums_are_kept_across_the_connections_of_report_workers(db, admin, monkeypatch):
    """Each report of the Reports screen runs on a worker's own connection, closed after it:
    the kept sums are still used by the next one (they were kept per connection, so the
    screen never had them), and still given up on a commit by anyone."""
    from tuicrm.data.core.db import database, worker_connection

    build_demo(customers=20, products=10, orders=200, seed=2, today=TODAY)
    sales_data.clear_cache()
    with worker_connection():
        first = _cost(admin, "month")
    ran: list[str] = []
    real = database.obj.execute_sql

    def counting(sql, params=None, *args, **kwargs):
        if "JOIN order_line" in sql:
            ran.append(sql)
        return real(sql, params, *args, **kwargs)

    monkeypatch.setattr(database.obj, "execute_sql", counting)
    with worker_connection():
        assert _cost(admin, "quarter") == first
    assert ran == []  # the month's day sums, from the report before
    other = sqlite3.connect(db)
    with other:
        other.execute("UPDATE product SET cost = cost + 100")
    other.close()
    with worker_connection():
        assert _cost(admin, "quarter") > first
    assert ran  # read afresh
