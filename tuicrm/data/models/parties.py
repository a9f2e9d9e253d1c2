"""Customers and the other parties: groups, contacts, suppliers, competitors."""

from __future__ import annotations

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    DateField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from ..core.money import MoneyField
from .base import BaseModel, Spelt, Versioned
from .users import User


class CustomerGroup(BaseModel):
    id = AutoField()
    name = CharField()
    parent = ForeignKeyField("self", null=True, backref="children", on_delete="RESTRICT")

    class Meta:
        indexes = ((("parent", "name"), True),)


class Customer(Spelt, Versioned):
    id = AutoField()
    code = CharField(unique=True)
    name = CharField(index=True)
    group = ForeignKeyField(CustomerGroup, null=True, backref="customers", on_delete="RESTRICT")
    grade = CharField(default="")  # A / B / C, credit rating
    status = CharField(default="active")  # active | prospect | inactive
    salesperson = ForeignKeyField(User, null=True, backref="customers", on_delete="SET NULL")
    phone = CharField(default="", index=True)
    mobile = CharField(default="")
    fax = CharField(default="")
    email = CharField(default="")
    address = CharField(default="")
    region = CharField(default="")
    industry = CharField(default="")
    source = CharField(default="")
    tax_number = CharField(default="", index=True)
    credit_limit = MoneyField(default=0)
    payment_terms_days = IntegerField(default=0)
    price_level = IntegerField(default=1)  # which of the product's four prices applies
    notes = TextField(default="")
    pinyin = CharField(default="")  # of the name, for the quick search (migration 0080)
    import_run = IntegerField(null=True, index=True)  # the import that added it (undo)


class Contact(Spelt, Versioned):
    id = AutoField()
    customer = ForeignKeyField(Customer, backref="contacts", on_delete="RESTRICT")
    name = CharField(index=True)
    title = CharField(default="")
    phone = CharField(default="")
    mobile = CharField(default="")
    email = CharField(default="")
    birthday = DateField(null=True)
    is_key = BooleanField(default=False)
    notes = TextField(default="")
    pinyin = CharField(default="")  # of the name, for the quick search (migration 0080)


class Supplier(Spelt, Versioned):
    id = AutoField()
    code = CharField(unique=True)
    name = CharField(index=True)
    contact_name = CharField(default="")
    phone = CharField(default="")
    email = CharField(default="")
    address = CharField(default="")
    tax_number = CharField(default="")
    payment_terms_days = IntegerField(default=0)
    active = BooleanField(default=True)
    notes = TextField(default="")
    pinyin = CharField(default="")  # of the name, for the quick search (migration 0080)


class Competitor(Versioned):
    id = AutoField()
    name = CharField(unique=True)
    products = TextField(default="")
    strengths = TextField(default="")
    weaknesses = TextField(default="")
    notes = TextField(default="")
