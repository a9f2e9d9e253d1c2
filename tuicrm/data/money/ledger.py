"""The party ledger and its allocations: the only code that writes them.

An entry's ``amount`` (signed cents) never changes; its ``open`` goes down when an allocation
settles part of it and up when one is undone. Both changes are conditional UPDATEs
(``WHERE open >= n`` / ``WHERE open + n <= |amount|``) checked by their row count, so two
sessions allocating one receipt or one invoice at once can never take more than is open, on
SQLite or PostgreSQL, whatever they read before.

Allocations link a debit (positive entry: invoice, bill, refund) to a credit (negative entry:
receipt, payment, credit note, write-off) of the same party, in exact cents chosen by the user
or first-in-first-out by date; nothing is ever split proportionally.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from peewee import fn

from ...i18n import _
from ..core import clock
from ..core.db import for_update
from ..core.errors import NotFound, ValidationError
from ..core.money import fmt_money, from_cents
from ..core.operation import Op
from ..core.vocab import EntryKind, Side
from ..models.money import Allocation, LedgerEntry


@dataclass(frozen=True)
class Entry:
    """A ledger entry as the money code reads it (cents)."""

    id: int
    side: Side
    party_id: int
    kind: EntryKind
    number: str
    date: dt.date
    due_date: dt.date | None
    amount: int
    open: int

    @property
    def is_debit(self) -> bool:
        return self.amount > 0


_COLUMNS = (LedgerEntry.id, LedgerEntry.side, LedgerEntry.customer, LedgerEntry.supplier,
            LedgerEntry.kind, LedgerEntry.number, LedgerEntry.date, LedgerEntry.due_date,
            LedgerEntry.amount, LedgerEntry.open)


def _entry(row: Any) -> Entry:
    eid, side, customer, supplier, kind, number, date, due, amount, open_ = row
    party = customer if side == Side.CUSTOMER else supplier
    return Entry(int(eid), Side(side), int(party), EntryKind(kind), str(number), date, due,
                 int(amount), int(open_))


def party_column(side: Side) -> Any:
    return LedgerEntry.customer if side == Side.CUSTOMER else LedgerEntry.supplier


def load_entry(entry_id: int, *, lock: bool = False) -> Entry:
    query = LedgerEntry.select(*_COLUMNS).where(LedgerEntry.id == entry_id)
    row = (for_update(query) if lock else query).tuples().first()
    if row is None:
        raise NotFound(_("ledger entry #{entry_id} does not exist").format(entry_id=entry_id))
    return _entry(row)


def post(op: Op, side: Side, party_id: int, kind: EntryKind, number: str, date: dt.date,
         cents: int, *, due_date: dt.date | None = None, order_id: int | None = None,
         doc_id: int | None = None, reason: str = "") -> Entry:
    """Append one entry (``cents`` signed, never 0) to a party's account; fully open."""
    if cents == 0:
        raise ValidationError(_("a ledger entry of 0.00 records nothing"))
    party = {"customer": party_id} if side == Side.CUSTOMER else {"supplier": party_id}
    entry_id = LedgerEntry.insert(
        side=side, kind=kind, number=number, date=date, due_date=due_date, amount=cents,
        open=abs(cents), order=order_id, doc=doc_id, reason=reason, created_by=op.actor.id,
        **party,
    ).execute()
    return Entry(int(entry_id), side, party_id, kind, number, date, due_date, cents, abs(cents))


def _take(entry: Entry, cents: int) -> None:
    taken = (LedgerEntry.update(open=LedgerEntry.open - cents)
             .where((LedgerEntry.id == entry.id) & (LedgerEntry.open >= cents)).execute())
    if taken != 1:
        left = load_entry(entry.id).open
        raise ValidationError(
            {"amount": _("{number} has only {value} open, not {value2}").format(
                         number=entry.number,
                         value=fmt_money(from_cents(left)),
                         value2=fmt_money(from_cents(cents)))})


def _give_back(entry_id: int, cents: int) -> None:
    back = (LedgerEntry.update(open=LedgerEntry.open + cents)
            .where((LedgerEntry.id == entry_id)
                   & (LedgerEntry.open + cents <= fn.ABS(LedgerEntry.amount))).execute())
    if back != 1:
        raise ValidationError(_("ledger entry #{entry_id} cannot take back {cents} cents").format(
                                entry_id=entry_id,
                                cents=cents))


def _check_pair(debit: Entry, credit: Entry, cents: int) -> None:
    """What every allocation must be: more than 0, a credit against a debit of one party."""
    if cents <= 0:
        raise ValidationError({"amount": _("an allocation is more than 0.00")})
    if not debit.is_debit or credit.is_debit:
        raise ValidationError(_("{number} cannot settle {number2}").format(
                                number=credit.number,
                                number2=debit.number))
    if (debit.side, debit.party_id) != (credit.side, credit.party_id):
        raise ValidationError(_("{number} and {number2} are not of the same {side}").format(
                                number=credit.number,
                                number2=debit.number,
                                side=debit.side))


def allocate(op: Op, debit: Entry, credit: Entry, cents: int,
             date: dt.date | None = None) -> int:
    """Settle ``cents`` of ``debit`` with ``credit``; returns the allocation's id."""
    _check_pair(debit, credit, cents)
    _take(debit, cents)
    _take(credit, cents)
    when = date or max(debit.date, credit.date, clock.today())
    return int(Allocation.insert(debit=debit.id, credit=credit.id, amount=cents, date=when,
                                 created_by=op.actor.id).execute())


def settle(op: Op, entry: Entry, parts: Sequence[tuple[Entry, int]]) -> list[tuple[int, int]]:
    """Allocate ``entry`` against each (other entry, cents) of ``parts`` at once: each other
    entry is taken from by its own guarded update, ``entry`` once by the total, and the
    allocations go in as one insert (a receipt over 100 invoices: 102 statements, not 300).
    Returns [(other entry id, cents)]."""
    rows: list[dict[str, Any]] = []
    total = 0
    for other, cents in parts:
        debit, credit = (entry, other) if entry.is_debit else (other, entry)
        _check_pair(debit, credit, cents)
        _take(other, cents)
        total += cents
        rows.append({"debit": debit.id, "credit": credit.id, "amount": cents,
                     "date": max(debit.date, credit.date, clock.today()),
                     "created_by": op.actor.id})
    if not rows:
        return []
    _take(entry, total)
    for start in range(0, len(rows), 200):  # well under SQLite's bound-parameter limit
        Allocation.insert_many(rows[start:start + 200]).execute()
    return [(other.id, cents) for other, cents in parts]


def unallocate(op: Op, allocation_id: int) -> tuple[int, int, int]:
    """Undo an allocation (marked, never deleted); both entries are open again by its amount.
    Returns (debit id, credit id, cents)."""
    row = (Allocation.select(Allocation.debit, Allocation.credit, Allocation.amount,
                             Allocation.undone_on)
           .where(Allocation.id == allocation_id).tuples().first())
    if row is None:
        raise NotFound(_("allocation #{allocation_id} does not exist").format(
                         allocation_id=allocation_id))
    debit_id, credit_id, cents = int(row[0]), int(row[1]), int(row[2])
    marked = (Allocation.update(undone_on=clock.today(), undone_by=op.actor.id)
              .where((Allocation.id == allocation_id) & Allocation.undone_on.is_null())
              .execute())
    if marked != 1:
        raise ValidationError(_("this allocation was already undone"))
    _give_back(debit_id, cents)
    _give_back(credit_id, cents)
    return debit_id, credit_id, cents


def open_entries(side: Side, party_id: int, *, debits: bool, lock: bool = False,
                 only: Iterable[int] | None = None) -> list[Entry]:
    """A party's open debits (or credits), oldest first: by date, then as entered."""
    column = party_column(side)
    query = (LedgerEntry.select(*_COLUMNS)
             .where((column == party_id) & (LedgerEntry.open > 0)
                    & ((LedgerEntry.amount > 0) if debits else (LedgerEntry.amount < 0)))
             .order_by(LedgerEntry.date, LedgerEntry.id))
    if only is not None:
        query = query.where(LedgerEntry.id.in_(list(only)))
    rows = (for_update(query) if lock else query).tuples()
    return [_entry(r) for r in rows]


def settle_fifo(op: Op, entry: Entry, limit: int | None = None,
                prefer: Iterable[int] = ()) -> list[tuple[int, int]]:
    """Allocate ``entry``'s open amount (at most ``limit`` cents) against the party's open
    entries of the other sign, ``prefer`` first (e.g. the invoice a return comes from), then
    oldest first. Returns [(other entry id, cents)]; what is left stays on account."""
    left = entry.open if limit is None else min(limit, entry.open)
    others = open_entries(entry.side, entry.party_id, debits=not entry.is_debit, lock=True)
    first = set(prefer)
    others.sort(key=lambda e: (e.id not in first, e.date, e.id))
    parts: list[tuple[Entry, int]] = []
    for other in others:
        if left <= 0:
            break
        cents = min(left, other.open)
        parts.append((other, cents))
        left -= cents
    return settle(op, entry, parts)


def balance_cents(side: Side, party_id: int) -> int:
    """The sum of a party's entries: what the customer owes us (or we owe the supplier)."""
    column = party_column(side)
    total = (LedgerEntry.select(fn.COALESCE(fn.SUM(LedgerEntry.amount), 0))
             .where(column == party_id).scalar())
    return int(total or 0)
