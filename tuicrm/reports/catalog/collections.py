"""Collections (SPEC R4, M2): money received against customers' invoices in a period.

``tuicrm report collections [--from DATE] [--to DATE] [--by customer|salesperson|method]
[--top N]``: the receipts allocated to invoices in the period (by the day the money was put
on the invoice; undone allocations left out), per customer, per salesperson (the customer's)
or per payment method. Money still on account (received, not yet on an invoice) is not a
collection until it is allocated. A user who sees only their own customers sees only theirs.
Stable headers: ``code`` and ``customer``, ``salesperson`` or ``method``; ``receipts``,
``amount``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ...data.parties.scope import sees_all_customers
from ...i18n import N_, _
from .. import money_data as data
from ..engine import FROM, TO, TOP, Column, RunContext, Table, by_param, report
from .takings import method_title, user_name

BY = by_param(("customer", "salesperson", "method"), "customer",
              (N_("Customer"), N_("Salesperson"), N_("Payment method")))


def collected_by_salesperson(ctx: RunContext) -> dict[int | None, int]:
    """Cents collected per salesperson id (None: customers with nobody) in ctx's period."""
    out: dict[int | None, int] = {}
    owner = None if sees_all_customers(ctx.actor) else ctx.actor.id
    for _c, salesperson, _m, _n, cents in data.collections(ctx.params["from"],
                                                           ctx.params["to"], owner):
        out[salesperson] = out.get(salesperson, 0) + cents
    return out


@report("collections", N_("Collections"), params=(FROM, TO, BY, TOP), permission="money.view",
        description=N_("Money received against customers' invoices, by customer, salesperson "
                       "or payment method"))
def collections(ctx: RunContext) -> Table:
    start, end, by = ctx.params["from"], ctx.params["to"], ctx.params["by"]
    owner = None if sees_all_customers(ctx.actor) else ctx.actor.id
    ctx.progress(0, 2)
    raw = data.collections(start, end, owner)
    ctx.progress(1, 2)
    sums: dict[Any, list[int]] = {}
    for customer, salesperson, method, receipts, cents in raw:
        key = {"customer": customer, "salesperson": salesperson, "method": method}[by]
        s = sums.setdefault(key, [0, 0])
        s[0] += receipts
        s[1] += cents
    rows: list[tuple[Any, ...]] = []
    if by == "customer":
        names = data.customers({k for k in sums})
        cols: tuple[Column, ...] = (Column("code", _("Code")),
                                    Column("customer", _("Customer")))
        for k, (n, cents) in sums.items():
            code, name = names.get(k, ("", f"#{k}"))
            rows.append((code, name, n, Decimal(cents).scaleb(-2)))
    elif by == "salesperson":
        users = data.users()
        cols = (Column("salesperson", _("Salesperson")),)
        rows = [(user_name(users, k), n, Decimal(cents).scaleb(-2))
                for k, (n, cents) in sums.items()]
    else:
        cols = (Column("method", _("Method")),)
        rows = [(method_title(k), n, Decimal(cents).scaleb(-2)) for k, (n, cents) in
                sums.items()]
    amount = len(cols) + 1
    rows.sort(key=lambda r: (-r[amount], str(r[0])))
    ctx.progress(2, 2)
    cols += (Column("receipts", _("Receipts"), "int", "sum"),
             Column("amount", _("Collected"), "money", "sum"))
    notes = [_("Receipts put on invoices in the period (by the day allocated; undone ones "
               "left out). Salesperson: the customer's.")]
    if owner is not None:
        notes.append(_("Only your own customers."))
    return Table(cols, rows, subtitle=ctx.period_text(), notes=tuple(notes),
                 rank_by="amount", chart="amount")
