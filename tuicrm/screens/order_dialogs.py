"""Small dialogs of order entry: pick a customer / supplier / product as you type, the receipt,
and the forms for the order discount, a quote's validity and a product for an unknown code.

Kept apart from ``order_entry`` so the entry screen stays readable. None of them captures
scans itself: the scan router stays in front of them and hands a scan to the entry screen,
which holds it until the dialog closes or (``scan_applies_now``) closes it and applies it.
The discount and quote forms only check what was typed; the write goes through the entry
screen's writer queue like every other change of the order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ..data.core.errors import TuicrmError, ValidationError
from ..data.core.money import fmt_money
from ..data.core.text import visible
from ..data.sales.rules import parse_amount
from ..reports import documents
from ..reports.saving import AskBeforeReplacing, output_folder
from ..widgets.form import FormDialog, FormField, PlainInput
from ..widgets.saving_form import SavingFormDialog

#: What a pick dialog returns for "no customer" (a walk-in sale).
WALK_IN = 0


class PickDialog(ModalScreen[Any]):
    """Type to search; Enter takes the highlighted (or first) match; Esc cancels (None).

    ``search(text)`` returns ``(label, value)`` pairs; ``fixed`` pairs are always listed first
    (e.g. walk-in)."""

    DEFAULT_CSS = """
    PickDialog { align: center middle; }
    PickDialog > Vertical {
        width: 76; max-width: 100%; height: 20; max-height: 100%;
        border: solid $primary; background: $surface; padding: 0 1;
    }
    PickDialog #pick-title { text-style: bold; }
    PickDialog #pick-text { border: none; height: 1; padding: 0; }
    PickDialog OptionList { height: 1fr; border: none; padding: 0; }
    PickDialog #pick-keys { color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="pick.cancel"),
        Binding("down", "to_list", "List", id="pick.down", show=False),
    ]

    def __init__(
        self,
        title: str,
        search: Callable[[str], Sequence[tuple[str, Any]]],
        *,
        fixed: Sequence[tuple[str, Any]] = (),
        initial: str = "",
    ) -> None:
        super().__init__()
        self.title_text = title
        self.search = search
        self.fixed = list(fixed)
        self.initial = initial
        self.values: list[Any] = []
        self.scan_applies_now = False  # a scan while open: close, add it (else held)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.title_text), id="pick-title")
            yield PlainInput(self.initial, placeholder="type to search", id="pick-text")
            yield OptionList(id="pick-list")
            yield Static(Text("Enter: take   Down: the list   Esc: cancel"), id="pick-keys")

    def on_mount(self) -> None:
        self.query_one("#pick-text").focus()
        self._fill(self.initial)

    @on(Input.Changed, "#pick-text")
    def _changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def _fill(self, text: str) -> None:
        try:
            found = list(self.search(text)) if text.strip() else []
        except TuicrmError as e:
            found = []
            self.notify(str(e), severity="error", markup=False)
        pairs = self.fixed + found
        self.values = [v for _, v in pairs]
        options = self.query_one("#pick-list", OptionList)
        options.clear_options()
        options.add_options([Option(Text(visible(label))) for label, _ in pairs])
        if pairs:
            options.highlighted = len(self.fixed) if found else 0

    @on(Input.Submitted, "#pick-text")
    def _take_first(self, event: Input.Submitted) -> None:
        event.stop()
        index = self.query_one("#pick-list", OptionList).highlighted
        if index is not None and index < len(self.values):
            self.dismiss(self.values[index])

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.values[event.option_index])

    def action_to_list(self) -> None:
        self.query_one("#pick-list").focus()

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReceiptDialog(ModalScreen[None]):
    """A preview of the receipt; S saves it to a file, P prints it (setting print.command)."""

    DEFAULT_CSS = """
    ReceiptDialog { align: center middle; }
    ReceiptDialog > Vertical {
        width: 54; max-width: 100%; height: 100%;
        border: solid $primary; background: $surface; padding: 0 1;
    }
    ReceiptDialog VerticalScroll { height: 1fr; width: 1fr; }
    ReceiptDialog #receipt-text { width: auto; }
    ReceiptDialog #receipt-keys { color: $text-muted; }
    """
    BINDINGS = [
        Binding("s", "save", "Save to file", id="receipt.save"),
        Binding("p", "print", "Print", id="receipt.print"),
        Binding("escape,enter", "close", "Close", id="receipt.close"),
    ]

    scan_applies_now = True  # the sale is done: a scan closes the preview, starts the next

    def __init__(self, text: str, default_path: str, notes: Sequence[str] = ()) -> None:
        super().__init__()
        self.text = text
        self.default_path = default_path
        self.notes = list(notes)

    def compose(self) -> ComposeResult:
        with Vertical():
            for note in self.notes:
                yield Static(Text(note, style="bold"), classes="receipt-note")
            with VerticalScroll():
                yield Static(Text(self.text), id="receipt-text")
            yield Static(Text("S: save to file   P: print   Enter/Esc: next sale"),
                         id="receipt-keys")

    def action_save(self) -> None:
        ask = AskBeforeReplacing("file")

        def save(values: dict[str, str]) -> str:
            path = ask.save(values["file"], lambda path, overwrite: documents.print_text(
                self.text, path=path, overwrite=overwrite))
            return f"written to {path}"

        form = FormDialog(f"Save the receipt (a bare name goes to {output_folder()})",
                          [FormField("file", "File", self.default_path)],
                          submit=save, submit_label="Save")

        def done(values: dict[str, str] | None) -> None:
            if values is not None:
                self.notify(f"Receipt {form.result}.", markup=False)

        self.app.push_screen(form, done)

    def action_print(self) -> None:
        try:
            message = documents.print_text(self.text)
        except TuicrmError as e:
            self.app.bell()
            self.notify(str(e), severity="error", markup=False)
            return
        self.notify(f"Receipt {message}.", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)


def discount_form(current: Decimal) -> FormDialog:
    """F5: an amount off the whole order; ``form.result`` is the amount as typed."""

    def check(values: dict[str, str]) -> str:
        text = values["discount"].strip()
        parse_amount(text, "discount")
        return text

    return FormDialog("Discount on the whole order (an amount)",
                      [FormField("discount", "Discount", fmt_money(current).replace(",", ""))],
                      submit=check, submit_label="Apply")


def quote_form(default: dt.date) -> FormDialog:
    """F8: the quote's validity; ``form.result`` is the date."""

    def check(values: dict[str, str]) -> dt.date:
        try:
            return dt.date.fromisoformat(values["valid_until"].strip())
        except ValueError:
            raise ValidationError({"valid_until": "a date as YYYY-MM-DD"}) from None

    return FormDialog("Save as a quote",
                      [FormField("valid_until", "Valid until", default.isoformat())],
                      submit=check, submit_label="Save quote")


def product_form(code: str, with_cost: bool,
                 create: Callable[[dict[str, str]], int]) -> FormDialog:
    """F6: a new product for an unknown code; ``create(values)`` saves it, off the UI thread
    (it may wait on another terminal's lock)."""
    fields = [
        FormField("name", "Name", ""),
        FormField("code", "Product code", code),
        FormField("barcodes", "Barcode", code),
        FormField("price1", "Retail price", ""),
    ]
    if with_cost:
        fields.append(FormField("cost", "Cost", ""))
    return SavingFormDialog(f"New product for code {code}", fields, submit=create,
                            submit_label="Create")
