"""Stock reports (on hand, value at cost, as of a day, below minimum, a product's movements) and
staff performance agree with the tables they summarise (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest

from tuicrm.data.core.errors import ValidationError
from tuicrm.data.core.money import CENT
from tuicrm.data.demo.builder import build_demo
from tuicrm.data.models import Activity, Customer, Product, StockLevel, StockMovement
from tuicrm.reports.engine import run_report

pytestmark = pytest.mark.pg

TODAY = dt.date(2026, 6, 15)
YEAR = {"from": dt.date(2025, 6, 16), "to": TODAY}


@pytest.fixture
def shop(db, admin):
    build_demo(customers=40, products=30, orders=400, seed=9, today=TODAY)
    return db


def test_stock_on_hand_and_value_are_the_stock_levels(shop, admin):
    """Each product's on hand and value at cost; every grouping has the same total."""
    result = run_report(admin, "stock", {"by": "product"})
    per_product: dict[str, Decimal] = {}
    for level in StockLevel.select(StockLevel, Product).join(Product):
        per_product[level.product.code] = per_product.get(level.product.code, 0) + level.on_hand
    costs = {p.code: p.cost for p in Product.select()}
    expected = {c: q for c, q in per_product.items() if q}
    got = {r[0]: r[result.index("on_hand")] for r in result.rows}
    assert got == expected
    for r in result.rows:
        assert r[result.index("value")] == (expected[r[0]] * costs[r[0]]).quantize(
            CENT, rounding=ROUND_HALF_UP)
    for key in ("location", "category"):
        other = run_report(admin, "stock", {"by": key})
        assert other.totals[other.index("on_hand")] == result.totals[result.index("on_hand")]
        assert sum(r[other.index("value")] for r in other.rows) == other.totals[
            other.index("value")]


def test_stock_as_of_an_earlier_day_is_the_movements_up_to_then(shop, admin):
    day = dt.date(2026, 3, 31)
    result = run_report(admin, "stock", {"by": "product", "as-of": day})
    end = dt.datetime(2026, 4, 1)
    expected: dict[str, Decimal] = {}
    for m in StockMovement.select(StockMovement, Product).join(Product).where(
            StockMovement.at < end):
        expected[m.product.code] = expected.get(m.product.code, 0) + m.quantity
    assert {r[0]: r[result.index("on_hand")] for r in result.rows} == {
        c: q for c, q in expected.items() if q}
    with pytest.raises(ValidationError, match="as-of"):
        run_report(admin, "stock", {"as-of": TODAY + dt.timedelta(days=1)})


def test_below_minimum_lists_exactly_the_short_products(shop, admin):
    result = run_report(admin, "stock-below-minimum")
    on_hand: dict[int, Decimal] = {}
    for level in StockLevel.select():
        on_hand[level.product_id] = on_hand.get(level.product_id, 0) + level.on_hand
    short = {p.code for p in Product.select() if p.active and p.min_stock > 0
             and on_hand.get(p.id, 0) < p.min_stock}
    assert short and {r[0] for r in result.rows} == short


def test_movement_history_runs_from_opening_to_closing_balance(shop, admin):
    product = (Product.select().join(StockMovement).group_by(Product.id)
               .order_by(Product.id).first())
    result = run_report(admin, "stock-movements", {"product": product.code,
                                                   "from": dt.date(2026, 1, 1), "to": TODAY})
    assert result.rows
    # reasons as people say them (and in their language), not the stored words
    assert {r[result.index("reason")] for r in result.rows} <= {
        "Sale", "Sales return", "Purchase received", "Return to supplier", "Stock count",
        "Manual adjustment", "Opening stock"}
    before = sum((m.quantity for m in StockMovement.select().where(
        StockMovement.product == product.id, StockMovement.at < dt.datetime(2026, 1, 1))),
        Decimal(0))
    in_, out = result.totals[result.index("in")], result.totals[result.index("out")]
    closing = result.rows[-1][result.index("balance")]
    assert closing == before + in_ - out
    assert closing == sum((lv.on_hand for lv in StockLevel.select().where(
        StockLevel.product == product.id)), Decimal(0))
    with pytest.raises(ValidationError, match="product"):
        run_report(admin, "stock-movements", {"product": "NO-SUCH"})
    with pytest.raises(ValidationError, match="required: product code"):
        run_report(admin, "stock-movements", {"from": dt.date(2026, 1, 1)})


def test_staff_performance_counts_and_sales(shop, admin):
    """New customers, activities and sales per salesperson add up to the whole shop's."""
    result = run_report(admin, "staff", YEAR)
    start, end = dt.datetime(2025, 6, 16), dt.datetime(2026, 6, 16)
    new = Customer.select().where(Customer.created_at >= start, Customer.created_at < end,
                                  Customer.salesperson.is_null(False)).count()
    assert result.totals[result.index("new_customers")] == new
    logged = Activity.select().where(Activity.at >= start, Activity.at < end,
                                     Activity.user.is_null(False)).count()
    assert result.totals[result.index("activities")] == logged
    sales = run_report(admin, "sales", {**YEAR, "by": "salesperson"})
    assert result.totals[result.index("sales")] == sales.totals[sales.index("amount")]
    assert result.totals[result.index("margin")] == sales.totals[sales.index("margin")]
    collections = run_report(admin, "collections", {**YEAR, "by": "salesperson"})
    assert result.totals[result.index("collections")] == collections.totals[
        collections.index("amount")]
