"""The Reports screen at 80x24: a report runs in a worker and shows its table and chart; the
grouping, settings (errors beside the field), export and print work from the keyboard; Esc
stops a long report and the screen keeps answering."""

from __future__ import annotations

import datetime as dt
import threading

import openpyxl
from rich.cells import cell_len
from textual.widgets import DataTable, Input

from tests.helpers import SIZE, open_reports, screen_text, sees, wait_for
from tuicrm.app import make_app
from tuicrm.data.demo.builder import build_demo
from tuicrm.reports import sales_data
from tuicrm.reports.engine import Column, RunContext, Table, report
from tuicrm.screens.reports import ReportsScreen
from tuicrm.widgets.form import FormDialog
from tuicrm.widgets.list_tools import ExportDialog, PrintPreviewDialog

TODAY = dt.date(2026, 6, 15)  # the tests' fixed clock


def _shop(admin):
    build_demo(customers=30, products=20, orders=300, seed=4, today=TODAY)


async def test_sales_by_customer_then_by_month_with_chart(db, admin, manager, password):
    """A manager opens Reports: this month's sales by customer with bars; b goes through the
    groupings; a period report draws bars per period; nothing is wider than 80 columns."""
    _shop(admin)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reports(pilot, manager.username, password)
        result = screen.result
        assert result.name == "sales" and result.params["by"] == "customer"
        assert result.params["from"] == TODAY.replace(day=1)
        first = result.rows[0]
        await sees(pilot, first[1][:6], "Amount", "│█")
        table = screen.query_one(DataTable)
        assert table.row_count == len(result.rows) + 1  # and the totals row
        for _ in range(sales_data.KEYS.index("month")):
            await pilot.press("b")
        await wait_for(pilot, lambda: screen.result.params["by"] == "month"
                       and screen.run is None)
        await sees(pilot, "By Month", "2026-06", "└")
        assert all(cell_len(line) <= 80 for line in screen_text(app).splitlines())
        # [ goes to the previous month (a whole month before a whole month).
        await pilot.press("left_square_bracket")
        await wait_for(pilot, lambda: screen.run is None
                       and screen.result.params["from"] == dt.date(2026, 5, 1))
        assert screen.result.params["to"] == dt.date(2026, 5, 31)
        # F1 names the period keys as they are typed (not "Left_square_bracket")
        await pilot.press("f1")
        await sees(pilot, "[               Prev period", "]               Next period")


async def test_settings_show_errors_beside_the_field_and_run(db, admin, manager, password):
    _shop(admin)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reports(pilot, manager.username, password)
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, FormDialog))
        form = app.screen
        form.query_one("#f-from", Input).value = "2026-13-01"
        await pilot.press("ctrl+s")
        await sees(pilot, "not a date")
        assert app.screen is form
        form.query_one("#f-from", Input).value = "2026-01-01"
        form.query_one("#f-top", Input).value = "3"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen and screen.run is None
                       and screen.result.params.get("top") == 3)
        assert len(screen.result.rows) == 4
        assert screen.result.rows[-1][1].startswith("(others")


async def test_export_and_print_preview(db, admin, manager, password, tmp_path):
    _shop(admin)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reports(pilot, manager.username, password)
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog))
        target = tmp_path / "sales.xlsx"
        app.screen.query_one("#path", Input).value = str(target)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen)
        await pilot.press("P")
        await wait_for(pilot, lambda: isinstance(app.screen, PrintPreviewDialog))
        assert "Sales" in app.screen.text and "Total" in app.screen.text
        await pilot.press("escape")
    ws = openpyxl.load_workbook(target)["sales"]
    assert ws.cell(1, 1).value == "code" and ws.freeze_panes == "A2"
    assert ws.max_row == len(screen.result.rows) + 2


_release = threading.Event()


@report("test-slow", "Slow test report", params=())
def _slow(ctx: RunContext) -> Table:
    """A report that runs until it is cancelled (or released)."""
    for step in range(10_000):
        ctx.progress(step, 10_000)
        if _release.wait(0.01):
            break
    return Table((Column("n", "N", "int", "sum"),), [(1,)])


async def test_escape_stops_a_long_report_and_the_screen_answers(db, admin, password):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reports(pilot, "admin", password)
        await pilot.press("r")
        await wait_for(pilot, lambda: not isinstance(app.screen, ReportsScreen))
        await pilot.press(*"test-slow", "enter")
        await wait_for(pilot, lambda: app.screen is screen and screen.run is not None
                       and screen.report.name == "test-slow")
        await sees(pilot, "Running Slow test report")
        await pilot.press("v")  # keys still work while it runs
        await pilot.press("escape")
        await sees(pilot, "Stopped")
        assert screen.run is None and isinstance(app.screen, ReportsScreen)
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, ReportsScreen))
    _release.set()
