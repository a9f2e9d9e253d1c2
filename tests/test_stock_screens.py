"""Pilot tests of Stock on hand, the movement history and the adjustment log at 80x24."""

from __future__ import annotations

from decimal import Decimal

from textual.widgets import Input

from tests.helpers import SIZE, open_screen, screen_text, sees, wait_for
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
    return tea, rice, orders.get_order(admin, order.id)


async def _open(pilot, key: str, user: str, password: str, cls, *shows: str):
    """Open the screen and wait until it shows ``shows`` (its list is read in a worker)."""
    screen = await open_screen(pilot, user, password, key, cls)
    await sees(pilot, *shows)
    return screen


async def test_on_hand_below_minimum_and_history(db, admin, warehouse, password):
    tea, rice, sale = _setup(admin)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await _open(pilot, "h", "wally", password, StockScreen, "Green tea", "Rice 5kg")
        text = screen_text(app)
        assert "Green tea" in text and "Rice 5kg" in text and "MAIN" in text
        line = next(x for x in text.splitlines() if "Green tea" in x)
        assert " 4 " in line and " 5 " in line  # on hand 4, minimum 5
        await pilot.press("b")
        await sees(pilot, "BELOW MINIMUM", "Green tea", "row 1 of 1")
        assert "Rice 5kg" not in screen_text(app)
        await pilot.press("b")
        await sees(pilot, "Green tea", "Rice 5kg", "of 2")
        # search, then Enter opens the movement history
        await pilot.press("slash", *"T-1", "enter")
        assert screen.query_one("#search", Input).value == "T-1"
        await sees(pilot, "Green tea", "row 1 of 1")
        assert "Rice 5kg" not in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, MovementsScreen))
        await sees(pilot, "T-1 Green tea: 4 pcs on hand (minimum 5)", "Opening stock")
        text = screen_text(app)
        sale_line = next(x for x in text.splitlines() if "Sale" in x)
        assert "-4" in sale_line and sale.number[:12] in sale_line and "admin" in sale_line
        assert "Opening stock" in text and "+8" in text
        # the history has the list tools: a search for the sale's number keeps only the sale
        await sees(pilot, "row 1 of 2")
        await pilot.press("slash", *sale.number, "enter")
        await sees(pilot, "row 1 of 1")
        assert "Opening stock" not in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StockScreen)


async def test_manual_adjustment_writes_a_movement_and_appears_in_the_log(db, admin, manager,
                                                                          password):
    tea, _, _ = _setup(admin)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _open(pilot, "h", "manny", password, StockScreen, "Green tea", "Rice 5kg")
        await pilot.press("slash", *"T-1", "enter")
        await sees(pilot, "Green tea", "row 1 of 1")
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormDialog)
        assert "Adjust stock of T-1 Green tea (on hand 4 pcs)" in screen_text(app)
        await pilot.press("ctrl+s")  # no quantity, no reason
        await sees(pilot, "say why the stock is adjusted")  # refused by the operation
        assert app.screen is form
        form.query_one("#f-quantity", Input).value = "-2"
        form.query_one("#f-note", Input).value = "dropped, broken"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, StockScreen))
        assert stock.on_hand(tea) == Decimal("2.000")

        def tea_line() -> str:
            return next((x for x in screen_text(app).splitlines() if "Green tea" in x), "")

        await wait_for(pilot, lambda: " 2 " in tea_line())  # the list was read again
        m = StockMovement.select().order_by(StockMovement.id.desc()).first()
        assert (m.reason, m.quantity, m.note, m.user_id) == ("adjust", Decimal("-2.000"),
                                                             "dropped, broken", manager.id)
        assert m.doc_number
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("j")
        await wait_for(pilot, lambda: isinstance(app.screen, AdjustmentLogScreen))
        await sees(pilot, "T-1", "dropped, broken")
        text = screen_text(app)
        line = next(x for x in text.splitlines() if "T-1" in x)
        assert "-2" in line and "dropped, broken" in line and "manny" in line


async def test_adjustment_refused_for_sales(db, admin, sales, password):
    tea, _, _ = _setup(admin)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _open(pilot, "h", "sally", password, StockScreen, "Green tea")
        screen = app.screen
        await pilot.press("a")  # refused before the form opens (issue 17)
        await wait_for(pilot, lambda: any("may not: Adjust stock by hand" in n.message
                                          for n in app._notifications))
        assert app.screen is screen
    assert stock.on_hand(tea) == Decimal("4.000")
    assert not StockMovement.select().where(StockMovement.reason == "adjust").exists()


async def test_adjustment_waits_for_another_terminal_without_freezing(db, admin, manager,
                                                                      password):
    """While another terminal holds the write lock, the save waits in a worker: the form says
    so, typed keys still reach the form, and the adjustment lands once the lock is free."""
    import sqlite3

    tea, _, _ = _setup(admin)
    app = make_app(db)
    other = sqlite3.connect(db, isolation_level=None)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await _open(pilot, "h", "manny", password, StockScreen, "Green tea", "Rice 5kg")
            await pilot.press("slash", *"T-1", "enter")
            await sees(pilot, "Green tea", "row 1 of 1")
            await pilot.press("a")
            await pilot.pause()
            form = app.screen
            assert isinstance(form, FormDialog)
            form.query_one("#f-quantity", Input).value = "-2"
            note = form.query_one("#f-note", Input)
            note.value = "dropped"
            note.focus()
            other.execute("BEGIN IMMEDIATE")  # another terminal is writing
            await pilot.press("ctrl+s")
            await sees(pilot, "waiting for another terminal")
            await pilot.press("end", *" twice")  # the screen still takes keys
            await wait_for(pilot, lambda: note.value == "dropped twice")
            assert app.screen is form and stock.on_hand(tea) == Decimal("4.000")
            other.execute("ROLLBACK")
            await wait_for(pilot, lambda: isinstance(app.screen, StockScreen))
            assert stock.on_hand(tea) == Decimal("2.000")
            m = StockMovement.select().order_by(StockMovement.id.desc()).first()
            assert m.note == "dropped"  # what the form held when the save key was pressed
    finally:
        other.close()
