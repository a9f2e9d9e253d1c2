"""The Receivables screen: the ageing of the demo as of today, Enter opens the statement of
the highlighted customer (closing at their balance), u switches to payables, d changes the
day it is as of, s saves the ageing to a file."""

from __future__ import annotations

import datetime as dt

from tests.helpers import SIZE, open_screen, screen_text, wait_for
from tuicrm.app import make_app
from tuicrm.data.core.actor import actor_of
from tuicrm.data.core.money import fmt_money
from tuicrm.data.demo.builder import DEMO_PASSWORD, build_demo
from tuicrm.data.models import Customer, User
from tuicrm.data.money import balances
from tuicrm.screens.receivables import ReceivablesScreen
from tuicrm.screens.statement_dialog import StatementDialog
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
        dialog = app.screen
        await wait_for(pilot, lambda: "STATEMENT OF ACCOUNT" in dialog.text)
        manager = actor_of(User.get(User.username == "manager"))
        customer = Customer.get(Customer.code == code)
        balance = balances.customer_balance(manager, customer.id).balance
        closing = ("Balance due " if balance > 0 else "Closing balance ") + fmt_money(balance)
        assert closing in dialog.text
        assert f"{code} {customer.name}" in screen_text(app)
        await pilot.press("d")  # the period: from the first of June
        await wait_for(pilot, lambda: isinstance(app.screen, FormDialog))
        app.screen.query_one("#f-start").value = "2026-06-01"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "2026-06-01 to 2026-06-15" in dialog.text)
        assert closing in dialog.text  # the same closing
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, FormDialog))
        printed = tmp_path / "statement.txt"
        app.screen.query_one("#f-file").value = str(printed)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: printed.exists() and app.screen is dialog)
        assert printed.read_text(encoding="utf-8") == dialog.text
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, FormDialog))
        rows = tmp_path / "statement.csv"
        app.screen.query_one("#f-file").value = str(rows)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: rows.exists() and app.screen is dialog)
        assert rows.read_text(encoding="utf-8-sig").startswith("date,number,kind,debit")
        await pilot.press("p")  # no printer set up: said, nothing else happens
        await wait_for(pilot, lambda: any("no printer" in n.message.lower()
                                          for n in app._notifications))
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
