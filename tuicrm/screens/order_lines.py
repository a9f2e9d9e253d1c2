"""Order lines (O5): every line of every quote, sale, purchase and return, with the list tools.

A ``ListScreen`` over ``sales.lists.ORDER_LINES``: quick search (order number, customer /
supplier code or name, product code or name), custom filter (**F**) on any column, date range
on the order date (**D**), columns and sort remembered per user (**C**), export with progress
and cancel (**x**) and print preview (**P**). Enter opens the line's order in order entry.
"""

from __future__ import annotations

from typing import Any

from ..data.sales.lists import ORDER_LINES
from ..i18n import N_
from .list_screen import ListScreen


class OrderLinesScreen(ListScreen):
    TITLE_TEXT = N_("Order lines")
    HELP = N_(
        "Every line of every order, newest first: what was sold, quoted, bought or returned, "
        "to whom and at what price. Type / to search by order number, customer or supplier, "
        "or product; F filters on any column, D on the order date, C chooses the columns; "
        "x exports and P prints the list as shown. Enter opens the order."
    )
    LIST = ORDER_LINES
    EMPTY_TEXT = N_("No order lines here")

    def on_list_selected(self, row_id: Any) -> None:
        from .order_entry import OrderEntryScreen

        order_id = self.cursor_value("order_id")
        if order_id is None:
            return
        self.app.push_screen(OrderEntryScreen(order_id=order_id),
                             lambda _: self.table.refresh_data())


__all__ = ["OrderLinesScreen"]
