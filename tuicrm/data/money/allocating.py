"""Allocating money to documents after the fact, undoing it, writing off small differences.

The entries are given by id; whose they are is checked in the body (a salesperson reaches
only their own customers' entries, answered like a missing one).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ...i18n import _
from ..core import clock, numbering, settings
from ..core.errors import ValidationError
from ..core.money import Number, fmt_money, from_cents
from ..core.operation import Op, operation
from ..core.vocab import EntryKind, Side
from ..models.money import Allocation
from ..parties.scope import CUSTOMERS
from . import ledger
from .documents import positive_amount


def reach(op: Op, entry: ledger.Entry) -> ledger.Entry:
    """``entry`` if the actor may reach its party (customers are scoped)."""
    if entry.side == Side.CUSTOMER:
        CUSTOMERS.check(op.actor, [entry.party_id])
    return entry


def _locked(op: Op, entry_id: int) -> ledger.Entry:
    return reach(op, ledger.load_entry(int(entry_id), lock=True))


@dataclass(frozen=True)
class Allocated:
    allocation_id: int
    debit_id: int
    credit_id: int
    amount: Decimal


@operation("money.allocate")
def allocate(op: Op, credit_id: int, debit_id: int, amount: Number | None = None) -> Allocated:
    """Put ``amount`` of a receipt, payment or credit note (``credit_id``) on an open invoice,
    bill or refund (``debit_id``); without an amount, as much as both have open."""
    credit, debit = _locked(op, credit_id), _locked(op, debit_id)
    cents = (min(credit.open, debit.open) if amount is None
             else positive_amount(amount))
    allocation_id = ledger.allocate(op, debit, credit, cents)
    op.audit("allocation", allocation_id, "create",
             {"debit": debit.number, "credit": credit.number, "amount": from_cents(cents)})
    return Allocated(allocation_id, debit.id, credit.id, from_cents(cents))


@operation("money.allocate")
def unallocate(op: Op, allocation_id: int) -> Allocated:
    """Undo an allocation: marked undone (never deleted); both documents are open again."""
    row = (Allocation.select(Allocation.debit).where(Allocation.id == allocation_id)
           .tuples().first())
    if row is not None:
        _locked(op, int(row[0]))
    debit_id, credit_id, cents = ledger.unallocate(op, int(allocation_id))
    op.audit("allocation", allocation_id, "undo",
             {"debit": debit_id, "credit": credit_id, "amount": from_cents(cents)})
    return Allocated(int(allocation_id), debit_id, credit_id, from_cents(cents))


@operation("money.allocate")
def allocate_fifo(op: Op, entry_id: int) -> list[tuple[int, Decimal]]:
    """Allocate what is open of an entry to the party's oldest open documents of the other
    kind (a receipt on account to the oldest invoices, say)."""
    entry = _locked(op, entry_id)
    done = ledger.settle_fifo(op, entry)
    if done:
        op.audit("ledger_entry", entry.id, "allocate_fifo",
                 {"allocated": [[e, str(from_cents(c))] for e, c in done]})
    return [(e, from_cents(c)) for e, c in done]


@operation("money.write_off")
def write_off(op: Op, entry_id: int, amount: Number, reason: str) -> Allocated:
    """Write off a small difference left on an invoice or bill (or a small credit), up to the
    setting ``money.write_off_limit``, with a reason; recorded as its own ledger entry."""
    entry = _locked(op, entry_id)
    cents = positive_amount(amount)
    limit = settings.value(settings.WRITE_OFF_LIMIT)
    if from_cents(cents) > limit:
        raise ValidationError({"amount": _("at most {limit} can be written off (setting "
                                           "money.write_off_limit)").format(limit=fmt_money(limit))})
    text = " ".join(str(reason or "").split())
    if not text:
        raise ValidationError({"reason": _("say why it is written off")})
    if cents > entry.open:
        raise ValidationError({"amount": _("{number} has only {value} open").format(
                                           number=entry.number,
                                           value=fmt_money(from_cents(entry.open)))})
    today = clock.today()
    number = numbering.next_number("write_off", today)
    sign = -1 if entry.is_debit else 1
    off = ledger.post(op, entry.side, entry.party_id, EntryKind.WRITE_OFF, number, today,
                      sign * cents, reason=text[:200])
    debit, credit = (entry, off) if entry.is_debit else (off, entry)
    allocation_id = ledger.allocate(op, debit, credit, cents)
    op.audit("ledger_entry", off.id, "write_off",
             {"number": number, "of": entry.number, "amount": from_cents(cents),
              "reason": text})
    return Allocated(allocation_id, debit.id, credit.id, from_cents(cents))
