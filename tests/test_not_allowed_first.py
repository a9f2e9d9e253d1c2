"""Issue 17: a user who may not save a form hears "not allowed" before it opens (not after
typing into it), and before any "Delete?" question."""

from __future__ import annotations

from tests.helpers import SIZE, open_screen, sees, wait_for
from tuicrm.app import make_app
from tuicrm.data.catalog import products
from tuicrm.data.parties import customers
from tuicrm.data.stock import ledger as stock
from tuicrm.screens.customers import CustomersScreen
from tuicrm.screens.products import ProductsScreen
from tuicrm.screens.stock import StockScreen


def _refused(app) -> bool:
    return any("Not allowed" in n.message for n in app._notifications)


async def test_warehouse_adjust_and_sales_edit_product_are_refused_before_the_form(
        db, admin, password, make_user):
    make_user("warehouse", "wally")
    make_user("sales", "sally")
    tea = products.create_product(admin, code="T-1", name="Green tea", price1="3.50")
    stock.set_opening(admin, tea, 8)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_screen(pilot, "wally", password, "h", StockScreen)
        await sees(pilot, "Green tea")
        await pilot.press("a")
        await wait_for(pilot, lambda: _refused(app))
        assert app.screen is screen  # no form
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_screen(pilot, "sally", password, "g", ProductsScreen)
        await sees(pilot, "Green tea")
        for key in ("e", "a", "d", "n"):
            app._notifications.clear()
            await pilot.press(key)
            await wait_for(pilot, lambda: _refused(app))
            assert app.screen is screen


async def test_sales_is_told_before_the_delete_question(db, admin, password, make_user):
    clerk = make_user("sales", "sally")
    customers.create_customer(clerk, name="Acme 华兴")
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_screen(pilot, "sally", password, "c", CustomersScreen)
        await sees(pilot, "Acme 华兴")
        await pilot.press("d")
        await wait_for(pilot, lambda: _refused(app))
        assert app.screen is screen  # no "Delete?" first
