"""Daily takings, expenses and other income, collections (and the collections column of
staff performance) agree with the money documents and allocations they summarise, on SQLite
and PostgreSQL; every total is the sum of its rows; money reports need the money permissions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from tuicrm.data.catalog import products
from tuicrm.data.core.errors import PermissionDenied
from tuicrm.data.core.vocab import DocKind
from tuicrm.data.demo.builder import build_demo
from tuicrm.data.models import Allocation, Customer, LedgerEntry, MoneyDoc
from tuicrm.data.money import allocating, counter, documents, expenses
from tuicrm.data.sales import orders
from tuicrm.data.stock import ledger as stock
from tuicrm.reports.engine import reports_for, run_report

pytestmark = pytest.mark.pg

TODAY = dt.date(2026, 6, 15)  # the tests' fixed clock
YEAR = {"from": dt.date(2025, 6, 16), "to": TODAY}
MONTH = {"from": dt.date(2026, 6, 1), "to": TODAY}


@pytest.fixture
def shop(db, admin):
    build_demo(customers=40, products=20, orders=500, seed=3, today=TODAY)
    return db


def _column(result, key):
    i = result.index(key)
    return [r[i] for r in result.counted_rows()]


def _totals_are_the_rows(result):
    for c in result.columns:
        if c.total == "sum":
            assert result.totals[result.index(c.key)] == sum(
                (v for v in _column(result, c.key) if v is not None), D(0) * 0), c.key


def _docs(kind, start, end, **where):
    query = MoneyDoc.select().where((MoneyDoc.kind == kind) & (MoneyDoc.date >= start)
                                    & (MoneyDoc.date <= end))
    for name, value in where.items():
        query = query.where(getattr(MoneyDoc, name) == value)
    return list(query)


def _counter_day(manager, sales):
    """Today at the counter: a walk-in paid cash by the salesperson, a split card / WeChat
    sale by the manager, a receipt on the Receipts screen and a cash refund."""
    widget = products.create_product(manager, code="TK1", name="Till widget", price1="10.00",
                                     cost="4.00")
    stock.set_opening(manager, widget, 100)
    customer = Customer.create(code="TK-C", name="柜台 Counter customer", salesperson=sales.id)
    walk_in = orders.new_order(sales, "sale")
    orders.add_line(sales, walk_in, widget, 3)
    counter.pay_sale(sales, walk_in, [counter.Tender("cash", "50")])  # 30.00, change 20
    split = orders.new_order(manager, "sale", customer_id=customer.id)
    orders.add_line(manager, split, widget, 5)
    counter.pay_sale(manager, split, [counter.Tender("card", "20"),
                                      counter.Tender("wechat", "30")])
    documents.record_receipt(sales, customer.id, "12.34", "alipay")
    documents.refund_customer(manager, customer.id, "2.34", "cash")
    return customer


def test_takings_per_method_are_the_receipts_less_refunds(shop, admin, manager, sales):
    _counter_day(manager, sales)
    for params in ({"from": TODAY, "to": TODAY}, MONTH, YEAR):
        start, end = params["from"], params["to"]
        by_method = run_report(admin, "takings", {**params, "by": "method"})
        _totals_are_the_rows(by_method)
        assert [r[0] for r in by_method.rows] == ["Cash", "Card", "WeChat Pay", "Alipay",
                                                  "Bank transfer", "Other"]
        received = _docs(DocKind.RECEIPT, start, end)
        refunded = _docs(DocKind.REFUND, start, end)
        net = sum((d.amount for d in received), D(0)) - sum((d.amount for d in refunded), D(0))
        assert by_method.totals[by_method.index("net")] == net
        assert by_method.totals[by_method.index("documents")] == len(received) + len(refunded)
        cash = by_method.rows[0]
        assert cash[by_method.index("net")] == sum(
            (d.amount for d in received if d.method == "cash"), D(0)) - sum(
            (d.amount for d in refunded if d.method == "cash"), D(0))
        for by in ("day", "cashier"):
            other = run_report(admin, "takings", {**params, "by": by})
            _totals_are_the_rows(other)
            assert other.totals[other.index("net")] == net
    today = run_report(admin, "takings", {"from": TODAY, "to": TODAY, "by": "cashier"})
    mine = {(r[0], r[1]): r[today.index("net")] for r in today.rows}
    assert mine[("sally", "Cash")] == D("30.00")  # 50.00 handed over, 20.00 change
    assert mine[("manny", "Cash")] == D("-2.34")  # the refund
    assert mine[("sally", "Alipay")] == D("12.34")
    assert mine[("manny", "Card")] == D("20.00") and mine[("manny", "WeChat Pay")] == D("30.00")


def test_a_salesperson_sees_only_the_money_they_recorded(shop, manager, sales):
    _counter_day(manager, sales)
    result = run_report(sales, "takings", {"from": TODAY, "to": TODAY, "by": "cashier"})
    assert {r[0] for r in result.rows} == {"sally"}
    assert result.totals[result.index("net")] == D("42.34")
    assert "Only the money you recorded yourself." in result.notes


def test_expenses_by_category_include_sub_categories_and_count_once(shop, admin, manager):
    parent = expenses.money_categories.create(manager, "车辆 Vehicles")
    child = expenses.money_categories.create(manager, "油费 Fuel", parent_id=parent.id)
    expenses.record_expense(manager, "100.00", "cash", category_id=parent.id)
    expenses.record_expense(manager, "250.50", "card", category_id=child.id)
    expenses.record_income(manager, "7.00", "cash", category_id=child.id)
    expenses.record_expense(manager, "1.25", "cash")  # no category
    for params in ({"from": TODAY, "to": TODAY}, YEAR):
        start, end = params["from"], params["to"]
        out = sum((d.amount for d in _docs(DocKind.EXPENSE, start, end)), D(0))
        came = sum((d.amount for d in _docs(DocKind.INCOME, start, end)), D(0))
        result = run_report(admin, "expenses", {**params, "by": "category"})
        _totals_are_the_rows(result)
        i = {k: result.index(k) for k in ("category", "level", "expenses", "income", "net")}
        assert result.totals[i["expenses"]] == out and result.totals[i["income"]] == came
        assert result.totals[i["net"]] == came - out
        rows = {r[i["category"]].strip(): r for r in result.rows}
        vehicles, fuel = rows["车辆 Vehicles"], rows["油费 Fuel"]
        assert fuel[i["level"]] == vehicles[i["level"]] + 1
        assert result.rows.index(fuel) == result.rows.index(vehicles) + 1
        if params["from"] == TODAY:
            assert vehicles[i["expenses"]] == D("350.50") and fuel[i["expenses"]] == D("250.50")
            assert vehicles[i["net"]] == D("-343.50")
            assert rows["(no category)"][i["expenses"]] == D("1.25")
        for by in ("day", "week", "month", "quarter", "year"):
            period = run_report(admin, "expenses", {**params, "by": by})
            _totals_are_the_rows(period)
            assert period.totals[period.index("net")] == came - out
    months = run_report(admin, "expenses", {**YEAR, "by": "month"})
    assert len(months.rows) == 13 and months.rows[0][0] == "2025-06"


def _collected(start, end, salesperson=None):
    """Receipts allocated to invoices in the period, straight from the allocations."""
    debit = LedgerEntry.alias()
    credit = LedgerEntry.alias()
    query = (Allocation.select(Allocation.amount, Customer.salesperson)
             .join(debit, on=(Allocation.debit == debit.id))
             .switch(Allocation).join(credit, on=(Allocation.credit == credit.id))
             .join(Customer, on=(debit.customer == Customer.id))
             .where(Allocation.undone_on.is_null() & (Allocation.date >= start)
                    & (Allocation.date <= end) & (debit.kind == "invoice")
                    & (credit.kind == "receipt"))).tuples()
    return sum((D(cents).scaleb(-2) for cents, owner in query
                if salesperson is None or owner == salesperson), D(0))


def test_collections_are_the_receipts_allocated_to_invoices(shop, admin, manager, sales):
    undo = (Allocation.select(Allocation.id).where(Allocation.date >= MONTH["from"])
            .order_by(Allocation.id).limit(3))
    for (allocation_id,) in undo.tuples():
        allocating.unallocate(admin, allocation_id)
    for params in (MONTH, YEAR):
        expected = _collected(params["from"], params["to"])
        assert expected > 0
        for by in ("customer", "salesperson", "method"):
            result = run_report(admin, "collections", {**params, "by": by})
            _totals_are_the_rows(result)
            assert result.totals[result.index("amount")] == expected, by
        top = run_report(admin, "collections", {**params, "by": "customer", "top": 3})
        assert len(top.rows) == 4 and top.totals[top.index("amount")] == expected
        staff = run_report(admin, "staff", params)
        _totals_are_the_rows(staff)
        assert staff.totals[staff.index("collections")] == expected
        by_user = {r[staff.index("username")]: r[staff.index("collections")]
                   for r in staff.rows}
        assert by_user["sally"] == _collected(params["from"], params["to"], sales.id)


def test_money_reports_need_the_money_permissions(shop, sales, warehouse, manager):
    names = {r.name for r in reports_for(warehouse)}
    assert not names & {"takings", "expenses", "collections"}
    for name in ("takings", "expenses", "collections"):
        with pytest.raises(PermissionDenied):
            run_report(warehouse, name)
    # a salesperson may see money (their till, their customers) but not the expenses
    assert {"takings", "collections"} <= {r.name for r in reports_for(sales)}
    assert "expenses" not in {r.name for r in reports_for(sales)}
    with pytest.raises(PermissionDenied):
        run_report(sales, "expenses")
    assert {"takings", "expenses", "collections"} <= {r.name for r in reports_for(manager)}


def test_files_have_stable_english_headers(shop, admin, tmp_path):
    from tuicrm.reports.render import write_report

    expected = {
        ("takings", "method"): ["method", "documents", "received", "refunded", "net"],
        ("takings", "cashier"): ["cashier", "method", "documents", "received", "refunded",
                                 "net"],
        ("expenses", "category"): ["category", "level", "expenses", "income", "net"],
        ("expenses", "month"): ["period", "expenses", "income", "net"],
        ("collections", "method"): ["method", "receipts", "amount"],
    }
    for (name, by), header in expected.items():
        result = run_report(admin, name, {**YEAR, "by": by})
        target = tmp_path / f"{name}-{by}.csv"
        write_report(result, str(target))
        lines = target.read_text(encoding="utf-8-sig").splitlines()  # BOM for Excel
        assert lines[0].split(",") == header
        assert lines[-1].startswith("total")
        xlsx = tmp_path / f"{name}-{by}.xlsx"
        write_report(result, str(xlsx))
        assert xlsx.stat().st_size > 0
