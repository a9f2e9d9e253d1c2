"""What a backup must contain: the row count of every table and business totals (stock units,
order totals by kind, ...), read from the open database in one read transaction. A restored
copy is proved by finding the same figures in it.

Totals are plain SQL sums in integers (cents, thousandths), registered by name; a domain that
adds tables (the money ledger, service jobs) registers its own totals with ``total``. A total
whose table does not exist is left out, so old backups still compare.
"""

from __future__ import annotations

from typing import Any

from ..core import db as dbmod
from ..core.db import database

# name -> (table it needs, SQL returning one row of integers or NULLs)
TOTALS: dict[str, tuple[str, str]] = {}


def total(name: str, table: str, sql: str) -> None:
    """Register a business total: ``sql`` returns one row; every column is summed as an
    integer (so use cents and thousandths, never floats)."""
    if name in TOTALS:
        raise ValueError(f"total {name!r} registered twice")
    TOTALS[name] = (table, sql)


total("stock_on_hand_milli", "stock_level", 'SELECT SUM("on_hand") FROM "stock_level"')
total("stock_movements_milli", "stock_movement",
      'SELECT SUM("quantity"), COUNT(*) FROM "stock_movement"')
total("order_totals_cents", "order", 'SELECT SUM("total"), SUM("subtotal"), SUM("discount") '
      'FROM "order"')
for _kind in ("sale", "sale_return", "purchase", "purchase_return", "quote"):
    total(f"{_kind}_totals_cents", "order",
          f'SELECT SUM("total"), COUNT(*) FROM "order" WHERE "kind" = \'{_kind}\'')
total("order_line_amounts_cents", "order_line",
      'SELECT SUM("amount"), SUM("quantity") FROM "order_line"')


def tables() -> list[str]:
    if dbmod.is_sqlite():
        rows = database.execute_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name").fetchall()
    else:
        rows = database.execute_sql(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = "
            "current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name").fetchall()
    return [str(r[0]) for r in rows]


def figures() -> dict[str, Any]:
    """``{"counts": {table: rows}, "totals": {name: [ints]}}`` of the open database, read in
    one transaction so counts and totals describe the same moment."""
    with database.atomic() if not dbmod.is_sqlite() else database.atomic("DEFERRED"):
        names = tables()
        counts = {
            name: int(database.execute_sql(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0])
            for name in names
        }
        totals: dict[str, list[int]] = {}
        for key, (table, sql) in TOTALS.items():
            if table in counts:
                row = database.execute_sql(sql).fetchone()
                totals[key] = [int(v or 0) for v in row]
    return {"counts": counts, "totals": totals}


def differences(expected: dict[str, Any], found: dict[str, Any]) -> list[str]:
    """What differs between two ``figures`` (empty: the same), as one phrase each."""
    out = []
    for section in ("counts", "totals"):
        want, got = expected.get(section, {}), found.get(section, {})
        for name in sorted(set(want) | set(got)):
            if want.get(name) != got.get(name):
                out.append(f"{section[:-1]} {name}: manifest {want.get(name)}, "
                           f"database {got.get(name)}")
    return out
