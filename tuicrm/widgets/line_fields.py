"""The quantity, price and discount of one order line, edited in place (order entry's F3 and
Tab). The fields hold the line they were filled with: a scan that arrives while someone types
changes the selection, never which line the typed value goes to.

Enter in a field posts :class:`LineFields.Submitted` (the line, the field, the text as typed);
focusing one posts :class:`LineFields.Entered` so the screen can say what is being edited.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.events import DescendantFocus
from textual.message import Message
from textual.widgets import Input, Label

from ..data.core.money import fmt_qty
from ..data.sales.entry_rules import LineField
from ..data.sales.rows import OrderLineRow
from ..data.sales.rules import discount_text
from ..i18n import N_, _
from .focus import focus_now
from .form import PlainInput

LABELS = {LineField.QUANTITY: N_("Qty"), LineField.PRICE: N_("Price"),
          LineField.DISCOUNT: N_("Disc")}
NAMES = {LineField.QUANTITY: N_("Quantity"), LineField.PRICE: N_("Price"),
         LineField.DISCOUNT: N_("Discount")}


class EditInput(PlainInput):
    """A line field: focusing it selects the value, so typed digits replace it - never append
    to it."""


class LineFields(Horizontal):
    DEFAULT_CSS = """
    LineFields { height: 1; }
    LineFields Label { width: auto; padding: 0 1; }
    LineFields EditInput { border: none; height: 1; padding: 0; width: 12; }
    """

    class Submitted(Message):
        """Enter in a field: set ``field`` of line ``line_id`` to ``value``."""

        def __init__(self, line_id: int, field: LineField, value: str) -> None:
            super().__init__()
            self.line_id, self.field, self.value = line_id, field, value

    class Entered(Message):
        """A field got the focus (``line`` None: there is no line to edit)."""

        def __init__(self, field: LineField, line: OrderLineRow | None) -> None:
            super().__init__()
            self.field, self.line = field, line

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.line: OrderLineRow | None = None

    def compose(self) -> ComposeResult:
        for field, label in LABELS.items():
            yield Label(_(label))
            yield EditInput(id=field.value)

    def show(self, line: OrderLineRow | None) -> None:
        """Fill the fields with ``line`` (empty for None); they edit that line from now on."""
        self.line = line
        values = {
            LineField.QUANTITY: fmt_qty(line.quantity) if line else "",
            LineField.PRICE: str(line.unit_price) if line else "",
            LineField.DISCOUNT: discount_text(line.discount, line.discount_rate) if line else "",
        }
        for field, value in values.items():
            self.query_one(f"#{field.value}", Input).value = value

    @property
    def editing(self) -> bool:
        focused = self.screen.focused
        return focused is not None and focused.parent is self

    def edit(self, line: OrderLineRow, field: LineField = LineField.QUANTITY) -> None:
        self.show(line)
        focus_now(self.query_one(f"#{field.value}"))

    @on(Input.Submitted, "EditInput")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.line is not None:
            self.post_message(self.Submitted(self.line.id, LineField(event.input.id or ""),
                                             event.value))

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        field = getattr(event.widget, "id", None)
        if field in LABELS:
            self.post_message(self.Entered(LineField(field), self.line))
