"""What order entry shows and what its keys do for each kind of order, as plain data.

``KIND_RULES`` is the one place that says, per kind, what F2 chooses and what F8 (quote), F9
(confirm) and F10 (complete) do; the controller (``entry.OrderEntry``) acts on it and the screen
labels its keys from it. ``EntryView`` is everything the screen draws, a frozen snapshot the
controller hands out after every action.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from ...i18n import N_, _
from ..core.vocab import OrderKind
from .reading import OrderDocument
from .rows import OrderHeader, OrderLineRow

QUOTE_DAYS = 30  # a new quote is valid this many days unless the user says otherwise


@dataclass(frozen=True)
class KindRules:
    party: str  # what F2 chooses: "Customer" or "Supplier"
    party_fixed: bool  # returns: the party of the order the goods come from
    walk_in: bool  # a sale may go without a customer
    quote: bool  # F8 makes the draft a quote (or gives a quote a new validity date)
    confirm: str | None  # F9 confirms; what is left to do then ("deliver it"), None: no F9
    complete: str  # what F10 does, for the footer
    completed: str  # what the status says after F10


KIND_RULES: dict[OrderKind, KindRules] = {
    OrderKind.SALE: KindRules(N_("Customer"), False, True, True, N_("deliver it"),
                              N_("Complete"), N_("completed")),
    OrderKind.QUOTE: KindRules(N_("Customer"), False, False, True, None, N_("Make order"),
                               N_("turned into a sales order")),
    OrderKind.PURCHASE: KindRules(N_("Supplier"), False, False, False, N_("receive it"),
                                  N_("Receive"), N_("received: stock in")),
    OrderKind.SALE_RETURN: KindRules(N_("Customer"), True, False, False, None,
                                     N_("Book return"), N_("booked: stock back in")),
    OrderKind.PURCHASE_RETURN: KindRules(N_("Supplier"), True, False, False, None,
                                         N_("Book return"),
                                         N_("booked: stock out to the supplier")),
}


class Level(StrEnum):
    """How the status line looks."""

    INFO = ""
    WARN = "warn"
    ERROR = "error"


class LineField(StrEnum):
    """The fields of the selected line a user edits."""

    QUANTITY = "qty"
    PRICE = "price"
    DISCOUNT = "disc"


@dataclass(frozen=True)
class Finished:
    """An order the last action finished; the screen shows ``message`` (and, for a completed
    sale, offers the receipt of ``document``)."""

    order: OrderHeader
    message: str
    warnings: tuple[str, ...] = ()
    document: OrderDocument | None = None  # a completed sale: its receipt
    receipt_width: int = 42


@dataclass(frozen=True)
class EntryView:
    """What order entry shows after an action: the order, its lines, the status line, and what
    the action asks of the screen (a bell, notes to show, a finished order)."""

    kind: OrderKind
    order: OrderHeader | None
    lines: tuple[OrderLineRow, ...]
    selected_id: int | None  # the line the cursor is on
    changed_id: int | None  # the line the last scan changed (marked)
    header: str
    totals: str
    credit: str  # the customer's balance and limit (money.view), at the left of the totals
    status: str
    level: Level
    customer_id: int | None
    valid_until: dt.date | None
    unknown_code: str | None  # the last unknown code scanned (F6 creates a product with it)
    unknown_scan: str | None  # that scan as read (``3*code``), added once the product exists
    bell: bool = False
    notes: tuple[str, ...] = ()
    finished: Finished | None = None
    approval: str = ""  # F10 over a blocking credit limit: why a supervisor must approve
    refusal: str = ""  # why F10 cannot complete this order (asked before the payment dialog)

    @property
    def rules(self) -> KindRules:
        return KIND_RULES[self.kind]

    @property
    def editable(self) -> bool:
        return self.order is None or self.order.is_draft

    @property
    def has_lines(self) -> bool:
        return bool(self.lines)

    def line(self, line_id: int | None) -> OrderLineRow | None:
        return next((ln for ln in self.lines if ln.id == line_id), None)

    @property
    def selected(self) -> OrderLineRow | None:
        return self.line(self.selected_id)

    def quote_refusal(self) -> str | None:
        """Why F8 cannot make a quote here (None: it can)."""
        if not self.rules.quote:
            return _("only a sale can become a quote")
        if self.customer_id is None:
            return _("a quote is made out to a customer: F2 first")
        return None

    def default_valid_until(self, today: dt.date) -> dt.date:
        return self.valid_until or today + dt.timedelta(days=QUOTE_DAYS)
