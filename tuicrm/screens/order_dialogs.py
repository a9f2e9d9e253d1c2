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

from rich.cells import cell_len
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
from ..data.sales.rules import fmt_rate, parse_discount
from ..i18n import _
from ..reports import documents
from ..reports.saving import AskBeforeReplacing, output_folder
from ..widgets.background import run_in_thread
from ..widgets.focus import focus_now
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
        browse: bool = False,
    ) -> None:
        """``browse``: list ``search("")`` before anything is typed (a short list, such as
        the suppliers)."""
        super().__init__()
        self.title_text = title
        self.search = search
        self.fixed = list(fixed)
        self.initial = initial
        self.browse = browse
        self.values: list[Any] = []
        self._asked: str | None = None  # the text being searched in a worker
        self._newest: str | None = None  # typed meanwhile: searched next
        self._take_when_shown = False  # Enter came before the matches of the text typed
        self.scan_applies_now = False  # a scan while open: close, add it (else held)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.title_text), id="pick-title")
            yield PlainInput(self.initial, placeholder=_("type to search"), id="pick-text")
            yield OptionList(id="pick-list")
            yield Static(Text(_("Enter: take   Down: the list   Esc: cancel")), id="pick-keys")

    def on_mount(self) -> None:
        focus_now(self.query_one("#pick-text"))
        self._fill(self.initial)

    @on(Input.Changed, "#pick-text")
    def _changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def _fill(self, text: str) -> None:
        """List the matches of ``text``: searched in a thread worker (at 1M customers a
        search on the UI thread held every key behind it), one at a time; keys typed
        meanwhile ask once more, for the newest text only."""
        if self._asked is not None:
            self._newest = text
            return
        if not (text.strip() or self.browse):
            self._show([])
            return
        self._asked = text
        search = self.search
        run_in_thread(self, lambda: list(search(text)), lambda found: self._answered(found),
                      lambda error: self._answered([], error), name="pick-search")

    def _answered(self, found: list[tuple[str, Any]], error: TuicrmError | None = None) -> None:
        asked, newest = self._asked, self._newest
        self._asked = self._newest = None
        if newest is not None and newest != asked:
            self._fill(newest)  # typed past: this answer is never shown
            return
        if error is not None:
            self.notify(str(error), severity="error", markup=False)
        self._show(found)
        if self._take_when_shown:
            self._take_when_shown = False
            self._take_highlighted()

    def _show(self, found: list[tuple[str, Any]]) -> None:
        pairs = self.fixed + found
        self.values = [v for _, v in pairs]
        options = self.query_one("#pick-list", OptionList)
        options.clear_options()
        options.add_options([Option(Text(visible(label))) for label, _ in pairs])
        if pairs:
            options.highlighted = len(self.fixed) if found else 0

    @property
    def searching(self) -> bool:
        """Whether the matches of the text typed are still on their way."""
        return self._asked is not None

    @on(Input.Submitted, "#pick-text")
    def _take_first(self, event: Input.Submitted) -> None:
        event.stop()
        if self.searching:  # Enter typed right after the text: take its match, not older
            self._take_when_shown = True
            return
        self._take_highlighted()

    def _take_highlighted(self) -> None:
        index = self.query_one("#pick-list", OptionList).highlighted
        if index is not None and index < len(self.values):
            self.dismiss(self.values[index])

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.values[event.option_index])

    def action_to_list(self) -> None:
        focus_now(self.query_one("#pick-list"))

    def action_cancel(self) -> None:
        self.dismiss(None)


RECEIPT_FRAME = 54  # the receipt preview's width (CSS), at most the terminal's


class ReceiptDialog(ModalScreen[None]):
    """A preview of the receipt; S saves it to a file, P prints it (the receipt printer, or
    asks which), O to another printer."""

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
        Binding("o", "print_other", "Other printer", id="receipt.other"),
        Binding("escape,enter", "close", "Close", id="receipt.close"),
    ]

    scan_applies_now = True  # the sale is done: a scan closes the preview, starts the next

    def __init__(self, text: str, default_path: str, notes: Sequence[str] = (),
                 narrower: Callable[[int], str | None] | None = None) -> None:
        """``narrower(room)``: the receipt laid out for a printer at most ``room`` columns
        wide (None: none is that narrow), shown when the terminal is narrower than the
        receipt (a 40-column handheld shows the 32-column layout; saving and printing keep
        the printer's)."""
        super().__init__()
        self.text = text
        self.default_path = default_path
        self.notes = list(notes)
        self.narrower = narrower

    def compose(self) -> ComposeResult:
        with Vertical():
            for note in self.notes:
                yield Static(Text(note, style="bold"), classes="receipt-note")
            with VerticalScroll():
                yield Static(Text(self._shown_text()), id="receipt-text")
            yield Static(Text(_("S: save to file   P: print   O: other printer   "
                                "Enter/Esc: next sale")),
                         id="receipt-keys")

    def _shown_text(self) -> str:
        room = min(RECEIPT_FRAME, self.app.size.width) - 4  # less the frame and its padding
        if self.narrower is None or max(map(cell_len, self.text.splitlines()), default=0) <= room:
            return self.text
        return self.narrower(room) or self.text

    def on_resize(self, _event: object) -> None:
        self.query_one("#receipt-text", Static).update(Text(self._shown_text()))

    def action_save(self) -> None:
        ask = AskBeforeReplacing("file")

        def save(values: dict[str, str]) -> str:
            path = ask.save(values["file"], lambda path, overwrite: documents.print_text(
                self.text, path=path, overwrite=overwrite))
            return _("written to {path}").format(path=path)

        form = FormDialog(_("Save the receipt (a bare name goes to {folder})").format(
            folder=output_folder()),
                          [FormField("file", _("File"), self.default_path)],
                          submit=save, submit_label=_("Save"))

        def done(values: dict[str, str] | None) -> None:
            if values is not None:
                self.notify(_("Receipt {path}.").format(path=form.result), markup=False)

        self.app.push_screen(form, done)

    def action_print(self) -> None:
        from ..widgets.printing import print_text_on

        print_text_on(self, self.text, "receipt")

    def action_print_other(self) -> None:
        from ..widgets.printing import print_text_on

        print_text_on(self, self.text, "receipt", ask=True)

    def action_close(self) -> None:
        self.dismiss(None)


def discount_form(current: Decimal, rate: Decimal | None = None) -> FormDialog:
    """F5: an amount or a percentage (``5%``, ``95折``) off the whole order; ``form.result``
    is the discount as typed."""

    def check(values: dict[str, str]) -> str:
        text = values["discount"].strip()
        parse_discount(text, "discount")
        return text

    shown = fmt_rate(rate) if rate is not None else fmt_money(current).replace(",", "")
    return FormDialog(_("Discount on the whole order"),
                      [FormField("discount", _("Discount"), shown,
                                 placeholder=_("amount, 5% or 95折"))],
                      submit=check, submit_label=_("Apply"))


def quote_form(default: dt.date) -> FormDialog:
    """F8: the quote's validity; ``form.result`` is the date."""

    def check(values: dict[str, str]) -> dt.date:
        try:
            return dt.date.fromisoformat(values["valid_until"].strip())
        except ValueError:
            raise ValidationError({"valid_until": _("a date as YYYY-MM-DD")}) from None

    return FormDialog(_("Save as a quote"),
                      [FormField("valid_until", _("Valid until"), default.isoformat())],
                      submit=check, submit_label=_("Save quote"))


LINK = "__link__"  # what NewProductDialog returns when the user asks to link the code instead


class NewProductDialog(SavingFormDialog):
    """F6: a new product for an unknown code - or F4 (find, as in order entry): link the code
    to an existing product instead (the dialog closes with ``{LINK: "yes"}``)."""

    BINDINGS = [Binding("f4", "link", "Link to a product", id="entry.link_code",
                        priority=True)]

    def action_link(self) -> None:
        if not self.saving:
            self.dismiss({LINK: "yes"})


def product_form(code: str, with_cost: bool, create: Callable[[dict[str, str]], int], *,
                 stock_field: bool = False, stock_note: str = "") -> FormDialog:
    """F6: a new product for an unknown code; ``create(values)`` saves it, off the UI thread
    (it may wait on another terminal's lock). ``stock_field``: ask how many are on the shelf
    (received as its first stock, so it can be sold at once); ``stock_note`` says why not."""
    fields = [
        FormField("name", _("Name"), ""),
        FormField("code", _("Product code"), code),
        FormField("barcodes", _("Barcode"), code),
        FormField("price1", _("Retail price"), ""),
    ]
    if with_cost:
        fields.append(FormField("cost", _("Cost"), ""))
    if stock_field:
        fields.append(FormField("on_hand", _("On the shelf"), "",
                                placeholder=_("received now, so it sells at once")))
    title = _("New product for code {code} (F4: link the code to an existing product "
              "instead)").format(code=code)
    if stock_note:
        title += f"; {stock_note}"
    return NewProductDialog(title, fields, submit=create, submit_label=_("Create"))
