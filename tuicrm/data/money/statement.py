"""A customer's (or supplier's) statement for a date range (SPEC M2, R2): the opening balance,
each document with its running balance, the closing balance. Plain rows and totals, for the
screen, the printer and files alike. Two indexed queries on (party, date)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import fn

from ..core import clock
from ..core.errors import NotFound, ValidationError
from ..core.money import from_cents
from ..core.operation import Op, reader
from ..core.vocab import EntryKind, Side
from ..models.money import LedgerEntry
from ..models.parties import Customer, Supplier
from ..parties.scope import CUSTOMERS
from . import ledger


@dataclass(frozen=True)
class StatementLine:
    date: dt.date
    number: str
    kind: EntryKind
    due_date: dt.date | None
    debit: Decimal  # adds to the balance
    credit: Decimal  # takes from it
    balance: Decimal  # running


@dataclass(frozen=True)
class Statement:
    side: Side
    party_id: int
    code: str
    name: str
    start: dt.date | None  # None: from the first entry
    end: dt.date
    opening: Decimal
    lines: tuple[StatementLine, ...]
    total_debit: Decimal
    total_credit: Decimal
    closing: Decimal

    COLUMNS = ("date", "number", "kind", "due_date", "debit", "credit", "balance")

    def plain_rows(self) -> list[list[Any]]:
        return [[ln.date, ln.number, ln.kind.value, ln.due_date or "", ln.debit, ln.credit,
                 ln.balance] for ln in self.lines]


def statement_of(side: Side, party_id: int, start: dt.date | None,
                 end: dt.date | None) -> Statement:
    """The body of ``statement`` (no permission check)."""
    model: Any = Customer if side == Side.CUSTOMER else Supplier
    party = model.select(model.code, model.name).where(model.id == party_id).tuples().first()
    if party is None:
        raise NotFound(f"{side} #{party_id} does not exist")
    last = end or clock.today()
    if start is not None and start > last:
        raise ValidationError({"start": "the start is after the end"})
    column = ledger.party_column(side)
    opening = 0
    if start is not None:
        opening = int(LedgerEntry.select(fn.COALESCE(fn.SUM(LedgerEntry.amount), 0))
                      .where((column == party_id) & (LedgerEntry.date < start)).scalar() or 0)
    query = (LedgerEntry.select(LedgerEntry.date, LedgerEntry.number, LedgerEntry.kind,
                                LedgerEntry.due_date, LedgerEntry.amount)
             .where((column == party_id) & (LedgerEntry.date <= last))
             .order_by(LedgerEntry.date, LedgerEntry.id))
    if start is not None:
        query = query.where(LedgerEntry.date >= start)
    running, debit, credit = opening, 0, 0
    lines = []
    rows: Any = query.tuples()
    for date, number, kind, due, amount in rows:
        cents = int(amount)
        running += cents
        debit += max(cents, 0)
        credit += max(-cents, 0)
        lines.append(StatementLine(date, str(number), EntryKind(kind), due,
                                   from_cents(max(cents, 0)), from_cents(max(-cents, 0)),
                                   from_cents(running)))
    return Statement(side, party_id, str(party[0]), str(party[1]), start, last,
                     from_cents(opening), tuple(lines), from_cents(debit), from_cents(credit),
                     from_cents(running))


@reader("money.view", scoped={"customer_id": CUSTOMERS})
def statement(op: Op, customer_id: int, start: dt.date | None = None,
              end: dt.date | None = None) -> Statement:
    """A customer's statement from ``start`` (None: the beginning) to ``end`` (today)."""
    return statement_of(Side.CUSTOMER, int(customer_id), start, end)


@reader("money.view")
def supplier_statement(op: Op, supplier_id: int, start: dt.date | None = None,
                       end: dt.date | None = None) -> Statement:
    return statement_of(Side.SUPPLIER, int(supplier_id), start, end)
