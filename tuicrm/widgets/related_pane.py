"""RelatedPane: below the customer list, the selected customer's contacts, orders, balance,
activities, reminders and open service tickets (C2).

``show_customer(id)`` reads them once the cursor rests (holding an arrow key must not read the
related records at every row), in a thread worker (``parties.related.customer_related``: a
fixed number of queries), and repaints only the lines whose text changed (Line API): a pane
repainted on every cursor move cost 4.2 KB per move at 80x24 over SSH, and two customers
often share lines ("Orders 0", "Balance 0.00"). A newer customer makes an older answer stale;
it is dropped. Hidden (``-hidden``), the pane reads nothing.

``wait_for_list(id)``: while the search line is typed in, the pane does not follow the first
match at every key (each typed character would repaint it): it says once how to get the
related information (go to the list), and follows the cursor again from ``show_customer``.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.segment import Segment
from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip
from textual.timer import Timer
from textual.widget import Widget

from ..data.core.actor import Actor
from ..data.core.errors import TuicrmError
from ..data.core.formats import fmt_amount
from ..data.core.money import fmt_money
from ..data.core.vocab import shown_word
from ..data.parties.related import ORDER_COUNT_CAP, Related, customer_related
from ..data.service.vocab import STATUS_LABELS
from ..i18n import _
from .background import run_in_thread

REST = 0.12  # seconds the cursor rests on a customer before its records are read


class RelatedPane(Widget):
    DEFAULT_CSS = """
    RelatedPane { height: 7; border-top: solid $primary; padding: 0 1; }
    RelatedPane.-hidden { display: none; }
    """

    def __init__(self, actor: Actor, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.actor = actor
        self.customer_id: int | None = None
        self.waiting = False  # for the list to take the focus (``wait_for_list``)
        self._timer: Timer | None = None
        self._lines: list[Text] = []

    @property
    def hidden(self) -> bool:
        return self.has_class("-hidden")

    @property
    def shown_text(self) -> str:
        """The pane's text as shown (plain)."""
        return "\n".join(line.plain for line in self._lines)

    def show_customer(self, customer_id: Any) -> None:
        """Show ``customer_id``'s records once the cursor has rested on it."""
        self.customer_id = customer_id
        self.waiting = False
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(REST, self.reload)

    def wait_for_list(self, customer_id: Any) -> None:
        """The cursor is on ``customer_id`` but the user types a search: read nothing, say
        how to see the records (repainted once, not at every key)."""
        self.customer_id = customer_id
        self.waiting = True
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._paint(Text(_("Down or Enter: the list, with the related information")))

    def toggle(self) -> None:
        self.toggle_class("-hidden")
        if not self.hidden:
            self.reload()

    def reload(self) -> None:
        """Read the current customer's records again now (after an edit)."""
        self._timer = None
        if self.hidden or self.waiting:
            return
        cid, actor = self.customer_id, self.actor
        if cid is None:
            self._paint(Text(_("No customer selected.")))
            return

        def read() -> Related:
            return customer_related(actor, cid)

        def shown(related: Related) -> None:
            if cid == self.customer_id and not self.waiting:  # else a newer read is coming
                self._paint(related_text(related, self.size.width - 2))

        def failed(error: TuicrmError) -> None:
            if cid == self.customer_id and not self.waiting:
                self._paint(Text(str(error)))

        run_in_thread(self, read, shown, failed, name="customer-related", exclusive=True)

    def _paint(self, text: Text) -> None:
        """Show ``text``, repainting only the lines that differ from what is shown."""
        old, new = self._lines, list(text.split("\n"))
        self._lines = new
        for y in range(max(len(old), len(new))):
            if (old[y] if y < len(old) else None) != (new[y] if y < len(new) else None):
                self.refresh(Region(0, y, self.size.width, 1))

    def render_line(self, y: int) -> Strip:
        width, base = self.size.width, self.rich_style
        if y >= len(self._lines):
            return Strip.blank(width, base)
        line = self._lines[y]
        segments = Segment.apply_style(line.render(self.app.console, end=""), base)
        return Strip(list(segments)).adjust_cell_length(width, base)


TICKET_STATES = {str(state): label for state, label in STATUS_LABELS.items()}


def related_text(r: Related, width: int = 78) -> Text:
    """The related-information pane of one customer, as plain text lines."""
    lines: list[Text] = []

    def line(label: str, body: str) -> None:
        t = Text(label + " " * max(1, 11 - cell_len(label)), style="bold")
        t.append(" ".join(body.split()))
        t.truncate(max(width, 20), overflow="ellipsis")
        lines.append(t)

    contacts = "; ".join(
        " ".join(x for x in (("*" if c.is_key else "") + c.name, c.title, c.mobile or c.phone)
                 if x) for c in r.contacts)
    line(_("Contacts {n}").format(n=r.contact_count), contacts or _("none"))
    if r.order_count:
        more = "+" if r.order_count >= ORDER_COUNT_CAP else ""
        last = ", ".join(f"{o.number} {o.date:%Y-%m-%d} {fmt_money(o.total)} "
                         f"{shown_word(o.status)}" for o in r.orders[:2])
        line(_("Orders {n}").format(n=f"{r.order_count}{more}"), last)
    else:
        line(_("Orders {n}").format(n=0), _("none yet"))
    if r.balance is None:
        line(_("Balance"), _("not shown (needs the permission to see balances)"))
    else:
        extra = [_("overdue {amount}").format(amount=fmt_amount(r.overdue)) if r.overdue else "",
                 _("on account {amount}").format(amount=fmt_amount(r.on_account))
                 if r.on_account else ""]
        more = ", ".join(x for x in extra if x)
        line(_("Balance"), fmt_amount(r.balance) + (f" ({more})" if more else ""))
    acts = "; ".join(f"{a.at:%m-%d} {a.kind} {a.subject}".strip() for a in r.activities[:2])
    line(_("Activity {n}").format(n=r.activity_count), acts or _("none"))
    rem = "; ".join(f"{x.due_at:%m-%d} {x.title}" for x in r.reminders[:2])
    line(_("Reminders"), rem or _("none open"))
    if r.ticket_count is not None:
        open_tickets = "; ".join(f"{t.number} {_(TICKET_STATES.get(t.status, t.status))} {t.subject}"
                                 for t in r.tickets[:2])
        line(_("Tickets {n}").format(n=r.ticket_count), open_tickets or _("none open"))
    return Text("\n").join(lines)


__all__ = ["RelatedPane", "related_text"]
