"""Pilot tests of the Stock count screen at 80x24: open, scan, recount, out-of-scope product,
variance with a sale during the count, post, refused post for a counter, cancel."""

from __future__ import annotations

from decimal import Decimal

from textual.widgets import Input, Select

from tests.helpers import SIZE, open_screen, screen_text, send_burst, wait_until
from tuicrm.app import make_app
from tuicrm.data.catalog import products
from tuicrm.data.check import run_checks
from tuicrm.data.core.actor import system_actor
from tuicrm.data.counts import sessions as counts
from tuicrm.data.models import StockCount, StockMovement
from tuicrm.data.sales import orders
from tuicrm.data.stock import ledger as stock
from tuicrm.screens.stock_count import StockCountScreen
from tuicrm.widgets.dialogs import ConfirmDialog
from tuicrm.widgets.form import FormDialog

D = Decimal
TEA_EAN = "4006381333931"


def _shop(admin):
    tea = products.create_product(admin, code="T-1", name="Green tea 绿茶", cost="2",
                                  barcodes=[TEA_EAN])
    rice = products.create_product(admin, code="R-1", name="Rice 5kg", cost="10")
    stock.set_opening(admin, tea, 10)
    stock.set_opening(admin, rice, 40)
    return tea, rice


async def _wait(pilot, condition, timeout: float = 5.0) -> None:
    await wait_until(pilot, condition, timeout, settle=0.05)


async def _open_screen(pilot, user: str, password: str) -> StockCountScreen:
    return await open_screen(pilot, user, password, "w", StockCountScreen, pause=0.2)


async def _scan(pilot, screen, code: str) -> None:
    before = screen.last_status
    send_burst(pilot.app, code + "\r")
    await _wait(pilot, lambda: screen.last_status != before)


def _status(app) -> str:
    return str(app.screen.query_one("#status").render())


async def test_open_scan_recount_out_of_scope_and_post(db, admin, manager, password):
    tea, rice = _shop(admin)
    extra = products.create_product(admin, code="X-1", name="Extra")
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await _open_screen(pilot, "manny", password)
        assert "No stock count yet" in screen_text(app)
        # F6: open a count of two products, blind
        await pilot.press("f6")
        await pilot.pause(0.2)
        form = app.screen
        assert isinstance(form, FormDialog)
        form.query_one("#f-scope", Select).value = "products"
        form.query_one("#f-value", Input).value = "T-1 R-1"
        form.action_save()
        await pilot.pause(0.2)
        assert app.screen is screen
        count = StockCount.get()
        assert count.mode == "blind" and count.scope == "products"
        text = screen_text(app)
        assert count.number in text and "0/2 counted" in text
        assert "Green tea" in text and "Rice 5kg" in text

        # scans land on the line whatever has focus, and say +1 -> n
        await _scan(pilot, screen, TEA_EAN)
        await _scan(pilot, screen, "T-1")
        assert "T-1: +1 -> 2" in screen.last_status
        await _scan(pilot, screen, "5*R-1")
        assert "R-1: +5 -> 5" in screen.last_status
        assert "2/2 counted" in screen_text(app)
        # an unknown code: a warning, and the next scan works at once
        await _scan(pilot, screen, "NOPE-1")
        assert "unknown code NOPE-1" in screen.last_status
        await _scan(pilot, screen, "R-1")
        assert "R-1: +1 -> 6" in screen.last_status

        # recount the highlighted line (rice), then type its quantity
        await pilot.press("f3")
        await pilot.pause(0.1)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause(0.2)
        assert "R-1: recount" in screen.last_status
        assert "1/2 counted" in screen_text(app)
        await pilot.press("f2")
        await pilot.pause(0.2)
        assert isinstance(app.screen, FormDialog)
        await pilot.press(*"39", "enter")
        await pilot.pause(0.2)
        assert "R-1: +39 -> 39" in screen.last_status

        # a product outside the scope is added with a warning
        await _scan(pilot, screen, "X-1")
        assert "not in this count's scope" in screen.last_status
        line = next(x for x in screen_text(app).splitlines() if "Extra" in x)
        assert "extra" in line

        # F4: the variance (manager)
        await pilot.press("f4")
        await pilot.pause(0.2)
        text = screen_text(app)
        assert "Variance" in text
        rice_line = next(x for x in text.splitlines() if "Rice 5kg" in x)
        assert "-1" in rice_line
        tea_line = next(x for x in text.splitlines() if "Green tea" in x)
        assert "-8 !" in tea_line  # over the recount threshold (5)

        # F7: post; never-counted products stay
        await pilot.press("f7")
        await pilot.pause(0.2)
        assert isinstance(app.screen, FormDialog)
        app.screen.action_save()
        await pilot.pause(0.3)
        assert "Posted" in screen.last_status and "POSTED" in screen_text(app)
        # read-only now: a scan is refused
        await _scan(pilot, screen, "T-1")
        assert "posted" in screen.last_status
    assert stock.on_hand(tea) == D(2) and stock.on_hand(rice) == D(39)
    assert stock.on_hand(extra) == D(1)
    assert StockMovement.select().where(StockMovement.doc_number == count.number).count() == 3
    assert run_checks() == []


async def test_variance_with_a_sale_during_the_count(db, admin, manager, sales, password):
    tea, rice = _shop(admin)
    count = counts.open_count(manager, mode="guided")
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await _open_screen(pilot, "manny", password)
        assert count.number in screen_text(app)
        # 3 teas are sold at the counter before the counter reaches the shelf
        order = orders.new_order(sales, "sale")
        orders.add_line(sales, order, tea, 3)
        orders.complete_sale(sales, order)
        await _scan(pilot, screen, "7*T-1")
        await pilot.press("f4")
        await pilot.pause(0.2)
        tea_line = next(x for x in screen_text(app).splitlines() if "Green tea" in x)
        cells = tea_line.split()
        assert "7" in cells and "0" in cells and "!" not in cells  # book 7, variance 0
        await pilot.press("f7")
        await pilot.pause(0.2)
        app.screen.action_save()
        await pilot.pause(0.3)
    assert counts.get_count(count.id).status == "posted"
    assert stock.on_hand(tea) == D(7) and stock.on_hand(rice) == D(40)
    assert StockMovement.select().where(StockMovement.reason == "count").count() == 0
    assert run_checks() == []


async def test_counter_counts_blind_but_may_not_post_or_cancel(db, admin, manager, warehouse,
                                                               password):
    _shop(admin)
    count = counts.open_count(manager)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await _open_screen(pilot, "wally", password)
        await _scan(pilot, screen, "T-1")
        assert "T-1: +1 -> 1" in screen.last_status
        text = screen_text(app)
        assert "Expected" not in text and "Book" not in text and "10" not in text.replace(
            count.number, "")
        await pilot.press("f4")  # blind: no variance for counters
        await pilot.pause(0.2)
        assert "Book" not in screen_text(app) and not screen.show_variance
        await pilot.press("f7")
        await pilot.pause(0.2)
        assert app.screen is screen
        assert "may not: Open, cancel and post stock counts" in screen.last_status
        await pilot.press("f8")
        await pilot.pause(0.2)
        assert app.screen is screen
    assert counts.get_count(count.id).status == "open"
    assert StockMovement.select().where(StockMovement.reason == "count").count() == 0


async def test_cancel_a_count(db, admin, manager, password):
    tea, _ = _shop(admin)
    count = counts.open_count(manager)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await _open_screen(pilot, "manny", password)
        await _scan(pilot, screen, "3*T-1")
        await pilot.press("f8")
        await pilot.pause(0.1)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause(0.2)
        assert "cancelled" in screen.last_status and "CANCELLED" in screen_text(app)
        await _scan(pilot, screen, "T-1")
        assert "cancelled" in screen.last_status
    assert counts.get_count(count.id).status == "cancelled"
    assert stock.on_hand(tea) == D(10)


async def test_a_scan_while_the_quantity_dialog_is_open_goes_to_the_count(db, admin, manager,
                                                                           password):
    _shop(admin)
    count = counts.open_count(manager)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await _open_screen(pilot, "manny", password)
        await _scan(pilot, screen, "T-1")
        await pilot.press("f2")
        await pilot.pause(0.2)
        form = app.screen
        assert isinstance(form, FormDialog)
        await _scan(pilot, screen, TEA_EAN)  # a scanner burst (codes under 4 are typing)
        assert form.query_one("#f-quantity", Input).value == ""
        assert "T-1: +1 -> 2" in screen.last_status
        assert app.screen is form
    lines = {x.product.code: x.counted for x in counts.line_query(system_actor(), count)}
    assert lines == {"T-1": D(2), "R-1": D(0)}
