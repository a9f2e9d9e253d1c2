"""Pilot tests of the Products screen at 80x24: add with two barcodes, bad check digit next to
the field, edit, cost hidden for sales, category tree filter, quick search by barcode, and the
ListScreen tools (custom filter, export read back, cost not filterable without the right)."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
from textual.widgets import Input, Select, Tree

from tests.helpers import SIZE, open_screen, screen_text, wait_for
from tuicrm.app import make_app
from tuicrm.data.catalog import barcodes, products
from tuicrm.data.catalog.categories import product_categories
from tuicrm.data.catalog.lists import PRODUCTS
from tuicrm.data.lists.view import filters_for
from tuicrm.data.models import Product
from tuicrm.screens.products import ProductsScreen
from tuicrm.widgets.form import FormDialog
from tuicrm.widgets.list_tools import ExportDialog, FilterDialog

EAN = "4006381333931"
CARTON = barcodes.carton_gtin14(EAN)


async def _open_products(pilot, user: str, password: str) -> ProductsScreen:
    return await open_screen(pilot, user, password, "g", ProductsScreen)


async def _fill(pilot, form: FormDialog, **values: str) -> None:
    for name, value in values.items():
        widget = form.query_one(f"#f-{name}", Input)
        widget.value = value
    await pilot.pause()


async def test_add_product_with_two_barcodes_bad_check_digit_then_edit(db, admin, password):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _open_products(pilot, "admin", password)
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormDialog)
        await _fill(pilot, form, code="P-77", name="Green tea 500ml", price1="3.50",
                    barcodes=f"{EAN[:-1]}0; 12*{CARTON}", min_stock="5")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form  # refused, nothing lost
        text = screen_text(app)
        assert "is not a valid 13-digit" in text and "its last digit should be 1," in text
        err = form.query_one("#err-barcodes")
        assert err.has_class("-shown") and "should be 1, not 0" in str(err.render())
        assert Product.select().count() == 0
        await _fill(pilot, form, barcodes=f"{EAN}; 12*{CARTON}")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ProductsScreen)
        p = products.find_by_code("P-77")
        assert p.price1 == Decimal("3.50") and p.min_stock == Decimal("5.000")
        assert products.lookup(CARTON) == (p, Decimal("12.000"))
        assert products.lookup(EAN)[0].id == p.id
        await pilot.pause(0.2)
        assert "P-77" in screen_text(app) and "Green tea 500ml" in screen_text(app)

        # edit: new price, drop the carton code
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormDialog)
        assert form.query_one("#f-barcodes", Input).value == f"{EAN}; 12*{CARTON}"
        await _fill(pilot, form, price1="3.80", barcodes=EAN)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ProductsScreen)
        p = products.find_by_code("P-77")
        assert p.price1 == Decimal("3.80")
        assert products.lookup(CARTON) is None
        assert [b.raw for b in products.barcodes_of(p)] == [EAN]


async def test_cost_hidden_for_sales_and_search_by_barcode(db, admin, sales, password):
    products.create_product(admin, code="C-1", name="Cable", cost="7.25", price1="9.90",
                            barcodes=[EAN])
    products.create_product(admin, code="D-1", name="Drill", cost="40.00", price1="55.00")
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await _open_products(pilot, "sally", password)
        await pilot.pause(0.2)
        text = screen_text(app)
        assert "Cable" in text and "9.90" in text
        assert "Cost" not in text and "7.25" not in text
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        assert not app.screen.query("#f-cost")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("slash")
        await pilot.press(*("0" + EAN))  # the GTIN-14 spelling of the EAN-13
        await pilot.press("enter")  # search at once (typing searches after a short pause)
        await pilot.pause(0.2)
        assert screen.query_one("#search", Input).value == "0" + EAN
        text = screen_text(app)
        assert "Cable" in text and "Drill" not in text


async def test_category_tree_filters_the_list(db, admin, password):
    food = product_categories.create(admin, "Food")
    snacks = product_categories.create(admin, "Snacks", food.id)
    tools = product_categories.create(admin, "Tools")
    products.create_product(admin, code="F-1", name="Chips", category=snacks.id)
    products.create_product(admin, code="T-1", name="Hammer", category=tools.id)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await _open_products(pilot, "admin", password)
        await pilot.pause(0.2)
        assert "Chips" in screen_text(app) and "Hammer" in screen_text(app)
        tree = screen.query_one(Tree)
        tree.focus()
        await pilot.press("down")  # Food (sub-categories included)
        await pilot.pause(0.2)
        assert screen.category_id == food.id
        text = screen_text(app)
        assert "Chips" in text and "Hammer" not in text
        assert "Food (1)" in text


async def test_deactivate(db, admin, password):
    products.create_product(admin, code="X-1", name="Old thing")
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _open_products(pilot, "admin", password)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert products.find_by_code("X-1").active is False


async def test_list_tools_filter_and_export(db, admin, sales, password, tmp_path):
    products.create_product(admin, code="C-1", name="Cable", cost="7.25", price1="9.90")
    products.create_product(admin, code="D-1", name="Drill", cost="40.00", price1="55.00")
    products.create_product(admin, code="H-1", name="Hammer", cost="12.00", price1="19.00")
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await _open_products(pilot, "sally", password)
        await pilot.pause(0.2)
        await pilot.press("F")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, FilterDialog)
        assert "cost" not in filters_for(screen.user, PRODUCTS)  # sales may not see the cost
        dialog.query_one("#f-column", Select).value = "price1"
        dialog.query_one("#f-op1", Select).value = ">="
        dialog.query_one("#f-value1", Input).value = "10"
        await pilot.press("ctrl+s")
        await pilot.pause(0.2)
        assert app.screen is screen
        text = screen_text(app)
        assert "Drill" in text and "Hammer" in text and "Cable" not in text
        assert "filter: Retail price >= 10" in text
        await pilot.press("x")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        target = tmp_path / "products.xlsx"
        dialog.query_one("#path", Input).value = str(target)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen)
        assert dialog.rows == 2
    rows = list(openpyxl.load_workbook(target).active.iter_rows(values_only=True))
    assert rows[0] == ("code", "name", "unit", "price1", "min_stock", "category", "active")
    assert [r[:2] for r in rows[1:]] == [("D-1", "Drill"), ("H-1", "Hammer")]
    assert "cost" not in rows[0]
