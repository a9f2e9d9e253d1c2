"""What every step of one demo build shares: the random stream, the year of dates, the SQL and
its writer thread, and the summary the steps fill in.

The steps (``parties``, ``catalog``, ``orders``, ``stock``) draw from the one random stream in
a fixed order, so the same seed and day always give the same company.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..core.vocab import OrderKind
from ..models import CustomerGroup, ProductCategory
from .bulk import BulkSql, IndexesOff, Progress, Row, SqlWriter
from .vocabulary import DEMO_PASSWORD, Names, picker

KIND_WORDS = {
    OrderKind.QUOTE: "quotes",
    OrderKind.SALE: "sales",
    OrderKind.SALE_RETURN: "sales returns",
    OrderKind.PURCHASE: "purchases",
    OrderKind.PURCHASE_RETURN: "returns to suppliers",
}


@dataclass
class DemoSummary:
    """What one build wrote (``str()`` is the line ``tuicrm demo`` prints)."""

    users_created: int = 0
    salespeople: int = 0
    customer_groups: int = 0
    customers: int = 0
    contacts: int = 0
    suppliers: int = 0
    competitors: int = 0
    product_categories: int = 0
    products: int = 0
    barcodes: int = 0
    orders: int = 0
    order_lines: int = 0
    stock_movements: int = 0
    stock_levels: int = 0
    below_min_stock: int = 0
    tickets: int = 0
    seconds: float = 0.0
    by_kind: dict[OrderKind, int] = field(default_factory=dict)

    def __str__(self) -> str:
        kinds = ", ".join(f"{n:,} {KIND_WORDS[k]}" for k, n in self.by_kind.items())
        users = f"{self.users_created} demo users (password {DEMO_PASSWORD}), " \
            if self.users_created else ""
        return (
            f"{users}{self.customers:,} customers ({self.contacts:,} contacts), "
            f"{self.suppliers:,} suppliers, {self.products:,} products ({self.barcodes:,} "
            f"barcodes), {self.orders:,} orders ({kinds}) with {self.order_lines:,} lines, "
            f"{self.stock_movements:,} stock movements, {self.below_min_stock:,} products "
            f"below minimum stock, {self.tickets:,} service tickets; {self.rows:,} rows in "
            f"{self.seconds:.1f} s"
        )

    @property
    def rows(self) -> int:
        """Rows written (for rows/s figures)."""
        return (
            self.users_created + self.customer_groups + self.customers + self.contacts
            + self.suppliers + self.competitors + self.product_categories + self.products
            + self.barcodes + self.orders + self.order_lines + self.stock_movements
            + self.stock_levels + self.tickets
        )


class BuildContext:
    """One build's shared state. ``insert`` hands rows to the writer thread; the caller's
    thread runs no SQL of its own while the writer runs (they share one connection)."""

    def __init__(self, rng: random.Random, today: dt.date, progress: Progress,
                 writer: SqlWriter, bulk: int) -> None:
        self.rng = rng
        self.rnd = rng.random
        self.pick = picker(rng.random)
        self.names = Names(rng, self.pick)
        self.today = today
        self.start = today - dt.timedelta(days=364)  # a year of orders ending today
        self.progress = progress
        self.summary = DemoSummary()
        self.sql = BulkSql()
        self.indexes = IndexesOff(self.sql, bulk)
        self.writer = writer

    def insert(self, table: str, columns: Sequence[str], rows: Sequence[Row]) -> None:
        """Hand ``rows`` to the writer (the caller must not touch the list afterwards)."""
        self.writer.run(self.sql.insert, table, columns, rows, rows=len(rows))


def tree_node(model: type[CustomerGroup] | type[ProductCategory], name: str,
              parent_id: int | None) -> tuple[int, bool]:
    """Get or create a group or category (unique per parent and name); True when created."""
    parent_test = model.parent.is_null() if parent_id is None else model.parent == parent_id
    row = model.get_or_none((model.name == name) & parent_test)
    if row is not None:
        return row.id, False
    return model.create(name=name, parent=parent_id).id, True
