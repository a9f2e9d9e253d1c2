"""Expenses and other income (SPEC M4, R7): by category or by period, with the net.

``tuicrm report expenses [--from DATE] [--to DATE] [--by category|day|week|month|quarter|
year]``. By category the rows are the category tree: each category's row holds its own
documents and those of all its sub-categories, its sub-categories follow it indented
(``level`` 1, 2, ...), and the totals add up the top-level rows only, so nothing is counted
twice. By period every period of the range has a row (empty ones as zero). Net = other income
less expenses (negative: more paid out than came in). Needs ``money.view`` and
``money.expense`` (the expenses list's permission: wages and rent are not for everyone).
Stable headers: ``category`` and ``level`` or ``period``, ``expenses``, ``income``, ``net``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ...data.core.money import fmt_money
from ...i18n import N_, _
from .. import money_data as data
from ..engine import FROM, TO, Column, RunContext, Table, by_param, report
from ..sales_data import PERIOD_KEYS, period_label, period_start, periods

KEYS = ("category", *PERIOD_KEYS)
_TITLES = {"category": N_("Category"), "day": N_("Day"), "week": N_("Week"),
           "month": N_("Month"), "quarter": N_("Quarter"), "year": N_("Year")}
INDENT = "  "


def _cents(value: int) -> Decimal:
    return Decimal(value).scaleb(-2)


def _figures(out: int, income: int) -> tuple[Decimal, Decimal, Decimal]:
    return _cents(out), _cents(income), _cents(income - out)


def _tree_rows(raw: list[tuple[int | None, dt.date, int, int]]) -> list[tuple[Any, ...]]:
    """The category tree, depth first by name: a row per category with money in it or under
    it, holding its own documents and its sub-categories'."""
    nodes = data.categories()
    own: dict[int | None, list[int]] = {}
    for category, _day, out, income in raw:
        s = own.setdefault(category if category in nodes or category is None else None,
                           [0, 0])
        s[0] += out
        s[1] += income
    whole: dict[int, list[int]] = {}
    for category, (out, income) in own.items():
        seen: set[int] = set()
        node = category
        while node is not None and node in nodes and node not in seen:  # up to the top
            seen.add(node)
            s = whole.setdefault(node, [0, 0])
            s[0] += out
            s[1] += income
            node = nodes[node][1]
    children: dict[int | None, list[int]] = {}
    for node, (_name, parent) in nodes.items():
        children.setdefault(parent if parent in nodes else None, []).append(node)
    rows: list[tuple[Any, ...]] = []

    def walk(parent: int | None, depth: int) -> None:
        for node in sorted(children.get(parent, []), key=lambda n: nodes[n][0]):
            if node not in whole or depth > 20:
                continue
            out, income = whole[node]
            rows.append((INDENT * depth + nodes[node][0], depth, *_figures(out, income)))
            walk(node, depth + 1)

    walk(None, 0)
    if None in own:
        out, income = own[None]
        rows.append((_("(no category)"), 0, *_figures(out, income)))
    return rows


@report("expenses", N_("Expenses and other income"),
        params=(FROM, TO, by_param(KEYS, "category", [_TITLES[k] for k in KEYS])),
        permission="money.view", also_needs=("money.expense",),
        description=N_("Expenses and other income by category (with sub-categories) or by "
                       "period, and the net"))
def expenses(ctx: RunContext) -> Table:
    start, end, by = ctx.params["from"], ctx.params["to"], ctx.params["by"]
    ctx.progress(0, 2)
    raw = data.expenses(start, end)
    ctx.progress(1, 2)
    figures = (Column("expenses", _("Expenses"), "money", "sum"),
               Column("income", _("Other income"), "money", "sum"),
               Column("net", _("Net"), "money", "sum"))
    total_out = sum(r[2] for r in raw)
    total_in = sum(r[3] for r in raw)
    notes = (_("Net: other income {income} less expenses {out} = {net}").format(
        income=fmt_money(_cents(total_in)), out=fmt_money(_cents(total_out)),
        net=fmt_money(_cents(total_in - total_out))),)
    if by == "category":
        cols = (Column("category", _("Category")), Column("level", _("Level"), "int"),
                *figures)
        rows = _tree_rows(raw)
        ctx.progress(2, 2)
        return Table(cols, rows, subtitle=ctx.period_text(), level="level",
                     notes=notes + (_("A category's figures include its sub-categories "
                                      "(indented below it)."),))
    sums = {p: [0, 0] for p in periods(by, start, end)}
    for _category, day, out, income in raw:
        s = sums.setdefault(period_start(by, day), [0, 0])
        s[0] += out
        s[1] += income
    rows = [(period_label(by, p), *_figures(out, income))
            for p, (out, income) in sorted(sums.items())]
    ctx.progress(2, 2)
    return Table((Column("period", _(_TITLES[by])), *figures), rows,
                 subtitle=ctx.period_text(), notes=notes, chart="expenses", over_time=True)
