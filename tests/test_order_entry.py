"""Pilot tests of order entry: scanning, editing lines, completing, quotes, delivery, returns,
purchases. Each asserts what the operator sees or what the database holds."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.helpers import SIZE, screen_text
from tuicrm.app import make_app
from tuicrm.data.catalog import barcodes, products
from tuicrm.data.models import Order, OrderLine
from tuicrm.data.parties import customers, suppliers
from tuicrm.data.sales import orders
from tuicrm.data.stock import ledger as stock
from tuicrm.screens.order_dialogs import PickDialog, ReceiptDialog
from tuicrm.screens.order_entry import OrderEntryScreen, PurchaseEntryScreen
from tuicrm.widgets.form import FormDialog
from tuicrm.widgets.order_lines import OrderLinesView
from tuicrm.widgets.scan_burst import ScanTiming

UNIT = barcodes.make_ean13("400638", 133393)  # P001's unit barcode
CARTON = barcodes.carton_gtin14(UNIT)  # P001's carton: 12 units
OTHER = barcodes.make_ean13("400638", 133394)  # P002
UNKNOWN = barcodes.make_ean13("400638", 999999)


@pytest.fixture
def goods(admin):
    p1 = products.create_product(admin, code="P001", name="Green tea 绿茶", price1="2.50",
                                 price2="2.00", min_stock="5",
                                 barcodes=[UNIT, (CARTON, 12)])
    p2 = products.create_product(admin, code="P002", name="Black tea", price1="4.00",
                                 barcodes=[OTHER])
    p3 = products.create_product(admin, code="P03", name="Short code", price1="1.00")
    stock.set_opening(admin, p1, 100)
    stock.set_opening(admin, p2, 3)
    return p1, p2, p3


@pytest.fixture
def shop(goods, admin):
    cust = customers.create_customer(admin, code="C001", name="Wholesale Wang", phone="5550101",
                                     price_level=2)
    sup = suppliers.create_supplier(admin, code="S001", name="Tea Farm Ltd")
    return goods, cust, sup


#: Pilot sends a scan's keys a few ms apart, but a loaded test machine may stretch that; and a
#: test "person" must type slower than the scanner gap. Wider gaps make both unambiguous.
TEST_TIMING = ScanTiming(key_gap=0.15, fast_gap=0.1, jitter=0.3, stall_limit=1.0)
PERSON = 0.2  # seconds between a test person's keys


async def type_slowly(pilot, text: str) -> None:
    for key in text:
        await pilot.press(key)
        await pilot.pause(PERSON)


async def open_entry(pilot, user, screen_cls=OrderEntryScreen, **kwargs):
    app = pilot.app
    app.user = user
    from tuicrm.screens.home import HomeScreen

    await app.push_screen(HomeScreen())
    screen = screen_cls(**kwargs)
    screen.SCAN_TIMING = TEST_TIMING
    await app.push_screen(screen)
    await pilot.pause()
    return screen


async def scan(pilot, code: str, terminator: str = "enter") -> None:
    """A scanner burst: the keys as fast as Pilot sends them, then the terminator."""
    await pilot.press(*code, terminator)
    await settle(pilot)


async def settle(pilot, seconds: float = 0.25) -> None:
    await pilot.pause(seconds)  # the scan router holds keys a moment before it decides
    await pilot.pause()


def draft_lines(screen) -> dict[str, Decimal]:
    assert screen.order is not None
    return {ln.product.code: ln.quantity for ln in orders.order_lines(screen.order)}


async def test_scan_adds_a_line_and_repeat_scans_add_to_it(db, admin, goods):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_entry(pilot, admin)
        await scan(pilot, UNIT)
        assert draft_lines(screen) == {"P001": Decimal(1)}
        text = screen_text(app)
        assert "Green tea" in text and "P001 +1 -> 1" in text and "TOTAL 2.50" in text
        await scan(pilot, UNIT)
        await scan(pilot, CARTON)  # another barcode of the same product: its pack quantity
        assert draft_lines(screen) == {"P001": Decimal(14)}
        assert "P001 +12 -> 14" in screen_text(app)
        await scan(pilot, "3*" + OTHER)
        assert draft_lines(screen) == {"P001": Decimal(14), "P002": Decimal(3)}
        assert "P002 +3 -> 3" in screen_text(app)
        view = app.screen.query_one(OrderLinesView)
        assert [r.code for r in view.rows] == ["P001", "P002"]
        assert view.selected.code == "P002" and view.changed_id == view.selected.line_id
        assert "TOTAL 47.00" in screen_text(app)  # 14 x 2.50 + 3 x 4.00


async def test_typed_code_and_multiplier_in_the_code_field(db, admin, goods):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_entry(pilot, admin)
        await type_slowly(pilot, "2*P002")  # a person types
        await pilot.press("enter")
        await settle(pilot)
        assert draft_lines(screen) == {"P002": Decimal(2)}


async def test_tab_terminates_a_short_scan(db, admin, goods):
    """A 3-character code ended by Tab: with the app's priority Tab it would move the focus;
    PRIORITY_TAB = False lets the code field take it as the terminator."""
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_entry(pilot, admin)
        assert OrderEntryScreen.PRIORITY_TAB is False
        await scan(pilot, "P03", "tab")
        assert draft_lines(screen) == {"P03": Decimal(1)}
        assert app.focused.id == "code"
        await scan(pilot, UNIT, "tab")  # a full scan with Tab
        assert draft_lines(screen) == {"P03": Decimal(1), "P001": Decimal(1)}


async def test_unknown_code_warns_without_dialog_and_next_scan_works(db, admin, goods):
    app = make_app(db)
    bells = []
    app.bell = lambda: bells.append(1)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_entry(pilot, admin)
        await scan(pilot, UNIT)
        await scan(pilot, UNKNOWN)
        assert app.screen is screen  # no dialog
        assert f"unknown code {UNKNOWN}" in screen_text(app) and "F6" in screen_text(app)
        assert bells
        await scan(pilot, UNIT)
        assert draft_lines(screen) == {"P001": Decimal(2)}
        # F6 creates a product with the unknown code, and the scan lands on the order
        await pilot.press("f6")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        await pilot.press(*"Oolong", "ctrl+s")  # a dialog: no scan capture there
        await pilot.pause()
        assert app.screen is screen, screen_text(app)
        assert products.lookup(UNKNOWN)[0].name == "Oolong"
        assert draft_lines(screen)[UNKNOWN] == Decimal(1)


async def test_scan_while_quantity_field_has_focus_goes_to_the_order(db, admin, goods):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_entry(pilot, admin)
        await scan(pilot, UNIT)
        await pilot.press("f3")
        await pilot.pause()
        assert app.focused.id == "qty"
        await scan(pilot, UNIT)
        await scan(pilot, OTHER)
        assert app.focused.id == "qty"
        assert draft_lines(screen) == {"P001": Decimal(2), "P002": Decimal(1)}
        # the field still edits the line it was opened on (P001), typed digits replace
        await pilot.press("5")
        await pilot.pause(0.1)
        await pilot.press("enter")
        await settle(pilot)
        assert draft_lines(screen) == {"P001": Decimal(5), "P002": Decimal(1)}
        assert app.focused.id == "code"


async def test_edit_quantity_price_discount_and_delete(db, admin, goods):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_entry(pilot, admin)
        await scan(pilot, UNIT)
        await scan(pilot, OTHER)
        await pilot.press("up")  # select P001
        await pilot.press("f3")
        await pilot.pause()
        await pilot.press("4", "enter")
        await settle(pilot)
        await pilot.press("up", "f3", "tab")  # the price field
        await pilot.pause()
        assert app.focused.id == "price"
        await type_slowly(pilot, "3.00")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("up", "f3", "tab", "tab")
        await pilot.pause()
        await type_slowly(pilot, "1.50")
        await pilot.press("enter")
        await settle(pilot)
        line = OrderLine.get(OrderLine.order == screen.order.id, OrderLine.line_no == 1)
        assert (line.quantity, line.unit_price, line.discount, line.amount) == (
            Decimal(4), Decimal("3.00"), Decimal("1.50"), Decimal("10.50"))
        assert "TOTAL 14.50" in screen_text(app)
        await pilot.press("down", "ctrl+d")
        await settle(pilot)
        assert draft_lines(screen) == {"P001": Decimal(4)}
        assert "TOTAL 10.50" in screen_text(app)


async def test_price_edit_refused_for_sales(db, sales, goods):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_entry(pilot, sales)
        await scan(pilot, UNIT)
        await pilot.press("f3", "tab")
        await pilot.pause()
        await type_slowly(pilot, "0.01")
        await pilot.press("enter")
        await settle(pilot)
        assert "may not: Change a line's price" in screen_text(app)
        line = OrderLine.get(OrderLine.order == screen.order.id)
        assert line.unit_price == Decimal("2.50")


async def test_customer_price_level_and_complete_sale(db, admin, shop, tmp_path):
    (p1, _, _), cust, _ = shop
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_entry(pilot, admin)
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, PickDialog)
        await pilot.press(*"Wang")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert "Customer: C001 Wholesale Wang" in screen_text(app)
        await scan(pilot, "96*" + UNIT)  # wholesale price 2.00
        assert "TOTAL 192.00" in screen_text(app)
        number = screen.order.number
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, ReceiptDialog)
        text = screen_text(app)
        assert number in text and "192.00" in text and "low stock: P001" in text
        receipt = app.screen.query_one("#receipt-text")
        assert receipt.size.height > 5 and receipt.size.width >= 40  # the receipt shows
        assert "Green tea" in text  # a line of the receipt, on screen
        await pilot.press("s")
        await pilot.pause()
        path = tmp_path / "r.txt"
        inp = app.screen.query_one("#f-file")
        inp.value = str(path)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert number in path.read_text()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen and screen.order is None  # a new sale starts
    assert stock.on_hand(p1) == Decimal(4)
    assert Order.get(Order.number == number).status == "delivered"


async def test_refused_oversell_changes_nothing(db, admin, goods):
    _, p2, _ = goods
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_entry(pilot, admin)
        await scan(pilot, "5*" + OTHER)  # only 3 on hand
        await pilot.press("f10")
        await settle(pilot)
        assert app.screen is screen
        text = screen_text(app)
        assert "nothing changed" in text and "P002" in text
        assert screen.order.status == "draft"
        assert orders.get_order(screen.order.id).status == "draft"
    assert stock.on_hand(p2) == Decimal(3)


async def test_quote_then_order_then_deliver_later(db, admin, shop):
    (p1, _, _), cust, _ = shop
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_entry(pilot, admin)
        screen._customer_chosen(cust.id)
        await scan(pilot, "2*" + UNIT)
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press("ctrl+s")  # valid until: default (30 days)
        await pilot.pause()
        quote = Order.get(Order.kind == "quote")
        assert quote.status == "draft" and quote.customer_id == cust.id
        assert {ln.product.code: ln.quantity for ln in orders.order_lines(quote)} == {
            "P001": Decimal(2)}
        assert Order.get(Order.kind == "sale").status == "cancelled"
        # reopen the quote, F10 turns it into an order; F9 confirms it
        screen.load(quote)
        await pilot.press("f10")
        await settle(pilot)
        sale = screen.order
        assert sale.kind == "sale" and sale.source_id == quote.id
        assert orders.get_order(quote.id).status == "converted"
        await pilot.press("f9")
        await settle(pilot)
        assert orders.get_order(sale.id).status == "confirmed"
        assert stock.on_hand(p1) == Decimal(100)
    # delivered later (the Orders list does this): stock goes out then
    orders.deliver(admin, sale.id)
    assert stock.on_hand(p1) == Decimal(98)


async def test_return_brings_stock_back(db, admin, goods):
    p1, _, _ = goods
    sale = orders.new_order(admin, "sale")
    orders.add_scan(admin, sale, "5*" + UNIT)
    orders.complete_sale(admin, sale)
    ret = orders.new_return(admin, sale)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_entry(pilot, admin, order_id=ret.id)
        await scan(pilot, UNIT)
        await scan(pilot, UNIT)
        assert "Sales return" in screen_text(app)
        assert draft_lines(screen) == {"P001": Decimal(2)}
        await scan(pilot, "9*" + UNIT)  # more than was sold: refused, says so
        assert "can be returned" in screen_text(app)
        await pilot.press("f10")
        await settle(pilot)
        assert orders.get_order(ret.id).status == "delivered"
    assert stock.on_hand(p1) == Decimal(97)


async def test_purchase_receive_puts_stock_in(db, admin, shop):
    (p1, _, _), _, sup = shop
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_entry(pilot, admin, PurchaseEntryScreen)
        await scan(pilot, UNIT)
        assert "choose the supplier" in screen_text(app)
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press(*"Tea")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert "Supplier: S001 Tea Farm Ltd" in screen_text(app)
        await scan(pilot, CARTON)
        await scan(pilot, CARTON)
        assert draft_lines(screen) == {"P001": Decimal(24)}
        number = screen.order.number
        await pilot.press("f10")
        await settle(pilot)
        assert f"{number} received" in screen_text(app)
    assert stock.on_hand(p1) == Decimal(124)


# -- the Orders list ---------------------------------------------------------------------------


async def open_orders(pilot, user):
    from tuicrm.screens.home import HomeScreen
    from tuicrm.screens.orders import OrdersScreen

    pilot.app.user = user
    await pilot.app.push_screen(HomeScreen())
    screen = OrdersScreen()
    await pilot.app.push_screen(screen)
    await pilot.pause(0.3)
    return screen


async def go_to(pilot, screen, order_id: int) -> None:
    screen.table.go_to_id(order_id)
    await pilot.pause(0.2)
    assert screen.table.cursor_row_id == order_id


async def test_orders_list_convert_deliver_return_receive(db, admin, shop):
    (p1, _, _), cust, sup = shop
    quote = orders.new_order(admin, "quote", customer=cust.id)
    orders.add_scan(admin, quote, "2*" + UNIT)
    confirmed = orders.new_order(admin, "sale")
    orders.add_scan(admin, confirmed, "3*" + UNIT)
    orders.confirm(admin, confirmed)
    done = orders.new_order(admin, "sale")
    orders.add_scan(admin, done, "4*" + UNIT)
    orders.complete_sale(admin, done)
    purchase = orders.new_order(admin, "purchase", supplier=sup.id)
    orders.add_scan(admin, purchase, CARTON)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_orders(pilot, admin)
        text = screen_text(app)
        assert quote.number in text and confirmed.number in text and purchase.number in text
        assert done.number not in text  # open ones only until O
        await go_to(pilot, screen, quote.id)
        await pilot.press("v")
        await pilot.pause(0.2)
        assert orders.get_order(quote.id).status == "converted"
        await go_to(pilot, screen, confirmed.id)
        await pilot.press("d")
        await pilot.pause(0.2)
        assert orders.get_order(confirmed.id).status == "delivered"
        await go_to(pilot, screen, purchase.id)
        await pilot.press("i")
        await pilot.pause(0.2)
        assert orders.get_order(purchase.id).status == "delivered"
        assert stock.on_hand(p1) == Decimal(100 - 3 - 4 + 12)
        await pilot.press("o")  # all: the delivered sale shows
        await pilot.pause(0.3)
        assert done.number in screen_text(app)
        await go_to(pilot, screen, done.id)
        await pilot.press("t")  # a return of it opens in order entry
        await pilot.pause(0.3)
        entry = app.screen
        assert isinstance(entry, OrderEntryScreen) and entry.kind == "sale_return"
        entry.SCAN_TIMING = TEST_TIMING
        await scan(pilot, "2*" + UNIT)
        returned = entry.order
        await pilot.press("f10")
        await settle(pilot)
        assert orders.get_order(returned.id).status == "delivered"
        assert f"{returned.number} booked: stock back in" in screen_text(app)
        assert stock.on_hand(p1) == Decimal(100 - 3 - 4 + 12 + 2)
        await pilot.press("escape")
        await pilot.pause(0.2)
        assert app.screen is screen


async def test_orders_list_reopens_a_draft_to_go_on_scanning(db, admin, goods):
    draft = orders.new_order(admin, "sale")
    orders.add_scan(admin, draft, UNIT)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_orders(pilot, admin)
        await go_to(pilot, screen, draft.id)
        await pilot.press("enter")
        await pilot.pause(0.3)
        entry = app.screen
        assert isinstance(entry, OrderEntryScreen) and entry.order.id == draft.id
        assert "Green tea" in screen_text(app)
        entry.SCAN_TIMING = TEST_TIMING
        await scan(pilot, UNIT)
        assert draft_lines(entry) == {"P001": Decimal(2)}
