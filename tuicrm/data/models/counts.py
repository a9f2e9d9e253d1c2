"""Stock counts (stocktaking, SPEC P4): a count session, its lines and every count entry."""

from __future__ import annotations

from peewee import (
    AutoField,
    BigIntegerField,
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
)

from ..core.money import QuantityField
from .base import BaseModel, now
from .catalog import Product, ProductCategory
from .stock import Location
from .users import User


class StockCount(BaseModel):
    """One count session. ``ledger_position`` is the newest stock movement id when it was
    opened: movements after it happened during the count and adjust the variance."""

    id = AutoField()
    number = CharField(unique=True)  # SC-2026-000001: also the adjustment document's number
    status = CharField(default="open")  # open | posted | cancelled
    mode = CharField(default="blind")  # blind | guided
    scope = CharField(default="all")  # all | location | category | products
    scope_label = CharField(default="")
    location = ForeignKeyField(Location, on_delete="RESTRICT")
    category = ForeignKeyField(ProductCategory, null=True, on_delete="SET NULL")
    zero_uncounted = BooleanField(default=False)
    ledger_position = BigIntegerField(default=0)
    note = CharField(default="")
    opened_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    opened_at = DateTimeField(default=now)
    closed_by = ForeignKeyField(User, null=True, on_delete="SET NULL",
                                backref="closed_counts")
    closed_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("status", "id"), False),)


class StockCountLine(BaseModel):
    """A product of a count: expected at opening, counted so far (added to by one UPDATE per
    scan, so several terminals can count at once), and what posting found and moved."""

    id = AutoField()
    count = ForeignKeyField(StockCount, backref="lines", on_delete="CASCADE")
    product = ForeignKeyField(Product, on_delete="RESTRICT")
    in_scope = BooleanField(default=True)
    expected = QuantityField(default=0)  # on hand at the location when the count opened
    counted = QuantityField(default=0)
    entries = IntegerField(default=0)  # 0: never counted
    # The newest movement id when the line was last counted: movements after it happened
    # after the shelf was counted (a sale then is not a loss; posting applies it on top).
    counted_position = BigIntegerField(null=True)
    book = QuantityField(null=True)  # on hand when posted
    adjustment = QuantityField(null=True)  # the movement posting wrote (0: none)

    class Meta:
        indexes = ((("count", "product"), True),)


class StockCountEntry(BaseModel):
    """Every scan, typed quantity and recount of a line, with who and when (audit)."""

    id = AutoField()
    line = ForeignKeyField(StockCountLine, backref="history", on_delete="CASCADE")
    kind = CharField()  # scan | set | reset
    quantity = QuantityField()  # added (scan), the new total (set), 0 (reset)
    code = CharField(default="")  # as scanned or typed
    user = ForeignKeyField(User, null=True, on_delete="SET NULL")
    at = DateTimeField(default=now)
