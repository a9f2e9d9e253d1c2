"""Pilot tests of order entry: scanning, editing lines, completing, quotes, delivery, returns,
purchases. Each asserts what the operator sees or what the database holds.

Every change is written on the screen's writer thread, so a test waits for the writes it
caused (``act``: the writer has handled one more action and nothing is pending), never for
a fixed time."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.helpers import SIZE, screen_text, send_burst, wait_for
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


async def person(pilot, *keys: str) -> None:
    """Keys pressed at a person's pace: never within a scanner's gap after a scan (a Tab
    right behind a scan is taken for the scanner's own second terminator)."""
    for key in keys:
        await pilot.pause(PERSON)
        await pilot.press(key)


async def open_entry(pilot, user, screen_cls=OrderEntryScreen, **kwargs):
    app = pilot.app
    app.user = user
    from tuicrm.screens.home import HomeScreen

    await app.push_screen(HomeScreen())
    screen = screen_cls(**kwargs)
    screen.SCAN_TIMING = TEST_TIMING
    await app.push_screen(screen)
    await wait_for(pilot, lambda: screen.view is not None and screen.idle)
    await pilot.pause()  # until the first paint is done
    return screen


def entry_screen(pilot) -> OrderEntryScreen:
    """The order entry screen, under any dialog it opened."""
    return next(s for s in reversed(pilot.app.screen_stack) if isinstance(s, OrderEntryScreen))


async def act(pilot, *keys: str, writes: int = 1, burst: str = "") -> None:
    """Press ``keys`` (or send ``burst`` as one terminal read), then wait until the screen's
    writer has handled ``writes`` more actions and has nothing pending (each scan, edit or
    F-key is one)."""
    screen = entry_screen(pilot)
    before = screen.actions_done
    if burst:
        send_burst(pilot.app, burst)
    await pilot.press(*keys)
    await wait_for(pilot, lambda: screen.actions_done >= before + writes and screen.idle)


async def scan(pilot, code: str, terminator: str = "enter") -> None:
    """A scan as a scanner over SSH sends it: the code and its terminator in one read (all
    keys stamped at once, as the driver does), so a loaded machine cannot stretch it into
    typing."""
    await act(pilot, burst=code + {"enter": "\r", "tab": "\t"}[terminator])


async def shows(pilot, screen_cls) -> None:
    """Until a ``screen_cls`` is on top and mounted (its widgets are there). A key on a
    dialog over this scanning screen goes through the scan router's short hold first, so
    the dialog it opens may come a moment after the key was pressed."""
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, screen_cls)
                   and pilot.app.screen.is_mounted)


async def pay_cash(pilot, *keys: str) -> None:
    """F10 on a sale, then the payment dialog: ``keys`` typed into it (none: the total in
    cash, as it opens), Enter."""
    from tuicrm.screens.payment_dialog import PaymentDialog

    await pilot.press("f10")
    await shows(pilot, PaymentDialog)
    if keys:
        await pilot.press(*keys)
    await act(pilot, "enter")


def draft_lines(screen) -> dict[str, Decimal]:
    assert screen.order is not None
    return {ln.product_code: ln.quantity
            for ln in orders.order_lines(screen.user, screen.order.id)}



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
        await act(pilot, "enter")
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
        await shows(pilot, FormDialog)
        await act(pilot, *"Oolong", "ctrl+s")  # a dialog: no scan capture there
        assert app.screen is screen, screen_text(app)
        assert products.lookup(UNKNOWN)[0].name == "Oolong"
        assert draft_lines(screen)[UNKNOWN] == Decimal(1)


async def test_f6_links_an_unknown_code_to_an_existing_product(db, admin, goods):
    """Issue 17: F6, F4, pick the product: the code becomes its barcode, the scan lands."""
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_entry(pilot, admin)
        await scan(pilot, UNIT)
        await scan(pilot, UNKNOWN)
        await pilot.press("f6")
        await shows(pilot, FormDialog)
        await pilot.press("f4")
        await shows(pilot, PickDialog)
        await pilot.press(*"Black")
        await wait_for(pilot, lambda: "Black tea" in screen_text(app))
        await act(pilot, "enter")
        assert draft_lines(screen) == {"P001": Decimal(1), "P002": Decimal(1)}
        assert f"{UNKNOWN} is now a barcode of P002" in screen_text(app)
        assert products.lookup(UNKNOWN)[0].code == "P002"


async def test_an_unknown_first_scan_leaves_no_draft(db, admin, goods):
    """The order is made with its first line: a refused first scan numbers nothing."""
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_entry(pilot, admin)
        await scan(pilot, UNKNOWN)
        assert screen.order is None and "Sales order (new)" in screen_text(app)
        assert Order.select().count() == 0
        await scan(pilot, UNIT)
        assert screen.order.number.endswith("-000001")


async def test_scan_while_quantity_field_has_focus_goes_to_the_order(db, admin, goods):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_entry(pilot, admin)
        await scan(pilot, UNIT)
        await pilot.press("f3")
        await wait_for(pilot, lambda: app.focused.id == "qty")
        await scan(pilot, UNIT)
        await scan(pilot, OTHER)
        assert app.focused.id == "qty"
        assert draft_lines(screen) == {"P001": Decimal(2), "P002": Decimal(1)}
        # the field still edits the line it was opened on (P001), typed digits replace
        await pilot.press("5")
        await wait_for(pilot, lambda: app.focused.value == "5")
        await act(pilot, "enter")
        assert draft_lines(screen) == {"P001": Decimal(5), "P002": Decimal(1)}
        assert app.focused.id == "code"


async def test_edit_quantity_price_discount_and_delete(db, admin, goods):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_entry(pilot, admin)
        await scan(pilot, UNIT)
        await scan(pilot, OTHER)
        await act(pilot, "up")  # select P001 (the controller is told, in order)
        await pilot.press("f3")
        await wait_for(pilot, lambda: app.focused.id == "qty")
        await act(pilot, "4", "enter")
        await person(pilot, "f3", "tab")  # the price field
        await wait_for(pilot, lambda: app.focused.id == "price")
        await type_slowly(pilot, "3.00")
        await act(pilot, "enter")
        await person(pilot, "f3", "tab", "tab")
        await wait_for(pilot, lambda: app.focused.id == "disc")
        await type_slowly(pilot, "1.50")
        await act(pilot, "enter")
        line = OrderLine.get(OrderLine.order == screen.order.id, OrderLine.line_no == 1)
        assert (line.quantity, line.unit_price, line.discount, line.amount) == (
            Decimal(4), Decimal("3.00"), Decimal("1.50"), Decimal("10.50"))
        assert "TOTAL 14.50" in screen_text(app)
        await act(pilot, "down", "ctrl+d", writes=2)
        assert draft_lines(screen) == {"P001": Decimal(4)}
        assert "TOTAL 10.50" in screen_text(app)


async def test_percent_discount_typed_on_a_line_and_on_the_order(db, admin, goods):
    """Issue 17: ``9折`` in a line's discount field, ``5%`` in F5."""
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_entry(pilot, admin)
        await scan(pilot, "4*" + UNIT)  # 4 x 2.50 = 10.00
        await person(pilot, "f3", "tab", "tab")
        await wait_for(pilot, lambda: app.focused.id == "disc")
        await type_slowly(pilot, "9折")
        await act(pilot, "enter")
        line = OrderLine.get(OrderLine.order == screen.order.id)
        assert (line.discount, line.amount) == (Decimal("1.00"), Decimal("9.00"))
        await wait_for(pilot, lambda: "(10%)" in screen_text(app))
        await pilot.press("f5")
        await shows(pilot, FormDialog)
        form = app.screen
        form.query_one("#f-discount").value = "5%"
        await act(pilot, "ctrl+s")
        await wait_for(pilot, lambda: "TOTAL 8.55" in screen_text(app))
        assert "Discount 0.45 (5%)" in screen_text(app)


async def test_price_edit_refused_for_sales(db, sales, goods):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_entry(pilot, sales)
        await scan(pilot, UNIT)
        await person(pilot, "f3", "tab")
        await wait_for(pilot, lambda: app.focused.id == "price")
        await type_slowly(pilot, "0.01")
        await act(pilot, "enter")
        assert "may not: Change a line's price" in screen_text(app)
        line = OrderLine.get(OrderLine.order == screen.order.id)
        assert line.unit_price == Decimal("2.50")


async def test_customer_price_level_and_complete_sale(db, admin, shop, tmp_path):
    (p1, _, _), cust, _ = shop
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_entry(pilot, admin)
        await pilot.press("f2")
        await shows(pilot, PickDialog)
        await pilot.press(*"Wang")
        await wait_for(pilot, lambda: "Wholesale Wang" in screen_text(app))
        await act(pilot, "enter")
        assert "Customer: C001 Wholesale Wang" in screen_text(app)
        await scan(pilot, "96*" + UNIT)  # wholesale price 2.00
        assert "TOTAL 192.00" in screen_text(app)
        number = screen.order.number
        await pay_cash(pilot)
        await shows(pilot, ReceiptDialog)
        text = screen_text(app)
        assert number in text and "192.00" in text and "low stock: P001" in text
        receipt = app.screen.query_one("#receipt-text")
        await wait_for(pilot, lambda: receipt.size.height > 5)  # the receipt shows
        assert receipt.size.width >= 40
        assert "Green tea" in text  # a line of the receipt, on screen
        await pilot.press("s")
        await shows(pilot, FormDialog)
        path = tmp_path / "r.txt"
        inp = app.screen.query_one("#f-file")
        inp.value = str(path)
        await pilot.press("ctrl+s")
        await shows(pilot, ReceiptDialog)
        assert number in path.read_text()
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen)
        assert screen.order is None  # a new sale starts
    assert stock.on_hand(p1) == Decimal(4)
    assert Order.get(Order.number == number).status == "delivered"


async def test_refused_oversell_changes_nothing(db, admin, goods):
    _, p2, _ = goods
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_entry(pilot, admin)
        await scan(pilot, "5*" + OTHER)  # only 3 on hand
        await pay_cash(pilot)
        assert app.screen is screen
        text = screen_text(app)
        assert "nothing changed" in text and "P002" in text
        assert screen.order.status == "draft"
        assert orders.get_order(admin, screen.order.id).status == "draft"
    assert stock.on_hand(p2) == Decimal(3)


async def test_quote_then_order_then_deliver_later(db, admin, shop):
    (p1, _, _), cust, _ = shop
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_entry(pilot, admin)
        screen.customer_chosen(cust.id)
        await scan(pilot, "2*" + UNIT)
        await pilot.press("f8")
        await shows(pilot, FormDialog)
        await act(pilot, "ctrl+s")  # valid until: default (30 days)
        quote = Order.get(Order.kind == "quote")
        assert quote.status == "draft" and quote.customer_id == cust.id
        assert {ln.product_code: ln.quantity for ln in orders.order_lines(admin, quote.id)} == {
            "P001": Decimal(2)}
        assert not Order.select().where(Order.kind == "sale").exists()  # no SO used up
        # reopen the quote, F10 turns it into an order; F9 confirms it
        entry = screen.entry
        screen.send(lambda: entry.open(quote.id))
        await wait_for(pilot, lambda: screen.idle and screen.order.id == quote.id)
        await act(pilot, "f10")
        sale = screen.order
        assert sale.kind == "sale" and sale.source_id == quote.id
        assert orders.get_order(admin, quote.id).status == "converted"
        await act(pilot, "f9")
        assert orders.get_order(admin, sale.id).status == "confirmed"
        assert stock.on_hand(p1) == Decimal(100)
    # delivered later (the Orders list does this): stock goes out then
    orders.deliver(admin, sale.id)
    assert stock.on_hand(p1) == Decimal(98)


async def test_return_brings_stock_back(db, admin, goods):
    p1, _, _ = goods
    sale = orders.start_order(admin, "sale", "5*" + UNIT).order
    orders.complete_sale(admin, sale.id)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_entry(pilot, admin, return_of=sale.id)
        assert "Sales return (new)" in screen_text(app)
        await scan(pilot, UNIT)
        await scan(pilot, UNIT)
        assert "Sales return" in screen_text(app)
        assert draft_lines(screen) == {"P001": Decimal(2)}
        await scan(pilot, "9*" + UNIT)  # more than was sold: refused, says so
        assert "can be returned" in screen_text(app)
        returned = screen.order
        await act(pilot, "f10")
        assert orders.get_order(admin, returned.id).status == "delivered"
    assert stock.on_hand(p1) == Decimal(97)


async def test_picker_searches_off_the_ui_thread_and_enter_takes_the_text_typed(
        db, admin, shop, monkeypatch):
    """The customer picker searches in a worker; Enter typed while the matches of the text
    are on their way takes the first of them, not of the text before ("W": Wang Trading
    first; "Wh": Wholesale Wang)."""
    import threading

    customers.create_customer(admin, code="C002", name="Wang Trading")
    from tuicrm.data.sales import entry_dialogs as entry_mod

    on_main, release = [], threading.Event()
    real = entry_mod.search_customers

    def spy(actor, text, limit=50):
        on_main.append(threading.current_thread() is threading.main_thread())
        if text == "Wh":
            release.wait(10)
        return real(actor, text, limit)

    monkeypatch.setattr(entry_mod, "search_customers", spy)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_entry(pilot, admin)
        await pilot.press("f2")
        await shows(pilot, PickDialog)
        await type_slowly(pilot, "W")
        await wait_for(pilot, lambda: "Wang Trading" in screen_text(app))
        await type_slowly(pilot, "h")
        await pilot.press("enter")
        assert isinstance(app.screen, PickDialog) and app.screen.searching
        release.set()
        await wait_for(pilot, lambda: "Customer: C001 Wholesale Wang" in screen_text(app))
        assert on_main and not any(on_main)


async def test_purchase_receive_puts_stock_in(db, admin, shop):
    (p1, _, _), _, sup = shop
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_entry(pilot, admin, PurchaseEntryScreen)
        await scan(pilot, UNIT)
        assert "choose the supplier" in screen_text(app)
        await pilot.press("f2")
        await shows(pilot, PickDialog)
        # issue 17: the suppliers are listed before anything is typed
        await wait_for(pilot, lambda: "Tea Farm Ltd" in screen_text(app))
        await pilot.press(*"Tea")
        await wait_for(pilot, lambda: "Tea Farm Ltd" in screen_text(app))
        await act(pilot, "enter")
        assert "Supplier: S001 Tea Farm Ltd" in screen_text(app)
        await scan(pilot, CARTON)
        await scan(pilot, CARTON)
        assert draft_lines(screen) == {"P001": Decimal(24)}
        number = screen.order.number
        await act(pilot, "f10")
        assert f"{number} received" in screen_text(app)
    assert stock.on_hand(p1) == Decimal(124)


async def test_a_write_waiting_on_another_terminal_says_so(db, admin, goods):
    """While another session holds the write lock the screen keeps taking keys and says it
    is waiting; the scan is written once the lock is free."""
    import sqlite3

    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_entry(pilot, admin)
        other = sqlite3.connect(db, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            send_burst(app, UNIT + "\r")
            await wait_for(pilot, lambda: "waiting for another terminal" in screen_text(app))
            await type_slowly(pilot, "12")  # the screen still echoes keys
            await wait_for(pilot, lambda: app.focused.value == "12")
            assert "waiting for another terminal" in screen_text(app)
        finally:
            other.execute("ROLLBACK")
            other.close()
        await wait_for(pilot, lambda: screen.idle and "P001 +1 -> 1" in screen_text(app))
        assert "waiting" not in screen_text(app)
        assert draft_lines(screen) == {"P001": Decimal(1)}


# -- the Orders list ---------------------------------------------------------------------------


async def open_orders(pilot, user):
    from tuicrm.screens.home import HomeScreen
    from tuicrm.screens.orders import OrdersScreen

    pilot.app.user = user
    await pilot.app.push_screen(HomeScreen())
    screen = OrdersScreen()
    await pilot.app.push_screen(screen)
    await wait_for(pilot, lambda: screen.table.cursor_row_id is not None)
    return screen


async def go_to(pilot, screen, order_id: int) -> None:
    screen.table.go_to_id(order_id)
    await wait_for(pilot, lambda: screen.table.cursor_row_id == order_id)


async def test_orders_list_convert_deliver_return_receive(db, admin, shop):
    (p1, _, _), cust, sup = shop
    quote = orders.start_order(admin, "quote", "2*" + UNIT, customer_id=cust.id).order
    confirmed = orders.start_order(admin, "sale", "3*" + UNIT).order
    orders.confirm(admin, confirmed.id)
    done = orders.start_order(admin, "sale", "4*" + UNIT).order
    orders.complete_sale(admin, done.id)
    purchase = orders.start_order(admin, "purchase", CARTON, supplier_id=sup.id).order

    def status(order) -> str:
        return orders.get_order(admin, order.id).status

    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_orders(pilot, admin)
        text = screen_text(app)
        assert quote.number in text and confirmed.number in text and purchase.number in text
        assert done.number not in text  # open ones only until O
        await go_to(pilot, screen, quote.id)
        await pilot.press("v")
        await wait_for(pilot, lambda: status(quote) == "converted")
        await go_to(pilot, screen, confirmed.id)
        await pilot.press("d")  # issue 17: stock going out asks first, with the quantities
        await shows(pilot, FormDialog)
        await wait_for(pilot, lambda: "undone" in screen_text(app))
        assert status(confirmed) == "confirmed"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: status(confirmed) == "delivered")
        await go_to(pilot, screen, purchase.id)
        await pilot.press("i")  # receive 5 of the carton's 12 now, the rest later
        await shows(pilot, FormDialog)
        form = app.screen
        form.query_one("#f-line1").value = "5"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: stock.on_hand(p1) == Decimal(100 - 3 - 4 + 5))
        assert status(purchase) == "confirmed"
        await wait_for(pilot, lambda: app.screen is screen)
        await go_to(pilot, screen, purchase.id)
        await pilot.press("i")
        await shows(pilot, FormDialog)
        assert app.screen.query_one("#f-line1").value == "7"  # the open rest
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: status(purchase) == "delivered")
        assert stock.on_hand(p1) == Decimal(100 - 3 - 4 + 12)
        await pilot.press("o")  # all: the delivered sale shows
        await wait_for(pilot, lambda: done.number in screen_text(app))
        await go_to(pilot, screen, done.id)
        await pilot.press("t")  # a return of it opens in order entry
        await shows(pilot, OrderEntryScreen)
        entry = app.screen
        await wait_for(pilot, lambda: entry.idle and entry.kind == "sale_return")
        entry.SCAN_TIMING = TEST_TIMING
        await scan(pilot, "2*" + UNIT)
        returned = entry.order
        assert returned.source_id == done.id
        await act(pilot, "f10")
        assert status(returned) == "delivered"
        assert f"{returned.number} booked: stock back in" in screen_text(app)
        assert stock.on_hand(p1) == Decimal(100 - 3 - 4 + 12 + 2)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)


async def test_orders_list_says_not_allowed_before_asking(db, admin, make_user, shop):
    """Issue 17: sales is refused D before any question, and cannot deliver the same confirmed
    order by reopening it and pressing F10 either."""
    clerk = make_user("sales", "clerk")
    order = orders.start_order(clerk, "sale", "3*" + UNIT).order
    orders.confirm(clerk, order.id)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_orders(pilot, clerk)
        await go_to(pilot, screen, order.id)
        await pilot.press("d")
        await wait_for(pilot, lambda: any("Not allowed" in n.message
                                          for n in app._notifications))
        assert app.screen is screen  # no question was asked
        await pilot.press("enter")
        await shows(pilot, OrderEntryScreen)
        entry = app.screen
        await wait_for(pilot, lambda: entry.idle and entry.order is not None)
        await pilot.press("f10")  # refused at once: no dialog, no write
        await wait_for(pilot, lambda: "may not" in screen_text(app))
        assert orders.get_order(admin, order.id).status == "confirmed"


async def test_a_purchase_reopened_from_orders_says_supplier_and_receive(db, admin, shop):
    """Issue 17: the footer said ``f2 Customer`` on a purchase."""
    _, _, sup = shop
    purchase = orders.start_order(admin, "purchase", CARTON, supplier_id=sup.id).order
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_orders(pilot, admin)
        await go_to(pilot, screen, purchase.id)
        await pilot.press("enter")
        await shows(pilot, OrderEntryScreen)
        footer = lambda: screen_text(app).splitlines()[-1]  # noqa: E731
        await wait_for(pilot, lambda: "Supplier" in footer())
        assert "Customer" not in footer() and "Receive" in footer()


async def test_orders_list_reopens_a_draft_to_go_on_scanning(db, admin, goods):
    draft = orders.start_order(admin, "sale", UNIT).order
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_orders(pilot, admin)
        await go_to(pilot, screen, draft.id)
        await pilot.press("enter")
        await shows(pilot, OrderEntryScreen)
        entry = app.screen
        await wait_for(pilot, lambda: entry.idle and entry.order is not None)
        assert entry.order.id == draft.id
        assert "Green tea" in screen_text(app)
        entry.SCAN_TIMING = TEST_TIMING
        await scan(pilot, UNIT)
        assert draft_lines(entry) == {"P001": Decimal(2)}
