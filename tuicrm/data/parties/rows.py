"""What the party operations hand to screens: frozen plain rows, joins already done.

A screen never walks a foreign key of a model (one query per access, on the UI thread); it
gets the customer's group name and salesperson with the customer, the customer's code and name
with a contact.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class CustomerRow:
    id: int
    code: str
    name: str
    group_id: int | None
    group_name: str  # "" without a group
    grade: str
    status: str
    salesperson_id: int | None
    salesperson: str  # the user name, "" without one
    phone: str
    mobile: str
    fax: str
    email: str
    address: str
    region: str
    industry: str
    source: str
    tax_number: str
    credit_limit: Decimal
    payment_terms_days: int
    price_level: int
    notes: str
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


@dataclass(frozen=True)
class TwinRow:
    """An existing customer that looks like the one being entered (C4), whoever owns it:
    only what it takes to recognise it."""

    id: int
    code: str
    name: str
    phone: str
    mobile: str
    tax_number: str


@dataclass(frozen=True)
class ContactRow:
    id: int
    customer_id: int
    customer_code: str
    customer_name: str
    name: str
    title: str
    phone: str
    mobile: str
    email: str
    birthday: dt.date | None
    is_key: bool
    notes: str
    version: int


@dataclass(frozen=True)
class SupplierRow:
    id: int
    code: str
    name: str
    contact_name: str
    phone: str
    email: str
    address: str
    tax_number: str
    payment_terms_days: int
    active: bool
    notes: str
    version: int


@dataclass(frozen=True)
class CompetitorRow:
    id: int
    name: str
    products: str
    strengths: str
    weaknesses: str
    notes: str
    version: int


@dataclass(frozen=True)
class PersonRow:
    """A user a customer can be given to."""

    id: int
    username: str
    full_name: str

    @property
    def label(self) -> str:
        return f"{self.username} {self.full_name}".strip()


def row_of(cls: type[T], record: Any, **extra: Any) -> T:
    """``cls`` filled from the attributes of ``record`` (a model instance read with its joins
    as attributes), ``extra`` taking precedence. Foreign keys are read as ``<name>_id``, which
    never queries."""
    values = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        values[f.name] = extra[f.name] if f.name in extra else getattr(record, f.name)
    return cls(**values)


__all__ = ["CompetitorRow", "ContactRow", "CustomerRow", "PersonRow", "SupplierRow", "TwinRow",
           "row_of"]
