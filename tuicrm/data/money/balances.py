"""What a customer or supplier owes and which documents are open (SPEC M2), as plain rows.

The balance is the sum of the party's ledger entries; the open documents are the entries with
something left to settle (``open > 0``); money on account is the open part of receipts,
payments and credit notes. ``tuicrm check`` proves balance = open debits - open credits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import JOIN, Case, fn

from ..core import clock
from ..core.money import from_cents
from ..core.operation import Op, reader
from ..core.vocab import EntryKind, Side
from ..models.money import Allocation, LedgerEntry
from ..models.users import User
from ..parties.scope import CUSTOMERS
from . import ledger


@dataclass(frozen=True)
class Balance:
    side: Side
    party_id: int
    balance: Decimal  # owed to us (customer) / by us (supplier)
    overdue: Decimal  # open debits past their due date
    open_debits: Decimal  # open invoices / bills / refunds
    on_account: Decimal  # money not yet allocated (receipts, payments, credit notes)

    def text(self) -> str:
        from ...i18n import _
        from ..core.formats import fmt_amount

        out = _("Balance {amount}").format(amount=fmt_amount(self.balance))
        if self.overdue:
            out += "  " + _("overdue {amount}").format(amount=fmt_amount(self.overdue))
        if self.on_account:
            out += "  " + _("on account {amount}").format(amount=fmt_amount(self.on_account))
        return out


@dataclass(frozen=True)
class OpenDoc:
    """An entry with something left to settle, for the Receipts and Payments screens."""

    entry_id: int
    number: str
    kind: EntryKind
    date: dt.date
    due_date: dt.date | None
    amount: Decimal  # as entered, always positive here
    open: Decimal
    days_overdue: int  # 0 when not yet due


@dataclass(frozen=True)
class AllocationRow:
    id: int
    debit_number: str
    credit_number: str
    amount: Decimal
    date: dt.date
    by: str
    undone_on: dt.date | None


def balance_of(side: Side, party_id: int, today: dt.date | None = None) -> Balance:
    """No permission check: for code already inside an operation."""
    day = today or clock.today()
    column = ledger.party_column(side)
    debit = LedgerEntry.amount > 0
    row = (LedgerEntry.select(
        fn.COALESCE(fn.SUM(LedgerEntry.amount), 0),
        fn.COALESCE(fn.SUM(Case(None, [((debit & (LedgerEntry.due_date < day)),
                                           LedgerEntry.open)], 0)), 0),
        fn.COALESCE(fn.SUM(Case(None, [(debit, LedgerEntry.open)], 0)), 0),
        fn.COALESCE(fn.SUM(Case(None, [(~debit, LedgerEntry.open)], 0)), 0),
    ).where(column == party_id).tuples().first())
    total, overdue, debits, credits = (int(v or 0) for v in row or (0, 0, 0, 0))
    return Balance(side, party_id, from_cents(total), from_cents(overdue), from_cents(debits),
                   from_cents(credits))


@reader("money.view", scoped={"customer_id": CUSTOMERS})
def customer_balance(op: Op, customer_id: int) -> Balance:
    return balance_of(Side.CUSTOMER, int(customer_id))


@reader("money.view")
def supplier_balance(op: Op, supplier_id: int) -> Balance:
    return balance_of(Side.SUPPLIER, int(supplier_id))


def open_docs(side: Side, party_id: int, *, debits: bool = True) -> list[OpenDoc]:
    today = clock.today()
    out = []
    for e in ledger.open_entries(side, party_id, debits=debits):
        late = (today - e.due_date).days if e.due_date and e.due_date < today else 0
        out.append(OpenDoc(e.id, e.number, e.kind, e.date, e.due_date,
                           from_cents(abs(e.amount)), from_cents(e.open), late))
    return out


@reader("money.view", scoped={"customer_id": CUSTOMERS})
def customer_open_documents(op: Op, customer_id: int, debits: bool = True) -> list[OpenDoc]:
    """The customer's open invoices (or, ``debits=False``, money on account), oldest first."""
    return open_docs(Side.CUSTOMER, int(customer_id), debits=debits)


@reader("money.view")
def supplier_open_documents(op: Op, supplier_id: int, debits: bool = True) -> list[OpenDoc]:
    return open_docs(Side.SUPPLIER, int(supplier_id), debits=debits)


@reader("money.view")
def allocations_of(op: Op, entry_id: int, include_undone: bool = False) -> list[AllocationRow]:
    """The allocations an entry takes part in (to unallocate one)."""
    entry = ledger.load_entry(int(entry_id))
    if entry.side == Side.CUSTOMER:
        CUSTOMERS.check(op.actor, [entry.party_id])
    debit: Any = LedgerEntry.alias()
    credit: Any = LedgerEntry.alias()
    query = (Allocation.select(Allocation.id, debit.number, credit.number, Allocation.amount,
                               Allocation.date, fn.COALESCE(User.username, ""),
                               Allocation.undone_on)
             .join(debit, on=(Allocation.debit == debit.id))
             .switch(Allocation).join(credit, on=(Allocation.credit == credit.id))
             .switch(Allocation).join(User, JOIN.LEFT_OUTER,
                                      on=(Allocation.created_by == User.id))
             .where((Allocation.debit == entry.id) | (Allocation.credit == entry.id))
             .order_by(Allocation.id))
    if not include_undone:
        query = query.where(Allocation.undone_on.is_null())
    rows: Any = query.tuples()
    return [AllocationRow(int(i), str(d), str(c), from_cents(int(a)), date, str(by), undone)
            for i, d, c, a, date, by, undone in rows]
