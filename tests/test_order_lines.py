"""Order lines (O5): the list of every order line with the list tools, at 80x24."""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest
from textual.widgets import Input, Select

from tests.helpers import SIZE, open_screen, screen_text, wait_for
from tuicrm.app import make_app
from tuicrm.data.catalog import products
from tuicrm.data.lists.view import ListRequest, open_list
from tuicrm.data.parties import customers, suppliers
from tuicrm.data.sales import orders
from tuicrm.data.sales.lists import ORDER_LINES, ORDERS
from tuicrm.data.stock import ledger as stock
from tuicrm.screens.order_entry import OrderEntryScreen
from tuicrm.screens.order_lines import OrderLinesScreen
from tuicrm.widgets.list_tools import ExportDialog, FilterDialog


@pytest.fixture
def book(admin, sales):
    tea = products.create_product(admin, code="T-1", name="Green tea", price1="3.50")
    rice = products.create_product(admin, code="R-1", name="Rice 5kg", price1="20")
    stock.set_opening(admin, tea, 100)
    stock.set_opening(admin, rice, 100)
    wang = customers.create_customer(admin, code="C001", name="Wholesale Wang")
    sup = suppliers.create_supplier(admin, code="S001", name="Tea Farm Ltd")
    sale = orders.new_order(admin, "sale", customer_id=wang)
    orders.add_line(admin, sale, tea, 4)
    orders.add_line(admin, sale, rice, 1)
    orders.complete_sale(admin, sale)
    buy = orders.new_order(admin, "purchase", supplier_id=sup)
    orders.add_line(admin, buy, tea, 50, unit_price="1.20")
    counter = orders.new_order(sales, "sale")
    orders.add_line(sales, counter, rice, 2)
    return (orders.get_order(admin, sale.id), orders.get_order(admin, buy.id),
            orders.get_order(admin, counter.id))


async def _open(pilot, user: str, password: str) -> OrderLinesScreen:
    screen = await open_screen(pilot, user, password, "l", OrderLinesScreen)
    await wait_for(pilot, lambda: "row 1 of" in screen_text(pilot.app))
    return screen


def _line_orders(actor, search: str = "") -> list[int]:
    pager = open_list(actor, ORDER_LINES, ListRequest(search=search))
    index = [c.name for c in pager.columns].index("order_id")
    return [row.values[index] for row in pager.iterate()]


def test_query_search_and_scope(book, admin, sales):
    sale, buy, counter = book
    assert len(_line_orders(admin)) == 4
    assert set(_line_orders(admin, "tea farm")) == {buy.id}
    assert len(_line_orders(admin, "R-1")) == 2
    # a salesperson without customer.view_all sees only their own orders' lines
    assert set(_line_orders(sales)) == {counter.id}


async def test_search_filter_and_enter_opens_the_order(db, admin, book, password):
    sale, buy, _ = book
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await _open(pilot, "admin", password)
        text = screen_text(app)
        assert "Wholesale Wang" in text and "Tea Farm Ltd" in text
        await pilot.press("slash", *"wang", "enter")
        await wait_for(pilot, lambda: "row 1 of 2" in screen_text(app))
        assert screen.query_one("#search", Input).value == "wang"
        text = screen_text(app)
        assert "Tea Farm Ltd" not in text and "T-1" in text and "R-1" in text
        # clear the search; filter: amount >= 20
        await pilot.press("slash", "escape", "escape")  # clear, then back to the list
        await wait_for(pilot, lambda: " of 4" in screen_text(app))
        await pilot.press("F")
        await wait_for(pilot, lambda: isinstance(app.screen, FilterDialog))
        dialog = app.screen
        assert isinstance(dialog, FilterDialog)
        dialog.query_one("#f-column", Select).value = "amount"
        dialog.query_one("#f-op1", Select).value = ">="
        dialog.query_one("#f-value1", Input).value = "20"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: " of 3  |  filter" in screen_text(app))
        assert app.screen is screen
        text = screen_text(app)
        assert "filter: Amount >= 20" in text
        assert "T-1" in text  # the purchase: 50 x 1.20 = 60.00
        assert buy.number in text and sale.number in text
        # Enter on the purchase's line opens the purchase in order entry
        line_id = next(line.id for line in orders.order_lines(admin, buy))
        screen.table.go_to_id(line_id)
        await wait_for(pilot, lambda: screen.table.cursor_row_id == line_id)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, OrderEntryScreen))
        await wait_for(pilot, lambda: app.screen.order is not None)  # read off the UI thread
        assert app.screen.order.id == buy.id
        assert buy.number in screen_text(app)


async def test_export_reads_back(db, book, password, tmp_path):
    sale, _, _ = book
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await _open(pilot, "admin", password)
        await pilot.press("slash", *"wang", "enter")
        await wait_for(pilot, lambda: "row 1 of 2" in screen_text(app))
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog))
        dialog = app.screen
        target = tmp_path / "lines.csv"
        dialog.query_one("#path", Input).value = str(target)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen)
        assert dialog.rows == 2
    with open(target, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["number", "date", "party_name", "product_code", "quantity", "amount"]
    assert sorted((r[0], r[2], r[3], Decimal(r[4]), Decimal(r[5])) for r in rows[1:]) == [
        (sale.number, "Wholesale Wang", "R-1", Decimal(1), Decimal("20.00")),
        (sale.number, "Wholesale Wang", "T-1", Decimal(4), Decimal("14.00")),
    ]


def test_orders_query_filter_open_only_and_scope(book, admin, sales):
    """The Orders list's query: open-only, quick search, a custom filter, salesperson scope."""
    from tuicrm.data.lists.filters import Condition, CustomFilter
    from tuicrm.data.models import Order

    def ids(actor, **request) -> set[int]:
        return {row.id for row in open_list(actor, ORDERS, ListRequest(**request)).iterate()}

    sale, buy, counter = book
    assert ids(admin) == {sale.id, buy.id, counter.id}
    # the completed sale is delivered, not open
    assert ids(admin, options={"open_only": True}) == {buy.id, counter.id}
    assert ids(admin, search="tea farm") == {buy.id}
    big = CustomFilter("total", Condition(">", "35"), "and", None)  # 34 / 60 / 40
    assert ids(admin, filter=big) == {buy.id, counter.id}
    # a salesperson without customer.view_all sees the orders they entered only
    assert ids(sales) == {counter.id}
    assert Order.get_by_id(counter.id).total == Decimal("40.00")
