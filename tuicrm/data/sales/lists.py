"""The queries behind the Orders and Order lines lists (O5): every order (and every line of
every order) with its customer or supplier and product, for the list screens and their exports
to page through.

Like the customer list, a user without ``customer.view_all`` sees only the lines of orders
that are theirs: orders they entered (``Order.salesperson``) or orders of their own customers.
"""

from __future__ import annotations

from typing import Any

from peewee import JOIN, fn

from ..core.actor import Actor
from ..lists.filters import FilterColumn, contains_pattern, escape_like, filter_columns, ilike
from ..models import Customer, Order, OrderLine, Product, Supplier
from ..parties.customers import sees_all

PARTY_CODE = fn.COALESCE(Customer.code, Supplier.code, "")
PARTY_NAME = fn.COALESCE(Customer.name, Supplier.name, "")


# The order columns both lists filter on.
_ORDER_FIELDS = (
    FilterColumn("number", "Order number", Order.number),
    FilterColumn("date", "Date", Order.date, "date"),
    FilterColumn("kind", "Kind (quote, sale, purchase, ...)", Order.kind),
    FilterColumn("status", "Status", Order.status),
    FilterColumn("party_code", "Customer / supplier code", PARTY_CODE),
    FilterColumn("party_name", "Customer / supplier name", PARTY_NAME),
)
# Custom filter (L2) columns of the Order lines list.
ORDER_LINE_COLUMNS = filter_columns(
    *_ORDER_FIELDS,
    FilterColumn("product_code", "Product code", Product.code),
    FilterColumn("product_name", "Product name", Product.name),
    FilterColumn("quantity", "Quantity", OrderLine.quantity, "number"),
    FilterColumn("unit_price", "Unit price", OrderLine.unit_price, "money"),
    FilterColumn("discount", "Discount", OrderLine.discount, "money"),
    FilterColumn("amount", "Amount", OrderLine.amount, "money"),
)
# Custom filter (L2) columns of the Orders list.
ORDER_COLUMNS = filter_columns(*_ORDER_FIELDS, FilterColumn("total", "Total", Order.total, "money"))

OPEN_STATUSES = ("draft", "confirmed")


def _with_parties(query: Any) -> Any:
    return (
        query.join(Customer, JOIN.LEFT_OUTER, on=(Order.customer == Customer.id))
        .switch(Order)
        .join(Supplier, JOIN.LEFT_OUTER, on=(Order.supplier == Supplier.id))
    )


def _scoped(query: Any, actor: Actor) -> Any:
    if sees_all(actor):
        return query
    return query.where((Order.salesperson == actor.id) | (Customer.salesperson == actor.id))


def orders_query(actor: Actor, search: str | None = None, *,
                 open_only: bool = False) -> Any:
    """Every order with its customer / supplier (LEFT); only drafts and confirmed ones with
    ``open_only``; narrowed to what ``actor`` may see and by a quick search (number, customer
    or supplier code or name). Unordered: the list pages it by keyset."""
    query = _scoped(_with_parties(Order.select()).switch(Order), actor)
    if open_only:
        query = query.where(Order.status.in_(OPEN_STATUSES))
    text = (search or "").strip()
    if text:
        pattern = contains_pattern(text)
        query = query.where(
            ilike(Order.number, pattern) | ilike(Customer.code, f"{escape_like(text)}%")
            | ilike(Customer.name, pattern) | ilike(Supplier.code, f"{escape_like(text)}%")
            | ilike(Supplier.name, pattern)
        )
    return query


def order_lines_query(actor: Actor, search: str | None = None) -> Any:
    """Every order line joined to its order, customer / supplier (LEFT) and product; narrowed
    to what ``actor`` may see and by a quick search (order number, customer / supplier code or
    name, product code or name). Unordered and unlimited: the list pages it by keyset."""
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
    if not sees_all(actor):
        query = query.where((Order.salesperson == actor.id) | (Customer.salesperson == actor.id))
    text = (search or "").strip()
    if text:
        pattern = contains_pattern(text)
        query = query.where(
            ilike(Order.number, pattern) | ilike(Customer.code, f"{escape_like(text)}%")
            | ilike(Customer.name, pattern) | ilike(Supplier.code, f"{escape_like(text)}%")
            | ilike(Supplier.name, pattern) | ilike(Product.code, f"{escape_like(text)}%")
            | ilike(Product.name, pattern)
        )
    return query


__all__ = ["ORDER_COLUMNS", "ORDER_LINE_COLUMNS", "PARTY_CODE", "PARTY_NAME", "order_lines_query",
           "orders_query"]
