"""The Orders and Order lines lists (O5 with L1-L6), defined once: every order (and every line
of every order) with its customer or supplier and product, for the list screens, their exports
and ``tuicrm export orders|order-lines``.

A salesperson without ``order.view_all`` / ``customer.view_all`` sees only their orders: the
ones they entered and those of their own customers (``sales.scope``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import peewee
from peewee import JOIN, Case, fn

from ...i18n import N_
from ..core.actor import Actor
from ..core.vocab import DELIVERED_WORDS, OPEN_ORDER_STATUSES, OrderStatus, shown_word
from ..lists.columns import Column
from ..lists.filters import FilterColumn, contains_pattern, escape_like, filter_columns, ilike
from ..lists.view import ListDef, define
from ..models import Customer, Order, OrderLine, Product, Supplier
from .scope import order_scope_where

PARTY_CODE = fn.COALESCE(Customer.code, Supplier.code, "")
PARTY_NAME = fn.COALESCE(Customer.name, Supplier.name, "")
OPEN_STATUSES = OPEN_ORDER_STATUSES

# The status as users read it (``vocab.status_word``): a delivered purchase is "received".
STATUS_SHOWN = Case(None, [((Order.status == str(OrderStatus.DELIVERED))
                            & (Order.kind == str(kind)), word)
                           for kind, word in DELIVERED_WORDS.items()], Order.status)

# The order columns both lists filter on.
_ORDER_FIELDS = (
    FilterColumn("number", "Order number", Order.number),
    FilterColumn("date", "Date", Order.date, "date"),
    FilterColumn("kind", "Kind (quote, sale, purchase, ...)", Order.kind),
    FilterColumn("status", "Status (draft, confirmed, delivered, received, ...)", STATUS_SHOWN),
    FilterColumn("party_code", "Customer / supplier code", PARTY_CODE),
    FilterColumn("party_name", "Customer / supplier name", PARTY_NAME),
)
ORDER_FILTERS = filter_columns(*_ORDER_FIELDS, FilterColumn("total", "Total", Order.total, "money"))
ORDER_LINE_FILTERS = filter_columns(
    *_ORDER_FIELDS,
    FilterColumn("product_code", "Product code", Product.code),
    FilterColumn("product_name", "Product name", Product.name),
    FilterColumn("quantity", "Quantity", OrderLine.quantity, "number"),
    FilterColumn("unit_price", "Unit price", OrderLine.unit_price, "money"),
    FilterColumn("discount", "Discount", OrderLine.discount, "money"),
    FilterColumn("amount", "Amount", OrderLine.amount, "money"),
)


def _with_parties(query: Any) -> peewee.ModelSelect[Any]:
    joined: peewee.ModelSelect[Any] = (
        query.join(Customer, JOIN.LEFT_OUTER, on=(Order.customer == Customer.id))
        .switch(Order)
        .join(Supplier, JOIN.LEFT_OUTER, on=(Order.supplier == Supplier.id))
    )
    return joined


def _scoped(query: peewee.ModelSelect[Any], actor: Actor) -> peewee.ModelSelect[Any]:
    where = order_scope_where(actor)
    return query if where is None else query.where(where)


def _order_search(text: str) -> Any:
    pattern, start = contains_pattern(text), f"{escape_like(text)}%"
    return (ilike(Order.number, pattern) | ilike(Customer.code, start)
            | ilike(Customer.name, pattern) | ilike(Supplier.code, start)
            | ilike(Supplier.name, pattern))


def _orders(actor: Actor, options: Mapping[str, Any]) -> peewee.ModelSelect[Any]:
    """Option ``open_only``: drafts and confirmed orders only; ``kind``: one kind."""
    query: peewee.ModelSelect[Any] = _scoped(_with_parties(Order.select()).switch(Order), actor)
    if options.get("open_only"):
        query = query.where(Order.status.in_(OPEN_STATUSES))
    if options.get("kind"):
        query = query.where(Order.kind == options["kind"])
    return query


ORDERS = define(ListDef(
    name="orders",
    title=N_("Orders"),
    permission=("order.sell", "order.purchase", "order.return", "order.deliver",
                "order.receive"),
    columns=(
        Column("number", Order.number, "Number", width=16),
        Column("date", Order.date, "Date", width=10),
        Column("kind", Order.kind, "Kind", width=9, sortable=False, format=shown_word),
        Column("status", STATUS_SHOWN, "Status", width=9, sortable=False, format=shown_word),
        Column("party", PARTY_NAME, "Customer / supplier", min_width=12, max_width=30,
               sortable=False),
        Column("total", Order.total, "Total", min_width=9, sortable=False),
        Column("party_code", PARTY_CODE, "Customer / supplier code", internal=True),
    ),
    query=_orders,
    search=_order_search,
    filters=ORDER_FILTERS,
    date=ORDER_FILTERS["date"],
    default_sort=("date", True),
    default_visible=("number", "date", "kind", "status", "party", "total"),
    search_hint=N_("number, customer or supplier (/)"),
))


def _lines(actor: Actor, options: Mapping[str, Any]) -> peewee.ModelSelect[Any]:
    """Option ``kind``: the lines of one kind of order."""
    query = (
        OrderLine.select()
        .join(Order, on=(OrderLine.order == Order.id))
        .join(Customer, JOIN.LEFT_OUTER, on=(Order.customer == Customer.id))
        .switch(Order)
        .join(Supplier, JOIN.LEFT_OUTER, on=(Order.supplier == Supplier.id))
        .switch(OrderLine)
        .join(Product, on=(OrderLine.product == Product.id))
        .switch(OrderLine)
    )
    if options.get("kind"):
        query = query.where(Order.kind == options["kind"])
    return _scoped(query, actor)


def _line_search(text: str) -> Any:
    pattern, start = contains_pattern(text), f"{escape_like(text)}%"
    return (_order_search(text) | ilike(Product.code, start) | ilike(Product.name, pattern))


ORDER_LINES = define(ListDef(
    name="order_lines",
    title=N_("Order lines"),
    permission=("order.sell", "order.purchase", "order.return", "order.deliver",
                "order.receive"),
    columns=(
        Column("number", Order.number, "Order", width=16, sortable=False),
        Column("date", Order.date, "Date", width=10, sortable=False),
        Column("kind", Order.kind, "Kind", max_width=9, sortable=False, format=shown_word),
        Column("status", STATUS_SHOWN, "Status", max_width=9, sortable=False,
               format=shown_word),
        Column("party_code", PARTY_CODE, "Cust/supp", max_width=10, sortable=False),
        Column("party_name", PARTY_NAME, "Customer / supplier", max_width=20, sortable=False),
        Column("product_code", Product.code, "Product", max_width=12, sortable=False),
        Column("product_name", Product.name, "Product name", max_width=18, sortable=False),
        Column("quantity", OrderLine.quantity, "Qty", min_width=4, sortable=False),
        Column("unit_price", OrderLine.unit_price, "Price", min_width=6, sortable=False),
        Column("discount", OrderLine.discount, "Disc.", min_width=5, sortable=False),
        Column("amount", OrderLine.amount, "Amount", min_width=8, sortable=False),
        Column("order_id", OrderLine.order, "Order id", internal=True),
    ),
    query=_lines,
    search=_line_search,
    filters=ORDER_LINE_FILTERS,
    date=ORDER_LINE_FILTERS["date"],
    # Newest orders first, by the order id the line table indexes: sorting a million lines by
    # their order's date would sort them all for every page.
    default_sort=("order_id", True),
    default_visible=("number", "date", "party_name", "product_code", "quantity", "amount"),
    search_hint=N_("order, customer/supplier, product (/)"),
))
