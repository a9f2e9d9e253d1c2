"""The money reports on the Reports screen at 80x24, in English and Chinese: picked with r,
grouped with b, every line within 80 columns; a user without the money permissions is not
offered them."""

from __future__ import annotations

import datetime as dt

from rich.cells import cell_len

from tests.helpers import SIZE, open_reports, screen_text, sees, wait_for
from tuicrm.app import make_app
from tuicrm.data.demo.builder import build_demo
from tuicrm.screens.reports import ReportsScreen

TODAY = dt.date(2026, 6, 15)  # the tests' fixed clock


async def _pick(pilot, screen: ReportsScreen, name: str) -> None:
    await pilot.press("r")
    await wait_for(pilot, lambda: pilot.app.screen is not screen)
    await pilot.press(*f"({name})", "enter")
    await wait_for(pilot, lambda: pilot.app.screen is screen and screen.run is None
                   and screen.result is not None and screen.result.name == name)


def _fits(app) -> None:
    assert all(cell_len(line) <= 80 for line in screen_text(app).splitlines())


async def test_takings_expenses_and_collections_on_screen(db, admin, manager, password):
    build_demo(customers=30, products=20, orders=300, seed=4, today=TODAY)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reports(pilot, manager.username, password)
        await _pick(pilot, screen, "takings")
        await sees(pilot, "Daily takings", "Cash", "WeChat Pay", "Alipay", "Net", "Total")
        _fits(app)
        await pilot.press("b")  # by day
        await wait_for(pilot, lambda: screen.run is None
                       and screen.result.params["by"] == "day")
        await pilot.press("b")  # by cashier
        await wait_for(pilot, lambda: screen.run is None
                       and screen.result.params["by"] == "cashier")
        await sees(pilot, "Cashier")
        _fits(app)
        await _pick(pilot, screen, "expenses")
        await sees(pilot, "Expenses and other income", "Level", "Other income", "Net")
        _fits(app)
        await _pick(pilot, screen, "collections")
        await sees(pilot, "Collections", "Collected")
        _fits(app)
        await _pick(pilot, screen, "staff")
        await sees(pilot, "Staff performance")
        assert "collections" in [c.key for c in screen.result.columns]


async def test_money_reports_in_chinese(db, admin, manager, password):
    build_demo(customers=30, products=20, orders=300, seed=4, today=TODAY)
    app = make_app(db, language="zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reports(pilot, manager.username, password)
        await _pick(pilot, screen, "takings")
        await sees(pilot, "每日收款", "现金", "微信支付", "净额", "合计")
        _fits(app)
        await _pick(pilot, screen, "expenses")
        await sees(pilot, "费用和其他收入", "层级", "其他收入")
        _fits(app)
        await _pick(pilot, screen, "collections")
        await sees(pilot, "回款")
        _fits(app)


async def test_warehouse_is_not_offered_the_money_reports(db, admin, warehouse, password):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reports(pilot, warehouse.username, password)
        names = {r.name for r in screen.available}
        assert "stock" in names
        assert not names & {"takings", "expenses", "collections"}


async def test_a_report_of_one_customer_asks_which_before_running(db, admin, manager, password):
    """Picking the statement opens its settings (no run with an empty customer, no table of
    the report before); an empty code is refused beside the field; a code runs it."""
    from textual.widgets import Input

    from tuicrm.widgets.form import FormDialog

    build_demo(customers=30, products=20, orders=300, seed=4, today=TODAY)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reports(pilot, manager.username, password)
        await pilot.press("r")
        await wait_for(pilot, lambda: pilot.app.screen is not screen)
        await pilot.press(*"(statement)", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, FormDialog))
        form = app.screen
        assert screen.run is None and screen.result is None  # nothing ran, sales is gone
        await pilot.press("ctrl+s")
        await sees(pilot, "required: the customer whose statement it is")
        assert app.screen is form
        form.query_one("#f-customer", Input).value = "C000001"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen and screen.run is None
                       and screen.result is not None and screen.result.name == "statement")
        await sees(pilot, "opening balance", "Closing balance")
