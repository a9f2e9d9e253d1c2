"""Orders of every kind - quotes, sales, sales returns, purchases, returns to suppliers - as one
place to import them from (``from tuicrm.data.sales import orders``).

Where each part lives: ``drafts`` (a new draft, alone or with its first line; customer,
validity, order discount; a draft sale made a quote), ``lines`` (adding by product or scan,
quantity, price, discount, delete), ``lifecycle`` (confirm, deliver, receive, complete a sale,
quote to order, cancel), ``returns`` (start and book a return), ``reading`` (readers),
``rows`` (the plain rows all of them return), ``rules`` (permissions by kind, amounts),
``entry`` (order entry's controller, which the screen drives).
"""

from __future__ import annotations

from .drafts import (
    new_order,
    sale_to_quote,
    set_customer,
    set_order_discount,
    set_valid_until,
    start_order,
)
from .lifecycle import cancel, complete_sale, confirm, convert_quote, deliver, receive
from .lines import (
    add_line,
    add_scan,
    delete_line,
    set_line_discount,
    set_price,
    set_quantity,
)
from .reading import (
    OrderDocument,
    Party,
    customer_party,
    find_order,
    get_order,
    list_orders,
    order_document,
    order_lines,
    supplier_party,
)
from .returns import complete_return, start_return
from .rows import LineChange, LineEdit, OrderHeader, OrderLineRow, StockResult
from .rules import KIND_TITLES, default_price, line_amount, title

__all__ = [
    "KIND_TITLES", "LineChange", "LineEdit", "OrderDocument", "OrderHeader", "OrderLineRow",
    "Party", "StockResult", "add_line", "add_scan", "cancel", "complete_return",
    "complete_sale", "confirm", "convert_quote", "customer_party", "default_price",
    "delete_line", "deliver", "find_order", "get_order", "line_amount",
    "list_orders", "new_order", "order_document", "order_lines", "receive", "sale_to_quote",
    "set_customer", "set_line_discount", "set_order_discount", "set_price", "set_quantity",
    "set_valid_until", "start_order", "start_return", "supplier_party", "title",
]
