"""The state of the order being entered and what the screen is shown of it.

``EntryState`` holds what order entry knows between two of the user's actions: the kind of
order, the order (None until its first line), its lines, the selected line, the customer or
supplier chosen, a quote's validity and the status line; ``view()`` turns it into the
``EntryView`` the screen draws, with the texts of its header, totals and status line.

What each of the user's actions does to it is ``entry.OrderEntry``, a subclass; kept apart so
that the actions read without the wording of the screen.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ...i18n import _
from ..core.actor import Actor
from ..core.errors import PermissionDenied
from ..core.formats import fmt_amount, fmt_date
from ..core.permissions import require_any
from ..core.text import visible
from ..core.vocab import OrderKind, OrderStatus, shown_word
from ..money import entry_money
from .entry_rules import KIND_RULES, EntryView, Finished, KindRules, Level
from .reading import Party
from .rows import OrderHeader, OrderLineRow
from .rules import fmt_rate, order_kind, stock_permission, title


class EntryState:
    """One operator's order entry between two actions (see the module docstring)."""

    def __init__(self, actor: Actor, kind: OrderKind | str = OrderKind.SALE) -> None:
        self.actor = actor
        self.home_kind = order_kind(kind)
        self._bell = False
        self._notes: list[str] = []
        self._finished: Finished | None = None
        self._approval = ""  # the credit limit blocked F10: why (the screen asks a supervisor)
        self._reset(self.home_kind)

    def _reset(self, kind: OrderKind) -> None:
        self.kind = kind
        self.order: OrderHeader | None = None
        self.lines: list[OrderLineRow] = []
        self.selected_id: int | None = None
        self.changed_id: int | None = None
        self.customer: Party | None = None
        self.supplier: Party | None = None
        self.valid_until: dt.date | None = None
        self.source: OrderHeader | None = None  # a return not yet made: what it returns
        self.unknown_code: str | None = None
        self.unknown_scan: str | None = None
        self._set_status(self._new_text())

    @property
    def rules(self) -> KindRules:
        return KIND_RULES[self.kind]

    # -- what the screen shows ----------------------------------------------------------------

    def view(self) -> EntryView:
        return EntryView(
            kind=self.kind, order=self.order, lines=tuple(self.lines),
            selected_id=self.selected_id, changed_id=self.changed_id, header=self._header(),
            totals=self._totals(), credit=self._credit_text(), status=self.status, level=self.level,
            customer_id=self.customer.id if self.customer else None,
            valid_until=self.valid_until, unknown_code=self.unknown_code,
            unknown_scan=self.unknown_scan, bell=self._bell,
            notes=tuple(self._notes), finished=self._finished, approval=self._approval,
            refusal=self._complete_refusal(),
        )

    def _complete_refusal(self) -> str:
        """Why F10 cannot complete the order shown ("" if it can), so the screen says so
        before asking how it was paid. A draft needs no look: its maker may sell it."""
        order = self.order
        if order is None or order.is_draft:
            return ""
        if order.status != OrderStatus.CONFIRMED:
            return _("{number} is {status}").format(number=order.number,
                                                    status=shown_word(order.status_word))
        try:
            require_any(self.actor, ("order.sell", "order.deliver"))
            needed = stock_permission(order.kind, order.status)
            if needed is not None:
                require_any(self.actor, (needed,))
        except PermissionDenied as e:
            return str(e)
        return ""

    def _header(self) -> str:
        name = title(self.kind)
        if self.order is not None:
            doc = f"{name} {self.order.number} [{shown_word(self.order.status_word)}]"
        elif self.source is not None:
            doc = _("{title} (new) of {number}").format(title=name, number=self.source.number)
        else:
            doc = _("{title} (new)").format(title=name)
        if self.kind == OrderKind.QUOTE and self.valid_until:
            doc += " " + _("valid until {date}").format(date=fmt_date(self.valid_until))
        return visible(f"{doc}  {self._party_text()}")  # a name never sends a raw control

    def _party_text(self) -> str:
        if self.kind.is_purchase:
            if self.supplier is None:
                return _("Supplier: (F2 to choose)")
            return (_("Supplier: {party}").format(party=self.supplier.label)
                    + entry_money.supplier_text(self.actor, self.supplier.id))
        if self.customer is None:
            return _("Customer: walk-in")
        return _("Customer: {party}").format(party=self.customer.label)

    def _credit_text(self) -> str:
        """On a sale to a customer: balance, overdue, limit (apart from the header, whose
        one line the customer's name may fill)."""
        if self.customer is None or self.kind != OrderKind.SALE:
            return ""
        total = self.order.total if self.order is not None else 0
        return entry_money.credit_text(self.actor, self.customer.id, total).strip()

    def _totals(self) -> str:
        order = self.order
        if order is None:
            return _("Lines {n}   TOTAL {total}").format(n=0, total=fmt_amount(Decimal(0)))
        text = _("Lines {n}   Subtotal {subtotal}").format(n=len(self.lines),
                                                         subtotal=fmt_amount(order.subtotal))
        if order.discount:
            rate = f" ({fmt_rate(order.discount_rate)})" if order.discount_rate else ""
            text += "   " + _("Discount {discount}").format(discount=fmt_amount(order.discount))
            text += rate
        return text + "   " + _("TOTAL {total}").format(total=fmt_amount(order.total))

    def _new_text(self) -> str:
        what = title(self.kind).lower()
        if self.source is not None:
            return _("New {what} of {number}: scan what comes back").format(
                what=what, number=self.source.number)
        if self.kind.is_purchase:
            return _("New {what}: supplier (F2 first); scan to add").format(what=what)
        if self.rules.walk_in:
            return _("New {what}: customer (F2) or walk-in; scan to add").format(what=what)
        return _("New {what}: customer (F2 first); scan to add").format(what=what)

    def _set_status(self, text: str, level: Level = Level.INFO) -> None:
        self.status, self.level = text, level

    def _fail(self, text: str, level: Level = Level.ERROR) -> None:
        self._bell = True
        self._set_status(text, level)


__all__ = ["EntryState"]
