"""The stock ledger: locations, on-hand per product and location, and every movement."""

from __future__ import annotations

from peewee import AutoField, BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField

from ..core.money import QuantityField
from .base import BaseModel, now
from .catalog import Product
from .users import User


class Location(BaseModel):
    id = AutoField()
    code = CharField(unique=True)
    name = CharField()
    is_default = BooleanField(default=False)


class StockLevel(BaseModel):
    """On hand per product and location; always the sum of that pair's movements."""

    id = AutoField()
    product = ForeignKeyField(Product, backref="stock_levels", on_delete="RESTRICT")
    location = ForeignKeyField(Location, on_delete="RESTRICT")
    on_hand = QuantityField(default=0)

    class Meta:
        indexes = ((("product", "location"), True),)


class StockMovement(BaseModel):
    id = AutoField()
    at = DateTimeField(default=now, index=True)
    product = ForeignKeyField(Product, backref="movements", on_delete="RESTRICT")
    location = ForeignKeyField(Location, on_delete="RESTRICT")
    quantity = QuantityField()  # signed: + in, - out
    reason = CharField()  # sale | sale_return | purchase | purchase_return | count | adjust | opening
    doc_type = CharField(default="")
    doc_id = IntegerField(null=True)
    doc_number = CharField(default="")
    user = ForeignKeyField(User, null=True, on_delete="SET NULL")
    note = CharField(default="")

    class Meta:
        indexes = ((("product", "location", "id"), False), (("doc_type", "doc_id"), False))
