"""Daily takings (SPEC M1, R7): the money taken in per payment method, for closing the till.

``tuicrm report takings [--from DATE] [--to DATE] [--by method|day|cashier]`` (default: today,
by method). Receipts from customers - at the counter and on the Receipts screen - less the
refunds paid back to customers, per payment method (cash, card, WeChat Pay, Alipay, bank
transfer, other); by day or by cashier (the user who recorded the money, since each person
closes their own till) one row per day or cashier and method. A user who sees only their own
customers sees only the money they recorded themselves. Stable headers: ``day`` / ``cashier``,
``method``, ``documents`` (receipts and refunds counted), ``received``, ``refunded``, ``net``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ...data.core.money import fmt_money
from ...data.money.lists import METHOD_TITLES
from ...data.parties.scope import sees_all_customers
from ...i18n import N_, _
from .. import money_data as data
from ..engine import TO, Column, Param, RunContext, Table, by_param, report, same_day

TODAY_FROM = Param("from", "date", N_("From"), same_day, help=N_("first day (default: today)"))
BY = by_param(("method", "day", "cashier"), "method",
              (N_("Payment method"), N_("Day"), N_("Cashier")))


def method_title(method: str) -> str:
    return _(METHOD_TITLES[method]) if method in METHOD_TITLES else method


def _cents(value: int) -> Decimal:
    return Decimal(value).scaleb(-2)


def user_name(users: dict[int, tuple[str, str]], uid: int | None) -> str:
    """A user's full name (else user name) from ``users`` (id -> (username, full name))."""
    if uid is None:
        return _("(nobody)")
    username, full_name = users.get(uid, (f"#{uid}", ""))
    return full_name or username


@report("takings", N_("Daily takings"), params=(TODAY_FROM, TO, BY), permission="money.view",
        description=N_("Money taken per payment method (receipts less refunds), by day or "
                       "cashier, for closing the till"))
def takings(ctx: RunContext) -> Table:
    start, end, by = ctx.params["from"], ctx.params["to"], ctx.params["by"]
    owner = None if sees_all_customers(ctx.actor) else ctx.actor.id
    ctx.progress(0, 2)
    raw = data.takings(start, end, owner)
    ctx.progress(1, 2)
    sums: dict[tuple[Any, str], list[int]] = {}
    if by == "method":  # the till: every method, counted or not
        for method in data.TILL_ORDER:
            sums[(None, method)] = [0, 0, 0, 0]
    for day, method, uid, n_in, cents_in, n_out, cents_out in raw:
        group: Any = None if by == "method" else day if by == "day" else uid
        s = sums.setdefault((group, method), [0, 0, 0, 0])
        s[0] += n_in
        s[1] += cents_in
        s[2] += n_out
        s[3] += cents_out
    users = data.users() if by == "cashier" else {}
    order = {m: i for i, m in enumerate(data.TILL_ORDER)}

    def sort_key(item: tuple[tuple[Any, str], list[int]]) -> tuple[Any, ...]:
        (group, method), _s = item
        first: Any = ("" if group is None else group.isoformat() if isinstance(group, dt.date)
                      else user_name(users, group))
        return first, order.get(method, len(order)), method

    rows: list[tuple[Any, ...]] = []
    for (group, method), (n_in, cents_in, n_out, cents_out) in sorted(sums.items(),
                                                                      key=sort_key):
        lead: tuple[Any, ...] = () if by == "method" else (
            (group,) if by == "day" else (user_name(users, group),))
        rows.append((*lead, method_title(method), n_in + n_out, _cents(cents_in),
                     _cents(cents_out), _cents(cents_in - cents_out)))
    ctx.progress(2, 2)
    first: tuple[Column, ...] = () if by == "method" else (
        (Column("day", _("Day"), "date"),) if by == "day" else (
            Column("cashier", _("Cashier")),))
    cols = (*first, Column("method", _("Method")),
            Column("documents", _("Docs"), "int", "sum"),
            Column("received", _("Received"), "money", "sum"),
            Column("refunded", _("Refunded"), "money", "sum"),
            Column("net", _("Net"), "money", "sum"))
    net = sum(s[1] - s[3] for s in sums.values())
    notes = [_("Receipts at the counter and on the Receipts screen less refunds to "
               "customers, by the day recorded; cash as kept (change given is not in it). "
               "Net taken: {amount}").format(amount=fmt_money(_cents(net)))]
    if owner is not None:
        notes.append(_("Only the money you recorded yourself."))
    return Table(cols, rows, subtitle=ctx.period_text(), notes=tuple(notes),
                 chart="net" if by == "method" else None)
