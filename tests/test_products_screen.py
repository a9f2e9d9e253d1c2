"""Pilot tests of the Products screen at 80x24: add with two barcodes, bad check digit next to
the field, edit, cost hidden for sales, category tree filter, quick search by barcode, and the
ListScreen tools (custom filter, export read back, cost not filterable without the right)."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
from textual.widgets import Input, Select, Tree

from tests.helpers import SIZE, open_screen, screen_text, sees, wait_for
from tuicrm.app import make_app
from tuicrm.data.catalog import barcodes, categories, product_barcodes, products
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
        err = form.query_one("#err-barcodes")
        await wait_for(pilot, lambda: err.has_class("-shown"))  # saved in a worker: refused
        assert app.screen is form  # nothing lost
        text = screen_text(app)
        assert "is not a valid 13-digit" in text and "its last digit should be 1," in text
        assert "should be 1, not 0" in str(err.render())
        assert Product.select().count() == 0
        await _fill(pilot, form, barcodes=f"{EAN}; 12*{CARTON}")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ProductsScreen))
        p = products.find_by_code(admin, "P-77")
        assert p.price1 == Decimal("3.50") and p.min_stock == Decimal("5.000")
        match = products.lookup_product(admin, CARTON)
        assert (match.product.id, match.pack_qty) == (p.id, Decimal("12.000"))
        assert products.lookup_product(admin, EAN).product.id == p.id
        await sees(pilot, "P-77", "Green tea 500ml")

        # edit: new price, drop the carton code
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormDialog)
        assert form.query_one("#f-barcodes", Input).value == f"{EAN}; 12*{CARTON}"
        await _fill(pilot, form, price1="3.80", barcodes=EAN)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ProductsScreen))
        p = products.find_by_code(admin, "P-77")
        assert p.price1 == Decimal("3.80")
        assert products.lookup(CARTON) is None
        assert [b.raw for b in product_barcodes.barcodes_of(admin, p.id)] == [EAN]
        await sees(pilot, "3.80")


async def test_cost_hidden_for_sales_and_search_by_barcode(db, admin, sales, password):
    products.create_product(admin, code="C-1", name="Cable", cost="7.25", price1="9.90",
                            barcodes=[EAN])
    products.create_product(admin, code="D-1", name="Drill", cost="40.00", price1="55.00")
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await _open_products(pilot, "sally", password)
        await sees(pilot, "Cable", "9.90")
        text = screen_text(app)
        assert "Cost" not in text and "7.25" not in text
        await pilot.press("e")  # sales may not edit products: told before any form opens
        await wait_for(pilot, lambda: any("Not allowed" in n.message
                                          for n in app._notifications))
        assert app.screen is screen
        await pilot.press("slash")
        await pilot.press(*("0" + EAN))  # the GTIN-14 spelling of the EAN-13
        await pilot.press("enter")  # search at once (typing searches after a short pause)
        assert screen.query_one("#search", Input).value == "0" + EAN
        await sees(pilot, "Cable", "row 1 of 1")
        assert "Drill" not in screen_text(app)


async def test_category_tree_filters_the_list(db, admin, password):
    food = categories.create_category(admin, "Food")
    snacks = categories.create_category(admin, "Snacks", food.id)
    tools = categories.create_category(admin, "Tools")
    products.create_product(admin, code="F-1", name="Chips", category=snacks.id)
    products.create_product(admin, code="T-1", name="Hammer", category=tools.id)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await _open_products(pilot, "admin", password)
        await sees(pilot, "Chips", "Hammer", "Food (1)")  # the tree is read in a worker
        tree = screen.query_one(Tree)
        tree.focus()
        await pilot.press("down")  # Food (sub-categories included)
        assert screen.category_id == food.id
        await sees(pilot, "Chips", "row 1 of 1", "category: Food")
        assert "Hammer" not in screen_text(app)


async def test_deactivate(db, admin, password):
    products.create_product(admin, code="X-1", name="Old thing")
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _open_products(pilot, "admin", password)
        await sees(pilot, "Old thing")
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        # the operation runs in a worker
        await wait_for(pilot, lambda: products.find_by_code(admin, "X-1").active is False)


async def test_list_tools_filter_and_export(db, admin, sales, password, tmp_path):
    products.create_product(admin, code="C-1", name="Cable", cost="7.25", price1="9.90")
    products.create_product(admin, code="D-1", name="Drill", cost="40.00", price1="55.00")
    products.create_product(admin, code="H-1", name="Hammer", cost="12.00", price1="19.00")
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await _open_products(pilot, "sally", password)
        await sees(pilot, "Cable", "Drill", "Hammer")
        await pilot.press("F")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, FilterDialog)
        assert "cost" not in filters_for(screen.user, PRODUCTS)  # sales may not see the cost
        dialog.query_one("#f-column", Select).value = "price1"
        dialog.query_one("#f-op1", Select).value = ">="
        dialog.query_one("#f-value1", Input).value = "10"
        await pilot.press("ctrl+s")
        await sees(pilot, "Drill", "Hammer", "filter: Retail price >= 10", "row 1 of 2")
        assert app.screen is screen
        assert "Cable" not in screen_text(app)
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
