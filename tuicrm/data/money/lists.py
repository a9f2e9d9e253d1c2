"""The Receipts, Payments and Expenses lists (M1, M4 with L1-L6), defined once: the screens,
their exports and ``tuicrm export receipts|payments|expenses`` read them.

Each lists one kind of money document (option ``kind`` on the expenses list: expense or
income), newest first by date, served by the (kind, date, id) index. A salesperson without
``customer.view_all`` sees the receipts of their own customers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import peewee
from peewee import JOIN

from ...i18n import N_
from ..core.actor import Actor
from ..core.vocab import DocKind
from ..lists.columns import Column
from ..lists.filters import FilterColumn, contains_pattern, filter_columns, ilike
from ..lists.view import ListDef, define
from ..models import Customer, MoneyAccount, MoneyCategory, MoneyDoc, Supplier, User
from ..parties.scope import customer_scope_where

METHOD_TITLES = {"cash": N_("Cash"), "bank": N_("Bank transfer"), "card": N_("Card"),
                 "wechat": N_("WeChat Pay"), "alipay": N_("Alipay"), "other": N_("Other")}


def method_text(value: object) -> str:
    return METHOD_TITLES.get(str(value), str(value or ""))


def _base(kind: DocKind) -> peewee.ModelSelect[Any]:
    return (MoneyDoc.select()
            .join(MoneyAccount, on=(MoneyDoc.account == MoneyAccount.id))
            .switch(MoneyDoc).join(User, JOIN.LEFT_OUTER, on=(MoneyDoc.created_by == User.id))
            .where(MoneyDoc.kind == kind))


def _receipts(actor: Actor, options: Mapping[str, Any]) -> peewee.ModelSelect[Any]:
    query = _base(DocKind.RECEIPT).switch(MoneyDoc).join(
        Customer, JOIN.LEFT_OUTER, on=(MoneyDoc.customer == Customer.id))
    where = customer_scope_where(actor)
    if where is not None:
        query = query.where(where)
    if options.get("customer_id") is not None:
        query = query.where(MoneyDoc.customer == options["customer_id"])
    return query


def _payments(actor: Actor, options: Mapping[str, Any]) -> peewee.ModelSelect[Any]:
    query = _base(DocKind.PAYMENT).switch(MoneyDoc).join(
        Supplier, JOIN.LEFT_OUTER, on=(MoneyDoc.supplier == Supplier.id))
    if options.get("supplier_id") is not None:
        query = query.where(MoneyDoc.supplier == options["supplier_id"])
    return query


def _expenses(actor: Actor, options: Mapping[str, Any]) -> peewee.ModelSelect[Any]:
    kind = DocKind(options.get("kind") or DocKind.EXPENSE)
    if kind not in (DocKind.EXPENSE, DocKind.INCOME):
        kind = DocKind.EXPENSE
    query = _base(kind).switch(MoneyDoc).join(
        MoneyCategory, JOIN.LEFT_OUTER, on=(MoneyDoc.category == MoneyCategory.id))
    if options.get("category_ids"):
        query = query.where(MoneyDoc.category.in_(list(options["category_ids"])))
    return query


def _common(party: tuple[Column, ...]) -> tuple[Column, ...]:
    return (
        Column("date", MoneyDoc.date, "Date", width=10),
        Column("number", MoneyDoc.number, "Number", width=14, sortable=False),
        *party,
        Column("amount", MoneyDoc.amount, "Amount", min_width=9, sortable=False),
        Column("method", MoneyDoc.method, "Method", max_width=13, format=method_text,
               sortable=False),
        Column("account", MoneyAccount.code, "Account", max_width=8, sortable=False),
        Column("reference", MoneyDoc.reference, "Reference", max_width=20, sortable=False),
        Column("user", User.username, "By", max_width=10, sortable=False),
        Column("doc_id", MoneyDoc.id, "Id", internal=True),
    )


def _filters(*extra: FilterColumn) -> dict[str, FilterColumn]:
    return filter_columns(
        FilterColumn("number", "Number", MoneyDoc.number),
        FilterColumn("amount", "Amount", MoneyDoc.amount, "money"),
        FilterColumn("method", "Method", MoneyDoc.method),
        FilterColumn("account", "Account", MoneyAccount.code),
        FilterColumn("reference", "Reference", MoneyDoc.reference),
        FilterColumn("user", "By", User.username),
        FilterColumn("date", "Date", MoneyDoc.date, "date"),
        *extra,
    )


def _search(*columns: Any) -> Any:
    def where(text: str) -> Any:
        pattern = contains_pattern(text)
        cond = ilike(MoneyDoc.number, pattern) | ilike(MoneyDoc.reference, pattern)
        for column in columns:
            cond = cond | ilike(column, pattern)
        return cond

    return where


RECEIPT_FILTERS = _filters(FilterColumn("customer", "Customer code", Customer.code),
                           FilterColumn("customer_name", "Customer", Customer.name))
RECEIPTS = define(ListDef(
    name="receipts",
    title="Receipts",
    permission="money.view",
    columns=_common((
        Column("customer", Customer.code, "Customer", max_width=10, sortable=False),
        Column("customer_name", Customer.name, "Name", min_width=10, max_width=24,
               sortable=False),
    )),
    query=_receipts,
    search=_search(Customer.code, Customer.name),
    filters=RECEIPT_FILTERS,
    date=RECEIPT_FILTERS["date"],
    default_sort=("date", True),
    search_hint="number, customer or reference (/)",
))

PAYMENT_FILTERS = _filters(FilterColumn("supplier", "Supplier code", Supplier.code),
                           FilterColumn("supplier_name", "Supplier", Supplier.name))
PAYMENTS = define(ListDef(
    name="payments",
    title="Payments",
    permission="money.pay",
    columns=_common((
        Column("supplier", Supplier.code, "Supplier", max_width=10, sortable=False),
        Column("supplier_name", Supplier.name, "Name", min_width=10, max_width=24,
               sortable=False),
    )),
    query=_payments,
    search=_search(Supplier.code, Supplier.name),
    filters=PAYMENT_FILTERS,
    date=PAYMENT_FILTERS["date"],
    default_sort=("date", True),
    search_hint="number, supplier or reference (/)",
))

EXPENSE_FILTERS = _filters(FilterColumn("category", "Category", MoneyCategory.name),
                           FilterColumn("notes", "Notes", MoneyDoc.notes))
EXPENSES = define(ListDef(
    name="expenses",
    title="Expenses and other income",
    permission="money.expense",
    columns=_common((
        Column("category", MoneyCategory.name, "Category", min_width=8, max_width=22,
               sortable=False),
    )) + (Column("notes", MoneyDoc.notes, "Notes", max_width=30, sortable=False),),
    query=_expenses,
    search=_search(MoneyCategory.name, MoneyDoc.notes),
    filters=EXPENSE_FILTERS,
    date=EXPENSE_FILTERS["date"],
    default_sort=("date", True),
    default_visible=("date", "number", "category", "amount", "method", "account",
                     "reference", "user"),
    search_hint="number, category, reference or notes (/)",
))
