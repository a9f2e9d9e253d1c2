"""A customer's (or supplier's) statement for a date range (SPEC M2, R2): the opening balance,
each document with its running balance, the closing balance. Plain rows and totals, for the
screen, the printer and files alike. Two indexed queries on (party, date)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import fn

from ...i18n import _
from ..core import clock, settings
from ..core.errors import NotFound, ValidationError
from ..core.money import from_cents
from ..core.operation import Op, reader
from ..core.vocab import EntryKind, Side
from ..models.money import LedgerEntry
from ..models.parties import Customer, Supplier
from ..parties.scope import CUSTOMERS, customer_id_by_code
from . import ledger
from .ageing import AgeingRow, ageing_rows


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
        raise NotFound(_("{side} #{party_id} does not exist").format(side=side, party_id=party_id))
    last = end or clock.today()
    if start is not None and start > last:
        raise ValidationError({"start": _("the start is after the end")})
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


@dataclass(frozen=True)
class StatementDocument:
    """What a printed statement needs besides its lines: where to send it, and how old the
    closing balance is (the ageing of the party alone, as of the statement's end)."""

    statement: Statement
    details: tuple[str, ...]  # address, phone, tax number
    bucket_titles: tuple[str, ...]
    ageing: AgeingRow | None  # None: nothing open at the end


def _details(side: Side, party_id: int) -> tuple[str, ...]:
    model: Any = Customer if side == Side.CUSTOMER else Supplier
    mobile = model.mobile if side == Side.CUSTOMER else model.phone
    row = (model.select(model.address, model.phone, mobile, model.tax_number)
           .where(model.id == party_id).tuples().first())
    if row is None:
        return ()
    address, phone, mobile_phone, tax = row
    phone = phone or mobile_phone
    return tuple(str(x) for x in (address, phone, _("Tax no. {number}").format(number=tax) if tax else "") if x)


def document_of(side: Side, party_id: int, start: dt.date | None,
                end: dt.date | None) -> StatementDocument:
    found = statement_of(side, party_id, start, end)
    limits = settings.value(settings.AGEING_BUCKETS)
    ageing = ageing_rows(None, side, found.end, limits, party_id=party_id)
    return StatementDocument(found, _details(side, party_id), ageing.bucket_titles,
                             ageing.rows[0] if ageing.rows else None)


@reader("money.view", scoped={"customer_id": CUSTOMERS})
def statement_document(op: Op, customer_id: int, start: dt.date | None = None,
                       end: dt.date | None = None) -> StatementDocument:
    """A customer's statement to print or send: the lines, the address, the ageing."""
    return document_of(Side.CUSTOMER, int(customer_id), start, end)


@reader("money.view")
def supplier_statement_document(op: Op, supplier_id: int, start: dt.date | None = None,
                                end: dt.date | None = None) -> StatementDocument:
    return document_of(Side.SUPPLIER, int(supplier_id), start, end)


@reader("money.view")
def statement_by_code(op: Op, side: Side | str, code: str, start: dt.date | None = None,
                      end: dt.date | None = None) -> StatementDocument:
    """The statement document of the customer or supplier with ``code`` (a customer within
    the actor's reach only: one outside it is "not found", like one that does not exist)."""
    side = Side(side)
    if side == Side.CUSTOMER:
        party_id = customer_id_by_code(op.actor, code)
    else:
        found = Supplier.select(Supplier.id).where(Supplier.code == code.strip()).scalar()
        party_id = None if found is None else int(found)
    if party_id is None:
        raise NotFound(f"no {side.value} with the code {code.strip()!r}")
    return document_of(side, party_id, start, end)
