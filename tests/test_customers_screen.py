"""Pilot tests of the Customers screen (C1-C6, L1, A5) at 80x24."""

from __future__ import annotations

import datetime as dt
import sqlite3

import openpyxl
import pytest
from textual.widgets import Input, Select

from tests.helpers import SIZE, open_screen, screen_text, sees, wait_for
from tuicrm.app import make_app
from tuicrm.data.agenda import activities, reminders
from tuicrm.data.models import Customer, CustomerGroup, Order, now
from tuicrm.data.parties import contacts, customers
from tuicrm.data.parties.groups import customer_groups
from tuicrm.screens.customers import CustomersScreen
from tuicrm.widgets.dialogs import ConfirmDialog
from tuicrm.widgets.form import FormDialog
from tuicrm.widgets.group_tree import GroupTree
from tuicrm.widgets.list_tools import ExportDialog, TextDialog
from tuicrm.widgets.related_pane import RelatedPane


@pytest.fixture
def shop(db, admin):
    north = customer_groups.create(admin, "North")
    city = customer_groups.create(admin, "City", north.id)
    south = customer_groups.create(admin, "South")
    c1 = customers.create_customer(admin, code="C000001", name="张三丰贸易有限公司",
                                   phone="138-0001", group=city.id)
    c2 = customers.create_customer(admin, code="C000002", name="Acme Tools", phone="555-0002",
                                   group=north.id, tax_number="TX-9")
    c3 = customers.create_customer(admin, code="C000003", name="Beta Metals", phone="555-0003",
                                   group=south.id)
    contacts.create_contact(admin, c2.id, name="Wang Wei", title="Buyer", is_key=True)
    return {"north": north, "city": city, "south": south, "c1": c1, "c2": c2, "c3": c3}


async def _open(pilot, password, user="admin"):
    return await open_screen(pilot, user, password, "c", CustomersScreen)


def _tree_to(screen, group_id) -> None:
    tree = screen.query_one(GroupTree)
    node = next(n for n in _walk(tree.root) if n.data == group_id)
    tree.move_cursor(node)


def _walk(node):
    yield node
    for child in node.children:
        yield from _walk(child)


async def test_screen_shows_tree_list_and_related(db, shop, admin, password):
    Order.create(number="SO-2026-000001", kind="sale", date=dt.date(2026, 5, 1),
                 customer=shop["c2"].id, total=123)
    activities.add_activity(admin, kind="call", customer_id=shop["c2"].id, subject="Price talk")
    reminders.create_reminder(admin, title="Call Acme back", customer_id=shop["c2"].id,
                              due_at=now() + dt.timedelta(days=1))
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, password)
        await sees(pilot, "All customers", "North 2", "City 1", "South 1", "(no group)",
                    "Acme Tools", "张三丰贸易有限公司", "Beta Metals")
        # the cursor is on Acme Tools (sorted by name): its related information shows
        await sees(pilot, "Wang Wei", "SO-2026-000001", "Price talk", "Call Acme back",
                    "Balance    0.00")
        # choosing North shows its customers and its sub-group's; s: without sub-groups
        _tree_to(screen, shop["north"].id)
        await wait_for(pilot, lambda: "Beta Metals" not in screen_text(app))
        await sees(pilot, "张三丰贸易有限公司")
        screen.query_one(GroupTree).focus()
        await pilot.press("s")
        await wait_for(pilot, lambda: "张三丰贸易有限公司" not in screen_text(app))
        await sees(pilot, "Acme Tools")


async def test_group_add_rename_move_and_delete(db, shop, admin, password):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, password)
        tree = screen.query_one(GroupTree)
        tree.focus()
        _tree_to(screen, shop["south"].id)
        await pilot.pause()
        # add a sub-group under South (saved in a worker; the tree then selects it)
        await pilot.press("a", *"Harbour", "enter")
        await wait_for(pilot, lambda: app.screen is screen)
        harbour = CustomerGroup.get(CustomerGroup.name == "Harbour")
        assert harbour.parent_id == shop["south"].id
        await wait_for(pilot, lambda: tree.group_id == harbour.id)
        # rename it
        await pilot.press("r", *("backspace",) * 7, *"港口", "enter")
        await wait_for(pilot, lambda: app.screen is screen)
        assert CustomerGroup.get_by_id(harbour.id).name == "港口"
        await sees(pilot, "港口")
        # a duplicate name is refused next to the field
        _tree_to(screen, shop["north"].id)
        await pilot.pause()
        await pilot.press("a", *"City", "enter")
        await sees(pilot, "already a group")
        assert isinstance(app.screen, FormDialog)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
        # move 港口 under North
        _tree_to(screen, harbour.id)
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        app.screen.query_one("#f-parent", Select).value = str(shop["north"].id)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen)
        assert CustomerGroup.get_by_id(harbour.id).parent_id == shop["north"].id
        # moving North into its own sub-group is refused
        _tree_to(screen, shop["north"].id)
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        # (its own sub-groups are not even offered)
        offered = [v for _, v in app.screen.query_one("#f-parent", Select)._options]
        assert str(shop["city"].id) not in offered and str(shop["north"].id) not in offered
        await pilot.press("escape")
        await pilot.pause()
        # delete an empty group: just asks
        _tree_to(screen, harbour.id)
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await wait_for(pilot, lambda: CustomerGroup.get_or_none(
            CustomerGroup.id == harbour.id) is None)  # deleted in a worker
        # delete North (1 customer, 1 sub-group): refused with the counts, asks where to
        _tree_to(screen, shop["north"].id)
        await pilot.pause()
        await pilot.press("d", "y")
        await wait_for(pilot, lambda: isinstance(app.screen, FormDialog))
        text = screen_text(app)
        assert "1 customer" in text and "1 sub-group" in text
        # Esc keeps it
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
        assert CustomerGroup.get_or_none(CustomerGroup.id == shop["north"].id) is not None
        # again, and move them to South
        await pilot.press("d", "y")
        await wait_for(pilot, lambda: isinstance(app.screen, FormDialog))
        app.screen.query_one("#f-move_to", Select).value = str(shop["south"].id)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen)
        assert CustomerGroup.get_or_none(CustomerGroup.id == shop["north"].id) is None
        assert Customer.get_by_id(shop["c2"].id).group_id == shop["south"].id
        assert CustomerGroup.get_by_id(shop["city"].id).parent_id == shop["south"].id


async def test_add_with_validation_and_duplicate_warning(db, shop, password):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, password)
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormDialog)
        form.query_one("#f-name", Input).value = "New Shop"
        form.query_one("#f-email", Input).value = "not-an-email"
        form.query_one("#f-credit_limit", Input).value = "lots"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "not an e-mail address" in str(
            form.query_one("#err-email").render()))
        assert app.screen is form
        assert "not a number" in str(form.query_one("#err-credit_limit").render())
        form.query_one("#f-email", Input).value = "shop@example.com"
        form.query_one("#f-credit_limit", Input).value = "5000"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is not form)
        new = Customer.get(Customer.name == "New Shop")
        assert new.email == "shop@example.com" and str(new.credit_limit) == "5000.00"
        await wait_for(pilot, lambda: "New Shop" in screen_text(app))
        # same tax number as Acme: the twin is shown, a second Ctrl+S saves anyway
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        form.query_one("#f-name", Input).value = "Acme Tools Co"
        form.query_one("#f-tax_number", Input).value = "TX-9"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "looks like an existing customer" in screen_text(app))
        assert app.screen is form
        await sees(pilot, "C000002")
        assert not Customer.select().where(Customer.name == "Acme Tools Co").exists()
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is not form)
        assert Customer.select().where(Customer.name == "Acme Tools Co").exists()


async def test_edit_and_stale_save_keeps_the_form(db, shop, admin, password):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, password)
        assert screen.table.go_to_id(shop["c3"].id)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        form.query_one("#f-phone", Input).value = "555-9999"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen)
        assert Customer.get_by_id(shop["c3"].id).phone == "555-9999"
        await wait_for(pilot, lambda: "555-9999" in screen_text(app))
        # someone else saves while the form is open: a conflict, the form stays
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormDialog)
        c = Customer.get_by_id(shop["c3"].id)
        customers.update_customer(admin, c.id, c.version, notes="changed elsewhere")
        form.query_one("#f-phone", Input).value = "555-0000"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "since you opened it" in screen_text(app))
        assert app.screen is form
        assert form.query_one("#f-phone", Input).value == "555-0000"
        assert Customer.get_by_id(shop["c3"].id).phone == "555-9999"


async def test_delete_refused_then_marked_delete(db, shop, password):
    Order.create(number="SO-2026-000009", kind="sale", date=dt.date(2026, 5, 1),
                 customer=shop["c2"].id)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, password)
        assert screen.table.go_to_id(shop["c2"].id)
        await pilot.press("d", "y")
        await wait_for(pilot, lambda: isinstance(app.screen, TextDialog))  # deleted in a worker
        text = screen_text(app)
        assert "cannot be deleted" in text and "1 order" in text
        await pilot.press("escape")
        await pilot.pause()
        assert Customer.get_or_none(Customer.id == shop["c2"].id) is not None
        # mark two others and delete both
        screen.table.go_to_id(shop["c3"].id)
        await pilot.press("space")
        screen.table.go_to_id(shop["c1"].id)
        await pilot.press("space")
        await pilot.pause()
        await pilot.press("delete")
        await pilot.pause()
        await sees(pilot, "2 marked customers")
        await pilot.press("y")
        await wait_for(pilot, lambda: Customer.select().count() == 1)  # deleted in a worker
        await wait_for(pilot, lambda: "row 1 of 1" in screen_text(app))


async def test_quick_search_chinese_and_latin(db, shop, password):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, password)
        await pilot.press("slash", "张")
        await wait_for(pilot, lambda: "Acme Tools" not in screen_text(app))
        await sees(pilot, "张三丰贸易有限公司")
        await pilot.press("escape")  # clears
        await wait_for(pilot, lambda: "Acme Tools" in screen_text(app))
        await pilot.press(*"有限公")
        await wait_for(pilot, lambda: "Acme Tools" not in screen_text(app))
        await sees(pilot, "张三丰贸易有限公司")
        screen.query_one("#search", Input).value = ""
        await pilot.press(*"acme")
        await wait_for(pilot, lambda: "Beta Metals" not in screen_text(app))
        await sees(pilot, "Acme Tools")
        # a contact's name finds the customer
        screen.query_one("#search", Input).value = ""
        await pilot.press(*"wang wei")
        await wait_for(pilot, lambda: "Beta Metals" not in screen_text(app)
                    and "张三丰" not in screen_text(app))
        await sees(pilot, "Acme Tools")


async def test_related_pane_waits_while_the_search_is_typed(db, shop, password):
    """In the search line the related pane says how to see the records and is not repainted
    at each typed key; Down goes to the list and the pane shows the cursor's customer."""
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, password)
        await sees(pilot, "Wang Wei")  # Acme Tools, first by name: its contact
        pane = screen.query_one(RelatedPane)
        await pilot.press("slash")
        await sees(pilot, "Down or Enter: the list")
        assert "Wang Wei" not in pane.shown_text
        await pilot.press(*"acme")
        await wait_for(pilot, lambda: "Beta Metals" not in screen_text(app))
        assert pane.waiting and "Down or Enter" in pane.shown_text
        await pilot.press("down")
        await wait_for(pilot, lambda: "Wang Wei" in pane.shown_text)
        assert not pane.waiting and screen.focused is screen.table


async def test_a_narrower_search_repaints_only_the_lines_that_changed(db, shop, password):
    """Rows that stay on the same line (and the header) are not sent again: a typed
    character costs the lines that changed, not the whole list."""
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, password)
        table = screen.table
        await pilot.press("slash", *"c00000")
        await wait_for(pilot, lambda: "row 1 of 3" in screen_text(app))
        await pilot.pause()
        painted: list[int] = []
        real = table.render_line

        def spy(y):
            painted.append(y)
            return real(y)

        table.render_line = spy
        await pilot.press("3")  # C000003 only: Beta Metals, third before, first now
        await wait_for(pilot, lambda: "row 1 of 1" in screen_text(app))
        await pilot.pause()
        assert painted and 0 not in painted  # the header stays
        assert set(painted) <= {1, 2, 3}  # the three rows that changed


async def test_salesperson_sees_only_own_customers(db, shop, sales, admin, password):
    customers.reassign_customers(admin, [shop["c3"].id], sales.id)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, password, user="sally")
        await wait_for(pilot, lambda: "row 1 of 1" in screen_text(app))
        text = screen_text(app)
        assert "Beta Metals" in text and "Acme Tools" not in text


async def test_move_and_reassign_marked(db, shop, manager, password):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, password)
        screen.table.go_to_id(shop["c1"].id)
        await pilot.press("space")
        screen.table.go_to_id(shop["c3"].id)
        await pilot.press("space", "g")
        await pilot.pause()
        app.screen.query_one("#f-group", Select).value = str(shop["north"].id)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen)
        assert {c.group_id for c in Customer.select().where(
            Customer.id.in_([shop["c1"].id, shop["c3"].id]))} == {shop["north"].id}
        screen.table.go_to_id(shop["c2"].id)
        await pilot.press("o")
        await pilot.pause()
        app.screen.query_one("#f-salesperson", Select).value = str(manager.id)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen)
        assert Customer.get_by_id(shop["c2"].id).salesperson_id == manager.id


async def test_export_reads_back(db, shop, password, tmp_path):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, password)
        _tree_to(screen, shop["north"].id)
        await wait_for(pilot, lambda: "Beta Metals" not in screen_text(app))
        await pilot.press("x")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        dialog.query_one("#path", Input).value = str(tmp_path / "north.xlsx")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen)
    rows = list(openpyxl.load_workbook(tmp_path / "north.xlsx").active.iter_rows(values_only=True))
    # the list as shown: its visible columns, in their order, with stable English headers
    assert rows[0] == ("code", "name", "phone", "group")
    assert sorted(r[1] for r in rows[1:]) == ["Acme Tools", "张三丰贸易有限公司"]
    assert {r[3] for r in rows[1:]} == {"North", "City"}


async def test_import_shows_problems_then_imports(db, shop, password, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,group\nC000010,,North\nC000011,Gamma,Nowhere\n", encoding="utf-8")
    good = tmp_path / "good.csv"
    good.write_text("code,name,group\nC000010,Gamma,North\nC000011,Delta,South\n",
                    encoding="utf-8")
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, password)
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one("#f-path", Input).value = str(bad)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, TextDialog))  # checked in a worker
        assert isinstance(app.screen, TextDialog)
        text = screen_text(app)
        assert "row 2, name" in text and "row 3, group" in text and "nothing was" in text
        await pilot.press("escape")
        await pilot.pause()
        assert Customer.select().count() == 3
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one("#f-path", Input).value = str(good)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert isinstance(app.screen, ConfirmDialog) and "2 rows are fine" in screen_text(app)
        await pilot.press("y")
        await wait_for(pilot, lambda: Customer.select().count() == 5)  # imported in a worker
        assert Customer.select().count() == 5
        await wait_for(pilot, lambda: "Gamma" in screen_text(app))


async def test_save_waiting_on_another_terminal_keeps_the_form_alive(db, shop, password):
    """Another terminal holds the write lock: Ctrl+S says it is waiting, keys still echo in
    the form, and the save lands once the lock is released (nothing freezes, nothing lost)."""
    other = sqlite3.connect(db, isolation_level=None)
    app = make_app(db)
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = await _open(pilot, password)
            assert screen.table.go_to_id(shop["c3"].id)
            await pilot.press("e")
            await pilot.pause()
            form = app.screen
            assert isinstance(form, FormDialog)
            form.query_one("#f-phone", Input).value = "555-4242"
            other.execute("BEGIN IMMEDIATE")
            await pilot.press("ctrl+s")
            await sees(pilot, "waiting for another terminal")
            form.query_one("#f-notes", Input).focus()
            await pilot.press(*"typed")
            await wait_for(pilot, lambda: form.query_one("#f-notes", Input).value == "typed")
            assert app.screen is form
            assert Customer.get_by_id(shop["c3"].id).phone == "555-0003"
            other.execute("COMMIT")
            await wait_for(pilot, lambda: app.screen is screen)
            assert Customer.get_by_id(shop["c3"].id).phone == "555-4242"
    finally:
        other.close()


async def test_a_custom_filter_looks_through_all_groups(db, shop, password):
    """Issue 17: with South chosen on the left, a filter on the name found nothing of North's
    customers (it silently stayed inside the group); now it says "all groups"."""
    from tuicrm.data.lists.filters import Condition, CustomFilter

    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, password)
        _tree_to(screen, shop["south"].id)
        await wait_for(pilot, lambda: "Beta Metals" in screen_text(app)
                       and "Acme Tools" not in screen_text(app))
        screen.filter = CustomFilter("name", Condition("like", "%a%"))
        screen.reload()
        await wait_for(pilot, lambda: "Acme Tools" in screen_text(app))
        assert "Beta Metals" in screen_text(app) and "all groups" in screen_text(app)


async def test_an_import_shows_its_progress_and_esc_cancels_it_cleanly(db, shop, admin,
                                                                        password, tmp_path):
    """A big import says how far it got; Esc while it writes stops it and takes back what
    it wrote, and the user is told so (issue 10)."""
    from tuicrm.data.core import settings
    from tuicrm.data.models import ImportRun
    from tuicrm.widgets.dialogs import ImportDialog

    settings.set_value(admin, "import.batch_rows", "5")  # many short batches
    big = tmp_path / "big.csv"
    big.write_text("code,name\n" + "".join(f"K{i:04d},客户{i}\n" for i in range(300)),
                   encoding="utf-8")
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, password)
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one("#f-path", Input).value = str(big)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, ImportDialog)
                       and "Written" in screen_text(app))
        await pilot.press("escape")  # ("Cancelling" shows meanwhile: too briefly to wait on)
        await wait_for(pilot, lambda: isinstance(app.screen, TextDialog))
        # The dialog's own text: on screen it wraps where the temporary path's length says.
        said = " ".join(app.screen.text.split())
        assert "was cancelled: no customer was added" in said and "taken back" in said
    assert Customer.select().count() == 3
    assert ImportRun.get().status == "undone"
