"""Receipts from customers, payments to suppliers, refunds both ways (M1).

A money document records the money (number, date, method, cash box or account, amount) and,
when a customer or supplier is named, one ledger entry on their account in the same
transaction. The money is then allocated: to the documents the user chose, in exact cents, or
first-in-first-out (oldest open invoice first); whatever is left stays on account.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ...i18n import _
from ..core import clock, numbering
from ..core.errors import NotFound, ValidationError
from ..core.money import Number, from_cents, money, to_cents
from ..core.operation import Op, operation
from ..core.vocab import DocKind, EntryKind, PayMethod, Side
from ..models.money import MoneyAccount, MoneyDoc
from ..models.parties import Customer, Supplier
from ..parties.scope import CUSTOMERS
from . import ledger

MAX_AMOUNT = Decimal("1e10")  # a typing slip, not a payment

# kind -> (side, the entry it makes, its sign on the party's account)
DOC_ENTRIES: dict[DocKind, tuple[Side, EntryKind, int]] = {
    DocKind.RECEIPT: (Side.CUSTOMER, EntryKind.RECEIPT, -1),
    DocKind.REFUND: (Side.CUSTOMER, EntryKind.REFUND, 1),
    DocKind.PAYMENT: (Side.SUPPLIER, EntryKind.PAYMENT, -1),
    DocKind.SUPPLIER_REFUND: (Side.SUPPLIER, EntryKind.SUPPLIER_REFUND, 1),
}


@dataclass(frozen=True)
class Apply:
    """Part of a receipt or payment the user put on one open document."""

    entry_id: int
    amount: Number


@dataclass(frozen=True)
class Recorded:
    """A money document just recorded: what it settled and what went on account."""

    doc_id: int
    number: str
    kind: DocKind
    amount: Decimal
    entry_id: int | None  # its ledger entry (None: no party)
    settled: tuple[tuple[int, Decimal], ...]  # (entry id, amount) it was allocated to
    on_account: Decimal


def positive_amount(value: Number, field: str = "amount") -> int:
    """``value`` in cents, > 0; ``ValidationError`` for the field otherwise."""
    try:
        amount = money(value)
    except ValueError as e:
        raise ValidationError({field: str(e)}) from None
    if amount <= 0:
        raise ValidationError({field: _("more than 0.00")})
    if amount >= MAX_AMOUNT:
        raise ValidationError({field: _("too large")})
    return to_cents(amount)


def pay_method(value: PayMethod | str) -> PayMethod:
    try:
        return PayMethod(str(value).strip().lower())
    except ValueError:
        raise ValidationError(
            {"method": _("one of {join}").format(join=', '.join(m.value for m in PayMethod))}) from None


def account_id(code: str | None, method: PayMethod) -> int:
    """The id of the active account ``code`` (the method's usual account when None)."""
    wanted = (code or method.default_account).strip().upper()
    row = (MoneyAccount.select(MoneyAccount.id)
           .where((MoneyAccount.code == wanted) & (MoneyAccount.active == True))  # noqa: E712
           .scalar())
    if row is None:
        raise ValidationError({"account": _("no active cash box or account {wanted!r}").format(
                                            wanted=wanted)})
    return int(row)


def party_exists(side: Side, party_id: int) -> None:
    model: Any = Customer if side == Side.CUSTOMER else Supplier
    if not model.select().where(model.id == party_id).exists():
        raise NotFound(_("{side} #{party_id} does not exist").format(side=side, party_id=party_id))


def new_doc(op: Op, kind: DocKind, cents: int, method: PayMethod, *, account: str | None,
            date: dt.date | None, reference: str = "", notes: str = "",
            customer_id: int | None = None, supplier_id: int | None = None,
            order_id: int | None = None, category_id: int | None = None,
            tendered: int | None = None) -> tuple[int, str, dt.date]:
    day = date or clock.today()
    number = numbering.next_number(kind.value, day)
    doc_id = MoneyDoc.insert(
        number=number, kind=kind, date=day, customer=customer_id, supplier=supplier_id,
        order=order_id, category=category_id, account=account_id(account, method),
        method=method, amount=from_cents(cents),
        tendered=None if tendered is None else from_cents(tendered),
        reference=_clean(reference, 100), notes=_clean(notes, 2000), created_by=op.actor.id,
    ).execute()
    return int(doc_id), number, day


def _clean(text: str, limit: int) -> str:
    text = "".join(c for c in str(text or "") if c >= " " and not 0x7F <= ord(c) < 0xA0)
    if len(text) > limit:
        raise ValidationError({"reference": _("at most {limit} characters").format(limit=limit)})
    return text.strip()


def apply_chosen(op: Op, entry: ledger.Entry, chosen: Sequence[Apply]) -> list[tuple[int, int]]:
    """Allocate ``entry`` to the documents the user chose, in their exact amounts."""
    wanted = [(int(part.entry_id), positive_amount(part.amount)) for part in chosen]
    if sum(c for _, c in wanted) > entry.open:
        raise ValidationError({"amount": _("{number}: more allocated than its amount").format(
            number=entry.number)})
    ids = {i for i, _ in wanted}
    found = {e.id: e for e in ledger.open_entries(entry.side, entry.party_id,
                                                   debits=not entry.is_debit, lock=True,
                                                   only=ids)}
    for entry_id in ids - found.keys():  # gone, settled meanwhile, or another party's
        other = ledger.load_entry(entry_id)
        raise ValidationError({"amount": _("{number} has nothing open to settle").format(
            number=other.number)})
    return ledger.settle(op, entry, [(found[i], c) for i, c in wanted])


def record(op: Op, kind: DocKind, party_id: int, value: Number, method: PayMethod | str,
           *, apply: Sequence[Apply] | None = None, fifo: bool = True,
           account: str | None = None, date: dt.date | None = None, reference: str = "",
           notes: str = "", order_id: int | None = None,
           tendered: int | None = None) -> Recorded:
    """The body of every receipt, payment and refund (inside the caller's operation)."""
    side, entry_kind, sign = DOC_ENTRIES[kind]
    cents = positive_amount(value)
    how = pay_method(method)
    party_exists(side, party_id)
    party = {"customer_id": party_id} if side == Side.CUSTOMER else {"supplier_id": party_id}
    doc_id, number, day = new_doc(op, kind, cents, how, account=account, date=date,
                                  reference=reference, notes=notes, order_id=order_id,
                                  tendered=tendered, **party)
    entry = ledger.post(op, side, party_id, entry_kind, number, day, sign * cents,
                        order_id=order_id, doc_id=doc_id)
    if apply:
        settled = apply_chosen(op, entry, apply)
    elif fifo:
        settled = ledger.settle_fifo(op, entry)
    else:
        settled = []
    left = cents - sum(c for _, c in settled)
    op.audit("money_doc", doc_id, "create",
             {"number": number, "kind": kind, side.value: party_id, "amount": from_cents(cents),
              "method": how, "allocated": [[e, str(from_cents(c))] for e, c in settled]})
    return Recorded(doc_id, number, kind, from_cents(cents), entry.id,
                    tuple((e, from_cents(c)) for e, c in settled), from_cents(left))


@operation("money.receive", scoped={"customer_id": CUSTOMERS})
def record_receipt(op: Op, customer_id: int, amount: Number, method: PayMethod | str = "cash",
                   *, apply: Sequence[Apply] | None = None, fifo: bool = True,
                   account: str | None = None, date: dt.date | None = None,
                   reference: str = "", notes: str = "") -> Recorded:
    """Money from a customer: allocated as chosen (``apply``) or first-in-first-out; the rest
    stays on account."""
    return record(op, DocKind.RECEIPT, customer_id, amount, method, apply=apply, fifo=fifo,
                  account=account, date=date, reference=reference, notes=notes)


@operation("money.pay")
def record_payment(op: Op, supplier_id: int, amount: Number, method: PayMethod | str = "bank",
                   *, apply: Sequence[Apply] | None = None, fifo: bool = True,
                   account: str | None = None, date: dt.date | None = None,
                   reference: str = "", notes: str = "") -> Recorded:
    """Money to a supplier, allocated to their bills as chosen or oldest first."""
    return record(op, DocKind.PAYMENT, supplier_id, amount, method, apply=apply, fifo=fifo,
                  account=account, date=date, reference=reference, notes=notes)


@operation("money.refund", scoped={"customer_id": CUSTOMERS})
def refund_customer(op: Op, customer_id: int, amount: Number, method: PayMethod | str = "cash",
                    *, apply: Sequence[Apply] | None = None, account: str | None = None,
                    date: dt.date | None = None, reference: str = "",
                    notes: str = "") -> Recorded:
    """Pay a customer's credit back (a credit note, money on account), oldest credit first."""
    return record(op, DocKind.REFUND, customer_id, amount, method, apply=apply,
                  account=account, date=date, reference=reference, notes=notes)


@operation("money.refund")
def refund_from_supplier(op: Op, supplier_id: int, amount: Number,
                         method: PayMethod | str = "bank", *,
                         apply: Sequence[Apply] | None = None, account: str | None = None,
                         date: dt.date | None = None, reference: str = "",
                         notes: str = "") -> Recorded:
    """Money a supplier pays back (for goods returned to them, an overpayment)."""
    return record(op, DocKind.SUPPLIER_REFUND, supplier_id, amount, method, apply=apply,
                  account=account, date=date, reference=reference, notes=notes)
