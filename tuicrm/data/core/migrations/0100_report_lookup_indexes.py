"""Indexes for the reports on a year of 1M order lines (issue 12), both measured there:

- ``product_report`` (id, cost, category_id): every sales report reads each order line's
  product cost (and category); from this small covering index instead of the wide product
  rows it is about 200 ms less per report on SQLite (the queries name it: SQLite's planner
  prefers the rowid). PostgreSQL hashes the 20k products and does not need it.
- ``order_discounted`` (status, kind, date, discount) for orders with a discount only (5 % of
  them): the sales reports' note on order discounts reads those instead of every order of the
  period (16 ms -> 1 ms a report).
- ``stock_movement_report`` (at, product_id, location_id, quantity): stock as of an earlier
  day reads only the movements after that day (2.2 s -> 0.1 s for 31 March at 900k
  movements).

Frozen: later changes go in new migrations."""

from __future__ import annotations

from typing import Any


def up(migrator: Any, db: Any) -> None:
    db.execute_sql('CREATE INDEX "product_report" ON "product" ("id", "cost", "category_id")')
    db.execute_sql('CREATE INDEX "order_discounted" ON "order" ("status", "kind", "date", '
                   '"discount") WHERE "discount" <> 0')
    db.execute_sql('CREATE INDEX "stock_movement_report" ON "stock_movement" '
                   '("at", "product_id", "location_id", "quantity")')
