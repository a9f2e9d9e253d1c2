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
