"""The Receipts (and Payments) screen without a screen: the party chosen, the amount typed,
the open documents oldest first and how the money is spread over them.

The spread is exact cents: the amounts the user set on documents first, then the rest first in,
first out (oldest document first); what is left goes on account. Accepting records the receipt
(or payment) with exactly that spread, so what was on screen is what is written. No Textual
here: tests drive it with plain calls; the screen calls it from a worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ...i18n import _
from ..core.actor import Actor
from ..core.errors import NotFound, ValidationError
from ..core.money import fmt_money, from_cents, money, to_cents
from ..core.vocab import PayMethod, Side
from ..models.parties import Customer, Supplier
from ..parties.scope import customer_scope_where
from . import allocating, balances, documents
from .balances import AllocationRow, Balance, OpenDoc


@dataclass(frozen=True)
class PlannedDoc:
    doc: OpenDoc
    allocate: Decimal  # of this receipt
    chosen: bool  # set by the user (else first in, first out)


@dataclass(frozen=True)
class ReceiptView:
    side: Side
    party_id: int | None
    party: str  # "C001 Wang" or ""
    balance: Balance | None
    amount: Decimal
    method: PayMethod
    reference: str
    docs: tuple[PlannedDoc, ...]
    allocated: Decimal
    on_account: Decimal  # of this receipt: what no document takes
    credits: tuple[OpenDoc, ...] = ()  # money already on account (to allocate)
    message: str = ""

    def summary(self) -> str:
        return _("Amount {amount}   Allocated {allocated}   On account {rest}").format(
            amount=fmt_money(self.amount), allocated=fmt_money(self.allocated),
            rest=fmt_money(self.on_account))


@dataclass
class ReceiptEntry:
    """One user's receipt (or payment, ``side=SUPPLIER``) being entered."""

    actor: Actor
    side: Side = Side.CUSTOMER
    party_id: int | None = None
    party: str = ""
    amount_cents: int = 0
    method: PayMethod = PayMethod.CASH
    reference: str = ""
    chosen: dict[int, int] = field(default_factory=dict)  # entry id -> cents set by the user
    _docs: list[OpenDoc] = field(default_factory=list)
    _credits: list[OpenDoc] = field(default_factory=list)
    _balance: Balance | None = None

    # -- choosing ----------------------------------------------------------------------------

    def find_party(self, code: str) -> ReceiptView:
        """A scanned or typed customer (supplier) code, exactly."""
        model: Any = Customer if self.side == Side.CUSTOMER else Supplier
        query = model.select(model.id).where(model.code == code.strip())
        if self.side == Side.CUSTOMER:
            where = customer_scope_where(self.actor)
            if where is not None:
                query = query.where(where)
        found = query.scalar()
        if found is None:
            raise NotFound(_("no {value} with the code {strip!r}").format(
                             value=self.side.value,
                             strip=code.strip()))
        return self.choose(int(found))

    def choose(self, party_id: int) -> ReceiptView:
        model: Any = Customer if self.side == Side.CUSTOMER else Supplier
        row = model.select(model.code, model.name).where(model.id == party_id).tuples().first()
        if row is None:
            raise NotFound(_("{value} #{party_id} does not exist").format(
                             value=self.side.value,
                             party_id=party_id))
        self.party_id, self.party = party_id, f"{row[0]} {row[1]}"
        self.chosen.clear()
        return self.reload()

    def reload(self) -> ReceiptView:
        """Read the party's open documents and balance again (after any change)."""
        if self.party_id is None:
            return self.view()
        if self.side == Side.CUSTOMER:
            self._docs = balances.customer_open_documents(self.actor, self.party_id)
            self._credits = balances.customer_open_documents(self.actor, self.party_id,
                                                             debits=False)
            self._balance = balances.customer_balance(self.actor, self.party_id)
        else:
            self._docs = balances.supplier_open_documents(self.actor, self.party_id)
            self._credits = balances.supplier_open_documents(self.actor, self.party_id,
                                                             debits=False)
            self._balance = balances.supplier_balance(self.actor, self.party_id)
        open_ids = {d.entry_id for d in self._docs}
        self.chosen = {k: v for k, v in self.chosen.items() if k in open_ids}
        return self.view()

    # -- typing ------------------------------------------------------------------------------

    def set_amount(self, text: str) -> ReceiptView:
        cents = _cents(text, "amount") if text.strip() else 0
        self.amount_cents = cents
        return self.view()

    def set_method(self, method: str) -> ReceiptView:
        self.method = documents.pay_method(method)
        return self.view()

    def set_reference(self, text: str) -> ReceiptView:
        self.reference = text
        return self.view()

    def set_allocation(self, entry_id: int, text: str) -> ReceiptView:
        """The user's own amount on one document (blank: back to first in, first out)."""
        doc = next((d for d in self._docs if d.entry_id == entry_id), None)
        if doc is None:
            raise NotFound(_("that document is no longer open"))
        if not text.strip():
            self.chosen.pop(entry_id, None)
            return self.view()
        cents = _cents(text, "allocate", allow_zero=True)
        if cents > to_cents(doc.open):
            raise ValidationError({"allocate": _("{number} has only {open} open").format(
                                                 number=doc.number,
                                                 open=fmt_money(doc.open))})
        self.chosen[entry_id] = cents
        return self.view()

    # -- the spread ---------------------------------------------------------------------------

    def plan(self) -> list[tuple[OpenDoc, int, bool]]:
        left = self.amount_cents
        spread: dict[int, int] = {}
        for doc in self._docs:  # the user's amounts first, as far as the money goes
            if doc.entry_id in self.chosen:
                take = min(self.chosen[doc.entry_id], left)
                spread[doc.entry_id] = take
                left -= take
        for doc in self._docs:  # then oldest first
            if doc.entry_id not in self.chosen:
                take = min(to_cents(doc.open), left)
                spread[doc.entry_id] = take
                left -= take
        return [(d, spread.get(d.entry_id, 0), d.entry_id in self.chosen) for d in self._docs]

    def view(self, message: str = "") -> ReceiptView:
        planned = self.plan()
        allocated = sum(c for _, c, _ in planned)
        return ReceiptView(
            self.side, self.party_id, self.party, self._balance,
            from_cents(self.amount_cents), self.method, self.reference,
            tuple(PlannedDoc(d, from_cents(c), chosen) for d, c, chosen in planned),
            from_cents(allocated), from_cents(self.amount_cents - allocated),
            tuple(self._credits), message)

    # -- writing ------------------------------------------------------------------------------

    def accept(self) -> ReceiptView:
        """Record the receipt (payment) with the spread on screen; a new one starts."""
        if self.party_id is None:
            raise ValidationError({"party": _("choose the {value} first").format(
                                              value=self.side.value)})
        if self.amount_cents <= 0:
            raise ValidationError({"amount": "type the amount received"
                                   if self.side == Side.CUSTOMER else "type the amount paid"})
        apply = [documents.Apply(d.entry_id, from_cents(c)) for d, c, _ in self.plan() if c]
        record = (documents.record_receipt if self.side == Side.CUSTOMER
                  else documents.record_payment)
        done = record(self.actor, self.party_id, from_cents(self.amount_cents), self.method,
                      apply=apply, fifo=False, reference=self.reference)
        self.amount_cents, self.reference = 0, ""
        self.chosen.clear()
        rest = f", {fmt_money(done.on_account)} on account" if done.on_account else ""
        self.reload()
        return self.view(f"{done.number}: {fmt_money(done.amount)} recorded{rest}")

    def write_off(self, entry_id: int, text: str, reason: str) -> ReceiptView:
        done = allocating.write_off(self.actor, entry_id, text, reason)
        self.reload()
        return self.view(f"{fmt_money(done.amount)} written off")

    def allocations(self, entry_id: int) -> list[AllocationRow]:
        return balances.allocations_of(self.actor, entry_id)

    def unallocate(self, allocation_id: int) -> ReceiptView:
        done = allocating.unallocate(self.actor, allocation_id)
        self.reload()
        return self.view(f"allocation of {fmt_money(done.amount)} undone")

    @property
    def refundable(self) -> Decimal:
        """The party's money on account (credit notes, overpayments): what can be paid back."""
        return sum((d.open for d in self._credits), Decimal(0))

    def refund(self, text: str, reason: str = "") -> ReceiptView:
        """Pay money on account back: to the customer (or, from a supplier, received back),
        oldest credit first, by the method on screen."""
        if self.party_id is None:
            raise ValidationError({"party": f"choose the {self.side.value} first"})
        cents = refund_amount(text, self.refundable)
        pay_back = (documents.refund_customer if self.side == Side.CUSTOMER
                    else documents.refund_from_supplier)
        done = pay_back(self.actor, self.party_id, from_cents(cents), self.method,
                        reference=self.reference, notes=reason)
        self.reload()
        return self.view(f"{done.number}: {fmt_money(done.amount)} refunded")

    def allocate_on_account(self) -> ReceiptView:
        """Money already on account goes to the open documents, oldest first."""
        total = Decimal(0)
        for credit in list(self._credits):
            total += sum((c for _, c in allocating.allocate_fifo(self.actor, credit.entry_id)),
                         Decimal(0))
        self.reload()
        return self.view(f"{fmt_money(total)} of the money on account allocated"
                         if total else "nothing on account to allocate")


def _cents(text: str, field_name: str, allow_zero: bool = False) -> int:
    try:
        value = money(text)
    except ValueError as e:
        raise ValidationError({field_name: str(e)}) from None
    if value < 0 or (value == 0 and not allow_zero):
        raise ValidationError({field_name: _("more than 0.00")})
    if value >= documents.MAX_AMOUNT:
        raise ValidationError({field_name: _("too large")})
    return to_cents(value)


def refund_amount(text: str, on_account: Decimal) -> int:
    """The cents of a refund typed as ``text``: more than 0, at most what is on account."""
    cents = _cents(text, "amount")
    if cents > to_cents(on_account):
        raise ValidationError({"amount": f"only {fmt_money(on_account)} is on account to "
                                         "refund"})
    return cents
