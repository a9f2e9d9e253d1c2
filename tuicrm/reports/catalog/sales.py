"""Sales reports (R1): what sold, to whom, at what margin; compared with another period.

``tuicrm report sales --by customer --from 2026-01-01 --to 2026-06-30 --top 20 --compare
last-year``. Groupings: customer, product, category, salesperson, customer group, region, and
day, week, month, quarter or year. Quantity, amount, cost, margin and margin %; cost and
margin are left out for users without ``product.see_cost``. Returns are netted (see
``sales_data`` for what counts as a sale).
"""

from __future__ import annotations

from decimal import Decimal
from operator import itemgetter
from typing import Any

from ...i18n import N_, _
from .. import sales_data as data
from ..engine import (
    FROM,
    TO,
    TOP,
    Column,
    Param,
    Ratio,
    RunContext,
    Table,
    by_param,
    report,
)
from ..made_rows import MadeRows
from ..sales_data import Figures

SEE_COST = "product.see_cost"
COMPARE = Param("compare", "choice", N_("Compare with"), "none",
                ("none", "previous", "last-year"),
                help=N_("add the amount of the previous period or of the same days last year, "
                        "with the change and change %"),
                choice_labels=(N_("nothing"), N_("previous period"), N_("same days last year")))

_KEY_TITLES = {
    "customer": N_("Customer"), "product": N_("Product"), "category": N_("Category"),
    "salesperson": N_("Salesperson"), "group": N_("Customer group"), "region": N_("Region"),
    "day": N_("Day"), "week": N_("Week"), "month": N_("Month"), "quarter": N_("Quarter"),
    "year": N_("Year"),
}


def figure_columns() -> tuple[Column, ...]:
    return (
        Column("quantity", _("Qty"), "qty", "sum"),
        Column("amount", _("Amount"), "money", "sum"),
        Column("cost", _("Cost"), "money", "sum", needs=SEE_COST),
        Column("margin", _("Margin"), "money", "sum", needs=SEE_COST),
        Column("margin_pct", _("Margin %"), "percent", Ratio("margin", "amount"), needs=SEE_COST),
    )


def figure_values(f: Figures) -> tuple[Any, ...]:
    cost = f.cost_cents
    margin = f.amount_cents - cost
    return (Decimal(f.qty_milli).scaleb(-3), Decimal(f.amount_cents).scaleb(-2),
            Decimal(cost).scaleb(-2), Decimal(margin).scaleb(-2),
            data.percent_of(margin, f.amount_cents))


def _compare_columns(how: str) -> tuple[Column, ...]:
    title = _("Last year") if how == "last-year" else _("Previous")
    return (
        Column("compare_amount", title, "money", "sum"),
        Column("change", _("Change"), "money", "sum"),
        Column("change_pct", _("Change %"), "percent", Ratio("change", "compare_amount")),
    )


def _compare_values(now: Figures, then: Figures) -> tuple[Any, ...]:
    change = now.amount_cents - then.amount_cents
    return (then.amount, Decimal(change).scaleb(-2), data.percent_of(change, then.amount_cents))


def _labelled(key: str, rows: list[tuple[Any, str, str, Figures]]) -> dict[Any, tuple[str, ...]]:
    """Each group's label cells (code and name, or one name)."""
    none = {"customer": _("(no customer)"), "salesperson": _("(nobody)"),
            "category": _("(no category)"), "group": _("(no group)"),
            "region": _("(no region)")}
    paths: dict[int, str] = {}
    if key in ("category", "group"):
        paths = data.tree_paths("product_category" if key == "category" else "customer_group")
    out: dict[Any, tuple[str, ...]] = {}
    for k, code, name, _f in rows:
        if key in ("customer", "product"):
            out[k] = (code, name) if k is not None else ("", none[key])
        elif key == "salesperson":
            out[k] = (name or code,) if k is not None else (none[key],)
        elif key in ("category", "group"):
            out[k] = (paths.get(k, str(k)),) if k is not None else (none[key],)
        else:  # region
            out[k] = (k,) if k else (none[key],)
    return out


def _parties(ctx: RunContext, key: str, with_cost: bool) -> Table:
    """Sales by customer or product without comparison: tens of thousands of groups, so the
    report keeps the integer sums, sorted and added up as integers, and a row's Decimals are
    made when it is read (``MadeRows``; measured: 1.25x -> 1.1x the bare GROUP BY at 45,000
    customers)."""
    start, end = ctx.params["from"], ctx.params["to"]
    raw = data.party_rows(key, start, end, with_cost)
    # Largest amount first, equal amounts in key order (a stable sort): one C-level sort on
    # the integers; a Python key function (or ORDER BY) costs 5x as much here.
    raw.sort(key=itemgetter(4), reverse=True)
    ctx.progress(1, 2)
    nobody = _("(no customer)") if key == "customer" else ""
    # Decimal(n) * Decimal("0.01") is exact with the exponent -2, like scaleb(-2), in one
    # C call instead of two
    dec, milli, cent = Decimal, Decimal("0.001"), Decimal("0.01")

    def made(r: tuple[Any, ...]) -> tuple[Any, ...]:
        k, code, name, q, a, cost = r
        return (code or "", (name or "") if k is not None else nobody, dec(q) * milli,
                dec(a) * cent, dec(cost) * cent, dec(a - cost) * cent,
                data.percent_of(a - cost, a))

    # the totals row, in integers: exactly the sum of the rows
    sum_q, sum_a, sum_cost = (sum(map(itemgetter(i), raw)) for i in (3, 4, 5))
    cols = (Column("code", _("Code")), Column(key, _(_KEY_TITLES[key])))
    ctx.progress(2, 2)
    totals = made((None, None, None, sum_q, sum_a, sum_cost))[2:]  # its figures, as a row's
    return Table(cols + figure_columns(), MadeRows(raw, made), subtitle=ctx.period_text(),
                 notes=_notes(ctx, with_cost), rank_by="amount", chart="amount",
                 totals=(None, None, *totals), ranked=True)


def _notes(ctx: RunContext, with_cost: bool) -> tuple[str, ...]:
    """What the figures count, the order discounts left out, the comparison period."""
    start, end, how = ctx.params["from"], ctx.params["to"], ctx.params["compare"]
    notes = [_("Delivered sales less booked returns, by order date; amounts after line "
               "discounts.")]
    discounts = data.order_discounts(start, end)
    if discounts:
        notes.append(_("Order discounts not in the amounts above: {amount}").format(
            amount=f"{discounts:,}"))
    if with_cost:
        notes.append(_("Cost at the products' current cost prices."))
    if how != "none":
        c_start, c_end = data.comparison_period(start, end, how)
        notes.append(_("Compared with {start} to {end}.").format(start=c_start, end=c_end))
    return tuple(notes)


@report("sales", N_("Sales"), params=(FROM, TO, by_param(data.KEYS, "customer", [_KEY_TITLES[k] for k in data.KEYS]), TOP, COMPARE),
        permission="report.view",
        description=N_("Quantity, amount, cost and margin by customer, product, category, "
                       "salesperson, customer group, region or period; returns netted"))
def sales(ctx: RunContext) -> Table:
    start, end, key = ctx.params["from"], ctx.params["to"], ctx.params["by"]
    how = ctx.params["compare"]
    with_cost = ctx.allowed(SEE_COST)
    steps = 2 if how == "none" else 3
    ctx.progress(0, steps)
    if how == "none" and key in ("customer", "product"):
        return _parties(ctx, key, with_cost)
    rows = data.grouped(key, start, end, with_cost)
    ctx.progress(1, steps)
    then_rows: list[tuple[Any, str, str, Figures]] = []
    if how != "none":
        c_start, c_end = data.comparison_period(start, end, how)
        then_rows = data.grouped(key, c_start, c_end, with_cost)
        ctx.progress(2, steps)
    compare_cols = _compare_columns(how) if how != "none" else ()
    title = _(_KEY_TITLES[key])
    out: list[tuple[Any, ...]] = []
    if key in data.PERIOD_KEYS:
        cols: tuple[Column, ...] = (Column("period", title),)
        now = data.fold_periods(key, start, end, rows)
        then = data.fold_periods(key, *data.comparison_period(start, end, how),
                                 then_rows) if how != "none" else []
        for i, (label, f) in enumerate(now):
            extra = _compare_values(f, then[i][1] if i < len(then) else data.ZERO) if then \
                else ()
            out.append((label, *figure_values(f), *extra))
    else:
        labels = _labelled(key, rows + then_rows)
        if key in ("customer", "product"):
            cols = (Column("code", _("Code")), Column(key, title))
        else:
            cols = (Column(key, title),)
        now_by = {k: f for k, _c, _n, f in rows}
        then_by = {k: f for k, _c, _n, f in then_rows}
        keys = list(now_by) + [k for k in then_by if k not in now_by]
        zero = data.ZERO
        # Largest amount first, sorted on the integers (before any Decimal is made).
        keys.sort(key=lambda k: (-now_by.get(k, zero).amount_cents, labels[k]))
        if how == "none":
            out = [(*labels[k], *figure_values(now_by[k])) for k in keys]
        else:
            out = [(*labels[k], *figure_values(now_by.get(k, zero)),
                    *_compare_values(now_by.get(k, zero), then_by.get(k, zero))) for k in keys]
    ctx.progress(steps, steps)
    return Table(cols + figure_columns() + compare_cols, out, subtitle=ctx.period_text(),
                 notes=_notes(ctx, with_cost), rank_by=None if key in data.PERIOD_KEYS else "amount",
                 chart="amount", over_time=key in data.PERIOD_KEYS)
