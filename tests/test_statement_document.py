"""The statement of account as it prints (issue 13, SPEC M2): letterhead, address, opening,
each document, closing and ageing that agree with the balance; 80 columns with Chinese names;
found by code within the actor's reach; ``tuicrm print statement`` and ``print order``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from rich.cells import cell_len

from tests.test_money_ledger import _sale
from tests.test_money_ledger import shop as ledger_shop
from tuicrm.cli import main
from tuicrm.data.core import clock, settings
from tuicrm.data.core.errors import NotFound
from tuicrm.data.core.money import fmt_money
from tuicrm.data.core.vocab import Side
from tuicrm.data.models import Customer
from tuicrm.data.money import balances, documents
from tuicrm.data.money.statement import statement_by_code
from tuicrm.reports.statement_document import statement_text

pytestmark = pytest.mark.pg

shop = ledger_shop
D = Decimal


@pytest.fixture
def ledger(manager, shop):
    widget, customer, supplier = shop
    Customer.update(name="广州华兴包装商行有限公司", address="广州市天河区体育西路 123 号",
                    phone="020-1234 5678").where(Customer.id == customer.id).execute()
    settings.set_value(manager, "company.name", "华兴五金 Huaxing Hardware")
    settings.set_value(manager, "company.bank_account", "工商银行 1001 2345")
    _sale(manager, widget, customer, 3)  # 30.00
    _sale(manager, widget, customer, 5)  # 50.00
    documents.record_receipt(manager, customer.id, "45.00", "cash")
    return widget, customer, supplier


def test_the_statement_agrees_with_the_balance_and_fits_80_columns(manager, ledger):
    _, customer, _ = ledger
    document = statement_by_code(manager, Side.CUSTOMER, "c001")  # as typed: any case
    text = statement_text(document)
    lines = text.splitlines()
    assert max(cell_len(ln) for ln in lines) <= 80
    assert lines[0] == "华兴五金 Huaxing Hardware"
    assert "Customer: C001 广州华兴包装商行有限公司" in text
    assert "广州市天河区体育西路 123 号" in text and "020-1234 5678" in text
    found = document.statement
    assert found.opening + found.total_debit - found.total_credit == found.closing
    balance = balances.customer_balance(manager, customer.id).balance
    assert found.closing == balance == D("35.00")
    assert "Balance due 35.00" in text
    assert "Please pay to: 工商银行 1001 2345" in text
    # 80.00 invoiced, 45.00 received: two invoice lines, one receipt line, running balance
    assert [ln.split()[2] for ln in lines if ln[:4] == "2026"] == ["invoice", "invoice",
                                                                   "receipt"]
    row = document.ageing
    assert row is not None and row.balance == balance
    assert sum(row.buckets, row.not_due) - row.on_account == balance


def test_a_period_starts_from_the_opening_balance(manager, ledger):
    today = clock.today()
    later = today + dt.timedelta(days=1)
    document = statement_by_code(manager, Side.CUSTOMER, "C001", later, later)
    text = statement_text(document)
    assert document.statement.opening == D("35.00") and not document.statement.lines
    assert f"{later} to {later}" in text and "Balance due 35.00" in text


def test_a_salesperson_sees_only_their_customers_statements(make_user, ledger):
    other = make_user("sales", "other")
    with pytest.raises(NotFound):
        statement_by_code(other, Side.CUSTOMER, "C001")


def test_a_supplier_statement_and_a_wide_page(manager, ledger):
    widget, _, supplier = ledger
    from tuicrm.data.sales import orders

    purchase = orders.new_order(manager, "purchase", supplier_id=supplier.id)
    orders.add_line(manager, purchase, widget, 10, unit_price="4.00")
    orders.receive(manager, purchase)
    document = statement_by_code(manager, Side.SUPPLIER, "S001")
    text = statement_text(document, width=100)
    assert "Supplier: S001 Supply Co" in text and "Closing balance 40.00" in text
    header = next(ln for ln in text.splitlines() if ln.startswith("Date"))
    assert "Due" in header  # the due date has room at 100 columns
    assert "Please pay" not in text  # we owe them: no bank line


def test_print_statement_and_order_from_the_command_line(db, manager, ledger, tmp_path,
                                                           capsys):
    target = tmp_path / "statement.txt"
    assert main(["--db", db, "print", "statement", "C001", "-o", str(target)]) == 0
    assert "Balance due 35.00" in target.read_text(encoding="utf-8")
    assert main(["--db", db, "print", "statement", "C001", "-o", str(target)]) == 1
    assert "exists: --overwrite replaces it" in capsys.readouterr().err  # never unasked
    assert main(["--db", db, "print", "statement", "C001"]) == 0
    assert "STATEMENT OF ACCOUNT" in capsys.readouterr().out
    assert main(["--db", db, "print", "statement", "NOPE"]) == 1
    assert "no customer with the code 'NOPE'" in capsys.readouterr().err
    assert main(["--db", db, "print", "statement", "C001", "--printer"]) == 1
    assert "no printer" in capsys.readouterr().err
    from tuicrm.data.models import Order

    number = Order.select(Order.number).order_by(Order.id).scalar()
    assert main(["--db", db, "print", "order", number, "--as", "invoice"]) == 0
    out = capsys.readouterr().out
    assert "INVOICE" in out and fmt_money(D("30.00")) in out


def test_print_statement_to_the_document_printer(db, manager, ledger, fake_lp, tmp_path):
    settings.set_value(manager, "print.printers", "counter, office-A4")
    settings.set_value(manager, "print.document_printer", "office-A4")
    assert main(["--db", db, "print", "statement", "C001", "--printer"]) == 0
    assert "STATEMENT OF ACCOUNT" in fake_lp.read_text(encoding="utf-8")
    assert (tmp_path / "printed.args").read_text() == "-d office-A4"
    assert main(["--db", db, "print", "statement", "C001", "--printer", "counter"]) == 0
    assert (tmp_path / "printed.args").read_text() == "-d counter"
