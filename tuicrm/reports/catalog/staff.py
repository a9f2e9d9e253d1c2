"""Staff performance (R4): per salesperson, in a period, new customers, activities logged,
follow-ups done, sales and margin.

- **New customers**: customers created in the period whose salesperson is that user.
- **Activities**: calls, visits, e-mails and meetings the user logged in the period.
- **Follow-ups done**: the user's follow-up reminders marked done in the period.
- **Sales / margin**: delivered sales less booked returns whose salesperson is that user
  (the same figures as ``tuicrm report sales --by salesperson``); margin needs
  ``product.see_cost``.
- **Collections**: receipts allocated to invoices of the customers they look after, in the
  period (the same figures as ``tuicrm report collections --by salesperson``); needs
  ``money.view``.

Every active user appears (a user with nothing in the period shows zeros), plus anyone
inactive who still has figures in the period.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ...data.core.db import database
from ...data.core.vocab import ReminderStatus
from ...i18n import N_, _
from .. import sales_data as data
from ..engine import FROM, TO, TOP, Column, Ratio, RunContext, Table, report
from .collections import collected_by_salesperson

SEE_COST = "product.see_cost"
SEE_MONEY = "money.view"


def _counts(sql: str, start: dt.date, end: dt.date) -> dict[int, int]:
    """``user id -> count`` from ``sql`` with a [start, end + 1 day) time range."""
    after = dt.datetime.combine(start, dt.time()).isoformat(sep=" ")
    before = dt.datetime.combine(end + dt.timedelta(days=1), dt.time()).isoformat(sep=" ")
    return {int(u): int(n) for u, n in database.execute_sql(sql, (after, before)) if u is not None}


@report("staff", N_("Staff performance"), params=(FROM, TO, TOP), permission="report.view",
        description=N_("Per salesperson: new customers, activities, follow-ups done, sales, "
                       "margin, collections"))
def staff(ctx: RunContext) -> Table:
    start, end = ctx.params["from"], ctx.params["to"]
    p = database.param
    ctx.progress(0, 5)
    new_customers = _counts(
        f"SELECT salesperson_id, COUNT(*) FROM customer WHERE created_at >= {p} "
        f"AND created_at < {p} GROUP BY salesperson_id", start, end)
    activities = _counts(
        f"SELECT user_id, COUNT(*) FROM activity WHERE at >= {p} AND at < {p} "
        f"GROUP BY user_id", start, end)
    ctx.progress(1, 5)
    follow_ups = _counts(
        f"SELECT assignee_id, COUNT(*) FROM reminder WHERE kind = 'follow_up' "
        f"AND status = '{ReminderStatus.DONE}' AND done_at >= {p} AND done_at < {p} "
        f"GROUP BY assignee_id", start, end)
    ctx.progress(2, 5)
    sales = {k: f for k, _c, _n, f in data.grouped("salesperson", start, end,
                                                   ctx.allowed(SEE_COST))}
    ctx.progress(3, 5)
    collected = collected_by_salesperson(ctx) if ctx.allowed(SEE_MONEY) else {}
    ctx.progress(4, 5)
    users = {int(r[0]): r[1:] for r in database.execute_sql(
        'SELECT id, username, full_name, active FROM "user"')}
    ids = {u for u, (_n, _f, active) in users.items() if active}
    ids |= set(new_customers) | set(activities) | set(follow_ups)
    ids |= {k for k in sales if k is not None} | {k for k in collected if k is not None}
    rows: list[tuple[Any, ...]] = []
    for uid in ids:
        username, full_name, _active = users.get(uid, (str(uid), "", False))
        f = sales.get(uid, data.ZERO)
        rows.append((full_name or username, username, new_customers.get(uid, 0),
                     activities.get(uid, 0), follow_ups.get(uid, 0), f.amount, f.margin,
                     data.percent_of(f.margin_cents, f.amount_cents),
                     Decimal(collected.get(uid, 0)).scaleb(-2)))
    if None in sales or None in collected:  # counter sales without a salesperson, ...
        f = sales.get(None, data.ZERO)
        rows.append((_("(nobody)"), "", 0, 0, 0, f.amount, f.margin,
                     data.percent_of(f.margin_cents, f.amount_cents),
                     Decimal(collected.get(None, 0)).scaleb(-2)))
    rows.sort(key=lambda r: (-r[5], str(r[0])))
    ctx.progress(5, 5)
    cols = (Column("salesperson", _("Salesperson")), Column("username", _("User")),
            Column("new_customers", _("New cust."), "int", "sum"),
            Column("activities", _("Activities"), "int", "sum"),
            Column("follow_ups", _("Follow-ups"), "int", "sum"),
            Column("sales", _("Sales"), "money", "sum"),
            Column("margin", _("Margin"), "money", "sum", needs=SEE_COST),
            Column("margin_pct", _("Margin %"), "percent", Ratio("margin", "sales"),
                   needs=SEE_COST),
            Column("collections", _("Collected"), "money", "sum", needs=SEE_MONEY))
    return Table(cols, rows, subtitle=ctx.period_text(), rank_by="sales", chart="sales",
                 notes=(_("Sales: delivered sales less booked returns, by the order's "
                          "salesperson. Collected: receipts put on invoices of the "
                          "customers they look after, in the period."),))
