"""Issue 16: the counter and warehouse screens on a 40x16 handheld and on a 200x50 monitor.

Order entry, receiving (purchase) and stock counts, and their dialogs (customer and supplier
pickers, discount, the payment on F10, the receipt preview, opening a count): no line cut
without an ellipsis, no dialog field hidden below its frame, each line's amount and the total
on screen; at 200x50 the long product names are whole. A failure names the screen and what
was cut."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from textual.containers import ScrollableContainer

from tests.helpers import screen_text, wait_for
from tests.screen_fit import cut_without_ellipsis, footer_problems
from tests.test_order_entry import act, open_entry, scan, shows
from tuicrm.app import make_app
from tuicrm.data.catalog import products
from tuicrm.data.parties import customers, suppliers
from tuicrm.data.stock import ledger as stock
from tuicrm.screens.order_dialogs import PickDialog, ReceiptDialog
from tuicrm.screens.order_entry import PurchaseEntryScreen
from tuicrm.screens.payment_dialog import PaymentDialog
from tuicrm.screens.stock_count import StockCountScreen
from tuicrm.widgets.form import FormDialog

SIZES = [(40, 16), (200, 50)]
LONG = "上海华强 不锈钢膨胀螺栓 M10x100 Stainless Expansion Bolt"


@pytest.fixture
def shop(admin):
    tea = products.create_product(admin, code="P000001", name="Green tea 绿茶", price1="2.50")
    bolt = products.create_product(admin, code="P000002", name=LONG, price1="1234.50",
                                   cost="1234.50")
    for product in (tea, bolt):
        stock.set_opening(admin, product, 500)
    customers.create_customer(admin, code="C000001", name="广州华兴包装商行 Huaxing Packaging")
    suppliers.create_supplier(admin, code="S00001", name="Dragon Components & Sons [HK] Ltd")
    return tea, bolt


def _problems(app, where: str) -> list[str]:
    found = cut_without_ellipsis(app) + footer_problems(app)
    for scroll in app.screen.query(ScrollableContainer):
        if scroll.display and scroll.max_scroll_y > 0 and not isinstance(app.screen,
                                                                          ReceiptDialog):
            found.append(f"{type(scroll).__name__} hides {scroll.max_scroll_y} rows")
    return [f"{where} at {app.size.width}x{app.size.height}: {p}" for p in found]


def _visible(app, *needles: str) -> list[str]:
    text = screen_text(app)
    return [f"{n!r} not on screen at {app.size.width}x{app.size.height}:\n{text}"
            for n in needles if n not in text]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_order_entry_and_its_dialogs_fit(db, admin, shop, size):
    app = make_app(db)
    problems: list[str] = []
    async with app.run_test(size=size) as pilot:
        screen = await open_entry(pilot, admin)
        await scan(pilot, "3*P000001")
        await scan(pilot, "P000002")
        problems += _problems(app, "order entry") + _visible(app, "7.50", "1,234.50",
                                                             "TOTAL 1,242.00")
        if size[0] >= 200:
            problems += _visible(app, LONG)  # the name column took the room
        for key, dialog in (("f2", PickDialog), ("ctrl+t", FormDialog)):
            await pilot.press(key)
            await shows(pilot, dialog)
            await pilot.pause()
            problems += _problems(app, f"order entry {key}")
            await pilot.press("escape")
            await wait_for(pilot, lambda: app.screen is screen)
        await pilot.press("f10")
        await shows(pilot, PaymentDialog)
        await pilot.pause()
        problems += _problems(app, "payment") + _visible(
            app, "Cash", "Card", "WeChat Pay", "Alipay", "Bank transfer", "Paid in full")
        await pilot.press("enter")
        await shows(pilot, ReceiptDialog)
        await pilot.pause()
        problems += _problems(app, "receipt preview")  # (a receipt longer than the screen
        # scrolls: each of its lines must fit across)
        body = app.screen.query_one("#receipt-text")
        shown = str(body.render())
        too_wide = [ln for ln in shown.splitlines() if cell_len(ln) > body.content_region.width]
        problems += [f"receipt line cut: {ln!r}" for ln in too_wide]
        assert "1,242.00" in shown
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_receiving_and_its_dialogs_fit(db, admin, shop, size):
    app = make_app(db)
    problems: list[str] = []
    async with app.run_test(size=size) as pilot:
        await open_entry(pilot, admin, PurchaseEntryScreen)
        await pilot.press("f2")
        await shows(pilot, PickDialog)
        await wait_for(pilot, lambda: "Dragon" in screen_text(app))
        problems += _problems(app, "supplier picker")
        await act(pilot, "enter")
        await scan(pilot, "10*P000002")
        problems += _problems(app, "receiving") + _visible(app, "12,345.00", "TOTAL 12,345.00")
        await act(pilot, "f10")
        await wait_for(pilot, lambda: "received" in screen_text(app))
        problems += _problems(app, "received")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_stock_count_and_its_dialogs_fit(db, admin, shop, size):
    app = make_app(db)
    problems: list[str] = []
    async with app.run_test(size=size) as pilot:
        app.user = admin
        from tuicrm.screens.home import HomeScreen

        await app.push_screen(HomeScreen())
        screen = StockCountScreen()
        await app.push_screen(screen)
        await wait_for(pilot, lambda: screen._loaded)
        await pilot.press("f6")
        await shows(pilot, FormDialog)
        await pilot.pause()
        problems += _problems(app, "open a count")
        app.screen.action_save()
        await wait_for(pilot, lambda: app.screen is screen and screen.header is not None)
        before = screen.last_status
        from tests.helpers import send_burst

        send_burst(app, "P000002\r")
        await wait_for(pilot, lambda: screen.last_status != before and not screen.writes.pending)
        await wait_for(pilot, lambda: "P000002" in screen_text(app))
        problems += _problems(app, "stock count")
        line = next(ln for ln in screen_text(app).splitlines() if "上海华强" in ln)
        if "P000002" not in line:  # the code whole: it is what the counter checks
            problems.append(f"the count's line cuts the code: {line!r}")
        if size[0] >= 200:
            problems += _visible(app, LONG)
    assert not problems, "\n".join(problems)
