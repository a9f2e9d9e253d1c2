"""Opening balances: what a customer owed (or a supplier was owed) before tuicrm kept their
account, as one ledger entry of its own (kind ``opening``). A positive opening balance is
aged from its date like an invoice and settled by later receipts first-in-first-out; a
negative one is money on account. Money already on account settles it at once, oldest first.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ...i18n import _
from ..core import clock
from ..core.errors import ValidationError
from ..core.money import Number, from_cents, money, to_cents
from ..core.operation import Op, operation
from ..core.vocab import EntryKind, Side
from ..parties.scope import CUSTOMERS
from . import ledger
from .documents import MAX_AMOUNT, party_exists


def _post(op: Op, side: Side, party_id: int, amount: Number, day: dt.date | None,
          reason: str) -> Decimal:
    try:
        value = money(amount)
    except ValueError as e:
        raise ValidationError({"amount": str(e)}) from None
    if value == 0 or abs(value) >= MAX_AMOUNT:
        raise ValidationError({"amount": _("an opening balance other than 0.00")})
    party_exists(side, party_id)
    when = day or clock.today()
    cents = to_cents(value)
    text = " ".join(str(reason or "").split())[:200] or "opening balance"
    entry = ledger.post(op, side, party_id, EntryKind.OPENING, f"OPENING-{when.isoformat()}",
                        when, cents, due_date=when if cents > 0 else None, reason=text)
    ledger.settle_fifo(op, entry)
    op.audit("ledger_entry", entry.id, "opening_balance",
             {side.value: party_id, "amount": from_cents(cents), "date": when, "reason": text})
    return from_cents(cents)


@operation("money.allocate", scoped={"customer_id": CUSTOMERS})
def customer_opening_balance(op: Op, customer_id: int, amount: Number,
                             date: dt.date | None = None,
                             reason: str = "opening balance") -> Decimal:
    """What the customer owed before (negative: what they had paid in advance)."""
    return _post(op, Side.CUSTOMER, int(customer_id), amount, date, reason)


@operation("money.allocate")
def supplier_opening_balance(op: Op, supplier_id: int, amount: Number,
                             date: dt.date | None = None,
                             reason: str = "opening balance") -> Decimal:
    """What we owed the supplier before (negative: what we had paid in advance)."""
    return _post(op, Side.SUPPLIER, int(supplier_id), amount, date, reason)
