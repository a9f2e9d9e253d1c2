"""The report engine: parameters, permissions, totals, top N with "others", hidden cost columns,
and the sales report equal to the order lines it sums (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tuicrm.data.core.errors import PermissionDenied, ValidationError
from tuicrm.data.demo.builder import build_demo
from tuicrm.data.models import Order, OrderLine, Product, RolePermission
from tuicrm.reports import sales_data
from tuicrm.reports.engine import Column, Ratio, compute_totals, fold_top, run_report
from tuicrm.reports.made_rows import MadeRows

pytestmark = pytest.mark.pg

YEAR = {"from": dt.date(2025, 6, 16), "to": dt.date(2026, 6, 15)}


@pytest.fixture
def shop(db, admin):
    build_demo(customers=40, products=30, orders=400, seed=5, today=dt.date(2026, 6, 15))
    return db


def _line_sums(start: dt.date, end: dt.date) -> tuple[Decimal, Decimal, Decimal]:
    """Quantity, amount and cost of delivered sales less booked returns, summed line by line
    in Python from the order lines (independent of the report's SQL)."""
    qty = amount = cost = Decimal(0)
    lines = (OrderLine.select(OrderLine, Order.kind, Product.cost)
             .join(Order).switch(OrderLine).join(Product)
             .where(Order.kind.in_(["sale", "sale_return"]), Order.status == "delivered",
                    Order.date >= start, Order.date <= end).objects())
    for line in lines:
        sign = 1 if line.kind == "sale" else -1
        qty += sign * line.quantity
        amount += sign * line.amount
        cost += sign * line.quantity * line.cost
    return qty, amount, cost


@pytest.mark.parametrize("key", sales_data.KEYS)
def test_sales_totals_are_the_order_lines_and_the_sum_of_rows(shop, admin, key):
    """A manager reading any grouping sees the same total as the order lines of the period."""
    result = run_report(admin, "sales", {**YEAR, "by": key})
    qty, amount, _ = _line_sums(YEAR["from"], YEAR["to"])
    i_qty, i_amount = result.index("quantity"), result.index("amount")
    assert result.totals[i_amount] == amount and amount > 0
    assert result.totals[i_qty] == qty
    assert sum(r[i_amount] for r in result.rows) == amount
    for key_ in ("cost", "margin"):
        i = result.index(key_)
        assert sum(r[i] for r in result.rows) == result.totals[i]
    # Cost rounds once per row: within half a cent per row of the exact line sum.
    _, _, exact = _line_sums(YEAR["from"], YEAR["to"])
    assert abs(result.totals[result.index("cost")] - exact) <= Decimal("0.005") * len(result.rows)


def test_returns_are_netted_and_other_statuses_ignored(shop, admin):
    """A booked return lowers sales; drafts, quotes and cancelled orders never count."""
    result = run_report(admin, "sales", {**YEAR, "by": "year"})
    amount = result.totals[result.index("amount")]
    sold = sum((line.amount for line in OrderLine.select(OrderLine.amount).join(Order).where(
        Order.kind == "sale", Order.status == "delivered", Order.date >= YEAR["from"],
        Order.date <= YEAR["to"])), Decimal(0))
    returned = sum((line.amount for line in OrderLine.select(OrderLine.amount).join(Order).where(
        Order.kind == "sale_return", Order.status == "delivered", Order.date >= YEAR["from"],
        Order.date <= YEAR["to"])), Decimal(0))
    assert returned > 0
    assert amount == sold - returned


def test_top_n_folds_the_rest_into_others_and_keeps_totals(shop, admin):
    """--top 5 shows the five biggest customers and one 'others' row; the total is unchanged."""
    full = run_report(admin, "sales", {**YEAR, "by": "customer"})
    top = run_report(admin, "sales", {**YEAR, "by": "customer", "top": 5})
    assert len(top.rows) == 6
    assert top.rows[-1][1].startswith("(others: ")
    assert top.totals == full.totals
    amounts = [r[top.index("amount")] for r in top.rows[:5]]
    assert amounts == sorted(amounts, reverse=True)
    assert amounts[0] == max(r[full.index("amount")] for r in full.rows)


def test_comparison_with_last_year_and_previous_period(shop, admin):
    """Each month is set beside the same month a year before, with the change."""
    result = run_report(admin, "sales", {"from": dt.date(2026, 1, 1), "to": dt.date(2026, 3, 31),
                                         "by": "month", "compare": "previous"})
    assert [r[0] for r in result.rows] == ["2026-01", "2026-02", "2026-03"]
    before = run_report(admin, "sales", {"from": dt.date(2025, 10, 1),
                                         "to": dt.date(2025, 12, 31), "by": "month"})
    i_prev, i_change = result.index("compare_amount"), result.index("change")
    assert [r[i_prev] for r in result.rows] == [r[before.index("amount")] for r in before.rows]
    for r in result.rows:
        assert r[i_change] == r[result.index("amount")] - r[i_prev]
    assert sales_data.comparison_period(dt.date(2024, 2, 29), dt.date(2024, 3, 5),
                                        "last-year") == (dt.date(2023, 2, 28), dt.date(2023, 3, 5))
    assert sales_data.comparison_period(dt.date(2026, 6, 10), dt.date(2026, 6, 15),
                                        "previous") == (dt.date(2026, 6, 4), dt.date(2026, 6, 9))


def test_periods_cover_every_period_of_the_range(shop, admin):
    """Weeks with no sales still show (as zero), so a chart over time has no holes."""
    result = run_report(admin, "sales", {"from": dt.date(2026, 5, 1), "to": dt.date(2026, 6, 15),
                                         "by": "week"})
    labels = [r[0] for r in result.rows]
    assert labels[0] == "2026-W18" and labels[-1] == "2026-W25" and len(labels) == 8


def test_cost_and_margin_are_hidden_without_the_cost_permission(shop, make_user):
    """A user who may run reports but not see costs gets no cost, margin or margin %."""
    RolePermission.create(role="sales", action="report.view")
    clerk = make_user("sales")
    result = run_report(clerk, "sales", {**YEAR, "by": "product"})
    keys = [c.key for c in result.columns]
    assert keys == ["code", "product", "quantity", "amount"]
    assert all(len(r) == 4 for r in result.rows) and len(result.totals) == 4


def test_permission_and_parameters_are_checked(shop, sales, admin):
    with pytest.raises(PermissionDenied):
        run_report(sales, "sales", YEAR)
    with pytest.raises(ValidationError, match="by"):
        run_report(admin, "sales", {**YEAR, "by": "colour"})
    with pytest.raises(ValidationError, match="from"):
        run_report(admin, "sales", {"from": "2026-02-01", "to": "2026-01-01"})
    with pytest.raises(ValidationError):
        run_report(admin, "sales", {"from": "yesterday"})
    with pytest.raises(ValidationError, match="no report"):
        run_report(admin, "no-such-report")
    with pytest.raises(ValidationError, match="as-of"):
        run_report(admin, "sales", {"as-of": "2026-01-01"})


def test_totals_and_others_rows_recompute_ratios():
    cols = (Column("name", "Name"), Column("amount", "Amount", "money", "sum"),
            Column("margin", "Margin", "money", "sum"),
            Column("pct", "%", "percent", Ratio("margin", "amount")))
    rows = [("a", Decimal("100.00"), Decimal("50.00"), Decimal("50.0")),
            ("b", Decimal("10.00"), Decimal("1.00"), Decimal("10.0")),
            ("c", Decimal("30.00"), Decimal("3.00"), Decimal("10.0"))]
    assert compute_totals(cols, rows) == (None, Decimal("140.00"), Decimal("54.00"),
                                          Decimal("38.6"))
    folded = fold_top(cols, rows, "amount", 1)
    assert folded[1] == ("(others: 2)", Decimal("40.00"), Decimal("4.00"), Decimal("10.0"))
    assert compute_totals(cols, folded) == compute_totals(cols, rows)


@pytest.mark.parametrize("key", ["customer", "product"])
def test_customer_and_product_rows_match_the_general_grouping(shop, admin, key):
    """The fast path for customers and products (integer sums, rows made as read) gives the
    same figures, margin % included, as the general path a comparison runs on."""
    fast = run_report(admin, "sales", {**YEAR, "by": key})
    general = run_report(admin, "sales", {**YEAR, "by": key, "compare": "previous"})
    width = len(fast.columns)
    assert [c.key for c in general.columns[:width]] == [c.key for c in fast.columns]
    sold = {r[0]: r[:width] for r in general.rows if r[fast.index("amount")]}
    assert len(fast.rows) == len(sold) > 10
    assert {r[0]: r for r in fast.rows} == sold
    assert fast.totals == general.totals[:width]
    amounts = [r[fast.index("amount")] for r in fast.rows]
    assert amounts == sorted(amounts, reverse=True)


def test_made_rows_are_made_when_read():
    """A big report keeps its integer sums; a row is made only when it is read."""
    made: list[int] = []

    def make(n: int) -> tuple[int, str]:
        made.append(n)
        return (n, str(n * 10))

    rows = MadeRows([1, 2, 3], make)
    assert len(rows) == 3 and made == []
    assert rows[1] == (2, "20") and made == [2]
    assert rows[:2] == [(1, "10"), (2, "20")]
    assert rows == [(1, "10"), (2, "20"), (3, "30")] and list(rows.picked([1])) == [
        ("10",), ("20",), ("30",)]


def test_others_from_the_totals_equal_the_others_added_up(shop, admin):
    """Top 5 customers: the "others" row worked out as the totals less the top rows (the
    rest never read) is the one adding up the rest gives."""
    full = run_report(admin, "sales", {**YEAR, "by": "customer"})
    top = run_report(admin, "sales", {**YEAR, "by": "customer", "top": 5})
    assert top.rows == fold_top(full.columns, list(full.rows), "amount", 5)
    assert top.rows[-1][full.index("margin_pct")] is not None
