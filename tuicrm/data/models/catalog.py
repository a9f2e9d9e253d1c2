"""Products, their categories and barcodes."""

from __future__ import annotations

from peewee import AutoField, BooleanField, CharField, ForeignKeyField, IntegerField, TextField

from ..core.money import MoneyField, QuantityField
from .base import BaseModel, Spelt, Versioned


class ProductCategory(BaseModel):
    id = AutoField()
    name = CharField()
    parent = ForeignKeyField("self", null=True, backref="children", on_delete="RESTRICT")

    class Meta:
        indexes = ((("parent", "name"), True),)


class Product(Spelt, Versioned):
    id = AutoField()
    code = CharField(unique=True)
    name = CharField(index=True)
    spec = CharField(default="")
    unit = CharField(default="pcs")
    category = ForeignKeyField(ProductCategory, null=True, backref="products", on_delete="RESTRICT")
    cost = MoneyField(default=0)
    price1 = MoneyField(default=0)  # retail
    price2 = MoneyField(default=0)  # wholesale
    price3 = MoneyField(default=0)  # member
    price4 = MoneyField(default=0)  # special
    min_stock = QuantityField(default=0)
    active = BooleanField(default=True)
    allow_negative = BooleanField(default=False)
    notes = TextField(default="")
    pinyin = CharField(default="")  # of the name, for the quick search (migration 0080)
    import_run = IntegerField(null=True, index=True)  # the import that added it (undo)


class Barcode(BaseModel):
    """One of a product's barcodes. ``code`` is normalised (GTINs as 14 digits) for lookup;
    ``raw`` is what was entered."""

    id = AutoField()
    product = ForeignKeyField(Product, backref="barcodes", on_delete="CASCADE")
    code = CharField(unique=True)
    raw = CharField()  # type: ignore[assignment]  # the column is named raw (Model.raw: SQL)
    pack_qty = QuantityField(default=1)  # units one scan of this code stands for (a carton: 12)
