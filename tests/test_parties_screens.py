"""Pilot tests of the Contacts, Suppliers and Competitors screens (C7) at 80x24."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import Input, Select

from tests.helpers import SIZE, list_ready, log_in, screen_text, sees, wait_for
from tuicrm.app import make_app
from tuicrm.data.models import Competitor, Contact, Order, Supplier
from tuicrm.data.parties import contacts, customers, suppliers
from tuicrm.screens.parties import CompetitorsScreen, ContactsScreen, SuppliersScreen
from tuicrm.widgets.form import FormDialog
from tuicrm.widgets.list_tools import FilterDialog


@pytest.fixture
def people(db, admin):
    acme = customers.create_customer(admin, code="C000001", name="Acme Tools")
    zhang = customers.create_customer(admin, code="C000002", name="张三丰贸易有限公司")
    contacts.create_contact(admin, acme.id, name="Wang Wei", title="Buyer", mobile="139-1")
    contacts.create_contact(admin, zhang.id, name="李四", title="经理", is_key=True)
    suppliers.create_supplier(admin, code="S01", name="Steel Works", phone="555-1")
    suppliers.create_supplier(admin, code="S02", name="东方纸业", phone="555-2")
    suppliers.create_competitor(admin, name="Rival Co", products="tools")
    return {"acme": acme, "zhang": zhang}


async def test_home_keys_open_the_screens(db, people, password):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "admin", password)
        for key, cls, needle in (("k", ContactsScreen, "Wang Wei"),
                                 ("s", SuppliersScreen, "Steel Works"),
                                 ("m", CompetitorsScreen, "Rival Co")):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, cls)
            await sees(pilot, needle)
            await pilot.press("escape")
            await pilot.pause()


async def test_contacts_add_search_filter_delete(db, people, password):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "admin", password)
        await pilot.press("k")
        await pilot.pause()
        screen = app.screen
        await sees(pilot, "Wang Wei", "李四", "Acme Tools", "张三丰贸易有限公司")
        # add: an unknown customer code is shown next to the field
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormDialog)
        form.query_one("#f-customer_code", Input).value = "C999"
        form.query_one("#f-name", Input).value = "Zhao Liu"
        form.query_one("#f-birthday", Input).value = "1990-02-30"
        await pilot.press("ctrl+s")
        await sees(pilot, "no customer with code 'C999'")  # checked in a worker
        assert app.screen is form
        form.query_one("#f-customer_code", Input).value = "c000001"  # any case
        await pilot.press("ctrl+s")
        await sees(pilot, "expected a date")
        assert app.screen is form
        form.query_one("#f-birthday", Input).value = "1990-02-28"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen)
        c = Contact.get(Contact.name == "Zhao Liu")
        assert c.customer_id == people["acme"].id and c.birthday == dt.date(1990, 2, 28)
        await sees(pilot, "Zhao Liu")
        # search by the customer's Chinese name
        await pilot.press("slash", *"张三丰")
        await wait_for(pilot, lambda: "Wang Wei" not in screen_text(app))
        await sees(pilot, "李四")
        await pilot.press("escape", "escape")
        await sees(pilot, "Wang Wei")
        # filter: key contacts only
        await pilot.press("F")
        dialog = app.screen
        assert isinstance(dialog, FilterDialog)
        dialog.query_one("#f-column", Select).value = "is_key"
        dialog.query_one("#f-op1", Select).value = "="
        dialog.query_one("#f-value1", Input).value = "yes"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await wait_for(pilot, lambda: "Zhao Liu" not in screen_text(app))
        await sees(pilot, "李四")
        # delete it
        await pilot.press("d", "y")
        await wait_for(pilot, lambda: not Contact.select().where(Contact.name == "李四").exists())
        await sees(pilot, "no rows")  # the list shows what is left


async def test_suppliers_edit_and_refused_delete(db, people, admin, password):
    s1 = Supplier.get(Supplier.code == "S01")
    Order.create(number="PO-2026-000001", kind="purchase", date=dt.date(2026, 5, 2),
                 supplier=s1.id)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "admin", password)
        await pilot.press("s")
        await list_ready(pilot)
        screen = app.screen
        assert screen.table.go_to_id(s1.id)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        form.query_one("#f-phone", Input).value = "555-7777"
        form.query_one("#f-code", Input).value = "S02"
        await pilot.press("ctrl+s")
        await sees(pilot, "'S02' is already used")
        assert app.screen is form
        form.query_one("#f-code", Input).value = "S01"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen)
        assert Supplier.get_by_id(s1.id).phone == "555-7777"
        await sees(pilot, "555-7777")
        # delete refused: a purchase order refers to it
        await pilot.press("d", "y")
        await sees(pilot, "cannot be deleted")
        assert Supplier.get_or_none(Supplier.id == s1.id) is not None


async def test_competitors_add(db, people, password):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "admin", password)
        await pilot.press("m")
        await pilot.pause()
        screen = app.screen
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        form.query_one("#f-name", Input).value = "Rival Co"
        await pilot.press("ctrl+s")
        await sees(pilot, "already used")
        assert app.screen is form
        form.query_one("#f-name", Input).value = "[b]Bold[/b] Rivals"
        form.query_one("#f-strengths", Input).value = "cheap"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen)
        assert Competitor.get(Competitor.strengths == "cheap").name == "[b]Bold[/b] Rivals"
        await sees(pilot, "[b]Bold[/b] Rivals")
