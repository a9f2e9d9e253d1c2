"""A scan while a dialog, picker or preview is open on a scanning screen, through a real
terminal (the scan is one write: code + Enter, as SSH delivers a scanner's burst): never typed
into the dialog, never lost, never a change of customer.

Order entry: the receipt preview and F4 apply the scan at once (the preview / picker closes);
F2, F5, F6, F8 and the receipt's save form hold it and apply it when they close. Purchase: the
F2 supplier picker holds it. Stock count: its dialogs count a scan at once.
"""

from __future__ import annotations

import sqlite3
import sys
import time
from collections.abc import Callable

import pytest

from tests.helpers import WAIT_LIMIT
from tests.terminal import ESC, AppPty

pytestmark = [
    pytest.mark.pty,
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal"),
]

TEA = "4006381333931"
RICE = "5901234123457"
UNKNOWN = "4006381999991"
F1, F2, F4 = "\x1bOP", "\x1bOQ", "\x1bOS"
F5, F6, F8, F10 = "\x1b[15~", "\x1b[17~", "\x1b[19~", "\x1b[21~"


@pytest.fixture
def shop(db, admin):
    from tuicrm.data.catalog import products
    from tuicrm.data.core import db as dbmod
    from tuicrm.data.parties import customers, suppliers
    from tuicrm.data.stock import ledger as stock

    tea = products.create_product(admin, code="TEA", name="Green tea", price1="2.50",
                                  price2="2.00", cost="1.00", barcodes=[TEA])
    rice = products.create_product(admin, code="RICE", name="Rice", price1="4.00",
                                   cost="3.00", barcodes=[RICE])
    stock.set_opening(admin, tea, 100)
    stock.set_opening(admin, rice, 100)
    customers.create_customer(admin, code="C001", name="Wholesale Wang", price_level=2)
    suppliers.create_supplier(admin, code="S001", name="Tea Farm Ltd")
    dbmod.close()  # the app in the pty writes; this process reads with sqlite3
    return db


def rows(db: str, sql: str, *args: object) -> list[tuple]:
    con = sqlite3.connect(db, timeout=10)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def lines_of(db: str, status: str | None = None) -> list[tuple]:
    """(order number, status, customer code, product code, quantity, unit price) per line."""
    return rows(db, """
        SELECT o.number, o.status, c.code, p.code, l.quantity / 1000.0, l.unit_price / 100.0
        FROM order_line l JOIN "order" o ON o.id = l.order_id
        JOIN product p ON p.id = l.product_id LEFT JOIN customer c ON c.id = o.customer_id
        ORDER BY o.id, l.id""")


def wait_until(condition: Callable[[], object], timeout: float = WAIT_LIMIT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.05)


def entry(shop: str, password: str, key: str = "e", ready: str = "Sales order (new)") -> AppPty:
    term = AppPty(shop)
    term.log_in("admin", password)
    term.write(key)
    term.wait_for(ready)
    return term


def scan(term: AppPty, code: str, product: str, total: int) -> None:
    term.write(code + "\r")
    term.wait_for(f"{product} +1 -> {total}")


def pay(term: AppPty) -> None:
    """F10, then Enter in the payment dialog: paid in cash, the total."""
    term.write(F10)
    term.wait_for("take payment")
    term.write("\r")


def person(term: AppPty, text: str) -> None:
    term.type(text, gaps=(0.2,))  # slower than any scanner


def test_scan_with_the_receipt_open_starts_the_next_sale(shop, password):
    term = entry(shop, password)
    try:
        scan(term, TEA, "TEA", 1)
        pay(term)
        term.wait_for("next sale")
        term.write(RICE + "\r")  # the next customer's first item
        term.wait_for("RICE +1 -> 1")
        got = lines_of(shop)
        assert [(s, p) for _, s, _, p, _, _ in got] == [("delivered", "TEA"), ("draft", "RICE")]
    finally:
        term.close()


def test_scan_with_the_customer_picker_open_is_held_and_never_changes_the_customer(
        shop, password):
    term = entry(shop, password)
    try:
        term.write(F2)
        term.wait_for("Customer: code, name or phone")
        term.write(TEA + "\r")
        term.wait_for("held")
        assert term.text().count(TEA) == 1  # in the notice only, not typed into the search
        person(term, "C001")
        term.wait_for("Wholesale Wang")
        term.write("\r")
        term.wait_for("TEA +1 -> 1")
        wait_until(lambda: lines_of(shop))
        assert lines_of(shop)[0][2:] == ("C001", "TEA", 1.0, 2.0)  # Wang's price level
    finally:
        term.close()


def test_scan_with_f4_open_adds_the_product_at_once(shop, password):
    term = entry(shop, password)
    try:
        term.write(F4)
        term.wait_for("Find a product")
        term.write(RICE + "\r")
        term.wait_for("RICE +1 -> 1")
        # The dialog closed: the entry screen's column titles show where it was. (The line
        # and the status can be drawn a frame before the dialog goes: do not look at once.)
        titles = term.wait_until(lambda text: any("Code" in r and "Amount" in r
                                                  for r in text.splitlines()), WAIT_LIMIT)
        assert titles is not None and "Find a product" not in term.text(), term.text()
    finally:
        term.close()


def test_f4_finds_by_barcode(shop, password):
    term = entry(shop, password)
    try:
        term.write(F4)
        term.wait_for("Find a product")
        person(term, RICE)
        term.wait_for("RICE  Rice")
        term.write("\r")
        term.wait_for("RICE +1 -> 1")
    finally:
        term.close()


@pytest.mark.parametrize(("key", "title", "drawn"), [
    (F5, "Discount on the whole order", "Esc: cancel"),
    (F8, "Save as a quote", "Esc: cancel"),
    (F1, "Help: Order entry", "Esc / F1: close")])
def test_scan_with_a_form_open_is_held_until_it_closes(shop, password, key, title, drawn):
    term = entry(shop, password)
    try:
        term.write(F2)  # a customer: a quote needs one
        term.wait_for("Customer: code, name or phone")
        person(term, "C001")
        term.wait_for("Wholesale Wang")
        term.write("\r")
        term.wait_for("Customer: C001")
        scan(term, RICE, "RICE", 1)
        term.write(key)
        term.wait_for(title)
        term.wait_for(drawn)  # the whole dialog is drawn
        term.write(TEA + "\r")
        term.wait_for("held")
        # in the notice only: not typed into the field, the dialog not answered
        # (the notice covers the totals' corner: count the code, not the amounts)
        assert term.text().count(TEA) == 1 and title in term.text()
        term.write(ESC)
        term.wait_for("TEA +1 -> 1")
        wait_until(lambda: len(lines_of(shop)) == 2)
        assert rows(shop, 'SELECT discount FROM "order"') == [(0,)]
    finally:
        term.close()


def test_scan_with_the_new_product_form_open_is_held(shop, password):
    term = entry(shop, password)
    try:
        term.write(UNKNOWN + "\r")
        term.wait_for("unknown")
        term.write(F6)
        term.wait_for("New product for code")
        term.write(TEA + "\r")
        term.wait_for("held")
        term.write(ESC)
        term.wait_for("TEA +1 -> 1")
    finally:
        term.close()


def test_scan_with_the_receipt_save_form_open_is_held(shop, password):
    term = entry(shop, password)
    try:
        scan(term, TEA, "TEA", 1)
        pay(term)
        term.wait_for("next sale")
        term.write("s")
        term.wait_for("Save the receipt")
        term.write(RICE + "\r")
        term.wait_for("held")
        term.write(ESC)  # the form; the receipt is still open
        term.wait_for("next sale")
        term.write(ESC)  # the receipt: the held scan starts the next sale
        term.wait_for("RICE +1 -> 1")
    finally:
        term.close()


def test_scan_with_the_supplier_picker_open_is_held(shop, password):
    term = entry(shop, password, key="b", ready="Purchase order (new)")
    try:
        term.write(F2)
        term.wait_for("Supplier: code or name")
        term.write(TEA + "\r")
        term.wait_for("held")
        person(term, "S001")
        term.wait_for("Tea Farm Ltd")
        term.write("\r")
        term.wait_for("TEA +1 -> 1")
        wait_until(lambda: lines_of(shop))
        assert lines_of(shop)[0][3:] == ("TEA", 1.0, 1.0)  # bought at cost
    finally:
        term.close()


def test_f3_after_a_scan_edits_the_scanned_line(shop, password):
    term = entry(shop, password)
    try:
        scan(term, TEA, "TEA", 1)
        term.write(RICE + "\r" + "\x1bOR")  # a scan and F3 in one read
        term.wait_for("Quantity of RICE")
    finally:
        term.close()


@pytest.mark.parametrize(("key", "title"), [
    ("\x1bOQ", "Counted quantity"), (F1, "Help"), ("\x1b[20~", "Count sheet or variance report")])
def test_stock_count_counts_a_scan_made_with_a_dialog_open(db, admin, password, key, title):
    """Stock count: with the F2 quantity form, F1 help or the F9 report form open, a scan is
    counted at once (counting is additive and the count is the screen's, whatever the dialog
    shows), never typed into the dialog."""
    from tuicrm.data.catalog import products
    from tuicrm.data.core import db as dbmod
    from tuicrm.data.counts.opening import open_count
    from tuicrm.data.stock import ledger as stock

    tea = products.create_product(admin, code="TEA", name="Green tea", price1="2.50",
                                  barcodes=[TEA])
    stock.set_opening(admin, tea, 10)
    open_count(admin)
    dbmod.close()
    term = AppPty(db)
    try:
        term.log_in("admin", password)
        term.write("w")
        term.wait_for("Scan or type a code")
        term.write(TEA + "\r")
        term.wait_for("TEA")
        term.write(key)
        term.wait_for(title)
        term.write(TEA + "\r")
        wait_until(lambda: rows(db, "SELECT counted FROM stock_count_line") == [(2000,)])
        assert title in term.text() and term.text().count(TEA) == 0  # not typed in it
    finally:
        term.close()
