"""``tuicrm report receivables|payables|statement`` on the report engine: stable headers, one
column per ageing bucket, the statement's closing balance equal to the customer's balance."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from tuicrm.data.demo.builder import build_demo
from tuicrm.data.models import Customer, LedgerEntry
from tuicrm.data.money import balances
from tuicrm.reports.engine import run_report

pytestmark = pytest.mark.pg


@pytest.fixture
def demo(db):
    build_demo(customers=30, products=12, orders=400, seed=9, today=dt.date(2026, 6, 15))
    return db


def test_receivables_and_payables_reports(demo, system):
    rec = run_report(system, "receivables", {"buckets": "15,45"})
    assert [c.key for c in rec.columns] == ["customer", "name", "balance", "not_due",
                                            "days_0_15", "days_16_45", "days_over_45",
                                            "on_account"]
    assert rec.totals[2] == sum(r[2] for r in rec.rows)
    pay = run_report(system, "payables", {"as-of": "2026-03-31"})
    assert pay.columns[0].key == "supplier" and pay.rows


def test_statement_report_closes_at_the_balance(demo, system):
    cid = LedgerEntry.select(LedgerEntry.customer).where(LedgerEntry.customer.is_null(False)
                                                         ).scalar()
    code = Customer.get_by_id(cid).code
    result = run_report(system, "statement", {"customer": code})
    closing = balances.customer_balance(system, cid).balance
    assert result.rows[-1][-1] == closing
    assert result.notes[-1].endswith(f"{closing:,}")


def test_report_cli_writes_csv(demo, tmp_path):
    from tuicrm.cli import main

    out = tmp_path / "rec.csv"
    assert main(["--db", demo, "report", "receivables", "--as-of", "2026-06-15", "-o",
                 str(out)]) == 0
    with open(out, encoding="utf-8-sig") as f:
        header = next(csv.reader(f))
    assert header[:3] == ["customer", "name", "balance"] and header[-1] == "on_account"
    assert main(["--db", demo, "report", "statement", "--customer", "NOPE"]) == 1
