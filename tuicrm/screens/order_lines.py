"""Order lines (O5): every line of every quote, sale, purchase and return, with the list tools.

A ``ListScreen`` over ``order_lists.order_lines_query``: quick search (order number, customer /
supplier code or name, product code or name), custom filter (**F**) on any column, date range
on the order date (**D**), columns and sort remembered per user (**C**), export with progress
and cancel (**x**) and print preview (**P**). Enter opens the line's order in order entry.
"""

from __future__ import annotations

from typing import Any

import peewee

from ..data.lists.paging import Column
from ..data.models import Order, OrderLine, Product, User
from ..data.sales import lists as order_lists
from .list_screen import ListScreen


class OrderLinesScreen(ListScreen):
    TITLE_TEXT = "Order lines"
    HELP = (
        "Every line of every order, newest first: what was sold, quoted, bought or returned, "
        "to whom and at what price. Type / to search by order number, customer or supplier, "
        "or product; F filters on any column, D on the order date, C chooses the columns; "
        "x exports and P prints the list as shown. Enter opens the order."
    )
    PREF_KEY = "list.order_lines"
    EXPORT_NAME = "order-lines"
    COLUMNS = [
        Column("number", Order.number, "Order", width=16),
        Column("date", Order.date, "Date", width=10),
        Column("kind", Order.kind, "Kind", max_width=9),
        Column("status", Order.status, "Status", max_width=9),
        Column("party_code", order_lists.PARTY_CODE, "Cust/supp", max_width=10),
        Column("party_name", order_lists.PARTY_NAME, "Customer / supplier", max_width=20),
        Column("product_code", Product.code, "Product", max_width=12),
        Column("product_name", Product.name, "Product name", max_width=18),
        Column("quantity", OrderLine.quantity, "Qty", min_width=4),
        Column("unit_price", OrderLine.unit_price, "Price", min_width=6),
        Column("discount", OrderLine.discount, "Disc.", min_width=5),
        Column("amount", OrderLine.amount, "Amount", min_width=8),
    ]
    DEFAULT_VISIBLE = ["number", "date", "party_name", "product_code", "quantity", "amount"]
    DEFAULT_SORT = ("date", True)
    FILTER_COLUMNS = order_lists.ORDER_LINE_COLUMNS
    DATE_COLUMN = Order.date
    DATE_LABEL = "Date"
    SEARCH_PLACEHOLDER = "order, customer/supplier, product (/)"
    EMPTY_TEXT = "No order lines here"

    def make_query(self, actor: User, search: str) -> peewee.ModelSelect:
        return order_lists.order_lines_query(actor, search)

    def on_list_selected(self, row_id: Any) -> None:
        from .order_entry import OrderEntryScreen

        line = OrderLine.get_or_none(OrderLine.id == row_id) if row_id is not None else None
        if line is None:
            return
        self.app.push_screen(OrderEntryScreen(order_id=line.order_id),
                             lambda _: self.table.refresh_data())


__all__ = ["OrderLinesScreen"]
