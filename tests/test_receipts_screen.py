"""The Receipts and Payments screens: scan a customer code, the amount spreads oldest first
as it is typed, Enter on an invoice sets its own amount, Ctrl+S records exactly that."""

from __future__ import annotations

from decimal import Decimal

from tests.helpers import SIZE, screen_text, send_burst, wait_for
from tests.test_money_ledger import _invoice, _sale
from tests.test_money_ledger import shop as ledger_shop
from tests.test_order_entry import TEST_TIMING, person
from tuicrm.app import make_app
from tuicrm.data.models import MoneyDoc
from tuicrm.data.money import balances
from tuicrm.data.sales import orders
from tuicrm.screens.receipts import PaymentsScreen, ReceiptsScreen
from tuicrm.widgets.form import FormDialog

shop = ledger_shop


async def _open(pilot, user, cls=ReceiptsScreen):
    from tuicrm.screens.home import HomeScreen

    app = pilot.app
    app.user = user
    await app.push_screen(HomeScreen())
    screen = cls()
    screen.SCAN_TIMING = TEST_TIMING
    await app.push_screen(screen)
    await wait_for(pilot, lambda: screen.view is not None)
    return screen


async def scan(pilot, code: str) -> None:
    """A scanner's burst: the code and Enter in one read, whatever has focus."""
    screen = pilot.app.screen
    before = screen.actions_done
    send_burst(pilot.app, code + "\r")
    await _settled(pilot, screen, before)


async def _settled(pilot, screen, before: int, more: int = 1) -> None:
    await wait_for(pilot, lambda: screen.actions_done >= before + more and screen.idle)


async def test_receipt_by_scanned_code_fifo_and_own_amount(db, manager, shop):
    widget, customer, _ = shop
    a, b = _sale(manager, widget, customer, 3), _sale(manager, widget, customer, 5)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, manager)
        await scan(pilot, "C001")
        await wait_for(pilot, lambda: "Wang" in screen_text(app) and b.number in screen_text(app))
        assert "Balance 80.00" in screen_text(app)
        screen.query_one("#amount").value = "45"
        await wait_for(pilot, lambda: "Allocated 45.00" in screen_text(app))
        text = screen_text(app)
        assert "30.00" in text and "15.00" in text
        await wait_for(pilot, lambda: screen.idle)
        screen.table.focus()
        screen.table.move_cursor(row=1)
        await pilot.pause()
        await person(pilot, "enter")  # a person, after the scan
        await wait_for(pilot, lambda: isinstance(app.screen, FormDialog))
        app.screen.query_one("#f-allocate").value = "40"
        before = screen.actions_done
        await person(pilot, "ctrl+s")
        await _settled(pilot, screen, before)
        assert "40.00*" in screen_text(app)
        before = screen.actions_done
        await person(pilot, "ctrl+s")
        await _settled(pilot, screen, before)
        assert "RC-2026-000001: 45.00 recorded" in screen_text(app)
    assert (_invoice(a.id).open, _invoice(b.id).open) == (2500, 1000)
    assert MoneyDoc.get().amount == Decimal("45.00")


async def test_unknown_code_says_so_and_nothing_is_lost(db, manager, shop):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, manager)
        await scan(pilot, "NOPE")
        await wait_for(pilot, lambda: "no customer with the code 'NOPE'" in screen_text(app))
        before = screen.actions_done
        await person(pilot, "ctrl+s")
        await _settled(pilot, screen, before)
        assert "choose the customer first" in screen_text(app)


async def test_payment_to_a_supplier(db, manager, shop):
    widget, _, supplier = shop
    po = orders.new_order(manager, "purchase", supplier_id=supplier.id)
    orders.add_line(manager, po, widget, 10)
    orders.receive(manager, po)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, manager, PaymentsScreen)
        await scan(pilot, "S001")
        await wait_for(pilot, lambda: po.number in screen_text(app))
        screen.query_one("#amount").value = "40"
        await wait_for(pilot, lambda: "Allocated 40.00" in screen_text(app))
        before = screen.actions_done
        await person(pilot, "ctrl+s")
        await _settled(pilot, screen, before)
        assert "PY-2026-000001: 40.00 recorded" in screen_text(app)
    assert balances.supplier_balance(manager, supplier.id).balance == Decimal(0)


async def test_refund_of_money_on_account_is_checked_beside_the_field(db, manager, shop):
    widget, customer, _ = shop
    _sale(manager, widget, customer, 3)  # 30.00
    from tuicrm.data.money import documents

    documents.record_receipt(manager, customer.id, "50.00", "cash")  # 20.00 on account
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, manager)
        await person(pilot, "f8")  # no customer yet: said, no form
        await wait_for(pilot, lambda: "choose the customer first" in screen_text(app))
        await scan(pilot, "C001")
        await wait_for(pilot, lambda: "Wang" in screen_text(app))
        await person(pilot, "f8")
        await wait_for(pilot, lambda: isinstance(app.screen, FormDialog))
        form = app.screen
        assert form.query_one("#f-amount").value == "20.00"  # all that is on account
        form.query_one("#f-amount").value = "25"
        await person(pilot, "ctrl+s")
        await wait_for(pilot, lambda: "only 20.00 is on account" in screen_text(app))
        assert app.screen is form  # the form stays, with what was typed
        form.query_one("#f-amount").value = "15"
        form.query_one("#f-reason").value = "overpaid"
        before = screen.actions_done
        await person(pilot, "ctrl+s")
        await _settled(pilot, screen, before)
        assert ": 15.00 refunded" in screen_text(app)
    refund = MoneyDoc.get(MoneyDoc.kind == "refund")
    assert (refund.amount, refund.method) == (Decimal("15.00"), "cash")
    assert balances.customer_balance(manager, customer.id).on_account == Decimal("5.00")
