"""Stock on hand (P2, P5), a product's movement history (P3) and the adjustment log (P6).

- ``StockScreen``: one row per product and location, quick search (code, name, barcode),
  **b** shows only products below their minimum stock, **Enter** opens the product's movement
  history, **a** adjusts the highlighted product by hand (quantity and a reason; needs
  ``stock.adjust``, which the operation checks).
- ``MovementsScreen``: every movement of one product, newest first: time, quantity, reason,
  document, location, operator, note.
- ``AdjustmentLogScreen``: every manual and count adjustment, newest first.

All three are ``ListScreen`` lists (custom filter F, columns C, export x, print P; the log
and the history also have a date range D), defined in ``tuicrm.data.stock.lists``.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from ..data.core.errors import TuicrmError
from ..data.core.money import fmt_qty
from ..data.stock import history
from ..data.stock import ledger as stock
from ..data.stock import locations as stock_locations
from ..data.stock.history import ProductStock
from ..data.stock.lists import ADJUSTMENTS, MOVEMENTS, STOCK, signed
from ..i18n import N_, _
from ..widgets.background import run_in_thread
from ..widgets.form import FormField
from ..widgets.saving_form import SavingFormDialog
from .base import AppScreen
from .list_screen import ListScreen


class StockScreen(ListScreen):
    TITLE_TEXT = N_("Stock on hand")
    HELP = (
        N_("Stock on hand of every product at every location; ! marks a product below its minimum "
        "stock (all locations together); b shows only those products. Enter opens the product's movement "
        "history; a adjusts its stock by hand with a reason (damaged, found, ...), which is "
        "recorded as a movement and appears in the Adjustment log. F filters, C chooses the "
        "columns, x exports and P prints the list as shown.")
    )
    LIST = STOCK
    BINDINGS = [
        Binding("b", "toggle_below", "Below minimum", id="stock.below"),
        Binding("a", "adjust", "Adjust", id="stock.adjust"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.below_min = False

    def list_options(self) -> dict[str, Any]:
        return {"below_min": self.below_min}

    def status_parts(self) -> list[str]:
        parts = super().status_parts()
        return ([_("BELOW MINIMUM only (b: all)")] if self.below_min else []) + parts

    def refresh_data(self) -> None:
        self.table.refresh_data()

    def action_toggle_below(self) -> None:
        self.below_min = not self.below_min
        self.sub_title = _("below minimum") if self.below_min else ""
        self.reload()
        self.notify(_("Only products below their minimum stock.") if self.below_min
                    else _("All products."), markup=False, timeout=2)

    def on_list_selected(self, row_id: Any) -> None:
        product_id = self.cursor_value("product_id")
        if product_id is not None:
            self.app.push_screen(MovementsScreen(product_id))

    def action_adjust(self) -> None:
        product_id = self.cursor_value("product_id")
        if product_id is not None:
            open_adjustment(self, product_id, self.cursor_value("location_id"))


def open_adjustment(screen: AppScreen, product_id: int, location_id: int | None) -> None:
    """The manual adjustment form; one ``stock.adjust`` operation, in a worker, when saved.
    A user who may not adjust hears so before the form opens."""
    if screen.refused(stock.adjust):
        return
    user = screen.user
    try:
        p = history.product_stock(user, product_id)
        locations = stock_locations.list_locations(user)
    except TuicrmError as e:
        screen.notify_error(str(e))
        return
    choices = [(f"{loc.code} {loc.name}", str(loc.id)) for loc in locations]
    loc_value = str(location_id) if location_id else (choices[0][1] if choices else "")
    fields = [
        FormField("quantity", _("Quantity (+/-)"), placeholder=_("e.g. -2 or 5")),
        FormField("note", _("Reason"), placeholder=_("damaged, found, ...")),
    ]
    if choices:
        fields.append(FormField("location", _("Location"), loc_value, kind="choice",
                                choices=choices))

    def submit(v: dict[str, str]) -> stock.MoveResult:
        loc = v.get("location")
        return stock.adjust(user, product_id, v["quantity"], v["note"],
                            location=int(loc) if loc else None)

    form = SavingFormDialog(_("Adjust stock of {code} {name} (on hand {quantity} {unit})").format(
                                code=p.code, name=p.name, quantity=fmt_qty(p.on_hand),
                                unit=p.unit), fields, submit=submit,
                            submit_label=_("Adjust"))

    def done(values: dict[str, str] | None) -> None:
        result = form.result
        if values is None or not isinstance(result, stock.MoveResult):
            return
        screen.refresh_data()  # type: ignore[attr-defined]
        message = _("{code}: {change}, now {quantity} on hand.").format(
            code=result.product_code, change=signed(result.quantity),
            quantity=fmt_qty(result.on_hand))
        if result.warning:
            message += " " + result.warning
        screen.notify(message, markup=False, severity="warning" if result.low else "information")

    screen.app.push_screen(form, done)


class MovementsScreen(ListScreen):
    TITLE_TEXT = N_("Stock movements")
    HELP = (N_("Every stock movement of one product, newest first: sales, purchases, returns, "
            "counts and manual adjustments, with the document, the operator and the time. "
            "a adjusts the stock by hand; the list tools work as on every list."))
    LIST = MOVEMENTS
    EMPTY_TEXT = N_("No movements yet")
    BINDINGS = [Binding("a", "adjust", "Adjust", id="movements.adjust")]

    def __init__(self, product_id: int) -> None:
        super().__init__()
        self.product_id = product_id

    def list_options(self) -> dict[str, Any]:
        return {"product_id": self.product_id}

    def compose_below(self) -> ComposeResult:
        yield Static("", id="product", markup=False)

    def on_mount(self) -> None:
        # Textual runs ListScreen.on_mount too (every class's handler runs): not super().
        self.show_product()

    def show_product(self) -> None:
        """The product and its stock under the list, read in a worker."""
        user, product_id = self.user, self.product_id
        run_in_thread(self, lambda: history.product_stock(user, product_id),
                      self._show_stock, lambda e: self.notify_error(str(e)),
                      name="product-stock", exclusive=True)

    def _show_stock(self, p: ProductStock) -> None:
        self.query_one("#product", Static).update(Text(
            _("{code} {name}: {quantity} {unit} on hand").format(
                code=p.code, name=p.name, quantity=fmt_qty(p.on_hand), unit=p.unit)
            + (" " + _("(minimum {quantity})").format(quantity=fmt_qty(p.min_stock))
               if p.min_stock > 0 else "")))

    def refresh_data(self) -> None:
        self.table.refresh_data()
        self.show_product()

    def action_adjust(self) -> None:
        open_adjustment(self, self.product_id, None)


class AdjustmentLogScreen(ListScreen):
    TITLE_TEXT = N_("Adjustment log")
    HELP = (N_("Every manual stock adjustment and stock-count adjustment, newest first, with its "
            "reason, operator and document number. Search by product or reason; F filters, "
            "D chooses a date range, C the columns; x exports and P prints the log as shown."))
    LIST = ADJUSTMENTS

    def on_list_selected(self, row_id: Any) -> None:
        product_id = self.cursor_value("product_id")
        if product_id is not None:
            self.app.push_screen(MovementsScreen(product_id))
