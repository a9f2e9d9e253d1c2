"""Type-ahead through a real terminal: a whole form written in ONE write (as a slow SSH link
delivers typed-ahead keys: text, Tab, text, Ctrl+S) saves exactly what was typed."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from tests.helpers import WAIT_LIMIT
from tests.terminal import AppPty

CTRL_R, CTRL_S, TAB = "\x12", "\x13", "\t"


@contextmanager
def admin_at_terminal(db: str, password: str) -> Iterator[AppPty]:
    """The app in a pty, logged in as admin, at Home; killed at the end."""
    term = AppPty(db)
    try:
        term.log_in("admin", password)
        yield term
    finally:
        term.close()


@pytest.fixture
def tea(admin):
    """Green tea, TEA, 33.00, ten in stock."""
    from tuicrm.data.catalog import products
    from tuicrm.data.stock import ledger as stock

    product = products.create_product(admin, code="TEA", name="Green tea", price1="33.00")
    stock.set_opening(admin, product, 10)
    return product


@pytest.fixture
def dana(admin):
    """Two customers, "Dana Trading" and "Other"; the database closed for the app's process."""
    from tuicrm.data.core import db as dbmod
    from tuicrm.data.parties import customers

    customers.create_customer(admin, name="Dana Trading")
    customers.create_customer(admin, name="Other")
    dbmod.close()


def wait_until_sync(condition: Callable[[], object], timeout: float = WAIT_LIMIT) -> None:
    """Until ``condition()`` holds (a row another process writes)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.05)


def test_new_reminder_written_in_one_read_is_saved(db, admin, password):
    """Ctrl+R, then title + Ctrl+S in one write: the reminder has the title typed."""
    from tuicrm.data.models import Reminder

    with admin_at_terminal(db, password) as term:
        term.write(CTRL_R)
        term.wait_for("New reminder")
        term.write("Call Wang about the invoice" + CTRL_S)
        wait_until_sync(lambda: Reminder.select().where(
            Reminder.title == "Call Wang about the invoice").exists())


def test_product_form_with_tabs_in_one_write_is_saved(db, admin, password):
    """Code, Tab, name, Tab ... Ctrl+S in one write: every field lands where it was meant."""
    from tuicrm.data.models import Product

    with admin_at_terminal(db, password) as term:
        term.write("g")
        term.wait_for("code, name or barcode")  # the Products screen (Home lists "Products")
        term.write("a")
        term.wait_for("Add a product")
        term.write("P-TYPE" + TAB + "Typed ahead 快" + TAB + TAB + "M8" + TAB + TAB + TAB
                   + TAB + "5.55" + CTRL_S)
        wait_until_sync(lambda: Product.select().where(Product.code == "P-TYPE").exists())
        p = Product.get(Product.code == "P-TYPE")
        assert (p.name, p.spec, str(p.price1)) == ("Typed ahead 快", "M8", "5.55")


def test_a_form_over_order_entry_typed_ahead_in_one_write(db, admin, password):
    """F6 (new product for an unknown code) over the scanning screen: name, Tab, Tab, Tab,
    price, Ctrl+S in one write fills the fields (Tab is not a scan's end in a dialog), and the
    product is made and sold."""
    from tuicrm.data.core import db as dbmod
    from tuicrm.data.models import Product

    dbmod.close()
    unknown = "4006381999991"
    with admin_at_terminal(db, password) as term:
        term.write("e")
        term.wait_for("Sales order (new)")
        term.write(unknown + "\r")
        term.wait_for("unknown")
        term.write("\x1b[17~")  # F6
        term.wait_for("New product for code")
        term.write("Jasmine tea" + TAB + TAB + TAB + "3.50" + CTRL_S)
        term.wait_for("+1 -> 1")
        from tuicrm.data.core.schema import open_db

        open_db(db)
        p = Product.get(Product.code == unknown)
        assert (p.name, str(p.price1)) == ("Jasmine tea", "3.50")


def test_editing_keys_typed_ahead_act_on_their_own_field(db, tea, password):
    """Ctrl+U and Backspace written in one read with Tab and the next field's text clear or
    shorten THEIR field (Textual resolved them later against whatever had focus then: Ctrl+U
    cleared the card amount typed after it). F10 on a sale, then in one write: Ctrl+U 5 Tab
    2 0 Backspace 5 Tab 1 Ctrl+U 3 Enter -> cash 5, card 25, WeChat Pay 3."""
    from tuicrm.data.core import db as dbmod
    from tuicrm.data.models import MoneyDoc

    dbmod.close()
    with admin_at_terminal(db, password) as term:
        term.write("e")
        term.wait_for("Sales order (new)")
        term.write("TEA\r")
        term.wait_for("TEA +1 -> 1")
        term.write("\x1b[21~")  # F10: how was it paid?
        term.wait_for("take payment")
        term.write("\x155" + TAB + "20\x7f5" + TAB + "1\x153\r")
        term.wait_for("next sale")
        from tuicrm.data.core.schema import open_db

        open_db(db)
        paid = {d.method: str(d.amount) for d in MoneyDoc.select()}
        assert paid == {"cash": "5.00", "card": "25.00", "wechat": "3.00"}


def test_a_search_key_and_its_text_in_one_write_land_in_the_search(db, dana, password):
    """"/" then "dana" in one write (a slow link, a busy machine): the text is searched for.
    The focus used to move later than the next keys were routed, so they went to the list,
    where "a" is Add and "d" Delete."""
    with admin_at_terminal(db, password) as term:
        term.write("c")
        term.wait_for("row 1 of 2")
        term.write("/dana")
        term.wait_for("Search  dana")
        term.write("\r")  # Enter: to the list, which holds the match
        term.wait_for("row 1 of 1")
        assert "Add a customer" not in term.text() and "Delete" not in term.text()


def test_fields_ended_with_enter_in_one_write_are_saved(db, admin, password):
    """Enter moves to the next field of a form at once: code Enter name Ctrl+S in one write
    fills both fields."""
    from tuicrm.data.models import Product

    with admin_at_terminal(db, password) as term:
        term.write("g")
        term.wait_for("code, name or barcode")
        term.write("a")
        term.wait_for("Add a product")
        term.write("P-ENTER\rEntered ahead" + CTRL_S)
        wait_until_sync(lambda: Product.select().where(Product.code == "P-ENTER").exists())
        assert Product.get(Product.code == "P-ENTER").name == "Entered ahead"


def test_a_search_typed_before_the_list_has_opened_goes_to_its_search(db, dana, password):
    """"c/dana" in one write from Home: Customers opens with "dana" in its search line.
    Home used to open Customers in its own turn, after the App had given it "/dana" too
    ("d" opens Tickets, "a" the Audit trail), and a screen just pushed had nothing focused."""
    with admin_at_terminal(db, password) as term:
        term.write("c/dana")
        term.wait_for("Search  dana")
        term.wait_for("row 1 of 1")
        assert term.text().lstrip().startswith("Customers")


def test_a_form_typed_ahead_of_its_opening_gets_every_key(db, admin, password):
    """"g" Products, "a" Add, then the code and the name and Ctrl+S, all in one write: the
    dialog opened by "a" gets them all (they used to go to the list it opened over)."""
    from tuicrm.data.models import Product

    with admin_at_terminal(db, password) as term:
        term.write("gaP-AHEAD" + TAB + "Typed before the form" + CTRL_S)
        wait_until_sync(lambda: Product.select().where(Product.code == "P-AHEAD").exists())
        assert Product.get(Product.code == "P-AHEAD").name == "Typed before the form"


def test_a_scan_right_after_opening_order_entry_is_sold(db, tea, password):
    """"e" (order entry) and a scanned code in one read from Home: the product is on the
    order once (the code waited for the screen, then went through the scan capture)."""
    from tuicrm.data.core import db as dbmod

    dbmod.close()
    with admin_at_terminal(db, password) as term:
        term.write("eTEA\r")
        term.wait_for("TEA +1 -> 1")
        assert term.text().count("Green tea") == 1
