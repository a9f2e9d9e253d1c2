"""What order entry asks of money, without a screen: the customer's balance and credit line
for the header (after every scan: three indexed look-ups), and F10's payment with a
supervisor's approval when the credit limit blocks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ...i18n import _
from ..core.actor import Actor
from ..core.formats import fmt_amount
from ..core.money import to_cents
from ..core.permissions import allowed
from ..staff.users import authenticate
from .balances import supplier_balance
from .counter import PaidSale, Tender, pay_sale
from .credit import CreditLimitExceeded, credit_position


def credit_text(actor: Actor, customer_id: int, draft_total: Decimal | int) -> str:
    """``  Bal 1,200.00  Limit 5,000.00`` (and OVER LIMIT) for the header; "" for a user
    who may not see balances."""
    if not allowed(actor, "money.view"):
        return ""
    position = credit_position(actor, customer_id, draft_total)
    return "  " + position.text()


def supplier_text(actor: Actor, supplier_id: int) -> str:
    """``  We owe 3,000.00  overdue 200.00`` for the Purchase header (money.view)."""
    if not allowed(actor, "money.view"):
        return ""
    owed = supplier_balance(actor, supplier_id)
    text = "  " + _("We owe {amount}").format(amount=fmt_amount(owed.balance))
    if owed.overdue:
        text += "  " + _("overdue {amount}").format(amount=fmt_amount(owed.overdue))
    return text


@dataclass(frozen=True)
class PayOutcome:
    paid: PaidSale | None
    approval: str = ""  # not paid: the credit limit blocks, a supervisor must approve


def pay(actor: Actor, order_id: int, tenders: Sequence[Tender],
        supervisor: tuple[str, str] | None = None) -> PayOutcome:
    approved = None
    if supervisor is not None:
        approved = authenticate(supervisor[0], supervisor[1], "credit limit override")
    try:
        return PayOutcome(pay_sale(actor, order_id, list(tenders), approved_by=approved))
    except CreditLimitExceeded as e:
        return PayOutcome(None, str(e))


def paid_message(paid: PaidSale) -> str:
    """The change first: it is what the cashier hands over next."""
    order = paid.sale.order
    text = _("Sale {number} completed, total {total}").format(number=order.number,
                                                              total=fmt_amount(order.total))
    if to_cents(paid.on_account):
        text += _(", {amount} on account").format(amount=fmt_amount(paid.on_account))
    if paid.change:
        text = _("CHANGE {amount}. {sale}").format(amount=fmt_amount(paid.change), sale=text)
    return text
