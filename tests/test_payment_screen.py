"""F10 on a sale asks how it was paid: cash with change, split across methods, part on
account; a walk-in pays in full; over a blocking credit limit a supervisor approves (audited).
The header shows the customer's balance and limit as lines are scanned."""

from __future__ import annotations

from decimal import Decimal

from tests import test_order_entry as entry_tests
from tests.helpers import SIZE, screen_text, wait_for
from tests.test_order_entry import UNIT, act, open_entry, scan, shows
from tuicrm.app import make_app
from tuicrm.data.core import settings
from tuicrm.data.models import AuditLog, Customer, MoneyDoc
from tuicrm.data.money import balances
from tuicrm.screens.order_dialogs import PickDialog, ReceiptDialog
from tuicrm.screens.payment_dialog import PaymentDialog
from tuicrm.widgets.form import FormDialog

goods = entry_tests.goods  # the fixtures of the order entry tests
shop = entry_tests.shop


async def _choose_customer(pilot, app) -> None:
    await pilot.press("f2")
    await shows(pilot, PickDialog)
    await pilot.press(*"Wang")
    await wait_for(pilot, lambda: "Wholesale Wang" in screen_text(app))
    await act(pilot, "enter")


def _set(app, field: str, value: str) -> None:
    app.screen.query_one(f"#f-{field}").value = value


async def test_cash_with_change_on_a_walk_in_sale(db, admin, goods):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_entry(pilot, admin)
        await scan(pilot, "3*" + UNIT)  # 7.50
        await pilot.press("f10")
        await shows(pilot, PaymentDialog)
        assert "Payment: total 7.50" in screen_text(app)
        _set(app, "cash", "20")
        await wait_for(pilot, lambda: "Change 12.50" in screen_text(app))
        await act(pilot, "enter")
        await shows(pilot, ReceiptDialog)
        assert app.screen.notes[0].startswith("CHANGE 12.50. Sale SO-")
    doc = MoneyDoc.get()
    assert (doc.amount, doc.tendered, doc.method) == (Decimal("7.50"), Decimal("20.00"), "cash")


async def test_a_walk_in_must_pay_in_full(db, admin, goods):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_entry(pilot, admin)
        await scan(pilot, "3*" + UNIT)
        await pilot.press("f10")
        await shows(pilot, PaymentDialog)
        _set(app, "cash", "5")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "paid in full" in screen_text(app))
        assert isinstance(app.screen, PaymentDialog)  # nothing lost: fix it or Esc
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
        assert screen.order.status == "draft"


async def test_split_payment_and_the_rest_on_account(db, admin, shop):
    _, cust, _ = shop
    Customer.update(credit_limit=Decimal("1000")).where(Customer.id == cust.id).execute()
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_entry(pilot, admin)
        await _choose_customer(pilot, app)
        await scan(pilot, "50*" + UNIT)  # wholesale 2.00: 100.00
        await wait_for(pilot, lambda: "Bal 0.00" in screen_text(app)
                       and "Limit 1,000.00" in screen_text(app))
        await pilot.press("f10")
        await shows(pilot, PaymentDialog)
        _set(app, "cash", "30")
        _set(app, "wechat", "20")
        await wait_for(pilot, lambda: "On account 50.00" in screen_text(app))
        await act(pilot, "enter")
        await shows(pilot, ReceiptDialog)
        assert app.screen.notes[0].endswith("total 100.00, 50.00 on account")
    assert MoneyDoc.select().count() == 2
    assert balances.customer_balance(admin, cust.id).balance == Decimal("50.00")


async def test_over_a_blocking_limit_a_supervisor_approves(db, admin, make_user, password, shop):
    _, cust, _ = shop
    settings.set_value(admin, "credit.limit_action", "block")
    clerk = make_user("sales", "clerk")
    Customer.update(salesperson=clerk.id).where(Customer.id == cust.id).execute()
    make_user("manager", "boss")
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_entry(pilot, clerk)
        await _choose_customer(pilot, app)
        await scan(pilot, "10*" + UNIT)  # 20.00, limit 0: no credit
        await pilot.press("f10")
        await shows(pilot, PaymentDialog)
        _set(app, "cash", "")
        await act(pilot, "enter")
        await shows(pilot, FormDialog)
        assert "supervisor" in screen_text(app)
        assert screen.order.status == "draft"
        _set(app, "username", "boss")
        _set(app, "password", password)
        await act(pilot, "ctrl+s")
        await shows(pilot, ReceiptDialog)
    audit = AuditLog.get(AuditLog.action == "credit_override")
    assert "boss" in audit.changes
    assert balances.customer_balance(admin, cust.id).balance == Decimal("20.00")
