"""Expenses and other income by category (SPEC M4): a category tree (the generic ``Tree``),
and each expense or income a money document with its method and cash box or account."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..core.money import Number, from_cents
from ..core.operation import Op, operation, reader
from ..core.tree import Tree
from ..core.vocab import DocKind, PayMethod
from ..models.money import MoneyAccount, MoneyCategory, MoneyDoc
from .documents import Recorded, new_doc, pay_method, positive_amount

money_categories = Tree(
    MoneyCategory,
    MoneyDoc.category,
    entity="money_category",
    label="category",
    view_permission="money.expense",
    edit_permission="money.expense",
)


def _record(op: Op, kind: DocKind, amount: Number, method: PayMethod | str,
            category_id: int | None, account: str | None, date: dt.date | None,
            reference: str, notes: str) -> Recorded:
    cents = positive_amount(amount)
    how = pay_method(method)
    if category_id is not None:
        money_categories.get(int(category_id))  # NotFound for a missing one
    doc_id, number, _day = new_doc(op, kind, cents, how, account=account, date=date,
                                   reference=reference, notes=notes, category_id=category_id)
    op.audit("money_doc", doc_id, "create", {"number": number, "kind": kind,
                                             "amount": from_cents(cents), "method": how,
                                             "category": category_id})
    return Recorded(doc_id, number, kind, from_cents(cents), None, (), from_cents(0))


@operation("money.expense")
def record_expense(op: Op, amount: Number, method: PayMethod | str = "cash", *,
                   category_id: int | None = None, account: str | None = None,
                   date: dt.date | None = None, reference: str = "",
                   notes: str = "") -> Recorded:
    """Money out for rent, wages, transport, ...: by category, from a cash box or account."""
    return _record(op, DocKind.EXPENSE, amount, method, category_id, account, date,
                   reference, notes)


@operation("money.expense")
def record_income(op: Op, amount: Number, method: PayMethod | str = "cash", *,
                  category_id: int | None = None, account: str | None = None,
                  date: dt.date | None = None, reference: str = "",
                  notes: str = "") -> Recorded:
    """Other income (interest, scrap sales, ...), by category."""
    return _record(op, DocKind.INCOME, amount, method, category_id, account, date,
                   reference, notes)


@reader(None)
def account_choices(op: Op) -> list[tuple[str, str]]:
    """(code, name) of the active cash boxes and accounts, for a form's choice."""
    rows: Any = (MoneyAccount.select(MoneyAccount.code, MoneyAccount.name)
            .where(MoneyAccount.active == True)  # noqa: E712
            .order_by(MoneyAccount.code).tuples())
    return [(str(c), str(n)) for c, n in rows]
