"""The counter's F10: the sale and how it was paid, in ONE transaction (SPEC M1).

Paid with cash (the change given is recorded), card, mobile pay, split across methods, or
partly / wholly on account for a customer allowed credit. Each tender is a receipt document
allocated to the sale's invoice; what is not paid stays owed on the invoice. A walk-in sale
(no customer, so no account) must be paid in full; its receipts are documents only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from ...i18n import _
from ..core.actor import Actor
from ..core.errors import ValidationError
from ..core.money import Number, fmt_money, from_cents, money, to_cents
from ..core.operation import Op, operation
from ..core.vocab import DocKind, PayMethod
from ..sales.lifecycle import complete_sale
from ..sales.rows import Ref, StockResult, id_of
from ..sales.scope import ORDERS
from . import credit, documents
from .orders import order_entry_id


@dataclass(frozen=True)
class Tender:
    """Money handed over for a sale: ``amount`` in ``method`` (cash may exceed what is due:
    the rest is change)."""

    method: PayMethod | str
    amount: Number


@dataclass(frozen=True)
class PaidSale:
    sale: StockResult
    receipts: tuple[str, ...]  # the receipt numbers
    paid: Decimal
    change: Decimal
    on_account: Decimal
    warnings: tuple[str, ...] = field(default=())


def plan(total_cents: int, tenders: Sequence[Tender]) -> tuple[list[tuple[PayMethod, int, int | None]], int, int]:
    """Who pays what: [(method, cents applied, cents tendered or None)], change, unpaid.

    Overpayment is change, taken from the cash tenders; more than is due by card or mobile
    pay is refused (nobody gives change from a card).
    """
    parts: list[tuple[PayMethod, int, int | None]] = []
    for tender in tenders:
        method = documents.pay_method(tender.method)
        try:
            cents = to_cents(money(tender.amount))
        except ValueError as e:
            raise ValidationError({"amount": str(e)}) from None
        if cents < 0:
            raise ValidationError({"amount": _("an amount paid is not negative")})
        if cents:
            parts.append((method, cents, None))
    paid = sum(c for _, c, _ in parts)
    change = max(0, paid - total_cents)
    cash = sum(c for m, c, _ in parts if m == PayMethod.CASH)
    if change > cash:
        raise ValidationError({"amount": _("{value} more than the total: only cash gives change").format(
                                           value=fmt_money(from_cents(paid - total_cents)))})
    applied: list[tuple[PayMethod, int, int | None]] = []
    left = change
    for method, cents, _note in parts:
        if method == PayMethod.CASH and left:
            take = min(left, cents)
            left -= take
            if cents - take:
                applied.append((method, cents - take, cents))
            continue
        applied.append((method, cents, None))
    return applied, change, max(0, total_cents - paid)


@operation("order.sell", scoped={"order_id": ORDERS})
def pay_sale(op: Op, order_id: Ref, tenders: Sequence[Tender], *,
             approved_by: Actor | None = None) -> PaidSale:
    """Complete the sale (stock out, invoice) and record how it was paid. The unpaid rest
    goes on the customer's account under the credit rule (``credit.enforce``)."""
    result = complete_sale(op.actor, id_of(order_id))
    order = result.order
    parts, change, unpaid = plan(to_cents(order.total), tenders)
    warnings = list(result.warnings)
    if unpaid:
        if order.customer_id is None:
            raise ValidationError({"amount": _("a walk-in sale is paid in full: {value} still "
                                               "due").format(value=fmt_money(from_cents(unpaid)))})
        exposure = credit.enforce(op, order.customer_id, unpaid, approved_by)
        if exposure.over:
            warnings.append(f"over the credit limit: owes {fmt_money(exposure.total)}, limit "
                            f"{fmt_money(exposure.limit)}")
    if parts:
        op.require("money.receive")
    invoice = order_entry_id(order.id)
    numbers = []
    for method, cents, tendered in parts:
        amount = from_cents(cents)
        if order.customer_id is not None and invoice is not None:
            done = documents.record(
                op, DocKind.RECEIPT, order.customer_id, amount, method, order_id=order.id,
                apply=[documents.Apply(invoice, amount)], tendered=tendered)
            numbers.append(done.number)
        else:
            _doc, number, _day = documents.new_doc(
                op, DocKind.RECEIPT, cents, method, account=None, date=None,
                order_id=order.id, tendered=tendered)
            op.audit("money_doc", _doc, "create", {"number": number, "kind": DocKind.RECEIPT,
                                                   "amount": amount, "order": order.number})
            numbers.append(number)
    return PaidSale(result, tuple(numbers), from_cents(sum(c for _, c, _ in parts)),
                    from_cents(change), from_cents(unpaid), tuple(warnings))
