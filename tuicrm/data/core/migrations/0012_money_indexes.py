"""Indexes for ageing at 200k invoices: the open entries alone (a partial index covering what
ageing reads) and the allocations by the day they were undone and made (ageing as of a past
date reads only the later ones). Frozen."""

from __future__ import annotations

from typing import Any

STATEMENTS = [
    'CREATE INDEX "ledger_entry_open_items" ON "ledger_entry" '
    '("side", "customer_id", "supplier_id", "due_date", "date", "amount", "open") '
    'WHERE "open" <> 0',
    # (undone_on, date): "not undone, made after D" and "undone after D" are both ranges
    'CREATE INDEX "allocation_undone_on_date" ON "allocation" ("undone_on", "date")',
]


def up(migrator: Any, db: Any) -> None:
    for statement in STATEMENTS:
        db.execute_sql(statement)
