"""Printing an order's documents from Orders and from order entry: the choice of documents
for the order's kind, a preview, then the named printer (``lp -d NAME``), another printer, or a
file. A user would notice a failure as a document they cannot reach or that goes nowhere."""

from __future__ import annotations

from tests.helpers import screen_text, sees, wait_for
from tests.test_order_entry import TEST_TIMING
from tuicrm.app import make_app
from tuicrm.data.catalog import products
from tuicrm.data.core import settings
from tuicrm.data.sales import orders
from tuicrm.data.stock import ledger as stock
from tuicrm.screens.order_entry import OrderEntryScreen
from tuicrm.screens.print_dialogs import DocumentPreview
from tuicrm.widgets.printing import ChoiceDialog


async def open_orders(pilot, user):
    """The Orders screen showing every order (a completed sale is not an open one)."""
    from tuicrm.screens.home import HomeScreen
    from tuicrm.screens.orders import OrdersScreen

    pilot.app.user = user
    await pilot.app.push_screen(HomeScreen())
    screen = OrdersScreen()
    await pilot.app.push_screen(screen)
    await wait_for(pilot, lambda: screen.ready)
    await pilot.press("o")
    await wait_for(pilot, lambda: screen.table.cursor_row_id is not None)
    return screen


def _sale(admin, manager) -> int:
    settings.set_value(admin, "company.name", "华兴五金 Huaxing")
    tea = products.create_product(manager, code="T1", name="乌龙茶", price1="12.50")
    stock.set_opening(manager, tea, 10)
    order = orders.new_order(manager, "sale")
    orders.add_line(manager, order, tea, 2)
    orders.complete_sale(manager, order)
    return order.id


async def test_invoice_from_orders_to_a_named_printer_and_a_file(db, admin, manager, fake_lp,
                                                               tmp_path):
    order_id = _sale(admin, manager)
    settings.set_value(admin, "print.printers", "office, counter")
    settings.set_value(admin, "print.document_printer", "office")
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_orders(pilot, admin)
        screen.table.go_to_id(order_id)
        await wait_for(pilot, lambda: screen.table.cursor_row_id == order_id)
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        await sees(pilot, "Receipt", "Invoice (A4)", "Delivery note", "Sales contract")
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DocumentPreview))
        preview = app.screen
        await sees(pilot, "INVOICE", "华兴五金 Huaxing", "25.00")
        await pilot.press("p")
        await wait_for(pilot, lambda: preview.outcome == "sent to office")
        assert (tmp_path / "printed.args").read_text() == "-d office"
        assert "INVOICE" in fake_lp.read_text(encoding="utf-8")

        await pilot.press("o")  # another printer
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: preview.outcome == "sent to counter")

        target = tmp_path / "invoice.txt"
        await pilot.press("s")
        await wait_for(pilot, lambda: app.screen is not preview)
        field = app.screen.query_one("#f-file")
        field.value = str(target)
        await pilot.press("enter")
        await wait_for(pilot, lambda: target.exists() and app.screen is preview)
        assert "INVOICE" in target.read_text(encoding="utf-8")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)


async def test_no_printer_set_up_says_so(db, admin, manager):
    order_id = _sale(admin, manager)
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_orders(pilot, admin)
        screen.table.go_to_id(order_id)
        await wait_for(pilot, lambda: screen.table.cursor_row_id == order_id)
        await pilot.press("p", "enter")  # the receipt
        await wait_for(pilot, lambda: isinstance(app.screen, DocumentPreview))
        await pilot.press("p")
        await wait_for(pilot, lambda: any("No printer is set up" in n.message
                                          for n in app._notifications))


async def test_contract_from_order_entry(db, admin, manager):
    order_id = _sale(admin, manager)
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        app.user = admin
        from tuicrm.screens.home import HomeScreen

        await app.push_screen(HomeScreen())
        entry = OrderEntryScreen(order_id=order_id)
        entry.SCAN_TIMING = TEST_TIMING
        await app.push_screen(entry)
        await wait_for(pilot, lambda: entry.view is not None and entry.idle)
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        await pilot.press("down", "down", "down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DocumentPreview))
        await sees(pilot, "SALES CONTRACT", "Seller: 华兴五金 Huaxing")
        assert "{" not in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is entry)
