"""Orders of every kind (quotes, sales, purchases, returns), their lines, document numbers."""

from __future__ import annotations

from peewee import (
    AutoField,
    CharField,
    DateField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from ..core.money import MoneyField, QuantityField
from .base import BaseModel, Versioned
from .catalog import Product
from .parties import Customer, Supplier
from .stock import Location
from .users import User


class Order(Versioned):
    id = AutoField()
    number = CharField(unique=True)
    kind = CharField()  # quote | sale | sale_return | purchase | purchase_return
    status = CharField(default="draft")  # draft | confirmed | delivered | cancelled | converted
    date = DateField(index=True)
    valid_until = DateField(null=True)  # quotes
    customer = ForeignKeyField(Customer, null=True, backref="orders", on_delete="RESTRICT")
    supplier = ForeignKeyField(Supplier, null=True, backref="orders", on_delete="RESTRICT")
    salesperson = ForeignKeyField(User, null=True, on_delete="SET NULL")
    location = ForeignKeyField(Location, null=True, on_delete="RESTRICT")
    source = ForeignKeyField("self", null=True, on_delete="SET NULL")  # quote -> order, order -> return
    subtotal = MoneyField(default=0)  # sum of line amounts
    discount = MoneyField(default=0)  # order-level discount
    discount_rate = QuantityField(null=True)  # the discount typed as a percentage (15.000 = 15%)
    total = MoneyField(default=0)  # subtotal - discount
    notes = TextField(default="")

    class Meta:
        indexes = ((("customer", "date"), False), (("supplier", "date"), False), (("kind", "status"), False))


class OrderLine(BaseModel):
    id = AutoField()
    order = ForeignKeyField(Order, backref="lines", on_delete="CASCADE")
    line_no = IntegerField()
    product = ForeignKeyField(Product, backref="order_lines", on_delete="RESTRICT")
    quantity = QuantityField()
    unit_price = MoneyField()
    discount = MoneyField(default=0)  # amount off this line
    amount = MoneyField()  # quantity * unit_price - discount, rounded to cents
    discount_rate = QuantityField(null=True)  # the discount typed as a percentage (15.000 = 15%)
    delivered = QuantityField(default=0)  # delivered (sales) or received (purchases) so far

    class Meta:
        indexes = ((("order", "line_no"), True),)


class DocSequence(BaseModel):
    """The next number per document kind and year (SO-2026-000123)."""

    key = CharField(primary_key=True)  # e.g. "sale:2026"
    next_value = IntegerField(default=1)
