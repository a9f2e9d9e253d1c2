"""Overdue receivables for the Today list (SPEC S4): customers with open invoices past their
due date, the largest amounts first, within the actor's customer scope. One group-by over
the open invoices (the (side, due_date) index), a second count only when there are more."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from peewee import fn

from ..core.actor import Actor
from ..core.money import from_cents
from ..core.vocab import Side
from ..models.money import LedgerEntry
from ..models.parties import Customer
from ..parties.scope import customer_scope_where

Overdue = tuple[int, str, str, Decimal, int, dt.date]  # id, code, name, owed, invoices, oldest


def overdue_customers(actor: Actor, today: dt.date, limit: int) -> tuple[list[Overdue], int]:
    """The ``limit`` customers owing most past due, and how many owe anything past due."""
    owed = fn.SUM(LedgerEntry.open)
    query = (LedgerEntry.select(Customer.id, Customer.code, Customer.name, owed.alias("owed"),
                                fn.COUNT(LedgerEntry.id), fn.MIN(LedgerEntry.due_date))
             .join(Customer, on=(LedgerEntry.customer == Customer.id))
             .where((LedgerEntry.side == Side.CUSTOMER) & (LedgerEntry.due_date < today)
                    & (LedgerEntry.amount > 0) & (LedgerEntry.open > 0))
             .group_by(Customer.id, Customer.code, Customer.name))
    where = customer_scope_where(actor)
    if where is not None:
        query = query.where(where)
    raw: Any = query.order_by(owed.desc(), Customer.code).limit(limit).tuples()
    rows = [(int(cid), str(code), str(name), from_cents(int(total)), int(n), _day(oldest))
            for cid, code, name, total, n, oldest in raw]
    count = len(rows) if len(rows) < limit else int(query.count())
    return rows, count


def _day(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
