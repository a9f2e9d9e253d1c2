"""``tuicrm export receipts|payments|expenses``: money documents with stable lower-case
English headers, over the same list definitions as the screens.

- receipts: ``number, date, customer, customer_name, amount, method, account, reference, by``
- payments: ``number, date, supplier, supplier_name, amount, method, account, reference, by``
- expenses: ``number, date, kind, category, amount, method, account, reference, notes, by``
  (expenses and other income, ``kind`` saying which; ``category`` its ``parent/child`` path)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .spreadsheet import ExportColumn

MONEY_WHAT = ("receipts", "payments", "expenses")

Rows = tuple[list[ExportColumn], Iterator[tuple[Any, ...]], int]


def _columns(*party: str) -> list[ExportColumn]:
    return [ExportColumn("number"), ExportColumn("date", "date"),
            *(ExportColumn(p) for p in party), ExportColumn("amount", "money"),
            ExportColumn("method"), ExportColumn("account"), ExportColumn("reference")]


def money_rows(actor: Any, what: str, *, search: str | None = None) -> Rows:
    from ..data.core.permissions import require
    from ..data.lists.view import ListRequest, narrowed
    from ..data.models import Customer, MoneyAccount, MoneyDoc, Supplier, User
    from ..data.money import lists
    from ..data.money.expenses import money_categories

    require(actor, "export")
    common = (MoneyDoc.amount, MoneyDoc.method, MoneyAccount.code, MoneyDoc.reference)
    if what == "receipts":
        query = narrowed(actor, lists.RECEIPTS, ListRequest(search=search or "")).select(
            MoneyDoc.number, MoneyDoc.date, Customer.code, Customer.name, *common,
            User.username)
        cols = _columns("customer", "customer_name")
    elif what == "payments":
        query = narrowed(actor, lists.PAYMENTS, ListRequest(search=search or "")).select(
            MoneyDoc.number, MoneyDoc.date, Supplier.code, Supplier.name, *common,
            User.username)
        cols = _columns("supplier", "supplier_name")
    else:
        parts = []
        for kind in ("expense", "income"):
            q = narrowed(actor, lists.EXPENSES, ListRequest(search=search or "",
                                                            options={"kind": kind}))
            parts.append(q.select(MoneyDoc.number, MoneyDoc.date, MoneyDoc.kind,
                                  MoneyDoc.category, *common, MoneyDoc.notes, User.username,
                                  MoneyDoc.id))
        cols = [ExportColumn("number"), ExportColumn("date", "date"), ExportColumn("kind"),
                ExportColumn("category"), *_columns()[2:], ExportColumn("notes"),
                ExportColumn("by")]
        nodes = {n.id: n.path for n in money_categories.read_nodes(counts=False)}
        total = sum(q.count() for q in parts)

        def expense_rows() -> Iterator[tuple[Any, ...]]:
            for q in parts:
                for r in q.order_by(MoneyDoc.date, MoneyDoc.id).tuples().iterator():
                    yield (r[0], r[1], r[2], nodes.get(r[3], ""), *r[4:8], r[8],
                           r[9] or "")

        return cols, expense_rows(), total
    cols.append(ExportColumn("by"))
    ordered = query.order_by(MoneyDoc.date, MoneyDoc.id)

    def rows() -> Iterator[tuple[Any, ...]]:
        for r in ordered.tuples().iterator():
            yield (*r[:-1], r[-1] or "")

    return cols, rows(), ordered.count()
