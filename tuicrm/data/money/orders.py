"""Orders on the party ledger: a delivered sale becomes an invoice, a received purchase a
supplier bill, a booked return a credit note (SPEC M1-M2).

Called by the sales lifecycle inside the operation that delivers, receives or books, so the
stock and the money move in one transaction or not at all. The due date comes from the
customer's or supplier's payment terms. A walk-in sale (no customer) has no account: its money
is only a receipt document. A credit note settles the invoice it comes from first, then the
oldest; the rest stays on the customer's account (to refund or to set against later sales).
"""

from __future__ import annotations

import datetime as dt

from ..core import clock
from ..core.money import to_cents
from ..core.operation import Op
from ..core.vocab import EntryKind, OrderKind, Side
from ..models.money import LedgerEntry
from ..models.parties import Customer, Supplier
from ..sales.rows import OrderHeader
from . import ledger

# order kind -> (side, entry kind, sign)
ORDER_ENTRIES: dict[OrderKind, tuple[Side, EntryKind, int]] = {
    OrderKind.SALE: (Side.CUSTOMER, EntryKind.INVOICE, 1),
    OrderKind.SALE_RETURN: (Side.CUSTOMER, EntryKind.CREDIT_NOTE, -1),
    OrderKind.PURCHASE: (Side.SUPPLIER, EntryKind.BILL, 1),
    OrderKind.PURCHASE_RETURN: (Side.SUPPLIER, EntryKind.SUPPLIER_CREDIT, -1),
}


def terms_days(side: Side, party_id: int) -> int:
    model = Customer if side == Side.CUSTOMER else Supplier
    days = model.select(model.payment_terms_days).where(model.id == party_id).scalar()
    return max(0, int(days or 0))


def due_date(side: Side, party_id: int, day: dt.date) -> dt.date:
    return day + dt.timedelta(days=terms_days(side, party_id))


def post_order(op: Op, order: OrderHeader, day: dt.date | None = None) -> ledger.Entry | None:
    """The invoice, bill or credit note of a delivered / received / booked order (None: no
    party or nothing to pay)."""
    rule = ORDER_ENTRIES.get(order.kind)
    if rule is None:
        return None
    side, kind, sign = rule
    party_id = order.customer_id if side == Side.CUSTOMER else order.supplier_id
    cents = to_cents(order.total)
    if party_id is None or cents == 0:
        return None
    when = day or clock.today()
    due = due_date(side, party_id, when) if sign > 0 else None
    entry = ledger.post(op, side, party_id, kind, order.number, when, sign * cents,
                        due_date=due, order_id=order.id)
    if sign < 0:
        source = order_entry_id(order.source_id) if order.source_id else None
        ledger.settle_fifo(op, entry, prefer=[source] if source else [])
    return entry


def order_entry_id(order_id: int | None) -> int | None:
    """The invoice or bill entry of an order (None if it has none)."""
    if order_id is None:
        return None
    row = (LedgerEntry.select(LedgerEntry.id)
           .where((LedgerEntry.order == order_id) & (LedgerEntry.doc.is_null())
                  & LedgerEntry.kind.in_([EntryKind.INVOICE, EntryKind.BILL]))
           .scalar())
    return int(row) if row is not None else None
