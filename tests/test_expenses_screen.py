"""The Expenses screen: the category tree narrows the list, a records an expense in the
highlighted category, i switches to other income, n adds a category path."""

from __future__ import annotations

from decimal import Decimal

from tests.helpers import SIZE, open_screen, screen_text, wait_for
from tuicrm.app import make_app
from tuicrm.data.models import MoneyDoc
from tuicrm.data.money import expenses
from tuicrm.screens.expenses import ExpensesScreen
from tuicrm.widgets.form import FormDialog


async def test_record_expenses_and_income_by_category(db, manager, password):
    rent = expenses.money_categories.ensure_path(manager, "Expenses/Rent")
    expenses.money_categories.ensure_path(manager, "Expenses/Wages")
    expenses.record_expense(manager, "800", "bank", category_id=rent, reference="June rent")
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, "manny", password, "f", ExpensesScreen)
        await wait_for(pilot, lambda: "June rent" in screen_text(app) or
                       "800.00" in screen_text(app))
        await wait_for(pilot, lambda: "Wages" in screen_text(app))
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, FormDialog))
        app.screen.query_one("#f-amount").value = "45.60"
        app.screen.query_one("#f-reference").value = "taxi"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen and "45.60" in screen_text(app))
        await pilot.press("i")  # other income: none yet
        await wait_for(pilot, lambda: "45.60" not in screen_text(app)
                       and "other income" in screen_text(app))
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, FormDialog))
        app.screen.query_one("#f-path").value = "Income/Scrap"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "Scrap" in screen_text(app))
    taxi = MoneyDoc.get(MoneyDoc.reference == "taxi")
    assert (taxi.kind, taxi.amount, taxi.method) == ("expense", Decimal("45.60"), "cash")
