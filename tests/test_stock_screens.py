"""Pilot tests of Stock on hand, the movement history and the adjustment log at 80x24."""

from __future__ import annotations

from decimal import Decimal

from textual.widgets import Input

from tests.helpers import SIZE, open_screen, screen_text
from tuicrm.app import make_app
from tuicrm.data.catalog import products
from tuicrm.data.models import StockMovement
from tuicrm.data.sales import orders
from tuicrm.data.stock import ledger as stock
from tuicrm.screens.stock import AdjustmentLogScreen, MovementsScreen, StockScreen
from tuicrm.widgets.form import FormDialog


def _setup(admin):
    tea = products.create_product(admin, code="T-1", name="Green tea", price1="3.50",
                                  min_stock="5")
    rice = products.create_product(admin, code="R-1", name="Rice 5kg", price1="20",
                                   min_stock="2")
    stock.set_opening(admin, tea, 8)
    stock.set_opening(admin, rice, 40)
    order = orders.new_order(admin, "sale")
    orders.add_line(admin, order, tea, 4)
    orders.complete_sale(admin, order)
    return tea, rice, orders.get_order(order.id)


async def _open(pilot, key: str, user: str, password: str, cls):
    return await open_screen(pilot, user, password, key, cls, pause=0.2)


async def test_on_hand_below_minimum_and_history(db, admin, warehouse, password):
    tea, rice, sale = _setup(admin)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await _open(pilot, "h", "wally", password, StockScreen)
        text = screen_text(app)
        assert "Green tea" in text and "Rice 5kg" in text and "MAIN" in text
        line = next(x for x in text.splitlines() if "Green tea" in x)
        assert " 4 " in line and " 5 " in line  # on hand 4, minimum 5
        await pilot.press("b")
        await pilot.pause(0.2)
        text = screen_text(app)
        assert "Green tea" in text and "Rice 5kg" not in text
        assert "BELOW MINIMUM" in text
        await pilot.press("b")
        await pilot.pause(0.2)
        assert "Rice 5kg" in screen_text(app)
        # search, then Enter opens the movement history
        await pilot.press("slash", *"T-1", "enter")
        await pilot.pause(0.2)
        assert screen.query_one("#search", Input).value == "T-1"
        assert "Rice 5kg" not in screen_text(app)
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert isinstance(app.screen, MovementsScreen)
        text = screen_text(app)
        assert "T-1 Green tea: 4 pcs on hand (minimum 5)" in text
        sale_line = next(x for x in text.splitlines() if "Sale" in x)
        assert "-4" in sale_line and sale.number[:12] in sale_line and "admin" in sale_line
        assert "Opening stock" in text and "+8" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StockScreen)


async def test_manual_adjustment_writes_a_movement_and_appears_in_the_log(db, admin, manager,
                                                                          password):
    tea, _, _ = _setup(admin)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _open(pilot, "h", "manny", password, StockScreen)
        await pilot.press("slash", *"T-1", "enter")
        await pilot.pause(0.2)
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormDialog)
        await pilot.press("ctrl+s")  # no quantity, no reason
        await pilot.pause()
        assert app.screen is form
        assert "say why the stock is adjusted" in screen_text(app)
        form.query_one("#f-quantity", Input).value = "-2"
        form.query_one("#f-note", Input).value = "dropped, broken"
        await pilot.press("ctrl+s")
        await pilot.pause(0.2)
        assert isinstance(app.screen, StockScreen)
        assert stock.on_hand(tea) == Decimal("2.000")
        m = StockMovement.select().order_by(StockMovement.id.desc()).first()
        assert (m.reason, m.quantity, m.note, m.user_id) == ("adjust", Decimal("-2.000"),
                                                             "dropped, broken", manager.id)
        assert m.doc_number
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("j")
        await pilot.pause(0.2)
        assert isinstance(app.screen, AdjustmentLogScreen)
        text = screen_text(app)
        line = next(x for x in text.splitlines() if "T-1" in x)
        assert "-2" in line and "dropped, broken" in line and "manny" in line


async def test_adjustment_refused_for_sales(db, admin, sales, password):
    tea, _, _ = _setup(admin)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _open(pilot, "h", "sally", password, StockScreen)
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormDialog)
        form.query_one("#f-quantity", Input).value = "5"
        form.query_one("#f-note", Input).value = "found"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "may not: Adjust stock by hand" in screen_text(app)
    assert stock.on_hand(tea) == Decimal("4.000")
    assert not StockMovement.select().where(StockMovement.reason == "adjust").exists()
