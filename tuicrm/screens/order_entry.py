"""Order entry (O1-O8): one screen for sales, quotes, purchases and returns, built for scanning.

The screen is a view. What the order is and what each key does belong to the controller
(``data.sales.entry.OrderEntry``: scan routing, the kind-to-operation rules, the status line);
the screen passes the user's actions to it and draws the ``EntryView`` each one returns.

The UI thread never waits on the database: every action runs on this screen's writer thread
(``WriteQueue``), strictly in the order the user acted, while the screen goes on echoing keys
and taking scans; a write that waits more than a second on another terminal's lock says so on
the status line. A scan is handled whatever has focus (``ScanScreenMixin``: a scanner burst
never lands in the quantity, price or discount field); an unknown code is a warning and the
bell, never a dialog, and F6 offers to create a product with that code.

Tab is a scanner terminator here (``PRIORITY_TAB = False``: the app's priority Tab would move
the focus before a short scan's Tab reached the code field); a person's Tab still moves to the
next field through this screen's own binding.

Keys: F2 customer (supplier), F3 quantity of the selected line, F4 find a product by name,
F5 order discount, F6 create a product from the last unknown code, F7 keep as draft (new
order), F8 save as quote, F9 confirm (deliver / receive later), F10 complete, Ctrl+D delete
line, Up/Down select a line, Ctrl+N new order.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Label, Static

from ..data.core.errors import TuicrmError
from ..data.core.vocab import OrderKind
from ..data.sales.entry import OrderEntry
from ..data.sales.entry_rules import KIND_RULES, EntryView, Level
from ..data.sales.rows import OrderHeader
from ..i18n import N_, _
from ..widgets.focus import focus_now
from ..widgets.line_fields import NAMES, LineFields
from ..widgets.order_lines import OrderLinesView
from ..widgets.scan import ScanInput, Scanned, ScanScreenMixin
from ..widgets.write_queue import WriteQueue
from .base import AppScreen, KeyBar
from .order_entry_dialogs import EntryDialogs

FILL_DELAY = 0.15  # seconds after the last scan before the line fields show the new line
DRAW_EVERY = 0.1  # while writes queue up, redraw at most this often (the last one always)
WAITING = N_("waiting for another terminal ...")


class OrderEntryScreen(EntryDialogs, ScanScreenMixin, AppScreen):
    KIND: ClassVar[OrderKind] = OrderKind.SALE
    TITLE_TEXT = N_("Order entry")
    PRIORITY_TAB = False
    HELP = (
        N_("Scan or type a product code and Enter (3*code for three). F2 picks the customer "
        "(none: walk-in), F4 finds a product by name. Up/Down select a line; F3 edits its "
        "quantity, Tab the price and discount (Enter applies). F10 completes the sale "
        "(stock out, receipt); F7 keeps it as a draft, F8 makes it a quote, F9 confirms it "
        "for delivery later. Scans always go to the order, whatever field has focus.")
    )

    DEFAULT_CSS = """
    OrderEntryScreen #header { height: auto; max-height: 2; padding: 0 1; text-style: bold; }
    OrderEntryScreen .bar { height: 1; }
    OrderEntryScreen .bar Label { width: auto; padding: 0 1; }
    OrderEntryScreen #code { border: none; height: 1; padding: 0; width: 1fr; }
    OrderEntryScreen #lines { height: 1fr; }
    OrderEntryScreen #totals { height: 1; padding: 0 1; text-align: right; text-style: bold; }
    OrderEntryScreen #status { height: 1; padding: 0 1; }
    OrderEntryScreen #status.-warn { color: $warning; text-style: bold; }
    OrderEntryScreen #status.-error { color: $error; text-style: bold; }
    /* A handheld (under 60 columns): the line fields share the width. */
    OrderEntryScreen.-narrow LineFields Label { padding: 0 0 0 1; }
    OrderEntryScreen.-narrow LineFields EditInput { width: 1fr; }
    """

    BINDINGS = [
        Binding("escape", "back", "Back", id="entry.back"),
        Binding("f2", "party", KIND_RULES[OrderKind.SALE].party, id="entry.party"),
        Binding("f3", "edit_qty", "Qty", id="entry.qty", show=False),
        Binding("f4", "find_product", "Find", id="entry.find"),
        Binding("f5,ctrl+t", "order_discount", "Discount", id="entry.discount", show=False),
        Binding("f6,ctrl+g", "create_product", "New product", id="entry.new_product", show=False),
        Binding("f7,ctrl+s", "save_draft", "Draft", id="entry.draft", priority=True),
        Binding("f8,ctrl+o", "save_quote", "Quote", id="entry.quote", show=False),
        Binding("f9,ctrl+y", "confirm", "Confirm", id="entry.confirm", show=False),
        Binding("f10,ctrl+f", "complete", KIND_RULES[OrderKind.SALE].complete,
                id="entry.complete"),
        Binding("ctrl+d", "delete_line", "Delete line", id="entry.delete", priority=True,
                show=False),
        Binding("ctrl+n", "new_order", "New", id="entry.new", show=False),
        Binding("ctrl+o", "documents", "Documents", id="entry.documents", priority=True,
                show=False),
        Binding("up", "cursor(-1)", show=False),
        Binding("down", "cursor(1)", show=False),
        Binding("pageup", "cursor(-10)", show=False),
        Binding("pagedown", "cursor(10)", show=False),
        Binding("tab", "next_field", show=False),
        Binding("shift+tab", "previous_field", show=False),
    ]

    def __init__(self, order_id: int | None = None, *, kind: OrderKind | str | None = None,
                 return_of: int | None = None) -> None:
        super().__init__()
        self._start_kind = OrderKind(kind) if kind else self.KIND
        self._open_id = order_id
        self._return_of = return_of
        self.entry: OrderEntry | None = None
        self.view: EntryView | None = None  # what is on screen
        self._fill_timer: Timer | None = None
        self._drawn_at = 0.0
        self._waiting = False
        self._status_shown: tuple[str, Level] | None = None
        self.actions_done = 0  # actions whose result came back (tests wait on it)
        self.held_scans: list[str] = []  # scans read while a dialog was open, in order
        self._undrawn: EntryView | None = None  # a result not drawn yet (draws are spaced)

    # -- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        yield Static("", id="header", markup=False)
        with Horizontal(classes="bar"):
            yield Label(_("Code"))
            yield ScanInput(id="code", placeholder=_("scan or type a code, Enter (3*code: 3)"))
        yield OrderLinesView(id="lines")
        yield LineFields(id="editbar")
        yield Static("", id="totals", markup=False)
        yield Static("", id="status", markup=False)
        yield WriteQueue(id="writer", waiting=self._show_waiting)
        yield from self.compose_footer()

    @property
    def lines(self) -> OrderLinesView:
        return self.query_one("#lines", OrderLinesView)

    @property
    def fields(self) -> LineFields:
        return self.query_one("#editbar", LineFields)

    @property
    def writer(self) -> WriteQueue:
        return self.query_one("#writer", WriteQueue)

    @property
    def order(self) -> OrderHeader | None:
        """The order on screen (None before its first line)."""
        return self.view.order if self.view else None

    @property
    def kind(self) -> OrderKind:
        return self.view.kind if self.view else self._start_kind

    @property
    def idle(self) -> bool:
        """Every action the user took is written and drawn."""
        return self.writer.pending == 0

    def on_mount(self) -> None:
        self.entry = entry = OrderEntry(self.user, self._start_kind)
        self._draw(entry.view())
        if self._open_id is not None:
            self.send(lambda: entry.open(self._open_id or 0))
        elif self._return_of is not None:
            self.send(lambda: entry.open_return(self._return_of or 0))
        focus_now(self.query_one("#code"))

    # -- talking to the controller ------------------------------------------------------------

    def send(self, action: Callable[[], EntryView],
             then: Callable[[EntryView], None] | None = None) -> None:
        """Run ``action`` (a call on the controller) on the writer thread after every action
        before it; draw what it returns."""

        def done(view: EntryView) -> None:
            self._shown(view)
            if then is not None:
                then(view)

        self._submit(action, done)

    def _submit(self, work: Callable[[], object], done: Callable[[Any], None]) -> None:
        def counted(result: object) -> None:
            self.actions_done += 1
            done(result)

        self.writer.submit(work, counted, self._write_failed)

    def after_writes(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` once every action asked for so far is written and drawn."""
        if self.idle:
            callback()
        else:
            self._submit(lambda: None, lambda _: self._draw_latest(callback))

    def _draw_latest(self, callback: Callable[[], None]) -> None:
        # A result that came while this no-op was still queued was not drawn (draws are
        # spaced while writes queue up): draw it before the callback looks at the screen.
        if self._undrawn is not None:
            self._draw(self._undrawn)
        callback()

    def _shown(self, view: EntryView) -> None:
        if view.bell:
            self.app.bell()
        for note in view.notes:
            self.notify(note, severity="warning", markup=False, timeout=15)
        if view.finished is not None:
            self._offer_receipt(view.finished)
        if view.approval:
            self.ask_approval(view.approval)
        waited, self._waiting = self._waiting, False  # the write that waited is done
        now = time.monotonic()
        if waited or self.writer.pending == 0 or now - self._drawn_at >= DRAW_EVERY:
            self._draw(view)  # the last result of a queue is always drawn
        else:
            self._undrawn = view

    def _show_waiting(self, pending: int) -> None:
        """A write has waited over a second (another terminal holds the lock)."""
        self._waiting = True
        self._status(_(WAITING), Level.WARN)

    def _write_failed(self, error: TuicrmError) -> None:
        """A write the database gave up on (the controller answers refusals itself)."""
        self._waiting = False
        self.app.bell()
        self._status(str(error), Level.ERROR)

    # -- drawing ------------------------------------------------------------------------------

    def key_label(self, binding: Binding) -> str:
        """The footer says what F2 and F10 do for the kind on screen (a purchase reopened
        from Orders: Supplier and Receive, not Customer and Complete)."""
        rules = KIND_RULES[self.view.kind if self.view is not None else self.KIND]
        if binding.id == "entry.party":
            return _(rules.party)
        if binding.id == "entry.complete":
            return _(rules.complete)
        return _(binding.description)

    def _draw(self, view: EntryView) -> None:
        # Only what changed is updated: every repainted line costs bytes over SSH.
        old, self.view = self.view, view
        self._undrawn = None
        self._drawn_at = time.monotonic()
        if old is None or old.kind != view.kind:
            self.query_one(KeyBar).refresh_keys()
        if old is None or old.header != view.header:
            self.query_one("#header", Static).update(Text(view.header), layout=False)
        if old is None or old.totals != view.totals or old.credit != view.credit:
            self._show_totals()
        self.lines.show_lines(view.lines, view.selected_id, view.changed_id)
        if not self._waiting:
            self._status(view.status, view.level)
        if not self._editing():
            # The line fields follow the selection a moment after the last scan of a burst
            # (three fewer repaints per scan: less latency, fewer bytes over SSH).
            if self._fill_timer is not None:
                self._fill_timer.stop()
            self._fill_timer = self.set_timer(FILL_DELAY, self._fill_if_idle)

    def _show_totals(self) -> None:
        if self.view is not None:
            totals = totals_line(self.view.credit, self.view.totals, self.size.width - 2)
            self.query_one("#totals", Static).update(Text(totals), layout=False)

    def on_resize(self) -> None:
        self._show_totals()

    def _status(self, message: str, level: Level = Level.INFO) -> None:
        if (message, level) == self._status_shown:
            return
        self._status_shown = (message, level)
        widget = self.query_one("#status", Static)
        widget.update(Text(message), layout=False)  # one line: no relayout
        widget.set_class(level == Level.WARN, "-warn")
        widget.set_class(level == Level.ERROR, "-error")

    def refuse(self, message: str) -> None:
        """A refusal the screen knows of without asking the controller."""
        self.app.bell()
        self._status(message, Level.ERROR)

    # -- scanning -----------------------------------------------------------------------------

    def on_scanned(self, event: Scanned) -> None:
        event.stop()
        if event.dialog is None:
            self.add_code(event.code)
        else:
            self.scan_during_dialog(event.code, event.dialog)

    def add_code(self, text: str) -> None:
        entry = self.controller
        self.send(lambda: entry.scan(text))

    @property
    def controller(self) -> OrderEntry:
        assert self.entry is not None, "the controller is made on mount"
        return self.entry

    # -- the selected line and its fields -----------------------------------------------------

    def _editing(self) -> bool:
        return self.fields.editing

    def _fill_if_idle(self) -> None:
        self._fill_timer = None
        if not self._editing():
            self._fill_edit()

    def _fill_edit(self) -> None:
        """The line fields show the selected line."""
        row = self.lines.selected
        self.fields.show(self.view.line(row.line_id) if self.view and row else None)

    def action_cursor(self, delta: int) -> None:
        self.lines.move_cursor(delta)  # at once, whatever is being written
        self._fill_edit()
        row = self.lines.selected
        if row is not None:
            entry, line_id = self.controller, row.line_id
            self._submit(lambda: entry.select(line_id), lambda _: None)

    def action_next_field(self) -> None:
        self.focus_next()

    def action_previous_field(self) -> None:
        self.focus_previous()

    def action_edit_qty(self) -> None:
        # The line highlighted once the scans read before F3 are on the order (and drawn):
        # F3 straight after a scan edits the scanned line, not the one selected before it.
        self.after_pending(lambda: self.after_writes(self._edit_selected))

    def _edit_selected(self) -> None:
        if self._editing() or not self.is_current:
            return
        row = self.lines.selected
        line = self.view.line(row.line_id) if self.view and row else None
        if line is None:
            self.refuse(_("no line to change: scan a product first"))
            return
        self.fields.edit(line)

    def on_line_fields_submitted(self, message: LineFields.Submitted) -> None:
        entry, line_id = self.controller, message.line_id
        field, value = message.field, message.value

        def show_line(view: EntryView) -> None:
            if not self._editing():
                self.fields.show(view.line(line_id))

        self.send(lambda: entry.edit_line(line_id, field, value), show_line)
        focus_now(self.query_one("#code"))

    def on_line_fields_entered(self, message: LineFields.Entered) -> None:
        row = self.lines.selected
        line = message.line
        if row is not None and (line is None or line.id != row.line_id):
            self._fill_edit()
            line = self.fields.line
        if line is not None and not self._waiting:
            self._status(_("{field} of {code}: type it, Enter applies, Esc leaves it as it "
                           "was").format(field=_(NAMES[message.field]), code=line.product_code))

    def action_delete_line(self) -> None:
        row = self.lines.selected
        if row is None:
            self.refuse(_("no line to delete"))
            return
        entry, line_id = self.controller, row.line_id
        self.send(lambda: entry.delete_line(line_id))

    # -- keeping, confirming, completing ------------------------------------------------------

    def after_pending(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` after every scan already read is handed to the controller.

        A key binding runs at once, but scans read before it may still be queued: at the code
        field (which hands them on to this screen) and on this screen. Going through both
        queues puts ``callback`` behind them (F10 straight after a burst sells every item);
        the writer queue then keeps that order."""
        code = self.query_one("#code")
        code.call_later(lambda: self.call_later(callback))

    def _after_scans(self, action: Callable[[OrderEntry], EntryView]) -> None:
        entry = self.controller
        self.after_pending(lambda: self.send(lambda: action(entry)))

    def action_save_draft(self) -> None:
        self._after_scans(OrderEntry.keep_draft)

    def action_new_order(self) -> None:
        self._after_scans(OrderEntry.keep_draft)

    def action_confirm(self) -> None:
        self._after_scans(OrderEntry.confirm)

    def action_complete(self) -> None:
        if self.kind != OrderKind.SALE:
            self._after_scans(OrderEntry.complete)
            return
        # A sale: how was it paid? Asked once every scan before F10 is on the order.
        self.after_pending(lambda: self.after_writes(self.ask_payment))

    def action_back(self) -> None:
        if self._editing():
            self._fill_edit()
            focus_now(self.query_one("#code"))
            if not self._waiting:
                self._status(_("line left as it was: scan or type a code"))
            return
        self.after_pending(lambda: self.after_writes(self._leave))

    def _leave(self) -> None:
        order = self.order
        if order is not None and order.is_draft and self.view and self.view.has_lines:
            self.notify(_("{number} kept as a draft; reopen it from Orders").format(
                number=order.number), markup=False)
        super().action_back()


class PurchaseEntryScreen(OrderEntryScreen):
    """The same entry for purchase orders to suppliers: F2 picks the supplier, F10 receives."""

    KIND = OrderKind.PURCHASE
    TITLE_TEXT = N_("Purchase (receiving)")
    BINDINGS = [
        Binding("f2", "party", KIND_RULES[OrderKind.PURCHASE].party, id="entry.party"),
        Binding("f10,ctrl+f", "complete", KIND_RULES[OrderKind.PURCHASE].complete,
                id="entry.complete"),
    ]
    HELP = (
        N_("F2 picks the supplier first; then scan or type codes (3*code for three). F10 "
        "receives the goods (stock in); F9 confirms the order to receive later from Orders; "
        "F7 keeps it as a draft.")
    )


def totals_line(credit: str, totals: str, width: int) -> str:
    """The customer's credit at the left when it fits beside at least the total; the
    totals' first parts give way to it."""
    if credit:
        room = width - cell_len(credit) - 3
        fitted = fit_totals(totals, room)
        if cell_len(fitted) <= room:
            return f"{credit}   {fitted}"
    return fit_totals(totals, width)


def fit_totals(totals: str, width: int) -> str:
    """The totals line for ``width`` cells: its first parts ("Lines 2", "Subtotal ...") give
    way to the last one, the total, which is always shown (a 40-column handheld)."""
    parts = totals.split("   ")
    while len(parts) > 1 and cell_len("   ".join(parts)) > width:
        parts.pop(0)
    return "   ".join(parts)
