"""The Receipts screen's controller: pick by code, FIFO pre-allocation, the user's own amounts,
accept writes exactly what was shown, write-off, unallocate, money on account; Payments."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.test_money_ledger import _invoice, _sale
from tests.test_money_ledger import shop as ledger_shop
from tuicrm.data.check import run_checks
from tuicrm.data.core.errors import NotFound, ValidationError
from tuicrm.data.core.vocab import Side
from tuicrm.data.money import balances, documents
from tuicrm.data.money.receiving import ReceiptEntry
from tuicrm.data.sales import orders

pytestmark = pytest.mark.pg
D = Decimal
shop = ledger_shop


def test_fifo_pre_allocation_and_accept(manager, shop):
    widget, customer, _ = shop
    a, b = _sale(manager, widget, customer, 3), _sale(manager, widget, customer, 5)
    entry = ReceiptEntry(manager)
    view = entry.find_party("C001")
    assert [p.doc.number for p in view.docs] == [a.number, b.number]
    view = entry.set_amount("45")
    assert [p.allocate for p in view.docs] == [D("30.00"), D("15.00")]
    assert view.on_account == D(0)
    view = entry.set_allocation(_invoice(b.id).id, "40")  # the user's own choice first
    assert [p.allocate for p in view.docs] == [D("5.00"), D("40.00")]
    view = entry.accept()
    assert view.message.startswith("RC-2026-") and view.amount == D(0)
    assert (_invoice(a.id).open, _invoice(b.id).open) == (2500, 1000)
    assert run_checks() == []


def test_the_rest_on_account_then_allocated_later(manager, shop):
    widget, customer, _ = shop
    entry = ReceiptEntry(manager)
    entry.find_party("C001")
    entry.set_amount("100")
    view = entry.accept()
    assert "100.00 on account" in view.message
    assert [c.open for c in view.credits] == [D("100.00")]
    order = _sale(manager, widget, customer, 2)
    view = entry.reload()
    assert view.docs[0].doc.number == order.number
    view = entry.allocate_on_account()
    assert view.docs == () and view.credits[0].open == D("80.00")


def test_write_off_and_unallocate(manager, shop):
    widget, customer, _ = shop
    order = _sale(manager, widget, customer, 1)
    entry = ReceiptEntry(manager)
    entry.find_party("C001")
    entry.set_amount("9.80")
    entry.accept()
    inv = _invoice(order.id).id
    view = entry.write_off(inv, "0.20", "rounding")
    assert view.docs == () and view.balance.balance == D(0)
    rows = entry.allocations(inv)
    assert [r.amount for r in rows] == [D("9.80"), D("0.20")]
    view = entry.unallocate(rows[0].id)
    assert view.docs[0].doc.open == D("9.80") and view.credits[0].open == D("9.80")
    assert run_checks() == []


def test_refusals_say_what_is_wrong(manager, shop):
    widget, customer, _ = shop
    order = _sale(manager, widget, customer, 1)
    entry = ReceiptEntry(manager)
    with pytest.raises(NotFound, match="no customer"):
        entry.find_party("NOPE")
    with pytest.raises(ValidationError, match="first"):
        entry.accept()
    entry.find_party("C001")
    with pytest.raises(ValidationError):
        entry.set_amount("abc")
    with pytest.raises(ValidationError, match="only 10.00 open"):
        entry.set_allocation(_invoice(order.id).id, "11")
    with pytest.raises(ValidationError, match="amount received"):
        entry.accept()


def test_payments_to_a_supplier(manager, shop):
    widget, _, supplier = shop
    po = orders.new_order(manager, "purchase", supplier_id=supplier.id)
    orders.add_line(manager, po, widget, 10)
    orders.receive(manager, po)
    entry = ReceiptEntry(manager, Side.SUPPLIER)
    view = entry.find_party("S001")
    assert view.docs[0].doc.number == po.number and view.balance.balance == D("40.00")
    entry.set_amount("40")
    entry.set_method("bank")
    view = entry.accept()
    assert view.message.startswith("PY-2026-") and view.docs == ()


def test_a_salesperson_finds_only_their_customers(make_user, manager, shop):
    other = make_user("sales", "other")
    with pytest.raises(NotFound):
        ReceiptEntry(other).find_party("C001")
    assert documents  # the module the controller writes through


def test_balances_where_they_matter(manager, sales, shop):
    """The Customers related pane, the Purchase header and Today's overdue receivables."""
    import datetime as dt

    from tuicrm.data.agenda.today import build_today
    from tuicrm.data.core import clock
    from tuicrm.data.models import LedgerEntry
    from tuicrm.data.parties.related import customer_related
    from tuicrm.data.sales.entry import OrderEntry

    widget, customer, supplier = shop
    order = _sale(manager, widget, customer, 3)
    LedgerEntry.update(due_date=clock.today() - dt.timedelta(days=10)).where(
        LedgerEntry.order == order.id).execute()
    documents.record_receipt(manager, customer.id, "5.00", "cash")
    related = customer_related(sales, customer.id)
    assert (related.balance, related.overdue) == (D("25.00"), D("25.00"))
    items = [i for i in build_today(sales) if i.kind == "receivable"]
    assert [i.title for i in items] == ["Overdue: C001 Wang 王 owes 25.00"]
    assert "10 days ago" in items[0].detail
    po = orders.new_order(manager, "purchase", supplier_id=supplier.id)
    orders.add_line(manager, po, widget, 10)
    orders.receive(manager, po)
    entry = OrderEntry(manager, "purchase")
    assert "We owe 40.00" in entry.choose_supplier(supplier.id).header


def test_opening_balances_are_aged_and_settled_first_in_first_out(manager, shop):
    import datetime as dt

    from tuicrm.data.money import ageing, opening

    widget, customer, supplier = shop
    opening.customer_opening_balance(manager, customer.id, "120.00", dt.date(2026, 1, 31))
    order = _sale(manager, widget, customer, 1)
    documents.record_receipt(manager, customer.id, "100", "bank")
    row = ageing.ageing(manager, "customer").rows[0]
    assert (row.balance, row.buckets[-1]) == (D("30.00"), D("20.00"))  # over 90: the opening
    assert _invoice(order.id).open == 1000
    opening.supplier_opening_balance(manager, supplier.id, "-50")
    assert balances.supplier_balance(manager, supplier.id).on_account == D("50.00")
    with pytest.raises(ValidationError):
        opening.customer_opening_balance(manager, customer.id, "0")
    assert run_checks() == []
