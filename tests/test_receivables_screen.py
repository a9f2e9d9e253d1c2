"""The Receivables screen: the ageing of the demo as of today, Enter opens the statement of
the highlighted customer (closing at their balance), u switches to payables, d changes the
day it is as of, s saves the ageing to a file."""

from __future__ import annotations

import datetime as dt

from tests.helpers import SIZE, open_screen, screen_text, wait_for
from tuicrm.app import make_app
from tuicrm.data.core.actor import actor_of
from tuicrm.data.demo.builder import DEMO_PASSWORD, build_demo
from tuicrm.data.models import Customer, User
from tuicrm.data.money import balances
from tuicrm.screens.receivables import ReceivablesScreen, StatementDialog
from tuicrm.widgets.form import FormDialog


async def test_ageing_statement_payables_and_save(db, tmp_path):
    build_demo(customers=20, products=10, orders=200, seed=4, today=dt.date(2026, 6, 15))
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, "manager", DEMO_PASSWORD, "v", ReceivablesScreen)
        await wait_for(pilot, lambda: screen.result is not None)
        assert "Receivables ageing" in screen_text(app) and "as of 2026-06-15" in screen_text(app)
        code = screen.result.rows[0][0]
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, StatementDialog))
        statement = app.screen.result
        manager = actor_of(User.get(User.username == "manager"))
        customer = Customer.get(Customer.code == code)
        assert statement.rows[-1][-1] == balances.customer_balance(manager, customer.id).balance
        assert "Customer statement" in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
        await pilot.press("u")
        await wait_for(pilot, lambda: "Payables ageing" in screen_text(app))
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, FormDialog))
        app.screen.query_one("#f-as_of").value = "2026-01-31"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "as of 2026-01-31" in screen_text(app))
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, FormDialog))
        path = tmp_path / "payables.csv"
        app.screen.query_one("#f-file").value = str(path)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: path.exists())
    assert path.read_text(encoding="utf-8-sig").startswith("supplier,name,balance")
