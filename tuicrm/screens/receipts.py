"""Receipts from customers (and, as ``PaymentsScreen``, payments to suppliers) - SPEC M1.

Pick the customer (F2, or scan / type their code and Enter); their open invoices are listed
oldest first and the amount typed is spread over them first-in-first-out as it is typed.
Enter on a row sets that invoice's own amount (the rest still goes oldest first); Ctrl+S (F10)
records the receipt exactly as shown, the rest on account. W writes off a small difference
left on the selected invoice (Ctrl+W), Ctrl+U undoes one of its allocations, Ctrl+A puts money on account
on the open invoices. Every read and write runs on the screen's write queue, in order.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from decimal import Decimal
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.css.query import NoMatches
from textual.widgets import DataTable, Input, Label, Select, Static

from ..data.core.errors import TuicrmError
from ..data.core.money import fmt_money
from ..data.core.vocab import PayMethod, Side
from ..data.money.lists import METHOD_TITLES
from ..data.money.receiving import ReceiptEntry, ReceiptView, refund_amount
from ..data.parties import suppliers
from ..data.parties.search import search_customers
from ..i18n import N_, _
from ..widgets.focus import focus_now
from ..widgets.form import FormDialog, FormField, PlainInput
from ..widgets.scan import ScanInput, Scanned, ScanScreenMixin
from ..widgets.write_queue import WriteQueue
from .base import AppScreen
from .order_dialogs import PickDialog


class ReceiptsScreen(ScanScreenMixin, AppScreen):
    SIDE: ClassVar[Side] = Side.CUSTOMER
    TITLE_TEXT = N_("Receipts")
    HELP = N_(
        "F2 picks the customer (or scan / type their code and Enter). Type the amount: it is "
        "spread over the open invoices oldest first. Enter on an invoice sets its own amount. "
        "Ctrl+S or F10 records the receipt as shown; what is left goes on account. Ctrl+W "
        "writes off a small difference, Ctrl+U undoes an allocation, Ctrl+A allocates "
        "money on account, F8 (Ctrl+G) refunds money on account (a credit note, an "
        "overpayment)."
    )
    DEFAULT_CSS = """
    ReceiptsScreen .bar { height: 1; }
    ReceiptsScreen .bar Label { width: auto; padding: 0 1; }
    ReceiptsScreen .bar Input { border: none; height: 1; padding: 0; }
    ReceiptsScreen #party-code { width: 16; }
    ReceiptsScreen #party { width: 1fr; padding: 0 1; }
    ReceiptsScreen #amount { width: 12; }
    ReceiptsScreen #reference { width: 1fr; }
    ReceiptsScreen Select { width: 18; height: 1; border: none; }
    ReceiptsScreen Select > SelectCurrent { border: none; height: 1; padding: 0; }
    ReceiptsScreen #balance { height: 1; padding: 0 1; text-style: bold; }
    ReceiptsScreen #docs { height: 1fr; }
    ReceiptsScreen #summary { height: 1; padding: 0 1; text-style: bold; text-align: right; }
    ReceiptsScreen #status { height: 1; padding: 0 1; }
    ReceiptsScreen #status.-error { color: $error; text-style: bold; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back", id="receipts.back"),
        Binding("f2", "pick", "Customer", id="receipts.pick"),
        Binding("ctrl+s,f10", "accept", "Record", id="receipts.accept", priority=True),
        Binding("ctrl+w", "write_off", "Write off", id="receipts.write_off", priority=True),
        Binding("ctrl+u", "unallocate", "Unallocate", id="receipts.unallocate",
                priority=True),
        Binding("ctrl+a", "allocate", "Allocate on account", id="receipts.allocate",
                priority=True, show=False),
        Binding("f8,ctrl+g", "refund", "Refund", id="receipts.refund", priority=True,
                show=False),
    ]

    def __init__(self, party_id: int | None = None) -> None:
        super().__init__()
        self._open_party = party_id  # opened from Today's overdue receivables
        self.entry: ReceiptEntry | None = None
        self.view: ReceiptView | None = None
        self.actions_done = 0  # answers that came back (tests wait on it)

    @property
    def party_word(self) -> str:
        return _("Customer") if self.SIDE == Side.CUSTOMER else _("Supplier")

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        with Horizontal(classes="bar"):
            yield Label(self.party_word)
            yield ScanInput(id="party-code", placeholder=_("code, Enter"))
            yield Static("", id="party", markup=False)
        with Horizontal(classes="bar"):
            yield Label(_("Amount"))
            yield PlainInput(id="amount", placeholder="0.00")
            yield Select([(_(t), m) for m, t in METHOD_TITLES.items()], value=PayMethod.CASH
                         if self.SIDE == Side.CUSTOMER else PayMethod.BANK,
                         allow_blank=False, id="method")
            yield Label(_("Ref"))
            yield PlainInput(id="reference", placeholder=_("bank or mobile-pay reference"),
                             max_length=100)
        yield Static("", id="balance", markup=False)
        table: DataTable[Any] = DataTable(id="docs", cursor_type="row", zebra_stripes=False)
        for title, width in ((_("Number"), 16), (_("Date"), 10), (_("Due"), 10),
                             (_("Late"), 5), (_("Unpaid"), 12), (_("Allocate"), 13)):
            table.add_column(title, width=width)
        yield table
        yield Static("", id="summary", markup=False)
        yield Static("", id="status", markup=False)
        yield WriteQueue(id="writer")
        yield from self.compose_footer()

    @property
    def table(self) -> DataTable[Any]:
        return self.query_one("#docs", DataTable)

    @property
    def idle(self) -> bool:
        return self.query_one("#writer", WriteQueue).pending == 0

    def on_mount(self) -> None:
        self.entry = ReceiptEntry(self.user, self.SIDE)
        if self.SIDE == Side.SUPPLIER:
            self.entry.method = PayMethod.BANK
        self._draw(self.entry.view())
        focus_now(self.query_one("#party-code"))
        if self._open_party is not None:
            party = self._open_party
            self.send(lambda e: e.choose(party), self._to_amount)

    # -- the queue -----------------------------------------------------------------------------

    def send(self, action: Callable[[ReceiptEntry], ReceiptView],
             then: Callable[[ReceiptView], object] | None = None) -> None:
        entry = self.entry
        assert entry is not None

        def done(view: ReceiptView) -> None:
            self.actions_done += 1
            self._draw(view)
            if then is not None:
                then(view)

        def failed(error: TuicrmError) -> None:
            self.actions_done += 1
            self.app.bell()
            self._status(str(error), error=True)

        self.query_one("#writer", WriteQueue).submit(lambda: action(entry), done, failed)

    # -- drawing -------------------------------------------------------------------------------

    def _draw(self, view: ReceiptView) -> None:
        with suppress(NoMatches):  # an answer that came back while the screen was closing
            self._draw_view(view)

    def _draw_view(self, view: ReceiptView) -> None:
        self.view = view
        self.query_one("#party", Static).update(Text(view.party or _("(F2 to choose)")))
        self.query_one("#balance", Static).update(
            Text(view.balance.text() if view.balance is not None else ""))
        table = self.table
        row = table.cursor_row
        table.clear()
        for planned in view.docs:
            doc = planned.doc
            mark = "*" if planned.chosen else ""
            table.add_row(Text(doc.number), str(doc.date), str(doc.due_date or ""),
                          str(doc.days_overdue or ""), Text(fmt_money(doc.open),
                                                            justify="right"),
                          Text(fmt_money(planned.allocate) + mark, justify="right"),
                          key=str(doc.entry_id))
        if view.docs:
            table.move_cursor(row=min(row, len(view.docs) - 1))
        self.query_one("#summary", Static).update(Text(view.summary()))
        if view.message:
            self._status(view.message)

    def _status(self, message: str, *, error: bool = False) -> None:
        widget = self.query_one_optional("#status", Static)
        if widget is None:
            return
        widget.update(Text(message))
        widget.set_class(error, "-error")

    def selected_entry(self) -> int | None:
        if self.view is None or not self.view.docs:
            self.app.bell()
            return None
        row = max(0, min(self.table.cursor_row, len(self.view.docs) - 1))
        return self.view.docs[row].doc.entry_id

    # -- the party -----------------------------------------------------------------------------

    def on_scanned(self, event: Scanned) -> None:
        event.stop()
        code = event.code
        self.query_one("#party-code", Input).value = ""
        self.send(lambda e: e.find_party(code), self._to_amount)

    def _to_amount(self, view: ReceiptView) -> None:
        focus_now(self.query_one("#amount"))

    def action_pick(self) -> None:
        actor = self.user
        if self.SIDE == Side.CUSTOMER:
            def search(text: str) -> list[tuple[str, int]]:
                return [(f"{c.code}  {c.name}  {c.phone or c.mobile}", int(c.id))
                        for c in search_customers(actor, text, 20)]
        else:
            def search(text: str) -> list[tuple[str, int]]:
                return [(f"{s.code}  {s.name}  {s.phone}", int(s.id))
                        for s in suppliers.pick_suppliers(actor, text)]

        def chosen(value: int | None) -> None:
            if value is not None:
                self.send(lambda e: e.choose(value),
                          self._to_amount)

        self.app.push_screen(PickDialog(f"{self.party_word}: " + _("code or name"), search),
                             chosen)

    # -- typing --------------------------------------------------------------------------------

    @on(Input.Changed, "#amount")
    def _amount(self, event: Input.Changed) -> None:
        text = event.value
        self.send(lambda e: e.set_amount(text))

    @on(Input.Changed, "#reference")
    def _reference(self, event: Input.Changed) -> None:
        text = event.value
        self.send(lambda e: e.set_reference(text))

    @on(Select.Changed, "#method")
    def _method(self, event: Select.Changed) -> None:
        method = str(event.value)
        self.send(lambda e: e.set_method(method))

    @on(Input.Submitted, "#amount")
    def _amount_done(self, event: Input.Submitted) -> None:
        event.stop()
        focus_now(self.table)

    @on(DataTable.RowSelected)
    def _row_chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        entry_id = self.selected_entry()
        if entry_id is None:
            return
        number = self.view.docs[self.table.cursor_row].doc.number if self.view else ""
        form = FormDialog(_("Allocate to {number} (blank: oldest first)").format(number=number),
                          [FormField("allocate", _("Amount"))], submit_label=_("Set"))

        def done(values: dict[str, str] | None) -> None:
            if values is not None:
                text = values["allocate"]
                self.send(lambda e: e.set_allocation(entry_id, text))

        self.app.push_screen(form, done)

    # -- writing -------------------------------------------------------------------------------

    def action_accept(self) -> None:
        def cleared(view: ReceiptView) -> None:
            if view.amount == 0:
                self.query_one("#amount", Input).value = ""
                self.query_one("#reference", Input).value = ""

        self.send(lambda e: e.accept(), cleared)

    def action_write_off(self) -> None:
        entry_id = self.selected_entry()
        if entry_id is None:
            return
        form = FormDialog(_("Write off the difference"),
                          [FormField("amount", _("Amount")), FormField("reason", _("Reason"))],
                          submit_label=_("Write off"))

        def done(values: dict[str, str] | None) -> None:
            if values is not None:
                amount, reason = values["amount"], values["reason"]
                self.send(lambda e: e.write_off(entry_id, amount, reason))

        self.app.push_screen(form, done)

    def action_unallocate(self) -> None:
        entry_id = self.selected_entry()
        if entry_id is None:
            return
        entry = self.entry
        assert entry is not None

        def listed(rows: list[Any]) -> None:
            if not rows:
                self._status(_("nothing is allocated to this document"), error=True)
                return
            choices = [(f"{r.credit_number} -> {r.debit_number}  {fmt_money(r.amount)}  "
                        f"{r.date}  {r.by}", r.id) for r in rows]
            dialog = PickDialog(_("Undo which allocation?"),
                                lambda text: [c for c in choices if text.lower() in
                                              c[0].lower()])

            def chosen(allocation_id: int | None) -> None:
                if allocation_id is not None:
                    self.send(lambda e: e.unallocate(allocation_id))

            self.app.push_screen(dialog, chosen)

        self.query_one("#writer", WriteQueue).submit(lambda: entry.allocations(entry_id),
                                                     listed, lambda e: self._status(str(e),
                                                                                    error=True))

    def action_allocate(self) -> None:
        self.send(lambda e: e.allocate_on_account())

    def action_refund(self) -> None:
        """Pay back money on account (a credit note, an overpayment), asked in a form whose
        save is checked by the entry itself: a wrong amount is said beside the field."""
        entry, view = self.entry, self.view
        if entry is None or view is None or view.party_id is None:
            self._status(_("choose the {party} first").format(party=self.party_word.lower()),
                         error=True)
            return
        on_account = sum((c.open for c in view.credits), Decimal(0))
        if not on_account:
            self._status(_("nothing on account to refund"), error=True)
            return
        title = (_("Refund to {party}") if self.SIDE == Side.CUSTOMER
                 else _("Refund from {party}")).format(party=view.party)
        def check(values: dict[str, str]) -> None:
            refund_amount(values["amount"], on_account)  # said beside the field

        form = FormDialog(
            title, [FormField("amount", _("Amount"), fmt_money(on_account).replace(",", "")),
                    FormField("reason", _("Reason"))],
            submit=check, submit_label=_("Refund"))

        def done(values: dict[str, str] | None) -> None:
            if values is not None:
                amount, reason = values["amount"], values["reason"]
                self.send(lambda e: e.refund(amount, reason))

        self.app.push_screen(form, done)


class PaymentsScreen(ReceiptsScreen):
    """Payments to suppliers: the same screen, their open bills."""

    SIDE = Side.SUPPLIER
    TITLE_TEXT = N_("Payments")
    HELP = N_(
        "F2 picks the supplier (or type their code and Enter). Type the amount paid: it is "
        "spread over their open bills oldest first; Enter on a bill sets its own amount. "
        "Ctrl+S or F10 records the payment; the rest goes on account. Ctrl+W writes off a "
        "small difference, Ctrl+U undoes an allocation, F8 (Ctrl+G) records money the "
        "supplier pays back."
    )
    BINDINGS = [
        Binding("f2", "pick", "Supplier", id="payments.pick"),
    ]
