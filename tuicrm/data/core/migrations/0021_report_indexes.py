"""Covering indexes for the sales reports' GROUP BY (issue 12): the delivered sales of a period
are found by (status, kind, date) with the customer, salesperson and order discount in the index, and their
lines read from (order_id, product_id, quantity, amount) without touching the tables' rows.
Measured on 1M order lines (SQLite, a loaded 2-core machine): sales by customer for a year
2.9-3.4 s -> 2.2-2.7 s. Frozen: later changes go in new migrations."""

from __future__ import annotations

from typing import Any


def up(migrator: Any, db: Any) -> None:
    db.execute_sql('CREATE INDEX "order_line_report" ON "order_line" '
                   '("order_id", "product_id", "quantity", "amount")')
    db.execute_sql('CREATE INDEX "order_report" ON "order" '
                   '("status", "kind", "date", "customer_id", "salesperson_id", "discount")')
