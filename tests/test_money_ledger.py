"""Money: invoices from deliveries, receipts allocated first-in-first-out or as chosen,
unallocating, write-offs, credit notes and refunds, supplier bills and payments, the counter's
F10 payment, credit limits; ``tuicrm check`` holds after each and finds tampering."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tuicrm.data.catalog import products
from tuicrm.data.check import run_checks
from tuicrm.data.core import db as dbmod
from tuicrm.data.core import settings
from tuicrm.data.core.db import database
from tuicrm.data.core.errors import NotFound, PermissionDenied, ValidationError
from tuicrm.data.models import Allocation, AuditLog, Customer, LedgerEntry, MoneyDoc, Supplier
from tuicrm.data.money import allocating, balances, counter, credit, documents
from tuicrm.data.money.documents import Apply
from tuicrm.data.sales import orders
from tuicrm.data.stock import ledger as stock

pytestmark = pytest.mark.pg

D = Decimal


@pytest.fixture
def shop(manager, sales):
    widget = products.create_product(manager, code="P001", name="Widget", price1="10.00",
                                     cost="4.00")
    stock.set_opening(manager, widget, 1000)
    customer = Customer.create(code="C001", name="Wang 王", salesperson=sales.id,
                               payment_terms_days=30, credit_limit=D("500"))
    supplier = Supplier.create(code="S001", name="Supply Co", payment_terms_days=15)
    return widget, customer, supplier


def _sale(actor, widget, customer, qty, *, deliver=True):
    order = orders.new_order(actor, "sale", customer_id=customer.id if customer else None)
    orders.add_line(actor, order, widget, qty)
    if deliver:
        orders.confirm(actor, order)
        orders.deliver(actor, order)
    return order


def _invoice(order_id):
    return LedgerEntry.get((LedgerEntry.order == order_id) & LedgerEntry.doc.is_null())


def _problems():
    return [str(p) for p in run_checks()]


def test_a_delivered_sale_is_an_invoice_due_by_the_payment_terms(manager, shop):
    widget, customer, _ = shop
    order = _sale(manager, widget, customer, 3)
    inv = _invoice(order.id)
    assert (inv.kind, inv.amount, inv.open) == ("invoice", 3000, 3000)
    assert inv.due_date == inv.date + dt.timedelta(days=30)
    bal = balances.customer_balance(manager, customer.id)
    assert (bal.balance, bal.overdue, bal.on_account) == (D("30.00"), D(0), D(0))
    assert _problems() == []


def test_receipt_allocates_oldest_first_and_the_rest_stays_on_account(manager, shop):
    widget, customer, _ = shop
    first = _sale(manager, widget, customer, 3)   # 30.00
    second = _sale(manager, widget, customer, 5)  # 50.00
    done = documents.record_receipt(manager, customer.id, "100.00", "bank", reference="TX1")
    assert done.number.startswith("RC-2026-")
    assert [c for _, c in done.settled] == [D("30.00"), D("50.00")]
    assert done.on_account == D("20.00")
    assert (_invoice(first.id).open, _invoice(second.id).open) == (0, 0)
    bal = balances.customer_balance(manager, customer.id)
    assert (bal.balance, bal.on_account) == (D("-20.00"), D("20.00"))
    # the next invoice is settled by what is on account when asked
    third = _sale(manager, widget, customer, 1)
    credit_entry = LedgerEntry.get(LedgerEntry.doc == done.doc_id)
    allocating.allocate_fifo(manager, credit_entry.id)
    assert _invoice(third.id).open == 0
    assert balances.customer_balance(manager, customer.id).balance == D("-10.00")
    assert _problems() == []


def test_a_partial_receipt_chosen_by_the_user_in_exact_cents(manager, shop):
    widget, customer, _ = shop
    a = _sale(manager, widget, customer, 1)
    b = _sale(manager, widget, customer, 1)
    inv_b = _invoice(b.id)
    done = documents.record_receipt(manager, customer.id, "3.33", "cash",
                                    apply=[Apply(inv_b.id, "3.33")])
    assert done.settled == ((inv_b.id, D("3.33")),)
    assert (_invoice(a.id).open, _invoice(b.id).open) == (1000, 667)
    with pytest.raises(ValidationError, match="more allocated"):
        documents.record_receipt(manager, customer.id, "1.00", "cash",
                                 apply=[Apply(inv_b.id, "2.00")])
    assert _problems() == []


def test_unallocate_marks_and_reopens_both_sides(manager, shop):
    widget, customer, _ = shop
    order = _sale(manager, widget, customer, 2)
    done = documents.record_receipt(manager, customer.id, "20.00", "cash")
    [row] = balances.allocations_of(manager, _invoice(order.id).id)
    allocating.unallocate(manager, row.id)
    assert Allocation.select().count() == 1  # never deleted
    assert Allocation.get_by_id(row.id).undone_on is not None
    assert _invoice(order.id).open == 2000
    assert LedgerEntry.get(LedgerEntry.doc == done.doc_id).open == 2000
    with pytest.raises(ValidationError, match="already undone"):
        allocating.unallocate(manager, row.id)
    assert balances.customer_balance(manager, customer.id).balance == D(0)
    assert _problems() == []


def test_write_off_up_to_the_setting_with_a_reason(manager, shop):
    widget, customer, _ = shop
    order = _sale(manager, widget, customer, 1)
    documents.record_receipt(manager, customer.id, "9.50", "cash")
    inv = _invoice(order.id)
    with pytest.raises(ValidationError, match="at most 0.20"):
        settings.set_value(manager, "money.write_off_limit", "0.20")
        allocating.write_off(manager, inv.id, "0.50", "rounding")
    settings.set_value(manager, "money.write_off_limit", "1.00")
    with pytest.raises(ValidationError, match="why"):
        allocating.write_off(manager, inv.id, "0.50", "  ")
    allocating.write_off(manager, inv.id, "0.50", "customer short-paid")
    assert _invoice(order.id).open == 0
    assert balances.customer_balance(manager, customer.id).balance == D(0)
    assert AuditLog.select().where(AuditLog.action == "write_off").count() == 1
    assert _problems() == []


def test_a_return_is_a_credit_note_on_its_invoice_then_refunded(manager, shop):
    widget, customer, _ = shop
    order = _sale(manager, widget, customer, 4)  # 40.00
    documents.record_receipt(manager, customer.id, "40.00", "cash")
    ret = orders.start_return(manager, order)
    orders.add_line(manager, ret, widget, 1)
    orders.complete_return(manager, ret)
    note = LedgerEntry.get(LedgerEntry.order == ret.id)
    assert (note.kind, note.amount, note.open) == ("credit_note", -1000, 1000)  # paid: on account
    assert balances.customer_balance(manager, customer.id).balance == D("-10.00")
    refund = documents.refund_customer(manager, customer.id, "10.00", "cash")
    assert refund.settled == ((note.id, D("10.00")),)
    assert balances.customer_balance(manager, customer.id).balance == D(0)
    assert _problems() == []


def test_a_return_of_an_unpaid_sale_reduces_its_invoice(manager, shop):
    widget, customer, _ = shop
    order = _sale(manager, widget, customer, 4)
    ret = orders.start_return(manager, order)
    orders.add_line(manager, ret, widget, 1)
    orders.complete_return(manager, ret)
    assert _invoice(order.id).open == 3000
    assert balances.customer_balance(manager, customer.id).balance == D("30.00")


def test_received_purchase_is_a_bill_and_payments_settle_it(manager, shop):
    widget, _, supplier = shop
    po = orders.new_order(manager, "purchase", supplier_id=supplier.id)
    orders.add_line(manager, po, widget, 10)
    orders.receive(manager, po)
    bill = _invoice(po.id)
    assert (bill.kind, bill.side, bill.amount) == ("bill", "supplier", 4000)
    assert bill.due_date == bill.date + dt.timedelta(days=15)
    assert balances.supplier_balance(manager, supplier.id).balance == D("40.00")
    documents.record_payment(manager, supplier.id, "25.00", "bank")
    assert balances.supplier_balance(manager, supplier.id).balance == D("15.00")
    assert _problems() == []


def test_counter_sale_cash_with_change_card_and_split(manager, shop):
    widget, customer, _ = shop
    walk_in = _sale(manager, widget, None, 3, deliver=False)  # 30.00
    paid = counter.pay_sale(manager, walk_in, [counter.Tender("cash", "50")])
    assert (paid.paid, paid.change, paid.on_account) == (D("30.00"), D("20.00"), D(0))
    doc = MoneyDoc.get(MoneyDoc.order == walk_in.id)
    assert (doc.amount, doc.tendered, doc.customer) == (D("30.00"), D("50.00"), None)

    split = _sale(manager, widget, customer, 5, deliver=False)  # 50.00
    paid = counter.pay_sale(manager, split, [counter.Tender("card", "20"),
                                             counter.Tender("wechat", "30")])
    assert len(paid.receipts) == 2 and paid.on_account == D(0)
    assert _invoice(split.id).open == 0
    with pytest.raises(ValidationError, match="only cash gives change"):
        counter.pay_sale(manager, _sale(manager, widget, customer, 1, deliver=False),
                         [counter.Tender("card", "20")])
    assert _problems() == []


def test_counter_sale_partly_on_account_leaves_the_rest_owed(manager, shop):
    widget, customer, _ = shop
    order = _sale(manager, widget, customer, 10, deliver=False)  # 100.00
    paid = counter.pay_sale(manager, order, [counter.Tender("cash", "40")])
    assert paid.on_account == D("60.00")
    assert _invoice(order.id).open == 6000
    assert balances.customer_balance(manager, customer.id).balance == D("60.00")


def test_a_walk_in_sale_is_paid_in_full_and_nothing_changes_otherwise(manager, shop):
    widget, _, _ = shop
    order = _sale(manager, widget, None, 3, deliver=False)
    with pytest.raises(ValidationError, match="walk-in"):
        counter.pay_sale(manager, order, [counter.Tender("cash", "10")])
    assert orders.get_order(manager, order).status == "draft"
    assert MoneyDoc.select().count() == 0


def test_credit_limit_warns_blocks_and_a_supervisor_overrides(manager, sales, shop):
    widget, customer, _ = shop
    order = _sale(sales, widget, customer, 60, deliver=False)  # 600.00 > 500 limit
    pos = credit.credit_position(sales, customer.id, "600")
    assert pos.over and "OVER LIMIT" in pos.text()
    settings.set_value(manager, "credit.limit_action", "block")
    with pytest.raises(credit.CreditLimitExceeded, match="supervisor"):
        counter.pay_sale(sales, order, [])
    assert orders.get_order(sales, order).status == "draft"
    with pytest.raises(PermissionDenied):
        counter.pay_sale(sales, order, [], approved_by=sales)
    paid = counter.pay_sale(sales, order, [], approved_by=manager)
    assert paid.on_account == D("600.00")
    audit = AuditLog.get(AuditLog.action == "credit_override")
    assert "manny" in audit.changes
    settings.set_value(manager, "credit.limit_action", "warn")
    small = _sale(sales, widget, customer, 1, deliver=False)
    assert counter.pay_sale(sales, small, []).warnings  # warned, not blocked


def test_a_salesperson_reaches_only_their_customers_money(make_user, manager, shop):
    widget, customer, _ = shop
    order = _sale(manager, widget, customer, 1)
    other = make_user("sales", "other")
    with pytest.raises(NotFound):
        balances.customer_balance(other, customer.id)
    with pytest.raises(PermissionDenied):
        allocating.allocate(other, 1, _invoice(order.id).id)
    with pytest.raises(PermissionDenied):
        documents.record_payment(other, 1, "1")


def test_check_finds_tampering(manager, shop):
    widget, customer, _ = shop
    order = _sale(manager, widget, customer, 2)
    documents.record_receipt(manager, customer.id, "5.00", "cash")
    assert _problems() == []
    with dbmod.write():
        database.execute_sql(
            f"UPDATE ledger_entry SET open = open + 1 WHERE id = {database.param}",
            (_invoice(order.id).id,))
    problems = _problems()
    assert any(p.startswith("allocations: ") and order.number in p for p in problems)
    assert any(p.startswith("balances: customer C001") for p in problems)
    with dbmod.write():
        database.execute_sql("UPDATE ledger_entry SET open = open - 1 WHERE id = "
                             f"{database.param}", (_invoice(order.id).id,))
        database.execute_sql("UPDATE money_doc SET amount = amount + 100")
    assert any(p.startswith("ledger_documents: RC-") for p in _problems())
