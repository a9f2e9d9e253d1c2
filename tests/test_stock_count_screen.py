"""Pilot tests of the Stock count screen at 80x24: open, scan, recount, out-of-scope product,
variance with a sale during the count, post, refused post for a counter, cancel, scans that
wait for another terminal's lock without freezing the screen."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

from textual.widgets import Input, Select

from tests.helpers import SIZE, log_in, screen_text, send_burst, wait_until
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
from tuicrm.widgets.scan import ScanInput

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


async def _sees(pilot, *needles: str) -> None:
    await _wait(pilot, lambda: all(n in screen_text(pilot.app) for n in needles))


async def _open_screen(pilot, user: str, password: str) -> StockCountScreen:
    """Log in, press w on Home and wait until the count (or its absence) is shown."""
    await log_in(pilot, user, password)
    await pilot.press("w")
    await _wait(pilot, lambda: isinstance(pilot.app.screen, StockCountScreen))
    screen = pilot.app.screen
    await _wait(pilot, lambda: screen._loaded)
    return screen


async def _dialog(pilot, cls):
    await _wait(pilot, lambda: isinstance(pilot.app.screen, cls))
    return pilot.app.screen


async def _scan(pilot, screen, code: str) -> None:
    """One scanner burst; waits until its outcome is on the status line and the list is
    redrawn (every write done)."""
    before = screen.last_status
    send_burst(pilot.app, code + "\r")
    await _wait(pilot, lambda: screen.last_status != before and not screen.writes.pending)


def _row(app, needle: str) -> str:
    return next(x for x in screen_text(app).splitlines() if needle in x)


async def test_open_scan_recount_out_of_scope_and_post(db, admin, manager, password):
    tea, rice = _shop(admin)
    extra = products.create_product(admin, code="X-1", name="Extra")
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await _open_screen(pilot, "manny", password)
        await _sees(pilot, "No stock count yet")
        # F6: open a count of two products, blind
        await pilot.press("f6")
        form = await _dialog(pilot, FormDialog)
        form.query_one("#f-scope", Select).value = "products"
        form.query_one("#f-value", Input).value = "T-1 R-1"
        form.action_save()
        await _wait(pilot, lambda: app.screen is screen)
        count = StockCount.get()
        assert count.mode == "blind" and count.scope == "products"
        await _sees(pilot, count.number, "0/2 counted", "Green tea", "Rice 5kg")

        # scans land on the line whatever has focus, and say +1 -> n
        await _scan(pilot, screen, TEA_EAN)
        await _scan(pilot, screen, "T-1")
        assert "T-1: +1 -> 2" in screen.last_status
        await _scan(pilot, screen, "5*R-1")
        assert "R-1: +5 -> 5" in screen.last_status
        await _sees(pilot, "2/2 counted")
        # an unknown code: a warning, and the next scan works at once
        await _scan(pilot, screen, "NOPE-1")
        assert "unknown code NOPE-1" in screen.last_status
        await _scan(pilot, screen, "R-1")
        assert "R-1: +1 -> 6" in screen.last_status

        # recount the highlighted line (rice), then type its quantity
        await pilot.press("f3")
        await _dialog(pilot, ConfirmDialog)
        await pilot.press("y")
        await _wait(pilot, lambda: "R-1: recount" in screen.last_status)
        await _sees(pilot, "1/2 counted")
        await pilot.press("f2")
        await _dialog(pilot, FormDialog)
        await pilot.press(*"39", "enter")
        await _wait(pilot, lambda: "R-1: +39 -> 39" in screen.last_status)

        # a product outside the scope is added with a warning
        await _scan(pilot, screen, "X-1")
        assert "not in this count's scope" in screen.last_status
        await _sees(pilot, "Extra")
        assert "extra" in _row(app, "Extra")

        # F4: the variance (manager)
        await pilot.press("f4")
        await _wait(pilot, lambda: screen.last_status.startswith("Variance"))
        await _sees(pilot, "Variance", "Book")
        assert "-1" in _row(app, "Rice 5kg")
        assert "-8 !" in _row(app, "Green tea")  # over the recount threshold (5)

        # F7: post; never-counted products stay
        await pilot.press("f7")
        post = await _dialog(pilot, FormDialog)
        post.action_save()
        await _wait(pilot, lambda: "Posted" in screen.last_status)
        await _sees(pilot, "POSTED")
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
        await _sees(pilot, count.number, "Expected")  # guided: expected quantities shown
        # 3 teas are sold at the counter before the counter reaches the shelf
        order = orders.new_order(sales, "sale")
        orders.add_line(sales, order, tea, 3)
        orders.complete_sale(sales, order)
        await _scan(pilot, screen, "7*T-1")
        await pilot.press("f4")
        await _sees(pilot, "Variance")
        cells = _row(app, "Green tea").split()
        assert "7" in cells and "0" in cells and "!" not in cells  # book 7, variance 0
        await pilot.press("f7")
        post = await _dialog(pilot, FormDialog)
        post.action_save()
        await _wait(pilot, lambda: "Posted" in screen.last_status)
    assert counts.get_count(manager, count.id).status == "posted"
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
        await _sees(pilot, "1/2 counted")
        text = screen_text(app)
        assert "Expected" not in text and "Book" not in text and "10" not in text.replace(
            count.number, "")
        await pilot.press("f4")  # blind: no variance for counters
        await _wait(pilot, lambda: len(app._notifications) > 0)
        assert "Book" not in screen_text(app) and not screen.show_variance
        await pilot.press("f7")
        await _wait(pilot, lambda: "may not" in screen.last_status)
        assert app.screen is screen
        assert "may not: Open, cancel and post stock counts" in screen.last_status
        screen.set_status("")
        await pilot.press("f8")
        await _wait(pilot, lambda: "may not" in screen.last_status)
        assert app.screen is screen
    assert counts.get_count(manager, count.id).status == "open"
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
        await _dialog(pilot, ConfirmDialog)
        await pilot.press("y")
        await _wait(pilot, lambda: "cancelled" in screen.last_status)
        await _sees(pilot, "CANCELLED")
        await _scan(pilot, screen, "T-1")
        assert "cancelled" in screen.last_status
    assert counts.get_count(manager, count.id).status == "cancelled"
    assert stock.on_hand(tea) == D(10)


def _counted(count) -> dict[str, Decimal]:
    return {x.code: x.counted for x in counts.count_lines(system_actor(), count.id)}


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
        form = await _dialog(pilot, FormDialog)
        await _scan(pilot, screen, TEA_EAN)  # a scanner burst (codes under 4 are typing)
        assert form.query_one("#f-quantity", Input).value == ""
        assert "T-1: +1 -> 2" in screen.last_status
        assert app.screen is form
    assert _counted(count) == {"T-1": D(2), "R-1": D(0)}


async def test_a_scan_while_the_recount_question_is_open_does_not_answer_it(db, admin, manager,
                                                                             password):
    """A code holding a y would confirm a recount if the question took the keys."""
    products.create_product(admin, code="YY-100", name="Yam")
    _shop(admin)
    count = counts.open_count(manager)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await _open_screen(pilot, "manny", password)
        await _scan(pilot, screen, "2*T-1")
        await pilot.press("f3")
        question = await _dialog(pilot, ConfirmDialog)
        await _scan(pilot, screen, "YY-100")
        assert app.screen is question and "YY-100: +1 -> 1" in screen.last_status
        await pilot.press("n")
        await _wait(pilot, lambda: app.screen is screen)
    assert _counted(count) == {"T-1": D(2), "R-1": D(0), "YY-100": D(1)}


def _hold_write_lock(path: str) -> sqlite3.Connection:
    """Another terminal in the middle of a long write: it holds SQLite's write lock."""
    other = sqlite3.connect(path, timeout=10, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE setting SET value = value WHERE 0")
    return other


async def test_scans_wait_for_another_terminal_without_freezing_the_screen(db, admin, manager,
                                                                            password):
    """While another session holds the write lock, the screen says it is waiting, typed keys
    still echo at once, and every scan is applied, in order, once the lock is released."""
    _shop(admin)
    count = counts.open_count(manager)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await _open_screen(pilot, "manny", password)
        await _scan(pilot, screen, "T-1")
        other = _hold_write_lock(db)
        try:
            for code in ("T-1", "3*R-1", "NOPE", "R-1"):
                send_burst(app, code + "\r")
            await _wait(pilot, lambda: "Waiting for another terminal" in screen.last_status)
            assert screen.writes.pending == 4
            await pilot.press(*"12")  # a person types meanwhile: it echoes
            field = screen.query_one("#scan", ScanInput)
            await _wait(pilot, lambda: field.value == "12", timeout=0.5)
            assert _counted(count)["T-1"] == D(1)  # nothing written yet
        finally:
            other.rollback()
            other.close()
        await _wait(pilot, lambda: not screen.writes.pending)
        assert "R-1: +1 -> 4" in screen.last_status  # the last scan came last
        assert field.value == "12"
    assert _counted(count) == {"T-1": D(2), "R-1": D(4)}
    assert [e.code for e in counts.line_history(manager, _line_id(count, "R-1"))] == [
        "R-1", "3*R-1"]


def _line_id(count, code: str) -> int:
    return next(x.id for x in counts.count_lines(system_actor(), count.id) if x.code == code)


async def test_a_terminal_on_a_posted_count_follows_to_the_new_one(db, admin, manager,
                                                                   warehouse, password):
    """Issue 17: the count was posted on another terminal and a new one opened; the next
    scan here lands in the new count (said on screen) instead of refusals until F5."""
    tea, rice = _shop(admin)
    first = counts.open_count(manager)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await _open_screen(pilot, "wally", password)
        assert screen.count_id == first.id
        await _scan(pilot, screen, "T-1")
        counts.post_count(manager, first.id)  # elsewhere
        second = counts.open_count(manager)
        send_burst(app, "R-1\r")
        await _wait(pilot, lambda: screen.count_id == second.id and not screen.writes.pending
                    and "R-1" in screen.last_status)
        assert any(f"now counts into {second.number}" in n.message
                   for n in app._notifications)
    lines = {ln.code: ln for ln in counts.count_lines(manager, second.id)}
    assert lines["R-1"].counted == D(1) and lines["T-1"].counted == D(0)
