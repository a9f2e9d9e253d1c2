"""Balances, statements and ageing agree for every customer and supplier of the demo; ageing
as of a past date is what the statement said then; the money lists and exports."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal

import pytest

from tuicrm.data.check import run_checks
from tuicrm.data.core import clock
from tuicrm.data.core.vocab import Side
from tuicrm.data.demo.builder import build_demo
from tuicrm.data.lists.view import ListRequest, open_list
from tuicrm.data.models import LedgerEntry, MoneyDoc
from tuicrm.data.money import ageing, balances, expenses, lists, statement
from tuicrm.data.money.ageing import ageing_rows
from tuicrm.reports.interchange import export_data

pytestmark = pytest.mark.pg


@pytest.fixture
def demo(db):
    build_demo(customers=40, products=15, orders=600, seed=5, today=dt.date(2026, 6, 15))
    return db


def _parties(side: Side) -> set[int]:
    column = LedgerEntry.customer if side == Side.CUSTOMER else LedgerEntry.supplier
    return {r[0] for r in LedgerEntry.select(column).where(column.is_null(False)).tuples()}


def test_statement_ageing_and_balance_agree_for_every_party(demo, system):
    assert run_checks() == []
    for side in Side:
        report = ageing.ageing(system, side)
        rows = {r.party_id: r for r in report.rows}
        assert rows, side
        for party in _parties(side):
            if side == Side.CUSTOMER:
                shown = balances.customer_balance(system, party).balance
                closing = statement.statement(system, party).closing
            else:
                shown = balances.supplier_balance(system, party).balance
                closing = statement.supplier_statement(system, party).closing
            row = rows.get(party)
            aged = row.balance if row else Decimal("0.00")
            assert shown == closing == aged, (side, party)
            if row:
                assert row.not_due + sum(row.buckets) - row.on_account == row.balance
        assert report.totals.balance == sum(r.balance for r in report.rows)


def test_demo_ageing_has_realistic_content(demo, system):
    report = ageing.ageing(system, "customer")
    assert report.bucket_titles == ("0-30", "31-60", "61-90", "over 90")
    totals = report.totals
    assert totals.not_due > 0 and all(b > 0 for b in totals.buckets) and totals.on_account > 0
    assert report.columns()[:3] == ["customer", "name", "balance"]
    payables = ageing.ageing(system, "supplier")
    assert payables.totals.balance > 0


def test_ageing_from_allocations_agrees_with_the_kept_open_amounts(demo, system):
    from tuicrm.data.models import Allocation
    from tuicrm.data.money import allocating

    undo = Allocation.select(Allocation.id).order_by(Allocation.id).limit(40)
    for (allocation_id,) in list(undo.tuples())[::4]:  # some undone today
        allocating.unallocate(system, allocation_id)
    today = clock.today()
    for days in (0, 1, 30, 120, 300, 400):
        for side in Side:
            day = today - dt.timedelta(days=days)
            kept = ageing_rows(None, side, day, (30, 60, 90))
            worked = ageing_rows(None, side, day, (30, 60, 90), from_allocations=True)
            assert kept == worked, (side, day)


def test_ageing_as_of_a_past_date_matches_the_statement_then(demo, system):
    as_of = clock.today() - dt.timedelta(days=120)
    report = ageing.ageing(system, "customer", as_of=as_of, buckets=(15, 45))
    assert report.bucket_titles == ("0-15", "16-45", "over 45")
    rows = {r.party_id: r for r in report.rows}
    for party in _parties(Side.CUSTOMER):
        then = statement.statement(system, party, end=as_of).closing
        assert (rows[party].balance if party in rows else Decimal("0.00")) == then


def test_statement_opening_running_and_closing(demo, system):
    party = max(_parties(Side.CUSTOMER),
                key=lambda c: LedgerEntry.select().where(LedgerEntry.customer == c).count())
    start = clock.today() - dt.timedelta(days=90)
    whole = statement.statement(system, party)
    part = statement.statement(system, party, start=start)
    before = [ln for ln in whole.lines if ln.date < start]
    assert part.opening == (before[-1].balance if before else Decimal("0.00"))
    assert part.closing == whole.closing
    assert part.opening + part.total_debit - part.total_credit == part.closing
    assert all(ln.date >= start for ln in part.lines)


def test_a_salesperson_ages_only_their_own_customers(demo, system):
    from tuicrm.data.core.actor import actor_of
    from tuicrm.data.models import Customer, User

    seller = actor_of(User.get(User.username == "counter"))
    rows = ageing.ageing(seller, "customer").rows
    mine = {c.id for c in Customer.select().where(Customer.salesperson == seller.id)}
    assert rows and {r.party_id for r in rows} <= mine


def test_money_lists_and_exports(demo, system, tmp_path):
    receipts = open_list(system, lists.RECEIPTS, ListRequest())
    first = receipts.first(20)
    assert first and first[0].values[0] >= first[-1].values[0]  # newest first
    n = MoneyDoc.select().where(MoneyDoc.kind == "receipt").count()
    assert export_data("receipts", tmp_path / "r.csv", system) == n
    with open(tmp_path / "r.csv", encoding="utf-8-sig") as f:
        header = next(csv.reader(f))
    assert header == ["number", "date", "customer", "customer_name", "amount", "method",
                      "account", "reference", "by"]
    assert export_data("payments", tmp_path / "p.xlsx", system) > 0
    exported = export_data("expenses", tmp_path / "e.csv", system)
    assert exported == MoneyDoc.select().where(MoneyDoc.kind.in_(["expense", "income"])).count()
    rent = expenses.money_categories.find("费用 Expenses/房租 Rent")
    done = expenses.record_expense(system, "12.34", "cash", category_id=rent.id,
                                   reference="bulbs")
    listed = open_list(system, lists.EXPENSES, ListRequest(search="bulbs")).first(5)
    assert [r.values[1] for r in listed] == [done.number]
