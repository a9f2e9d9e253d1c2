"""Order entry's keys that open a dialog: F2 customer or supplier, F4 find a product, F5 the
order discount, F6 a product for an unknown code, F8 save as a quote, and the receipt after F10.

Scans while a dialog is open (the scan router stays in front of every dialog of this screen,
``ScanScreenMixin.SCANS_DURING_DIALOGS``) are never typed into it and never lost:

- the receipt preview (after F10): the sale is finished, so the scan starts the next sale at
  once; the preview closes;
- F4 find a product: the scan found the product exactly; the picker closes and the scan is
  added at once;
- every other dialog, picker or form (F2 customer/supplier, F5 discount, F6 new
  product, F8 quote, the receipt's save-to-file form, F1 help, the command palette, a
  question): the scan is held, and applied in order once the dialog has closed and its own
  result (the customer chosen, the discount) has been applied. A scan never changes the
  customer.

A mixin of ``OrderEntryScreen`` (kept apart so the screen module stays readable). Each dialog
only collects what the user chose; the change goes through the screen's writer queue to the
controller like every other action.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from textual import events

from ..data.core import clock
from ..data.sales.counter_products import create_at_counter
from ..data.sales.entry_rules import Finished
from ..i18n import _
from ..reports import documents
from ..widgets.focus import focus_now
from .order_dialogs import (
    LINK,
    WALK_IN,
    PickDialog,
    ReceiptDialog,
    discount_form,
    product_form,
    quote_form,
)
from .payment_dialog import PaymentDialog, approval_form

if TYPE_CHECKING:
    from .order_entry import OrderEntryScreen


class EntryDialogs:
    """F2, F4, F5, F6, F8, F10's payment and the receipt of ``OrderEntryScreen``."""

    last_tenders: list[Any] = []  # the payment a supervisor is asked to approve

    @property
    def _screen(self) -> OrderEntryScreen:
        return cast("OrderEntryScreen", self)

    def action_order_discount(self) -> None:
        screen = self._screen
        if screen.order is None:
            screen.refuse(_("no order yet: scan a product first"))
            return
        form = discount_form(screen.order.discount, screen.order.discount_rate)
        entry = screen.controller

        def done(values: dict[str, str] | None) -> None:
            if values is not None:
                text = str(form.result)
                screen.send(lambda: entry.set_order_discount(text))

        screen.app.push_screen(form, done)

    def action_party(self) -> None:
        screen = self._screen
        view, entry = screen.view, screen.controller
        if view is None:
            return
        if view.rules.party_fixed:
            screen.refuse(_("the supplier of a return is the one of its order")
                          if view.kind.is_purchase
                          else _("the customer of a return is the one of its order"))
        elif view.kind.is_purchase:
            if view.order is not None:
                screen.refuse(_("the supplier of an order is fixed once it has lines"))
                return
            screen.app.push_screen(PickDialog(_("Supplier: code or name"), entry.supplier_choices,
                                              browse=True),
                                   screen.supplier_chosen)
        else:
            fixed = [(_("(walk-in customer)"), WALK_IN)] if view.rules.walk_in else []
            screen.app.push_screen(PickDialog(_("Customer: code, name or phone"),
                                            entry.customer_choices, fixed=fixed),
                                 screen.customer_chosen)

    def customer_chosen(self, value: int | None) -> None:
        screen = self._screen
        focus_now(screen.query_one("#code"))
        if value is not None:
            entry, customer_id = screen.controller, None if value == WALK_IN else value
            screen.send(lambda: entry.choose_customer(customer_id))

    def supplier_chosen(self, value: int | None) -> None:
        screen = self._screen
        focus_now(screen.query_one("#code"))
        if value is not None:
            entry = screen.controller
            screen.send(lambda: entry.choose_supplier(value))

    def action_find_product(self) -> None:
        screen = self._screen
        entry = screen.controller

        def chosen(value: int | None) -> None:
            focus_now(screen.query_one("#code"))
            if value is not None:
                screen.send(lambda: entry.add_product(value, 1))

        picker = PickDialog(_("Find a product: code, barcode or name"), entry.product_choices)
        picker.scan_applies_now = True  # a scan closes the picker and adds its product
        screen.app.push_screen(picker, chosen)

    def action_create_product(self) -> None:
        screen = self._screen
        view, entry = screen.view, screen.controller
        code = view.unknown_code if view else None
        if not code:
            screen.refuse(_("no unknown code was scanned"))
            return
        if screen.refused(create_at_counter):
            return
        scan = view.unknown_scan if view and view.unknown_scan else code
        note = entry.first_stock_offer()
        form = product_form(code, entry.may_see_cost(), entry.create_product,
                            stock_field=not note and entry.may_receive_stock(), stock_note=note)

        def done(values: dict[str, str] | None) -> None:
            focus_now(screen.query_one("#code"))
            if values is not None and values.get(LINK):
                self._link_code(code)
            elif values is not None:
                screen.add_code(scan)

        screen.app.push_screen(form, done)

    def _link_code(self, code: str) -> None:
        """F4 in F6: pick the product the unknown code belongs to; the code becomes one
        of its barcodes and the scan lands on the order."""
        screen = self._screen
        entry = screen.controller

        def chosen(value: int | None) -> None:
            focus_now(screen.query_one("#code"))
            if value is None:
                return
            product_id = value
            screen.send(lambda: entry.link_code(product_id))

        screen.app.push_screen(PickDialog(_("Code {code} belongs to: product code or name")
                                          .format(code=code), entry.product_choices), chosen)

    def action_save_quote(self) -> None:
        screen = self._screen
        screen.after_pending(screen._ask_quote)

    def _ask_quote(self) -> None:
        screen = self._screen
        screen.after_writes(screen._quote_dialog)  # the refusal needs the latest view

    def _quote_dialog(self) -> None:
        screen = self._screen
        view, entry = screen.view, screen.controller
        if view is None:
            return
        refusal = view.quote_refusal()
        if refusal:
            screen.refuse(refusal)
            return
        form = quote_form(view.default_valid_until(clock.today()))

        def done(values: dict[str, str] | None) -> None:
            if values is not None:
                valid_until = form.result
                screen.send(lambda: entry.save_as_quote(valid_until))

        screen.app.push_screen(form, done)

    def action_documents(self) -> None:
        """Ctrl+O: print a document of this order (after the scans already read)."""
        screen = self._screen
        screen.after_pending(lambda: screen.after_writes(screen._documents))

    def _documents(self) -> None:
        from .print_dialogs import open_documents

        screen = self._screen
        if screen.order is None:
            screen.refuse(_("no order yet: scan a product first"))
            return
        open_documents(screen, screen.order.id, after=screen.back_to_code)

    def ask_payment(self) -> None:
        """F10 on a sale: the payment dialog, then the sale and its receipts in one go."""
        screen = self._screen
        view, entry = screen.view, screen.controller
        if view is None or view.order is None or not view.has_lines:
            screen.refuse(_("nothing to complete: scan a product first"))
            return
        if view.refusal:
            screen.refuse(view.refusal)
            return
        dialog = PaymentDialog(view.order.total, walk_in=view.customer_id is None)

        def done(values: dict[str, str] | None) -> None:
            focus_now(screen.query_one("#code"))
            if values is not None:
                tenders = dialog.result
                screen.last_tenders = tenders
                screen.send(lambda: entry.pay(tenders))

        screen.app.push_screen(dialog, done)

    def ask_approval(self, message: str) -> None:
        screen = self._screen
        form = approval_form(message)
        entry, tenders = screen.controller, screen.last_tenders

        def done(values: dict[str, str] | None) -> None:
            focus_now(screen.query_one("#code"))
            if values is not None:
                supervisor = (values["username"], values["password"])
                screen.send(lambda: entry.pay(tenders, supervisor))

        screen.app.push_screen(form, done)

    def _offer_receipt(self, finished: Finished) -> None:
        screen = self._screen
        if finished.document is None:
            return
        document = finished.document
        text = documents.receipt_text(document, finished.receipt_width)

        def narrower(room: int) -> str | None:
            fitting = [w for w in documents.RECEIPT_WIDTHS if w <= room]
            return documents.receipt_text(document, max(fitting)) if fitting else None

        dialog = ReceiptDialog(text, f"receipt-{finished.order.number}.txt",
                               notes=[finished.message, *finished.warnings], narrower=narrower)
        screen.app.push_screen(dialog, screen.back_to_code)

    def scan_during_dialog(self, code: str, dialog: object) -> None:
        """A scan read while ``dialog`` was open over the screen (see the module docstring)."""
        screen = self._screen
        if getattr(dialog, "scan_applies_now", False) and screen.app.screen is dialog:
            cast("ReceiptDialog", dialog).dismiss(None)  # the receipt, or F4: the scan says it
            screen.add_code(code)
            return
        screen.held_scans.append(code)
        screen.notify(_("Scan {code} held: it is added when this dialog closes.").format(
            code=code), markup=False, timeout=4)

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Textual calls this as well as Screen's own handler. The dialog's own result is sent from its
        # dismiss callback; the held scans follow it through the same queues, in order.
        screen = self._screen
        if screen.held_scans:
            screen.after_pending(screen.apply_held_scans)

    def apply_held_scans(self) -> None:
        screen = self._screen
        if not screen.is_current:
            return  # another dialog opened meanwhile: its closing applies them
        held, screen.held_scans = screen.held_scans, []
        for code in held:
            screen.add_code(code)

    def back_to_code(self, _: object = None) -> None:
        screen = self._screen
        focus_now(screen.query_one("#code"))
