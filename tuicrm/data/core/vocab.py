"""The words the data speaks: roles, order kinds and states, stock movement reasons, reminder
and count states.

``StrEnum`` members are the strings stored in the database (``OrderKind.SALE == "sale"``), so
rows written before these types existed read back unchanged and SQL compares them as text.
A misspelt kind is a name error at import time instead of a row nobody finds.
"""

from __future__ import annotations

from enum import StrEnum

from ...i18n import N_, _


class Role(StrEnum):
    ADMIN = "admin"
    MANAGER = "manager"
    SALES = "sales"
    WAREHOUSE = "warehouse"


class OrderKind(StrEnum):
    QUOTE = "quote"
    SALE = "sale"
    SALE_RETURN = "sale_return"
    PURCHASE = "purchase"
    PURCHASE_RETURN = "purchase_return"

    @property
    def is_sales(self) -> bool:
        """A document made out to a customer (quotes, sales and their returns)."""
        return self in _SALES_KINDS

    @property
    def is_purchase(self) -> bool:
        return not self.is_sales

    @property
    def is_return(self) -> bool:
        return self in (OrderKind.SALE_RETURN, OrderKind.PURCHASE_RETURN)

    @property
    def stock_sign(self) -> int:
        """+1 when delivering the document brings stock in, -1 when it takes stock out, 0 for
        a quote (which never moves stock)."""
        return _STOCK_SIGN[self]


_SALES_KINDS = frozenset({OrderKind.QUOTE, OrderKind.SALE, OrderKind.SALE_RETURN})
_STOCK_SIGN = {
    OrderKind.QUOTE: 0,
    OrderKind.SALE: -1,
    OrderKind.SALE_RETURN: 1,
    OrderKind.PURCHASE: 1,
    OrderKind.PURCHASE_RETURN: -1,
}


class OrderStatus(StrEnum):
    DRAFT = "draft"
    CONFIRMED = "confirmed"
    DELIVERED = "delivered"  # purchases: received; returns: booked
    CONVERTED = "converted"  # a quote that became a sales order
    CANCELLED = "cancelled"


OPEN_ORDER_STATUSES = (OrderStatus.DRAFT, OrderStatus.CONFIRMED)

#: The word shown for a delivered document of each kind: goods are received from a supplier,
#: a return is booked; stored as ``delivered`` for every kind.
DELIVERED_WORDS: dict[OrderKind, str] = {
    OrderKind.PURCHASE: "received",
    OrderKind.SALE_RETURN: "booked",
    OrderKind.PURCHASE_RETURN: "booked",
}


def status_word(kind: str, status: str) -> str:
    """``received`` for a delivered purchase, ``booked`` for a delivered return, else the
    status itself (what users read; the stored value stays ``delivered``)."""
    if status == OrderStatus.DELIVERED:
        return DELIVERED_WORDS.get(OrderKind(kind), str(status))
    return str(status)


class MovementReason(StrEnum):
    """Why stock moved (P3). The order kinds double as reasons for their deliveries."""

    OPENING = "opening"
    SALE = "sale"
    SALE_RETURN = "sale_return"
    PURCHASE = "purchase"
    PURCHASE_RETURN = "purchase_return"
    ADJUST = "adjust"
    COUNT = "count"


class ReminderStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class CountStatus(StrEnum):
    OPEN = "open"
    POSTED = "posted"
    CANCELLED = "cancelled"


class ImportStatus(StrEnum):
    """Where an import applied in batches is (``transfer/runs.py``). An ``applying`` run
    whose process is gone is *interrupted*: it is resumed or undone by a command."""

    APPLYING = "applying"
    DONE = "done"
    UNDOING = "undoing"
    UNDONE = "undone"


class CountMode(StrEnum):
    BLIND = "blind"  # counters do not see the book quantity
    GUIDED = "guided"


class Side(StrEnum):
    """Whose account a ledger entry is on."""

    CUSTOMER = "customer"
    SUPPLIER = "supplier"


class EntryKind(StrEnum):
    """What a party-ledger entry records. Customer side: invoice, credit_note, receipt, refund;
    supplier side: bill, supplier_credit, payment, supplier_refund; both: opening, write_off,
    adjustment."""

    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"
    RECEIPT = "receipt"
    REFUND = "refund"
    BILL = "bill"
    SUPPLIER_CREDIT = "supplier_credit"
    PAYMENT = "payment"
    SUPPLIER_REFUND = "supplier_refund"
    OPENING = "opening"
    WRITE_OFF = "write_off"
    ADJUSTMENT = "adjustment"


class DocKind(StrEnum):
    """Money documents: money that came in or went out."""

    RECEIPT = "receipt"  # from a customer
    PAYMENT = "payment"  # to a supplier
    REFUND = "refund"  # back to a customer
    SUPPLIER_REFUND = "supplier_refund"  # back from a supplier
    EXPENSE = "expense"
    INCOME = "income"  # other income

    @property
    def money_in(self) -> bool:
        return self in (DocKind.RECEIPT, DocKind.SUPPLIER_REFUND, DocKind.INCOME)


class PayMethod(StrEnum):
    CASH = "cash"
    BANK = "bank"  # bank transfer
    CARD = "card"
    WECHAT = "wechat"
    ALIPAY = "alipay"
    OTHER = "other"

    @property
    def default_account(self) -> str:
        """The code of the account this method's money goes to unless the user says."""
        return {PayMethod.CASH: "CASH", PayMethod.WECHAT: "MOBILE",
                PayMethod.ALIPAY: "MOBILE"}.get(self, "BANK")


#: Stored words as users read them, in their language (``shown_word``): order kinds and
#: states, reminder and count states. Stored values and exports keep the English word.
SHOWN_WORDS: dict[str, str] = {
    OrderKind.QUOTE: N_("quote"),
    OrderKind.SALE: N_("sale"),
    OrderKind.SALE_RETURN: N_("sales return"),
    OrderKind.PURCHASE: N_("purchase"),
    OrderKind.PURCHASE_RETURN: N_("purchase return"),
    OrderStatus.DRAFT: N_("draft"),
    OrderStatus.CONFIRMED: N_("confirmed"),
    OrderStatus.DELIVERED: N_("delivered"),
    OrderStatus.CONVERTED: N_("converted"),
    OrderStatus.CANCELLED: N_("cancelled"),
    "received": N_("received"),
    "booked": N_("booked"),
    ReminderStatus.OPEN: N_("open"),
    ReminderStatus.DONE: N_("done"),
    CountStatus.POSTED: N_("posted"),
    CountMode.BLIND: N_("blind"),
    CountMode.GUIDED: N_("guided"),
}


def shown_word(value: object) -> str:
    """A stored word (``"sale_return"``) as the user reads it: ``"sales return"``, or
    ``"销售退货"`` in Chinese."""
    text = str(value or "")
    return _(SHOWN_WORDS.get(text, text)) if text else ""
