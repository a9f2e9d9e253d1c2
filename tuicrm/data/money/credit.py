"""Credit limits (SPEC M3): a customer's exposure and what happens when a sale goes over.

Exposure = the balance (sum of the customer's ledger) + confirmed sales not yet delivered
(so not yet invoiced) + what is being sold now on account. The setting ``credit.limit_action``
says whether going over the limit only warns, blocks (until a supervisor, a user with
``money.credit_override``, approves with their password), or is not checked. A customer whose
limit is 0 is not allowed credit: any sale on account is "over the limit".

The figures are three indexed look-ups, so order entry can show them after every scan.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from peewee import fn

from ...i18n import _
from ..core import clock, settings
from ..core.actor import Actor
from ..core.errors import PermissionDenied, ValidationError
from ..core.formats import fmt_amount
from ..core.money import Number, fmt_money, from_cents, to_cents
from ..core.operation import Op, reader
from ..core.permissions import allowed
from ..core.vocab import OrderKind, OrderStatus, Side
from ..models.money import LedgerEntry
from ..models.orders import Order
from ..models.parties import Customer
from ..parties.scope import CUSTOMERS
from . import ledger


class CreditLimitExceeded(ValidationError):
    """A sale on account would take the customer over their limit and the setting blocks it:
    a supervisor's approval lets it through."""


@dataclass(frozen=True)
class Exposure:
    customer_id: int
    balance: Decimal  # what the customer owes now
    overdue: Decimal  # of which past its due date
    pending: Decimal  # confirmed sales not yet delivered
    adding: Decimal  # this sale's part on account (or the draft being entered)
    limit: Decimal
    action: str  # warn | block | off

    @property
    def total(self) -> Decimal:
        return self.balance + self.pending + self.adding

    @property
    def over(self) -> bool:
        """Over the limit (a customer with a limit of 0 gets no credit at all)."""
        if self.action == "off" or self.adding <= 0 and self.limit <= 0:
            return False
        return self.total > self.limit

    @property
    def available(self) -> Decimal:
        return self.limit - self.total

    def text(self) -> str:
        """``Bal 1,200.00  Due 300.00  Limit 5,000.00`` for a header line."""
        out = _("Bal {amount}").format(amount=fmt_amount(self.balance))
        if self.overdue > 0:
            out += "  " + _("Overdue {amount}").format(amount=fmt_amount(self.overdue))
        if self.limit > 0:
            out += "  " + _("Limit {amount}").format(amount=fmt_amount(self.limit))
            if self.over:
                out += "  " + _("OVER LIMIT")
        return out


def pending_cents(customer_id: int) -> int:
    """Confirmed sales not yet delivered (raw cents: a bare SUM is not converted)."""
    total = (Order.select(fn.COALESCE(fn.SUM(Order.total), 0))
             .where((Order.customer == customer_id) & (Order.kind == OrderKind.SALE)
                    & (Order.status == OrderStatus.CONFIRMED)).scalar())
    return int(total or 0)


def overdue_cents(customer_id: int, today: dt.date) -> int:
    total = (LedgerEntry.select(fn.COALESCE(fn.SUM(LedgerEntry.open), 0))
             .where((LedgerEntry.customer == customer_id) & (LedgerEntry.amount > 0)
                    & (LedgerEntry.open > 0) & (LedgerEntry.due_date < today)).scalar())
    return int(total or 0)


def exposure_of(customer_id: int, adding_cents: int = 0) -> Exposure:
    """The customer's exposure with ``adding_cents`` more on account (no permission check:
    for code already inside an operation)."""
    row = (Customer.select(Customer.credit_limit).where(Customer.id == customer_id)
           .tuples().first())  # tuples: the MoneyField's Decimal, not raw cents
    limit = row[0] if row is not None else None
    return Exposure(
        customer_id=customer_id,
        balance=from_cents(ledger.balance_cents(Side.CUSTOMER, customer_id)),
        overdue=from_cents(overdue_cents(customer_id, clock.today())),
        pending=from_cents(pending_cents(customer_id)),
        adding=from_cents(adding_cents),
        limit=limit if limit is not None else Decimal(0),
        action=settings.value(settings.CREDIT_LIMIT_ACTION),
    )


@reader("money.view", scoped={"customer_id": CUSTOMERS})
def credit_position(op: Op, customer_id: int, adding: Number = 0) -> Exposure:
    """What order entry shows as lines are scanned: balance, overdue, limit, over or not."""
    return exposure_of(int(customer_id), to_cents(adding))


def enforce(op: Op, customer_id: int, adding_cents: int,
            approved_by: Actor | None = None) -> Exposure:
    """Apply the credit rule to a sale putting ``adding_cents`` on the customer's account:
    returns the exposure (the caller warns when ``over``); raises ``CreditLimitExceeded`` when
    the setting blocks and no supervisor approved; records an approval in the audit trail."""
    exposure = exposure_of(customer_id, adding_cents)
    if not exposure.over:
        return exposure
    if exposure.action == "block" and approved_by is None:
        what = ("is not allowed credit" if exposure.limit <= 0 else
                f"would owe {fmt_money(exposure.total)}, over the limit of "
                f"{fmt_money(exposure.limit)}")
        raise CreditLimitExceeded(f"the customer {what}: a supervisor must approve")
    if approved_by is not None:
        if not allowed(approved_by, "money.credit_override"):
            raise PermissionDenied(_("{username} may not approve sales over a credit limit").format(
                                     username=approved_by.username))
        op.audit("customer", customer_id, "credit_override",
                 {"approved_by": approved_by.username, "exposure": exposure.total,
                  "limit": exposure.limit, "on_account": exposure.adding})
    return exposure
