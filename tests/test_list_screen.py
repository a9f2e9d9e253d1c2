"""Pilot tests of ListScreen and the list tools (L1-L6) on a small list of suppliers."""

from __future__ import annotations

import csv

import openpyxl
import pytest
from textual.widgets import Input, ProgressBar, Select, SelectionList

from tests.helpers import SIZE, list_ready, log_in, screen_text, wait_for
from tuicrm.app import make_app
from tuicrm.data.lists import prefs
from tuicrm.data.lists.columns import Column
from tuicrm.data.lists.filters import contains_pattern, ilike
from tuicrm.data.lists.view import ListDef
from tuicrm.data.models import Supplier
from tuicrm.data.parties import customers
from tuicrm.data.parties import suppliers as party_suppliers
from tuicrm.data.parties.lists import SUPPLIER_FILTERS
from tuicrm.screens.list_screen import ListScreen
from tuicrm.widgets.list_tools import (
    ColumnsDialog,
    DateRangeDialog,
    ExportDialog,
    FilterDialog,
    PrintPreviewDialog,
)

TEST_SUPPLIERS = ListDef(
    name="test_suppliers",
    title="Test suppliers",
    permission=("supplier.edit", "order.purchase"),
    columns=(
        Column("code", Supplier.code, "Code", width=8),
        Column("name", Supplier.name, "Name", max_width=24),
        Column("phone", Supplier.phone, "Phone", sortable=False),
        Column("terms", Supplier.payment_terms_days, "Terms"),
        Column("created", Supplier.created_at, "Created"),
    ),
    query=lambda actor, options: customers.supplier_query(actor),
    search=lambda text: (ilike(Supplier.name, contains_pattern(text))
                         | ilike(Supplier.code, contains_pattern(text))),
    filters=SUPPLIER_FILTERS,
    date=SUPPLIER_FILTERS["created_at"],
    default_sort=("code", False),
    default_visible=("code", "name", "phone", "terms"),
)


class SupplierList(ListScreen):
    LIST = TEST_SUPPLIERS
    SEARCH_DELAY = 0.05


NAMES = [("S01", "Acme Tools", "555-1", 30), ("S02", "acme paint 50%", "555-2", 60),
         ("S03", "Beta Metals", "555-3", 0), ("S04", "张三丰贸易有限公司", "555-4", 45),
         ("S05", "=1+2 Formula Ltd", "555-5", 15)]


@pytest.fixture
def suppliers(db, admin):
    for code, name, phone, terms in NAMES:
        party_suppliers.create_supplier(admin, code=code, name=name, phone=phone,
                                  payment_terms_days=terms)


async def _open(pilot, password):
    await log_in(pilot, "admin", password)
    screen = SupplierList()
    await pilot.app.push_screen(screen)
    await list_ready(pilot)
    return screen


async def test_lists_and_searches_as_you_type(db, suppliers, password):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, password)
        await wait_for(pilot, lambda: "row 1 of 5" in screen_text(app))
        text = screen_text(app)
        assert "Acme Tools" in text and "张三丰贸易有限公司" in text
        await pilot.press("slash", *"ACME")
        # a positive condition: the searched list has been read and counted
        await wait_for(pilot, lambda: "of 2" in screen_text(app) and "search: ACME" in
                       screen_text(app))
        text = screen_text(app)
        assert "Acme Tools" in text and "acme paint 50%" in text and "Beta Metals" not in text
        # Esc clears the search, Esc again goes to the list
        await pilot.press("escape")
        await wait_for(pilot, lambda: "Beta Metals" in screen_text(app))
        await pilot.press("escape")
        assert screen.focused is screen.table
        # typing in the search line never triggers the screen's letter keys
        await pilot.press("slash", *"xFDCP")
        await pilot.pause()
        assert app.screen is screen and screen.query_one("#search", Input).value == "xFDCP"


async def test_filter_and_or_with_wildcards(db, suppliers, password):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, password)
        await pilot.press("F")
        dialog = app.screen
        assert isinstance(dialog, FilterDialog)
        dialog.query_one("#f-column", Select).value = "name"
        dialog.query_one("#f-op1", Select).value = "like"
        dialog.query_one("#f-value1", Input).value = "acme%"
        dialog.query_one("#f-join", Select).value = "or"
        dialog.query_one("#f-op2", Select).value = "like"
        dialog.query_one("#f-value2", Input).value = "%有限公_"
        await pilot.press("ctrl+s")
        await list_ready(pilot)
        assert app.screen is screen
        text = screen_text(app)
        assert "Acme Tools" in text and "acme paint 50%" in text and "张三丰贸易有限公司" in text
        assert "Beta Metals" not in text
        await wait_for(pilot, lambda: "row 1 of 3" in screen_text(app))
        assert "filter: Name like acme% OR Name like %有限公_" in text
        # a literal % : only "50%" matches, AND with a number condition
        await pilot.press("F")
        dialog = app.screen
        dialog.query_one("#f-value1", Input).value = "%50\\%"
        dialog.query_one("#f-value2", Input).value = ""
        await pilot.press("ctrl+s")
        await list_ready(pilot)
        text = screen_text(app)
        assert "acme paint 50%" in text and "Acme Tools" not in text
        await pilot.press("F")
        dialog = app.screen
        dialog.query_one("#f-column", Select).value = "payment_terms_days"
        dialog.query_one("#f-op1", Select).value = ">="
        dialog.query_one("#f-value1", Input).value = "15"
        dialog.query_one("#f-join", Select).value = "and"
        dialog.query_one("#f-op2", Select).value = "<"
        dialog.query_one("#f-value2", Input).value = "45"
        await pilot.press("ctrl+s")
        await list_ready(pilot)
        text = screen_text(app)
        assert "Acme Tools" in text and "Formula" in text
        assert "张三丰" not in text and "acme paint" not in text and "Beta" not in text
        # a wrong value is shown next to its field and the dialog stays
        await pilot.press("F")
        dialog = app.screen
        dialog.query_one("#f-value1", Input).value = "lots"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await wait_for(pilot, lambda: "not a valid whole number" in screen_text(app))
        assert app.screen is dialog
        # blank values clear the filter
        dialog.query_one("#f-value1", Input).value = ""
        dialog.query_one("#f-value2", Input).value = ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        await wait_for(pilot, lambda: " of 5" in screen_text(app))


async def test_date_range(db, suppliers, password):
    Supplier.update(created_at="2020-01-15 10:00:00").where(Supplier.code == "S03").execute()
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, password)
        await pilot.press("D")
        dialog = app.screen
        assert isinstance(dialog, DateRangeDialog)
        dialog.query_one("#f-preset", Select).value = "today"
        await pilot.press("ctrl+s")
        await list_ready(pilot)
        text = screen_text(app)
        assert "Beta Metals" not in text and "Created: today" in text
        await wait_for(pilot, lambda: "row 1 of 4" in screen_text(app))
        await pilot.press("D")
        dialog = app.screen
        dialog.query_one("#f-start", Input).value = "2020-01-01"
        dialog.query_one("#f-end", Input).value = "2020-01-31"
        await pilot.press("ctrl+s")
        await list_ready(pilot)
        assert app.screen is screen
        text = screen_text(app)
        assert "Beta Metals" in text and "Acme" not in text


async def test_date_range_and_filter_dialogs_in_chinese(db, suppliers, password):
    """The list's date and filter columns, the date presets and AND / OR in the user's
    language (they said "Created", "All dates", "Code", "AND")."""
    app = make_app(db, language="zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, password)
        await pilot.press("D")
        await wait_for(pilot, lambda: isinstance(app.screen, DateRangeDialog))
        await wait_for(pilot, lambda: "创建时间" in screen_text(app))
        assert "全部日期" in screen_text(app)  # the preset, not "All dates"
        await pilot.press("escape")
        await pilot.press("F")  # the filter names columns in Chinese too
        await wait_for(pilot, lambda: isinstance(app.screen, FilterDialog))
        await wait_for(pilot, lambda: "编码" in screen_text(app) and "并且" in screen_text(app))


async def test_columns_and_sort_remembered_after_reopening(db, suppliers, admin, password):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, password)
        await pilot.press("C")
        dialog = app.screen
        assert isinstance(dialog, ColumnsDialog)
        sel = dialog.query_one(SelectionList)
        sel.deselect("phone")
        sel.select("created")
        dialog.query_one("#sort", Select).value = "name"
        await pilot.press("ctrl+s")
        await list_ready(pilot)
        assert app.screen is screen
        assert screen.table.visible_columns == ["code", "name", "terms", "created"]
        assert screen.table.sort == ("name", False)
        assert "555-1" not in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        again = SupplierList()
        await app.push_screen(again)
        await list_ready(pilot)
        assert again.table.visible_columns == ["code", "name", "terms", "created"]
        assert again.table.sort == ("name", False)
        text = screen_text(app)
        assert "555-1" not in text and "Created" in text
        # sorted by name: "=1+2 ..." < "Acme" < "Beta" < "acme" ... < Chinese
        assert text.index("Formula") < text.index("Beta Metals") < text.index("张三丰")
    assert prefs.get_pref(admin, "list.test_suppliers")["columns"] == [
        "code", "name", "terms", "created"]


async def test_export_writes_the_list_as_shown(db, suppliers, password, tmp_path):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, password)
        await pilot.press("slash", *"acme", "enter")
        await list_ready(pilot)
        await pilot.press("x")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        await wait_for(pilot, lambda: "file type follows" in screen_text(app))
        assert not dialog.query_one(ProgressBar).display  # no bar busy before Enter
        target = tmp_path / "out.xlsx"
        dialog.query_one("#path", Input).value = str(target)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen)
        assert dialog.rows == 2
    wb = openpyxl.load_workbook(target)
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[0] == ("code", "name", "phone", "terms")
    assert rows[1:] == [("S01", "Acme Tools", "555-1", 30), ("S02", "acme paint 50%", "555-2", 60)]


async def test_export_csv_defuses_formulas_and_refuses_bad_names(db, suppliers, password,
                                                                 tmp_path):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, password)
        await pilot.press("x")
        dialog = app.screen
        dialog.query_one("#path", Input).value = str(tmp_path / "out.pdf")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog and ".xlsx or .csv" in screen_text(app)
        dialog.query_one("#path", Input).value = str(tmp_path / "out.csv")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen)
    with open(tmp_path / "out.csv", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    assert len(rows) == 6
    assert ["S05", "'=1+2 Formula Ltd", "555-5", "15"] in rows


async def test_export_can_be_cancelled(db, suppliers, password, tmp_path):
    import threading

    release = threading.Event()

    class Slow(SupplierList):
        def export(self, path, progress, cancel):
            from tuicrm.reports.spreadsheet import Cancelled

            progress(1, 5)
            release.wait(5)
            if cancel.is_set():
                raise Cancelled("export cancelled; no file written")
            return 5

    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "admin", password)
        screen = Slow()
        await app.push_screen(screen)
        await list_ready(pilot)
        await pilot.press("x")
        dialog = app.screen
        dialog.query_one("#path", Input).value = str(tmp_path / "slow.xlsx")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "1 of 5 rows" in screen_text(app))
        await pilot.press("escape")
        release.set()
        await wait_for(pilot, lambda: app.screen is screen)
        assert dialog.rows is None
    assert not (tmp_path / "slow.xlsx").exists()


async def test_print_preview_and_save(db, suppliers, password, tmp_path):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, password)
        await pilot.press("P")
        await pilot.pause()
        preview = app.screen
        assert isinstance(preview, PrintPreviewDialog)
        assert "张三丰贸易有限公司" in preview.text and "5 rows" in preview.text
        assert "Print preview" in screen_text(app)
        await pilot.press("s")
        await pilot.pause()
        target = tmp_path / "list.txt"
        app.screen.query_one("#f-path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is preview and preview.saved_to == str(target)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
    saved = target.read_text(encoding="utf-8")
    assert "Acme Tools" in saved and "Code" in saved


async def test_export_follows_hidden_columns_and_the_sort_on_screen(db, suppliers, password,
                                                                    tmp_path):
    """Issue 17 / SPEC L5: a column hidden in the Columns dialog is not exported and the rows
    come in the order on screen (here terms, descending); the boxes show X / blank."""
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, password)
        await pilot.press("C")
        dialog = app.screen
        assert isinstance(dialog, ColumnsDialog)
        text = screen_text(app)
        assert "▐X▌ Phone" in text and "▐ ▌ Created" in text  # a mark, not colour only
        assert "▐ ▌ Descending" in text
        dialog.query_one(SelectionList).deselect("phone")
        dialog.query_one("#sort", Select).value = "terms"
        await pilot.click("#desc")
        await wait_for(pilot, lambda: "▐X▌ Descending" in screen_text(app))
        await pilot.press("ctrl+s")
        await list_ready(pilot)
        assert screen.table.sort == ("terms", True)
        await pilot.press("x")
        export = app.screen
        assert isinstance(export, ExportDialog)
        target = tmp_path / "shown.csv"
        export.query_one("#path", Input).value = str(target)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen)
    with open(target, encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["code", "name", "terms"]
    assert [r[0] for r in rows[1:]] == ["S02", "S04", "S01", "S05", "S03"]  # 60, 45, 30, 15, 0
