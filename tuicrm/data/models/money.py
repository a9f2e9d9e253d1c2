"""Money: the party ledger, allocations, money documents, cash boxes/accounts, categories.

The ledger (``LedgerEntry``) is append-only: an entry's amount never changes after it is
written. ``open`` is the part of the entry not yet settled by allocations, kept in the same
transaction as every allocation (``tuicrm check`` proves it equals ``|amount|`` less the
allocations still in force), so the open documents of a customer and the ageing are read
without summing allocations.
"""

from __future__ import annotations

from peewee import (
    AutoField,
    BigIntegerField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    TextField,
)

from ..core.money import MoneyField
from .base import BaseModel, now
from .orders import Order
from .parties import Customer, Supplier
from .users import User


class MoneyAccount(BaseModel):
    """A cash box or an account money goes into or out of."""

    id = AutoField()
    code = CharField(unique=True)
    name = CharField()
    kind = CharField(default="cash")  # cash | bank | mobile
    active = BooleanField(default=True)


class MoneyCategory(BaseModel):
    """Expense and other-income categories: a tree (M4)."""

    id = AutoField()
    name = CharField()
    parent = ForeignKeyField("self", null=True, backref="children", on_delete="RESTRICT")

    class Meta:
        indexes = ((("parent", "name"), True),)


class MoneyDoc(BaseModel):
    """A receipt, payment, refund, expense or other income: money that moved."""

    id = AutoField()
    number = CharField(unique=True)
    kind = CharField()  # DocKind
    date = DateField()
    # indexed by (customer, date) / (supplier, date) below
    customer = ForeignKeyField(Customer, null=True, index=False, on_delete="RESTRICT")
    supplier = ForeignKeyField(Supplier, null=True, index=False, on_delete="RESTRICT")
    order = ForeignKeyField(Order, null=True, on_delete="RESTRICT")  # a counter sale's receipt
    category = ForeignKeyField(MoneyCategory, null=True, backref="docs", on_delete="RESTRICT")
    account = ForeignKeyField(MoneyAccount, on_delete="RESTRICT")
    method = CharField()  # PayMethod
    amount = MoneyField()  # always > 0; the kind says which way it went
    tendered = MoneyField(null=True)  # cash handed over (change = tendered - amount)
    reference = CharField(default="")
    notes = TextField(default="")
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=now)

    class Meta:
        indexes = ((("kind", "date", "id"), False), (("customer", "date"), False),
                   (("supplier", "date"), False))


class LedgerEntry(BaseModel):
    """One signed entry of a customer's or supplier's account, in cents.

    Customer side: positive = the customer owes more (invoice, refund paid out); negative =
    owes less (receipt, credit note, write-off). Supplier side: positive = we owe more (bill,
    refund received), negative = we owe less (payment, return to supplier, write-off).
    """

    id = AutoField()
    side = CharField()  # customer | supplier
    # indexed by (customer, date) / (supplier, date) below
    customer = ForeignKeyField(Customer, null=True, index=False, on_delete="RESTRICT")
    supplier = ForeignKeyField(Supplier, null=True, index=False, on_delete="RESTRICT")
    kind = CharField()  # EntryKind
    number = CharField()  # the document's number (order, money document, write-off)
    date = DateField()
    due_date = DateField(null=True)  # invoices and bills
    amount = BigIntegerField()  # signed cents (see the class docstring)
    open = BigIntegerField()  # cents not yet allocated, 0 <= open <= |amount|
    order = ForeignKeyField(Order, null=True, on_delete="RESTRICT")
    doc = ForeignKeyField(MoneyDoc, null=True, on_delete="RESTRICT")
    reason = CharField(default="")
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=now)

    class Meta:
        indexes = ((("customer", "date", "id"), False), (("supplier", "date", "id"), False),
                   (("side", "due_date"), False))


class Allocation(BaseModel):
    """Money settling a document: ``amount`` cents of the credit entry (negative: a receipt,
    credit note, write-off) applied to the debit entry (positive: an invoice, a refund).
    Undoing marks the row; nothing is deleted."""

    id = AutoField()
    debit = ForeignKeyField(LedgerEntry, backref="debit_allocations", on_delete="RESTRICT")
    credit = ForeignKeyField(LedgerEntry, backref="credit_allocations", on_delete="RESTRICT")
    amount = BigIntegerField()  # cents, > 0
    date = DateField()  # the business date it takes effect (ageing as of a past date)
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=now)
    undone_on = DateField(null=True)
    undone_by = ForeignKeyField(User, null=True, on_delete="SET NULL")

    class Meta:
        # ageing as of a past date reads only the allocations made or undone after it
        indexes = ((("undone_on", "date"), False),)
